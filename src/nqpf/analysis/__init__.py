"""Robustness and regional analysis of index results."""

from nqpf.analysis.audit import Audit, audit, cronbach_alpha
from nqpf.analysis.coupling import GRADES, coupling_coordination
from nqpf.analysis.disparity import DagumGini, dagum_gini, sigma_convergence, theil
from nqpf.analysis.dynamics import (
    beta_convergence,
    conditional_beta_convergence,
    kernel_density,
    markov,
    spatial_markov,
)
from nqpf.analysis.explain import Explanation, explain
from nqpf.analysis.optimise import index_correlations, optimise_weights
from nqpf.analysis.spatial import lisa, moran
from nqpf.analysis.uncertainty import (
    Alternatives,
    UncertaintyAnalysis,
    UncertaintyResult,
    indicator_drop_impact,
)

__all__ = [
    "GRADES", "Alternatives", "Audit", "DagumGini", "Explanation", "UncertaintyAnalysis",
    "UncertaintyResult", "audit", "beta_convergence", "conditional_beta_convergence",
    "coupling_coordination", "cronbach_alpha", "dagum_gini", "explain", "index_correlations",
    "indicator_drop_impact", "kernel_density", "lisa", "markov", "moran", "optimise_weights",
    "sigma_convergence", "spatial_markov", "theil",
]
