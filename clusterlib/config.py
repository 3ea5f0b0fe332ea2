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
    ``defaults.yaml``, ``clusters.yaml``, ``actions.yaml`` (and ``areas.yaml`` if present).
    ``clusterlib run --params DIR`` sets it for the run, so its kernels read the same files.
CLUSTERLIB_EUROSTAT
    Overrides the Eurostat SBS regional file (default ``data/raw/sbs_r_nuts06_r2.tsv.gz``), e.g. a
    current download of ``sbs_r_nuts2021``; ``clusterlib run --data FILE`` sets it for the run.
CLUSTERLIB_NOTEBOOKS
    Overrides the folder of the parameterised notebooks (default ``<project root>/notebooks``);
    used by tests that run the batch on notebooks of their own.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
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


#: Definition files of the parameter folder that results depend on (``areas.yaml`` is optional).
DEFINITION_FILES = ("clusters.yaml", "areas.yaml", "actions.yaml")


@contextlib.contextmanager
def _using(variable: str, path: str | Path | None) -> Iterator[None]:
    """Set the environment ``variable`` to ``path`` (resolved) inside the block."""
    if path is None or path == "":
        yield
        return
    old = os.environ.get(variable)
    os.environ[variable] = str(Path(path).resolve())
    try:
        yield
    finally:
        if old is None:
            os.environ.pop(variable, None)
        else:
            os.environ[variable] = old


def using_params(folder: str | Path | None) -> contextlib.AbstractContextManager[None]:
    """Make ``folder`` the parameter folder (``CLUSTERLIB_PARAMS``) inside the block.

    Worker processes and kernels started inside the block inherit it. ``None`` changes nothing.
    """
    return _using("CLUSTERLIB_PARAMS", folder)


def using_data(path: str | Path | None) -> contextlib.AbstractContextManager[None]:
    """Make ``path`` the Eurostat SBS file (``CLUSTERLIB_EUROSTAT``) inside the block.

    ``clusterlib run --data FILE`` and the notebooks' ``data_path`` parameter use it; worker
    processes and kernels started inside the block inherit it. ``None`` or ``""`` changes nothing.
    """
    return _using("CLUSTERLIB_EUROSTAT", path)


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
    """Return the Eurostat SBS regional file: ``CLUSTERLIB_EUROSTAT``, else the bundled one."""
    given = os.environ.get("CLUSTERLIB_EUROSTAT")
    return Path(given).resolve() if given else raw_dir() / EUROSTAT_FILE
