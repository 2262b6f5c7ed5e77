"""Weights that give each indicator a chosen share of influence on the index, measured as its
correlation with the index (COINr's ``get_opt_weights``, after Becker, Saisana, Paruolo &
Vandecasteele 2017, Ecological Indicators 80: 12–22).

Nominal weights are not importance: an indicator that varies more, or that agrees with the
others, pulls the index more than its weight says. :func:`optimise_weights` searches the
simplex of leaf weights (w ≥ 0, Σw = 1) for the weights whose index correlates with the
indicators as the target asks, minimising the squared distance between achieved and target
correlations with SLSQP (:func:`scipy.optimize.minimize`). Scores come from the result's own
aggregation (:func:`nqpf.index.tree.root_score`), so hierarchy, fixed node weights and
non-linear aggregation are honoured; every step of the search evaluates a batch of weight
vectors (the gradient's central differences) in one vectorised call.

- ``target=None``: balance — every indicator's correlation with the index as equal as
  possible (COINr's ``itarg = "equal"``).
- ``relative=True`` (default, COINr's "balance"): the target is a vector of relative
  importances; achieved correlations are compared as shares c / Σc with t / Σt.
- ``relative=False``: the target is the correlations themselves (e.g. 0.8 for every
  indicator, or one value per indicator).

The weights feed a fixed-weight recipe directly:
``Recipe(..., weights={"method": "fixed", "weights": w.to_dict()})``.

>>> from nqpf.index import Recipe
>>> result = Recipe("innovation").build()
>>> w = optimise_weights(result)
>>> bool(abs(w.sum() - 1) < 1e-9 and (w >= 0).all())
True
>>> fixed = Recipe("innovation", weights={"method": "fixed", "weights": w.to_dict()}).build()
>>> c = index_correlations(fixed)
>>> bool(c.std() < index_correlations(result).std())
True
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from scipy.optimize import minimize

from nqpf.analysis._common import year_index
from nqpf.index.result import IndexResult
from nqpf.index.tree import root_score

__all__ = ["index_correlations", "optimise_weights"]


class _Problem:
    """Correlations of the indicators with the index, for batches of leaf weights."""

    def __init__(self, result: IndexResult, year: int | None):
        if getattr(result, "unit_weights", None) is not None:
            raise ValueError("Benefit-of-the-Doubt scores do not use the recipe's weights: there "
                             "is nothing to optimise; choose another aggregation")
        self.result = result
        self.t = None if year is None else year_index(result, year)
        z = self._obs(result.normalised[None])[0]  # (n, K)
        zc = z - z.mean(axis=0)
        norm = np.sqrt((zc**2).sum(axis=0))
        if (norm == 0).any():
            flat = [i for i, n in zip(result.indicators, norm, strict=True) if n == 0]
            raise ValueError(f"constant indicator(s) {', '.join(flat)}: no correlation to target")
        self.zs = zc / norm

    def _obs(self, cube: np.ndarray) -> np.ndarray:
        """(B, Y, U, ...) → (B, n, ...) observations: pooled panel or one year."""
        if self.t is None:
            return cube.reshape(cube.shape[0], -1, *cube.shape[3:])
        return cube[:, self.t]

    def correlations(self, w: np.ndarray) -> np.ndarray:
        """(B, K) leaf weights → (B, K) Pearson correlations of each indicator with the index."""
        r = self.result
        wy = np.broadcast_to(w[:, None, :], (len(w), len(r.years), w.shape[-1]))
        s = self._obs(root_score(r.framework.root, r.normalised, wy, list(r.indicators),
                                 r.recipe.aggregation))  # (B, n)
        sc = s - s.mean(axis=1, keepdims=True)
        norm = np.sqrt((sc**2).sum(axis=1, keepdims=True))
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.einsum("bn,nk->bk", sc / norm, self.zs)


def _target(target: object, inds: list[str], relative: bool) -> np.ndarray:
    k = len(inds)
    if target is None:
        t = np.ones(k)
    elif isinstance(target, int | float) and not isinstance(target, bool):
        t = np.full(k, float(target))
    elif isinstance(target, Mapping | pd.Series):
        missing = [i for i in inds if i not in target]
        extra = [i for i in target if i not in inds]
        if missing or extra:
            raise ValueError(f"target: {'no value for ' + ', '.join(missing) if missing else ''}"
                             f"{'; ' if missing and extra else ''}"
                             f"{'unknown indicator(s) ' + ', '.join(map(str, extra)) if extra else ''}"
                             f"; the indicators are {', '.join(inds)}")
        t = np.array([float(target[i]) for i in inds])
    elif isinstance(target, Sequence | np.ndarray) and not isinstance(target, str):
        t = np.asarray(target, dtype=float)
        if t.shape != (k,):
            raise ValueError(f"target: {k} values (one per indicator: {', '.join(inds)}), not "
                             f"{t.shape}")
    else:
        raise ValueError(f"target: None, a number, or one value per indicator, not {target!r:.60}")
    if not np.isfinite(t).all():
        raise ValueError("target: finite numbers")
    if relative and ((t < 0).any() or t.sum() <= 0):
        raise ValueError("target: relative importances are non-negative and not all zero")
    if not relative and (np.abs(t) > 1).any():
        raise ValueError("target: correlations lie in [−1, 1]")
    return t


def index_correlations(result: IndexResult, weights: Mapping[str, float] | pd.Series | None = None,
                       year: int | None = None) -> pd.Series:
    """Pearson correlation of each normalised indicator with the index, over every
    province-year (``year=None``) or one year, under leaf ``weights`` (default: the index as
    built).

    >>> from nqpf.index import Recipe
    >>> c = index_correlations(Recipe("innovation").build(), year=2023)
    >>> bool(0.5 < c["rd_intensity"] <= 1)
    True
    """
    prob = _Problem(result, year)
    inds = list(result.indicators)
    if weights is None:
        s = prob._obs(result.scores[result.root][None])[0]
        sc = s - s.mean()
        c = (sc / np.sqrt((sc**2).sum())) @ prob.zs
    else:
        w = np.array([float(weights[i]) for i in inds])
        c = prob.correlations(w[None])[0]
    return pd.Series(c, index=pd.Index(inds, name="indicator"), name="r_index")


def optimise_weights(result: IndexResult,
                     target: float | Mapping[str, float] | Sequence[float] | None = None, *,
                     relative: bool = True, year: int | None = None, maxiter: int = 500,
                     tol: float = 1e-14) -> pd.Series:
    """Leaf weights (summing to 1, non-negative) whose index correlates with the indicators
    as ``target`` asks; see the module docstring. Correlations are over every province-year
    (``year=None``) or one year's provinces.

    The returned series' ``attrs`` hold the target, the achieved correlations (``"r"``), the
    loss (squared distance to the target), the loss of equal weights and of the result's own
    weights, and the optimiser's status.

    >>> from nqpf.index import Recipe
    >>> w = optimise_weights(Recipe("innovation").build(), {"rd_intensity": 2,
    ...     "fiscal_st_share": 1, "basic_research_share": 1, "invention_patents_per_gdp": 1,
    ...     "patents_per_gdp": 1, "tech_market_gdp": 1, "hitech_revenue_gdp": 1,
    ...     "enterprise_rd_share": 1})
    >>> bool(w.attrs["loss"] < w.attrs["loss_equal"])
    True
    """
    inds = list(result.indicators)
    k = len(inds)
    t = _target(target, inds, relative)
    prob = _Problem(result, year)
    goal = t / t.sum() if relative else t

    def loss(w: np.ndarray) -> np.ndarray:  # (B, K) → (B,)
        c = prob.correlations(w)
        if relative:
            total = c.sum(axis=1, keepdims=True)
            with np.errstate(invalid="ignore", divide="ignore"):
                c = c / total
        out = ((c - goal) ** 2).sum(axis=1)
        return np.where(np.isfinite(out), out, 1e6)

    h = 1e-6

    def fun(w: np.ndarray) -> float:
        return float(loss(w[None])[0])

    def jac(w: np.ndarray) -> np.ndarray:
        eye = np.eye(k)
        up, down = np.minimum(w + h * eye, 1.0), np.maximum(w - h * eye, 0.0)
        f = loss(np.vstack([up, down]))
        step = (up - down)[np.arange(k), np.arange(k)]
        return (f[:k] - f[k:]) / np.where(step > 0, step, 1.0)

    equal = np.full(k, 1.0 / k)
    own = result.leaf_weights.mean(axis=0)
    own = own / own.sum()
    starts = [equal, own]
    if relative and target is not None:
        starts.append(goal.copy())
    best = None
    for x0 in starts:
        res = minimize(fun, x0, jac=jac, method="SLSQP", bounds=[(0.0, 1.0)] * k,
                       constraints=[{"type": "eq", "fun": lambda w: w.sum() - 1.0,
                                     "jac": lambda w: np.ones_like(w)}],
                       options={"maxiter": maxiter, "ftol": tol})
        if best is None or res.fun < best.fun:
            best = res
    w = np.clip(best.x, 0.0, None)
    w = w / w.sum()
    out = pd.Series(w, index=pd.Index(inds, name="indicator"), name="weight")
    achieved = prob.correlations(w[None])[0]
    out.attrs.update({
        "target": dict(zip(inds, goal.tolist(), strict=True)), "relative": relative,
        "r": dict(zip(inds, achieved.tolist(), strict=True)), "loss": fun(w),
        "loss_equal": fun(equal), "loss_own": fun(own), "success": bool(best.success),
        "message": str(best.message), "year": year})
    return out
