"""Ranking claims and events (press conferences, meetings) in Simplified text.

>>> c = find_claims("北京的新质生产力发展程度目前排在第一位，")[0]
>>> c.region, c.rank, c.subject
('110000', 1, '新质生产力发展程度')
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from nqpf.extract.numbers import chinese_number
from nqpf.extract.places import Place, find_places

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

    def to_dict(self) -> dict:
        return asdict(self)


_ADVERBS = r"(?:目前|当前|已经|已|连续\d+年|继续|仍)"
#: The ranking phrase; the statement's subject is what precedes it in the same clause.
_RANK = re.compile(rf"{_ADVERBS}?(?:排在|排名|位居|位列|居|稳居|排)"
                   r"(?P<scope>全国|全省|中部|西部|东部|东北|世界|全球)?"
                   r"(?:各省份|各省|省份)?(?:第(?P<rank>[一二三四五六七八九十\d]{1,3})(?:位|名)?"
                   r"|(?P<first>首位|榜首|第一))")
_CLAUSE_END = re.compile(r"[，。；：！？\n]")
_SUBJECT_SPAN = 24  # characters of subject before the ranking phrase


def find_claims(text: str, places: list[Place] | None = None) -> list[Claim]:
    """Ranking statements: a region (a place at the start of the statement) ranked N-th.
    ``places`` are :func:`find_places` of ``text`` when the caller already has them."""
    if "第" not in text and "首位" not in text and "榜首" not in text:
        return []
    out = []
    if places is None:
        places = find_places(text)
    for m in _RANK.finditer(text):
        head = text[max(0, m.start() - _SUBJECT_SPAN):m.start()]
        cut = [x.end() for x in _CLAUSE_END.finditer(head)]
        subject_start = m.start() - len(head) + (cut[-1] if cut else 0)
        region = next((p for p in places if subject_start <= p.start < m.start()), None)
        if region is None:
            continue
        rank_text = m.group("rank") or "1"  # 首位, 榜首: first
        rank = int(rank_text) if rank_text.isdigit() else chinese_number(rank_text)
        subject = text[region.end:m.start()]
        subject = re.sub(r"^的", "", subject)
        subject = re.sub(rf"{_ADVERBS}+$", "", subject).strip()
        out.append(Claim(region.adcode, region.name, int(rank), subject, m.group("scope") or "",
                         region.start, m.end(), text[region.start:m.end()]))
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
        return asdict(self)


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
