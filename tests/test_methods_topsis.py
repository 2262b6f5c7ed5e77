"""Flat TOPSIS (`topsis`, the entropy-TOPSIS of the literature) and the node-by-node form
(`topsis-tree`), each against an independent reference: a hand computation from the formulas
in plain numpy loops, pymcdm's TOPSIS on one year, and a per-node loop of pymcdm calls."""

import json

import numpy as np
import pytest
from pymcdm import normalizations as pn
from pymcdm import weights as pw
from pymcdm.methods import TOPSIS

from nqpf.index import Recipe, RecipeError, make_aggregator


def _normalise_by_hand(x, directions, method, scope):
    """Min-max or vector normalisation, column by column, from the textbook formulas."""
    y, _, k = x.shape
    z = np.empty_like(x)
    groups = [range(y)] if scope == "panel" else [[t] for t in range(y)]
    for j in range(k):
        for years in groups:
            cells = x[list(years), :, j]
            if method == "minmax":
                lo, hi = cells.min(), cells.max()
                part = (cells - lo) / (hi - lo) if directions[j] > 0 else (hi - cells) / (hi - lo)
            else:
                norm = np.sqrt((cells**2).sum())
                part = cells / norm if directions[j] > 0 else 1 - cells / norm
            z[list(years), :, j] = part
    return z


def _entropy_by_hand(z, shift=1e-4):
    """Entropy weights over every unit-year: p = (z + shift) / Σ, e = −Σ p ln p / ln n."""
    cells = z.reshape(-1, z.shape[-1]) + shift
    n = cells.shape[0]
    d = []
    for j in range(cells.shape[1]):
        p = cells[:, j] / cells[:, j].sum()
        d.append(1 + (p * np.log(p)).sum() / np.log(n))
    return np.array(d) / sum(d)


def _topsis_by_hand(z, w, scope):
    """Closeness D⁻ / (D⁺ + D⁻) of the weighted values, ideal points per year or pooled."""
    v = z * w
    y, u, _ = z.shape
    out = np.empty((y, u))
    for t in range(y):
        ref = v.reshape(-1, v.shape[-1]) if scope == "panel" else v[t]
        best, worst = ref.max(axis=0), ref.min(axis=0)
        for i in range(u):
            d_plus = np.sqrt(((v[t, i] - best) ** 2).sum())
            d_minus = np.sqrt(((v[t, i] - worst) ** 2).sum())
            out[t, i] = d_minus / (d_plus + d_minus)
    return out


@pytest.mark.parametrize("norm", ["minmax", "vector"])
@pytest.mark.parametrize("scope", ["year", "panel"])
def test_flat_entropy_topsis_equals_hand_computation(norm, scope):
    recipe = Recipe("three-elements", normalisation={"method": norm, "scope": "panel"},
                    weights={"method": "entropy"}, aggregation={"method": "topsis", "scope": scope})
    res = recipe.build()
    directions = [lf.direction for lf in res.framework.root.leaves()]
    z = _normalise_by_hand(res.raw, directions, norm, "panel")
    np.testing.assert_allclose(res.normalised, z, rtol=0, atol=1e-12)
    w = _entropy_by_hand(z)
    np.testing.assert_allclose(res.effective_weights[0], w, rtol=0, atol=1e-12)
    np.testing.assert_allclose(res.scores[res.root], _topsis_by_hand(z, w, scope),
                               rtol=0, atol=1e-9)
    # a dimension's score: TOPSIS over its own indicators, their weights renormalised
    for dim in res.framework.root.children:
        cols = [res.indicators.index(lf.indicator) for lf in dim.leaves()]
        expected = _topsis_by_hand(z[..., cols], w[cols] / w[cols].sum(), scope)
        np.testing.assert_allclose(res.scores[dim.name], expected, rtol=0, atol=1e-9)


@pytest.mark.parametrize("norm, pymcdm_norm", [("minmax", pn.minmax_normalization),
                                               ("vector", pn.vector_normalization)])
def test_flat_topsis_equals_pymcdm_on_one_year(norm, pymcdm_norm):
    res = Recipe("three-elements", normalisation={"method": norm, "scope": "year"},
                 aggregation={"method": "topsis", "scope": "year"}).build()
    t = res.years.index(2022)
    types = np.array([lf.direction for lf in res.framework.root.leaves()])
    ref = TOPSIS(normalization_function=pymcdm_norm)(res.raw[t], res.effective_weights[t], types)
    np.testing.assert_allclose(res.scores[res.root][t], ref, rtol=0, atol=1e-9)


def _tree_by_pymcdm(node, z, w, col, topsis):
    """(values, weight) of a node in one year: one pymcdm TOPSIS call per node, bottom-up."""
    if node.is_leaf:
        return z[:, col[node.indicator]], float(w[col[node.indicator]])
    parts = [_tree_by_pymcdm(c, z, w, col, topsis) for c in node.children]
    cw = np.array([p[1] for p in parts])
    vals = np.column_stack([p[0] for p in parts])
    return topsis(vals, cw / cw.sum(), np.ones(len(parts)), validation=False), float(cw.sum())


def test_topsis_tree_keeps_the_node_by_node_form():
    res = Recipe("three-elements", normalisation={"method": "minmax", "scope": "year"},
                 weights={"method": "equal"},
                 aggregation={"method": "topsis-tree", "scope": "year"}).build()
    col = {k: i for i, k in enumerate(res.indicators)}
    topsis = TOPSIS(normalization_function=lambda v, cost: v)
    for t in range(len(res.years)):
        w = np.full(len(col), 1 / len(col))
        ref = _tree_by_pymcdm(res.framework.root, res.normalised[t], w, col, topsis)[0]
        np.testing.assert_allclose(res.scores[res.root][t], ref, rtol=0, atol=1e-9)
    flat = Recipe("three-elements", normalisation={"method": "minmax", "scope": "year"},
                  weights={"method": "equal"},
                  aggregation={"method": "topsis", "scope": "year"}).build()
    assert not np.allclose(flat.scores[flat.root], res.scores[res.root])


def test_flat_topsis_agrees_with_pymcdm_entropy_pipeline():
    """The whole entropy-TOPSIS of one cross-section, as the papers compute it, by pymcdm."""
    res = Recipe("innovation", years=(2022, 2022), normalisation={"method": "minmax"},
                 aggregation={"method": "topsis"}).build()
    types = np.array([lf.direction for lf in res.framework.root.leaves()])
    z = np.column_stack([pn.minmax_normalization(c, cost=t < 0)
                         for c, t in zip(res.raw[0].T, types, strict=True)])
    w = pw.entropy_weights(z + 1e-4)
    ref = TOPSIS()(res.raw[0], w, types)
    np.testing.assert_allclose(res.scores[res.root][0], ref, rtol=0, atol=1e-9)


def test_saved_recipes_name_the_form():
    old = Recipe.from_json(json.dumps({"framework": "innovation",
                                       "aggregation": {"method": "topsis"}}))
    assert old.aggregation == {"method": "topsis"}
    assert json.loads(Recipe("innovation", aggregation={"method": "topsis-tree"}).to_json()
                      )["aggregation"] == {"method": "topsis-tree"}
    with pytest.raises(RecipeError) as e:
        Recipe("innovation", aggregation={"method": "topsis_tree"})
    for name in ("topsis", "topsis-tree", "bod", "mpi", "wroclaw", "mean-min"):
        assert f"'{name}'" in str(e.value)


def test_flat_methods_refuse_a_node_aggregation():
    fw = {"name": "t", "children": [
        {"name": "a", "aggregation": "geometric", "children": [
            {"indicator": "rd_intensity"}, {"indicator": "fiscal_st_share"}]},
        {"name": "b", "children": [{"indicator": "so2_per_gdp", "direction": "-"},
                                   {"indicator": "green_coverage"}]}]}
    with pytest.raises(RecipeError, match=r"'aggregation'.*'a'.*topsis-tree"):
        Recipe(fw, aggregation={"method": "topsis"})
    Recipe(fw, aggregation={"method": "topsis-tree"})  # node-by-node: fine
    assert make_aggregator("topsis-tree", scope="year").scope == "year"
