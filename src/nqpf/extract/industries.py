"""Industry mentions, by the documented lexicon ``industries.yaml`` (Aho-Corasick).

>>> [(h.term, h.category) for h in find_industries("推进新能源和智能网联汽车更加普及")]
[('新能源', '新能源'), ('智能网联汽车', '新能源汽车')]
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

from nqpf.extract.matching import LongestMatcher
from nqpf.records import as_record

__all__ = ["IndustryHit", "find_industries", "lexicon", "sentence_industries"]


@dataclass
class IndustryHit:
    term: str
    category: str
    kind: str  # "strategic-emerging" or "future"
    start: int
    end: int

    def to_dict(self) -> dict:
        return as_record(self)


@cache
def lexicon() -> dict[str, dict]:
    text = (resources.files("nqpf.extract") / "industries.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)["categories"]


@cache
def _matcher() -> LongestMatcher:
    seen: dict[str, tuple[str, str]] = {}
    for category, spec in lexicon().items():
        for term in spec["terms"]:
            term = str(term)
            # a term listed under a future direction and an SEI category keeps the first
            seen.setdefault(term, (category, spec["kind"]))
    return LongestMatcher({term: (term, category, kind) for term, (category, kind) in seen.items()})


def find_industries(text: str) -> list[IndustryHit]:
    """Longest non-overlapping lexicon terms in ``text``."""
    return [IndustryHit(t, c, k, s, e) for s, e, (t, c, k) in _matcher().matches(text)]


def sentence_industries(sentence: str, document_terms: list[str] | None = None
                        ) -> tuple[list[str], list[str]]:
    """(categories, terms) of the industries a target is about: those named in its sentence,
    else those of its document (its paragraph's terms).

    >>> sentence_industries("到2025年低空经济企业超过500家")
    (['未来空间'], ['低空经济'])
    >>> sentence_industries("到2025年企业超过500家", ["集成电路"])
    (['新一代信息技术'], ['集成电路'])
    """
    hits = find_industries(sentence or "")
    if hits:
        return sorted({h.category for h in hits}), sorted({h.term for h in hits})
    terms = list(document_terms or [])
    return sorted({h.category for t in terms for h in find_industries(t)}), terms
