"""Why did a province's index score (and rank) change between two years?

The change is shared among the indicators by their **Shapley values**. The players are the
indicators; an indicator's move switches its normalised value *and its weight* from
``year_from`` to ``year_to`` (one player: when weights are re-estimated per year, a value and
its weight move together). The value v(S) of a coalition S is the province's index score with
the indicators in S at their ``year_to`` value and weight and the rest at ``year_from``,
computed by the result's own aggregation. Shapley values are *efficient*: they sum to
v(all) − v(none) = score(year_to) − score(year_from), the score change, exactly.

**Additive aggregation (an arithmetic tree).** The score is the sum of the contributions
e·z (effective weight × normalised value, :meth:`IndexResult.contributions`), so

    v(S) = Σ_{i∈S} e¹ᵢ z¹ᵢ + Σ_{i∉S} e⁰ᵢ z⁰ᵢ

is additive over players and each indicator's Shapley value is its own change,
φᵢ = e¹ᵢ z¹ᵢ − e⁰ᵢ z⁰ᵢ (every marginal contribution of i equals it). Splitting the product
e·z further between its two factors by the two-player Shapley value gives the symmetric
midpoint form φᵢ = ēᵢ Δzᵢ + z̄ᵢ Δeᵢ, with ē, z̄ the two years' means: the *value effect* and
the *weight effect* columns (the weight effect is zero when weights are panel-wide). With
panel-wide weights, v(S) is exactly the engine's score of the mixed province; with weights
re-estimated per year it is the score as the sum of its contributions (the engine would
renormalise the mixed weights).

**Non-additive aggregation** (geometric, TOPSIS, MPI, mean-min, Wroclaw …). v(S) is the
engine's root score (:func:`nqpf.index.tree.root_score`). When every node aggregates a
province from its own values alone (arithmetic and geometric nodes) the mixed province is
scored on its own. Otherwise the score depends on the other provinces (ideal points,
reference means and deviations): the mixed province is put in the panel in place of its own
row of one year, with that year's weights set to the mixed weights, and one more player, *the
reference set*, decides which year (``year_from`` without it, ``year_to`` with it). Its
Shapley value is the part of the change that comes from the rest of the panel (other
provinces moving, the year's reference points), and v(none), v(all) are the result's two
scores, so efficiency still holds exactly. Exact Shapley values enumerate all 2ⁿ coalitions
(vectorised, in chunks) when that is affordable — n ≤ ``exact_max`` (20) players for a
province scored on its own, and up to ``max_cells`` cells of panel evaluations otherwise;
beyond that, the permutation-sampling estimator (antithetic pairs of random orders) gives
each indicator's mean marginal contribution with its standard error. Each permutation's
marginal contributions add up to the score change, so the estimates still sum to it exactly.

>>> from nqpf.index import Recipe
>>> e = explain(Recipe("three-elements").build(), "江西", 2020, 2023)
>>> bool(abs(e.contributions["contribution"].sum() - (e.score_to - e.score_from)) < 1e-12)
True
>>> e.method
'closed form'
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from nqpf import regions
from nqpf.analysis._common import (
    check_lang,
    indicator_label,
    join_words,
    ordinal,
    parents,
    province_label,
    year_index,
)
from nqpf.index.result import IndexResult, rank_desc
from nqpf.index.tree import root_score

__all__ = ["Explanation", "explain", "shapley_exact", "shapley_sampled"]

CONTEXT = "(reference set)"
LOCAL = ("arithmetic", "geometric")  # node methods that score a unit from its own values


# ---------------------------------------------------------------------------- Shapley values
def _coalitions(start: int, stop: int, n: int) -> np.ndarray:
    """Masks (stop − start, n) of the coalitions numbered start … stop − 1 (bit i = player i)."""
    ids = np.arange(start, stop, dtype=np.int64)
    return ((ids[:, None] >> np.arange(n)) & 1).astype(bool)


def shapley_exact(value, n: int, chunk: int = 1 << 15) -> np.ndarray:
    """Exact Shapley values of an n-player game. ``value(masks)`` takes boolean coalition
    masks (R, n) and returns their values (R,). All 2ⁿ coalitions are evaluated in chunks;
    φᵢ = Σ_{S∌i} |S|!(n−|S|−1)!/n! · (v(S∪{i}) − v(S)).

    >>> shapley_exact(lambda m: (m * [1.0, 2.0]).sum(axis=1) + m.all(axis=1), 2).tolist()
    [1.5, 2.5]
    """
    total = 1 << n
    v = np.empty(total)
    for start in range(0, total, chunk):
        stop = min(total, start + chunk)
        v[start:stop] = value(_coalitions(start, stop, n))
    ids = np.arange(total, dtype=np.int64)
    size = np.zeros(total, dtype=np.int64)
    for i in range(n):
        size += (ids >> i) & 1
    weight = np.array([math.factorial(s) * math.factorial(n - s - 1) / math.factorial(n)
                       for s in range(n)])
    phi = np.empty(n)
    for i in range(n):
        without = ids[((ids >> i) & 1) == 0]
        phi[i] = (weight[size[without]] * (v[without | (1 << i)] - v[without])).sum()
    return phi


def shapley_sampled(value, n: int, permutations: int = 1000, seed: int | None = 0,
                    chunk: int = 1 << 14) -> tuple[np.ndarray, np.ndarray]:
    """Permutation-sampling Shapley estimates and their standard errors (Castro, Gómez &
    Tejada 2009), with antithetic pairs (each random order and its reverse). Every order's
    marginal contributions sum to v(all) − v(none), so the estimates do too.

    >>> phi, se = shapley_sampled(lambda m: (m * [1.0, 2.0]).sum(axis=1), 2, 10)
    >>> phi.tolist(), se.tolist()
    ([1.0, 2.0], [0.0, 0.0])
    """
    pairs = max(1, permutations // 2)
    rng = np.random.default_rng(seed)
    orders = np.argsort(rng.random((pairs, n)), axis=1)
    orders = np.concatenate([orders, orders[:, ::-1]])  # antithetic: row p and p + pairs
    pos = np.argsort(orders, axis=1)  # position of player i in order p
    p_total = len(orders)
    steps = np.arange(n + 1)
    masks = pos[:, None, :] < steps[None, :, None]  # (P, n + 1, n): the first j players
    flat = masks.reshape(-1, n)
    v = np.concatenate([value(flat[s:s + chunk]) for s in range(0, len(flat), chunk)])
    v = v.reshape(p_total, n + 1)
    rows = np.arange(p_total)[:, None]
    delta = v[rows, pos + 1] - v[rows, pos]  # (P, n): marginal contribution of player i
    phi = delta.mean(axis=0)
    pair_means = (delta[:pairs] + delta[pairs:]) / 2
    se = pair_means.std(axis=0, ddof=1) / np.sqrt(pairs) if pairs > 1 else np.full(n, np.nan)
    return phi, se


# ---------------------------------------------------------------------------- the result
@dataclass
class Explanation:
    """A province's score change between two years, shared among the indicators."""

    province: str  # short Chinese name
    adcode: str
    year_from: int
    year_to: int
    score_from: float
    score_to: float
    rank_from: int
    rank_to: int
    n_units: int
    #: one row per indicator (and one for the reference set when the score depends on the
    #: other provinces), largest |contribution| first; they sum to the score change
    contributions: pd.DataFrame
    method: str  # "closed form", "exact" or "sampling"
    aggregation: str
    context: float | None = None  # the reference set's Shapley value (also a row above)
    permutations: int | None = None
    error: float = 0.0  # largest standard error of a contribution (sampling), else 0
    passed: list[str] = field(default_factory=list)  # ranked above it before, below it after
    fell_behind: list[str] = field(default_factory=list)  # below it before, above it after

    @property
    def change(self) -> float:
        return self.score_to - self.score_from

    def by_dimension(self) -> pd.Series:
        """Contributions summed over each top-level dimension (and the reference set)."""
        c = self.contributions
        s = c.groupby(c["dimension"].fillna(CONTEXT), sort=False)["contribution"].sum()
        return s.sort_values(key=np.abs, ascending=False)

    def to_text(self, lang: str = "en", top: int = 3) -> str:
        """In words: the rank change, the score change, the indicators that moved it most, the
        provinces passed and overtaken. ``lang`` is ``"en"`` or ``"zh"``."""
        check_lang(lang)
        zh = lang == "zh"
        who = province_label(self.adcode, lang)
        span = f"{self.year_from}→{self.year_to}"
        r0, r1 = ordinal(self.rank_from, lang), ordinal(self.rank_to, lang)
        if zh:
            move = (f"从{r0}升至{r1}" if self.rank_to < self.rank_from else
                    f"从{r0}降至{r1}" if self.rank_to > self.rank_from else f"保持{r1}")
            head = (f"{who}{move}（共{self.n_units}个省份，{span}）；指数得分"
                    f"{'上升' if self.change >= 0 else '下降'} {abs(self.change):.4f}"
                    f"（{self.score_from:.4f} → {self.score_to:.4f}）")
        else:
            move = (f"rose from {r0} to {r1}" if self.rank_to < self.rank_from else
                    f"fell from {r0} to {r1}" if self.rank_to > self.rank_from else
                    f"stayed {r1}")
            head = (f"{who} {move} of {self.n_units} ({span}); its index score "
                    f"{'rose' if self.change >= 0 else 'fell'} by {abs(self.change):.4f} "
                    f"({self.score_from:.4f} → {self.score_to:.4f})")
        c = self.contributions.head(top)
        context = "参照集（其他省份与年份）" if zh else "the reference set (other provinces and years)"
        items = [f"{context if i == CONTEXT else indicator_label(i, lang)} {r.contribution:+.4f}"
                 for i, r in c.iterrows()]
        head += ("：" if zh else ": ") + ("，" if zh else ", ").join(items)
        if len(self.contributions) > top:
            head += (f"（{len(self.contributions)} 项中最大的 {len(c)} 项）" if zh else
                     f" (the largest {len(c)} of {len(self.contributions)})")
        lines = [head + ("。" if zh else ".")]
        passed = [province_label(p, lang) for p in self.passed]
        behind = [province_label(p, lang) for p in self.fell_behind]
        if zh:
            parts = ([f"超过了{join_words(passed, lang)}"] if passed else []) + (
                [f"被{join_words(behind, lang)}超过"] if behind else [])
            if parts:
                lines.append("，".join(parts) + "。")
        else:
            parts = ([f"it passed {join_words(passed, lang)}"] if passed else []) + (
                [f"{join_words(behind, lang)} overtook it"] if behind else [])
            if parts:
                text = "; ".join(parts)
                lines.append(text[0].upper() + text[1:] + ".")
        lines.append(self._method_note(lang))
        return "\n".join(lines)

    def _method_note(self, lang: str) -> str:
        zh = lang == "zh"
        if self.method == "closed form":
            how = "可加（算术）聚合的闭式解" if zh else "closed form for the additive aggregation"
        elif self.method == "exact":
            how = "穷举全部联盟的精确值" if zh else "exact, over every coalition"
        else:
            err = f"{self.error:.4f}" if self.error >= 1e-4 else f"{self.error:.1e}"
            how = (f"由 {self.permutations} 个随机排列估计，单项标准误至多 ±{err}" if zh
                   else f"estimated from {self.permutations} random orders, standard error up "
                        f"to ±{err} per indicator")
        if zh:
            return f"各项贡献为指标的 Shapley 值（{how}），其和等于得分变化。"
        return (f"Contributions are Shapley values over the indicators ({how}); they sum to the "
                "score change.")

    def __str__(self) -> str:
        return self.to_text()

    def to_dict(self) -> dict:
        """JSON-ready: scores, ranks, contributions (records), the provinces passed, the text."""
        rows = json.loads(self.contributions.reset_index().to_json(orient="records",
                                                                    force_ascii=False))
        return {"province": self.province, "adcode": self.adcode, "year_from": self.year_from,
                "year_to": self.year_to, "score_from": self.score_from,
                "score_to": self.score_to, "change": self.change, "rank_from": self.rank_from,
                "rank_to": self.rank_to, "n_units": self.n_units, "method": self.method,
                "aggregation": self.aggregation, "context": self.context,
                "permutations": self.permutations, "error": self.error,
                "passed": [regions.resolve(p).short for p in self.passed],
                "fell_behind": [regions.resolve(p).short for p in self.fell_behind],
                "contributions": rows, "text": self.to_text()}


# ---------------------------------------------------------------------------- explain
def _node_methods(result: IndexResult) -> set[str]:
    default = result.recipe.aggregation.get("method", "arithmetic")
    return {n.aggregation or default for n in result.framework.root.walk() if not n.is_leaf}


def _is_flat(spec: dict) -> bool:
    try:
        from nqpf.index.aggregate import is_flat
    except ImportError:  # an engine without flat methods
        return False
    return is_flat(spec)


def explain(result: IndexResult, province: str, year_from: int, year_to: int, *,
            exact_max: int = 20, max_cells: float = 5e7, permutations: int = 1000,
            seed: int | None = 0) -> Explanation:
    """Share the change in ``province``'s index score from ``year_from`` to ``year_to`` among
    the indicators by their Shapley values (see the module docstring), with the rank change
    and the provinces it passed or fell behind.

    ``exact_max``: most players for exact enumeration; ``max_cells``: most cells of panel
    evaluations (2ⁿ coalitions × the panel's cells) for exact enumeration when the score
    depends on the other provinces; beyond either, ``permutations`` random orders (``seed``).

    >>> from nqpf.index import Recipe
    >>> e = explain(Recipe("innovation", aggregation={"method": "geometric", "shift": 0.01})
    ...             .build(), "Jiangxi", 2016, 2023)
    >>> e.method, round(float(e.contributions.contribution.sum()) - e.change, 9)
    ('exact', 0.0)
    """
    p = regions.resolve(province)
    if p.adcode not in result.units:
        raise KeyError(f"{p.short} is not among the result's provinces")
    u = result.units.index(p.adcode)
    t0, t1 = year_index(result, year_from, "year_from"), year_index(result, year_to, "year_to")
    if getattr(result, "unit_weights", None) is not None:
        raise ValueError("explain: Benefit-of-the-Doubt scores come from each province's own "
                         "linear programme, not from the recipe's weights; explain a recipe "
                         "with another aggregation")
    root, inds, spec = result.framework.root, list(result.indicators), result.recipe.aggregation
    k = len(inds)
    s_all = result.scores[root.name]
    score0, score1 = float(s_all[t0, u]), float(s_all[t1, u])
    z0, z1 = result.normalised[t0, u], result.normalised[t1, u]
    parent, dimension = parents(root)
    methods = _node_methods(result)
    flat = _is_flat(spec)
    context = None
    perms = None
    se = np.zeros(k)
    if not flat and methods == {"arithmetic"}:
        e0, e1 = result.effective_weights[t0], result.effective_weights[t1]
        phi = e1 * z1 - e0 * z0
        value_eff = (e0 + e1) / 2 * (z1 - z0)
        weight_eff = (z0 + z1) / 2 * (e1 - e0)
        w_from, w_to, method = e0, e1, "closed form"
    else:
        w0, w1 = result.leaf_weights[t0], result.leaf_weights[t1]
        local = not flat and methods <= set(LOCAL)
        n = k if local else k + 1

        def value(m: np.ndarray) -> np.ndarray:
            zs = np.where(m[:, :k], z1, z0)
            ws = np.where(m[:, :k], w1, w0)
            if local:
                return root_score(root, zs[:, None, None, :], ws[:, None, :], inds, spec)[:, 0, 0]
            slot = np.where(m[:, k], t1, t0)
            r = np.arange(len(m))
            z = np.repeat(result.normalised[None], len(m), axis=0)
            w = np.repeat(result.leaf_weights[None], len(m), axis=0)
            z[r, slot, u] = zs
            w[r, slot] = ws
            return root_score(root, z, w, inds, spec)[r, slot, u]

        cells = 1 if local else result.normalised.size
        ends = value(np.array([[False] * n, [True] * n]))
        if not np.allclose(ends, [score0, score1], rtol=0, atol=1e-9):
            raise ValueError(f"explain: the engine's score of {p.short} ({ends[0]:.6f}, "
                             f"{ends[1]:.6f}) differs from the result's ({score0:.6f}, "
                             f"{score1:.6f}); was the result built by this version?")
        chunk = max(1, min(1 << 15, int(4e6 // (cells * max(k, 1)))))
        if n <= exact_max and (1 << n) * cells <= max_cells:
            phi_all = shapley_exact(value, n, chunk=chunk)
            se_all = np.zeros(n)
            method = "exact"
        else:
            phi_all, se_all = shapley_sampled(value, n, permutations, seed, chunk=chunk)
            se = se_all[:k]
            perms, method = 2 * max(1, permutations // 2), "sampling"
        # the value function's own ends are the result's scores to 1e-9; the contributions
        # are made to sum to the result's change (the residual is rounding, ≤ 1e-9)
        phi = phi_all[:k]
        if not local:
            context = float(phi_all[k])
        value_eff = weight_eff = np.full(k, np.nan)
        w_from, w_to = w0, w1
    table = pd.DataFrame({
        "dimension": [dimension[i] or parent[i] for i in inds],
        "z_from": z0, "z_to": z1, "weight_from": w_from, "weight_to": w_to,
        "contribution": phi, "value_effect": value_eff, "weight_effect": weight_eff,
        "se": se}, index=pd.Index(inds, name="indicator"))
    if context is not None:
        table.loc[CONTEXT] = {"dimension": None, "contribution": context,
                              "se": se_all[k] if method == "sampling" else 0.0}
    table = table.iloc[np.argsort(-np.abs(table["contribution"].to_numpy()), kind="stable")]
    ranks = rank_desc(s_all)
    r0, r1 = ranks[t0], ranks[t1]
    others = np.arange(len(result.units)) != u
    passed = [result.units[j] for j in np.nonzero(others & (r0 < r0[u]) & (r1 > r1[u]))[0]]
    behind = [result.units[j] for j in np.nonzero(others & (r0 > r0[u]) & (r1 < r1[u]))[0]]
    passed.sort(key=lambda a: r1[result.units.index(a)])
    behind.sort(key=lambda a: r1[result.units.index(a)])
    return Explanation(
        province=p.short, adcode=p.adcode, year_from=year_from, year_to=year_to,
        score_from=score0, score_to=score1, rank_from=int(r0[u]), rank_to=int(r1[u]),
        n_units=len(result.units), contributions=table, method=method,
        aggregation=", ".join(sorted(methods)) if not flat else spec.get("method", "?"),
        context=context, permutations=perms, error=float(se.max()) if method == "sampling"
        else 0.0, passed=passed, fell_behind=behind)
