"""Edits, the changes they make, and the offset map back to the original text.

Every repair is a small function ``fix(text) -> list[Edit]`` (non-overlapping, in order).
:func:`apply_edits` applies them and composes the offset map, so that after any number of
steps each character of the result knows where it came from in the original.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from nqpf.records import as_record

__all__ = ["Change", "Edit", "Repaired", "apply_edits"]


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace ``text[start:end]`` with ``replacement``."""

    start: int
    end: int
    replacement: str
    kind: str


@dataclass(frozen=True, slots=True)
class Change:
    """One change, located in the ORIGINAL text."""

    kind: str
    start: int
    end: int
    original: str
    replacement: str

    def to_dict(self) -> dict:
        return as_record(self)


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
    edits = sorted(edits, key=lambda e: e.start)
    pieces: list[str] = []
    offsets: list[int] = []
    changes = list(state.changes)
    pos = 0
    for e in edits:
        if e.start < pos:  # overlapping edits: the later one is skipped
            continue
        pieces.append(state.text[pos:e.start])
        offsets.extend(state.offsets[pos:e.start])
        o_start = state.offsets[e.start]
        o_end = state.offsets[e.end - 1] + 1 if e.end > e.start else o_start
        pieces.append(e.replacement)
        # the replacement's characters are spread over what they replaced, in order
        n = len(e.replacement)
        offsets.extend(o_start + (k * (o_end - o_start)) // n for k in range(n))
        changes.append(Change(e.kind, o_start, o_end, state.original[o_start:o_end],
                              e.replacement))
        pos = e.end
    pieces.append(state.text[pos:])
    offsets.extend(state.offsets[pos:len(state.text)])
    text = "".join(pieces)
    offsets.append(state.offsets[-1] if state.offsets else 0)
    return Repaired(text=text, original=state.original, changes=changes, offsets=offsets)
