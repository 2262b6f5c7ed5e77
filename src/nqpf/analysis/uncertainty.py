"""Uncertainty and sensitivity of an index's ranks, in one vectorised pass.

Declare :class:`Alternatives` for any recipe choice — normalisation, its scope (panel or
per year), weighting, aggregation, imputation, dropping one indicator, multiplicative noise
on the weights — and draw replications by Monte Carlo or by a Saltelli/Sobol design
(SALib). Each choice is a factor; a replication's factor levels come from uniform numbers
in [0, 1) cut into equal bins, so categorical choices are exact functions of the design's
inputs and Sobol indices are well defined.

Evaluation: every distinct (imputation, scope, normalisation) dataset is prepared once;
data-driven weights (entropy, CRITIC, …) are estimated for every distinct combination of
that dataset, weighting method and dropped indicator — exactly the weights a rebuilt recipe
would get — and each replication's noise is applied on top. Scores are then computed for
all replications of a group at once over (replication × year × unit × indicator), in chunks
so memory stays bounded.

>>> from nqpf.index import Recipe
>>> ua = UncertaintyAnalysis(Recipe("innovation"), Alternatives(
...     weights=[{"method": "entropy"}, {"method": "equal"}], drop_one=True))
>>> res = ua.run(200, seed=1)
>>> iv = res.rank_intervals(2023)
>>> iv.loc[iv.province == "北京", ["nominal", "median", "p5", "p95"]].values.tolist()
[[1.0, 1.0, 1.0, 1.0]]
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field, fields

import numpy as np
import pandas as pd

from nqpf import regions
from nqpf.index.normalise import NORMALISERS, make_normaliser
from nqpf.index.recipe import Recipe, _by_position
from nqpf.index.result import rank_desc
from nqpf.index.tree import root_score
from nqpf.index.weights import CRITIC, PCA, Product, make_weighter, pool_observations, sd_and_correlation

__all__ = ["DEFAULT_ALTERNATIVES", "Alternatives", "UncertaintyAnalysis", "UncertaintyResult",
           "indicator_drop_impact"]


#: The alternatives `nqpf robust`, the dashboard and the report vary by default: the choices
#: the NQPF literature disagrees on.
DEFAULT_ALTERNATIVES = {
    "normalisation": [{"method": "minmax"}, {"method": "rank"}],
    "scope": ["panel", "year"],
    "weights": [{"method": "entropy"}, {"method": "critic"}, {"method": "equal"}],
    "aggregation": [{"method": "arithmetic"}, {"method": "topsis"},
                    {"method": "geometric", "shift": 0.01}],
    "drop_one": True,
    "weight_noise": 0.25,
}


@dataclass
class Alternatives:
    """The choices to vary. ``None`` keeps the recipe's own choice."""

    normalisation: list[dict] | None = None
    scope: list[str] | None = None
    weights: list[dict] | None = None
    aggregation: list[dict] | None = None
    imputation: list[list[str]] | None = None
    drop_one: bool = False
    weight_noise: float = 0.0  # ± fraction, uniform and multiplicative, per indicator
    noise_draws: int = 64  # distinct noise vectors the noise factor chooses from

    @classmethod
    def from_dict(cls, d: dict) -> Alternatives:
        known = {f.name for f in fields(cls)}
        unknown = set(d) - known
        if unknown:
            raise ValueError(f"unknown alternative(s) {sorted(unknown)}; use {sorted(known)}")
        return cls(**d)

    def __post_init__(self) -> None:
        """Validated once, here: each list of choices a list, the noise a fraction."""
        for name in ("normalisation", "scope", "weights", "aggregation", "imputation"):
            value = getattr(self, name)
            if value is not None and (not isinstance(value, list) or not value):
                raise ValueError(f"alternative {name!r}: a non-empty list of choices, not "
                                 f"{value!r}")
        for name in ("normalisation", "weights", "aggregation"):
            for choice in getattr(self, name) or []:
                if not isinstance(choice, dict) or "method" not in choice:
                    raise ValueError(f"alternative {name!r}: each choice is a mapping with a "
                                     f"'method', not {choice!r}")
        if not isinstance(self.drop_one, bool):
            raise ValueError(f"alternative 'drop_one': true or false, not {self.drop_one!r}")
        noise = self.weight_noise
        if isinstance(noise, bool) or not isinstance(noise, int | float) or not 0 <= noise < 1:
            raise ValueError(f"alternative 'weight_noise': a fraction in [0, 1), not {noise!r}")
        if isinstance(self.noise_draws, bool) or not isinstance(self.noise_draws, int) or (
                self.noise_draws < 1):
            raise ValueError(f"alternative 'noise_draws': a positive whole number, not "
                             f"{self.noise_draws!r}")


@dataclass
class Factor:
    name: str
    options: list
    labels: list[str]


def _label(spec: object) -> str:
    if isinstance(spec, dict):
        extra = ", ".join(f"{k}={v}" for k, v in spec.items() if k != "method")
        return spec.get("method", "?") + (f" ({extra})" if extra else "")
    if isinstance(spec, list | tuple):
        return "+".join(map(str, spec))
    return str(spec)


def _sample(n: int, d: int, method: str, seed: int | None) -> np.ndarray:
    if method == "montecarlo":
        return np.random.default_rng(seed).random((n, d))
    if method == "sobol":
        from SALib.sample import sobol as sobol_sample

        problem = {"num_vars": d, "names": [f"x{i}" for i in range(d)], "bounds": [[0, 1]] * d}
        base = 1 << max(0, int(np.ceil(np.log2(max(1, n // (d + 2))))))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return sobol_sample.sample(problem, base, calc_second_order=False, seed=seed)
    raise ValueError(f"method must be 'montecarlo' or 'sobol', not {method!r}")


def _renormalise(w: np.ndarray) -> np.ndarray:
    total = w.sum(axis=-1, keepdims=True)
    return w / np.where(total > 0, total, 1.0)


def _masked_weights(weighter, z: np.ndarray, x: np.ndarray, indicators: list[str],
                    masks: np.ndarray) -> np.ndarray:
    """Weights (n_masks, Y, K) as a recipe without the masked-out indicators would get them."""
    if isinstance(weighter, Product):
        a = _masked_weights(weighter.a, z, x, indicators, masks)
        b = _masked_weights(weighter.b, z, x, indicators, masks)
        return _renormalise(a * b)
    if isinstance(weighter, CRITIC):  # the correlation term depends on which indicators stay
        sd, r = sd_and_correlation(pool_observations(z, weighter.scope))
        c = sd[None] * np.einsum("...jk,mk->m...j", 1.0 - r, masks)
        c = np.broadcast_to(c, (len(masks), z.shape[0], z.shape[-1])) * masks[:, None, :]
        return _renormalise(c)
    if isinstance(weighter, PCA):  # the leading component changes with the set
        out = np.zeros((len(masks), z.shape[0], z.shape[-1]))
        for m, keep in enumerate(masks.astype(bool)):
            names = [i for i, k in zip(indicators, keep, strict=True) if k]
            out[m][:, keep] = weighter.weigh(z[..., keep], x[..., keep], names)
        return out
    # entropy, CV, equal, fixed, AHP: each indicator's weight stands alone until normalised
    base = weighter.weigh(z, x, indicators)
    return _renormalise(base[None] * masks[:, None, :])


class UncertaintyAnalysis:
    """Replications of ``recipe`` under ``alternatives`` on ``panel`` (default: embedded)."""

    def __init__(self, recipe: Recipe, alternatives: Alternatives,
                 panel: pd.DataFrame | None = None):
        self.recipe = recipe
        self.alternatives = alternatives
        self.prep = recipe.prepare(panel)
        self.factors = self._factors()
        self._data: dict[tuple[int, int, int], np.ndarray] = {}
        self._weights: dict[tuple[int, int, int, int], np.ndarray] = {}
        self._noise = self._noise_vectors()
        self._check_combinations()

    # ------------------------------------------------------------------ design
    def _factors(self) -> list[Factor]:
        alt, r = self.alternatives, self.recipe
        base_scope = r.normalisation.get("scope", "panel")
        spec = [
            ("imputation", alt.imputation or [r.imputation]),
            ("scope", alt.scope or [base_scope]),
            ("normalisation", alt.normalisation or [r.normalisation]),
            ("weights", alt.weights or [r.weights]),
            ("aggregation", alt.aggregation or [r.aggregation]),
            ("drop", [None, *self.prep.indicators] if alt.drop_one else [None]),
            # level 0 of every factor is the recipe's own choice: here, no noise
            ("noise", [None, *range(1, alt.noise_draws + 1)] if alt.weight_noise > 0 else [None]),
        ]
        out = []
        for name, options in spec:
            labels = [("none" if o is None else f"draw {o}") if name == "noise" else
                      ("none" if o is None else str(o)) if name == "drop" else _label(o)
                      for o in options]
            out.append(Factor(name, list(options), labels))
        return out

    @property
    def varied(self) -> list[Factor]:
        """The factors with more than one level (the design's inputs)."""
        return [f for f in self.factors if len(f.options) > 1]

    def _noise_vectors(self) -> np.ndarray:
        a = self.alternatives.weight_noise
        k = len(self.prep.indicators)
        if a <= 0:
            return np.ones((1, k))
        if a >= 1:
            raise ValueError("weight_noise is a fraction in (0, 1): weights stay positive")
        draws = np.random.default_rng(20240415).uniform(1 - a, 1 + a,
                                                       (self.alternatives.noise_draws, k))
        return np.vstack([np.ones((1, k)), draws])

    def _check_combinations(self) -> None:
        norms = [o.get("method", "minmax") for o in self.factors[2].options]
        aggs = [o.get("method") for o in self.factors[4].options]
        weights = [o.get("method") for o in self.factors[3].options]
        if "zscore" in norms and ("geometric" in aggs or "entropy" in weights):
            raise ValueError("z-scores are negative: they cannot be combined with geometric "
                             "aggregation or entropy weights among the alternatives")

    def design(self, n: int, method: str = "montecarlo", seed: int | None = 0) -> np.ndarray:
        """Option indices (R, n_factors) for ``n`` replications (Sobol: N·(D + 2) rows with
        N the power of two that reaches ``n``)."""
        varied = self.varied
        if not varied:
            raise ValueError("no alternatives declared: nothing varies")
        u = _sample(n, len(varied), method, seed)
        idx = np.zeros((len(u), len(self.factors)), dtype=int)
        for j, f in enumerate(self.factors):
            if f in varied:
                col = varied.index(f)
                idx[:, j] = np.minimum((u[:, col] * len(f.options)).astype(int), len(f.options) - 1)
        return idx

    # ------------------------------------------------------------------ evaluation
    def _dataset(self, i: int, s: int, n: int) -> np.ndarray:
        key = (i, s, n)
        if key not in self._data:
            if (i, -1, -1) not in self._data:
                x, *_ = self.recipe.fill(self.prep, self.factors[0].options[i])
                self._data[(i, -1, -1)] = x
            x = self._data[(i, -1, -1)]
            spec = _by_position(dict(self.factors[2].options[n]), self.prep.indicators)
            cls = NORMALISERS[spec.get("method", "minmax")]
            if "scope" in {f.name for f in fields(cls)}:
                spec["scope"] = self.factors[1].options[s]
            self._data[key] = make_normaliser(**spec).transform(x, self.prep.directions)
        return self._data[key]

    def _masks(self) -> np.ndarray:
        k = len(self.prep.indicators)
        masks = np.ones((len(self.factors[5].options), k))
        for m, name in enumerate(self.factors[5].options):
            if name is not None:
                masks[m, self.prep.indicators.index(name)] = 0.0
        return masks

    def _weight_table(self, i: int, s: int, n: int, w: int) -> np.ndarray:
        """Weights (n_drop_options, Y, K) for one dataset and weighting method."""
        key = (i, s, n, w)
        if key not in self._weights:
            z = self._dataset(i, s, n)
            x = self._data[(i, -1, -1)]
            weighter = make_weighter(**self.factors[3].options[w])
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", UserWarning)
                self._weights[key] = _masked_weights(weighter, z, x, self.prep.indicators,
                                                     self._masks())
        return self._weights[key]

    def evaluate(self, idx: np.ndarray, chunk: int = 2000, keep_scores: bool = False
                 ) -> tuple[np.ndarray, np.ndarray | None]:
        """Ranks (R, Y, U) — and root scores if asked — for design rows ``idx``."""
        r_total = len(idx)
        y, u = len(self.prep.years), len(self.prep.units)
        ranks = np.empty((r_total, y, u), dtype=np.int16)
        scores = np.empty((r_total, y, u), dtype=np.float32) if keep_scores else None
        root = self.prep.framework.root
        group_cols = [0, 1, 2, 4]  # imputation, scope, normalisation, aggregation
        for start in range(0, r_total, chunk):
            block = idx[start:start + chunk]
            keys, inverse = np.unique(block[:, group_cols], axis=0, return_inverse=True)
            inverse = inverse.ravel()
            for g, (i, s, n, a) in enumerate(keys):
                rows = np.nonzero(inverse == g)[0]
                z = self._dataset(i, s, n)
                w = np.empty((len(rows), y, z.shape[-1]))
                for wi in np.unique(block[rows, 3]):
                    sel = block[rows, 3] == wi
                    table = self._weight_table(i, s, n, int(wi))
                    w[sel] = table[block[rows[sel], 5]]
                w *= self._noise[block[rows, 6]][:, None, :]
                w = _renormalise(w)
                sc = root_score(root, z, w, self.prep.indicators, self.factors[4].options[a])
                ranks[start + rows] = rank_desc(sc)
                if scores is not None:
                    scores[start + rows] = sc
        return ranks, scores

    def run(self, replications: int = 1000, method: str = "montecarlo", seed: int | None = 0,
            chunk: int = 2000, keep_scores: bool = False) -> UncertaintyResult:
        """Draw the design and evaluate it."""
        idx = self.design(replications, method, seed)
        ranks, scores = self.evaluate(idx, chunk=chunk, keep_scores=keep_scores)
        # the nominal ranks: every factor at level 0, which is the recipe's own choice
        base = self.evaluate(np.zeros((1, len(self.factors)), dtype=int))[0][0]
        return UncertaintyResult(factors=self.factors, design=idx, method=method,
                                 ranks=ranks, scores=scores, nominal=base,
                                 years=self.prep.years, units=self.prep.units)


@dataclass
class UncertaintyResult:
    factors: list[Factor]
    design: np.ndarray  # (R, n_factors) option indices
    method: str
    ranks: np.ndarray  # (R, Y, U)
    nominal: np.ndarray  # (Y, U) ranks under the recipe as given
    years: list[int]
    units: list[str]
    scores: np.ndarray | None = None
    _names: list[str] = field(default_factory=list)

    def __post_init__(self):
        self._names = [regions.resolve(u).short for u in self.units]

    @property
    def replications(self) -> int:
        return len(self.ranks)

    def _t(self, year: int | None) -> int:
        year = self.years[-1] if year is None else year
        if year not in self.years:
            raise KeyError(f"year {year} not in {self.years[0]}–{self.years[-1]}")
        return self.years.index(year)

    def rank_intervals(self, year: int | None = None) -> pd.DataFrame:
        """Nominal rank, median and 5th/95th percentile rank per province (one year, or all
        years if ``year`` is ``"all"``), best nominal rank first.

        The bounds ``p5`` and ``p95`` are whole ranks that some replication gave: the
        inverted-CDF percentile (R's quantile type 1), the smallest rank r with
        P(rank ≤ r) ≥ 5 % (resp. 95 %). At least 90 % of the replications lie within
        [p5, p95]. ``median`` is the usual median (halfway between two ranks when the
        replications split evenly) and ``mean`` the mean rank.

        >>> import numpy as np
        >>> r = UncertaintyResult(factors=[], design=np.zeros((4, 0), int), method="montecarlo",
        ...     ranks=np.array([[[1, 2]], [[1, 2]], [[2, 1]], [[2, 1]]]),
        ...     nominal=np.array([[1, 2]]), years=[2023], units=["110000", "120000"])
        >>> r.rank_intervals()[["province", "median", "p5", "p95"]].values.tolist()
        [['北京', 1.5, 1, 2], ['天津', 1.5, 1, 2]]
        """
        ts = range(len(self.years)) if year == "all" else [self._t(year)]
        frames = []
        for t in ts:
            r = self.ranks[:, t, :]
            p5, p95 = np.percentile(r, [5, 95], axis=0, method="inverted_cdf").astype(int)
            frames.append(pd.DataFrame({
                "year": self.years[t], "adcode": self.units, "province": self._names,
                "nominal": self.nominal[t].astype(int), "median": np.median(r, axis=0),
                "p5": p5, "p95": p95, "mean": r.mean(axis=0)}))
        out = pd.concat(frames, ignore_index=True)
        return out.sort_values(["year", "nominal", "median"], kind="stable").reset_index(drop=True)

    def outrank_probability(self, year: int | None = None) -> pd.DataFrame:
        """P(row province ranks above column province) over the replications."""
        r = self.ranks[:, self._t(year), :]
        p = (r[:, :, None] < r[:, None, :]).mean(axis=0)
        return pd.DataFrame(p, index=self._names, columns=self._names)

    def improvement_probability(self, first: int, last: int) -> pd.Series:
        """P(a province's rank in ``last`` is better than in ``first``)."""
        a, b = self.ranks[:, self._t(first), :], self.ranks[:, self._t(last), :]
        return pd.Series((b < a).mean(axis=0), index=pd.Index(self._names, name="province"),
                         name=f"P(rank {last} better than {first})")

    def mean_rank_shift(self, year: int | None = None) -> np.ndarray:
        """Mean absolute rank shift from the nominal ranks, per replication (R,)."""
        t = self._t(year)
        return np.abs(self.ranks[:, t, :] - self.nominal[t]).mean(axis=1)

    def sobol(self, year: int | None = None, seed: int | None = 0) -> pd.DataFrame:
        """First-order (S1) and total (ST) Sobol indices of each varied factor, for each
        province's rank and for the mean absolute rank shift (rows ``output``)."""
        if self.method != "sobol":
            raise ValueError("Sobol indices need a Sobol design: run(..., method='sobol')")
        from SALib.analyze import sobol as sobol_analyze

        varied = [f for f in self.factors if len(f.options) > 1]
        problem = {"num_vars": len(varied), "names": [f.name for f in varied],
                   "bounds": [[0, 1]] * len(varied)}
        t = self._t(year)
        outputs = {name: self.ranks[:, t, j].astype(float) for j, name in enumerate(self._names)}
        outputs["mean |rank shift|"] = self.mean_rank_shift(year)
        rows = []
        for name, y in outputs.items():
            if np.ptp(y) == 0:
                s1 = st = np.zeros(len(varied))
            else:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    res = sobol_analyze.analyze(problem, y, calc_second_order=False,
                                                num_resamples=50, seed=seed)
                s1, st = res["S1"], res["ST"]
            for f, a, b in zip(varied, s1, st, strict=True):
                rows.append({"output": name, "factor": f.name, "S1": float(a), "ST": float(b)})
        return pd.DataFrame(rows)

    def rank_interval_figure(self, year: int | None = None):
        """Plotly figure: nominal rank and 5–95 % interval per province."""
        import plotly.graph_objects as go

        iv = self.rank_intervals(year)
        fig = go.Figure()
        fig.add_trace(go.Scatter(
            x=iv["median"], y=iv["province"], mode="markers", name="median",
            error_x={"type": "data", "symmetric": False, "array": iv["p95"] - iv["median"],
                     "arrayminus": iv["median"] - iv["p5"]}))
        fig.add_trace(go.Scatter(x=iv["nominal"], y=iv["province"], mode="markers",
                                 name="nominal", marker={"symbol": "diamond"}))
        fig.update_yaxes(autorange="reversed")
        fig.update_layout(title=f"Rank intervals (5–95 %), {iv['year'].iloc[0]}, "
                                f"{self.replications} replications", xaxis_title="rank",
                          height=28 * len(iv) + 120)
        return fig

    def sobol_figure(self, year: int | None = None):
        """Plotly bar chart of S1 and ST for the mean absolute rank shift."""
        import plotly.graph_objects as go

        s = self.sobol(year)
        s = s[s.output == "mean |rank shift|"]
        fig = go.Figure([go.Bar(x=s.factor, y=s.S1, name="first order S1"),
                         go.Bar(x=s.factor, y=s.ST, name="total ST")])
        fig.update_layout(barmode="group", title="Sobol indices: mean |rank shift|")
        return fig


def indicator_drop_impact(recipe: Recipe, panel: pd.DataFrame | None = None) -> pd.DataFrame:
    """How much the ranks move when each indicator is left out (all else as in ``recipe``):
    mean and largest absolute rank change over provinces and years.

    >>> from nqpf.index import Recipe
    >>> impact = indicator_drop_impact(Recipe("innovation"))
    >>> len(impact), bool((impact["mean_abs_rank_change"] > 0).all())
    (8, True)
    """
    ua = UncertaintyAnalysis(recipe, Alternatives(drop_one=True), panel)
    options = ua.factors[5].options
    idx = np.zeros((len(options), len(ua.factors)), dtype=int)
    idx[:, 5] = np.arange(len(options))
    ranks, _ = ua.evaluate(idx)
    diff = np.abs(ranks[1:].astype(int) - ranks[0].astype(int))
    return pd.DataFrame({"mean_abs_rank_change": diff.mean(axis=(1, 2)),
                         "max_abs_rank_change": diff.max(axis=(1, 2)),
                         "provinces_moved_last_year": (diff[:, -1, :] > 0).sum(axis=1)},
                        index=pd.Index(options[1:], name="indicator")
                        ).sort_values("mean_abs_rank_change", ascending=False)
