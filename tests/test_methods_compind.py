"""Benefit of the Doubt, Mazziotta–Pareto, Wroclaw and mean-min (the aggregations of R's
Compind), each against a reference computed independently here: hand-worked examples, the
dual linear programme unit by unit, and the published formulas row by row with the
`statistics` module."""

import statistics as st

import numpy as np
import pytest
from scipy.optimize import linprog

from nqpf.index import (
    BenefitOfTheDoubt,
    MazziottaPareto,
    MeanMin,
    Recipe,
    RecipeError,
    Wroclaw,
    make_aggregator,
)

FW = {"name": "t", "years": [2021, 2023], "children": [
    {"name": "科技", "children": [{"indicator": "rd_intensity"}, {"indicator": "fiscal_st_share"},
                                {"indicator": "tech_market_gdp"}]},
    {"name": "绿色", "children": [{"indicator": "so2_per_gdp", "direction": "-"},
                                {"indicator": "green_coverage"}]}]}


def build(aggregation, **kw):
    return Recipe(FW, weights={"method": "equal"}, aggregation=aggregation, **kw).build()


def reference_sets(res, scope):
    """(year index, unit index) lists: one set per year, or the whole panel."""
    y, u = res.scores[res.root].shape
    if scope == "panel":
        return [[(t, i) for t in range(y) for i in range(u)]]
    return [[(t, i) for i in range(u)] for t in range(y)]


# ---------------------------------------------------------------------------- Benefit of the Doubt
def test_bod_hand_worked():
    # A = (1, 0.2), B = (0.2, 1), C = (0.5, 0.5): C's best weights are w1 = w2 = 1/1.2
    y = np.array([[[1.0, 0.2], [0.2, 1.0], [0.5, 0.5]]])
    scores, w = BenefitOfTheDoubt().solve(y)
    np.testing.assert_allclose(scores[0], [1, 1, 0.5 / 0.6], rtol=0, atol=1e-12)
    np.testing.assert_allclose(w[0, 2], [1 / 1.2, 1 / 1.2], atol=1e-9)
    # no indicator above 60 % of a unit's score: A must lean on its weak second indicator;
    # the binding constraints w1 = 0.3·w2 and 0.2·w1 + w2 = 1 give 0.5 / 1.06 = 25/53
    scores, w = BenefitOfTheDoubt(max_share=0.6).solve(y)
    np.testing.assert_allclose(scores[0], [25 / 53, 25 / 53, 0.5 / 0.6], rtol=0, atol=1e-12)
    share = w[0, 0] * y[0, 0] / scores[0, 0]
    np.testing.assert_allclose(share, [0.6, 0.4], atol=1e-9)


def _bod_dual(y_ref, yi, lo=0.0, hi=1.0):
    """min Σλ s.t. for every indicator m: Σ_k λ_k y_km + L·y_im·Σμ − y_im·μ_m + y_im·ν_m
    − U·y_im·Σν ≥ y_im; λ, μ, ν ≥ 0 — the dual of the share-bounded BoD programme."""
    n, k = y_ref.shape
    a = np.zeros((k, n + 2 * k))
    for m in range(k):
        a[m, :n] = y_ref[:, m]
        a[m, n:n + k] = lo * yi[m]
        a[m, n + m] -= yi[m]
        a[m, n + k:] = -hi * yi[m]
        a[m, n + k + m] += yi[m]
    c = np.r_[np.ones(n), np.zeros(2 * k)]
    res = linprog(c, A_ub=-a, b_ub=-yi, bounds=(0, None), method="highs")
    assert res.status == 0
    return res.fun


@pytest.mark.parametrize("scope", ["year", "panel"])
@pytest.mark.parametrize("bounds", [(0.0, 1.0), (0.1, 0.6)])
def test_bod_equals_the_dual_unit_by_unit(scope, bounds):
    lo, hi = bounds
    norm = {"method": "minmax", "lo": 0.01}  # no zeros: a zero share would break lower bounds
    res = build({"method": "bod", "scope": scope, "min_share": lo, "max_share": hi},
                normalisation=norm)
    z = res.normalised
    for cells in reference_sets(res, scope):
        y_ref = np.array([z[t, i] for t, i in cells])
        for t, i in cells[::3]:  # every third unit keeps the test quick
            ref = _bod_dual(y_ref, z[t, i], lo, hi)
            assert res.scores[res.root][t, i] == pytest.approx(ref, abs=1e-9)
    # the unit weights are feasible and reproduce the scores, within the share bounds
    w = res.unit_weights
    np.testing.assert_allclose((w * z).sum(-1), res.scores[res.root], atol=1e-9)
    shares = w * z / res.scores[res.root][..., None]
    assert shares.min() >= lo - 1e-7 and shares.max() <= hi + 1e-7
    # contributions then sum to the score
    c = res.contributions().groupby(["year", "adcode"], sort=False)["contribution"].sum()
    np.testing.assert_allclose(c.to_numpy(), res.scores[res.root].ravel(), atol=1e-9)
    if bounds == (0.0, 1.0):
        assert res.scores[res.root].max() == pytest.approx(1.0)
        assert any("bod" in n for n in res.notes)


def test_bod_dimension_scores_use_their_own_indicators():
    res = build({"method": "bod", "scope": "year"})
    cols = [res.indicators.index(i) for i in ("so2_per_gdp", "green_coverage")]
    t = 1
    y = res.normalised[t][:, cols]
    expected = [_bod_dual(y, y[i]) for i in range(len(y))]
    np.testing.assert_allclose(res.scores["绿色"][t], expected, atol=1e-9)


# ---------------------------------------------------------------------------- Mazziotta–Pareto
def _mpi_rows(res, scope, penalty, sd):
    """De Muro, Mazziotta & Pareto (2011): standardise each raw indicator with its polarity,
    then per unit M − S·cv (or M + S·cv), S and the standardisation's sd with divisor n
    (population) or n − 1 (sample, Compind)."""
    dev = st.pstdev if sd == "population" else st.stdev
    dirs = [lf.direction for lf in res.framework.root.leaves()]
    out = np.empty(res.scores[res.root].shape)
    for cells in reference_sets(res, scope):
        cols = []
        for j, d in enumerate(dirs):
            col = [float(res.raw[t, i, j]) for t, i in cells]
            m, s = st.mean(col), dev(col)
            cols.append([100 + d * 10 * (v - m) / s for v in col])
        for r, (t, i) in enumerate(cells):
            row = [c[r] for c in cols]
            mean, s = st.mean(row), dev(row)
            out[t, i] = mean - s * s / mean if penalty == "positive" else mean + s * s / mean
    return out


@pytest.mark.parametrize("scope", ["year", "panel"])
@pytest.mark.parametrize("penalty", ["positive", "negative"])
@pytest.mark.parametrize("sd", ["population", "sample"])
def test_mpi_equals_the_formula_row_by_row(scope, penalty, sd):
    res = build({"method": "mpi", "scope": scope, "penalty": penalty, "sd": sd})
    np.testing.assert_allclose(res.scores[res.root], _mpi_rows(res, scope, penalty, sd),
                               rtol=0, atol=1e-9)


def test_weighted_mpi_is_the_weighted_mean_and_sd():
    rng = np.random.default_rng(3)
    v = rng.random((1, 12, 4))
    w = np.array([[0.1, 0.2, 0.3, 0.4]])
    ours = MazziottaPareto(scope="year").aggregate(v, w)[0]
    cols = [[100 + 10 * (x - st.mean(c)) / st.pstdev(c) for x in c] for c in v[0].T.tolist()]
    for i in range(12):
        z = [c[i] for c in cols]
        m = sum(wj * zj for wj, zj in zip(w[0], z, strict=True))
        s2 = sum(wj * (zj - m) ** 2 for wj, zj in zip(w[0], z, strict=True))
        assert ours[i] == pytest.approx(m - s2 / m, abs=1e-9)


# ---------------------------------------------------------------------------- Wroclaw
@pytest.mark.parametrize("scope", ["year", "panel"])
def test_wroclaw_equals_compind_formula(scope):
    """Compind's ci_wroclaw on the normalised values: c_i = √Σ(z_ij − max_j)², c₀ = mean +
    2·sd (n − 1) of c; its estimate is c_i / c₀, ours 1 − c_i / c₀."""
    res = build({"method": "wroclaw", "scope": scope}, normalisation={"method": "zscore"})
    z = res.normalised
    for cells in reference_sets(res, scope):
        rows = [z[t, i].tolist() for t, i in cells]
        ideal = [max(col) for col in zip(*rows, strict=True)]
        c = [sum((v - b) ** 2 for v, b in zip(row, ideal, strict=True)) ** 0.5 for row in rows]
        c0 = st.mean(c) + 2 * st.stdev(c)
        for (t, i), ci in zip(cells, c, strict=True):
            assert res.scores[res.root][t, i] == pytest.approx(1 - ci / c0, abs=1e-9)


# ---------------------------------------------------------------------------- mean-min
@pytest.mark.parametrize("scope", ["year", "panel"])
@pytest.mark.parametrize("alpha, beta", [(0.5, 1.0), (1.0, 0.0), (0.2, 5.0)])
def test_mean_min_equals_compind_formula(scope, alpha, beta):
    """Compind's ci_mean_min: z = 100 + 10·(x − mean)/sd (R's sd) per indicator, then
    μ − α(√((μ − min)² + β²) − β) per unit."""
    res = build({"method": "mean-min", "alpha": alpha, "beta": beta, "scope": scope})
    z = res.normalised
    for cells in reference_sets(res, scope):
        cols = []
        for j in range(z.shape[-1]):
            col = [float(z[t, i, j]) for t, i in cells]
            cols.append([100 + 10 * (v - st.mean(col)) / st.stdev(col) for v in col])
        for r, (t, i) in enumerate(cells):
            row = [c[r] for c in cols]
            mu = st.mean(row)
            mmf = mu - alpha * (((mu - min(row)) ** 2 + beta**2) ** 0.5 - beta)
            assert res.scores[res.root][t, i] == pytest.approx(mmf, abs=1e-9)


def test_mean_min_limits():
    v = np.array([[[0.2, 0.8], [0.5, 0.5]]])
    w = np.array([[0.5, 0.5]])
    plain = MeanMin(alpha=0.0, beta=1.0, standardise=False).aggregate(v, w)
    np.testing.assert_allclose(plain, [[0.5, 0.5]])  # α = 0: the mean
    hard = MeanMin(alpha=1.0, beta=0.0, standardise=False).aggregate(v, w)
    np.testing.assert_allclose(hard, [[0.2, 0.5]])  # α = 1, β = 0: the minimum


# ---------------------------------------------------------------------------- options
@pytest.mark.parametrize("make, words", [
    (lambda: make_aggregator("mean-min"), ["alpha", "beta", "mean-min"]),
    (lambda: make_aggregator("mean-min", alpha=1.5, beta=1), ["alpha", "at most 1"]),
    (lambda: make_aggregator("mean-min", alpha=0.5, beta=-1), ["beta", "at least 0"]),
    (lambda: make_aggregator("mpi", penalty="POS"), ["penalty", "positive, negative"]),
    (lambda: make_aggregator("mpi", sd="n-1"), ["sd", "population, sample"]),
    (lambda: make_aggregator("wroclaw", scope="decade"), ["wroclaw scope", "panel, year"]),
    (lambda: make_aggregator("bod", min_share=0.6, max_share=0.4), ["min_share", "max_share"]),
    (lambda: make_aggregator("bod", weights=[1]), ["'weights'", "min_share", "max_share"]),
    (lambda: Recipe(FW, aggregation={"method": "bod", "max_share": 0.4}),
     ["'aggregation'", "node '绿色'", "2 indicators"]),
    (lambda: Recipe(FW, aggregation={"method": "bod"}, normalisation={"method": "zscore"}),
     ["'aggregation'", "non-negative", "minmax"]),
])
def test_options_are_checked_when_the_recipe_is_made(make, words):
    with pytest.raises(RecipeError) as e:
        make()
    for w in words:
        assert w in str(e.value)


def test_aggregators_take_batches():
    """Leading replication axes broadcast, as the uncertainty analysis needs."""
    rng = np.random.default_rng(0)
    z = rng.random((2, 6, 3))
    w = rng.random((4, 2, 3))
    for agg in (MazziottaPareto(), Wroclaw(), MeanMin(alpha=0.5, beta=1)):
        batch = agg.aggregate(z, w)
        assert batch.shape == (4, 2, 6)
        np.testing.assert_allclose(batch[2], agg.aggregate(z, w[2]), atol=1e-12)
    bod = BenefitOfTheDoubt(scope="year")
    assert bod.aggregate(z, w).shape == (4, 2, 6)


def test_uncertainty_replications_use_the_same_flat_methods():
    """The uncertainty analysis scores replications by `root_score`; it must agree with a
    rebuilt recipe for every flat method."""
    from nqpf.analysis import Alternatives, UncertaintyAnalysis

    choices = [{"method": "topsis"}, {"method": "mpi", "scope": "year"}, {"method": "wroclaw"},
               {"method": "mean-min", "alpha": 0.5, "beta": 1}, {"method": "bod"}]
    recipe = Recipe(FW, normalisation={"method": "minmax", "lo": 0.01})
    ua = UncertaintyAnalysis(recipe, Alternatives(aggregation=choices))
    rows = np.zeros((len(choices), len(ua.factors)), dtype=int)
    rows[:, 4] = np.arange(len(choices))
    _, scores = ua.evaluate(rows, keep_scores=True)
    for j, spec in enumerate(choices):
        built = recipe.replace(aggregation=spec).build()
        np.testing.assert_allclose(scores[j], built.scores[built.root], rtol=1e-6)
