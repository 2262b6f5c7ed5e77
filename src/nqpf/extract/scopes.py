"""The chain of time scopes that gives a quantity its year, built once per article.

A goal's year is stated by the innermost scope that states one (DESIGN.md, "Time in
extraction"): clause → sentence (both read in :mod:`nqpf.extract.targets`) → *block* (a
horizon stated once in a goal paragraph carries through its later sentences, until a new
year) → *heading* (总体目标, 主要目标, 2026年工作要点 … over the lines below it) → *document*
(the plan period of the plan the text is about: (2024—2025年) → 2025, “十四五”规划 → 2025,
三年行动计划 of 2024 → 2026, 2026年工作要点 → 2026, or the horizon stated where the plan is
introduced) → *page* (the publication year, only as the base of 今年, 三年内 …).

The scopes are spans with their years; a position is looked up by bisection.

>>> from nqpf.extract.documents import find_documents
>>> t = "科技创新行动计划(2024—2025年)\\n一、总体目标\\n研发经费投入年均增长10%左右。\\n二、主要任务"
>>> s = TimeScopes(t, find_documents(t), published_year=2024)
>>> s.at(t.index("10%")).year, s.at(t.index("10%")).source
(2025, 'document')
>>> t = "到2025年，产值超过1万亿元。培育10家企业。\\n2023年，全省新增企业5家。"
>>> s = TimeScopes(t, [], published_year=2024)
>>> [s.at(t.index(x)).source for x in ("10家", "5家")]
['block', None]
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from nqpf.extract.dates import PLAN_END, Deadline, find_deadlines
from nqpf.extract.documents import Document
from nqpf.extract.numbers import chinese_number

__all__ = ["Horizon", "PlanPeriod", "TimeScopes", "horizon_years", "is_horizon", "plan_period",
           "unbracketed_plans"]

#: A year that is a comparison base, not an aim: 比“十三五”末增长, 较2020年.
_BASE_BEFORE = re.compile(r"(?:比|较|与|同|相比|相较|对比|从)\s*[“\"「]?$")


def is_compared_with(text: str, pos: int) -> bool:
    """Whether the year at ``pos`` is the base of a comparison (比2010年, 与“十三五”末相比)."""
    return bool(_BASE_BEFORE.search(text, max(0, pos - 4), pos))


def is_horizon(text: str, d: Deadline) -> bool:
    """Whether a deadline found in ``text`` states a horizon: not a comparison base
    (比“十三五”末), nor the end of a change (上升至2024年的28%)."""
    if is_compared_with(text, d.start):
        return False
    if d.kind == "plan-period" and _PLAN_MODIFIES.match(text, d.end) \
            and not _PLAN_PROPOSES.match(text, d.end):
        return False  # 加快“十五五”规划项目落地: the plan's projects, not a time
    return not (d.kind == "by-year" and text[d.end:d.end + 1] == "的")


#: After a plan period that names a plan or its contents rather than a time: “十五五”规划项目.
#: A five-year plan that proposes what follows: “十五五”规划建议更提出，“力争…达到一万亿元”.
_PLAN_PROPOSES = re.compile(r"[”」\"]?(?:规划)(?:纲要|建议)?(?:草案)?(?:中|里)?(?:更|还|也|则|进一步)?"
                            r"(?:提出|明确|要求|指出|强调|部署)")
#: (“十四五”前三年, 以来: the past; “十四五”第一批: an ordinal of batches; “十三五”存量项目:
#: those left over from it)
_PLAN_MODIFIES = re.compile(r"[”」\"’']?(?:规划|纲要|重大项目|项目|重点项目|存量|以来|"
                            r"前[一二两三四\d]年|第[一二三四五六七八九十\d]+批|首批)")


@dataclass
class Horizon:
    """What a scope says about time at a position: the year aims are due, the words that
    said so, and which scope it is (clause, sentence, block, heading, document, page)."""

    year: int | None
    source: str | None
    text: str | None = None
    goal: bool = False  # inside a goal block or under a goal heading (aims need no verb)
    report: bool = False  # under a heading of achievements (一、2024年工作回顾, 发展基础)


@dataclass
class PlanPeriod:
    """A plan's period: ``end`` is its horizon; ``start`` where the name gives it."""

    start: int | None
    end: int | None
    explicit: bool  # written in the name ((2024—2025年), 十四五) rather than inferred


_CN = "一二两三四五六七八九十"
_SPAN = re.compile(r"((?:19|20)\d{2})\s*年?\s*[—–\-－~～至到]+\s*((?:19|20)\d{2})\s*年?")
_FIVE_YEAR = {"十一五": 2010, "十二五": 2015, "十三五": 2020, "十四五": 2025, "十五五": 2030,
              "十六五": 2035, "第十一个五年": 2010, "第十二个五年": 2015,
              "第十三个五年": 2020, "第十四个五年": 2025, "第十五个五年": 2030}
_FIVE_YEAR_RE = re.compile("|".join(_FIVE_YEAR))
_YEAR_PLAN = re.compile(r"((?:19|20)\d{2})\s*年(?:度)?[^，。；]{0,12}?(?:工作要点|工作计划|行动计划|工作方案|"
                        r"行动方案|实施方案|重点工作|要点|计划|主要工作|工作安排|工作任务)")
_N_YEAR_PLAN = re.compile(rf"([{_CN}\d])\s*年(?:行动|攻坚|提升|倍增)?(?:行动)?(?:计划|方案)")
_ISSUE_YEAR = re.compile(r"[〔\[【(（]\s*((?:19|20)\d{2})\s*[〕\]】)）]")


def horizon_years(words: str) -> int:
    """How many years a relative horizon spans: 未来五年 → 5, 3年内 → 3 (0 if none).

    >>> horizon_years("力争未来五年"), horizon_years("三年内"), horizon_years("今年")
    (5, 3, 0)
    """
    n = re.search(rf"[{_CN}\d]{{1,3}}", words)
    if not n:
        return 0
    return int(n.group()) if n.group().isdigit() else int(chinese_number(n.group()) or 0)


def plan_period(name: str, base_year: int | None = None) -> PlanPeriod:
    """The period of a plan from its name: (2024—2025年), “十四五”, 2026年工作要点, or
    三年行动计划 counted from ``base_year`` (the year it was issued).

    >>> plan_period("科技研发创新行动计划(2024—2025年)")
    PlanPeriod(start=2024, end=2025, explicit=True)
    >>> plan_period("上海金融助力新质生产力发展三年行动计划", base_year=2024).end
    2026
    """
    m = _SPAN.search(name)
    if m and int(m.group(2)) > int(m.group(1)):
        return PlanPeriod(int(m.group(1)), int(m.group(2)), True)
    m = _FIVE_YEAR_RE.search(name)
    if m and re.search(r"规划|纲要|计划|方案", name):
        end = _FIVE_YEAR[m.group()]
        return PlanPeriod(end - 4, end, True)
    m = _YEAR_PLAN.search(name)
    if m:
        year = int(m.group(1))
        return PlanPeriod(year, year, True)
    m = _N_YEAR_PLAN.search(name)
    if m and base_year is not None:
        n = m.group(1)
        k = int(n) if n.isdigit() else int(chinese_number(n) or 0)
        if 1 <= k <= 10:
            return PlanPeriod(base_year, base_year + k - 1, False)
    return PlanPeriod(None, None, False)


#: A plan named without 《》 after the verb that issues it (出台建设…推进计划，), or a title
#: line that is a plan's name (…实施意见, …行动计划(2024—2025年)).
_PLAN_KIND = (r"(?:行动计划|推进计划|实施方案|行动方案|工作方案|实施意见|指导意见|意见|规划纲要|"
              r"发展规划|规划|"
              r"工作要点|方案|计划|纲要|目标任务清单)")
_UNBRACKETED = re.compile(rf"(?:印发|出台|发布|制定|公布|推出|编制|梳理汇总出|梳理出|汇总出)(?:了)?"
                          rf"(?:关于)?(?:印发)?"
                          rf"(?P<name>[^，。；：《》“\n]{{2,40}}?(?:“[^”，。\n]{{1,8}}”)?[^，。；：《》“”\n]{{0,20}}?"
                          rf"{_PLAN_KIND}(?:\s*[（(][^）)]{{4,14}}[）)])?)"
                          rf"(?=[，。；,\s]|的通知)")
#: A plan named by the press conference or reading that presents it: 召开的天津市制造业高质量发展
#: “十四五”规划新闻发布会, 召开“河北省工业转型升级‘十三五’规划解读”新闻发布会.
_PRESS_EVENT = re.compile(rf"(?:(?:召开|举行|举办)的?“?|关于)(?P<name>[^，。；：《》“\n\d]{{2,30}}?"
                          rf"(?:“[^”，。\n]{{1,8}}”)?[^，。；：《》“”\n]{{0,20}}?{_PLAN_KIND})"
                          rf"(?=新闻发布会|发布会|政策解读|解读)")
_TITLE_LINE = re.compile(rf"^\s*(?P<name>[^。；！？\n]{{4,70}}?{_PLAN_KIND}(?:\s*[（(][^）)]{{4,14}}[）)])?)"
                         rf"(?:的通知)?\s*$", re.M)


#: Words that refer to a plan rather than name one: 制定如下实施意见, 有关方案.
_NOT_A_NAME = re.compile(r"^(?:如下|以下|下列|相关|有关|本|该|此|这一|这个|上述|各项|各类|配套|具体)")


def unbracketed_plans(text: str) -> list[tuple[int, str]]:
    """(position, name) of plans named without 《》: after an issuing verb, or as a line."""
    out = [(m.start("name"), m.group("name")) for m in _UNBRACKETED.finditer(text)]
    out += [(m.start("name"), m.group("name")) for m in _TITLE_LINE.finditer(text)]
    out += [(m.start("name"), m.group("name")) for m in _PRESS_EVENT.finditer(text)]
    return sorted(out)


#: Where a sentence ends.
_SENTENCE_STOP = re.compile(r"[。！？\n]")
#: Goal headings and leads: 一、总体目标 / 主要目标是： / 发展重点和具体目标是： / 2026年工作要点.
_GOAL_WORDS = r"(?:总体|主要|发展|具体|预期|工作|奋斗|阶段性|近期|中期|远期|年度)?目标(?:任务)?"
_GOAL_LEAD = re.compile(rf"{_GOAL_WORDS}(?:分别)?"
                        rf"(?:(?:是|为|如下|还包含|包括|还包括)?\s*[：:]|(?:是|为)\s*[，,]"
                        rf"|(?:包括|包含)(?=[^，。；：:\d]{{2}}))")  # 目标包括规上工业增加值增长6%左右
#: Headings over achievements: 一、2024年工作回顾, (一)发展成就, 发展基础与形势.
_REPORT_HEADING = re.compile(r"回顾|成就|成效|发展基础|基础与形势|现实基础|发展现状|现状|进展|总结|过去|"
                             r"取得|工作情况|执行情况|完成情况")
_HEADING_MARK = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]|\d+[.、．]|"
                           r"第[一二三四五六七八九十]+[章节部分条]|[A-Z]\.)")
#: A year the text is about, not one it aims at: it ends a block (2023年，全省…; 过去五年).
_RESET = re.compile(r"(?<![到至在前比较])(?:(?:19|20)\d{2}\s*年(?![底末]?前|[—–\-－~～至到])(?!\d)|"
                    r"过去[一二两三四五六七八九十\d]*年|"
                    r"去年|上年(?!度)|近年来|近[一二两三四五六七八九十\d]年|截至|截止)")
#: Verbs of an aim right after a bare year: 2024年突破3.5万家, 2025年达到53%.
_AIM_AFTER_YEAR = re.compile(r"\s*(?:底|末)?(?:前)?(?:力争|争取|确保|将|要|预计)?"
                             r"(?:突破|达到|达|超过|超|实现|建成|"
                             r"培育|新增|增长|提高|提升|形成|完成|降低|下降|控制)")


#: What follows a year the text reports on: 2023年，全省…; 2023年实现…
_REPORT_AFTER_YEAR = re.compile(r"\s*[，,]?\s*(?:全[省市区国]|我[省市区国]|[^，。]{0,6}(?:实现|完成|达到))")


@dataclass
class _Event:
    pos: int
    year: int | None  # None: a reset (the text turns to a year it reports on)
    text: str


#: A line that announces what a year will hold, then lists it: 2025年重庆…将呈现以下变化：.
_YEAR_LEAD = re.compile(r"^[ \t\u3000]*(?:到|至|在)?((?:19|20)\d{2})\s*年[^。；\n]{0,40}?"
                        r"(?:将|要|计划|力争|预计)[^。；\n]{0,30}?(?:以下|如下)[^。；\n]{0,12}[：:][ \t]*$",
                        re.M)
#: A line citing a plan that ends by announcing what the plan states: 《…行动方案》明确：
_PLAN_LEAD = re.compile(r"(?P<plan>《[^》\n]{2,60}》)[^。；\n]{0,12}?(?:明确|提出|指出|要求|部署|显示)(?:了)?"
                        r"[^。；：:\n]{0,10}[：:][ \t]*$", re.M)
#: Right after a year: its goals (2024年新的预期目标, 2025年主要目标, 2026年的目标任务).
_GOALS_OF_YEAR = re.compile(r"[^，。；：\d]{0,6}?(?:主要)?(?:预期)?目标")
#: A short tag line that sorts the lines under a heading: 【全国】, 【江苏】.
_TAG_LINE = re.compile(r"【[^】\n]{1,8}】")
#: A heading of this year's goals with no year: 全年目标, 年度目标, 今年目标.
_THIS_YEARS = re.compile(r"(?:全年|年度|今年)(?:主要)?(?:发展|经济)?目标")
#: The first session of a people's congress, where a government starts its five-year term.
_FIRST_SESSION = re.compile(r"届(?:人大|人民代表大会)(?:第)?[一1]次会议")


class TimeScopes:
    """Block, heading, document and page scopes of one (Simplified) article.

    ``documents`` are the 《》-named documents (with ``date`` filled in); ``plan_names`` are
    further plan names the page gives without 《》 (found by :func:`unbracketed_plans` when
    not given)."""

    def __init__(self, text: str, documents: list[Document], published_year: int | None,
                 plan_names: list[str] | None = None):
        self.text = text
        self.published_year = published_year
        #: the year of the text's work plan (三、2024年主要工作安排), for a page with no date
        plan = _WORK_YEAR.search(text)
        self.work_year = int(plan.group(1)) if plan else None
        #: a work report's five years (only the report to a congress's first session sets
        #: them) are the government's term, which counts the report's year as its first
        #: (今后五年 in 2017 → 2021)
        self.term_report = bool(_FIRST_SESSION.search(text) or "政府工作报告" in text)
        self.paragraph_starts = [0, *(m.end() for m in re.finditer(r"\n", text))]
        self._documents(documents, plan_names)
        self._blocks()
        self._headings()

    # -- documents -------------------------------------------------------------------------
    def _documents(self, documents: list[Document], plan_names: list[str] | None) -> None:
        text = self.text
        plans: list[tuple[int, str, int | None, list[tuple[int, int]]]] = []
        for d in documents:
            base = _doc_base_year(d)
            plans.append((d.start, d.title + " " + " ".join(d.short_names), base, d.mentions))
        named = ([(text.find(n), n) for n in plan_names] if plan_names is not None
                 else unbracketed_plans(text))
        named = [(p, n) for p, n in named if not _NOT_A_NAME.match(n)]
        for pos, name in named:
            if pos >= 0 and not any(n.find(name) >= 0 or name.find(n.split(" ")[0]) >= 0
                                    for _, n, _, _ in plans):
                number = _ISSUE_YEAR.search(text, pos, pos + len(name) + 80)
                plans.append((pos, name, int(number.group(1)) if number else None,
                              [(pos, pos + len(name))]))
        self.plans: list[dict] = []
        for pos, name, base, mentions in sorted(plans):
            period = plan_period(name, base or self.published_year)
            horizon = period.end
            source_text = name
            if horizon is None:  # the horizon stated where the plan is introduced or cited
                for m0, _ in mentions:
                    found = self._first_horizon_near(m0, base)
                    if found:
                        horizon, source_text = found
                        break
            self.plans.append({"pos": pos, "name": name, "base": base, "period": period,
                               "horizon": horizon, "text": source_text, "mentions": mentions})
        # every mention of a plan, by position
        self._mentions = sorted((m0, i) for i, p in enumerate(self.plans) for m0, _ in p["mentions"])
        self._mention_pos = [m for m, _ in self._mentions]
        # the plan the article is about, where that is unambiguous: the one horizon stated,
        # else the one year of issue
        with_horizon = {p["horizon"] for p in self.plans if p["horizon"] is not None}
        bases = {p["base"] for p in self.plans if p["base"] is not None}
        self.main_plan = (
            next(i for i, p in enumerate(self.plans) if p["horizon"] is not None)
            if len(with_horizon) == 1 else
            next(i for i, p in enumerate(self.plans) if p["base"] is not None)
            if not with_horizon and len(bases) == 1 else
            0 if len(self.plans) == 1 else None)

    def _first_horizon_near(self, pos: int, base: int | None) -> tuple[int, str] | None:
        """The first 到YYYY年-style horizon in the sentence naming a plan or the next one."""
        end = pos
        for _ in range(2):
            stop = _SENTENCE_STOP.search(self.text, end + 1)
            end = stop.end() if stop else len(self.text)
        start = max(self.text.rfind("。", 0, pos), self.text.rfind("\n", 0, pos)) + 1
        for d in find_deadlines(self.text[start:end], base_year=base):
            if d.kind in ("by-year", "period", "plan-period"):
                return d.year, d.text
        return None

    def plan_at(self, pos: int) -> dict | None:
        """The plan a position is about: one named in its sentence, else the last named
        earlier in its paragraph, else the article's only plan (or the only horizon)."""
        text = self.text
        a = max(text.rfind("。", 0, pos), text.rfind("\n", 0, pos)) + 1
        stop = _SENTENCE_STOP.search(text, pos)
        b = stop.end() if stop else len(text)
        i0, i1 = bisect_right(self._mention_pos, a - 1), bisect_right(self._mention_pos, b - 1)
        if i1 > i0:  # 为贯彻…“1269”行动计划，制定《…实施方案(2026—2028年)》: the one with a period
            named = [self.plans[self._mentions[i][1]] for i in range(i0, i1)]
            return next((p for p in named if p["horizon"] is not None), named[0])
        p0 = self.paragraph_start(pos)
        k = bisect_right(self._mention_pos, pos)
        if k and self._mention_pos[k - 1] >= p0:
            return self.plans[self._mentions[k - 1][1]]
        return self.plans[self.main_plan] if self.main_plan is not None else None

    def base_year(self, pos: int) -> int | None:
        """The year relative horizons count from: the plan's year of issue, else the page's."""
        plan = self.plan_at(pos)
        if plan and plan["base"] is not None:
            return plan["base"]
        return self.published_year

    def relative_year(self, pos: int, years: int) -> int | None:
        """未来五年/三年内 at ``pos``: base + N, or the end of the plan period when N years are
        the plan's whole explicit period (未来五年 in a 十五五 plan → 2030)."""
        plan = self.plan_at(pos)
        if plan:
            period: PlanPeriod = plan["period"]
            if period.explicit and period.start and period.end \
                    and period.end - period.start + 1 == years:
                return period.end
        elif years == 5:
            # 北京市的十五五规划纲要草案提出…未来五年: the five years are the plan's period,
            # named in the sentence though not as a plan of the page
            a = max(self.text.rfind("。", 0, pos), self.text.rfind("\n", 0, pos)) + 1
            named = _FIVE_YEAR_PLAN.search(self.text, a, pos)
            if named:
                return PLAN_END[named.group(1)]
        base = self.base_year(pos)
        if base is not None and years == 5 and self.term_report:
            return base + 4  # 今后五年, said at 十四届人大一次会议 in 2017: 2017–2021
        return base + years if base is not None else None

    # -- blocks ----------------------------------------------------------------------------
    def paragraph_start(self, pos: int) -> int:
        return self.paragraph_starts[bisect_right(self.paragraph_starts, pos) - 1]

    def _blocks(self) -> None:
        """Horizons and resets in reading order; a block runs from a horizon to the next
        horizon, reset or paragraph end."""
        text = self.text
        events: list[_Event] = []
        for para_start, para_end in zip(self.paragraph_starts,
                                        [*self.paragraph_starts[1:], len(text) + 1], strict=True):
            para = text[para_start:para_end]
            if "年" not in para and "五" not in para and "截" not in para:
                continue  # no deadline (…年, 十四五) and no reset (…年, 截至)
            found = find_deadlines(para, base_year=self.base_year(para_start),
                                   publication_year=self.published_year)
            spans = []
            for d in found:
                if (d.kind == "this-year" and d.text == "年内") or not is_horizon(para, d):
                    continue
                if d.kind == "within-years" and para[max(0, d.start - 1):d.start] == "用":
                    continue  # 用3年时间突破…150项: the time one action takes, not a block's
                year = d.year
                if d.kind == "within-years":
                    k = horizon_years(d.text)
                    year = self.relative_year(para_start + d.start, k) if k else year
                events.append(_Event(para_start + d.start, year, d.text))
                spans.append((d.start, d.end))
            for m in _RESET.finditer(para):
                if any(s <= m.start() < e for s, e in spans):
                    continue
                y = re.match(r"(?:19|20)\d{2}", m.group())
                if y and _GOALS_OF_YEAR.match(para, m.end()) and (
                        self.published_year is None or int(y.group()) >= self.published_year):
                    # 提出了2024年新的预期目标，其中包括…。此外，…增长6%: the year's goals, listed
                    # on through the paragraph
                    events.append(_Event(para_start + m.start(), int(y.group()), m.group()))
                    continue
                if y and _AIM_AFTER_YEAR.match(para, m.end()) and (
                        self.published_year is None or int(y.group()) >= self.published_year):
                    events.append(_Event(para_start + m.start(), int(y.group()), m.group()))
                    continue  # 2025年突破3.8万家: a year aimed at
                if y and self.published_year is not None and int(y.group()) >= self.published_year \
                        and not _REPORT_AFTER_YEAR.match(para, m.end(), m.end() + 8):
                    # a year still to come that opens a sentence (2023年，加快…) states a horizon
                    if _opens_sentence(para, m.start(), m.end()):
                        events.append(_Event(para_start + m.start(), int(y.group()), m.group()))
                    continue
                if y and self.published_year is None and _opens_sentence(para, m.start(), m.end()) \
                        and _FUTURE_IN_SENTENCE.match(para, m.end()):
                    # 2025年，合肥将持续提升…, on a page with no date: a year the text looks ahead to
                    events.append(_Event(para_start + m.start(), int(y.group()), m.group()))
                    continue
                events.append(_Event(para_start + m.start(), None, m.group()))
        events.sort(key=lambda e: e.pos)
        self._events = events
        self._event_pos = [e.pos for e in events]

    def block_at(self, pos: int) -> Horizon | None:
        """The horizon of the goal block around ``pos``, if a horizon earlier in the same
        paragraph still holds there."""
        k = bisect_right(self._event_pos, pos - 1)
        if not k:
            return None
        e = self._events[k - 1]
        if e.year is None:
            return None
        start = self.paragraph_start(pos)
        if e.pos < start and self.published_year is not None and e.year < self.published_year:
            return None  # “十三五”时期，…。 / 数据中心初具规模。…: a past period, looked back on
        if e.pos < start:
            # 到2026年，…。 / ——产业链条建立健全。力争聚集企业100家: the list items that
            # follow the horizon's paragraph are its goals
            lines = self.text[self.paragraph_start(e.pos):start].split("\n")[1:]
            if not (_goal_item(self.text, start)
                    and all(not ln.strip() or _goal_item(ln) for ln in lines)):
                return None
        return Horizon(e.year, "block", e.text, goal=True)

    # -- headings --------------------------------------------------------------------------
    def _headings(self) -> None:
        """Goal headings (a line naming 目标 or a year's 工作要点) and goal leads (主要目标是：)
        with the span they govern: to the next heading (a heading line), or for a lead inside
        a paragraph, to the paragraph's end."""
        text = self.text
        headings = [(m.start(), m.end(), m.group()) for m in re.finditer(r"[^\n]+", text)
                    if _is_heading(m.group())]
        spans: list[tuple[int, int, int | None, str]] = []
        heading_starts = [a for a, _, _ in headings]
        heading_lines = [line for _, _, line in headings]
        under_goal = False  # the previous heading was a goal heading
        for a, b, line in headings:
            report = bool(_REPORT_HEADING.search(line))
            year_line = _YEAR_LINE.fullmatch(line.strip())
            pub = self.published_year
            if year_line and pub is not None and not under_goal:
                # 2025年 / 城镇新增就业48万人 … 2026年 / 增长4.5%左右, on a page of 2026: a year's
                # line heads that year's figures, reported if past, aimed at if not
                report = _heading_year(line) < pub
            goal = bool(re.search(_GOAL_WORDS, line) or _YEAR_PLAN.search(line)
                        # 产业发展目标 / 2025年 / 全市地区生产总值增长5.6%: a year's line under
                        # a goal heading heads that year's goals
                        or (year_line and (under_goal or (pub is not None and not report))))
            under_goal = goal and not report
            if not goal and not report:
                continue
            if year_line:
                # a year's line heads a list of short lines (城镇新增就业48万人 / 全省经济总体
                # 平稳): it holds to the next numbered heading, year or goal or report heading
                nxt = next((h for h, hl in zip(heading_starts, heading_lines, strict=True)
                            if h > a and _ends_year_list(hl)), len(text))
            elif (level := _heading_level(line)) is not None:
                # 一、发展基础 / (一) / 1.信息基础设施加快建设。: a numbered heading holds over
                # its subheadings, to the next heading of its level or above
                nxt = next((h for h, hl in zip(heading_starts, heading_lines, strict=True)
                            if h > a and (_heading_level(hl) or 0) <= level
                            and (_heading_level(hl) is not None or _ends_year_list(hl))),
                           len(text))
            else:  # (a tag line under it, 【全国】, is no heading of its own level)
                nxt = next((h for h, hl in zip(heading_starts, heading_lines, strict=True)
                            if h > a and not _TAG_LINE.fullmatch(hl.strip())), len(text))
            year = _heading_year(line)
            if year is None and goal and not report:
                # 一、把握目标要求 / …到2026年，主要指标居全国前列。/ （一）…地区生产总值达2万亿左右:
                # a goal section that opens with its one and only horizon is due by it
                found = list(_SECTION_HORIZON.finditer(text, b, nxt))
                horizons = {int(m.group(1)) for m in found}
                if len(horizons) == 1 and not _LINE_QUANTITY.search(text, b, found[0].start()):
                    year = horizons.pop()  # stated before any figure of the section
                elif not horizons and ("预期目标" in line or _THIS_YEARS.search(line)):
                    # 经济社会发展预期目标 / ●地区生产总值增长6.5%左右, 全年目标 / …: a year's
                    # expected targets, of the page's year (else of the year's work plan)
                    year = pub if pub is not None else self.work_year
            # 一、2024年…计划执行情况 on a page of 2025: a past year's plan, reported on
            past = year is not None and pub is not None and year < pub
            spans.append((b, nxt, year, line.strip(), report and (not goal or past)))
        for m in _GOAL_LEAD.finditer(text):
            para_end = text.find("\n", m.end())
            para_end = len(text) if para_end < 0 else para_end
            head = text[self.paragraph_start(m.start()):m.start()]
            # the year nearest before the lead (总结2025年…，明确2026年…。目标包括: 2026)
            years = re.findall(r"((?:19|20)\d{2})\s*年", head + m.group())
            year = int(years[-1]) if years else _heading_year(head + m.group())
            if year is None:  # …的目标是，…年均增长10%以上。到2027年，…: the paragraph's only horizon
                later = {int(y) for y in _SECTION_HORIZON.findall(text, m.end(), para_end)}
                year = later.pop() if len(later) == 1 else None
            if year is None and "预期目标" in m.group():
                # 二、2025年主要工作 / …主要预期目标是：: a year's expected targets, of the year
                # of the heading over them, else of the page, else of the year's work plan
                over = [sp for sp in spans if sp[0] <= m.start() < sp[1] and sp[2] is not None
                        and not sp[4]]
                year = (max(over)[2] if over else self.published_year
                        if self.published_year is not None else self.work_year)
            if year is None:  # 今年…主要预期目标： / 其他经济目标还包含：
                block = self.block_at(m.start())
                k = bisect_right(self._event_pos, m.start() - 1)
                near = self._events[k - 1] if k else None  # a horizon just before the lead
                year = (block.year if block is not None else
                        near.year if near is not None and m.start() - near.pos < 300 else None)
            spans.append((m.end(), para_end, year, m.group(), False))
        for m in _YEAR_LEAD.finditer(text):
            # 2025年重庆…将呈现以下变化： a line that announces what a year still to come holds,
            # over the list after it, to the next year's line or heading of achievements
            year = int(m.group(1))
            if self.published_year is not None and year < self.published_year:
                continue
            end = next((h for h, hl in zip(heading_starts, heading_lines, strict=True)
                        if h > m.end() and (_YEAR_LINE.fullmatch(hl.strip())
                                            or _REPORT_HEADING.search(hl))), len(text))
            spans.append((m.end(), end, year, m.group().strip(), False))
        for m in _PLAN_LEAD.finditer(text):
            # 在其发布的《…2026年行动方案》明确： / 工业增加值1.2万亿元以上，…: a line that cites a
            # plan and ends in a colon leads the plan's goals, in the paragraph after it
            plan = self.plan_at(m.start("plan"))
            if plan is None or plan["horizon"] is None:
                continue
            start = m.end() + 1
            end = text.find("\n", start)
            spans.append((start, len(text) if end < 0 else end, plan["horizon"], m.group().strip(),
                          False))
        spans.sort()
        self._headings_spans = spans

    def heading_at(self, pos: int) -> Horizon | None:
        """The innermost goal heading, goal lead or heading of achievements over ``pos``."""
        inside = [s for s in self._headings_spans if s[0] <= pos < s[1]]
        if not inside:
            return None
        _, _, year, words, report = max(inside, key=lambda s: s[0])
        if report:
            return Horizon(year, None, words, report=True)
        return Horizon(year, "heading" if year is not None else None, words, goal=True)

    # -- the chain -------------------------------------------------------------------------
    def at(self, pos: int) -> Horizon:
        """The year aims at ``pos`` are due by, from the innermost scope beyond the sentence
        that states one: block, heading, document (``Horizon.year`` None when none does;
        ``goal`` when the position is in a goal block or under a goal heading)."""
        block = self.block_at(pos)
        if block is not None:
            return block
        heading = self.heading_at(pos)
        if heading is not None and (heading.year is not None or heading.report):
            return heading  # a review heading's year is the year its figures are for
        goal = heading is not None
        plan = self.plan_at(pos)
        if plan is not None and plan["horizon"] is not None and (goal or self._in_plan_context(pos, plan)):
            return Horizon(plan["horizon"], "document", plan["text"], goal=goal)
        return Horizon(None, None, None, goal=goal)

    def _in_plan_context(self, pos: int, plan: dict) -> bool:
        """Whether a position speaks of the plan: its paragraph cites the plan, or the plan
        is the article's only one and no year the text reports on intervenes."""
        p0 = self.paragraph_start(pos)
        k = bisect_right(self._event_pos, pos - 1)
        # 2023年，全省…: the paragraph reports on a year
        return not (k and self._events[k - 1].pos >= p0 and self._events[k - 1].year is None)


#: A line that is only a year: 2025年, 到2027年底, 2026年目标.
_YEAR_LINE = re.compile(r"(?:到|至)?(?:19|20)\d{2}\s*年(?:底|末)?(?:目标)?[：:]?")
#: A quantity in a line (5.6%, 1000家, 1.2万人): an item of a list, not a heading. A year
#: (2025年) or an ordinal (第3) is no quantity.
_LINE_QUANTITY = re.compile(r"(?<!第)\d+(?:\.\d+)?\s*(?:%|％|[万亿]|(?![年月日号期届批\d.\s]))")


#: Numbered headings by level: 第一章 / 一、 / (一) / 1. / (1).
_LEVELS = (re.compile(r"第[一二三四五六七八九十]+[章节部分]"), re.compile(r"[一二三四五六七八九十]+、"),
           re.compile(r"[（(][一二三四五六七八九十]+[）)]"), re.compile(r"\d+[.、．](?!\d)"),
           re.compile(r"[（(]\d+[）)]"))


def _heading_level(line: str) -> int | None:
    """The level of a numbered heading (1 for 第一章, 2 for 一、 … 5 for (1)); None for a
    heading with no number."""
    s = line.strip()
    return next((i + 1 for i, p in enumerate(_LEVELS) if p.match(s)), None)


#: A heading of a year's work: 三、2024年主要工作安排, 二、2025年重点工作.
_WORK_YEAR = re.compile(r"^[^\n]{0,6}?((?:19|20)\d{2})\s*年(?:主要|重点)?"
                        r"(?:工作安排|工作任务|工作|工作要点)\s*$", re.M)
#: A horizon in a goal section: 到2026年, 至2025年底.
_SECTION_HORIZON = re.compile(r"(?:到|至)\s*((?:19|20)\d{2})\s*年")
#: A paragraph that is an item of a list: ——产业规模持续扩大。, ▪ 力争…, • …
_LIST_ITEM = re.compile(r"[ \t\u3000]*(?:——|—|－－|▪|•|●|◆|■|·|\*)")
#: A paragraph that opens with a run-in heading of a goal: 领军企业持续壮大。支持10家以上…
_RUN_IN_GOAL = re.compile(r"[ \t\u3000]*[^\d，。；：！？\n“”]{2,12}(?:持续|不断|显著|明显|全面|加快|稳步|"
                          r"大幅|进一步)?[^\d，。；：！？\n“”]{0,6}。(?=\S)")


def _opens_sentence(para: str, start: int, end: int) -> bool:
    """Whether the year at [start, end) opens a sentence, a comma after it (2023年，…)."""
    opens = para[:start].rstrip(" \t\u3000\xa0")  # after an indent
    return bool(re.match(r"\s*[，,]", para[end:end + 2])) and (not opens or opens[-1] in "。；\n")


#: A verb of the future in the rest of a sentence's first clauses: 2025年，合肥将….
_FUTURE_IN_SENTENCE = re.compile(r"[^。；！？\n]{0,30}?(?:将|力争|争取|计划|确保)")


def _goal_item(text: str, pos: int = 0) -> bool:
    """Whether the paragraph at ``pos`` is an item of the goals before it: a list item (——,
    ▪) or one opening with a run-in heading (领军企业持续壮大。…)."""
    if _LIST_ITEM.match(text, pos):
        return True
    m = _RUN_IN_GOAL.match(text, pos)
    return bool(m) and not _RUN_IN_REPORT.search(m.group())  # not 建设取得积极进展。


#: Words of a run-in heading that reports: 取得积极进展, 成效显著.
_RUN_IN_REPORT = re.compile(r"取得|进展|成效|成就|成果|显现|明显提升了|实现了")


def _ends_year_list(line: str) -> bool:
    """Whether a heading line ends the list under a year's line: a numbered heading, another
    year's line, or a heading of goals or of achievements."""
    s = line.strip()
    return bool(_HEADING_MARK.match(s) or _YEAR_LINE.fullmatch(s) or re.search(_GOAL_WORDS, s)
                or _YEAR_PLAN.search(s) or _REPORT_HEADING.search(s))


def _is_heading(line: str) -> bool:
    """A heading line: short, no full stop inside, or numbered (一、 (一) 1.). An unnumbered
    short line that states a quantity (全市地区生产总值增长5.6%) is an item, not a heading."""
    s = line.strip()
    if not s:
        return False
    if _HEADING_MARK.match(s) and len(s) <= 40 and "。" not in s[:-1]:
        return True
    return (len(s) <= 24 and not re.search(r"[。，；！？]", s)
            and not _LINE_QUANTITY.search(s))


def _heading_year(line: str) -> int | None:
    """The year a heading or lead names: 2025年, or the end of a five-year plan's period
    (“十五五”时期经济社会发展主要目标 → 2030)."""
    m = re.search(r"(?:到|至)?((?:19|20)\d{2})\s*年", line)
    if m:
        return int(m.group(1))
    plan = _FIVE_YEAR_PLAN.search(line)
    return PLAN_END[plan.group(1)] if plan else None


#: A five-year plan named in a heading, and the last year of its period.
_FIVE_YEAR_PLAN = re.compile(r"(十[一二三四五]五)(?![”\"’']?(?:以来|前[一二两三四\d]年))")


def _doc_base_year(d: Document) -> int | None:
    """The year a document was issued: its date, else the year in its number (〔2024〕)."""
    if d.date:
        return int(d.date[:4])
    if d.number:
        m = _ISSUE_YEAR.search(d.number)
        if m:
            return int(m.group(1))
    return None
