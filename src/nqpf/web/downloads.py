"""CSV downloads of every table and chart: ``/download/<what>.csv?<the page's query>``.

Each file is UTF-8 with a byte-order mark (so Excel shows the Chinese), one header row, and
the same numbers the pages and the API show (unrounded). The query is the page's own, so a
download is exactly what is on screen. What there is:

``ranking`` (a year's ranking, as /api/index), ``scores`` (every node, year and province, with
the imputed inputs), ``intervals`` (rank intervals), ``trajectories`` (every province's score
and rank by year), ``history`` / ``indicators`` / ``explain`` (a province's, with
``province=``), ``compare`` (the provinces picked with ``p=``), ``indicator`` (one indicator,
``id=``), ``targets`` (the targets page's filters; up to 5,000 rows) and ``target`` (one
target's observations, ``id=``).
"""

from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd
from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response

from nqpf import regions
from nqpf.web.common import province, rank_intervals, records, safe_target_page
from nqpf.web.indexdata import bundle, explanation, indicator_info
from nqpf.web.state import web
from nqpf.web.views import View, view_of

__all__ = ["WHAT", "csv_response", "router"]

router = APIRouter(include_in_schema=False)
WHAT = ("ranking", "scores", "intervals", "trajectories", "history", "indicators", "explain",
        "compare", "indicator", "targets", "target")
MAX_TARGET_ROWS = 5000


_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _inert(value: object) -> object:
    """Text that a spreadsheet would run as a formula (=, +, -, @ first) gets a leading
    apostrophe; numbers and other text are left as they are."""
    if isinstance(value, str) and value.startswith(_FORMULA):
        return "'" + value
    return value


def csv_response(df: pd.DataFrame, name: str) -> Response:
    """``df`` as a CSV download: UTF-8 with a BOM, no index, text cells inert in a
    spreadsheet."""
    df = df.copy()
    for col in df.columns:
        if df[col].dtype == object or pd.api.types.is_string_dtype(df[col]):
            df[col] = df[col].map(_inert)
    body = "\ufeff" + df.to_csv(index=False, lineterminator="\r\n")
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-") or "nqpf"
    return Response(body.encode("utf-8"), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{safe}.csv"'})


def _tag(view: View) -> str:
    return f"{view.preset}-{view.flavour}-{view.weights}"


@router.get("/download/{what}.csv")
def download(request: Request, what: str) -> Response:
    if what not in WHAT:
        raise HTTPException(404, f"no download {what[:40]!r}; there are {', '.join(WHAT)}")
    if what in ("targets", "target"):
        return _targets(request) if what == "targets" else _target(request)
    view = view_of(request, strict=True)
    b = bundle(view.preset, view.flavour, view.weights)
    if what == "indicator":
        return _indicator(request, view)
    view = view.with_year(b.years)
    year = view.year
    if what == "ranking":
        return csv_response(b.ranking(year), f"nqpf-ranking-{_tag(view)}-{year}")
    if what == "scores":
        return csv_response(b.result.to_frame(), f"nqpf-scores-{_tag(view)}")  # type: ignore[attr-defined]
    if what == "intervals":
        iv = rank_intervals(view.preset, view.flavour)
        return csv_response(iv, f"nqpf-rank-intervals-{view.preset}-{view.flavour}")
    if what == "trajectories":
        return csv_response(_long(b, b.units, [b.root]), f"nqpf-trajectories-{_tag(view)}")
    if what == "compare":
        return csv_response(_long(b, list(view.provinces), [b.root, *b.dims]),
                            f"nqpf-compare-{_tag(view)}")
    p = province(request.query_params.get("province") or "")
    if what == "history":
        return csv_response(_long(b, [p.adcode], [b.root, *b.dims]),
                            f"nqpf-history-{p.adcode}-{_tag(view)}")
    if what == "indicators":
        return csv_response(_indicators(b, p.adcode, year), f"nqpf-indicators-{p.adcode}-{year}")
    e = explanation(view.preset, view.flavour, view.weights, p.adcode)
    df = pd.DataFrame(e["rows"], columns=["indicator", "dimension", "z_from", "z_to",
                                          "contribution"])
    df.insert(1, "name_zh", [b.label(i, "zh") for i in df["indicator"]])
    df.insert(2, "name_en", [b.label(i, "en") for i in df["indicator"]])
    df["year_from"], df["year_to"] = e["year_from"], e["year_to"]
    return csv_response(df, f"nqpf-explain-{p.adcode}-{_tag(view)}")


def _long(b, codes: list[str], nodes: list[str]) -> pd.DataFrame:
    """Scores and ranks of ``nodes`` for the provinces ``codes``, one row per (node, year,
    province)."""
    rows = []
    for node in nodes:
        for t, year in enumerate(b.years):
            for code in codes:
                u = b.u(code)
                p = regions.resolve(code)
                rows.append({"node": node, "node_en": b.label(node, "en"), "year": year,
                             "adcode": code, "province": p.short, "province_en": p.name_en,
                             "score": float(b.scores[node][t, u]),
                             "rank": int(b.ranks[node][t, u]),
                             "imputed_indicators": int(b.imputed[t, u].sum())})
    return pd.DataFrame(rows, columns=["node", "node_en", "year", "adcode", "province",
                                       "province_en", "score", "rank", "imputed_indicators"])


def _indicators(b, code: str, year: int) -> pd.DataFrame:
    t, u = b.t(year), b.u(code)
    rows = []
    for k, ind in enumerate(b.indicators):
        try:
            info = indicator_info(ind)
            zh, en, unit = info.name["zh"], info.name["en"], info.unit
        except KeyError:
            zh = en = ind
            unit = ""
        v, m = b.values[t, u, k], b.medians[t, k]
        rows.append({"indicator": ind, "name_zh": zh, "name_en": en, "unit": unit,
                     "dimension": b.dimension_of.get(ind, ""), "year": year,
                     "value": float(v) if np.isfinite(v) else None,
                     "imputed": bool(b.imputed[t, u, k]), "imputed_by": b.imputed_by[t, u, k],
                     "national_median": float(m) if np.isfinite(m) else None,
                     "rank": int(b.indicator_ranks[t, u, k])})
    return pd.DataFrame(rows)


def _indicator(request: Request, view: View) -> Response:
    from nqpf.web.pages import indicator_table

    ind = (request.query_params.get("id") or "")[:100]
    try:
        info = indicator_info(ind)
    except KeyError:
        raise HTTPException(404, f"unknown indicator {ind[:40]!r}") from None
    cells, _, _ = indicator_table(ind, view)
    rows = [{"indicator": ind, "year": year, "adcode": code,
             "province": regions.resolve(code).short, "province_en": regions.resolve(code).name_en,
             "value": value, "unit": info.unit, "imputed": imputed}
            for (year, code), (value, imputed) in sorted(cells.items())]
    return csv_response(pd.DataFrame(rows, columns=["indicator", "year", "adcode", "province",
                                                    "province_en", "value", "unit", "imputed"]),
                        f"nqpf-indicator-{ind}-{_tag(view)}")


def _targets(request: Request) -> Response:
    from nqpf.web.corpus import enrich, target_filters

    f = target_filters(request)
    store = web(request).store
    _, df = safe_target_page(store, region=f["region"], due_before=f["due_before"],
                             industry=f["industry"], status_filter=f["status_filter"],
                             limit=MAX_TARGET_ROWS)
    rows = enrich(store, records(df), "en")
    out = pd.DataFrame([{
        "id": r["id"], "region": r["region"], "region_name": r["region_name"],
        "region_en": r["region_label"], "city": r["city"], "metric": r["metric"],
        "metric_id": r["metric_id"], "value": r["value"], "unit": r["unit"],
        "comparator": r["comparator"], "deadline": r["deadline"], "status": r["status"],
        "no_data_reason": r["reason"], "progress": r["progress"], "latest": r["latest"],
        "observations": r["observations"],
        "baseline_date": r["baseline"]["date"] if r["baseline"] else None,
        "baseline_value": r["baseline"]["value"] if r["baseline"] else None,
        "expected_now": r["expected"], "panel_indicator": r["panel_indicator"],
        "reported_in": json.dumps(r["reported_in"] or []), "document": r["document"],
        "document_id": r["document_id"], "article_id": r["article_id"]} for r in rows])
    if not out.empty:
        out["deadline"] = pd.array(out["deadline"].tolist(), dtype="Int64")
    return csv_response(out, "nqpf-targets")


def _target(request: Request) -> Response:
    from nqpf.web.corpus import target_row

    raw = request.query_params.get("id") or ""
    if not re.fullmatch(r"[0-9]{1,15}", raw):
        raise HTTPException(422, "id: a target id is required")
    store = web(request).store
    row = target_row(store, int(raw))
    from nqpf.web.targetdata import observations_for

    obs = observations_for(store, [row])[row["id"]]
    df = pd.DataFrame([{"target_id": row["id"], "date": o["date"], "value": o["value"],
                        "unit": row["unit"], "kind": o["kind"], "source": o["source"],
                        "article_id": o["article_id"]} for o in obs],
                      columns=["target_id", "date", "value", "unit", "kind", "source",
                               "article_id"])
    return csv_response(df, f"nqpf-target-{row['id']}")
