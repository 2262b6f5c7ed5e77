"""Regional analysis of index scores: disparity (Dagum Gini, Theil, σ-convergence)."""

from nqpf.analysis.disparity import DagumGini, dagum_gini, sigma_convergence, theil

__all__ = ["DagumGini", "dagum_gini", "sigma_convergence", "theil"]
