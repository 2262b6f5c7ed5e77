"""Repair GBK one-byte-shift mojibake.

How the damage happens: a GBK page loses the first byte of a character, so the decoder pairs
every following byte with the wrong partner and prints improbable characters until an ASCII
byte brings it back in step. Mirrors show it in three ways (``dev/gbk_damage.py`` simulates
all three):

* the lost byte shows as ``?``; where the shifted reading meets an ASCII byte that cannot
  follow a lead byte, the decoder swallows both into another ``?`` (``方案?!渡钲趯嵤┓桨浮诽岢觯旱?025年``);
* the lost byte vanishes and the last shifted byte becomes ``?``, the ASCII byte after it
  kept (Python's decoder);
* both vanish (``左右!鄙虾J薪(jīng)`` for ``左右。”上海市經(jīng)``).

An ASCII byte that can follow a lead byte (``@``–``~``) is read as the last character's second
byte (``?!毒V要草案`` for ``。《綱要草案``), and mirrors write full-width forms as ASCII
(``！`` → ``!``, ``Ｊ`` → ``J``), so an ASCII character inside a run may stand for one.

The repair. Cheap signs of damage (a ``?`` or an ASCII letter beside Chinese text, a rare
character in no known pair with its neighbours) mark the places to look; clean text with none
costs one regular-expression scan. At each, every reading of a run is tried — where it begins
(a ``?``, or a character before the sign), how it ends (a trail byte, a ``?``, nothing) — and
its bytes are re-paired: the characters inside are then known, the first (lead byte lost) and
the last (trail byte lost, unless an ASCII trail closes the run) are chosen by a character
bigram model in context (:mod:`nqpf.text.charmodel`), exactly, by Viterbi over the chain. A
pinyin gloss after the run must be a reading of the last character; a swallowed ASCII byte
is rebuilt when the context determines it (``(`` before a gloss, the digit that makes a year
before ``年``) and marked with U+FFFD otherwise.

Decisions use the bigram model (with the pairs the page itself uses elsewhere: pages repeat
their words) and a word model (how much better a text segments into jieba's dictionary words
than into single characters). A reading is applied only when it reads better than the text
as it stands by :data:`MIN_GAIN` after a prior cost for the damage it assumes (a run that
left no ``?``, an end that left no trace, an ASCII character read as a full-width one), and
better than any other reading of the same place by :data:`MIN_MARGIN`. Where two readings
are that close, what they agree on is kept and the rest marked. A first or last character is
kept only when it clearly beats its runner-up (:data:`BIGRAM_MARGIN` by the bigram model with
every other character chosen anew, or, between known characters, :data:`CHAR_MARGIN` with
the word model); otherwise it is written as U+FFFD: a mark is better than a wrong character.

>>> fix_gbk_shift("發展方案?!渡钲趯嵤┓桨浮诽岢觯旱?025年,戰略")[0].replacement
'。《深圳實施方案》提出：到2'
>>> fix_gbk_shift("北京將做大新興支柱產業集群?!毒V要草案》指出")[0].replacement
'。《綱'
"""

from __future__ import annotations

import itertools
import math
import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Any, NamedTuple

import numpy as np

from nqpf.text.charmodel import YEAR, CharModel, mark_years
from nqpf.text.edits import Edit
from nqpf.text.pinyin_gloss import readings_of, toneless

__all__ = ["MARK", "damage_signs", "fix_gbk_shift"]

MARK = "\ufffd"

#: Prior costs (nats) of what a reading assumes beyond a lost byte: that the lost byte left
#: no ``?`` (mirrors that drop it), that the run's end left no trace either, and that an
#: ASCII character inside the run is a full-width form written as ASCII (less on a page that
#: writes its punctuation in ASCII).
UNOPENED_COST = 3.0
SILENT_COST = 3.0
ASCII_COST = 4.0
ASCII_PAGE_COST = 1.5
#: Prior cost of reading an inner ``?`` as a full-width ？ written as ASCII rather than as
#: two bytes the decoder could not pair (far more common: a trail byte AA–AF or F8–FE
#: before most lead bytes; a ？ needs A3 then BF).
QUESTION_COST = 4.0
#: How much better (nats, bigram plus word model, over the run and four characters on each
#: side) the best reading must read than the text as it stands, after those costs.
MIN_GAIN = 4.0
#: How much better than any other reading of an overlapping stretch it must read.
MIN_MARGIN = 3.0
#: How much better the chosen first or last character must read than its runner-up: by the
#: bigram model (every other character chosen anew), or, beside known characters, by the sum
#: with the word model; else it is marked. A gloss that leaves one candidate decides.
BIGRAM_MARGIN = 4.0
CHAR_MARGIN = 7.5
PUNCT_MARGIN = 5.0
#: The bigram model's margin for a character beside another uncertain one.
PAIR_MARGIN = 5.0
#: Weight of the word model in the sum.
WORD_WEIGHT = 1.0
#: Characters of context on each side (the bigram chain and the word model).
CONTEXT = 4
#: Candidates of an uncertain character re-read with the word model, over this many
#: characters on each side.
TOP_K = 8
RESCORE_SPAN = 6
#: Longest run read, and how far before a sign of damage a run that left no ``?`` may begin.
MAX_RUN = 80
MAX_BACK = 8
#: Longest run read as ending where a decoder dropped a byte and was back in step (no ASCII
#: byte and no ``?`` to show it).
SILENT_SPAN = 16
#: Ends of a run tried after a sign of damage.
MAX_CLOSES = 3
#: Readings re-read with the word model at each place, if their bigram gain reaches
#: SCREEN_GAIN.
RESCORED = 4
SCREEN_GAIN = -6.0
#: Readings of each place read exactly (by the bigram model), the best by estimate if it
#: reaches MIN_ESTIMATE.
EXACT = 8
MIN_ESTIMATE = -3.0
#: A run read this well (bigram gain) is the place of the signs inside it.
COVERED_GAIN = 20.0
#: Characters rarer than this (count of the Simplified form in the dictionary) are a sign.
RARE_COUNT = 3000

_PINYIN = "a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùüǘǚǜńňǹḿ"
#: A gloss (a reading in brackets) where the text after a run begins, and the tail of one
#: whose ``(`` was swallowed with the run's last byte (matched in place, at that position).
_GLOSS_AT = re.compile(rf"\(([{_PINYIN}]+)\)")
_GLOSS_TAIL_AT = re.compile(rf"([{_PINYIN}]+)\)")
#: A gloss, or the tail of one whose ``(`` was swallowed with the byte before it: not text.
_GLOSS = re.compile(rf"\([{_PINYIN} /]+\)|(?<=\?)[{_PINYIN}]+\)")
#: The same, found by the character that begins each (quicker to scan for than a look-behind
#: tried everywhere): a tail's ``?`` is matched, its span is group 1's (see _gloss_spans).
_GLOSS_SCAN = re.compile(rf"\([{_PINYIN} /]+\)|\?([{_PINYIN}]+\))")
_YEAR_AT = re.compile(r"(\d{3})年")
#: Punctuation a shifted Chinese page may have meant (with ideographs).
_CJK_PUNCT = frozenset("。，、：；！？《》“”‘’（）—…·「」『』【】〔〕")
#: Symbols that Chinese pages use (not a sign of damage).
_SYMBOLS = frozenset("〈〉～×÷±℃°‰№§①②③④⑤⑥⑦⑧⑨⑩●○■□▲△◆◇★☆※→←↑↓〇")


@cache
def _bytes_of(c: str) -> tuple[int, int] | None:
    """The two GBK bytes a character of a shifted run stands for: its own, or for printable
    ASCII the full-width form (``！`` A3A1) that mirrors write as ASCII."""
    if "!" <= c <= "~":
        return 0xA3, ord(c) + 0x80
    try:
        b = c.encode("gbk")
    except UnicodeEncodeError:
        return None
    return (b[0], b[1]) if len(b) == 2 else None


class _Options(tuple):
    """The candidate characters of a slot, as a tuple that keeps its hash: a class of GBK
    bytes keys many memos (of the model's rows, of the page's pairs), and hashing a tuple of
    a hundred characters costs a pass over them every time. (Equal to, and hashed as, the
    plain tuple.)"""

    def __new__(cls, items: Any) -> _Options:
        self = super().__new__(cls, items)
        self._hash = tuple.__hash__(self)
        return self

    def __hash__(self) -> int:
        return self._hash


@cache
def _completions(first: int | None, second: int | None) -> tuple[str, ...]:
    """Every GBK character of Chinese text whose lead byte is ``first`` (or any) and trail
    ``second`` (or any)."""
    leads = [first] if first is not None else range(0x81, 0xFF)
    trails = [second] if second is not None else [t for t in range(0x40, 0xFF) if t != 0x7F]
    out = []
    for a in leads:
        for b in trails:
            try:
                c = bytes([a, b]).decode("gbk")
            except UnicodeDecodeError:
                continue
            # ideographs and CJK punctuation (GBK also holds kana, Cyrillic, Greek and
            # full-width Latin, which a shifted Chinese page never meant)
            if len(c) == 1 and ("\u3400" <= c <= "\u9fff" or "\uf900" <= c <= "\ufaff"
                                or c in _CJK_PUNCT):
                out.append(c)
    return _Options(out)


@cache
def _pair_char(a: int, b: int) -> str:
    """The character that a decoder reads from the bytes ``a b`` ("" if they are not one)."""
    try:
        c = bytes([a, b]).decode("gbk")
    except UnicodeDecodeError:
        return ""
    return c if len(c) == 1 else ""


@cache
def _pair_options(a: int | None, b: int | None) -> tuple[str, ...]:
    if a is not None and b is not None:
        try:
            c = bytes([a, b]).decode("gbk")
        except UnicodeDecodeError:
            return ()
        return (c,) if len(c) == 1 else ()
    return _completions(a, b)


@lru_cache(maxsize=16)
def _ascii_cost(text: str) -> float:
    """The prior cost of reading an ASCII character inside a run as a full-width form: small
    on a page that writes punctuation between Chinese characters in ASCII (its mirror does),
    :data:`ASCII_COST` elsewhere."""
    return ASCII_PAGE_COST if _ASCII_PUNCTUATION.search(text) else ASCII_COST


#: (The mark first, its neighbours looked around: the engine finds the rare marks quickly.)
_ASCII_PUNCTUATION = re.compile(r"(?<=[\u4e00-\u9fff])[,:;!](?=[\u4e00-\u9fff])")


class _Hyp(NamedTuple):
    """A reading of text[start:end] as a shifted run: text[first:last] are the shifted
    characters; ``start < first`` when a ``?`` opens it; ``close`` says how it ends:
    "trail" (text[last] is an ASCII byte read as the last trail byte), "pair" (text[last] is
    the ``?`` of the last trail byte) or "silent" (that byte vanished). (A tuple: readings
    are keys of a dict, hashed often.)"""

    start: int
    first: int
    last: int
    close: str

    @property
    def opened(self) -> bool:
        return self.first > self.start

    @property
    def end(self) -> int:
        return self.last if self.close == "silent" else self.last + 1

    def cost(self, text: str) -> float:
        inner = text[self.first:self.last]
        # (its ASCII characters but ?, counted without a loop)
        cost = _ascii_cost(text) * (len(inner.encode("ascii", "ignore")) - inner.count("?"))
        if not self.opened:
            cost += UNOPENED_COST
        if self.close == "silent":
            cost += SILENT_COST
        return cost


@dataclass
class _Reading:
    """A reading with the word model: its characters as the word model chose them, as the
    bigram model did, and for each uncertain one how far it is ahead of its runner-up in
    each (the bigram's with every other character chosen anew)."""

    hyp: _Hyp
    gain: float  # nats better than the text as it stands, less the prior cost
    best: str  # the replacement, every character as the word model chose it
    bigram: str  # … as the bigram model chose it
    gaps: dict[int, tuple[float, float]] = field(default_factory=dict)  # (bigram, word)
    unknown_tail: bool = False  # an ASCII byte was swallowed that cannot be told

    @property
    def span(self) -> tuple[int, int]:
        return self.hyp.start, self.hyp.end

    lonely: frozenset[int] = frozenset()  # uncertain characters with known ones on both sides
    second: dict[int, str] = field(default_factory=dict)  # the word model's runner-up

    def sure(self, k: int) -> bool:
        """Whether the k-th character is known or clearly chosen: by the bigram model with
        every other character chosen anew (the word model agreeing), or, beside known
        characters only, by the sum with the word model (beside another uncertain one the
        word model finds a word in two free characters too easily)."""
        if k not in self.gaps:
            return True
        bigram, word = self.gaps[k]
        if self.best[k] == self.bigram[k] and bigram >= (
                BIGRAM_MARGIN if k in self.lonely else PAIR_MARGIN):
            return True
        # against punctuation (which the word model knows nothing of, and the bigram model
        # rates by class) the evidence of words alone decides
        vs_punctuation = _HAN.match(self.best[k]) and self.second.get(k, "") in _CJK_PUNCT
        return k in self.lonely and word >= (PUNCT_MARGIN if vs_punctuation else CHAR_MARGIN)

    @property
    def text(self) -> str:
        """The replacement, a mark for each character not clearly chosen."""
        out = "".join(c if self.sure(k) else MARK for k, c in enumerate(self.best))
        return out + MARK * self.unknown_tail


def _gloss_spans(text: str) -> Iterator[tuple[int, int]]:
    """The spans of ``_GLOSS.finditer(text)``: a match of _GLOSS_SCAN begins where one of
    _GLOSS does, or at the ``?`` before a tail, which no gloss ends with or contains."""
    for m in _GLOSS_SCAN.finditer(text):
        yield m.span() if m.start(1) < 0 else m.span(1)


def _glossed(text: str) -> set[int]:
    """The positions of the glosses of ``text``."""
    out: set[int] = set()
    for span in _gloss_spans(text):
        out.update(range(*span))
    return out


@cache
def _eligible(c: str) -> bool:
    return c != MARK and _bytes_of(c) is not None


class _Scan:
    """One text's transitions as it stands and re-paired one byte out of step (memoised by
    position), for a quick estimate of each reading before the exact one."""

    #: Assumed log-probability of a transition that the estimate does not compute (into or
    #: out of a character to be chosen, across an inner ``?``).
    UNKNOWN = -3.5

    def __init__(self, text: str, model: CharModel):
        self.text, self.model = text, model
        self._obs: dict[int, float] = {}
        self._alt: dict[int, float] = {}
        self.glossed = _glossed(text)

    def eligible(self, i: int) -> bool:
        """Whether text[i] can be part of a shifted run (not of a gloss)."""
        return i not in self.glossed and _eligible(self.text[i])

    def obs(self, i: int) -> float:
        """log P(text[i] | text[i − 1]) (0 outside the text)."""
        v = self._obs.get(i)
        if v is None:
            t = self.text
            v = self.model.transition(t[i - 1], t[i]) if 0 < i < len(t) else 0.0
            self._obs[i] = v
        return v

    def alt(self, i: int) -> float:
        """log P of the transition into the re-paired character at i (2 ≤ i < len(text)):
        from the one that the second byte of text[i − 2] and the first of text[i − 1]
        make into the one that the second byte of text[i − 1] and the first of text[i]
        make; −inf if either makes none (no such run), UNKNOWN if a ``?`` hides a byte."""
        v = self._alt.get(i)
        if v is None:
            v = self._alt[i] = _repaired(self.model, self.text[i - 2:i + 1])
        return v


@lru_cache(maxsize=1 << 16)
def _repaired(model: CharModel, s: str) -> float:
    """:meth:`_Scan.alt` for three characters ``s`` (it depends on nothing else: memoised
    across texts, where the same three characters recur)."""
    x, y = _repaired_char(s[0], s[1]), _repaired_char(s[1], s[2])
    if not x or not y:
        return -np.inf
    if "?" in (x, y):
        return _Scan.UNKNOWN
    return model.transition(x, y)


def _repaired_char(a: str, b: str) -> str:
    """The character that the second byte of ``a`` and the first of ``b`` make: "" if they
    make none, "?" if a ``?`` hides a byte."""
    if a == "?" or b == "?":
        return "?"
    x, y = _bytes_of(a), _bytes_of(b)
    return "" if x is None or y is None else _pair_char(x[1], y[0])


def _lone(text: str, k: int, opened: bool = False) -> bool:
    """Whether the ASCII letter at k may be all that is left of a character (its lead byte
    lost, or shown as the ``?`` before it): it stands alone between Chinese characters (or a
    digit after it), not in a word or code (GDP, Mate60)."""
    before, after = text[k - 1:k], text[k + 1:k + 2]
    return (opened or not before.isascii()) and (
        not after.isascii() or after.isdigit()) and bool(before or after)


def _hypotheses(scan: _Scan, spot: int) -> list[tuple[_Hyp, float]]:
    """Readings of a run around a sign of damage at ``spot`` worth reading exactly, each with
    an estimate of its gain: the re-paired characters inside read by the bigram model, the
    first and last assumed ordinary, against the text as it stands. Only readings estimated
    at :data:`MIN_ESTIMATE` or better are given (in the order they are found): the others
    are never read.

    The estimate of a run of ``m`` shifted characters: ``obs`` is the sum of the text's
    transitions into its start … last character, ``out`` that of the transitions after (into
    the run's end), ``mid`` the sum of the re-paired ones inside, ``cost`` the prior cost of
    the reading; the transitions into and out of the characters to be chosen are assumed
    :attr:`_Scan.UNKNOWN`: ``UNKNOWN * (m + 2 - max(0, m - 2)) + mid - (obs + out) - cost``.
    """
    text = scan.text
    starts: list[tuple[int, int]] = []  # (start, first)
    g = spot
    if text[spot] == "?":
        starts.append((spot, spot + 1))
        g = spot - 1
    while g >= 0 and spot - g <= MAX_BACK and scan.eligible(g):
        if text[g] == "?":
            starts.append((g, g + 1))
            break
        starts.append((g, g))
        g -= 1
    # hoisted out of the loops below (the same values every time); the scan's memos are read
    # inline, its methods called only to fill them; the estimate is written out in place,
    # with its assumed transitions for 0, 1 and more characters
    ascii_cost, n_text, glossed = _ascii_cost(text), len(text), scan.glossed
    obs_memo, alt_memo = scan._obs, scan._alt
    obs_of, alt_of = scan.obs, scan.alt
    assumed = (_Scan.UNKNOWN * 2, _Scan.UNKNOWN * 3)
    assumed_more = _Scan.UNKNOWN * 4
    out: list[tuple[_Hyp, float]] = []
    for start, first in starts:
        opened = first > start
        base = 0.0 if opened else UNOPENED_COST  # the start's part of the cost (_Hyp.cost)
        closes = 0
        k = first
        mid = 0.0  # re-paired transitions inside: into text[first + 2 … k − 1]
        obs = obs_of(start) if opened else 0.0  # the text's, into start … k − 1
        n_ascii = 0
        cost = base + ascii_cost * n_ascii
        last = min(n_text, first + MAX_RUN)
        while k <= last and closes < MAX_CLOSES:
            # the text's transition into text[k] (0 at the end of the text)
            here = obs_memo.get(k)
            if here is None:
                here = obs_of(k)
            m = k - first
            unknown = assumed[m] if m < 2 else assumed_more
            if k == n_text or k in glossed:
                if not opened and k > first:
                    e = unknown + mid - (obs + here) - (cost + SILENT_COST)
                    if e >= MIN_ESTIMATE:
                        out.append((_Hyp(start, first, k, "silent"), e))
                break
            c = text[k]
            if c == "?":
                if k > first:
                    e = unknown + mid - (obs + (here + obs_of(k + 1))) - cost
                    if e >= MIN_ESTIMATE:
                        out.append((_Hyp(start, first, k, "pair"), e))
                    closes += k >= spot
                if not opened:
                    break  # Python's decoder is back in step after its ?; others show none
            elif "\x40" <= c <= "\x7e":
                if k > first or _lone(text, k, opened):
                    e = unknown + mid - (obs + (here + obs_of(k + 1))) - cost
                    if e >= MIN_ESTIMATE:
                        out.append((_Hyp(start, first, k, "trail"), e))
                closes += k >= spot
            elif c < "\x80":  # (ASCII)
                if not opened and k > first:
                    e = unknown + mid - (obs + here) - (cost + SILENT_COST)
                    if e >= MIN_ESTIMATE:
                        out.append((_Hyp(start, first, k, "silent"), e))
                    closes += k >= spot
                if not "!" <= c <= "~":
                    break
            elif not _eligible(c):  # (k is not in a gloss: see above)
                break
            elif not opened and k > first and m <= SILENT_SPAN:
                # a decoder that drops a byte it cannot read is back in step after it
                e = unknown + mid - (obs + here) - (cost + SILENT_COST)
                if e >= MIN_ESTIMATE:
                    out.append((_Hyp(start, first, k, "silent"), e))
            if c < "\x80" and c != "?":
                n_ascii += 1
                cost = base + ascii_cost * n_ascii
            obs += here
            if k >= first + 2:
                v = alt_memo.get(k)
                mid += alt_of(k) if v is None else v
                if mid == _NEG_INF:
                    break  # no re-pairing here: every later estimate of this start is −inf
            k += 1
    return out


_NEG_INF = -math.inf


@cache
def _unpairable(lead: int, nxt: int) -> tuple[str, ...]:
    """The characters with lead byte ``lead`` whose trail byte cannot pair with the byte
    ``nxt`` (so a decoder out of step dropped it, or wrote ``?``, and read on from ``nxt``)."""
    return _Options(c for c in _completions(lead, None) if not _pairable(_gbk(c)[1], nxt))


def _pairable(a: int, b: int) -> bool:
    """Whether a decoder reads the bytes ``a b`` as one character."""
    return bool(_pair_char(a, b))


@cache
def _gbk(c: str) -> bytes:
    return c.encode("gbk") if c != MARK else b""


@cache
def _mask(before: tuple[str, ...], after: tuple[str, ...]) -> np.ndarray:
    """Which characters on either side of an inner ``?`` read as two bytes that a decoder
    could not pair go together (0, else −inf)."""
    trails = [_gbk(a)[1:2] for a in before]  # each one's second byte (b"": none)
    leads = [_gbk(b)[:1] for b in after]  # each one's first byte (b"": none)
    # for each character before, whether its trail byte pairs with each byte (none: never)
    pairs = np.array([_pairs_after(t[0]) if t else _NEVER for t in trails])
    hit = pairs[:, [lead[0] if lead else 0 for lead in leads]] & np.array(
        [bool(lead) for lead in leads])
    return np.where(hit, -np.inf, 0.0)


#: No byte pairs with none.
_NEVER = np.zeros(256, dtype=bool)


@cache
def _pairs_after(t: int) -> np.ndarray:
    """Whether a decoder reads the bytes ``t b`` as one character, for every byte ``b``."""
    return np.array([_pairable(t, b) for b in range(256)])


def _variants(text: str, h: _Hyp) -> list[tuple[bool, ...]]:
    """How the inner ``?`` of a run may be read: each a full-width ？ (True) or two bytes the
    decoder could not pair (False); every combination for a few, else at most one ？."""
    n = text.count("?", h.first, h.last)
    if not n:
        return [()]
    if n <= 3:
        return list(itertools.product((False, True), repeat=n))
    return [(False,) * n] + [tuple(i == j for j in range(n)) for i in range(n)]


def _run_slots(text: str, h: _Hyp, variant: tuple[bool, ...]
               ) -> tuple[list[tuple[str, ...]], dict[int, np.ndarray]] | None:
    """The candidate characters of the run, one tuple per original character, and the masks
    between two characters that share the bytes of an inner ``?`` that a decoder could not
    read (and swallowed). A character whose bytes are both lost is a mark."""
    if not variant and h.last > h.first:
        return _plain_run_slots(text, h)
    stream: list[int | None] = [None]
    unread: list[int] = []  # slots after an inner ? read as two unknown bytes
    q = iter(variant)
    for c in text[h.first:h.last]:
        b = _bytes_of(c)
        if b is None:
            return None
        if c == "?" and not next(q):
            unread.append(len(stream) // 2 + 1)
            stream += [None, None]
        else:
            stream += b
    stream.append(ord(text[h.last]) if h.close == "trail" else None)
    # the byte after a lost trail byte could not pair with it (Python's ?, or nothing)
    nxt = text[h.end:h.end + 1] if h.close == "silent" or (
        h.close == "pair" and not h.opened) else ""
    nxt_byte = (ord(nxt) if nxt.isascii() else (_bytes_of(nxt) or (None,))[0]) if nxt else None
    slots = [(MARK,) if a is None and b is None else _pair_options(a, b)
             for a, b in zip(stream[0::2], stream[1::2], strict=True)]
    last = stream[-2]
    if nxt_byte is not None and last is not None and stream[-1] is None:
        slots[-1] = _unpairable(last, nxt_byte)
    if not all(slots) or all(s == (MARK,) for s in slots):
        return None
    return slots, {j: _mask(slots[j - 1], slots[j]) for j in unread}


def _plain_run_slots(text: str, h: _Hyp) -> tuple[list[tuple[str, ...]], dict] | None:
    """:func:`_run_slots` of a run of one character or more with no inner ``?`` (most): the
    same slots, each byte pair read as it comes (no byte is unknown but the first and the
    last)."""
    slots = []
    trail = None  # the second byte of the character before
    for c in text[h.first:h.last]:
        b = _bytes_of(c)
        if b is None:
            return None
        slots.append(_pair_options(trail, b[0]))
        trail = b[1]
    close = h.close
    end = ord(text[h.last]) if close == "trail" else None
    slots.append(_pair_options(trail, end))
    if end is None and (close == "silent" or (close == "pair" and h.first == h.start)):
        # the byte after a lost trail byte could not pair with it (Python's ?, or nothing)
        at = h.last + (close == "pair")  # (where the run ends)
        nxt = text[at:at + 1]
        if nxt:
            nxt_byte = ord(nxt) if nxt.isascii() else (_bytes_of(nxt) or (None,))[0]
            if nxt_byte is not None:
                slots[-1] = _unpairable(trail, nxt_byte)
    return (slots, {}) if all(slots) else None


#: Log-probability charged for a character that is marked (both its bytes lost).
MARK_LOGP = -4.0


#: How far below the screen a chain's bound must be to skip the chain (well above the
#: rounding of sums in different orders).
BOUND_SLACK = 1e-6


def _gain_bound(slots: list[tuple[str, ...]], observed: str, context: tuple[int, int],
                model: CharModel) -> float:
    """At least the chain's best total (:attr:`_Viterbi.total`, unmasked) less the score of
    the text as it stands (``observed``), up to rounding, cheaply: the best path takes at
    most the largest value of each step (memoised by its slots, where the chain's vectors
    are not). Both begin and end with the same context (``context``: its characters before
    and after), whose own transitions cancel: only the steps from its last character before
    to its first after are read. +inf for a chain with a mark (not bounded)."""
    if (MARK,) in slots:
        return math.inf
    before, after = context
    lo = max(0, before - 1)  # the slot, and the character of observed, where the reads begin
    total = 0.0
    if not before:  # no context before: the first characters are read too
        a = slots[0]
        total = (model.alone(a[0]) if len(a) == 1 else float(_max(model.transitions("", a)))
                 ) - model.first(observed[0])
    transition = model.transition
    plain = model._plain if isinstance(model, _Page) else {}  # (read inline: most are there)
    a = slots[lo]
    for b in itertools.islice(slots, lo + 1, len(slots) - max(0, after - 1)):
        if len(a) > 1:
            total += model.column_max(a, b[0]) if len(b) == 1 else model.matrix_max(a, b)
        elif len(b) > 1:
            total += model.row_max(a[0], b)
        else:
            v = plain.get((a[0], b[0]))
            total += transition(a[0], b[0]) if v is None else v
        a = b
    for xy in itertools.pairwise(observed[lo:len(observed) - max(0, after - 1)]):
        v = plain.get(xy)
        total -= transition(*xy) if v is None else v
    return total


class _Viterbi:
    """The best choice in each slot of a chain of candidate characters under the bigram
    model. The forward pass (on construction) gives its log-probability, :attr:`total`;
    the backward pass (:meth:`decode`, done only for a chain that may be read again) the
    choices and the max-marginals of each slot of several candidates (the best total with
    each of its candidates). A mark costs :data:`MARK_LOGP`; the chain starts afresh after
    it.

    Most slots of a chain hold one character (the context, the re-paired inside of a run).
    Each step is done in the cheapest form that makes the same IEEE additions and maxima as
    the general matrix form: between two single slots on floats, between a single slot and
    several candidates on a vector, the general (or masked) step on a matrix."""

    def __init__(self, slots: list[tuple[str, ...]], model: CharModel,
                 masks: dict[int, np.ndarray] | None = None):
        self.slots = slots
        # ("1", float), ("1n", row), ("n1", column), ("nn", matrix); step k - 1 into slot k;
        # and forward: alpha, the best total up to each choice (a float for a single slot);
        # the best predecessor of each is found in decode (for the one choice it needs)
        steps: list[tuple[str, Any]] = []
        transition, transitions = model.transition, model.transitions
        transitions_into, matrix = model.transitions_into, model.transition_matrix
        # (the page's memo of the model's own transitions, read inline: most steps are there)
        plain = model._plain if isinstance(model, _Page) else {}
        prev = _first(model, slots[0])
        alpha: list[np.ndarray | float] = [prev]
        a = slots[0]
        for k in range(1, len(slots)):
            b = slots[k]
            mask = masks.get(k) if masks else None
            if mask is not None or a[0] == MARK or b[0] == MARK:  # (only a single slot marks)
                kind, m = step = _step(model, a, b, mask)
                steps.append(step)
                prev = _advance(prev, kind, m)
            # the unmasked steps between characters, inline (the forms _step gives them)
            elif len(a) == 1:
                if len(b) == 1:  # the common step
                    m = plain.get((a[0], b[0]))
                    if m is None:
                        m = transition(a[0], b[0])
                    steps.append(("1", m))
                else:
                    m = transitions(a[0], b)
                    steps.append(("1n", m))
                prev = prev + m
            elif len(b) == 1:
                m = transitions_into(a, b[0])
                steps.append(("n1", m))
                prev = float(_max(prev + m))
            else:
                m = matrix(a, b)
                steps.append(("nn", m))
                prev = _scalar_if_one(_max(prev[:, None] + m))
            alpha.append(prev)
            a = b
        self._steps = steps
        self._alpha = alpha
        self.total = float(_max(prev)) if isinstance(prev, np.ndarray) else float(prev)

    def decode(self) -> tuple[list[int], dict[int, np.ndarray]]:
        """The best choice in each slot, and the max-marginals of each slot of several
        candidates, by position."""
        steps, alpha = self._steps, self._alpha
        # backward: the best total after each choice
        beta: list[np.ndarray | float] = [_scalar_if_one(np.zeros(len(self.slots[-1])))]
        for kind, m in reversed(steps):
            nxt = beta[-1]
            if kind == "1":
                beta.append(m + nxt)
            elif kind == "1n":
                beta.append(float(_max(m + nxt)))
            elif kind == "n1":
                beta.append(m + nxt)
            else:
                beta.append(_scalar_if_one(_max(m + _vector(nxt)[None, :], axis=1)))
        beta.reverse()
        # the choices, from the last: the best predecessor of the one chosen after it (the
        # first of equals, as an argmax over the forward step's totals)
        last = alpha[-1]
        idx = [int(last.argmax()) if isinstance(last, np.ndarray) else 0]
        for k in range(len(steps) - 1, -1, -1):
            kind, m = steps[k]
            if kind == "1" or kind == "1n":
                idx.append(0)
            elif kind == "n1":
                idx.append(int((alpha[k] + m).argmax()))
            else:
                idx.append(int((_vector(alpha[k]) + m[:, idx[-1]]).argmax()))
        idx.reverse()
        # a slot of several candidates has a vector on both sides
        return idx, {k: alpha[k] + beta[k] for k, s in enumerate(self.slots) if len(s) > 1}


#: The maximum along the first axis (all of a vector): ``ndarray.max`` without its Python
#: wrapper, which costs more than the reduction on the short vectors of a chain.
_max = np.maximum.reduce


def _vector(x: np.ndarray | float) -> np.ndarray:
    return x if isinstance(x, np.ndarray) else np.array([x])


def _scalar_if_one(x: np.ndarray) -> np.ndarray | float:
    return float(x[0]) if x.shape[0] == 1 else x


def _first(model: CharModel, slot: tuple[str, ...]) -> np.ndarray | float:
    """The forward value of the first slot: each candidate's own log-probability."""
    if len(slot) == 1:  # (most: a character of the context)
        return MARK_LOGP if slot[0] == MARK else model.alone(slot[0])
    return _scalar_if_one(model.transitions("", slot))


def _step(model: CharModel, a: tuple[str, ...], b: tuple[str, ...],
          mask: np.ndarray | None) -> tuple[str, Any]:
    """The step from slot ``a`` into slot ``b`` (masked by ``mask``) in its cheapest form."""
    if b == (MARK,):
        m = np.full((len(a), 1), MARK_LOGP)
    elif a == (MARK,):
        m = model.transitions("", b)[None, :]
    elif len(a) == 1 and len(b) == 1:
        m = np.array([[model.transition(a[0], b[0])]])
    elif len(a) == 1:
        m = model.transitions(a[0], b)[None, :]
    elif len(b) == 1:
        m = model.transitions_into(a, b[0])[:, None]
    else:
        m = model.transition_matrix(a, b)
    if mask is not None:
        return "nn", m + mask
    if m.shape == (1, 1):
        return "1", float(m[0, 0])
    if m.shape[0] == 1:
        return "1n", m[0]
    if m.shape[1] == 1:
        return "n1", m[:, 0]
    return "nn", m


def _advance(prev: np.ndarray | float, kind: str, m: Any) -> np.ndarray | float:
    """The forward values after one step (``prev`` is a float before a single slot)."""
    if kind == "1" or kind == "1n":
        return prev + m
    if kind == "n1":
        return float(_max(prev + m))
    return _scalar_if_one(_max(_vector(prev)[:, None] + m))


def _score(s: str, model: CharModel, brackets: bool = False) -> float:
    """Bigram log-likelihood plus the (weighted) evidence of words; with ``brackets`` (to
    choose a character) less :data:`BRACKET_COST` for each closing mark with no opening one
    before it. A mark costs :data:`MARK_LOGP` and separates what is around it."""
    total = 0.0
    for piece in s.split(MARK):
        total += model.score(piece) + WORD_WEIGHT * model.words.bonus(piece)
    if brackets:
        total = _unopened(s, total)
    return total + MARK_LOGP * s.count(MARK)


def _unopened(s: str, total: float) -> float:
    """``total`` less :data:`BRACKET_COST` for each closing mark of ``s`` with no opening
    one before it."""
    open_: list[str] = []
    for c in s:
        if c in _OPENS:
            open_.append(c)
        elif c in _CLOSES:
            if _CLOSES[c] in open_:
                open_.remove(_CLOSES[c])
            else:
                total -= BRACKET_COST
    return total


def _option_scores(model: CharModel, before: str, options: list[str], after: str
                   ) -> list[float]:
    """``_score(before + o + after, model, brackets=True)`` for each ``o`` of ``options``,
    exactly (the same additions in the same order), with the bigram model's work on
    ``before`` and ``after`` done once: its score is a running sum along the string."""
    if MARK in before or MARK in after or MARK in options:  # several pieces: the long way
        return [_score(before + o + after, model, brackets=True) for o in options]
    transition = model.transition
    head = model.score(before) if before else 0.0
    last = before[-1:]
    tail = [transition(a, b) for a, b in itertools.pairwise(after)]
    # _unopened changes nothing in a string without a closing mark
    closes = not _CLOSES.keys().isdisjoint(before + after)
    out = []
    for o, bonus in zip(options, model.words.bonuses(before, options, after), strict=True):
        total = head + transition(last, o) if last else model.score(o)
        if after:
            total += transition(o, after[0])
            for v in tail:
                total += v
        total = 0.0 + (total + WORD_WEIGHT * bonus)
        if closes or o in _CLOSES:
            total = _unopened(before + o + after, total)
        out.append(total + MARK_LOGP * 0)
    return out


_CLOSES = {"）": "（", ")": "(", "》": "《", "”": "“", "」": "「", "』": "『", "】": "【", "〕": "〔"}
_OPENS = frozenset(_CLOSES.values())
#: Cost of a closing mark with no opening one before it (in a window of a few characters,
#: where the choice is between an opening mark and a character: （一） rather than 唯一）).
BRACKET_COST = 3.0


@dataclass
class _Chain:
    """A hypothesis read by the bigram model: the chain of candidate slots with context, the
    best choice, the max-marginals, and where the run's slots are."""

    hyp: _Hyp
    slots: list[tuple[str, ...]]
    masks: dict[int, np.ndarray]
    idx: list[int]
    marg: dict[int, np.ndarray]  # of each slot of several candidates
    lo: int
    hi: int
    observed: str
    unknown_tail: bool  # an ASCII byte was swallowed and cannot be told: marked
    gain: float  # bigram gain less the prior cost
    shown: str = ""  # the swallowed byte where the context tells it
    prior: float = 0.0  # the cost of reading inner ? as full-width ？


@lru_cache(maxsize=1 << 14)
def _context(s: str) -> str:
    """``s`` as the models read it beside a run: without its glosses, each year one token
    (each only where it can be: a gloss ends with ``)``, a year is followed by 年)."""
    if ")" in s:
        s = _GLOSS.sub("", s)
    return mark_years(s) if "年" in s else s


class _Around(NamedTuple):
    """What a chain reads around a run: the context before and after it (as the models read
    it), the text as it stands with that context, the ASCII byte swallowed with the run's
    last byte (``()``: none; None: one that cannot be told; else its candidates) and how it
    is shown, and the reading that a gloss after the run gives its last character."""

    left: str
    right: str
    observed: str
    swallow: tuple[str, ...] | None
    shown: str
    reading: str | None


def _around(text: str, h: _Hyp) -> _Around:
    """What a chain of ``h`` reads around the run (see :class:`_Around`)."""
    start, end = h.start, h.end
    nxt = text[end:end + 1]  # (the text after the run is read in place: a page is long)
    gloss = None
    swallow: tuple[str, ...] | None = ()
    shown = ""
    consumed = 0  # characters after the run that the context token of a year stands for
    if h.close == "pair" and h.opened and nxt and nxt != "\n":
        year = _YEAR_AT.match(text, end)
        gloss = _GLOSS_TAIL_AT.match(text, end) if nxt != "(" else None
        digits = tuple(d for d in "0123456789"
                       if year and 1949 <= int(d + text[end:end + 3]) <= 2100)
        if gloss:
            swallow, shown = ("(",), "("
        elif year and len(digits) == 1:  # the digit that makes a year: the year is a token
            swallow, shown, consumed = (YEAR,), digits[0], 3
        elif year and digits:
            swallow = digits
        else:
            swallow = None
    elif h.close != "trail" or nxt == "(":
        gloss = _GLOSS_AT.match(text, end)
    left = _context(text[max(0, start - 6 * CONTEXT):start])[-CONTEXT:]
    at = end + consumed
    right = "" if swallow is None else _context("(" * (shown == "(") + text[
        at:at + 6 * CONTEXT])[:CONTEXT]
    return _Around(left, right, left + text[start:at] + right, swallow, shown,
                   toneless(gloss.group(1)) if gloss else None)


def _keep_read(run: list[tuple[str, ...]], masks: dict[int, np.ndarray], reading: str
               ) -> bool:
    """Keep the candidates of the run's last character that ``reading`` reads (and the
    columns of a mask into it); whether any is left."""
    keep = [i for i, c in enumerate(run[-1]) if reading in readings_of(c)]
    if keep:
        run[-1] = tuple(run[-1][i] for i in keep)
        last = len(run) - 1
        if last in masks:
            masks[last] = masks[last][:, keep]
    return bool(keep)


def _chain(text: str, h: _Hyp, model: CharModel) -> list[_Chain]:
    """The best reading of ``h`` under the bigram model, for each reading of its inner
    ``?``, if it reads well enough to be read again (:data:`SCREEN_GAIN`): the others are
    not used. A chain whose bound (:func:`_gain_bound`) is below that is not read."""
    runs = [(variant, found) for variant in _variants(text, h)
            if (found := _run_slots(text, h, variant)) is not None]
    if not runs:
        return []  # (no reading of its bytes: nothing else to look at)
    _focus(model, h)
    left, right, observed, swallow, shown, reading = _around(text, h)
    cost = h.cost(text)
    base = None  # the score of the text as it stands, and the cost (once a chain is read)
    out = []
    for variant, (run, run_masks) in runs:
        if reading is not None and not _keep_read(run, run_masks, reading):
            continue
        slots = [(c,) for c in left] + run + ([swallow] if swallow else []) + [
            (c,) for c in right]
        prior = -QUESTION_COST * sum(variant)
        if not run_masks and _gain_bound(slots, observed, (len(left), len(right)), model) - (
                cost - prior) < SCREEN_GAIN - BOUND_SLACK:
            continue
        masks = {j + len(left): m for j, m in run_masks.items()}
        chain = _Viterbi(slots, model, masks)
        total = chain.total
        if not math.isfinite(total):
            continue
        if base is None:
            base = model.score(observed) + cost
        gain = total - base + prior
        if gain < SCREEN_GAIN:
            continue
        idx, marg = chain.decode()
        hi = len(slots) - len(right) - (shown != "")
        out.append(_Chain(h, slots, masks, idx, marg, len(left), hi, observed, swallow is None,
                          gain, shown, prior))
    return out


@lru_cache(maxsize=4096)
def _punctuation_options(options: tuple[str, ...]) -> tuple[int, ...]:
    """The positions of the punctuation marks among ``options``."""
    return tuple(i for i, o in enumerate(options) if o in _CJK_PUNCT)


def _evaluate(ch: _Chain, text: str, model: CharModel) -> _Reading:
    """The reading of a chain with the word model: the uncertain characters re-read among
    their best candidates, marked when not clearly best; the gain over the text as it
    stands."""
    _focus(model, ch.hyp)
    slots, lo, hi = ch.slots, ch.lo, ch.hi
    idx = list(ch.idx)
    chosen = [s[i] for s, i in zip(slots, idx, strict=True)]

    def fits(j: int, o: int) -> bool:  # with the characters chosen beside it
        return (j not in ch.masks or np.isfinite(ch.masks[j][idx[j - 1], o])) and (
            j + 1 not in ch.masks or np.isfinite(ch.masks[j + 1][o, idx[j + 1]]))

    def prior(j: int, o: int) -> float:  # a full-width ？ read in an inner ?
        return (ch.masks[j][idx[j - 1], o] if j in ch.masks else 0.0) + (
            ch.masks[j + 1][o, idx[j + 1]] if j + 1 in ch.masks else 0.0)

    margins: dict[int, float] = {}
    second: dict[int, str] = {}
    best_two: dict[int, float] = {}  # the bigram's gap between its best two
    for j in range(lo, hi):
        if len(slots[j]) == 1:
            continue
        # the best candidates by the bigram model, and every punctuation mark (which the
        # bigram model rates by class only)
        marg = ch.marg[j]
        order = (-marg).argsort(kind="stable")
        ranked = order[:TOP_K].tolist()
        # (the best two by the bigram model are the first two of that order: np.sort's last)
        best_two[j] = float(marg[ranked[0]] - marg[ranked[1]]) if len(marg) > 1 else np.inf
        punct = _punctuation_options(slots[j])
        if punct:  # the marks beyond the first TOP_K, in the same order
            rank = np.empty(len(order), dtype=np.intp)
            rank[order] = np.arange(len(order))
            ranked += sorted((o for o in punct if rank[o] >= TOP_K), key=rank.__getitem__)
        finite = np.isfinite(marg)
        top = [o for o in ranked if finite[o] and fits(j, o)] if ch.masks else [
            o for o in ranked if finite[o]]
        a, b = max(0, j - RESCORE_SPAN), j + RESCORE_SPAN + 1  # the rest is common to all
        values = _option_scores(model, "".join(chosen[a:j]), [slots[j][o] for o in top],
                                "".join(chosen[j + 1:b]))
        scored = sorted(((v + prior(j, o), o) for v, o in zip(values, top, strict=True)),
                        reverse=True) if ch.masks else sorted(
            ((v + 0.0, o) for v, o in zip(values, top, strict=True)), reverse=True)
        idx[j] = scored[0][1]
        chosen[j] = slots[j][scored[0][1]]
        margins[j] = scored[0][0] - scored[1][0] if len(scored) > 1 else np.inf
        second[j - lo] = slots[j][scored[1][1]] if len(scored) > 1 else ""
    gain = _score("".join(chosen), model) - _score(ch.observed, model) - ch.hyp.cost(text) + (
        ch.prior)
    bigram = [s[i] for s, i in zip(slots, ch.idx, strict=True)]
    gaps = {j - lo: (best_two[j], margins[j]) for j in margins}
    fixed = {j for j in range(len(slots)) if len(slots[j]) == 1 and slots[j] != (MARK,)}
    lonely = frozenset(j - lo for j in margins if j - 1 in fixed and j + 1 in fixed)
    return _Reading(ch.hyp, gain, "".join(chosen[lo:hi]) + ch.shown,
                    "".join(bigram[lo:hi]) + ch.shown, gaps, ch.unknown_tail, lonely, second)


def _rare_chars(model: CharModel) -> frozenset[str]:
    """GBK characters that a page rarely has and a shifted run often does: ideographs whose
    Simplified form is rare, and symbols other than Chinese punctuation."""
    out = set()
    for a in range(0x81, 0xFF):
        for b in range(0x40, 0xFF):
            try:
                c = bytes([a, b]).decode("gbk")
            except UnicodeDecodeError:
                continue
            if len(c) != 1 or c in _CJK_PUNCT or c in _SYMBOLS or "\uff01" <= c <= "\uff5e":
                continue
            han = "\u3400" <= c <= "\u9fff" or "\uf900" <= c <= "\ufaff"
            if not han or model.uni.get(model.char(c), 0) < RARE_COUNT:
                out.add(c)
    return frozenset(out)


@cache
def _signs() -> re.Pattern[str]:
    """A ``?`` or an ASCII letter or symbol (``@``–``~``) after or before a character that
    is not ASCII, or a rare character. Each alternative begins with its character (the
    neighbour looked at after it), which lets the engine skip every other one quickly."""
    rare = "".join(sorted(_rare_chars(CharModel.default())))
    return re.compile(r"[?\x40-\x7e](?:(?<=[^\x00-\x7f][?\x40-\x7e])|(?=[^\x00-\x7f]))|"
                      f"[{re.escape(rare)}]")


#: What a gloss is written over to look for signs of damage: no sign, not ASCII, not GBK.
_FILLER = "\uffff"


def _unglossed(text: str) -> str:
    """``text`` with each gloss written over by spaces, its first character by
    :data:`_FILLER` if not ASCII: no sign of damage inside, and the same ASCII characters or
    others beside it (all that a sign outside looks at)."""
    pieces, at = [], 0
    for start, end in _gloss_spans(text):
        first = " " if text[start].isascii() else _FILLER
        pieces += [text[at:start], first, " " * (end - start - 1)]
        at = end
    pieces.append(text[at:])
    return "".join(pieces)


#: A lone ASCII symbol this often between Chinese words on one page separates them (a menu:
#: 福建|时评|大学城); shifted runs do not repeat one symbol so.
SEPARATOR_COUNT = 3


def _separators(text: str) -> set[str]:
    """ASCII symbols (not letters, digits or ``?``) standing alone between Chinese characters
    at least :data:`SEPARATOR_COUNT` times."""
    seen = Counter(m.group(1) for m in _LONE_SYMBOL.finditer(text))
    return {c for c, n in seen.items() if n >= SEPARATOR_COUNT}


_LONE_SYMBOL = re.compile(  # (the symbol first, looked behind: the engine skips to one)
    r"([\x40\x5b-\x60\x7b-\x7e])(?<=[\u3400-\u9fff][\x40\x5b-\x60\x7b-\x7e])(?=[\u3400-\u9fff])")


def _asks(text: str, i: int) -> bool:
    """Whether the clause that ends with the ``?`` at ``i`` asks something (是什么?): a
    question mark, not a lost byte."""
    head = text[max(0, i - 30):i]
    cut = _CLAUSE_START.search(head)
    return bool(_QUESTION.search(head[cut.start() + 1:] if cut else head))


def _spots(text: str, model: CharModel) -> list[int]:
    """Places that look damaged: a ``?`` or an ASCII letter beside Chinese text, or a rare
    character that forms no pair of the dictionary with either neighbour. Not a sign: a
    symbol that separates items all over the page, a ``?`` that ends a question followed by
    ASCII (是什么?.mp3)."""
    out = []
    separators: set[str] | None = None
    for m in _signs().finditer(_unglossed(text) if ")" in text else text):
        i = m.start()
        c = text[i]
        if c == "?" and text[i + 1:i + 2].isascii() and text[i - 1:i] and (
                not text[i - 1].isascii()) and _asks(text, i):
            continue
        if c != "?" and c.isascii():
            if not _lone(text, i, text[i - 1:i] == "?"):
                continue  # a letter of a word or code (GDP, Mate60)
            if separators is None:
                separators = _separators(text)
            if c in separators:
                continue
        if not c.isascii():
            if _in_pair(model, text[i - 1] if i else "", c, text[i + 1:i + 2]):
                continue
            if text.count(text[max(0, i - 1):i + 2]) > 1:
                continue  # the page has it again (a name): a shifted run does not repeat
        out.append(i)
    return out


@lru_cache(maxsize=1 << 14)
def _in_pair(model: CharModel, before: str, c: str, after: str) -> bool:
    """Whether ``c`` forms a pair of the dictionary with the character before or after it
    ("" for none). (Memoised: the rare characters of a page are read on each pass.)"""
    f = model.char(c)
    before = model.char(before) if before else ""
    after = model.char(after) if after else ""
    return bool((before and model.bi.get(before + f)) or (after and model.bi.get(f + after)))


#: A ``?`` followed by the tail of a gloss whose opening was lost: damage we cannot rebuild.
_ORPHAN_GLOSS = re.compile(r"\?[a-zāáǎàēéěèīíǐìōóǒòūúǔùüǘǚǜ]{1,6}\)")

#: Per-character log-likelihood below which the text after a ``?`` reads as shifted GBK
#: (ordinary Chinese text scores about −5 to −7, shifted runs −11 to −14).
DAMAGED = -10.5


def _reads_damaged(text: str, start: int, model: CharModel) -> bool:
    """A genuine question mark (mirrors write ``？`` as ``?``) is followed by ordinary text."""
    run = []
    for c in text[start + 1:start + 9]:
        if c.isascii() or _bytes_of(c) is None:
            break
        run.append(c)
    return len(run) >= 3 and model.per_char("".join(run)) < DAMAGED


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


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


class _Page:
    """The character model with what the page itself says: the pairs of characters that it
    uses elsewhere (a page repeats its words: 上海科創 …). Not counted: the stretch around
    the reading in hand, and around every sign of damage. Where the page has ``ab``, P(b|a)
    is mixed with its share of ``a``'s successors there, at weight :data:`PAGE_WEIGHT`.

    The page's share of a pair and each mixed transition depend only on the pair and the
    pairs of the page that the window (:attr:`window`) leaves out: they are memoised by
    those (the readings of one place mostly leave out the same ones, or none).

    The pairs are indexed by one sort of their codes; a reading asks about the pairs of a few
    characters only, so the pairs of a character (:meth:`_successors`) are gathered from that
    index when first asked for; whether a row or column of options meets a pair of the page
    is told by the few pairs of its character (:meth:`_hits`)."""

    def __init__(self, model: CharModel, text: str, spots: list[int]):
        self.model = model
        codes = model.simplified_codes(text)
        # the characters that count: Chinese ones (as _HAN), away from every sign of damage
        good = ((codes >= 0x3400) & (codes <= 0x9FFF)) | ((codes >= 0xF900) & (codes <= 0xFAFF))
        for i in spots:
            good[max(0, i - PAGE_MARGIN):i + PAGE_MARGIN + 1] = False
        # the page's pairs (first code << 21 | second code) in one stable sort: the positions
        # of a pair, and the pairs of a first character, are consecutive, positions in order
        at = np.flatnonzero(good[:-1] & good[1:])
        key = (codes[at].astype(np.int64) << 21) | codes[at + 1].astype(np.int64)
        order = key.argsort(kind="stable")
        self._keys = key[order]
        self._at: list[int] = at.tolist()  # every pair's position, in order
        # the codes in that order (for bisect), and as a set: whether the page has a pair is
        # asked for every new transition, where each first character's pairs are only for
        # the few it has
        self._sorted: list[int] = self._keys.tolist()
        self._where: list[int] = at[order].tolist()  # the position of each, in that order
        self._has = set(self._sorted)
        self._spans: dict[str, tuple[int, int] | None] = {}
        self._leads: set[int] | None = None  # every first code (gathered when asked for)
        # gathered when first asked for: where each pair is (by first character, then
        # second), where each pair's first character is; the pairs by their second code
        self._pairs: dict[str, dict[str, list[int]]] = {}
        self._firsts: dict[str, list[int]] = {}
        self._by_second: list[int] | None = None
        self._window = (0, 0)  # not counted: the reading in hand
        # memos for each set of pairs left out (self._at[lo:hi] as (lo, hi); none as (0, 0))
        self._memos: dict[tuple[int, int], tuple[dict, dict]] = {}
        self._shares: dict[tuple[str, str], float] = {}  # the window's
        self._transition: dict[tuple[str, str], float] = {}  # the window's
        self._memos[self._window] = (self._shares, self._transition)
        # memos that do not depend on the window: transitions between characters that the
        # page has no pair of, and the page's pairs among tuples of options
        self._plain: dict[tuple[str, str], float] = {}
        self._matrices: dict[tuple[tuple[str, ...], tuple[str, ...]], list] = {}
        # the rows and columns asked for that the page has no pair in (the model's own),
        # by what they were asked for by: one look-up when asked again
        self._model_rows: dict[tuple[str, tuple[str, ...]], np.ndarray] = {}
        self._model_cols: dict[tuple[tuple[str, ...], str], np.ndarray] = {}

    @property
    def window(self) -> tuple[int, int]:
        return self._window

    @window.setter
    def window(self, value: tuple[int, int]) -> None:
        if value != self._window:
            self._window = value
            # the pairs left out are self._at[lo:hi]: windows that leave out the same ones
            # count alike, so they share their memos
            lo, hi = bisect_left(self._at, value[0]), bisect_left(self._at, value[1])
            key = (lo, hi) if lo < hi else (0, 0)
            self._shares, self._transition = self._memos.setdefault(key, ({}, {}))

    @property
    def words(self):
        return self.model.words

    def alone(self, c: str) -> float:
        return self.model.alone(c)  # (the page has no say in how a text begins)

    def first(self, c: str) -> float:
        return self.model.first(c)  # (as alone)

    def char(self, c: str) -> str:
        return self.model.char(c)

    def _span(self, fa: str) -> tuple[int, int] | None:
        """Where the pairs ``fa…`` are in the sorted index (None: the page has none)."""
        span = self._spans.get(fa, ())
        if span == ():
            code = ord(fa) << 21
            lo = bisect_left(self._sorted, code)
            hi = bisect_left(self._sorted, code + (1 << 21), lo)
            span = self._spans[fa] = (lo, hi) if lo < hi else None
        return span

    def _lead_codes(self) -> set[int]:
        """The codes of the first characters of the page's pairs."""
        if self._leads is None:
            self._leads = set((self._keys >> 21).tolist())
        return self._leads

    def _reversed_keys(self) -> list[int]:
        """The page's pairs as second code << 21 | first code, sorted (built when asked for)."""
        if self._by_second is None:
            self._by_second = np.sort(((self._keys & _LOW) << 21) | (self._keys >> 21)).tolist()
        return self._by_second

    def _successors(self, fa: str) -> dict[str, list[int]] | None:
        """Where each pair ``fa b`` that the page has is, by ``b`` (None: no pair ``fa…``)."""
        succ = self._pairs.get(fa)
        if succ is None:
            span = self._span(fa)
            if span is None:
                return None
            lo, hi = span
            succ = self._pairs[fa] = {}
            for k, i in zip(self._sorted[lo:hi], self._where[lo:hi], strict=True):
                succ.setdefault(chr(k & _LOW), []).append(i)
        return succ

    def _first_positions(self, fa: str) -> list[int]:
        """Where the pairs ``fa…`` that the page has are, in order."""
        where = self._firsts.get(fa)
        if where is None:
            lo, hi = self._span(fa)  # type: ignore[misc]
            where = self._firsts[fa] = sorted(self._where[lo:hi])
        return where

    def _count(self, positions: list[int]) -> int:
        lo, hi = self._window
        return len(positions) - (bisect_left(positions, hi) - bisect_left(positions, lo))

    def _share(self, a: str, b: str) -> float:
        """PAGE_WEIGHT times the page's share of ``ab`` among the pairs ``a…`` outside the
        window (0 when the page has none there)."""
        key = (a, b)
        v = self._shares.get(key)
        if v is None:
            succ = self._successors(a)
            where = succ.get(b) if succ else None
            n = self._count(where) if where else 0
            v = PAGE_WEIGHT * n / self._count(self._first_positions(a)) if n else 0.0
            self._shares[key] = v
        return v

    def _mixed(self, lp: float, a: str, b: str) -> float:
        """log P(b|a) mixed with the page's share, if the page has ``ab``."""
        share = self._share(a, b)
        if not share:
            return lp
        return math.log((1 - PAGE_WEIGHT) * math.exp(lp) + share)

    def transition(self, a: str, b: str) -> float:
        key = (a, b)
        v = self._plain.get(key)  # a pair the page does not have: the model's value
        if v is not None:
            return v
        v = self._transition.get(key)
        if v is None:
            v, code = self.model.pair(a, b)
            if code in self._has:
                v = self._transition[key] = self._mixed(v, chr(code >> 21), chr(code & _LOW))
            else:
                self._plain[key] = v
        return v

    def _row_hits(self, fa: str, options: tuple[str, ...]) -> list[tuple[str, list[int]]]:
        """The options ``o`` (folded form, positions) of pairs ``fa o`` that the page has."""
        return self._hits(_pairs_of(self._sorted, ord(fa)), options)

    def _column_hits(self, options: tuple[str, ...], fb: str) -> list[tuple[str, list[int]]]:
        """The options ``o`` (folded form, positions) of pairs ``o fb`` that the page has."""
        return self._hits(_pairs_of(self._reversed_keys(), ord(fb)), options)

    def _hits(self, pairs: list[int], options: tuple[str, ...]) -> list[tuple[str, list[int]]]:
        """The options whose folded form's code is the low code of one of ``pairs`` (folded
        form, positions)."""
        if not pairs:
            return []
        found = {k & _LOW for k in pairs} & _codes(self.model, options)  # (pairs are few)
        if not found:
            return []
        positions = self.model._option_table(options)[3]  # folded form -> indices
        return [(chr(x), positions[chr(x)]) for x in found]

    def transitions(self, a: str, options: tuple[str, ...]) -> np.ndarray:
        key = (a, options)
        out = self._model_rows.get(key)  # a row with none of the page's pairs, read before
        if out is not None:
            return out
        out = self.model.transitions(a, options)
        if a:
            fa = self.model.char(a)
            if hits := self._row_hits(fa, options):  # (mixed by the window's counts: not kept)
                out = out.copy()
                for f, where in hits:
                    for i in where:
                        out[i] = self._mixed(out[i], fa, f)
                return out
        self._model_rows[key] = out
        return out

    def transitions_into(self, options: tuple[str, ...], b: str) -> np.ndarray:
        out = self._model_cols.get((options, b))  # (as _model_rows)
        if out is not None:
            return out
        out = self.model.transitions_into(options, b)
        fb = self.model.char(b)
        if hits := self._column_hits(options, fb):
            out = out.copy()  # the model's array is shared by its memo
            for f, where in hits:
                for i in where:
                    out[i] = self._mixed(out[i], f, fb)
        else:
            self._model_cols[(options, b)] = out
        return out

    def _matrix_hits(self, rows: tuple[str, ...], options: tuple[str, ...]
                     ) -> list[tuple[int, str, list[tuple[str, list[int]]]]]:
        """The cells of pairs that the page has in a matrix: (row, its folded form, the
        options' hits) for each row that has some (memoised)."""
        key = (rows, options)
        hits = self._matrices.get(key)
        if hits is None:
            firsts = self.model._option_table(rows)[3]  # folded form -> rows
            hits = []
            for code in self._lead_codes() & _codes(self.model, rows):
                fa = chr(code)
                if row_hits := self._row_hits(fa, options):
                    hits += [(r, fa, row_hits) for r in firsts[fa]]
            self._matrices[key] = hits
        return hits

    def transition_matrix(self, rows: tuple[str, ...], options: tuple[str, ...]
                          ) -> np.ndarray:
        """``transitions(a, options)`` for every ``a`` in ``rows``, stacked."""
        out = self.model.transition_matrix(rows, options)
        if hits := self._matrix_hits(rows, options):
            out = out.copy()  # the model's matrix is shared by its memo
            # (in any order: each cell is changed once at most, from its own value)
            for r, fa, row_hits in hits:
                row = out[r]
                for f, where in row_hits:
                    for i in where:
                        row[i] = self._mixed(row[i], fa, f)
        return out

    def row_max(self, a: str, options: tuple[str, ...]) -> float:
        """The largest of ``transitions(a, options)``."""
        if a and self._row_hits(self.model.char(a), options):
            return float(_max(self.transitions(a, options)))
        return self.model.row_max(a, options)

    def column_max(self, options: tuple[str, ...], b: str) -> float:
        """The largest of ``transitions_into(options, b)``."""
        if self._column_hits(options, self.model.char(b)):
            return float(_max(self.transitions_into(options, b)))
        return self.model.column_max(options, b)

    def matrix_max(self, rows: tuple[str, ...], options: tuple[str, ...]) -> float:
        """The largest of ``transition_matrix(rows, options)``."""
        if self._matrix_hits(rows, options):
            return float(_max(_max(self.transition_matrix(rows, options))))
        return self.model.matrix_max(rows, options)

    def score(self, text: str) -> float:
        if not text:
            return 0.0
        total = self.model.first(text[0])
        plain, transition = self._plain, self.transition
        for ab in itertools.pairwise(text):
            v = plain.get(ab)  # the common case, inline
            total += v if v is not None else transition(*ab)
        return total


@lru_cache(maxsize=4096)
def _codes(model: CharModel, options: tuple[str, ...]) -> frozenset[int]:
    """The codes of the folded forms of ``options`` (memoised: GBK byte classes recur)."""
    return frozenset(ord(model.char(o)) for o in options)


#: The second code of a pair's code (first << 21 | second).
_LOW = (1 << 21) - 1


def _pairs_of(keys: list[int], code: int) -> list[int]:
    """The pair codes of sorted ``keys`` whose first code is ``code``."""
    lo = bisect_left(keys, code << 21)
    return keys[lo:bisect_left(keys, (code + 1) << 21, lo)]


def _focus(model: CharModel, h: _Hyp) -> None:
    """Leave the reading in hand, with its context, out of the page's counts."""
    if isinstance(model, _Page):
        model.window = (h.start - 2 * CONTEXT - 1, h.end + 2 * CONTEXT + 1)


_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
#: Weight of the page's own pairs, how far around a sign of damage the page is not read for
#: them, and the shortest text read for them (a sentence alone says too little).
PAGE_WEIGHT = 0.3
PAGE_MARGIN = 20
PAGE_MIN = 300


def _readings(text: str, spots: list[int], model: CharModel) -> list[_Reading]:
    """The best readings around the signs of damage: estimated, the best of each place
    read exactly by the bigram model, the best few of those with the word model."""
    if len(text) >= PAGE_MIN:
        model = _Page(model, text, spots)  # type: ignore[assignment]
    scan = _Scan(text, model.model if isinstance(model, _Page) else model)
    chains: dict[_Hyp, list[_Chain]] = {}
    covered: list[tuple[int, int]] = []  # inside a run already read well: no place of its own
    for spot in spots:
        if any(a < spot < b for a, b in covered):
            continue
        estimates = sorted(((e, h) for h, e in _hypotheses(scan, spot) if h not in chains),
                           key=lambda x: -x[0])
        for _, h in estimates[:EXACT]:
            chains[h] = _chain(text, h, model)
            if any(c.gain >= COVERED_GAIN for c in chains[h]):
                covered.append((h.start, h.end))
    # the word model re-reads the best few readings of each place (of those that _chain
    # kept: a bigram gain of SCREEN_GAIN or more)
    readings: list[_Reading] = []
    done: list[tuple[int, int]] = []
    for ch in sorted((c for cs in chains.values() for c in cs), key=lambda c: -c.gain):
        span = (ch.hyp.start, ch.hyp.end)
        if sum(_overlap(span, d) for d in done) >= RESCORED:
            continue
        done.append(span)
        readings.append(_evaluate(ch, text, model))
    return readings


def _common(a: str, b: str) -> int:
    """Length of the common prefix."""
    return next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y),
                min(len(a), len(b)))


def _merge(text: str, r: _Reading, o: _Reading) -> Edit | None:
    """Where two readings of the same run end (or begin) alike but disagree before (or
    after): what they agree on, the rest marked."""
    if r.span[1] == o.span[1]:
        n = _common(r.text[::-1], o.text[::-1])
        if n and n < min(len(r.text), len(o.text)):
            return Edit(min(r.span[0], o.span[0]), r.span[1], MARK + r.text[len(r.text) - n:],
                        "gbk-shift")
    elif r.span[0] == o.span[0]:
        n = _common(r.text, o.text)
        if n:
            return Edit(r.span[0], max(r.span[1], o.span[1]), r.text[:n] + MARK, "gbk-shift")
    return None


def _select(text: str, spots: list[int], readings: list[_Reading], model: CharModel
            ) -> list[Edit]:
    """The readings to apply (best first, clear of any rival), marks for the rest."""
    readings = sorted(readings, key=lambda r: -r.gain)
    edits: list[Edit] = []
    taken: list[tuple[int, int]] = []

    def applied(x: _Reading) -> str:
        return (text[:x.span[0]] + x.text + text[x.span[1]:]).replace("?", MARK)

    def disagree(x: _Reading, y: _Reading) -> bool:  # a mark agrees with anything
        a, b = applied(x), applied(y)
        if len(a) != len(b):
            return True
        # the same length: they can differ only between the first start and the last end
        lo = min(x.span[0], y.span[0])
        hi = len(a) - (len(text) - max(x.span[1], y.span[1]))
        return any(p != q and MARK not in (p, q) for p, q in zip(a[lo:hi], b[lo:hi],
                                                                 strict=False))

    for i, r in enumerate(readings):
        if r.gain < MIN_GAIN:
            break
        if any(_overlap(r.span, t) for t in taken):
            continue
        if not r.hyp.opened and not r.text.replace(MARK, ""):
            taken.append(r.span)  # a run that left no ? and of which nothing can be told
            continue
        rival = next((o for o in readings[i + 1:] if _overlap(o.span, r.span)
                      and disagree(o, r)), None)
        if rival is not None and r.gain - max(rival.gain, 0.0) < MIN_MARGIN:
            merged = _merge(text, r, rival) if rival.gain >= MIN_GAIN else None
            if merged is not None and not any(_overlap((merged.start, merged.end), t)
                                              for t in taken):
                edits.append(merged)
                taken.append((merged.start, merged.end))
            else:
                taken.append(r.span)  # too uncertain to touch
            continue
        taken.append(r.span)
        edits.append(Edit(r.span[0], r.span[1], r.text, "gbk-shift"))
    # a ? right before or after a rebuilt run is a character lost with it
    for e in list(edits):
        for i in (e.start - 1, e.end):
            if 0 <= i < len(text) and text[i] == "?" and not any(
                    t[0] <= i < t[1] for t in taken):
                edits.append(Edit(i, i + 1, MARK, "gbk-shift-unrecovered"))
                taken.append((i, i + 1))
    # the lost character's gloss tail goes with it into the mark
    edits += [Edit(m.start(), m.end(), MARK, "gbk-shift-unrecovered")
              for m in _ORPHAN_GLOSS.finditer(text)
              if not any(_overlap((m.start(), m.end()), t) for t in taken)]
    for i in (s for s in spots if text[s] == "?"):
        if any(t[0] <= i < t[1] for t in taken) or i + 1 == len(text):
            continue
        if "\x40" <= text[i + 1] <= "\x7e" and _lone(text, i + 1, True):
            # ?W: the lost byte, and the second byte of its character
            edits.append(Edit(i, i + 2, MARK, "gbk-shift-unrecovered"))
            taken.append((i, i + 2))
        elif _reads_damaged(text, i, model):
            edits.append(Edit(i, i + 1, MARK, "gbk-shift-unrecovered"))
    edits.sort(key=lambda e: e.start)
    edits = [e for i, e in enumerate(edits) if i == 0 or e.start >= edits[i - 1].end]
    edits += [Edit(m.start(), m.end(), MARK, "gbk-shift-unrecovered")
              for m in _LOST_BEFORE_DIGIT.finditer(text)
              if not any(_overlap(m.span(), t) for t in taken)]
    edits.sort(key=lambda e: e.start)
    edits = [e for i, e in enumerate(edits) if i == 0 or e.start >= edits[i - 1].end]
    edits += _stray_marks(text, edits)
    edits.sort(key=lambda e: e.start)
    return [e for i, e in enumerate(edits) if i == 0 or e.start >= edits[i - 1].end]


#: ``??`` between Chinese text and a digit: a lost character, and the digit swallowed with
#: its second byte.
_LOST_BEFORE_DIGIT = re.compile(r"\?(?<=[^\x00-\x7f]\?)\?(?=\d)")  # (the ? first: quick)


def damage_signs(text: str) -> list[int]:
    """Positions that look damaged (see :func:`_spots`): where the GBK repair would look."""
    return _spots(text, CharModel.default())


def fix_gbk_shift(text: str) -> list[Edit]:
    """Edits that repair (or mark) one-byte-shift GBK runs; see the module docstring."""
    model = CharModel.default()
    spots = _spots(text, model)
    if not spots:
        return []
    return _select(text, spots, _readings(text, spots, model), model)
