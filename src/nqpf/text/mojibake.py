"""Repair GBK one-byte-shift mojibake.

How the damage happens: a page's GBK bytes lose one byte (it becomes ``?``), so the decoder
pairs every following byte with the wrong partner and prints improbable characters until a
single-byte ASCII character brings it back in step. Where the shifted reading meets an ASCII
byte that cannot follow a lead byte, the decoder swallows both into another ``?``; an ASCII
byte that can follow (``@``–``~``) is read as the last character's second byte. Mirror sites
also turn full-width punctuation into ASCII (``！`` → ``!``).

The repair, for each ``?`` that opens such a run: re-encode the run as GBK (ASCII punctuation
as its full-width bytes), put the lost first byte back (every lead byte is a candidate),
re-pair the bytes, and choose the candidate bytes at both ends by the likelihood of a
character bigram model in the surrounding context (:mod:`nqpf.text.charmodel`). A pinyin
gloss right after the run must be a reading of the recovered last character. A swallowed
ASCII character is restored when the context determines it — ``(`` before a gloss, the digit
that makes a year before ``年`` — and marked with U+FFFD otherwise. A run is replaced only when
the result is much more plausible than the damaged text; otherwise the ``?`` is marked.

>>> fix_gbk_shift("發展方案?!渡钲趯嵤┓桨浮诽岢觯旱?025年,戰略")[0].replacement
'。《深圳實施方案》提出：到2'
"""

from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass
from functools import cache

import numpy as np

from nqpf.text.charmodel import CharModel
from nqpf.text.edits import Edit
from nqpf.text.pinyin_gloss import readings_of, toneless

__all__ = ["MARK", "fix_gbk_shift"]

MARK = "\ufffd"
#: ASCII punctuation that mirror sites write for GBK full-width punctuation.
FULLWIDTH = {"!": "！", "?": "？", ":": "：", ",": "，", ";": "；", "(": "（", ")": "）",
             ".": "。"}
#: How much better (nats per character) a repair must read than the damage; less when a
#: pinyin gloss has confirmed the recovered last character.
MIN_GAIN = 2.0
MIN_GAIN_CONFIRMED = 1.0

_PINYIN_AFTER = re.compile(r"^\(([a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùüǘǚǜńňǹḿ]+)\)")
_YEAR_AFTER = re.compile(r"^(\d{3})年")


def _is_double(c: str) -> bool:
    try:
        return len(c.encode("gbk")) == 2
    except UnicodeEncodeError:
        return False


def _bytes_of(c: str) -> bytes | None:
    """The GBK bytes a character of a shifted run stood for."""
    c = FULLWIDTH.get(c, c)
    try:
        b = c.encode("gbk")
    except UnicodeEncodeError:
        return None
    return b if len(b) == 2 else None


@cache
def _completions(first: int | None, second: int | None) -> tuple[str, ...]:
    """Every GBK character whose lead byte is ``first`` (or any) and trail ``second`` (or
    any)."""
    leads = [first] if first is not None else range(0x81, 0xFF)
    trails = [second] if second is not None else [t for t in range(0x40, 0xFF) if t != 0x7F]
    out = []
    for a in leads:
        for b in trails:
            try:
                c = bytes([a, b]).decode("gbk")
            except UnicodeDecodeError:
                continue
            # Chinese text: ideographs and CJK punctuation (GBK also holds kana, Cyrillic,
            # Greek and full-width Latin, which a shifted Chinese page never meant)
            if len(c) == 1 and ("\u3400" <= c <= "\u9fff" or "\uf900" <= c <= "\ufaff"
                                or c in "。，、：；！？《》“”（）—…·"):
                out.append(c)
    return tuple(out)


@dataclass
class _Candidate:
    end: int  # index after the run in the text
    text: str  # recovered text (may contain MARK for a swallowed ASCII)
    gain: float  # nats per character gained over the damaged text
    confirmed: bool = False  # a gloss confirmed the last character

    @property
    def accepted(self) -> bool:
        return self.gain >= (MIN_GAIN_CONFIRMED if self.confirmed else MIN_GAIN)


def _decode_pairs(data: bytes) -> str | None:
    try:
        out = data.decode("gbk")
    except UnicodeDecodeError:
        return None
    return out if len(out) * 2 == len(data) else None


def _inner_options(inner: str) -> list[list[int | None]] | None:
    """Byte readings of a run's inside: each character's GBK bytes; an inner ``?`` is either a
    full-width ？ or two bytes that the mirror's decoder could not read."""
    readings: list[list[int | None]] = [[]]
    for c in inner:
        if c == "?":
            readings = [r + alt for r in readings for alt in ([0xA3, 0xBF], [None, None])]
            if len(readings) > 16:
                return None
            continue
        b = _bytes_of(c)
        if b is None:
            return None
        readings = [r + list(b) for r in readings]
    return readings


def _pair_options(a: int | None, b: int | None) -> tuple[str, ...]:
    if a is not None and b is not None:
        c = _decode_pairs(bytes([a, b]))
        return (c,) if c else ()
    return _completions(a, b)


def _beam(pairs: list[tuple[int | None, int | None]], left: str, model: CharModel,
          last_filter=None, width: int = 6) -> list[tuple[str, float, str]]:
    """The most plausible characters for byte pairs with unknowns, left to right, scored
    transition by transition (the left context's own probability is common to all).
    Returns the surviving (text, score, last character) states; [] if none fits.

    A known pair extends every state by its one character; an unknown byte scores all its
    candidates for all states as one array and keeps the best ``width`` (stable order)."""
    beams = [("", 0.0, left[-1:] or "")]
    for i, (a, b) in enumerate(pairs):
        options = _pair_options(a, b)
        if i == len(pairs) - 1 and last_filter is not None:
            options = tuple(c for c in options if last_filter(c))
        if not options:
            return []
        if len(options) == 1:
            o = options[0]
            beams = [(prefix + o, score + (model.transition(last, o) if last
                                           else math.log(model._p_char(model.char(o)))), o)
                     for prefix, score, last in beams]
            continue
        grid = np.stack([score + model.transitions(last, options) for _, score, last in beams])
        best = np.argsort(-grid, axis=None, kind="stable")[:width]
        k = len(options)
        beams = [(beams[j // k][0] + options[j % k], float(grid.flat[j]), options[j % k])
                 for j in best.tolist()]
    return beams


def _close(beams: list[tuple[str, float, str]], right: str, model: CharModel
           ) -> tuple[str, float] | None:
    """The best state once the right context (a few characters) follows it."""
    if not beams:
        return None
    return max(((p, s + sum(model.transition(x, y) for x, y in itertools.pairwise([last, *right[:4]])))
                for p, s, last in beams), key=lambda x: x[1])


def _try_run(text: str, start: int, stop: int, kind: str, model: CharModel) -> _Candidate | None:
    """Recover text[start:stop] (text[start] is the lost byte's ``?``). ``kind`` says how the
    run ends: "pair" (text[stop-1] is a swallowed ``?``) or "trail" (text[stop-1] is an
    ASCII byte read as a second byte)."""
    inner = text[start + 1:stop - 1]
    readings = _inner_options(inner) if inner else None
    if not readings:
        return None
    after = text[stop:]
    left_ctx = text[max(0, start - 3):start]
    gloss = None
    if kind == "pair":
        gloss = _PINYIN_AFTER.match("(" + after) if after[:1] != "(" else None
        year = _YEAR_AFTER.match(after)
        swallowed: str | None = "(" if gloss else (None if year else MARK)
        end_byte: int | None = None
    else:
        gloss = _PINYIN_AFTER.match(after)
        swallowed = ""
        end_byte = ord(text[stop - 1])
    last_filter = None
    if gloss:
        reading = toneless(gloss.group(1))

        def last_filter(c: str) -> bool:
            return reading in readings_of(c)
    best: tuple[float, str] | None = None
    for data in readings:
        stream = [None, *data, end_byte]
        pairs = list(zip(stream[0::2], stream[1::2], strict=True))
        if any(a is None and b is None for a, b in pairs):
            continue  # two unknown bytes in one character: anything would fit
        beams = _beam(pairs, left_ctx, model, last_filter)
        if swallowed is None:  # a digit completes a year: choose it with the characters
            for d in "0123456789":
                if 1949 <= int(d + after[:3]) <= 2100:
                    found = _close(beams, d + after[:3], model)
                    if found and (best is None or found[1] > best[0]):
                        best = (found[1], found[0] + d)
        else:
            right = (swallowed + after[:3]) if swallowed != MARK else ""
            found = _close(beams, right, model)
            if found and (best is None or found[1] > best[0]):
                best = (found[1], found[0] + swallowed)
    if best is None:
        return None
    recovered = best[1]
    n = max(1, len(recovered))
    before = model.score(left_ctx + text[start:stop] + after[:2]) / (len(text[start:stop]) + 2)
    after_score = model.score(left_ctx + recovered.replace(MARK, "") + after[:2]) / (n + 2)
    return _Candidate(stop, recovered, after_score - before, last_filter is not None)


def _run_ends(text: str, start: int) -> list[tuple[int, str]]:
    """Possible ends of a shifted run opened by the ``?`` at ``start``."""
    ends = []
    j = start + 1
    while j < len(text):
        c = text[j]
        if c == "?":
            ends.append((j + 1, "pair"))
        elif _is_double(c) or c in FULLWIDTH:
            pass
        else:
            if "\x40" <= c <= "\x7e" and c.isascii():
                ends.append((j + 1, "trail"))
            break
        j += 1
    return ends


#: Per-character log-likelihood below which the text after a ``?`` reads as shifted GBK
#: (ordinary Chinese text scores about −5 to −7, shifted runs −11 to −14).
DAMAGED = -10.5


def _reads_damaged(text: str, start: int, model: CharModel) -> bool:
    """A genuine question mark (mirrors write ``？`` as ``?``) is followed by ordinary text."""
    run = []
    for c in text[start + 1:start + 9]:
        if not _is_double(c):
            break
        run.append(c)
    return len(run) >= 3 and model.per_char("".join(run)) < DAMAGED


_OPENERS = re.compile(r"\?(?=[^\x00-\x7f]|[!:,;(?][^\x00-\x7f])")


#: A ``?`` followed by the tail of a gloss whose opening was lost: damage we cannot rebuild.
_ORPHAN_GLOSS = re.compile(r"\?[a-zāáǎàēéěèīíǐìōóǒòūúǔùüǘǚǜ]{1,6}\)")
#: A run of improbable characters that ends in an ASCII byte read as a second byte and is
#: confirmed by a gloss: 崿F(xiàn) is 實現(xiàn) read one byte out of step.
_GLOSSED_TRAIL = re.compile(r"([^\x00-\x7f]{1,8})([\x40-\x7e])(?=\([a-zāáǎàēéěèīíǐìōóǒòūúǔùüǘǚǜ]+\))")


def _unopened_runs(text: str, model: CharModel) -> list[Edit]:
    """Runs whose lost byte left no ``?`` behind: recovered only when a gloss confirms."""
    edits = []
    for m in _GLOSSED_TRAIL.finditer(text):
        run = m.group(1)
        k = len(run)
        while k > 1 and not _reads_damaged_run(run[len(run) - k:], model):
            k -= 1
        start = m.end(1) - k
        if not all(_is_double(c) for c in text[start:m.end(1)]):
            continue
        if model.per_char(text[start:m.end(1)]) >= DAMAGED:
            continue
        probe = text[:start] + "?" + text[start:]
        cand = _try_run(probe, start, m.end() + 1, "trail", model)
        if cand and cand.accepted:
            edits.append(Edit(start, m.end(), cand.text, "gbk-shift"))
    return edits


def _reads_damaged_run(run: str, model: CharModel) -> bool:
    return model.per_char(run) < DAMAGED


def fix_gbk_shift(text: str) -> list[Edit]:
    """Edits that repair (or mark) one-byte-shift GBK runs; see the module docstring."""
    model = CharModel.default()
    edits: list[Edit] = _unopened_runs(text, model)
    if "?" not in text:
        return edits
    # the lost character's gloss tail goes with it into the mark
    edits += [Edit(m.start(), m.end(), MARK, "gbk-shift-unrecovered")
              for m in _ORPHAN_GLOSS.finditer(text)]
    pos = 0
    for m in _OPENERS.finditer(text):
        start = m.start()
        if start < pos:
            continue
        best: _Candidate | None = None
        for end, kind in _run_ends(text, start):
            cand = _try_run(text, start, end, kind, model)
            if cand and (best is None or cand.gain > best.gain):
                best = cand
        if best is not None and best.accepted:
            edits.append(Edit(start, best.end, best.text, "gbk-shift"))
            pos = best.end
        elif _reads_damaged(text, start, model):
            edits.append(Edit(start, start + 1, MARK, "gbk-shift-unrecovered"))
            pos = start + 1
    edits.sort(key=lambda e: e.start)
    return [e for i, e in enumerate(edits) if i == 0 or e.start >= edits[i - 1].end]
