"""The data dictionary: what each indicator of the embedded panel is, and where it comes from."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

DICTIONARY_PATH = Path(__file__).with_name("dictionary.yaml")

__all__ = ["Dictionary", "load_dictionary"]


@dataclass(frozen=True)
class Dictionary:
    """The parsed ``dictionary.yaml``: sources, cleaning rules and indicator specs."""

    years: tuple[int, int]
    sources: dict[str, dict]
    cleaning: dict[str, str]
    indicators: list[dict]

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
        return f"{self.sources[spec['source']]['citation'].strip()} — {spec.get('table', '')}"


@cache
def load_dictionary(path: Path = DICTIONARY_PATH) -> Dictionary:
    """Read and check the data dictionary.

    >>> load_dictionary()["rd_intensity"]["unit"]
    '%'
    """
    with open(path, encoding="utf-8") as f:
        doc = yaml.safe_load(f)
    ids = [s["id"] for s in doc["indicators"]]
    dup = {i for i in ids if ids.count(i) > 1}
    if dup:
        raise ValueError(f"{path}: duplicate indicator ids {sorted(dup)}")
    for spec in doc["indicators"]:
        missing = {"id", "name_zh", "name_en", "unit"} - set(spec)
        if missing or ("raw" in spec) == ("formula" in spec):
            raise ValueError(f"{path}: indicator {spec.get('id')!r} needs id, name_zh, name_en, "
                             f"unit and exactly one of raw/formula (missing {sorted(missing)})")
        if "raw" in spec and spec.get("source") not in doc["sources"]:
            raise ValueError(f"{path}: indicator {spec['id']!r}: unknown source {spec.get('source')!r}")
    return Dictionary(years=tuple(doc["years"]), sources=doc["sources"],
                      cleaning=doc["cleaning"], indicators=doc["indicators"])
