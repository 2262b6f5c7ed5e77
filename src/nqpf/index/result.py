"""IndexResult: scores for every node × province × year, with everything that explains them.

Imputed cells stay visible in every export: tables with one row per (year, province,
indicator) — :meth:`IndexResult.values`, :meth:`~IndexResult.contributions`,
:meth:`~IndexResult.obstacle_degree` — carry a boolean ``imputed`` column (and ``values`` the
method that filled the cell, ``imputed_by``); score tables with one row per (node, year,
province) — :meth:`~IndexResult.to_frame` — carry ``imputed_indicators``, how many of the
node's indicators were imputed for that province-year, and ``imputed_list``, which ones
(ids joined by ``;``, empty if none). Both survive CSV, Excel and Stata export as plain
columns.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from scipy import stats

from nqpf import regions

if TYPE_CHECKING:
    from nqpf.index.framework import Framework
    from nqpf.index.recipe import Recipe

__all__ = ["IndexResult", "rank_desc"]


def rank_desc(scores: np.ndarray) -> np.ndarray:
    """Rank along the last axis (units), 1 = highest; ties share the best rank.

    Scores equal to 12 decimals are ties, so that two computations of the same index that
    differ only in floating-point rounding give the same ranks."""
    return stats.rankdata(-np.round(scores, 12), axis=-1, method="min").astype(int)


@dataclass
class IndexResult:
    recipe: Recipe
    framework: Framework
    years: list[int]
    units: list[str]
    indicators: list[str]
    raw: np.ndarray  # (Y, U, K) after denominators, imputation and treatment
    normalised: np.ndarray  # (Y, U, K)
    imputed: np.ndarray  # (Y, U, K) 0 observed, i+1 filled by imputation method i
    leaf_weights: np.ndarray  # (Y, K) from the weighting scheme
    effective_weights: np.ndarray  # (Y, K) weight of each indicator in the root score
    scores: dict[str, np.ndarray]  # node name -> (Y, U)
    outliers: list[dict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    dataset_hash: str = ""
    unit_weights: np.ndarray | None = None  # (Y, U, K) Benefit of the Doubt: each unit's own

    @property
    def root(self) -> str:
        return self.framework.root.name

    @property
    def dimensions(self) -> list[str]:
        return [c.name for c in self.framework.root.children if not c.is_leaf]

    def _names(self) -> list[str]:
        return [regions.resolve(u).short for u in self.units]

    def score(self, node: str | None = None) -> pd.DataFrame:
        """Scores of one node as a province × year table."""
        node = node or self.root
        return pd.DataFrame(self.scores[node].T, index=pd.Index(self._names(), name="province"),
                            columns=pd.Index(self.years, name="year"))

    def ranks(self, node: str | None = None) -> pd.DataFrame:
        node = node or self.root
        return pd.DataFrame(rank_desc(self.scores[node]).T,
                            index=pd.Index(self._names(), name="province"),
                            columns=pd.Index(self.years, name="year"))

    def ranking(self, year: int | None = None) -> pd.DataFrame:
        """One year's ranking with the index and dimension scores, best first."""
        year = self.years[-1] if year is None else year
        if year not in self.years:
            raise KeyError(f"year {year} not in the result ({self.years[0]}–{self.years[-1]})")
        t = self.years.index(year)
        out = pd.DataFrame({"rank": rank_desc(self.scores[self.root][t]),
                            self.root: self.scores[self.root][t]},
                           index=pd.Index(self._names(), name="province"))
        for d in self.dimensions:
            out[d] = self.scores[d][t]
        return out.sort_values(["rank", self.root], ascending=[True, False])

    def weights(self) -> pd.DataFrame:
        """Scheme and effective weights per indicator (first year; identical in every year
        for panel-wide weights)."""
        parent = {}
        for node in self.framework.root.walk():
            for c in node.children:
                if c.is_leaf:
                    parent[c.indicator] = node.name
        return pd.DataFrame({"dimension": [parent[i] for i in self.indicators],
                             "direction": [lf.direction for lf in self.framework.root.leaves()],
                             "scheme_weight": self.leaf_weights[0],
                             "effective_weight": self.effective_weights[0]},
                            index=pd.Index(self.indicators, name="indicator"))

    def _tidy_cube(self, cube: np.ndarray | dict[str, np.ndarray], name: str = ""
                   ) -> pd.DataFrame:
        """One row per (year, province, indicator): the cube(s) and the ``imputed`` flag."""
        cubes = cube if isinstance(cube, dict) else {name: cube}
        y, u, k = np.meshgrid(np.asarray(self.years), np.arange(len(self.units)),
                              np.arange(len(self.indicators)), indexing="ij")
        return pd.DataFrame({"year": y.ravel(), "adcode": np.asarray(self.units)[u.ravel()],
                             "province": np.asarray(self._names())[u.ravel()],
                             "indicator": np.asarray(self.indicators)[k.ravel()],
                             **{n: c.ravel() for n, c in cubes.items()},
                             "imputed": (self.imputed > 0).ravel()})

    def values(self) -> pd.DataFrame:
        """Tidy indicator values, one row per (year, province, indicator): ``raw`` (after
        denominators, imputation and outlier treatment), ``normalised``, ``imputed`` (bool:
        the panel had no value; it was filled) and ``imputed_by`` (the imputation method,
        ``linear``, ``carry`` or ``group-mean``; empty for observed cells)."""
        out = self._tidy_cube({"raw": self.raw, "normalised": self.normalised})
        methods = np.array(["", *self.recipe.imputation], dtype=object)
        out["imputed_by"] = methods[np.clip(self.imputed, 0, None).ravel()]
        return out

    def contributions(self) -> pd.DataFrame:
        """Each indicator's contribution w · z to the root score: w the effective weight, or
        under Benefit of the Doubt each unit's own weight (the contributions then sum to the
        score, as they do under arithmetic aggregation)."""
        w = self.effective_weights[:, None, :] if self.unit_weights is None else self.unit_weights
        return self._tidy_cube(w * self.normalised, "contribution")

    def obstacle_degree(self) -> pd.DataFrame:
        """障碍度: O = w_eff·(best − z) / Σ w_eff·(best − z), in %, where best is the panel's
        best normalised value of each indicator (1 under min-max)."""
        gap = self.normalised.max(axis=(0, 1), keepdims=True) - self.normalised
        o = self.effective_weights[:, None, :] * gap
        total = o.sum(axis=-1, keepdims=True)
        return self._tidy_cube(100 * o / np.where(total > 0, total, 1.0), "obstacle_degree")

    def to_frame(self) -> pd.DataFrame:
        """Tidy scores and ranks of every node: node, level, year, adcode, province, score,
        rank, and the imputed inputs of each score: ``imputed_indicators`` (how many of the
        node's indicators were imputed for that province-year) and ``imputed_list`` (their
        ids joined by ``;``, empty if none)."""
        depth = {}
        leaves: dict[str, list[int]] = {}
        col = {name: k for k, name in enumerate(self.indicators)}
        for node in self.framework.root.walk():
            for c in node.children:
                depth[c.name] = depth.get(node.name, 0) + 1
            if not node.is_leaf:
                leaves[node.name] = [col[lf.indicator] for lf in node.leaves()
                                     if lf.indicator in col]
        frames = []
        names = self._names()
        filled = self.imputed > 0
        ids = np.asarray(self.indicators, dtype=object)
        for node, s in self.scores.items():
            y, u = np.meshgrid(self.years, np.arange(len(self.units)), indexing="ij")
            cols = leaves.get(node, list(range(len(self.indicators))))
            cells = filled[..., cols].reshape(-1, len(cols))
            listed = [";".join(ids[cols][row]) for row in cells] if cells.any() else \
                [""] * len(cells)
            frames.append(pd.DataFrame({
                "node": node, "level": depth.get(node, 0), "year": y.ravel(),
                "adcode": np.asarray(self.units)[u.ravel()],
                "province": np.asarray(names)[u.ravel()], "score": s.ravel(),
                "rank": rank_desc(s).ravel(), "imputed_indicators": cells.sum(axis=-1),
                "imputed_list": listed}))
        return pd.concat(frames, ignore_index=True)

    def to_excel(self, path: str | Path) -> Path:
        """Workbook: ranking (last year), scores (with imputed inputs), weights, indicator
        values (with the ``imputed`` flag), obstacle degree, recipe.

        Written to a temporary name beside ``path`` and moved into place: a failure leaves
        neither a partial workbook nor the temporary file behind."""
        path = Path(path)
        tmp = path.with_name(f".{path.name}.tmp")
        try:
            with pd.ExcelWriter(tmp, engine="openpyxl") as xl:
                self.ranking().to_excel(xl, sheet_name="ranking")
                self.to_frame().to_excel(xl, sheet_name="scores", index=False)
                self.weights().to_excel(xl, sheet_name="weights")
                self.values().to_excel(xl, sheet_name="values", index=False)
                self.obstacle_degree().to_excel(xl, sheet_name="obstacle_degree", index=False)
                pd.DataFrame({"key": ["recipe", "dataset_hash", *(["note"] * len(self.notes))],
                              "value": [self.recipe.to_json(), self.dataset_hash, *self.notes]}
                             ).to_excel(xl, sheet_name="recipe", index=False)
            tmp.replace(path)
        finally:
            tmp.unlink(missing_ok=True)
        return path
