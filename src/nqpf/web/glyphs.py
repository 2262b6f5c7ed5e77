"""A small stroke font for the captcha, drawn as SVG paths (no text a bot could read).

Each glyph is a few polylines on a 10 × 14 grid (y down). :func:`draw` places the glyphs of a
code with random scale, rotation, slant and per-point jitter, mixes in noise strokes and dots
drawn the same way, and shuffles every path, so neither the markup's text nor its element order
spells the code.

>>> import random
>>> svg = draw("K7", random.Random(0))
>>> svg.startswith("<svg") and "<text" not in svg and "K7" not in svg
True
"""

from __future__ import annotations

import math
import random

__all__ = ["ALPHABET", "GLYPHS", "draw"]

_RING = [(10, 2), (7, 0), (3, 0), (0, 3), (0, 11), (3, 14), (7, 14), (10, 12)]
_BOWL = [(0, 14), (0, 0), (7, 0), (10, 2), (10, 5), (7, 7), (0, 7)]

#: Strokes of each glyph: polylines of (x, y) on a 10 × 14 grid. Look-alikes (0/O, 1/I, 2/Z,
#: 5/S, 8/B) are left out.
GLYPHS: dict[str, list[list[tuple[float, float]]]] = {
    "A": [[(0, 14), (5, 0), (10, 14)], [(2, 9), (8, 9)]],
    "C": [_RING],
    "D": [[(0, 0), (0, 14), (6, 14), (10, 10), (10, 4), (6, 0), (0, 0)]],
    "E": [[(10, 0), (0, 0), (0, 14), (10, 14)], [(0, 7), (7, 7)]],
    "F": [[(10, 0), (0, 0), (0, 14)], [(0, 7), (7, 7)]],
    "G": [[*_RING[:-1], (10, 11), (10, 8), (6, 8)]],
    "H": [[(0, 0), (0, 14)], [(10, 0), (10, 14)], [(0, 7), (10, 7)]],
    "J": [[(10, 0), (10, 11), (7, 14), (3, 14), (0, 11)]],
    "K": [[(0, 0), (0, 14)], [(10, 0), (0, 9)], [(3, 6), (10, 14)]],
    "L": [[(0, 0), (0, 14), (10, 14)]],
    "M": [[(0, 14), (0, 0), (5, 8), (10, 0), (10, 14)]],
    "N": [[(0, 14), (0, 0), (10, 14), (10, 0)]],
    "P": [_BOWL],
    "R": [_BOWL, [(5, 7), (10, 14)]],
    "T": [[(0, 0), (10, 0)], [(5, 0), (5, 14)]],
    "U": [[(0, 0), (0, 10), (3, 14), (7, 14), (10, 10), (10, 0)]],
    "V": [[(0, 0), (5, 14), (10, 0)]],
    "W": [[(0, 0), (2, 14), (5, 5), (8, 14), (10, 0)]],
    "X": [[(0, 0), (10, 14)], [(10, 0), (0, 14)]],
    "Y": [[(0, 0), (5, 7), (10, 0)], [(5, 7), (5, 14)]],
    "3": [[(0, 1), (3, 0), (7, 0), (10, 3), (7, 7), (3, 7)],
          [(7, 7), (10, 10), (10, 11), (7, 14), (3, 14), (0, 12)]],
    "4": [[(7, 14), (7, 0), (0, 10), (10, 10)]],
    "6": [[(9, 1), (6, 0), (3, 0), (0, 4), (0, 11), (3, 14), (7, 14), (10, 11), (10, 9), (7, 7),
           (3, 7), (0, 9)]],
    "7": [[(0, 0), (10, 0), (4, 14)]],
    "9": [[(10, 5), (7, 7), (3, 7), (0, 5), (0, 3), (3, 0), (7, 0), (10, 3), (10, 10), (7, 14),
           (3, 14), (1, 13)]],
}
ALPHABET = "".join(GLYPHS)

CELL, HEIGHT, PAD = 36, 56, 16


def _path(points: list[tuple[float, float]], colour: str, width: float) -> str:
    d = "M" + " L".join(f"{x:.1f} {y:.1f}" for x, y in points)
    return (f'<path d="{d}" fill="none" stroke="{colour}" stroke-width="{width:.1f}" '
            'stroke-linecap="round" stroke-linejoin="round"/>')


def _colour(r: random.Random) -> str:
    return f"#{r.randint(0x10, 0x70):02x}{r.randint(0x10, 0x70):02x}{r.randint(0x20, 0x90):02x}"


def draw(code: str, rng: random.Random) -> str:
    """The SVG image of ``code`` (characters of :data:`ALPHABET`), distorted at random."""
    width = 2 * PAD + CELL * len(code)
    paths = []
    for i, ch in enumerate(code):
        s = rng.uniform(1.8, 2.2)
        a = math.radians(rng.uniform(-18, 18))
        slant = rng.uniform(-0.2, 0.2)
        cx = PAD + CELL * i + CELL / 2 + rng.uniform(-2, 2)
        cy = HEIGHT / 2 + rng.uniform(-3, 3)
        colour, stroke = _colour(rng), rng.uniform(2.2, 3.0)
        for line in GLYPHS[ch]:
            pts = []
            for x, y in line:
                x, y = x - 5 + rng.uniform(-0.6, 0.6), y - 7 + rng.uniform(-0.6, 0.6)
                x += slant * y
                pts.append((cx + s * (x * math.cos(a) - y * math.sin(a)),
                            cy + s * (x * math.sin(a) + y * math.cos(a))))
            paths.append(_path(pts, colour, stroke))
    for _ in range(5):  # noise strokes, drawn like the glyphs' strokes but thinner
        n = rng.randint(3, 6)
        x0 = rng.uniform(0, width)
        pts = [(min(width, max(0.0, x0 + rng.uniform(-60, 60) * k / n)), rng.uniform(2, HEIGHT - 2))
               for k in range(n)]
        paths.append(_path(pts, _colour(rng), rng.uniform(1.0, 1.8)))
    for _ in range(18):  # specks
        x, y = rng.uniform(0, width), rng.uniform(0, HEIGHT)
        paths.append(_path([(x, y), (x + rng.uniform(-2, 2), y + rng.uniform(-2, 2))],
                           _colour(rng), rng.uniform(1.0, 2.5)))
    rng.shuffle(paths)
    return (f'<svg width="{width}" height="{HEIGHT}" viewBox="0 0 {width} {HEIGHT}" role="img" '
            f'aria-label="captcha"><rect width="{width}" height="{HEIGHT}" fill="#f3f1ea"/>'
            f'{"".join(paths)}</svg>')
