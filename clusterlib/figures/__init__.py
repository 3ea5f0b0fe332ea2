"""Figures: each function returns a matplotlib Figure; nothing is shown or saved here.

Names are imported on first use, so ``from clusterlib.figures import charts, maps`` does not load
seaborn or scikit-learn (needed only by the segmentation figures).
"""

from importlib import import_module

_NAMES = {
    "ame_forest_plot": "clusterlib.figures.charts",
    "criteria_plot": "clusterlib.figures.segments",
    "industry_space_plot": "clusterlib.figures.relatedness",
    "relatedness_complexity_plot": "clusterlib.figures.relatedness",
    "pca_biplot": "clusterlib.figures.segments",
    "profile_heatmap": "clusterlib.figures.segments",
    "silhouette_plot": "clusterlib.figures.segments",
}
__all__ = sorted(_NAMES)


def __getattr__(name: str):
    if name in _NAMES:
        return getattr(import_module(_NAMES[name]), name)
    if name in ("charts", "maps", "relatedness", "segments"):
        return import_module(f"clusterlib.figures.{name}")
    raise AttributeError(f"module 'clusterlib.figures' has no attribute {name!r}")
