"""Benefit of the Doubt (BoD): each unit's score under the weights most favourable to it.

The composite-indicator form of DEA (Melyn & Moesen 1991; Cherchye, Moesen, Rogge & Van
Puyenbroeck 2007, "An introduction to 'benefit of the doubt' composite indicators", Social
Indicators Research 82: 111–145), as R's Compind computes it in ``ci_bod`` (output-oriented
CRS DEA with a unit input) and ``ci_bod_constr`` (with bounds on each indicator's share).
For unit i with (non-negative, normalised) indicator values y_i, one linear programme:

    max_w  Σ_j w_j y_ij
    s.t.   Σ_j w_j y_kj ≤ 1            for every unit k of the reference set
           w_j ≥ 0
           L ≤ w_j y_ij / Σ_k w_k y_ik ≤ U   (share bounds, ``min_share`` L, ``max_share`` U)

The score lies in [0, 1]; 1 means no weighting puts another unit ahead. The share bounds are
Cherchye et al.'s (2007) "pie share" restrictions and Compind's ``low_w`` / ``up_w``: each
indicator's share of the unit's own score stays between L and U (linear in w:
L·Σ_k w_k y_ik − w_j y_ij ≤ 0 and w_j y_ij − U·Σ_k w_k y_ik ≤ 0).

The reference set is every unit-year of the panel (``scope="panel"``, a common frontier, so
scores are comparable across years) or the units of the same year (``scope="year"``, Compind
run year by year). Units dominated on every indicator by another unit of the reference set add
no binding constraint (w ≥ 0), so they are left out of the constraints before solving; each
programme is solved by HiGHS through :func:`scipy.optimize.linprog`.

>>> import numpy as np
>>> y = np.array([[[1.0, 0.2], [0.2, 1.0], [0.5, 0.5]]])   # 1 year, 3 units, 2 indicators
>>> scores, w = BenefitOfTheDoubt().solve(y)
>>> scores.round(4).tolist()                               # the third: 0.5 · 2 / 1.2
[[1.0, 1.0, 0.8333]]
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import linprog

from nqpf.index.spec import RecipeError, check_number, check_scope

__all__ = ["BenefitOfTheDoubt"]

#: HiGHS tolerances: tighter than the defaults (1e-7), so that scores agree with any other
#: exact formulation to ~1e-12.
LP_OPTIONS = {"primal_feasibility_tolerance": 1e-10, "dual_feasibility_tolerance": 1e-10}


def undominated(y: np.ndarray) -> np.ndarray:
    """Mask of the rows of ``y`` (n, K) that no other row weakly exceeds everywhere and
    strictly somewhere (identical rows are all kept)."""
    ge = (y[:, None, :] >= y[None, :, :]).all(axis=-1)
    gt = (y[:, None, :] > y[None, :, :]).any(axis=-1)
    return ~(ge & gt).any(axis=0)


@dataclass(frozen=True)
class BenefitOfTheDoubt:
    """Benefit-of-the-Doubt scores (one LP per unit and year); see the module docstring.

    ``scope``: reference set, ``panel`` (default) or ``year``. ``min_share`` /
    ``max_share``: bounds on every indicator's share of a unit's score (0 and 1: plain BoD).
    The recipe's weighting step does not enter the scores: BoD chooses each unit's weights.
    """

    scope: str = "panel"
    min_share: float = 0.0
    max_share: float = 1.0

    def __post_init__(self) -> None:
        check_scope(self.scope, "bod scope")
        lo = check_number(self.min_share, "bod min_share", minimum=0, maximum=1)
        hi = check_number(self.max_share, "bod max_share", minimum=0, maximum=1)
        if lo > hi:
            raise RecipeError(f"bod min_share must not exceed max_share, not {lo:g} > {hi:g}")

    @property
    def constrained(self) -> bool:
        return self.min_share > 0 or self.max_share < 1

    def check_columns(self, m: int, where: str = "") -> None:
        """Share bounds that m shares summing to 1 cannot meet leave only the zero solution."""
        if m * self.min_share > 1 + 1e-12 or m * self.max_share < 1 - 1e-12:
            raise RecipeError(
                f"bod share bounds [{self.min_share:g}, {self.max_share:g}] cannot hold for "
                f"{m} indicator{'s' if m != 1 else ''}{' of ' + where if where else ''} (their "
                f"shares sum to 1: need min_share ≤ {1 / m:.4g} ≤ max_share)")

    def solve(self, v: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Scores (..., Y, U) and each unit's optimal weights (..., Y, U, K) for values
        (..., Y, U, K) ≥ 0. Weights are one optimum (HiGHS's): they need not be unique."""
        v = np.asarray(v, dtype=float)
        if not np.isfinite(v).all() or (v < 0).any():
            raise RecipeError("bod needs finite, non-negative normalised values; use minmax, "
                              "vector, rank, goalposts or target normalisation (not zscore)")
        self.check_columns(v.shape[-1])
        scores = np.zeros(v.shape[:-1])
        weights = np.zeros(v.shape)
        for lead in np.ndindex(*v.shape[:-3]):
            block = v[lead]
            sets = [block.reshape(-1, block.shape[-1])] if self.scope == "panel" else list(block)
            s, w = zip(*(self._solve_set(y) for y in sets), strict=True)
            scores[lead] = np.concatenate(s).reshape(block.shape[:-1])
            weights[lead] = np.concatenate(w).reshape(block.shape)
        return scores, weights

    def _solve_set(self, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """One reference set: units (n, K) → scores (n,), weights (n, K)."""
        n, k = y.shape
        ref = y[undominated(y)]
        ones = np.ones(len(ref))
        eye = np.eye(k)
        scores, weights = np.zeros(n), np.zeros((n, k))
        for i in range(n):
            yi = y[i]
            if not (yi > 0).any():
                continue  # no weights can give it a positive score
            rows, rhs = [ref], [ones]
            if self.min_share > 0:
                rows.append(self.min_share * yi[None, :] - eye * yi[:, None])
                rhs.append(np.zeros(k))
            if self.max_share < 1:
                rows.append(eye * yi[:, None] - self.max_share * yi[None, :])
                rhs.append(np.zeros(k))
            res = linprog(-yi, A_ub=np.vstack(rows), b_ub=np.concatenate(rhs), bounds=(0, None),
                          method="highs", options=LP_OPTIONS)
            if res.status != 0:
                raise RuntimeError(f"bod: the linear programme of unit {i} failed: {res.message}")
            weights[i] = res.x
            scores[i] = float(np.clip(-res.fun, 0.0, 1.0)) + 0.0  # no -0.0
        return scores, weights

    def aggregate(self, v: np.ndarray, w: np.ndarray) -> np.ndarray:
        """Scores shaped like the other aggregators' (the weights ``w`` are not used)."""
        scores, _ = self.solve(v)
        shape = np.broadcast_shapes(scores.shape, (*np.shape(w)[:-2], *scores.shape[-2:]))
        return np.broadcast_to(scores, shape)
