"""Readers, validation and preparation of tidy data: Eurostat files, users' tables, the survey.

Besides the readers: the survey codebook (:mod:`~clusterlib.io.codebook`), Likert scale scores
(:mod:`~clusterlib.io.scales`) and the cells of one measure with the missing-cell policy applied
(:func:`clusterlib.io.cells.prepare_cells`), which every analysis package starts from.
"""

from clusterlib.io.cache import cached_table, load_eurostat
from clusterlib.io.eurostat import TIDY_COLUMNS, read_eurostat_tsv
from clusterlib.io.eurostat_csv import read_eurostat_csv
from clusterlib.io.tables import read_table

__all__ = [
    "TIDY_COLUMNS",
    "cached_table",
    "load_eurostat",
    "read_eurostat_csv",
    "read_eurostat_tsv",
    "read_table",
]
