"""Each index method against an independent reference: pymcdm (a second implementation),
numpy's SVD, or a hand-worked / textbook example."""

import numpy as np
import pytest
from pymcdm import weights as pw
from pymcdm.methods import TOPSIS

from nqpf.data import load_panel, to_array
from nqpf.index import (
    AHP,
    CRITIC,
    PCA,
    Arithmetic,
    CoefficientOfVariation,
    Entropy,
    Equal,
    Fixed,
    Geometric,
    Imputer,
    MinMax,
    OutlierTreatment,
    Product,
    Rank,
    Screen,
    Topsis,
    ZScore,
    ahp_weights,
)

IND = ["rd_intensity", "tech_market_gdp", "hitech_revenue_gdp", "fiscal_st_share",
       "invention_patents_per_gdp", "so2_per_gdp"]
DIRS = np.array([1, 1, 1, 1, 1, -1])


@pytest.fixture(scope="module")
def year_2022():
    """One year of real provincial data: 31 units × 6 indicators (one a cost)."""
    arr = to_array(load_panel(IND), IND, years=[2022])
    assert not np.isnan(arr.values).any()
    return arr.values  # (1, 31, 6)


def test_entropy_matches_pymcdm(year_2022):
    z = MinMax(scope="year").transform(year_2022, DIRS)
    ours = Entropy(scope="panel", shift=1e-4).weigh(z, year_2022, IND)[0]
    ref = pw.entropy_weights(z[0] + 1e-4)
    np.testing.assert_allclose(ours, ref, rtol=0, atol=1e-9)


def test_critic_matches_pymcdm(year_2022):
    raw = year_2022 * DIRS  # pymcdm's CRITIC treats every column as a benefit
    z = MinMax(scope="year").transform(raw, np.ones(6))
    ours = CRITIC(scope="panel").weigh(z, raw, IND)[0]
    np.testing.assert_allclose(ours, pw.critic_weights(raw[0]), rtol=0, atol=1e-9)


def test_topsis_matches_pymcdm(year_2022):
    w = Entropy().weigh(MinMax().transform(year_2022, DIRS), year_2022, IND)[0]
    z = MinMax(scope="year").transform(year_2022, DIRS)
    ours = Topsis(scope="year").aggregate(z, w[None, :])[0]
    ref = TOPSIS()(year_2022[0], w, DIRS)
    np.testing.assert_allclose(ours, ref, rtol=0, atol=1e-9)


def test_panel_entropy_pools_years():
    arr = to_array(load_panel(IND), IND, years=[2021, 2022])
    z = MinMax().transform(arr.values, DIRS)
    ours = Entropy().weigh(z, arr.values, IND)
    assert np.allclose(ours[0], ours[1])
    ref = pw.entropy_weights(z.reshape(62, 6) + 1e-4)
    np.testing.assert_allclose(ours[0], ref, atol=1e-9)
    with pytest.warns(UserWarning, match="not comparable across years"):
        per_year = Entropy(scope="year").weigh(z, arr.values, IND)
    assert not np.allclose(per_year[0], per_year[1])


def test_entropy_hand_worked():
    # two units, one indicator at 0 and 1 (no shift): p = (0, 1) → e = 0 → all weight;
    # a constant indicator has e = 1 → no weight.
    z = np.array([[[0.0, 0.5], [1.0, 0.5]]])
    assert Entropy(shift=0.0).weigh(z, z, ["a", "b"])[0].tolist() == [1.0, 0.0]


def test_cv_weights_hand_worked():
    raw = np.array([[[1.0, 10.0], [2.0, 10.0], [3.0, 40.0]]])
    cv_a = 1.0 / 2.0  # sd 1, mean 2
    cv_b = np.std([10, 10, 40], ddof=1) / 20.0
    expected = np.array([cv_a, cv_b]) / (cv_a + cv_b)
    np.testing.assert_allclose(CoefficientOfVariation().weigh(raw, raw, ["a", "b"])[0], expected)


def test_pca_first_component_matches_svd(year_2022):
    z = MinMax().transform(year_2022, DIRS)[0]
    s = (z - z.mean(0)) / z.std(0, ddof=1)
    _, _, vt = np.linalg.svd(s, full_matrices=False)
    ref = np.abs(vt[0]) / np.abs(vt[0]).sum()
    np.testing.assert_allclose(PCA().weigh(z[None], z[None], IND)[0], ref, atol=1e-12)


def test_ahp_saaty_example_and_consistency():
    # Saaty's three-criterion example: w ≈ (0.637, 0.258, 0.105), λmax ≈ 3.039, CR ≈ 0.033
    w, cr = ahp_weights(np.array([[1, 3, 5], [1 / 3, 1, 3], [1 / 5, 1 / 3, 1]]))
    np.testing.assert_allclose(w, [0.6370, 0.2583, 0.1047], atol=5e-4)
    assert cr == pytest.approx(0.033, abs=1e-3)
    bad = AHP(matrix=((1, 9, 1 / 9), (1 / 9, 1, 9), (9, 1 / 9, 1)), labels=("a", "b", "c"))
    with pytest.raises(ValueError, match="inconsistent"):
        bad.weigh(np.zeros((1, 2, 3)), np.zeros((1, 2, 3)), ["a", "b", "c"])
    with pytest.raises(ValueError, match="reciprocal"):
        ahp_weights(np.array([[1, 2], [2, 1]]))


def test_product_and_fixed_weights():
    z = np.random.default_rng(0).random((2, 5, 3))
    f = Fixed({"a": 1, "b": 1, "c": 2})
    assert f.weigh(z, z, ["a", "b", "c"])[0].tolist() == [0.25, 0.25, 0.5]
    e = Entropy().weigh(z, z, ["a", "b", "c"])
    p = Product(Entropy(), f).weigh(z, z, ["a", "b", "c"])
    expected = e * np.array([0.25, 0.25, 0.5])
    np.testing.assert_allclose(p, expected / expected.sum(-1, keepdims=True))
    assert Equal().weigh(z, z, ["a", "b", "c"])[0].tolist() == pytest.approx([1 / 3] * 3)


def test_normalisers_hand_worked():
    x = np.array([[[1.0], [2.0]], [[3.0], [5.0]]])  # 2 years, 2 units
    assert MinMax().transform(x, np.array([1]))[..., 0].tolist() == [[0.0, 0.25], [0.5, 1.0]]
    assert MinMax(scope="year").transform(x, np.array([1]))[..., 0].tolist() == [[0, 1], [0, 1]]
    assert MinMax().transform(x, np.array([-1]))[..., 0].tolist() == [[1.0, 0.75], [0.5, 0.0]]
    zs = ZScore().transform(x, np.array([1]))[..., 0]
    assert zs.mean() == pytest.approx(0) and zs.std(ddof=1) == pytest.approx(1)
    assert Rank().transform(x, np.array([-1]))[..., 0].tolist() == [[1.0, 0.5], [1.0, 0.5]]


def test_aggregators_hand_worked():
    v = np.array([[[0.25, 1.0], [1.0, 1.0]]])
    w = np.array([[0.5, 0.5]])
    assert Arithmetic().aggregate(v, w).tolist() == [[0.625, 1.0]]
    assert Geometric().aggregate(v, w)[0, 0] == pytest.approx(0.5)
    with pytest.raises(ValueError, match="positive values"):
        Geometric().aggregate(np.zeros((1, 2, 2)), w)
    # TOPSIS: unit 2 is the ideal point, unit 1 sits at distance 0.375 from it
    t = Topsis().aggregate(v, w)[0]
    assert t[1] == 1.0 and t[0] == 0.0


def test_imputation_methods():
    nan = np.nan
    x = np.array([[[1.0], [nan], [5.0]], [[nan], [nan], [7.0]], [[3.0], [nan], [9.0]]])
    out, how = Imputer(["linear", "carry", "group-mean"]).impute(x, ["东部", "东部", "西部"])
    assert out[1, 0, 0] == 2.0 and how[1, 0, 0] == 1  # interpolated
    assert out[0, 1, 0] == 1.0 and how[0, 1, 0] == 3  # group mean of 东部 in year 0 (only unit 0)
    out2, how2 = Imputer(["carry"]).impute(x, ["东部", "东部", "西部"])
    assert out2[1, 0, 0] == 1.0 and np.isnan(out2[0, 1, 0]) and how2[0, 1, 0] == -1


def test_screening_drops_sparse_indicator_and_unit():
    x = np.ones((4, 3, 3))
    x[:, :, 2] = np.nan  # indicator 2 empty
    x[:3, 1, :] = np.nan  # unit 1 mostly empty
    keep_u, keep_k = Screen(0.75, 0.75).select(x)
    assert keep_k.tolist() == [True, True, False]
    assert keep_u.tolist() == [True, False, True]


def test_coinr_outlier_rule():
    x = np.r_[np.arange(1.0, 30.0), 500.0].reshape(1, 30, 1)
    y, report = OutlierTreatment().treat(x, ["x"])
    assert report[0]["action"] == "winsorised (1 values)" and y.max() == 29.0
    heavy = np.r_[np.ones(24), [50.0, 80, 120, 200, 400, 1000]].reshape(1, 30, 1)
    y, report = OutlierTreatment().treat(heavy, ["h"])
    assert report[0]["action"] == "log-transformed"
    np.testing.assert_allclose(y, np.log(heavy))
    calm = np.arange(30.0).reshape(1, 30, 1)
    assert OutlierTreatment().treat(calm, ["c"])[1][0]["action"] == "none"
