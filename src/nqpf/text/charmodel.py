"""A character bigram model of Chinese, built from the word-frequency dictionary that jieba
ships (about 350,000 words with corpus counts) and a short hand-kept list of today's policy
vocabulary that the dictionary predates (``vocabulary.txt``: 算力, 新质生产力, 专精特新 …).
It scores how plausible a string is; the mojibake repair uses it to choose between byte
re-alignments.

Hand-written part (documented, no library provides it): punctuation, digits and Latin
letters are not in jieba's dictionary, so they get class probabilities typical of Chinese
news text, and a few particles that introduce years (到, 至, 于, 在 …) get a higher chance of
being followed by a digit.

>>> m = CharModel.default()
>>> m.score("到2025年") > m.score("的2025年")
True
>>> m.score("上海科创") > m.score("虾？苿创")
True
>>> m.score("全省算力规模") > m.score("全省算对规模")  # 算力 comes from vocabulary.txt
True
"""

from __future__ import annotations

import itertools
import math
import unicodedata
from collections import Counter
from functools import cache, cached_property, lru_cache
from importlib import resources

import numpy as np

__all__ = ["CharModel"]

#: Approximate per-character frequencies of punctuation in Chinese news text.
PUNCTUATION = {"，": 0.05, "。": 0.03, "、": 0.01, "：": 0.005, "；": 0.002, "“": 0.004,
               "”": 0.004, "《": 0.003, "》": 0.003, "（": 0.002, "）": 0.002, "！": 0.0005,
               "？": 0.0008, "—": 0.001, "…": 0.0003}
DIGIT = 0.02
LATIN = 0.005
OTHER = 1e-7
#: Characters that often precede a year or a number in policy text.
BEFORE_DIGIT = {"到": 0.25, "至": 0.25, "于": 0.15, "在": 0.1, "从": 0.1, "自": 0.1,
                "年": 0.05, "第": 0.3, "约": 0.2, "达": 0.2, "超": 0.15, "为": 0.1, "比": 0.05,
                "近": 0.1, "共": 0.1, "计": 0.1, "增": 0.05, "长": 0.05, "：": 0.05,
                "，": 0.03, "（": 0.1}


#: The count given to each word of ``vocabulary.txt``: that of a common word in jieba's
#: dictionary (集成电路 has 520, 人工智能 151).
VOCABULARY_FREQ = 500


def _count(word: str, freq: int, uni: Counter, bi: Counter) -> None:
    for a in word:
        uni[a] += freq
    for a, b in itertools.pairwise(word):
        bi[a + b] += freq


def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


class CharModel:
    def __init__(self, unigrams: Counter, bigrams: Counter, weight: float = 0.5):
        self.uni = unigrams
        self.bi = bigrams
        self.total = sum(unigrams.values())
        self.lam = weight  # P(b|a) = λ·c(ab)/c(a) + (1 − λ)·P(b), for every transition
        self._conv = _t2s()
        self._chars: dict[str, str] = {}
        # log P(b|a) is a pure function of two characters: memoise it (bounded)
        self.transition = lru_cache(maxsize=1 << 20)(self._transition)

    @classmethod
    @cache
    def default(cls) -> CharModel:
        path = resources.files("jieba") / "dict.txt"
        uni: Counter = Counter()
        bi: Counter = Counter()
        with path.open(encoding="utf-8") as f:
            for line in f:
                parts = line.split(" ")
                if len(parts) < 2:
                    continue
                _count(parts[0], int(parts[1]), uni, bi)
        # today's policy vocabulary, which that dictionary predates (算力, 专精特新 …), and the
        # names of the provinces in full
        extra = (resources.files("nqpf.text") / "vocabulary.txt").read_text(encoding="utf-8")
        words = [w.strip() for w in extra.splitlines() if w.strip() and not w.startswith("#")]
        from nqpf import regions

        words += [p.name for p in regions.PROVINCES]
        for word in words:
            _count(word, VOCABULARY_FREQ, uni, bi)
        return cls(uni, bi)

    def _p_char(self, c: str) -> float:
        if c in PUNCTUATION:
            return PUNCTUATION[c]
        if c.isdigit():
            return DIGIT
        if c.isascii() and c.isalpha():
            return LATIN
        n = self.uni.get(c, 0)
        return (n + 0.5) / (self.total + 1) if n else OTHER

    def _logp(self, a: str, b: str) -> float:
        pb = self._p_char(b)
        if b.isdigit() and a in BEFORE_DIGIT:
            return math.log(max(pb, BEFORE_DIGIT[a]))
        ca = self.uni.get(a, 0)
        seen = self.bi.get(a + b, 0) / ca if ca else 0.0
        return math.log(self.lam * seen + (1 - self.lam) * pb)

    def char(self, c: str) -> str:
        """One character's Simplified, folded form (cached)."""
        out = self._chars.get(c)
        if out is None:
            out = _fold(self._conv.convert(c)[:1] or c)
            self._chars[c] = out
        return out

    def simplify(self, text: str) -> str:
        """Character-wise Simplified form (for scoring Traditional text with a Simplified
        dictionary); full-width ASCII is folded, CJK punctuation kept."""
        return "".join(self.char(c) for c in text)

    def _transition(self, a: str, b: str) -> float:
        """log P(b | a) for two raw characters (use ``transition``, the memoised form)."""
        return self._logp(self.char(a), self.char(b))

    @cached_property
    def _bigram_index(self) -> tuple[dict[str, dict[str, int]], dict[str, dict[str, int]]]:
        """The bigram counts indexed by their first character (successors) and by their
        second (predecessors), built in one pass."""
        after: dict[str, dict[str, int]] = {}
        before: dict[str, dict[str, int]] = {}
        for ab, n in self.bi.items():
            after.setdefault(ab[0], {})[ab[1]] = n
            before.setdefault(ab[1], {})[ab[0]] = n
        return after, before

    @lru_cache(maxsize=4096)  # noqa: B019 - one model per process; keyed by GBK byte classes
    def _option_counts(self, options: tuple[str, ...]) -> tuple[list[str], list[int]]:
        folded = [self.char(o) for o in options]
        return folded, [self.uni.get(f, 0) for f in folded]

    def transitions_into(self, options: tuple[str, ...], b: str) -> np.ndarray:
        """``transition(o, b)`` for every ``o`` in ``options``, as one array.

        >>> m = CharModel.default()
        >>> opts = ("上", "虾", "。")
        >>> [round(x, 6) for x in m.transitions_into(opts, "海")] == [
        ...     round(m.transition(o, "海"), 6) for o in opts]
        True
        """
        fb = self.char(b)
        pb = self._p_char(fb)
        out = np.full(len(options), math.log((1 - self.lam) * pb))
        preds = self._bigram_index[1].get(fb)
        folded, counts = self._option_counts(options)
        if preds:
            for i, (f, ca) in enumerate(zip(folded, counts, strict=True)):
                n = preds.get(f) if ca else None
                if n:
                    out[i] = math.log(self.lam * n / ca + (1 - self.lam) * pb)
        if fb.isdigit():  # years after 到, 至 …
            for i, f in enumerate(folded):
                if f in BEFORE_DIGIT:
                    out[i] = math.log(max(pb, BEFORE_DIGIT[f]))
        return out

    @lru_cache(maxsize=4096)  # noqa: B019 - one model per process; keyed by GBK byte classes
    def _option_table(self, options: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray,
                                                              dict[str, list[int]], bool]:
        """For a tuple of candidate characters: log((1 − λ)·P(o)) (a transition never seen
        in the dictionary), log P(o), the positions of each folded form, and whether any is a
        digit."""
        folded = [self.char(o) for o in options]
        p = [self._p_char(f) for f in folded]
        unseen = np.array([math.log((1 - self.lam) * x) for x in p])
        alone = np.array([math.log(x) for x in p])
        positions: dict[str, list[int]] = {}
        for i, f in enumerate(folded):
            positions.setdefault(f, []).append(i)
        return unseen, alone, positions, any(f.isdigit() for f in folded)

    def transitions(self, a: str, options: tuple[str, ...]) -> np.ndarray:
        """``transition(a, o)`` for every ``o`` in ``options``, as one array (``a == ""``:
        each option's own log-probability). Only the options seen after ``a`` in the
        dictionary are computed one by one; the rest share the unseen-bigram formula.

        >>> m = CharModel.default()
        >>> opts = ("海", "虾", "。")
        >>> [round(x, 6) for x in m.transitions("上", opts)] == [
        ...     round(m.transition("上", o), 6) for o in opts]
        True
        """
        unseen, alone, positions, digits = self._option_table(options)
        if not a:
            return alone
        if digits:  # years after 到, 至 …: the scalar rule
            return np.array([self.transition(a, o) for o in options])
        fa = self.char(a)
        ca = self.uni.get(fa, 0)
        succ = self._bigram_index[0].get(fa) if ca else None
        if not succ:
            return unseen
        out = unseen.copy()
        small, large = (succ, positions) if len(succ) < len(positions) else (positions, succ)
        for f in small:
            if f in large:
                n = succ[f]
                out[positions[f]] = math.log(self.lam * n / ca + (1 - self.lam) * self._p_char(f))
        return out

    def score(self, text: str) -> float:
        """Total log-probability of ``text`` (first character by its unigram probability)."""
        s = self.simplify(text)
        if not s:
            return 0.0
        total = math.log(self._p_char(s[0]))
        for a, b in itertools.pairwise(s):
            total += self._logp(a, b)
        return total

    def per_char(self, text: str) -> float:
        return self.score(text) / max(1, len(text))


_ASCII_PUNCT_TO_CJK = {",": "，", ":": "：", ";": "；", "!": "！", "?": "？", "(": "（",
                       ")": "）"}


def _fold(c: str) -> str:
    if c in _ASCII_PUNCT_TO_CJK:
        return _ASCII_PUNCT_TO_CJK[c]
    if "\uff01" <= c <= "\uff5e" and c not in "，：；！？（）":
        return unicodedata.normalize("NFKC", c)
    return c
