"""Helpers shared by the audit, the weight optimiser and the explanation of rank changes:
where each indicator sits in the framework, which observations a year selects, labels in
Chinese or English, and correlations of whole arrays."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import numpy as np
from scipy import stats

from nqpf import regions

if TYPE_CHECKING:
    from nqpf.index.framework import Node
    from nqpf.index.result import IndexResult

LANGS = ("en", "zh")


def check_lang(lang: str) -> None:
    if lang not in LANGS:
        raise ValueError(f"lang must be 'en' or 'zh', not {lang!r}")


def year_index(result: IndexResult, year: int, what: str = "year") -> int:
    """The position of ``year`` in the result, or a KeyError that gives the span."""
    if year not in result.years:
        raise KeyError(f"{what} {year} not in the result ({result.years[0]}–{result.years[-1]})")
    return result.years.index(year)


def observations(result: IndexResult, cube: np.ndarray, year: int | None) -> np.ndarray:
    """Rows of a (Y, U, ...) cube as observations: every province-year pooled (``year`` None)
    or the provinces of one year."""
    if year is None:
        return cube.reshape(-1, *cube.shape[2:])
    return cube[year_index(result, year)]


def scope_label(result: IndexResult, year: int | None) -> str:
    if year is None:
        return (f"{result.years[0]}–{result.years[-1]} pooled ({len(result.years)} years × "
                f"{len(result.units)} provinces)")
    return f"{year} ({len(result.units)} provinces)"


def parents(root: Node) -> tuple[dict[str, str], dict[str, str | None]]:
    """For every indicator: its parent node, and the top-level dimension it belongs to (None if
    it hangs directly from the root)."""
    parent: dict[str, str] = {}
    dimension: dict[str, str | None] = {}
    for node in root.walk():
        for c in node.children:
            if c.is_leaf:
                parent[c.indicator] = node.name  # type: ignore[index]
    for child in root.children:
        for leaf in child.leaves():
            dimension[leaf.indicator] = None if child.is_leaf else child.name  # type: ignore[index]
    return parent, dimension


def internal_nodes(root: Node) -> list[tuple[Node, int]]:
    """(node, depth) of every node with children, parents first; the root has depth 0."""
    out: list[tuple[Node, int]] = []

    def visit(n: Node, depth: int) -> None:
        if n.is_leaf:
            return
        out.append((n, depth))
        for c in n.children:
            visit(c, depth + 1)

    visit(root, 0)
    return out


def indicator_label(indicator: str, lang: str = "en") -> str:
    """The indicator's name from the data dictionary (English without its trailing gloss in
    brackets), or its id if the dictionary does not know it."""
    from nqpf.data import load_dictionary

    try:
        spec = load_dictionary()[indicator]
    except KeyError:
        return indicator
    if lang == "zh":
        return spec["name_zh"]
    return re.sub(r"\s*\([^()]*\)$", "", spec["name_en"]) or spec["name_en"]


def node_label(node: Node, lang: str = "en") -> str:
    if lang == "en" and node.label_en:
        return node.label_en
    return node.name


def province_label(unit: str, lang: str = "en") -> str:
    p = regions.resolve(unit)
    return p.name_en if lang == "en" else p.short


def pearson(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Pearson correlation of every column of ``a`` (n, K) with every column of ``b`` (n, M):
    (K, M). A constant column gives NaN."""
    a = a - a.mean(axis=0)
    b = b - b.mean(axis=0)
    na = np.sqrt((a**2).sum(axis=0))
    nb = np.sqrt((b**2).sum(axis=0))
    with np.errstate(invalid="ignore", divide="ignore"):
        r = (a.T @ b) / np.outer(na, nb)
    r[~np.isfinite(r)] = np.nan
    return np.clip(r, -1.0, 1.0)


def spearman(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Spearman correlation (Pearson on average ranks) of the columns of ``a`` with ``b``."""
    return pearson(stats.rankdata(a, axis=0), stats.rankdata(b, axis=0))


def ordinal(n: int, lang: str = "en") -> str:
    if lang == "zh":
        return f"第{n}位"
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def join_words(items: list[str], lang: str = "en") -> str:
    if lang == "zh":
        return "、".join(items)
    if len(items) <= 2:
        return " and ".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
