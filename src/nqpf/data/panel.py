"""The embedded panel: load it, describe its coverage, fingerprint it."""

from __future__ import annotations

import hashlib
from functools import cache

import numpy as np
import pandas as pd

from nqpf import regions
from nqpf.data.build import PANEL_PATH
from nqpf.data.dictionary import load_dictionary

__all__ = ["PanelArray", "coverage", "dataset_hash", "load_panel", "to_array"]

COLUMNS = ["adcode", "province", "year", "indicator", "value"]


@cache
def _read_embedded() -> pd.DataFrame:
    if not PANEL_PATH.exists():
        raise FileNotFoundError(
            f"{PANEL_PATH} is missing; rebuild it with `python -m nqpf.data.build`")
    df = pd.read_parquet(PANEL_PATH)
    return _with_names(df)


def _with_names(df: pd.DataFrame) -> pd.DataFrame:
    names = {p.adcode: p.short for p in regions.PROVINCES}
    out = pd.DataFrame({
        "adcode": df["adcode"].astype(str),
        "province": df["adcode"].astype(str).map(names),
        "year": df["year"].astype("int64"),
        "indicator": df["indicator"].astype(str),
        "value": df["value"].astype("float64"),
    })
    return out


def load_panel(indicators: list[str] | None = None, years: tuple[int, int] | None = None,
               wide: bool = False) -> pd.DataFrame:
    """The embedded panel as a tidy frame (adcode, province, year, indicator, value).

    ``wide=True`` gives one row per (adcode, year) and one column per indicator.

    >>> df = load_panel(["rd_intensity"], years=(2021, 2021))
    >>> float(df.loc[df.province == "北京", "value"].iloc[0])
    6.53
    """
    df = _read_embedded()
    if indicators is not None:
        unknown = sorted(set(indicators) - set(df["indicator"].unique()))
        if unknown:
            raise KeyError(f"unknown indicator(s) {unknown}; see `nqpf data list`")
        df = df[df["indicator"].isin(indicators)]
    if years is not None:
        df = df[(df["year"] >= years[0]) & (df["year"] <= years[1])]
    df = df.reset_index(drop=True)
    if wide:
        return (df.pivot(index=["adcode", "province", "year"], columns="indicator", values="value")
                .rename_axis(columns=None).reset_index())
    return df.copy()


def coverage(panel: pd.DataFrame | None = None, pillar: str | None = None) -> pd.DataFrame:
    """Indicator × year table: how many provinces have a value.

    ``pillar`` keeps the indicators of one of the dictionary's pillars (``human_capital``),
    in the pillar's order, with a row of zeros for any that has no value.

    >>> int(coverage().loc["rd_intensity", 2021])
    31
    >>> coverage(pillar="human_capital").loc[:, 2016].tolist()
    [31, 31, 31, 31, 0]
    """
    df = load_panel() if panel is None else panel
    table = df.dropna(subset=["value"]).groupby(["indicator", "year"])["adcode"].nunique()
    table = table.unstack("year", fill_value=0).astype(int)
    d = load_dictionary()
    if pillar is not None:
        if pillar not in d.pillars:
            raise KeyError(f"unknown pillar {pillar!r}; the dictionary has {sorted(d.pillars)}")
        return table.reindex(d.pillars[pillar]["indicators"], fill_value=0).rename_axis(
            "indicator")
    order = [i for i in d.ids if i in table.index]
    order += sorted(set(table.index) - set(order))
    return table.loc[order]


def dataset_hash(panel: pd.DataFrame | None = None) -> str:
    """SHA-256 of the panel's content (order-independent), to tag every index result."""
    if panel is None:
        return _embedded_hash()
    df = panel[["adcode", "year", "indicator", "value"]].sort_values(["indicator", "adcode", "year"])
    h = hashlib.sha256()
    h.update(pd.util.hash_pandas_object(df.reset_index(drop=True), index=False).to_numpy()
             .tobytes())
    return h.hexdigest()


@cache
def _embedded_hash() -> str:
    return dataset_hash(_read_embedded())


class PanelArray:
    """A panel as a dense float array (year × unit × indicator) with NaN for gaps."""

    def __init__(self, values: np.ndarray, years: list[int], units: list[str],
                 indicators: list[str]):
        if values.shape != (len(years), len(units), len(indicators)):
            raise ValueError(f"values shape {values.shape} does not match "
                             f"{len(years)} years × {len(units)} units × {len(indicators)} indicators")
        self.values = values
        self.years = list(years)
        self.units = list(units)
        self.indicators = list(indicators)

    def __repr__(self) -> str:
        y = f"{self.years[0]}–{self.years[-1]}" if self.years else "no years"
        return (f"PanelArray({len(self.years)} years {y} × {len(self.units)} units × "
                f"{len(self.indicators)} indicators)")


def to_array(panel: pd.DataFrame, indicators: list[str], years: list[int] | None = None,
             units: list[str] | None = None) -> PanelArray:
    """Pivot a tidy panel into a :class:`PanelArray` in one vectorised step."""
    df = panel[panel["indicator"].isin(indicators)]
    years = sorted(df["year"].unique().tolist()) if years is None else list(years)
    units = regions.adcodes() if units is None else list(units)
    yi = pd.Index(years).get_indexer(df["year"])
    ui = pd.Index(units).get_indexer(df["adcode"])
    ii = pd.Index(indicators).get_indexer(df["indicator"])
    keep = (yi >= 0) & (ui >= 0) & (ii >= 0)
    values = np.full((len(years), len(units), len(indicators)), np.nan)
    values[yi[keep], ui[keep], ii[keep]] = df["value"].to_numpy(dtype=float)[keep]
    return PanelArray(values, years, units, indicators)
