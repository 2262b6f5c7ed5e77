"""Targets (aims with a number and a deadline) and statistics (reported achievements).

A clause (sentences split at 。！？ and clauses at ；) with a quantity is a *statistic* when it
reports what has happened (已, 已达, 增至, 同比增长, 截至 … and no future deadline) and a
*target* when it has a deadline or horizon (到2025年, 三年内, “十四五”期间 …) and an aim
(力争, 培育, 将, 形成, 达到 …) or the deadline alone. Quantities without either are left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from itertools import pairwise

from nqpf.extract.dates import Deadline, explicit_years, find_deadlines
from nqpf.extract.documents import TITLE
from nqpf.extract.numbers import COUNT_UNITS, MANY_WORDS, Quantity, find_quantities
from nqpf.extract.scopes import TimeScopes, horizon_years, is_compared_with, is_horizon
from nqpf.records import as_record

__all__ = ["Clause", "Target", "classify_clause", "drop_place_prefix", "split_clauses"]

_STAT = re.compile(r"已经|已达|已有|已建成|已形成|增至|同比|比上年|较上年|增长了|截至|截止|累计实现|"
                   r"实现了|达到了|完成了|共有|分别为|占比为|跃升至|跃升为|跃居|跃上|贡献了|目前|先后(?=出台|印发|设立|建成|获批)|"
                   r"超(?:额完成)?(?:年度)?(?:计划)?目标|据统计|当前|现已|"
                   r"(?<![而并])已(?:经)?(?:培育|建成|形成|构建|建设|实现|完成|累计|引进|落地|开工|投产|"
                   r"认定|获批|创建|集聚|聚集|入驻)")
#: A change from a level to another: reported (从2282家增至4735家), unless the clause is an aim
#: with a deadline of its own or of a goal block (到2013年底，…比重从35%提高到40%).
_CHANGE_REPORT = re.compile(r"从[^，。；]{1,20}(?:增|升|提高|提升|增加|扩大)(?:至|到)")
#: The level a change starts from: 从35%提高到40% → 35 % is the base, not an aim.
_CHANGE_FROM = re.compile(r"[^，。；]{0,4}?(?:提高|提升|增加|增长|扩大|降低|下降|减少|增|降)(?:至|到)")
#: A rank: reported (位居全国第3), unless the clause is one of a goal block's aims
#: (到2027年，…；进出口总额达到1.1万亿元，…位居西部前列).
_RANK_REPORT = re.compile(r"位居|居全国|均居|位列|稳居")
_AIM = re.compile(r"力争|目标|争取|计划|拟|将|培育|打造|建设|建成|形成|突破|(?<!已)达到|确保|推动|新增|引进|"
                  r"投放|提供|设立|支持|超过|不少于|带动")


#: Words that make a sentence a plan, even where it compares with last year (拟…比上年增加).
_PLAN = re.compile(r"拟|力争|计划|预计|预期|目标|确保|争取|将|提出|明确|要求")
#: The year a report is about, relative to the publication: 去年, 过去一年, 今年 (not 比上年).
_RELATIVE_YEAR = re.compile(r"(?<![比较以])上年|去年|上一年|过去一年|过去的一年|今年|本年")
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
    #: target, statistic, plan_item (projects or money listed with no aim), label (四个方面,
    #: 十大产业) or other
    role: str = "target"
    #: the scope that gave the deadline: clause, sentence, block, heading, document
    deadline_source: str | None = None
    #: spans of further mentions of the same figure (a headline or lead restating it)
    mentions: list[list[int]] = field(default_factory=list)

    def to_dict(self) -> dict:
        return as_record(self)


#: A note right after a quantity: 千亿元(人民币，下同).
_NOTE_AFTER = re.compile(r"^\s*[（(][^）)]*(?:[）)]|$)")
_CLAUSE_PUNCT = re.compile(r"[，。；！？]")
#: What may follow a quantity before its metric: 以上, 大关, …的基础上.
_QUALIFIER_WORDS = re.compile(r"^(?:以上|以下|左右|以内|多|余)?(?:大关|关口|的?基础上.*)?")
_ONLY_PUNCT = re.compile(r"[，。；]*")
_BEFORE_STOP = re.compile(r"[，。；！？：、等]")
#: Deadlines and linking words before a quantity are not part of what is measured.
_DEADLINE_WORDS = re.compile(r"(?:将|要)?(?:于|在|到|至)?\d{4}年(?:底|末)?(?:前|以前)?")
_LINKING_START = re.compile(r"^(?:并让|并使|并|让|使|以及|同时|而且|而|且)")
_LEAD_WORDS = re.compile(r"^(?:全省|全市|全区|全国|我省|我市|我区|本省|本市|已经|已|将|拟|预计|带动|安排|在|"
                         r"通过|到\d{4}年|力争|确保|实现|全年|年内|培育|打造|建设|建成|形成|引进|布局|创建|"
                         r"认定|去年|上年|今年)+")
_VERB_END = re.compile(r"(?:不少于|不低于|超过|突破|达到|达|约|近|逾|过|至少|新台币|人民币|保持在|保持|"
                       r"稳定在|控制在|提高到|提升至|提升到|增加到|增至|为|将|要|力争|首次|再次|一举)+$")
_YEAR_START = re.compile(r"^(?:\d*年|今年|明年|去年|上年|年内|当年|全年|其中|同时|此外)+")


def _metric(clause: str, q: Quantity, rel_start: int, rel_end: int, next_start: int) -> str:
    after = clause[rel_end:next_start]
    after = _NOTE_AFTER.sub("", after)
    after = _CLAUSE_PUNCT.split(after, maxsplit=1)[0]
    if next_start < len(clause):  # the next item of a list: stop at its separator
        after = after.split("、", 1)[0]
    after = _QUALIFIER_WORDS.sub("", after)
    if "的" in after:
        after = after[after.rfind("的") + 1:]
    after = after.strip()
    if len(after) >= 2 and not _ONLY_PUNCT.fullmatch(after):
        return after
    before = clause[:rel_start]
    before = _BEFORE_STOP.split(before)[-1]
    before = _DEADLINE_WORDS.sub("", before)
    before = _LINKING_START.sub("", before)
    before = _LEAD_WORDS.sub("", before)
    before = _VERB_END.sub("", before)
    before = before.strip()[-20:]
    return _YEAR_START.sub("", before)


_LEADING_WORDS = re.compile(r"^(?:全省|全市|全区|的|将|要|力争|争取|确保|今年|明年|去年|年内|到\d{4}年)+")


def drop_place_prefix(metric: str, names: list[str]) -> str:
    """A metric without the place it starts with (成都市力争今年低空经济产业规模 →
    低空经济产业规模); the place is the target's region already."""
    for name in sorted(names, key=len, reverse=True):
        if metric.startswith(name) and len(metric) > len(name) + 1:
            rest = _LEADING_WORDS.sub("", metric[len(name):])
            return rest if len(rest) >= 2 else metric
    return metric


#: Strong words of an aim: a quantity after them is a goal even where no year is stated.
_STRONG_AIM = re.compile(r"力争|争取|目标|确保|预计到|计划|将|打造|培育|建设|建成|形成|新增|引进|创建|布局|"
                         r"达到|突破|超过|提高到|提升至|提升到|增长|下降|降低|控制在|不少于|不低于|以上|左右")
#: A count that names parts of a list, not a goal: 四个方面, 五大方向, 一个集群、一个专班.
_LABEL_AFTER = re.compile(r"^(?:大|个|项|张|条|种|类|支)?(?:重点|主要|重大)?(?:会议|全会|全体会议|集体学习|"
                          r"行业|支柱产业|主导产业|方面|领域|维度|层面|环节|板块|方向|体系|清单|专班|任务|"
                          r"部门|重点|支撑|抓手|机制|中心|重点区域|行动|工程$|举措|措施|原则|要求|步|批次|阶段|"
                          r"主要|部分|层级|梯次|类型|路径|目标|底线|红线|主线|生命线|防线)")
#: Verbs that create what a count counts: 打造…等5个集群 is an aim, 明确了成都、绵阳两个承载地 is not.
_CREATE = re.compile(r"打造|培育|建设|建成|形成|新增|引进|创建|布局|发展|认定|争创|组建|设立|实施|推动|"
                     r"支持|遴选")


def classify_clause(text: str, clause: Clause, base_year: int | None,
                    publication_year: int | None, context_year: int | None = None,
                    scopes: TimeScopes | None = None, current_year: int | None = None,
                    reporting_year: int | None = None, page_year: int | None = None
                    ) -> list[Target]:
    """Targets, statistics and other quantities of one clause (spans relative to ``text``),
    each with its role. A quantity's year comes from the innermost scope that states one:
    the clause (its ；-part), the sentence, then ``scopes`` (block, heading, document).
    ``context_year`` is the year the paragraph was last about (2024年，…。全年新增… reports
    2024); ``current_year`` is 今年 where the page gives no date (the latest year the text has
    spoken of); ``reporting_year`` the latest year the text has spoken of when that is before
    the publication (the text reports on it: 培育 with no year is work done then);
    ``page_year`` the year of a work report the page carries, for aims with no year."""
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
    current = (publication_year if publication_year is not None else
               current_year if current_year is not None else base_year)
    head = text[clause.sentence_start:clause.start]
    offset = len(head)
    sentence = head + body
    titles_s = [(m.start(), m.end()) for m in TITLE.finditer(sentence)]
    deadlines = [d for d in find_deadlines(sentence, base_year=base_year, publication_year=current)
                 if not any(s <= d.start < e for s, e in titles_s) and is_horizon(sentence, d)]
    if scopes is not None:
        for d in deadlines:
            if d.kind == "within-years":
                k = horizon_years(d.text)
                year = scopes.relative_year(clause.sentence_start + d.start, k) if k else None
                d.year = year if year is not None else d.year
    deadlines += _aimed_years(sentence, publication_year if publication_year is not None
                              else base_year, titles_s, dated=publication_year is not None)
    deadlines.sort(key=lambda d: d.start)
    # a plan period that ends this year is looked back on (“十四五”期间, said in 2025)
    future = [d for d in deadlines if publication_year is None or d.year > publication_year
              or (d.year == publication_year and d.kind != "plan-period")]
    # the year the sentence is about, before the quantities: a past one reports (2023年…达)
    deadline_years = {d.year for d in deadlines}
    # (not the base of a comparison: 比2015年提高2个百分点)
    about = [y for p, y in explicit_years(sentence) if y not in deadline_years
             and not is_compared_with(sentence, p)]
    relative = _RELATIVE_YEAR.search(sentence)
    ref_year = about[-1] if about else (
        current - (0 if relative.group() in ("今年", "本年") else 1) if relative and current
        else None)
    if ref_year is None and not _PLAN.search(sentence):
        ref_year = context_year  # a report goes on: 2024年，…。全年新增高新技术企业4200家
    planned = bool(_PLAN.search(sentence))
    reference = publication_year if publication_year is not None else base_year
    if not future and planned and about and not re.search(
            rf"从\s*{about[-1]}\s*年", sentence) and (  # 从2017年的2.01万亿元: where a change starts
            (reference is not None and about[-1] >= reference)
            or (reference is None and _FUTURE_MARK.search(sentence))):  # 2024年…预期目标是：增长5%左右
        year_at = max(p for p, y in explicit_years(sentence) if y == about[-1])
        future = [Deadline(about[-1], year_at, year_at + 5, f"{about[-1]}年", "year")]
    stat_marks = [offset + m.start() for m in _STAT.finditer(body)]
    year_report = (current is not None and ref_year is not None and ref_year < current
                   and not future)
    reported = bool(stat_marks) or year_report
    rank_report = bool(_RANK_REPORT.search(body))
    change_report = bool(_CHANGE_REPORT.search(body))
    out = []
    starts = [q.start for q in quantities] + [len(body)]
    paired = _paired_years(sentence, future, quantities, offset)
    lead = _LEADING_YEAR.match(sentence)
    lead_year = Deadline(int(lead.group(1)), lead.start(1), lead.end(1) + 1, f"{lead.group(1)}年", "year") \
        if lead and publication_year is not None and not reported \
        and int(lead.group(1)) >= publication_year else None
    for i, q in enumerate(quantities):
        pos = offset + q.start  # in the sentence
        before = [d for d in future if d.start <= pos]
        deadline = paired.get(i, before[-1] if before else None)
        source = None
        if deadline is not None:
            source = "clause" if deadline.start >= offset else "sentence"
        if deadline is None and lead_year is not None:
            # 2025年，全省算力规模达到150Eflops；打造10个以上…: the year that opens the
            # sentence, still to come, before any scope beyond it (a plan's 2027)
            deadline, source = lead_year, "sentence"
        horizon = None
        if deadline is None and scopes is not None and not before:
            horizon = scopes.at(clause.start + q.start)
            if horizon.year is not None and not horizon.report and (
                    publication_year is None or horizon.year >= publication_year):
                deadline = Deadline(horizon.year, -1, -1, horizon.text or "", horizon.source or "")
                source = horizon.source
        if deadline is None and page_year is not None and not (horizon and horizon.report) \
                and reporting_year is None and q.value is not None \
                and (not q.threshold or "项目" in body[max(0, q.start - 12):q.end + 4]) \
                and (q.comparator == ">=" or _PAGE_AIM.search(sentence[:pos])) \
                and not (q.unit in COUNT_UNITS
                         and _BUILT_OVER_YEARS.search(body, max(0, q.start - 30), q.start)
                         and (q.threshold or _STRUCTURE_AFTER.match(body, q.end))):
            # a work report's aims with no year are the year of the meeting that hears it
            # (力争…达到11%左右, 新增专业25个以上, in the report of January 2026): a verb of the
            # future or a floor marks the aim, as figures of the year under review have none;
            # not a structure built over years (打造15个千亿级特色产业群)
            deadline = Deadline(page_year, -1, -1, "", "page")
            source = "page"
        # 截至目前，…装机超6000万千瓦，到年底…产值将突破400亿元: a report, then an aim whose
        # horizon comes after every word of the report
        held = None
        if reported and not year_report and source == "clause" \
                and deadline.text.startswith(("到", "至")) \
                and all(p < deadline.start for p in stat_marks):
            held, reported = reported, False
        # 云南在去年进出口总额增长16.8%的情况下，提出今年力争增长15%以上: last year's figure,
        # the base of this year's aim
        past_base = not before and bool(_PAST_YEAR_BEFORE.search(sentence, max(0, pos - 30), pos))
        # 在2023年…占比33.8%的基础上，…至2026年达到40%: the level an aim starts from
        base_level = bool(_BASE_AFTER.match(body, q.end) and re.search(r"在[^，。；]*$", body[:q.start]))
        if change_report and not reported and not (deadline is not None and (
                source in ("clause", "sentence") or (horizon is not None and horizon.goal))):
            reported = True
        if rank_report and not reported and not (
                deadline is not None and horizon is not None and horizon.goal):
            reported = True
        aim_here = bool(_AIM.search(body)) or bool(_STRONG_AIM.search(body))
        this_year_only = deadline is not None and deadline.kind == "this-year" and not planned
        if this_year_only and not _AIM_VERB.search(sentence[:pos]) \
                and q.comparator not in (">=", "<="):  # 不少于100家 sets a floor: an aim
            reported = True  # 今年，市场规模达到近30亿: this year's figure, reported
        role = "other"
        if _is_label(body, q):
            role = "label"
        elif _is_whole_stock(body, q):
            role = "other"  # 推进全省107个产业集群提档升级: the units acted on, as they are
        elif deadline is None and horizon is not None and horizon.report:
            role = "statistic" if q.value is not None else "other"  # under 一、2024年工作回顾
        elif deadline is not None and not (reported and (this_year_only or not _AIM.search(body))) \
                and not (reported and source not in ("clause", "sentence")) \
                and (source in ("clause", "sentence") or aim_here or (horizon and horizon.goal)):
            role = "target"  # a year from beyond the sentence does not outweigh a report
        elif reported:
            role = "statistic"
        elif _is_plan_item(body, q):
            role = "plan_item"
        elif deadline is None and not reported and (
                _AIM_VERB.search(body[:q.start])
                # 今年…主要预期目标是：…增长7%左右, on a page that tells no year: aims of a year
                # unknown
                or (current is None and relative is not None and relative.group() in ("今年", "本年")
                    and _FUTURE_VERB.search(sentence[:pos]))) \
                and not _PAST.search(sentence[:pos]):
            if reporting_year is not None and not _FUTURE_VERB.search(sentence[:pos]):
                # 2025年…。培育规上工业企业85家, on a page of 2026: the work of the year
                # the text reports on, not an aim
                role, ref_year = "statistic", reporting_year
            else:
                role = "target"  # an aim with no year stated anywhere (打造…15个千亿级产业群)
        if (role == "target" and past_base) or (base_level and role in ("target", "other")):
            role = "statistic"
        if role == "target" and q.value is None and q.threshold \
                and not re.fullmatch(MANY_WORDS, q.text) \
                and not _MANY_BEFORE.search(body, max(0, q.start - 8), q.start):
            role = "other"  # 打造绿色能源千亿级产业: one industry at a class, not a count of them
        if role == "target" and _ADJUSTED_BY.search(body, max(0, q.start - 6), q.start):
            role = "other"  # 增长12%以上(调增2个百分点): by how much the aim was raised
        if role == "target" and (
                _SUPPORT_RULE.search(body, max(0, q.start - 16), q.start)
                or (re.search(r"最\s?[高多]\s?(?:不超过)?$", body[max(0, q.start - 8):q.start])
                    and _PAYS.search(sentence))
                or _SUPPORT_AFTER.match(body, q.end)):
            role = "other"  # 给予最高20%且不超过1000万元支持: what a policy pays, not an aim
        if role == "target" and _FORECAST.search(sentence[:pos]):
            role = "other"  # 高盛预测，到2035年…可替代25%: someone's forecast, not an aim
        if role == "target" and re.search(r"从[^，。；\d]{0,8}$", body[:q.start]) \
                and _CHANGE_FROM.match(body, q.end):
            role = "other"  # the base a change starts from
        if role == "target" and _is_plan_item(body, q) and (
                _is_plan_contents(body, q) or (
                    not _STRONG_GOAL.search(sentence)
                    and not (horizon is not None and horizon.goal and source == "heading"))):
            role = "plan_item"  # 推进“十五五”规划109项重大工程: items of a plan, not an aim
        kind = role if role in ("target", "statistic") else "other"
        out.append(Target(
            kind=kind, value=q.value, unit=q.unit, comparator=q.comparator, upper=q.upper,
            threshold=q.threshold, threshold_unit=q.threshold_unit,
            deadline=deadline.year if deadline and role == "target" else None,
            deadline_text=deadline.text if deadline and role == "target" else None,
            metric=_metric(body, q, q.start, q.end, starts[i + 1]), quantity_text=q.text,
            sentence=body.strip(), start=clause.start + q.start, end=clause.start + q.end,
            sentence_start=clause.start, sentence_end=clause.end,
            year=(ref_year if ref_year is not None or horizon is None else horizon.year)
            if role == "statistic" else None, currency=q.currency,
            per_year=bool(_PER_YEAR.search(body, max(0, q.start - 12), q.start)),
            role=role, deadline_source=source if role == "target" and deadline else None))
        if held:
            reported = True  # the report goes on for the quantities after this one
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
    if any(t.role == "statistic" for t in out):  # 增长7.6%，培育规上工业企业85家: a report
        for t in out:
            if t.role == "target" and t.deadline is None:
                t.role, t.kind, t.year = "statistic", "statistic", ref_year
    _distribute_respectively(body, clause.start, out)
    return _each_item(body, clause.start, out)


_LIST_JOIN = re.compile(r"\s*[、和及与]\s*")


def _paired_years(sentence: str, deadlines: list[Deadline], quantities: list[Quantity],
                  offset: int) -> dict[int, Deadline]:
    """Years listed together, then as many figures listed together, pair in order:
    为2030年、2035年…突破6000亿元、1万亿元 → 6000亿元 by 2030, 1万亿元 by 2035. Returns
    {index of the quantity: its deadline}."""
    out: dict[int, Deadline] = {}
    run: list[Deadline] = []
    for d in [*deadlines, None]:
        if d is not None and run and _LIST_JOIN.fullmatch(sentence, run[-1].end, d.start):
            run.append(d)
            continue
        if len(run) > 1:
            after = [i for i, q in enumerate(quantities) if offset + q.start >= run[-1].end]
            items = after[:len(run)]
            if len(items) == len(run) and all(
                    _LIST_JOIN.fullmatch(sentence, offset + quantities[a].end,
                                         offset + quantities[b].start)
                    for a, b in pairwise(items)) and not any(
                    run[-1].end <= e.start < offset + quantities[items[0]].start
                    for e in deadlines if e not in run):
                out.update(zip(items, run, strict=True))
        run = [d] if d is not None else []
    return out


#: Words that make a list of items a goal after all (力争…开工项目100个).
_STRONG_GOAL = re.compile(r"力争|争取|目标|确保|预计到|到\d{4}年|\d{4}年(?:底|末)?前")
#: Words that put a sentence in the future: with no page date, its year is a horizon.
_FUTURE_MARK = re.compile(r"将|力争|争取|计划|预计|目标|确保")
#: Verbs of an aim that make a goal of a quantity after them even with no year stated.
_AIM_VERB = re.compile(r"(?:打造|培育|建设(?!面积|用地|规模|周期|进度|成本)|形成|创建|力争|争取|确保|"
                       r"将(?!近)|计划(?!单列)|拟)(?![，。；、])")
#: What a structure built over years is: 集群, 产业链, 基地 … (not 数据产品100个).
_STRUCTURE_AFTER = re.compile(r"[^，。；、]{0,12}?(?:集群|产业群|产业链|基地|园区|高地|中心|示范区|走廊|"
                              r"产业带|城市|强县)")
#: Verbs of a structure built over years: its count in a work report has no year.
_BUILT_OVER_YEARS = re.compile(r"打造|建成|形成|构建|培育壮大")
#: Last year, named in the clause before a figure with no deadline of its own before it.
_PAST_YEAR_BEFORE = re.compile(r"(?:去年|(?<!以)上年(?!度)|前年)[^，。；]*$")
#: Right after a level that an aim builds on: 33.8%的基础上.
_BASE_AFTER = re.compile(r"(?:以上|左右)?的?基础上")
#: Before a class with no count, words that make what is built more than one thing:
#: 打造成为新的万亿级产业集群, 若干万亿级产业.
_MANY_BEFORE = re.compile(rf"(?:新的|一些|更多|{MANY_WORDS})$")
#: A note on how far an aim was changed, in brackets right after it: (调增2个百分点).
_ADJUSTED_BY = re.compile(r"[（(](?:比[^，。；）)]{0,6})?(?:调增|调减|上调|下调|调高|调低)$")
#: A subsidy's terms before its amount: 给予最高1000万元, 按投资额给予20%补助.
_SUPPORT_RULE = re.compile(r"(?:给予|奖励|补贴|补助|资助|奖补)[^，。；]{0,10}?(?:最高|不超过|最多)"
                           r"[^，。；]{0,6}$")
#: A subsidy right after its rate or sum: 按…金额的30%给予支持, 50万元资金补助.
_SUPPORT_AFTER = re.compile(r"(?:以内)?的?(?:给予|予以|一次性)?(?:资金|奖励性)?"
                            r"(?:支持|补助|奖励|补贴|资助|奖补)")
#: A sentence that pays out: 发放“成长券”，最高50万元.
_PAYS = re.compile(r"给予|发放|奖励|补贴|补助|资助|奖补|券")
#: A forecast by someone: 机构预测，到2035年…
_FORECAST = re.compile(r"(?:预测(?:称|说|显示|认为)?|数据显示)[，,：:]")
#: Verbs that make a figure of a work report an aim of its year (not 预计: a review's
#: estimate of the year just ended, 投资预计增长3%); 新建, 新培育: what the year is to add.
_PAGE_AIM = re.compile(r"将(?!近)|力争|争取|确保|(?<!列入)(?<!纳入)计划|拟|目标|要(?!求)|新建|新培育")
#: Verbs that put an aim in the future whatever the text reports on.
_FUTURE_VERB = re.compile(r"将|力争|争取|确保|计划|拟|预计|目标|要")
#: Words of the past before a quantity: a report, not an aim (培育创建了170余家).
_PAST = re.compile(r"了|已|过去|截至|截止|去年|(?<!以)上年|近年|累计|曾|先后|此前|以来|现有(?!基础|水平)")
#: A bare year right before the verb of an aim: 高新技术企业2024年突破3.5万家.
_AIMED_YEAR = re.compile(r"(?<![\d到至在截止])((?:19|20)\d{2})\s*年(?:底|末)?(?=\s*(?:增速|总量|规模)?"
                         r"(?:(?:力争|争取|确保)[\d一二两三四五六七八九十百千万]"  # 2023年力争一万亿元
                         r"|(?:力争|争取|确保|预计)?"
                         r"(?:突破|达到|达|超过|实现|建成|培育|新增|提高到|提升至|提升到|增长|形成|完成|降至|下降)))")


#: A bare year, then what is measured, then the verb of an aim: 2025年装备制造业规模突破1.5万亿元.
#: Only a year after the reference year is read so: one still to come cannot be a report.
_AIMED_YEAR_SUBJECT = re.compile(r"(?<![\d到至在截止])((?:19|20)\d{2})\s*年(?:底|末)?"
                                 r"(?=[^，。；：、！？\d年（(“\"]{2,14}?(?:力争|争取|确保|预计)?"
                                 r"(?:突破|达到|超过|提高到|提升至|提升到|增长|降至|下降|"
                                 r"实现|建成|培育|新增|形成|部署|打造|完成))")


def _aimed_years(sentence: str, reference: int | None,
                 titles: list[tuple[int, int]], dated: bool = True) -> list[Deadline]:
    """Bare years before an aim's verb that are not in the past (2025年突破3.8万家), and
    years still to come before a subject and such a verb (2025年装备制造业规模突破…); on a
    page with no date (``dated`` false) the latter only in a sentence with a verb of the
    future (2023年产业规模达到450亿元 may be a report)."""
    out = []
    if reference is None:
        return out
    found = [(m, False) for m in _AIMED_YEAR.finditer(sentence)]
    if dated or _FUTURE_MARK.search(sentence):
        found += [(m, True) for m in _AIMED_YEAR_SUBJECT.finditer(sentence)]
    seen = set()
    for m, subject in found:
        year = int(m.group(1))
        # 成都的目标是，2024年人工智能产业规模达到1000亿元: the year of the page, named as a goal
        ahead = subject and not _GOAL_WORD.search(sentence, 0, m.start())
        if year < reference + ahead or m.start() in seen \
                or any(s <= m.start() < e for s, e in titles):
            continue
        seen.add(m.start())
        out.append(Deadline(year, m.start(), m.end(), m.group(), "aimed-year"))
        start = m.start()
        while (prev := _YEAR_LISTED_BEFORE.search(sentence, 0, start)) and prev.start() not in seen \
                and int(prev.group(2)) >= reference:  # 2030年、2035年…突破: both aimed at
            seen.add(prev.start())
            out.append(Deadline(int(prev.group(2)), prev.start(), prev.end("year"),
                                prev.group("year"), "aimed-year"))
            start = prev.start()
    return sorted(out, key=lambda d: d.start)


_GOAL_WORD = re.compile(r"目标")
#: A year that opens a sentence and labels it: 2025年，全省….
_LEADING_YEAR = re.compile(r"[ \t\u3000]*((?:19|20)\d{2})\s*年\s*[，,]")
#: A year listed straight before another: 2030年、(2035年).
_YEAR_LISTED_BEFORE = re.compile(r"(?<![\d到至在截止])(?P<year>((?:19|20)\d{2})\s*年)\s*[、和及与]\s*$")


#: A whole territory's count straight before what it counts: 全省107个产业集群.
_WHOLE_BEFORE = re.compile(r"(?:全省|全市|全区|全县|全国|全域)(?:现有|共有|共)?$")


def _is_whole_stock(body: str, q: Quantity) -> bool:
    """A count of all the units a territory has, named as what an action applies to
    (推进全省107个重点特色产业集群提档升级), not an aim or a measure of progress."""
    return (q.value is not None and q.unit in COUNT_UNITS
            and bool(_WHOLE_BEFORE.search(body, 0, q.start))
            and not _AIM_BEFORE_WHOLE.search(body, max(0, q.start - 12), q.start))


#: An aim right before the territory (新增全省…): the count is the aim after all.
_AIM_BEFORE_WHOLE = re.compile(r"(?:新增|培育|打造|建成|建设|达到|突破|超过)"
                               r"(?:全省|全市|全区|全县|全国|全域)")


#: A plan's parts named before their count: 约束性指标8项.
_CONTENTS_BEFORE = re.compile(r"(?:指标|任务|措施|举措)$")
#: What a plan is made of, after a count of its items: 重点任务, 措施, 工作清单.
_PLAN_CONTENTS = re.compile(r"[^，。；、\d]{0,6}?(?:任务|举措|措施|清单|政策|指标|专项行动|目标)"
                            r"(?![\u4e00-\u9fff]{0,2}(?:企业|项目))")


def _is_plan_contents(body: str, q: Quantity) -> bool:
    """A count of a plan's own parts (细化为15项具体措施, 提出74项分领域细化指标, 约束性指标8项,
    拟定10个专项行动): never an aim."""
    if q.unit not in ("项", "条", "张", "个"):
        return False
    after = _PLAN_CONTENTS.match(body, q.end)
    if q.unit == "个":  # 个 counts too much else: only a plan's actions and indicators
        return bool(after) and any(w in after.group() for w in ("专项行动", "指标", "目标"))
    return bool(after) or bool(_CONTENTS_BEFORE.search(body, max(0, q.start - 8), q.start))


#: Projects or works after a count, past their size class (10亿元以上, 亿元级): 项目, 工程.
_PROJECTS_AFTER = re.compile(r"(?:(?:\d+(?:\.\d+)?|[一二两三四五六七八九十百千]*)(?:万亿|亿|万)元"
                             r"(?:以上|级)?)?(?:以上)?[^，。；、]{0,8}(?:项目|工程)")


def _is_plan_item(body: str, q: Quantity) -> bool:
    """Projects or money listed with no aim: 推进109项重大工程, 开工项目110个、总投资1155亿元."""
    before, after = body[max(0, q.start - 30):q.start], body[q.end:q.end + 16]
    # the verb may govern a list: 推进170项…项目和50项在建项目
    verb = re.search(r"(?:推进|推动|实施|开工|谋划|储备|签约|落地|竣工|在建|建设)[^，。；]{0,26}$",
                     before)
    projects = re.search(r"项目$", before)  # 开工项目110个
    investment = re.search(r"总投资(?:约|达|超过|超|近)?$", before)
    # 170项10亿元以上重大工业项目: the projects' size class may come between
    noun = _PROJECTS_AFTER.match(after) or projects or investment
    # 部署25项重点任务, 提出18条措施: the contents of a plan, counted
    contents = _is_plan_contents(body, q)
    # 新开工亿元以上项目200个以上: a floor of projects to reach is an aim, not a listing
    floor = q.comparator in (">=", ">") and q.unit in COUNT_UNITS
    return (bool((verb and noun) or projects) and not floor) or bool(investment) or bool(contents)


#: After 一个 used as an article: an adjective or an abstract noun (全新阶段, 余地, 重要).
#: The way a figure of speech walks: 走出一条…之路, 一条新路子.
_PATH_AFTER = re.compile(r"[^，。；]{0,40}?(?:之路|新路|路子|道路)")
_ARTICLE_AFTER = re.compile(r"全新|崭新|新的|新阶段|新台阶|新高度|新水平|更|重要|良好|关键|历史性|较大|很大|"
                            r"首要|保障体系|余地|有利|强大|完整|开放|稳定|长期|巨大|广阔")


#: What "a" (一个, 一次) introduces when it is no count: a state or a change of one.
_FIGURATIVE = re.compile(r"[^，。；]{0,30}?(?:格局|局面|飞跃|跨越|转变|变革|革命|态势|景象)")


#: A voltage class naming a line or a substation (500千伏 …工程) after a count's number.
_VOLTAGE = re.compile(r"伏|kV|KV")
#: A group named by a round number of people: 百人会, 千人计划.
_NAMED_GROUP = re.compile(r"(?<=[百千万]人)(?:会|计划|团)")


#: Inside a short quoted name: its opening quote shortly before, its closing one shortly after.
_QUOTED_OPEN = re.compile(r"[“「『\"][^”」』\"，。；：]{0,6}$")
_QUOTED_CLOSE = re.compile(r"[^”」』\"“「『，。；：]{0,8}[”」』\"]")
#: How often a word occurs: “建设”出现57次, 提及12次.
_OCCURS = re.compile(r"(?:出现|提及|提到|被提)了?$")


def _is_label(body: str, q: Quantity) -> bool:
    """A count that labels a list rather than measures (四个方面, “一个集群、一个专班”)."""
    if q.value is not None and not q.text[:1].isdigit() and _QUOTED_OPEN.search(
            body, max(0, q.start - 8), q.start) and _QUOTED_CLOSE.match(body, q.end):
        return True  # “千项万亿”, “一个目标、三个建成”, “一部手机游江西”: a name in quotes
    if _VOLTAGE.match(body, q.end) or _NAMED_GROUP.match(body, q.end):
        return True  # 500千伏楚庭线路工程, 中国电动汽车百人会: part of a name
    if body[max(0, q.start - 3):q.start].endswith(("相当于", "相当", "约合", "折合")):
        return True  # 相当于6个三峡电站: a comparison that makes a size vivid
    if q.unit in ("个", "") and q.value in (31.0, 34.0) and body.startswith("省", q.end):
        return True  # 中国31个省市自治区: all the provinces, not a count aimed at
    if body[max(0, q.start - 2):q.start] in ("时速", "速度"):
        return True  # 时速250公里以上的高铁: a class of railway, not a figure aimed at
    if q.unit == "次" and _OCCURS.search(body, max(0, q.start - 6), q.start):
        return True  # “发展”出现67次: how often a word occurs in a text
    if q.value is None or q.value > 12 or (q.text[:1].isdigit() and q.unit not in ("个", "大")):
        return False
    after = body[q.end:q.end + 6]
    if _LABEL_AFTER.match(after):
        return True
    if body[q.start - 1:q.start] in "“「『\"" and re.match(r"[^”」』\"，。]{0,4}[”」』\"]", after):
        return True  # “四个面向”, 「六张网」: a name
    if q.start and body[q.start - 1] in "”」』" and not q.text[:1].isdigit():
        return True  # “登高、升规、晋位、上市”四个工程: the quoted names, counted
    head = body[:q.start]
    if re.search(r"[、和与及][^、，。；：]{1,8}(?:等)?$", head) \
            and re.search(r"[、][^、，。；：]{1,8}[、和与及]", head) is None \
            and re.search(r"[^、，。；：]{2,8}[、和与及][^、，。；：]{2,8}(?:等)?$", head) \
            and not _CREATE.search(head[-40:]):
        return True  # 明确了成都、绵阳两个主要承载地: names counted, not an aim
    if not q.threshold and _counts_its_list(head, q.value) and _SECTORS_AFTER.match(body, q.end):
        return True  # 航空航天、电子信息、新材料、高端装备、农机装备等五个产业: the sectors named, counted
    if q.text in ("一个", "一项", "一套") and _ARTICLE_AFTER.match(body, q.end):
        return True  # 进入了一个全新阶段, 留下一个余地: "a", not a count
    if q.text in ("一个", "一次", "一场") and _FIGURATIVE.match(body, q.end):
        return True  # 形成一个…的新格局, 一次质的飞跃: "a", not a count
    if q.text == "一条" and _PATH_AFTER.match(body, q.end):
        return True  # 走出一条…绿色低碳发展之路: a way, not a count
    if re.match(r"一[个套张条项]", q.text):  # 一个集群、一个专班、一套方案: a slogan
        return bool(re.match(r"[^、，。]{1,4}[、，]一[个套张条项抓]", body[q.end:q.end + 8])
                    or re.search(r"[、，]一[个套张条项][^、，。]{1,4}[、，]$",
                                 body[max(0, q.start - 8):q.start]))
    return False


#: Sectors named after a count (五个战略性新兴产业): what a list of names is counted as.
_SECTORS_AFTER = re.compile(r"[^，。；、\d亿级]{0,10}?(?:产业|行业|领域|方向)(?![集基园])")


def _counts_its_list(head: str, value: float) -> bool:
    """Whether a count right after a list of three or more short items (、-parted, the last
    maybe joined by 和, 与 or 及, then 等) is the number of those items."""
    seg = re.search(r"[^，。；：！？\n]*$", head).group()
    seg = seg[:-1] if seg.endswith("等") else seg
    items = seg.split("、")
    if len(items) < 3 or any(not 1 <= len(x) <= 10 for x in items[1:]):
        return False
    return len(items) + bool(re.search(r"[和与及]", items[-1])) == value


#: "A、B等X分别突破v1、v2": the items (、 和 与 及 between them) and the noun they share.
_RESPECTIVELY = re.compile(r"(?P<items>[^，；：、和与及等]+(?:[、和与及][^，；：、和与及等]+)+)"
                           r"(?P<etc>等)?(?P<noun>[^，；：、]*)分别$")
_NOUN_WORDS = "产业|行业|产值|营收|营业收入|规模|增加值|收入|总量|产量|销量|企业"
#: Where a list's last item ends and the noun it shares begins (新材料|产业营收).
_SHARED_NOUN = re.compile(_NOUN_WORDS)
_CHANGE_VERB = re.compile(_CHANGE_WORDS)
#: Words that make an item a measure of its own (GDP和一般公共预算收入: nothing shared).
_MEASURE = re.compile(rf"{_NOUN_WORDS}|GDP|生产总值|投资|消费|出口|进口|利润|税收|额|率|量|数")


#: A comparator word after the last value of a list: 以上, 左右, 以下, 以内.
_AFTER_THE_LAST = re.compile(r"\s?(?:及以上|以上|左右|以下|以内)")


def _share_last_comparator(body: str, offset: int, after: list[Target]) -> None:
    """分别提高到10%、8%和18%以上: the word after the list's last value (以上, 左右) is every
    value's, where none has its own."""
    if len(after) < 2:
        return
    listed = after[:1]
    for t in after[1:]:
        if body[listed[-1].end - offset:t.start - offset] not in ("、", "和", "及", "与"):
            break
        listed.append(t)
    last = listed[-1]
    if len(listed) > 1 and _AFTER_THE_LAST.match(body, last.end - offset) \
            and all(t.comparator == "=" for t in listed[:-1]):
        for t in listed[:-1]:
            t.comparator = last.comparator


def _distribute_respectively(body: str, offset: int, facts: list[Target]) -> None:
    """Give each value after 分别 its own item and the shared comparator: 工程机械、轨道交通装备等
    产业集群产值分别突破4000亿元、2000亿元 → 工程机械产业集群产值 > 4e11, 轨道交通装备… > 2e11."""
    at = body.find("分别")
    if at < 0:
        return
    after = [t for t in facts if t.start - offset > at]
    _share_last_comparator(body, offset, after)
    m = _RESPECTIVELY.search(re.split(r"[，；：]", body[:at + 2])[-1])
    if not m or len(after) < 2:
        return
    items, noun = _listed_items(m)
    if len(items) != len(after):
        return
    verb = _CHANGE_VERB.match(body, at + 2)
    shared = after[0].comparator
    for item, t in zip(items, after, strict=True):
        t.metric = item + noun + (verb.group() if verb else "")
        if t.comparator == "=" and shared != "=":
            t.comparator = shared


def _listed_items(m: re.Match) -> tuple[list[str], str]:
    """The items of a list before 分别 or 均 and the noun they share (电子信息、装备制造、新材料
    产业营收 → [电子信息, 装备制造, 新材料], 产业营收)."""
    # 、 parts the items, 和 or 及 only the last (汽车及零部件、现代家居和服装服饰)
    parts = m.group("items").split("、")
    items = [*parts[:-1], *re.split(r"[和与及]", parts[-1])]
    items[0] = re.sub(r"^(?:到\d{4}年|\d{4}年|全省|全市|全国|力争|其中|主要是|包括)+", "", items[0])
    noun = m.group("noun")
    if not m.group("etc") and not any(_MEASURE.search(x) for x in items[:-1]):
        # the last item carries the noun they share
        cut = _SHARED_NOUN.search(items[-1], 1)
        if cut:
            items[-1], noun = items[-1][:cut.start()], items[-1][cut.start():] + noun
    return items, noun


#: A list before one value that each of its items reaches: 汽车、家居产业收入分别达到4000亿元.
_EACH = re.compile(r"(?P<items>[^，；：、和与及等]+(?:[、和与及][^，；：、和与及等]+)+)"
                   r"(?P<etc>等)?(?P<noun>[^，；：、]*)(?:分别|(?<![年平人户])均)"
                   r"(?:为|达到|达|突破|超过|实现|(?P<change>增长|提高|下降))?$")


def _each_item(body: str, offset: int, facts: list[Target]) -> list[Target]:
    """One record for each item of a list that one value is given for with 分别 or 均
    (装备制造、食品产业收入均突破1.2万亿元 → two records, each with its item in the metric)."""
    out: list[Target] = []
    for i, t in enumerate(facts):
        out.append(t)
        head = re.split(r"[，；：]", body[:t.start - offset])[-1]
        m = _EACH.search(head) if ("分别" in head or "均" in head) else None  # (not 年均, 平均)
        nxt = facts[i + 1].start - offset if i + 1 < len(facts) else len(body)
        if m is None or body[t.end - offset:nxt].startswith(("、", "和")):
            continue  # (a value for each item: 分别突破4000亿元、2000亿元)
        items, noun = _listed_items(m)
        if len(items) < 2:
            continue
        noun += m.group("change") or ""  # 分别增长20%: each item's growth
        t.metric = items[0] + noun
        out += [replace(t, metric=item + noun, mentions=[]) for item in items[1:]]
    return out


def _items_of_one_list(text: str, a: Target, b: Target) -> bool:
    """Whether two figures are items of one sentence's list, ；-parted (…集群实现产值2500亿元；
    汽车产业集群实现产值2500亿元), or two measures of one sentence (电子信息产业实现营业收入500亿元，
    …，绿色食品产业实现营业收入500亿元): the same value twice, not a restatement."""
    lo, hi = sorted((a, b), key=lambda t: t.start)
    between = text[lo.end:hi.start]
    if _SENTENCE_END.search(between):
        return False
    return "；" in between or bool(
        lo.metric and hi.metric and lo.metric not in hi.metric and hi.metric not in lo.metric)


def _same_figure(a: Target, b: Target) -> bool:
    """The same value and scale; a figure restated without its unit (突破1500亿) counts."""
    if (a.unit != b.unit and a.unit and b.unit) or (a.threshold or 0) != (b.threshold or 0):
        return False
    if a.value is None or b.value is None:
        return a.value is None and b.value is None
    return abs(a.value - b.value) <= 1e-9 * max(abs(a.value), abs(b.value), 1.0)


def _in_headline(text: str, pos: int) -> bool:
    """Whether a position is in a headline or a heading line: a short line with no full stop
    inside, or a line set off by * or 【】."""
    a = text.rfind("\n", 0, pos) + 1
    b = text.find("\n", pos)
    line = text[a:b if b >= 0 else len(text)].strip()
    if line.startswith(("*", "【")):
        return True
    # a list item (…增长5.5%左右；) is not a headline
    return len(line) <= 64 and not re.search(r"[。；;]", line)


def merge_restatements(text: str, targets: list[Target]) -> list[Target]:
    """One target per figure: a figure restated in a headline, lead or summary (the same
    value, unit and scale, one of them without a year or in a headline) is one target with
    several ``mentions``; the mention in the body with a year is kept. A scale class with no
    count (培育壮大千亿万亿元级产业集群) is dropped when the text counts that class."""
    kept: list[Target] = []
    for t in targets:
        twin = next((k for k in kept if k.start != t.start and _same_figure(k, t)
                     and not _items_of_one_list(text, k, t) and (
            k.deadline == t.deadline or k.deadline is None or t.deadline is None
            # 新疆将培育8个超千亿元产业集群 (headline, the plan's period) → 到2025年…8个
            or any(_in_headline(text, x.start) and x.deadline_source not in ("clause", "sentence")
                   for x in (k, t))) and (
            # (two short lines naming unrelated things are items of a list, not restatements)
            ((_in_headline(text, k.start) or _in_headline(text, t.start))
             and not (_in_headline(text, k.start) and _in_headline(text, t.start)
                      and _unrelated(k.metric, t.metric)))
            or _similar(k.metric, t.metric)
            # 今年若能顺利完成3%左右的目标降幅: the aim named as "the target", restated
            or (k.comparator == t.comparator and (_GENERIC_METRIC.match(k.metric)
                                                   or _GENERIC_METRIC.match(t.metric)))
            # 各市州培育5-10家…，各县市区培育5-10家: one sentence, two ranges
            or (k.upper is not None and k.upper == t.upper
                and _SENTENCE_END.search(text, min(k.end, t.end), max(k.start, t.start))))),
            None)
        if twin is None:
            kept.append(t)
            continue
        first, second = (twin, t) if _rank(text, twin) >= _rank(text, t) else (t, twin)
        first.mentions = [*first.mentions, [second.start, second.end], *second.mentions]
        if first is t:
            kept[kept.index(twin)] = t
    counted = {k.threshold for k in kept if k.value is not None and k.threshold}
    return [k for k in kept if not (k.value is None and k.threshold in counted)]


_SENTENCE_END = re.compile(r"[。！？\n]")
#: A metric that only calls the figure the aim: 的目标降幅, 目标.
_GENERIC_METRIC = re.compile(r"^的?(?:发展|预期)?目标(?:降幅|增幅|值|任务)?$")


def _unrelated(a: str, b: str) -> bool:
    """Whether two metric phrases plainly name different things (社会消费品零售总额增长,
    固定资产投资增长: lines of one list), sharing no three characters in a row."""
    if len(a) < 3 or len(b) < 3:
        return False
    return not any(a[i:i + 3] in b for i in range(len(a) - 2))


def _similar(a: str, b: str) -> bool:
    """Whether two metric phrases name the same thing: equal, one inside the other, or
    sharing six characters in a row."""
    if not a or not b:
        return False
    if a in b or b in a:
        return True
    return any(a[i:i + 6] in b for i in range(len(a) - 5))


def _rank(text: str, t: Target) -> tuple[bool, bool, bool, int]:
    return (t.deadline is not None, not _in_headline(text, t.start), bool(t.unit),
            len(t.sentence))
