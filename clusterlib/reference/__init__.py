"""Reference tables: NACE Rev. 2 codes, NUTS 2013 regions and cluster definitions."""

from clusterlib.reference.clusters import cluster_codes, load_clusters
from clusterlib.reference.nace import BASE_INDUSTRIES, check_nace, nace_table
from clusterlib.reference.nuts import (
    check_nuts,
    check_region,
    nuts2_regions,
    nuts_table,
    pl_voivodeships,
    region_country,
)

__all__ = [
    "BASE_INDUSTRIES",
    "check_nace",
    "check_nuts",
    "check_region",
    "cluster_codes",
    "load_clusters",
    "nace_table",
    "nuts2_regions",
    "nuts_table",
    "pl_voivodeships",
    "region_country",
]
