"""Reader for users' own tidy tables (CSV or Parquet), e.g. a GUS BDL export."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from clusterlib.errors import DataFormatError, OptionError
from clusterlib.io._validate import validate
from clusterlib.io.eurostat import TIDY_COLUMNS
from clusterlib.io.text import check_separators, parse_numbers, read_delimited, read_parquet

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
    sep: str | None = None,
    decimal: str = ".",
    thousands: str | None = None,
    encoding: str = "utf-8",
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
    sep : str, optional
        CSV delimiter. Default: detected from the header line among ``,``, ``;``, TAB and ``|``.
    decimal : {".", ","}, default "."
        Decimal mark of the values. Polish exports often use ``","`` (and ``sep=";"``).
    thousands : {None, ",", ".", " ", "'"}, default None
        Thousands separator, if the values have one (``" "`` also accepts no-break spaces).
        With the defaults, a value such as ``1,234`` or ``1 234`` is an error that names its row
        and column, never silently 1.234 or 1234.
    encoding : str, default "utf-8"
        Text encoding, e.g. ``"cp1250"`` or ``"iso-8859-2"`` for Windows or ISO Polish exports.
        A UTF-8 byte-order mark is accepted.

    Returns
    -------
    pandas.DataFrame
        Columns ``region``, ``industry``, ``indicator``, ``year``, ``value``, ``flag``. Empty cells
        (and ``:``) become NaN (not available), never 0.

    Raises
    ------
    MissingFileError
        No such file.
    EmptyDataError
        The file is empty or holds only a header.
    EncodingError
        The text is not in ``encoding``; the message names the line and the likely encoding.
    DataFormatError
        A mapped or required column is missing, or a row has the wrong number of fields.
    DataValueError
        A value that is not a number under ``decimal``/``thousands``, an infinite, negative or
        fractional-year value, a malformed NUTS or NACE code, a year out of range or a
        duplicate (region, industry, indicator, year) key; the message names row, line and field.
    """
    path = Path(path)
    check_separators(decimal, thousands)
    mapping = dict(columns or {})
    unknown = set(mapping) - set(TIDY_COLUMNS)
    if unknown:
        raise OptionError(
            f"columns: unknown tidy name(s) {sorted(unknown)}; the keys must be among {TIDY_COLUMNS}."
        )
    if path.suffix == ".parquet":
        raw = read_parquet(path, what="table")
    else:
        raw = read_delimited(path, sep=sep, encoding=encoding, what="table")
    wanted = {k: mapping.get(k, k) for k in TIDY_COLUMNS}
    absent = [
        f"{v!r} (for {k})" for k, v in wanted.items() if k in _REQUIRED and v not in raw.columns
    ]
    if absent:
        sep_hint = ""
        if len(raw.columns) == 1:
            sep_hint = (
                f" The file was split on {raw.attrs.get('sep', sep)!r} into one column only: "
                "is sep= right?"
            )
        raise DataFormatError(
            f"{path}: missing column(s) {', '.join(absent)}; the file has {list(raw.columns)}. "
            "Pass columns={'region': ..., 'industry': ..., 'year': ..., 'value': ...} to map them."
            + sep_hint
        )
    df = pd.DataFrame({k: raw[v] for k, v in wanted.items() if v in raw.columns})
    if "indicator" not in df:
        df["indicator"] = indicator
    if "flag" not in df:
        df["flag"] = ""
    df["year"] = parse_numbers(
        df["year"],
        source=path,
        column=wanted["year"],
        integer=True,
        allow_missing=False,
        expected="a whole year such as 2014",
    ).astype(np.int64)
    df["value"] = parse_numbers(
        df["value"], source=path, column=wanted["value"], decimal=decimal, thousands=thousands
    )
    df = df[TIDY_COLUMNS].astype({"region": str, "industry": str, "indicator": str, "flag": str})
    for col in ("region", "industry", "indicator", "flag"):
        df[col] = df[col].str.strip()
    return validate(
        df,
        _SCHEMA,
        source=path,
        advice="Fix those cells in the file (empty or ':' means not available).",
    )
