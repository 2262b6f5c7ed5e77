"""Ranking claims and events (press conferences, meetings) in Simplified text.

>>> c = find_claims("北京的新质生产力发展程度目前排在第一位，")[0]
>>> c.region, c.rank, c.subject
('110000', 1, '新质生产力发展程度')
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nqpf.extract.numbers import chinese_number
from nqpf.extract.places import Place, find_places
from nqpf.records import as_record

__all__ = ["Claim", "Event", "find_claims", "find_events"]


@dataclass
class Claim:
    region: str  # adcode
    region_name: str
    rank: int
    subject: str
    scope: str  # 全国, 中部 … or "" when the article does not say
    start: int
    end: int
    text: str
    score: float | None = None  # 以0.62的得分位居第一 → 0.62
    rank_change: int | None = None  # 较上年提升2位 → +2

    def to_dict(self) -> dict:
        return as_record(self)


_ADVERBS = r"(?:目前|当前|已经|已|连续\d+年|继续|仍|则|也|均)"
_SCOPES = r"全国|全省|中部|西部|东部|东北|世界|全球|长江经济带|长三角|粤港澳大湾区"
#: The ranking phrase; the statement's subject is what precedes it in the same clause.
_RANK = re.compile(rf"{_ADVERBS}?(?:排在|排名|位居|位列|居于|居|稳居|排)"
                   rf"(?P<scope>{_SCOPES})?(?:地区)?"
                   r"(?:各省份|各省|省份)?(?:第(?P<rank>[一二三四五六七八九十\d]{1,3})"
                   r"(?:位|名|(?![批次季个届期阶步年天轮线时章条款节产梯方]))"
                   r"|(?P<first>首位|榜首))")
#: A ranked list: 排名前五的省份依次为北京、广东、上海…
_LIST_AFTER = re.compile(r"(?:排名|位列|排)?前(?P<n>[一二三四五六七八九十\d]{1,2})(?:位|名)?的?"
                         r"(?:省份|省市|省区市|地区|城市|省)?(?:依次|分别)(?:为|是)")
#: A ranked list before its verb: 北京、上海、江苏分列前三位
_LIST_BEFORE = re.compile(r"(?:分列|依次位列|分别位列|分别排在|依次排在|位列)(?P<scope>全国)?"
                          r"前(?P<n>[一二三四五六七八九十\d]{1,2})(?:位|名)?")
_CLAUSE_END = re.compile(r"[，。；：！？\n]")
_SENTENCE_END = re.compile(r"[。；！？\n]")
_FULL_STOP = re.compile(r"[。！？\n]")
_SUBJECT_SPAN = 24  # characters of subject before the ranking phrase
_SCORE = re.compile(r"以(?P<score>\d+(?:\.\d+)?)(?:分|的(?:综合)?得分|的指数)"
                    r"|得分(?:为)?(?P<score2>\d+(?:\.\d+)?)")
_SCOPE_BEFORE = re.compile(rf"(?:在|于)?(?P<scope>{_SCOPES})(?:地区|范围内)?")
_CHANGE = re.compile(r"[^。；！？\n]{0,12}?(?:较上年|比上年|较去年|比去年|同比)?"
                     r"(?P<dir>提升|上升|前进|提高|进步|下降|下滑|后退|回落)(?P<n>[一二三四五六七八九十\d]{1,2})(?:位|名)")
_TOPIC = re.compile(r"[\u4e00-\u9fa5]{2,14}?(?:指数|水平|程度|能力|实力|竞争力)")
_TOPIC_LEAD = re.compile(r"^(?:[年月日]|我国|全国|各省份?|各地|其中|报告显示|数据显示|从|在|看|"
                         r"(?:东部|中部|西部|东北|中西部)(?:地区)?)+")


_SENTENCE_CHARS = "。；！？\n"  # what _SENTENCE_END matches
_CLAUSE_CHARS = "，。；：！？\n"  # what _CLAUSE_END matches


def _start_after(chars: str, text: str, pos: int) -> int:
    """Where the sentence or clause holding ``pos`` starts: after the last of ``chars``."""
    return max(text.rfind(c, 0, pos) for c in chars) + 1


def _number(text: str) -> int:
    return int(text) if text.isdigit() else int(chinese_number(text) or 0)


def _clean_subject(subject: str) -> tuple[str, str, float | None]:
    """(subject, scope named before the verb, score) from the words between region and verb."""
    scope, score = "", None
    m = _SCORE.search(subject)
    if m:
        score = float(m.group("score") or m.group("score2"))
        subject = subject[:m.start()] + subject[m.end():]
    subject = re.sub(r"^的", "", subject)
    subject = re.sub(rf"{_ADVERBS}+$", "", subject).strip()
    m = _SCOPE_BEFORE.search(subject)
    if m and m.end() == len(subject):  # 安徽在中部地区排名首位
        scope, subject = m.group("scope"), subject[:m.start()]
    subject = re.sub(rf"(?:{_ADVERBS}|在|于|的|综合|总体|整体)+$", "", subject).strip()
    return subject, scope, score


def _sentence_subject(text: str, pos: int, places: list[Place]) -> tuple[Place | None, int]:
    """The place that opens the sentence holding ``pos`` when only commas lie between, and
    where its clause ends."""
    start = _start_after(_SENTENCE_CHARS, text, pos)
    first = next((p for p in places if start <= p.start < pos), None)
    if first is None or first.start - start > 4:
        return None, pos
    stop = _CLAUSE_END.search(text, first.end, pos)
    return first, (stop.start() if stop else pos)


def _topic_before(text: str, pos: int, paragraph_start: int) -> str:
    """What the paragraph is ranking: the last 指数/水平/程度 … phrase before ``pos``."""
    found = [m.group() for m in _TOPIC.finditer(text, paragraph_start, pos)]
    if not found:
        return ""
    topic = _TOPIC_LEAD.sub("", found[-1])
    lead = find_places(topic)  # 江苏省新质生产力发展水平 ranks a topic, not 江苏省
    if lead and lead[0].start == 0:
        topic = _TOPIC_LEAD.sub("", topic[lead[0].end:])
    return topic


def find_claims(text: str, places: list[Place] | None = None) -> list[Claim]:
    """Ranking statements: a region (a place at the start of the statement) ranked N-th, and
    ranked lists (前五的省份依次为北京、广东…; 北京、上海、江苏分列前三). A claim without a
    subject of its own takes the topic its paragraph is ranking (…发展指数).
    ``places`` are :func:`find_places` of ``text`` when the caller already has them."""
    if "第" not in text and "首位" not in text and "榜首" not in text and "前" not in text:
        return []
    if places is None:
        places = find_places(text)
    out: list[Claim] = []
    for m in _RANK.finditer(text):
        head = text[max(0, m.start() - _SUBJECT_SPAN):m.start()]
        cut = [x.end() for x in _CLAUSE_END.finditer(head)]
        subject_start = m.start() - len(head) + (cut[-1] if cut else 0)
        region = next((p for p in places if subject_start <= p.start < m.start()), None)
        words_end = m.start()
        if region is None and subject_start == m.start():
            # "江苏省…综合得分为0.58，位列全国第三": the subject opens the sentence
            region, words_end = _sentence_subject(text, m.start(), places)
        if region is None:
            continue
        rank = _number(m.group("rank")) if m.group("rank") else 1  # 首位, 榜首: first
        subject, scope, score = _clean_subject(text[region.end:words_end])
        change = _CHANGE.match(text, m.end())
        rank_change = None
        if change:
            n = _number(change.group("n"))
            rank_change = -n if change.group("dir") in ("下降", "下滑", "后退", "回落") else n
        out.append(Claim(region.adcode, region.name, rank, subject, m.group("scope") or scope,
                         region.start, m.end(), text[region.start:m.end()], score, rank_change))
    out += _list_claims(text, places)
    out.sort(key=lambda c: c.start)
    # a claim without a subject ranks what its paragraph is about; without a scope, it shares
    # the scope of the claim before it in the same sentence (北京位居全国第一，广东排名第二)
    for i, c in enumerate(out):
        if not c.subject:
            paragraph_start = text.rfind("\n", 0, c.start) + 1
            c.subject = _topic_before(text, c.start, paragraph_start)
        if not c.scope and i and not _FULL_STOP.search(text, out[i - 1].start, c.start):
            c.scope = out[i - 1].scope
    return _merge_repeats(out)


def _merge_repeats(claims: list[Claim]) -> list[Claim]:
    """One claim per region, rank, subject and scope (a list and a sentence may say the same);
    the first keeps the score and rank change either had."""
    seen: dict[tuple, Claim] = {}
    out = []
    for c in claims:
        key = (c.region, c.rank, c.subject, c.scope)
        first = seen.get(key)
        if first is None:
            seen[key] = c
            out.append(c)
        else:
            first.score = first.score if first.score is not None else c.score
            first.rank_change = first.rank_change if first.rank_change is not None else c.rank_change
    return out


def _list_claims(text: str, places: list[Place]) -> list[Claim]:
    out = []
    for m in _LIST_AFTER.finditer(text):
        stop = _SENTENCE_END.search(text, m.end())
        end = stop.start() if stop else len(text)
        named = [p for p in places if m.end() <= p.start < end]
        sentence_start = _start_after(_SENTENCE_CHARS, text, m.start())
        head = text[sentence_start:m.start()]
        scope = "全国" if "全国" in head or "我国" in head else ""
        subject = _topic_before(text, m.start(), sentence_start)
        out += [Claim(p.adcode, p.name, i + 1, subject, scope, p.start, p.end, text[m.start():end])
                for i, p in enumerate(named[:_number(m.group("n"))])]
    for m in _LIST_BEFORE.finditer(text):
        clause_start = _start_after(_CLAUSE_CHARS, text, m.start())
        named = [p for p in places if clause_start <= p.start < m.start()]
        if len(named) < 2:
            continue
        sentence_start = _start_after(_SENTENCE_CHARS, text, m.start())
        subject = _topic_before(text, m.start(), sentence_start)
        scope = m.group("scope") or ("全国" if "全国" in text[sentence_start:m.start()] else "")
        out += [Claim(p.adcode, p.name, i + 1, subject, scope, p.start, m.end(),
                      text[clause_start:m.end()])
                for i, p in enumerate(named[:_number(m.group("n"))])]
    return out


@dataclass
class Event:
    name: str
    organiser: str | None
    date: str | None
    topic: str | None
    start: int
    end: int

    def to_dict(self) -> dict:
        return as_record(self)


_MEETING = r"(?:新闻发布会|发布会|推进大会|工作会议|大会|会议|论坛|座谈会|峰会|博览会)"
_HELD = re.compile(rf"(?P<org>[^，。；：\n]{{2,30}}?)(?:举行|召开|举办)(?!的)(?:了)?"
                   rf"(?P<name>[^，。；]{{0,30}}?{_MEETING})(?:介绍|发布|通报)?(?P<topic>[^，。；]{{0,40}})")
_HELD_BY = re.compile(rf"召开的(?P<name>[^，。；]{{2,40}}?{_MEETING})")


_WHEN = re.compile(r"(?:\d{4}年)?\d{1,2}月\d{1,2}日(?:上午|下午|晚)?|今天|今日|昨天|日前|近日")
#: A topic given after the meeting, in the next clause: "…召开新闻发布会，介绍…情况".
_TOPIC_NEXT = re.compile(r"[，,]\s*(?:介绍|发布|通报|解读|宣布)(?P<topic>[^，。；]{2,40})")


def find_events(text: str, dates: list | None = None) -> list[Event]:
    """Meetings and press conferences, with the date mentioned just before them."""
    if "举行" not in text and "召开" not in text and "举办" not in text:
        return []
    out = []
    for m in _HELD.finditer(text):
        topic = m.group("topic").strip() or None
        if topic and topic.startswith(("介绍", "发布", "通报")):
            topic = topic[2:]
        if topic is None:
            nxt = _TOPIC_NEXT.match(text, m.end())
            topic = nxt.group("topic") if nxt else None
        org = _WHEN.sub("", m.group("org"))
        org = re.sub(r"(?:于|在)$", "", org.strip("，、 ")).strip("，、 ")
        out.append(Event(m.group("name"), org or None,
                         _date_before(dates, m.start("name"), text), topic, m.start(), m.end()))
    for m in _HELD_BY.finditer(text):
        if any(e.start <= m.start() < e.end for e in out):
            continue
        out.append(Event(m.group("name"), None, _date_before(dates, m.start(), text), None,
                         m.start(), m.end()))
    return sorted(out, key=lambda e: e.start)


def _date_before(dates: list | None, pos: int, text: str) -> str | None:
    if not dates:
        return None
    sentence_start = max(text.rfind(c, 0, pos) for c in "。；！？\n") + 1
    cands = [d for d in dates if sentence_start <= d.start <= pos and d.iso]
    return cands[-1].iso if cands else None
