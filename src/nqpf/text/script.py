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
import re
from collections.abc import Sequence
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


@cache
def _script_classes() -> tuple[re.Pattern, re.Pattern]:
    """Regexes for the characters OpenCC's t2s changes (Traditional forms) and those s2t
    changes (Simplified forms), found once by converting every CJK ideograph alone."""
    chars = [chr(c) for c in range(0x3400, 0xA000)]
    joined = "\n".join(chars)
    as_simp = _cc("t2s").convert(joined).split("\n")
    as_trad = _cc("s2t").convert(joined).split("\n")
    trad = "".join(c for c, x in zip(chars, as_simp, strict=True) if x != c)
    simp = "".join(c for c, x in zip(chars, as_trad, strict=True) if x != c)
    return re.compile(f"[{re.escape(trad)}]"), re.compile(f"[{re.escape(simp)}]")


_HAN = re.compile(r"[\u3400-\u9fff]")


def detect_script(text: str) -> str:
    """``traditional``, ``simplified``, ``mixed`` or ``none`` (no convertible characters).

    Counts the characters that only the Traditional script writes and those that only the
    Simplified script writes (two regex scans; no conversion of the text)."""
    if not _HAN.search(text):
        return "none"
    trad_re, simp_re = _script_classes()
    n_trad = len(trad_re.findall(text))
    n_simp = len(simp_re.findall(text))
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
    #: for each position of ``text`` (and one past the end): its source position; a ``range``
    #: when the conversion kept every position
    offsets: Sequence[int]


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
        return Converted(text.translate(VARIANTS), "none", range(len(text) + 1))
    out = _cc(profile).convert(text).translate(VARIANTS)
    if len(out) == len(text):
        return Converted(out, profile, range(len(text) + 1))
    offsets: list[int] = []
    sm = difflib.SequenceMatcher(a=text, b=out, autojunk=False)
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        for k in range(j2 - j1):
            offsets.append(i1 + k if tag == "equal" else i1 + min(k, max(0, i2 - i1 - 1)))
    offsets.append(len(text))
    return Converted(out, profile, offsets)
