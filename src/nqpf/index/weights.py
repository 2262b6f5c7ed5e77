"""Weighters: one weight per indicator, from the data or from the user.

Every weighter has ``weigh(z, raw, indicators)`` where ``z`` is the normalised array
(..., year, unit, indicator), ``raw`` the same cells before normalisation and
``indicators`` their ids; it returns weights shaped (..., year, indicator) that sum to 1
over indicators. Panel-wide ("global") weights are the same in every year; ``scope="year"``
re-estimates them per year (levels are then not comparable across years).

>>> import numpy as np
>>> z = np.array([[[0.0, 0.5], [0.5, 0.5], [1.0, 0.5]]])   # 1 year, 3 units, 2 indicators
>>> Entropy().weigh(z, z, ["a", "b"])[0].round(4).tolist()
[1.0, 0.0]
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from nqpf.index.spec import RecipeError, check_number, check_scope, make_step

__all__ = [
    "AHP",
    "CRITIC",
    "PCA",
    "WEIGHTERS",
    "CoefficientOfVariation",
    "Entropy",
    "Equal",
    "Fixed",
    "Product",
    "ahp_weights",
    "make_weighter",
]

#: Saaty's random consistency index RI for n = 1 … 15.
RANDOM_INDEX = (0.0, 0.0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49, 1.51, 1.48, 1.56, 1.57,
                1.59)


def pool_observations(a: np.ndarray, scope: str) -> np.ndarray:
    """Observations axis for estimation: (..., Y, n_obs, K) with n_obs = Y·U or U."""
    if scope == "panel":
        s = a.shape
        pooled = a.reshape(*s[:-3], 1, s[-3] * s[-2], s[-1])
        return pooled
    if scope == "year":
        return a
    raise RecipeError(f"scope must be 'panel' or 'year', not {scope!r}")


def _per_year(w: np.ndarray, z: np.ndarray) -> np.ndarray:
    """Broadcast (..., 1 or Y, K) weights to (..., Y, K)."""
    return np.broadcast_to(w, (*z.shape[:-2], z.shape[-1])).copy()


def _normalise(w: np.ndarray) -> np.ndarray:
    total = w.sum(axis=-1, keepdims=True)
    return w / np.where(total > 0, total, 1.0)


def sd_and_correlation(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sample sd (..., K) and Pearson correlation (..., K, K) over the observation axis -2
    (a constant indicator gets sd 0 and correlation 0 with the others)."""
    n = x.shape[-2]
    centred = x - x.mean(axis=-2, keepdims=True)
    sd = np.sqrt((centred**2).sum(axis=-2) / (n - 1))
    std = centred / np.where(sd > 0, sd, 1.0)[..., None, :]
    return sd, np.einsum("...ij,...ik->...jk", std, std) / (n - 1)


def _year_warning(scope: str, method: str) -> None:
    if scope == "year":
        warnings.warn(f"{method} weights re-estimated per year: index levels are not comparable "
                      "across years", UserWarning, stacklevel=3)


@dataclass(frozen=True)
class Equal:
    def weigh(self, z: np.ndarray, raw: np.ndarray, indicators: list[str]) -> np.ndarray:
        return np.full((*z.shape[:-2], z.shape[-1]), 1.0 / z.shape[-1])


@dataclass(frozen=True)
class Entropy:
    """Entropy weights. p = (z + shift) / Σ(z + shift) over the pooled observations,
    e = −Σ p ln p / ln m, w ∝ 1 − e. ``shift`` keeps min-max zeros out of the logarithm
    (the usual 0.0001 of the NQPF literature); it is added to every cell alike."""

    scope: str = "panel"
    shift: float = 1e-4

    def __post_init__(self) -> None:
        check_scope(self.scope, "entropy scope")
        check_number(self.shift, "entropy shift", minimum=0)

    def weigh(self, z: np.ndarray, raw: np.ndarray, indicators: list[str]) -> np.ndarray:
        _year_warning(self.scope, "entropy")
        x = pool_observations(z, self.scope) + self.shift
        if (x < 0).any():
            raise RecipeError("entropy weights need non-negative normalised values; use min-max "
                             "normalisation or a larger shift")
        m = x.shape[-2]
        p = x / x.sum(axis=-2, keepdims=True)
        plogp = np.where(p > 0, p * np.log(np.where(p > 0, p, 1.0)), 0.0)
        e = -plogp.sum(axis=-2) / np.log(m)
        return _per_year(_normalise(1.0 - e), z)


@dataclass(frozen=True)
class CRITIC:
    """CRITIC (Diakoulaki et al. 1995): w ∝ sd_j · Σ_k (1 − r_jk) on the normalised data."""

    scope: str = "panel"

    def __post_init__(self) -> None:
        check_scope(self.scope, "critic scope")

    def weigh(self, z: np.ndarray, raw: np.ndarray, indicators: list[str]) -> np.ndarray:
        _year_warning(self.scope, "CRITIC")
        sd, r = sd_and_correlation(pool_observations(z, self.scope))
        c = sd * (1.0 - r).sum(axis=-1)
        return _per_year(_normalise(c), z)


@dataclass(frozen=True)
class CoefficientOfVariation:
    """w ∝ sd / |mean| of each indicator in its own units (before normalisation)."""

    scope: str = "panel"

    def __post_init__(self) -> None:
        check_scope(self.scope, "cv scope")

    def weigh(self, z: np.ndarray, raw: np.ndarray, indicators: list[str]) -> np.ndarray:
        _year_warning(self.scope, "coefficient-of-variation")
        x = pool_observations(raw, self.scope)
        mean = np.abs(x.mean(axis=-2))
        cv = x.std(axis=-2, ddof=1) / np.where(mean > 0, mean, 1.0)
        return _per_year(_normalise(cv), z)


@dataclass(frozen=True)
class PCA:
    """w ∝ |loading| of each indicator on the first principal component of the correlation
    matrix of the normalised data (pooled over the panel)."""

    def weigh(self, z: np.ndarray, raw: np.ndarray, indicators: list[str]) -> np.ndarray:
        _, corr = sd_and_correlation(pool_observations(z, "panel"))
        _, vecs = np.linalg.eigh(corr)
        first = np.abs(vecs[..., :, -1])
        return _per_year(_normalise(first), z)


def ahp_weights(matrix: np.ndarray) -> tuple[np.ndarray, float]:
    """Principal-eigenvector weights of a reciprocal pairwise matrix and Saaty's consistency
    ratio CR = ((λmax − n)/(n − 1)) / RI(n).

    >>> w, cr = ahp_weights(np.array([[1, 3, 5], [1/3, 1, 3], [1/5, 1/3, 1]]))
    >>> w.round(3).tolist(), round(cr, 3)
    ([0.637, 0.258, 0.105], 0.033)
    """
    try:
        a = np.asarray(matrix, dtype=float)
    except (TypeError, ValueError):
        raise RecipeError("an AHP matrix is square with positive entries") from None
    n = a.shape[0] if a.ndim else 0
    if n == 0 or a.shape != (n, n) or not np.isfinite(a).all() or (a <= 0).any():
        raise RecipeError("an AHP matrix is square with positive entries")
    if not np.allclose(a * a.T, 1.0, rtol=1e-3):
        raise RecipeError("an AHP matrix must be reciprocal: a[j, i] = 1 / a[i, j]")
    vals, vecs = np.linalg.eig(a)
    k = int(np.argmax(vals.real))
    w = np.abs(vecs[:, k].real)
    w = w / w.sum()
    if n <= 2:
        return w, 0.0
    ci = (vals[k].real - n) / (n - 1)
    ri = RANDOM_INDEX[n - 1] if n <= len(RANDOM_INDEX) else RANDOM_INDEX[-1]
    return w, float(ci / ri)


@dataclass(frozen=True)
class Fixed:
    """The user's weights by indicator id (normalised to sum to 1; missing ids are an error).

    Weights are finite, non-negative numbers that do not all vanish; ids that ``weigh`` is
    not asked about (e.g. indicators screened out) are ignored."""

    weights: dict[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        w = self.weights
        if not isinstance(w, Mapping) or not w:
            raise RecipeError("fixed weights must be a non-empty mapping of indicator id → "
                              f"weight, not {w!r:.80}")
        for k, v in w.items():
            if not isinstance(k, str):
                raise RecipeError(f"fixed weights are keyed by indicator id, not {k!r}")
            if isinstance(v, bool) or not isinstance(v, int | float | np.number):
                raise RecipeError(f"fixed weight for {k!r} must be a number, not {v!r}")
        for test, problem in ((lambda v: not np.isfinite(v), "must be finite"),
                              (lambda v: v < 0, "must not be negative")):
            bad = [f"{k} = {float(v):g}" for k, v in w.items() if test(float(v))]
            if bad:
                raise RecipeError(f"fixed weights {problem}: {', '.join(bad)}")
        if sum(float(v) for v in w.values()) <= 0:
            given = ", ".join(f"{k} = {float(v):g}" for k, v in w.items())
            raise RecipeError(f"fixed weights sum to zero ({given}); give at least one indicator "
                              "a positive weight")

    def weigh(self, z: np.ndarray, raw: np.ndarray, indicators: list[str]) -> np.ndarray:
        missing = [i for i in indicators if i not in self.weights]
        if missing:
            raise RecipeError(f"no fixed weight given for {', '.join(missing)}; weights are "
                              f"given for {', '.join(self.weights)}")
        w = np.array([float(self.weights[i]) for i in indicators])
        if w.sum() <= 0:
            raise RecipeError(f"the fixed weights of the indicators used ({', '.join(indicators)}) "
                              "sum to zero; give one of them a positive weight")
        return _per_year(_normalise(w), z)


@dataclass(frozen=True)
class AHP:
    """Weights from a pairwise comparison matrix over ``labels`` (indicator ids).

    Raises if the consistency ratio exceeds ``max_cr`` (Saaty's 0.1)."""

    matrix: tuple[tuple[float, ...], ...] = ()
    labels: tuple[str, ...] = ()
    max_cr: float = 0.1

    def __post_init__(self) -> None:
        m, labels = self.matrix, self.labels
        n = len(m) if isinstance(m, Sequence) and not isinstance(m, str) else 0
        if n == 0 or any(not isinstance(r, Sequence) or isinstance(r, str) or len(r) != n
                         for r in m):
            raise RecipeError(f"ahp matrix must be a square list of n rows of n numbers, not "
                              f"{m!r:.80}")
        if not isinstance(labels, Sequence) or isinstance(labels, str) or len(labels) != n \
                or not all(isinstance(x, str) for x in labels):
            raise RecipeError(f"ahp labels must be {n} indicator ids (one per matrix row), not "
                              f"{labels!r:.80}")
        dup = sorted({x for x in labels if list(labels).count(x) > 1})
        if dup:
            raise RecipeError(f"ahp labels repeat {', '.join(dup)}")
        for i, row in enumerate(m):
            for j, v in enumerate(row):
                check_number(v, f"ahp matrix entry {labels[i]}/{labels[j]}", positive=True)
        for i in range(n):
            for j in range(i + 1, n):
                if not np.isclose(float(m[i][j]) * float(m[j][i]), 1.0, rtol=1e-3):
                    raise RecipeError(f"ahp matrix must be reciprocal: {labels[i]}/{labels[j]} = "
                                      f"{m[i][j]:g} but {labels[j]}/{labels[i]} = {m[j][i]:g}")
        check_number(self.max_cr, "ahp max_cr", positive=True)

    def consistency(self) -> tuple[np.ndarray, float]:
        """Weights and consistency ratio; raises if CR exceeds ``max_cr``."""
        w, cr = ahp_weights(np.array(self.matrix, dtype=float))
        if cr > self.max_cr:
            raise RecipeError(f"AHP matrix is inconsistent: CR = {cr:.3f} > {self.max_cr}")
        return w, cr

    def weigh(self, z: np.ndarray, raw: np.ndarray, indicators: list[str]) -> np.ndarray:
        w, _ = self.consistency()
        return Fixed(dict(zip(self.labels, w, strict=True))).weigh(z, raw, indicators)


@dataclass(frozen=True)
class Product:
    """Combined weights w ∝ w_a · w_b (e.g. entropy × AHP)."""

    a: object = field(default_factory=Entropy)
    b: object = field(default_factory=Equal)

    def __post_init__(self) -> None:
        for key in ("a", "b"):
            if not callable(getattr(getattr(self, key), "weigh", None)):
                raise RecipeError(f"product {key} must be a weighting such as "
                                  f"{{method: entropy}}, not {getattr(self, key)!r:.80}")

    def weigh(self, z: np.ndarray, raw: np.ndarray, indicators: list[str]) -> np.ndarray:
        return _normalise(self.a.weigh(z, raw, indicators) * self.b.weigh(z, raw, indicators))


WEIGHTERS = {"equal": Equal, "entropy": Entropy, "critic": CRITIC, "cv": CoefficientOfVariation,
             "pca": PCA, "fixed": Fixed, "ahp": AHP, "product": Product}


def make_weighter(method: str = "entropy", **options):
    """A weighter from its name and options.

    ``make_weighter("product", a={"method": "entropy"}, b={"method": "ahp", ...})``.
    """
    if method == "product":
        options = {k: _sub_weighter(k, v) if k in ("a", "b") else v for k, v in options.items()}
    if method == "ahp":
        options = {k: _tuples(v) if k in ("matrix", "labels") else v for k, v in options.items()}
    return make_step("weighting", WEIGHTERS, method, options)


def _sub_weighter(key: str, spec: object) -> object:
    if not isinstance(spec, Mapping):
        return spec
    try:
        return make_weighter(**{str(k): v for k, v in spec.items()})
    except RecipeError as e:
        raise RecipeError(f"product {key}: {e}") from None


def _tuples(value: object) -> object:
    """Lists (of lists) as tuples, so that the weighter stays hashable; anything else as is."""
    if isinstance(value, list | tuple):
        return tuple(_tuples(v) if isinstance(v, list) else v for v in value)
    return value
