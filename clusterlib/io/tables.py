"""Reader for users' own tidy tables (CSV or Parquet), e.g. a GUS BDL export."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from clusterlib.errors import DataFormatError, DataValueError, where
from clusterlib.io._validate import validate
from clusterlib.io.eurostat import TIDY_COLUMNS

_REQUIRED = ("region", "industry", "year", "value")

_SCHEMA = pa.DataFrameSchema(
    {
        "region": pa.Column(str, pa.Check.str_matches(r"^[A-Z]{2}[A-Z0-9]{0,3}$")),
        "industry": pa.Column(str, pa.Check.str_matches(r"^[A-U]([0-9]{2,3})?$")),
        "indicator": pa.Column(str),
        "year": pa.Column(np.int64, pa.Check.in_range(1950, 2100)),
        "value": pa.Column(float, pa.Check.ge(0), nullable=True),
        "flag": pa.Column(str),
    },
    unique=["region", "industry", "indicator", "year"],
    strict=True,
)


def read_table(
    path: str | Path,
    *,
    columns: Mapping[str, str] | None = None,
    indicator: str = "V16110",
    sep: str = ",",
) -> pd.DataFrame:
    """Read a user's own tidy table (CSV or Parquet) into the tidy layout of the Eurostat reader.

    Parameters
    ----------
    path : str or Path
        ``.csv`` (optionally ``.csv.gz``) or ``.parquet`` file with one row per region, industry
        and year.
    columns : mapping, optional
        Tidy name to the file's column name, for the keys ``region`` (NUTS code), ``industry``
        (NACE code), ``year``, ``value`` and optionally ``indicator`` and ``flag``. For a GUS export
        with columns ``Kod``, ``PKD``, ``Rok``, ``Pracujacy``:
        ``{"region": "Kod", "industry": "PKD", "year": "Rok", "value": "Pracujacy"}``. Default: the
        file already uses the tidy names.
    indicator : str, default "V16110"
        Indicator code given to every row when the file has no indicator column.
    sep : str, default ","
        CSV delimiter (``";"`` for many Polish exports).

    Returns
    -------
    pandas.DataFrame
        Columns ``region``, ``industry``, ``indicator``, ``year``, ``value``, ``flag``. Empty cells
        become NaN (not available), never 0.

    Raises
    ------
    DataFormatError
        A mapped or required column is missing.
    DataValueError
        A non-numeric or negative value, a malformed NUTS or NACE code, a year out of range or a
        duplicate (region, industry, indicator, year) key; the message names row, line and field.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such file. Pass a .csv or .parquet table.")
    mapping = dict(columns or {})
    unknown = set(mapping) - set(TIDY_COLUMNS)
    if unknown:
        raise DataFormatError(
            f"columns: unknown tidy name(s) {sorted(unknown)}; the keys must be among {TIDY_COLUMNS}."
        )
    if path.suffix == ".parquet":
        raw = pd.read_parquet(path)
    else:
        raw = pd.read_csv(path, sep=sep, dtype=str, keep_default_na=False)
    wanted = {k: mapping.get(k, k) for k in TIDY_COLUMNS}
    absent = [
        f"{v!r} (for {k})" for k, v in wanted.items() if k in _REQUIRED and v not in raw.columns
    ]
    if absent:
        raise DataFormatError(
            f"{path}: missing column(s) {', '.join(absent)}; the file has {list(raw.columns)}. "
            "Pass columns={'region': ..., 'industry': ..., 'year': ..., 'value': ...} to map them."
        )
    df = pd.DataFrame({k: raw[v] for k, v in wanted.items() if v in raw.columns})
    if "indicator" not in df:
        df["indicator"] = indicator
    if "flag" not in df:
        df["flag"] = ""
    df = _coerce_numbers(df, path)
    df = df[TIDY_COLUMNS].astype({"region": str, "industry": str, "indicator": str, "flag": str})
    return validate(
        df,
        _SCHEMA,
        source=path,
        advice="Fix those cells in the file (empty or ':' means not available).",
    )


def _coerce_numbers(df: pd.DataFrame, path: Path) -> pd.DataFrame:
    out = df.copy()
    for col in ("year", "value"):
        text = out[col].astype(str).str.strip()
        missing = text.isin(["", ":", "nan", "None", "<NA>"]) | out[col].isna()
        num = pd.to_numeric(
            text.where(~missing).str.replace(",", ".", regex=False), errors="coerce"
        )
        bad = num.isna() & ~missing
        if col == "year":
            bad |= missing | (num % 1 != 0)
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            raise DataValueError(
                f"{where(path, i + 2, col)} (row {i + 1}): expected "
                f"{'a whole year such as 2014' if col == 'year' else 'a number, or empty or : for not available'}"
                f", found {df[col].iloc[i]!r}. Fix that cell."
            )
        out[col] = num.astype(np.int64) if col == "year" else num.astype(float)
    return out
