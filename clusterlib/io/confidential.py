"""Policies for missing and confidential cells, including the European Cluster Observatory fill-in."""

from __future__ import annotations

import numpy as np
import pandas as pd

from clusterlib.io.grid import CodedTable, fill_grid
from clusterlib.options import Policy, check_option, choices

POLICIES: tuple[str, ...] = choices(Policy)
IMPUTED = "imputed"


def check_policy(policy: str) -> str:
    """Return ``policy`` or raise a clear error naming the valid ones."""
    return check_option("policy", policy)


def fill_missing(cells: pd.DataFrame, *, auxiliary: pd.DataFrame | None = None) -> pd.DataFrame:
    r"""Fill missing cells from known parent totals, geographically then industrially.

    The European Cluster Observatory procedure, in both hierarchies:

    1. **Geographic**, top-down (country -> NUTS1 -> NUTS2): for each parent region with a known
       value, the residual :math:`R = x_{parent} - \sum_{known} x_{child}` (clipped at 0) is split
       over the missing children.
    2. **Industrial** (section -> division -> group): within each region, a known section value
       minus its known divisions is split over the missing divisions; likewise divisions to
       groups.

    The split is in proportion to the auxiliary indicator (local units, V11210) where that is known
    for every missing child and sums to more than 0, otherwise equal. Filled cells get
    ``flag = "imputed"`` and ``imputed = True``. Because only residuals of known parents are split,
    the filled children add up exactly to every known parent total (unless the known children
    already exceed it, in which case the missing ones get 0). A cell whose parents are all unknown
    stays NaN: missing is never treated as zero.

    Parameters
    ----------
    cells : pandas.DataFrame
        One indicator: columns ``region``, ``industry``, ``year``, ``value``, ``flag`` at every NUTS
        level present (countries, NUTS1, NUTS2).
    auxiliary : pandas.DataFrame, optional
        The same layout for the auxiliary indicator.

    Returns
    -------
    pandas.DataFrame
        ``cells`` with missing values filled where possible and a boolean ``imputed`` column.

    Notes
    -----
    The work is done on the dense year x region x industry grid of the cells' integer codes
    (:mod:`clusterlib.io.grid`): each level's group sums are one sorted
    :func:`numpy.add.reduceat` along the region or industry axis.

    References
    ----------
    European Cluster Observatory (2011). *Cluster mapping methodology*, section "Estimation of
    confidential data". Center for Strategy and Competitiveness, Stockholm School of Economics.
    """
    df = cells[["region", "industry", "year", "value", "flag"]].copy()
    coded = CodedTable(df)
    rows = np.ones(len(df), dtype=bool)
    grid = coded.grid(rows, what="cells")
    aux = None if auxiliary is None else coded.project(auxiliary)
    fill_grid(grid, aux)
    pos = coded.flat(rows)
    df["value"] = grid.value.reshape(-1)[pos]
    df["imputed"] = grid.imputed.reshape(-1)[pos]
    df.loc[df["imputed"], "flag"] = IMPUTED
    return df
