"""The index pages: overview (map), ranking, province, comparison and indicators.

Every choice is in the URL (:mod:`nqpf.web.views`). Pages that depend only on their view —
overview, ranking, comparison, indicators — are rendered once per view in a worker thread and
served from memory after that (the handler is ``async`` only to answer a cached page without
a thread hop; it never computes on the event loop). The province page reads the store on
every request (targets, documents, comments) in the thread pool; its index part comes from
the cached :class:`~nqpf.web.indexdata.Bundle` and explanation. Charts get their data from
``<script type="application/json">`` blocks read by /static/charts.js, so no page needs an
inline script.
"""

from __future__ import annotations

from collections.abc import Callable

import anyio
import numpy as np
from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse

from nqpf import regions
from nqpf.web import figures
from nqpf.web.common import PAGE_ROWS, province, rank_intervals, records, safe_target_page
from nqpf.web.fmt import number, quantity, score
from nqpf.web.i18n import LABELS, label
from nqpf.web.indexdata import (
    Bundle,
    bundle,
    explanation,
    indicator_info,
    indicator_series,
    name_of_province,
)
from nqpf.web.security import session_ok
from nqpf.web.state import base_context, finish, render, render_string, web
from nqpf.web.views import FLAVOURS, PRESETS, WEIGHTS, View, view_of

__all__ = ["cached_page", "router"]

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)


async def cached_page(request: Request, name: str, build: Callable[[View], tuple[str, dict]],
                      extra: tuple = ()) -> HTMLResponse:
    """The page ``name`` for the request's view: from memory, or built (``build(view)`` →
    template and context) and rendered in a worker thread, then kept."""
    view = view_of(request, strict=True)
    msg = request.query_params.get("msg")
    msg = msg if msg and f"msg_{msg}" in LABELS else None
    key = (name, *extra, view.key, view.truncated, session_ok(request), msg)
    state = web(request)
    html = state.pages.get(key)
    if html is None:
        def make() -> str:
            template, ctx = build(view)
            shown = ctx.pop("view", view)
            context = base_context(request, shown)
            other = "zh" if shown.lang == "en" else "en"
            context["switch"] = f"{request.url.path}?{shown.query(lang=other)}"
            context.update(ctx)
            return render_string(request, template, context)

        html = await anyio.to_thread.run_sync(make)
        state.pages.put(key, html)
    return finish(request, html)


# ------------------------------------------------------------------ shared pieces
def choices(view: View, b: Bundle | None = None) -> dict:
    """The control bar's options (framework, measure, weights, years) in the view's language."""
    return {"presets": PRESETS, "flavours": FLAVOURS, "weight_methods": WEIGHTS,
            "years": b.years if b else []}


def _names(b: Bundle, lang: str, full: bool = False) -> list[str]:
    return [name_of_province(c, lang, full) for c in b.units]


def _imputed_note(b: Bundle, t: int, u: int, lang: str) -> str:
    ids = b.imputed_ids(t, u)
    if not ids:
        return ""
    names = [b.label(i, lang) for i in ids]
    return f"{len(ids)} {label('imputed_inputs', lang)}: {', '.join(names)}"


def _index_map(b: Bundle, view: View, t: int) -> dict:
    lang = view.lang
    root = b.scores[b.root][t]
    ranks = b.ranks[b.root][t]
    values, labels, hover = {}, {}, {}
    for u, code in enumerate(b.units):
        name = name_of_province(code, lang)
        values[code] = float(root[u])
        labels[code] = str(int(ranks[u]))
        dagger = "†" if b.imputed[t, u].any() else ""
        hover[code] = (f"{name} · {label('score', lang)} {score(root[u])}{dagger} · "
                       f"{label('rank', lang)} {int(ranks[u])}")
    return figures.tilemap(values, labels, hover, "/province/{code}?" + view.query(provinces=()),
                           lang, label("score", lang))


def _ranking_rows(b: Bundle, view: View, t: int) -> list[dict]:
    lang = view.lang
    order = np.lexsort((-b.scores[b.root][t], b.ranks[b.root][t]))
    rows = []
    for u in order:
        code = b.units[u]
        prev = int(b.ranks[b.root][t - 1, u]) if t > 0 else None
        rank = int(b.ranks[b.root][t, u])
        rows.append({"rank": rank, "code": code, "name": name_of_province(code, lang),
                     "score": float(b.scores[b.root][t, u]),
                     "dims": [float(b.scores[d][t, u]) for d in b.dims],
                     "imputed": _imputed_note(b, t, u, lang),
                     "change": None if prev is None else prev - rank})
    return rows


# ------------------------------------------------------------------ overview
@router.get("/")
async def overview(request: Request) -> HTMLResponse:
    return await cached_page(request, "overview", _overview)


def _ranked(view: View):
    """The index result of a view, the view with its year settled, the year's index and its
    ranking rows (the overview and the ranking page start alike)."""
    b = bundle(view.preset, view.flavour, view.weights)
    view = view.with_year(b.years)
    t = b.t(view.year)
    return b, view, t, _ranking_rows(b, view, t)


def _overview(view: View) -> tuple[str, dict]:
    b, view, t, rows = _ranked(view)
    return "overview.html", {"view": view, "b": b, "year": view.year, "rows": rows[:10],
                             "root_label": b.label(b.root, view.lang),
                             "tilemap": _index_map(b, view, t), **choices(view, b)}


# ------------------------------------------------------------------ ranking
@router.get("/ranking")
async def ranking_page(request: Request) -> HTMLResponse:
    return await cached_page(request, "ranking", _ranking)


def _ranking(view: View) -> tuple[str, dict]:
    b, view, _, rows = _ranked(view)
    lang = view.lang
    iv = rank_intervals(view.preset, view.flavour)
    iv = iv[iv["year"] == view.year].set_index("adcode")
    for r in rows:
        if r["code"] in iv.index:
            x = iv.loc[r["code"]]
            r["interval"] = f"{int(x['p5'])}–{int(x['p95'])} ({x['median']:g})"
        else:
            r["interval"] = None
    top = [r["code"] for r in rows[:10]]
    series = []
    for code in top:
        u = b.u(code)
        series.append({"name": name_of_province(code, lang), "x": b.years,
                       "y": [int(x) for x in b.ranks[b.root][:, u]]})
    traj = figures.lines(series, label("rank", lang), reversed_y=True, height=420)
    return "ranking.html", {"view": view, "b": b, "year": view.year, "rows": rows,
                            "root_label": b.label(b.root, lang),
                            "dim_labels": [b.label(d, lang) for d in b.dims],
                            "traj": traj, **choices(view, b)}


# ------------------------------------------------------------------ province
def _province_index(b: Bundle, view: View, code: str) -> dict:
    """The province page's index part (cached per view and province)."""
    lang = view.lang
    t, u = b.t(view.year), b.u(code)
    dims = [b.label(d, lang) for d in b.dims]
    radar = figures.radar(dims, [float(b.scores[d][t, u]) for d in b.dims],
                          [float(np.median(b.scores[d][t])) for d in b.dims],
                          name_of_province(code, lang), label("median", lang))
    rank_series = [int(x) for x in b.ranks[b.root][:, u]]
    score_series = [round(float(x), 4) for x in b.scores[b.root][:, u]]
    history = figures.lines([{"name": label("score", lang), "x": b.years, "y": score_series}],
                            label("score", lang), height=300)
    rank_chart = figures.lines([{"name": label("rank", lang), "x": b.years, "y": rank_series,
                                 "colour": "#d62728"}], label("rank", lang), reversed_y=True,
                               height=300, y_range=[31.5, 0.5])
    indicators = []
    for k, ind in enumerate(b.indicators):
        try:
            info = indicator_info(ind)
            name, unit, title = info.name[lang], info.unit, info.title(lang)
        except KeyError:
            name, unit, title = ind, "", ind
        v, m = b.values[t, u, k], b.medians[t, k]
        better = None
        if np.isfinite(v) and np.isfinite(m):
            better = bool(v >= m) if b.directions[k] > 0 else bool(v <= m)
        indicators.append({"id": ind, "name": name, "title": title,
                           "value": quantity(v, unit, lang), "median": quantity(m, unit, lang),
                           "imputed": bool(b.imputed[t, u, k]),
                           "rank": int(b.indicator_ranks[t, u, k]), "better": better,
                           "dimension": b.label(b.dimension_of.get(ind, ""), lang)})
    e = explanation(view.preset, view.flavour, view.weights, code)
    contributions = []
    for r in e["rows"][:8]:
        contributions.append({"name": b.label(r["indicator"], lang), "id": r["indicator"],
                              "dimension": b.label(r["dimension"], lang) if r["dimension"]
                              else "—", "z_from": r["z_from"], "z_to": r["z_to"],
                              "contribution": r["contribution"]})
    return {"radar": radar, "history": history, "rank_chart": rank_chart,
            "indicators": indicators, "rank": int(b.ranks[b.root][t, u]),
            "score": float(b.scores[b.root][t, u]), "explain": e["text"][lang],
            "contributions": contributions, "n_contributions": len(e["rows"]),
            "any_imputed": any(i["imputed"] for i in indicators),
            "root_label": b.label(b.root, lang)}


@router.get("/province/{code}")
def province_page(request: Request, code: str) -> HTMLResponse:
    view = view_of(request, strict=True)
    p = province(code)
    state = web(request)
    b = bundle(view.preset, view.flavour, view.weights)
    view = view.with_year(b.years)
    key = ("province-index", p.adcode, view.key)
    part = state.pages.get(key)
    if part is None:
        part = _province_index(b, view, p.adcode)
        state.pages.put(key, part)
    store = state.store
    n_targets, first = safe_target_page(store, region=p.adcode, limit=PAGE_ROWS)
    documents = records(store.query("SELECT id, title, issuer, date FROM documents WHERE "
                                    "region = ? ORDER BY id DESC LIMIT ?", [p.adcode, PAGE_ROWS]))
    claims = records(store.query(
        "SELECT c.rank, c.subject, c.scope, c.score, c.rank_change, c.article_id, "
        "a.published, a.source FROM claims c JOIN articles a ON a.id = c.article_id "
        "WHERE c.region = ? ORDER BY a.published DESC NULLS LAST, c.article_id LIMIT ?",
        [p.adcode, PAGE_ROWS]))
    return render(request, "province.html", f"province:{p.adcode}", view=view, province=p,
                  n_targets=n_targets, targets=records(first), documents=documents,
                  claims=claims, year=view.year, b=b, **part, **choices(view, b))


# ------------------------------------------------------------------ compare
@router.get("/compare")
async def compare_page(request: Request) -> HTMLResponse:
    return await cached_page(request, "compare", _compare)


def _compare(view: View) -> tuple[str, dict]:
    b = bundle(view.preset, view.flavour, view.weights)
    view = view.with_year(b.years)
    lang = view.lang
    t = b.t(view.year)
    picked = [c for c in view.provinces if c in b.units]
    charts, rows = {}, []
    if picked:
        def series(node: str, ranks: bool = False) -> list[dict]:
            out = []
            for code in picked:
                u = b.u(code)
                ys = b.ranks[node][:, u] if ranks else b.scores[node][:, u]
                out.append({"name": name_of_province(code, lang), "x": b.years,
                            "y": [int(y) if ranks else round(float(y), 4) for y in ys]})
            return out

        charts["cmp-score"] = figures.lines(series(b.root), label("score", lang), height=320)
        charts["cmp-rank"] = figures.lines(series(b.root, ranks=True), label("rank", lang),
                                           reversed_y=True, height=320, y_range=[31.5, 0.5])
        for i, d in enumerate(b.dims):
            charts[f"cmp-dim-{i}"] = figures.lines(series(d), b.label(d, lang), height=280)
        for code in picked:
            u = b.u(code)
            rows.append({"code": code, "name": name_of_province(code, lang),
                         "rank": int(b.ranks[b.root][t, u]),
                         "score": float(b.scores[b.root][t, u]),
                         "dims": [float(b.scores[d][t, u]) for d in b.dims],
                         "dim_ranks": [int(b.ranks[d][t, u]) for d in b.dims],
                         "imputed": _imputed_note(b, t, u, lang)})
    dim_charts = [(f"cmp-dim-{i}", b.label(d, lang)) for i, d in enumerate(b.dims)]
    options = [{"code": p.adcode, "name": p.name_en if lang == "en" else p.short,
                "checked": p.adcode in picked} for p in regions.PROVINCES]
    return "compare.html", {"view": view, "b": b, "year": view.year, "charts": charts,
                            "dim_charts": dim_charts, "rows": rows, "options": options,
                            "root_label": b.label(b.root, lang),
                            "dim_labels": [b.label(d, lang) for d in b.dims],
                            **choices(view, b)}


# ------------------------------------------------------------------ indicators
@router.get("/indicators")
async def indicators_page(request: Request) -> HTMLResponse:
    return await cached_page(request, "indicators", _indicators)


def _indicators(view: View) -> tuple[str, dict]:
    from nqpf.data import load_dictionary

    b = bundle(view.preset, view.flavour, view.weights)
    lang = view.lang
    root = b.result.framework.root  # type: ignore[attr-defined]
    groups = []
    for child in root.children:
        items = []
        for lf in child.leaves():
            try:
                info = indicator_info(lf.indicator)
                items.append({"id": lf.indicator, "name": info.name[lang], "title": info.title(lang),
                              "unit": info.unit, "unit_en": _unit_en(info.unit)})
            except KeyError:
                items.append({"id": lf.indicator, "name": lf.indicator, "title": "", "unit": "",
                              "unit_en": ""})
        groups.append({"name": b.label(child.name, lang), "items": items})
    everything = []
    for spec in load_dictionary().indicators:
        info = indicator_info(spec["id"])
        everything.append({"id": spec["id"], "name": info.name[lang], "title": info.title(lang),
                           "unit": info.unit, "unit_en": _unit_en(info.unit)})
    return "indicators.html", {"view": view, "groups": groups, "everything": everything,
                               "root_label": b.label(b.root, lang), **choices(view, b)}


@router.get("/indicator/{indicator}")
async def indicator_page(request: Request, indicator: str) -> HTMLResponse:
    return await cached_page(request, "indicator", lambda v: _indicator(v, indicator[:100]),
                             (indicator[:100],))


def indicator_table(indicator: str, view: View) -> tuple[dict, list[int], object]:
    """An indicator's values as a year × province grid with the imputed cells of the view's
    index filled in and flagged: ({(year, adcode): (value, imputed)}, years, bundle)."""
    df = indicator_series(indicator)
    cells: dict[tuple[int, str], tuple[float, bool]] = {}
    for code, year, value in zip(df["adcode"], df["year"], df["value"], strict=True):
        if value == value:
            cells[(int(year), code)] = (float(value), False)
    b = bundle(view.preset, view.flavour, view.weights)
    if indicator in b.indicators:
        k = b.indicators.index(indicator)
        for t, year in enumerate(b.years):
            for u, code in enumerate(b.units):
                if b.imputed[t, u, k] and np.isfinite(b.values[t, u, k]):
                    cells[(year, code)] = (float(b.values[t, u, k]), True)
    years = sorted({y for y, _ in cells})
    return cells, years, b


def _indicator(view: View, indicator: str) -> tuple[str, dict]:
    try:
        info = indicator_info(indicator)
    except KeyError:
        raise HTTPException(404, f"unknown indicator {indicator[:40]!r}; see /indicators") from None
    lang = view.lang
    cells, years, b = indicator_table(indicator, view)
    view = view.with_year(years)
    direction = 1.0
    if indicator in b.indicators:
        direction = float(b.directions[b.indicators.index(indicator)])
    year = view.year
    present = [(code, cells[(year, code)]) for code in (p.adcode for p in regions.PROVINCES)
               if (year, code) in cells]
    present.sort(key=lambda x: -x[1][0] * direction)
    rows = []
    for i, (code, (value, imputed)) in enumerate(present):
        rows.append({"rank": i + 1, "code": code, "name": name_of_province(code, lang),
                     "value": quantity(value, info.unit, lang), "imputed": imputed, "raw": value})
    values = {code: v for code, (v, _) in present}
    hover = {code: f"{name_of_province(code, lang)}: {quantity(v, info.unit, lang)}"
                   f"{'†' if imp else ''}" for code, (v, imp) in present}
    tilemap = figures.tilemap(values, {c: "" for c in values}, hover,
                              "/province/{code}?" + view.query(provinces=()), lang,
                              info.unit if lang == "zh" else _unit_en(info.unit),
                              reverse=direction < 0)
    highlight = {i for i, r in enumerate(rows) if r["code"] in view.provinces}
    dist = figures.bars([r["name"] for r in rows], [r["raw"] for r in rows],
                        [r["value"] + ("†" if r["imputed"] else "") for r in rows], highlight,
                        info.unit if lang == "zh" else _unit_en(info.unit))
    series = []
    for p in regions.PROVINCES:
        got = [cells.get((y, p.adcode), (None, False)) for y in years]
        ys = [v for v, _ in got]
        if all(y is None for y in ys):
            continue
        chosen = p.adcode in view.provinces
        series.append({"name": name_of_province(p.adcode, lang), "x": years, "y": ys,
                       "text": [quantity(v, info.unit, lang) + ("†" if imp else "")
                                for v, imp in got],
                       "mode": "lines+markers" if chosen else "lines",
                       "width": 3 if chosen else 1,
                       "colour": None if chosen else "#c4ccd6", "hide_legend": not chosen})
    med = []
    for y in years:
        vs = [cells[(y, p.adcode)][0] for p in regions.PROVINCES if (y, p.adcode) in cells]
        med.append(float(np.median(vs)) if vs else None)
    series.append({"name": label("median", lang), "x": years, "y": med, "width": 3,
                   "colour": "#111", "text": [quantity(m, info.unit, lang) for m in med]})
    palette = iter(figures.PALETTE)
    for s in series:
        if s.get("colour") is None:
            s["colour"] = next(palette)
    trend = figures.lines(series, info.unit if lang == "zh" else _unit_en(info.unit), height=420)
    used = []
    for preset in PRESETS:
        for flavour in FLAVOURS:
            if indicator in bundle(preset, flavour).indicators:
                used.append((preset, flavour))
    return "indicator.html", {
        "view": view, "info": info, "name": info.name[lang], "year": year, "years": years,
        "unit_label": info.unit if lang == "zh" else _unit_en(info.unit),
        "rows": rows, "tilemap": tilemap, "dist": dist, "trend": trend, "used": used,
        "direction": direction, "in_index": indicator in b.indicators,
        "median": number(float(np.median([r["raw"] for r in rows]))) if rows else None,
        "median_qty": quantity(float(np.median([r["raw"] for r in rows])), info.unit, lang)
        if rows else None,
        "any_imputed": any(r["imputed"] for r in rows),
        "presets": PRESETS, "flavours": FLAVOURS, "weight_methods": WEIGHTS}


def _unit_en(unit: str) -> str:
    from nqpf.web.fmt import unit_en

    return unit_en(unit)
