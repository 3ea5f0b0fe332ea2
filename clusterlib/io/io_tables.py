"""Readers for input-output tables: users' own product-by-product tables and the bundled ones.

A user's table is a wide sheet as Eurostat (``naio_10_cp1700``) and FIGARO publish it: the first
column labels the rows, line 1 labels the columns; the square block of products (CPA labels such
as ``CPA_C25``, both ways) holds the intermediate flows, further columns hold final demand, and
further rows hold output (``P1``), value added (``B1G``) and the other primary inputs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from clusterlib import config
from clusterlib.errors import DataFormatError, DataValueError, EmptyDataError, MissingFileError
from clusterlib.io.text import parse_numbers, read_delimited


@dataclass(frozen=True)
class IOTable:
    """An input-output table, validated: every part labelled by the same industries.

    Attributes
    ----------
    flows : pandas.DataFrame
        Intermediate flows Z, industries (products) as index (sellers) and columns (buyers).
    output : pandas.Series
        Gross output x by industry (> 0).
    value_added : pandas.Series
        Gross value added by industry.
    final_demand : pandas.DataFrame
        Final demand columns (households, government, investment, exports, ...) by industry.
    primary : pandas.DataFrame
        The other rows below the flows (imports, taxes, compensation, employment, ...) by industry
        (columns), as read.
    source : str
        Where the table came from.
    """

    flows: pd.DataFrame
    output: pd.Series
    value_added: pd.Series
    final_demand: pd.DataFrame
    primary: pd.DataFrame
    source: str


def _product_labels(path, label_col, labels, cols, products, output, value_added) -> list[str]:
    """Return the product columns after checking the table's labels.

    Products found, each row once, the flow block square, the output and value-added rows
    present; each problem is named by its line.
    """
    if isinstance(products, str):
        prod_cols = [c for c in cols if c.startswith(products)]
        prod_rows = [r for r in labels if r.startswith(products)]
        how = f"labels starting with {products!r}"
    else:
        wanted = [str(p) for p in products]
        prod_cols = [c for c in cols if c in wanted]
        prod_rows = [r for r in labels if r in wanted]
        how = "the labels given in products="
    if not prod_cols:
        raise DataFormatError(
            f"{path}, line 1: no product columns ({how}); the columns are {cols[:8]}. Pass "
            "products= with the prefix or the list of product labels."
        )
    dup = labels[labels.duplicated()]
    if len(dup):
        lines = [int(i) + 2 for i in np.flatnonzero(labels.to_numpy() == dup.iloc[0])]
        raise DataFormatError(
            f"{path}, lines {', '.join(map(str, lines))}, column {label_col!r}: row label "
            f"{dup.iloc[0]!r} appears more than once; expected each row once."
        )
    rows_only = [r for r in prod_rows if r not in prod_cols]
    cols_only = [c for c in prod_cols if c not in prod_rows]
    if rows_only or cols_only:
        where = []
        if rows_only:
            line = int(np.flatnonzero(labels.to_numpy() == rows_only[0])[0]) + 2
            where.append(f"row(s) {rows_only[:5]} (first on line {line}) have no column")
        if cols_only:
            where.append(f"column(s) {cols_only[:5]} on line 1 have no row")
        raise DataFormatError(
            f"{path}: the product labels of the rows and the columns do not match: "
            f"{'; '.join(where)}. The flow block must be square, the same products both ways."
        )
    for name, label in (("output", output), ("value_added", value_added)):
        if label not in set(labels):
            raise DataFormatError(
                f"{path}, column {label_col!r}: no row {label!r} ({name}); the non-product rows "
                f"are {[r for r in labels if r not in prod_rows][:10]}. Pass {name}= with its "
                "label."
            )
    return prod_cols


def read_io_table(
    path: str | Path,
    *,
    products: str | Sequence[str] = "CPA_",
    output: str = "P1",
    value_added: str = "B1G",
    sheet: str | int = 0,
    sep: str | None = None,
    decimal: str = ".",
    thousands: str | None = None,
    encoding: str = "utf-8",
) -> IOTable:
    r"""Read a user's square product-by-product input-output table (CSV or XLSX) and validate it.

    Parameters
    ----------
    path : str or Path
        ``.csv`` (optionally compressed) or ``.xlsx``. The first column holds the row labels.
    products : str or sequence of str, default "CPA_"
        The product labels: a prefix shared by all of them (Eurostat and FIGARO use ``CPA_``), or
        the list of labels. They must label both the rows and the columns of the flow block.
    output, value_added : str, default "P1", "B1G"
        Labels of the rows of output and of gross value added.
    sheet : str or int, default 0
        Sheet of an XLSX file.
    sep, decimal, thousands, encoding
        As for :func:`clusterlib.io.read_table` (CSV only).

    Returns
    -------
    IOTable
        Flows, output, value added, final demand (the non-product columns) and the other primary
        rows; the flow rows in the order of the flow columns.

    Raises
    ------
    MissingFileError, EmptyDataError, EncodingError
        No such file, no data, undecodable text.
    DataFormatError
        No product labels, duplicated row labels, products in the rows but not in the columns (or
        the reverse), a missing output or value-added row.
    DataValueError
        A cell that is not a number (named by line and column), an empty or negative flow, empty
        final demand, zero or negative output of a product (named).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> text = "row,CPA_A,CPA_C,P3_S14\nCPA_A,5,20,75\nCPA_C,10,60,130\nB1G,85,120,\nP1,100,200,\n"
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "io.csv"
    >>> _ = path.write_text(text)
    >>> t = read_io_table(path)
    >>> t.flows
           CPA_A  CPA_C
    CPA_A    5.0   20.0
    CPA_C   10.0   60.0
    >>> t.output.tolist()
    [100.0, 200.0]
    """
    path = Path(path)
    raw = _read_raw(path, sheet=sheet, sep=sep, encoding=encoding)
    label_col = raw.columns[0]
    labels = raw[label_col].astype(str).str.strip()
    cols = [str(c).strip() for c in raw.columns[1:]]
    prod_cols = _product_labels(path, label_col, labels, cols, products, output, value_added)
    values = pd.DataFrame(
        {
            c: parse_numbers(raw[c0], source=path, column=c, decimal=decimal, thousands=thousands)
            for c, c0 in zip(cols, raw.columns[1:], strict=True)
        }
    )
    values.index = pd.Index(labels.to_numpy(), name=None)
    line_of = {lab: i + 2 for i, lab in enumerate(labels)}
    other_cols = [c for c in cols if c not in prod_cols]
    block = values.loc[prod_cols, prod_cols + other_cols]
    missing = block.isna().to_numpy()
    if missing.any():
        r, c = np.argwhere(missing)[0]
        raise DataValueError(
            f"{path}, line {line_of[block.index[r]]} (row {block.index[r]!r}), column "
            f"{block.columns[c]!r}: empty cell; flows and final demand need a number (write 0 "
            "for none)."
        )
    neg = block[prod_cols].to_numpy() < 0
    if neg.any():
        r, c = np.argwhere(neg)[0]
        raise DataValueError(
            f"{path}, line {line_of[prod_cols[r]]} (row {prod_cols[r]!r}), column "
            f"{prod_cols[c]!r}: expected a flow >= 0, found {block.iloc[r, c]:g}."
        )
    x = values.loc[output, prod_cols]
    bad = ~(x > 0)
    if bad.any():
        c = x.index[bad.to_numpy()][0]
        raise DataValueError(
            f"{path}, line {line_of[output]} (row {output!r}), column {c!r}: expected an output "
            f"> 0, found {'an empty cell' if np.isnan(x[c]) else format(float(x[c]), 'g')}. A product with no output has no coefficients: remove its row "
            "and column."
        )
    va = values.loc[value_added, prod_cols]
    if va.isna().any():
        c = va.index[va.isna().to_numpy()][0]
        raise DataValueError(
            f"{path}, line {line_of[value_added]} (row {value_added!r}), column {c!r}: empty "
            "value added; expected a number."
        )
    primary = values.loc[[r for r in labels if r not in prod_cols], prod_cols]
    return IOTable(
        flows=block[prod_cols].copy(),
        output=x.rename("output"),
        value_added=va.rename("value_added"),
        final_demand=block[other_cols].copy(),
        primary=primary,
        source=str(path),
    )


def _read_raw(path: Path, *, sheet, sep, encoding) -> pd.DataFrame:
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        return read_delimited(path, sep=sep, encoding=encoding, what="input-output table")
    if not path.is_file():
        raise MissingFileError(f"{path}: no such file (expected an input-output table).")
    try:
        raw = pd.read_excel(path, sheet_name=sheet, header=0, dtype=object, engine="openpyxl")
    except ValueError as exc:
        raise DataFormatError(f"{path}: cannot read sheet {sheet!r} ({exc}).") from None
    except Exception as exc:  # a damaged or non-XLSX file: zipfile, openpyxl errors
        raise DataFormatError(
            f"{path}: not a readable XLSX workbook ({type(exc).__name__}). Save it again as .xlsx "
            "or export CSV."
        ) from None
    if raw.empty:
        raise EmptyDataError(f"{path}, sheet {sheet!r}: no data rows below the header.")
    return raw.apply(lambda c: c.map(lambda v: "" if pd.isna(v) else str(v).strip()))


def load_wiod_poland() -> IOTable:
    """Load Poland's domestic input-output table 2011 from WIOD (35 industries, million USD).

    Read from ``data/raw/io/wiod2013_POL_2011_*.csv`` (see ``data/raw/SOURCES.md``). Value added is
    the residual of gross output less domestic and imported intermediates (including taxes and
    margins); ``primary`` holds the imported and domestic intermediates.

    Returns
    -------
    IOTable
        Industries ``c1`` ... ``c35``; final demand ``CONS_h``, ``CONS_np``, ``CONS_g``, ``GFCF``,
        ``INVEN``, ``EXP``.

    Examples
    --------
    >>> t = load_wiod_poland()
    >>> t.flows.shape, float(t.output["c12"])
    ((35, 35), 48485.0)
    """
    folder = config.raw_dir() / "io"
    main = pd.read_csv(folder / "wiod2013_POL_2011_domestic_io_musd.csv", index_col="industry")
    totals = pd.read_csv(folder / "wiod2013_POL_2011_column_totals_musd.csv", index_col="industry")
    industries = [f"c{i}" for i in range(1, 36)]
    return IOTable(
        flows=main.loc[industries, industries].astype(float),
        output=main.loc[industries, "GO"].astype(float).rename("output"),
        value_added=totals.loc[industries, "va_residual_incl_taxes_margins"].rename("value_added"),
        final_demand=main.loc[industries, ["CONS_h", "CONS_np", "CONS_g", "GFCF", "INVEN", "EXP"]],
        primary=totals.loc[industries, ["imported_intermediates", "domestic_intermediates"]].T,
        source="WIOD 2013 release, Poland 2011 (Timmer et al. 2015), via bquast/wiod",
    )


def load_manual_example() -> IOTable:
    """Load the six-sector example of the Eurostat Manual of Supply, Use and Input-Output Tables (2008).

    Germany 1995 after Beutel, million EUR, read from
    ``data/raw/io/eurostat_manual_germany_1995.csv`` (see ``data/raw/SOURCES.md``). Output is the row
    ``P1`` (output at basic prices), as in the manual's multipliers; ``primary`` holds the rows
    ``P7`` (imports), ``D21_M_D31``, ``D1`` (compensation), ``D29_M_D39``, ``K1``, ``B2N_B3N``,
    ``EMP-WS``, ``EMP-FTE`` and ``EMP`` (thousand persons).

    Returns
    -------
    IOTable
        Industries ``cpa_a``, ``cpa_c``, ``cpa_f``, ``cpa_g_i``, ``cpa_business``, ``cpa_other``.

    Examples
    --------
    >>> t = load_manual_example()
    >>> t.output.round().tolist()
    [43910.0, 1079446.0, 245606.0, 540063.0, 692487.0, 508918.0]
    """
    raw = pd.read_csv(config.raw_dir() / "io" / "eurostat_manual_germany_1995.csv")
    raw = raw.set_index("t_rows2")
    groups = ["agriculture_group", "manufacturing_group", "construction_group", "trade_group",
              "business_services_group", "other_services_group"]  # fmt: skip
    industries = ["cpa_a", "cpa_c", "cpa_f", "cpa_g_i", "cpa_business", "cpa_other"]
    body = raw[groups].set_axis(industries, axis=1).astype(float)
    fd = ["consumption_expenditure_household", "consumption_expenditure_government",
          "gross_capital_formation", "inventory_change", "export_goods_services"]  # fmt: skip
    rows = ["P7", "D21_M_D31", "D1", "D29_M_D39", "K1", "B2N_B3N", "EMP-WS", "EMP-FTE", "EMP"]
    return IOTable(
        flows=body.loc[industries].rename_axis(None),
        output=body.loc["P1"].rename("output"),
        value_added=body.loc["B1G"].rename("value_added"),
        final_demand=raw.loc[industries, fd].astype(float).rename_axis(None),
        primary=body.loc[rows].rename_axis(None),
        source="Eurostat Manual of Supply, Use and Input-Output Tables (2008), Germany 1995",
    )
