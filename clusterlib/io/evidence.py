"""The evidence register: what was said in workshops, interviews and by experts, one row a statement.

The format is documented in ``data/evidence/FORMAT.md``: a CSV (UTF-8 or cp1250, separator
detected) or XLSX sheet with the columns ``id``, ``date``, ``source_type``, ``institution``,
``stakeholder``, ``factor``, ``statement``, ``quadrant``, ``indicator``, ``note`` and
``synthetic`` (Polish headers are accepted too). The controlled columns take the values of
:data:`SOURCE_TYPES`, :data:`INSTITUTIONS`, :data:`FACTORS` and :data:`QUADRANTS`, in English or
Polish; case, diacritics, blanks, hyphens and underscores do not count (``Słabe strony`` =
``slabe_strony`` = ``weakness``).

:func:`check_evidence` lists every problem (row, column, value, what is wrong, what to do);
:func:`read_evidence` raises :class:`EvidenceError` with the same list, or returns the register
with the controlled values in their English form.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from clusterlib.errors import DataValueError
from clusterlib.io.sheets import (
    blank_to_none,
    check_sheet,
    lookup,
    problem_table,
    problems_message,
)

__all__ = [
    "COLUMNS",
    "FACTORS",
    "INSTITUTIONS",
    "QUADRANTS",
    "SOURCE_TYPES",
    "EvidenceError",
    "check_evidence",
    "read_evidence",
]

#: Where a statement comes from, with the spellings accepted for each value.
SOURCE_TYPES: dict[str, tuple[str, ...]] = {
    "workshop": ("workshops", "warsztat", "warsztaty", "spotkanie warsztatowe"),
    "firm_interview": ("interview with a firm", "enterprise interview", "wywiad z firmą",
                       "wywiad z przedsiębiorstwem", "wywiad w przedsiębiorstwie"),
    "institution_interview": ("interview with an institution", "wywiad z instytucją"),
    "expert": ("experts", "expert opinion", "ekspert", "eksperci", "opinia eksperta"),
}  # fmt: skip
#: The kind of institution of an ``institution_interview`` (a university counts as research).
INSTITUTIONS: dict[str, tuple[str, ...]] = {
    "business_support": ("business-support institution", "BSI", "IOB", "otoczenie biznesu",
                         "instytucja otoczenia biznesu"),
    "research": ("research institution", "university", "nauka", "jednostka naukowa",
                 "instytut badawczy", "uczelnia"),
    "education": ("school", "vocational school", "edukacja", "szkoła", "szkoła zawodowa",
                  "instytucja edukacyjna"),
}  # fmt: skip
#: The key factors of the cluster's development that a statement speaks to.
FACTORS: dict[str, tuple[str, ...]] = {
    "innovation": ("innowacje", "innowacyjność"),
    "supplier_customer_links": ("supplier and customer links", "powiązania z dostawcami i "
                                "odbiorcami", "powiązania kooperacyjne", "dostawcy i odbiorcy"),
    "institution_cooperation": ("cooperation with research and business-support institutions",
                                "współpraca z nauką i IOB", "współpraca z instytucjami"),
    "internationalisation": ("internationalization", "umiędzynarodowienie",
                             "internacjonalizacja"),
    "skills": ("kompetencje", "kadry", "umiejętności", "kapitał ludzki"),
    "other": ("inne", "inny"),
}  # fmt: skip
#: The SWOT quadrants (the letters S, W, O, T too).
QUADRANTS: dict[str, tuple[str, ...]] = {
    "strength": ("S", "strengths", "mocna strona", "mocne strony"),
    "weakness": ("W", "weaknesses", "słaba strona", "słabe strony"),
    "opportunity": ("O", "opportunities", "szansa", "szanse"),
    "threat": ("T", "threats", "zagrożenie", "zagrożenia"),
}
#: The register's columns and their other accepted header spellings.
COLUMNS: dict[str, tuple[str, ...]] = {
    "id": ("nr", "identyfikator"),
    "date": ("data",),
    "source_type": ("source", "źródło", "rodzaj źródła"),
    "institution": ("instytucja", "rodzaj instytucji"),
    "stakeholder": ("stakeholder group", "grupa interesariuszy", "interesariusz", "rozmówca"),
    "factor": ("key factor", "czynnik", "czynnik kluczowy"),
    "statement": ("wypowiedź", "stwierdzenie"),
    "quadrant": ("SWOT", "ćwiartka SWOT", "kategoria SWOT"),
    "indicator": ("metric", "wskaźnik"),
    "note": ("notes", "uwagi"),
    "synthetic": ("syntetyczne", "syntetyczny"),
}
REQUIRED = ("id", "date", "source_type", "factor", "statement", "quadrant")
_VOCABULARIES = {
    "source_type": SOURCE_TYPES,
    "institution": INSTITUTIONS,
    "factor": FACTORS,
    "quadrant": QUADRANTS,
}
YES_NO: dict[str, tuple[str, ...]] = {"yes": ("tak", "true", "1"), "no": ("nie", "false", "0")}
_DATE_FORMATS = {r"\d{4}-\d{2}-\d{2}": "%Y-%m-%d", r"\d{1,2}\.\d{1,2}\.\d{4}": "%d.%m.%Y"}
_INDICATOR = r"[A-Za-z0-9_.\-]+"
_CMD = "clusterlib evidence check"


class EvidenceError(DataValueError):
    """A register (or scoring file) has problems; ``problems`` is the table of all of them."""

    def __init__(self, message: str, problems: pd.DataFrame):
        super().__init__(message)
        self.problems = problems


def parse_dates(text: pd.Series) -> pd.Series:
    """Dates written ``YYYY-MM-DD`` or ``DD.MM.YYYY`` (Polish usage); NaT for anything else."""
    out = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    for pattern, fmt in _DATE_FORMATS.items():
        hit = text.str.fullmatch(pattern)
        out[hit] = pd.to_datetime(text[hit], format=fmt, errors="coerce")
    return out


def _allowed(vocabulary: dict[str, tuple[str, ...]]) -> str:
    return ", ".join(vocabulary) + " (or their Polish names, see data/evidence/FORMAT.md)"


def _convert(path, read_options) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, str]:
    """Return (cells as read, register, problems, source)."""
    sheet = check_sheet(path, what="evidence register", name="register", columns=COLUMNS, required=REQUIRED,
                        read_options=read_options)  # fmt: skip
    cells, src, found, rows, text = sheet.cells, sheet.source, sheet.found, sheet.rows, sheet.text
    problem = sheet.problem
    out = pd.DataFrame(index=cells.index)
    if "id" in found:
        ids = text["id"]
        problem(ids == "", "id", "missing id", "give every statement an id")
        problem(ids.duplicated(keep=False) & (ids != ""), "id", "duplicate id",
                "give each statement its own id")  # fmt: skip
    out["id"] = text["id"]
    out["date"] = parse_dates(text["date"])
    if "date" in found:
        problem(out["date"].isna(), "date", "not a date",
                "write the date as YYYY-MM-DD (or DD.MM.YYYY)")  # fmt: skip
    for column, vocabulary in _VOCABULARIES.items():
        values = lookup(text[column], vocabulary)
        if column in found:
            given = text[column] != ""
            unknown = values.isna() & given
            problem(unknown, column, f"unknown {column.replace('_', ' ')}",
                    f"use one of {_allowed(vocabulary)}")  # fmt: skip
            if column in REQUIRED:
                problem(~given, column, f"missing {column.replace('_', ' ')}",
                        f"give one of {_allowed(vocabulary)}")  # fmt: skip
        out[column] = values
    interview = out["source_type"] == "institution_interview"
    if "source_type" in found:
        wants = interview & (text["institution"] == "")
        if "institution" in found:
            problem(wants, "institution", "missing institution",
                    f"an institution interview needs the kind: {_allowed(INSTITUTIONS)}")  # fmt: skip
            problem(out["source_type"].notna() & ~interview & (text["institution"] != ""),
                    "institution", "an institution kind on a statement that is not an "
                    "institution interview", "clear the cell or fix the source type")  # fmt: skip
        elif wants.any():
            rows.append({"row": 0, "column": "institution", "value": "",
                         "problem": "required column missing (there are institution interviews)",
                         "fix": f"add an 'institution' column: {_allowed(INSTITUTIONS)}"})  # fmt: skip
    if "statement" in found:
        problem(text["statement"] == "", "statement", "missing statement",
                "write what was said (or remove the row)")  # fmt: skip
    if "indicator" in found:
        ind = text["indicator"]
        problem((ind != "") & ~ind.str.fullmatch(_INDICATOR), "indicator",
                "not an indicator id", "write the metric's id without blanks, e.g. "
                "specialisation.lq or innovation.rates.coop_suppliers")  # fmt: skip
    synthetic = lookup(text["synthetic"], YES_NO)
    if "synthetic" in found:
        problem(synthetic.isna() & (text["synthetic"] != ""), "synthetic", "not yes or no",
                "write tak/nie or yes/no (empty: no)")  # fmt: skip
    for column in ("stakeholder", "statement", "indicator", "note"):
        out[column] = blank_to_none(text[column])
    out.attrs["synthetic"] = bool((synthetic == "yes").any())
    order = ["id", "date", "source_type", "institution", "stakeholder", "factor", "statement",
             "quadrant", "indicator", "note"]  # fmt: skip
    return cells, out[order], problem_table(rows), src


def check_evidence(path: str | Path | pd.DataFrame, **read_options) -> pd.DataFrame:
    """List every problem of an evidence register, each with its row and column.

    Parameters
    ----------
    path : str, Path or pandas.DataFrame
        The register (``.csv`` or ``.xlsx``, see ``data/evidence/FORMAT.md``), or its cells.
    **read_options
        ``encoding`` (default: UTF-8, else the likely Polish 8-bit one), ``sep``, ``sheet``.

    Returns
    -------
    pandas.DataFrame
        One row per problem: ``row`` (1 = first statement; 0 = the header; a CSV's line is
        row + 1), ``column`` (as the file names it), ``value``, ``problem``, ``fix``. Empty when
        the register can be read.

    Examples
    --------
    >>> cells = pd.DataFrame({"id": ["W1", "W1"], "date": ["2026-03-12", "12.03.2026"],
    ...     "source_type": ["warsztaty", "forum"], "factor": ["kadry", "skills"],
    ...     "statement": ["Brakuje spawaczy.", "Brakuje frezerów."], "quadrant": ["W", "W"]})
    >>> check_evidence(cells)[["row", "column", "problem"]]
       row       column              problem
    0    1           id         duplicate id
    1    2           id         duplicate id
    2    2  source_type  unknown source type
    """
    return _convert(path, read_options)[2]


def read_evidence(path: str | Path | pd.DataFrame, **read_options) -> pd.DataFrame:
    """Read an evidence register: one row per statement, controlled values in English.

    Parameters
    ----------
    path, **read_options
        As :func:`check_evidence`.

    Returns
    -------
    pandas.DataFrame
        Columns ``id``, ``date`` (datetime64), ``source_type`` (:data:`SOURCE_TYPES`),
        ``institution`` (:data:`INSTITUTIONS`, institution interviews only), ``stakeholder``,
        ``factor`` (:data:`FACTORS`), ``statement``, ``quadrant`` (:data:`QUADRANTS`),
        ``indicator``, ``note``; an optional cell left empty is None. ``attrs``: ``source``,
        ``format``, ``encoding``, ``synthetic`` (True when any row says so).

    Raises
    ------
    EvidenceError
        Listing every problem (row, column, value, what to do), ``.problems`` holding the table;
        for example an unknown factor names the allowed values.

    Examples
    --------
    >>> cells = pd.DataFrame({"id": ["W1"], "data": ["12.03.2026"], "źródło": ["warsztaty"],
    ...     "czynnik": ["kadry"], "wypowiedź": ["Brakuje spawaczy."], "SWOT": ["słabe strony"]})
    >>> read_evidence(cells)[["id", "date", "source_type", "factor", "quadrant"]]
       id       date source_type  factor  quadrant
    0  W1 2026-03-12    workshop  skills  weakness
    """
    cells, out, problems, src = _convert(path, read_options)
    if len(problems):
        raise EvidenceError(problems_message(problems, source=src, command=f"{_CMD} {src}"),
                            problems)  # fmt: skip
    out.attrs.update(source=src, format=cells.attrs.get("format", "DataFrame"),
                     encoding=cells.attrs.get("encoding", ""))  # fmt: skip
    return out
