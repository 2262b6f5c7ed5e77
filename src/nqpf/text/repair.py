"""Repair scraped Chinese text: every fix is a small named function; the result keeps the
text, each change with its span in the original, and an offset map back to the original.

>>> r = repair("新聞發(fā)布會,上??苿?chuàng)金融聯(lián)盟")
>>> r.text
'新聞發布會，上海科創金融聯盟'
>>> sorted({c.kind for c in r.changes})
['gbk-shift', 'pinyin-gloss', 'punctuation']
"""

from __future__ import annotations

from collections.abc import Callable

from nqpf.text.cleanup import (
    fix_cjk_punctuation,
    fix_doubled_punctuation,
    fix_furniture,
    fix_markup,
    fix_nfc,
    fix_surrogates,
    fix_width,
)
from nqpf.text.edits import Edit, Repaired, apply_edits
from nqpf.text.mojibake import fix_gbk_shift
from nqpf.text.pinyin_gloss import fix_pinyin_glosses

__all__ = ["FIXES", "repair"]

#: The fixes, in the order they run. Mojibake comes before glosses (a gloss confirms the
#: recovered character) and before punctuation (the run is read in the mirror's ASCII form).
FIXES: tuple[Callable[[str], list[Edit]], ...] = (
    fix_surrogates, fix_nfc, fix_markup, fix_furniture, fix_gbk_shift, fix_pinyin_glosses, fix_width,
    fix_cjk_punctuation, fix_doubled_punctuation,
)


#: Passes at most: a fix can uncover work for an earlier one (a gloss removed puts a damaged
#: run next to the character that makes it readable), so the fixes run again until nothing
#: changes.
MAX_PASSES = 3


def repair(text: str, fixes: tuple[Callable[[str], list[Edit]], ...] = FIXES) -> Repaired:
    """Run ``fixes`` in order, again while a pass changed something (at most
    :data:`MAX_PASSES`); see :class:`nqpf.text.edits.Repaired`."""
    state = Repaired(text=text, original=text, changes=[], offsets=range(len(text) + 1))
    for _ in range(MAX_PASSES):
        before = state.text
        for fix in fixes:
            state = apply_edits(state, fix(state.text))
        if state.text == before:
            break
    return state
