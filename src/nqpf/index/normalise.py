"""Normalisers: put indicators on a common, direction-adjusted scale.

Every normaliser takes an array shaped (..., year, unit, indicator) and a direction per
indicator (+1 benefit, -1 cost) and returns an array of the same shape where higher is
better. Direction is handled here and nowhere else. ``scope="panel"`` (default) pools all
years so that levels stay comparable over time; ``scope="year"`` normalises each year alone.

>>> import numpy as np
>>> x = np.array([[[1.0, 10.0], [3.0, 30.0]]])        # 1 year, 2 units, 2 indicators
>>> MinMax().transform(x, np.array([1, -1]))[0].tolist()
[[0.0, 1.0], [1.0, 0.0]]
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
from scipy import stats

from nqpf.index.spec import RecipeError, check_number, check_scope, make_step

__all__ = ["NORMALISERS", "DistanceToTarget", "Goalposts", "MinMax", "Rank", "Vector", "ZScore",
           "make_normaliser"]


def _axes(scope: str) -> tuple[int, ...]:
    check_scope(scope)
    return (-3, -2) if scope == "panel" else (-2,)


def _oriented(x: np.ndarray, directions: np.ndarray) -> np.ndarray:
    return x * np.asarray(directions, dtype=float)


@dataclass(frozen=True)
class MinMax:
    """(x − min) / (max − min) for benefits, (max − x) / (max − min) for costs, in [lo, hi].

    A constant indicator (max = min) is set to ``hi`` for every unit, so it carries no
    information into data-driven weights rather than dividing by zero.
    """

    scope: str = "panel"
    lo: float = 0.0
    hi: float = 1.0

    def __post_init__(self) -> None:
        check_scope(self.scope, "minmax scope")
        lo, hi = check_number(self.lo, "minmax lo"), check_number(self.hi, "minmax hi")
        if lo >= hi:
            raise RecipeError(f"minmax lo must be below hi, not lo={lo:g}, hi={hi:g}")

    def transform(self, x: np.ndarray, directions: np.ndarray) -> np.ndarray:
        ax = _axes(self.scope)
        z = _oriented(x, directions)
        mn = z.min(axis=ax, keepdims=True)
        rng = z.max(axis=ax, keepdims=True) - mn
        safe = np.where(rng > 0, rng, 1.0)
        unit = np.where(rng > 0, (z - mn) / safe, 1.0)
        return self.lo + (self.hi - self.lo) * unit


@dataclass(frozen=True)
class ZScore:
    """(x − mean) / sd (sample sd), sign-flipped for costs; optionally shifted by ``offset``."""

    scope: str = "panel"
    offset: float = 0.0

    def __post_init__(self) -> None:
        check_scope(self.scope, "zscore scope")
        check_number(self.offset, "zscore offset")

    def transform(self, x: np.ndarray, directions: np.ndarray) -> np.ndarray:
        ax = _axes(self.scope)
        z = _oriented(x, directions)
        sd = z.std(axis=ax, ddof=1, keepdims=True)
        sd = np.where(sd > 0, sd, 1.0)
        return (z - z.mean(axis=ax, keepdims=True)) / sd + self.offset


@dataclass(frozen=True)
class Vector:
    """Vector normalisation, TOPSIS's own (Hwang & Yoon 1981): x / √Σx² over the units of a
    year (``scope="year"``) or over the whole panel, and 1 − x / √Σx² for costs.

    The cost form is pymcdm's ``vector_normalization``: it reflects the column, which leaves
    every distance between units (and so TOPSIS closeness) as in the textbook, where costs
    keep x / √Σx² and take the minimum as the ideal. Meant for non-negative indicators.

    >>> import numpy as np
    >>> x = np.array([[[3.0], [4.0]]])                    # 1 year, 2 units, 1 indicator
    >>> Vector().transform(x, np.array([1]))[0, :, 0].tolist()
    [0.6, 0.8]
    """

    scope: str = "panel"

    def __post_init__(self) -> None:
        check_scope(self.scope, "vector scope")

    def transform(self, x: np.ndarray, directions: np.ndarray) -> np.ndarray:
        norm = np.sqrt((x**2).sum(axis=_axes(self.scope), keepdims=True))
        r = x / np.where(norm > 0, norm, 1.0)
        return np.where(np.asarray(directions, dtype=float) > 0, r, 1.0 - r)


@dataclass(frozen=True)
class Rank:
    """Percentile rank within each year (ties share the average rank), in (0, 1]."""

    scope: str = "year"

    def __post_init__(self) -> None:
        check_scope(self.scope, "rank scope")

    def transform(self, x: np.ndarray, directions: np.ndarray) -> np.ndarray:
        z = _oriented(x, directions)
        if self.scope == "year":
            r = stats.rankdata(z, axis=-2)
            return r / z.shape[-2]
        _axes(self.scope)
        shape = z.shape
        flat = z.reshape(*shape[:-3], shape[-3] * shape[-2], shape[-1])
        r = stats.rankdata(flat, axis=-2) / flat.shape[-2]
        return r.reshape(shape)


@dataclass(frozen=True)
class Goalposts:
    """Distance between goalposts: (x − lower) / (upper − lower), clipped to [0, 1].

    ``goalposts`` maps indicator position → (lower, upper) in raw units (for a cost the
    "upper" goalpost is the bad end). Indicators without goalposts use the panel's 5th and
    95th percentiles.
    """

    goalposts: dict[int, tuple[float, float]] = field(default_factory=dict)
    percentiles: tuple[float, float] = (5.0, 95.0)

    def __post_init__(self) -> None:
        for k, pair in _mapping(self.goalposts, "goalposts").items():
            if isinstance(pair, str) or not hasattr(pair, "__len__") or len(pair) != 2:
                raise RecipeError(f"goalposts for {k!r} must be [lower, upper], not {pair!r}")
            a, b = (check_number(v, f"goalposts for {k!r}") for v in pair)
            if a == b:
                raise RecipeError(f"goalposts for {k!r} must differ, not {a:g} and {b:g}")
        p = self.percentiles
        if isinstance(p, str) or not hasattr(p, "__len__") or len(p) != 2:
            raise RecipeError(f"goalposts percentiles must be [low, high], not {p!r}")
        lo, hi = (check_number(v, "goalposts percentiles", minimum=0, maximum=100) for v in p)
        if lo >= hi:
            raise RecipeError(f"goalposts percentiles must rise, not {lo:g}, {hi:g}")

    def transform(self, x: np.ndarray, directions: np.ndarray) -> np.ndarray:
        d = np.asarray(directions, dtype=float)
        lo = np.nanpercentile(x, self.percentiles[0], axis=(-3, -2), keepdims=True)
        hi = np.nanpercentile(x, self.percentiles[1], axis=(-3, -2), keepdims=True)
        for k, (a, b) in self.goalposts.items():
            lo[..., k], hi[..., k] = a, b
        lo, hi = np.where(d > 0, lo, hi), np.where(d > 0, hi, lo)
        span = np.where(hi != lo, hi - lo, 1.0)
        return np.clip((x - lo) / span, 0.0, 1.0)


@dataclass(frozen=True)
class DistanceToTarget:
    """x / target for benefits, target / x for costs, capped at 1 (target met)."""

    targets: dict[int, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for k, v in _mapping(self.targets, "targets").items():
            check_number(v, f"target for {k!r}", positive=True)

    def transform(self, x: np.ndarray, directions: np.ndarray) -> np.ndarray:
        d = np.asarray(directions, dtype=float)
        t = np.nanmax(x, axis=(-3, -2), keepdims=True).copy()
        low = np.nanmin(x, axis=(-3, -2), keepdims=True)
        t = np.where(d > 0, t, low)
        for k, v in self.targets.items():
            t[..., k] = v
        with np.errstate(divide="ignore", invalid="ignore"):
            r = np.where(d > 0, x / t, t / x)
        return np.clip(np.nan_to_num(r, nan=0.0, posinf=1.0), 0.0, 1.0)


NORMALISERS = {"minmax": MinMax, "zscore": ZScore, "rank": Rank, "goalposts": Goalposts,
               "target": DistanceToTarget, "vector": Vector}


def _mapping(value: object, name: str) -> Mapping:
    if not isinstance(value, Mapping):
        raise RecipeError(f"{name} must be a mapping of indicator id → value, not {value!r:.80}")
    return value


def make_normaliser(method: str = "minmax", **options):
    """A normaliser from its name and options: ``make_normaliser("minmax", scope="year")``."""
    return make_step("normalisation", NORMALISERS, method, options)
