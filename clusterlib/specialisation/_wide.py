"""Helpers for wide region x industry matrices shared by the specialisation modules."""

from __future__ import annotations

import numpy as np
import pandas as pd

from clusterlib.errors import DataValueError, OptionError


def check_wide(x: pd.DataFrame, *, name: str = "x", allow_negative: bool = False) -> pd.DataFrame:
    """Check a wide region x industry frame of counts and return it as float."""
    if not isinstance(x, pd.DataFrame):
        raise OptionError(
            f"{name}: expected a DataFrame (index = regions, columns = industries), got "
            f"{type(x).__name__}."
        )
    if x.empty:
        raise DataValueError(f"{name}: the region x industry matrix is empty.")
    for axis, labels in (("region (row)", x.index), ("industry (column)", x.columns)):
        if labels.has_duplicates:
            dup = labels[labels.duplicated()][0]
            raise DataValueError(
                f"{name}: {axis} {dup!r} appears more than once; each must appear once, or its "
                "counts would be double-counted. Aggregate first (e.g. x.groupby(level=0).sum())."
            )
    text = [c for c in x.columns if not pd.api.types.is_numeric_dtype(x[c].dtype)]
    if text:
        raise DataValueError(
            f"{name}, column {text[0]!r}: expected numbers, found {x[text[0]].dtype} values "
            f"(e.g. {x[text[0]].iloc[0]!r}). Convert or drop that column."
        )
    out = x.astype(float)
    inf = np.isinf(out.to_numpy())
    if inf.any():
        r, c = (int(v[0]) for v in inf.nonzero())
        raise DataValueError(
            f"{name}, row {out.index[r]!r}, column {out.columns[c]!r}: {out.iat[r, c]} is not a "
            "count. Fix that cell (NaN marks a missing value)."
        )
    if not allow_negative and (out < 0).any().any():
        r, c = next(zip(*(out < 0).to_numpy().nonzero(), strict=False))
        raise DataValueError(
            f"{name}, row {out.index[r]!r}, column {out.columns[c]!r}: counts cannot be negative, "
            f"found {out.iat[r, c]:g}."
        )
    return out


def totals(x: pd.DataFrame, region_total: pd.Series | None) -> tuple[pd.Series, pd.Series, float]:
    """Return x_r. (region totals), x_.i (industry totals over the rows) and x_.. (grand total).

    Missing values propagate: a NaN cell makes its row total NaN when ``region_total`` is not
    given, and its column total NaN.
    """
    if region_total is None:
        xr = x.sum(axis=1, skipna=False)
    else:
        xr = check_counts(region_total, name="region_total").reindex(x.index)
        if xr.isna().all() and not region_total.index.isin(x.index).any():
            raise DataValueError("region_total: its index shares no region with the matrix.")
    xi = x.sum(axis=0, skipna=False)
    xt = float(xr.sum(skipna=False))
    return xr, xi, xt


def check_counts(values: pd.Series, *, name: str) -> pd.Series:
    """Check a Series of counts (employment, totals) by region: numbers >= 0, NaN for unknown.

    A negative count would give a negative LQ or share (an LQ of -2) and an infinite one an LQ of
    0 or NaN that looks like a result; both are refused, naming the region.
    """
    if not isinstance(values, pd.Series):
        raise OptionError(
            f"{name}: expected a pandas Series indexed by region, got {type(values).__name__}."
        )
    v = pd.to_numeric(values, errors="coerce")
    text = v.isna() & values.notna()
    bad = text | (v < 0) | np.isinf(v)
    if bad.any():
        key = values.index[bad.to_numpy().argmax()]
        found = values[bad].iloc[0]
        found = found.item() if isinstance(found, np.generic) else found
        raise DataValueError(
            f"{name}, region {key!r}: expected a count >= 0 (NaN for unknown), found "
            f"{found!r}. Fix that value; employment cannot be negative."
        )
    return v.astype(float)
