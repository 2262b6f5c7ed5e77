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

import re
from datetime import date
from functools import cache
from importlib import resources

import pandas as pd
import yaml

from nqpf.store import Store

__all__ = ["STATUSES", "panel_observations", "status_of", "target_table"]

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
            from nqpf.data import load_panel

            df = load_panel([link["indicator"]])
            df = df[df["adcode"] == region]
            obs = [(f"{int(y)}-12-31", float(v) * link["scale"])
                   for y, v in zip(df["year"], df["value"], strict=True)]
            return link["indicator"], obs
    return None, []


def target_table(store: Store, region: str | None = None, due_before: int | None = None,
                 due_within_months: int | None = None, as_of: str | None = None,
                 industry: str | None = None) -> pd.DataFrame:
    """Every target with its document, industries (named in its sentence, else in its
    document's paragraph), latest value and status; filtered by region, deadline and
    industry (a category such as 新能源汽车, or a term such as 低空经济)."""
    from nqpf import regions
    from nqpf.extract.industries import find_industries

    df = store.query(
        "SELECT t.id, t.value, t.unit, t.comparator, t.upper, t.currency, t.per_year, t.threshold, "
        "t.deadline, "
        "t.metric, "
        "t.region, t.city, t.sentence, t.article_id, d.title AS document, d.id AS document_id, "
        "d.industries AS document_industries "
        "FROM targets t LEFT JOIN documents d ON t.document_id = d.id "
        "WHERE t.kind = 'target' ORDER BY t.deadline, t.id")
    if region is not None:
        df = df[df["region"] == regions.resolve(region).adcode]
    if due_before is not None:
        df = df[df["deadline"] <= due_before]
    today = _d(as_of) if as_of else date.today()
    if due_within_months is not None:  # a deadline falls due on 31 December of its year
        months = today.year * 12 + today.month - 1 + due_within_months
        limit = date(months // 12, months % 12 + 1, min(today.day, 28))
        ends = df["deadline"].map(lambda y: date(int(y), 12, 31) if pd.notna(y) else None)
        df = df[ends.map(lambda e: e is not None and today <= e <= limit)]
    obs = store.query("SELECT target_id, date, value, source FROM observations ORDER BY date")
    df = df.astype(object).where(df.notna(), None)  # SQL NULLs as None, not NaN
    rows = []
    for t in df.itertuples():
        mine = [(r.date, r.value) for r in obs[obs["target_id"] == t.id].itertuples()]
        indicator, panel = panel_observations(t.metric, t.unit, t.region, t.city)
        value = None if t.value is None else float(t.value)
        deadline = None if t.deadline is None else int(t.deadline)
        status, progress, latest = status_of(t.comparator, value, deadline, panel + mine, today)
        hits = find_industries(t.sentence or "")
        categories = sorted({h.category for h in hits})
        terms = sorted({h.term for h in hits})
        if not hits and t.document_industries:
            import json

            terms = json.loads(t.document_industries)
            categories = sorted({h.category for term in terms for h in find_industries(term)})
        if industry and industry not in categories and industry not in terms:
            continue
        rows.append({"id": int(t.id), "region": t.region, "industries": categories,
                     "region_name": regions.resolve(t.region).short if t.region else None,
                     "city": t.city, "metric": t.metric, "value": value, "unit": t.unit,
                     "comparator": t.comparator, "upper": t.upper, "currency": t.currency,
                     "per_year": bool(t.per_year),
                     "threshold": t.threshold,
                     "deadline": deadline, "document": t.document,
                     "document_id": None if t.document_id is None else int(t.document_id),
                     "article_id": int(t.article_id), "status": status, "progress": progress,
                     "latest": latest, "observations": len(mine) + len(panel),
                     "panel_indicator": indicator, "sentence": t.sentence})
    return pd.DataFrame(rows, columns=["id", "region", "industries", "region_name", "city", "metric",
                                       "value", "unit", "comparator", "upper", "currency", "per_year",
                                       "threshold", "deadline", "document",
                                       "document_id", "article_id", "status", "progress",
                                       "latest", "observations", "panel_indicator", "sentence"])
