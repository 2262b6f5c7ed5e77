"""Aggregators: combine children's values into a node's score.

``aggregate(v, w)`` takes values (..., year, unit, child) and weights (..., year, child)
that sum to 1, and returns scores (..., year, unit).

>>> import numpy as np
>>> v = np.array([[[0.0, 1.0], [1.0, 1.0]]]); w = np.array([[0.5, 0.5]])
>>> Arithmetic().aggregate(v, w).tolist()
[[0.5, 1.0]]
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nqpf.index.spec import RecipeError, check_number, check_scope, make_step

__all__ = ["AGGREGATORS", "Arithmetic", "Geometric", "Topsis", "make_aggregator"]


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
    """TOPSIS closeness D⁻ / (D⁺ + D⁻) on weighted values w_c·v_c.

    The ideal and anti-ideal points are taken over the whole panel (every year and unit)
    by default, so scores are comparable across years; ``scope="year"`` takes them per year.
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


AGGREGATORS = {"arithmetic": Arithmetic, "geometric": Geometric, "topsis": Topsis}


def make_aggregator(method: str = "arithmetic", **options):
    """An aggregator from its name and options: ``make_aggregator("geometric", shift=0.01)``."""
    return make_step("aggregation", AGGREGATORS, method, options)
