"""Policy documents named in an article: 《titles》, short names, issuers, numbers, dates.

>>> t = "3月19日，陕西省发展和改革委员会印发《陕西省实施方案》(简称《陕西方案》)。《陕西方案》明确"
>>> d = find_documents(t)[0]
>>> d.title, d.short_names, d.issuer, len(d.mentions)
('陕西省实施方案', ['陕西方案'], '陕西省发展和改革委员会', 3)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = ["TITLE", "Document", "find_documents"]

#: 《title》; in Taiwan and Hong Kong usage a plan is also quoted 「…方案」 or 『…計畫』, which
#: counts when the name ends in a word for a kind of document.
_DOC_WORDS = r"方案|计划|计画|条例|办法|纲要|规划|政策|措施|意见|战略|法案|法"
TITLE = re.compile(rf"《([^《》]{{2,120}})》|「([^「」]{{2,60}}(?:{_DOC_WORDS}))」"
                    rf"|『([^『』]{{2,60}}(?:{_DOC_WORDS}))』")
_ALIAS = re.compile(r"^\s*[（(]?\s*(?:以下|下文)?\s*(?:简称|下称|以下称)\s*[《“\"「]([^》”\"」]{1,30})"
                    r"[》”\"」]\s*[)）]?")
_NUMBER = re.compile(r"[\u4e00-\u9fa5]{1,10}[〔\[【(（]\s*(?:19|20)\d{2}\s*[〕\]】)）]\s*\d{1,4}\s*号")
_VERBS = r"(?:联合)?(?:正式)?(?:印发|出台|发布|公布|制定|推出|出炉|颁布|下发|审议通过)(?:了)?(?:关于)?"
_ISSUER = re.compile(rf"(?P<issuer>[\u4e00-\u9fa5A-Za-z0-9（）()·、和与及]{{2,40}}?)\s*{_VERBS}$")
_LEADING_TIME = re.compile(r"^(?:\d{4}年)?(?:\d{1,2}月(?:\d{1,2}[日号])?份?)?(?:上旬|中旬|下旬|初|底|末)?"
                           r"|^(?:近日|日前|近期|今年|去年|此前|目前|昨天|今天|本周|上周)")


#: Time words and adverbs between an issuer and its verb: 省政府办公厅日前印发.
_TRAILING_WORDS = re.compile(r"(?:日前|近日|近期|今日|今天|昨日|昨天|日前正式|已经|已|正式|再次|首次|共同|"
                             r"于?\d{1,2}月\d{1,2}[日号])+$")


@dataclass
class Document:
    id: str
    title: str
    short_names: list[str] = field(default_factory=list)
    issuer: str | None = None
    number: str | None = None
    date: str | None = None  # ISO date of issue, as precise as the article says
    mentions: list[tuple[int, int]] = field(default_factory=list)  # spans incl. 《》

    @property
    def start(self) -> int:
        return self.mentions[0][0]

    def names(self) -> list[str]:
        return [self.title, *self.short_names]

    def to_dict(self) -> dict:
        return {"id": self.id, "title": self.title, "short_names": list(self.short_names),
                "issuer": self.issuer, "number": self.number, "date": self.date,
                "mentions": [list(m) for m in self.mentions]}


def _issuer(text: str, title_start: int) -> str | None:
    left = text[max(0, title_start - 60):title_start]
    cut = max(left.rfind(c) for c in "，。；：！？\n")
    clause = left[cut + 1:]
    m = _ISSUER.search(clause)
    if not m:
        return None
    issuer = _LEADING_TIME.sub("", m.group("issuer")).strip("，、 ")
    issuer = _TRAILING_WORDS.sub("", issuer)
    issuer = re.sub(r"^(?:由|经|在)", "", issuer)
    return issuer if len(issuer) >= 2 else None


#: Words that name a kind of document; 《意见》 alone refers back to the last 《…意见》.
_KINDS = re.compile(r"(?:指导|实施|行动|工作|专项|若干|总体|发展|三年行动|管理|暂行|实施)?"
                    r"(?:意见|方案|计划|通知|办法|规划|措施|条例|纲要|指南|决定|细则|政策|要点|清单)")
_PERIOD = re.compile(r"[（(]\s*\d{4}\s*[—–\-－~至]+\s*\d{4}\s*年?\s*[）)]$")


def _generic_reference(name: str, docs: list[Document]) -> Document | None:
    """The latest earlier document that a generic 《意见》/《行动方案》 refers back to."""
    if not _KINDS.fullmatch(name):
        return None
    for doc in reversed(docs):
        if _PERIOD.sub("", doc.title).endswith(name):
            return doc
    return None


def _number_after(text: str, end: int) -> str | None:
    """A document number (鄂政办发〔2024〕19号) shortly after a title, before the next title."""
    number = _NUMBER.search(text[end:end + 80])
    if number and text[end:end + number.start()].count("《") == 0:
        return re.sub(r"\s+", "", number.group())
    return None


def find_documents(text: str) -> list[Document]:
    """Documents in order of first mention; later mentions by title or short name are merged."""
    docs: list[Document] = []
    by_name: dict[str, Document] = {}
    for m in TITLE.finditer(text):
        name = next(g for g in m.groups() if g).strip()
        span = (m.start(), m.end())
        if name in by_name:
            known = by_name[name]
            known.mentions.append(span)
            if name == known.title:  # the full title again may bring what the first lacked
                known.issuer = known.issuer or _issuer(text, m.start())
                known.number = known.number or _number_after(text, m.end())
            continue
        earlier = _generic_reference(name, docs)
        if earlier is not None:  # 《意见》提出 after 《关于…的指导意见》: the same document
            earlier.short_names.append(name)
            earlier.mentions.append(span)
            by_name[name] = earlier
            continue
        doc = Document(id=f"d{len(docs) + 1}", title=name, mentions=[span])
        alias = _ALIAS.match(text[m.end():m.end() + 40])
        if alias:
            doc.short_names.append(alias.group(1))
            by_name[alias.group(1)] = doc
        doc.issuer = _issuer(text, m.start())
        doc.number = _number_after(text, m.end())
        by_name[name] = doc
        docs.append(doc)
    # a short name given in quotes (以下简称“方案”) is also mentioned without 《》
    for doc in docs:
        for short in doc.short_names:
            for m in re.finditer(re.escape(f"“{short}”"), text):
                if all(not (s <= m.start() < e) for s, e in doc.mentions):
                    doc.mentions.append((m.start(), m.end()))
        doc.mentions.sort()
    return docs
