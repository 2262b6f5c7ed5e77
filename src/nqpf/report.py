"""The offline report: one self-contained HTML file (plotly.js inlined once) and an XLSX
workbook with the same tables.

>>> import tempfile, pathlib
>>> out = pathlib.Path(tempfile.mkdtemp()) / "r.html"
>>> path = write_report(out, preset="innovation", replications=100)
>>> "<script src=" in path.read_text(encoding="utf-8")
False
"""

from __future__ import annotations

import html
from datetime import date
from pathlib import Path

import pandas as pd

from nqpf import regions
from nqpf.store import Store

__all__ = ["report_tables", "write_report"]


def report_tables(preset: str = "three-elements", flavour: str = "intensity",
                  store: Store | None = None, replications: int = 500) -> dict:
    """The report's content: index result, ranking with intervals, disparity, targets."""
    from nqpf.analysis import Alternatives, UncertaintyAnalysis, dagum_gini, theil
    from nqpf.analysis.uncertainty import DEFAULT_ALTERNATIVES
    from nqpf.index import Recipe

    recipe = Recipe(preset, flavour=flavour)
    result = recipe.build()
    year = result.years[-1]
    ua = UncertaintyAnalysis(recipe, Alternatives.from_dict(DEFAULT_ALTERNATIVES))
    robust = ua.run(replications, seed=0)
    intervals = robust.rank_intervals(year).set_index("province")
    ranking = result.ranking(year).join(intervals[["median", "p5", "p95"]])
    scores = result.score()
    g = dagum_gini(scores)
    disparity = g.overall.join(theil(scores)[["T", "Tw", "Tb"]])
    if store is not None:
        from nqpf.tracker import target_table

        targets = target_table(store)
    else:
        targets = pd.DataFrame(columns=["region_name", "metric", "value", "unit", "deadline",
                                        "status", "document"])
    from nqpf.analysis import audit

    return {"result": result, "year": year, "ranking": ranking, "disparity": disparity,
            "within": g.within, "targets": targets, "robust": robust,
            "audit": audit(result), "movers": _movers(result)}


def _movers(result, span: int = 3, most: int = 3) -> list:
    """Explanations for the provinces whose rank moved most over the last ``span`` years
    (Shapley contributions of the indicators), the largest moves first."""
    from nqpf.analysis import explain

    years = result.years
    y0, y1 = years[max(0, len(years) - 1 - span)], years[-1]
    r0, r1 = result.ranking(y0)["rank"], result.ranking(y1)["rank"]
    moves = (r0 - r1.reindex(r0.index)).abs().sort_values(ascending=False, kind="stable")
    return [explain(result, province, y0, y1) for province in moves.index[:most]]


def _table(df: pd.DataFrame, index: bool = True, digits: int = 3) -> str:
    return df.round(digits).to_html(index=index, escape=True, border=0, na_rep="–",
                                    classes="t")


def write_report(out: str | Path, preset: str = "three-elements", flavour: str = "intensity",
                 store: Store | None = None, xlsx: str | Path | None = None,
                 replications: int = 500) -> Path:
    """Write the HTML report (and the workbook if ``xlsx``); returns the HTML path."""
    from nqpf.analysis.figures import tile_map

    out = Path(out)
    t = report_tables(preset, flavour, store, replications)
    result, year, ranking = t["result"], t["year"], t["ranking"]
    root = result.root
    scores = {p: float(s) for p, s in ranking[root].items()}
    fig_map = tile_map(scores, f"{root} {year} ({preset}, {flavour})", colorscale="YlGnBu")
    fig_iv = t["robust"].rank_interval_figure(year)
    figs = [f.to_html(full_html=False, include_plotlyjs=(i == 0))
            for i, f in enumerate([fig_map, fig_iv])]
    targets = t["targets"]
    shown = targets.copy()
    if len(shown):  # the quantity as written (2万亿元); the workbook keeps base units
        from nqpf.extract.display import amount

        shown["target"] = [amount(r.get("value"), r.get("unit") or "", r.get("comparator") or "=",
                                  r.get("upper"), r.get("threshold"), r.get("currency"),
                                  bool(r.get("per_year")))
                           for r in shown.astype(object).where(shown.notna(), None)
                           .to_dict("records")]
    target_cols = [c for c in ["region_name", "metric", "target", "deadline", "status",
                               "progress", "document"] if c in shown.columns]
    status_counts = (targets["status"].value_counts().to_frame("targets")
                     if len(targets) else pd.DataFrame())
    esc = html.escape
    body = f"""<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<title>nqpf report · {esc(root)} {year}</title>
<style>body{{font-family:system-ui,"Noto Sans CJK SC",sans-serif;max-width:1100px;margin:1em auto;
padding:0 1em;color:#222}} table.t{{border-collapse:collapse;font-size:.9em}}
table.t td,table.t th{{border-bottom:1px solid #ddd;padding:.2em .5em;text-align:right}}</style>
</head><body>
<h1>新质生产力观测报告 · NQPF report</h1>
<p>{esc(preset)} · {esc(flavour)} · {year} · dataset {esc(result.dataset_hash[:12])} ·
generated {date.today().isoformat()} by nqpf</p>
<h2>Tile map</h2>{figs[0]}
<h2>Ranking and rank intervals</h2>
<p>Rank intervals vary normalisation, its scope, weights, aggregation, one dropped indicator and
±25 % weight noise ({t['robust'].replications} replications).</p>
{_table(ranking)}{figs[1]}
<h2>Regional disparity (Dagum Gini over NBS's four regions; Theil)</h2>
{_table(t['disparity'], digits=4)}
<h3>Gini within each region</h3>{_table(t['within'], digits=4)}
<h2>What moved the ranks ({esc(str(t["movers"][0].year_from)) if t["movers"] else ""}→{year})</h2>
{"".join(f"<p>{esc(e.to_text('zh'))}</p><p>{esc(e.to_text('en'))}</p>" for e in t["movers"])}
<h2>Statistical audit (COINr's checks)</h2>
<p>{esc(t["audit"].to_text("en"))}</p>
{_table(t["audit"].reliability)}
<h2>Target tracker</h2>
{_table(status_counts) if len(status_counts) else "<p>No targets in the store: "
 "<code>nqpf ingest</code> articles first.</p>"}
{_table(shown[target_cols], index=False) if len(targets) else ""}
<p style="color:#777">Notes: {esc("; ".join(result.notes))}</p>
</body></html>"""
    # both files are written under temporary names and moved into place only when both are
    # complete: a failure leaves the old files as they were and no temporary file behind
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp")
    tmpx = None if xlsx is None else Path(xlsx).with_name(f".{Path(xlsx).name}.tmp")
    try:
        tmp.write_text(body, encoding="utf-8")
        if tmpx is not None:
            with pd.ExcelWriter(tmpx, engine="openpyxl") as xl:
                ranking.to_excel(xl, sheet_name="ranking")
                t["disparity"].to_excel(xl, sheet_name="disparity")
                t["within"].to_excel(xl, sheet_name="gini_within")
                targets.to_excel(xl, sheet_name="targets", index=False)
                t["audit"].indicators.to_excel(xl, sheet_name="audit")
                pd.DataFrame({"adcode": [p.adcode for p in regions.PROVINCES],
                              "province": [p.short for p in regions.PROVINCES],
                              "tile_row": [p.tile[0] for p in regions.PROVINCES],
                              "tile_col": [p.tile[1] for p in regions.PROVINCES]}
                             ).to_excel(xl, sheet_name="tile_grid", index=False)
            tmpx.replace(Path(xlsx))
        tmp.replace(out)
    finally:
        for f in (tmp, tmpx):
            if f is not None:
                f.unlink(missing_ok=True)
    return out
