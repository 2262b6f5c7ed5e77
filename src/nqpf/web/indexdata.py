"""The index as the pages read it, computed once and cached by its inputs.

A :class:`Bundle` is one index result — keyed by (framework, measure, weighting method,
dataset hash) — with what every page needs from it precomputed as arrays: scores and ranks of
the root and the dimensions, each indicator's value, imputed flag, national median and each
province's rank among the 31, and labels in both languages. The Shapley explanation of a
province's score change (first to last year) is cached per (bundle, province); an
indicator's panel series per indicator. All of it is computed off the event loop (the page
handlers call these in a worker thread on a cache miss).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import cache, lru_cache

import numpy as np
import pandas as pd

from nqpf import regions

__all__ = ["Bundle", "IndicatorInfo", "bundle", "data_hash", "explanation", "indicator_info",
           "indicator_series", "name_of_province", "node_labels"]

_lock = threading.Lock()


@cache
def data_hash() -> str:
    """The embedded panel's hash (part of every cache key)."""
    from nqpf.data import dataset_hash

    return dataset_hash()


def name_of_province(code: str, lang: str, full: bool = False) -> str:
    p = regions.resolve(code)
    if lang == "en":
        return p.name_en
    return p.name if full else p.short


# how a break shows the input series that carries it and the provinces it concerns
_VIA = {"zh": ("（源自", "）"), "en": (" (via ", ")")}
_PROVINCES = {"zh": ("［", "、", "］"), "en": (" [", ", ", "]")}


@dataclass(frozen=True)
class IndicatorInfo:
    """An indicator's dictionary entry, in both languages."""

    id: str
    name: dict[str, str]
    unit: str
    formula: str | None  # ids replaced by names: {lang: text}
    formula_names: dict[str, str]
    notes: dict[str, str]  # {lang: text}, "" in both when the indicator has none
    source: str
    # each {year, reason: {lang: text}, via: None or {lang: name}, via_id, provinces: [adcode]}
    breaks: list[dict]

    def title(self, lang: str) -> str:
        """The hover text: definition and source in one line."""
        parts = [self.name[lang]]
        if self.formula:
            parts.append(f"= {self.formula_names[lang]}")
        if self.notes.get(lang):
            parts.append(self.notes[lang])
        parts.append(("来源：" if lang == "zh" else "Source: ") + self.source)
        return " · ".join(parts)

    def breaks_in(self, lang: str) -> list[dict]:
        """The breaks as the page shows them in ``lang``: ``{year, reason, via, via_id,
        via_before, via_after, provinces}``. ``via`` is the name of the input series that
        carries the break (None for the indicator's own), to be shown between ``via_before``
        and ``via_after``; ``provinces`` the affected provinces in brackets ("" when all)."""
        before, after = _VIA.get(lang, _VIA["en"])
        left, sep, right = _PROVINCES.get(lang, _PROVINCES["en"])
        out = []
        for b in self.breaks:
            names = [name_of_province(code, lang) for code in b["provinces"]]
            out.append({"year": b["year"], "reason": b["reason"][lang],
                        "via": b["via"][lang] if b["via"] else None, "via_id": b["via_id"],
                        "via_before": before, "via_after": after,
                        "provinces": left + sep.join(names) + right if names else ""})
        return out


def _bilingual(spec: dict, key: str) -> dict[str, str]:
    """``spec[key]`` (English) and ``spec[key + "_zh"]`` as ``{lang: text}``; the Chinese
    falls back to the English when absent (the dictionary check forbids that)."""
    en = " ".join(str(spec.get(key) or "").split())
    zh = str(spec.get(f"{key}_zh") or "").strip()
    return {"zh": zh or en, "en": en}


def _short_names(spec: dict) -> dict[str, str]:
    """An indicator's names without a trailing parenthetical, for use inside one."""
    import re

    out = {}
    for lang in ("zh", "en"):
        full = spec[f"name_{lang}"]
        out[lang] = re.sub(r"\s*[(（][^()（）]*[)）]$", "", full) or full
    return out


@lru_cache(maxsize=256)
def indicator_info(indicator: str) -> IndicatorInfo:
    """The dictionary entry of ``indicator`` (KeyError if it has none)."""
    import re

    from nqpf.data import load_dictionary

    d = load_dictionary()
    spec = d[indicator]
    name_en = re.sub(r"\s*\([^()]*\)$", "", spec["name_en"]) or spec["name_en"]
    formula = spec.get("formula") or None
    names = {}
    for lang in ("zh", "en"):
        text = formula or ""
        for other in sorted(d.inputs(indicator), key=len, reverse=True):
            o = d[other]
            label = o["name_zh"] if lang == "zh" else o["name_en"]
            text = re.sub(rf"\b{re.escape(other)}\b", label, text)
        names[lang] = text
    years = _years_with_values(indicator)
    breaks = [{"year": b["year"], "reason": _bilingual(b, "reason"),
               "via": _short_names(d[b["via"]]) if b.get("via") else None,
               "via_id": b.get("via"),
               "provinces": [regions.resolve(p).adcode for p in b.get("provinces", [])]}
              for b in d.breaks(indicator)
              # a break at or before the first year of values splits nothing
              if not years or years[0] < b["year"] <= years[-1]]
    return IndicatorInfo(id=indicator, name={"zh": spec["name_zh"], "en": name_en},
                         unit=spec.get("unit") or "", formula=formula, formula_names=names,
                         notes=_bilingual(spec, "notes"),
                         source=" | ".join(_citations(d, indicator)), breaks=breaks)


def _years_with_values(indicator: str) -> list[int]:
    """The years the embedded panel has a value of ``indicator`` for (empty if none)."""
    from nqpf.data import coverage

    cov = coverage()
    if indicator not in cov.index:
        return []
    row = cov.loc[indicator]
    return [int(y) for y in row.index[row.to_numpy() > 0]]


def _citations(d, indicator: str) -> list[str]:
    """The sources an indicator comes from: its own, or those of the series its formula
    reads (each once)."""
    out: list[str] = []
    todo, seen = [indicator], set()
    while todo:
        name = todo.pop(0)
        if name in seen:
            continue
        seen.add(name)
        spec = d[name]
        if "formula" in spec:
            todo += d.inputs(name)
            continue
        text = " ".join(d.citation(name).split())
        if text not in out:
            out.append(text)
    return out


def node_labels(root) -> dict[str, dict[str, str]]:
    """Every node's name by language (an indicator's from the dictionary)."""
    out: dict[str, dict[str, str]] = {}
    for node in root.walk():
        if node.is_leaf and node.indicator:
            try:
                info = indicator_info(node.indicator)
                out[node.name] = dict(info.name)
                continue
            except KeyError:
                pass
        out[node.name] = {"zh": node.name, "en": node.label_en or node.name}
    return out


@dataclass
class Bundle:
    """One index result and what the pages read from it (arrays are year × province …)."""

    preset: str
    flavour: str
    weights: str
    result: object  # IndexResult
    years: list[int]
    units: list[str]  # adcodes, in the result's order
    root: str
    dims: list[str]
    labels: dict[str, dict[str, str]]  # node or indicator -> {lang: label}
    scores: dict[str, np.ndarray]  # root and dimensions -> (Y, U)
    ranks: dict[str, np.ndarray]  # the same -> (Y, U), 1 = best
    indicators: list[str]
    directions: np.ndarray  # (K,) +1 or -1
    values: np.ndarray  # (Y, U, K) after imputation
    imputed: np.ndarray  # (Y, U, K) bool
    imputed_by: np.ndarray  # (Y, U, K) method name or ""
    medians: np.ndarray  # (Y, K) national median
    indicator_ranks: np.ndarray  # (Y, U, K) rank among the provinces, 1 = best (direction)
    dataset_hash: str
    dimension_of: dict[str, str]  # indicator -> its top-level dimension

    def t(self, year: int) -> int:
        return self.years.index(year)

    def u(self, code: str) -> int:
        return self.units.index(code)

    def label(self, node: str, lang: str) -> str:
        return self.labels.get(node, {}).get(lang, node)

    def imputed_ids(self, t: int, u: int) -> list[str]:
        return [k for k, flag in zip(self.indicators, self.imputed[t, u], strict=True) if flag]

    def ranking(self, year: int) -> pd.DataFrame:
        """The year's ranking as the API gives it (best first), with the imputed inputs."""
        result = self.result
        df = result.ranking(year).reset_index()  # type: ignore[attr-defined]
        t = self.t(year)
        codes = [regions.resolve(p).adcode for p in df["province"]]
        df.insert(2, "adcode", codes)
        df.insert(3, "province_en", [regions.resolve(c).name_en for c in codes])
        df["imputed_indicators"] = [int(self.imputed[t, self.u(c)].sum()) for c in codes]
        df["imputed_list"] = [";".join(self.imputed_ids(t, self.u(c))) for c in codes]
        return df

    def api_ranking(self, year: int) -> pd.DataFrame:
        """The columns /api/index has always given: province, rank, root, dimensions."""
        return self.result.ranking(year).reset_index()  # type: ignore[attr-defined]


def _build(preset: str, flavour: str, weights: str) -> Bundle:
    from nqpf.index import Recipe
    from nqpf.index.result import rank_desc

    recipe = (Recipe(preset, flavour=flavour) if weights == "entropy" else
              Recipe(preset, flavour=flavour, weights={"method": weights}))
    result = recipe.build()
    nodes = [result.root, *result.dimensions]
    scores = {n: np.asarray(result.scores[n]) for n in nodes}
    ranks = {n: rank_desc(s) for n, s in scores.items()}
    leaves = result.framework.root.leaves()
    directions = np.array([float(lf.direction) for lf in leaves])
    values = np.asarray(result.raw, dtype=float)
    with np.errstate(all="ignore"):
        medians = np.nanmedian(values, axis=1)
    oriented = np.where(np.isfinite(values), values * directions, -np.inf)
    indicator_ranks = rank_desc(np.moveaxis(oriented, 2, 1))  # (Y, K, U)
    methods = np.array(["", *result.recipe.imputation], dtype=object)
    return Bundle(preset=preset, flavour=flavour, weights=weights, result=result,
                  years=list(result.years), units=list(result.units), root=result.root,
                  dims=list(result.dimensions), labels=node_labels(result.framework.root),
                  scores=scores, ranks=ranks, indicators=list(result.indicators),
                  directions=directions, values=values, imputed=np.asarray(result.imputed) > 0,
                  imputed_by=methods[np.clip(result.imputed, 0, None)],
                  medians=medians, indicator_ranks=np.moveaxis(indicator_ranks, 1, 2),
                  dataset_hash=result.dataset_hash,
                  dimension_of={lf.indicator: child.name
                                for child in result.framework.root.children
                                for lf in child.leaves()})


@lru_cache(maxsize=64)
def _bundle(preset: str, flavour: str, weights: str, dataset: str) -> Bundle:
    return _build(preset, flavour, weights)


def bundle(preset: str, flavour: str, weights: str = "entropy") -> Bundle:
    """The cached bundle of an index (one build per key, even under concurrent requests)."""
    with _lock:
        return _bundle(preset, flavour, weights, data_hash())


@lru_cache(maxsize=1024)
def _explanation(preset: str, flavour: str, weights: str, dataset: str, code: str) -> dict:
    from nqpf.analysis import explain

    b = bundle(preset, flavour, weights)
    e = explain(b.result, code, b.years[0], b.years[-1])
    c = e.contributions.reset_index()
    rows = []
    for r in c.itertuples(index=False):
        ind = str(r.indicator)
        rows.append({"indicator": ind, "dimension": None if pd.isna(r.dimension) else r.dimension,
                     "z_from": float(r.z_from) if not pd.isna(r.z_from) else None,
                     "z_to": float(r.z_to) if not pd.isna(r.z_to) else None,
                     "contribution": float(r.contribution)})
    return {"text": {lang: e.to_text(lang) for lang in ("zh", "en")}, "rows": rows,
            "change": float(e.change), "year_from": e.year_from, "year_to": e.year_to,
            "score_from": float(e.score_from), "score_to": float(e.score_to),
            "rank_from": int(e.rank_from), "rank_to": int(e.rank_to), "method": e.method}


def explanation(preset: str, flavour: str, weights: str, code: str) -> dict:
    """The Shapley explanation of a province's score change from the first to the last year:
    its text in both languages and every indicator's contribution (cached)."""
    return _explanation(preset, flavour, weights, data_hash(), code)


@lru_cache(maxsize=256)
def indicator_series(indicator: str) -> pd.DataFrame:
    """An indicator's panel values (adcode, province, year, value), every year it has."""
    from nqpf.data import load_panel

    df = load_panel([indicator])
    return df[["adcode", "province", "year", "value"]].reset_index(drop=True)
