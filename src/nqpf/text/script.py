"""Detect the script of Chinese text and convert it to Simplified with OpenCC.

Taiwan usage (人工智慧, 積體電路, 軟體 …) is converted with OpenCC's ``tw2sp`` profile, which
also maps vocabulary; other Traditional text with ``t2s``.

>>> detect_script("新質生產力發展"), detect_script("新质生产力发展"), detect_script("新质生產力")
('traditional', 'simplified', 'mixed')
>>> to_simplified("台灣的人工智慧與積體電路產業").text
'台湾的人工智能与集成电路产业'
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from functools import cache

__all__ = ["Converted", "detect_script", "to_simplified"]

#: Vocabulary that marks Taiwan usage (converted by tw2sp).
TAIWAN_TERMS = ("人工智慧", "積體電路", "軟體", "硬體", "網路", "資訊", "程式", "數位", "晶片",
                "雲端", "半導體產業", "行動通訊", "兆元", "新臺幣", "新台幣", "臺灣", "台灣")


#: Variant characters that no OpenCC profile folds but real pages use (陜西 for 陝西); applied
#: after OpenCC, one character for one, so offsets are unchanged.
VARIANTS = str.maketrans({"陜": "陕", "衞": "卫"})


@cache
def _cc(profile: str):
    import opencc

    return opencc.OpenCC(profile)


def detect_script(text: str) -> str:
    """``traditional``, ``simplified``, ``mixed`` or ``none`` (no convertible characters)."""
    t2s, s2t = _cc("t2s"), _cc("s2t")
    han = [c for c in text if "\u3400" <= c <= "\u9fff"]
    if not han:
        return "none"
    sample = "".join(han)
    simp = t2s.convert(sample)
    trad = s2t.convert(sample)
    n_trad = sum(a != b for a, b in zip(sample, simp, strict=False))
    n_simp = sum(a != b for a, b in zip(sample, trad, strict=False))
    if n_trad and n_simp:
        share = n_trad / (n_trad + n_simp)
        if share > 0.9:
            return "traditional"
        if share < 0.1:
            return "simplified"
        return "mixed"
    if n_trad:
        return "traditional"
    return "simplified" if n_simp else "none"


@dataclass
class Converted:
    text: str
    profile: str  # "t2s", "tw2sp" or "none"
    offsets: list[int]  # for each position of ``text`` (and one past the end): source position


def to_simplified(text: str, profile: str | None = None, script: str | None = None
                  ) -> Converted:
    """Simplified text, the OpenCC profile used and the offset map back to ``text``
    (pass ``script`` if :func:`detect_script` has already been run)."""
    if profile is None:
        script = script or detect_script(text)
        if script in ("none", "simplified"):
            profile = "none"
        else:
            taiwan = sum(text.count(t) for t in TAIWAN_TERMS)
            profile = "tw2sp" if taiwan >= 2 else "t2s"
    if profile == "none":
        return Converted(text.translate(VARIANTS), "none", list(range(len(text) + 1)))
    out = _cc(profile).convert(text).translate(VARIANTS)
    if len(out) == len(text):
        return Converted(out, profile, list(range(len(text) + 1)))
    offsets: list[int] = []
    sm = difflib.SequenceMatcher(a=text, b=out, autojunk=False)
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        for k in range(j2 - j1):
            offsets.append(i1 + k if tag == "equal" else i1 + min(k, max(0, i2 - i1 - 1)))
    offsets.append(len(text))
    return Converted(out, profile, offsets)
