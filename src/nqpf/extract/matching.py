"""Longest non-overlapping matches of an Aho-Corasick automaton (pyahocorasick).

>>> import ahocorasick
>>> a = ahocorasick.Automaton()
>>> for w in ("新能源", "新能源汽车", "汽车"):
...     _ = a.add_word(w, w)
>>> a.make_automaton()
>>> [(s, e, v) for s, e, v in longest_matches(a, "新能源汽车和汽车")]
[(0, 5, '新能源汽车'), (6, 8, '汽车')]
"""

from __future__ import annotations

from collections.abc import Iterator

__all__ = ["longest_matches"]


def longest_matches(automaton, text: str) -> Iterator[tuple[int, int, object]]:
    """(start, end, value) of the longest matches that do not overlap, left to right.
    Each value must be a tuple or string whose first item is the matched word."""
    hits = []
    for end, value in automaton.iter(text):
        word = value if isinstance(value, str) else value[0]
        hits.append((end - len(word) + 1, end + 1, value))
    hits.sort(key=lambda h: (h[0], -(h[1] - h[0])))
    last = -1
    for start, end, value in hits:
        if start >= last:
            yield start, end, value
            last = end
