"""Coupling coordination degree between subsystems (dimensions of one index, or two indices).

For m subsystem scores U_1 … U_m in [0, 1]:
coupling C = m · [Π U_j / (Σ U_j)^m]^(1/m)  (for two: C = 2√(U₁U₂) / (U₁ + U₂)),
comprehensive development T = Σ α_j U_j (equal α by default), coordination D = √(C · T),
graded by the ten-level table of the Chinese literature (极度失调 … 优质协调).

>>> import pandas as pd
>>> u = {"a": pd.DataFrame({2020: [0.25]}, index=["北京"]), "b": pd.DataFrame({2020: [1.0]}, index=["北京"])}
>>> r = coupling_coordination(u)
>>> round(float(r.C.iloc[0]), 3), round(float(r.D.iloc[0]), 3), r.grade.iloc[0]
(0.8, 0.707, '中级协调')
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["GRADES", "coupling_coordination", "grade"]

#: (upper bound, grade, English) — D in [0, 0.1) is 极度失调, …, [0.9, 1] is 优质协调.
GRADES = (
    (0.1, "极度失调", "extreme imbalance"), (0.2, "严重失调", "serious imbalance"),
    (0.3, "中度失调", "moderate imbalance"), (0.4, "轻度失调", "mild imbalance"),
    (0.5, "濒临失调", "on the verge of imbalance"), (0.6, "勉强协调", "barely coordinated"),
    (0.7, "初级协调", "primary coordination"), (0.8, "中级协调", "intermediate coordination"),
    (0.9, "良好协调", "good coordination"), (np.inf, "优质协调", "high-quality coordination"),
)


def grade(d: np.ndarray | float) -> np.ndarray:
    """The grade (Chinese) of coordination degrees ``d``."""
    bounds = np.array([g[0] for g in GRADES])
    names = np.array([g[1] for g in GRADES])
    return names[np.searchsorted(bounds, np.asarray(d), side="right")]


def coupling_coordination(subsystems: dict[str, pd.DataFrame],
                          weights: dict[str, float] | None = None) -> pd.DataFrame:
    """C, T, D and grade for every province-year; ``subsystems`` maps a name to a
    province × year table of scores in [0, 1] (e.g. ``{d: result.score(d) for d in
    result.dimensions}``)."""
    names = list(subsystems)
    if len(names) < 2:
        raise ValueError("coupling needs at least two subsystems")
    first = subsystems[names[0]]
    u = np.stack([subsystems[n].reindex(index=first.index, columns=first.columns)
                  .to_numpy(dtype=float) for n in names])  # (m, P, Y)
    if np.isnan(u).any() or (u < 0).any() or (u > 1 + 1e-12).any():
        raise ValueError("subsystem scores must be complete and within [0, 1] (min-max "
                         "normalised or TOPSIS scores)")
    m = len(names)
    alpha = np.array([1.0 / m] * m if weights is None else [weights[n] for n in names])
    alpha = alpha / alpha.sum()
    total = u.sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        c = m * (np.prod(u, axis=0) / total**m) ** (1.0 / m)
    c = np.where(total > 0, c, 0.0)
    t = np.tensordot(alpha, u, axes=1)
    d = np.sqrt(c * t)
    years = list(first.columns)
    out = pd.DataFrame({"province": np.repeat(list(first.index), len(years)),
                        "year": years * len(first.index), "C": c.ravel(), "T": t.ravel(),
                        "D": d.ravel()})
    out["grade"] = grade(out["D"].to_numpy())
    return out
