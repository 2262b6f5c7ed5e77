"""Target progress and status.

Status of a target with observations (value, date): **met** when the latest value satisfies
the target; **missed** when the deadline (31 December of its year) has passed unmet; else
**on track** if the latest value is at or beyond the straight line from the first
observation (the baseline) to the target at the deadline, **at risk** if behind it; **no
data** without observations (or for targets without a number, such as 一批千亿元级集群).
Costs (<=, <) run the other way. Observations come from the store (entered through the CLI or
the API) and, for province-level targets whose metric matches ``tracker_links.yaml``, from the
embedded panel.

>>> status_of("=", 100, 2025, [("2023-12-31", 40.0), ("2024-12-31", 76.0)], as_of="2025-01-15")
('on track', 0.6, 76.0)
>>> status_of("=", 100, 2025, [("2023-12-31", 40.0), ("2024-12-31", 70.0)], as_of="2025-01-15")[0]
'at risk'

"""

from __future__ import annotations

import json
import math
import re
from datetime import date
from functools import cache
from importlib import resources

import pandas as pd
import pyarrow as pa
import yaml

from nqpf.store import Store

__all__ = ["COLUMNS", "STATUSES", "panel_observations", "status_of", "target_page", "target_table"]

STATUSES = ("met", "on track", "at risk", "missed", "no data")
DECREASING = ("<=", "<")


def _d(s: str | date) -> date:
    return s if isinstance(s, date) else date.fromisoformat(str(s)[:10])


def status_of(comparator: str, target: float | None, deadline: int | None,
              observations: list[tuple[str, float]], as_of: str | date | None = None
              ) -> tuple[str, float | None, float | None]:
    """(status, share of the way from baseline to target, latest value)."""
    today = _d(as_of) if as_of else date.today()
    if target is None or deadline is None or not observations:
        return "no data", None, observations[-1][1] if observations else None
    obs = sorted((_d(d), float(v)) for d, v in observations)
    (d0, v0), (d1, v1) = obs[0], obs[-1]
    down = comparator in DECREASING
    met = v1 <= target if down else v1 >= target
    span = target - v0
    progress = 1.0 if span == 0 else max(0.0, min(1.0, (v1 - v0) / span))
    if met:
        return "met", 1.0, v1
    end = date(deadline, 12, 31)
    if today > end:
        return "missed", progress, v1
    total_days = (end - d0).days
    expected = v0 + span * ((d1 - d0).days / total_days if total_days > 0 else 1.0)
    behind = v1 > expected if down else v1 < expected
    return ("at risk" if behind else "on track"), progress, v1


@cache
def _links() -> list[dict]:
    text = (resources.files("nqpf") / "tracker_links.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)["links"]


def panel_observations(metric: str, unit: str, region: str | None, city: str | None
                       ) -> tuple[str | None, list[tuple[str, float]]]:
    """(indicator, observations) from the embedded panel for a matching target."""
    if region is None or city is not None or not metric:
        return None, []
    for link in _links():
        if link["unit"] == unit and re.search(link["pattern"], metric):
            return link["indicator"], _panel_series(link["indicator"], link["scale"]).get(
                region, [])
    return None, []


@cache
def _panel_series(indicator: str, scale: float) -> dict[str, list[tuple[str, float]]]:
    """An indicator's panel values by province, dated 31 December, in the target's unit."""
    from nqpf.data import load_panel

    df = load_panel([indicator]).dropna(subset=["value"]).sort_values("year")
    out: dict[str, list[tuple[str, float]]] = {}
    for code, year, value in zip(df["adcode"], df["year"], df["value"], strict=True):
        out.setdefault(code, []).append((f"{int(year)}-12-31", float(value) * scale))
    return out


def _iso_day(value: object) -> str | None:
    """``value`` as YYYY-MM-DD if it is a real date (a stored row written by hand or by
    another version may hold anything), else None.

    >>> _iso_day("2024-12-31"), _iso_day("soon"), _iso_day("2024-13-45")
    ('2024-12-31', None, None)
    """
    text = str(value)[:10] if value is not None else ""
    try:
        return date.fromisoformat(text).isoformat() if len(text) == 10 else None
    except ValueError:
        return None


def _year(value: object) -> int | None:
    """A plausible deadline year (1949–2100), else None."""
    try:
        year = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return int(year) if math.isfinite(year) and 1949 <= year <= 2100 else None


def _number(value: object) -> float | None:
    """A finite number, else None."""
    try:
        x = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return x if math.isfinite(x) else None


def _json_list(text: object) -> list:
    """A stored JSON list, [] for anything else."""
    try:
        out = json.loads(text) if isinstance(text, str) and text else []
    except ValueError:
        return []
    return out if isinstance(out, list) else []


#: The columns of :func:`target_table`, in order.
COLUMNS = ["id", "region", "industries", "region_name", "city", "metric", "metric_id", "value",
           "unit", "comparator", "upper", "currency", "per_year", "threshold", "deadline",
           "document", "document_id", "article_id", "status", "progress", "latest",
           "observations", "reported_in", "panel_indicator", "sentence"]


def _where(region: str | None, due_before: int | None, due_within_months: int | None,
           today: date, industry: str | None) -> tuple[str, list]:
    """The SQL filter on targets (alias ``t``) and its parameters."""
    from nqpf import regions

    sql, params = ["t.kind = 'target'"], []
    if region is not None:
        sql.append("t.region = ?")
        params.append(regions.resolve(region).adcode)
    if due_before is not None:
        sql.append("t.deadline <= ?")
        params.append(int(due_before))
    if due_within_months is not None:
        # a deadline falls due on 31 December of its year: due between today and the limit
        months = today.year * 12 + today.month - 1 + due_within_months
        limit = date(months // 12, months % 12 + 1, min(today.day, 28))
        last = limit.year if limit >= date(limit.year, 12, 31) else limit.year - 1
        sql.append("t.deadline BETWEEN ? AND ?")
        params += [today.year, last]
    if industry:
        quoted = json.dumps(industry, ensure_ascii=False)
        pattern = "%" + quoted.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        sql.append("(t.industry_categories LIKE ? ESCAPE '\\' OR "
                   "t.industry_terms LIKE ? ESCAPE '\\')")
        params += [pattern, pattern]
    return " AND ".join(sql), params


def _link_sql() -> tuple[str, list]:
    """A SQL expression naming a target's panel link (the first that matches), and its
    parameters; NULL for targets with none (a city's, or no region)."""
    cases, params = [], []
    for link in _links():
        cases.append("WHEN t.unit = ? AND regexp_matches(t.metric, ?) THEN ?")
        params += [link["unit"], link["pattern"], link["indicator"]]
    return ("CASE WHEN t.region IS NULL OR t.city IS NOT NULL OR coalesce(t.metric, '') = '' "
            f"THEN NULL {' '.join(cases)} END"), params


#: A statistic that reports on a target: the same canonical metric, region, city, unit and
#: size class, from any article (the target's own gives its baseline).
_REPORTS = ("s.kind = 'statistic' AND s.metric_id = t.metric_id AND s.region = t.region "
            "AND coalesce(s.city, '') = coalesce(t.city, '') AND s.unit = t.unit "
            "AND coalesce(s.threshold, -1) = coalesce(t.threshold, -1)")


def _reported(store: Store, where: str, params: list) -> dict[int, list[tuple[str, float, int]]]:
    """Observations of the matching targets from statistics in the store: (date, value,
    article id), dated 31 December of the year the figure is for, else the article's date."""
    df = store.query(
        "SELECT t.id AS target_id, CASE WHEN s.year IS NOT NULL THEN s.year || '-12-31' "
        "ELSE a.published END AS date, s.value, s.article_id FROM targets t "
        f"JOIN targets s ON {_REPORTS} JOIN articles a ON a.id = s.article_id "
        f"WHERE {where} AND t.metric_id IS NOT NULL AND s.value IS NOT NULL "
        "ORDER BY t.id, date, s.id", params)
    out: dict[int, list[tuple[str, float, int]]] = {}
    for tid, d, v, aid in zip(df["target_id"].tolist(), df["date"].tolist(),
                              df["value"].tolist(), df["article_id"].tolist(), strict=True):
        day, x = _iso_day(d), _number(v)
        if day is not None and x is not None:
            out.setdefault(int(tid), []).append((day, x, int(aid)))
    return out


def _statuses(store: Store, where: str, params: list, today: date) -> pa.Table:
    """Status, progress, latest value and number of observations of every matching target
    that has observations: its own (entered), from the panel (a linked indicator) or reported
    by statistics of the same metric in stored articles; the others have no data."""
    link, link_params = _link_sql()
    rows = store.query(
        f"SELECT t.id, t.value, t.comparator, t.deadline, t.region, t.metric, t.unit, "
        f"{link} AS indicator FROM targets t WHERE {where} AND ({link} IS NOT NULL OR EXISTS "
        "(SELECT 1 FROM observations o WHERE o.target_id = t.id) OR (t.metric_id IS NOT NULL "
        f"AND EXISTS (SELECT 1 FROM targets s WHERE {_REPORTS})))",
        [*link_params, *params, *link_params])
    obs = store.query(
        "SELECT o.target_id, o.date, o.value FROM observations o JOIN targets t "
        f"ON o.target_id = t.id WHERE {where} ORDER BY o.target_id, o.date, o.id", params)
    mine: dict[int, list[tuple[str, float]]] = {}
    for tid, d, v in zip(obs["target_id"].tolist(), obs["date"].tolist(),
                         obs["value"].tolist(), strict=True):
        day, x = _iso_day(d), _number(v)
        if day is not None and x is not None:  # a malformed stored row counts for nothing
            mine.setdefault(int(tid), []).append((day, x))
    reported = _reported(store, where, params)
    scale = {link["indicator"]: link["scale"] for link in _links()}
    out: dict[str, list] = {k: [] for k in ("id", "status", "progress", "latest",
                                            "observations", "panel_indicator", "reported_in")}
    rows = rows.astype(object).where(rows.notna(), None)
    for t in rows.itertuples(index=False):
        panel = (_panel_series(t.indicator, scale[t.indicator]).get(t.region, [])
                 if t.indicator else [])
        stats = reported.get(int(t.id), [])
        o = panel + mine.get(int(t.id), []) + [(d, v) for d, v, _ in stats]
        status, progress, latest = status_of(t.comparator, _number(t.value), _year(t.deadline),
                                             o, today)
        for k, v in (("id", int(t.id)), ("status", status), ("progress", progress),
                     ("latest", latest), ("observations", len(o)),
                     ("panel_indicator", t.indicator),
                     ("reported_in", json.dumps(sorted({a for _, _, a in stats})))):
            out[k].append(v)
    return pa.table(out, schema=pa.schema([
        ("id", pa.int64()), ("status", pa.string()), ("progress", pa.float64()),
        ("latest", pa.float64()), ("observations", pa.int64()),
        ("panel_indicator", pa.string()), ("reported_in", pa.string())]))


def target_page(store: Store, region: str | None = None, due_before: int | None = None,
                due_within_months: int | None = None, as_of: str | None = None,
                industry: str | None = None, status_filter: str | None = None,
                limit: int | None = None, offset: int = 0) -> tuple[int, pd.DataFrame]:
    """(how many targets match, the ``limit`` of them from ``offset``, by deadline): filtered
    in SQL by region, deadline, industry (a category such as 新能源汽车, or a term such as
    低空经济) and status. A status is worked out only for the targets with observations of
    their own or a panel link; every other target has no data. Only the page's rows are
    read."""
    today = _d(as_of) if as_of else date.today()
    where, params = _where(region, due_before, due_within_months, today, industry)
    known = _statuses(store, where, params, today)
    status_sql, status_params = "", []
    if status_filter is not None:
        status_sql, status_params = " AND coalesce(s.status, 'no data') = ?", [status_filter]
    base = (f"FROM targets t LEFT JOIN _status s ON s.id = t.id WHERE {where}{status_sql}")
    page_sql = "" if limit is None else " LIMIT ? OFFSET ?"
    page_params = [] if limit is None else [int(limit), int(offset)]
    if limit is None and offset:
        page_sql, page_params = " OFFSET ?", [int(offset)]
    total, df = store.query_with(
        {"_status": known},
        [(f"SELECT count(*) AS n {base}", [*params, *status_params]),
         ("SELECT t.id, t.value, t.unit, t.comparator, t.upper, t.currency, t.per_year, "
          "t.threshold, t.deadline, t.metric, t.region, t.city, t.sentence, t.article_id, "
          "d.title AS document, d.id AS document_id, t.industry_categories, "
          "coalesce(s.status, 'no data') AS status, s.progress, s.latest, "
          "coalesce(s.observations, 0) AS observations, s.panel_indicator, s.reported_in, "
          "t.metric_id "
          f"FROM targets t LEFT JOIN _status s ON s.id = t.id LEFT JOIN documents d "
          f"ON t.document_id = d.id WHERE {where}{status_sql} "
          f"ORDER BY t.deadline NULLS LAST, t.id{page_sql}",
          [*params, *status_params, *page_params])])
    return int(total.n[0]), _rows(df)


def _region_name(code: str) -> str:
    """A province's short name; 全国 for national figures; the code itself if unknown (a row
    stored by another version never breaks a table)."""
    from nqpf import regions

    if code == "100000":
        return "全国"
    try:
        return regions.resolve(code).short
    except (KeyError, ValueError):
        return str(code)


def _rows(df: pd.DataFrame) -> pd.DataFrame:
    """The page's rows as the table shows them (SQL NULLs as None, names and industries)."""

    df = df.astype(object).where(df.notna(), None)
    names = {code: _region_name(code) for code in set(df["region"]) if code}
    out = pd.DataFrame({
        "id": [int(x) for x in df["id"]], "region": df["region"],
        "industries": [_json_list(x) for x in df["industry_categories"]],
        "region_name": [names.get(code) for code in df["region"]], "city": df["city"],
        "metric": df["metric"],
        "value": [_number(x) for x in df["value"]],
        "unit": df["unit"], "comparator": df["comparator"], "upper": df["upper"],
        "currency": df["currency"], "per_year": [bool(x) for x in df["per_year"]],
        "threshold": df["threshold"],
        "deadline": [_year(x) for x in df["deadline"]],
        "document": df["document"],
        "document_id": [None if x is None else int(x) for x in df["document_id"]],
        "article_id": [int(x) for x in df["article_id"]], "status": df["status"],
        "progress": df["progress"], "latest": df["latest"], "observations": df["observations"],
        "panel_indicator": df["panel_indicator"], "sentence": df["sentence"],
        "metric_id": df["metric_id"],
        "reported_in": [_json_list(x) for x in df["reported_in"]]},
        columns=COLUMNS)
    return out.reset_index(drop=True)


def target_table(store: Store, region: str | None = None, due_before: int | None = None,
                 due_within_months: int | None = None, as_of: str | None = None,
                 industry: str | None = None, status: str | None = None) -> pd.DataFrame:
    """Every target with its document, industries (named in its sentence, else in its
    document's paragraph), latest value and status; filtered by region, deadline, industry
    and status (see :func:`target_page` for one page of them and the total)."""
    return target_page(store, region, due_before, due_within_months, as_of, industry,
                       status)[1]
