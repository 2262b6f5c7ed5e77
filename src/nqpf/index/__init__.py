"""The composite index engine: frameworks, presets, steps, Recipe and IndexResult."""

from nqpf.index.aggregate import (
    Arithmetic,
    BenefitOfTheDoubt,
    Geometric,
    MazziottaPareto,
    MeanMin,
    Topsis,
    Wroclaw,
    make_aggregator,
)
from nqpf.index.framework import Framework, FrameworkError, Node, list_presets, load_preset
from nqpf.index.impute import Imputer, Screen
from nqpf.index.normalise import (
    DistanceToTarget,
    Goalposts,
    MinMax,
    Rank,
    Vector,
    ZScore,
    make_normaliser,
)
from nqpf.index.recipe import IndexBuildError, Recipe, RecipeError
from nqpf.index.result import IndexResult
from nqpf.index.treat import OutlierTreatment
from nqpf.index.weights import (
    AHP,
    CRITIC,
    PCA,
    CoefficientOfVariation,
    Entropy,
    Equal,
    Fixed,
    Product,
    ahp_weights,
    make_weighter,
)

__all__ = [
    "AHP", "CRITIC", "PCA", "Arithmetic", "BenefitOfTheDoubt", "CoefficientOfVariation",
    "DistanceToTarget", "Entropy", "Equal", "Fixed", "Framework", "FrameworkError", "Geometric",
    "Goalposts", "Imputer", "IndexBuildError", "IndexResult", "MazziottaPareto", "MeanMin",
    "MinMax", "Node", "OutlierTreatment", "Product", "Rank", "Recipe", "RecipeError", "Screen",
    "Topsis", "Vector", "Wroclaw", "ZScore", "ahp_weights", "list_presets", "load_preset",
    "make_aggregator", "make_normaliser", "make_weighter",
]
