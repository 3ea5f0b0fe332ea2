"""Spreadsheet exports (CSV, XLSX) whose text cells can never run as formulas.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab, a carriage return or a line feed is
read by Excel, LibreOffice and Google Sheets as a formula ("CSV injection"). Every exporter of
clusterlib writes its tables through :func:`csv_text` or :func:`xlsx_export`, which prefix such
text with a single quote, as the OWASP guidance on CSV injection recommends. Numbers are never
touched, and text that is a plain number (``"-12.5"``) stays as it is: it cannot be a formula.
"""

from __future__ import annotations

import re

import pandas as pd

#: First characters that make a spreadsheet cell a formula (OWASP, CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def safe_cell(value: object) -> object:
    r"""Return ``value``, with a ``'`` in front if it is text a spreadsheet would run as a formula.

    A carriage return inside text becomes a line feed, which CSV writers quote (a bare CR is left
    unquoted and starts a new row, and so a new cell, in a spreadsheet).

    Examples
    --------
    >>> safe_cell('=HYPERLINK("http://x")'), safe_cell("-12.5"), safe_cell(-12.5)
    ('\'=HYPERLINK("http://x")', '-12.5', -12.5)
    """
    if not isinstance(value, str):
        return value
    if "\r" in value:  # a CSV writer with "\n" line ends leaves a CR unquoted: a new row in Excel
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    if value.startswith(FORMULA_START) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def _safe_index(index: pd.Index) -> pd.Index:
    names = [safe_cell(n) for n in index.names]
    if isinstance(index, pd.MultiIndex) and len(index):
        return pd.MultiIndex.from_tuples(
            [tuple(safe_cell(v) for v in t) for t in index], names=names
        )
    if isinstance(index, pd.MultiIndex):
        return index.set_names(names)
    if index.dtype == object or isinstance(index.dtype, pd.CategoricalDtype | pd.StringDtype):
        return pd.Index([safe_cell(v) for v in index], name=names[0], dtype=object)
    return index.rename(names[0])


def neutralise_formulas(df: pd.DataFrame | pd.Series) -> pd.DataFrame:
    """Return a copy of a table whose text cells, index and headers cannot act as formulas.

    Parameters
    ----------
    df : pandas.DataFrame or Series
        Any table; numeric columns are returned unchanged.

    Returns
    -------
    pandas.DataFrame
        The same shape and numbers; text starting with ``= + - @``, tab, CR or LF (and not a
        plain number) prefixed with ``'`` (OWASP, "CSV Injection").

    Examples
    --------
    >>> t = neutralise_formulas(pd.DataFrame({"name": ["=1+1", "ok"], "x": [-1, 2]}))
    >>> t["name"].tolist(), t["x"].tolist()
    (["'=1+1", 'ok'], [-1, 2])
    """
    frame = df.to_frame() if isinstance(df, pd.Series) else df.copy()
    for i in range(frame.shape[1]):
        s = frame.iloc[:, i]
        if s.dtype == object or isinstance(s.dtype, pd.CategoricalDtype | pd.StringDtype):
            frame.isetitem(i, s.astype(object).map(safe_cell))
    frame.index = _safe_index(frame.index)
    frame.columns = _safe_index(frame.columns)
    return frame


def csv_text(df: pd.DataFrame | pd.Series, **options) -> str:
    """Return a table as CSV text (line-feed line ends) that no spreadsheet runs as formulas.

    ``options`` go to :meth:`pandas.DataFrame.to_csv` (e.g. ``index=False``).
    """
    return neutralise_formulas(df).to_csv(lineterminator="\n", **options)


def xlsx_export(tables: dict, *, index: bool = True) -> bytes:
    """Return one XLSX workbook (a sheet per table, same bytes each run) with no formula cells."""
    from clusterlib.io.files import xlsx_bytes

    return xlsx_bytes({name: neutralise_formulas(df) for name, df in tables.items()}, index=index)


def csv_rows(rows) -> str:
    """Return rows of cells as CSV text (line-feed line ends) with :func:`safe_cell` applied."""
    import csv
    import io

    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
    return buf.getvalue()
