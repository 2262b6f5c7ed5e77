"""Explaining a score change by Shapley values, against a brute-force Shapley over every
order of the players computed here from the engine's own scoring of modified panels."""

import itertools
import math
import warnings

import numpy as np
import pytest

from nqpf.analysis.explain import CONTEXT, explain, shapley_exact, shapley_sampled
from nqpf.index import Recipe
from nqpf.index.tree import aggregate_tree

SMALL = {"name": "demo", "children": [
    {"name": "投入", "children": [{"indicator": "rd_intensity"}, {"indicator": "fiscal_st_share"},
                                {"indicator": "basic_research_share"}]},
    {"name": "产出", "children": [{"indicator": "patents_per_gdp"},
                                {"indicator": "tech_market_gdp"}]}]}


def build(aggregation, weights=None, framework=SMALL, years=(2016, 2023)):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # per-year weights warn
        return Recipe(framework, years=years, aggregation=aggregation,
                      weights=weights or {"method": "entropy"}).build()


def brute_force(result, unit, t0, t1, context):
    """Shapley values by averaging marginal contributions over all n! orders; v(S) rebuilds
    the whole panel with the province's row of one year (the reference-set player picks which)
    replaced by the mixed row, and that year's weights by the mixed weights."""
    k = len(result.indicators)
    players = list(range(k)) + ([k] if context else [])
    z, w = result.normalised, result.leaf_weights
    cache = {}

    def v(coalition):
        key = frozenset(coalition)
        if key not in cache:
            m = np.array([i in key for i in range(k)])
            slot = t1 if k in key else t0
            zz, ww = z.copy(), w.copy()
            zz[slot, unit] = np.where(m, z[t1, unit], z[t0, unit])
            ww[slot] = np.where(m, w[t1], w[t0])
            scores, _ = aggregate_tree(result.framework.root, zz, ww, result.indicators,
                                       result.recipe.aggregation)
            cache[key] = scores[result.root][slot, unit]
        return cache[key]

    phi = dict.fromkeys(players, 0.0)
    orders = list(itertools.permutations(players))
    for order in orders:
        before = []
        for p in order:
            phi[p] += v([*before, p]) - v(before)
            before.append(p)
    return {p: total / len(orders) for p, total in phi.items()}


@pytest.mark.parametrize("aggregation,weights,context", [
    ({"method": "geometric", "shift": 0.01}, None, False),
    ({"method": "geometric", "shift": 0.01}, {"method": "entropy", "scope": "year"}, False),
    ({"method": "topsis"}, None, True),
    ({"method": "topsis-tree", "scope": "year"}, {"method": "critic", "scope": "year"}, True),
    ({"method": "mpi"}, None, True),
])
def test_enumeration_equals_brute_force(aggregation, weights, context):
    result = build(aggregation, weights)
    unit = result.units.index("360000")
    t0, t1 = result.years.index(2016), result.years.index(2023)
    ref = brute_force(result, unit, t0, t1, context)
    e = explain(result, "江西", 2016, 2023)
    assert e.method == "exact"
    c = e.contributions["contribution"]
    for k, name in enumerate(result.indicators):
        assert c[name] == pytest.approx(ref[k], abs=1e-12)
    if context:
        assert c[CONTEXT] == pytest.approx(ref[len(result.indicators)], abs=1e-12)
    else:
        assert CONTEXT not in c.index
    assert c.sum() == pytest.approx(e.score_to - e.score_from, abs=1e-9)


@pytest.mark.parametrize("weights", [None, {"method": "entropy", "scope": "year"}])
def test_closed_form_is_the_shapley_value_of_the_additive_game(weights):
    result = build({"method": "arithmetic"}, weights)
    u, t0, t1 = result.units.index("360000"), result.years.index(2016), result.years.index(2023)
    e0, e1 = result.effective_weights[t0], result.effective_weights[t1]
    z0, z1 = result.normalised[t0, u], result.normalised[t1, u]
    k = len(result.indicators)
    phi = np.zeros(k)
    for order in itertools.permutations(range(k)):  # brute force on v(S) = Σ contributions
        m = np.zeros(k, bool)
        for p in order:
            before = (np.where(m, e1 * z1, e0 * z0)).sum()
            m[p] = True
            phi[p] += (np.where(m, e1 * z1, e0 * z0)).sum() - before
    phi /= math.factorial(k)
    e = explain(result, "江西", 2016, 2023)
    assert e.method == "closed form"
    c = e.contributions.loc[result.indicators]
    np.testing.assert_allclose(c["contribution"], phi, rtol=0, atol=1e-14)
    np.testing.assert_allclose(c["value_effect"] + c["weight_effect"], c["contribution"],
                               rtol=0, atol=1e-15)
    if weights is None:
        assert (c["weight_effect"] == 0).all()


@pytest.mark.parametrize("preset", ["three-elements", "tech-green-digital", "innovation"])
def test_contributions_sum_to_the_score_change(preset):
    result = Recipe(preset).build()
    for province, (a, b) in (("江西", (result.years[0], result.years[-1])),
                             ("北京", (result.years[-2], result.years[-1]))):
        e = explain(result, province, a, b)
        u = result.units.index(e.adcode)
        s = result.scores[result.root]
        assert e.change == s[result.years.index(b), u] - s[result.years.index(a), u]
        assert abs(e.contributions["contribution"].sum() - e.change) < 1e-12
    geo = explain(Recipe(preset, aggregation={"method": "geometric", "shift": 0.01}).build(),
                  "江西", result.years[0], result.years[-1])
    assert geo.method == "exact"
    assert abs(geo.contributions["contribution"].sum() - geo.change) < 1e-9
    top = explain(Recipe(preset, aggregation={"method": "topsis"}).build(), "江西",
                  result.years[0], result.years[-1], permutations=40)
    assert abs(top.contributions["contribution"].sum() - top.change) < 1e-9


def test_sampling_agrees_with_exact_within_its_error():
    result = build({"method": "mpi"})
    exact = explain(result, "湖北", 2016, 2023)
    sampled = explain(result, "湖北", 2016, 2023, exact_max=0, permutations=400, seed=5)
    assert sampled.method == "sampling" and sampled.permutations == 400 and sampled.error > 0
    a = exact.contributions["contribution"]
    b = sampled.contributions.loc[a.index]
    assert (np.abs(b["contribution"] - a) <= 5 * b["se"] + 1e-12).all()
    assert b["contribution"].sum() == pytest.approx(sampled.change, abs=1e-12)
    assert "random orders" in sampled.to_text()


def test_shapley_helpers_on_known_games():
    # glove game: player 0 holds a left glove, players 1 and 2 right gloves → (2/3, 1/6, 1/6)
    def glove(m):
        return (m[:, 0] & (m[:, 1] | m[:, 2])).astype(float)

    np.testing.assert_allclose(shapley_exact(glove, 3), [2 / 3, 1 / 6, 1 / 6], atol=1e-15)
    phi, se = shapley_sampled(glove, 3, 2000, seed=1)
    assert np.all(np.abs(phi - [2 / 3, 1 / 6, 1 / 6]) < 5 * se + 1e-12)
    assert phi.sum() == pytest.approx(1.0, abs=1e-12)


def test_rank_change_and_provinces_passed():
    result = Recipe("three-elements").build()
    e = explain(result, "Jiangxi", 2016, 2023)
    ranks = result.ranks()
    assert (e.rank_from, e.rank_to) == (ranks.loc["江西", 2016], ranks.loc["江西", 2023])
    names = {a: n for a, n in zip(result.units, ranks.index, strict=True)}
    for a in e.passed:
        assert ranks.loc[names[a], 2016] < e.rank_from and ranks.loc[names[a], 2023] > e.rank_to
    for a in e.fell_behind:
        assert ranks.loc[names[a], 2016] > e.rank_from and ranks.loc[names[a], 2023] < e.rank_to
    moved = (ranks[2016] < e.rank_from) & (ranks[2023] > e.rank_to)
    assert sorted(names[a] for a in e.passed) == sorted(ranks.index[moved])
    en, zh = e.to_text("en"), e.to_text("zh")
    assert en.startswith("Jiangxi ") and "(2016→2023)" in en and "sum to the score change" in en
    assert zh.startswith("江西") and "其和等于得分变化" in zh
    top = e.contributions.index[0]
    from nqpf.analysis._common import indicator_label

    assert indicator_label(top, "en") in en and indicator_label(top, "zh") in zh
    d = e.to_dict()
    assert d["province"] == "江西" and len(d["contributions"]) == len(result.indicators)


def test_errors():
    result = Recipe("innovation").build()
    with pytest.raises(KeyError, match="year_from 1990"):
        explain(result, "江西", 1990, 2023)
    with pytest.raises(LookupError):
        explain(result, "Atlantis", 2016, 2023)
    with pytest.raises(ValueError, match="lang"):
        explain(result, "江西", 2016, 2023).to_text("fr")
