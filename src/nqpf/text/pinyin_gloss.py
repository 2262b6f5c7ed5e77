"""Strip pinyin glosses that content-farm mirrors insert after characters.

Three styles: one toned reading ``發(fā)``, toneless and repeated ``業(ye)(ye)(ye)``, and
slash lists ``爲(wéi / wèi)``, with ASCII or full-width brackets, right after the character
or set off by spaces (``發 (fā) 展``); and a word's readings, one per character
(``經濟(jīng jì)``). A group is removed only when
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
from functools import cache, lru_cache

from nqpf.text.edits import Edit

__all__ = ["fix_pinyin_glosses", "readings_of", "toneless"]

_SYL = r"[a-zāáǎàēéěèīíǐìōóǒòūúǔùüǖǘǚǜńňǹḿ]{1,7}[1-5]?"
_GROUP = rf"[（(]\s*{_SYL}(?:(?:\s*[/／,，、]\s*|\s+){_SYL})*\s*[)）]"
_WORD_GLOSS = re.compile(rf"[（(]\s*{_SYL}(?:\s+{_SYL})+\s*[)）]")
_GLOSSES = re.compile(rf"(?<=[\u3400-\u9fff\uf900-\ufaff])(?P<pre>[ \u3000]?)((?:{_GROUP})+)")
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_SYLLABLE = re.compile(_SYL)
_OPEN = re.compile(r"[（(]")


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


_ONE_GROUP = re.compile(_GROUP)


def _reads(text: str, at: int, group: str) -> bool:
    """Whether one bracketed group reads the text before ``at``: every syllable a reading of
    the character (發(fā), 爲(wéi / wèi)), or one syllable per character of a word
    (經濟(jīng jì))."""
    syllables, word = _parse(group)
    if word:
        return _reads_word(text[max(0, at - len(syllables)):at], syllables)
    return _reads_char(text[at - 1], syllables)


# (memoised, all three: a mirror glosses the same characters with the same groups throughout)
@lru_cache(maxsize=1 << 12)
def _parse(group: str) -> tuple[tuple[str, ...], bool]:
    """A group's syllables, and whether it glosses a word (one syllable per character)."""
    return tuple(_SYLLABLE.findall(group)), bool(_WORD_GLOSS.fullmatch(group))


@lru_cache(maxsize=1 << 14)
def _reads_word(chars: str, syllables: tuple[str, ...]) -> bool:
    return len(chars) == len(syllables) and all(
        s in readings_of(c) or toneless(s) in readings_of(c)
        for c, s in zip(chars, syllables, strict=True))


@lru_cache(maxsize=1 << 14)
def _reads_char(c: str, syllables: tuple[str, ...]) -> bool:
    readings = readings_of(c)
    return bool(syllables) and all(s in readings or toneless(s) in readings for s in syllables)


def fix_pinyin_glosses(text: str) -> list[Edit]:
    """Edits removing every gloss group whose syllables all read the preceding character; a
    gloss set off by spaces (發 (fā) 展, 業(ye) 化) takes its spaces with it."""
    edits = []
    at = 0  # where the last gloss ended
    for bracket in _OPEN.finditer(text):
        # a gloss begins at its bracket, or at the space before it: try that one place (as a
        # scan of _GLOSSES would, from the end of the last one), not every character
        p = bracket.start()
        start = p - 1 if p and text[p - 1] in " \u3000" else p
        if start < at or (m := _GLOSSES.match(text, start)) is None:
            continue
        at = m.end()
        ok = all(_reads(text, m.start(), g.group()) for g in _ONE_GROUP.finditer(m.group(2)))
        if ok:
            end = m.end()
            if text[end:end + 1] in (" ", "\u3000") and _HAN.match(text, end + 1):
                end += 1  # (業(ye) 化: the space the mirror put after its gloss, too)
            edits.append(Edit(m.start(), end, "", "pinyin-gloss"))
    return edits
