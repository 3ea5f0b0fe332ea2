"""Real questionnaires as they come: CSV, XLSX, SPSS and Stata files, mapped onto the codebook.

A strategy team exports its survey tool's answers with its own column names and answer labels;
a **mapping file** (:mod:`clusterlib.io.survey_mapping`) translates them onto the codebook.

:func:`check_questionnaire` lists **every** problem at once (row, column, value, what is wrong,
what to do); :func:`import_questionnaire` raises :class:`QuestionnaireError` with the same list, or
returns the survey, validated by :func:`~clusterlib.io.survey.read_survey`.

SPSS ``.sav`` files are read with pyreadstat and Stata ``.dta`` files with pandas, with their value
labels applied, so the mapping sees the labels the interviewers saw.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from clusterlib.errors import DataFormatError, DataValueError, MissingFileError
from clusterlib.io.codebook import codebook, survey_from_frame
from clusterlib.io.survey_mapping import SurveyMapping, load_mapping, normalise_label
from clusterlib.io.text import detect_encoding, read_delimited
from clusterlib.io.workbook import read_workbook, sheet_hint

__all__ = [
    "QuestionnaireError",
    "SurveyMapping",
    "check_questionnaire",
    "import_questionnaire",
    "load_mapping",
    "read_answers",
]

FORMATS = {".csv": "CSV", ".txt": "CSV", ".tsv": "CSV", ".xlsx": "XLSX", ".sav": "SPSS",
           ".dta": "Stata"}  # fmt: skip


class QuestionnaireError(DataValueError):
    """A questionnaire has problems; ``problems`` is the table of all of them."""

    def __init__(self, message: str, problems: pd.DataFrame):
        super().__init__(message)
        self.problems = problems


def read_answers(
    path: str | Path,
    *,
    encoding: str | None = None,
    sep: str | None = None,
    sheet: str | int = 0,
) -> pd.DataFrame:
    """Read a questionnaire export as it is: CSV (any common encoding), XLSX, SPSS or Stata.

    Parameters
    ----------
    path : str or Path
        ``.csv``/``.txt``/``.tsv``, ``.xlsx``, ``.sav`` or ``.dta``.
    encoding : str, optional
        Of a CSV; default: UTF-8 (with or without BOM), else the likely Polish 8-bit encoding
        (cp1250 or ISO-8859-2, told apart by their letters), recorded in ``attrs["encoding"]``.
    sep : str, optional
        CSV separator; default detected.
    sheet : str or int
        XLSX sheet.

    Returns
    -------
    pandas.DataFrame
        One row per interview, cells as read (value labels applied for SPSS and Stata); CSV
        cells are text.
    """
    p = Path(path)
    if not p.exists():
        raise MissingFileError(f"{p}: no such questionnaire file.")
    kind = FORMATS.get(p.suffix.lower())
    if kind is None:
        raise DataFormatError(
            f"{p}: unknown questionnaire format {p.suffix!r}; expected one of {sorted(FORMATS)}."
        )
    if kind == "CSV":
        if encoding is None:
            encoding = detect_encoding(p)
        out = read_delimited(p, sep=sep, encoding=encoding, what="questionnaire")
        out.attrs["encoding"] = encoding
    elif kind == "XLSX":
        out = read_workbook(p, sheet=sheet, what="questionnaire")
        out.columns = [str(c).strip() for c in out.columns]
    elif kind == "SPSS":
        import pyreadstat

        out, _ = pyreadstat.read_sav(str(p), apply_value_formats=True)
    else:
        out = pd.read_stata(p, convert_categoricals=True)
        out = out.astype(
            {c: object for c in out.columns if isinstance(out[c].dtype, pd.CategoricalDtype)}
        )
    if out.empty:
        raise DataFormatError(f"{p}: the questionnaire has no rows.")
    out.attrs["format"] = kind
    return out


def _blank(values: pd.Series) -> pd.Series:
    return values.isna() | values.astype(str).str.strip().isin(["", "nan", "NaN", "None", "<NA>"])


def _normed(values: pd.Series) -> pd.Series:
    """:func:`~clusterlib.io.survey_mapping.normalise_label` of every cell, computed once per distinct answer (surveys repeat answers)."""
    codes, uniques = pd.factorize(values.astype(str))
    table = np.array([normalise_label(u) for u in uniques] + [""], dtype=object)
    return pd.Series(table[codes], index=values.index)


def _map_answers(values: pd.Series, table: dict[str, float], no_answer: tuple[str, ...]):
    """Return (codes, unmapped mask) for one column mapped through an answer set."""
    normed = _normed(values)
    codes = normed.map(table)
    # a number is taken as a code; one outside the set is then reported as outside the scale
    rest = codes.isna()
    if rest.any():
        text = values[rest].astype(str).str.strip().str.replace(",", ".", regex=False)
        codes[rest] = pd.to_numeric(text, errors="coerce")
    empty = _blank(values) | normed.isin(no_answer)
    return codes.where(~empty), codes.isna() & ~empty


def check_questionnaire(
    path: str | Path | pd.DataFrame,
    *,
    mapping: str | Path | Mapping | SurveyMapping | None = None,
    **read_options,
) -> pd.DataFrame:
    """List every problem of a questionnaire under a mapping, each with row and column.

    Parameters
    ----------
    path : str, Path or pandas.DataFrame
        The questionnaire (see :func:`read_answers`) or its answers already read.
    mapping : str, Path, mapping or SurveyMapping, optional
        The mapping file (:func:`load_mapping`); None: the file already uses codebook names and
        codes.
    **read_options
        ``encoding``, ``sep``, ``sheet``: override the mapping's ``read`` section.

    Returns
    -------
    pandas.DataFrame
        One row per problem: ``row`` (1 = first interview; the file's line is row + 1 for a CSV),
        ``column`` (the questionnaire's name, and the codebook's), ``value``, ``problem``,
        ``fix``. Empty when the file can be imported.
    """
    answers, mapped, problems, _ = _convert(path, mapping, read_options)
    return problems


def _convert(path, mapping, read_options):
    m = mapping if isinstance(mapping, SurveyMapping) else load_mapping(mapping)
    if isinstance(path, pd.DataFrame):
        answers, src = path.copy(), "questionnaire"
    else:
        opts = {
            **{k: v for k, v in m.read.items() if k in ("encoding", "sep", "sheet")},
            **read_options,
        }
        answers, src = read_answers(path, **opts), str(path)
    cb = codebook()
    back = {c: q for q, c in m.columns.items()}
    rows: list[dict] = []

    def problem(i, column, value, what, fix):
        label = back.get(column, column)
        name = label if label == column else f"{label} ({column})"
        rows.append(
            {"row": int(i) + 1, "column": name, "value": value, "problem": what, "fix": fix}
        )

    missing_q = [q for q in m.columns if q not in answers.columns]
    hint = sheet_hint(answers.attrs)
    for q in missing_q:
        rows.append({"row": 0, "column": q, "value": "", "problem": "column not in the file",
                     "fix": f"check the spelling in {m.source} (columns: {list(answers.columns)[:8]}...){hint}"})  # fmt: skip
    df = pd.DataFrame(index=answers.index)
    for q, c in m.columns.items():
        if q in answers.columns:
            df[c] = answers[q]
    for c in cb.index:  # columns already named as in the codebook
        if c not in df.columns and c in answers.columns and c not in back:
            df[c] = answers[c]
    for c, v in m.constants.items():
        df[c] = v
    for c in cb.index:
        if c not in df.columns and not missing_q:
            rows.append({"row": 0, "column": c, "value": "", "problem": "codebook column missing",
                         "fix": f"map a questionnaire column to {c!r} in 'columns' or give it in 'constants'{hint}"})  # fmt: skip
    decimal = m.read.get("decimal", ".")
    for c in [c for c in cb.index if c in df.columns]:
        df[c] = _code_column(df[c], c, cb.loc[c], m, decimal, problem)
    problems = pd.DataFrame(rows, columns=["row", "column", "value", "problem", "fix"])
    problems = problems.sort_values("row", kind="stable").reset_index(drop=True)
    return answers, df, problems, src


def _code_column(values: pd.Series, c: str, entry: pd.Series, m: SurveyMapping, decimal: str,
                 problem) -> pd.Series:  # fmt: skip
    """Return one codebook column's values coded, reporting each bad cell through ``problem``."""
    kind = entry["kind"]
    if kind in ("id", "region", "nace"):
        text = values.astype(str).str.strip()
        text[_blank(values)] = ""
        if kind == "id":
            for i in np.flatnonzero(text.to_numpy() == ""):
                problem(i, c, "", "missing firm id", "give every interview a unique id")
            dup = text.duplicated(keep=False) & (text != "")
            for i in np.flatnonzero(dup.to_numpy()):
                problem(i, c, text.iloc[i], "duplicate firm id",
                        "each firm once: remove the repeated interview or fix the id")  # fmt: skip
        return text
    if c in m.apply:
        table = m.answers[m.apply[c]]
        codes, bad = _map_answers(values, table, m.no_answer)
        for i in np.flatnonzero(bad.to_numpy()):
            problem(i, c, str(values.iloc[i]), f"answer not in the answer set {m.apply[c]!r}",
                    f"add it to answers.{m.apply[c]} in {m.source} (known: {', '.join(m.labels.get(m.apply[c], list(table))[:6])})")  # fmt: skip
    else:
        text = values.astype(str).str.strip()
        if decimal == ",":
            text = text.str.replace(",", ".", regex=False)
        codes = pd.to_numeric(text.where(~_blank(values)), errors="coerce")
        bad = codes.isna() & ~_blank(values)
        for i in np.flatnonzero(bad.to_numpy()):
            problem(i, c, str(values.iloc[i]), "not a number",
                    f"map its labels with an answer set in {m.source}, or fix the cell")  # fmt: skip
    codes = codes.astype(float)
    if kind != "likert":  # only Likert items may be left without an answer
        for i in np.flatnonzero((codes.isna() & ~bad).to_numpy()):
            problem(i, c, "", "no answer", f"{c} needs an answer for every firm")
    lo, hi = _range(entry)
    out = codes.notna() & ((codes < lo) | (codes > hi) | ((codes % 1 != 0) & (kind != "share")))
    for i in np.flatnonzero(out.to_numpy()):
        problem(i, c, f"{codes.iloc[i]:g}", f"outside the scale {lo:g}-{hi:g}" + (
            " or not a whole number" if kind != "share" else ""),
            "fix the cell or the answer set's codes")  # fmt: skip
    return codes


def _range(entry: pd.Series) -> tuple[float, float]:
    kind = entry["kind"]
    if kind in ("binary",):
        return 0.0, 1.0
    if kind == "likert":
        return 1.0, 5.0
    if kind == "share":
        return 0.0, 1.0
    if kind == "count":
        return 0.0, np.inf
    lo = entry.get("min")
    hi = entry.get("max")
    return (float(lo) if pd.notna(lo) else -np.inf, float(hi) if pd.notna(hi) else np.inf)


def import_questionnaire(
    path: str | Path | pd.DataFrame,
    *,
    mapping: str | Path | Mapping | SurveyMapping | None = None,
    synthetic: bool = False,
    **read_options,
) -> pd.DataFrame:
    """Read a questionnaire, apply the mapping and return the survey in codebook form.

    Parameters
    ----------
    path, mapping, **read_options
        As :func:`check_questionnaire`.
    synthetic : bool
        Mark the result as synthetic (also when the mapping says ``synthetic: true``, as the
        bundled example's does).

    Returns
    -------
    pandas.DataFrame
        The survey as :func:`~clusterlib.io.survey.read_survey` returns it; ``attrs`` record the
        source file, its format and encoding.

    Raises
    ------
    QuestionnaireError
        Listing every problem (row, column, value, what to do); ``.problems`` holds the table.
    """
    m = mapping if isinstance(mapping, SurveyMapping) else load_mapping(mapping)
    answers, df, problems, src = _convert(path, m, read_options)
    if len(problems):
        shown = "\n".join(
            f"  row {r.row}, column {r.column!r}: {r.problem}"
            + (f" (found {r.value!r})" if r.value != "" else "") + f"; {r.fix}."
            for r in problems.head(25).itertuples()
        )  # fmt: skip
        more = f"\n  ... and {len(problems) - 25} more" if len(problems) > 25 else ""
        raise QuestionnaireError(
            f"{src}: {len(problems)} problem(s) under the mapping; nothing was imported. Run "
            f"`clusterlib survey check {src} --mapping MAPPING` for the full list.\n{shown}{more}",
            problems,
        )
    if synthetic or m.synthetic:
        df["synthetic"] = 1
    out = survey_from_frame(df, source=src)
    out.attrs.update(format=answers.attrs.get("format", "DataFrame"),
                     encoding=answers.attrs.get("encoding", ""), source=src)  # fmt: skip
    return out
