"""The dashboard: a JSON API under /api and server-rendered pages, offline.

``create_app(store)`` builds the FastAPI app; ``nqpf serve`` runs it with uvicorn. plotly.js
is served from the installed plotly package, so no page needs the network.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Annotated
from urllib.parse import quote

import numpy as np
import pandas as pd
from fastapi import FastAPI, Form, HTTPException, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from pydantic import BaseModel

from nqpf import regions
from nqpf.extract.display import amount
from nqpf.store import Store, StoreError
from nqpf.web.guards import CaptchaBook, RateLimiter, csrf_ok, new_csrf_token
from nqpf.web.i18n import label

__all__ = ["create_app"]

PRESETS = ("three-elements", "tech-green-digital", "innovation")
NOTICE = {"zh": "评论仅代表网友意见，与本站立场无关",
          "en": "Comments are readers' own views, not this site's."}
MAX_BODY, MAX_NICK = 500, 30


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


def _check_choice(preset: str, flavour: str) -> None:
    if preset not in PRESETS:
        raise HTTPException(404, f"unknown preset {preset!r}; presets are {', '.join(PRESETS)}")
    if flavour not in ("intensity", "scale"):
        raise HTTPException(404, "flavour is intensity or scale")


def _records(df: pd.DataFrame) -> list[dict]:
    return json.loads(df.to_json(orient="records", force_ascii=False, date_format="iso"))


#: Rows per page of the list endpoints, by default and at most.
DEFAULT_LIMIT, MAX_LIMIT = 100, 1000
#: Rows per page of the targets table.
PAGE_ROWS = 100
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Rows per page.")]
Offset = Annotated[int, Query(ge=0, description="Rows to skip.")]


def _paged(request: Request, total: int, limit: int, offset: int, items: list) -> dict:
    """A page of a list: the items, the total, and the address of the next page (null on the
    last)."""
    nxt = None
    if offset + len(items) < total:
        nxt = str(request.url.include_query_params(offset=offset + limit, limit=limit))
    return {"total": total, "limit": limit, "offset": offset, "next": nxt, "items": items}


class Observation(BaseModel):
    value: float
    date: str
    source: str | None = None


def create_app(store: Store, moderation: bool = False, admin_token: str | None = None,
               comment_limit: int = 5) -> FastAPI:
    """The app, bound to ``store``. With ``moderation``, comments wait for approval at
    /admin?token=ADMIN_TOKEN."""
    app = FastAPI(title="nqpf", description="新质生产力观测 · NQPF observatory API",
                  version="0.1.0")
    templates = Jinja2Templates(directory=str(resources.files("nqpf.web") / "templates"))
    templates.env.filters["amount"] = lambda row: amount(
        row.get("value"), row.get("unit") or "", row.get("comparator") or "=", row.get("upper"),
        row.get("threshold"), row.get("currency"), bool(row.get("per_year")))
    captchas = CaptchaBook()
    limiter = RateLimiter(limit=comment_limit, window=60.0)
    app.state.store = store
    app.state.captchas = captchas

    def lang_of(request: Request) -> str:
        q = request.query_params.get("lang") or request.cookies.get("lang") or "zh"
        return "en" if q == "en" else "zh"

    def page(request: Request, template: str, page_id: str | None = None, **ctx) -> HTMLResponse:
        lang = lang_of(request)
        token = request.cookies.get("csrf") or new_csrf_token()
        comments = []
        captcha = None
        if page_id is not None:
            comments = _records(store.query(
                "SELECT id, nickname, body, created_at FROM comments WHERE page = ? AND "
                "status = 'visible' ORDER BY id", [page_id]))
            captcha = captchas.new()
        response = templates.TemplateResponse(request, template, {
            "t": lambda key: label(key, lang), "lang": lang, "csrf": token, "page_id": page_id,
            "comments": comments, "captcha": captcha, "notice": NOTICE[lang],
            "message": request.query_params.get("msg"), "moderation": moderation,
            "path": request.url.path, **ctx})
        response.set_cookie("csrf", token, httponly=True, samesite="strict")
        if request.query_params.get("lang"):
            response.set_cookie("lang", lang, samesite="lax")
        return response

    # ------------------------------------------------------------------ static
    @app.get("/static/plotly.min.js", include_in_schema=False)
    def plotly_js() -> Response:
        import plotly

        path = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
        return Response(path.read_bytes(), media_type="application/javascript",
                        headers={"Cache-Control": "max-age=86400"})

    # ------------------------------------------------------------------ API
    @app.get("/api/regions", tags=["reference"])
    def api_regions() -> list[dict]:
        return [{"adcode": p.adcode, "name": p.name, "short": p.short, "name_tc": p.name_tc,
                 "name_en": p.name_en, "group": p.group, "tile": list(p.tile),
                 "neighbours": [n.adcode for n in regions.neighbours(p.adcode)]}
                for p in regions.PROVINCES]

    @app.get("/api/indicators", tags=["reference"])
    def api_indicators() -> list[dict]:
        from nqpf.data import load_dictionary

        return [{k: v for k, v in s.items() if k != "raw"} for s in load_dictionary().indicators]

    @app.get("/api/panel", tags=["data"])
    def api_panel(indicator: str, year: int | None = None) -> list[dict]:
        from nqpf.data import load_panel

        try:
            df = load_panel([indicator])
        except KeyError as e:
            raise HTTPException(404, str(e.args[0])) from None
        if year is not None:
            df = df[df["year"] == year]
        return _records(df)

    @app.get("/api/index", tags=["index"])
    def api_index(preset: str = "three-elements", flavour: str = "intensity",
                  year: int | None = None) -> dict:
        _check_choice(preset, flavour)
        result = index_result(preset, flavour)
        year = year or result.years[-1]
        if year not in result.years:
            raise HTTPException(404, f"year {year} not in {result.years[0]}–{result.years[-1]}")
        ranking = result.ranking(year).reset_index()
        return {"preset": preset, "flavour": flavour, "year": year,
                "dataset_hash": result.dataset_hash, "dimensions": result.dimensions,
                "ranking": _records(ranking), "notes": result.notes}

    @app.get("/api/rank-intervals", tags=["index"])
    def api_intervals(preset: str = "three-elements", flavour: str = "intensity",
                      year: int | None = None) -> list[dict]:
        _check_choice(preset, flavour)
        iv = rank_intervals(preset, flavour)
        if year is not None:
            iv = iv[iv["year"] == year]
        return _records(iv)

    @app.get("/api/articles", tags=["articles"])
    def api_articles(request: Request, limit: Limit = DEFAULT_LIMIT, offset: Offset = 0,
                     published_from: str | None = None) -> dict:
        """Stored articles, newest id last, a page at a time (no texts: see
        /api/articles/{id})."""
        where, params = "", []
        if published_from:
            where, params = "WHERE published >= ?", [published_from]
        total = store.query(f"SELECT count(*) AS n FROM articles {where}", params).n[0]
        rows = store.query("SELECT id, sha256, source, published, title, script, ingested_at "
                           f"FROM articles {where} ORDER BY id LIMIT ? OFFSET ?",
                           [*params, limit, offset])
        return _paged(request, int(total), limit, offset, _records(rows))

    @app.get("/api/articles/{article_id}", tags=["articles"])
    def api_article(article_id: int) -> dict:
        rows = store.query("SELECT * FROM articles WHERE id = ?", [article_id])
        if rows.empty:
            raise HTTPException(404, f"no article {article_id}")
        out = _records(rows)[0]
        for table in ("repairs", "documents", "targets", "industries", "claims"):
            out[table] = _records(store.query(f"SELECT * FROM {table} WHERE article_id = ?",
                                              [article_id]))
        return out

    @app.get("/api/documents", tags=["articles"])
    def api_documents(request: Request, region: str | None = None,
                      limit: Limit = DEFAULT_LIMIT, offset: Offset = 0) -> dict:
        """Documents named in the articles, a page at a time, filtered by province."""
        where, params = "", []
        if region:
            where, params = "WHERE region = ?", [_adcode(region)]
        total = store.query(f"SELECT count(*) AS n FROM documents {where}", params).n[0]
        rows = store.query(f"SELECT * FROM documents {where} ORDER BY id LIMIT ? OFFSET ?",
                           [*params, limit, offset])
        return _paged(request, int(total), limit, offset, _records(rows))

    @app.get("/api/targets", tags=["targets"])
    def api_targets(request: Request, region: str | None = None, due_before: int | None = None,
                    status: str | None = None, industry: str | None = None,
                    limit: Limit = DEFAULT_LIMIT, offset: Offset = 0) -> dict:
        """Targets with progress and status, a page at a time, filtered by province, deadline,
        industry and status."""
        from nqpf.tracker import STATUSES, target_page

        if status and status not in STATUSES:
            raise HTTPException(422, f"status is one of {', '.join(STATUSES)}")
        total, df = target_page(store, region=_adcode(region) if region else None,
                                due_before=due_before, industry=industry,
                                status_filter=status or None, limit=limit, offset=offset)
        return _paged(request, total, limit, offset, _records(df))

    @app.post("/api/targets/{target_id}/observations", tags=["targets"], status_code=201)
    def api_observe(target_id: int, obs: Observation) -> dict:
        try:
            oid = store.add_observation(target_id, obs.value, obs.date, obs.source)
        except StoreError as e:
            raise HTTPException(422, str(e)) from None
        return {"id": oid, "target_id": target_id}

    @app.get("/api/industries", tags=["articles"])
    def api_industries() -> list[dict]:
        return _records(store.query(
            "SELECT category, kind, term, count(*) AS mentions, count(DISTINCT article_id) AS "
            "articles FROM industries GROUP BY ALL ORDER BY mentions DESC"))

    # ------------------------------------------------------------------ pages
    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def overview(request: Request, preset: str = "three-elements",
                 flavour: str = "intensity") -> HTMLResponse:
        _check_choice(preset, flavour)
        result = index_result(preset, flavour)
        ranking = result.ranking().reset_index()
        tiles = [{"adcode": regions.resolve(r.province).adcode, "short": r.province,
                  "name_en": regions.resolve(r.province).name_en,
                  "row": regions.resolve(r.province).tile[0],
                  "col": regions.resolve(r.province).tile[1], "score": float(r[result.root]),
                  "rank": int(r["rank"])} for _, r in ranking.iterrows()]
        return page(request, "overview.html", tiles=tiles, year=result.years[-1],
                    ranking=ranking.head(10).to_dict("records"), root=result.root,
                    preset=preset, flavour=flavour, presets=PRESETS)

    @app.get("/ranking", response_class=HTMLResponse, include_in_schema=False)
    def ranking_page(request: Request, preset: str = "three-elements",
                     flavour: str = "intensity") -> HTMLResponse:
        _check_choice(preset, flavour)
        result = index_result(preset, flavour)
        year = result.years[-1]
        iv = rank_intervals(preset, flavour)
        last = iv[iv["year"] == year].set_index("province")
        table = result.ranking(year).join(last[["median", "p5", "p95"]]).reset_index()
        ranks = result.ranks()
        top = list(table["province"][:10])
        trajectories = [{"name": p, "years": result.years, "ranks": ranks.loc[p].tolist()}
                        for p in top]
        return page(request, "ranking.html", table=table.to_dict("records"), root=result.root,
                    dimensions=result.dimensions, year=year, trajectories=trajectories,
                    preset=preset, flavour=flavour, presets=PRESETS)

    @app.get("/province/{code}", response_class=HTMLResponse, include_in_schema=False)
    def province_page(request: Request, code: str, preset: str = "three-elements",
                      flavour: str = "intensity") -> HTMLResponse:
        _check_choice(preset, flavour)
        p = _province(code)
        result = index_result(preset, flavour)
        t = len(result.years) - 1
        u = result.units.index(p.adcode)
        dims = {d: float(result.scores[d][t, u]) for d in result.dimensions}
        med = {d: float(np.median(result.scores[d][t])) for d in result.dimensions}
        z = result.raw[t]
        indicators = [{"indicator": k, "value": float(z[u, i]),
                       "median": float(np.median(z[:, i])),
                       "above": bool(z[u, i] >= np.median(z[:, i]) if
                                     result.framework.root.leaves()[i].direction > 0
                                     else z[u, i] <= np.median(z[:, i]))}
                      for i, k in enumerate(result.indicators)]
        from nqpf.tracker import target_page

        n_targets, first = target_page(store, region=p.adcode, limit=PAGE_ROWS)
        targets = _records(first)
        documents = _records(store.query("SELECT id, title, issuer, date FROM documents WHERE "
                                         "region = ? ORDER BY id DESC LIMIT ?",
                                         [p.adcode, PAGE_ROWS]))
        rank = int(result.ranking(result.years[-1]).loc[p.short, "rank"])
        claims = _records(store.query(
            "SELECT c.rank, c.subject, c.scope, c.score, c.rank_change, c.article_id, "
            "a.published, a.source FROM claims c JOIN articles a ON a.id = c.article_id "
            "WHERE c.region = ? ORDER BY a.published DESC NULLS LAST, c.article_id LIMIT ?",
            [p.adcode, PAGE_ROWS]))
        return page(request, "province.html", f"province:{p.adcode}", province=p, dims=dims,
                    n_targets=n_targets,
                    med=med, indicators=indicators, targets=targets, documents=documents,
                    claims=claims, rank=rank, year=result.years[-1], preset=preset,
                    flavour=flavour)

    @app.get("/targets", response_class=HTMLResponse, include_in_schema=False)
    def targets_page(request: Request, region: str | None = None,
                     due_before: str | None = None, status: str | None = None,
                     industry: str | None = None, offset: str | None = None) -> HTMLResponse:
        from nqpf.tracker import STATUSES, target_page

        due = int(due_before) if due_before and due_before.isdigit() else None
        start = int(offset) if offset and offset.isdigit() else 0
        total, df = target_page(store, region=_adcode(region) if region else None,
                                due_before=due, industry=industry or None,
                                status_filter=status if status in STATUSES else None,
                                limit=PAGE_ROWS, offset=start)
        def at(k: int) -> str:
            return str(request.url.include_query_params(offset=k))

        pages = {"total": total, "first": start + 1 if total else 0,
                 "last": min(start + PAGE_ROWS, total),
                 "prev": at(max(0, start - PAGE_ROWS)) if start > 0 else None,
                 "next": at(start + PAGE_ROWS) if start + PAGE_ROWS < total else None}
        return page(request, "targets.html", targets=_records(df), region=region or "",
                    due_before=due or "", status=status or "", statuses=STATUSES,
                    industry=industry or "", provinces=regions.PROVINCES, pages=pages)

    @app.get("/article/{article_id}", response_class=HTMLResponse, include_in_schema=False)
    def article_page(request: Request, article_id: int) -> HTMLResponse:
        rows = store.query("SELECT * FROM articles WHERE id = ?", [article_id])
        if rows.empty:
            raise HTTPException(404, f"no article {article_id}")
        art = rows.iloc[0]
        repairs = store.query("SELECT * FROM repairs WHERE article_id = ? ORDER BY start_pos",
                              [article_id])
        facts = store.query("SELECT * FROM targets WHERE article_id = ? ORDER BY start_pos",
                            [article_id])
        docs = store.query("SELECT * FROM documents WHERE article_id = ?", [article_id])
        return page(request, "article.html", f"article:{article_id}", article=art,
                    original=_marked(art["original"], [(r.start_pos, r.end_pos, "repair",
                                     f"{r.kind}: {r.replacement}") for r in repairs.itertuples()]),
                    text=_marked(art["text"], [(r.start_pos, r.end_pos, r.kind, r.metric)
                                               for r in facts.itertuples()]),
                    repairs=repairs.to_dict("records"), facts=facts.to_dict("records"),
                    documents=docs.to_dict("records"))

    @app.get("/document/{document_id}", response_class=HTMLResponse, include_in_schema=False)
    def document_page(request: Request, document_id: int) -> HTMLResponse:
        rows = store.query("SELECT * FROM documents WHERE id = ?", [document_id])
        if rows.empty:
            raise HTTPException(404, f"no document {document_id}")
        targets = store.query("SELECT * FROM targets WHERE document_id = ?", [document_id])
        return page(request, "document.html", f"document:{document_id}",
                    document=rows.iloc[0].to_dict(), targets=targets.to_dict("records"))

    @app.get("/ingest", response_class=HTMLResponse, include_in_schema=False)
    def ingest_form(request: Request) -> HTMLResponse:
        return page(request, "ingest.html")

    @app.post("/ingest", include_in_schema=False)
    async def ingest_post(request: Request, csrf: str = Form(""), text: str = Form(""),
                          published: str = Form(""), file: UploadFile | None = None):
        from nqpf.extract import InputError, extract_text
        from nqpf.extract.inputs import decode, parse_html, parse_text

        if not csrf_ok(request.cookies.get("csrf"), csrf):
            raise HTTPException(403, "invalid form token; reload the page")
        title = None
        source = "web form"
        if file is not None and file.filename:
            is_html = file.filename.lower().endswith((".html", ".htm"))
            try:  # UTF-8, GBK/GB18030 or Big5, as for files on the command line
                raw = decode(await file.read(), file.filename, html=is_html)
            except InputError:
                return RedirectResponse("/ingest?msg=" + quote("encoding"), status_code=303)
            source = file.filename
            parsed = parse_html(raw) if is_html else parse_text(raw, source=source)
            text, title = parsed.text, parsed.title
            published = published or parsed.published or ""
        if not text.strip():
            return RedirectResponse("/ingest?msg=" + quote("empty"), status_code=303)
        article = extract_text(text, published=published or None, source=source, title=title)
        aid = store.add_article(article)
        if aid is None:
            aid = int(store.query("SELECT id FROM articles WHERE sha256 = ?",
                                  [article.sha256]).id[0])
        return RedirectResponse(f"/article/{aid}", status_code=303)

    @app.post("/comments", include_in_schema=False)
    def post_comment(request: Request, page_id: str = Form(...), nickname: str = Form(""),
                     body: str = Form(""), captcha_id: str = Form(""),
                     captcha_answer: str = Form(""), csrf: str = Form(""), back: str = Form("/")):
        back = back if back.startswith("/") and not back.startswith("//") else "/"
        sep = "&" if "?" in back else "?"

        def go(msg: str) -> RedirectResponse:
            return RedirectResponse(f"{back}{sep}msg={quote(msg)}#comments", status_code=303)

        if not csrf_ok(request.cookies.get("csrf"), csrf):
            raise HTTPException(403, "invalid form token; reload the page")
        client = request.client.host if request.client else "unknown"
        if not limiter.allow(client):
            return go("rate")
        if not captchas.check(captcha_id, captcha_answer):
            return go("captcha")
        nickname, body = nickname.strip(), body.strip()
        if not nickname or len(nickname) > MAX_NICK or not body or len(body) > MAX_BODY:
            return go("length")
        if not _valid_page(page_id):
            raise HTTPException(400, "unknown page")
        store.add_comment(page_id, nickname, body, "held" if moderation else "visible", client)
        return go("held" if moderation else "posted")

    @app.get("/admin", response_class=HTMLResponse, include_in_schema=False)
    def admin(request: Request, token: str = Query("")) -> HTMLResponse:
        _admin_ok(token)
        held = store.query("SELECT * FROM comments WHERE status = 'held' ORDER BY id")
        visible = store.query("SELECT * FROM comments WHERE status = 'visible' ORDER BY id DESC "
                              "LIMIT 100")
        return page(request, "admin.html", held=held.to_dict("records"),
                    visible=visible.to_dict("records"), token=token)

    @app.post("/admin/comments/{comment_id}", include_in_schema=False)
    def moderate(request: Request, comment_id: int, action: str = Form(...),
                 token: str = Form(""), csrf: str = Form("")):
        _admin_ok(token)
        if not csrf_ok(request.cookies.get("csrf"), csrf):
            raise HTTPException(403, "invalid form token; reload the page")
        if action not in ("approve", "delete"):
            raise HTTPException(400, "action is approve or delete")
        store.set_comment_status(comment_id, "visible" if action == "approve" else "deleted")
        return RedirectResponse(f"/admin?token={quote(token)}", status_code=303)

    def _admin_ok(token: str) -> None:
        import hmac

        if not admin_token or not hmac.compare_digest(token, admin_token):
            raise HTTPException(403, "admin token required")

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException):
        if request.url.path.startswith("/api"):
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code)
        return HTMLResponse(f"<h1>{exc.status_code}</h1><p>{_escape(str(exc.detail))}</p>",
                            status_code=exc.status_code)

    return app


def _escape(s: str) -> str:
    import html

    return html.escape(s)


def _adcode(name: str) -> str:
    try:
        return regions.resolve(name).adcode
    except regions.UnknownRegionError as e:
        raise HTTPException(404, str(e)) from None


def _province(name: str):
    return regions.resolve(_adcode(name))


def _valid_page(page_id: str) -> bool:
    kind, _, key = page_id.partition(":")
    if kind == "province":
        return regions.try_resolve(key) is not None
    return kind in ("article", "document") and key.isdigit()


def _marked(text: str, spans: list[tuple[int, int, str, str]]) -> list[dict]:
    """Split ``text`` into plain and highlighted pieces for the templates (escaped there)."""
    pieces, pos = [], 0
    for start, end, kind, title in sorted(spans):
        start, end = max(start, pos), max(end, start)
        if start > pos:
            pieces.append({"text": text[pos:start], "kind": None, "title": None})
        pieces.append({"text": text[start:end] or "·", "kind": kind, "title": title})
        pos = end
    pieces.append({"text": text[pos:], "kind": None, "title": None})
    return pieces
