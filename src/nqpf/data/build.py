"""Compile the raw official statistics into the embedded panel.

Run ``python -m nqpf.data.build [RAW_DIR]``; ``RAW_DIR`` defaults to ``../shared/data/raw``
beside the repository (or ``$NQPF_RAW_DIR``). The output, ``panel.parquet`` next to this
file, is a pure function of the raw files and ``dictionary.yaml``: rebuilding gives the same
bytes and the same dataset hash, which the tests check.

Steps, in order: read each raw indicator (rules C1–C7, C11), pivot to one column per indicator,
fill the declared years of a raw series from its ``derived`` formulas where the raw file has no
value (rule C10), then compute every formula indicator in dictionary order.

Formulas are pandas expressions over indicator ids; ``@lead(x)`` is ``x`` of the following
year in the same province (a fill may chain a series back one year from the next).
"""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from nqpf import regions
from nqpf.data.dictionary import Dictionary, load_dictionary

PANEL_PATH = Path(__file__).with_name("panel.parquet")

__all__ = ["BuildError", "build_panel", "default_raw_dir", "write_panel_parquet"]


class BuildError(RuntimeError):
    """A raw file breaks a rule of the dictionary; the message names file, row and rule."""


def default_raw_dir() -> Path:
    env = os.environ.get("NQPF_RAW_DIR")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[3].parent / "shared" / "data" / "raw"


# ---------------------------------------------------------------------- source readers
# Each reader returns a long frame: province (raw text), year, key, value, unit, row (1-based
# line of the raw file, for error messages).


def _read_long(path: Path) -> pd.DataFrame:
    df = pd.read_csv(path, encoding="utf-8-sig")
    return pd.DataFrame({
        "province": df["province"], "year": df["year"], "key": df["indicator"],
        "value": df["value"], "unit": df["unit"], "row": df.index + 2,
    })


def _read_st_yearbook(path: Path) -> pd.DataFrame:
    df = pd.read_csv(path, encoding="utf-8-sig")
    return pd.DataFrame({
        "province": df["province"], "year": df["year"],
        "key": df["dataset"] + "/" + df["variables"], "value": df["value"],
        "unit": df["units"], "row": df.index + 2,
    })


def _melt_wide(df: pd.DataFrame, province: str, year: str, units: dict[str, str]) -> pd.DataFrame:
    df = df.assign(row=df.index + 2)
    long = df.melt(id_vars=[province, year, "row"], value_vars=list(units),
                   var_name="key", value_name="value")
    long = long.rename(columns={province: "province", year: "year"})
    long["unit"] = long["key"].map(units)
    return long[["province", "year", "key", "value", "unit", "row"]]


def _unit_from_column(col: str) -> str:
    """NBS column names carry their unit after the last underscore: GDP_亿元 → 亿元."""
    return col.rsplit("_", 1)[1] if "_" in col else ""


def _read_nbs_provincial(path: Path) -> pd.DataFrame:
    df = pd.read_csv(path, encoding="utf-8-sig")
    cols = [c for c in df.columns if c not in ("地区", "年份")]
    return _melt_wide(df, "地区", "年份", {c: _unit_from_column(c) for c in cols})


def _read_nbs_export(path: Path) -> pd.DataFrame:
    """NBS 'data.stats.gov.cn' export: 3 header lines (数据库/指标/时间), a wide table, notes."""
    text = path.read_text(encoding="utf-8-sig")
    lines = text.splitlines()
    indicator = next(ln.split("：", 1)[1] for ln in lines if ln.startswith("指标"))
    start = next(i for i, ln in enumerate(lines) if ln.startswith("地区,"))
    body = [ln for ln in lines[start:] if ln and not ln.startswith(("注", "数据来源"))]
    df = pd.read_csv(io.StringIO("\n".join(body)))
    name, _, unit = indicator.partition("(")
    long = df.melt(id_vars=["地区"], var_name="year", value_name="value")
    long["year"] = long["year"].str.rstrip("年").astype(int)
    return pd.DataFrame({
        "province": long["地区"], "year": long["year"], "key": name.strip(),
        "value": pd.to_numeric(long["value"], errors="coerce"), "unit": unit.rstrip(")"),
        "row": long.index % len(df) + start + 2,
    })


def _read_regional_panel(path: Path) -> pd.DataFrame:
    df = pd.read_csv(path, encoding="utf-8-sig")
    cols = [c for c in df.columns if c not in ("ADMINCODE", "REGION", "ZONE", "YEAR")]
    df["ADMINCODE"] = df["ADMINCODE"].astype(str)
    return _melt_wide(df.drop(columns=["REGION", "ZONE"]), "ADMINCODE", "YEAR",
                      {c: "" for c in cols})


READERS: dict[str, Callable[[Path], pd.DataFrame]] = {
    "st_yearbook": _read_st_yearbook,
    "nbs_provincial": _read_nbs_provincial,
    "nbs_population": _read_nbs_export,
    "nbs_digital": _read_long,
    "nbs_energy": _read_long,
    "energy_structure": _read_long,
    "ceads": _read_long,
    "regional_panel": _read_regional_panel,
}


# ---------------------------------------------------------------------- compile


def _resolve_provinces(df: pd.DataFrame, file: Path) -> pd.Series:
    names = df["province"].astype(str).str.strip()
    national = names.isin(["全国", "全國", "中国", "National"])  # rule C1
    codes = names.map(lambda n: getattr(regions.try_resolve(n), "adcode", None))
    bad = codes.isna() & ~national
    if bad.any():
        i = bad.idxmax()
        raise BuildError(f"{file}: row {df.at[i, 'row']}: unknown province {names[i]!r} (rule C1)")
    return codes


def _raw_indicator(spec: dict, frame: pd.DataFrame, file: Path) -> pd.DataFrame:
    raw = spec["raw"]
    sel = frame[frame["key"] == raw["key"]]
    if sel.empty:
        raise BuildError(f"{file}: indicator {spec['id']!r}: no rows with key {raw['key']!r}")
    allowed = {str(raw.get("unit", "")), *map(str, raw.get("unit_mislabels", []))}
    units = sel["unit"].fillna("").astype(str)
    wrong = ~units.isin(allowed) & (units != "")
    if wrong.any():
        i = wrong.idxmax()
        raise BuildError(
            f"{file}: row {sel.at[i, 'row']}: indicator {spec['id']!r} has unit {units[i]!r}, "
            f"expected {raw.get('unit')!r} (rule C3)")
    values = pd.to_numeric(sel["value"], errors="coerce") * float(raw.get("scale", 1.0))
    keep = values.notna() & (values >= 0)  # rule C7: negative stocks are impossible
    if "years" in raw:  # rule C11: one definition per series
        keep &= sel["year"].between(*raw["years"])
    if "max" in raw:
        keep &= values <= float(raw["max"])
    out = sel.loc[keep, ["adcode", "year", "row"]].assign(value=values[keep])
    dup = out.duplicated(["adcode", "year"], keep=False)
    if dup.any():
        i = dup.idxmax()
        raise BuildError(f"{file}: row {out.at[i, 'row']}: duplicate value for "
                         f"{spec['id']!r}, {out.at[i, 'adcode']}, {out.at[i, 'year']} (rule C2)")
    return out.drop(columns="row").assign(indicator=spec["id"])


def _lead(series: pd.Series) -> pd.Series:
    """``series`` of the following year, on the same (adcode, year) index (NaN where the next
    year has no row)."""
    codes = series.index.get_level_values("adcode")
    years = series.index.get_level_values("year")
    ahead = pd.Series(series.to_numpy(), index=pd.MultiIndex.from_arrays(
        [codes, years - 1], names=["adcode", "year"]))
    return ahead.reindex(series.index)


def _evaluate(wide: pd.DataFrame, formula: str, indicator: str) -> pd.Series:
    try:
        out = wide.eval(formula, engine="python", local_dict={"lead": _lead})
    except Exception as e:  # an unknown name, a syntax error
        raise BuildError(f"indicator {indicator!r}: cannot evaluate {formula!r}: {e}") from e
    return out.replace([np.inf, -np.inf], np.nan)


def build_panel(raw_dir: Path | None = None, dictionary: Dictionary | None = None) -> pd.DataFrame:
    """Compile the raw files into the tidy panel (adcode, year, indicator, value).

    >>> panel = build_panel()  # doctest: +SKIP
    """
    raw_dir = Path(raw_dir) if raw_dir is not None else default_raw_dir()
    d = dictionary or load_dictionary()
    if not raw_dir.is_dir():
        raise BuildError(f"raw data directory {raw_dir} not found; pass it or set NQPF_RAW_DIR")
    first, last = d.years
    parts = []
    frames: dict[str, pd.DataFrame] = {}
    for spec in d.indicators:
        if "raw" not in spec:
            continue
        source = spec["source"]
        file = raw_dir / d.sources[source]["file"]
        if source not in frames:
            frame = READERS[d.sources[source].get("reader", source)](file)
            frame["year"] = pd.to_numeric(frame["year"], errors="raise").astype(int)
            frame = frame[(frame["year"] >= first) & (frame["year"] <= last)]  # rule C6
            frame["adcode"] = _resolve_provinces(frame, file)
            frames[source] = frame[frame["adcode"].notna()]
        parts.append(_raw_indicator(spec, frames[source], file))
    long = pd.concat(parts, ignore_index=True)
    wide = long.pivot(index=["adcode", "year"], columns="indicator", values="value")
    years = wide.index.get_level_values("year")
    for spec in d.indicators:  # rule C10: declared derived years of a raw series
        for der in d.fills(spec["id"]):
            lo, hi = der["years"]
            fill = _evaluate(wide, der["formula"], spec["id"])
            fill = fill.where((years >= lo) & (years <= hi))
            wide[spec["id"]] = wide[spec["id"]].fillna(fill)
    for spec in d.indicators:
        if "formula" in spec:
            derived = _evaluate(wide, spec["formula"], spec["id"])
            if "years" in spec:
                derived = derived.where((years >= spec["years"][0]) & (years <= spec["years"][1]))
            wide[spec["id"]] = derived
    order = {s["id"]: i for i, s in enumerate(d.indicators)}
    tidy = (wide.rename_axis(columns="indicator").stack().rename("value").reset_index()
            .dropna(subset=["value"]))
    tidy["value"] = tidy["value"].astype("float64").round(10)
    tidy["_o"] = tidy["indicator"].map(order)
    tidy = tidy.sort_values(["_o", "adcode", "year"]).drop(columns="_o").reset_index(drop=True)
    return tidy[["adcode", "year", "indicator", "value"]]


def write_panel_parquet(panel: pd.DataFrame, path: Path = PANEL_PATH) -> Path:
    """Write the panel with a fixed schema and no writer metadata, so bytes are reproducible."""
    table = pa.table({
        "adcode": pa.array(panel["adcode"].astype(str), pa.string()).dictionary_encode(),
        "year": pa.array(panel["year"].astype("int16"), pa.int16()),
        "indicator": pa.array(panel["indicator"].astype(str), pa.string()).dictionary_encode(),
        "value": pa.array(panel["value"].astype("float64"), pa.float64()),
    })
    tmp = path.with_suffix(".tmp")
    pq.write_table(table, tmp, compression="zstd", compression_level=9, use_dictionary=True,
                   write_statistics=False, store_schema=False, row_group_size=1 << 20)
    tmp.replace(path)
    return path


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    raw_dir = Path(argv[0]) if argv else default_raw_dir()
    panel = build_panel(raw_dir)
    path = write_panel_parquet(panel)
    from nqpf.data.panel import dataset_hash

    print(f"wrote {path} ({len(panel)} values, {panel['indicator'].nunique()} indicators, "
          f"{panel['year'].min()}–{panel['year'].max()}; dataset {dataset_hash(panel)})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
