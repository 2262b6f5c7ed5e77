"""The statistical audit against independent references: scipy's skewness and kurtosis,
Cronbach's alpha by hand and on a published example, PC1 share by numpy's SVD."""

import json

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from nqpf.analysis.audit import (
    audit,
    cronbach_alpha,
    first_component_share,
    sample_kurtosis,
    sample_skewness,
)
from nqpf.index import Recipe

# Pingouin's documented Cronbach example (15 respondents × 10 Likert items, the packaged
# dataset ``cronbach_alpha``): pg.cronbach_alpha(...) = 0.5917188485995826, which the pingouin
# docs check against R's psych::alpha.
PINGOUIN = np.array([
    [3, 2, 4, 1, 4, 5, 1, 4, 3, 2], [5, 4, 6, 3, 5, 1, 2, 5, 5, 5], [7, 3, 5, 5, 6, 4, 3, 3, 6, 5],
    [2, 4, 3, 3, 2, 2, 2, 6, 6, 3], [6, 5, 6, 5, 4, 4, 4, 6, 7, 5], [1, 2, 3, 4, 2, 5, 2, 3, 5, 2],
    [4, 3, 5, 3, 5, 2, 1, 2, 4, 3], [2, 4, 4, 3, 7, 2, 2, 4, 6, 5], [6, 5, 5, 5, 1, 6, 5, 2, 3, 2],
    [5, 4, 6, 4, 3, 5, 3, 1, 7, 2], [4, 3, 5, 2, 5, 3, 2, 3, 4, 1], [4, 2, 3, 2, 5, 3, 4, 2, 3, 4],
    [5, 5, 6, 2, 3, 3, 2, 4, 4, 5], [6, 5, 5, 4, 2, 2, 1, 4, 6, 5], [4, 3, 5, 5, 3, 1, 3, 2, 3, 4],
], dtype=float)


@pytest.fixture(scope="module")
def result():
    return Recipe("three-elements").build()


@pytest.fixture(scope="module")
def pooled(result):
    return audit(result)


def hand_alpha(items: np.ndarray) -> float:
    df = pd.DataFrame(items)
    k = df.shape[1]
    return k / (k - 1) * (1 - df.var(ddof=1).sum() / df.sum(axis=1).var(ddof=1))


def test_cronbach_alpha_published_example():
    assert cronbach_alpha(PINGOUIN) == pytest.approx(0.5917188485995826, abs=1e-12)
    assert cronbach_alpha(PINGOUIN) == pytest.approx(hand_alpha(PINGOUIN), abs=1e-14)


def test_cronbach_alpha_by_hand_and_degenerate_cases():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(40, 5)) + rng.normal(size=(40, 1))
    assert cronbach_alpha(x) == pytest.approx(hand_alpha(x), abs=1e-14)
    assert np.isnan(cronbach_alpha(x[:, :1]))
    # perfectly parallel items: alpha = 1
    assert cronbach_alpha(np.repeat(x[:, :1], 3, axis=1)) == pytest.approx(1.0)


def test_skewness_and_kurtosis_match_scipy(result):
    rng = np.random.default_rng(2)
    x = np.column_stack([rng.lognormal(size=60), rng.normal(size=60), rng.exponential(size=60)])
    np.testing.assert_allclose(sample_skewness(x), stats.skew(x, bias=False), rtol=1e-12)
    np.testing.assert_allclose(sample_kurtosis(x), stats.kurtosis(x, fisher=True, bias=False),
                               rtol=1e-12)
    flat = result.raw.reshape(-1, result.raw.shape[-1])
    a = audit(result)
    np.testing.assert_allclose(a.indicators["skewness"], stats.skew(flat, bias=False), rtol=1e-10)
    np.testing.assert_allclose(a.indicators["kurtosis"],
                               stats.kurtosis(flat, fisher=True, bias=False), rtol=1e-10)
    assert np.isnan(sample_skewness(np.ones((5, 1)))).all()


def test_first_component_share_matches_svd(result):
    rng = np.random.default_rng(3)
    x = rng.normal(size=(50, 4)) @ rng.normal(size=(4, 4))
    std = (x - x.mean(axis=0)) / x.std(axis=0)
    s = np.linalg.svd(std, compute_uv=False)
    assert first_component_share(x) == pytest.approx(s[0] ** 2 / (s**2).sum(), abs=1e-12)


def test_reliability_of_every_node(result, pooled):
    z = result.normalised.reshape(-1, len(result.indicators))
    pos = {i: k for k, i in enumerate(result.indicators)}
    for node in result.framework.root.walk():
        if node.is_leaf:
            continue
        items = z[:, [pos[lf.indicator] for lf in node.leaves()]]
        row = pooled.reliability.loc[node.name]
        assert row.n_indicators == items.shape[1]
        assert row.alpha == pytest.approx(hand_alpha(items), abs=1e-12)
        std = (items - items.mean(axis=0)) / items.std(axis=0)
        s = np.linalg.svd(std, compute_uv=False)
        assert row.pc1_share == pytest.approx(s[0] ** 2 / (s**2).sum(), abs=1e-12)
    assert pooled.reliability.index[0] == result.root  # the overall row comes first


def test_correlations_match_scipy(result):
    a = audit(result, year=2023)
    t = result.years.index(2023)
    z = result.normalised[t]
    k = result.indicators.index("rd_intensity")
    dim = a.correlations.loc["rd_intensity", "dimension"]
    par = a.correlations.loc["rd_intensity", "parent"]
    for col, node in (("dimension", dim), ("parent", par), ("index", result.root)):
        s = result.scores[node][t]
        assert a.correlations.loc["rd_intensity", f"r_{col}"] == pytest.approx(
            stats.pearsonr(z[:, k], s)[0], abs=1e-12)
        assert a.correlations.loc["rd_intensity", f"rho_{col}"] == pytest.approx(
            stats.spearmanr(z[:, k], s)[0], abs=1e-12)
    dims = result.dimensions
    assert a.between.loc[dims[0], dims[1]] == pytest.approx(
        stats.pearsonr(result.scores[dims[0]][t], result.scores[dims[1]][t])[0], abs=1e-12)
    pair = a.within.iloc[0]
    i, j = result.indicators.index(pair.a), result.indicators.index(pair.b)
    assert pair.pearson == pytest.approx(stats.pearsonr(z[:, i], z[:, j])[0], abs=1e-12)
    assert a.n == 31 and (a.indicators["n"] == 31).all()


def test_flags_follow_coinr_rule(result, pooled):
    ind = pooled.indicators
    expected = (ind.skewness.abs() > 2) & (ind["kurtosis"] > 3.5)
    assert (ind.outliers == expected).all() and expected.any()
    # software revenue / GDP: strongly right-skewed and heavy-tailed on the embedded panel
    assert ind.loc["software_revenue_gdp", "outliers"]
    text = pooled.to_text()
    for name in ind.index[ind.outliers]:
        assert name in text
    assert "|skewness| > 2 and kurtosis > 3.5" in text
    assert "软件业务收入占GDP比重" in pooled.to_text("zh")
    # imputed cells: the high-tech series has no 2017 (interpolated)
    assert ind.loc["hitech_revenue_gdp", "imputed_share"] == pytest.approx(31 / 248)
    assert ind.loc["hitech_revenue_gdp", "missing_share"] == pytest.approx(31 / 248)
    flags = pooled.flags()
    assert set(flags.subject[flags.kind == "outliers"]) == set(ind.index[ind.outliers])
    json.dumps(pooled.to_dict(), ensure_ascii=False)


def test_thresholds_and_errors(result):
    loose = audit(result, thresholds={"skew": 100.0})
    assert not loose.indicators.outliers.any()
    with pytest.raises(ValueError, match="unknown threshold"):
        audit(result, thresholds={"skewness": 1})
    with pytest.raises(KeyError, match="not in the result"):
        audit(result, year=1990)
