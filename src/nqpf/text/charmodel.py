"""A character bigram model of Chinese, built from the word-frequency dictionary that jieba
ships (about 350,000 words with corpus counts) and a short hand-kept list of today's policy
vocabulary that the dictionary predates (``vocabulary.txt``: 算力, 新质生产力, 专精特新 …).
It scores how plausible a string is; the mojibake repair uses it to choose between byte
re-alignments.

Hand-written part (documented, no library provides it): punctuation, digits and Latin
letters are not in jieba's dictionary, so they get class probabilities typical of Chinese
news text; a few particles that introduce numbers and years (到, 至, 于, 在 …) get a higher
chance of being followed by one (a year, four digits before 年, is one token:
:func:`mark_years`); opening marks are likelier after punctuation, closing quotes after the
end of a sentence.

:class:`WordModel` scores text by its best segmentation into the dictionary's words.

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
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from functools import cache, cached_property, lru_cache
from importlib import resources

import numpy as np

__all__ = ["YEAR", "CharModel", "WordModel", "mark_years"]

#: Approximate per-character frequencies of punctuation in Chinese news text.
PUNCTUATION = {"，": 0.05, "。": 0.03, "、": 0.01, "：": 0.005, "；": 0.002, "“": 0.004,
               "”": 0.004, "《": 0.003, "》": 0.003, "（": 0.002, "）": 0.002, "！": 0.0005,
               "？": 0.0008, "—": 0.001, "…": 0.0003}
DIGIT = 0.02
LATIN = 0.005
OTHER = 1e-7
#: Characters that often precede a year or a number in policy text.
#: A year (four digits before 年) is one token, :data:`YEAR`, in text given to the model
#: (see :func:`mark_years`); these characters often precede one, the rest seldom do (第2025年
#: is no phrase, 第3 is).
YEAR = "\U000f0001"
BEFORE_YEAR = {"到": 0.3, "至": 0.3, "于": 0.15, "在": 0.15, "从": 0.15, "自": 0.1, "为": 0.05,
               "，": 0.05, "：": 0.05, "（": 0.1, "、": 0.05, "—": 0.2, "年": 0.05}
YEAR_OTHER = 0.002
#: Opening marks follow punctuation far more often than a character (。《, ：“), and a
#: closing quote mark ends a quoted sentence after its final punctuation (。”, ！」).
OPENING = frozenset("《“「『（【〔‘")
CLOSING_QUOTE = frozenset("”’」』")
SENTENCE_END = frozenset("。！？…")
AFTER_PUNCTUATION = 5.0
BEFORE_DIGIT = {"到": 0.25, "至": 0.25, "于": 0.15, "在": 0.1, "从": 0.1, "自": 0.1,
                "年": 0.05, "第": 0.3, "约": 0.2, "达": 0.2, "超": 0.15, "为": 0.1, "比": 0.05,
                "近": 0.1, "共": 0.1, "计": 0.1, "增": 0.05, "长": 0.05, "：": 0.05,
                "，": 0.03, "（": 0.1}


#: The maximum along the first axis (all of a vector), without ``ndarray.max``'s wrapper.
_max = np.maximum.reduce

#: The count given to each word of ``vocabulary.txt``: that of a common word in jieba's
#: dictionary (集成电路 has 520, 人工智能 151).
VOCABULARY_FREQ = 500


def _count(word: str, freq: int, uni: Counter, bi: Counter,
           edges: tuple[Counter, Counter] | None = None) -> None:
    for a in word:
        uni[a] += freq
    for a, b in itertools.pairwise(word):
        bi[a + b] += freq
    if edges is not None:  # how often a word begins, and ends, with each character
        edges[0][word[0]] += freq
        edges[1][word[-1]] += freq


def _dictionary() -> Iterator[tuple[str, int]]:
    """The words and counts of jieba's dictionary, then today's policy vocabulary, which that
    dictionary predates (算力, 专精特新 …), and the names of the provinces in full, each with
    :data:`VOCABULARY_FREQ`."""
    with (resources.files("jieba") / "dict.txt").open(encoding="utf-8") as f:
        for line in f:
            parts = line.split(" ")
            if len(parts) >= 2:
                yield parts[0], int(parts[1])
    extra = (resources.files("nqpf.text") / "vocabulary.txt").read_text(encoding="utf-8")
    words = [w.strip() for w in extra.splitlines() if w.strip() and not w.startswith("#")]
    from nqpf import regions

    words += [p.name for p in regions.PROVINCES]
    for word in words:
        yield word, VOCABULARY_FREQ


def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


class CharModel:
    """P(b | a) is the chance that a text made of dictionary words (each drawn by its count)
    goes on from ``a`` to ``b``: within a word, c(ab)/c(a); or the word ends at ``a`` (the
    share of ``a``'s occurrences that end a word) and the next begins with ``b`` (the share
    of words that begin with it); smoothed with ``b``'s own frequency:

        P(b|a) = λ·(c(ab)/c(a) + end(a)·begin(b)) + (1 − λ)·P(b)

    Punctuation, digits and Latin letters end every word and begin one with their class
    probabilities."""

    def __init__(self, unigrams: Counter, bigrams: Counter, begins: Counter, ends: Counter,
                 weight: float = 0.9):
        self.uni = unigrams
        self.bi = bigrams
        self.total = sum(unigrams.values())
        self.begins, self.ends = begins, ends
        self.n_words = sum(begins.values())
        self.lam = weight
        self._conv = _t2s()
        self._chars: dict[str, str] = {}
        # the code of char(c) by the code of each character of the Basic Multilingual Plane
        # seen so far (0 for the others; char("\0") is "\0"): simplified_codes in one lookup
        self._codes = np.zeros(0x10000, dtype=np.uint32)
        # log P(b|a) is a pure function of two characters: memoise it (bounded)
        self.transition = lru_cache(maxsize=1 << 20)(self._transition)
        # … and so, with the code of the folded pair (what a page's own pairs are kept by)
        self.pair = lru_cache(maxsize=1 << 18)(self._pair)
        # … and the log-probability of a character that begins a text, as score and as
        # transitions give it (one by math.log, the other by numpy's)
        self.first = lru_cache(maxsize=1 << 16)(self._first)
        self.alone = lru_cache(maxsize=1 << 16)(self._alone)
        # so is the row of log P(o|a) over a tuple of options (GBK byte classes recur):
        # memoised by the options, then by a (see transitions)
        self._rows: dict[tuple[str, ...], dict[str, np.ndarray]] = {}
        self._n_rows = 0
        # … and the column of log P(b|o) (read-only), and whole matrices between two tuples
        # of options (the two ends of a shifted run: large, so few are kept)
        self.transitions_into = lru_cache(maxsize=1 << 14)(self._transitions_into)
        self.transition_matrix = lru_cache(maxsize=256)(self._transition_matrix)
        # the largest value of a row, a column and a matrix (floats, so many more are kept:
        # they bound a chain's best reading without its vectors)
        self._row_maxima: dict[tuple[str, tuple[str, ...]], float] = {}
        self.column_max = lru_cache(maxsize=1 << 16)(self._column_max)
        self.matrix_max = lru_cache(maxsize=1 << 14)(self._matrix_max)

    @classmethod
    @cache
    def default(cls) -> CharModel:
        uni: Counter = Counter()
        bi: Counter = Counter()
        edges: tuple[Counter, Counter] = (Counter(), Counter())
        for word, freq in _dictionary():
            _count(word, freq, uni, bi, edges)
        return cls(uni, bi, *edges)

    @cached_property
    def words(self) -> WordModel:
        """The word model over the same dictionary (loaded on first use: only text that
        looks damaged needs it)."""
        return WordModel(dict(_dictionary()), self)

    def _p_char(self, c: str) -> float:
        if c == YEAR:
            return DIGIT
        if c in PUNCTUATION:
            return PUNCTUATION[c]
        if c.isdigit():
            return DIGIT
        if c.isascii() and c.isalpha():
            return LATIN
        n = self.uni.get(c, 0)
        return (n + 0.5) / (self.total + 1) if n else OTHER

    def _begin(self, c: str) -> float:
        """The share of words that begin with ``c`` (for others, their class probability)."""
        n = self.begins.get(c, 0)
        return (n + 0.5) / (self.n_words + 1) if n else self._p_char(c)

    def _end(self, c: str) -> float:
        """The share of ``c``'s occurrences that end a word (1 outside the dictionary)."""
        n = self.uni.get(c, 0)
        return (self.ends.get(c, 0) + 0.5) / (n + 1) if n else 1.0

    def _logp(self, a: str, b: str) -> float:
        if b == YEAR:
            return math.log(BEFORE_YEAR.get(a, YEAR_OTHER))
        if a == YEAR:
            return math.log(0.9 if b == "年" else self._p_char(b))
        pb = self._p_char(b)
        if b.isdigit() and a in BEFORE_DIGIT:
            return math.log(max(pb, BEFORE_DIGIT[a]))
        ca = self.uni.get(a, 0)
        seen = self.bi.get(a + b, 0) / ca if ca else 0.0
        p = self.lam * (seen + self._end(a) * self._begin(b)) + (1 - self.lam) * pb
        return math.log(p * (AFTER_PUNCTUATION if _after_punctuation(a, b) else 1.0))

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
        chars, char = self._chars, self.char
        return "".join([chars.get(c) or char(c) for c in text])

    def simplified_codes(self, text: str) -> np.ndarray:
        """The code points of ``simplify(text)``, as an array."""
        try:
            raw = np.frombuffer(text.encode("utf-32-le"), dtype="<u4")
        except UnicodeEncodeError:
            raw = None  # a lone surrogate, which UTF-32 refuses (as simplify's text does)
        if raw is None or (len(raw) and np.maximum.reduce(raw) >= 0x10000):
            # … or a character beyond the table: the long way
            return np.frombuffer(self.simplify(text).encode("utf-32-le"), dtype="<u4")
        codes = self._codes
        out = codes[raw]
        # a code still 0: a character not seen yet (or NUL, whose code is 0)
        new = None if np.logical_and.reduce(out) else (out == 0) & (raw != 0)
        if new is not None and np.count_nonzero(new):
            for c in np.unique(raw[new]).tolist():
                codes[c] = ord(self.char(chr(c)))
            out = codes[raw]
        return out

    def _pair(self, a: str, b: str) -> tuple[float, int]:
        """``transition(a, b)`` and ``char(a)``'s code << 21 | ``char(b)``'s (use ``pair``,
        the memoised form)."""
        return self.transition(a, b), ord(self.char(a)) << 21 | ord(self.char(b))

    def _first(self, c: str) -> float:
        """``score(c)`` (use ``first``, the memoised form)."""
        return math.log(self._p_char(self.char(c)))

    def _alone(self, c: str) -> float:
        """``transitions("", (c,))[0]`` (use ``alone``, the memoised form)."""
        return float(self.transitions("", (c,))[0])

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
    def _option_counts(self, options: tuple[str, ...]) -> tuple[list[str], list[int],
                                                               np.ndarray]:
        folded = [self.char(o) for o in options]
        return (folded, [self.uni.get(f, 0) for f in folded],
                np.array([self._end(f) for f in folded]))

    def _transitions_into(self, options: tuple[str, ...], b: str) -> np.ndarray:
        """``transition(o, b)`` for every ``o`` in ``options``, as one read-only array
        (``transitions_into`` is the memoised form).

        >>> m = CharModel.default()
        >>> opts = ("上", "虾", "。")
        >>> [round(x, 6) for x in m.transitions_into(opts, "海")] == [
        ...     round(m.transition(o, "海"), 6) for o in opts]
        True
        """
        fb = self.char(b)
        folded, counts, ends = self._option_counts(options)
        if fb == YEAR or ((fb in OPENING or fb in CLOSING_QUOTE) and any(
                f in PUNCTUATION for f in folded)):
            out = np.array([self._logp(f, fb) for f in folded])
            out.setflags(write=False)  # shared by the memo: callers copy before changing it
            return out
        pb, begin = self._p_char(fb), self._begin(fb)
        out = np.log(self.lam * ends * begin + (1 - self.lam) * pb)
        preds = self._bigram_index[1].get(fb)
        if preds:
            for i, (f, ca) in enumerate(zip(folded, counts, strict=True)):
                n = preds.get(f) if ca else None
                if n:
                    out[i] = math.log(self.lam * (n / ca + ends[i] * begin)
                                      + (1 - self.lam) * pb)
        if fb.isdigit():  # years after 到, 至 …
            for i, f in enumerate(folded):
                if f in BEFORE_DIGIT:
                    out[i] = math.log(max(pb, BEFORE_DIGIT[f]))
        out.setflags(write=False)  # shared by the memo: callers copy before changing it
        return out

    def _transition_matrix(self, rows: tuple[str, ...], options: tuple[str, ...]
                           ) -> np.ndarray:
        """``transitions(a, options)`` for every ``a`` in ``rows``, stacked into one
        read-only matrix (``transition_matrix`` is the memoised form)."""
        memo = self._rows.get(options, {})
        found = [memo.get(a) for a in rows]
        for i in [i for i, row in enumerate(found) if row is None]:
            found[i] = self.transitions(rows[i], options)
        # the rows end to end, then shaped (the values copied as np.stack would, quicker)
        out = np.concatenate(found).reshape(len(rows), len(options))
        out.setflags(write=False)
        return out

    @lru_cache(maxsize=4096)  # noqa: B019 - one model per process; keyed by GBK byte classes
    def _option_table(self, options: tuple[str, ...]) -> tuple[
            np.ndarray, np.ndarray, np.ndarray, dict[str, list[int]], bool, list[float],
            list[float]]:
        """For a tuple of candidate characters: P(o), the share of words beginning with
        each, log P(o), the positions of each folded form, whether any is a digit, and the
        first two again as lists (of the same floats: quicker one by one)."""
        folded = [self.char(o) for o in options]
        p_list = [self._p_char(f) for f in folded]
        begin_list = [self._begin(f) for f in folded]
        p = np.array(p_list)
        positions: dict[str, list[int]] = {}
        for i, f in enumerate(folded):
            positions.setdefault(f, []).append(i)
        return (p, np.array(begin_list), np.log(p), positions, any(f.isdigit() for f in folded),
                p_list, begin_list)

    #: Most rows of ``transitions`` memoised (the memo starts afresh when full).
    ROWS_MEMO = 1 << 16

    def transitions(self, a: str, options: tuple[str, ...]) -> np.ndarray:
        """``transition(a, o)`` for every ``o`` in ``options``, as one read-only array
        (``a == ""``: each option's own log-probability); memoised by ``options``, then by
        ``a``, so that the rows of a matrix (:meth:`transition_matrix`) are found with one
        look-up of the (long) tuple of options."""
        rows = self._rows.get(options)
        if rows is None:
            rows = self._rows[options] = {}
        out = rows.get(a)
        if out is None:
            if self._n_rows >= self.ROWS_MEMO:
                self._rows.clear()
                self._n_rows = 0
                rows = self._rows[options] = {}
            out = rows[a] = self._transitions(a, options)
            self._n_rows += 1
        return out

    #: Most row maxima memoised (the memo starts afresh when full).
    MAXIMA_MEMO = 1 << 16

    def row_max(self, a: str, options: tuple[str, ...]) -> float:
        """The largest of ``transitions(a, options)`` (memoised)."""
        key = (a, options)
        v = self._row_maxima.get(key)
        if v is None:
            if len(self._row_maxima) >= self.MAXIMA_MEMO:
                self._row_maxima.clear()
            v = self._row_maxima[key] = float(_max(self.transitions(a, options)))
        return v

    def _column_max(self, options: tuple[str, ...], b: str) -> float:
        """The largest of ``transitions_into(options, b)`` (use ``column_max``, memoised)."""
        return float(_max(self.transitions_into(options, b)))

    def _matrix_max(self, rows: tuple[str, ...], options: tuple[str, ...]) -> float:
        """The largest of ``transition_matrix(rows, options)`` (use ``matrix_max``,
        memoised): the largest of its rows' maxima."""
        return max(self.row_max(a, options) for a in rows)

    def _transitions(self, a: str, options: tuple[str, ...]) -> np.ndarray:
        """``transition(a, o)`` for every ``o`` in ``options``, as one read-only array
        (``a == ""``: each option's own log-probability); ``transitions`` is the memoised
        form. Only the options seen after ``a`` in the dictionary are computed one by one;
        the rest share the unseen-bigram formula.

        >>> m = CharModel.default()
        >>> opts = ("海", "虾", "。")
        >>> [round(x, 6) for x in m.transitions("上", opts)] == [
        ...     round(m.transition("上", o), 6) for o in opts]
        True
        """
        out = self._transition_row(a, options)
        out.setflags(write=False)  # shared by the memo: callers copy before changing it
        return out

    def _transition_row(self, a: str, options: tuple[str, ...]) -> np.ndarray:
        p, begin, alone, positions, digits, p_list, begin_list = self._option_table(options)
        if not a:
            return alone.copy()
        if digits or self.char(a) in PUNCTUATION or a == YEAR:  # the scalar rules
            return np.array([self.transition(a, o) for o in options])
        fa = self.char(a)
        ca = self.uni.get(fa, 0)
        end = self._end(fa)
        out = np.log(self.lam * end * begin + (1 - self.lam) * p)
        succ = self._bigram_index[0].get(fa) if ca else None
        if not succ:
            return out
        idx: list[int] = []
        val: list[float] = []
        lam, rest = self.lam, 1 - self.lam
        # (in any order: each position is set once)
        for f in succ.keys() & positions.keys():
            where = positions[f]
            i0 = where[0]
            v = math.log(lam * (succ[f] / ca + end * begin_list[i0]) + rest * p_list[i0])
            idx += where
            val += [v] * len(where)
        out[idx] = val  # one assignment: element-wise assignment is slow
        return out

    def score(self, text: str) -> float:
        """Total log-probability of ``text`` (first character by its unigram probability)."""
        if not text:
            return 0.0
        total = self.first(text[0])
        for a, b in itertools.pairwise(text):
            total += self.transition(a, b)
        return total

    def per_char(self, text: str) -> float:
        return self.score(text) / max(1, len(text))


def _after_punctuation(a: str, b: str) -> bool:
    return (b in OPENING and a in PUNCTUATION) or (b in CLOSING_QUOTE and a in SENTENCE_END)


def mark_years(text: str) -> str:
    """``text`` with each year (four digits before 年) as the one token :data:`YEAR`.

    >>> mark_years("到2025年，1.5万") == "到" + YEAR + "年，1.5万"
    True
    """
    return _YEARS.sub(YEAR, text)


#: (Its first digit first, the one before it looked behind: the engine skips to a 1 or 2.)
_YEARS = re.compile(r"(?:1(?<!\d1)[89]|2(?<!\d2)[01])\d\d(?=年)")


class WordModel:
    """A unigram word model: the log-probability of a text's most probable segmentation
    into words of the dictionary (each word by its count), scored on the Simplified form.
    Characters outside it are one-character words: punctuation, digits and Latin letters
    by the class probabilities of :class:`CharModel`, anything else as an unseen word.
    It knows what a bigram model of characters cannot: 专精特新 is one word, 专精 + 重新 two
    unlikely ones.

    >>> w = CharModel.default().words
    >>> w.score("国家级专精特新企业") > w.score("国家级专精重新企业")
    True
    """

    #: Longest word looked up (longer dictionary entries are rare names and idioms).
    MAX_LEN = 8

    def __init__(self, counts: dict[str, int], chars: CharModel):
        self.counts = counts
        self.log_total = math.log(sum(counts.values()))
        self.unseen = math.log(0.5) - self.log_total
        self.chars = chars
        self._singles: dict[str, float] = {}  # memo of _single (a pure function)
        # the bonus is a pure function of the text: memoise it (bounded; the repair scores
        # the same candidate strings again for each reading of a place, and on each pass)
        self._bonuses: dict[str, float] = {}

    def _single(self, c: str) -> float:
        """The log-probability of ``c`` as a word of its own (memoised)."""
        v = self._singles.get(c)
        if v is None:
            v = self._singles[c] = self._single_uncached(c)
        return v

    def _single_uncached(self, c: str) -> float:
        n = self.counts.get(c)
        if n:
            return math.log(n) - self.log_total
        if c in PUNCTUATION or c == YEAR or c.isdigit() or (c.isascii() and c.isalpha()):
            return math.log(self.chars._p_char(c))
        return self.unseen

    def score(self, text: str) -> float:
        """Log-probability of the best segmentation of ``text``."""
        return self._best(self.chars.simplify(text))

    #: Most bonuses memoised (the memo starts afresh when full).
    MEMO = 1 << 16

    def bonus(self, text: str) -> float:
        """How much better the best segmentation reads than one word per character: the
        evidence of words alone (0 for text that forms none; memoised).

        >>> w = CharModel.default().words
        >>> w.bonus("纲要草案") > 10 > w.bonus("毒V要草") >= 0
        True
        """
        v = self._bonuses.get(text)
        if v is None:
            s = self.chars.simplify(text)
            v = self._remember(text, self._table(s)[-1] - self._singles_sum(s))
        return v

    def bonuses(self, before: str, options: list[str], after: str) -> list[float]:
        """``[bonus(before + o + after) for o in options]``, exactly (the same candidates
        for each position, the same sums), with the segmentation of ``before`` done once:
        the best segmentation of a prefix does not depend on what follows it.

        >>> w = CharModel.default().words
        >>> w.bonuses("纲要", ["草", "V"], "案") == [w.bonus("纲要草案"), w.bonus("纲要V案")]
        True
        """
        memo = self._bonuses
        out = [memo.get(before + o + after) for o in options]
        if None not in out:
            return out
        simplify, single = self.chars.simplify, self._single
        counts_get, log_total, log, max_len = (self.counts.get, self.log_total, math.log,
                                               self.MAX_LEN)
        sb, sa = simplify(before), simplify(after)
        head = self._table(sb)  # final for positions 0 … len(sb)
        p = len(sb)
        for n, o in enumerate(options):
            if out[n] is not None:
                continue
            s = sb + simplify(o) + sa
            best = head + [0.0] * (len(s) - p)
            for k in range(p + 1, len(s) + 1):  # the best segmentation of s[:k]: its last word
                v = best[k - 1] + single(s[k - 1])
                for i in range(max(0, k - max_len), k - 1):
                    c = counts_get(s[i:k])
                    if c:
                        w = best[i] + log(c) - log_total
                        if w > v:
                            v = w
                best[k] = v
            out[n] = self._remember(before + o + after, best[-1] - self._singles_sum(s))
        return out

    def _remember(self, text: str, value: float) -> float:
        if len(self._bonuses) >= self.MEMO:
            self._bonuses.clear()
        self._bonuses[text] = value
        return value

    def _singles_sum(self, s: str) -> float:
        single = self._single
        return sum([single(c) for c in s])

    def _best(self, s: str) -> float:
        """Log-probability of the best segmentation of the (Simplified) ``s``."""
        return self._table(s)[-1]

    def _table(self, s: str) -> list[float]:
        """The log-probability of the best segmentation of each prefix of ``s``."""
        n = len(s)
        best = [0.0] + [-math.inf] * n
        counts_get, log_total, log = self.counts.get, self.log_total, math.log
        single, max_len = self._single, self.MAX_LEN
        for i in range(n):
            here = best[i]
            v = here + single(s[i])
            if v > best[i + 1]:
                best[i + 1] = v
            for j in range(i + 2, min(n, i + max_len) + 1):
                c = counts_get(s[i:j])
                if c:
                    v = here + log(c) - log_total
                    if v > best[j]:
                        best[j] = v
        return best


_ASCII_PUNCT_TO_CJK = {",": "，", ":": "：", ";": "；", "!": "！", "?": "？", "(": "（",
                       ")": "）"}


def _fold(c: str) -> str:
    if c in _ASCII_PUNCT_TO_CJK:
        return _ASCII_PUNCT_TO_CJK[c]
    if "\uff01" <= c <= "\uff5e" and c not in "，：；！？（）":
        return unicodedata.normalize("NFKC", c)
    return c
