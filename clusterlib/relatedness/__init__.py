"""Related industries, economic complexity and diversification paths (smart specialisation).

- :mod:`~clusterlib.relatedness.matrix`: the region x industry matrix, one year or all years;
- :mod:`~clusterlib.relatedness.rca`: RCA, the specialisation matrix, diversity and ubiquity;
- :mod:`~clusterlib.relatedness.proximity`: proximity, co-location relatedness, relatedness density;
- :mod:`~clusterlib.relatedness.complexity`: ECI and PCI (eigenvector method);
- :mod:`~clusterlib.relatedness.table`: all cell-level measures in one tidy table;
- :mod:`~clusterlib.relatedness.clusters`: data-driven cluster definitions, with their stability;
- :mod:`~clusterlib.relatedness.entry`: does relatedness predict which industries a region enters?
"""

from clusterlib.relatedness.complexity import Complexity, ComplexityError, complexity
from clusterlib.relatedness.matrix import RelatednessWarning, industry_matrix
from clusterlib.relatedness.proximity import (
    colocation_relatedness,
    proximity,
    relatedness_density,
)
from clusterlib.relatedness.rca import diversity, presence, rca, ubiquity
from clusterlib.relatedness.table import complexity_table

__all__ = [
    "Complexity",
    "ComplexityError",
    "RelatednessWarning",
    "colocation_relatedness",
    "complexity",
    "complexity_table",
    "diversity",
    "industry_matrix",
    "presence",
    "proximity",
    "rca",
    "relatedness_density",
    "ubiquity",
]
