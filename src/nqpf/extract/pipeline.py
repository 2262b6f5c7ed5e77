"""From one article to structured facts: repair → Simplified → extract, spans kept.

>>> a = extract_article("3月19日，陕西省发改委印发《陕西方案》。"
...                     "《陕西方案》明确：到2025年，培育10个以上百亿元级集群。", published="2024-03-20")
>>> t = a.targets[0]
>>> t.value, t.unit, t.comparator, t.threshold, t.deadline, t.region
(10.0, '个', '>=', 10000000000.0, 2025, '610000')
"""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import accumulate
from operator import itemgetter
from pathlib import Path

from nqpf.extract.dates import PLAN_END, DateMention, digit_years, explicit_years, find_dates
from nqpf.extract.documents import Document, find_documents
from nqpf.extract.industries import IndustryHit, find_industries
from nqpf.extract.inputs import SOURCE_LINE
from nqpf.extract.numbers import quantity_marks
from nqpf.extract.places import Place, find_places
from nqpf.extract.published import address_year
from nqpf.extract.scopes import TimeScopes, is_compared_with
from nqpf.extract.statements import Claim, Event, find_claims, find_events
from nqpf.extract.tables import TableTarget, find_table_targets
from nqpf.extract.targets import (
    Target,
    classify_clause,
    drop_place_prefix,
    merge_restatements,
    split_clauses,
)
from nqpf.text import Change, detect_script, repair, to_simplified

__all__ = ["Article", "extract_article", "extract_text"]

#: 2 added targets' ``year``, ``currency`` and ``per_year`` and claims' ``score`` and
#: ``rank_change``; 3 added each quantity's ``role``, ``deadline_source`` and ``mentions``,
#: ``other_quantities`` (plan items, labels, others) and region "100000" for national figures.
SCHEMA_VERSION = 4


@dataclass
class Article:
    source: str | None
    sha256: str
    script: str
    converter: str
    published: str | None
    title: str | None
    original: str
    repaired: str  # repaired, in the article's own script
    text: str  # repaired, Simplified
    repairs: list[Change]
    documents: list[dict]
    targets: list[Target]
    statistics: list[Target]
    other_quantities: list[Target]
    industries: list[IndustryHit]
    regions: list[dict]
    claims: list[Claim]
    events: list[Event]
    dates: list[DateMention]
    offsets: Sequence[int] = field(repr=False, default_factory=list)  # text position → original

    def original_span(self, start: int, end: int) -> list[int]:
        """A span of :attr:`text` mapped to the original (as scraped) text."""
        return _map(self.offsets, start, end)

    def to_dict(self) -> dict:
        return {
            "schema_version": SCHEMA_VERSION, "source": self.source, "sha256": self.sha256,
            "script": self.script, "converter": self.converter, "published": self.published,
            "title": self.title, "repaired": self.repaired, "text": self.text,
            "repairs": [c.to_dict() for c in self.repairs],
            "documents": self.documents,
            "targets": [t.to_dict() for t in self.targets],
            "statistics": [t.to_dict() for t in self.statistics],
            "other_quantities": [t.to_dict() for t in self.other_quantities],
            "industries": [h.to_dict() | {"original_span": self.original_span(h.start, h.end)}
                           for h in self.industries],
            "regions": self.regions,
            "claims": [c.to_dict() | {"original_span": self.original_span(c.start, c.end)}
                       for c in self.claims],
            "events": [e.to_dict() for e in self.events],
            "dates": [d.to_dict() for d in self.dates],
        }


def _year_of(iso: str | None) -> int | None:
    return int(iso[:4]) if iso else None


#: Words before a year that make it a deadline or a cut-off, not the year a text is about.
_DEADLINE_BEFORE = re.compile(r"(?:到|至|截至|力争|争取)\s*$")


def _about_years(text: str) -> list[tuple[int, int]]:
    """(position, year) of the explicit years the text is about: not 到2027年, 截至2024年
    or the base of a comparison (比2010年翻一番)."""
    return [(p, y) for p, y in explicit_years(text)
            if not _DEADLINE_BEFORE.search(text, max(0, p - 4), p) and not is_compared_with(text, p)]


def _resolve_dates(text: str, published: str | None, about: list[tuple[int, int]]
                   ) -> list[DateMention]:
    """Full dates as written; partial dates get the publication year or the year of the
    nearest full date (before, else after), else the nearest of the years the text is about
    (``about``)."""
    dates = find_dates(text, reference_year=_year_of(published))
    if published:
        return dates
    full = [(d.start, d.year) for d in dates if not d.inferred_year]
    pool = full or about
    where = [p for p, _ in pool]
    for d in dates:
        if not d.inferred_year:
            continue
        k = bisect_right(where, d.start)  # the last year at or before the date, else the next
        d.year = pool[k - 1][1] if k else (pool[0][1] if pool else None)
    return dates


class _Layout:
    """Sentence and paragraph boundaries of a text, found once and looked up by bisection."""

    def __init__(self, text: str):
        self.n = len(text)
        self.stops = [m.start() for m in re.finditer(r"[。！？\n]", text)]
        self.newlines = [m.start() for m in re.finditer(r"\n", text)]
        self.text = text

    def sentence(self, pos: int) -> tuple[int, int]:
        """The sentence around ``pos``: after the previous 。！？ or line break, through the next."""
        i = bisect_left(self.stops, pos)
        a = self.stops[i - 1] + 1 if i else 0
        return a, (self.stops[i] + 1 if i < len(self.stops) else self.n)

    def paragraph(self, pos: int) -> tuple[int, int]:
        """The line holding ``pos`` (the whole text for a position on a line break)."""
        if pos >= self.n or self.text[pos] == "\n":
            return 0, self.n
        i = bisect_left(self.newlines, pos)
        return (self.newlines[i - 1] + 1 if i else 0,
                self.newlines[i] if i < len(self.newlines) else self.n)


def extract_text(raw: str, published: str | None = None, source: str | None = None,
                 title: str | None = None) -> Article:
    """Extract everything from one article's raw text."""
    repaired = repair(raw)
    script = detect_script(repaired.text)
    conv = to_simplified(repaired.text, script=script)
    s = digit_years(conv.text)  # 二〇〇四年 → 2004年, position for position
    offsets = (repaired.offsets if isinstance(conv.offsets, range)
               else [repaired.offsets[i] for i in conv.offsets])
    # the page's year: its date, else what it says of itself (今年是“十五五”开局之年)
    # (else the year its address files it under: /a/202409/854.html)
    pub_year = _year_of(published) or _stated_year(s) or address_year(
        raw, source if source and source.startswith(("http://", "https://")) else None)

    about_years = _about_years(s)
    dates = _resolve_dates(s, published, about_years)
    places = _without_datelines(s, find_places(s))
    docs = find_documents(s)
    layout = _Layout(s)
    sentence_bounds, paragraph_of = layout.sentence, layout.paragraph
    # the latest year of the first sentence that names one (在2019年取得…之后，确定了2020年…目标)
    years = explicit_years(s)
    first_end = sentence_bounds(years[0][0])[1] if years else 0
    first_year = max((y for p, y in years if p < first_end), default=None)

    industries = find_industries(s)
    doc_info: dict[str, dict] = {}  # by document id
    for d in docs:
        a, _ = sentence_bounds(d.start)
        before = [x for x in dates if a <= x.start < d.start and x.iso]
        d.date = before[-1].iso if before else None
        issuer_places = find_places(d.issuer) if d.issuer else []
        title_places = find_places(d.title)
        region = (issuer_places or title_places or [None])[0]
        _, p1 = paragraph_of(d.start)
        # the paragraph's terms (no term spans the 《 or line break that bounds it)
        inds = [h for h in industries if d.start <= h.start and h.end <= p1]
        info = d.to_dict() | {
            "region": region.province if region else None, "city": region.city if region else None,
            "industries": sorted({h.term for h in inds}),
            "original_spans": [[*_map(offsets, m0, m1)] for m0, m1 in d.mentions]}
        doc_info[d.id] = info

    # every mention of every document: (position, document order, document), by position
    mentions = sorted((m0, i, d) for i, d in enumerate(docs) for m0, _ in d.mentions)
    mention_pos = [m[0] for m in mentions]

    def document_for(pos: int) -> Document | None:
        """The first-named document mentioned in the sentence, else the last one mentioned
        earlier in the paragraph."""
        a, b = sentence_bounds(pos)
        inside = mentions[bisect_left(mention_pos, a):bisect_left(mention_pos, b)]
        if inside:
            return min(inside, key=itemgetter(1))[2]
        p0, _ = paragraph_of(pos)
        k = bisect_left(mention_pos, pos)
        return mentions[k - 1][2] if k and mention_pos[k - 1] >= p0 else None

    main_province = _main_province(places)
    national_words = len(_NATIONAL_TEXT.findall(s))
    if (national_words >= 2 and not _OWN_VOICE.search(s) and (
            main_province is None or sum(p.province == main_province for p in places) < 2)) \
            or (national_words and not places and not _OWN_PROVINCE.search(s)):
        # 工业和信息化部…印发, no province named (and no place speaks of itself: 全省, 全县)
        main_province = NATIONAL  # a text of the central government, a province named in passing
    main_city = _main_city(places)
    if main_province is None:
        # a page that names no place speaks for its publisher (来源：鄂州市人民政府门户网站),
        # whose line the repair drops as furniture
        publisher = _publisher_places(raw)
        if publisher:
            main_province = publisher[0].province
            main_city = main_city or ((publisher[0].city, publisher[0].province)
                                      if publisher[0].city else None)
    scopes = TimeScopes(s, docs, pub_year)
    targets: list[Target] = []
    statistics: list[Target] = []
    others: list[Target] = []
    years_at = sorted((d.start, d.year) for d in dates if d.year)
    year_pos = [p for p, _ in years_at]
    # a later clause of a paragraph may report on the year the paragraph is about
    about_pos = [p for p, _ in about_years]
    latest_about = list(accumulate((y for _, y in about_years), max))  # running maximum
    starts = [p.start for p in places]
    # a page carrying a work report or a year's plan: its aims with no year are the page's
    page_year = pub_year if pub_year is not None and _WORK_REPORT.search(s) else None
    # an address (the page's own on its first line, or a link) holds words, not figures
    addresses = [m.span() for m in _ADDRESS.finditer(s)]
    marks = quantity_marks(s)
    for clause in split_clauses(s):
        k = bisect_left(marks, clause.start)
        if k == len(marks) or marks[k] >= clause.end:
            continue  # no quantity in the clause
        if any(a <= clause.start and clause.end <= b for a, b in addresses):
            continue  # (one inside a longer clause is dropped below)
        doc = document_for(clause.start)
        base = _year_of(doc.date) if doc and doc.date else scopes.base_year(clause.start)
        if base is None:
            k = bisect_right(year_pos, clause.start)
            base = years_at[k - 1][1] if k else None
        k = bisect_left(about_pos, clause.start)
        context = about_years[k - 1][1] if k and about_pos[k - 1] >= paragraph_of(clause.start)[0] \
            else None
        # without a page date, 今年 is the latest year the text has spoken of so far (before
        # any, the first it speaks of: 今年…力争…, then 力争2024年…)
        k = bisect_left(about_pos, clause.start)
        current = pub_year if pub_year is not None else (
            latest_about[k - 1] if k else first_year)
        # the text reports on a year before its publication (2025年，全省…, said in 2026)
        reporting = latest_about[k - 1] if (k and pub_year is not None
                                            and latest_about[k - 1] < pub_year) else None
        for t in classify_clause(s, clause, base_year=base, publication_year=pub_year,
                                 context_year=context, scopes=scopes, current_year=current,
                                 reporting_year=reporting, page_year=page_year):
            if any(a <= t.start < b for a, b in addresses):
                continue
            t.document = doc.id if doc else None
            t.region, t.city = _place_of(s, t.start, sentence_bounds(t.start), places, starts,
                                         doc_info[doc.id] if doc else None,
                                         paragraph_of(t.start)[0], main_province)
            if t.city is None and main_city and t.region == main_city[1] \
                    and _CITY_WORDS.search(s, sentence_bounds(t.start)[0], t.start):
                t.city = main_city[0]  # 全市高新技术企业超过16000家, in a city's plan
            t.metric = drop_place_prefix(t.metric, [
                s[p.start:p.end] for p in _between(places, starts, t.sentence_start, t.start)])
            if conv.profile == "tw2sp" and t.currency == "CNY" and "人民币" not in s[t.start - 8:t.start]:
                t.currency = "TWD"  # Taiwan usage: 元 are New Taiwan dollars unless it says 人民币
            t.original_span = _map(offsets, t.start, t.end)
            (targets if t.role == "target" else statistics if t.role == "statistic"
             else others).append(t)
    for row in find_table_targets(s):  # 主要指标 tables flattened into cells
        t = _table_target(s, row, sentence_bounds(row.start), pub_year)
        t.region = main_province
        t.city = main_city[0] if main_city and main_city[1] == main_province else None
        t.original_span = _map(offsets, t.start, t.end)
        (targets if t.role == "target" else statistics).append(t)
    targets = merge_restatements(s, targets)

    region_summary: dict[str, dict] = {}
    for p in places:
        r = region_summary.setdefault(p.adcode, {"adcode": p.adcode, "name": p.name,
                                                 "province": p.province, "level": p.level,
                                                 "mentions": 0, "first_span": [p.start, p.end]})
        r["mentions"] += 1
    digest = hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()
    return Article(
        source=source, sha256=digest, script=script, converter=conv.profile,
        published=published, title=title, original=raw, repaired=repaired.text, text=s,
        repairs=repaired.changes,
        documents=list(doc_info.values()), targets=targets, statistics=statistics,
        other_quantities=others,
        industries=industries, regions=list(region_summary.values()),
        claims=find_claims(s, places), events=find_events(s, dates), dates=dates, offsets=offsets)


def _table_target(s: str, row: TableTarget, sentence: tuple[int, int], pub_year: int | None
                  ) -> Target:
    """A row of a table of indicators as a target due by its column's year (a statistic when
    that year is before the page's)."""
    role = "statistic" if pub_year is not None and row.year < pub_year else "target"
    return Target(kind=role, value=row.value, unit=row.unit, comparator=row.comparator,
                  upper=None, threshold=None, threshold_unit=None, deadline=row.year,
                  deadline_text=f"{row.year}年", metric=row.metric,
                  quantity_text=s[row.start:row.end], sentence=s[sentence[0]:sentence[1]],
                  start=row.start, end=row.end, sentence_start=sentence[0],
                  sentence_end=sentence[1], currency="CNY" if row.unit == "元" else None,
                  role=role, deadline_source="heading")


def _between(places: list[Place], starts: list[int], a: int, b: int) -> list[Place]:
    """The places that start in [a, b) (``starts``: their sorted start positions)."""
    return places[bisect_left(starts, a):bisect_left(starts, b)]


#: The code for national targets and figures (全国, 我国, 国家).
NATIONAL = "100000"
#: A dateline names where a report was filed, not what it is about: 新华社北京1月25日电.
_DATELINE = re.compile(r"(?:新华社|中新社|中新网|本报|人民网|央视网|中评社|中國新聞社|中通社|路透社|记者)"
                       r"[\u4e00-\u9fa5]{0,6}?(?P<place>[\u4e00-\u9fa5]{2,4}?)(?:\d{4}年)?\d{1,2}月\d{1,2}日\s*(?:电|讯|消息)"
                       r"|[／/]\s*(?P<place2>[\u4e00-\u9fa5]{2,4}?)(?:报导|报道|电)")
#: Bodies of the central government: a text they issue is national.
_NATIONAL_TEXT = re.compile(r"国务院|全国人大|国家发展改革委|国家发改委|工业和信息化部|工信部|科技部|财政部|"
                            r"商务部|教育部|国家统计局|中共中央|党中央|我国|全国|"
                            r"国家[\u4e00-\u9fa5]{1,5}?(?:局|总局|委员会)")  # 国家数据局, 国家能源局
#: A web address (one may hold a headline: …/article/1800958/到2025年环保装备制造业产值…).
_ADDRESS = re.compile(r"https?://\S+")
#: A year's work report or plan, heard or issued in the year of the page.
_WORK_REPORT = re.compile(r"政府工作报告|工作要点|国民经济和社会发展计划(?:草案)?|"
                          r"(?:全年|年度)[^，。；\n]{0,8}目标")  # 调增全年各项经济发展目标
#: A province's, city's or county's own words: 全省, 我省, 全区 (an autonomous region), 全市, 全县.
_OWN_PROVINCE = re.compile(r"全省|我省|本省|全区|我区|自治区|全市|我市|本市|全县|我县|本县")
#: A province, city or county speaking of itself (我省, 本市): never the central government.
_OWN_VOICE = re.compile(r"我省|本省|我区|我市|本市|我县|本县")
#: A city's own words: 全市, 我市, 本市.
_CITY_WORDS = re.compile(r"全市|我市|本市|市级")


def _without_datelines(s: str, places: list[Place]) -> list[Place]:
    """Places, less those that only name a dateline's city."""
    spans = [m.span("place") if m.group("place") else m.span("place2")
             for m in _DATELINE.finditer(s)]
    return [p for p in places if not any(a <= p.start < b for a, b in spans)]


def _main_city(places: list[Place]) -> tuple[str, str] | None:
    """(city adcode, province) of the city named most often, when one city is named at least
    twice and more than any other."""
    counts: dict[tuple[str, str], int] = {}
    for p in places:
        if p.city:
            key = (p.city, p.province)
            counts[key] = counts.get(key, 0) + 1
    if not counts:
        return None
    ranked = sorted(counts.items(), key=lambda kv: -kv[1])
    if ranked[0][1] >= 2 and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]):
        return ranked[0][0]
    return None


_SEGMENT_STOPS, _CLAUSE_STOPS = "[，；：,;]", "[；;]"
_SEGMENT_STOP, _CLAUSE_STOP = re.compile(_SEGMENT_STOPS), re.compile(_CLAUSE_STOPS)
#: Everything up to and including the last segment (clause) stop: its end is where the last
#: segment (clause) begins.
_THROUGH_LAST_SEGMENT_STOP = re.compile(".*" + _SEGMENT_STOPS, re.S)
_THROUGH_LAST_CLAUSE_STOP = re.compile(".*" + _CLAUSE_STOPS, re.S)
#: The country as the subject near the start of a clause (全国累计建成…, 截至年底我国…), not
#: as praise (全国领先, 全国首个, 我国第一).
_NATIONAL = re.compile(r"^[^，；：]{0,10}?(?<!占)(?<!达到)(?<!位居)(?<!进入)(?<!居于)(?<!处于)"
                       r"(?<!高于)(?<!低于)(?<!超过)(?<!领跑)(?<!在)(?<!跑赢)(?<!快于)(?<!好于)(?<!优于)"
                       # 打造全国人工智能示范应用高地: what the place aims to become
                       r"(?<!打造)(?<!建设)(?<!建成)(?<!成为)(?<!争创)(?<!创建)(?:全国|我国)"
                       r"(?!领先|一流|首|第|前列|重要|性|范围|知名|著名|最|同类|平均|竞争力|影响力|影响|排名|"
                       r"位次|前|水平|标杆|示范|乃至|和|、|有|的|重点|布局|中等|中上|中游|上游|先进)")


def _place_of(s: str, pos: int, sentence: tuple[int, int], places: list[Place],
              starts: list[int], doc: dict | None, paragraph_start: int,
              main_province: str | None) -> tuple[str | None, str | None]:
    """(province, city) of the quantity at ``pos``: a place in its own clause segment; none
    when the segment says 全国 or 我国; else the place at the head of its sentence (the
    sentence's topic); none when the head says 全国; else the document's region, else any place
    in the sentence, else the last place earlier in the paragraph, else the province the
    article is mostly about. A city is named only from the segment, head or document."""
    a, b = sentence
    here = _between(places, starts, a, b)
    last = _THROUGH_LAST_SEGMENT_STOP.match(s, a, pos)
    seg0 = last.end() if last else a
    stop = _SEGMENT_STOP.search(s, pos, b)
    seg1 = stop.start() if stop else b
    segment = [p for p in here if seg0 <= p.start < seg1]
    head_stop = _SEGMENT_STOP.search(s, a, b)
    head_end = head_stop.start() if head_stop else b
    head = [p for p in here if p.start < head_end]
    if segment:
        before = [p for p in segment if p.start < pos]
        local = before[-1] if before else segment[0]
        return local.province, local.city
    if _national_since(s, a, seg0, pos, here):
        return NATIONAL, None  # 全国累计建成…，千兆宽带用户达…: national figures
    last = _THROUGH_LAST_CLAUSE_STOP.match(s, a, pos)
    c0 = last.end() if last else a
    if c0 > a:  # …贵州…；云南在去年…，提出今年力争增长15%以上: the head of its ；-clause
        c_stop = _SEGMENT_STOP.search(s, c0, b)
        clause_head = [p for p in here if c0 <= p.start < (c_stop.start() if c_stop else b)]
        if clause_head:
            return clause_head[0].province, clause_head[0].city
    if head:
        return head[0].province, head[0].city
    if _names_country(s[a:min(head_end, pos)]):
        return NATIONAL, None
    if doc is not None and doc["region"]:
        return doc["region"], doc["city"]
    if here:
        return here[0].province, None
    prior = _between(places, starts, paragraph_start, pos)
    if prior:
        return prior[-1].province, None
    return main_province, None


_COUNTRY_WORD = re.compile("全国|我国")


def _names_country(segment: str) -> bool:
    """Whether the country is the subject at the head of ``segment`` (:data:`_NATIONAL`)."""
    return bool(_COUNTRY_WORD.search(segment)) and bool(_NATIONAL.match(segment))


def _national_since(s: str, a: int, seg0: int, pos: int, here: list[Place]) -> bool:
    """Whether the country is the subject of the quantity's clause segment, or of an earlier
    segment of the sentence with no place named after it."""
    if not _COUNTRY_WORD.search(s, a, pos):
        return False
    starts = [a, *(m.end() for m in _SEGMENT_STOP.finditer(s, a, seg0))]
    for start in reversed(starts):
        if _names_country(s[start:pos]):
            return True
        if any(start <= p.start < pos for p in here):
            return False
    return False


#: 今年 named as a year of a five-year plan: 今年是“十五五”开局起步之年 (2026), 收官之年 (2025).
_PLAN_YEAR = re.compile(r"今年是[“\"「]?(十[一二三四五六]五)[”\"」]?(?:规划)?的?"
                        r"(?P<first>开局(?:起步)?之年|开局年|起步之年|第一年)?"
                        r"(?P<last>收官之年|最后一年|决胜之年)?")


#: 今年是全面贯彻党的二十大精神的开局之年: the year after a party congress (held every five
#: years: 十八大 2012, 十九大 2017, 二十大 2022).
_CONGRESS_YEAR = re.compile(r"今年是[^。；，\n]{0,12}?党的(十八|十九|二十|二十一)大精神的开局之年")
_CONGRESS = {"十八": 2012, "十九": 2017, "二十": 2022, "二十一": 2027}


def _stated_year(s: str) -> int | None:
    """The year a page says it is in, through the five-year plan it names (今年是“十五五”
    开局之年 → 2026) or the party congress whose first year it is: a page with no date speaks
    of its own year so."""
    m = _CONGRESS_YEAR.search(s)
    if m:
        return _CONGRESS[m.group(1)] + 1
    for m in _PLAN_YEAR.finditer(s):
        end = PLAN_END.get(m.group(1))
        if end is not None and m.group("first"):
            return end - 4
        if end is not None and m.group("last"):
            return end
    return None


def _publisher_places(raw: str) -> list[Place]:
    """Places named by the publisher on the page's source line, within its head."""
    m = SOURCE_LINE.search(raw, 0, 3000)
    return find_places(to_simplified(m.group(1)).text) if m else []


def _main_province(places: list[Place]) -> str | None:
    """The province mentioned most often (directly or through its cities); the first on ties."""
    counts: dict[str, int] = {}
    for p in places:
        if p.province:
            counts[p.province] = counts.get(p.province, 0) + 1
    return max(counts, key=counts.__getitem__) if counts else None


def _map(offsets: Sequence[int], start: int, end: int) -> list[int]:
    if end <= start:
        return [offsets[start], offsets[start]]
    return [offsets[start], offsets[end - 1] + 1]


def extract_article(text_or_path: str | Path, published: str | None = None,
                    source: str | None = None) -> Article:
    """Extract one article from its text or from a .txt/.html file.

    For .jsonl files and directories use :func:`nqpf.extract.inputs.read_inputs`."""
    from nqpf.extract.inputs import read_inputs

    if isinstance(text_or_path, Path) or (
            isinstance(text_or_path, str) and len(text_or_path) < 4096
            and "\n" not in text_or_path and Path(text_or_path).suffix.lower()
            in (".txt", ".html", ".htm") and Path(text_or_path).is_file()):
        items = list(read_inputs([Path(text_or_path)]))
        if len(items) != 1:
            raise ValueError(f"{text_or_path} holds {len(items)} articles; use read_inputs")
        item = items[0]
        return extract_text(item.text, published=published or item.published,
                            source=source or item.source, title=item.title)
    return extract_text(str(text_or_path), published=published, source=source)
