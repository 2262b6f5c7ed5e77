"""Spatial statistics, dynamics and coupling against independent references: PySAL (esda,
libpysal, giddy), statsmodels, scipy and hand-worked formulas."""

import libpysal
import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from esda.moran import Moran, Moran_Local
from giddy.markov import Markov, Spatial_Markov
from scipy import stats

from nqpf import regions
from nqpf.analysis import (
    beta_convergence,
    conditional_beta_convergence,
    coupling_coordination,
    kernel_density,
    lisa,
    markov,
    moran,
    spatial_markov,
)
from nqpf.index import Recipe


@pytest.fixture(scope="module")
def result():
    return Recipe("three-elements").build()


@pytest.fixture(scope="module")
def scores(result):
    return result.score()


@pytest.fixture(scope="module")
def pysal_w(scores):
    w = regions.neighbour_matrix([regions.resolve(u).adcode for u in scores.index])
    lw = libpysal.weights.W({i: list(np.nonzero(w[i])[0]) for i in range(len(w))}, silence_warnings=True)
    lw.transform = "r"
    return lw


def test_global_moran_matches_esda(scores, pysal_w):
    ours = moran(scores, permutations=999)
    for year in (2016, 2023):
        ref = Moran(scores[year].to_numpy(), pysal_w, permutations=999)
        row = ours.loc[year]
        assert pytest.approx(ref.I, abs=1e-12) == row.I
        assert pytest.approx(ref.EI, abs=1e-12) == row.EI
        assert row.VI_norm == pytest.approx(ref.VI_norm, abs=1e-12)
        assert row.z_norm == pytest.approx(ref.z_norm, abs=1e-9)
        assert row.p_norm == pytest.approx(ref.p_norm, abs=1e-9)
        assert row.p_sim < 0.02 and ref.p_sim < 0.02  # same conclusion, different random draws


def test_lisa_matches_esda(scores, pysal_w):
    ours = lisa(scores, permutations=999)
    for year in (2016, 2023):
        ref = Moran_Local(scores[year].to_numpy(), pysal_w, permutations=999, seed=1)
        mine = ours[ours.year == year]
        np.testing.assert_allclose(mine.I.to_numpy(), ref.Is, atol=1e-12)
        codes = mine.quadrant.map({"HH": 1, "LH": 2, "LL": 3, "HL": 4}).to_numpy()
        assert (codes == ref.q).all()
        assert np.corrcoef(mine.p_sim, ref.p_sim)[0, 1] > 0.95
    bj = ours[(ours.year == 2023) & (ours.province == "北京")].iloc[0]
    assert bj.quadrant in ("HH", "HL")


def test_spatial_markov_matches_giddy(scores, pysal_w):
    ours = spatial_markov(scores)
    ref = Spatial_Markov(scores.to_numpy(), pysal_w, k=4, m=4, fixed=True)
    np.testing.assert_array_equal(ours["counts"], ref.T)
    np.testing.assert_allclose(ours["P"], ref.P, atol=1e-12)


def test_markov_matches_giddy(scores):
    ours = markov(scores)
    classes = ours["classes"].to_numpy()
    ref = Markov(classes)
    np.testing.assert_array_equal(ours["counts"].to_numpy(), ref.transitions)
    np.testing.assert_allclose(ours["P"].to_numpy(), ref.p, atol=1e-12)
    np.testing.assert_allclose(ours["steady_state"].to_numpy(), np.ravel(ref.steady_state), atol=1e-9)
    # pooled quartiles: each class holds a quarter of the province-years
    assert np.bincount(classes.ravel()).tolist() == [62, 62, 62, 62]


def test_absolute_beta_matches_linregress(scores):
    ours = beta_convergence(scores)
    ln = np.log(scores.to_numpy())
    growth = (ln[:, -1] - ln[:, 0]) / (ln.shape[1] - 1)
    ref = stats.linregress(ln[:, 0], growth)
    assert ours.loc["beta", "estimate"] == pytest.approx(ref.slope, abs=1e-12)
    assert ours.loc["beta", "se"] == pytest.approx(ref.stderr, abs=1e-12)
    assert ours.loc["beta", "p"] == pytest.approx(ref.pvalue, abs=1e-9)
    assert ours.loc["beta", "estimate"] < 0  # the regions are converging
    assert ours.attrs["speed"] > 0


def test_conditional_beta_matches_statsmodels_with_dummies(scores, result):
    control = result.score("劳动资料")
    ours = conditional_beta_convergence(scores, controls={"means": control})
    ln = np.log(scores.to_numpy())
    n, t = ln.shape
    df = pd.DataFrame({"g": (ln[:, 1:] - ln[:, :-1]).ravel(), "lag": ln[:, :-1].ravel(),
                       "c": control.to_numpy()[:, :-1].ravel(),
                       "unit": np.repeat(np.arange(n), t - 1), "year": np.tile(np.arange(t - 1), n)})
    x = pd.concat([df[["lag", "c"]], pd.get_dummies(df.unit, prefix="u", dtype=float),
                   pd.get_dummies(df.year, prefix="y", drop_first=True, dtype=float)], axis=1)
    fit = sm.OLS(df.g, x).fit()
    clustered = sm.OLS(df.g, x).fit(cov_type="cluster", cov_kwds={"groups": df.unit})
    assert ours.loc["beta", "estimate"] == pytest.approx(fit.params["lag"], abs=1e-10)
    assert ours.loc["means", "estimate"] == pytest.approx(fit.params["c"], abs=1e-10)
    assert ours.loc["beta", "se"] == pytest.approx(fit.bse["lag"], rel=1e-8)
    assert ours.loc["beta", "se_cluster"] == pytest.approx(clustered.bse["lag"], rel=1e-8)


def test_beta_needs_positive_scores(scores):
    with pytest.raises(ValueError, match="positive"):
        beta_convergence(scores - 1)


def test_kernel_density_matches_the_formula(scores):
    kd = kernel_density(scores, points=50)
    assert sorted(kd.year.unique()) == list(scores.columns)
    year = kd[kd.year == 2023]
    v = scores[2023].to_numpy()
    h = v.std(ddof=1) * len(v) ** (-1 / 5)  # Scott's rule
    direct = stats.norm.pdf((year.x.to_numpy()[:, None] - v[None, :]) / h).mean(axis=1) / h
    np.testing.assert_allclose(year.density, direct, rtol=1e-10)
    assert np.trapezoid(year.density, year.x) == pytest.approx(1.0, abs=0.02)


def test_coupling_coordination_hand_worked(result):
    idx = ["北京", "上海", "天津"]
    u = {"a": pd.DataFrame({2020: [0.25, 0.5, 0.2]}, index=idx),
         "b": pd.DataFrame({2020: [1.0, 0.5, 0.3]}, index=idx)}
    r = coupling_coordination(u).set_index("province")
    assert r.loc["北京", "C"] == pytest.approx(0.8)  # 2·√0.25 / 1.25
    assert r.loc["北京", "T"] == pytest.approx(0.625)
    assert r.loc["北京", "D"] == pytest.approx(np.sqrt(0.5))
    assert r.loc["上海", "C"] == pytest.approx(1.0) and r.loc["上海", "grade"] == "中级协调"
    # C = 2√0.06 / 0.5 = 0.9798, T = 0.25, D = 0.4949
    assert r.loc["天津", "D"] == pytest.approx(np.sqrt(2 * np.sqrt(0.06) / 0.5 * 0.25))
    assert r.loc["天津", "grade"] == "濒临失调"
    three = coupling_coordination({d: result.score(d) for d in result.dimensions})
    assert len(three) == 31 * 8 and three.C.between(0, 1 + 1e-12).all()
    with pytest.raises(ValueError, match="within"):
        coupling_coordination({"a": u["a"] * 3, "b": u["b"]})
