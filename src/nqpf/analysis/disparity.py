"""Disparity of a score across provinces, per year, with decompositions by region group.

Inputs are province × year tables (``IndexResult.score()``, or any frame indexed by
province names or adcodes with one column per year); groups default to NBS's four regions.

>>> from nqpf.index import Recipe
>>> g = dagum_gini(Recipe("innovation").build().score())
>>> bool((g.overall["G"] - g.overall[["Gw", "Gnb", "Gt"]].sum(axis=1)).abs().max() < 1e-12)
True
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from nqpf import regions

__all__ = ["DagumGini", "dagum_gini", "sigma_convergence", "theil"]


def _prepare(scores: pd.DataFrame, groups: dict | None) -> tuple[np.ndarray, np.ndarray, list]:
    """(Y, U) values, (U, G) membership matrix and group names."""
    if scores.isna().any().any():
        raise ValueError("scores contain missing values; disparity needs a complete table")
    units = [regions.resolve(u) for u in scores.index]
    if groups is None:
        labels = [p.group for p in units]
        order = [g for g in regions.REGION_GROUPS if g in labels]
    else:
        labels = []
        for p, raw in zip(units, scores.index, strict=True):
            key = next((k for k in (raw, p.adcode, p.short, p.name) if k in groups), None)
            if key is None:
                raise KeyError(f"no group given for {p.short}")
            labels.append(groups[key])
        order = list(dict.fromkeys(labels))
    member = np.array([[lab == g for g in order] for lab in labels], dtype=float)
    return scores.to_numpy(dtype=float).T, member, order


@dataclass
class DagumGini:
    """Dagum (1997) Gini decomposition, one row per year.

    ``overall``: G = Gw + Gnb + Gt and each part's share of G (%). ``within``: each group's
    own Gini. ``between``: Gini between each pair of groups.
    """

    overall: pd.DataFrame
    within: pd.DataFrame
    between: pd.DataFrame


def dagum_gini(scores: pd.DataFrame, groups: dict | None = None) -> DagumGini:
    """Dagum Gini coefficient and its decomposition into within-group, net between-group
    and transvariation contributions, for every year at once."""
    y, m, names = _prepare(scores, groups)
    n = y.shape[1]
    nk = m.sum(axis=0)  # units per group
    mean = y.mean(axis=1)  # (Y,)
    gmean = (y @ m) / nk  # (Y, G)
    diff = y[:, :, None] - y[:, None, :]  # (Y, U, U): y_i − y_r
    absd = np.abs(diff)
    pos = np.where(diff > 0, diff, 0.0)
    s_abs = np.einsum("yir,ig,rh->ygh", absd, m, m)  # Σ |y_gi − y_hr|
    s_pos = np.einsum("yir,ig,rh->ygh", pos, m, m)  # Σ (y_gi − y_hr)⁺
    g_total = absd.sum(axis=(1, 2)) / (2 * n**2 * mean)
    nn = nk[:, None] * nk[None, :]
    g_jh = s_abs / (nn * (gmean[:, :, None] + gmean[:, None, :]))  # (Y, G, G)
    g_jj = np.diagonal(g_jh, axis1=1, axis2=2)  # within: Σ|y_ji − y_jr| / (2 n_j² ȳ_j)
    p = nk / n
    s = nk * gmean / (n * mean[:, None])
    gw = (g_jj * p * s).sum(axis=1)
    d = s_pos / nn  # d_jh: mean positive gap of group j over group h
    p_jh = np.transpose(d, (0, 2, 1))  # the reverse gap
    richer = gmean[:, :, None] >= gmean[:, None, :]
    big, small = np.where(richer, d, p_jh), np.where(richer, p_jh, d)
    with np.errstate(invalid="ignore", divide="ignore"):
        d_rel = np.where(big + small > 0, (big - small) / (big + small), 0.0)
    w = p[None, :, None] * s[:, None, :] + p[None, None, :] * s[:, :, None]
    upper = np.triu(np.ones((len(names), len(names)), bool), k=1)
    gnb = (g_jh * w * d_rel)[:, upper].sum(axis=1)
    gt = (g_jh * w * (1 - d_rel))[:, upper].sum(axis=1)
    years = list(scores.columns)
    overall = pd.DataFrame({"G": g_total, "Gw": gw, "Gnb": gnb, "Gt": gt,
                            "Gw_%": 100 * gw / g_total, "Gnb_%": 100 * gnb / g_total,
                            "Gt_%": 100 * gt / g_total}, index=pd.Index(years, name="year"))
    within = pd.DataFrame(g_jj, index=overall.index, columns=names)
    pairs = [(i, j) for i in range(len(names)) for j in range(i + 1, len(names))]
    between = pd.DataFrame({f"{names[i]}–{names[j]}": g_jh[:, i, j] for i, j in pairs},
                           index=overall.index)
    return DagumGini(overall=overall, within=within, between=between)


def theil(scores: pd.DataFrame, groups: dict | None = None) -> pd.DataFrame:
    """Theil T index per year with its within/between-group decomposition (T = Tw + Tb).

    Needs positive scores (the logarithm of each score's share of the mean)."""
    y, m, names = _prepare(scores, groups)
    if (y <= 0).any():
        raise ValueError("the Theil index needs positive scores")
    n = y.shape[1]
    nk = m.sum(axis=0)
    mean = y.mean(axis=1, keepdims=True)
    t = (y / mean * np.log(y / mean)).mean(axis=1)
    gmean = (y @ m) / nk
    s = nk * gmean / (n * mean)  # income share of each group
    unit_gmean = gmean @ m.T  # each unit's group mean
    t_g = ((y / unit_gmean) * np.log(y / unit_gmean)) @ m / nk
    tw = (s * t_g).sum(axis=1)
    tb = (s * np.log(gmean / mean)).sum(axis=1)
    out = pd.DataFrame({"T": t, "Tw": tw, "Tb": tb, "Tw_%": 100 * tw / t, "Tb_%": 100 * tb / t},
                       index=pd.Index(list(scores.columns), name="year"))
    for i, g in enumerate(names):
        out[f"T_{g}"] = t_g[:, i]
    return out


def sigma_convergence(scores: pd.DataFrame, groups: dict | None = None) -> pd.DataFrame:
    """σ-convergence: standard deviation and coefficient of variation per year, overall and
    within each group (a falling CV is σ-convergence)."""
    y, m, names = _prepare(scores, groups)
    out = pd.DataFrame({"sd": y.std(axis=1, ddof=1), "cv": y.std(axis=1, ddof=1) / y.mean(axis=1)},
                       index=pd.Index(list(scores.columns), name="year"))
    for i, g in enumerate(names):
        block = y[:, m[:, i] > 0]
        out[f"cv_{g}"] = block.std(axis=1, ddof=1) / block.mean(axis=1)
    return out
