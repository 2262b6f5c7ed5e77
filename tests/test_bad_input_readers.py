"""read_panel against bad input: each case raises PanelReadError naming the file, row and column.

Every case is written to tmp_path as bytes (or by a writer function for workbooks, Stata and
Parquet files); the good cases check the exact values read.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from openpyxl import Workbook

from nqpf.data import PanelReadError, read_panel

Writer = Callable[[Path], None]
Content = bytes | Writer | None  # None: the file is not created

UTF8_BOM = b"\xef\xbb\xbf"


def gbk(text: str) -> bytes:
    """Text as GBK bytes (what Chinese Excel writes)."""
    return text.encode("gbk")


def big5(text: str) -> bytes:
    """Text as Big5 bytes (what Traditional-Chinese Excel writes)."""
    return text.encode("big5")


def xlsx(sheets: dict[str, list[list[object]]]) -> Writer:
    """A writer for a workbook with the given sheets (name → rows)."""
    def write(path: Path) -> None:
        book = Workbook()
        book.remove(book.active)
        for name, rows in sheets.items():
            sheet = book.create_sheet(name)
            for row in rows:
                sheet.append(row)
        book.save(path)
    return write


def dta(frame: pd.DataFrame) -> Writer:
    """A writer for a Stata 14 file."""
    return lambda path: frame.to_stata(path, write_index=False, version=118)


def parquet(names: list[str], columns: list[list[object]]) -> Writer:
    """A writer for a Parquet file, allowing names pandas would refuse (duplicates)."""
    return lambda path: pq.write_table(pa.table([pa.array(c) for c in columns], names=names), path)


def directory(path: Path) -> None:
    """A directory where a file is expected."""
    path.mkdir()


def png_named_csv(path: Path) -> None:
    """A PNG image saved with a .csv name."""
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))


def workbook_named_csv(path: Path) -> None:
    """A real XLSX workbook saved with a .csv name."""
    xlsx({"S": [["province", "year", "gdp"], ["北京", 2020, 1]]})(path)


def parquet_named_csv(path: Path) -> None:
    """A real Parquet file saved with a .csv name."""
    pd.DataFrame({"province": ["北京"], "year": [2020], "gdp": [1.0]}).to_parquet(path)


HEAD = "地区,年份,专利\n"
TWO_SHEETS = xlsx({"Data": [["province", "year", "gdp"], ["北京", 2020, 1.5]], "Notes": [["x"]]})

# (case id, file name, content, read_panel keywords, expected substring of the message)
BAD: list[tuple[str, str, Content, dict[str, str], str]] = [
    # encodings: one encoding per file, decided from the whole file
    ("gbk-with-utf8-province", "a.csv", gbk(HEAD + "北京,2022,1\n") + "广东,2022,2\n".encode()
     + gbk("上海,2022,3\n"), {}, "a.csv, row 3: mixed encodings: text in UTF-8 in column '地区' "
     "(field 1): the rest of the file is GB18030/GBK"),
    ("gbk-with-utf8-indicator", "a.csv", gbk("地区,年份,指标,数值\n北京,2022,专利,1\n广东,2022,")
     + "专利".encode() + b",2\n" + gbk("上海,2022,专利,3\n"), {},
     "row 3: mixed encodings: text in UTF-8 in column '指标' (field 3)"),
    ("gbk-with-utf8-header", "a.csv", gbk("地区,年份,") + "专利授权数".encode()
     + gbk("\n北京,2022,1\n广东,2022,2\n"), {}, "row 1: mixed encodings: text in UTF-8 in field 3"),
    ("utf8-with-gbk-cell", "a.csv", (HEAD + "北京,2022,1\n广东,2022,2\n").encode() + gbk("天津,2022,5\n"),
     {}, "row 4: mixed encodings: text that is not UTF-8 (GBK or Big5?) in column '地区' (field 1)"),
    ("utf8-bom-with-gbk-cell", "a.csv", UTF8_BOM + (HEAD + "北京,2022,1\n").encode() + gbk("天津,2022,5\n"),
     {}, "row 3: mixed encodings: text that is not UTF-8"),
    ("gbk-with-big5-indicator", "a.csv", gbk("地区,年份,指标,数值\n北京,2022,专利,1\n广东,2022,")
     + big5("專利") + gbk(",2\n上海,2022,专利,3\n"), {},
     "row 3: mixed encodings: text that is not GB18030/GBK (Big5?) in column '指标'"),
    ("undecodable-cell", "u.csv", b"province,year,gdp\nBeijing,2020,1\n\xff\xfe\x80,2020,2\n", {},
     "u.csv, row 3: undecodable bytes b'\\xff\\xfe\\x80' in column 'province' (field 1)"),
    ("undecodable-header", "u.csv", b"province,year,\xff\xff\nBeijing,2020,1\n", {},
     "row 1: undecodable bytes b'\\xff\\xff' in field 3"),
    ("utf16-text", "a.csv", "province,year,gdp\n北京,2020,1\n".encode("utf-16"), {}, "UTF-16 text"),
    # binary files with a text name
    ("nul-bytes", "b.csv", b"province,year\n\x00\x01\x02\x03", {},
     "b.csv, row 2: not a text file: control byte 0x00 at byte 14"),
    ("binary-without-nul", "b.csv", bytes(range(200, 0, -1)) * 8, {}, "not a text file: control byte"),
    ("xlsx-named-csv", "b.csv", workbook_named_csv, {}, "not a text file: this is a ZIP archive"),
    ("png-named-csv", "b.csv", png_named_csv, {}, "not a text file: this is a PNG image"),
    ("parquet-named-csv", "b.csv", parquet_named_csv, {}, "not a text file: this is a Parquet file"),
    # the file as a whole
    ("empty-file", "e.csv", b"", {}, "e.csv: the file is empty"),
    ("whitespace-only", "e.csv", b" \n\r\n\t\n", {}, "e.csv: the file is empty"),
    ("header-only", "h.csv", b"province,year,gdp\n", {}, "h.csv, row 1: the file has no data rows"),
    ("header-and-blank-lines", "h.csv", b"\nprovince,year,gdp\n\n,,\n", {},
     "row 2: the file has no data rows"),
    ("directory", "d.csv", directory, {}, "d.csv: this is a directory"),
    ("missing-file", "nothing.csv", None, {}, "nothing.csv: no such file"),
    ("unknown-extension", "p.json", b"{}", {},
     "unsupported file type '.json'; supported types are .csv, .tsv, .txt, .xlsx"),
    ("old-xls", "p.xls", b"\xd0\xcf\x11\xe0", {}, "save old .xls workbooks as .xlsx"),
    ("no-extension", "panel", b"province,year\n", {}, "unsupported file type '(none)'"),
    ("ragged-row", "r.csv", b"province,year,gdp\nBeijing,2020,1\nTianjin,2020,1,234\n", {},
     "row 3: 4 fields where the header row has 3"),
    ("unclosed-quote", "q.csv", b'province,year,gdp\nBeijing,2020,1\nTianjin,2020,"12\nHebei,2020,3\n',
     {}, "row 3: a quote (\") opened here is never closed"),
    ("unnamed-column-with-values", "n.csv", b"province,year,,gdp\nBeijing,2020,7,1\n", {},
     "row 1: column 3 has values but no name"),
    # duplicate column names, read before pandas could rename them rd / rd.1
    ("duplicate-column", "c.csv", b"province,year,rd,rd\nBeijing,2020,1,2\n", {},
     "c.csv, row 1, column 'rd': duplicate column name 'rd' (columns 3 and 4)"),
    ("duplicate-after-strip", "c.csv", b"province,year,rd, rd \nBeijing,2020,1,2\n", {},
     "row 1, column 'rd': duplicate column name 'rd' (columns 3 and 4)"),
    ("duplicate-beside-rd.1", "c.csv", b"province,year,rd,rd.1,rd\nBeijing,2020,1,2,3\n", {},
     "duplicate column name 'rd' (columns 3 and 5)"),
    ("duplicate-tsv", "c.tsv", "省份\t年份\t专利\t专利\n北京\t2020\t1\t2\n".encode(), {},
     "row 1, column '专利': duplicate column name '专利'"),
    ("duplicate-after-blank-lines", "c.csv", b"\n\nprovince,year,gdp,gdp\nBeijing,2020,1,2\n", {},
     "row 3, column 'gdp': duplicate column name"),
    ("duplicate-xlsx", "c.xlsx", xlsx({"S": [["province", "year", "rd", "rd "], ["北京", 2020, 1, 2]]}),
     {}, "c.xlsx, row 1, column 'rd': duplicate column name 'rd'"),
    ("duplicate-parquet", "c.parquet", parquet(["province", "year", "rd", " rd"],
                                                [["北京"], [2020], [1.0], [2.0]]), {},
     "c.parquet, column 'rd': duplicate column name 'rd' (columns 3 and 4)"),
    # thousands separators: only groups of three
    ("comma-decimal", "t.csv", b'province,year,gdp\nBeijing,2020,"1,2"\n', {},
     "t.csv, row 2, column 'gdp': ambiguous comma in the number '1,2'"),
    ("comma-two-digits-semicolon", "t.csv", b"province;year;gdp\nBeijing;2020;1\nTianjin;2020;12,34\n",
     {}, "row 3, column 'gdp': ambiguous comma in the number '12,34'"),
    ("comma-four-digits", "t.tsv", b"province\tyear\tgdp\nBeijing\t2020\t1,2345\n", {},
     "row 2, column 'gdp': ambiguous comma in the number '1,2345'"),
    ("comma-after-decimal", "t.csv", b'province,year,gdp\nBeijing,2020,"1,234.5,6"\n', {},
     "row 2, column 'gdp': ambiguous comma"),
    ("comma-leading", "t.csv", b'province,year,gdp\nBeijing,2020,",123"\n', {},
     "row 2, column 'gdp': ambiguous comma in the number ',123'"),
    ("comma-first-group-too-long", "t.csv", b'province,year,gdp\nBeijing,2020,"1234,567"\n', {},
     "row 2, column 'gdp': ambiguous comma"),
    ("comma-xlsx-text", "t.xlsx", xlsx({"S": [["province", "year", "gdp"], ["北京", 2020, "12,34"]]}),
     {}, "t.xlsx, row 2, column 'gdp': ambiguous comma in the number '12,34'"),
    # non-numeric values
    ("chinese-numeral", "v.csv", (HEAD + "北京,2020,1\n天津,2020,三万\n").encode(), {},
     "row 3, column '专利': non-numeric value '三万'"),
    ("full-width-digits", "v.csv", "province,year,gdp\n北京,2020,１２\n".encode(), {},
     "row 2, column 'gdp': non-numeric value '１２'"),
    ("two-points", "v.csv", b"province,year,gdp\nBeijing,2020,1.2.3\n", {},
     "row 2, column 'gdp': non-numeric value '1.2.3'"),
    ("percent-in-xlsx", "v.xlsx", xlsx({"S": [["province", "year", "rd"], ["北京", 2020, 2.1],
                                              ["天津", 2020, "3%"]]}), {},
     "v.xlsx, row 3, column 'rd': non-numeric value '3%'"),
    ("non-numeric-long-form", "v.csv", b"province,year,indicator,value\nBeijing,2020,gdp,abc\n", {},
     "row 2, column 'value': non-numeric value 'abc'"),
    # years
    ("year-fraction", "y.csv", b"province,year,gdp\nBeijing,2020,1\nTianjin,2020.5,1\n", {},
     "row 3, column 'year': impossible year '2020.5': not a whole number"),
    ("year-words", "y.csv", "province,year,gdp\n北京,二〇二〇,1\n".encode(), {},
     "row 2, column 'year': impossible year '二〇二〇': not a whole number"),
    ("year-too-early", "y.csv", b"province,year,gdp\nBeijing,1900,1\n", {},
     "row 2, column 'year': impossible year '1900': outside 1949–2100"),
    ("year-too-late", "y.csv", b"province,year,gdp\nBeijing,2020,1\nBeijing,2101,1\n", {},
     "row 3, column 'year': impossible year '2101': outside 1949–2100"),
    ("year-missing", "y.csv", b"province,year,gdp\nBeijing,2020,1\nTianjin, ,1\n", {},
     "row 3, column 'year': missing year"),
    ("year-xlsx-number", "y.xlsx", xlsx({"S": [["province", "year", "gdp"], ["北京", 20201, 1]]}), {},
     "y.xlsx, row 2, column 'year': impossible year 20201: outside"),
    ("year-dta", "y.dta", dta(pd.DataFrame({"province": ["北京", "上海"], "year": [2020, 2300],
                                             "rd": [1.0, 2.0]})), {},
     "y.dta, row 2, column 'year': impossible year 2300: outside 1949–2100"),
    # provinces
    ("unknown-province", "p.csv", (HEAD + "北京,2020,1\n陕东,2020,2\n").encode(), {},
     "row 3, column '地区': unknown province '陕东'"),
    ("taiwan-in-big5", "p.csv", big5("地區,年份,專利\n北京,2022,1\n臺灣,2022,2\n"), {},
     "row 3, column '地區': unknown province '臺灣'"),
    ("province-missing", "p.csv", b"province,year,gdp\nBeijing,2020,1\n,2020,2\n", {},
     "row 3, column 'province': missing province"),
    ("no-province-column", "p.csv", b"city,year,gdp\nBeijing,2020,1\n", {}, "no province column found"),
    ("blank-lines-counted", "p.csv", b"\n\nprovince,year,gdp\n\nBeijing,2020,1\nAtlantis,2020,2\n", {},
     "row 6, column 'province': unknown province 'Atlantis'"),
    ("empty-indicator-name", "i.csv", b"province,year,indicator,value\nBeijing,2020,gdp,1\nBeijing,2020,,2\n",
     {}, "row 3, column 'indicator': empty indicator name"),
    # workbooks, Stata and Parquet
    ("several-sheets", "w.xlsx", TWO_SHEETS, {}, "the workbook has 2 sheets ['Data', 'Notes']; choose one "
     "with sheet="),
    ("sheet-not-found", "w.xlsx", TWO_SHEETS, {"sheet": "Nope"},
     "no sheet named 'Nope'; the sheets are ['Data', 'Notes']"),
    ("empty-sheet", "w.xlsx", xlsx({"S": []}), {}, "w.xlsx: the file is empty"),
    ("sheet-header-only", "w.xlsx", xlsx({"S": [[None], ["province", "year", "gdp"]]}), {},
     "w.xlsx, row 2: the file has no data rows"),
    ("text-named-xlsx", "w.xlsx", b"province,year,gdp\n", {}, "not a readable Excel workbook"),
    ("corrupt-dta", "s.dta", b"province,year,gdp\n", {}, "s.dta: cannot read as dta"),
    ("corrupt-parquet", "s.parquet", b"PAR1 not really", {}, "s.parquet: cannot read as parquet"),
]

# (case id, file name, content, read_panel keywords, rows expected as (adcode, year, indicator, value))
GOOD: list[tuple[str, str, Content, dict[str, str], list[tuple[str, int, str, float]]]] = [
    ("big5", "b.csv", big5("地區,年份,專利\n北京,2022,100\n廣東,2022,200\n"), {},
     [("110000", 2022, "專利", 100.0), ("440000", 2022, "專利", 200.0)]),
    ("big5-long-form", "b.csv", big5("地區,年份,指標,數值\n廣東省,2021,研發經費,1.5\n"), {},
     [("440000", 2021, "研發經費", 1.5)]),
    ("semicolon", "s.csv", "province;year;gdp;rd\n北京;2020;1,234,567;2.5\n上海;2020;12,345.6;\n".encode(),
     {}, [("110000", 2020, "gdp", 1234567.0), ("310000", 2020, "gdp", 12345.6),
          ("110000", 2020, "rd", 2.5)]),
    ("tsv", "t.tsv", "province\tyear\tgdp\n北京\t2020\t1,234\n天津\t2020\t 7 \n".encode(), {},
     [("110000", 2020, "gdp", 1234.0), ("120000", 2020, "gdp", 7.0)]),
    ("thousands-quoted", "q.csv", b'province,year,gdp\nBeijing,2020,"1,234,567"\nShanghai,2020,"-12,345.6"\n',
     {}, [("110000", 2020, "gdp", 1234567.0), ("310000", 2020, "gdp", -12345.6)]),
    ("utf8-bom-tab-sniffed", "u.txt", UTF8_BOM + "省份\t年份\t专利\n北京\t2020\t3\n".encode(), {},
     [("110000", 2020, "专利", 3.0)]),
    ("dos-end-of-file-mark", "d.csv", b"province,year,gdp\r\nBeijing,2020,1\r\n\x1a", {},
     [("110000", 2020, "gdp", 1.0)]),
    ("gbk-blank-lines", "g.csv", gbk("\n地区,年份,专利\n\n北京,2020,1\n"), {},
     [("110000", 2020, "专利", 1.0)]),
    ("sheet-chosen", "w.xlsx", TWO_SHEETS, {"sheet": "Data"}, [("110000", 2020, "gdp", 1.5)]),
    ("one-sheet", "w.xlsx", xlsx({"Only": [["地区", "年份", "gdp"], ["上海", 2019, "2,500"]]}), {},
     [("310000", 2019, "gdp", 2500.0)]),
]


def materialise(tmp_path: Path, name: str, content: Content) -> Path:
    """Write one case's file under tmp_path and return its path."""
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        content(path)
    return path


@pytest.mark.parametrize(("name", "content", "kwargs", "expected"),
                         [pytest.param(*case[1:], id=case[0]) for case in BAD])
def test_bad_input_raises_panel_read_error(tmp_path: Path, name: str, content: Content,
                                           kwargs: dict[str, str], expected: str) -> None:
    path = materialise(tmp_path, name, content)
    with pytest.raises(PanelReadError) as err:
        read_panel(path, **kwargs)
    assert type(err.value) is PanelReadError
    assert str(err.value).startswith(str(path))
    assert expected in str(err.value)


@pytest.mark.parametrize(("name", "content", "kwargs", "expected"),
                         [pytest.param(*case[1:], id=case[0]) for case in GOOD])
def test_good_input_reads_exact_values(tmp_path: Path, name: str, content: Content,
                                       kwargs: dict[str, str],
                                       expected: list[tuple[str, int, str, float]]) -> None:
    df = read_panel(materialise(tmp_path, name, content), **kwargs)
    got = sorted(zip(df.adcode, df.year.astype(int), df.indicator, df.value, strict=True))
    assert got == sorted(expected)


def test_table_is_large_enough() -> None:
    assert len(BAD) >= 40 and len({case[0] for case in BAD}) == len(BAD)


def test_error_carries_row_and_column(tmp_path: Path) -> None:
    path = materialise(tmp_path, "a.csv", gbk(HEAD + "北京,2022,1\n") + "广东,2022,2\n".encode())
    with pytest.raises(PanelReadError) as err:
        read_panel(path)
    assert (err.value.row, err.value.column) == (3, "地区")
    path = materialise(tmp_path, "t.csv", b"province;year;gdp\nBeijing;2020;12,34\n")
    with pytest.raises(PanelReadError) as err:
        read_panel(path)
    assert (err.value.row, err.value.column) == (2, "gdp")
