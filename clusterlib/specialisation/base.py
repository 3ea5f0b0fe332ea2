"""The region base: the reference total x_r. of every region and year (the business economy).

The denominator of every location quotient's region share: the sum of the NACE sections of
:data:`clusterlib.reference.BASE_INDUSTRIES`, per region and year, on the dense grid of
:mod:`clusterlib.io.grid`, under one of the missing-cell policies.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from clusterlib.io.confidential import check_policy
from clusterlib.io.grid import CodedTable, Grid, group_sums, labels_at
from clusterlib.reference.nace import BASE_INDUSTRIES


def region_base(
    cells: pd.DataFrame, *, groups: pd.Series, policy: str = "fill"
) -> tuple[pd.DataFrame, pd.DataFrame]:
    r"""Compute the reference total :math:`x_{r.}` of every region and year (the business economy).

    The base is the sum of the NACE sections B-N (no K) plus S95 (:data:`BASE_INDUSTRIES`).
    Divisions and G groups are never added: they sit inside their sections.

    Under ``policy="missing"`` or ``"fill"`` a region with any section still missing has a NaN
    base. Under ``"complete-sections"`` the base of every region in a comparison group is the sum
    of only those sections known for all regions of the group in that year.

    Parameters
    ----------
    cells : pandas.DataFrame
        From :func:`prepare_cells`.
    groups : pandas.Series
        Comparison group of each region (index: region codes); regions not in it are left out.
    policy : {"fill", "complete-sections", "missing"}

    Returns
    -------
    (pandas.DataFrame, pandas.DataFrame)
        The base (``region``, ``year``, ``region_total``, ``base_imputed``; one row per region and
        year with at least one section row, by region then year) and the sections dropped per
        comparison group and year (``group``, ``year``, ``dropped``; empty unless
        complete-sections dropped some).
    """
    check_policy(policy)
    coded = CodedTable(cells)
    rows = np.ones(len(cells), dtype=bool)
    pos = coded.flat(rows)
    grid = coded.scatter(pos, coded.value, what="cells")
    grid.imputed.reshape(-1)[pos] = cells["imputed"].to_numpy(bool)
    group = pd.Index(grid.regions).map(groups).to_numpy(dtype=object)
    labels, gidx = group_codes(group)
    base = section_base(grid, gidx, labels, policy=policy)
    y, r = np.nonzero(base.has.T)[::-1]
    order = np.lexsort((y, code_ranks(grid.regions)[r]))
    y, r = y[order], r[order]
    frame = pd.DataFrame(
        {
            "region": labels_at(grid.regions, r),
            "year": grid.years[y],
            "region_total": base.total[y, r],
            "base_imputed": base.imputed[y, r],
        }
    )
    return frame, base.dropped


class RegionBase:
    """The region base on the grid: ``total``, ``has``, ``imputed`` (Y, R) and ``dropped``."""

    def __init__(self, total, has, imputed, dropped):
        self.total, self.has, self.imputed, self.dropped = total, has, imputed, dropped


def group_codes(group: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sorted group labels and each region's position among them (-1: in no group)."""
    known = pd.notna(group)
    labels = np.array(sorted(set(group[known])), dtype=object)
    gidx = np.full(len(group), -1, dtype=np.intp)
    gidx[known] = np.searchsorted(labels, group[known].astype(str))
    return labels, gidx


def section_base(grid: Grid, gidx: np.ndarray, labels: np.ndarray, *, policy: str) -> RegionBase:
    """Sum the sections of every grouped region and year (see :func:`region_base`)."""
    sec = np.flatnonzero(np.isin(grid.industries, BASE_INDUSTRIES))
    inside = gidx >= 0
    value = grid.value[:, :, sec]
    use = grid.present[:, :, sec] & inside[None, :, None]
    unknown = use & np.isnan(value)
    dropped = pd.DataFrame(columns=["group", "year", "dropped"])
    if policy == "complete-sections" and len(labels):
        # a section unknown for any region of the group is left out of the whole group's base
        bad = group_sums(np.moveaxis(unknown[:, inside], 1, 0), gidx[inside], len(labels)) > 0
        use &= ~np.moveaxis(bad, 0, 1)[:, np.maximum(gidx, 0)]
        unknown &= use
        g, y = np.nonzero(bad.any(axis=2))
        names = grid.industries[sec]
        dropped = pd.DataFrame(
            {
                "group": labels[g],
                "year": grid.years[y],
                "dropped": [
                    ", ".join(sorted(names[bad[gi, yi]])) for gi, yi in zip(g, y, strict=True)
                ],
            }
        )
    has = use.any(axis=2)
    total = np.where(use, value, 0.0).sum(axis=2)
    total[unknown.any(axis=2) | ~has] = np.nan
    imputed = (grid.imputed[:, :, sec] & use).any(axis=2)
    return RegionBase(total, has, imputed, dropped)


def code_ranks(labels: np.ndarray) -> np.ndarray:
    """Rank of each label in sorted (code point) order."""
    ranks = np.empty(len(labels), dtype=np.intp)
    ranks[np.argsort(labels.astype(str), kind="stable")] = np.arange(len(labels))
    return ranks
