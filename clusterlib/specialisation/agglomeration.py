"""Agglomeration indices from plant-level data: Ellison-Glaeser and Maurel-Sedillot gamma."""

from __future__ import annotations

import numpy as np
import pandas as pd

from clusterlib.errors import DataFormatError, DataValueError, OptionError


def plant_herfindahl(
    plants: pd.DataFrame, *, industry: str = "industry", size: str = "employment"
) -> pd.Series:
    r"""Plant Herfindahl of each industry, :math:`H_i = \sum_j z_{ij}^2`, z = plant's share.

    :math:`z_{ij}` is plant j's share of industry i's employment; :math:`H_i = 1/N` for N plants of
    equal size and 1 for a single plant. It enters the Ellison-Glaeser index below.

    References
    ----------
    Ellison, G. & Glaeser, E. L. (1997). Geographic concentration in U.S. manufacturing
    industries: a dartboard approach. *Journal of Political Economy* 105(5), 889-927.

    Examples
    --------
    >>> plants = pd.DataFrame({"industry": ["a", "a", "b", "b"], "employment": [1, 1, 3, 1]})
    >>> plant_herfindahl(plants).to_dict()  # a: 0.5² + 0.5²; b: 0.75² + 0.25²
    {'a': 0.5, 'b': 0.625}
    """
    share = plants[size] / plants.groupby(industry, sort=True, observed=True)[size].transform("sum")
    return (
        (share**2)
        .groupby(plants[industry], sort=True, observed=True)
        .sum()
        .rename("plant_herfindahl")
    )


def ellison_glaeser(
    plants: pd.DataFrame,
    region_total: pd.Series,
    *,
    industry: str = "industry",
    region: str = "region",
    size: str = "employment",
    method: str = "ellison-glaeser",
) -> pd.DataFrame:
    r"""Ellison-Glaeser (or Maurel-Sedillot) agglomeration index of each industry.

    With :math:`s_r` the region's share of the industry's employment, :math:`x_r` its share of
    total employment and :math:`H` the plant Herfindahl of the industry:

    .. math::

        G = \sum_r (s_r - x_r)^2, \qquad
        \gamma_{EG} = \frac{G - (1 - \sum_r x_r^2) H}{(1 - \sum_r x_r^2)(1 - H)}

        \gamma_{MS} = \frac{\frac{\sum_r s_r^2 - \sum_r x_r^2}{1 - \sum_r x_r^2} - H}{1 - H}

    :math:`\gamma \approx 0` is what random location of the plants would give; above about 0.05 an
    industry is commonly called highly localised.

    Parameters
    ----------
    plants : pandas.DataFrame
        One row per plant with its ``industry``, ``region`` and ``size`` (employment).
    region_total : pandas.Series
        Total employment of every region (all industries), index = region codes.
    industry, region, size : str
        Column names in ``plants``.
    method : {"ellison-glaeser", "maurel-sedillot"}
        Which estimator of gamma.

    Returns
    -------
    pandas.DataFrame
        Per industry: ``G`` (raw concentration), ``H`` (plant Herfindahl), ``gamma`` (NaN for an
        industry of a single plant, where H = 1 and the index is undefined).

    Notes
    -----
    **When only plant counts are known** (Eurostat gives local units V11210 and employment V16110
    per region and industry, not plant sizes), pass one pseudo-plant per region-industry cell with
    size = employment / units, repeated ``units`` times via :func:`plants_from_counts`. That
    assumes equal-sized plants within each cell, so
    :math:`H = \sum_r x_{ri}^2 / (n_{ri} x_{.i}^2)` understates the true plant Herfindahl and
    overstates gamma somewhat.

    References
    ----------
    Ellison, G. & Glaeser, E. L. (1997). Geographic concentration in U.S. manufacturing
    industries: a dartboard approach. *Journal of Political Economy* 105(5), 889-927.
    Maurel, F. & Sédillot, B. (1999). A measure of the geographic concentration in French
    manufacturing industries. *Regional Science and Urban Economics* 29(5), 575-604.
    """
    missing = [c for c in (industry, region, size) if c not in plants.columns]
    if missing:
        raise DataFormatError(f"plants: missing column(s) {missing}; found {list(plants.columns)}.")
    if method not in ("ellison-glaeser", "maurel-sedillot"):
        raise OptionError(
            f"method: expected 'ellison-glaeser' or 'maurel-sedillot', got {method!r}."
        )
    if (plants[size] < 0).any() or plants[size].isna().any():
        row = plants.index[(plants[size] < 0) | plants[size].isna()][0]
        raise DataValueError(f"plants, row {row!r}, field {size!r}: expected a non-negative size.")
    unknown = set(plants[region]) - set(region_total.index)
    if unknown:
        raise DataValueError(f"region_total: no total for region(s) {sorted(unknown)[:5]}.")
    x = (region_total / region_total.sum()).astype(float)
    sum_x2 = float((x**2).sum())
    H = plant_herfindahl(plants, industry=industry, size=size)
    emp = plants.groupby([industry, region], observed=True)[size].sum().unstack(fill_value=0.0)
    emp = emp.reindex(columns=x.index, fill_value=0.0)
    s = emp.div(emp.sum(axis=1), axis=0)
    if method == "ellison-glaeser":
        G = ((s - x) ** 2).sum(axis=1)
        gamma = (G - (1 - sum_x2) * H) / ((1 - sum_x2) * (1 - H))
    else:
        G = (s**2).sum(axis=1)
        gamma = ((G - sum_x2) / (1 - sum_x2) - H) / (1 - H)
    # an industry of one plant (H = 1) has no dartboard benchmark: gamma is undefined, not +-inf
    return pd.DataFrame({"G": G, "H": H, "gamma": gamma.where(H < 1)})


def plants_from_counts(employment: pd.Series, units: pd.Series) -> pd.DataFrame:
    """Expand (region, industry) employment and plant counts into equal-sized pseudo-plants.

    Parameters
    ----------
    employment, units : pandas.Series
        Indexed by (region, industry). Cells with no units or missing values are dropped.

    Returns
    -------
    pandas.DataFrame
        Columns ``region``, ``industry``, ``employment`` (one row per plant).
    """
    df = pd.DataFrame({"employment": employment, "units": units}).dropna()
    df = df[df["units"] > 0]
    n = df["units"].round().astype(int).to_numpy()
    idx = np.repeat(np.arange(len(df)), n)
    out = df.index.to_frame(index=False).iloc[idx].reset_index(drop=True)
    out.columns = ["region", "industry"]
    out["employment"] = (df["employment"].to_numpy() / n)[idx]
    return out
