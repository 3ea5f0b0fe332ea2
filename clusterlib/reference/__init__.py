"""Reference tables: NACE Rev. 2 codes, NUTS regions and their versions, measures, clusters."""

from clusterlib.reference.clusters import cluster_codes, load_clusters
from clusterlib.reference.measures import MEASURES, indicator_code, measure_table
from clusterlib.reference.nace import (
    BASE_INDUSTRIES,
    check_nace,
    nace_divisions,
    nace_labels,
    nace_level,
    nace_parent,
    nace_table,
)
from clusterlib.reference.nuts import (
    check_nuts,
    check_region,
    is_nuts2,
    is_nuts_region,
    named_nuts2,
    nuts2_regions,
    nuts_table,
    pl_voivodeships,
    region_countries,
    region_country,
)
from clusterlib.reference.nuts_convert import conversion_shares, convert_nuts, harmonise_nuts
from clusterlib.reference.nuts_versions import (
    VERSIONS,
    check_nuts_version,
    counterparts,
    detect_version,
    nuts_codes,
)

__all__ = [
    "BASE_INDUSTRIES",
    "MEASURES",
    "VERSIONS",
    "check_nuts_version",
    "conversion_shares",
    "convert_nuts",
    "counterparts",
    "detect_version",
    "harmonise_nuts",
    "indicator_code",
    "measure_table",
    "nuts_codes",
    "check_nace",
    "check_nuts",
    "check_region",
    "cluster_codes",
    "load_clusters",
    "is_nuts2",
    "is_nuts_region",
    "nace_divisions",
    "nace_labels",
    "nace_level",
    "nace_parent",
    "nace_table",
    "named_nuts2",
    "nuts2_regions",
    "nuts_table",
    "pl_voivodeships",
    "region_countries",
    "region_country",
]
