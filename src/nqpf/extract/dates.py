"""Dates and deadlines in Simplified Chinese text.

Absolute dates (2024年3月14日), partial dates (4月15日, 3月份) resolved against a reference
year (the publication year, or the nearest explicit year in the context), and deadlines:
到2025年, 2027年底前, 至2030年, 三年内 (counted from a reference date), 今年, 明年,
“十四五”期间 (= 2025), “十五五” (= 2030).

>>> [d.iso for d in find_dates("2024年3月14日，深圳；4月15日", reference_year=2024)]
['2024-03-14', '2024-04-15']
>>> [(d.year, d.text) for d in find_deadlines("到2025年，培育；三年内累计投放", base_year=2024)]
[(2025, '到2025年'), (2027, '三年内')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nqpf.extract.numbers import chinese_number
from nqpf.records import as_record

__all__ = ["DateMention", "Deadline", "digit_years", "explicit_years", "find_dates",
           "find_deadlines"]

#: A year written in Chinese numerals, digit by digit: 二〇二五年, 二零零四年, 二00四年.
_CN_YEAR = re.compile(r"(?<![〇零○一二三四五六七八九\d])(?:一九|二[〇零○0Ｏ])"
                      r"[〇零○0Ｏ一二三四五六七八九\d]{2}(?=\s*年)")
_CN_YEAR_DIGITS = str.maketrans("〇零○Ｏ一二三四五六七八九", "0000123456789")


def digit_years(text: str) -> str:
    """``text`` with years written in Chinese numerals in digits, character for character
    (the same length, so every position stays where it was).

    >>> digit_years("二00四年新疆；二〇二五年底；十二五年")
    '2004年新疆；2025年底；十二五年'
    """
    return _CN_YEAR.sub(lambda m: m.group().translate(_CN_YEAR_DIGITS), text)


@dataclass
class DateMention:
    year: int | None
    month: int | None
    day: int | None
    start: int
    end: int
    text: str
    inferred_year: bool = False

    @property
    def iso(self) -> str | None:
        if self.year is None:
            return None
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    def to_dict(self) -> dict:
        return {**as_record(self), "iso": self.iso}


@dataclass
class Deadline:
    year: int
    start: int
    end: int
    text: str
    kind: str  # "by-year", "within-years", "this-year", "plan-period", "period" (2024—2026年);
    # "year": a plan for the publication's own year (2024年…目标)

    def to_dict(self) -> dict:
        return as_record(self)


_FULL = re.compile(r"(?<!\d)(\d{4})\s*年\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*[日号])?")
_PARTIAL = re.compile(r"(?<![\d年])(\d{1,2})\s*月\s*(?:(\d{1,2})\s*[日号]|份)?")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年")


def explicit_years(text: str) -> list[tuple[int, int]]:
    """(position, year) of every explicit year."""
    return [(m.start(), int(m.group(1))) for m in _YEAR.finditer(text)]


def _nearest_year(years: list[tuple[int, int]], pos: int) -> int | None:
    before = [y for p, y in years if p <= pos]
    if before:
        return before[-1]
    return years[0][1] if years else None


def find_dates(text: str, reference_year: int | None = None) -> list[DateMention]:
    """Absolute and partial dates; a partial date takes ``reference_year`` or, failing that,
    the nearest explicit year before it (or the first one after)."""
    out: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    for m in _FULL.finditer(text):
        month, day = int(m.group(2)), int(m.group(3)) if m.group(3) else None
        if 1 <= month <= 12 and (day is None or 1 <= day <= 31):
            out.append(DateMention(int(m.group(1)), month, day, m.start(), m.end(), m.group()))
            taken.append((m.start(), m.end()))
    years = explicit_years(text)
    for m in _PARTIAL.finditer(text):
        if any(s <= m.start() < e for s, e in taken):
            continue
        month = int(m.group(1))
        day = int(m.group(2)) if m.group(2) else None
        if not 1 <= month <= 12 or (day is not None and not 1 <= day <= 31):
            continue
        if day is None and not m.group().endswith("份"):
            continue  # "3月" alone is too often part of something else (3个月)
        year = reference_year if reference_year is not None else _nearest_year(years, m.start())
        out.append(DateMention(year, month, day, m.start(), m.end(), m.group(),
                               inferred_year=True))
    return sorted(out, key=lambda d: d.start)


_BY_YEAR = re.compile(r"(?:截至|截止到|截止|到|至|力争到|力争在|争取到|争取在|在)?\s*((?:19|20)\d{2})\s*年"
                      r"(?:底前|末前|底|末|以前|之前|前(?![一二两三四五六七八九十\d]+个?(?:季度|月|年|天|周)))?")
_BY_YEAR_PREFIX = ("到", "至", "力争", "争取")
#: A year that labels what follows, at the start of a line or list item: 2030年——…, 2025年：….
_YEAR_LABEL = re.compile(r"(?:^|(?<=[：:；;。]))[ \t\u3000]*((?:19|20)\d{2})\s*年\s*(?:——|—|：|:)",
                         re.M)
_WITHIN = re.compile(r"(?:今后|未来)\s*([一二两三四五六七八九十\d]{1,3})\s*年(?:左右)?(?:内|时间|间)?"
                     r"|(?<![\d一二两三四五六七八九十〇零])([一二两三四五六七八九十\d]{1,3})\s*年"
                     r"(?:(?:左右)?(?:内|时间|间)|左右(?=\s*(?:实现|完成|建成|达到|形成|使|让)))")
#                      力争三年左右实现…: 左右 with the verb of the aim right after
#: A plan period written as a span: 2024—2026年 → due 2026.
_SPAN = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年?\s*[—–\-－~～至到]\s*((?:19|20)\d{2})\s*年")
#: The last year of each five-year plan's period.
PLAN_END = _PLAN = {"十一五": 2010, "十二五": 2015, "十三五": 2020, "十四五": 2025, "十五五": 2030}
_PLAN_RE = re.compile(r"[“\"‘']?(十[一二三四五]五)[”\"’']?(?:期间|时期|末|规划期)?")


#: This year, next year and the year after, from the publication.
_THIS_YEAR = re.compile(r"今年|明年|后年|(?<![一二两三四五六七八九十\d])年内|全年"
                        # 到年底将突破400亿元: the end of this year
                        r"|(?:到|至)年(?:底|末)|(?<![\d一二两三四五六七八九十〇零去今明前上])年底前")
#: A verb of aim shortly before, in the same clause: 力争…全年.
_AIM_BEFORE = re.compile(r"(?:力争|确保|争取)[^，。；！？]{0,12}$")


#: A plan's first year named (“十五五”开局之年 is 2026, not the period's end).
_FIRST_YEAR_OF = re.compile(r"[”’」』\"]?\s?(?:的)?(?:开局|起步|第一年|头一年)")


def find_deadlines(text: str, base_year: int | None = None,
                   publication_year: int | None = None) -> list[Deadline]:
    """Deadlines: explicit target years introduced as deadlines, horizons counted from
    ``base_year`` (三年内 = base + 3), 今年/明年 from ``publication_year`` and plan periods."""
    # every deadline names a year (…年) but a plan's period (十四五)
    out = _year_deadlines(text, base_year, publication_year) if "年" in text else []
    if "五" in text:
        out += [Deadline(_PLAN[m.group(1)], m.start(), m.end(), m.group(), "plan-period")
                for m in _PLAN_RE.finditer(text) if not _FIRST_YEAR_OF.match(text, m.end())]
    return sorted(out, key=lambda d: d.start)


def _year_deadlines(text: str, base_year: int | None, publication_year: int | None
                    ) -> list[Deadline]:
    """The deadlines of :func:`find_deadlines` that name a year: all but plan periods."""
    out: list[Deadline] = []
    for m in _BY_YEAR.finditer(text):
        s = m.group()
        suffix = s[s.index("年") + 1:]
        if s.startswith(("截至", "截止")):
            continue  # "as of": a statistic's date, not a deadline
        if s.startswith(_BY_YEAR_PREFIX) or suffix:
            out.append(Deadline(int(m.group(1)), m.start(), m.end(), s.strip(), "by-year"))
    for m in _YEAR_LABEL.finditer(text):  # 规划目标：2025年——…；\n2030年——…
        out.append(Deadline(int(m.group(1)), m.start(1), m.end(), m.group().strip(), "by-year"))
    for m in _SPAN.finditer(text):
        if int(m.group(2)) > int(m.group(1)):
            out.append(Deadline(int(m.group(2)), m.start(), m.end(), m.group(), "period"))
    for m in _WITHIN.finditer(text):
        if text[max(0, m.start() - 2):m.start()].endswith(("过去", "近", "前", "这", "上")):
            continue  # 过去十年间, 近三年: the past, not a horizon
        n = m.group(1) or m.group(2)
        k = int(n) if n.isdigit() else chinese_number(n)
        if base_year is not None and k:
            out.append(Deadline(base_year + int(k), m.start(), m.end(), m.group().strip(),
                                "within-years"))
    if publication_year is not None:
        for m in _THIS_YEAR.finditer(text):
            if m.group() == "全年" and (not _AIM_BEFORE.search(text, max(0, m.start() - 16), m.start())
                                       or _YEAR.search(text, 0, m.start())):
                # 全年实现…: a year's figure, unless aimed at (力争一汽集团全年…实现); the
                # year named before it (2016年，力争全年…) is its own deadline
                continue
            year = publication_year + {"明年": 1, "后年": 2}.get(m.group(), 0)
            out.append(Deadline(year, m.start(), m.end(), m.group(), "this-year"))
    return out
