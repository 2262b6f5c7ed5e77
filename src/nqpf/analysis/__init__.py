"""Robustness and regional analysis of index results."""

from nqpf.analysis.coupling import GRADES, coupling_coordination
from nqpf.analysis.disparity import DagumGini, dagum_gini, sigma_convergence, theil
from nqpf.analysis.dynamics import (
    beta_convergence,
    conditional_beta_convergence,
    kernel_density,
    markov,
    spatial_markov,
)
from nqpf.analysis.spatial import lisa, moran
from nqpf.analysis.uncertainty import (
    Alternatives,
    UncertaintyAnalysis,
    UncertaintyResult,
    indicator_drop_impact,
)

__all__ = [
    "GRADES", "Alternatives", "DagumGini", "UncertaintyAnalysis", "UncertaintyResult",
    "beta_convergence", "conditional_beta_convergence", "coupling_coordination", "dagum_gini",
    "indicator_drop_impact", "kernel_density", "lisa", "markov", "moran", "sigma_convergence",
    "spatial_markov", "theil",
]
