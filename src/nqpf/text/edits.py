"""Edits, the changes they make, and the offset map back to the original text.

Every repair is a small function ``fix(text) -> list[Edit]`` (non-overlapping, in order).
:func:`apply_edits` applies them and composes the offset map, so that after any number of
steps each character of the result knows where it came from in the original.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from operator import attrgetter

from nqpf.records import as_record

__all__ = ["Change", "Edit", "Repaired", "apply_edits"]


@dataclass(frozen=True, slots=True, init=False)
class Edit:
    """Replace ``text[start:end]`` with ``replacement``."""

    start: int
    end: int
    replacement: str
    kind: str

    def __init__(self, start: int, end: int, replacement: str, kind: str):
        # (the fields set through their slots, as the generated __init__ does through
        # object.__setattr__, at half the cost: repairs make many edits)
        _EDIT_SET[0](self, start)
        _EDIT_SET[1](self, end)
        _EDIT_SET[2](self, replacement)
        _EDIT_SET[3](self, kind)


@dataclass(frozen=True, slots=True, init=False)
class Change:
    """One change, located in the ORIGINAL text."""

    kind: str
    start: int
    end: int
    original: str
    replacement: str

    def __init__(self, kind: str, start: int, end: int, original: str, replacement: str):
        # (as Edit's)
        _CHANGE_SET[0](self, kind)
        _CHANGE_SET[1](self, start)
        _CHANGE_SET[2](self, end)
        _CHANGE_SET[3](self, original)
        _CHANGE_SET[4](self, replacement)

    def to_dict(self) -> dict:
        return as_record(self)


#: The slots' setters of Edit and Change, in field order.
_EDIT_SET = tuple(getattr(Edit, f.name).__set__ for f in fields(Edit))
_CHANGE_SET = tuple(getattr(Change, f.name).__set__ for f in fields(Change))


@dataclass
class Repaired:
    """The repaired text, every change, and ``offsets``: for each position i of ``text``
    (and one past its end), the position in ``original`` it comes from. Until an edit is
    applied the map is the identity, kept as a ``range``."""

    text: str
    original: str
    changes: list[Change] = field(default_factory=list)
    offsets: Sequence[int] = field(default_factory=list)

    def span_in_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a span of the repaired text to the original text."""
        if end <= start:
            return self.offsets[start], self.offsets[start]
        return self.offsets[start], self.offsets[end - 1] + 1

    def to_dict(self) -> dict:
        return {"text": self.text, "changes": [c.to_dict() for c in self.changes]}


def apply_edits(state: Repaired, edits: list[Edit]) -> Repaired:
    """Apply ``edits`` (on ``state.text``) and extend the change log and the offset map."""
    if not edits:
        return state
    edits = sorted(edits, key=_start)
    text, original, old = state.text, state.original, state.offsets
    pieces: list[str] = []
    offsets: list[int] = []
    changes = list(state.changes)
    pos = 0
    mapped = 0  # the offsets of the text before it are in ``offsets``
    for e in edits:
        start, end, replacement = e.start, e.end, e.replacement
        if start < pos:  # overlapping edits: the later one is skipped
            continue
        pieces += (text[pos:start], replacement)
        o_start = old[start]
        o_end = old[end - 1] + 1 if end > start else o_start
        n = len(replacement)
        # one character for one keeps its offset (most edits: punctuation): copied later,
        # with the text around it
        if n != 1 or end != start + 1:
            offsets += old[mapped:start]
            # the replacement's characters are spread over what they replaced, in order
            if n:
                span = o_end - o_start
                offsets += [o_start + (k * span) // n for k in range(n)]
            mapped = end
        changes.append(Change(e.kind, o_start, o_end, original[o_start:o_end], replacement))
        pos = end
    pieces.append(text[pos:])
    offsets += old[mapped:len(text)]
    offsets.append(old[-1] if old else 0)
    return Repaired(text="".join(pieces), original=original, changes=changes,
                    offsets=offsets)


_start = attrgetter("start")
