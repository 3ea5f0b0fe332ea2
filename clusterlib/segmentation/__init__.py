"""What kinds of firms are there: features, clustering, choice of k, stability and profiles."""

from clusterlib.segmentation.features import DEFAULT_FEATURES, build_features, derived_columns
from clusterlib.segmentation.gower import gower_distance
from clusterlib.segmentation.methods import METHODS, segment_firms
from clusterlib.segmentation.profiles import label_segments, segment_profiles
from clusterlib.segmentation.selection import RULE, choose_k, gap_statistic, within_dispersion
from clusterlib.segmentation.stability import segment_stability

__all__ = [
    "DEFAULT_FEATURES",
    "METHODS",
    "RULE",
    "build_features",
    "choose_k",
    "derived_columns",
    "gap_statistic",
    "gower_distance",
    "label_segments",
    "segment_firms",
    "segment_profiles",
    "segment_stability",
    "within_dispersion",
]
