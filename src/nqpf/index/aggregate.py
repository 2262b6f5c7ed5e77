"""Aggregators: combine values into a node's score.

``aggregate(v, w)`` takes values (..., year, unit, column) and weights (..., year, column)
that sum to 1, and returns scores (..., year, unit).

A recipe's aggregation method is applied in one of two forms (see :mod:`nqpf.index.tree`):

- **tree** (``arithmetic``, ``geometric``, ``topsis-tree``): at every node of the framework,
  over the node's children (sub-dimension scores, or indicators);
- **flat** (``topsis``, ``bod``, ``mpi``, ``wroclaw``, ``mean-min``): once over all the
  indicators for the index, and once over each node's own indicators for that node's score.

``topsis`` is the flat form of the entropy-TOPSIS literature; before this distinction it meant
the tree form, now ``topsis-tree``.

>>> import numpy as np
>>> v = np.array([[[0.0, 1.0], [1.0, 1.0]]]); w = np.array([[0.5, 0.5]])
>>> Arithmetic().aggregate(v, w).tolist()
[[0.5, 1.0]]
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nqpf.index.bod import BenefitOfTheDoubt
from nqpf.index.penalised import MazziottaPareto, MeanMin
from nqpf.index.spec import RecipeError, check_number, check_scope, make_step

__all__ = ["AGGREGATORS", "FLAT", "Arithmetic", "BenefitOfTheDoubt",
           "Geometric", "MazziottaPareto", "MeanMin", "Topsis", "Wroclaw", "is_flat",
           "make_aggregator"]


@dataclass(frozen=True)
class Arithmetic:
    """Weighted arithmetic mean Σ w_c v_c (fully compensatory)."""

    def aggregate(self, v: np.ndarray, w: np.ndarray) -> np.ndarray:
        return np.einsum("...uc,...c->...u", v, w)


@dataclass(frozen=True)
class Geometric:
    """Weighted geometric mean Π v_c^w_c (partly compensatory).

    Needs positive values: min-max zeros raise, unless ``shift`` > 0 is given; the score is
    then the weighted geometric mean of the shifted values v_c + shift."""

    shift: float = 0.0

    def __post_init__(self) -> None:
        check_number(self.shift, "geometric shift", minimum=0)

    def aggregate(self, v: np.ndarray, w: np.ndarray) -> np.ndarray:
        x = v + self.shift
        if (x <= 0).any():
            raise RecipeError("geometric aggregation needs positive values; min-max normalisation "
                             "gives zeros — set a shift (e.g. aggregation: {method: geometric, "
                             "shift: 0.01}) or normalise into [0.01, 1]")
        return np.exp(np.einsum("...uc,...c->...u", np.log(x), w))


@dataclass(frozen=True)
class Topsis:
    """TOPSIS closeness D⁻ / (D⁺ + D⁻) on weighted values w_c·v_c (Hwang & Yoon 1981).

    D⁺ and D⁻ are the Euclidean distances of a unit's weighted values to the ideal (best
    weighted value of each column) and anti-ideal (worst) points. These are taken over the
    whole panel (every year and unit) by default, so scores are comparable across years;
    ``scope="year"`` takes them per year, as a cross-section TOPSIS run year by year. A unit
    with D⁺ + D⁻ = 0 (every unit alike) scores 0.5.
    """

    scope: str = "panel"

    def __post_init__(self) -> None:
        check_scope(self.scope, "topsis scope")

    def aggregate(self, v: np.ndarray, w: np.ndarray) -> np.ndarray:
        if self.scope == "year":
            # With w ≥ 0 constant over units, the per-year ideal of w·v is w·max(v), so
            # D² = Σ_c w_c² (v_c − ideal_c)²: a matrix product that lets one array of values
            # meet a whole batch of weights without forming their product.
            w2 = (w**2)[..., :, None]
            d_plus = np.sqrt((v - v.max(axis=-2, keepdims=True)) ** 2 @ w2)[..., 0]
            d_minus = np.sqrt((v - v.min(axis=-2, keepdims=True)) ** 2 @ w2)[..., 0]
        elif self.scope == "panel":
            x = v * w[..., None, :]
            best = x.max(axis=(-3, -2), keepdims=True)
            worst = x.min(axis=(-3, -2), keepdims=True)
            d_plus = np.sqrt(((x - best) ** 2).sum(axis=-1))
            d_minus = np.sqrt(((x - worst) ** 2).sum(axis=-1))
        else:
            raise RecipeError(f"scope must be 'panel' or 'year', not {self.scope!r}")
        total = d_plus + d_minus
        return np.where(total > 0, d_minus / np.where(total > 0, total, 1.0), 0.5)


@dataclass(frozen=True)
class Wroclaw:
    """Wroclaw taxonomic method (Hellwig's measure of development; UNESCO 1974; Mazziotta,
    Mazziotta, Pareto & Vidoli 2010; Compind ``ci_wroclaw``).

    The ideal unit takes each column's best value over the reference set (``scope``: every
    unit-year, or the units of a year). A unit's distance to it is
    c_i = √(Σ_j w_j (v_ij − ideal_j)²) (the weights themselves, not their squares as in
    TOPSIS's weighted values), and with c₀ = mean(c) + 2·sd(c) over the reference set
    (sample sd, as R's ``var``) the score is 1 − c_i / c₀: higher is better, as for every
    other aggregator. Compind's ``ci_wroclaw_est`` is the distance ratio c_i / c₀ itself
    (lower is better), i.e. 1 − this score; with equal weights the two agree exactly (the
    ratio does not depend on a common factor in the weights). Compind applies it to the
    values as given; here they are the recipe's normalised values (``zscore`` for the
    classical standardised form).
    """

    scope: str = "panel"

    def __post_init__(self) -> None:
        check_scope(self.scope, "wroclaw scope")

    def aggregate(self, v: np.ndarray, w: np.ndarray) -> np.ndarray:
        axes = (-3, -2) if self.scope == "panel" else (-2,)
        ideal = v.max(axis=axes, keepdims=True)
        total = w.sum(axis=-1, keepdims=True)
        wn = w / np.where(total > 0, total, 1.0)
        c = np.sqrt(np.einsum("...uk,...k->...u", (v - ideal) ** 2, wn))
        c_axes = (-2, -1) if self.scope == "panel" else (-1,)
        c0 = c.mean(axis=c_axes, keepdims=True) + 2 * c.std(axis=c_axes, ddof=1, keepdims=True)
        return 1.0 - c / np.where(c0 > 0, c0, 1.0)


AGGREGATORS = {"arithmetic": Arithmetic, "geometric": Geometric, "topsis": Topsis,
               "topsis-tree": Topsis, "bod": BenefitOfTheDoubt, "mpi": MazziottaPareto,
               "wroclaw": Wroclaw, "mean-min": MeanMin}

#: Recipe methods applied once over a node's indicators (not node by node over children).
FLAT = frozenset({"topsis", "bod", "mpi", "wroclaw", "mean-min"})

def is_flat(spec: dict) -> bool:
    """True if a recipe's aggregation ``{"method": ...}`` is applied in the flat form."""
    return spec.get("method", "arithmetic") in FLAT


def make_aggregator(method: str = "arithmetic", **options):
    """An aggregator from its name and options: ``make_aggregator("geometric", shift=0.01)``.

    ``topsis`` and ``topsis-tree`` make the same :class:`Topsis`; the name decides the form
    in which :func:`nqpf.index.tree.aggregate_index` applies it."""
    return make_step("aggregation", AGGREGATORS, method, options)
