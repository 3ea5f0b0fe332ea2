"""Figures: each function returns a matplotlib Figure; nothing is shown or saved here."""

from clusterlib.figures.charts import ame_forest_plot
from clusterlib.figures.segments import criteria_plot, pca_biplot, profile_heatmap, silhouette_plot

__all__ = ["ame_forest_plot", "criteria_plot", "pca_biplot", "profile_heatmap", "silhouette_plot"]
