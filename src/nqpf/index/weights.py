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
from dataclasses import dataclass, field

import numpy as np

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
    raise ValueError(f"scope must be 'panel' or 'year', not {scope!r}")


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

    def weigh(self, z: np.ndarray, raw: np.ndarray, indicators: list[str]) -> np.ndarray:
        _year_warning(self.scope, "entropy")
        x = pool_observations(z, self.scope) + self.shift
        if (x < 0).any():
            raise ValueError("entropy weights need non-negative normalised values; use min-max "
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

    def weigh(self, z: np.ndarray, raw: np.ndarray, indicators: list[str]) -> np.ndarray:
        _year_warning(self.scope, "CRITIC")
        sd, r = sd_and_correlation(pool_observations(z, self.scope))
        c = sd * (1.0 - r).sum(axis=-1)
        return _per_year(_normalise(c), z)


@dataclass(frozen=True)
class CoefficientOfVariation:
    """w ∝ sd / |mean| of each indicator in its own units (before normalisation)."""

    scope: str = "panel"

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
    a = np.asarray(matrix, dtype=float)
    n = a.shape[0]
    if a.shape != (n, n) or (a <= 0).any():
        raise ValueError("an AHP matrix is square with positive entries")
    if not np.allclose(a * a.T, 1.0, rtol=1e-3):
        raise ValueError("an AHP matrix must be reciprocal: a[j, i] = 1 / a[i, j]")
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
    """The user's weights by indicator id (normalised to sum to 1; missing ids are an error)."""

    weights: dict[str, float] = field(default_factory=dict)

    def weigh(self, z: np.ndarray, raw: np.ndarray, indicators: list[str]) -> np.ndarray:
        missing = [i for i in indicators if i not in self.weights]
        if missing:
            raise ValueError(f"no weight given for {missing}")
        w = np.array([float(self.weights[i]) for i in indicators])
        return _per_year(_normalise(w), z)


@dataclass(frozen=True)
class AHP:
    """Weights from a pairwise comparison matrix over ``labels`` (indicator ids).

    Raises if the consistency ratio exceeds ``max_cr`` (Saaty's 0.1)."""

    matrix: tuple[tuple[float, ...], ...] = ()
    labels: tuple[str, ...] = ()
    max_cr: float = 0.1

    def weigh(self, z: np.ndarray, raw: np.ndarray, indicators: list[str]) -> np.ndarray:
        w, cr = ahp_weights(np.array(self.matrix, dtype=float))
        if cr > self.max_cr:
            raise ValueError(f"AHP matrix is inconsistent: CR = {cr:.3f} > {self.max_cr}")
        return Fixed(dict(zip(self.labels, w, strict=True))).weigh(z, raw, indicators)


@dataclass(frozen=True)
class Product:
    """Combined weights w ∝ w_a · w_b (e.g. entropy × AHP)."""

    a: object = field(default_factory=Entropy)
    b: object = field(default_factory=Equal)

    def weigh(self, z: np.ndarray, raw: np.ndarray, indicators: list[str]) -> np.ndarray:
        return _normalise(self.a.weigh(z, raw, indicators) * self.b.weigh(z, raw, indicators))


WEIGHTERS = {"equal": Equal, "entropy": Entropy, "critic": CRITIC, "cv": CoefficientOfVariation,
             "pca": PCA, "fixed": Fixed, "ahp": AHP, "product": Product}


def make_weighter(method: str = "entropy", **options):
    """A weighter from its name and options.

    ``make_weighter("product", a={"method": "entropy"}, b={"method": "ahp", ...})``.
    """
    if method not in WEIGHTERS:
        raise ValueError(f"unknown weighting {method!r}; use one of {sorted(WEIGHTERS)}")
    if method == "product":
        options = {k: make_weighter(**v) if isinstance(v, dict) else v for k, v in options.items()}
    if method == "ahp":
        options = {**options, "matrix": tuple(tuple(r) for r in options.get("matrix", ())),
                   "labels": tuple(options.get("labels", ()))}
    return WEIGHTERS[method](**options)
