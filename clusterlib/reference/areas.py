"""Cluster areas: named sets of NUTS2 regions analysed as one unit, kept in ``params/areas.yaml``.

A cluster that spans several regions (the Metal Processing Cluster of north-east Poland brings
together firms of Podlaskie, Warmińsko-Mazurskie and Lubelskie) is one unit of analysis: its
counts are the sums of its members' counts, and every measure is computed from those sums.

.. code-block:: yaml

    PL-NE:
      name: North-east Poland (Podlaskie, Warmińsko-Mazurskie, Lubelskie)
      regions: [PL34, PL62, PL31]

Members are NUTS 2013 codes unless the area names its version (``nuts: 2021`` with
``regions: [PL84, PL62, PL81]``): they are then checked against that version and mapped to
the NUTS 2013 codes of the data (:func:`~clusterlib.reference.nuts_mapping.map_regions`; a
member that the data hold only as part of a region, such as PL91, is refused), and the area
keeps the sentence that says so for the reports.

An area id is not a NUTS code: it must not have a NUTS code's form (two capitals and up to three
letters or digits), so that ``PL-NE`` can never be mistaken for a region.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from clusterlib import config
from clusterlib.errors import ClusterlibError, DataFormatError, UnknownCodeError
from clusterlib.yamlfile import load_yaml


def validate_areas(spec: object, *, source: str | Path = "areas") -> dict[str, dict]:
    """Validate area definitions, wherever they come from (YAML or a dict in code).

    Parameters
    ----------
    spec : mapping
        Area id to ``{"name": text, "regions": [NUTS2 codes]}``, or to a bare list of codes.
    source : str or Path
        Where the definitions come from, for messages.

    Returns
    -------
    dict of str to dict
        Area id to ``{"name": str, "regions": tuple of str, "countries": tuple of str,
        "nuts": str, "declared": tuple of str, "note": str}``: ``regions`` in NUTS 2013 codes,
        ``declared`` as written in NUTS ``nuts``, ``note`` the sentence on the mapping ("" if none).

    Raises
    ------
    DataFormatError
        Not a mapping; an id with a NUTS code's form; a definition without regions, with an
        unknown key, an empty or duplicated member; a member that is not a known NUTS2 region
        (the message says what the code is, e.g. a NUTS 2021 code and its NUTS 2013 counterpart).

    Examples
    --------
    >>> validate_areas({"PL-NE": ["PL34", "PL62", "PL31"]})["PL-NE"]["regions"]
    ('PL34', 'PL62', 'PL31')
    """
    from clusterlib.reference.nuts import check_region, is_nuts_code, region_country
    from clusterlib.reference.nuts_mapping import DATA_VERSION, map_regions
    from clusterlib.reference.nuts_versions import check_version

    if not isinstance(spec, Mapping):
        raise DataFormatError(
            f"{source}: expected a mapping of area ids to their regions, e.g. "
            f"{{'PL-NE': {{'name': 'North-east Poland', 'regions': ['PL34', 'PL62']}}}}; "
            f"found {spec!r}."
        )
    out = {}
    for area, body in spec.items():
        if not isinstance(area, str) or not area.strip() or is_nuts_code(area):
            raise DataFormatError(
                f"{source}, area {area!r}: an area id must be a text that is not a NUTS code "
                "(e.g. 'PL-NE'), so that it cannot be taken for a region."
            )
        regions = body.get("regions") if isinstance(body, Mapping) else body
        name = body.get("name", area) if isinstance(body, Mapping) else area
        extra = set(body) - {"name", "regions", "nuts"} if isinstance(body, Mapping) else set()
        at = f"{source}, area {area!r}"
        if extra:
            raise DataFormatError(f"{at}: unknown key(s) {sorted(extra)}; expected 'name', "
                                  "'regions' and 'nuts' (optional).")  # fmt: skip
        try:
            nuts = check_version(body.get("nuts", DATA_VERSION) if isinstance(body, Mapping)
                                 else DATA_VERSION)  # fmt: skip
        except ClusterlibError as exc:
            raise DataFormatError(f"{at}, field 'nuts': {exc}") from None
        if isinstance(regions, str) or not isinstance(regions, list | tuple) or not regions:
            raise DataFormatError(f"{at}, field 'regions': expected a non-empty list of NUTS2 "
                                  f"codes such as [PL34, PL62], found {regions!r}.")  # fmt: skip
        if not isinstance(name, str) or not name.strip():
            raise DataFormatError(f"{at}, field 'name': expected a text, found {name!r}.")
        twice = sorted({str(r) for r in regions if list(regions).count(r) > 1})
        if twice:
            raise DataFormatError(f"{at}, field 'regions': {twice} listed more than once; list "
                                  "each region once.")  # fmt: skip
        declared = tuple(str(r) for r in regions)
        try:
            regions, note = map_regions(declared, version=nuts, source=f"{at}, field 'regions'")
            for r in regions:
                check_region(r, source=f"{at}, field 'regions'")
        except UnknownCodeError as exc:
            raise DataFormatError(str(exc)) from None
        countries = tuple(sorted({region_country(r) for r in regions}))
        out[area] = {"name": name.strip(), "regions": regions, "countries": countries,
                     "nuts": nuts, "declared": declared, "note": note and f"{area}: {note}"}  # fmt: skip
    return out


def load_areas(path: str | Path | None = None) -> dict[str, dict]:
    """Load the cluster areas of ``path`` (default ``params/areas.yaml``; none if it is absent).

    Returns
    -------
    dict of str to dict
        See :func:`validate_areas`.
    """
    path = Path(path) if path is not None else config.params_dir() / "areas.yaml"
    if not path.exists():
        return {}
    spec = load_yaml(path)
    return validate_areas({} if spec is None else spec, source=path)


def area_regions(
    areas: Mapping[str, object] | None = None, *, path: str | Path | None = None
) -> dict[str, tuple[str, ...]]:
    """Return area id -> member regions, from ``areas`` (validated) or the areas file.

    Examples
    --------
    >>> area_regions({"PL-NE": {"regions": ["PL34", "PL62"]}})
    {'PL-NE': ('PL34', 'PL62')}
    """
    found = validate_areas(areas) if areas is not None else load_areas(path)
    return {a: body["regions"] for a, body in found.items()}


def check_unit(code: object, *, source: str = "region", path: str | Path | None = None) -> str:
    """Return ``code`` if it is a known NUTS2 region or a defined area, else raise a clear error."""
    from clusterlib.reference.nuts import check_region, is_nuts_code

    if isinstance(code, str) and not is_nuts_code(code):
        areas = load_areas(path)
        if code in areas:
            return code
        raise UnknownCodeError(
            f"{source}: {code!r} is neither a NUTS2 region nor an area of "
            f"{path or 'params/areas.yaml'} (areas: {sorted(areas) or 'none'})."
        )
    return check_region(code, source=source)


def unit_regions(code: str, *, path: str | Path | None = None) -> tuple[str, ...]:
    """Return the regions of a unit of analysis: ``(code,)`` for a region, an area's members.

    Raises
    ------
    UnknownCodeError
        A text that is neither a NUTS code nor an area of the areas file.

    Examples
    --------
    >>> unit_regions("PL22"), unit_regions("PL-NE")
    (('PL22',), ('PL34', 'PL62', 'PL31'))
    """
    from clusterlib.reference.nuts import is_nuts_code

    if is_nuts_code(code):
        return (code,)
    check_unit(code, path=path)
    return load_areas(path)[code]["regions"]
