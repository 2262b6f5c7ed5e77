"""The pages about what was read: targets (the tracker), one target, an article, a document.

Handlers are plain ``def`` (run in the thread pool: they read the store). A target shows its
baseline (first observation), its observations with their sources (an entered source text,
the panel indicator, or the article whose statistic reported it), the straight line from
the baseline to the target at the deadline, its status, and why it has no data when it has
none.
"""

from __future__ import annotations

import re

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse

from nqpf import regions
from nqpf.web import figures
from nqpf.web.common import PAGE_ROWS, Id, adcode, one_record, records, safe_target_page
from nqpf.web.fmt import article_title, quantity
from nqpf.web.i18n import label
from nqpf.web.state import render, web
from nqpf.web.targetdata import as_number, as_year, detail, observations_for
from nqpf.web.views import lang_of

__all__ = ["enrich", "marked", "region_label", "router", "target_filters"]

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)


def region_label(code: object, lang: str) -> str:
    """A province's name in the page's language; 全国 / National; the code if unknown."""
    if not code:
        return "—"
    if code == "100000":
        return "National" if lang == "en" else "全国"
    p = regions.try_resolve(str(code)) if str(code).isdigit() else None
    if p is None:
        return str(code)
    return p.name_en if lang == "en" else p.short


def _small_int(s: str | None, digits: int) -> int | None:
    """``s`` as a non-negative int of at most ``digits`` ASCII digits, else None."""
    return int(s) if s and re.fullmatch(rf"[0-9]{{1,{digits}}}", s) else None


def target_filters(request: Request) -> dict:
    """The targets page's filters from the query string, read leniently (an odd value is
    ignored, an unknown province is a 404)."""
    from nqpf.tracker import STATUSES

    q = request.query_params
    region, status, industry = q.get("region") or None, q.get("status"), q.get("industry")
    return {"region": adcode(region) if region else None,
            "due_before": _small_int(q.get("due_before"), 4),
            "industry": (industry or None) and industry[:100],
            "status_filter": status if status in STATUSES else None,
            "region_text": region or "", "status_text": status or "",
            "industry_text": industry or ""}


def enrich(store, rows: list[dict], lang: str) -> list[dict]:
    """Target rows with their observations, baseline, latest, value on the straight line,
    sources and no-data reason."""
    obs = observations_for(store, rows)
    for r in rows:
        o = obs.get(r["id"], [])
        d = detail(r, o)
        unit = r.get("unit") or ""
        r["obs"] = o
        r["region_label"] = region_label(r.get("region"), lang)
        r["reason"] = d["reason"]
        r["baseline_text"] = (f"{quantity(d['baseline']['value'], unit, lang)} "
                              f"({d['baseline']['date']})" if d["baseline"] else None)
        r["latest_text"] = (f"{quantity(d['latest_obs']['value'], unit, lang)} "
                            f"({d['latest_obs']['date']})" if d["latest_obs"] else None)
        r["expected_text"] = quantity(d["expected"], unit, lang) if d["expected"] is not None \
            else None
        r["baseline"], r["line"], r["expected"] = d["baseline"], d["line"], d["expected"]
        sources, seen = [], set()
        for x in o:
            key = (x["kind"], x["source"], x["article_id"])
            if key in seen:
                continue
            seen.add(key)
            sources.append(_source(x, lang))
        r["sources"] = sources
    return rows


def _source(o: dict, lang: str) -> dict:
    """An observation's source as the pages show it: text, and a link to an article."""
    if o["kind"] == "article":
        return {"text": f"{label('reported_by', lang)} #{o['article_id']}",
                "href": f"/article/{o['article_id']}?lang={lang}"}
    if o["kind"] == "panel":
        from nqpf.web.indexdata import indicator_info

        try:
            name = indicator_info(o["source"]).name[lang]
        except (KeyError, TypeError):
            name = str(o["source"])
        return {"text": f"{label('panel', lang)}: {name}",
                "href": f"/indicator/{o['source']}?lang={lang}"}
    return {"text": o["source"] or label("entered", lang), "href": None}


@router.get("/targets")
def targets_page(request: Request, offset: str | None = None) -> HTMLResponse:
    from nqpf.tracker import STATUSES

    f = target_filters(request)
    lang = lang_of(request)
    start = _small_int(offset, 9) or 0
    store = web(request).store
    total, df = safe_target_page(store, region=f["region"], due_before=f["due_before"],
                                 industry=f["industry"], status_filter=f["status_filter"],
                                 limit=PAGE_ROWS, offset=start)

    def at(k: int) -> str:
        return str(request.url.include_query_params(offset=k))

    pages = {"total": total, "first": start + 1 if total else 0,
             "last": min(start + PAGE_ROWS, total),
             "prev": at(max(0, start - PAGE_ROWS)) if start > 0 else None,
             "next": at(start + PAGE_ROWS) if start + PAGE_ROWS < total else None}
    query = str(request.url.query)
    query = "&".join(p for p in query.split("&") if p and not p.startswith(("offset=", "msg=")))
    provinces = [{"code": p.adcode, "name": p.name_en if lang == "en" else p.short}
                 for p in regions.PROVINCES]
    return render(request, "targets.html", targets=enrich(store, records(df), lang),
                  region=f["region_text"], due_before=f["due_before"] or "",
                  status=f["status_text"], statuses=STATUSES, industry=f["industry_text"],
                  provinces=provinces, pages=pages, csv_query=query)


def target_row(store, target_id: int) -> dict:
    """One target as the tracker's table gives it (status, progress, latest, observations),
    worked out from all of its observations; 404 if there is no such target."""
    from nqpf.tracker import panel_observations, status_of

    rows = store.query(
        "SELECT t.id, t.kind, t.value, t.unit, t.comparator, t.upper, t.currency, t.per_year, "
        "t.threshold, t.deadline, t.metric, t.metric_id, t.region, t.city, t.sentence, "
        "t.article_id, t.document_id, t.quantity_text, d.title AS document, d.issuer "
        "FROM targets t LEFT JOIN documents d ON d.id = t.document_id WHERE t.id = ?",
        [target_id])
    if rows.empty:
        raise HTTPException(404, f"no target {target_id}")
    row = records(rows)[0]
    if row["kind"] != "target":
        raise HTTPException(404, f"row {target_id} is a {row['kind']}, not a target")
    row["deadline"] = as_year(row["deadline"])
    region = row["region"] if isinstance(row["region"], str) else None
    indicator, _ = panel_observations(row["metric"] or "", row["unit"] or "", region, row["city"])
    row["panel_indicator"] = indicator
    obs = observations_for(store, [row])[target_id]
    status, progress, latest = status_of(row["comparator"] or "=", as_number(row["value"]),
                                         row["deadline"], [(o["date"], o["value"]) for o in obs])
    row.update(status=status, progress=progress, latest=latest, observations=len(obs))
    return row


@router.get("/target/{target_id}")
def target_page(request: Request, target_id: Id) -> HTMLResponse:
    store = web(request).store
    lang = lang_of(request)
    row = enrich(store, [target_row(store, target_id)], lang)[0]
    unit = row["unit"] or ""
    value = as_number(row["value"])
    scale, axis = _axis_unit(unit, [o["value"] for o in row["obs"]] + [value or 0.0], lang)
    points = [(o["date"], o["value"] / scale) for o in row["obs"]]
    chart = None
    if points or (value is not None and row["deadline"]):
        target = (f"{row['deadline']}-12-31", value / scale) \
            if value is not None and row["deadline"] else None
        line = [(d, v / scale) for d, v in row["line"]] if row["line"] else None
        chart = figures.target_chart(points, line, target, {
            "line": label("straight_line", lang), "observed": label("observations", lang),
            "target": label("the_target", lang)})
        chart["layout"]["yaxis"]["title"] = {"text": axis}
    for o in row["obs"]:
        o["value_text"] = quantity(o["value"], unit, lang)
        o["source_view"] = _source(o, lang)
    return render(request, "target.html", target=row, chart=chart,
                  target_text=quantity(value, unit, lang))


def _axis_unit(unit: str, values: list[float], lang: str) -> tuple[float, str]:
    """A chart axis's scale and unit for amounts of money: 亿元 / bn yuan when they are
    large, the target's own unit otherwise."""
    top = max((abs(v) for v in values if v is not None), default=0.0)
    if unit == "元" and top >= 1e8:
        return (1e8, "亿元") if lang == "zh" else (1e9, "bn yuan")
    if lang == "en":
        from nqpf.web.fmt import unit_en

        return 1.0, unit_en(unit) if unit else ""
    return 1.0, unit


@router.get("/article/{article_id}")
def article_page(request: Request, article_id: Id) -> HTMLResponse:
    store = web(request).store
    art = one_record(store, "articles", article_id, "article")
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
                  title=article_title(art, docs), original=original, text=text,
                  repairs=repairs, facts=facts, documents=docs)


@router.get("/document/{document_id}")
def document_page(request: Request, document_id: Id) -> HTMLResponse:
    store = web(request).store
    doc = one_record(store, "documents", document_id, "document")
    targets = records(store.query("SELECT * FROM targets WHERE document_id = ? ORDER BY id",
                                  [document_id]))
    return render(request, "document.html", f"document:{document_id}", document=doc,
                  targets=targets, region_name=region_label(doc.get("region"), lang_of(request)))


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
