"""Reference tables: NACE Rev. 2 codes, NUTS 2013 regions and cluster definitions."""

from clusterlib.reference.clusters import cluster_codes, load_clusters
from clusterlib.reference.nace import BASE_INDUSTRIES, check_nace, nace_table
from clusterlib.reference.nuts import check_nuts, nuts_table, pl_voivodeships

__all__ = [
    "BASE_INDUSTRIES",
    "check_nace",
    "check_nuts",
    "cluster_codes",
    "load_clusters",
    "nace_table",
    "nuts_table",
    "pl_voivodeships",
]
