"""clusterlib: regional industrial-cluster analysis.

Where is an industry concentrated (location quotients, specialisation indices, shift-share, star
ratings), what drives firms' innovation, and what kinds of firms there are, on official Eurostat
regional statistics and a firm survey.

The public names below are imported on first use (PEP 562), so ``import clusterlib`` stays fast
and a notebook that only computes location quotients never loads statsmodels or scikit-learn.
"""

from importlib import import_module
from importlib.metadata import PackageNotFoundError, version

from clusterlib.errors import (  # noqa: F401 - re-exported; __all__ is built below
    ClusterlibError,
    DataFormatError,
    DataValueError,
    EmptySelectionError,
    ParameterError,
    UnknownCodeError,
)

try:
    __version__ = version("clusterlib")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0+unknown"

_SUBMODULES = {
    "batch",
    "chapters",
    "config",
    "context",
    "figures",
    "i18n",
    "innovation",
    "io",
    "linkages",
    "reference",
    "relatedness",
    "segmentation",
    "specialisation",
    "stakeholders",
}
_NAMES = {
    "clusterlib.innovation": ["average_marginal_effects", "cronbach_alpha", "fit_model",
                              "model_table", "synthetic_survey"],
    "clusterlib.batch.params": ["check_parameters"],
    "clusterlib.io": ["cached_table", "load_eurostat", "read_eurostat_csv", "read_eurostat_tsv",
                      "read_table"],
    "clusterlib.io.fetch": ["fetch_eurostat"],
    "clusterlib.io.io_tables": ["load_manual_example", "load_wiod_poland", "read_io_table"],
    "clusterlib.linkages": ["allocation_coefficients", "cluster_io_industries",
                            "division_link_strength", "ghosh_inverse",
                            "hypothetical_extraction", "io_link_strength", "leontief_inverse",
                            "linkage_indices", "multipliers", "regionalise",
                            "technical_coefficients",
                            "wiod_nace_bridge"],
    "clusterlib.io.survey": ["read_survey"],
    "clusterlib.io.evidence": ["check_evidence", "read_evidence"],
    "clusterlib.io.expert_scores": ["check_expert_scores", "read_expert_scores"],
    "clusterlib.stakeholders": ["agreement_change", "evidence_quotes", "kendalls_w",
                                "priority_order", "score_summary", "triangulate"],
    "clusterlib.reference": ["cluster_codes", "convert_nuts", "harmonise_nuts", "indicator_code",
                             "load_clusters", "nace_table", "nuts_table"],
    "clusterlib.segmentation": ["build_features", "choose_k", "gap_statistic", "gower_distance",
                                "segment_firms", "segment_profiles", "segment_stability"],
    "clusterlib.specialisation.europe": ["star_table"],
    "clusterlib.specialisation.peers": ["peer_regions"],
    "clusterlib.specialisation.series": ["cluster_series", "growth_rates", "trend_extrapolation"],
    "clusterlib.specialisation": [
        "cluster_stars", "ellison_glaeser", "employment_matrix", "gini", "herfindahl",
        "hoover_index", "krugman_index", "location_quotient", "location_quotient_ci",
        "location_quotient_long", "locational_gini", "portfolio", "shannon_entropy",
        "shift_share", "specialisation_coefficient", "specialisation_table",
    ],
}  # fmt: skip
_LAZY = {name: module for module, names in _NAMES.items() for name in names}

__all__ = sorted(
    ["ClusterlibError", "DataFormatError", "DataValueError", "EmptySelectionError",
     "ParameterError", "UnknownCodeError", "__version__", *_LAZY, *_SUBMODULES]
)  # fmt: skip


def __getattr__(name: str):
    if name in _LAZY:
        value = getattr(import_module(_LAZY[name]), name)
    elif name in _SUBMODULES:
        value = import_module(f"clusterlib.{name}")
    else:
        raise AttributeError(f"module 'clusterlib' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__():
    return __all__
