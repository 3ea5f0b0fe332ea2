"""clusterlib: regional industrial-cluster analysis.

Where is an industry concentrated (location quotients, specialisation indices, shift-share, star
ratings), what drives firms' innovation, and what kinds of firms there are, on official Eurostat
regional statistics and a firm survey.
"""

from importlib.metadata import PackageNotFoundError, version

from clusterlib import config, findings
from clusterlib.errors import (
    ClusterlibError,
    DataFormatError,
    DataValueError,
    EmptySelectionError,
    UnknownCodeError,
)
from clusterlib.innovation import (
    average_marginal_effects,
    cronbach_alpha,
    fit_model,
    model_table,
    synthetic_survey,
)
from clusterlib.io import cached_table, load_eurostat, read_eurostat_tsv, read_table
from clusterlib.io.survey import read_survey
from clusterlib.reference import cluster_codes, load_clusters, nace_table, nuts_table
from clusterlib.segmentation import (
    build_features,
    choose_k,
    gap_statistic,
    gower_distance,
    segment_firms,
    segment_profiles,
    segment_stability,
)
from clusterlib.specialisation import (
    cluster_stars,
    ellison_glaeser,
    employment_matrix,
    gini,
    herfindahl,
    hoover_index,
    krugman_index,
    location_quotient,
    location_quotient_ci,
    location_quotient_long,
    locational_gini,
    portfolio,
    shannon_entropy,
    shift_share,
    specialisation_coefficient,
    specialisation_table,
)

try:
    __version__ = version("clusterlib")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0+unknown"

__all__ = [
    "ClusterlibError",
    "DataFormatError",
    "DataValueError",
    "EmptySelectionError",
    "UnknownCodeError",
    "__version__",
    "average_marginal_effects",
    "build_features",
    "choose_k",
    "gap_statistic",
    "gower_distance",
    "segment_firms",
    "segment_profiles",
    "segment_stability",
    "cronbach_alpha",
    "fit_model",
    "model_table",
    "read_survey",
    "synthetic_survey",
    "cluster_codes",
    "config",
    "findings",
    "cluster_stars",
    "ellison_glaeser",
    "employment_matrix",
    "gini",
    "herfindahl",
    "hoover_index",
    "krugman_index",
    "load_clusters",
    "location_quotient",
    "location_quotient_ci",
    "location_quotient_long",
    "locational_gini",
    "nace_table",
    "nuts_table",
    "portfolio",
    "cached_table",
    "load_eurostat",
    "read_eurostat_tsv",
    "read_table",
    "shannon_entropy",
    "shift_share",
    "specialisation_coefficient",
    "specialisation_table",
]
