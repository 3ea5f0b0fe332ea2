"""The measures of the regional SBS files, by name, and their indicator codes in each generation.

Analysis code names a measure (``"employment"``, ``"local_units"``, ``"wages"``), never a raw
indicator code: Eurostat changed the codes when regional SBS moved from ``sbs_r_nuts06_r2``
(indicator dimension ``indic_sb``, codes of the 2008 SBS regulation) to ``sbs_r_nuts2021``
(``indic_sbs``, codes of the 2019 EBS regulation). :func:`indicator_code` finds which code a table
holds, so a file of either generation works everywhere.

Sources of the codes:

* 2017 generation: the bundled ``sbs_r_nuts06_r2`` bulk file and its description in
  ``data/raw/SOURCES.md`` (V11210 number of local units, V13320 wages and salaries in million EUR,
  V16110 persons employed).
* Current generation: Eurostat's dataset ``sbs_r_nuts2021`` ("Enterprise statistics by NUTS 2
  regions and NACE Rev. 2 activity"), dimension ``indic_sbs``, in the dissemination API
  (``https://ec.europa.eu/eurostat/api/dissemination/statistics/1.0/data/sbs_r_nuts2021?indic_sbs=
  LOC_NR&indic_sbs=EMP_LOC_NR``) and Eurostat's own maps of it in Statistics Explained
  (eurostat/eurostat-map, ``examples/statistics-explained/business/manufacturing/
  proportional-circle/ps-map.js``, commit 20dcb83: LOC_NR "Local units", EMP_LOC_NR "Persons
  employed", WAGE_LOC_MEUR "Million EUR"); the code list is
  ``https://ec.europa.eu/eurostat/api/dissemination/sdmx/2.1/codelist/ESTAT/INDIC_SBS``.
"""

from __future__ import annotations

import pandas as pd

from clusterlib.errors import DataFormatError, UnknownCodeError

#: measure -> (code in sbs_r_nuts06_r2, code in sbs_r_nuts2021, what it counts). All three are
#: additive: sums over regions or industries are meaningful, so they can be converted between NUTS
#: versions.
MEASURES: dict[str, tuple[str, str, str]] = {
    "employment": ("V16110", "EMP_LOC_NR", "persons employed (number)"),
    "local_units": ("V11210", "LOC_NR", "local units (number)"),
    "wages": ("V13320", "WAGE_LOC_MEUR", "wages and salaries (million EUR)"),
}

#: Every indicator code of an additive measure, in either generation.
ADDITIVE_CODES = frozenset(code for old, new, _ in MEASURES.values() for code in (old, new))


def measure_table() -> pd.DataFrame:
    """Return the measures with their codes in each generation.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``measure``, with ``sbs_r_nuts06_r2``, ``sbs_r_nuts2021`` and ``label``.

    Examples
    --------
    >>> measure_table().loc["employment"].tolist()
    ['V16110', 'EMP_LOC_NR', 'persons employed (number)']
    """
    return pd.DataFrame.from_dict(
        MEASURES, orient="index", columns=["sbs_r_nuts06_r2", "sbs_r_nuts2021", "label"]
    ).rename_axis("measure")


def measure_of(code: str) -> str | None:
    """Return the measure an indicator code stands for (``None`` for other codes)."""
    return next((m for m, (old, new, _) in MEASURES.items() if code in (old, new)), None)


def indicator_code(data: pd.DataFrame, measure: str, *, required: bool = True) -> str | None:
    """Return the indicator code under which ``data`` holds ``measure``.

    Parameters
    ----------
    data : pandas.DataFrame
        A tidy table with an ``indicator`` column (:func:`~clusterlib.read_eurostat_tsv`).
    measure : str
        A measure name (``"employment"``, ``"local_units"``, ``"wages"``) or an indicator code; a
        code is returned as it is (the selection then checks that the data hold it).
    required : bool
        False returns ``None`` when ``data`` holds neither generation's code.

    Raises
    ------
    UnknownCodeError
        ``data`` holds neither code of the measure (with ``required``).
    DataFormatError
        ``data`` has no ``indicator`` column, or holds the measure under both generations' codes
        (two files were put together).

    Examples
    --------
    >>> df = pd.DataFrame({"indicator": ["EMP_LOC_NR", "LOC_NR"]})
    >>> indicator_code(df, "employment")
    'EMP_LOC_NR'
    """
    if measure not in MEASURES:
        return measure  # a raw code: the selection checks that the data hold it
    old, new, label = MEASURES[measure]
    if "indicator" not in data.columns:
        raise DataFormatError(
            f"data: no 'indicator' column, so no {label}. Read a regional SBS file with "
            "clusterlib.read_eurostat_tsv, or give read_table an indicator."
        )
    col = data["indicator"]
    categories = col.cat.categories if isinstance(col.dtype, pd.CategoricalDtype) else None
    have = [c for c in (old, new) if categories is None or c in categories]
    if categories is None or len(have) > 1:  # categories may be unused: look at the rows
        have = [c for c in have if (col == c).any()]
    if len(have) == 2:
        raise DataFormatError(
            f"the data hold {label} under both {old} (sbs_r_nuts06_r2) and {new} "
            "(sbs_r_nuts2021): two generations of the file were put together. Read one file."
        )
    if not have:
        if not required:
            return None
        raise UnknownCodeError(
            f"the data hold no {label}: neither {old} (sbs_r_nuts06_r2) nor {new} "
            f"(sbs_r_nuts2021) is among the indicators. Read a regional SBS file."
        )
    return have[0]
