"""Spatial autocorrelation of province scores: global Moran's I and local LISA.

The weights are the land-contiguity matrix of :mod:`nqpf.regions` (Hainan linked to
Guangdong by default), row-standardised. Definitions follow PySAL's esda, which the tests
use as the reference: global I = (n / S0) · z'Wz / z'z with normal-approximation moments
and a permutation p-value; local I_i = (n − 1) · z_i · (Wz)_i / z'z with conditional
permutations. Permutation p-values are "folded": (min(#≥, #<) + 1) / (permutations + 1).

>>> from nqpf.index import Recipe
>>> m = moran(Recipe("innovation").build().score(), permutations=99)
>>> bool((m["I"] > m["EI"]).all())
True
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from nqpf import regions

__all__ = ["QUADRANTS", "lisa", "moran"]

#: LISA quadrant codes, as in esda: 1 high-high, 2 low-high, 3 low-low, 4 high-low.
QUADRANTS = {1: "HH", 2: "LH", 3: "LL", 4: "HL"}


def _setup(scores: pd.DataFrame, hainan: str) -> tuple[np.ndarray, np.ndarray, list[str]]:
    if scores.isna().any().any():
        raise ValueError("scores contain missing values; spatial statistics need every province")
    units = [regions.resolve(u) for u in scores.index]
    w = regions.neighbour_matrix([p.adcode for p in units], hainan=hainan, row_standardise=True)
    if (w.sum(axis=1) == 0).any():
        isolated = [p.short for p, r in zip(units, w.sum(axis=1), strict=True) if r == 0]
        raise ValueError(f"provinces without neighbours in this set: {isolated}")
    return scores.to_numpy(dtype=float).T, w, [p.short for p in units]  # (Y, n)


def _folded_p(sim: np.ndarray, observed: np.ndarray) -> np.ndarray:
    """esda's permutation p-value along axis -1 of ``sim``."""
    larger = (sim >= observed[..., None]).sum(axis=-1)
    p = sim.shape[-1]
    larger = np.where(p - larger < larger, p - larger, larger)
    return (larger + 1.0) / (p + 1.0)


def moran(scores: pd.DataFrame, permutations: int = 999, seed: int | None = 0,
          hainan: str = "guangdong") -> pd.DataFrame:
    """Global Moran's I per year (columns of ``scores``): I, EI, VI_norm, z_norm, p_norm,
    and the permutation p-value p_sim."""
    y, w, _ = _setup(scores, hainan)
    n = y.shape[1]
    z = y - y.mean(axis=1, keepdims=True)
    s0 = w.sum()
    i_obs = n / s0 * np.einsum("yi,ij,yj->y", z, w, z) / (z * z).sum(axis=1)
    ei = -1.0 / (n - 1)
    s1 = 0.5 * ((w + w.T) ** 2).sum()
    s2 = ((w.sum(axis=0) + w.sum(axis=1)) ** 2).sum()
    vi = (n * n * s1 - n * s2 + 3 * s0 * s0) / ((n * n - 1) * s0 * s0) - ei * ei
    z_norm = (i_obs - ei) / np.sqrt(vi)
    out = pd.DataFrame({"I": i_obs, "EI": ei, "VI_norm": vi, "z_norm": z_norm,
                        "p_norm": 2 * stats.norm.sf(np.abs(z_norm))},
                       index=pd.Index(list(scores.columns), name="year"))
    if permutations:
        rng = np.random.default_rng(seed)
        perms = np.argsort(rng.random((permutations, n)), axis=1)
        zp = z[:, perms]  # (Y, P, n)
        sim = n / s0 * np.einsum("ypi,ij,ypj->yp", zp, w, zp) / (z * z).sum(axis=1)[:, None]
        out["p_sim"] = _folded_p(sim, i_obs)
    return out


def lisa(scores: pd.DataFrame, permutations: int = 999, seed: int | None = 0,
         hainan: str = "guangdong", alpha: float = 0.05) -> pd.DataFrame:
    """Local Moran's I per province and year: I_i, quadrant (HH/LH/LL/HL), permutation
    p-value and whether the cluster is significant at ``alpha``."""
    y, w, names = _setup(scores, hainan)
    n = y.shape[1]
    z = y - y.mean(axis=1, keepdims=True)
    den = (z * z).sum(axis=1, keepdims=True)
    lag = z @ w.T
    local = (n - 1) * z * lag / den
    quad = np.where(z > 0, np.where(lag > 0, 1, 4), np.where(lag > 0, 2, 3))
    out = {"I": local, "quadrant": quad}
    if permutations:
        # conditional permutation: each province keeps its value, its k_i neighbours are
        # replaced by k_i others drawn without replacement
        rng = np.random.default_rng(seed)
        keys = rng.random((permutations, n, n))
        keys[:, np.arange(n), np.arange(n)] = np.inf  # a province never neighbours itself
        order = np.argsort(keys, axis=-1)  # (P, n, n): candidates for each province
        k = (w > 0).sum(axis=1)
        take = np.arange(n)[None, None, :] < k[None, :, None]  # first k_i candidates
        wk = np.where(take, 1.0 / k[None, :, None], 0.0)  # row-standardised
        lag_sim = np.einsum("pij,ypij->ypi", wk, z[:, order])  # (Y, P, n)
        sim = (n - 1) * z[:, None, :] * lag_sim / den[:, None, :]
        out["p_sim"] = _folded_p(np.moveaxis(sim, 1, -1), local)
    years = list(scores.columns)
    frame = pd.DataFrame({
        "year": np.repeat(years, n), "province": names * len(years),
        **{key: v.ravel() for key, v in out.items()}})
    frame["quadrant"] = frame["quadrant"].map(QUADRANTS)
    if permutations:
        frame["significant"] = frame["p_sim"] < alpha
    return frame
