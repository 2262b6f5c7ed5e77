"""Helpers the pages and the API share: cached index builds, JSON records, pages of lists,
region look-ups, the shared error model, and a tracker read that survives bad stored rows."""

from __future__ import annotations

import json
import logging
from functools import cache
from typing import Annotated

import pandas as pd
from fastapi import HTTPException, Path, Query, Request
from pydantic import BaseModel

from nqpf import regions
from nqpf.store import Store

__all__ = ["DEFAULT_LIMIT", "MAX_LIMIT", "OBSERVATION_DATE", "PAGE_ROWS", "PRESETS",
           "PUBLISHED_DATE", "ErrorBody", "Id", "Limit", "Offset", "adcode", "check_choice",
           "errors", "index_result", "paged", "province", "rank_intervals", "records",
           "safe_target_page"]

log = logging.getLogger("nqpf.web")

PRESETS = ("three-elements", "tech-green-digital", "innovation")
#: Rows per page of the list endpoints, by default and at most.
DEFAULT_LIMIT, MAX_LIMIT = 100, 1000
#: Rows per page of the targets table.
PAGE_ROWS = 100
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Rows per page.")]
Offset = Annotated[int, Query(ge=0, le=10**9, description="Rows to skip.")]
Id = Annotated[int, Path(ge=0, le=2**53, description="A stored row's id.")]


_DAYS = (r"(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)"
         r"|02-(?:0[1-9]|1[0-9]|2[0-8]))")
_LEAP_20 = r"20(?:[02468][048]|[13579][26])"
#: A real YYYY-MM-DD date in 1949–2100 (an observation's), as a regular expression for the
#: OpenAPI schema (the server checks the same with ``date.fromisoformat``).
OBSERVATION_DATE = (rf"^(?:(?:1949|19[5-9][0-9]|20[0-9]{{2}}|2100)-{_DAYS}"
                    rf"|(?:19(?:5[26]|[68][048]|[79][26])|{_LEAP_20})-02-29)$")
#: A real YYYY-MM-DD date in 1900–2100 (an article's publication date).
PUBLISHED_DATE = (rf"^(?:(?:19[0-9]{{2}}|20[0-9]{{2}}|2100)-{_DAYS}"
                  rf"|(?:19(?:0[48]|[2468][048]|[13579][26])|{_LEAP_20})-02-29)$")


class ErrorBody(BaseModel):
    """Every error the API returns."""

    detail: str


_WHAT = {400: "Bad request", 401: "Admin token missing or wrong (send Authorization: Bearer …)",
         404: "Not found", 413: "Request body over the size limit",
         415: "Unsupported content type", 422: "Invalid parameter or body (the field is named)"}


def errors(*codes: int) -> dict[int | str, dict]:
    """OpenAPI ``responses`` for the error codes a route returns, all as :class:`ErrorBody`."""
    return {code: {"model": ErrorBody, "description": _WHAT[code]} for code in codes}


@cache
def index_result(preset: str, flavour: str):
    from nqpf.index import Recipe

    return Recipe(preset, flavour=flavour).build()


@cache
def rank_intervals(preset: str, flavour: str, replications: int = 300) -> pd.DataFrame:
    from nqpf.analysis import Alternatives, UncertaintyAnalysis
    from nqpf.analysis.uncertainty import DEFAULT_ALTERNATIVES
    from nqpf.index import Recipe

    ua = UncertaintyAnalysis(Recipe(preset, flavour=flavour),
                             Alternatives.from_dict(DEFAULT_ALTERNATIVES))
    return ua.run(replications, seed=0).rank_intervals("all")


def check_choice(preset: str, flavour: str) -> None:
    if preset not in PRESETS:
        raise HTTPException(404, f"unknown preset {preset!r}; presets are {', '.join(PRESETS)}")
    if flavour not in ("intensity", "scale"):
        raise HTTPException(404, "flavour is intensity or scale")


def records(df: pd.DataFrame) -> list[dict]:
    """Rows as JSON-safe dicts (NaN and ±inf as null, dates as ISO strings)."""
    return json.loads(df.to_json(orient="records", force_ascii=False, date_format="iso"))


def one_record(store: Store, table: str, key: int, what: str) -> dict:
    """The row of ``table`` (a name from the code, never from a request) with id ``key``;
    a 404 naming ``what`` when there is none."""
    rows = store.query(f"SELECT * FROM {table} WHERE id = ?", [key])
    if rows.empty:
        raise HTTPException(404, f"no {what} {key}")
    return records(rows)[0]


def paged(request: Request, total: int, limit: int, offset: int, items: list) -> dict:
    """A page of a list: the items, the total, and the address of the next page (null on the
    last)."""
    nxt = None
    if offset + len(items) < total:
        nxt = str(request.url.include_query_params(offset=offset + limit, limit=limit))
    return {"total": total, "limit": limit, "offset": offset, "next": nxt, "items": items}


def adcode(name: str) -> str:
    """The adcode of a province named any way; 404 for an unknown one."""
    try:
        return regions.resolve(name).adcode
    except regions.UnknownRegionError as e:
        raise HTTPException(404, str(e.args[0]) if e.args else "unknown region") from None
    except (ValueError, TypeError):
        raise HTTPException(404, f"unknown region {name[:40]!r}") from None


def province(name: str):
    return regions.resolve(adcode(name))


# ---------------------------------------------------------------- tracker reads, defensively
def safe_target_page(store: Store, **filters) -> tuple[int, pd.DataFrame]:
    """``tracker.target_page`` for a page: the tracker reads malformed stored rows (a date
    "soon", a deadline 99999, an unknown region code …) as missing values; should anything
    else still fail, the page shows no targets and the error is logged, never a 500."""
    from nqpf.tracker import COLUMNS, target_page

    try:
        return target_page(store, **filters)
    except Exception:
        log.exception("target_page failed on stored data")
        return 0, pd.DataFrame(columns=COLUMNS)
