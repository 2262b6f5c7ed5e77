"""Aggregate a framework's hierarchy bottom-up, for one recipe or a batch of replications.

``z`` is the normalised array (..., year, unit, indicator) and ``w`` the indicator weights
(..., year, indicator); leading axes (replications) broadcast, so a shared ``z`` of shape
(Y, U, K) can meet weights of shape (R, Y, K).

A node's children are weighted by the sum of their indicators' weights (normalised within
the node), unless the framework fixes child weights; each node aggregates its children's
values with its own aggregation or the default. The effective weight of an indicator is the
product of the normalised weights on its path from the root.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nqpf.index.aggregate import make_aggregator
from nqpf.index.framework import Node

__all__ = ["TreeError", "aggregate_tree", "root_score"]


class TreeError(ValueError):
    """A node's fixed weights are incomplete or vanish."""


def aggregate_tree(root: Node, z: np.ndarray, w: np.ndarray, indicators: list[str],
                   default: dict) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Scores (..., Y, U) for every internal node and effective weights shaped like ``w``."""
    state = _Walk(z=z, w=w, index={name: i for i, name in enumerate(indicators)},
                  default=default, scores={}, eff=np.zeros_like(w, dtype=float))
    _visit(root, np.ones(w.shape[:-1]), state)
    return state.scores, state.eff


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


def _visit(node: Node, share: np.ndarray, st: _Walk) -> np.ndarray:
    if node.is_leaf:
        k = st.index[node.indicator]
        st.eff[..., k] = share
        return st.z[..., k]
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
    """The root's score (..., Y, U) alone, by one contraction when the tree is linear."""
    if _linear(root, default):
        total = w.sum(axis=-1, keepdims=True)
        return np.einsum("...uk,...k->...u", z, w / np.where(total > 0, total, 1.0))
    return aggregate_tree(root, z, w, indicators, default)[0][root.name]
