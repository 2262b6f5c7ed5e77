"""A target's progress in detail: its observations with their sources, the baseline, the
straight line to the deadline, and why a target has no data.

Observations come from three places, as in :mod:`nqpf.tracker`: entered by an admin (the
``observations`` table, with a source text), the embedded panel (a linked indicator, dated 31
December) and statistics in stored articles that report the same metric (linked to the
article). The tracker's own status and progress stay authoritative; this module only shows
how they came about.
"""

from __future__ import annotations

import math
from datetime import date

from nqpf.store import Store

__all__ = ["as_day", "as_number", "as_year", "detail", "expected_on", "no_data_reason",
           "observations_for"]


def as_day(value: object) -> str | None:
    """``value`` as YYYY-MM-DD if it is a real date, else None."""
    text = str(value)[:10] if value is not None else ""
    try:
        return date.fromisoformat(text).isoformat() if len(text) == 10 else None
    except ValueError:
        return None


def as_number(value: object) -> float | None:
    """A finite number, else None."""
    try:
        x = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return x if math.isfinite(x) else None


def as_year(value: object) -> int | None:
    """A plausible year (1949–2100), else None."""
    x = as_number(value)
    return int(x) if x is not None and 1949 <= x <= 2100 else None


def observations_for(store: Store, rows: list[dict]) -> dict[int, list[dict]]:
    """Every observation of the targets in ``rows`` (dicts with ``id``, ``metric``, ``unit``,
    ``region``, ``city``, ``panel_indicator``), oldest first: ``{date, value, kind, source,
    article_id}`` with ``kind`` ``entered``, ``panel`` or ``article``."""
    from nqpf.tracker import _reported, panel_observations

    ids = [int(r["id"]) for r in rows if r.get("id") is not None]
    out: dict[int, list[dict]] = {i: [] for i in ids}
    if not ids:
        return out
    marks = ", ".join("?" * len(ids))
    entered = store.query(f"SELECT target_id, date, value, source FROM observations WHERE "
                          f"target_id IN ({marks}) ORDER BY target_id, date, id", ids)
    for tid, d, v, src in zip(entered["target_id"].tolist(), entered["date"].tolist(),
                              entered["value"].tolist(), entered["source"].tolist(), strict=True):
        day, x = as_day(d), as_number(v)
        if day is not None and x is not None:
            out[int(tid)].append({"date": day, "value": x, "kind": "entered",
                                  "source": src if isinstance(src, str) and src else None,
                                  "article_id": None})
    for r in rows:
        if r.get("panel_indicator"):
            indicator, obs = panel_observations(r.get("metric") or "", r.get("unit") or "",
                                                r.get("region"), r.get("city"))
            for d, v in obs:
                out[int(r["id"])].append({"date": d, "value": v, "kind": "panel",
                                          "source": indicator, "article_id": None})
    try:
        reported = _reported(store, f"t.id IN ({marks})", ids)
    except Exception:  # a malformed stored row must not break the page
        reported = {}
    for tid, items in reported.items():
        for d, v, aid in items:
            out.setdefault(int(tid), []).append({"date": d, "value": v, "kind": "article",
                                                 "source": None, "article_id": aid})
    for obs in out.values():
        obs.sort(key=lambda o: (o["date"], o["value"]))
    return out


def expected_on(day: str, baseline: tuple[str, float], target: float, deadline: int) -> float:
    """The value on ``day`` of the straight line from the baseline to the target on 31
    December of the deadline year."""
    d0, v0 = date.fromisoformat(baseline[0]), baseline[1]
    end = date(deadline, 12, 31)
    total = (end - d0).days
    share = 1.0 if total <= 0 else (date.fromisoformat(day) - d0).days / total
    return v0 + (target - v0) * share


def no_data_reason(row: dict) -> str | None:
    """Why a target has no data (a key of :data:`nqpf.web.i18n.NO_DATA`), or None when it has
    a status: ``no_number`` (一批… has no value to reach), ``no_metric`` (no canonical metric
    and no panel link, so no statistic can report on it) or ``not_reported``."""
    if row.get("status") not in (None, "no data"):
        return None
    if as_number(row.get("value")) is None:
        return "no_number"
    if not row.get("metric_id") and not row.get("panel_indicator"):
        return "no_metric"
    return "not_reported"


def detail(row: dict, obs: list[dict]) -> dict:
    """What the pages show of a target beyond its table row: baseline, latest, the value on
    the straight line at the latest observation, the line itself and the no-data reason."""
    value, deadline = as_number(row.get("value")), as_year(row.get("deadline"))
    out: dict = {"baseline": obs[0] if obs else None, "latest_obs": obs[-1] if obs else None,
                 "expected": None, "line": None,
                 "reason": no_data_reason(row)}
    if obs and value is not None and deadline is not None:
        base = (obs[0]["date"], obs[0]["value"])
        out["expected"] = expected_on(obs[-1]["date"], base, value, deadline)
        out["line"] = [base, (f"{deadline}-12-31", value)]
    return out
