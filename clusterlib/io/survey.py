"""Reading a firm survey: a CSV or Parquet file in codebook form, or a questionnaire export.

The data contract itself (the YAML codebook and the checks built from it) is
:mod:`clusterlib.io.codebook`; its public names are re-exported here.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from clusterlib.io.codebook import (
    codebook,
    codebook_markdown,
    likert_scales,
    reverse_items,
    survey_from_frame,
    validate_survey,
)
from clusterlib.io.text import detect_encoding, read_delimited, read_parquet

__all__ = ["codebook", "codebook_markdown", "likert_scales", "read_survey", "reverse_items"]


def read_survey(
    path: str | Path | pd.DataFrame,
    *,
    source: str | None = None,
    sep: str | None = None,
    encoding: str = "utf-8",
    decimal: str = ".",
    mapping: str | Path | dict | None = None,
) -> pd.DataFrame:
    """Read and validate a firm survey against the codebook.

    A questionnaire as a survey tool exports it (its own column names and answer labels; CSV in
    any common encoding, XLSX, SPSS ``.sav``, Stata ``.dta``) is read through its ``mapping``
    file by :func:`clusterlib.io.questionnaire.import_questionnaire`; an XLSX, SAV or DTA file
    without a mapping must already use the codebook's names and codes.

    Parameters
    ----------
    path : str, Path or pandas.DataFrame
        A CSV (or Parquet) file with one row per firm and the codebook's columns, or a DataFrame
        already in memory. Extra columns are kept.
    source : str, optional
        Name used in error messages for a DataFrame (default ``"survey"``).
    sep : str, optional
        CSV separator; default: detected from the header among ``,``, ``;``, TAB and ``|``.
    encoding : str, default "utf-8"
        Text encoding of a CSV, e.g. ``"cp1250"`` (a UTF-8 byte-order mark is accepted);
        ``"auto"``: UTF-8 if the file decodes as such, else cp1250 or ISO-8859-2, told apart by
        their Polish letters.
    decimal : {".", ","}, default "."
        Decimal mark of shares such as ``export_share``.
    mapping : str, Path or dict, optional
        Mapping file of a questionnaire export (:mod:`clusterlib.io.questionnaire`).

    Returns
    -------
    pandas.DataFrame
        The survey, ``firm_id``, ``region`` and ``nace`` as strings and every other codebook
        variable as float (Likert items may be NaN for item non-response). Its
        ``attrs["synthetic"]`` is True when the file says it is synthetic (column ``synthetic``).

    Raises
    ------
    MissingFileError, EmptyDataError, EncodingError
        No file; no data rows; text not in ``encoding`` (the message suggests one).
    DataFormatError
        A required column is missing (the message says when the separator looks wrong).
    DataValueError
        A Likert value outside 1-5, a share outside [0, 1], a negative count, a fractional value of
        a whole-number variable (employees, age, 0/1 items, Likert items, counts), an infinite
        value, a missing or duplicate firm id, an unknown region or NACE code; each names row,
        line and field.
    """
    if mapping is not None or (
        not isinstance(path, pd.DataFrame)
        and Path(path).suffix.lower() in (".xlsx", ".sav", ".dta")
    ):
        from clusterlib.io.questionnaire import import_questionnaire

        return import_questionnaire(path, mapping=mapping)
    if isinstance(path, pd.DataFrame):
        return survey_from_frame(path, source=source or "survey", decimal=decimal)
    p = Path(path)
    if p.suffix == ".parquet":
        raw = read_parquet(p, what="survey")
    else:
        if encoding == "auto":
            encoding = detect_encoding(p)
        raw = read_delimited(p, sep=sep, encoding=encoding, what="survey")
    return validate_survey(raw, source=str(p), decimal=decimal, sep=sep, from_file=True)
