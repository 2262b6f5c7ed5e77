"""What a visitor is looking at, read from and written to the URL.

Every choice — framework (``preset``), measure (``flavour``), weighting method (``weights``),
year, the provinces picked for comparison (``p``, repeatable, at most five) and the language —
lives in the query string, so an address restores the view exactly and can be shared. Links
between the pages carry the same state.

>>> v = View(preset="innovation", year=2020, provinces=("110000", "310000"), lang="en")
>>> v.query()
'preset=innovation&flavour=intensity&weights=entropy&year=2020&p=110000&p=310000&lang=en'
>>> v.query(lang="zh", provinces=())
'preset=innovation&flavour=intensity&weights=entropy&year=2020&lang=zh'
>>> View.from_pairs([("preset", "innovation"), ("year", "2020"), ("p", "沪"), ("p", "北京"),
...                  ("lang", "en")]) == v
True
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from urllib.parse import urlencode

from fastapi import HTTPException, Request

from nqpf import regions

__all__ = ["FLAVOURS", "MAX_COMPARE", "PRESETS", "WEIGHTS", "View", "lang_of", "view_of"]

PRESETS = ("three-elements", "tech-green-digital", "innovation")
FLAVOURS = ("intensity", "scale")
#: Weighting methods a visitor may pick (each needs no options).
WEIGHTS = ("entropy", "equal", "critic", "cv", "pca")
MAX_COMPARE = 5


@dataclass(frozen=True)
class View:
    """One view's state; ``year`` None means the latest year of the index."""

    preset: str = "three-elements"
    flavour: str = "intensity"
    weights: str = "entropy"
    year: int | None = None
    provinces: tuple[str, ...] = ()
    lang: str = "zh"
    #: more than MAX_COMPARE provinces were asked for (the rest were dropped)
    truncated: bool = False

    @classmethod
    def from_pairs(cls, pairs: Iterable[tuple[str, str]], strict: bool = False,
                   default_lang: str = "zh") -> View:
        """The view of query-string pairs. ``strict``: an unknown framework, measure, method
        or province is a 404 (a page about it cannot be drawn); otherwise it is ignored. A
        year that is not a year means the latest."""
        got: dict[str, str] = {}
        picked: list[str] = []
        for k, v in pairs:
            if k == "p":
                for part in v.split(","):
                    if part.strip():
                        picked.append(part.strip()[:40])
            elif k not in got:
                got[k] = v
        kw: dict = {}
        for key, allowed, what in (("preset", PRESETS, "preset"), ("flavour", FLAVOURS, "flavour"),
                                   ("weights", WEIGHTS, "weights")):
            value = got.get(key)
            if value is None or value == "":
                continue
            if value in allowed:
                kw[key] = value
            elif strict:
                raise HTTPException(404, f"unknown {what} {value[:40]!r}; "
                                         f"{what} is one of {', '.join(allowed)}")
        year = got.get("year", "")
        if re.fullmatch(r"[0-9]{4}", year) and 1900 <= int(year) <= 2100:
            kw["year"] = int(year)
        codes: list[str] = []
        for name in picked[:4 * MAX_COMPARE]:  # a bounded amount of work per request
            p = regions.try_resolve(name)
            if p is None:
                if strict:
                    raise HTTPException(404, f"unknown province {name!r}")
                continue
            if p.adcode not in codes:
                codes.append(p.adcode)
        kw["provinces"] = tuple(sorted(codes[:MAX_COMPARE]))  # one order: one address
        kw["truncated"] = len(codes) > MAX_COMPARE
        lang = got.get("lang")
        kw["lang"] = lang if lang in ("zh", "en") else default_lang
        return cls(**kw)

    def query(self, **changes) -> str:
        """The query string of this view (with ``changes``): every choice, explicitly."""
        v = replace(self, **changes) if changes else self
        pairs: list[tuple[str, object]] = [("preset", v.preset), ("flavour", v.flavour),
                                           ("weights", v.weights)]
        if v.year is not None:
            pairs.append(("year", v.year))
        pairs += [("p", p) for p in v.provinces]
        pairs.append(("lang", v.lang))
        return urlencode(pairs)

    def with_year(self, years: list[int]) -> View:
        """The view with its year set to one of ``years`` (the latest if none was asked for,
        the nearest if the asked year is outside them)."""
        if not years:
            return self
        if self.year is None:
            return replace(self, year=years[-1])
        if self.year in years:
            return self
        return replace(self, year=min(years, key=lambda y: (abs(y - self.year), -y)))

    @property
    def key(self) -> tuple:
        return (self.preset, self.flavour, self.weights, self.year, self.provinces, self.lang)


def lang_of(request: Request) -> str:
    """The page's language: ``?lang=en`` for English, else Chinese. It lives in the URL like
    every other choice (every link carries it), so an address shows the same page to
    everyone."""
    return "en" if request.query_params.get("lang") == "en" else "zh"


def view_of(request: Request, strict: bool = False) -> View:
    """The request's view (see :meth:`View.from_pairs`)."""
    return View.from_pairs(request.query_params.multi_items(), strict=strict,
                           default_lang=lang_of(request))
