"""Shared checks of input-output matrices: square, same labels both ways, finite, non-negative.

Every failure is a :class:`~clusterlib.errors.ClusterlibError` that names the matrix, the industry
(row or column label) and what to do; nothing here computes an economic quantity.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from clusterlib.errors import DataFormatError, DataValueError


def square(df: object, *, name: str) -> np.ndarray:
    """Return ``df`` as a float array after checking that it is a square, labelled, finite table.

    Rows and columns must carry the same industry labels in the same order, each once.
    """
    if not isinstance(df, pd.DataFrame):
        raise DataFormatError(
            f"{name}: expected a pandas DataFrame with industries as index and columns, "
            f"found {type(df).__name__}."
        )
    n_rows, n_cols = df.shape
    if n_rows != n_cols:
        raise DataFormatError(
            f"{name}: expected a square table (as many industries in the rows as in the columns), "
            f"found {n_rows} rows x {n_cols} columns. Keep only the industry-by-industry block."
        )
    if n_rows == 0:
        raise DataFormatError(f"{name}: the table has no industries.")
    labels(df.index, name=f"{name} rows")
    labels(df.columns, name=f"{name} columns")
    if not df.index.equals(df.columns):
        rows, cols = df.index.astype(str), df.columns.astype(str)
        first = next(i for i, (r, c) in enumerate(zip(rows, cols, strict=True)) if r != c)
        raise DataFormatError(
            f"{name}: row and column labels do not match: position {first + 1} is row "
            f"{rows[first]!r} but column {cols[first]!r}. Rows and columns must name the same "
            "industries in the same order (use df.loc[order, order])."
        )
    return finite(df, name=name)


def labels(index: pd.Index, *, name: str) -> None:
    """Refuse duplicate or missing industry labels."""
    if not isinstance(index, pd.MultiIndex) and index.hasnans:
        raise DataFormatError(f"{name}: an industry label is missing (empty or NaN).")
    dup = index[index.duplicated()]
    if len(dup):
        raise DataFormatError(
            f"{name}: label {dup[0]!r} appears more than once; expected each label once."
        )


def finite(df: pd.DataFrame, *, name: str) -> np.ndarray:
    """Return the values as float, refusing text, missing and infinite cells (naming the first)."""
    try:
        values = df.to_numpy(dtype=float)
    except (TypeError, ValueError):
        for col in df.columns:
            bad = pd.to_numeric(df[col], errors="coerce").isna() & df[col].notna()
            if bad.any():
                row = df.index[bad.to_numpy()][0]
                raise DataValueError(
                    f"{name}, row {row!r}, column {col!r}: expected a number, found "
                    f"{df.loc[row, col]!r}."
                ) from None
        raise  # pragma: no cover - every non-numeric cell is caught above
    bad = ~np.isfinite(values)
    if bad.any():
        r, c = np.argwhere(bad)[0]
        raise DataValueError(
            f"{name}, row {df.index[r]!r}, column {df.columns[c]!r}: expected a finite number, "
            f"found {values[r, c]:g}. Fill it in; write 0 only where the value is truly zero."
        )
    return values


def non_negative(values: np.ndarray, df: pd.DataFrame, *, name: str) -> None:
    """Refuse negative entries, naming the first (row, column)."""
    neg = values < 0
    if neg.any():
        r, c = np.argwhere(neg)[0]
        raise DataValueError(
            f"{name}, row {df.index[r]!r}, column {df.columns[c]!r}: expected a flow >= 0, found "
            f"{values[r, c]:g}. Intermediate flows cannot be negative; check the sign convention "
            "or move net taxes and subsidies out of the flow block."
        )


def vector(values: object, index: pd.Index, *, name: str, positive: bool = False) -> np.ndarray:
    """Return a Series aligned to ``index`` as floats, refusing missing labels and bad values."""
    if not isinstance(values, pd.Series):
        raise DataFormatError(
            f"{name}: expected a pandas Series indexed by industry, found {type(values).__name__}."
        )
    labels(values.index, name=name)
    missing = index.difference(values.index, sort=False)
    extra = values.index.difference(index, sort=False)
    if len(missing) or len(extra):
        what = []
        if len(missing):
            what.append(f"no value for {list(missing[:5])}")
        if len(extra):
            what.append(f"industries not in the table {list(extra[:5])}")
        raise DataFormatError(
            f"{name}: labels do not match the table's industries: {'; '.join(what)}. "
            "Use the same industry codes as the flow table."
        )
    series = values.reindex(index)
    out = pd.to_numeric(series, errors="coerce").to_numpy(dtype=float)
    bad = ~np.isfinite(out)
    if bad.any():
        i = int(np.argmax(bad))
        raise DataValueError(
            f"{name}, industry {index[i]!r}: expected a finite number, found {_show(series.iloc[i])}."
        )
    if positive:
        low = out <= 0
        if low.any():
            i = int(np.argmax(low))
            raise DataValueError(
                f"{name}, industry {index[i]!r}: expected a positive value, found {out[i]:g}. "
                "An industry with zero output has no coefficients: drop its row and column."
            )
    elif (out < 0).any():
        i = int(np.argmax(out < 0))
        raise DataValueError(
            f"{name}, industry {index[i]!r}: expected a value >= 0, found {out[i]:g}."
        )
    return out


def _show(value: object) -> str:
    """Show a cell in a message: numbers as ``%g`` (``nan``, ``inf``), anything else as its repr."""
    if isinstance(value, (int, float, np.number)) and not isinstance(value, bool):
        return format(float(value), "g")
    return repr(value)
