"""NUTS 2013 regions: level, country and parent derived from the code; names from the boundaries."""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterable
from functools import cache
from importlib import resources

import numpy as np
import pandas as pd

from clusterlib import config
from clusterlib.errors import UnknownCodeError
from clusterlib.reference._codes import check_codes
from clusterlib.reference.nuts_versions import code_versions, version_error


@cache
def _pl() -> pd.DataFrame:
    with (
        resources.files("clusterlib.reference").joinpath("nuts_pl.csv").open(encoding="utf-8") as f
    ):
        return pd.read_csv(f, dtype=str).set_index("code")


def pl_voivodeships() -> pd.DataFrame:
    """Return the 16 Polish voivodeships (NUTS 2013 level 2).

    Returns
    -------
    pandas.DataFrame
        Indexed by NUTS code (``PL11`` ... ``PL63``) with the Polish ``name`` and ``nazwa``, the
        lower-case name used as the join key by the bundled ``pl_voivodeships.geojson``.
    """
    return _pl().copy()


@cache
def _geo_names() -> dict[str, str]:
    names: dict[str, str] = {}
    for fname in (config.COUNTRY_BOUNDARIES_FILE, config.NUTS2_BOUNDARIES_FILE):
        path = config.raw_dir() / fname
        if path.exists():
            with path.open(encoding="utf-8") as f:
                for feat in json.load(f)["features"]:
                    names[feat["properties"]["id"]] = feat["properties"]["na"]
    names.update(_pl()["name"].to_dict())
    return names


def nuts_table(codes: Iterable[str]) -> pd.DataFrame:
    """Describe NUTS codes: level, country, parent and name.

    Parameters
    ----------
    codes : iterable of str
        NUTS 2013 codes, e.g. the ``region`` column of the Eurostat table.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``code`` with ``level`` (0 country, 1, 2), ``country`` (two letters, ``EL`` for
        Greece and ``UK`` as Eurostat writes them), ``parent`` (``""`` for countries),
        ``extra_regio`` (codes ending in ``Z``, which have no territory) and ``name`` (from the
        bundled boundary files; for codes not on those maps, such as the outermost regions
        FRA1-FRA4 and ES70, from Eurostat's NUTS change lists; ``""`` where none is known).

    Notes
    -----
    The level of a NUTS code is its length minus two; the parent is the code without its last
    character (Eurostat, *Regions in the European Union: NUTS 2013*).
    """
    idx = pd.Index(pd.unique(np.asarray(list(codes), dtype=object)), name="code").astype(str)
    length = idx.str.len().to_numpy()
    out = pd.DataFrame(
        {
            "level": length - 2,
            "country": region_countries(idx),
            "parent": np.where(length > 2, idx.str[:-1], ""),
            "extra_regio": idx.str.endswith("Z"),
            "name": idx.map(_geo_names()).fillna("").astype(str),
        },
        index=idx,
    )
    unnamed = out["name"] == ""  # e.g. the outermost regions, not on the bundled 1:60M maps
    if unnamed.any():
        from clusterlib.reference.nuts_versions import nuts_codes

        official = nuts_codes()["name"]  # Eurostat's change lists
        out.loc[unnamed, "name"] = idx[unnamed].map(official).fillna("").astype(str)
    return out[(out["level"] >= 0) & (out["level"] <= 3)]


def check_nuts(codes: str | Iterable[str], *, available: Iterable[str]) -> list[str]:
    """Check NUTS codes against the codes ``available`` in the data.

    Raises
    ------
    UnknownCodeError
        Naming each unknown code with the closest known ones.
    """
    return check_codes(
        codes,
        available,
        kind="NUTS",
        hint="Use NUTS 2013 codes present in the data, e.g. 'PL22' (Śląskie) or 'PL' (Poland).",
    )


_REGION_RE = re.compile(r"^[A-Z]{2}[A-Z0-9]{0,3}$")


@cache
def nuts2_regions() -> frozenset[str]:
    """Return the NUTS2 codes known to clusterlib.

    The union of the regions in the bundled Eurostat file (including codes of earlier NUTS
    versions that it still carries, such as DE41 or UKD2, and regions without shapes at the
    boundaries' scale, such as ES70) and in the bundled boundaries, kept as package data in
    ``nuts2_2013.txt`` (see :func:`known_nuts2_codes`).
    """
    text = resources.files("clusterlib.reference").joinpath("nuts2_2013.txt").read_text("utf-8")
    listed = {line.strip() for line in text.splitlines() if line.strip() and line[0] != "#"}
    return frozenset(listed) | frozenset(
        c for c in _geo_names() if len(c) == 4 and not c.endswith("Z")
    )


def known_nuts2_codes(data: pd.DataFrame) -> list[str]:
    """Return the sorted NUTS2 codes of ``data`` and of the boundaries (to regenerate the list)."""
    codes = {str(r) for r in pd.unique(data["region"]) if len(str(r)) == 4}
    codes |= {c for c in _geo_names() if len(c) == 4}
    return sorted(c for c in codes if not c.endswith("Z"))


def is_nuts_code(code: object) -> bool:
    """Tell whether ``code`` has the form of a NUTS code (two capitals, up to three more)."""
    return isinstance(code, str) and bool(_REGION_RE.match(code))


def check_region(code: object, *, source: str = "region") -> str:
    """Return ``code`` if it is a known NUTS 2013 level-2 region, else raise a clear error.

    This is the one check of a region code used by the notebooks, the batch runner and the CLI.

    Raises
    ------
    UnknownCodeError
        Naming the source, the code, what a NUTS2 code looks like and the closest known codes;
        for a code of a later NUTS version, the versions it belongs to and its NUTS 2013
        counterpart ("PL84 is a NUTS 2016/2021/2024 code (Podlaskie); in NUTS 2013 it is PL34").
    """
    if not is_nuts_code(code):
        raise UnknownCodeError(
            f"{source}: {code!r} is not a NUTS code (two capital letters and up to three letters "
            "or digits, e.g. PL22 for Śląskie)."
        )
    known = nuts2_regions()
    if code not in known and len(code) == 4 and code_versions(code):
        # a code of a later NUTS version, e.g. PL84: say what it is in NUTS 2013
        raise version_error(code, "2013", source=source)
    if code not in known:
        level = len(code) - 2
        why = (
            f"it is a NUTS{level} code; clusterlib reports on NUTS2 regions (four characters)"
            if level != 2
            else "no NUTS 2013 level-2 region has that code"
        )
        same = sorted(c for c in known if c[:2] == code[:2])
        close = difflib.get_close_matches(code, same or sorted(known), n=3)
        tip = f" Closest: {', '.join(close)}." if close else ""
        if same and len(same) <= 40:
            tip = f" The NUTS2 regions of {code[:2]} are {', '.join(same)}."
        raise UnknownCodeError(f"{source}: unknown region {code!r}: {why}.{tip}")
    return code


def region_country(code: str) -> str:
    """Return the two-letter country of a NUTS code (``EL`` for Greece, ``UK`` as in Eurostat).

    The country is the first two characters of a NUTS code (Eurostat, *NUTS 2013*); this module
    is the one place that knows it.
    """
    return str(code)[:2]


def region_countries(codes: pd.Series | pd.Index) -> pd.Series | pd.Index:
    """Vectorised :func:`region_country` over a Series or Index of NUTS codes.

    Examples
    --------
    >>> region_countries(pd.Series(["PL22", "DE1", "EL30"])).tolist()
    ['PL', 'DE', 'EL']
    """
    return codes.astype(str).str[:2]


def is_nuts2(codes: pd.Series | pd.Index) -> pd.Series | np.ndarray:
    """Tell which codes have the form of a NUTS level-2 code (country and two more characters).

    The level of a NUTS code is its length minus two (Eurostat, *NUTS 2013*); this is the one
    test of "is a NUTS2 code" in clusterlib. It checks the form only; :func:`check_region` checks
    that the region exists.

    Returns
    -------
    pandas.Series or numpy.ndarray
        Booleans aligned with ``codes`` (a Series keeps its index; an Index gives an array).

    Examples
    --------
    >>> is_nuts2(pd.Series(["PL", "PL2", "PL22", "PL224", "PLZZ"])).tolist()
    [False, False, True, False, True]
    """
    return codes.astype(str).str.len() == 4


def is_nuts_region(code: object) -> bool:
    """Tell whether ``code`` has the form of a NUTS region below country level (PL2, PL22, PL224).

    A country code such as ``PL`` is not a region. Safe as a file name: only capitals and digits.

    Examples
    --------
    >>> [is_nuts_region(c) for c in ("PL22", "PL", "../etc", "pl22")]
    [True, False, False, False]
    """
    return is_nuts_code(code) and len(code) >= 3


def named_nuts2() -> frozenset[str]:
    """Return the NUTS2 codes that have a name (bundled boundaries or the Polish voivodeships).

    Unlike :func:`nuts2_regions` this is only the regions the maps and labels know, extra-regio
    codes (``PLZZ``) included.

    Examples
    --------
    >>> {"PL22", "PL84"} & named_nuts2()
    {'PL22'}
    """
    return frozenset(c for c in _geo_names() if len(c) == 4)
