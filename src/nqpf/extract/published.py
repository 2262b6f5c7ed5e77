"""The publication date of a scraped page: the date of the page itself, not of an event or
of a document the page talks about.

Evidence, most reliable first (the first kind found wins; within a kind, the topmost):

1. ``url`` — a date in the address: /2024/0125/, /20240125/, t20240125_, /202401/25/,
   /2024-01-25/, a 14-digit time stamp 20240125103200, news_20240125.
2. ``timestamp`` / ``label`` — a header-like date near the top of the page: one with a time of
   day (2024-01-25 10:32, 2024年01月25日 10:32), one alone on its line or on a line of page
   furniture (来源, 作者, 浏览 …), or one after a label (发布时间：, 發布時間:, 日期：, date …).
   Both rank alike; the topmost wins. Dates in running prose ("2023年12月26日，省政府印发…")
   never count.
3. ``signature`` — a notice reproduced in full: an issuer line (…人民政府, …办公厅, …委员会)
   followed by a line holding only a date; also 成文日期：….
4. ``dateline`` — 新华社北京2024年1月25日电; a dateline without a year (本报北京12月15日电)
   takes the year of a partial date in the address (/2024/, /202401/) or of a page time stamp.
5. Day/month/year time stamps whose two numbers are both ≤ 12 (06/03/2026 15:23, the Hong
   Kong form): read day first, but only when nothing above gave a date (a year-less dateline
   or a date-like number in the address may pick the other reading).
6. An address whose long number merely starts with a date (news-article/20260306847), or
   whose date is glued to a word (szfbgswj202303312215: the code of a site's column).

Full-width digits, Chinese-numeral dates (二〇二四年四月二十二日) and pinyin glosses
(發(fā)布時(shí)間) are normalised first. Years must lie in 1990 … next year.
"""

from __future__ import annotations

import datetime as _dt
import re

__all__ = ["find_published"]

_FULLWIDTH = str.maketrans("０１２３４５６７８９／－．：　", "0123456789/-.:\u0020")
_GLOSS = re.compile(r"\((?:[a-zāáǎàēéěèīíǐìōóǒòūúǔùüǖǘǚǜńňǹḿ]+\s*/?\s*)+\)")
_CN_DIGIT = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "○": 0, "Ｏ": 0, "O": 0}
_CN_DATE = re.compile(r"([〇零○Ｏ一二三四五六七八九]{4})\s*年\s*([一二三四五六七八九十]{1,3})\s*月"
                      r"\s*([一二三四五六七八九十]{1,3})\s*日")

_CJK = r"\u4e00-\u9fff"
#: A full date: 2024-01-25, 2024/1/25, 2024.01.25, 2024年1月25日.
_DATE = re.compile(r"(?<![\d.])(\d{4})\s*(?:年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号號]?"
                   r"|([-/.])(\d{1,2})\4(\d{1,2}))(?![\d])")
#: Day/month/year (or month/day/year): 06/03/2026.
_DMY = re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})/(\d{4})(?![\d/])")
_WEEKDAY = r"(?:星期|周|週|禮拜|礼拜)[一二三四五六日天]"
_TIME = re.compile(rf"\s*(?:[(（]?{_WEEKDAY}[)）]?)?\s*T?\s*([01]?\d|2[0-3])[:：]([0-5]\d)(?:[:：][0-5]\d)?"
                   r"(?![\d])")
_LABEL = re.compile(
    r"(?:(?:发布|發布|發佈|发表|發表|更新|上传|上傳|录入|錄入|刊发|刊發)(?:时间|時間|日期)"
    rf"|(?<![{_CJK}])(?:时间|時間|日期)|发布于|發布於|發佈於|发表于|發表於)\s*[:：]?\s*$"
    r"|(?<![A-Za-z])(?:date|published|posted|updated|time)\s*[:：]?\s*$", re.I)
_OTHER_LABEL = re.compile(rf"[{_CJK}](?:时间|時間|日期)\s*[:：]?\s*$")
_SIGNED_LABEL = re.compile(r"(?:成文|印发|印發|发文|發文|签发|簽發)(?:日期|时间|時間)\s*[:：]?\s*$")
_META = re.compile(r"来源|來源|作者|编辑|編輯|责编|責編|浏览|瀏覽|阅读|閱讀|点击|點擊|字号|字號|"
                   r"分享|打印|发布|發布|發佈|发表|發表|记者|記者|稿源|出处|出處|访问|訪問|评论|評論|"
                   r"收藏|\|")
_TODAY = re.compile(r"今天|今日是|当前日期|當前日期|现在是|現在是")
_PROSE_AFTER = re.compile(rf"[，,。、；;]|至|到|起|前|后|後|(?!{_WEEKDAY})[{_CJK}]")
_ISSUER = re.compile(r"(?:人民政府|政府|办公厅|辦公廳|办公室|辦公室|委员会|委員會|厅|廳|局|部|委|院|署|"
                     r"会|會|中心|公司|集团|集團|小组|小組|处|處|所|社|党组|黨組)$")
_DATELINE = re.compile(rf"(?:^|[^{_CJK}\d])([{_CJK}]{{2,14}}?)\s*(?:(\d{{4}})\s*年\s*)?(\d{{1,2}})\s*月"
                       rf"\s*(\d{{1,2}})\s*日\s*[电電讯訊]")
_URL_LINE = re.compile(r"\s*(https?://\S+)\s*$")

#: Full dates in an address (path and query), most specific first.
_URL_FULL = (
    re.compile(r"(?<!\d)(\d{4})[-_/.](\d{1,2})[-_/.](\d{1,2})(?!\d)"),  # /2024/01/25, /2024-01-25
    re.compile(r"(?<!\d)(\d{4})/(\d{2})(\d{2})(?!\d)"),  # /2024/0125/
    re.compile(r"(?<!\d)(\d{4})(\d{2})/(\d{2})(?!\d)"),  # /202401/25/
    re.compile(r"(?<!\d)(\d{4})(\d{2})(\d{2})(?:([01]\d|2[0-3])([0-5]\d)([0-5]\d)?)?(?!\d)"),  # 20240125
)
_URL_PREFIX = re.compile(r"(?<!\d)(\d{4})(\d{2})(\d{2})\d{1,6}(?!\d)")  # 20260306847
_URL_PARTIAL = re.compile(r"(?<![\d])(\d{4})(?:[-_]?(\d{2}))?(?=/)")  # /2024/, /202401/

#: Two letters or more right before a date in an address (a word, not t20240125 or /n2024…).
_GLUED = re.compile(r"[A-Za-z]{2}$")

_RANK = {"url": 0, "timestamp": 1, "label": 1, "signature": 2, "dateline": 3}


def _valid(y: int | str, m: int | str, d: int | str) -> str | None:
    """ISO date if it exists and its year is plausible (1990 … next year)."""
    y, m, d = int(y), int(m), int(d)
    if not 1990 <= y <= _dt.date.today().year + 1:
        return None
    try:
        return _dt.date(y, m, d).isoformat()
    except ValueError:
        return None


def _cn_number(s: str) -> int:
    if "十" not in s:
        return int("".join(str(_CN_DIGIT[c]) for c in s))
    tens, _, ones = s.partition("十")
    return (_CN_DIGIT[tens] if tens else 1) * 10 + (_CN_DIGIT[ones] if ones else 0)


def _normalize(text: str) -> str:
    """Full-width digits to ASCII, pinyin glosses out, Chinese-numeral dates to digits."""
    text = _GLOSS.sub("", text.translate(_FULLWIDTH))
    return _CN_DATE.sub(lambda m: "{}年{}月{}日".format(*(_cn_number(g) for g in m.groups())), text)


def _from_url(url: str) -> tuple[str | None, str | None, tuple[int, int | None] | None]:
    """(full date, weak date from a longer number, partial (year, month)) in an address."""
    path = re.sub(r"^[a-z][a-z0-9+.-]*://[^/?#]*", "", url.strip(), flags=re.I)
    full = []
    glued = []  # szfbgswj202303312215: a column's code, glued to a word, dates the column
    for pattern in _URL_FULL:
        for m in pattern.finditer(path):
            iso = _valid(*m.group(1, 2, 3))
            if iso:
                (glued if _GLUED.search(path, 0, m.start()) else full).append((m.start(), iso))
    weak = next((iso for m in _URL_PREFIX.finditer(path) if (iso := _valid(*m.groups()))),
                min(glued)[1] if glued else None)
    partial = None
    for m in _URL_PARTIAL.finditer(path):
        if _valid(m.group(1), m.group(2) or 1, 1):
            partial = (int(m.group(1)), int(m.group(2)) if m.group(2) else None)
            break
    return (min(full)[1] if full else None), weak, partial


def _header_date(line: str) -> tuple[str, str, int] | None:
    """(iso, kind, start) of the first header-like date on a line; kind "label"/"timestamp"."""
    if _TODAY.search(line):
        return None
    stripped = line.strip()
    for m in _DATE.finditer(line):
        iso = (_valid(m.group(1), m.group(2), m.group(3)) if m.group(2)
               else _valid(m.group(1), m.group(5), m.group(6)))
        if not iso:
            continue
        before = line[:m.start()]
        english = re.search(r"(?i)(?<![a-z])(?:date|published|posted|updated|time)\s*[:：]?\s*$",
                            before)
        if _LABEL.search(before):
            return iso, "timestamp" if english else "label", m.start()
        if _OTHER_LABEL.search(before):
            continue  # 会议时间：, 成文日期：, 截止日期： — not the page's date
        time = _TIME.match(line, m.end())
        end = time.end() if time else m.end()
        rest = line[end:].lstrip()
        if time and (not before.strip() or len(stripped) <= 40) \
                and not re.search(r"[，,。、；;]", stripped):
            # 2025/3/10 16:02:59  海南省发展和改革委员会  人气:663, 政务 2025-01-13 16:58 江苏:
            # a date and a time of day opening a line, or on a short line, stamp the page
            return iso, "timestamp", m.start()
        if _PROSE_AFTER.match(rest) and not _META.match(rest):
            continue
        if before.rstrip().endswith(("(", "（")):
            continue  # (2024年1月5日): a document's or a speech's date
        residue = re.sub(rf"{_WEEKDAY}|[\s\W_]", "", stripped.replace(m.group(0), "", 1))
        if time or not residue or _META.search(line) or len(stripped) <= 40:
            return iso, "timestamp", m.start()
    return None


def _dmy(line: str) -> tuple[str | None, tuple[str, str] | None]:
    """An unambiguous d/m/y (or m/d/y) date, or the two readings of an ambiguous one."""
    for m in _DMY.finditer(line):
        a, b, y = int(m.group(1)), int(m.group(2)), m.group(3)
        rest = line[m.end():].lstrip()
        if _PROSE_AFTER.match(rest) and not _META.match(rest) and not _TIME.match(line, m.end()):
            continue
        if a > 12 or a == b:
            iso = _valid(y, b, a)
        elif b > 12:
            iso = _valid(y, a, b)
        else:
            day_first, month_first = _valid(y, b, a), _valid(y, a, b)
            if day_first and month_first:
                return None, (day_first, month_first)
            iso = day_first or month_first
        if iso:
            return iso, None
    return None, None


def address_year(text: str, url: str | None = None) -> int | None:
    """The year in a page's address (``url``, else a first line holding only one) when the
    address dates the page to a year or month but not a day (/a/202409/854.html → 2024).

    >>> address_year("正文", "http://www.example.cn/a/202409/854.html")
    2024
    """
    if url is None:
        first = next((line for line in text.split("\n", 3) if line.strip()), "")
        m = _URL_LINE.match(first)
        url = m.group(1) if m else None
    if not url:
        return None
    _, _, partial = _from_url(url)
    return partial[0] if partial else None


def find_published(text: str, url: str | None = None) -> tuple[str | None, str | None]:
    """The page's own publication date (ISO) and the kind of evidence for it: ``"url"``,
    ``"timestamp"``, ``"label"``, ``"signature"`` or ``"dateline"``; ``(None, None)`` when the
    page shows none. A first line holding only an http(s) address is read as ``url`` when none
    is given.

    >>> find_published("本报北京1月25日电 今天…", "https://example.cn/news/2024/0125/c1.html")
    ('2024-01-25', 'url')
    >>> find_published("http://example.cn/a/1.html\\n发布时间：2024-01-25 10:32 来源：新华社\\n正文")
    ('2024-01-25', 'label')
    >>> find_published("2023年12月26日，省人民政府办公厅印发《方案》。")
    (None, None)
    """
    lines = text.split("\n")
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is not None and (m := _URL_LINE.match(lines[first])):
        url = url or m.group(1)
        lines = lines[first + 1:]
    full, weak, partial = _from_url(url) if url else (None, None, None)
    if full:
        return full, "url"

    body = [ln for ln in (_normalize(line) for line in lines) if ln.strip()]
    best: tuple[int, int, str, str] | None = None  # (rank, line index, iso, kind)

    def offer(kind: str, index: int, iso: str) -> None:
        nonlocal best
        if best is None or (_RANK[kind], index) < best[:2]:
            best = (_RANK[kind], index, iso, kind)

    ambiguous: tuple[str, str] | None = None
    stamp_year: int | None = None
    for i, line in enumerate(body):
        prev = body[i - 1].strip() if i else ""
        only = _DATE.fullmatch(line.strip())
        signed = (only and only.group(2) and len(prev) <= 40 and _ISSUER.search(prev)
                  and not re.search(r"[，,。；;：:、]", prev) and _valid(*only.group(1, 2, 3)))
        if signed:
            offer("signature", i, signed)
            continue
        for m in _DATE.finditer(line):
            if _SIGNED_LABEL.search(line[:m.start()]):
                iso = (_valid(*m.group(1, 2, 3)) if m.group(2) else _valid(*m.group(1, 5, 6)))
                if iso:
                    offer("signature", i, iso)
        if i >= 30:
            continue  # page time stamps and datelines sit near the top
        if found := _header_date(line):
            offer(found[1], i, found[0])
        dmy, pair = _dmy(line)
        if dmy:
            offer("timestamp", i, dmy)
        elif pair and ambiguous is None:
            ambiguous = pair
            stamp_year = int(pair[0][:4])
        for m in _DATELINE.finditer(line):
            if m.group(2) and (iso := _valid(*m.group(2, 3, 4))):
                offer("dateline", i, iso)
            elif not m.group(2):
                year = partial[0] if partial else stamp_year
                if year is None:
                    continue
                month = int(m.group(3))
                if partial and partial[1] and month > partial[1] + 1:
                    year -= 1  # 12月31日电 on a page filed under January
                iso = _valid(year, month, m.group(4))
                if iso and (not ambiguous or iso in ambiguous):
                    offer("dateline", i + 1000, iso)  # after every dated dateline
    if best:
        return best[2], best[3]
    if ambiguous:
        if weak in ambiguous:
            return weak, "url"
        return ambiguous[0], "timestamp"
    if weak:
        return weak, "url"
    return None, None
