"""Read the user's own panel files and write panels out (CSV, XLSX, Stata DTA, Parquet).

Reading is all-or-nothing: every problem is found before anything is returned, and the
first one raises :class:`PanelReadError` naming the file, row and column.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from nqpf import regions

__all__ = ["PanelReadError", "read_panel", "write_panel"]

FORMATS = ("csv", "xlsx", "dta", "parquet")
MIN_YEAR, MAX_YEAR = 1949, 2100

_ALIASES = {
    "province": {"province", "地区", "省份", "省", "region", "prov", "adcode", "地区名称", "省份名称"},
    "year": {"year", "年份", "年", "时间", "yr"},
    "indicator": {"indicator", "指标", "variable", "var", "指标名称"},
    "value": {"value", "数值", "值", "val"},
}
# Columns that identify or describe a row rather than hold an indicator (wide form).
_ID_COLUMNS = (_ALIASES["province"] | _ALIASES["year"]
               | {"unit", "单位", "source", "来源", "name", "名称", "zone", "note", "notes", "备注"})
_MISSING = {"", "-", "—", "–", "…", "...", "na", "n/a", "nan", "null", "none", "."}


class PanelReadError(ValueError):
    """A user file that cannot be read as a panel; names file, row and column."""

    def __init__(self, path: Path | str, message: str, row: int | None = None,
                 column: str | None = None):
        self.path, self.row, self.column = str(path), row, column
        where = [self.path]
        if row is not None:
            where.append(f"row {row}")
        if column is not None:
            where.append(f"column {column!r}")
        super().__init__(f"{', '.join(where)}: {message}")


def _read_text_csv(path: Path) -> pd.DataFrame:
    data = path.read_bytes()
    if not data.strip():
        raise PanelReadError(path, "the file is empty")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as utf8_error:
        try:  # GB18030 is a superset of GBK/GB2312: NBS exports and Chinese Excel
            text = data.decode("gb18030")
        except UnicodeDecodeError:
            line = data[: utf8_error.start].count(b"\n") + 1
            raise PanelReadError(
                path, f"undecodable bytes at byte {utf8_error.start} (neither UTF-8 nor GBK); "
                "re-save the file as UTF-8", row=line) from None
    from io import StringIO

    return pd.read_csv(StringIO(text), dtype=str, keep_default_na=False, skip_blank_lines=True)


def _read_raw(path: Path) -> pd.DataFrame:
    suffix = path.suffix.lower().lstrip(".")
    if not path.exists():
        raise PanelReadError(path, "no such file")
    if path.stat().st_size == 0:
        raise PanelReadError(path, "the file is empty")
    try:
        if suffix in ("csv", "txt", "tsv"):
            df = _read_text_csv(path)
        elif suffix in ("xlsx", "xlsm", "xls"):
            df = pd.read_excel(path, dtype=object)
        elif suffix == "dta":
            df = pd.read_stata(path, convert_categoricals=True)
        elif suffix in ("parquet", "pq"):
            df = pd.read_parquet(path)
        else:
            raise PanelReadError(path, f"unsupported file type {suffix!r}; use one of {FORMATS}")
    except PanelReadError:
        raise
    except pd.errors.EmptyDataError:
        raise PanelReadError(path, "the file is empty") from None
    except Exception as exc:  # a corrupt workbook, DTA or Parquet file
        raise PanelReadError(path, f"cannot read as {suffix}: {exc}") from exc
    if df.empty or len(df.columns) == 0:
        raise PanelReadError(path, "the file has no data rows")
    df.columns = [str(c).strip() for c in df.columns]
    return df


def _find(columns: list[str], role: str, given: str | None, path: Path) -> str | None:
    if given is not None:
        if given not in columns:
            raise PanelReadError(path, f"no column named {given!r}; columns are {columns}")
        return given
    for c in columns:
        if c.casefold() in _ALIASES[role]:
            return c
    return None


def _parse_values(raw: pd.Series, path: Path, rows: np.ndarray, column: str) -> np.ndarray:
    if pd.api.types.is_numeric_dtype(raw):
        return raw.to_numpy(dtype=float)
    text = raw.astype(str).str.strip().str.replace(",", "", regex=False)
    text = text.where(~text.str.casefold().isin(_MISSING), None)
    text = text.where(raw.notna(), None)
    values = pd.to_numeric(text, errors="coerce").to_numpy(dtype=float)
    bad = np.isnan(values) & text.notna().to_numpy()
    if bad.any():
        i = int(np.argmax(bad))
        raise PanelReadError(path, f"non-numeric value {raw.iloc[i]!r}", row=int(rows[i]),
                             column=column)
    return values


def _parse_years(raw: pd.Series, path: Path, rows: np.ndarray, column: str) -> np.ndarray:
    text = raw.astype(str).str.strip().str.replace(r"年$", "", regex=True)
    text = text.str.replace(r"\.0$", "", regex=True)
    years = pd.to_numeric(text, errors="coerce").to_numpy(dtype=float)
    bad = ~np.isfinite(years) | (years != np.round(years)) | (years < MIN_YEAR) | (years > MAX_YEAR)
    if bad.any():
        i = int(np.argmax(bad))
        raise PanelReadError(path, f"impossible year {raw.iloc[i]!r} (expected {MIN_YEAR}–{MAX_YEAR})",
                             row=int(rows[i]), column=column)
    return years.astype(int)


def _parse_provinces(raw: pd.Series, path: Path, rows: np.ndarray, column: str) -> np.ndarray:
    uniques = pd.unique(raw.astype(str).str.strip())
    table = {u: regions.try_resolve(u) for u in uniques}
    codes = raw.astype(str).str.strip().map(lambda u: getattr(table[u], "adcode", None))
    bad = codes.isna().to_numpy()
    if bad.any():
        i = int(np.argmax(bad))
        try:
            regions.resolve(raw.iloc[i])
        except regions.UnknownRegionError as err:
            raise PanelReadError(path, str(err), row=int(rows[i]), column=column) from None
    return codes.to_numpy(dtype=object)


def read_panel(path: str | Path, *, province: str | None = None, year: str | None = None,
               indicators: list[str] | None = None) -> pd.DataFrame:
    """Read a user's panel file into the tidy form (adcode, province, year, indicator, value).

    Long files have province, year, indicator and value columns (other columns such as unit
    or source are ignored); wide files have province, year and one column per indicator.
    Column names are recognised in English or Chinese (province/地区/省份, year/年份 …) or given
    explicitly. Empty cells and NBS's "…"/"—" are gaps and are left out.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "mine.csv"
    >>> _ = p.write_text("地区,年份,专利\\n陝西,2022,1200\\n北京市,2022,9000\\n", encoding="gbk")
    >>> read_panel(p)[["adcode", "year", "indicator", "value"]].values.tolist()
    [['110000', 2022, '专利', 9000.0], ['610000', 2022, '专利', 1200.0]]
    """
    path = Path(path)
    df = _read_raw(path)
    header_rows = 2 if path.suffix.lower() in (".csv", ".txt", ".tsv", ".xlsx", ".xlsm", ".xls") else 1
    rows = np.arange(len(df)) + header_rows  # file row of each record (header is row 1)
    cols = list(df.columns)
    pcol = _find(cols, "province", province, path)
    ycol = _find(cols, "year", year, path)
    if pcol is None or ycol is None:
        missing = "province" if pcol is None else "year"
        raise PanelReadError(path, f"no {missing} column found among {cols}; name it "
                             f"explicitly (province=..., year=...)")
    icol = _find(cols, "indicator", None, path)
    vcol = _find(cols, "value", None, path)
    codes = _parse_provinces(df[pcol], path, rows, pcol)
    years = _parse_years(df[ycol], path, rows, ycol)
    if icol is not None and vcol is not None:  # long form
        names = df[icol].astype(str).str.strip().to_numpy(dtype=object)
        empty = names == ""
        if empty.any():
            i = int(np.argmax(empty))
            raise PanelReadError(path, "empty indicator name", row=int(rows[i]), column=icol)
        values = _parse_values(df[vcol], path, rows, vcol)
        long = pd.DataFrame({"adcode": codes, "year": years, "indicator": names, "value": values,
                             "_row": rows})
        if indicators is not None:
            long = long[long["indicator"].isin(indicators)]
    else:  # wide form
        skip = {pcol, ycol} | {c for c in cols if c.casefold() in _ID_COLUMNS}
        value_cols = indicators if indicators is not None else [c for c in cols if c not in skip]
        if not value_cols:
            raise PanelReadError(path, "no indicator columns besides province and year")
        parts = []
        for c in value_cols:
            if c not in cols:
                raise PanelReadError(path, f"no column named {c!r}")
            parts.append(pd.DataFrame({"adcode": codes, "year": years, "indicator": c,
                                       "value": _parse_values(df[c], path, rows, c), "_row": rows}))
        long = pd.concat(parts, ignore_index=True)
    dup = long.duplicated(["adcode", "year", "indicator"], keep="first").to_numpy()
    if dup.any():
        i = int(np.argmax(dup))
        r = long.iloc[i]
        first = long[(long["adcode"] == r["adcode"]) & (long["year"] == r["year"])
                     & (long["indicator"] == r["indicator"])]["_row"].iloc[0]
        raise PanelReadError(
            path, f"duplicate (province, year, indicator) = ({regions.resolve(r['adcode']).short}, "
            f"{r['year']}, {r['indicator']}); first seen at row {first}", row=int(r["_row"]),
            column=icol or r["indicator"])
    long = long.dropna(subset=["value"]).drop(columns="_row")
    names = {p.adcode: p.short for p in regions.PROVINCES}
    long.insert(1, "province", long["adcode"].map(names))
    return long.sort_values(["indicator", "adcode", "year"], kind="stable").reset_index(drop=True)


def _format_of(path: Path, format: str | None) -> str:
    fmt = (format or path.suffix.lstrip(".")).lower()
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r} for {path}; use one of {', '.join(FORMATS)}")
    return fmt


def write_panel(df: pd.DataFrame, path: str | Path, format: str | None = None) -> Path:
    """Write a frame to CSV (UTF-8 with BOM, so Excel shows Chinese), XLSX, Stata DTA or Parquet.

    The file is written to a temporary name and moved into place, so a failure never leaves
    a half-written file.

    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "p.dta"
    >>> write_panel(pd.DataFrame({"adcode": ["110000"], "year": [2021], "v": [1.5]}), out).exists()
    True
    """
    path = Path(path)
    fmt = _format_of(path, format)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        if fmt == "csv":
            df.to_csv(tmp, index=False, encoding="utf-8-sig")
        elif fmt == "xlsx":
            df.to_excel(tmp, index=False, engine="openpyxl")
        elif fmt == "dta":
            out = df.copy()
            for c in out.columns:
                if out[c].dtype == object or pd.api.types.is_string_dtype(out[c]):
                    out[c] = out[c].astype(object)
            out.columns = [_stata_name(c) for c in out.columns]
            out.to_stata(tmp, write_index=False, version=118)
        else:
            df.to_parquet(tmp, index=False)
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def _stata_name(name: object) -> str:
    """Stata variable names: at most 32 characters, letters, digits and underscores."""
    s = re.sub(r"\W", "_", str(name))
    if not s or s[0].isdigit():
        s = "v_" + s
    return s[:32]
