"""Location quotients of a long table: two passes over the rows, in cache-sized blocks."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.special import ndtri  # the normal quantile, without importing scipy.stats

from clusterlib.errors import DataFormatError, DataValueError, OptionError

# Rows per block. A block's integer cell indices and temporaries (a few arrays of 512 kB) stay in
# the processor's cache, so the whole-table arrays are read once per pass and never written as
# eight-byte temporaries; the loop runs about 80 times for 5 million rows, each step vectorised.
BLOCK = 1 << 16


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

    The same formula as :func:`~clusterlib.specialisation.location_quotient`, with totals taken
    within each ``time``: :math:`x_{r.}` sums a region's rows, :math:`x_{.i}` an industry's and
    :math:`x_{..}` all rows,

    .. math:: LQ_{ri} = \frac{x_{ri} / x_{r.}}{x_{.i} / x_{..}}, \qquad
        \operatorname{Var}(\ln LQ_{ri}) \approx \frac{1}{x_{ri}} - \frac{1}{x_{r.}}
            - \frac{1}{x_{.i}} + \frac{1}{x_{..}}.

    Use it for tables whose rows exhaust the economy (or for RCA in trade data); for Eurostat
    data with an explicit reference total and confidential cells, use
    :func:`~clusterlib.specialisation.specialisation_table`.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per (region, industry[, time]) with a non-negative count, rows in any order.
    region, industry, time, value : str
        Column names; ``time=None`` for a single cross-section.
    level : float or None
        Confidence level of the delta-method interval; None for the LQ only.

    Returns
    -------
    pandas.DataFrame
        ``data``'s index with ``lq`` (and ``se_log``, ``lq_low``, ``lq_high``, ``significant``).

    Notes
    -----
    Keys are coded once (categorical codes, an offset for integer years, else
    :func:`pandas.factorize`) and combined into region-time and industry-time cells. The first
    pass scatter-adds the counts into the two small tables of totals (:func:`numpy.ufunc.at`,
    rows in their order, the same sums as :func:`numpy.bincount`) and marks every
    (region, industry, time) cell seen, so that a repeated key is refused rather than
    double-counted; the second gathers the totals back. Both run over blocks of rows sized for
    the cache. Zero totals give NaN, never inf; the interval is that of
    :func:`~clusterlib.specialisation.location_quotient_ci`.

    References
    ----------
    Moineddin, R., Beyene, J. & Boyle, E. (2003). On the location quotient confidence interval.
    *Geographical Analysis* 35(3), 249-256.

    Examples
    --------
    >>> d = pd.DataFrame({"region": ["r1", "r1", "r2", "r2"], "industry": ["A", "B", "A", "B"],
    ...                   "value": [10.0, 90.0, 30.0, 70.0]})
    >>> location_quotient_long(d, time=None, level=None)["lq"].tolist()
    [0.5, 1.125, 1.5, 0.875]
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
    if level is not None and not 0 < level < 1:
        raise OptionError(
            f"level: expected a confidence level strictly between 0 and 1, got {level}."
        )
    x = data[value].to_numpy(float)
    # one reduction, no row mask: NaN and negatives fail the >= test; an inf shows in the totals
    if len(x) and not x.min() >= 0:
        _refuse_values(data, x, value)
    if not len(x):  # nothing to compare: an empty result with the columns, not a numpy error
        names = ["lq"] if level is None else ["lq", "se_log", "lq_low", "lq_high", "significant"]
        return pd.DataFrame(
            {k: np.array([], dtype=bool if k == "significant" else float) for k in names},
            index=data.index,
        )
    keys = [c for c in (region, industry, time) if c is not None]
    (r, nr), (i, ni) = _codes(data, region), _codes(data, industry)
    t, nt = _codes(data, time) if time is not None else (np.zeros(len(x), np.uint8), 1)
    rt, it = _cell(r, nt, t, nr * nt), _cell(i, nt, t, ni * nt)  # region-time, industry-time
    dense = nr * nt * ni < 8 * len(x) + 1024  # a boolean per possible key is cheap
    xr, xi, repeats = scatter_totals(x, rt, it, i if dense else None, nr * nt, ni * nt, ni)
    xt = np.bincount(np.arange(len(xr)) % nt, weights=xr)  # from the small array, not the rows
    if not np.isfinite(xt).all():  # an inf count (or totals beyond the float range)
        _refuse_values(data, x, value)
    j = _first_repeat(r, i, t) if repeats or not dense else None
    if j is not None:
        found = tuple(v.item() if hasattr(v, "item") else v for v in data[keys].iloc[j])
        raise DataValueError(
            f"row {j + 1} (index {data.index[j]}): the key ({', '.join(keys)}) = {found} appears "
            "more than once; its count would be double-counted. Aggregate first."
        )
    # LQ = x / x_r. / (x_.i / x_..): the two factors are small per-group arrays, with zero totals
    # made NaN there (undefined, never inf), then gathered once per row.
    inv_r = np.divide(1.0, xr, out=np.full_like(xr, np.nan), where=xr > 0)
    with np.errstate(invalid="ignore"):  # a year of zero counts: 0 / 0, NaN below
        share = xi / xt[np.arange(len(xi)) % nt]
    inv_s = np.divide(1.0, share, out=np.full_like(share, np.nan), where=share > 0)
    if level is None:
        lq = gather_lq(x, rt, it, inv_r, inv_s)
        return pd.DataFrame({"lq": lq}, index=data.index, copy=False)
    # 1/x_.. - 1/x_.i per (industry, time), so that Var(ln LQ) = 1/x - 1/x_r. + that
    with np.errstate(divide="ignore", invalid="ignore"):
        c = 1.0 / xt[np.arange(len(xi)) % nt] - 1.0 / xi
    cols = gather_interval(x, rt, it, inv_r, inv_s, c, level=level)
    return pd.DataFrame(cols, index=data.index, copy=False)


def scatter_totals(
    x: np.ndarray,
    rt: np.ndarray,
    it: np.ndarray,
    i: np.ndarray | None,
    n_rt: int,
    n_it: int,
    n_i: int,
) -> tuple[np.ndarray, np.ndarray, bool]:
    """Return the region-time and industry-time totals, and whether a key repeats (first pass).

    ``np.add.at`` adds the rows in their order, as :func:`numpy.bincount` does, so the totals are
    the same numbers. With ``i`` given, every (region-time, industry) cell is marked in a boolean
    array; fewer marks than rows means a repeated key.
    """
    xr, xi = np.zeros(n_rt), np.zeros(n_it)
    seen = np.zeros(n_rt * n_i, dtype=bool) if i is not None else None
    a, b, k = (np.empty(min(BLOCK, len(x)), dtype=np.intp) for _ in range(3))
    for s in range(0, len(x), BLOCK):
        e = min(s + BLOCK, len(x))
        ab, bb = a[: e - s], b[: e - s]
        np.copyto(ab, rt[s:e])
        np.copyto(bb, it[s:e])
        if seen is not None:
            kb = k[: e - s]
            np.multiply(ab, n_i, out=kb)
            kb += i[s:e]
            seen[kb] = True
        np.add.at(xr, ab, x[s:e])
        np.add.at(xi, bb, x[s:e])
    return xr, xi, seen is not None and int(np.count_nonzero(seen)) < len(x)


def gather_lq(
    x: np.ndarray, rt: np.ndarray, it: np.ndarray, inv_r: np.ndarray, inv_s: np.ndarray
) -> np.ndarray:
    """Return ``LQ = (1 / x_r.) (1 / s_i) x`` of every row, block by block (second pass)."""
    lq = np.empty(len(x))
    f = np.empty(min(BLOCK, len(x)))
    for s in range(0, len(x), BLOCK):
        e = min(s + BLOCK, len(x))
        fb, out = f[: e - s], lq[s:e]
        # np.take widens a block of narrow cells itself, in the cache; the indices are in range
        # by construction, and "wrap" writes straight into out, where "raise" would buffer it
        np.take(inv_r, rt[s:e], out=out, mode="wrap")
        np.take(inv_s, it[s:e], out=fb, mode="wrap")
        out *= fb
        out *= x[s:e]
    return lq


def gather_interval(
    x: np.ndarray,
    rt: np.ndarray,
    it: np.ndarray,
    inv_r: np.ndarray,
    inv_s: np.ndarray,
    c: np.ndarray,
    *,
    level: float,
) -> dict[str, np.ndarray]:
    """:func:`~clusterlib.specialisation.lq.lq_interval_arrays` for rows gathering small arrays.

    The same quantities, block by block in reused buffers: three gathers,
    ``se = sqrt(1/x - 1/x_r. + c)``, ``e = exp(z se)``, ``low = LQ / e`` and ``high = LQ e``;
    rows with a zero count get the interval ``[0, -ln(alpha/2) / E]`` of
    :func:`~clusterlib.specialisation.location_quotient_ci` (E the expected count).
    """
    alpha = 1 - level
    z = ndtri(1 - alpha / 2)
    upper = -np.log(alpha / 2)
    n = len(x)
    lq, se, low, high = (np.empty(n) for _ in range(4))
    significant = np.empty(n, dtype=bool)
    b = np.empty(min(BLOCK, n), dtype=np.intp)
    flag = np.empty(min(BLOCK, n), dtype=bool)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        for s in range(0, n, BLOCK):
            e = min(s + BLOCK, n)
            bb, fl, xb = b[: e - s], flag[: e - s], x[s:e]
            q, sb, lo, hi = lq[s:e], se[s:e], low[s:e], high[s:e]
            np.copyto(bb, it[s:e])  # widened once for two gathers
            np.take(inv_r, rt[s:e], out=q, mode="wrap")  # 1 / x_r.
            np.divide(1.0, xb, out=sb)
            sb -= q
            np.take(c, bb, out=hi, mode="wrap")
            sb += hi
            np.take(inv_s, bb, out=hi, mode="wrap")
            q *= hi  # the LQ of one unit of count (q)
            zero = np.flatnonzero(xb == 0)
            q_zero = q[zero]
            q *= xb
            np.maximum(sb, 0.0, out=sb)
            np.sqrt(sb, out=sb)
            sb[zero] = np.nan
            np.multiply(sb, z, out=hi)
            np.exp(hi, out=hi)
            np.divide(q, hi, out=lo)
            hi *= q
            lo[zero] = 0.0 * q_zero  # 0, or NaN where the LQ is undefined
            hi[zero] = upper * q_zero
            np.greater(lo, 1, out=significant[s:e])
            np.less(hi, 1, out=fl)
            significant[s:e] |= fl
    return {"lq": lq, "se_log": se, "lq_low": low, "lq_high": high, "significant": significant}


def _cell(a: np.ndarray, n: int, b: np.ndarray, size: int) -> np.ndarray:
    """Return ``a * n + b`` (a row-major cell index below ``size``) in the narrowest signed type.

    Two-byte cells for a thousand regions by ten years: a quarter of the memory traffic of
    eight-byte ones; each block widens its slice once, in the cache.
    """
    out = np.multiply(a, n, dtype=np.result_type(np.min_scalar_type(-size), a.dtype, b.dtype))
    out += b
    return out


def _codes(data: pd.DataFrame, name: str) -> tuple[np.ndarray, int]:
    """Return dense non-negative integer codes of a key column and their number.

    Categorical codes, an offset for a narrow integer range (years), else
    :func:`pandas.factorize`. A missing key (code -1) is refused, naming its row.
    """
    s = data[name]
    if isinstance(s.dtype, pd.CategoricalDtype):
        codes, n = s.array.codes, len(s.array.categories)
    elif isinstance(s.dtype, np.dtype) and s.dtype.kind in "iu":  # not nullable Int64 (NA)
        v = s.to_numpy()
        # one read of the column, block by block: its range and its values modulo 256 together
        codes, lo, hi = np.empty(len(v), dtype=np.uint8), v[0], v[0]
        for k in range(0, len(v), BLOCK):
            block = v[k : k + BLOCK]
            lo, hi = min(lo, block.min()), max(hi, block.max())
            np.copyto(codes[k : k + BLOCK], block, casting="unsafe")
        lo, hi = int(lo), int(hi)
        width = np.min_scalar_type(hi - lo)
        if hi - lo < 10 * len(v) + 1000 and width.itemsize < 8:
            # the narrowest unsigned type, and the offset taken in it: v - lo fits, so the
            # subtraction modulo 2**bits is exact (years are one byte per row, not eight)
            if width.itemsize > 1:
                codes = v.astype(width)
            codes -= width.type(lo % (1 << (8 * width.itemsize)))
            return codes, hi - lo + 1
        codes, uniques = pd.factorize(s, sort=False)
        n = len(uniques)
    else:
        codes, uniques = pd.factorize(s, sort=False)
        n = len(uniques)
    if len(codes) and codes.min() < 0:
        j = int(np.flatnonzero(codes < 0)[0])
        raise DataValueError(
            f"row {j + 1} (index {data.index[j]}), field {name!r}: the key is missing. Drop the "
            f"row or fill in its {name}."
        )
    return codes, n


def _first_repeat(r: np.ndarray, i: np.ndarray, t: np.ndarray) -> int | None:
    """Return the first row whose (region, industry, time) key repeats, or None."""
    twice = pd.DataFrame({"r": r, "i": i, "t": t}).duplicated(keep=False).to_numpy()
    return int(np.flatnonzero(twice)[0]) if twice.any() else None


def _refuse_values(data: pd.DataFrame, x: np.ndarray, value: str) -> None:
    """Raise naming the first negative, missing or infinite count (none: totals overflowed)."""
    bad = ~np.isfinite(x) | (x < 0)
    if not bad.any():
        return  # finite counts whose totals exceed the float range: inf, as before
    i = int(np.flatnonzero(bad)[0])
    raise DataValueError(
        f"row {i + 1} (index {data.index[i]}), field {value!r}: counts cannot be negative, "
        "missing or "
        f"infinite, found {x[i]:g}. Drop or fix the row (for tables with missing cells use "
        "specialisation_table and its policy=)."
    )
