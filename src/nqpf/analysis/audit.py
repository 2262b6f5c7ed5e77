"""A COINr-style statistical audit of an index: indicator statistics with COINr's flags,
correlations of each indicator with its parent, dimension and the index, correlations within
and between dimensions, Cronbach's alpha and the first principal component's share of
variance for every dimension and for the whole framework.

The rules follow COINr's defaults (``get_stats``, ``get_corr_flags``):

- an indicator is flagged for outlier treatment when |skewness| > 2 **and** kurtosis > 3.5,
  with skewness and (excess) kurtosis as e1071's type 2 (Excel's SKEW and KURT);
- low availability when fewer than 65 % of its cells were observed (the rest imputed);
- many zeros when fewer than 50 % of its values are non-zero, few distinct values when fewer
  than 50 % are unique;
- two indicators of one dimension are collinear when their Pearson correlation exceeds 0.9.

Statistics are of the values the index uses (after denominators, imputation and any
treatment, before normalisation); correlations, alpha and principal components are of the
normalised values (cost indicators reversed), as the index aggregates them. ``year=None``
pools every province-year of the panel, as panel-wide normalisation and weights do; a year
audits that year's cross-section.

>>> from nqpf.index import Recipe
>>> a = audit(Recipe("innovation").build(), year=2023)
>>> a.n, bool(a.indicators.loc["rd_intensity", "outliers"])
(31, False)
>>> print(a.to_text().splitlines()[0])
Audit of 科技创新 (innovation), 2023 (31 provinces): 31 observations of 8 indicators.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from nqpf.analysis._common import (
    check_lang,
    indicator_label,
    internal_nodes,
    join_words,
    observations,
    parents,
    pearson,
    scope_label,
    spearman,
)
from nqpf.index.result import IndexResult

__all__ = ["THRESHOLDS", "Audit", "audit", "cronbach_alpha", "first_component_share",
           "sample_kurtosis", "sample_skewness"]

#: COINr's default thresholds (``get_stats``: t_skew, t_kurt, t_avail, t_zero, t_unq;
#: ``get_corr_flags``: cor_thresh) and the conventional 0.7 for Cronbach's alpha.
THRESHOLDS = {"skew": 2.0, "kurtosis": 3.5, "availability": 0.65, "nonzero": 0.5,
              "unique": 0.5, "collinear": 0.9, "alpha": 0.7}


def sample_skewness(x: np.ndarray) -> np.ndarray:
    """Adjusted Fisher–Pearson skewness G1 = g1·√(n(n−1))/(n−2) of each column of ``x``
    (n, K) — e1071 type 2, Excel's SKEW, COINr's ``skew``; NaN for a constant column.

    >>> round(float(sample_skewness(np.array([[1.0], [2.0], [3.0], [10.0]]))[0]), 4)
    1.7636
    """
    n = x.shape[0]
    d = x - x.mean(axis=0)
    m2, m3 = (d**2).mean(axis=0), (d**3).mean(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        g1 = m3 / m2**1.5
    return np.where(m2 > 0, g1 * np.sqrt(n * (n - 1)) / (n - 2), np.nan)


def sample_kurtosis(x: np.ndarray) -> np.ndarray:
    """Bias-corrected excess kurtosis G2 = ((n+1)·g2 + 6)·(n−1)/((n−2)(n−3)) of each column —
    e1071 type 2, Excel's KURT, COINr's ``kurt``; NaN for a constant column.

    >>> round(float(sample_kurtosis(np.array([[1.0], [2.0], [3.0], [10.0]]))[0]), 4)
    3.228
    """
    n = x.shape[0]
    d = x - x.mean(axis=0)
    m2, m4 = (d**2).mean(axis=0), (d**4).mean(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        g2 = m4 / m2**2 - 3.0
    return np.where(m2 > 0, ((n + 1) * g2 + 6) * (n - 1) / ((n - 2) * (n - 3)), np.nan)


def cronbach_alpha(items: np.ndarray) -> float:
    """Cronbach's alpha of ``items`` (n observations, k items):
    α = k/(k−1) · (1 − Σ var(item) / var(Σ items)), sample variances. NaN for k < 2.

    >>> round(cronbach_alpha(np.array([[1, 2], [2, 3], [3, 5], [4, 4]])), 4)
    0.8889
    """
    x = np.asarray(items, dtype=float)
    k = x.shape[1]
    if k < 2:
        return float("nan")
    c = np.cov(x, rowvar=False)
    return _alpha(c)


def _alpha(cov: np.ndarray) -> float:
    k = cov.shape[0]
    total = cov.sum()
    if k < 2 or total <= 0:
        return float("nan")
    return float(k / (k - 1) * (1.0 - np.trace(cov) / total))


def first_component_share(items: np.ndarray) -> float:
    """Share of the total variance of the standardised ``items`` (n, k) carried by their first
    principal component: the largest eigenvalue of the correlation matrix over k.

    >>> round(first_component_share(np.array([[1.0, 2.0], [2.0, 4.0], [3.0, 6.5]])), 4)
    0.999
    """
    x = np.asarray(items, dtype=float)
    r = pearson(x, x)
    return _pc1(r)


def _pc1(corr: np.ndarray) -> float:
    k = corr.shape[0]
    if k == 1:
        return 1.0
    if not np.isfinite(corr).all():
        return float("nan")
    return float(np.linalg.eigvalsh(corr)[-1] / k)


@dataclass
class Audit:
    """The audit's tables (pandas) and a summary in words (:meth:`to_text`)."""

    framework: str
    scope: str
    year: int | None
    n: int  # observations (province-years, or provinces of one year)
    indicators: pd.DataFrame  # statistics and COINr flags, one row per indicator
    correlations: pd.DataFrame  # each indicator with its parent node, dimension and the index
    within: pd.DataFrame  # every pair of indicators in one dimension
    between: pd.DataFrame  # Pearson correlations of the dimension scores and the index
    between_spearman: pd.DataFrame
    reliability: pd.DataFrame  # Cronbach's alpha and PC1 share per node (root = overall)
    matrix: pd.DataFrame  # Pearson correlations of all normalised indicators
    thresholds: dict = field(default_factory=lambda: dict(THRESHOLDS))
    notes: list[str] = field(default_factory=list)

    # ------------------------------------------------------------------ flags
    def flags(self) -> pd.DataFrame:
        """One row per problem found: subject (indicator, pair or node), kind and detail."""
        t, rows = self.thresholds, []
        ind = self.indicators
        for name, r in ind.iterrows():
            if r["outliers"]:
                rows.append((name, "outliers", f"skewness {r['skewness']:.2f}, kurtosis "
                             f"{r['kurtosis']:.2f}"))
            if r["low_availability"]:
                rows.append((name, "low availability", f"{1 - r['missing_share']:.0%} observed"))
            if r["many_zeros"]:
                rows.append((name, "many zeros", f"{r['nonzero_share']:.0%} non-zero"))
            if r["few_unique"]:
                rows.append((name, "few unique values", f"{r['unique_share']:.0%} unique"))
        for name, r in self.correlations.iterrows():
            for target, col in (("dimension", "r_dimension"), ("index", "r_index")):
                if pd.notna(r[col]) and r[col] < 0:
                    rows.append((name, f"negative with {target}", f"r = {r[col]:.2f}"))
        for r in self.within.itertuples():
            if r.collinear:
                rows.append((f"{r.a} ~ {r.b}", "collinear", f"r = {r.pearson:.2f} in {r.dimension}"))
        for name, r in self.reliability.iterrows():
            if pd.notna(r["alpha"]) and r["alpha"] < t["alpha"]:
                rows.append((name, "low alpha", f"alpha = {r['alpha']:.2f}"))
        return pd.DataFrame(rows, columns=["subject", "kind", "detail"])

    # ------------------------------------------------------------------ words
    def to_text(self, lang: str = "en") -> str:
        """The audit in words: which indicators are flagged and why.

        ``lang`` is ``"en"`` or ``"zh"``."""
        check_lang(lang)
        zh = lang == "zh"
        t = self.thresholds
        ind, cor, rel = self.indicators, self.correlations, self.reliability

        def name(i: str) -> str:
            label = indicator_label(i, lang)
            return f"{label} ({i})" if label != i else i

        scope = (f"{self.year} 年（{self.n} 个省份）" if self.year is not None else
                 f"全部年份合并（{self.n} 个省份-年份观测）")
        lines = [f"审计：{self.framework}，{scope}，{len(ind)} 个指标。"
                 if zh else f"Audit of {self.framework}, {self.scope}: {self.n} observations of "
                 f"{len(ind)} indicators."]
        out = ind[ind["outliers"]]
        if len(out):
            items = [f"{name(i)}（偏度 {r['skewness']:.2f}，峰度 {r['kurtosis']:.2f}）" if zh else
                     f"{name(i)} (skewness {r['skewness']:.2f}, kurtosis {r['kurtosis']:.2f})"
                     for i, r in out.iterrows()]
            lines.append(
                f"建议处理异常值（COINr 规则：|偏度| > {t['skew']:g} 且峰度 > {t['kurtosis']:g}）："
                f"{join_words(items, lang)}。" if zh else
                f"Flagged for outlier treatment (COINr's rule: |skewness| > {t['skew']:g} and "
                f"kurtosis > {t['kurtosis']:g}): {join_words(items, lang)}.")
        else:
            lines.append("没有指标满足 COINr 的异常值规则。" if zh else
                         "No indicator meets COINr's outlier rule "
                         f"(|skewness| > {t['skew']:g} and kurtosis > {t['kurtosis']:g}).")
        for col, zh_what, en_what, detail in (
                ("low_availability", f"数据可得性低（观测值少于 {t['availability']:.0%}）",
                 f"Low availability (under {t['availability']:.0%} observed)",
                 lambda r: f"{1 - r['missing_share']:.0%}"),
                ("many_zeros", f"零值过多（非零值少于 {t['nonzero']:.0%}）",
                 f"Many zeros (under {t['nonzero']:.0%} non-zero)",
                 lambda r: f"{r['nonzero_share']:.0%}"),
                ("few_unique", f"不同取值过少（少于 {t['unique']:.0%}）",
                 f"Few distinct values (under {t['unique']:.0%} unique)",
                 lambda r: f"{r['unique_share']:.0%}")):
            hit = ind[ind[col]]
            if len(hit):
                items = [f"{name(i)} ({detail(r)})" for i, r in hit.iterrows()]
                lines.append(f"{zh_what}：{join_words(items, lang)}。" if zh else
                             f"{en_what}: {join_words(items, lang)}.")
        neg = []
        for i, r in cor.iterrows():
            parts = []
            if pd.notna(r['r_dimension']) and r['r_dimension'] < 0:
                parts.append(f"{'与' if zh else 'with '}{r['dimension']} r = {r['r_dimension']:.2f}")
            if pd.notna(r['r_index']) and r['r_index'] < 0:
                parts.append(f"{'与指数' if zh else 'with the index'} r = {r['r_index']:.2f}")
            if parts:
                neg.append(f"{name(i)} ({', '.join(parts)})")
        if neg:
            lines.append(("与所属维度或总指数负相关：" if zh else
                          "Correlated negatively with its dimension or the index: ")
                         + join_words(neg, lang) + ("。" if zh else "."))
        coll = self.within[self.within["collinear"]]
        if len(coll):
            items = [f"{r.a} ~ {r.b} (r = {r.pearson:.2f}, {r.dimension})"
                     for r in coll.itertuples()]
            lines.append((f"同一维度内高度相关（r > {t['collinear']:g}，可能重复计算）：" if zh else
                          f"Collinear within a dimension (r > {t['collinear']:g}, possible double "
                          "counting): ") + join_words(items, lang) + ("。" if zh else "."))
        root = rel.index[0]
        overall = rel.iloc[0]
        low = rel[(rel["alpha"] < t["alpha"]) & (rel.index != root)]
        if zh:
            text = (f"内部一致性：总体 Cronbach's α = {overall['alpha']:.2f}，第一主成分解释 "
                    f"{overall['pc1_share']:.0%} 的方差")
            if len(low):
                text += "；α 低于 0.7 的维度：" + join_words(
                    [f"{d}（{r['alpha']:.2f}）" for d, r in low.iterrows()], lang)
        else:
            text = (f"Internal consistency: Cronbach's alpha {overall['alpha']:.2f} overall, the "
                    f"first principal component carries {overall['pc1_share']:.0%} of the variance")
            if len(low):
                text += f"; alpha below {t['alpha']:g} in " + join_words(
                    [f"{d} ({r['alpha']:.2f})" for d, r in low.iterrows()], lang)
        lines.append(text + ("。" if zh else "."))
        lines.extend(("注：" if zh else "Note: ") + n for n in self.notes)
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.to_text()

    def to_dict(self) -> dict:
        """Every table as JSON-ready records (NaN as null)."""
        def records(df: pd.DataFrame, index: str | None = None) -> list[dict]:
            d = df.reset_index() if index else df
            return json.loads(d.to_json(orient="records", force_ascii=False))

        return {"framework": self.framework, "scope": self.scope, "year": self.year, "n": self.n,
                "thresholds": self.thresholds,
                "indicators": records(self.indicators, "indicator"),
                "correlations": records(self.correlations, "indicator"),
                "within": records(self.within),
                "between": records(self.between, "node"),
                "between_spearman": records(self.between_spearman, "node"),
                "reliability": records(self.reliability, "node"),
                "flags": records(self.flags()), "notes": self.notes,
                "text": self.to_text()}


def audit(result: IndexResult, year: int | None = None, thresholds: dict | None = None) -> Audit:
    """Audit ``result`` on the whole panel (``year=None``, every province-year pooled) or on one
    year's provinces. ``thresholds`` overrides any of :data:`THRESHOLDS` (COINr's defaults).

    >>> from nqpf.index import Recipe
    >>> result = Recipe("three-elements").build()
    >>> a = audit(result)
    >>> a.n == len(result.years) * len(result.units)
    True
    >>> "software_revenue_gdp" in a.flags().query("kind == 'outliers'").subject.tolist()
    True
    """
    t = dict(THRESHOLDS)
    if thresholds:
        unknown = set(thresholds) - set(THRESHOLDS)
        if unknown:
            raise ValueError(f"unknown threshold(s) {sorted(unknown)}; use {sorted(THRESHOLDS)}")
        t.update(thresholds)
    root = result.framework.root
    inds = list(result.indicators)
    parent, dimension = parents(root)
    x = observations(result, result.raw, year)  # (n, K)
    z = observations(result, result.normalised, year)
    imp = observations(result, result.imputed, year) if result.imputed is not None else None
    n = x.shape[0]

    # ------------------------------------------------------------ indicator statistics
    missing = (imp != 0).mean(axis=0) if imp is not None else np.full(len(inds), np.nan)
    imputed = (imp > 0).mean(axis=0) if imp is not None else np.full(len(inds), np.nan)
    xs = np.sort(x, axis=0)
    unique = (1 + (np.diff(xs, axis=0) != 0).sum(axis=0)) / n
    nonzero = (x != 0).mean(axis=0)
    skew, kurt = sample_skewness(x), sample_kurtosis(x)
    directions = {lf.indicator: lf.direction for lf in root.leaves()}
    stats_ = pd.DataFrame({
        "dimension": [dimension[i] for i in inds], "direction": [directions[i] for i in inds],
        "n": n, "missing_share": missing, "imputed_share": imputed,
        "mean": x.mean(axis=0), "sd": x.std(axis=0, ddof=1), "min": x.min(axis=0),
        "max": x.max(axis=0), "skewness": skew, "kurtosis": kurt,
        "nonzero_share": nonzero, "unique_share": unique,
    }, index=pd.Index(inds, name="indicator"))
    stats_["outliers"] = (np.abs(skew) > t["skew"]) & (kurt > t["kurtosis"])
    stats_["low_availability"] = (1 - missing) < t["availability"]
    stats_["many_zeros"] = nonzero < t["nonzero"]
    stats_["few_unique"] = unique < t["unique"]
    if result.outliers:
        action = {o["indicator"]: o["action"] for o in result.outliers}
        stats_["treatment"] = [action.get(i, "none") for i in inds]

    # ------------------------------------------------------------ correlations
    nodes = internal_nodes(root)
    names = [nd.name for nd, _ in nodes]
    scores = np.stack([observations(result, result.scores[nm], year) for nm in names], axis=-1)
    r_ns, rho_ns = pearson(z, scores), spearman(z, scores)  # (K, nodes)
    col = {nm: j for j, nm in enumerate(names)}

    def pick(r: np.ndarray, node_of: dict) -> np.ndarray:
        return np.array([r[k, col[node_of[i]]] if node_of[i] is not None else np.nan
                         for k, i in enumerate(inds)])

    root_of = dict.fromkeys(inds, root.name)
    corr = pd.DataFrame({
        "parent": [parent[i] for i in inds], "dimension": [dimension[i] for i in inds],
        "r_parent": pick(r_ns, parent), "rho_parent": pick(rho_ns, parent),
        "r_dimension": pick(r_ns, dimension), "rho_dimension": pick(rho_ns, dimension),
        "r_index": pick(r_ns, root_of), "rho_index": pick(rho_ns, root_of),
    }, index=pd.Index(inds, name="indicator"))

    r_zz, rho_zz = pearson(z, z), spearman(z, z)
    pos = {i: k for k, i in enumerate(inds)}
    pairs = []
    for dim in root.children:
        if dim.is_leaf:
            continue
        leaves = [lf.indicator for lf in dim.leaves()]
        for a_i, a in enumerate(leaves):
            for b in leaves[a_i + 1:]:
                r = r_zz[pos[a], pos[b]]
                pairs.append({"dimension": dim.name, "a": a, "b": b, "pearson": r,
                              "spearman": rho_zz[pos[a], pos[b]],
                              "collinear": bool(r > t["collinear"])})
    within = pd.DataFrame(pairs, columns=["dimension", "a", "b", "pearson", "spearman",
                                          "collinear"])
    top = [c.name for c in root.children if not c.is_leaf] + [root.name]
    top_scores = scores[:, [col[nm] for nm in top]]
    between = pd.DataFrame(pearson(top_scores, top_scores), index=pd.Index(top, name="node"),
                           columns=top)
    between_s = pd.DataFrame(spearman(top_scores, top_scores), index=pd.Index(top, name="node"),
                             columns=top)

    # ------------------------------------------------------------ reliability
    cov = np.cov(z, rowvar=False).reshape(len(inds), len(inds))
    rel = []
    for node, depth in nodes:
        idx = [pos[lf.indicator] for lf in node.leaves()]
        k = len(idx)
        rr = r_zz[np.ix_(idx, idx)]
        mean_r = float((rr.sum() - np.trace(rr)) / (k * (k - 1))) if k > 1 else float("nan")
        rel.append({"node": node.name, "level": depth, "n_indicators": k,
                    "alpha": _alpha(cov[np.ix_(idx, idx)]),
                    "alpha_standardised": k * mean_r / (1 + (k - 1) * mean_r) if k > 1
                    else float("nan"),
                    "mean_r": mean_r, "pc1_share": _pc1(rr)})
    reliability = pd.DataFrame(rel).set_index("node")

    notes = []
    if result.recipe.treatment:
        notes.append(f"the recipe treats outliers ({result.recipe.treatment}): statistics are of "
                     "the treated values; see the 'treatment' column")
    name = result.recipe.framework if isinstance(result.recipe.framework, str) else root.name
    return Audit(framework=f"{root.name} ({name})" if name != root.name else root.name,
                 scope=scope_label(result, year), year=year, n=n, indicators=stats_,
                 correlations=corr, within=within, between=between, between_spearman=between_s,
                 reliability=reliability,
                 matrix=pd.DataFrame(r_zz, index=pd.Index(inds, name="indicator"), columns=inds),
                 thresholds=t, notes=notes)
