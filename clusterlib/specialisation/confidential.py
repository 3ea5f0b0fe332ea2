"""Policies for missing and confidential cells, including the European Cluster Observatory fill-in."""

from __future__ import annotations

import numpy as np
import pandas as pd

from clusterlib.options import Policy, check_option, choices
from clusterlib.reference.nace import _nace
from clusterlib.reference.nuts import nuts_table

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

    References
    ----------
    European Cluster Observatory (2011). *Cluster mapping methodology*, section "Estimation of
    confidential data". Center for Strategy and Competitiveness, Stockholm School of Economics.
    """
    df = cells[["region", "industry", "year", "value", "flag"]].copy()
    keys = ["region", "industry", "year"]
    if auxiliary is not None:
        aux = auxiliary.set_index(keys)["value"].rename("aux")
        df = df.join(aux, on=keys)
    else:
        df["aux"] = np.nan
    df["imputed"] = False
    geo = nuts_table(df["region"].unique())
    level = df["region"].map(geo["level"]).to_numpy()
    for lev in (1, 2):
        df = _fill_level(
            df, level == lev, df["region"].map(geo["parent"]), unit="region", other="industry"
        )
    nace = _nace()
    ind_level = df["industry"].map(nace["level"]).to_numpy()
    for lev in ("division", "group"):
        df = _fill_level(
            df,
            ind_level == lev,
            df["industry"].map(nace["parent"]),
            unit="industry",
            other="region",
        )
    df.loc[df["imputed"], "flag"] = IMPUTED
    return df.drop(columns="aux")


def _fill_level(
    df: pd.DataFrame, is_child: np.ndarray, parent: pd.Series, *, unit: str, other: str
) -> pd.DataFrame:
    """Fill the missing children of one hierarchy level from their parents (vectorised)."""
    ch = df.loc[is_child, [unit, other, "year", "value", "aux"]].copy()
    if ch.empty:
        return df
    ch["parent"] = parent[is_child].to_numpy()
    pval = df.set_index([unit, other, "year"])["value"]
    ch["parent_value"] = pval.reindex(
        pd.MultiIndex.from_arrays([ch["parent"], ch[other], ch["year"]])
    ).to_numpy()
    miss = ch["value"].isna()
    g = ch.groupby(["parent", other, "year"], sort=False, observed=True)
    known_sum = g["value"].transform("sum")
    n_miss = miss.groupby([ch["parent"], ch[other], ch["year"]], sort=False).transform("sum")
    aux_miss = ch["aux"].where(miss)
    key = [ch["parent"], ch[other], ch["year"]]
    aux_sum = aux_miss.groupby(key, sort=False).transform("sum")
    aux_gaps = (miss & ch["aux"].isna()).groupby(key, sort=False).transform("sum")
    use_aux = (aux_gaps == 0) & (aux_sum > 0)
    weight = np.where(use_aux, ch["aux"] / aux_sum.where(aux_sum > 0), 1 / n_miss.where(n_miss > 0))
    residual = (ch["parent_value"] - known_sum).clip(lower=0)
    fill = miss & ch["parent_value"].notna()
    idx = ch.index[fill.to_numpy()]
    df.loc[idx, "value"] = (residual * weight)[fill].to_numpy()
    df.loc[idx, "imputed"] = True
    return df
