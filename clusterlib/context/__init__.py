"""The region's official innovation and economic context (issue 26 §3).

- :mod:`~clusterlib.context.counts`: GDP, population, R&D personnel and patent applications as
  counts in one NUTS version (:func:`context_counts`);
- :mod:`~clusterlib.context.indicators`: rates of a region or cluster area from summed counts
  (:func:`indicator_values`), percentile ranks and growth.
"""

from clusterlib.context.counts import ContextFiles, context_counts, gdp_counts
from clusterlib.context.indicators import growth_rate, indicator_values, percentile

__all__ = [
    "ContextFiles", "context_counts", "gdp_counts", "growth_rate", "indicator_values",
    "percentile",
]  # fmt: skip
