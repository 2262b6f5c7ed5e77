"""The JSON API under /api: reference data, the index, articles, documents and targets.

Reads are public; the one write here (an observation on a target) needs the admin token as a
bearer token. Every handler touching the store or computing is a plain ``def`` (FastAPI runs
it in its thread pool, off the event loop), but ``/api/index``, which answers from memory and
builds a missing answer in a worker thread. Lists come a page at a time as
``{total, limit, offset, next, items}``; every error is ``{"detail": "…"}``.
"""

from __future__ import annotations

import json
import math
import re
from datetime import date as Date
from typing import Annotated, Literal

import anyio
from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field, field_validator

from nqpf import regions
from nqpf.store import StoreError
from nqpf.tracker import STATUSES
from nqpf.web.common import (
    DEFAULT_LIMIT,
    OBSERVATION_DATE,
    Id,
    Limit,
    Offset,
    adcode,
    check_choice,
    errors,
    one_record,
    paged,
    rank_intervals,
    records,
    safe_target_page,
)
from nqpf.web.indexdata import bundle
from nqpf.web.security import require_bearer
from nqpf.web.state import web
from nqpf.web.views import WEIGHTS

__all__ = ["Observation", "Page", "router"]

router = APIRouter(prefix="/api")

Year = Annotated[int | None, Query(ge=1900, le=2100, description="A year (default: the latest).")]
Text = Annotated[str | None, Query(max_length=100)]
Status = Literal[STATUSES]  # type: ignore[valid-type]
Weights = Annotated[Literal[WEIGHTS], Query(  # type: ignore[valid-type]
    description="Weighting method: entropy (default), equal, critic, cv (coefficient of "
                "variation) or pca.")]


class Page(BaseModel):
    """One page of a list."""

    total: int
    limit: int
    offset: int
    next: str | None = Field(description="Address of the next page; null on the last.")
    items: list[dict]


class Observation(BaseModel):
    """A measured value of a target's metric on a date."""

    value: float = Field(description="In the target's base unit (元, 个 …); a finite number.")
    date: str = Field(description="YYYY-MM-DD: a real date, year 1949–2100.",
                      json_schema_extra={"pattern": OBSERVATION_DATE}, examples=["2025-06-30"])
    source: str | None = Field(None, max_length=500, description="Where the value comes from.")

    @field_validator("value")
    @classmethod
    def _finite(cls, v: float) -> float:
        if not math.isfinite(v):
            raise ValueError("must be a finite number (not NaN or infinity)")
        return v

    @field_validator("date")
    @classmethod
    def _real_date(cls, v: str) -> str:
        try:
            if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", v):
                raise ValueError
            day = Date.fromisoformat(v)
        except ValueError:
            raise ValueError(f"{v[:40]!r} is not a date (YYYY-MM-DD)") from None
        if not 1949 <= day.year <= 2100:
            raise ValueError(f"{v!r} is outside 1949–2100")
        return v


class Recorded(BaseModel):
    id: int
    target_id: int


@router.get("/regions", tags=["reference"])
def api_regions() -> list[dict]:
    """The 31 provincial units: names, region group, tile-grid cell and neighbours."""
    return [{"adcode": p.adcode, "name": p.name, "short": p.short, "name_tc": p.name_tc,
             "name_en": p.name_en, "group": p.group, "tile": list(p.tile),
             "neighbours": [n.adcode for n in regions.neighbours(p.adcode)]}
            for p in regions.PROVINCES]


@router.get("/indicators", tags=["reference"])
def api_indicators() -> list[dict]:
    """The panel's indicators and their definitions."""
    from nqpf.data import load_dictionary

    return [{k: v for k, v in s.items() if k != "raw"} for s in load_dictionary().indicators]


@router.get("/panel", tags=["data"], responses=errors(404, 422))
def api_panel(indicator: Annotated[str, Query(max_length=100)], year: Year = None) -> list[dict]:
    """One indicator's values for every province and year (or one year)."""
    from nqpf.data import load_panel

    try:
        df = load_panel([indicator])
    except (KeyError, ValueError) as e:
        raise HTTPException(404, str(e.args[0]) if e.args else "unknown indicator") from None
    if year is not None:
        df = df[df["year"] == year]
    return records(df)


@router.get("/index", tags=["index"], responses=errors(404, 422))
async def api_index(request: Request, preset: str = "three-elements",
                    flavour: str = "intensity", year: Year = None,
                    weights: Weights = "entropy") -> dict:
    """The composite index's ranking in a year, with its dimensions and notes.

    Answers are kept in memory by (preset, flavour, weights, year) — the index itself by
    its inputs and the dataset's hash — and built in a worker thread the first time."""
    check_choice(preset, flavour)
    key = ("api-index", preset, flavour, weights, year)
    state = web(request)
    body = state.pages.get(key)
    if body is None:
        body = await anyio.to_thread.run_sync(_index_json, preset, flavour, weights, year)
        state.pages.put(key, body)
    return Response(body, media_type="application/json")  # type: ignore[return-value]


def _index_json(preset: str, flavour: str, weights: str, year: int | None) -> bytes:
    b = bundle(preset, flavour, weights)
    year = year or b.years[-1]
    if year not in b.years:
        raise HTTPException(404, f"year {year} not in {b.years[0]}–{b.years[-1]}")
    result = b.result
    out = {"preset": preset, "flavour": flavour, "weights": weights, "year": year,
           "dataset_hash": b.dataset_hash, "dimensions": b.dims,
           "ranking": records(b.api_ranking(year)), "notes": result.notes}  # type: ignore[attr-defined]
    return json.dumps(out, ensure_ascii=False, allow_nan=False,
                      separators=(",", ":")).encode("utf-8")


@router.get("/rank-intervals", tags=["index"], responses=errors(404, 422))
def api_intervals(preset: str = "three-elements", flavour: str = "intensity",
                  year: Year = None) -> list[dict]:
    """Rank intervals (5th–95th percentile over alternative index recipes)."""
    check_choice(preset, flavour)
    iv = rank_intervals(preset, flavour)
    if year is not None:
        iv = iv[iv["year"] == year]
    return records(iv)


@router.get("/articles", tags=["articles"], response_model=Page, responses=errors(422))
def api_articles(request: Request, limit: Limit = DEFAULT_LIMIT, offset: Offset = 0,
                 published_from: Annotated[str | None, Query(max_length=40)] = None) -> dict:
    """Stored articles, newest id last, a page at a time (no texts: see /api/articles/{id})."""
    store = web(request).store
    where, params = "", []
    if published_from:
        where, params = "WHERE published >= ?", [published_from]
    total = store.query(f"SELECT count(*) AS n FROM articles {where}", params).n[0]
    rows = store.query("SELECT id, sha256, source, published, title, script, ingested_at "
                       f"FROM articles {where} ORDER BY id LIMIT ? OFFSET ?",
                       [*params, limit, offset])
    return paged(request, int(total), limit, offset, records(rows))


@router.get("/articles/{article_id}", tags=["articles"], responses=errors(404, 422))
def api_article(request: Request, article_id: Id) -> dict:
    """One article: its texts, repairs, documents, targets, industries and claims."""
    store = web(request).store
    out = one_record(store, "articles", article_id, "article")
    for table in ("repairs", "documents", "targets", "industries", "claims"):
        out[table] = records(store.query(f"SELECT * FROM {table} WHERE article_id = ?",
                                         [article_id]))
    return out


@router.get("/documents", tags=["articles"], response_model=Page, responses=errors(404, 422))
def api_documents(request: Request, region: Text = None, limit: Limit = DEFAULT_LIMIT,
                  offset: Offset = 0) -> dict:
    """Documents named in the articles, a page at a time, filtered by province."""
    store = web(request).store
    where, params = "", []
    if region:
        where, params = "WHERE region = ?", [adcode(region)]
    total = store.query(f"SELECT count(*) AS n FROM documents {where}", params).n[0]
    rows = store.query(f"SELECT * FROM documents {where} ORDER BY id LIMIT ? OFFSET ?",
                       [*params, limit, offset])
    return paged(request, int(total), limit, offset, records(rows))


@router.get("/targets", tags=["targets"], response_model=Page, responses=errors(404, 422))
def api_targets(request: Request, region: Text = None,
                due_before: Annotated[int | None, Query(ge=1900, le=2200)] = None,
                status: Annotated[Status | None, Query()] = None, industry: Text = None,
                limit: Limit = DEFAULT_LIMIT, offset: Offset = 0) -> dict:
    """Targets with progress and status, a page at a time, filtered by province, deadline,
    industry and status."""
    total, df = safe_target_page(web(request).store, region=adcode(region) if region else None,
                                 due_before=due_before, industry=industry,
                                 status_filter=status or None, limit=limit, offset=offset)
    return paged(request, total, limit, offset, records(df))


@router.post("/targets/{target_id}/observations", tags=["targets"], status_code=201,
             dependencies=[Depends(require_bearer)], response_model=Recorded,
             responses=errors(401, 404, 413, 422))
def api_observe(request: Request, target_id: Id, obs: Observation) -> dict:
    """Record progress on a target (admin: ``Authorization: Bearer <token>``)."""
    store = web(request).store
    kind = store.query("SELECT kind FROM targets WHERE id = ?", [target_id])
    if kind.empty:
        raise HTTPException(404, f"no target {target_id}")
    if kind.kind[0] != "target":
        raise HTTPException(422, f"target_id: row {target_id} is a {kind.kind[0]}, not a target")
    try:
        oid = store.add_observation(target_id, obs.value, obs.date, obs.source)
    except StoreError as e:
        raise HTTPException(422, str(e)) from None
    return {"id": oid, "target_id": target_id}


@router.get("/industries", tags=["articles"])
def api_industries(request: Request) -> list[dict]:
    """Industries mentioned in the articles, with how often."""
    return records(web(request).store.query(
        "SELECT category, kind, term, count(*) AS mentions, count(DISTINCT article_id) AS "
        "articles FROM industries GROUP BY ALL ORDER BY mentions DESC"))
