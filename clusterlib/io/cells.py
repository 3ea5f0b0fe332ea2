"""Tidy cells of one measure at every NUTS level, with the missing-cell policy applied.

The first step of every analysis on the Eurostat table (specialisation, relatedness, peers,
survey weights): one indicator, the chosen years and countries, and the confidential or missing
cells filled by the European Cluster Observatory procedure (:func:`clusterlib.io.confidential.
fill_missing`) or left out. It belongs to the tidy-data layer so that sibling analysis packages
share it without reaching into each other.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from clusterlib.io.confidential import IMPUTED, check_policy
from clusterlib.io.grid import CodedTable, Grid, fill_grid
from clusterlib.io.select import check_selection, resolve_indicator
from clusterlib.reference.measures import indicator_code
from clusterlib.reference.nuts import region_countries

#: The measure that splits a parent's unknown remainder over its missing children (fill-in).
AUXILIARY = "local_units"


def prepare_cells(
    data: pd.DataFrame,
    *,
    indicator: str = "employment",
    years: int | Iterable[int] | None = None,
    policy: str = "fill",
    countries: str | Iterable[str] | None = None,
) -> pd.DataFrame:
    """Select one measure at every NUTS level and apply the missing-cell policy.

    ``indicator`` names a measure of :mod:`clusterlib.reference.measures` (``"employment"``,
    ``"local_units"``, ``"wages"``), found under its code of either file generation (V16110 or
    EMP_LOC_NR...), or an indicator code of the data.

    ``countries`` (a code such as ``"PL"`` or a list) restricts the work to those countries'
    regions first; the fill-in never crosses
    a border (its parents are the region's own NUTS1 and country), so the result is the same.

    Under ``policy="fill"`` missing cells are filled by :func:`fill_missing` with local units
    (V11210 or LOC_NR) as the auxiliary indicator when the data hold it. The result has an ``imputed``
    column in every case.

    A region is kept in a year only if it has at least one positive known value in that year.
    The bundled file carries legacy NUTS 2006/2010 codes (e.g. UKD2, ITD1) next to their NUTS 2013
    successors; outside the years they were in use they hold only ``:`` or 0, and keeping them
    would let the fill-in hand them a share of their parent's total.

    Returns
    -------
    pandas.DataFrame
        ``region``, ``industry``, ``year``, ``value``, ``flag`` (``"imputed"`` where filled) and
        ``imputed``, in the order of ``data``'s rows.
    """
    coded = CodedTable(data)
    grid, rows = cells_grid(
        data, coded, indicator=indicator, years=years, policy=policy, countries=countries
    )
    pos = coded.flat(rows)
    keep = grid.present.reshape(-1)[pos]
    pos = pos[keep]
    out = data.iloc[np.flatnonzero(rows)[keep]][["region", "industry", "year", "value", "flag"]]
    out = out.astype({"region": str, "industry": str, "flag": str}).reset_index(drop=True)
    out["value"] = grid.value.reshape(-1)[pos]
    out["imputed"] = grid.imputed.reshape(-1)[pos]
    out.loc[out["imputed"], "flag"] = IMPUTED
    return out


def cells_grid(
    data: pd.DataFrame,
    coded: CodedTable,
    *,
    indicator: str,
    years: int | Iterable[int] | None,
    policy: str,
    countries: str | Iterable[str] | None,
) -> tuple[Grid, np.ndarray]:
    """:func:`prepare_cells` on the grid: the filled grid and the rows of ``data`` it holds."""
    check_policy(policy)
    if isinstance(countries, str):
        countries = [countries]  # not its letters
    indicator = resolve_indicator(data, indicator)
    years = check_selection(data, indicator=indicator, years=years)
    rows = coded.rows(indicator, years)
    grid = coded.grid(rows)
    grid.keep_active()
    if countries is not None:
        grid.keep_regions(
            np.isin(
                region_countries(pd.Index(grid.regions)).to_numpy(dtype=object), list(countries)
            )
        )
    if policy == "fill":
        aux = None
        auxiliary = indicator_code(data, AUXILIARY, required=False)
        # rows, not categories: a filtered categorical table keeps V11210 as an unused category
        if auxiliary not in (None, indicator) and coded.rows(auxiliary).any():
            check_selection(data, indicator=auxiliary, years=years)
            aux = coded.grid(coded.rows(auxiliary, years)).value
        fill_grid(grid, aux)
    return grid, rows
