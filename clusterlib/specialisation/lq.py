"""Location quotients with delta-method confidence intervals."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.special import ndtri  # the normal quantile, without importing scipy.stats

from clusterlib.errors import OptionError
from clusterlib.specialisation._wide import check_wide, totals


def location_quotient(x: pd.DataFrame, *, region_total: pd.Series | None = None) -> pd.DataFrame:
    r"""Location quotient of every region and industry.

    .. math:: LQ_{ri} = \frac{x_{ri} / x_{r.}}{x_{.i} / x_{..}}

    Parameters
    ----------
    x : pandas.DataFrame
        Employment (or another count), index = regions of the reference area, columns = industries.
    region_total : pandas.Series, optional
        :math:`x_{r.}`, the reference total of each region (e.g. the business economy). Default: the
        row sums of ``x``, which is right only when the columns exhaust the economy. The industry
        total :math:`x_{.i}` is the column sum over the rows and :math:`x_{..} = \sum_r x_{r.}`.

    Returns
    -------
    pandas.DataFrame
        LQs, same shape, index and columns as ``x``.

    Notes
    -----
    Zero totals are defined, not left to floating point: a region with :math:`x_{r.} = 0` or an
    industry with :math:`x_{.i} = 0` has no share to compare and its LQs are NaN (never 0 or inf).
    A NaN count makes the LQs that depend on it NaN. The employment-weighted mean of an industry's
    LQs over the regions is 1 when ``region_total`` is the row sum.

    References
    ----------
    Isard, W. (1960). *Methods of Regional Analysis*. MIT Press.

    Examples
    --------
    >>> x = pd.DataFrame({"A": [10, 30], "B": [90, 70]}, index=["r1", "r2"])
    >>> location_quotient(x).round(3)
          A      B
    r1  0.5  1.125
    r2  1.5  0.875
    """
    x = check_wide(x)
    xr, xi, xt = totals(x, region_total)
    return pd.DataFrame(
        _lq(x.to_numpy(), xr.to_numpy()[:, None], xi.to_numpy()[None, :], xt),
        index=x.index,
        columns=x.columns,
    )


def location_quotient_ci(
    x: pd.DataFrame, *, region_total: pd.Series | None = None, level: float = 0.95
) -> pd.DataFrame:
    r"""Location quotients with delta-method confidence intervals, one row per region and industry.

    .. math::

        \operatorname{Var}(\ln LQ_{ri}) \approx \frac{1}{x_{ri}} - \frac{1}{x_{r.}}
            - \frac{1}{x_{.i}} + \frac{1}{x_{..}},\qquad
        LQ_{ri} \exp(\pm z_{1-\alpha/2} \sqrt{\operatorname{Var}})

    Parameters
    ----------
    x : pandas.DataFrame
        Counts, index = regions, columns = industries.
    region_total : pandas.Series, optional
        Reference total of each region; see :func:`location_quotient`.
    level : float, default 0.95
        Confidence level.

    Returns
    -------
    pandas.DataFrame
        Indexed by (region, industry) with ``count``, ``lq``, ``se_log`` (standard error of ln LQ),
        ``lq_low``, ``lq_high`` and ``significant`` (the interval excludes 1).

    Notes
    -----
    The variance treats counts as Poisson; it is clipped at 0 where a region dominates an
    industry and the approximation turns negative. For a zero count ln LQ is undefined; the
    interval is then [0, upper], with the exact (Garwood) Poisson upper limit
    :math:`-\ln(\alpha/2)` in place of :math:`x_{ri}` and ``se_log`` NaN.

    References
    ----------
    Moineddin, R., Beyene, J. & Boyle, E. (2003). On the location quotient confidence interval.
    *Geographical Analysis* 35(3), 249-256.
    """
    x = check_wide(x)
    xr, xi, xt = totals(x, region_total)
    cols = lq_interval_arrays(
        x.to_numpy(), xr.to_numpy()[:, None], xi.to_numpy()[None, :], xt, level=level
    )
    index = pd.MultiIndex.from_product([x.index, x.columns], names=["region", "industry"])
    return pd.DataFrame({k: v.ravel() for k, v in cols.items()}, index=index)


def _lq(x: np.ndarray, xr: np.ndarray, xi: np.ndarray, xt: float | np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        lq = (x / xr) / (xi / xt)
    # zero region or industry totals: undefined, never 0 or inf
    bad = np.broadcast_to((xr == 0) | (xi == 0), lq.shape)
    return np.where(bad, np.nan, lq)


def lq_interval_arrays(
    x: np.ndarray, xr: np.ndarray, xi: np.ndarray, xt: float | np.ndarray, *, level: float = 0.95
) -> dict[str, np.ndarray]:
    """Vectorised LQ, standard error of ln LQ and interval on broadcastable arrays."""
    if not 0 < level < 1:
        raise OptionError(
            f"level: expected a confidence level strictly between 0 and 1, got {level}."
        )
    alpha = 1 - level
    z = ndtri(1 - alpha / 2)
    lq = _lq(x, xr, xi, xt)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):  # exp(z se) may be inf
        var = 1 / x - 1 / xr - 1 / xi + 1 / xt
        se = np.sqrt(np.clip(var, 0, None))
        se = np.where(x > 0, se, np.nan)
        low = np.where(x > 0, lq * np.exp(-z * se), 0.0)
        upper_zero = _lq(np.full_like(lq, -np.log(alpha / 2)), xr, xi, xt)
        high = np.where(x > 0, lq * np.exp(z * se), upper_zero)
    low = np.where(np.isnan(lq), np.nan, low)
    high = np.where(np.isnan(lq), np.nan, high)
    significant = np.where(np.isnan(lq), False, (low > 1) | (high < 1))
    return {
        "count": np.broadcast_to(x, lq.shape).astype(float),
        "lq": lq,
        "se_log": se,
        "lq_low": low,
        "lq_high": high,
        "significant": significant,
    }
