"""Longest non-overlapping matches of a dictionary of words, left to right (ahocorasick-rs,
an Aho-Corasick automaton with leftmost-longest matching).

>>> m = LongestMatcher({"新能源": 1, "新能源汽车": 2, "汽车": 3})
>>> list(m.matches("新能源汽车和汽车"))
[(0, 5, 2), (6, 8, 3)]
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Generic, TypeVar

import ahocorasick_rs

__all__ = ["LongestMatcher"]

V = TypeVar("V")


class LongestMatcher(Generic[V]):
    """Finds the words of ``words`` (word → value) in a text: at each position the longest
    word that starts there, skipping what a match covers."""

    def __init__(self, words: Mapping[str, V]):
        self._words = list(words)
        self._values = [words[w] for w in self._words]
        self._automaton = ahocorasick_rs.AhoCorasick(
            self._words, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest)

    def matches(self, text: str) -> Iterator[tuple[int, int, V]]:
        """(start, end, value) of each match, in order (positions in characters)."""
        values = self._values
        for i, start, end in self._automaton.find_matches_as_indexes(text):
            yield start, end, values[i]
