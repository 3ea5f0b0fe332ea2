"""Cluster definitions: named sets of NACE codes, kept as data in ``params/clusters.yaml``."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from clusterlib import config
from clusterlib.errors import DataFormatError, UnknownCodeError
from clusterlib.reference.nace import nace_table
from clusterlib.yamlfile import load_yaml


def validate_clusters(
    spec: Mapping[str, object], *, source: str | Path = "clusters"
) -> dict[str, tuple[str, ...]]:
    """Validate cluster definitions, wherever they come from (YAML file or a dict in code).

    Parameters
    ----------
    spec : mapping
        Cluster name to either a list of NACE codes (``{"metal": ["C24", "C25"]}``) or, as in
        ``params/clusters.yaml``, a mapping with an ``industries`` list.
    source : str or Path
        Where the definitions come from, for messages.

    Returns
    -------
    dict of str to tuple of str
        Cluster name to its NACE codes.

    Raises
    ------
    DataFormatError
        Not a non-empty mapping; a definition that is not a non-empty list of code strings (a bare
        string such as ``"C24"`` is refused, not split into letters); an unknown NACE code; a code
        listed twice; a code listed together with a code that contains it (``C`` and ``C24``, which
        would double-count); a cluster named like a NACE code.
    """
    if not isinstance(spec, Mapping) or not spec:
        raise DataFormatError(
            f"{source}: expected a non-empty mapping of cluster names to NACE codes, e.g. "
            f"{{'metal processing': ['C24', 'C25']}}; found {spec!r}."
        )
    nace = nace_table()
    out = {}
    for name, body in spec.items():
        codes = body.get("industries") if isinstance(body, Mapping) else body
        field = "industries" if isinstance(body, Mapping) else "codes"
        at = f"{source}, cluster {name!r}, field {field!r}"
        if not isinstance(name, str) or not name.strip():
            raise DataFormatError(f"{source}: cluster name {name!r}: expected a non-empty text.")
        if name in nace.index:
            raise DataFormatError(
                f"{source}, cluster {name!r}: the name is a NACE code; give the cluster a name "
                "that cannot be confused with an industry (e.g. 'basic metals')."
            )
        if (
            isinstance(codes, str)
            or not isinstance(codes, list | tuple)
            or not codes
            or not all(isinstance(c, str) for c in codes)
        ):
            raise DataFormatError(
                f"{at}: expected a non-empty list of NACE codes such as ['C24', 'C25'], "
                f"found {codes!r}."
            )
        codes = [c.strip() for c in codes]
        unknown = [c for c in codes if c not in nace.index]
        if unknown:
            raise DataFormatError(
                f"{at}: unknown NACE code(s) {unknown}. Use codes from "
                "clusterlib.reference.nace_table(), e.g. 'C24' (division) or 'C' (section)."
            )
        twice = sorted({c for c in codes if codes.count(c) > 1})
        if twice:
            raise DataFormatError(f"{at}: {twice} listed more than once; list each code once.")
        nested = [c for c in codes if _ancestors(c, nace) & set(codes)]
        if nested:
            raise DataFormatError(
                f"{at}: {nested} sit inside another listed code and would be counted twice. "
                "List either the section or its divisions."
            )
        out[str(name)] = tuple(codes)
    return out


def _ancestors(code: str, nace) -> set[str]:
    out = set()
    parent = nace.at[code, "parent"]
    while isinstance(parent, str) and parent and parent in nace.index:
        out.add(parent)
        parent = nace.at[parent, "parent"]
    return out


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
        The file is not valid YAML (a duplicated key included) or not such a mapping, or a
        definition fails :func:`validate_clusters`.
    """
    path = Path(path) if path is not None else config.params_dir() / "clusters.yaml"
    spec = load_yaml(path)
    if isinstance(spec, Mapping):
        for name, body in spec.items():
            if not isinstance(body, Mapping):
                raise DataFormatError(
                    f"{path}, cluster {name!r}: expected a mapping with 'industries' (and "
                    f"optionally 'description'), found {body!r}."
                )
            extra = set(body) - {"industries", "description"}
            if extra:
                raise DataFormatError(
                    f"{path}, cluster {name!r}: unknown key(s) {sorted(extra)}; expected "
                    "'industries' and optionally 'description'."
                )
    return validate_clusters(spec, source=path)


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
