"""How the distribution of scores moves: kernel density, β-convergence, Markov chains.

All functions take a province × year table of positive scores (``IndexResult.score()``).

>>> from nqpf.index import Recipe
>>> s = Recipe("innovation").build().score()
>>> beta_convergence(s).loc["beta", "estimate"] < 0
np.True_
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from nqpf import regions

__all__ = ["beta_convergence", "conditional_beta_convergence", "kernel_density", "markov",
           "spatial_markov"]


def kernel_density(scores: pd.DataFrame, points: int = 200, bandwidth: str | float = "scott"
                   ) -> pd.DataFrame:
    """Gaussian kernel density of the scores in each year on one common grid (scipy's
    ``gaussian_kde``), tidy (year, x, density) — the data of ridge and 3-D density plots."""
    v = scores.to_numpy(dtype=float)
    lo, hi = np.nanmin(v), np.nanmax(v)
    pad = 0.1 * (hi - lo)
    grid = np.linspace(lo - pad, hi + pad, points)
    frames = []
    for year in scores.columns:
        kde = stats.gaussian_kde(scores[year].dropna().to_numpy(), bw_method=bandwidth)
        frames.append(pd.DataFrame({"year": year, "x": grid, "density": kde(grid)}))
    return pd.concat(frames, ignore_index=True)


def _ols(x: np.ndarray, y: np.ndarray, groups: np.ndarray | None = None,
         k_absorbed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """OLS coefficients, classical and (if groups) cluster-robust standard errors.

    ``k_absorbed`` counts fixed effects removed by demeaning, so degrees of freedom equal
    those of the regression with dummies (as Stata's ``reg y x i.id`` and statsmodels)."""
    n, k = x.shape
    xtx_inv = np.linalg.inv(x.T @ x)
    beta = xtx_inv @ x.T @ y
    resid = y - x @ beta
    dof = n - k - k_absorbed
    se = np.sqrt(np.diag(xtx_inv) * (resid @ resid) / dof)
    if groups is None:
        return beta, se, se
    labels = np.unique(groups)
    scores_g = np.stack([x[groups == g].T @ resid[groups == g] for g in labels])
    meat = scores_g.T @ scores_g
    g = len(labels)
    adj = g / (g - 1) * (n - 1) / dof
    cluster = np.sqrt(np.diag(xtx_inv @ meat @ xtx_inv) * adj)
    return beta, se, cluster


def _log_positive(scores: pd.DataFrame) -> np.ndarray:
    v = scores.to_numpy(dtype=float)
    if (v <= 0).any() or np.isnan(v).any():
        raise ValueError("β-convergence takes logarithms: scores must be positive and complete "
                         "(use min-max into [0.01, 1] or a TOPSIS index)")
    return np.log(v)


def beta_convergence(scores: pd.DataFrame) -> pd.DataFrame:
    """Absolute β-convergence: average annual growth from the first to the last year
    regressed on the log initial level, g_i = α + β·ln y_i0 + ε_i. β < 0 means poorer
    provinces grow faster; speed λ = −ln(1 + βT) / T, half-life ln 2 / λ."""
    ln = _log_positive(scores)
    span = ln.shape[1] - 1
    growth = (ln[:, -1] - ln[:, 0]) / span
    x = np.column_stack([np.ones(len(ln)), ln[:, 0]])
    beta, se, _ = _ols(x, growth)
    t = beta / se
    dof = len(ln) - 2
    out = pd.DataFrame({"estimate": beta, "se": se, "t": t,
                        "p": 2 * stats.t.sf(np.abs(t), dof)}, index=["alpha", "beta"])
    b = beta[1]
    speed = -np.log(1 + b * span) / span if 1 + b * span > 0 else np.nan
    out.attrs.update({"speed": speed, "half_life": np.log(2) / speed if speed > 0 else np.nan,
                      "n": len(ln), "years": (scores.columns[0], scores.columns[-1])})
    return out


def conditional_beta_convergence(scores: pd.DataFrame, controls: dict[str, pd.DataFrame] | None
                                 = None, year_effects: bool = True) -> pd.DataFrame:
    """Conditional β-convergence on the panel: Δln y_{i,t+1} = β·ln y_{i,t} + γ'X_{i,t}
    + μ_i (+ η_t) + ε, by the within estimator with province (and year) fixed effects.
    Standard errors: classical and clustered by province. ``controls`` are province × year
    tables aligned with ``scores``."""
    ln = _log_positive(scores)
    n, t = ln.shape
    growth = (ln[:, 1:] - ln[:, :-1]).ravel()
    cols = {"beta": ln[:, :-1].ravel()}
    for name, table in (controls or {}).items():
        c = table.reindex(index=scores.index, columns=scores.columns).to_numpy(dtype=float)
        if np.isnan(c[:, :-1]).any():
            raise ValueError(f"control {name!r} has gaps; impute or drop it")
        cols[name] = c[:, :-1].ravel()
    unit = np.repeat(np.arange(n), t - 1)
    year = np.tile(np.arange(t - 1), n)
    x = np.column_stack(list(cols.values()))
    y = growth

    def demean(a: np.ndarray) -> np.ndarray:
        a = a - _group_mean(a, unit)
        if year_effects:  # balanced panel: one sweep each way is exact
            a = a - _group_mean(a, year)
        return a

    xd, yd = demean(x), demean(y)
    absorbed = n + (t - 2 if year_effects else 0)
    beta, se, cl = _ols(xd, yd, groups=unit, k_absorbed=absorbed)
    tt = beta / cl
    out = pd.DataFrame({"estimate": beta, "se": se, "se_cluster": cl, "t": tt,
                        "p": 2 * stats.t.sf(np.abs(tt), n - 1)}, index=list(cols))
    b = beta[0]
    speed = -np.log(1 + b) if 1 + b > 0 else np.nan
    out.attrs.update({"speed": speed, "half_life": np.log(2) / speed if speed > 0 else np.nan,
                      "observations": len(y), "fixed_effects": "province + year" if year_effects
                      else "province"})
    return out


def _group_mean(a: np.ndarray, g: np.ndarray) -> np.ndarray:
    sums = np.zeros((g.max() + 1, *a.shape[1:]))
    np.add.at(sums, g, a)
    counts = np.bincount(g).reshape(-1, *([1] * (a.ndim - 1)))
    return (sums / counts)[g]


def _classes(v: np.ndarray, k: int, fixed: bool) -> tuple[np.ndarray, np.ndarray]:
    """Quantile classes 0..k-1: pooled cut-offs (``fixed``) or per column (year)."""
    q = np.linspace(0, 1, k + 1)[1:-1]
    if fixed:
        cuts = np.quantile(v, q)
        return np.searchsorted(cuts, v, side="left"), cuts
    cuts = np.quantile(v, q, axis=0)  # (k-1, T)
    cls = np.stack([np.searchsorted(cuts[:, j], v[:, j], side="left") for j in range(v.shape[1])],
                   axis=1)
    return cls, cuts


def _transitions(cls: np.ndarray, k: int) -> np.ndarray:
    counts = np.zeros((k, k))
    np.add.at(counts, (cls[:, :-1].ravel(), cls[:, 1:].ravel()), 1)
    return counts


def _probabilities(counts: np.ndarray) -> np.ndarray:
    rows = counts.sum(axis=-1, keepdims=True)
    return np.divide(counts, rows, out=np.zeros_like(counts), where=rows > 0)


def markov(scores: pd.DataFrame, k: int = 4, fixed: bool = True) -> dict:
    """Markov transition matrix over ``k`` quantile classes (pooled cut-offs by default,
    as in PySAL's giddy): counts, probabilities and the steady state."""
    v = scores.to_numpy(dtype=float)
    cls, cuts = _classes(v, k, fixed)
    counts = _transitions(cls, k)
    p = _probabilities(counts)
    vals, vecs = np.linalg.eig(p.T)
    steady = np.abs(vecs[:, np.argmin(np.abs(vals - 1))].real)
    labels = [f"Q{i + 1}" for i in range(k)]
    return {"counts": pd.DataFrame(counts, index=labels, columns=labels),
            "P": pd.DataFrame(p, index=labels, columns=labels),
            "steady_state": pd.Series(steady / steady.sum(), index=labels),
            "cutoffs": cuts, "classes": pd.DataFrame(cls, index=scores.index,
                                                     columns=scores.columns)}


def spatial_markov(scores: pd.DataFrame, k: int = 4, m: int = 4, fixed: bool = True,
                   hainan: str = "guangdong") -> dict:
    """Spatial Markov chain (Rey 2001): transition matrices conditioned on the class of the
    neighbours' average (row-standardised spatial lag) at the start of each transition."""
    v = scores.to_numpy(dtype=float)
    units = [regions.resolve(u).adcode for u in scores.index]
    w = regions.neighbour_matrix(units, hainan=hainan, row_standardise=True)
    lag = w @ v
    cls, cuts = _classes(v, k, fixed)
    lag_cls, lag_cuts = _classes(lag, m, fixed)
    counts = np.zeros((m, k, k))
    np.add.at(counts, (lag_cls[:, :-1].ravel(), cls[:, :-1].ravel(), cls[:, 1:].ravel()), 1)
    labels = [f"Q{i + 1}" for i in range(k)]
    return {"counts": counts, "P": _probabilities(counts), "lag_classes": [
        f"neighbours Q{i + 1}" for i in range(m)], "labels": labels, "cutoffs": cuts,
        "lag_cutoffs": lag_cuts}
