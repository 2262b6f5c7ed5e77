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

import numpy as np

from nqpf.index.aggregate import make_aggregator
from nqpf.index.framework import Node

__all__ = ["TreeError", "aggregate_tree"]


class TreeError(ValueError):
    """A node's fixed weights are incomplete."""


def aggregate_tree(root: Node, z: np.ndarray, w: np.ndarray, indicators: list[str],
                   default: dict, aggregators: dict | None = None
                   ) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Scores (..., Y, U) for every internal node and effective weights shaped like ``w``.

    ``aggregators`` optionally maps node name → aggregator spec, overriding the framework
    and the default (used to vary the aggregation of every node at once).
    """
    index = {name: i for i, name in enumerate(indicators)}
    scores: dict[str, np.ndarray] = {}
    eff = np.zeros_like(w, dtype=float)

    def visit(node: Node, share: np.ndarray) -> np.ndarray:
        if node.is_leaf:
            k = index[node.indicator]
            eff[..., k] = share
            return z[..., k]
        if any(c.weight is not None for c in node.children):
            missing = [c.name for c in node.children if c.weight is None]
            if missing:
                raise TreeError(f"node {node.name!r}: fixed weights given for some children "
                                f"but not {missing}")
            fixed = np.array([c.weight for c in node.children], dtype=float)
            cw = np.broadcast_to(fixed, (*w.shape[:-1], len(fixed)))
        else:
            cw = np.stack([w[..., [index[lf.indicator] for lf in c.leaves()]].sum(axis=-1)
                           for c in node.children], axis=-1)
        total = cw.sum(axis=-1, keepdims=True)
        cwn = cw / np.where(total > 0, total, 1.0)
        values = [visit(c, share * cwn[..., i]) for i, c in enumerate(node.children)]
        stacked = np.stack(np.broadcast_arrays(*values), axis=-1)
        spec = (aggregators or {}).get(node.name) or (
            {"method": node.aggregation} if node.aggregation else default)
        scores[node.name] = make_aggregator(**spec).aggregate(stacked, cwn)
        return scores[node.name]

    visit(root, np.ones(w.shape[:-1]))
    return scores, eff
