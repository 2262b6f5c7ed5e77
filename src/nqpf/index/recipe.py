"""The Recipe: every choice of an index in one object that builds it and can be rebuilt.

>>> from nqpf.index import Recipe
>>> result = Recipe("innovation").build()
>>> result.ranking(2023).index[0]
'北京'
>>> Recipe.from_json(Recipe("innovation", weights={"method": "critic"}).to_json()).weights
{'method': 'critic'}
"""

from __future__ import annotations

import json
import warnings
from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd
import yaml

from nqpf import regions
from nqpf.data import dataset_hash, load_panel, to_array
from nqpf.index.framework import Framework, load_preset
from nqpf.index.impute import Imputer, Screen
from nqpf.index.normalise import make_normaliser
from nqpf.index.result import IndexResult
from nqpf.index.treat import OutlierTreatment
from nqpf.index.tree import TreeError, aggregate_tree
from nqpf.index.weights import make_weighter

__all__ = ["IndexBuildError", "Prepared", "Recipe"]


class IndexBuildError(ValueError):
    """The panel cannot feed the recipe; the message names the indicator, unit or year."""


def _default_screening() -> dict:
    return {"min_indicator_coverage": 0.75, "min_unit_coverage": 0.75}


@dataclass
class Recipe:
    """Every choice that makes an index.

    framework: a preset name (``three-elements``, ``tech-green-digital``, ``innovation``) or
    a framework mapping; flavour: ``intensity`` or ``scale``; years: (first, last), default
    the framework's span; screening: coverage thresholds; imputation: chain of methods
    (``linear``, ``carry``, ``group-mean``); treatment: ``None`` or ``"coinr"`` outlier rule;
    normalisation, weights, aggregation: ``{"method": ..., **options}``; drop: indicators to
    leave out.
    """

    framework: str | dict = "three-elements"
    flavour: str = "intensity"
    years: tuple[int, int] | None = None
    screening: dict = field(default_factory=_default_screening)
    imputation: list[str] = field(default_factory=lambda: ["linear", "carry", "group-mean"])
    treatment: str | None = None
    normalisation: dict = field(default_factory=lambda: {"method": "minmax", "scope": "panel"})
    weights: dict = field(default_factory=lambda: {"method": "entropy", "scope": "panel"})
    aggregation: dict = field(default_factory=lambda: {"method": "arithmetic"})
    drop: list[str] = field(default_factory=list)

    # ------------------------------------------------------------------ serialisation
    def to_dict(self) -> dict:
        d = asdict(self)
        d["years"] = list(self.years) if self.years else None
        return d

    @classmethod
    def from_dict(cls, d: dict) -> Recipe:
        known = set(cls.__dataclass_fields__)
        unknown = set(d) - known
        if unknown:
            raise ValueError(f"unknown recipe field(s) {sorted(unknown)}; fields are {sorted(known)}")
        d = dict(d)
        if d.get("years") is not None:
            d["years"] = tuple(d["years"])
        return cls(**d)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Recipe:
        return cls.from_dict(json.loads(text))

    def to_yaml(self) -> str:
        return yaml.safe_dump(self.to_dict(), allow_unicode=True, sort_keys=False)

    @classmethod
    def from_yaml(cls, text: str) -> Recipe:
        return cls.from_dict(yaml.safe_load(text))

    def replace(self, **changes) -> Recipe:
        """A copy with some choices changed (the basis of sensitivity analysis)."""
        return Recipe.from_dict({**self.to_dict(), **changes})

    # ------------------------------------------------------------------ build
    def resolve_framework(self) -> Framework:
        if isinstance(self.framework, str):
            fw = load_preset(self.framework, self.flavour)
        else:
            fw = Framework.from_dict(self.framework).with_flavour(self.flavour)
        return fw.without(self.drop) if self.drop else fw

    def prepare(self, panel: pd.DataFrame | None = None) -> Prepared:
        """Framework, years, screening and denominators: everything before the numeric steps.

        Both :meth:`build` and the uncertainty analysis start from here."""
        embedded = panel is None
        panel = load_panel() if embedded else panel
        fw = self.resolve_framework()
        years = self.years or fw.years
        if years is None:
            years = (int(panel["year"].min()), int(panel["year"].max()))
        year_list = list(range(int(years[0]), int(years[1]) + 1))
        available = set(panel["indicator"].unique())
        missing = [i for i in fw.inputs() if i not in available]
        notes: list[str] = []
        if missing:
            notes.append(f"not in the panel, left out: {', '.join(missing)}")
            warnings.warn(f"{fw.name}: indicators not in the panel, left out: {', '.join(missing)}",
                          UserWarning, stacklevel=3)
            fw = fw.without([leaf.indicator for leaf in fw.root.leaves()
                             if leaf.indicator in missing or leaf.denominator in missing])
        arr = to_array(panel, fw.inputs(), years=year_list)
        leaves = fw.root.leaves()
        cols = {name: i for i, name in enumerate(arr.indicators)}
        x = np.stack([arr.values[..., cols[lf.indicator]] / arr.values[..., cols[lf.denominator]]
                      if lf.denominator else arr.values[..., cols[lf.indicator]] for lf in leaves],
                     axis=-1)
        x[~np.isfinite(x)] = np.nan
        indicators = [lf.indicator for lf in leaves]

        keep_u, keep_k = Screen(**self.screening).select(x)
        dropped_ind = [i for i, k in zip(indicators, keep_k, strict=True) if not k]
        if dropped_ind:
            fw = fw.without(dropped_ind)
            notes.append(f"dropped by screening (coverage): {', '.join(dropped_ind)}")
        units = [u for u, k in zip(arr.units, keep_u, strict=True) if k]
        dropped_units = [regions.resolve(u).short for u, k in zip(arr.units, keep_u, strict=True)
                         if not k]
        if dropped_units:
            notes.append(f"units dropped by screening (coverage): {', '.join(dropped_units)}")
        if not keep_k.any() or not keep_u.any():
            raise IndexBuildError("screening left no indicators or no units; lower the thresholds")
        return Prepared(framework=fw, years=year_list, units=units,
                        indicators=[i for i, k in zip(indicators, keep_k, strict=True) if k],
                        x=x[:, keep_u][:, :, keep_k], notes=notes,
                        dataset_hash=dataset_hash(None if embedded else panel))

    def fill(self, prep: Prepared, imputation: list[str] | None = None
             ) -> tuple[np.ndarray, np.ndarray, list[str], list[dict]]:
        """Impute and treat: returns values, the imputation map, notes and the outlier report."""
        imputation = list(self.imputation if imputation is None else imputation)
        groups = [regions.resolve(u).group for u in prep.units]
        x, imputed = Imputer(tuple(imputation)).impute(prep.x, groups)
        notes = []
        for i, method in enumerate(imputation, start=1):
            cells = (imputed == i).sum(axis=(0, 1))
            if cells.any():
                what = ", ".join(f"{prep.indicators[k]} ({int(c)})" for k, c in enumerate(cells) if c)
                notes.append(f"imputed by {method}: {what}")
        if np.isnan(x).any():
            y, u, k = (int(a[0]) for a in np.nonzero(np.isnan(x)))
            raise IndexBuildError(
                f"no value for {prep.indicators[k]}, {regions.resolve(prep.units[u]).short}, "
                f"{prep.years[y]} after imputation {imputation}; add an imputation method or "
                "drop it")
        outliers: list[dict] = []
        if self.treatment == "coinr":
            x, outliers = OutlierTreatment().treat(x, prep.indicators)
        elif self.treatment is not None:
            raise ValueError(f"unknown treatment {self.treatment!r}; use None or 'coinr'")
        return x, imputed, notes, outliers

    def build(self, panel: pd.DataFrame | None = None) -> IndexResult:
        """Compute the index on ``panel`` (tidy: adcode, year, indicator, value; default: the
        embedded panel)."""
        prep = self.prepare(panel)
        x, imputed, fill_notes, outliers = self.fill(prep)
        indicators = prep.indicators
        z = make_normaliser(**_by_position(self.normalisation, indicators)).transform(
            x, prep.directions)
        w = make_weighter(**self.weights).weigh(z, x, indicators)
        try:
            scores, eff = aggregate_tree(prep.framework.root, z, w, indicators, self.aggregation)
        except TreeError as e:
            raise IndexBuildError(str(e)) from None
        return IndexResult(recipe=self, framework=prep.framework, years=prep.years,
                           units=prep.units, indicators=indicators, raw=x, normalised=z,
                           imputed=imputed, leaf_weights=w, effective_weights=eff, scores=scores,
                           outliers=outliers, notes=prep.notes + fill_notes,
                           dataset_hash=prep.dataset_hash)


@dataclass
class Prepared:
    """A recipe's inputs before imputation: framework (after screening), axes and raw values
    (year × unit × indicator, NaN for gaps)."""

    framework: Framework
    years: list[int]
    units: list[str]
    indicators: list[str]
    x: np.ndarray
    notes: list[str]
    dataset_hash: str

    @property
    def directions(self) -> np.ndarray:
        return np.array([lf.direction for lf in self.framework.root.leaves()], dtype=float)


def _by_position(spec: dict, indicators: list[str]) -> dict:
    """Goalposts and targets are given by indicator id in a recipe; normalisers take positions.
    Ids that the (screened) framework does not use are ignored."""
    out = dict(spec)
    for key in ("goalposts", "targets"):
        if key in out:
            out[key] = {indicators.index(k): tuple(v) if isinstance(v, list) else v
                        for k, v in out[key].items() if k in indicators}
    return out
