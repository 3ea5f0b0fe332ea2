"""NACE Rev. 2 sections, divisions and groups found in the Eurostat regional SBS file."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from importlib import resources

import pandas as pd

from clusterlib.reference._codes import check_codes

#: The reference total (denominator of every share): the business economy as covered by the
#: regional SBS, i.e. the NACE sections in the file plus division S95. Divisions and G groups are
#: excluded because they sit inside their sections; adding them would double-count.
BASE_INDUSTRIES: tuple[str, ...] = (
    "B", "C", "D", "E", "F", "G", "H", "I", "J", "L", "M", "N", "S95",
)  # fmt: skip


@cache
def _nace() -> pd.DataFrame:
    with (
        resources.files("clusterlib.reference").joinpath("nace_r2.csv").open(encoding="utf-8") as f
    ):
        return pd.read_csv(f, dtype=str, keep_default_na=False).set_index("code")


def nace_table() -> pd.DataFrame:
    """Return the NACE Rev. 2 reference table.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``code`` (e.g. ``"C24"``), with ``level`` (section, division or group),
        ``parent`` (the code one level up, ``""`` for sections), ``section`` and the English
        ``label``. Every industry code of the bundled Eurostat file is present.

    References
    ----------
    Eurostat (2008). *NACE Rev. 2: Statistical classification of economic activities in the
    European Community.* Methodologies and Working Papers.
    """
    return _nace().copy()


def check_nace(codes: str | Iterable[str], *, available: Iterable[str] | None = None) -> list[str]:
    """Check NACE codes against the reference table (or the codes ``available`` in the data).

    Raises
    ------
    UnknownCodeError
        Naming each unknown code with the closest known ones.
    """
    known = _nace().index if available is None else available
    where = "the NACE Rev. 2 table" if available is None else "the data"
    return check_codes(
        codes,
        known,
        kind="NACE",
        hint=f"Use codes from {where}, e.g. 'C24' (division) or 'C' (section); "
        "see clusterlib.reference.nace_table().",
    )
