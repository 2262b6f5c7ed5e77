"""Tables of indicators flattened into one cell per line (``指标 |`` / ``单位 |`` / ``2027年 |``):
a plan's 主要指标 table, each row a metric, its unit and a value for each year column.

Written by hand: the cells arrive as lines of text, not as HTML a table parser could read.

>>> rows = find_table_targets("类别 |\\n主要指标 |\\n单位 |\\n2022年 |\\n2027年 |\\n"
...                           "数字经济增加值占GDP比重 |\\n% |\\n45.4 |\\n50 |\\n"
...                           "重点企业 |\\n家 |\\n/ |\\n500 |\\n")
>>> [(r.metric, r.value, r.unit, r.year) for r in rows]
[('数字经济增加值占GDP比重', 50.0, '%', 2027), ('重点企业', 500.0, '家', 2027)]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nqpf.extract.numbers import UNITS, _base

__all__ = ["TableTarget", "find_table_targets"]

#: A cell: a line that ends in a column bar.
_CELL = re.compile(r"^[ \t\u3000]*(.*?)[ \t\u3000]*\|+[ \t]*$", re.M)
#: A column heading with a year: 2027年, 2025年目标.
_YEAR_HEADING = re.compile(r"^((?:19|20)\d{2})\s*年")
#: A row's attribute column: 预期性, 约束性.
_ATTRIBUTE = re.compile(r"^(?:预期性|约束性|指导性|属性)$")
#: A value cell: 50, 5左右, >84, [20], [累计达到1000], 约110.
_VALUE = re.compile(r"^[\[［]?(?:五年)?(?:累计)?(?:达到)?(?P<before>约|超过|不低于|不少于|>|≥|<|≤)?\s*"
                    r"(?P<n>\d+(?:\.\d+)?)\s*(?P<after>左右|以上|以下|以内)?[\]］]?$")
#: An empty value cell: -, /, —.
_PLACEHOLDER = re.compile(r"^[-/—–－]*$")
_COMPARATORS = {"约": "~", "左右": "~", "超过": ">", ">": ">", "不低于": ">=", "不少于": ">=", "≥": ">=",
                "以上": ">=", "<": "<", "以下": "<=", "以内": "<=", "≤": "<="}
#: Units a table writes in its unit column, beyond :data:`nqpf.extract.numbers.UNITS`.
_TABLE_UNITS = frozenset(UNITS) | {"万元/人", "岁", "万平方米", "平方米/人", "万亿元"}


@dataclass
class TableTarget:
    metric: str
    value: float
    unit: str
    comparator: str
    year: int
    start: int  # span of the value's cell in the text
    end: int


def find_table_targets(text: str) -> list[TableTarget]:
    """The values of the last year column of each flattened table of indicators in ``text``
    (a row's last value, where the row leaves that column empty), each due by that year."""
    cells = [(m.group(1), m.start(1), m.end(1)) for m in _CELL.finditer(text)] if "|" in text else []
    out: list[TableTarget] = []
    year, numbered = None, False
    i = 0
    while i < len(cells):
        cell = cells[i][0]
        if cell == "单位":
            years = _header_years(cells, i)
            year = max(years) if years else None
            numbered = any(c == "序号" for c, _, _ in cells[max(0, i - 4):i])
        elif year is not None and i and _is_unit(cell) and _is_metric(cells[i - 1][0]):
            metric = cells[i - 1][0]
            values, i = _row_values(cells, i + 1, numbered)
            if values:
                (_, start, end), m = values[-1]
                value, unit = _base(float(m.group("n")), "", cell.replace(" ", ""))
                comparator = _COMPARATORS.get(m.group("before") or m.group("after") or "", "=")
                out.append(TableTarget(metric, value, unit, comparator, year, start, end))
            continue
        i += 1
    return out


def _header_years(cells: list[tuple[str, int, int]], at: int) -> list[int]:
    """The years of the column headings after the unit column's heading at ``at``."""
    years = []
    for cell, _, _ in cells[at + 1:at + 8]:
        m = _YEAR_HEADING.match(cell)
        if m:
            years.append(int(m.group(1)))
    return years


def _is_unit(cell: str) -> bool:
    return cell.replace(" ", "") in _TABLE_UNITS


def _is_metric(cell: str) -> bool:
    """A row's metric: words, not a number, a unit or an empty cell."""
    return bool(re.search(r"[\u4e00-\u9fff]{2}", cell)) and not _is_unit(cell) \
        and not _ATTRIBUTE.match(cell)


def _row_values(cells: list[tuple[str, int, int]], i: int, numbered: bool
                ) -> tuple[list[tuple[tuple[str, int, int], re.Match]], int]:
    """The numeric values of a row from cell ``i`` on (past its attribute and empty cells),
    and the index of the first cell after them; in a table with a 序号 column, not the next
    row's number."""
    if i < len(cells) and _ATTRIBUTE.match(cells[i][0]):
        i += 1
    values = []
    while i < len(cells):
        cell = cells[i][0]
        m = _VALUE.match(cell)
        if m and numbered and cell.isdigit() and i + 2 < len(cells) and _is_metric(cells[i + 1][0]) \
                and _is_unit(cells[i + 2][0]):
            break  # the next row's number (序号), then its metric and unit
        if m:
            values.append((cells[i], m))
        elif not _PLACEHOLDER.match(cell):
            break
        i += 1
    return values, i
