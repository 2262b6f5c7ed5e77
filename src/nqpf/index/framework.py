"""Index frameworks: a hierarchy of any depth (index > dimension > … > indicator) from YAML.

A leaf names an indicator with a direction (``+`` benefit, ``-`` cost), an optional
denominator (the indicator is divided by it before anything else), an optional weight,
and an optional ``scale`` alternative used by the scale flavour of a preset. Any node may set
its own ``aggregation`` (arithmetic, geometric, topsis) and fixed child ``weight``\\ s.

>>> fw = Framework.from_dict({"name": "demo", "children": [
...     {"name": "科技", "children": [{"indicator": "rd_intensity", "scale": "rd_expenditure"}]},
...     {"name": "绿色", "children": [{"indicator": "so2_per_gdp", "direction": "-"}]}]})
>>> fw.indicators()
['rd_intensity', 'so2_per_gdp']
>>> fw.with_flavour("scale").indicators()
['rd_expenditure', 'so2_per_gdp']
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cache
from importlib import resources
from pathlib import Path

import yaml

__all__ = ["AGGREGATIONS", "Framework", "FrameworkError", "Node", "list_presets", "load_preset"]

AGGREGATIONS = ("arithmetic", "geometric", "topsis")
FLAVOURS = ("intensity", "scale")


class FrameworkError(ValueError):
    """A framework definition that cannot be used; names the node at fault."""


@dataclass(frozen=True)
class Node:
    name: str
    children: tuple[Node, ...] = ()
    indicator: str | None = None
    direction: int = 1
    denominator: str | None = None
    weight: float | None = None
    aggregation: str | None = None
    scale: str | None = None
    label_en: str | None = None

    @property
    def is_leaf(self) -> bool:
        return self.indicator is not None

    def leaves(self) -> list[Node]:
        if self.is_leaf:
            return [self]
        return [leaf for c in self.children for leaf in c.leaves()]

    def walk(self) -> list[Node]:
        """This node and every node below it, parents before children."""
        return [self] + [n for c in self.children for n in c.walk()]

    def to_dict(self) -> dict:
        if self.is_leaf:
            d: dict = {"indicator": self.indicator}
            if self.direction < 0:
                d["direction"] = "-"
            for k in ("denominator", "weight", "scale"):
                if getattr(self, k) is not None:
                    d[k] = getattr(self, k)
            if self.name != self.indicator:
                d["name"] = self.name
            return d
        d = {"name": self.name}
        for k in ("label_en", "weight", "aggregation"):
            if getattr(self, k) is not None:
                d[k] = getattr(self, k)
        d["children"] = [c.to_dict() for c in self.children]
        return d


def _direction(value: object, where: str) -> int:
    if value in (None, "+", 1, "1", "positive", "benefit"):
        return 1
    if value in ("-", -1, "-1", "negative", "cost"):
        return -1
    raise FrameworkError(f"{where}: direction must be '+' or '-', not {value!r}")


def _parse(d: dict, where: str) -> Node:
    if not isinstance(d, dict):
        raise FrameworkError(f"{where}: expected a mapping, got {d!r}")
    agg = d.get("aggregation")
    if agg is not None and agg not in AGGREGATIONS:
        raise FrameworkError(f"{where}: aggregation must be one of {AGGREGATIONS}, not {agg!r}")
    weight = d.get("weight")
    if weight is not None and (not isinstance(weight, int | float) or weight < 0):
        raise FrameworkError(f"{where}: weight must be a non-negative number, not {weight!r}")
    if "indicator" in d:
        if "children" in d:
            raise FrameworkError(f"{where}: a node has either an indicator or children, not both")
        ind = str(d["indicator"])
        return Node(name=str(d.get("name", ind)), indicator=ind,
                    direction=_direction(d.get("direction"), f"{where}/{ind}"),
                    denominator=d.get("denominator"), weight=weight, scale=d.get("scale"))
    name = d.get("name")
    kids = d.get("children")
    if not name or not kids:
        raise FrameworkError(f"{where}: a node needs a name and children (or an indicator)")
    children = tuple(_parse(c, f"{where}/{name}") for c in kids)
    return Node(name=str(name), children=children, weight=weight, aggregation=agg,
                label_en=d.get("label_en"))


@dataclass(frozen=True)
class Framework:
    """A named hierarchy with its documentation and default span of years."""

    root: Node
    description: str = ""
    years: tuple[int, int] | None = None
    references: tuple[str, ...] = ()
    notes: dict = field(default_factory=dict)

    @classmethod
    def from_dict(cls, d: dict) -> Framework:
        root = _parse(d, "framework")
        names = [n.name for n in root.walk() if not n.is_leaf]
        leaves = [n.indicator for n in root.leaves()]
        for label, items in (("node name", names), ("indicator", leaves)):
            dup = sorted({x for x in items if items.count(x) > 1})
            if dup:
                raise FrameworkError(f"framework {root.name!r}: duplicate {label} {dup}")
        years = tuple(d["years"]) if d.get("years") else None
        return cls(root=root, description=str(d.get("description", "")).strip(), years=years,
                   references=tuple(d.get("references", ())), notes=dict(d.get("notes", {})))

    @classmethod
    def from_yaml(cls, path: str | Path) -> Framework:
        with open(path, encoding="utf-8") as f:
            return cls.from_dict(yaml.safe_load(f))

    def to_dict(self) -> dict:
        d = self.root.to_dict()
        if self.description:
            d["description"] = self.description
        if self.years:
            d["years"] = list(self.years)
        if self.references:
            d["references"] = list(self.references)
        if self.notes:
            d["notes"] = dict(self.notes)
        return d

    @property
    def name(self) -> str:
        return self.root.name

    def indicators(self) -> list[str]:
        return [leaf.indicator for leaf in self.root.leaves()]  # type: ignore[misc]

    def inputs(self) -> list[str]:
        """Every panel indicator the framework reads (indicators and denominators)."""
        out: list[str] = []
        for leaf in self.root.leaves():
            for i in (leaf.indicator, leaf.denominator):
                if i and i not in out:
                    out.append(i)
        return out

    def with_flavour(self, flavour: str) -> Framework:
        """The intensity flavour is the framework as written; the scale flavour swaps each
        leaf with a ``scale`` alternative for it (absolute totals instead of ratios)."""
        if flavour not in FLAVOURS:
            raise FrameworkError(f"flavour must be one of {FLAVOURS}, not {flavour!r}")
        if flavour == "intensity":
            return self

        def swap(n: Node) -> Node:
            if n.is_leaf:
                return replace(n, indicator=n.scale, name=n.scale, denominator=None) if n.scale else n
            return replace(n, children=tuple(swap(c) for c in n.children))

        return replace(self, root=swap(self.root))

    def without(self, indicators: list[str]) -> Framework:
        """The framework with some indicators removed (empty nodes are removed too)."""
        drop = set(indicators)

        def prune(n: Node) -> Node | None:
            if n.is_leaf:
                return None if n.indicator in drop else n
            kids = tuple(k for k in (prune(c) for c in n.children) if k is not None)
            return replace(n, children=kids) if kids else None

        root = prune(self.root)
        if root is None:
            raise FrameworkError(f"dropping {sorted(drop)} leaves framework {self.name!r} empty")
        return replace(self, root=root)


def _preset_dir():
    return resources.files("nqpf.index") / "presets"


def list_presets() -> list[str]:
    """Names of the built-in presets."""
    return sorted(p.name[:-5] for p in _preset_dir().iterdir() if p.name.endswith(".yaml"))


def load_preset(name: str, flavour: str = "intensity") -> Framework:
    """A built-in framework.

    >>> load_preset("three-elements").root.name
    '新质生产力'
    """
    return _read_preset(name).with_flavour(flavour)


@cache
def _read_preset(name: str) -> Framework:
    f = _preset_dir() / f"{name}.yaml"
    if not f.is_file():
        raise FrameworkError(f"unknown preset {name!r}; presets are {', '.join(list_presets())}")
    with f.open(encoding="utf-8") as fh:
        return Framework.from_dict(yaml.safe_load(fh))
