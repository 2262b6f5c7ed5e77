"""Aggregators that penalise unbalanced indicators: the Mazziotta–Pareto index and the
mean-min function, as R's Compind offers them (``ci_mpi``, ``ci_mean_min``).

Both first standardise each indicator to mean 100 and standard deviation 10 over the
reference set (every unit-year with ``scope="panel"``, the units of a year with
``scope="year"``). Values reach them after the recipe's normaliser, direction already
applied; since standardisation removes any affine rescaling, min-max or z-score inputs give
exactly the numbers of standardising the raw indicators with their polarity.

The recipe's weights enter as weighted means (Mazziotta & Pareto 2022, "Weighting in
composite indices construction: the case of the Mazziotta–Pareto Index", RIEDS); with
``weights: {method: equal}`` both reduce to the unweighted published forms.

>>> import numpy as np
>>> v = np.array([[[1.0, 1.0], [2.0, 2.0], [1.0, 3.0]]])   # 1 year, 3 units, 2 indicators
>>> w = np.array([[0.5, 0.5]])
>>> MazziottaPareto(scope="year").aggregate(v, w).round(3).tolist()
[[90.267, 106.604, 101.679]]
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nqpf.index.spec import RecipeError, check_number, check_scope

__all__ = ["SD_KINDS", "MazziottaPareto", "MeanMin", "standardise"]

SD_KINDS = ("population", "sample")
PENALTIES = ("positive", "negative")


def _check_choice(value: object, allowed: tuple[str, ...], name: str) -> None:
    if value not in allowed:
        raise RecipeError(f"{name} must be one of {', '.join(allowed)}, not {value!r}")


def standardise(v: np.ndarray, scope: str, sd: str) -> np.ndarray:
    """100 + 10·(v − mean) / sd per indicator over the reference set (``scope``); sd with
    divisor n (``population``) or n − 1 (``sample``). A constant indicator becomes 100."""
    axes = (-3, -2) if scope == "panel" else (-2,)
    n = np.prod([v.shape[a] for a in axes])
    centred = v - v.mean(axis=axes, keepdims=True)
    s = np.sqrt((centred**2).sum(axis=axes, keepdims=True) / (n - (sd == "sample")))
    return 100.0 + 10.0 * centred / np.where(s > 0, s, 1.0)


def _unit_weights(w: np.ndarray) -> np.ndarray:
    total = w.sum(axis=-1, keepdims=True)
    return w / np.where(total > 0, total, 1.0)


@dataclass(frozen=True)
class MazziottaPareto:
    """Mazziotta–Pareto Index (MPI): a mean of standardised indicators penalised by their
    imbalance (De Muro, Mazziotta & Pareto 2011, Social Indicators Research 104: 1–18;
    Mazziotta & Pareto 2016, Social Indicators Research 127: 983–1003; Compind ``ci_mpi``).

    z_ij = 100 + 10·(x_ij − M_j) / S_j (direction applied by the normaliser), then for each
    unit M_i = Σ_j w_j z_ij, S_i = √(Σ_j w_j (z_ij − M_i)²), cv_i = S_i / M_i and

        MPI_i = M_i − S_i·cv_i   (``penalty="positive"``: an index where higher is better)
        MPI_i = M_i + S_i·cv_i   (``penalty="negative"``: an index where higher is worse,
                                  e.g. poverty)

    ``sd="population"`` (default) divides by n and m as in the papers; ``sd="sample"`` by
    n − 1 and m − 1 (the unit's variance times m/(m − 1)), as Compind's ``normalise_ci`` and
    ``ci_mpi`` compute them with R's ``sd`` and ``var``.
    """

    penalty: str = "positive"
    scope: str = "panel"
    sd: str = "population"

    def __post_init__(self) -> None:
        _check_choice(self.penalty, PENALTIES, "mpi penalty")
        check_scope(self.scope, "mpi scope")
        _check_choice(self.sd, SD_KINDS, "mpi sd")

    def aggregate(self, v: np.ndarray, w: np.ndarray) -> np.ndarray:
        m = v.shape[-1]
        if m < 2:
            raise RecipeError("mpi needs at least two indicators in every node")
        z = standardise(v, self.scope, self.sd)
        wn = _unit_weights(w)
        mean = np.einsum("...uk,...k->...u", z, wn)
        var = np.einsum("...uk,...k->...u", (z - mean[..., None]) ** 2, wn)
        if self.sd == "sample":
            var = var * m / (m - 1)
        s = np.sqrt(var)
        penalty = s * s / mean
        return mean - penalty if self.penalty == "positive" else mean + penalty


@dataclass(frozen=True)
class MeanMin:
    """Mean-min function (Casadio Tarabusi & Guarini 2013, "An unbalance adjustment method for
    development indicators", Social Indicators Research 112: 19–45; Compind ``ci_mean_min``):

        MMF_i = μ_i − α·(√((μ_i − min_j z_ij)² + β²) − β)

    with μ_i = Σ_j w_j z_ij. ``alpha`` in [0, 1] is the intensity of the penalty for imbalance
    (0: the mean; 1 with β = 0: the minimum), ``beta`` ≥ 0 the intensity of complementarity.
    Both are required: the method has no neutral default. ``standardise`` (default true, as
    Compind) first maps each indicator to 100 + 10·z-score over the reference set (``scope``)
    with the sample sd of R (``sd="sample"``); with ``standardise: false`` the values enter as
    the recipe normalised them (e.g. min-max in [0, 1], where β is on that scale).
    """

    alpha: float | None = None
    beta: float | None = None
    standardise: bool = True
    scope: str = "panel"
    sd: str = "sample"

    def __post_init__(self) -> None:
        if self.alpha is None or self.beta is None:
            raise RecipeError("mean-min needs alpha (0–1, the penalty for imbalance) and beta "
                              "(≥ 0, complementarity), e.g. {method: mean-min, alpha: 0.5, "
                              "beta: 1}")
        check_number(self.alpha, "mean-min alpha", minimum=0, maximum=1)
        check_number(self.beta, "mean-min beta", minimum=0)
        if not isinstance(self.standardise, bool):
            raise RecipeError(f"mean-min standardise must be true or false, not "
                              f"{self.standardise!r}")
        check_scope(self.scope, "mean-min scope")
        _check_choice(self.sd, SD_KINDS, "mean-min sd")

    def aggregate(self, v: np.ndarray, w: np.ndarray) -> np.ndarray:
        z = standardise(v, self.scope, self.sd) if self.standardise else v
        mu = np.einsum("...uk,...k->...u", z, _unit_weights(w))
        gap = mu - z.min(axis=-1)
        return mu - self.alpha * (np.sqrt(gap**2 + self.beta**2) - self.beta)
