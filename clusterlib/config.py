"""Project paths, anchored at the project root.

Every path the package uses is derived here, so that code behaves the same from a notebook, a
test, papermill or nbval, whatever the current working directory.

Environment variables
---------------------
CLUSTERLIB_DATA
    Overrides the data folder (default ``<project root>/data``). It must contain ``raw/``.
CLUSTERLIB_REPORTS
    Overrides the reports folder (default ``<project root>/reports``).
CLUSTERLIB_PARAMS
    Overrides the parameter folder (default ``<project root>/params``): region files,
    ``defaults.yaml``, ``clusters.yaml``, ``actions.yaml``.
CLUSTERLIB_NOTEBOOKS
    Overrides the folder of the parameterised notebooks (default ``<project root>/notebooks``);
    used by tests that run the batch on notebooks of their own.
"""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]


def data_dir() -> Path:
    """Return the data folder, honouring ``CLUSTERLIB_DATA``."""
    return Path(os.environ.get("CLUSTERLIB_DATA", PROJECT_ROOT / "data")).resolve()


def raw_dir() -> Path:
    """Return the folder of immutable raw inputs (``data/raw``)."""
    return data_dir() / "raw"


def survey_dir() -> Path:
    """Return the folder of the firm survey (``data/survey``)."""
    return data_dir() / "survey"


def params_dir() -> Path:
    """Return the folder of run parameters and cluster definitions, honouring ``CLUSTERLIB_PARAMS``."""
    return Path(os.environ.get("CLUSTERLIB_PARAMS", PROJECT_ROOT / "params")).resolve()


def reports_dir() -> Path:
    """Return the output folder, honouring ``CLUSTERLIB_REPORTS``."""
    return Path(os.environ.get("CLUSTERLIB_REPORTS", PROJECT_ROOT / "reports")).resolve()


def notebooks_dir() -> Path:
    """Return the folder of the parameterised notebooks."""
    return Path(os.environ.get("CLUSTERLIB_NOTEBOOKS", PROJECT_ROOT / "notebooks")).resolve()


EUROSTAT_FILE = "sbs_r_nuts06_r2.tsv.gz"
PL_BOUNDARIES_FILE = "pl_voivodeships.geojson"
NUTS2_BOUNDARIES_FILE = "nuts2_2013_60M.geojson"
COUNTRY_BOUNDARIES_FILE = "countries_2013_60M.geojson"


def eurostat_path() -> Path:
    """Return the path of the bundled Eurostat SBS regional file."""
    return raw_dir() / EUROSTAT_FILE
