"""Canonical metrics (``metrics.yaml``): the same series under different phrasings, so that a
statistic a later article reports (江苏高新技术企业达5.1万家) is progress on a target an earlier
one set (到2025年高新技术企业突破5万家).

>>> canonical_metric("高新技术企业数量", "家")
'high_tech_enterprises'
>>> canonical_metric("高新技术企业营收", "元") is None
True
>>> canonical_metric("全社会研发经费投入强度", "%")
'rd_intensity'
>>> canonical_metric("新增高新技术企业", "家")  # an increment is another series than a stock
'high_tech_enterprises_new'
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

import yaml

__all__ = ["canonical_metric", "vocabulary"]


@cache
def vocabulary() -> list[tuple[str, re.Pattern[str], frozenset[str], re.Pattern[str] | None]]:
    """(id, pattern, units, exclusion) of each canonical metric, in order."""
    text = (resources.files("nqpf.extract") / "metrics.yaml").read_text(encoding="utf-8")
    out = []
    for name, spec in yaml.safe_load(text)["metrics"].items():
        out.append((name, re.compile(spec["pattern"]), frozenset(spec["units"]),
                    re.compile(spec["not"]) if spec.get("not") else None))
    return out


#: Words that make a count an increment (新增100家) rather than a stock (达到1200家).
_INCREMENT = re.compile(r"新增|新培育|新认定|新引进|新建|新设立|新创建|新落地|新招引")


def canonical_metric(metric: str | None, unit: str | None) -> str | None:
    """The canonical id of a metric phrase in a unit, or None when none fits; an increment
    (新增…) is the id with ``_new``."""
    if not metric or not unit:
        return None
    for name, pattern, units, exclusion in vocabulary():
        if unit in units and pattern.search(metric) and not (
                exclusion and exclusion.search(metric)):
            return f"{name}_new" if unit != "%" and _INCREMENT.search(metric) else name
    return None
