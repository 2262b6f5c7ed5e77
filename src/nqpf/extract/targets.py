"""Targets (aims with a number and a deadline) and statistics (reported achievements).

A clause (sentences split at 。！？ and clauses at ；) with a quantity is a *statistic* when it
reports what has happened (已, 已达, 增至, 同比增长, 截至 … and no future deadline) and a
*target* when it has a deadline or horizon (到2025年, 三年内, “十四五”期间 …) and an aim
(力争, 培育, 将, 形成, 达到 …) or the deadline alone. Quantities without either are left out.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

from nqpf.extract.dates import Deadline, explicit_years, find_deadlines
from nqpf.extract.documents import TITLE
from nqpf.extract.numbers import Quantity, find_quantities

__all__ = ["Clause", "Target", "classify_clause", "drop_place_prefix", "split_clauses"]

_STAT = re.compile(r"已经|已达|已有|已建成|已形成|增至|同比|比上年|较上年|增长了|截至|截止|累计实现|"
                   r"实现了|达到了|完成了|共有|分别为|占比为|位居")
_AIM = re.compile(r"力争|目标|争取|计划|拟|将|培育|打造|建设|建成|形成|突破|(?<!已)达到|确保|推动|新增|引进|"
                  r"投放|提供|设立|支持|超过|不少于|带动")


#: Words that make a sentence a plan, even where it compares with last year (拟…比上年增加).
_PLAN = re.compile(r"拟|力争|计划|预计|预期|目标|确保|争取|将|提出|明确|要求")
#: The year a report is about, relative to the publication: 去年, 过去一年, 今年 (not 比上年).
_RELATIVE_YEAR = re.compile(r"(?<![比较])上年|去年|上一年|过去一年|过去的一年|今年|本年")
_CHANGE_WORDS = "增长|增加|提高|提升|下降|减少"
#: A metric that only says how something changed (同比增长, 比上年增加).
_CHANGE_ONLY = re.compile(rf"(?:同比|环比|比上年|较上年|比去年|较去年|年均)?(?:{_CHANGE_WORDS}|增幅)(?:了)?")
#: A value for each year: 每年新增100家, 年均增长10%, 年增长率保持在6%.
_PER_YEAR = re.compile(r"每年|年均|年平均|平均每年|年增长率|年增速")
_NUMERIC = re.compile(r"[\d零〇一二两三四五六七八九十百千万亿兆]")


@dataclass
class Clause:
    start: int
    end: int
    text: str
    sentence_start: int


def split_clauses(text: str) -> list[Clause]:
    """Sentences (。！？ and line breaks) and, within them, clauses at ；."""
    out = []
    for s in re.finditer(r"[^。！？\n]+[。！？]?", text):
        pos = s.start()
        for c in re.finditer(r"[^；]+；?", s.group()):
            body = c.group()
            if body.strip():
                out.append(Clause(pos + c.start(), pos + c.end(), body, s.start()))
    return out


@dataclass
class Target:
    kind: str  # "target" or "statistic"
    value: float | None
    unit: str
    comparator: str
    upper: float | None
    threshold: float | None
    threshold_unit: str | None
    deadline: int | None
    deadline_text: str | None
    metric: str
    quantity_text: str
    sentence: str
    start: int  # span of the quantity in the Simplified text
    end: int
    sentence_start: int
    sentence_end: int
    year: int | None = None  # statistics: the year the figure is for, where the text says
    currency: str | None = None  # ISO 4217 code for sums of money
    per_year: bool = False  # 每年新增100家, 年均增长10%: the value is for each year
    region: str | None = None  # adcode (province)
    city: str | None = None  # adcode of a named prefecture-level city
    document: str | None = None  # document id
    original_span: list[int] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)


def _metric(clause: str, q: Quantity, rel_start: int, rel_end: int, next_start: int) -> str:
    after = clause[rel_end:next_start]
    after = re.split(r"[，。；！？]", after, maxsplit=1)[0]
    if next_start < len(clause):  # the next item of a list: stop at its separator
        after = re.split(r"、", after)[0]
    after = re.sub(r"^(?:以上|以下|左右|以内|多|余)?(?:大关|关口)?", "", after)
    if "的" in after:
        after = after[after.rfind("的") + 1:]
    after = after.strip()
    if len(after) >= 2 and not re.fullmatch(r"[，。；]*", after):
        return after
    before = clause[:rel_start]
    before = re.split(r"[，。；！？：、等]", before)[-1]
    # deadlines and linking words are not part of what is measured
    before = re.sub(r"(?:将|要)?(?:于|在|到|至)?\d{4}年(?:底|末)?(?:前|以前)?", "", before)
    before = re.sub(r"^(?:并让|并使|并|让|使|以及|同时|而且|而|且)", "", before)
    before = re.sub(r"^(?:全省|全市|全区|全国|我省|我市|我区|本省|本市|已经|已|将|拟|预计|带动|安排|在|"
                    r"通过|到\d{4}年|力争|确保|实现|全年|年内|培育|打造|建设|建成|形成|引进|布局|创建|"
                    r"认定|去年|上年|今年)+", "", before)
    before = re.sub(r"(?:不少于|不低于|超过|突破|达到|达|约|近|逾|过|至少|新台币|人民币|保持在|保持|稳定在|"
                    r"控制在|提高到|提升至|提升到|增加到|增至|为|将|要|力争|首次|再次|一举)+$", "", before)
    before = before.strip()[-20:]
    return re.sub(r"^(?:\d*年|今年|明年|去年|上年|年内|当年|全年|其中|同时|此外)+", "", before)


_LEADING_WORDS = re.compile(r"^(?:全省|全市|全区|的|将|要|力争|争取|确保|今年|明年|去年|年内|到\d{4}年)+")


def drop_place_prefix(metric: str, names: list[str]) -> str:
    """A metric without the place it starts with (成都市力争今年低空经济产业规模 →
    低空经济产业规模); the place is the target's region already."""
    for name in sorted(names, key=len, reverse=True):
        if metric.startswith(name) and len(metric) > len(name) + 1:
            rest = _LEADING_WORDS.sub("", metric[len(name):])
            return rest if len(rest) >= 2 else metric
    return metric


def classify_clause(text: str, clause: Clause, base_year: int | None,
                    publication_year: int | None, context_year: int | None = None
                    ) -> list[Target]:
    """Targets and statistics of one clause (spans relative to ``text``). ``context_year`` is
    the year the paragraph was last about (2024年，…。全年新增… reports 2024)."""
    body = clause.text
    if not _NUMERIC.search(body):
        return []
    # quantities inside document titles are part of the name, not facts
    titles = [(m.start(), m.end()) for m in TITLE.finditer(body)]
    quantities = [q for q in find_quantities(body)
                  if not any(s <= q.start < e for s, e in titles)]
    if not quantities:
        return []
    # 今年/明年 count from the publication, or else from the year the article is about
    current = publication_year if publication_year is not None else base_year
    deadlines = [d for d in find_deadlines(body, base_year=base_year, publication_year=current)
                 if not any(s <= d.start < e for s, e in titles)]
    if not deadlines:  # a deadline at the head of the sentence governs its clauses
        head = text[clause.sentence_start:clause.start]
        deadlines = find_deadlines(head, base_year=base_year, publication_year=current)
    future = [d for d in deadlines if publication_year is None or d.year >= publication_year]
    # the year the sentence is about, before the quantities: a past one reports (2023年…达)
    head = text[clause.sentence_start:clause.start] + body
    deadline_years = {d.year for d in deadlines}
    about = [y for _, y in explicit_years(head) if y not in deadline_years]
    relative = _RELATIVE_YEAR.search(head)
    ref_year = about[-1] if about else (
        current - (0 if relative.group() in ("今年", "本年") else 1) if relative and current
        else None)
    if ref_year is None and not _PLAN.search(head):
        ref_year = context_year  # a report goes on: 2024年，…。全年新增高新技术企业4200家
    planned = bool(_PLAN.search(head))
    if not future and planned and publication_year is not None and about \
            and about[-1] >= publication_year:  # 2024年…预期目标是：增长5%左右
        year_at = max(p for p, y in explicit_years(head) if y == about[-1])
        offset = clause.start - clause.sentence_start
        future = [Deadline(about[-1], year_at - offset, year_at - offset + 5, f"{about[-1]}年",
                           "year")]
    reported = bool(_STAT.search(body)) or (
        current is not None and ref_year is not None and ref_year < current and not future)
    out = []
    starts = [q.start for q in quantities] + [len(body)]
    for i, q in enumerate(quantities):
        deadline: Deadline | None = None
        before = [d for d in future if d.start <= q.start]
        deadline = before[-1] if before else (future[0] if future else None)
        # "截至今年6月底，已累计建成…" reports: a reporting clause whose only deadline is
        # "this year" is a statistic, not a target due this year
        this_year_only = deadline is not None and deadline.kind == "this-year" and not planned
        if deadline is not None and not (reported and (this_year_only or not _AIM.search(body))):
            kind = "target"
        elif reported:
            kind = "statistic"
        else:
            continue
        out.append(Target(
            kind=kind, value=q.value, unit=q.unit, comparator=q.comparator, upper=q.upper,
            threshold=q.threshold, threshold_unit=q.threshold_unit,
            deadline=deadline.year if deadline and kind == "target" else None,
            deadline_text=deadline.text if deadline and kind == "target" else None,
            metric=_metric(body, q, q.start, q.end, starts[i + 1]), quantity_text=q.text,
            sentence=body.strip(), start=clause.start + q.start, end=clause.start + q.end,
            sentence_start=clause.start, sentence_end=clause.end,
            year=ref_year if kind == "statistic" else None, currency=q.currency,
            per_year=bool(_PER_YEAR.search(body, max(0, q.start - 12), q.start))))
    # "增加值达9867亿元，同比增长10.1%，占GDP比重为11.7%": a bare change or share names what
    # changed; a quantity with no words of its own measures what the one before did
    named = None
    for t in out:
        if not t.metric and named:  # 到2025年达到50%，到2027年达到60%: the same measure
            t.metric = named
        elif not (_CHANGE_ONLY.fullmatch(t.metric) or t.metric.startswith("占")):
            named = t.metric
        elif named:
            t.metric = named + t.metric
    _distribute_respectively(body, clause.start, out)
    return out


#: "A、B等X分别突破v1、v2": the items (、 和 与 及 between them) and the noun they share.
_RESPECTIVELY = re.compile(r"(?P<items>[^，；：、和与及等]+(?:[、和与及][^，；：、和与及等]+)+)"
                           r"(?P<etc>等)?(?P<noun>[^，；：、]*)分别$")
_NOUN_WORDS = "产业|行业|产值|营收|营业收入|规模|增加值|收入|总量|产量|销量|企业"
#: Where a list's last item ends and the noun it shares begins (新材料|产业营收).
_SHARED_NOUN = re.compile(_NOUN_WORDS)
_CHANGE_VERB = re.compile(_CHANGE_WORDS)
#: Words that make an item a measure of its own (GDP和一般公共预算收入: nothing shared).
_MEASURE = re.compile(rf"{_NOUN_WORDS}|GDP|生产总值|投资|消费|出口|进口|利润|税收|额|率|量|数")


def _distribute_respectively(body: str, offset: int, facts: list[Target]) -> None:
    """Give each value after 分别 its own item and the shared comparator: 工程机械、轨道交通装备等
    产业集群产值分别突破4000亿元、2000亿元 → 工程机械产业集群产值 > 4e11, 轨道交通装备… > 2e11."""
    at = body.find("分别")
    if at < 0:
        return
    after = [t for t in facts if t.start - offset > at]
    m = _RESPECTIVELY.search(re.split(r"[，；：]", body[:at + 2])[-1])
    if not m or len(after) < 2:
        return
    items = re.split(r"[、和与及]", m.group("items"))
    items[0] = re.sub(r"^(?:到\d{4}年|\d{4}年|全省|全市|全国|力争|其中|主要是|包括)+", "", items[0])
    if len(items) != len(after):
        return
    noun = m.group("noun")
    if not m.group("etc") and not any(_MEASURE.search(x) for x in items[:-1]):
        # 电子信息、装备制造、新材料产业营收: the last item carries the noun they share
        cut = _SHARED_NOUN.search(items[-1], 1)
        if cut:
            items[-1], noun = items[-1][:cut.start()], items[-1][cut.start():] + noun
    verb = _CHANGE_VERB.match(body, at + 2)
    shared = after[0].comparator
    for item, t in zip(items, after, strict=True):
        t.metric = item + noun + (verb.group() if verb else "")
        if t.comparator == "=" and shared != "=":
            t.comparator = shared
