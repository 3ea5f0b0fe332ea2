"""One table or many: a square industry table, or regions stacked as (region, industry) rows.

Every linkage function takes either form. Stacked tables are how :func:`regionalise` returns many
regions at once; they are turned into one ``(regions, n, n)`` array so numpy works on all regions
in one call (no loop over regions).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from clusterlib.errors import DataFormatError
from clusterlib.linkages._checks import finite, labels, non_negative, square


def as_array(df: object, *, name: str) -> tuple[np.ndarray, pd.Index | None, pd.Index]:
    """Return ``(array of shape (R, n, n), region labels or None, industry labels)``.

    A plain square table gives R = 1 and ``None`` for the regions. Entries must be finite and >= 0.
    """
    if isinstance(df, pd.DataFrame) and isinstance(df.index, pd.MultiIndex):
        if df.index.nlevels != 2:
            raise DataFormatError(
                f"{name}: a stacked table needs a (region, industry) row index, found "
                f"{df.index.nlevels} levels."
            )
        industries = df.columns
        labels(industries, name=f"{name} columns")
        labels(df.index, name=f"{name} rows")
        regions = df.index.get_level_values(0).unique()
        n = len(industries)
        expected = pd.MultiIndex.from_product([regions, industries])
        if len(df.index) != len(expected) or not df.index.equals(expected):
            raise DataFormatError(
                f"{name}: every region must have one row per industry, in the columns' order "
                f"({n} industries); sort with df.loc[pd.MultiIndex.from_product([regions, "
                "industries])]."
            )
        values = finite(df, name=name)
        non_negative(values, df, name=name)
        return values.reshape(len(regions), n, n), regions, industries
    values = square(df, name=name)
    non_negative(values, df, name=name)
    return values[None, :, :], None, df.columns


def as_frame(arr: np.ndarray, regions: pd.Index | None, industries: pd.Index) -> pd.DataFrame:
    """Invert :func:`as_array` for a ``(R, n, n)`` array."""
    if regions is None:
        return pd.DataFrame(arr[0], index=industries, columns=industries)
    index = pd.MultiIndex.from_product([regions, industries])
    return pd.DataFrame(arr.reshape(-1, arr.shape[-1]), index=index, columns=industries)


def rows_frame(arr: np.ndarray, regions: pd.Index | None, industries: pd.Index, columns):
    """Turn a ``(R, n, k)`` array into one row per industry (and region), ``k`` named columns."""
    if regions is None:
        return pd.DataFrame(arr[0], index=industries, columns=columns)
    index = pd.MultiIndex.from_product([regions, industries])
    return pd.DataFrame(arr.reshape(-1, arr.shape[-1]), index=index, columns=columns)
