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
import re
from bisect import bisect_right
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


#: States kept while the next character is already known (one lost lead byte has at most
#: 126 readings); they are cut to the beam width once it has been scored.
WIDE = 128


@dataclass
class _Final:
    """The states before the last character, and every choice of the last character:
    ``grid[i, j]`` scores ``prefixes[i] + options[j]``."""

    prefixes: list[str]
    grid: np.ndarray
    options: tuple[str, ...]


def _beam(pairs: list[tuple[int | None, int | None]], left: str, model: CharModel,
          last_filter=None, width: int = 6) -> _Final | None:
    """The most plausible characters for byte pairs with unknowns, left to right, scored
    transition by transition (the left context's own probability is common to all).

    A known pair extends every state by its one character; an unknown byte scores all its
    candidates for all states as one array. States are pruned to the best ``width`` (stable
    order) only once the next character has been scored too, and never before the last
    character: that one is judged with the right context by :func:`_close`. None if no
    character fits."""
    prefixes, scores, lasts = [""], np.zeros(1), (left[-1:],)
    last_i = len(pairs) - 1
    for i, (a, b) in enumerate(pairs):
        options = _pair_options(a, b)
        if i == last_i and last_filter is not None:
            options = tuple(c for c in options if last_filter(c))
        if not options:
            return None
        if len(options) > 1 or i == last_i:
            grid = scores[:, None] + np.stack([model.transitions(last, options) if last
                                               else model.transitions("", options) for last in lasts])
            if i == last_i:
                return _Final(prefixes, grid, options)
            prefixes = [p + o for p in prefixes for o in options]
            scores, lasts = grid.ravel(), options * (len(lasts))
        else:  # one known character: every state moves on by it
            o = options[0]
            step = (model.transitions_into(lasts, o) if lasts[0]
                    else model.transitions("", options)[0])
            prefixes, scores, lasts = [p + o for p in prefixes], scores + step, (o,) * len(lasts)
        keep = WIDE if len(options) > 1 and len(_pair_options(*pairs[i + 1])) == 1 else width
        if len(prefixes) > keep:
            order = np.argsort(-scores, kind="stable")[:keep]
            prefixes = [prefixes[j] for j in order.tolist()]
            scores = scores[order]
            lasts = tuple(lasts[j] for j in order.tolist())
    return None


def _close(final: _Final | None, right: str, model: CharModel) -> tuple[str, float] | None:
    """The best text once the right context (up to four characters) follows the last
    character."""
    if final is None:
        return None
    total = final.grid
    if right:
        tail = sum(model.transition(x, y) for x, y in itertools.pairwise(right[:4]))
        total = total + model.transitions_into(final.options, right[0]) + tail
    j = int(np.argmax(total))
    k = len(final.options)
    return final.prefixes[j // k] + final.options[j % k], float(total.flat[j])


def _try_run(text: str, start: int, stop: int, kind: str, model: CharModel) -> _Candidate | None:
    """Recover text[start:stop] (text[start] is the lost byte's ``?``). ``kind`` says how the
    run ends: "pair" (text[stop-1] is a swallowed ``?``) or "trail" (text[stop-1] is an
    ASCII byte read as a second byte)."""
    inner = text[start + 1:stop - 1]
    readings = _inner_options(inner) if inner else [[]]
    if not readings:
        return None
    after = text[stop:]
    left_ctx = text[max(0, start - 3):start]
    gloss = None
    if kind == "pair":
        gloss = _PINYIN_AFTER.match("(" + after) if after[:1] != "(" else None
        year = _YEAR_AFTER.match(after)
        # the byte that broke the last pair was swallowed with it (mirrors' decoders), or is
        # still there; at the end of the text, or before a non-ASCII character, nothing was
        swallowed: str | None = "(" if gloss else (
            None if year else (MARK if after[:1].isascii() and after else ""))
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
#: Where a run whose lost byte left no ``?`` can end: an ASCII byte read as the last
#: character's second byte (崿F for 實現), or a ``?`` where the last lead byte met a byte that
#: cannot follow it.
_UNOPENED = re.compile(r"(?P<run>[^\x00-\x7f?\u00a0-\u02ff\u1e00-\u1eff]{1,12})(?:(?P<trail>[\x40-\x7e])|\?)")
#: Log-likelihood (nats, over the character and two on each side) by which a lone byte's
#: character must beat the byte read as it is: 新興產業 over 新興a業 (2.9), 江蘇省 over 江K省
#: (5.7), 增長6.1% over 增L6.1% (5.8); genuine letters stay far below (B站 −2.0, A股 −7.1,
#: i茅台 1.3, 華為P70 −1.1, C919 −1.0).
LONE_GAIN = 2.0


def _damage(text: str, start: int, end: int, model: CharModel) -> float:
    """Log-likelihood per character of text[start:end] after the character before it."""
    ctx = text[start - 1] if start else ""
    return (model.score(ctx + text[start:end]) - (model.score(ctx) if ctx else 0.0)) / (end - start)


def _window_gain(text: str, start: int, end: int, replacement: str, model: CharModel) -> float:
    """How much better (nats) ``replacement`` reads than text[start:end], two characters of
    context on each side."""
    left, right = text[max(0, start - 2):start], text[end:end + 2]
    return model.score(left + replacement + right) - model.score(left + text[start:end] + right)


def _unopened_runs(text: str, model: CharModel) -> list[Edit]:
    """Runs whose lost byte left no ``?`` behind: improbable characters up to the byte that
    put the decoder back in step. Where the run began is not marked, so every start whose
    characters read as damage (in the context of the character before) is tried and the
    repair that makes the whole stretch read best is kept, if it gains enough: :data:`MIN_GAIN`
    per character, less (:data:`MIN_GAIN_CONFIRMED`) when a gloss confirms it. A lone byte
    after a Chinese character and before another or a digit (新興a業, 江K省, 增L6.1%) may be all
    that is left of a character; it is rebuilt only when the result reads :data:`LONE_GAIN`
    better over its window."""
    edits = []
    for m in _UNOPENED.finditer(text):
        if m.group("trail") is None and m.group("run")[-1:] in FULLWIDTH.values():
            continue
        if "?" in text[max(0, m.start() - 2):m.start()]:
            continue  # opened by a ? (or ?!): fix_gbk_shift's own case
        end_run = m.end("run")
        kind = "trail" if m.group("trail") is not None else "pair"
        nxt = text[m.end():m.end() + 1]
        lone = kind == "trail" and bool(nxt) and (not nxt.isascii() or nxt.isdigit())
        best: tuple[float, int, str] | None = None  # (gain, start, recovered text)
        for k in range(0 if lone else 1, min(len(m.group("run")), 10) + 1):
            start = end_run - k
            if k:
                if not _is_double(text[start]):
                    break
                if _damage(text, start, end_run, model) >= DAMAGED:
                    continue
            cand = _try_run(text[:start] + "?" + text[start:], start, m.end() + 1, kind, model)
            if cand is None:
                continue
            # starts are compared by how much better the whole stretch reads
            total = _window_gain(text, start, m.end(), cand.text, model)
            ok = total >= LONE_GAIN if k == 0 else cand.accepted
            if ok and (best is None or total > best[0]):
                best = (total, start, cand.text)
        if best is not None:
            edits.append(Edit(best[1], m.end(), best[2], "gbk-shift"))
    return edits


#: Words that make a clause a question; a ``?`` after Chinese text without one stands for a
#: character the mirror could not decode, not for a question mark.
_QUESTION = re.compile(r"吗|嗎|呢|么|麼|怎|如何|哪|谁|誰|几|幾|多少|是否|难道|難道|何|岂|豈|吧|啊|呀|否|可否")
_CLAUSE_START = re.compile(r"[。！？!，,；;：:\n][^。！？!，,；;：:\n]*$")


def _stray_marks(text: str, edits: list[Edit]) -> list[Edit]:
    """Marks for the remaining ``?`` after Chinese text, inside a line, in a clause that asks
    nothing."""
    out = []
    spans = sorted((e.start, e.end) for e in edits)
    span_starts = [a for a, _ in spans]
    reach = list(itertools.accumulate((b for _, b in spans), max))  # furthest end so far
    for m in re.finditer(r"\?", text):
        i = m.start()
        k = bisect_right(span_starts, i)
        if (i and text[i - 1].isascii()) or (k and reach[k - 1] > i):
            continue  # after ASCII (URLs, English) a ? is what it says; a text starts with none
        if i + 1 == len(text) or text[i + 1] in "!！?？\"”’」』)）" or text[i + 1].isspace():
            continue  # 真的?! and a question at the end of a line or quote read as questions
        head = text[max(0, i - 30):i]
        cut = _CLAUSE_START.search(head)
        if not _QUESTION.search(head[cut.start() + 1:] if cut else head):
            out.append(Edit(i, i + 1, MARK, "gbk-shift-unrecovered"))
    return out


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
    edits += _stray_marks(text, edits)
    edits.sort(key=lambda e: e.start)
    return [e for i, e in enumerate(edits) if i == 0 or e.start >= edits[i - 1].end]
