"""Figures: each function returns a matplotlib Figure; nothing is shown or saved here."""

from clusterlib.figures.charts import ame_forest_plot

__all__ = ["ame_forest_plot"]
