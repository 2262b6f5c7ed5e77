"""Strip pinyin glosses that content-farm mirrors insert after characters.

Three styles: one toned reading ``發(fā)``, toneless and repeated ``業(ye)(ye)(ye)``, and
slash lists ``爲(wéi / wèi)``, with ASCII or full-width brackets. A group is removed only when
every syllable is a reading of the preceding character or of its Simplified/Traditional
counterpart in pypinyin's dictionary, so genuine parentheticals stay: ``人工智能(AI)``,
``首臺(套)``, ``(2024—2025年)``.

>>> [e.replacement for e in fix_pinyin_glosses("新聞發(fā)布會, 產業(ye)(ye)(ye), 爲(wéi / wèi)")]
['', '', '']
>>> fix_pinyin_glosses("人工智能(AI)和首臺(套)、安(an全)")
[]
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from nqpf.text.edits import Edit

__all__ = ["fix_pinyin_glosses", "readings_of", "toneless"]

_SYL = r"[a-zāáǎàēéěèīíǐìōóǒòūúǔùüǖǘǚǜńňǹḿ]{1,7}[1-5]?"
_GROUP = rf"[（(]\s*{_SYL}(?:\s*[/／,，、]\s*{_SYL})*\s*[)）]"
_GLOSSES = re.compile(rf"(?<=[\u3400-\u9fff\uf900-\ufaff])((?:{_GROUP})+)")
_SYLLABLE = re.compile(_SYL)


@cache
def _converters():
    import opencc

    return opencc.OpenCC("t2s"), opencc.OpenCC("s2t")


@cache
def _variants(c: str) -> frozenset[str]:
    t2s, s2t = _converters()
    return frozenset({c, t2s.convert(c), s2t.convert(c)})


@cache
def readings_of(c: str) -> frozenset[str]:
    """Readings (toned and toneless) of a character and of its Simplified/Traditional forms,
    from pypinyin's dictionary."""
    from pypinyin.pinyin_dict import pinyin_dict

    out: set[str] = set()
    for v in _variants(c):
        for r in pinyin_dict.get(ord(v), "").split(","):
            if r:
                out.add(r)
                out.add(toneless(r))
    return frozenset(out)


def toneless(p: str) -> str:
    """A syllable without tone marks or digits (ü as v): fā → fa, lǜ → lv."""
    s = unicodedata.normalize("NFKD", p.lower().rstrip("12345"))
    return "".join(ch for ch in s if not unicodedata.combining(ch)).replace("u\u0308", "v")


def fix_pinyin_glosses(text: str) -> list[Edit]:
    """Edits removing every gloss group whose syllables all read the preceding character."""
    edits = []
    for m in _GLOSSES.finditer(text):
        readings = readings_of(text[m.start() - 1])
        syllables = _SYLLABLE.findall(m.group(1))
        if syllables and all(s in readings or toneless(s) in readings for s in syllables):
            edits.append(Edit(m.start(), m.end(), "", "pinyin-gloss"))
    return edits
