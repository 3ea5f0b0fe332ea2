"""A disk cache of parsed data and of tables computed from it, keyed by content hashes.

Every notebook run of a batch would otherwise parse the same Eurostat file and compute the same
national and EU tables again; with the cache the first run computes them and the others read
Parquet. Keys are SHA-256 digests of the source file's contents, the function, its arguments, the
definition files of the parameter folder (``clusters.yaml``, ``areas.yaml`` if present,
``actions.yaml``), clusterlib's version and its own code, so a change to any of them is a miss,
never a stale hit (a table of every cluster, such as the star table, follows ``clusters.yaml``). Files are written
atomically; concurrent writers of the same key write the same bytes.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
from collections.abc import Callable
from functools import cache
from pathlib import Path

import pandas as pd

from clusterlib import config
from clusterlib.io.files import file_sha256, write_atomic


def cache_dir() -> Path:
    """Cache folder: ``CLUSTERLIB_CACHE`` or ``<data>/cache``."""
    return Path(os.environ.get("CLUSTERLIB_CACHE", config.data_dir() / "cache"))


@cache
def code_hash() -> str:
    """Hash of clusterlib's source and package data (a library change invalidates every key)."""
    h = hashlib.sha256()
    pkg = Path(__file__).resolve().parents[1]
    for p in sorted(pkg.rglob("*")):
        if p.suffix in (".py", ".csv", ".yaml") and "__pycache__" not in p.parts:
            h.update(str(p.relative_to(pkg)).encode())
            h.update(p.read_bytes())
    return h.hexdigest()


def definitions_hash() -> dict[str, str | None]:
    """SHA-256 of each definition file of the parameter folder (None: the file does not exist).

    The files are :data:`clusterlib.config.DEFINITION_FILES` in
    :func:`clusterlib.config.params_dir` (``CLUSTERLIB_PARAMS`` or ``params/``); they are read
    at every call, so an edit between two calls is seen.
    """
    folder = config.params_dir()
    return {
        name: file_sha256(folder / name) if (folder / name).is_file() else None
        for name in config.DEFINITION_FILES
    }


def cache_path(name: str, key: dict) -> Path:
    """Return the cache file of ``key``: a digest of the key, the definitions, version and code."""
    from clusterlib import __version__

    full = {**key, "code": code_hash(), "version": __version__, "definitions": definitions_hash()}
    digest = hashlib.sha256(json.dumps(full, sort_keys=True, default=str).encode()).hexdigest()
    return cache_dir() / f"{name}-{digest[:32]}.parquet"


def _read_or_compute(name: str, key: dict, compute: Callable[[], pd.DataFrame]) -> pd.DataFrame:
    path = cache_path(name, key)
    if path.exists():
        try:
            return pd.read_parquet(path)
        except (OSError, ValueError):
            path.unlink(missing_ok=True)  # a damaged cache file is recomputed
    out = compute()
    buf = io.BytesIO()
    out.to_parquet(buf)  # a real index is kept; a RangeIndex is stored as metadata
    write_atomic(path, buf.getvalue())
    # what a later hit reads: a cold and a warm cache give the same table, to the last bit
    return pd.read_parquet(path)


def load_eurostat(path: str | Path | None = None, *, use_cache: bool = True) -> pd.DataFrame:
    """Read the Eurostat file through the Parquet cache (same table as :func:`read_eurostat_tsv`).

    Parameters
    ----------
    path : str or Path, optional
        Default: the bundled ``sbs_r_nuts06_r2.tsv.gz``.
    use_cache : bool
        False parses the file every time.
    """
    from clusterlib.io.eurostat import read_eurostat_tsv

    path = Path(path) if path is not None else config.eurostat_path()
    if not use_cache:
        return read_eurostat_tsv(path)
    out = _read_or_compute("eurostat", {"file": file_sha256(path)}, lambda: read_eurostat_tsv(path))
    out.attrs["source"] = str(path)
    return out


def cached_table(
    function: Callable[..., pd.DataFrame], path: str | Path | None = None, **kwargs
) -> pd.DataFrame:
    """``function(load_eurostat(path), **kwargs)`` through the cache.

    For the table functions of :mod:`clusterlib.specialisation` (e.g.
    :func:`~clusterlib.specialisation_table`), whose result depends only on the file and the
    arguments. The data are not even read when the result is cached.
    """
    path = Path(path) if path is not None else config.eurostat_path()
    key = {
        "file": file_sha256(path),
        "function": f"{function.__module__}.{function.__qualname__}",
        "kwargs": kwargs,
    }
    return _read_or_compute(function.__name__, key, lambda: function(load_eurostat(path), **kwargs))
