"""Indices of regional specialisation and of industrial localisation."""

from __future__ import annotations

import numpy as np
import pandas as pd

from clusterlib.errors import DataValueError
from clusterlib.specialisation._wide import check_counts, check_wide, totals


def _shares(x: pd.DataFrame, region_total: pd.Series | None) -> pd.DataFrame:
    xr, _, _ = totals(x, region_total)
    return x.div(xr.where(xr != 0), axis=0)  # zero total: shares undefined (NaN)


def krugman_index(
    x: pd.DataFrame, *, reference: pd.Series | None = None, region_total: pd.Series | None = None
) -> pd.Series:
    r"""Krugman dissimilarity index of each region against a reference structure.

    .. math:: K_r = \sum_i |s_{ri} - S_i|, \quad s_{ri} = x_{ri}/x_{r.},\ S_i = x_{.i}/x_{..}

    Parameters
    ----------
    x : pandas.DataFrame
        Counts, index = regions, columns = industries that exhaust the economy.
    reference : pandas.Series, optional
        Reference shares :math:`S_i` (summing to 1), e.g. the EU structure. Default: the structure
        of all rows of ``x`` together.
    region_total : pandas.Series, optional
        Region totals; default the row sums.

    Returns
    -------
    pandas.Series
        :math:`K_r`, from 0 (same structure as the reference) to 2 (no industry in common).
        NaN for a region with a zero total.

    References
    ----------
    Krugman, P. (1991). *Geography and Trade*. MIT Press.
    """
    x = check_wide(x)
    s = _shares(x, region_total)
    if reference is None:
        col = x.sum(axis=0, skipna=False)
        ref = col / col.sum()
    else:
        ref = check_counts(reference, name="reference").reindex(x.columns)
        if ref.isna().any():
            raise DataValueError(
                f"reference: no share for industries {list(ref.index[ref.isna()])}. Give a share "
                "for every column of x."
            )
    return s.sub(ref, axis=1).abs().sum(axis=1, skipna=False).rename("krugman")


def specialisation_coefficient(x: pd.DataFrame, **kwargs) -> pd.Series:
    r"""Coefficient of specialisation, :math:`K_r / 2` (0 to 1); options as :func:`krugman_index`.

    References
    ----------
    Hoover, E. M. (1936). The measurement of industrial localization. *Review of Economics and
    Statistics* 18(4), 162-171.
    """
    return (krugman_index(x, **kwargs) / 2).rename("specialisation_coefficient")


def herfindahl(x: pd.DataFrame, *, region_total: pd.Series | None = None) -> pd.Series:
    r"""Herfindahl index of each region's industrial structure, :math:`H_r = \sum_i s_{ri}^2`.

    Parameters
    ----------
    x : pandas.DataFrame
        Counts, index = regions, columns = industries that exhaust the economy.
    region_total : pandas.Series, optional
        Region totals; default the row sums.

    Returns
    -------
    pandas.Series
        From :math:`1/n` (even spread over n industries) to 1 (one industry).

    References
    ----------
    Herfindahl, O. C. (1950). *Concentration in the U.S. Steel Industry*. Columbia University.
    """
    s = _shares(check_wide(x), region_total)
    return (s**2).sum(axis=1, skipna=False).rename("herfindahl")


def shannon_entropy(x: pd.DataFrame, *, region_total: pd.Series | None = None) -> pd.Series:
    r"""Shannon entropy of each region's industrial structure, in bits.

    .. math:: E_r = -\sum_i s_{ri} \log_2 s_{ri}, \quad 0 \log 0 := 0

    Returns
    -------
    pandas.Series
        From 0 (one industry) to :math:`\log_2 n` (even spread); higher means more diversified.

    References
    ----------
    Shannon, C. E. (1948). A mathematical theory of communication. *Bell System Technical Journal*
    27, 379-423.
    """
    s = _shares(check_wide(x), region_total)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(s.to_numpy() > 0, -s.to_numpy() * np.log2(s.to_numpy()), 0.0)
    terms = np.where(np.isnan(s.to_numpy()), np.nan, terms)
    return pd.Series(terms.sum(axis=1), index=x.index, name="shannon_entropy")


def hoover_index(x: pd.DataFrame, *, region_total: pd.Series | None = None) -> pd.Series:
    r"""Hoover localisation index of each industry.

    .. math:: H_i = \tfrac12 \sum_r \left| \frac{x_{ri}}{x_{.i}} - \frac{x_{r.}}{x_{..}} \right|

    Returns
    -------
    pandas.Series
        Per industry, from 0 (spread like total employment) to nearly 1 (all in one small region).

    References
    ----------
    Hoover, E. M. (1936). The measurement of industrial localization. *Review of Economics and
    Statistics* 18(4), 162-171.
    """
    x = check_wide(x)
    xr, xi, xt = totals(x, region_total)
    with np.errstate(divide="ignore", invalid="ignore"):
        d = x.div(xi, axis=1).sub(xr / xt, axis=0).abs()
    return (0.5 * d.sum(axis=0, skipna=False)).where(xi != 0).rename("hoover")


def gini(values: pd.Series | pd.DataFrame, *, weights=None) -> float | pd.Series:
    r"""Gini coefficient of non-negative values, column-wise for a DataFrame.

    .. math:: G = \frac{\sum_i \sum_j |v_i - v_j|}{2 n^2 \bar v}

    computed in :math:`O(n \log n)` from the sorted values as
    :math:`G = \frac{2 \sum_k k\, v_{(k)}}{n \sum_k v_{(k)}} - \frac{n+1}{n}`.

    Parameters
    ----------
    values : pandas.Series or pandas.DataFrame
        Non-negative values; NaN is not allowed.
    weights : None
        Reserved; weighted Gini is :func:`locational_gini`.

    Returns
    -------
    float or pandas.Series
        0 for perfect equality, :math:`(n-1)/n` when one unit holds everything.

    References
    ----------
    Gini, C. (1912). *Variabilità e mutabilità*. Bologna.
    """
    if weights is not None:
        raise TypeError("gini: weighted Gini is locational_gini(); weights must be None.")
    frame = values.to_frame() if isinstance(values, pd.Series) else values
    v = frame.to_numpy(dtype=float)
    if np.isnan(v).any() or (v < 0).any():
        raise DataValueError("gini: values must be non-negative and not NaN.")
    v = np.sort(v, axis=0)
    n = v.shape[0]
    k = np.arange(1, n + 1)[:, None]
    with np.errstate(divide="ignore", invalid="ignore"):
        g = 2 * (k * v).sum(axis=0) / (n * v.sum(axis=0)) - (n + 1) / n
    g = np.where(v.sum(axis=0) == 0, np.nan, g)
    if isinstance(values, pd.Series):
        return float(g[0])
    return pd.Series(g, index=frame.columns, name="gini")


def locational_gini(x: pd.DataFrame, *, region_total: pd.Series | None = None) -> pd.Series:
    r"""Locational Gini of each industry (Krugman 1991).

    Regions are ordered by ascending LQ; the Lorenz curve plots the cumulative share of the industry's
    employment against the cumulative share of total employment, and

    .. math:: G_i = 1 - \sum_k (X_k - X_{k-1})(Y_k + Y_{k-1})

    with :math:`X` the cumulative total share and :math:`Y` the cumulative industry share. 0 means
    the industry is spread like total employment; values near 1 mean it is localised.

    References
    ----------
    Krugman, P. (1991). *Geography and Trade*. MIT Press, appendix D.
    """
    x = check_wide(x)
    xr, xi, xt = totals(x, region_total)
    with np.errstate(divide="ignore", invalid="ignore"):
        lq = (x.to_numpy() / xr.to_numpy()[:, None]) / (xi.to_numpy() / xt)
        share = x.to_numpy() / xi.to_numpy()  # 0/0 for an empty industry: NaN, reported as such
    order = np.argsort(np.nan_to_num(lq, nan=np.inf), axis=0, kind="stable")  # ascending LQ
    ind = np.take_along_axis(share, order, axis=0)
    tot = (xr.to_numpy() / xt)[order]
    X = np.vstack([np.zeros(x.shape[1]), np.cumsum(tot, axis=0)])
    Y = np.vstack([np.zeros(x.shape[1]), np.cumsum(ind, axis=0)])
    g = 1 - ((X[1:] - X[:-1]) * (Y[1:] + Y[:-1])).sum(axis=0)
    return pd.Series(g, index=x.columns, name="locational_gini").where(xi != 0)
