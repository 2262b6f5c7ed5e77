"""Uncertainty analysis: every replication equals the recipe rebuilt with its choices."""

import numpy as np
import pandas as pd
import pytest

from nqpf.analysis import Alternatives, UncertaintyAnalysis, indicator_drop_impact
from nqpf.index import Recipe

ALT = Alternatives(
    normalisation=[{"method": "minmax"}, {"method": "rank"}], scope=["panel", "year"],
    weights=[{"method": "entropy"}, {"method": "critic"}, {"method": "equal"}, {"method": "pca"}],
    aggregation=[{"method": "arithmetic"}, {"method": "topsis"},
                 {"method": "geometric", "shift": 0.01}],
    imputation=[["linear", "carry", "group-mean"], ["carry", "group-mean"]],
    drop_one=True, weight_noise=0.2, noise_draws=16)


@pytest.fixture(scope="module")
def analysis():
    return UncertaintyAnalysis(Recipe("three-elements"), ALT)


@pytest.fixture(scope="module")
def result(analysis):
    return analysis.run(600, seed=3)


def recipe_for(analysis, row):
    f = {x.name: x for x in analysis.factors}
    norm = {**f["normalisation"].options[row[2]], "scope": f["scope"].options[row[1]]}
    drop = f["drop"].options[row[5]]
    return Recipe("three-elements", imputation=f["imputation"].options[row[0]],
                  normalisation=norm, weights=f["weights"].options[row[3]],
                  aggregation=f["aggregation"].options[row[4]], drop=[drop] if drop else [])


def test_replications_equal_rebuilt_recipes(analysis, result):
    rows = result.design[result.design[:, 6] == 0][:40]  # noise-free rows
    assert len(rows) >= 20
    ranks, scores = analysis.evaluate(rows, keep_scores=True)
    for j, row in enumerate(rows):
        built = recipe_for(analysis, row).build()
        np.testing.assert_allclose(scores[j], built.scores[built.root], rtol=0, atol=1e-6)
        assert (ranks[j] == built.ranks().to_numpy().T).all()


def test_nominal_ranks_are_the_recipe(result):
    built = Recipe("three-elements").build()
    assert (result.nominal == built.ranks().to_numpy().T).all()


def test_noise_changes_weights_but_not_structure(analysis):
    row = np.zeros((2, len(analysis.factors)), dtype=int)
    row[1, 6] = 3
    _, sc = analysis.evaluate(row, keep_scores=True)
    assert not np.allclose(sc[0], sc[1]) and np.corrcoef(sc[0].ravel(), sc[1].ravel())[0, 1] > 0.99


def test_rank_intervals_and_probabilities(result):
    iv = result.rank_intervals(2023)
    assert len(iv) == 31 and (iv.p5 <= iv["median"]).all() and (iv["median"] <= iv.p95).all()
    assert iv.iloc[0].province == "北京" and iv.iloc[0].nominal == 1
    p = result.outrank_probability(2023)
    off = ~np.eye(31, dtype=bool)
    # P(A above B) + P(B above A) = 1 − P(tie)
    assert ((p.to_numpy() + p.to_numpy().T)[off] <= 1 + 1e-12).all()
    assert p.loc["北京", "西藏"] == 1.0
    imp = result.improvement_probability(2016, 2023)
    assert imp.between(0, 1).all() and len(imp) == 31
    all_years = result.rank_intervals("all")
    assert len(all_years) == 31 * 8


def test_sobol_indices(analysis):
    res = analysis.run(1000, method="sobol", seed=2)
    n = len(analysis.varied)
    assert res.replications % (n + 2) == 0
    s = res.sobol(2023)
    mars = s[s.output == "mean |rank shift|"].set_index("factor")
    assert set(mars.index) == {f.name for f in analysis.varied}
    # the weighting method matters far more than the imputation chain for these data
    assert mars.loc["weights", "ST"] > mars.loc["imputation", "ST"]
    assert (mars.ST > -0.05).all()
    with pytest.raises(ValueError, match="Sobol design"):
        analysis.run(50, seed=1).sobol()


def test_sobol_matches_analytic_case():
    """A single factor that alone decides the ranks must get S1 ≈ ST ≈ 1."""
    ua = UncertaintyAnalysis(Recipe("innovation"), Alternatives(
        weights=[{"method": "entropy"}, {"method": "equal"}]))
    res = ua.run(512, method="sobol", seed=0)
    s = res.sobol().set_index(["output", "factor"])
    row = s.loc[("mean |rank shift|", "weights")]
    assert pytest.approx(1.0, abs=0.1) == row.S1 and pytest.approx(1.0, abs=0.1) == row.ST


def test_chunked_evaluation_is_identical(analysis, result):
    a, _ = analysis.evaluate(result.design[:300], chunk=37)
    assert (a == result.ranks[:300]).all()


def test_drop_impact_matches_rebuilds():
    recipe = Recipe("innovation")
    impact = indicator_drop_impact(recipe)
    base = recipe.build().ranks().to_numpy()
    ind = impact.index[0]
    without = recipe.replace(drop=[ind]).build().ranks().to_numpy()
    assert impact.loc[ind, "mean_abs_rank_change"] == pytest.approx(np.abs(without - base).mean())


def test_invalid_combinations():
    with pytest.raises(ValueError, match="z-scores"):
        UncertaintyAnalysis(Recipe("innovation"), Alternatives(
            normalisation=[{"method": "zscore"}], weights=[{"method": "entropy"}]))
    with pytest.raises(ValueError, match="nothing varies"):
        UncertaintyAnalysis(Recipe("innovation"), Alternatives()).run(10)
    with pytest.raises(ValueError, match="unknown alternative"):
        Alternatives.from_dict({"weighting": []})


def test_figures(result):
    fig = result.rank_interval_figure(2023)
    assert len(fig.data) == 2 and next(iter(fig.data[0].y)) == "北京"
    assert isinstance(result.rank_intervals(), pd.DataFrame)


def test_memory_is_bounded_by_the_chunk(analysis):
    """Working memory grows with the chunk, not the replications (only the int16 ranks grow)."""
    import tracemalloc

    peaks = {}
    for n in (2000, 8000):
        idx = np.zeros((n, len(analysis.factors)), dtype=int)
        idx[:, 3] = np.arange(n) % 3  # weighting methods
        idx[:, 4] = 1  # TOPSIS: the tree is built, not contracted
        analysis.evaluate(idx[:10], chunk=500)  # warm the caches
        tracemalloc.start()
        analysis.evaluate(idx, chunk=500)
        peaks[n] = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    ranks_growth = 6000 * 8 * 31 * 2
    assert peaks[8000] - peaks[2000] < 2 * ranks_growth + (4 << 20)
