"""Repair scraped Chinese text: every fix is a small named function; the result keeps the
text, each change with its span in the original, and an offset map back to the original.

>>> r = repair("新聞發(fā)布會,上??苿?chuàng)金融聯(lián)盟")
>>> r.text
'新聞發布會，上海科創金融聯盟'
>>> sorted({c.kind for c in r.changes})
['gbk-shift', 'pinyin-gloss', 'punctuation']
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable

from nqpf.text.cleanup import (
    fix_cjk_punctuation,
    fix_cjk_spacing,
    fix_doubled_punctuation,
    fix_furniture,
    fix_markup,
    fix_nfc,
    fix_surrogates,
    fix_width,
)
from nqpf.text.edits import Edit, Repaired, apply_edits
from nqpf.text.mojibake import damage_signs, fix_gbk_shift
from nqpf.text.pinyin_gloss import fix_pinyin_glosses

__all__ = ["FIXES", "repair"]

#: The fixes, in the order they run. Mojibake comes before glosses (a gloss confirms the
#: recovered character) and before punctuation (the run is read in the mirror's ASCII form).
FIXES: tuple[Callable[[str], list[Edit]], ...] = (
    fix_surrogates, fix_nfc, fix_markup, fix_furniture, fix_gbk_shift, fix_pinyin_glosses, fix_width,
    fix_cjk_spacing, fix_cjk_punctuation, fix_doubled_punctuation,
)


#: Passes at most: a fix can uncover work for an earlier one (a gloss removed puts a damaged
#: run next to the character that makes it readable), so the fixes run again until nothing
#: changes.
MAX_PASSES = 3


#: How near (characters) to a sign of damage a later fix's edit must come for the GBK repair
#: to read the page again in the next pass (a run and its context; edits shift positions by a
#: few characters at most).
NEAR_SIGN = 120


def repair(text: str, fixes: tuple[Callable[[str], list[Edit]], ...] = FIXES) -> Repaired:
    """Run ``fixes`` in order, again while a pass changed something (at most
    :data:`MAX_PASSES`); see :class:`nqpf.text.edits.Repaired`. The GBK repair, the costly
    fix, reads the text again only where that can change its answer: after it or a gloss
    removal changed the text, or when a later fix (punctuation, width) edited the text near a
    sign of damage."""
    state = Repaired(text=text, original=text, changes=[], offsets=range(len(text) + 1))
    rerun_gbk = True
    touched: list[int] = []  # where other fixes edited since the GBK repair last read the text
    for _ in range(MAX_PASSES):
        before = state.text
        changed: set = set()
        for fix in fixes:
            if fix is fix_gbk_shift:
                if not rerun_gbk and not _near(damage_signs(state.text), touched):
                    continue
                touched = []
            edits = fix(state.text)
            if edits:
                changed.add(fix)
                if fix is not fix_gbk_shift:
                    touched += [e.start for e in edits]
                state = apply_edits(state, edits)
        rerun_gbk = bool(changed & {fix_gbk_shift, fix_pinyin_glosses})
        if state.text == before:
            break
    return state


def _near(signs: list[int], touched: list[int]) -> bool:
    """Whether any sign of damage lies within :data:`NEAR_SIGN` characters of an edit."""
    if not signs or not touched:
        return False
    touched = sorted(touched)
    for s in signs:
        k = bisect_left(touched, s - NEAR_SIGN)
        if k < len(touched) and touched[k] <= s + NEAR_SIGN:
            return True
    return False
