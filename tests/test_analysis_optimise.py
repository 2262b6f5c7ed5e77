"""Weights optimised for target correlations with the index: the embedded panel, and a
synthetic panel whose optimum is known in closed form."""

import numpy as np
import pandas as pd
import pytest

from nqpf import regions
from nqpf.analysis.optimise import index_correlations, optimise_weights
from nqpf.index import Recipe

TWO_LEVEL = {"name": "synthetic", "children": [
    {"name": "A", "children": [{"indicator": "a1"}, {"indicator": "a2"}]},
    {"name": "B", "children": [{"indicator": "b1"}, {"indicator": "b2"}, {"indicator": "b3"}]}]}


def correlations_by_numpy(result) -> np.ndarray:
    """Pearson r of every normalised indicator with the index over all province-years."""
    z = result.normalised.reshape(-1, len(result.indicators))
    s = result.scores[result.root].ravel()
    return np.array([np.corrcoef(z[:, k], s)[0, 1] for k in range(z.shape[1])])


def share_loss(r: np.ndarray, target: np.ndarray) -> float:
    return float(((r / r.sum() - target / target.sum()) ** 2).sum())


@pytest.mark.parametrize("preset", ["innovation", "tech-green-digital"])
def test_embedded_panel_gets_closer_to_balance(preset):
    base = Recipe(preset)
    result = base.build()
    w = optimise_weights(result)
    assert w.sum() == pytest.approx(1.0, abs=1e-12) and (w >= 0).all()
    assert list(w.index) == result.indicators
    k = len(w)
    equal = base.replace(weights={"method": "equal"}).build()
    fixed = base.replace(weights={"method": "fixed", "weights": w.to_dict()}).build()
    target = np.ones(k)
    r_opt, r_eq = correlations_by_numpy(fixed), correlations_by_numpy(equal)
    assert share_loss(r_opt, target) < share_loss(r_eq, target) / 3
    np.testing.assert_allclose(r_opt, list(w.attrs["r"].values()), atol=1e-9)
    np.testing.assert_allclose(index_correlations(fixed), r_opt, atol=1e-12)
    assert w.attrs["loss"] == pytest.approx(share_loss(r_opt, target), abs=1e-12)


def test_relative_target_on_the_embedded_panel():
    result = Recipe("innovation").build()
    target = dict.fromkeys(result.indicators, 1.0) | {"rd_intensity": 3.0}
    w = optimise_weights(result, target)
    fixed = Recipe("innovation", weights={"method": "fixed", "weights": w.to_dict()}).build()
    t = np.array([target[i] for i in result.indicators])
    r_opt = correlations_by_numpy(fixed)
    r_eq = correlations_by_numpy(Recipe("innovation", weights={"method": "equal"}).build())
    assert share_loss(r_opt, t) < share_loss(r_eq, t)


def synthetic(sd: np.ndarray, seed: int = 0) -> pd.DataFrame:
    """31 provinces × 4 years of indicators that are exactly uncorrelated (over the pooled
    panel) with standard deviations ``sd``."""
    units = regions.adcodes()
    n, k = 4 * len(units), len(sd)
    rng = np.random.default_rng(seed)
    a = rng.normal(size=(n, k))
    a -= a.mean(axis=0)
    q, _ = np.linalg.qr(a)  # orthonormal and centred columns
    x = 50 + q / q.std(axis=0) * sd
    years = np.repeat(np.arange(2020, 2024), len(units))
    names = ["a1", "a2", "b1", "b2", "b3"][:k]
    return pd.DataFrame({"adcode": np.tile(units, 4 * k), "year": np.tile(years, k),
                         "indicator": np.repeat(names, n), "value": x.T.ravel()})


def test_synthetic_optimum_is_known():
    """With uncorrelated indicators and an arithmetic index s = Σ w z, corr(z_k, s) =
    w_k σ_k / √(Σ w_j² σ_j²): equal correlations need w ∝ 1/σ, shares t need w ∝ t/σ, and
    absolute correlations c (with Σc² = 1) need w ∝ c/σ — σ the sd of the normalised values."""
    panel = synthetic(np.array([1.0, 2.0, 3.0, 5.0, 8.0]))
    result = Recipe(TWO_LEVEL, weights={"method": "equal"}).build(panel)
    sd = result.normalised.reshape(-1, 5).std(axis=0)
    c = np.corrcoef(result.normalised.reshape(-1, 5), rowvar=False)
    assert np.abs(c - np.eye(5)).max() < 1e-12  # min-max keeps them uncorrelated

    def expect(v):
        return v / v.sum()

    w = optimise_weights(result)
    np.testing.assert_allclose(w, expect(1 / sd), atol=1e-6)
    t = np.array([1.0, 2.0, 1.0, 3.0, 1.0])
    w = optimise_weights(result, dict(zip(result.indicators, t, strict=True)))
    np.testing.assert_allclose(w, expect(t / sd), atol=1e-6)
    r = np.array([0.1, 0.3, 0.5, 0.3, 0.0])
    r[-1] = np.sqrt(1 - (r**2).sum())
    w = optimise_weights(result, list(r), relative=False)
    np.testing.assert_allclose(w, expect(r / sd), atol=1e-6)
    np.testing.assert_allclose(list(w.attrs["r"].values()), r, atol=1e-6)


def test_target_errors():
    result = Recipe("innovation").build()
    with pytest.raises(ValueError, match="no value for"):
        optimise_weights(result, {"rd_intensity": 1.0})
    with pytest.raises(ValueError, match="one per indicator"):
        optimise_weights(result, [1.0, 2.0])
    with pytest.raises(ValueError, match=r"\[−1, 1\]"):
        optimise_weights(result, 2.0, relative=False)
