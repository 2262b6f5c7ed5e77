"""The data dictionary: what each indicator of the embedded panel is, and where it comes from."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

DICTIONARY_PATH = Path(__file__).with_name("dictionary.yaml")

__all__ = ["Dictionary", "load_dictionary"]

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@dataclass(frozen=True)
class Dictionary:
    """The parsed ``dictionary.yaml``: sources, cleaning rules, indicator specs and pillars."""

    years: tuple[int, int]
    sources: dict[str, dict]
    cleaning: dict[str, str]
    indicators: list[dict]
    pillars: dict[str, dict] = field(default_factory=dict)

    def __getitem__(self, indicator: str) -> dict:
        for spec in self.indicators:
            if spec["id"] == indicator:
                return spec
        raise KeyError(f"unknown indicator {indicator!r}; see `nqpf data list`")

    @property
    def ids(self) -> list[str]:
        return [s["id"] for s in self.indicators]

    def citation(self, indicator: str) -> str:
        """Where an indicator comes from: its source's citation, or its formula if derived."""
        spec = self[indicator]
        if "formula" in spec:
            return f"derived: {spec['formula']}"
        text = f"{self.sources[spec['source']]['citation'].strip()} — {spec.get('table', '')}"
        for fill in self.fills(indicator):
            lo, hi = fill["years"]
            text += f"; {lo if lo == hi else f'{lo}–{hi}'} derived: {fill['formula']}"
        return text

    def fills(self, indicator: str) -> list[dict]:
        """A raw series' derived fills (``derived:``, one mapping or a list of them), each
        ``{years, formula, reason}``, in the order the build applies them."""
        der = self[indicator].get("derived")
        if der is None:
            return []
        return [der] if isinstance(der, dict) else list(der)

    def inputs(self, indicator: str) -> list[str]:
        """The indicators a formula (or a raw series' derived fill) reads, in order of use."""
        spec = self[indicator]
        formula = spec.get("formula") or " ".join(f["formula"] for f in self.fills(indicator))
        known = set(self.ids)
        return list(dict.fromkeys(n for n in _NAME.findall(formula) if n in known))

    def breaks(self, indicator: str) -> list[dict]:
        """The indicator's own series breaks plus those inherited through its formula, each
        ``{year, reason, reason_zh, provinces?, via?}`` (``reason_zh`` is the reason in
        Simplified Chinese; ``via`` names the input that carries it)."""
        out: list[dict] = [dict(b) for b in self[indicator].get("breaks", [])]
        if "formula" in self[indicator]:
            seen = {indicator}
            todo = self.inputs(indicator)
            while todo:
                name = todo.pop(0)
                if name in seen:
                    continue
                seen.add(name)
                out += [{**b, "via": name} for b in self[name].get("breaks", [])]
                if "formula" in self[name]:
                    todo += self.inputs(name)
        return sorted(out, key=lambda b: (b["year"], b.get("via", "")))


def _check(path: Path, doc: dict) -> None:
    ids = [s["id"] for s in doc["indicators"]]
    dup = {i for i in ids if ids.count(i) > 1}
    if dup:
        raise ValueError(f"{path}: duplicate indicator ids {sorted(dup)}")
    first, last = doc["years"]
    for spec in doc["indicators"]:
        where = f"{path}: indicator {spec.get('id')!r}"
        missing = {"id", "name_zh", "name_en", "unit"} - set(spec)
        if missing or ("raw" in spec) == ("formula" in spec):
            raise ValueError(f"{where} needs id, name_zh, name_en, unit and exactly one of "
                             f"raw/formula (missing {sorted(missing)})")
        if str(spec.get("notes") or "").strip() and not str(spec.get("notes_zh") or "").strip():
            raise ValueError(f"{where} has notes but no notes_zh (the notes in Simplified Chinese)")
        if "raw" in spec and spec.get("source") not in doc["sources"]:
            raise ValueError(f"{where}: unknown source {spec.get('source')!r}")
        windows = [("raw.years", spec.get("raw", {}).get("years")), ("years", spec.get("years"))]
        if "derived" in spec:
            fills = spec["derived"] if isinstance(spec["derived"], list) else [spec["derived"]]
            if "raw" not in spec or not fills or not all(
                    isinstance(f, dict) and {"years", "formula", "reason"} <= set(f)
                    for f in fills):
                raise ValueError(f"{where}: `derived` belongs on a raw indicator and needs "
                                 "years, formula and reason (one mapping or a list of them)")
            windows += [("derived.years", f["years"]) for f in fills]
        for key, window in windows:
            if window is None:
                continue
            if (not isinstance(window, list) or len(window) != 2
                    or not all(isinstance(y, int) and first <= y <= last for y in window)
                    or window[0] > window[1]):
                raise ValueError(f"{where}: {key} must be [first, last] within {first}–{last}, "
                                 f"not {window!r}")
        for b in spec.get("breaks", []):
            if (not isinstance(b, dict) or not isinstance(b.get("year"), int)
                    or not first <= b["year"] <= last or not str(b.get("reason", "")).strip()
                    or not set(b) <= {"year", "reason", "reason_zh", "provinces"}):
                raise ValueError(f"{where}: each break needs a year within {first}–{last}, "
                                 f"a reason and its reason_zh (optional provinces), not {b!r}")
            if not str(b.get("reason_zh") or "").strip():
                raise ValueError(f"{where}: the {b['year']} break has a reason but no reason_zh "
                                 "(the reason in Simplified Chinese)")
    for name, pillar in doc.get("pillars", {}).items():
        unknown = sorted(set(pillar.get("indicators", [])) - set(ids))
        if unknown or not pillar.get("indicators"):
            raise ValueError(f"{path}: pillar {name!r} lists unknown or no indicators {unknown}")


@cache
def load_dictionary(path: Path = DICTIONARY_PATH) -> Dictionary:
    """Read and check the data dictionary.

    >>> load_dictionary()["rd_intensity"]["unit"]
    '%'
    >>> [b["year"] for b in load_dictionary().breaks("rd_fte_per_10k_pop")]
    [2006, 2015]
    """
    with open(path, encoding="utf-8") as f:
        doc = yaml.safe_load(f)
    _check(path, doc)
    return Dictionary(years=tuple(doc["years"]), sources=doc["sources"],
                      cleaning=doc["cleaning"], indicators=doc["indicators"],
                      pillars=doc.get("pillars", {}))
