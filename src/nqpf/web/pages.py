"""The server-rendered pages: overview, ranking, province, targets, article and document.

Handlers are plain ``def`` (run in the thread pool). Charts get their data from
``<script type="application/json">`` blocks read by /static/charts.js, so no page needs an
inline script.
"""

from __future__ import annotations

import re

import numpy as np
from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse

from nqpf import regions
from nqpf.web.common import (
    PAGE_ROWS,
    PRESETS,
    Id,
    adcode,
    check_choice,
    index_result,
    province,
    rank_intervals,
    records,
    safe_target_page,
)
from nqpf.web.state import render, web

__all__ = ["router"]

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)


@router.get("/")
def overview(request: Request, preset: str = "three-elements",
             flavour: str = "intensity") -> HTMLResponse:
    check_choice(preset, flavour)
    result = index_result(preset, flavour)
    ranking = result.ranking().reset_index()
    tiles = []
    for _, r in ranking.iterrows():
        p = regions.resolve(r.province)
        tiles.append({"adcode": p.adcode, "short": r.province, "name_en": p.name_en,
                      "row": p.tile[0], "col": p.tile[1], "score": float(r[result.root]),
                      "rank": int(r["rank"])})
    return render(request, "overview.html", tiles=tiles, year=result.years[-1],
                  ranking=ranking.head(10).to_dict("records"), root=result.root,
                  preset=preset, flavour=flavour, presets=PRESETS)


@router.get("/ranking")
def ranking_page(request: Request, preset: str = "three-elements",
                 flavour: str = "intensity") -> HTMLResponse:
    check_choice(preset, flavour)
    result = index_result(preset, flavour)
    year = result.years[-1]
    iv = rank_intervals(preset, flavour)
    last = iv[iv["year"] == year].set_index("province")
    table = result.ranking(year).join(last[["median", "p5", "p95"]]).reset_index()
    ranks = result.ranks()
    trajectories = [{"name": p, "years": result.years, "ranks": ranks.loc[p].tolist()}
                    for p in list(table["province"][:10])]
    return render(request, "ranking.html", table=table.to_dict("records"), root=result.root,
                  dimensions=result.dimensions, year=year, trajectories=trajectories,
                  preset=preset, flavour=flavour, presets=PRESETS)


@router.get("/province/{code}")
def province_page(request: Request, code: str, preset: str = "three-elements",
                  flavour: str = "intensity") -> HTMLResponse:
    check_choice(preset, flavour)
    p = province(code)
    store = web(request).store
    result = index_result(preset, flavour)
    t = len(result.years) - 1
    u = result.units.index(p.adcode)
    dims = {d: float(result.scores[d][t, u]) for d in result.dimensions}
    med = {d: float(np.median(result.scores[d][t])) for d in result.dimensions}
    z = result.raw[t]
    leaves = result.framework.root.leaves()
    indicators = []
    for i, k in enumerate(result.indicators):
        m = float(np.median(z[:, i]))
        up = z[u, i] >= m if leaves[i].direction > 0 else z[u, i] <= m
        indicators.append({"indicator": k, "value": float(z[u, i]), "median": m, "above": bool(up)})
    n_targets, first = safe_target_page(store, region=p.adcode, limit=PAGE_ROWS)
    documents = records(store.query("SELECT id, title, issuer, date FROM documents WHERE "
                                    "region = ? ORDER BY id DESC LIMIT ?", [p.adcode, PAGE_ROWS]))
    rank = int(result.ranking(result.years[-1]).loc[p.short, "rank"])
    claims = records(store.query(
        "SELECT c.rank, c.subject, c.scope, c.score, c.rank_change, c.article_id, "
        "a.published, a.source FROM claims c JOIN articles a ON a.id = c.article_id "
        "WHERE c.region = ? ORDER BY a.published DESC NULLS LAST, c.article_id LIMIT ?",
        [p.adcode, PAGE_ROWS]))
    return render(request, "province.html", f"province:{p.adcode}", province=p, dims=dims,
                  n_targets=n_targets, med=med, indicators=indicators,
                  targets=records(first), documents=documents, claims=claims, rank=rank,
                  year=result.years[-1], preset=preset, flavour=flavour)


def _small_int(s: str | None, digits: int) -> int | None:
    """``s`` as a non-negative int of at most ``digits`` ASCII digits, else None."""
    return int(s) if s and re.fullmatch(rf"[0-9]{{1,{digits}}}", s) else None


@router.get("/targets")
def targets_page(request: Request, region: str | None = None, due_before: str | None = None,
                 status: str | None = None, industry: str | None = None,
                 offset: str | None = None) -> HTMLResponse:
    from nqpf.tracker import STATUSES

    due = _small_int(due_before, 4)
    start = _small_int(offset, 9) or 0
    total, df = safe_target_page(web(request).store, region=adcode(region) if region else None,
                                 due_before=due, industry=(industry or None) and industry[:100],
                                 status_filter=status if status in STATUSES else None,
                                 limit=PAGE_ROWS, offset=start)

    def at(k: int) -> str:
        return str(request.url.include_query_params(offset=k))

    pages = {"total": total, "first": start + 1 if total else 0,
             "last": min(start + PAGE_ROWS, total),
             "prev": at(max(0, start - PAGE_ROWS)) if start > 0 else None,
             "next": at(start + PAGE_ROWS) if start + PAGE_ROWS < total else None}
    return render(request, "targets.html", targets=records(df), region=region or "",
                  due_before=due or "", status=status or "", statuses=STATUSES,
                  industry=industry or "", provinces=regions.PROVINCES, pages=pages)


@router.get("/article/{article_id}")
def article_page(request: Request, article_id: Id) -> HTMLResponse:
    store = web(request).store
    rows = store.query("SELECT * FROM articles WHERE id = ?", [article_id])
    if rows.empty:
        raise HTTPException(404, f"no article {article_id}")
    art = records(rows)[0]
    repairs = records(store.query("SELECT * FROM repairs WHERE article_id = ? ORDER BY start_pos",
                                  [article_id]))
    facts = records(store.query("SELECT * FROM targets WHERE article_id = ? ORDER BY start_pos",
                                [article_id]))
    docs = records(store.query("SELECT * FROM documents WHERE article_id = ?", [article_id]))
    original = marked(art["original"] or "", [(r["start_pos"], r["end_pos"], "repair",
                      f"{r['kind']}: {r['replacement']}") for r in repairs])
    text = marked(art["text"] or "", [(f["start_pos"], f["end_pos"], f["kind"], f["metric"])
                                      for f in facts])
    return render(request, "article.html", f"article:{article_id}", article=art,
                  original=original, text=text, repairs=repairs, facts=facts, documents=docs)


@router.get("/document/{document_id}")
def document_page(request: Request, document_id: Id) -> HTMLResponse:
    store = web(request).store
    rows = store.query("SELECT * FROM documents WHERE id = ?", [document_id])
    if rows.empty:
        raise HTTPException(404, f"no document {document_id}")
    targets = records(store.query("SELECT * FROM targets WHERE document_id = ?", [document_id]))
    return render(request, "document.html", f"document:{document_id}",
                  document=records(rows)[0], targets=targets)


def marked(text: str, spans: list[tuple]) -> list[dict]:
    """Split ``text`` into plain and highlighted pieces for the templates (escaped there);
    spans without whole positions inside the text are left out."""
    good = sorted(((int(a), int(b), kind, title) for a, b, kind, title in spans
                   if isinstance(a, int | float) and isinstance(b, int | float)
                   and a == a and b == b and 0 <= a <= len(text) and 0 <= b <= len(text)),
                  key=lambda s: (s[0], s[1]))
    pieces, pos = [], 0
    for start, end, kind, title in good:
        start, end = max(start, pos), max(end, start, pos)
        if start > pos:
            pieces.append({"text": text[pos:start], "kind": None, "title": None})
        pieces.append({"text": text[start:end] or "·", "kind": str(kind or "fact"),
                       "title": "" if title is None else str(title)})
        pos = end
    pieces.append({"text": text[pos:], "kind": None, "title": None})
    return pieces
