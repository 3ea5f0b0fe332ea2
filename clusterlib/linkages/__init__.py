"""Supplier and customer links from input-output tables.

Coefficients, inverses, multipliers, linkages and key sectors, regionalisation by location
quotients, input-output link strength, and the WIOD-NACE bridge.

DataFrame in, DataFrame out; industries are the labelled index and columns. Many regions at once
are stacked with a (region, industry) row index (see :func:`regionalise`).
"""

from clusterlib.linkages.bridge import cluster_io_industries, wiod_nace_bridge
from clusterlib.linkages.coefficients import allocation_coefficients, technical_coefficients
from clusterlib.linkages.inverses import ghosh_inverse, leontief_inverse
from clusterlib.linkages.linkage import hypothetical_extraction, linkage_indices
from clusterlib.linkages.multipliers import multipliers
from clusterlib.linkages.regional import regionalise
from clusterlib.linkages.strength import division_link_strength, io_link_strength

__all__ = [
    "allocation_coefficients",
    "cluster_io_industries",
    "division_link_strength",
    "ghosh_inverse",
    "hypothetical_extraction",
    "io_link_strength",
    "leontief_inverse",
    "linkage_indices",
    "multipliers",
    "regionalise",
    "technical_coefficients",
    "wiod_nace_bridge",
]
