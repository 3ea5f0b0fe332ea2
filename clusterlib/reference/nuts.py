"""NUTS 2013 regions: level, country and parent derived from the code; names from the boundaries."""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import cache
from importlib import resources

import numpy as np
import pandas as pd

from clusterlib import config
from clusterlib.reference._codes import check_codes


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
        bundled boundary files, ``""`` where none is known).

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
            "country": idx.str[:2],
            "parent": np.where(length > 2, idx.str[:-1], ""),
            "extra_regio": idx.str.endswith("Z"),
            "name": idx.map(_geo_names()).fillna("").astype(str),
        },
        index=idx,
    )
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
