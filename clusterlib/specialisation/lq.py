"""Location quotients with delta-method confidence intervals."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.special import ndtri  # the normal quantile, without importing scipy.stats

from clusterlib.errors import DataFormatError, DataValueError, OptionError
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


def location_quotient_long(
    data: pd.DataFrame,
    *,
    region: str = "region",
    industry: str = "industry",
    time: str | None = "year",
    value: str = "value",
    level: float | None = 0.95,
) -> pd.DataFrame:
    r"""LQs (and intervals) for every row of a long table, vectorised over all groups at once.

    The same formula as :func:`location_quotient`, with totals taken within each ``time``:
    :math:`x_{r.}` sums a region's rows, :math:`x_{.i}` an industry's and :math:`x_{..}` all rows.
    Keys are factorised once and the totals computed with :func:`numpy.bincount`, so the cost is a
    few passes over the data whatever the number of regions, industries or years. Use it for
    tables whose rows exhaust the economy (or for RCA in trade data); for Eurostat data with an
    explicit reference total and confidential cells, use :func:`specialisation_table`.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per (region, industry[, time]) with a non-negative count.
    region, industry, time, value : str
        Column names; ``time=None`` for a single cross-section.
    level : float or None
        Confidence level of the delta-method interval; None for the LQ only.

    Returns
    -------
    pandas.DataFrame
        ``data``'s index with ``lq`` (and ``se_log``, ``lq_low``, ``lq_high``, ``significant``).

    References
    ----------
    Moineddin, R., Beyene, J. & Boyle, E. (2003). On the location quotient confidence interval.
    *Geographical Analysis* 35(3), 249-256.
    """
    missing = [c for c in (region, industry, time, value) if c is not None and c not in data]
    if missing:
        raise DataFormatError(
            f"data: missing column(s) {missing}; found {list(data.columns)}. Name the columns with "
            "region=, industry=, time= (None for one cross-section) and value=."
        )
    if not pd.api.types.is_numeric_dtype(data[value].dtype):
        raise DataValueError(
            f"data, column {value!r}: expected numbers, found {data[value].dtype} values."
        )
    x = data[value].to_numpy(float)
    # two reductions, no row mask: NaN fails the >= test and inf the isfinite one
    if len(x) and not (x.min() >= 0 and np.isfinite(x.max())):
        bad = ~np.isfinite(x) | (x < 0)
        i = int(np.flatnonzero(bad)[0])
        raise DataValueError(
            f"row {i + 1} (index {data.index[i]}), field {value!r}: counts cannot be negative, "
            "missing or "
            f"infinite, found {x[i]:g}. Drop or fix the row (for tables with missing cells use "
            "specialisation_table and its policy=)."
        )
    if not len(x):  # nothing to compare: an empty result with the columns, not a numpy error
        names = ["lq"] if level is None else ["lq", "se_log", "lq_low", "lq_high", "significant"]
        return pd.DataFrame(
            {k: np.array([], dtype=bool if k == "significant" else float) for k in names},
            index=data.index,
        )
    t = _codes(data[time]) if time is not None else np.zeros(len(data), dtype=np.intp)
    r, i = _codes(data[region]), _codes(data[industry])
    nt = int(t.max()) + 1 if len(t) else 0
    rt = _cell(r, nt, t)  # (region, time) cell
    key = _cell(rt, int(i.max()) + 1 if len(i) else 1, i)  # (region, time, industry) cell
    if _repeats(key):
        j = int(np.flatnonzero(np.bincount(key)[key] > 1)[0])
        cols = [c for c in (region, industry, time) if c is not None]
        found = tuple(v.item() if hasattr(v, "item") else v for v in data[cols].iloc[j])
        raise DataValueError(
            f"row {j + 1} (index {data.index[j]}): the key ({', '.join(cols)}) = {found} appears "
            "more than once; its count would be double-counted. Aggregate first."
        )
    it = _cell(i, nt, t)  # (industry, time) cell
    xr = np.bincount(rt, weights=x)
    xi = np.bincount(it, weights=x)
    xt = np.bincount(np.arange(len(xr)) % nt, weights=xr)  # from the small array, not the rows
    # LQ = x / x_r. / (x_.i / x_..): the two factors are small per-group arrays, with zero totals
    # made NaN there (undefined, never inf), then gathered once per row.
    inv_r = np.divide(1.0, xr, out=np.full_like(xr, np.nan), where=xr > 0)
    share = xi / xt[np.arange(len(xi)) % nt]
    inv_s = np.divide(1.0, share, out=np.full_like(share, np.nan), where=share > 0)
    if level is None:
        lq = inv_r[rt]
        lq *= inv_s[it]
        lq *= x
        return pd.DataFrame({"lq": lq}, index=data.index, copy=False)
    # 1/x_.. - 1/x_.i per (industry, time), so that Var(ln LQ) = 1/x - 1/x_r. + that
    with np.errstate(divide="ignore"):
        c = 1.0 / xt[np.arange(len(xi)) % nt] - 1.0 / xi
    return pd.DataFrame(
        _long_interval(x, inv_r, inv_s, c, rt, it, level=level), index=data.index, copy=False
    )


def _long_interval(
    x: np.ndarray,
    inv_r: np.ndarray,
    inv_s: np.ndarray,
    c: np.ndarray,
    rt: np.ndarray,
    it: np.ndarray,
    *,
    level: float,
) -> dict[str, np.ndarray]:
    """:func:`lq_interval_arrays` for rows gathering their totals from small per-group arrays.

    The same quantities in fewer passes over the rows and with the buffers reused in place:
    three gathers, ``se = sqrt(1/x - 1/x_r. + c)``, ``e = exp(z se)``, ``low = LQ / e`` and
    ``high = LQ e``; rows with a zero count get the interval ``[0, -ln(alpha/2) / E]`` of
    :func:`location_quotient_ci` (E the expected count).
    """
    if not 0 < level < 1:
        raise OptionError(
            f"level: expected a confidence level strictly between 0 and 1, got {level}."
        )
    alpha = 1 - level
    z = ndtri(1 - alpha / 2)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        lq = np.take(inv_r, rt)  # 1 / x_r.
        se = np.divide(1.0, x)
        se -= lq
        high = np.take(c, it)
        se += high
        np.take(inv_s, it, out=high)
        lq *= high  # the LQ of one unit of count (q)
        zero = np.flatnonzero(x == 0)
        q_zero = lq[zero]
        lq *= x
        np.maximum(se, 0.0, out=se)
        np.sqrt(se, out=se)
        se[zero] = np.nan
        np.multiply(se, z, out=high)
        np.exp(high, out=high)
        low = np.divide(lq, high)
        high *= lq
        low[zero] = 0.0 * q_zero  # 0, or NaN where the LQ is undefined
        high[zero] = -np.log(alpha / 2) * q_zero
        significant = low > 1
        significant |= high < 1
    return {"lq": lq, "se_log": se, "lq_low": low, "lq_high": high, "significant": significant}


def _cell(a: np.ndarray, n: int, b: np.ndarray) -> np.ndarray:
    """Return ``a * n + b`` as intp, in one buffer (a row-major cell index)."""
    out = a.astype(np.intp)  # a fresh buffer, so that the rest is in place
    out *= n
    out += b
    return out


def _repeats(key: np.ndarray) -> bool:
    """Whether any key occurs twice: a boolean scatter over a dense key range, else a sort."""
    if not len(key):
        return False
    if int(key.max()) < 8 * len(key) + 1024:
        seen = np.zeros(int(key.max()) + 1, dtype=bool)
        seen[key] = True
        return int(np.count_nonzero(seen)) < len(key)
    return len(np.unique(key)) < len(key)


def _codes(s: pd.Series) -> np.ndarray:
    """Return dense integer codes of a key column.

    Categorical codes, an offset for a narrow integer range (years), else
    :func:`pandas.factorize`.
    """
    if isinstance(s.dtype, pd.CategoricalDtype):
        return s.cat.codes.to_numpy()  # int8/int16/int32: widened once where combined
    if pd.api.types.is_integer_dtype(s.dtype) and len(s):
        v = s.to_numpy()
        lo, hi = v.min(), v.max()
        if hi - lo < 10 * len(s) + 1000:
            # the narrowest integer type: years are one byte per row, not eight
            width = np.min_scalar_type(int(hi - lo))
            return np.subtract(v, lo).astype(width if width.kind == "u" else np.intp)
    return pd.factorize(s, sort=False)[0].astype(np.intp)
