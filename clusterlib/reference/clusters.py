"""Cluster definitions: named sets of NACE codes, kept as data in ``params/clusters.yaml``."""

from __future__ import annotations

from pathlib import Path

import yaml

from clusterlib import config
from clusterlib.errors import DataFormatError, UnknownCodeError
from clusterlib.reference.nace import _nace


def load_clusters(path: str | Path | None = None) -> dict[str, tuple[str, ...]]:
    """Load cluster definitions from YAML.

    Parameters
    ----------
    path : str or Path, optional
        A YAML mapping ``name -> {industries: [codes], description: text}``. Default
        ``params/clusters.yaml``.

    Returns
    -------
    dict of str to tuple of str
        Cluster name to its NACE codes.

    Raises
    ------
    DataFormatError
        The file is not such a mapping, a code is unknown, or a code is listed with its own section
        (which would double-count).
    """
    path = Path(path) if path is not None else config.params_dir() / "clusters.yaml"
    with path.open(encoding="utf-8") as f:
        spec = yaml.safe_load(f)
    if not isinstance(spec, dict) or not spec:
        raise DataFormatError(f"{path}: expected a mapping of cluster names to definitions.")
    nace = _nace()
    out = {}
    for name, body in spec.items():
        codes = body.get("industries") if isinstance(body, dict) else None
        if not isinstance(codes, list) or not codes or not all(isinstance(c, str) for c in codes):
            raise DataFormatError(
                f"{path}, cluster {name!r}, field 'industries': expected a non-empty list of NACE "
                f"codes such as [C24, C25], found {codes!r}."
            )
        unknown = [c for c in codes if c not in nace.index]
        if unknown:
            raise DataFormatError(
                f"{path}, cluster {name!r}, field 'industries': unknown NACE code(s) {unknown}. "
                "Use codes from clusterlib.reference.nace_table()."
            )
        nested = [c for c in codes if nace.at[c, "parent"] in codes]
        if nested:
            raise DataFormatError(
                f"{path}, cluster {name!r}, field 'industries': {nested} sit inside another listed "
                "code and would be counted twice. List either the section or its divisions."
            )
        out[str(name)] = tuple(codes)
    return out


def cluster_codes(name: str, *, path: str | Path | None = None) -> tuple[str, ...]:
    """Return the NACE codes of the cluster called ``name``.

    Raises
    ------
    UnknownCodeError
        If no cluster of that name is defined; the message lists the defined ones.
    """
    clusters = load_clusters(path)
    if name not in clusters:
        raise UnknownCodeError(
            f"unknown cluster {name!r}. Defined in {path or 'params/clusters.yaml'}: "
            f"{sorted(clusters)}. Add it there as a list of NACE codes."
        )
    return clusters[name]
