"""Read the user's own panel files and write panels out (CSV, TSV, XLSX, Stata DTA, Parquet).

Reading is all-or-nothing: every problem is found before anything is returned, and the
first one raises :class:`PanelReadError` naming the file, row and column. Rows are counted as a
spreadsheet shows them: the header is row 1 of a CSV (blank lines count; a quoted value that
spans lines counts once), an XLSX row is its sheet row, a DTA/Parquet row is its observation.

Text files are decided as a whole: UTF-8 (with or without BOM), else GB18030/GBK, else Big5.
A file that mixes encodings is refused at the first cell that does not fit the file's encoding
(UTF-8 in a GBK file, GBK in a UTF-8 file, undecodable bytes, Big5 that reads as implausible
GBK). Big5 text that happens to read as ordinary GBK ideographs cannot be told apart by its bytes.
"""

from __future__ import annotations

import codecs
import csv
import re
from io import StringIO
from pathlib import Path

import numpy as np
import pandas as pd
from charset_normalizer import from_bytes

from nqpf import regions

__all__ = ["PanelReadError", "read_panel", "write_panel"]

FORMATS = ("csv", "xlsx", "dta", "parquet")  # written by write_panel
TEXT_SUFFIXES = (".csv", ".tsv", ".txt")
EXCEL_SUFFIXES = (".xlsx", ".xlsm")
READ_SUFFIXES = (*TEXT_SUFFIXES, *EXCEL_SUFFIXES, ".dta", ".parquet", ".pq")
MIN_YEAR, MAX_YEAR = 1949, 2100
LEGACY_ENCODINGS = ("gb18030", "big5")  # GB18030 is a superset of GBK/GB2312
_SHOWN = {"utf-8": "UTF-8", "gb18030": "GB18030/GBK", "big5": "Big5"}
# What a panel's text is made of: ASCII, CJK ideographs and CJK/full-width punctuation. Big5
# read as GBK (or the reverse) yields kana, bopomofo, box drawing or private-use characters.
_PLAUSIBLE = re.compile(r"[\x00-\x7f\u00b7\u2010-\u2027\u3000-\u303f\u3400-\u4dbf"
                        r"\u4e00-\u9fff\uff00-\uffef]*")

_ALIASES = {
    "province": {"province", "地区", "省份", "省", "region", "prov", "adcode", "地区名称", "省份名称",
                 "地區", "地區名稱"},
    "year": {"year", "年份", "年", "时间", "yr", "時間"},
    "indicator": {"indicator", "指标", "variable", "var", "指标名称", "指標", "指標名稱"},
    "value": {"value", "数值", "值", "val", "數值"},
}  # simplified and traditional (Big5 files cannot spell 地区)
# Columns that identify or describe a row rather than hold an indicator (wide form).
_ID_COLUMNS = (_ALIASES["province"] | _ALIASES["year"]
               | {"unit", "单位", "單位", "source", "来源", "來源", "name", "名称", "名稱", "zone",
                  "note", "notes", "备注", "備註"})
_MISSING = {"", "-", "—", "–", "…", "...", "na", "n/a", "nan", "null", "none", "."}
_DELIMITERS = ",;\t"
_CONTROL = re.compile(rb"[\x00-\x08\x0e-\x1f\x7f]")  # never in UTF-8/GBK/Big5 text (nor inside a character)
_THOUSANDS = r"[+-]?[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]*)?"  # 1,234,567 and 12,345.6 only
_MAGIC = {b"PK\x03\x04": "a ZIP archive (an .xlsx workbook? name it .xlsx)",
          b"\xd0\xcf\x11\xe0": "an old Excel .xls workbook (save it as .xlsx)",
          b"PAR1": "a Parquet file (name it .parquet)", b"%PDF": "a PDF document",
          b"\x89PNG": "a PNG image", b"\x1f\x8b": "a gzip archive (unpack it first)"}


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


# --- text files: bytes → cells (latin-1, lossless) → one encoding for the whole file -------------


def _check_not_binary(path: Path, data: bytes) -> None:
    """Refuse UTF-16 text, known binary formats and anything with control bytes."""
    if data[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        raise PanelReadError(path, "the file is UTF-16 text (Excel's 'Unicode Text'); "
                             "save it as 'CSV UTF-8' instead")
    for magic, kind in _MAGIC.items():
        if data.startswith(magic):
            raise PanelReadError(path, f"not a text file: this is {kind}")
    control = _CONTROL.search(data)
    if control:
        at = control.start()
        raise PanelReadError(path, f"not a text file: control byte 0x{data[at]:02x} at byte {at} "
                             f"(a binary file named {path.suffix}?)", row=data[:at].count(b"\n") + 1)


def _sniff_delimiter(text: str) -> str:
    """Comma, semicolon or tab, sniffed from the first lines; the header line decides ties."""
    sample = "\n".join(text[:65536].splitlines()[:50])
    try:
        sep = csv.Sniffer().sniff(sample, delimiters=_DELIMITERS).delimiter
    except csv.Error:
        sep = ""
    first = next((line for line in sample.splitlines() if line.strip()), "")
    if not sep or sep not in first:
        counts = {d: first.count(d) for d in _DELIMITERS}
        sep = max(counts, key=counts.__getitem__) if any(counts.values()) else ","
    return sep


def _split_cells(path: Path, text: str, sep: str) -> pd.DataFrame:
    """Cells of a delimited text as strings, indexed by file row (1-based, blank rows kept)."""
    lead = re.match(r"(?:[ \t]*\r?\n)*", text).group()
    offset = lead.count("\n")
    try:
        cells = pd.read_csv(StringIO(text[len(lead):]), sep=sep, header=None, dtype=str,
                            keep_default_na=False, skip_blank_lines=False)
    except pd.errors.EmptyDataError:
        raise PanelReadError(path, "the file is empty") from None
    except pd.errors.ParserError as exc:
        raise _parser_error(path, str(exc), offset, sep) from None
    cells.index = np.arange(len(cells)) + 1 + offset
    return cells.fillna("")


def _parser_error(path: Path, message: str, offset: int, sep: str) -> PanelReadError:
    """Turn pandas' tokenizer message into one naming the row."""
    fields = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", message)
    if fields:
        want, line, saw = (int(g) for g in fields.groups())
        return PanelReadError(path, f"{saw} fields where the header row has {want}; is a value "
                              f"containing the delimiter {sep!r} left unquoted?", row=line + offset)
    quote = re.search(r"EOF inside string starting at row (\d+)", message)
    if quote:
        return PanelReadError(path, "a quote (\") opened here is never closed",
                              row=int(quote.group(1)) + 1 + offset)
    return PanelReadError(path, f"cannot split into columns: {message.strip()}")


def _encodings_of(raw: str) -> tuple[str, ...]:
    """The candidate encodings that decode one cell's bytes (given as a latin-1 string)."""
    data = raw.encode("latin-1")
    found = []
    for enc in ("utf-8", *LEGACY_ENCODINGS):
        try:
            data.decode(enc)
        except UnicodeDecodeError:
            continue
        found.append(enc)
    return tuple(found)


def _looks_utf8(raw: str, encodings: tuple[str, ...]) -> bool:
    """Bytes that are UTF-8 beyond coincidence: a CJK-range character, or UTF-8 only."""
    if "utf-8" not in encodings:
        return False
    return len(encodings) == 1 or max(raw.encode("latin-1").decode("utf-8")) >= "\u0800"


def _misread(raw: str, kinds: tuple[str, ...], enc: str) -> bool:
    """Bytes that ``enc`` cannot decode, or decodes to implausible text another encoding reads well."""
    if enc not in kinds:
        return True
    data = raw.encode("latin-1")
    if _PLAUSIBLE.fullmatch(data.decode(enc)):
        return False
    return any(_PLAUSIBLE.fullmatch(data.decode(e)) for e in LEGACY_ENCODINGS if e in kinds)


def _legacy_encoding(data: bytes, samples: list[str]) -> str:
    """GB18030 or Big5 for the file: the one that decodes every non-UTF-8 cell, else the one
    charset_normalizer prefers for the whole file (cell by cell it is unreliable on short names)."""
    fits = [e for e in LEGACY_ENCODINGS if all(e in _encodings_of(s) for s in samples)]
    if len(fits) == 1:
        return fits[0]
    best = from_bytes(data, cp_isolation=list(fits or LEGACY_ENCODINGS)).best()
    return codecs.lookup(best.encoding).name if best is not None else LEGACY_ENCODINGS[0]


def _best_effort(raw: str) -> str:
    """A readable rendering of a header cell for messages, whatever its encoding."""
    data = raw.encode("latin-1")
    for enc in ("utf-8", *LEGACY_ENCODINGS):
        try:
            return data.decode(enc).strip()
        except UnicodeDecodeError:
            continue
    return data.decode("gb18030", errors="replace").strip()


def _cell_error(path: Path, cells: pd.DataFrame, cell: tuple[int, int], problem: str,
                advice: str) -> PanelReadError:
    """An encoding error at one (row, field) cell: "row R: <problem> in column C: <advice>".

    The column goes into the message (and ``.column``) rather than the prefix, since the
    header itself may be what cannot be decoded.
    """
    row, field = int(cell[0]), int(cell[1])
    filled = cells.apply(lambda col: col.str.strip().ne("")).any(axis=1)
    head = cells.index[filled.to_numpy()][0]
    name = _best_effort(cells.at[head, field]) if row != head else ""
    where = f"column {name!r} (field {field + 1})" if name else f"field {field + 1}"
    err = PanelReadError(path, f"{problem} in {where}: {advice}", row=row)
    err.column = name or None
    return err


def _choose_encoding(path: Path, cells: pd.DataFrame, nonascii: pd.Series, data: bytes) -> str:
    """One encoding for the whole file, or an error at the first cell that disagrees with it."""
    uniques = pd.unique(nonascii)
    kinds = {u: _encodings_of(u) for u in uniques}

    def flag(test: dict[str, bool]) -> pd.Series:
        return nonascii.map(test).astype(bool)

    broken = flag({u: not kinds[u] for u in uniques})
    if broken.any():
        raw = nonascii[broken].iloc[0].encode("latin-1")
        raise _cell_error(path, cells, broken.idxmax(), f"undecodable bytes {raw[:12]!r}",
                          "neither UTF-8, GB18030/GBK nor Big5; re-save the file as UTF-8")
    legacy = flag({u: "utf-8" not in kinds[u] for u in uniques})
    if not legacy.any():
        return "utf-8"
    utf8 = flag({u: _looks_utf8(u, kinds[u]) for u in uniques})
    one = "re-save the whole file in one encoding (UTF-8)"
    if data.startswith(codecs.BOM_UTF8) or utf8.sum() > legacy.sum():
        raise _cell_error(path, cells, legacy.idxmax(), "mixed encodings: text that is not UTF-8 "
                          "(GBK or Big5?)", f"the rest of the file is UTF-8; {one}")
    enc = _legacy_encoding(data, [u for u in uniques if "utf-8" not in kinds[u]])
    if utf8.any():
        raise _cell_error(path, cells, utf8.idxmax(), "mixed encodings: text in UTF-8",
                          f"the rest of the file is {_SHOWN[enc]}; {one}")
    wrong = flag({u: _misread(u, kinds[u], enc) for u in uniques})
    if wrong.any():
        other = "Big5" if enc == "gb18030" else "GBK"
        raise _cell_error(path, cells, wrong.idxmax(), f"mixed encodings: text that is not "
                          f"{_SHOWN[enc]} ({other}?)", f"the rest of the file is {_SHOWN[enc]}; {one}")
    return enc


def _read_text(path: Path) -> pd.DataFrame:
    """Cells of a CSV/TSV/TXT file, decoded, indexed by file row.

    A file that is valid UTF-8 throughout is UTF-8. Otherwise its cells are split on the raw
    bytes (latin-1 keeps them intact; delimiters and quotes never occur inside a GBK or Big5
    character), one encoding is chosen for the whole file, and the file is decoded with it.
    """
    data = path.read_bytes().removesuffix(b"\x1a")  # DOS end-of-file mark
    if not data.strip():
        raise PanelReadError(path, "the file is empty")
    _check_not_binary(path, data)
    body = data.removeprefix(codecs.BOM_UTF8)
    try:
        text: str | None = body.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    sep = "\t" if path.suffix.lower() == ".tsv" else _sniff_delimiter(text or body.decode("latin-1"))
    if text is not None:
        return _split_cells(path, text, sep)
    cells = _split_cells(path, body.decode("latin-1"), sep)
    stacked = cells.stack()
    nonascii = stacked[stacked.str.contains(r"[^\x00-\x7f]", regex=True)]
    enc = _choose_encoding(path, cells, nonascii, data)
    return _split_cells(path, body.decode(enc), sep)


# --- workbooks, Stata, Parquet ------------------------------------------------------------------


def _read_excel(path: Path, sheet: str | None) -> pd.DataFrame:
    """Cells of one worksheet (the only one, or the one named), indexed by sheet row."""
    try:
        book = pd.ExcelFile(path, engine="openpyxl")
    except Exception as exc:
        raise PanelReadError(path, f"not a readable Excel workbook ({exc})") from None
    with book:
        names = [str(n) for n in book.sheet_names]
        if sheet is None and len(names) > 1:
            raise PanelReadError(path, f"the workbook has {len(names)} sheets {names}; choose one "
                                 "with sheet=...")
        if sheet is not None and sheet not in names:
            raise PanelReadError(path, f"no sheet named {sheet!r}; the sheets are {names}")
        cells = pd.read_excel(book, sheet_name=sheet or names[0], header=None, dtype=object)
    cells.index = np.arange(len(cells)) + 1
    return cells


def _read_binary_table(path: Path, suffix: str) -> pd.DataFrame:
    """A DTA or Parquet file as a frame with a header row first (row 0) like the cell readers."""
    if suffix == ".dta":
        df = pd.read_stata(path, convert_categoricals=True)
    else:
        import pyarrow.parquet as pq

        names = pq.read_schema(path).names
        _check_header(path, [n.strip() for n in names], 0)
        df = pd.read_parquet(path)
    body = df.reset_index(drop=True)
    body.index = np.arange(len(body)) + 1  # observation number
    return body


def _check_header(path: Path, names: list[str], row: int) -> None:
    """Refuse duplicate column names (compared after stripping whitespace)."""
    seen: dict[str, int] = {}
    for j, name in enumerate(names):
        if name and name in seen:
            raise PanelReadError(path, f"duplicate column name {name!r} (columns {seen[name] + 1} and "
                                 f"{j + 1}); rename one", row=row or None, column=name)
        seen.setdefault(name, j)


def _blank(cells: pd.DataFrame) -> pd.DataFrame:
    """True where a cell is missing or only whitespace."""
    return cells.isna() | cells.apply(lambda col: col.astype(str).str.strip().eq(""))


def _split_header(path: Path, cells: pd.DataFrame) -> pd.DataFrame:
    """The first non-blank row becomes the (checked) header; blank rows and columns go."""
    blank = _blank(cells)
    cells, blank = cells[~blank.all(axis=1)], blank[~blank.all(axis=1)]
    if cells.empty:
        raise PanelReadError(path, "the file is empty")
    head = int(cells.index[0])
    names = ["" if pd.isna(v) else str(v).strip() for v in cells.iloc[0]]
    body, blank = cells.iloc[1:], blank.iloc[1:]
    if body.empty:
        raise PanelReadError(path, "the file has no data rows (only a header row)", row=head)
    used = ~blank.all(axis=0).to_numpy()
    unnamed = [j for j, n in enumerate(names) if not n and used[j]]
    if unnamed:
        raise PanelReadError(path, f"column {unnamed[0] + 1} has values but no name in the header "
                             "row; name it or delete it", row=head)
    _check_header(path, names, head)
    keep = [j for j, n in enumerate(names) if n]
    body = body.iloc[:, keep]
    body.columns = [names[j] for j in keep]
    return body


def _read_raw(path: Path, sheet: str | None) -> pd.DataFrame:
    """The data rows of any supported file, columns named by its header, indexed by file row."""
    suffix = path.suffix.lower()
    if not path.exists():
        raise PanelReadError(path, "no such file")
    if path.is_dir():
        raise PanelReadError(path, "this is a directory; give the path of one file inside it")
    if suffix not in READ_SUFFIXES:
        hint = "save old .xls workbooks as .xlsx; " if suffix == ".xls" else ""
        raise PanelReadError(path, f"unsupported file type {suffix or '(none)'!r}; {hint}supported "
                             f"types are {', '.join(READ_SUFFIXES)}")
    if path.stat().st_size == 0:
        raise PanelReadError(path, "the file is empty")
    try:
        if suffix in TEXT_SUFFIXES:
            return _split_header(path, _read_text(path))
        if suffix in EXCEL_SUFFIXES:
            return _split_header(path, _read_excel(path, sheet))
        df = _read_binary_table(path, suffix)
    except PanelReadError:
        raise
    except OSError as exc:
        raise PanelReadError(path, f"cannot open the file ({exc.strerror or exc})") from None
    except Exception as exc:  # a corrupt DTA or Parquet file
        raise PanelReadError(path, f"cannot read as {suffix.lstrip('.')}: {exc}") from None
    if df.empty or len(df.columns) == 0:
        raise PanelReadError(path, "the file has no data rows")
    df.columns = [str(c).strip() for c in df.columns]
    _check_header(path, list(df.columns), 0)
    return df


# --- columns → typed arrays -----------------------------------------------------------------------


def _find(columns: list[str], role: str, given: str | None, path: Path) -> str | None:
    if given is not None:
        if given not in columns:
            raise PanelReadError(path, f"no column named {given!r}; columns are {columns}")
        return given
    for c in columns:
        if c.casefold() in _ALIASES[role]:
            return c
    return None


def _text(raw: pd.Series) -> pd.Series:
    """Cells as stripped strings, missing ones as ''."""
    return raw.astype(str).str.strip().where(raw.notna(), "").fillna("")


def _first(path: Path, bad: np.ndarray, raw: pd.Series, message: str, column: str) -> None:
    """Raise at the first flagged cell; ``message`` may use {value!r}."""
    if bad.any():
        i = int(np.argmax(bad))
        value = raw.iloc[i]
        value = value.item() if isinstance(value, np.generic) else value  # 2300, not np.int32(2300)
        raise PanelReadError(path, message.format(value=value), row=int(raw.index[i]), column=column)


def _parse_values(raw: pd.Series, path: Path, column: str) -> np.ndarray:
    """Numbers of one column: gaps are NaN; thousands separators only in groups of three."""
    if pd.api.types.is_numeric_dtype(raw):
        return raw.to_numpy(dtype=float)
    values = pd.to_numeric(raw, errors="coerce").to_numpy(dtype=float, copy=True)  # fast path
    slow = np.isnan(values)
    if not slow.any():
        return values
    rest = raw[slow]
    text = _text(rest)
    missing = text.str.casefold().isin(_MISSING).to_numpy()
    comma = text.str.contains(",", regex=False).to_numpy() & ~missing
    grouped = text.str.fullmatch(_THOUSANDS).to_numpy(dtype=bool)
    _first(path, comma & ~grouped, rest, "ambiguous comma in the number {value!r}: thousands "
           "separators must split groups of three digits (1,234,567); write a decimal as 12.34",
           column)
    number = text.where(~missing, None).str.replace(",", "", regex=False)
    parsed = pd.to_numeric(number, errors="coerce").to_numpy(dtype=float)
    _first(path, np.isnan(parsed) & ~missing, rest, "non-numeric value {value!r}", column)
    values[slow] = parsed
    return values


def _parse_years(raw: pd.Series, path: Path, column: str) -> np.ndarray:
    """Whole years in MIN_YEAR..MAX_YEAR; "2020年" and 2020.0 are accepted."""
    text = _text(raw)
    _first(path, (text == "").to_numpy(), raw, "missing year", column)
    number = text.str.replace(r"年$", "", regex=True).str.replace(r"\.0$", "", regex=True)
    years = pd.to_numeric(number, errors="coerce").to_numpy(dtype=float)
    whole = np.isfinite(years) & (years == np.round(years))
    _first(path, ~whole, raw, "impossible year {value!r}: not a whole number", column)
    _first(path, (years < MIN_YEAR) | (years > MAX_YEAR), raw,
           f"impossible year {{value!r}}: outside {MIN_YEAR}–{MAX_YEAR}", column)
    return years.astype(int)


def _parse_provinces(raw: pd.Series, path: Path, column: str) -> np.ndarray:
    """Adcodes of one column, resolving each distinct name once."""
    text = _text(raw)
    _first(path, (text == "").to_numpy(), raw, "missing province", column)
    table = {u: getattr(regions.try_resolve(u), "adcode", None) for u in pd.unique(text)}
    codes = text.map(table)
    bad = codes.isna().to_numpy()
    if bad.any():
        i = int(np.argmax(bad))
        try:
            regions.resolve(text.iloc[i])
        except regions.UnknownRegionError as err:
            raise PanelReadError(path, str(err), row=int(raw.index[i]), column=column) from None
    return codes.to_numpy(dtype=object)


def read_panel(path: str | Path, *, province: str | None = None, year: str | None = None,
               indicators: list[str] | None = None, sheet: str | None = None) -> pd.DataFrame:
    """Read a user's panel file into the tidy form (adcode, province, year, indicator, value).

    Long files have province, year, indicator and value columns (other columns such as unit
    or source are ignored); wide files have province, year and one column per indicator.
    Column names are recognised in English or Chinese (province/地区/省份, year/年份 …) or given
    explicitly. Empty cells and NBS's "…"/"—" are gaps and are left out. CSV delimiters (comma,
    semicolon, tab) are sniffed; ``.tsv`` is tab-separated. A workbook with several sheets needs
    ``sheet=`` (ignored for other files). Thousands separators count only in groups of three
    ("1,234,567", "12,345.6"); any other comma in a number is an error.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "mine.csv"
    >>> _ = p.write_text("地区,年份,专利\\n陝西,2022,1200\\n北京市,2022,9000\\n", encoding="gbk")
    >>> read_panel(p)[["adcode", "year", "indicator", "value"]].values.tolist()
    [['110000', 2022, '专利', 9000.0], ['610000', 2022, '专利', 1200.0]]
    """
    path = Path(path)
    df = _read_raw(path, sheet)
    rows = df.index.to_numpy()
    cols = list(df.columns)
    pcol = _find(cols, "province", province, path)
    ycol = _find(cols, "year", year, path)
    if pcol is None or ycol is None:
        missing = "province" if pcol is None else "year"
        raise PanelReadError(path, f"no {missing} column found among {cols}; name it "
                             f"explicitly (province=..., year=...)")
    icol = _find(cols, "indicator", None, path)
    vcol = _find(cols, "value", None, path)
    codes = _parse_provinces(df[pcol], path, pcol)
    years = _parse_years(df[ycol], path, ycol)
    if icol is not None and vcol is not None:  # long form
        names = _text(df[icol])
        _first(path, (names == "").to_numpy(), names, "empty indicator name", icol)
        values = _parse_values(df[vcol], path, vcol)
        long = pd.DataFrame({"adcode": codes, "year": years, "indicator": names.to_numpy(dtype=object),
                             "value": values, "_row": rows})
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
                                       "value": _parse_values(df[c], path, c), "_row": rows}))
        long = pd.concat(parts, ignore_index=True)
    _check_duplicate_keys(long, path, icol)
    long = long.dropna(subset=["value"]).drop(columns="_row")
    short = {p.adcode: p.short for p in regions.PROVINCES}
    long.insert(1, "province", long["adcode"].map(short))
    return long.sort_values(["indicator", "adcode", "year"], kind="stable").reset_index(drop=True)


def _check_duplicate_keys(long: pd.DataFrame, path: Path, icol: str | None) -> None:
    """Refuse a second value for the same (province, year, indicator)."""
    dup = long.duplicated(["adcode", "year", "indicator"], keep="first").to_numpy()
    if not dup.any():
        return
    r = long.iloc[int(np.argmax(dup))]
    first = long[(long["adcode"] == r["adcode"]) & (long["year"] == r["year"])
                 & (long["indicator"] == r["indicator"])]["_row"].iloc[0]
    raise PanelReadError(
        path, f"duplicate (province, year, indicator) = ({regions.resolve(r['adcode']).short}, "
        f"{r['year']}, {r['indicator']}); first seen at row {first}", row=int(r["_row"]),
        column=icol or r["indicator"])


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
