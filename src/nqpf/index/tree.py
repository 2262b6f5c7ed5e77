"""Aggregate a framework's hierarchy, for one recipe or a batch of replications.

``z`` is the normalised array (..., year, unit, indicator) and ``w`` the indicator weights
(..., year, indicator); leading axes (replications) broadcast, so a shared ``z`` of shape
(Y, U, K) can meet weights of shape (R, Y, K).

A node's children are weighted by the sum of their indicators' weights (normalised within
the node), unless the framework fixes child weights. The effective weight of an indicator is
the product of the normalised weights on its path from the root.

Two forms, decided by the recipe's aggregation method (:data:`nqpf.index.aggregate.FLAT`):

- **tree** (``arithmetic``, ``geometric``, ``topsis-tree``): bottom-up, each node aggregates
  its children's values with its own ``aggregation`` or the recipe's;
- **flat** (``topsis``, ``bod``, ``mpi``, ``wroclaw``, ``mean-min``): every internal node's
  score is the method applied once to that node's indicators, weighted by their effective
  weights renormalised within the node. The root's score is the method over all indicators
  with the effective leaf weights — the form of the entropy-TOPSIS literature.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nqpf.index.aggregate import is_flat, make_aggregator
from nqpf.index.bod import BenefitOfTheDoubt
from nqpf.index.framework import Node

__all__ = ["Aggregated", "TreeError", "aggregate_index", "aggregate_tree", "root_score"]


class TreeError(ValueError):
    """A node's fixed weights are incomplete or vanish, or a node's own aggregation cannot
    be honoured by a flat method."""


@dataclass
class Aggregated:
    """Scores (..., Y, U) of every internal node, effective weights shaped like ``w`` and,
    for Benefit of the Doubt, each unit's own weights of the root (..., Y, U, K)."""

    scores: dict[str, np.ndarray]
    effective_weights: np.ndarray
    unit_weights: np.ndarray | None = None


def aggregate_index(root: Node, z: np.ndarray, w: np.ndarray, indicators: list[str],
                    default: dict) -> Aggregated:
    """Every internal node's score, in the tree or the flat form of ``default``."""
    if not is_flat(default):
        state = _walk(root, z, w, indicators, default, flat=False)
        return Aggregated(state.scores, state.eff)
    state = _walk(root, z, w, indicators, default, flat=True)
    aggregator = make_aggregator(**default)
    unit_weights = None
    for node in _internal_bottom_up(root):
        cols = [state.index[lf.indicator] for lf in node.leaves()]
        v = z[..., cols]
        if isinstance(aggregator, BenefitOfTheDoubt):
            aggregator.check_columns(len(cols), f"node {node.name!r}")
        if node is root and isinstance(aggregator, BenefitOfTheDoubt):
            scores, weights = aggregator.solve(v)
            unit_weights = np.zeros((*weights.shape[:-1], len(indicators)))
            unit_weights[..., cols] = weights
            state.scores[node.name] = scores
            continue
        sub = state.eff[..., cols]
        total = sub.sum(axis=-1, keepdims=True)
        state.scores[node.name] = aggregator.aggregate(v, sub / np.where(total > 0, total, 1.0))
    return Aggregated(state.scores, state.eff, unit_weights)


def _internal_bottom_up(node: Node) -> list[Node]:
    """Internal nodes, children before their parent (the tree form's order of scores)."""
    if node.is_leaf:
        return []
    return [n for c in node.children for n in _internal_bottom_up(c)] + [node]


def aggregate_tree(root: Node, z: np.ndarray, w: np.ndarray, indicators: list[str],
                   default: dict) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Scores (..., Y, U) for every internal node and effective weights shaped like ``w``
    (:func:`aggregate_index` without the unit weights)."""
    out = aggregate_index(root, z, w, indicators, default)
    return out.scores, out.effective_weights


def _walk(root: Node, z: np.ndarray, w: np.ndarray, indicators: list[str], default: dict,
          flat: bool) -> _Walk:
    """Effective weights (and, in the tree form, every node's score) by one recursion."""
    if flat:
        fixed = [n.name for n in root.walk() if not n.is_leaf and n.aggregation]
        if fixed:
            raise TreeError(f"node{'s' if len(fixed) > 1 else ''} {', '.join(map(repr, fixed))} "
                            f"set{'' if len(fixed) > 1 else 's'} its own aggregation, which the "
                            f"flat method {default.get('method')!r} cannot honour (it scores "
                            "each node from its indicators); use a tree method such as "
                            "'topsis-tree', or remove the node's aggregation")
    state = _Walk(z=z, w=w, index={name: i for i, name in enumerate(indicators)},
                  default=default, scores={}, eff=np.zeros_like(w, dtype=float), flat=flat)
    _visit(root, np.ones(w.shape[:-1]), state)
    return state


@dataclass
class _Walk:
    """What the recursion reads and fills (a plain object: no closure cycles that would keep
    large arrays alive until the garbage collector happens to run)."""

    z: np.ndarray
    w: np.ndarray
    index: dict[str, int]
    default: dict
    scores: dict[str, np.ndarray]
    eff: np.ndarray
    flat: bool = False  # weights only: the flat form scores the nodes afterwards


def _visit(node: Node, share: np.ndarray, st: _Walk) -> np.ndarray | None:
    if node.is_leaf:
        k = st.index[node.indicator]
        st.eff[..., k] = share
        return None if st.flat else st.z[..., k]
    if any(c.weight is not None for c in node.children):
        missing = [c.name for c in node.children if c.weight is None]
        if missing:
            raise TreeError(f"node {node.name!r}: fixed weights given for some children "
                            f"but not {missing}")
        fixed = np.array([c.weight for c in node.children], dtype=float)
        if not np.isfinite(fixed).all() or (fixed < 0).any() or fixed.sum() <= 0:
            given = ", ".join(f"{c.name}: {c.weight}" for c in node.children)
            raise TreeError(f"node {node.name!r}: fixed child weights must be non-negative and "
                            f"not all zero, not {given}")
        cw = np.broadcast_to(fixed, (*st.w.shape[:-1], len(fixed)))
    else:
        cw = np.stack([st.w[..., [st.index[lf.indicator] for lf in c.leaves()]].sum(axis=-1)
                       for c in node.children], axis=-1)
    total = cw.sum(axis=-1, keepdims=True)
    cwn = cw / np.where(total > 0, total, 1.0)
    values = [_visit(c, share * cwn[..., i], st) for i, c in enumerate(node.children)]
    if st.flat:
        return None
    stacked = np.stack(np.broadcast_arrays(*values), axis=-1)
    spec = {"method": node.aggregation} if node.aggregation else st.default
    st.scores[node.name] = make_aggregator(**spec).aggregate(stacked, cwn)
    return st.scores[node.name]


def _linear(node: Node, default: dict) -> bool:
    """True if every node below is an arithmetic mean weighted by its indicators' weights:
    the root score is then Σ w·z over indicators, with no need to build the tree."""
    if node.is_leaf:
        return True
    method = node.aggregation or default.get("method", "arithmetic")
    return (method == "arithmetic" and all(c.weight is None for c in node.children)
            and all(_linear(c, default) for c in node.children))


def root_score(root: Node, z: np.ndarray, w: np.ndarray, indicators: list[str],
               default: dict) -> np.ndarray:
    """The root's score (..., Y, U) alone: by one contraction when the tree is linear, by the
    flat method over all indicators when the method is flat."""
    if _linear(root, default):
        total = w.sum(axis=-1, keepdims=True)
        return np.einsum("...uk,...k->...u", z, w / np.where(total > 0, total, 1.0))
    if is_flat(default):
        state = _walk(root, z, w, indicators, default, flat=True)
        cols = [state.index[lf.indicator] for lf in root.leaves()]
        sub = state.eff[..., cols]
        total = sub.sum(axis=-1, keepdims=True)
        return make_aggregator(**default).aggregate(z[..., cols],
                                                    sub / np.where(total > 0, total, 1.0))
    return aggregate_tree(root, z, w, indicators, default)[0][root.name]
