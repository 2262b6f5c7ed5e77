"""Index frameworks: a hierarchy of any depth (index > dimension > … > indicator) from YAML.

A leaf names an indicator with a direction (``+`` benefit, ``-`` cost), an optional
denominator (the indicator is divided by it before anything else), an optional weight,
and an optional ``scale`` alternative used by the scale flavour of a preset. Any node may set
its own ``aggregation`` over its children (arithmetic, geometric, topsis — a node's TOPSIS is
over its children, the tree form) and fixed child ``weight``\\ s. A node's own aggregation
needs a node-by-node recipe method (arithmetic, geometric, topsis-tree); the flat recipe
methods (topsis, bod, mpi, wroclaw, mean-min) refuse it.

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

from nqpf.index.spec import (
    check_acyclic,
    check_keys,
    check_number,
    check_years,
    load_yaml,
    located,
    read_text,
)

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
            for k in ("denominator", "weight", "scale", "label_en"):
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
    if value in (None, "+", 1, "1", "positive", "benefit") and not isinstance(value, bool):
        return 1
    if value in ("-", -1, "-1", "negative", "cost") and not isinstance(value, bool):
        return -1
    raise FrameworkError(f"{where}: direction must be '+' or '-', not {value!r}")


LEAF_KEYS = ("indicator", "name", "direction", "denominator", "weight", "scale", "label_en")
NODE_KEYS = ("name", "label_en", "weight", "aggregation", "children")
ROOT_KEYS = (*NODE_KEYS, "description", "years", "references", "notes")


def _text(d: dict, key: str, where: str, required: bool = False) -> str | None:
    """A string value (numbers are accepted as names), or None when absent."""
    value = d.get(key)
    if value is None and not required:
        return None
    ok = isinstance(value, str) or (key == "name" and isinstance(value, int)
                                    and not isinstance(value, bool))
    if not ok or not str(value).strip():
        raise FrameworkError(f"{where}: {key} must be a non-empty string, not {value!r}")
    return str(value)


def _parse(d: dict, where: str, root: bool = False) -> Node:
    if not isinstance(d, dict):
        raise FrameworkError(f"{where}: expected a mapping, got {d!r:.80}")
    if "indicator" in d:
        ind = _text(d, "indicator", where, required=True)
        here = f"{where}/{ind}"
        if "children" in d:
            raise FrameworkError(f"{here}: a node has either an indicator or children, not both")
        if root:
            raise FrameworkError(f"{where}: the root needs a name and children, not an indicator")
        check_keys(d, LEAF_KEYS, here, FrameworkError)
        return Node(name=_text(d, "name", here) or ind, indicator=ind,
                    direction=_direction(d.get("direction"), here),
                    denominator=_text(d, "denominator", here), weight=_weight(d, here),
                    scale=_text(d, "scale", here), label_en=_text(d, "label_en", here))
    name = d.get("name")
    kids = d.get("children")
    if not name or not kids:
        raise FrameworkError(f"{where}: a node needs a name and children (or an indicator)")
    name = _text(d, "name", where, required=True)
    here = where if root else f"{where}/{name}"
    check_keys(d, ROOT_KEYS if root else NODE_KEYS, here, FrameworkError)
    agg = d.get("aggregation")
    if agg is not None and agg not in AGGREGATIONS:
        raise FrameworkError(f"{here}: aggregation must be one of {AGGREGATIONS}, not {agg!r}")
    if not isinstance(kids, list):
        raise FrameworkError(f"{here}: children must be a list of nodes, not {kids!r:.80}")
    children = tuple(_parse(c, f"{where}/{name}") for c in kids)
    node = Node(name=str(name), children=children, weight=_weight(d, here), aggregation=agg,
                label_en=_text(d, "label_en", here))
    _check_child_weights(node, f"{where}/{name}")
    return node


def _weight(d: dict, where: str) -> float | None:
    w = d.get("weight")
    if w is not None:
        check_number(w, f"{where}: weight", FrameworkError, minimum=0)
    return w


def _check_child_weights(node: Node, where: str) -> None:
    """Fixed child weights are given for all children or none, and do not sum to zero."""
    given = [c for c in node.children if c.weight is not None]
    if not given:
        return
    missing = [c.name for c in node.children if c.weight is None]
    if missing:
        raise FrameworkError(f"{where}: fixed weights given for {[c.name for c in given]} "
                             f"but not for {missing}")
    if sum(c.weight for c in given) <= 0:  # type: ignore[misc]
        raise FrameworkError(f"{where}: fixed child weights sum to zero "
                             f"({', '.join(f'{c.name}: {c.weight:g}' for c in given)})")


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
        """A framework from a mapping; anything unusable raises :class:`FrameworkError`."""
        if not isinstance(d, dict):
            raise FrameworkError("a framework is a mapping with a name and children, not "
                                 f"{type(d).__name__} {d!r:.60}")
        check_acyclic(d, "framework", FrameworkError)
        root = _parse(d, "framework", root=True)
        names = [n.name for n in root.walk() if not n.is_leaf]
        leaves = [n.indicator for n in root.leaves()]
        for label, items in (("node name", names), ("indicator", leaves)):
            dup = sorted({x for x in items if items.count(x) > 1})
            if dup:
                raise FrameworkError(f"framework {root.name!r}: duplicate {label} {dup}")
        where = f"framework {root.name!r}"
        years = check_years(d["years"], f"{where}: years", FrameworkError) \
            if d.get("years") is not None else None
        description = d.get("description") or ""
        references = d.get("references") or []
        notes = d.get("notes") or {}
        if not isinstance(description, str):
            raise FrameworkError(f"{where}: description must be text, not {description!r:.60}")
        if not isinstance(references, list) or not all(isinstance(r, str) for r in references):
            raise FrameworkError(f"{where}: references must be a list of strings, not "
                                 f"{references!r:.60}")
        if not isinstance(notes, dict):
            raise FrameworkError(f"{where}: notes must be a mapping, not {notes!r:.60}")
        return cls(root=root, description=description.strip(), years=years,
                   references=tuple(references), notes=dict(notes))

    @classmethod
    def from_yaml(cls, path: str | Path) -> Framework:
        """A framework from a YAML file; errors name the file (and the line of a syntax error)."""
        data, _ = load_yaml(read_text(path, FrameworkError, "framework file"), str(path),
                            FrameworkError)
        if data is None:
            raise FrameworkError(f"{path}: no framework in the file (empty document)")
        try:
            return cls.from_dict(data)
        except FrameworkError as e:
            raise located(e, str(path)) from None

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
        for node in root.walk():
            _check_child_weights(node, f"framework {self.name!r} without {sorted(drop)}: "
                                       f"node {node.name!r}")
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
    data, _ = load_yaml(f.read_text(encoding="utf-8"), f"preset {name!r}", FrameworkError)
    return Framework.from_dict(data)
