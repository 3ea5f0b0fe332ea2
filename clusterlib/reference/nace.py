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


def nace_level(codes: pd.Series | pd.Index) -> pd.Series | pd.Index:
    """Return the NACE level of each code: ``"section"``, ``"division"`` or ``"group"``.

    This module is the one place that knows the NACE hierarchy; analysis code asks it rather than
    reading the reference table. A code that is not in the table gets NaN.

    Parameters
    ----------
    codes : pandas.Series or pandas.Index
        NACE Rev. 2 codes, e.g. the ``industry`` column of the Eurostat table.

    Returns
    -------
    pandas.Series or pandas.Index
        Aligned with ``codes`` (a Series keeps its index).

    Examples
    --------
    >>> nace_level(pd.Series(["C", "C24", "G451", "XX"])).tolist()
    ['section', 'division', 'group', nan]
    """
    return codes.map(_nace()["level"])


def nace_parent(codes: pd.Series | pd.Index) -> pd.Series | pd.Index:
    """Return the code one NACE level up (``""`` for a section, NaN for an unknown code).

    Examples
    --------
    >>> nace_parent(pd.Index(["C", "C24", "XX"])).tolist()
    ['', 'C', nan]
    """
    return codes.map(_nace()["parent"])


def nace_labels(codes: pd.Series | pd.Index) -> pd.Series | pd.Index:
    """Return the English NACE label of each code (NaN for a code not in the table).

    Examples
    --------
    >>> nace_labels(pd.Index(["C24"]))[0]
    'Manufacture of basic metals'
    """
    return codes.map(_nace()["label"])


def nace_divisions() -> list[str]:
    """Return the sorted NACE divisions of the reference table (two-digit codes such as ``C24``).

    Examples
    --------
    >>> "C24" in nace_divisions(), "C" in nace_divisions()
    (True, False)
    """
    nace = _nace()
    return sorted(nace.index[nace["level"] == "division"])


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


@cache
def _nace_pl() -> dict[str, str]:
    with (
        resources.files("clusterlib.reference")
        .joinpath("nace_r2_pl.csv")
        .open(encoding="utf-8") as f
    ):
        table = pd.read_csv(f, dtype=str, keep_default_na=False)
    return dict(zip(table["code"], table["label_pl"], strict=True))


def nace_labels_pl(codes: Iterable[str]) -> dict[str, str]:
    """Return the Polish names of NACE Rev. 2 codes (PKD 2007), from ``nace_r2_pl.csv``.

    Parameters
    ----------
    codes : iterable of str
        Codes such as ``"C25"``; a code without a Polish name maps to ``""``.

    References
    ----------
    GUS, Polska Klasyfikacja Działalności (PKD 2007), the Polish version of NACE Rev. 2.

    Examples
    --------
    >>> nace_labels_pl(["C25"])["C25"]
    'Produkcja metalowych wyrobów gotowych, z wyłączeniem maszyn i urządzeń'
    """
    names = _nace_pl()
    return {c: names.get(c, "") for c in codes}
