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
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from nqpf import regions
from nqpf.data import dataset_hash, load_panel, to_array
from nqpf.index.aggregate import FLAT, is_flat, make_aggregator
from nqpf.index.bod import BenefitOfTheDoubt
from nqpf.index.framework import FLAVOURS, Framework, FrameworkError, list_presets, load_preset
from nqpf.index.impute import Imputer, Screen
from nqpf.index.normalise import make_normaliser
from nqpf.index.result import IndexResult
from nqpf.index.spec import (
    RecipeError,
    check_acyclic,
    check_keys,
    check_years,
    load_json,
    load_yaml,
    located,
    read_text,
    year_ranges,
)
from nqpf.index.treat import OutlierTreatment
from nqpf.index.tree import TreeError, aggregate_index
from nqpf.index.weights import AHP, Fixed, Product, make_weighter

__all__ = ["IndexBuildError", "Prepared", "Recipe", "RecipeError"]

TREATMENTS = (None, "coinr")


class IndexBuildError(ValueError):
    """The panel cannot feed the recipe; the message names the indicator, unit or year."""


@contextmanager
def _key(key: str) -> Iterator[None]:
    """Errors raised inside name the recipe key they concern."""
    try:
        yield
    except (RecipeError, FrameworkError) as e:
        raise located(e, f"recipe key {key!r}", key) from None


def _step_spec(value: object) -> dict:
    if not isinstance(value, Mapping):
        raise RecipeError(f"must be a mapping like {{method: ...}}, not {value!r:.80}")
    bad = [k for k in value if not isinstance(k, str)]
    if bad:
        raise RecipeError(f"option names are text, not {bad[0]!r}")
    return dict(value)


def _weight_ids(weighter: object) -> list[tuple[str, list[str]]]:
    """(what, indicator ids) of every fixed or AHP weighting inside ``weighter`` (an AHP
    matrix's consistency is checked on the way)."""
    if isinstance(weighter, Fixed):
        return [("fixed weight", list(weighter.weights))]
    if isinstance(weighter, AHP):
        weighter.consistency()
        return [("AHP label", list(weighter.labels))]
    if isinstance(weighter, Product):
        return _weight_ids(weighter.a) + _weight_ids(weighter.b)
    return []


def _check_ids(given: list[str], what: str, used: list[str], known: list[str],
               fw: Framework) -> None:
    """Ids must name the framework's indicators; if ``used`` is given, all of them."""
    extra = [i for i in given if i not in known]
    if extra:
        raise RecipeError(f"{what}{'s' if len(extra) > 1 else ''} for {', '.join(map(repr, extra))} "
                          f"name{'' if len(extra) > 1 else 's'} no indicator of framework "
                          f"{fw.name!r}; its indicators are {', '.join(known)}")
    missing = [i for i in used if i not in given]
    if missing:
        raise RecipeError(f"no {what} for {', '.join(missing)} (every indicator of framework "
                          f"{fw.name!r} needs one, or drop it)")


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

    Aggregation methods: ``arithmetic``, ``geometric`` and ``topsis-tree`` aggregate node by
    node up the framework; ``topsis`` (one TOPSIS over all indicators with the effective
    weights: the entropy-TOPSIS of the literature), ``bod``, ``mpi``, ``wroclaw`` and
    ``mean-min`` score each node from its own indicators (see docs/methods.md). Until
    ``topsis-tree`` existed, ``topsis`` named the node-by-node form.

    Every choice is checked once, when the recipe is made: a bad one raises
    :class:`RecipeError` (or :class:`FrameworkError`) naming the recipe key at fault. Load
    files with :meth:`from_file`, whose errors also name the file and the line.
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

    # ------------------------------------------------------------------ validation
    def __post_init__(self) -> None:
        """Check every choice once, here: each error names the recipe key at fault."""
        check_acyclic({f.name: getattr(self, f.name) for f in fields(self)}, "recipe",
                      RecipeError)
        with _key("flavour"):
            if self.flavour not in FLAVOURS:
                raise RecipeError(f"flavour must be one of {', '.join(FLAVOURS)}, not "
                                  f"{self.flavour!r}")
        with _key("framework"):
            if not isinstance(self.framework, str | dict):
                raise RecipeError(f"framework must be a preset name ({', '.join(list_presets())}) "
                                  f"or a framework mapping, not {self.framework!r:.80}")
            full = self._flavoured_framework()
        known = full.indicators()
        with _key("drop"):
            if not isinstance(self.drop, list | tuple) or \
                    not all(isinstance(i, str) for i in self.drop):
                raise RecipeError(f"drop must be a list of indicator ids, not {self.drop!r:.80}")
            unknown = [i for i in self.drop if i not in known]
            if unknown:
                raise RecipeError(f"{', '.join(map(repr, unknown))} "
                                  f"{'are not indicators' if len(unknown) > 1 else 'is not an indicator'}"
                                  f" of framework {full.name!r}; its indicators are {', '.join(known)}")
            self.drop = list(self.drop)
            used = (full.without(self.drop) if self.drop else full).indicators()
        with _key("years"):
            empty = isinstance(self.years, list | tuple) and not self.years  # [] = the default
            self.years = None if self.years is None or empty else \
                check_years(self.years, "years", RecipeError)
        with _key("screening"):
            if not isinstance(self.screening, Mapping):
                raise RecipeError("screening must be a mapping like {min_indicator_coverage: 0.75, "
                                  f"min_unit_coverage: 0.75}}, not {self.screening!r:.80}")
            check_keys(self.screening, [f.name for f in fields(Screen)], "", RecipeError, "option")
            Screen(**self.screening)
        with _key("imputation"):
            Imputer(self.imputation)
            self.imputation = list(self.imputation)
        with _key("treatment"):
            if self.treatment not in TREATMENTS:
                raise RecipeError(f"unknown treatment {self.treatment!r}; use null (none) or "
                                  "'coinr'")
        with _key("normalisation"):
            spec = _step_spec(self.normalisation)
            make_normaliser(**spec)
            for name in ("goalposts", "targets"):
                if spec.get(name):
                    _check_ids(list(spec[name]), name[:-1], [], known, full)
        with _key("weights"):
            weighter = make_weighter(**_step_spec(self.weights))
            for what, ids in _weight_ids(weighter):
                _check_ids(ids, what, used, known, full)
        with _key("aggregation"):
            aggregator = make_aggregator(**_step_spec(self.aggregation))
            _check_aggregation(self.aggregation, aggregator, self.normalisation,
                               full.without(self.drop) if self.drop else full)

    # ------------------------------------------------------------------ serialisation
    def to_dict(self) -> dict:
        d = asdict(self)
        d["years"] = list(self.years) if self.years else None
        return d

    @classmethod
    def from_dict(cls, d: Mapping) -> Recipe:
        """A recipe from a mapping of its fields; raises :class:`RecipeError` naming the key."""
        if not isinstance(d, Mapping):
            raise RecipeError(f"a recipe is a mapping of fields ({', '.join(cls.__dataclass_fields__)}"
                              f"), not {type(d).__name__} {d!r:.60}")
        check_acyclic(d, "recipe", RecipeError)
        check_keys(d, list(cls.__dataclass_fields__), "", RecipeError, "recipe field")
        return cls(**d)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str, source: str = "recipe JSON") -> Recipe:
        return cls._from_document(*load_json(text, source, RecipeError), source)

    def to_yaml(self) -> str:
        return yaml.safe_dump(self.to_dict(), allow_unicode=True, sort_keys=False)

    @classmethod
    def from_yaml(cls, text: str, source: str = "recipe YAML") -> Recipe:
        """A recipe from YAML text; errors give the line of the key (or syntax error) at fault."""
        return cls._from_document(*load_yaml(text, source, RecipeError), source)

    @classmethod
    def from_file(cls, path: str | Path) -> Recipe:
        """A recipe from a ``.json`` or YAML file; every error names the file and the line."""
        text = read_text(path, RecipeError, "recipe file")
        load = load_json if str(path).lower().endswith(".json") else load_yaml
        return cls._from_document(*load(text, str(path), RecipeError), str(path))

    @classmethod
    def _from_document(cls, data: Any, lines: dict[str, int], source: str) -> Recipe:
        if data is None:
            raise RecipeError(f"{source}: no recipe in the document (it is empty)")
        try:
            return cls.from_dict(data)
        except (RecipeError, FrameworkError) as e:
            line = lines.get(getattr(e, "key", None))  # type: ignore[arg-type]
            raise located(e, f"{source}, line {line}" if line else source) from None

    def replace(self, **changes) -> Recipe:
        """A copy with some choices changed (the basis of sensitivity analysis)."""
        return Recipe.from_dict({**self.to_dict(), **changes})

    # ------------------------------------------------------------------ build
    def _flavoured_framework(self) -> Framework:
        if isinstance(self.framework, str):
            return load_preset(self.framework, self.flavour)
        return Framework.from_dict(self.framework).with_flavour(self.flavour)

    def resolve_framework(self) -> Framework:
        fw = self._flavoured_framework()
        return fw.without(self.drop) if self.drop else fw

    def prepare(self, panel: pd.DataFrame | None = None) -> Prepared:
        """Framework, years, screening and denominators: everything before the numeric steps.

        Both :meth:`build` and the uncertainty analysis start from here."""
        embedded = panel is None
        panel = load_panel() if embedded else panel
        fw = self.resolve_framework()
        year_list = _years(panel, self.years, fw)
        available = set(panel["indicator"].unique())
        missing = [i for i in fw.inputs() if i not in available]
        notes: list[str] = []
        if all(lf.indicator in missing or lf.denominator in missing for lf in fw.root.leaves()):
            raise IndexBuildError(f"framework {fw.name!r}: none of its indicators are in the panel "
                                  f"(missing: {', '.join(missing)})")
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

        screen = Screen(**self.screening)
        keep_u, keep_k = screen.select(x)
        if not keep_k.any():
            raise IndexBuildError(
                f"framework {fw.name!r}: screening left no indicators (min_indicator_coverage "
                f"{screen.min_indicator_coverage:g}): "
                + "; ".join(_coverage(name, x[..., k], year_list) for k, name in enumerate(indicators))
                + "; lower screening.min_indicator_coverage or choose years they cover")
        if not keep_u.any():
            share = (~np.isnan(x[:, :, keep_k])).mean(axis=(0, 2))
            best = ", ".join(f"{regions.resolve(arr.units[u]).short} {share[u]:.0%}"
                             for u in np.argsort(-share, kind="stable")[:5])
            raise IndexBuildError(
                f"framework {fw.name!r}: screening left no units (min_unit_coverage "
                f"{screen.min_unit_coverage:g}): all {len(share)} units lack coverage of the kept "
                f"indicators in {year_ranges(year_list)} (best: {best}); lower "
                "screening.min_unit_coverage")
        dropped_ind = [i for i, k in zip(indicators, keep_k, strict=True) if not k]
        if dropped_ind:
            fw = fw.without(dropped_ind)
            notes.append(f"dropped by screening (coverage): {', '.join(dropped_ind)}")
        units = [u for u, k in zip(arr.units, keep_u, strict=True) if k]
        dropped_units = [regions.resolve(u).short for u, k in zip(arr.units, keep_u, strict=True)
                         if not k]
        if dropped_units:
            notes.append(f"units dropped by screening (coverage): {', '.join(dropped_units)}")
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
            raise RecipeError(f"unknown treatment {self.treatment!r}; use None or 'coinr'")
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
        unusable = ~np.isfinite(w).all(axis=-1) | (w.sum(axis=-1) <= 0)
        if unusable.any():
            raise IndexBuildError(
                f"{self.weights.get('method', 'entropy')} weights are not finite or sum to zero in "
                f"{year_ranges(np.asarray(prep.years)[unusable])} (are all indicators constant?); "
                "choose another weighting")
        try:
            agg = aggregate_index(prep.framework.root, z, w, indicators, self.aggregation)
        except TreeError as e:
            raise IndexBuildError(str(e)) from None
        eff, notes = agg.effective_weights, []
        if agg.unit_weights is not None:  # BoD: each unit's own weights, summarised by year
            eff = _mean_shares(agg.unit_weights, z, agg.scores[prep.framework.root.name])
            notes.append(f"bod: each unit's weights chosen by its own linear programme; the "
                         f"{self.weights.get('method', 'entropy')} weights are not used in the "
                         "scores (effective weights: mean share of each indicator in the "
                         "score)")
        return IndexResult(recipe=self, framework=prep.framework, years=prep.years,
                           units=prep.units, indicators=indicators, raw=x, normalised=z,
                           imputed=imputed, leaf_weights=w, effective_weights=eff,
                           scores=agg.scores, outliers=outliers,
                           notes=prep.notes + fill_notes + notes, dataset_hash=prep.dataset_hash,
                           unit_weights=agg.unit_weights)


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


def _check_aggregation(spec: dict, aggregator: object, normalisation: dict,
                       fw: Framework) -> None:
    """Choices that only fail together: a flat method with a node's own aggregation, BoD's
    share bounds against a node's number of indicators, BoD on negative z-scores."""
    method = spec.get("method", "arithmetic")
    if is_flat(spec):
        fixed = [n.name for n in fw.root.walk() if not n.is_leaf and n.aggregation]
        if fixed:
            raise RecipeError(f"{method!r} scores each node from its indicators (flat form: "
                              f"{', '.join(sorted(FLAT))}), but framework {fw.name!r} sets its "
                              f"own aggregation at {', '.join(map(repr, fixed))}; use a node-by-"
                              "node method (arithmetic, geometric, topsis-tree) or remove the "
                              "node's aggregation")
    if isinstance(aggregator, BenefitOfTheDoubt):
        if normalisation.get("method") == "zscore":
            raise RecipeError("bod needs non-negative values, and z-scores are negative; use "
                              "minmax, vector, rank, goalposts or target normalisation")
        for node in fw.root.walk():
            if not node.is_leaf:
                aggregator.check_columns(len(node.leaves()), f"node {node.name!r}")


def _mean_shares(unit_weights: np.ndarray, z: np.ndarray, scores: np.ndarray) -> np.ndarray:
    """Mean over units (score > 0) of each indicator's share w·z / score, renormalised (Y, K)."""
    ok = scores > 0
    shares = unit_weights * z / np.where(ok, scores, 1.0)[..., None]
    mean = (shares * ok[..., None]).sum(axis=-2) / np.maximum(ok.sum(axis=-1), 1)[..., None]
    total = mean.sum(axis=-1, keepdims=True)
    return mean / np.where(total > 0, total, 1.0)


def _years(panel: pd.DataFrame, years: tuple[int, int] | None, fw: Framework) -> list[int]:
    """The recipe's (or else the framework's, or else the panel's) span; every year must be in
    the panel."""
    have = sorted({int(y) for y in panel["year"].unique()})
    if not have:
        raise IndexBuildError("the panel has no rows")
    span = years or fw.years or (have[0], have[-1])
    wanted = list(range(int(span[0]), int(span[1]) + 1))
    outside = sorted(set(wanted) - set(have))
    if outside:
        source = "recipe key 'years'" if years else f"framework {fw.name!r} years"
        raise IndexBuildError(f"{source} {span[0]}–{span[1]}: {year_ranges(outside)} not in the "
                              f"panel, which has {year_ranges(have)}; choose years within it")
    return wanted


def _coverage(name: str, col: np.ndarray, years: list[int]) -> str:
    """Which years and units of an indicator (year × unit values) have values."""
    ok = ~np.isnan(col)
    with_values = [y for y, has in zip(years, ok.any(axis=1), strict=True) if has]
    if not with_values:
        return f"{name} has no values in {year_ranges(years)}"
    if len(with_values) < len(years):
        return (f"{name} has values for {year_ranges(with_values)} only of {year_ranges(years)} "
                f"({ok.mean():.0%} of cells)")
    return (f"{name} covers {ok.mean():.0%} of cells ({int(ok.any(axis=0).sum())} of "
            f"{col.shape[1]} units have values)")


def _by_position(spec: dict, indicators: list[str]) -> dict:
    """Goalposts and targets are given by indicator id in a recipe; normalisers take positions.
    Ids that the (screened) framework does not use are ignored."""
    out = dict(spec)
    for key in ("goalposts", "targets"):
        if key in out:
            out[key] = {indicators.index(k): tuple(v) if isinstance(v, list) else v
                        for k, v in out[key].items() if k in indicators}
    return out
