"""Robustness and regional analysis of index results."""

from nqpf.analysis.disparity import DagumGini, dagum_gini, sigma_convergence, theil
from nqpf.analysis.uncertainty import (
    Alternatives,
    UncertaintyAnalysis,
    UncertaintyResult,
    indicator_drop_impact,
)

__all__ = ["Alternatives", "DagumGini", "UncertaintyAnalysis", "UncertaintyResult", "dagum_gini",
           "indicator_drop_impact", "sigma_convergence", "theil"]
