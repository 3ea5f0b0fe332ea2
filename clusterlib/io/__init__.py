"""Readers and validation for raw inputs: Eurostat bulk files, users' own tables, the firm survey."""

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
