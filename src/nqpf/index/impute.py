"""Screening and imputation of a (year × unit × indicator) array with NaN gaps.

>>> import numpy as np
>>> x = np.array([[[1.0]], [[np.nan]], [[3.0]]])           # 3 years, 1 unit, 1 indicator
>>> Imputer(["linear"]).impute(x, groups=["东部"])[0][:, 0, 0].tolist()
[1.0, 2.0, 3.0]
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from nqpf.index.spec import RecipeError, check_number

__all__ = ["IMPUTATIONS", "Imputer", "Screen"]

IMPUTATIONS = ("linear", "carry", "group-mean")


@dataclass(frozen=True)
class Screen:
    """Drop indicators, then units, whose share of non-missing cells is below a threshold."""

    min_indicator_coverage: float = 0.75
    min_unit_coverage: float = 0.75

    def __post_init__(self) -> None:
        for key in ("min_indicator_coverage", "min_unit_coverage"):
            check_number(getattr(self, key), f"screening {key}", minimum=0, maximum=1)

    def select(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Boolean masks (units, indicators) to keep."""
        ok = ~np.isnan(x)
        keep_k = ok.mean(axis=(0, 1)) >= self.min_indicator_coverage
        keep_u = ok[:, :, keep_k].mean(axis=(0, 2)) >= self.min_unit_coverage if keep_k.any() \
            else np.zeros(x.shape[1], bool)
        return keep_u, keep_k


def _fill_series(x: np.ndarray, fill) -> np.ndarray:
    """Apply a pandas fill over years to the (unit, indicator) series that have gaps."""
    y, u, k = x.shape
    flat = x.reshape(y, u * k).copy()
    gaps = np.isnan(flat).any(axis=0)
    if gaps.any():
        flat[:, gaps] = fill(pd.DataFrame(flat[:, gaps])).to_numpy()
    return flat.reshape(y, u, k)


def _linear(x: np.ndarray) -> np.ndarray:
    return _fill_series(x, lambda f: f.interpolate(axis=0, limit_area="inside"))


def _carry(x: np.ndarray) -> np.ndarray:
    return _fill_series(x, lambda f: f.ffill(axis=0).bfill(axis=0))


def _group_mean(x: np.ndarray, groups: list[str]) -> np.ndarray:
    out = x.copy()
    g = np.asarray(groups)
    for name in np.unique(g):
        members = g == name
        with warnings.catch_warnings():  # a group with no value in a year stays a gap
            warnings.simplefilter("ignore", RuntimeWarning)
            mean = np.nanmean(x[:, members, :], axis=1, keepdims=True)
        block = out[:, members, :]
        out[:, members, :] = np.where(np.isnan(block), mean, block)
    return out


@dataclass(frozen=True)
class Imputer:
    """Fill gaps by a chain of methods, in order:

    - ``linear``: linear interpolation between observed years (interior gaps only);
    - ``carry``: nearest observed year, forwards then backwards (edge gaps);
    - ``group-mean``: the mean of the unit's region group (NBS four regions) in that year.
    """

    methods: tuple[str, ...] | list[str] = ("linear", "carry", "group-mean")

    def __post_init__(self) -> None:
        if not isinstance(self.methods, list | tuple):
            raise RecipeError(f"imputation must be a list of methods from {list(IMPUTATIONS)}, "
                              f"not {self.methods!r:.80}")
        for m in self.methods:
            if not isinstance(m, str) or m not in IMPUTATIONS:
                raise RecipeError(f"unknown imputation {m!r}; use one of {list(IMPUTATIONS)}")

    def impute(self, x: np.ndarray, groups: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """Returns the filled array and an int array (same shape) naming the method that
        filled each cell: 0 observed, i + 1 for ``methods[i]``, -1 still missing."""
        out = x.copy()
        how = np.where(np.isnan(x), -1, 0)
        for i, m in enumerate(self.methods, start=1):
            if not np.isnan(out).any():
                break
            filled = {"linear": _linear, "carry": _carry}.get(m)
            new = filled(out) if filled else _group_mean(out, groups)
            how = np.where(np.isnan(out) & ~np.isnan(new), i, how)
            out = new
        return out, how
