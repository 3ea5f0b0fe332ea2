"""Expert scoring of proposed actions: experts x actions x criteria on a 1-5 scale, Delphi rounds.

The format is documented in ``data/evidence/FORMAT.md``: a CSV (UTF-8 or cp1250) or XLSX sheet,
one row per score, with the columns ``round`` (optional, default 1), ``expert``, ``action``,
``criterion`` (:data:`CRITERIA`: importance, feasibility, urgency, or their Polish names), ``score``
(a whole number 1-5), and optional ``note`` and ``synthetic``. A score an expert did not give is a
row left out, never an empty cell.

:func:`check_expert_scores` lists every problem with its row and column;
:func:`read_expert_scores` raises :class:`~clusterlib.io.evidence.EvidenceError` with the same
list, or returns the scores.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from clusterlib.io.evidence import YES_NO, EvidenceError
from clusterlib.io.sheets import (
    blank_to_none,
    check_sheet,
    lookup,
    problem_table,
    problems_message,
)

__all__ = ["CRITERIA", "SCALE", "check_expert_scores", "read_expert_scores"]

#: The criteria every action is scored on, with their accepted spellings.
CRITERIA: dict[str, tuple[str, ...]] = {
    "importance": ("ważność", "istotność", "znaczenie"),
    "feasibility": ("wykonalność", "realność"),
    "urgency": ("pilność",),
}
#: The scale of every score.
SCALE = (1, 5)
COLUMNS: dict[str, tuple[str, ...]] = {
    "round": ("Delphi round", "runda"),
    "expert": ("ekspert",),
    "action": ("działanie",),
    "criterion": ("kryterium",),
    "score": ("ocena",),
    "note": ("notes", "uwagi"),
    "synthetic": ("syntetyczne", "syntetyczny"),
}
REQUIRED = ("expert", "action", "criterion", "score")
KEY = ["round", "expert", "action", "criterion"]
_CMD = "clusterlib evidence check-scores"


def _whole(text: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Return (numbers, not a number, not whole) of cells; a decimal comma is read as a point."""
    numbers = pd.to_numeric(text.str.replace(",", ".", regex=False), errors="coerce")
    numbers = numbers.where(np.isfinite(numbers))
    nan = numbers.isna() & (text != "")
    return numbers, nan, numbers.notna() & (numbers % 1 != 0)


def _convert(path, read_options):
    sheet = check_sheet(path, what="expert scoring file", name="scores", columns=COLUMNS, required=REQUIRED,
                        read_options=read_options)  # fmt: skip
    cells, src, found, rows, text = sheet.cells, sheet.source, sheet.found, sheet.rows, sheet.text
    problem = sheet.problem
    out = pd.DataFrame(index=cells.index)
    rounds, nan, frac = _whole(text["round"].replace("", "1"))
    if "round" in found:
        problem(nan | frac | (rounds < 1), "round", "not a round number",
                "number the Delphi rounds 1, 2, ...")  # fmt: skip
    out["round"] = rounds
    for column in ("expert", "action"):
        if column in found:
            problem(text[column] == "", column, f"missing {column}",
                    f"name the {column} of every score")  # fmt: skip
        out[column] = text[column]
    out["criterion"] = lookup(text["criterion"], CRITERIA)
    if "criterion" in found:
        problem(out["criterion"].isna(), "criterion", "unknown criterion",
                f"use one of {', '.join(CRITERIA)} (or ważność, wykonalność, pilność)")  # fmt: skip
    scores, nan, frac = _whole(text["score"])
    if "score" in found:
        lo, hi = SCALE
        problem(text["score"] == "", "score", "missing score",
                "give a score, or delete the row if the expert did not score this action")  # fmt: skip
        problem(nan, "score", "not a number", f"give a whole number {lo}-{hi}")
        problem(frac, "score", "not a whole number", f"give a whole number {lo}-{hi}")
        problem((scores < lo) | (scores > hi), "score", f"outside the scale {lo}-{hi}",
                f"give a whole number {lo}-{hi}")  # fmt: skip
    out["score"] = scores
    complete = out[KEY].notna().all(axis=1) & (out["expert"] != "") & (out["action"] != "")
    twice = out[KEY].duplicated(keep=False) & complete
    if "score" in found:
        problem(twice, "score", "a second score for the same round, expert, action and "
                "criterion", "keep one of the rows")  # fmt: skip
    out["note"] = blank_to_none(text["note"])
    synthetic = lookup(text["synthetic"], YES_NO)
    if "synthetic" in found:
        problem(synthetic.isna() & (text["synthetic"] != ""), "synthetic", "not yes or no",
                "write tak/nie or yes/no (empty: no)")  # fmt: skip
    out.attrs["synthetic"] = bool((synthetic == "yes").any())
    return cells, out, problem_table(rows), src


def check_expert_scores(path: str | Path | pd.DataFrame, **read_options) -> pd.DataFrame:
    """List every problem of an expert scoring file, each with its row and column.

    Parameters
    ----------
    path : str, Path or pandas.DataFrame
        The scoring file (``.csv`` or ``.xlsx``, see ``data/evidence/FORMAT.md``), or its cells.
    **read_options
        ``encoding``, ``sep``, ``sheet``, as for :func:`~clusterlib.io.sheets.read_sheet`.

    Returns
    -------
    pandas.DataFrame
        One row per problem: ``row`` (1 = first score; 0 = the header), ``column``, ``value``,
        ``problem``, ``fix``: a score outside 1-5 or not a whole number, an unknown criterion,
        the same round, expert, action and criterion twice, a missing expert or action.

    Examples
    --------
    >>> cells = pd.DataFrame({"expert": ["E1", "E1", "E2"], "action": ["A", "A", "A"],
    ...     "kryterium": ["ważność", "importance", "cost"], "score": ["5", "4", "6"]})
    >>> check_expert_scores(cells)[["row", "column", "problem"]]
       row     column                                            problem
    0    1      score  a second score for the same round, expert, act...
    1    2      score  a second score for the same round, expert, act...
    2    3  kryterium                                  unknown criterion
    3    3      score                              outside the scale 1-5
    """
    return _convert(path, read_options)[2]


def read_expert_scores(path: str | Path | pd.DataFrame, **read_options) -> pd.DataFrame:
    """Read an expert scoring file: one row per round, expert, action and criterion.

    Parameters
    ----------
    path, **read_options
        As :func:`check_expert_scores`.

    Returns
    -------
    pandas.DataFrame
        Columns ``round`` (int), ``expert``, ``action``, ``criterion`` (:data:`CRITERIA`),
        ``score`` (int, 1-5), ``note``. ``attrs``: ``source``, ``format``, ``encoding``,
        ``synthetic``.

    Raises
    ------
    EvidenceError
        Listing every problem; ``.problems`` holds the table.

    Examples
    --------
    >>> cells = pd.DataFrame({"runda": ["1", "1"], "ekspert": ["E1", "E1"],
    ...     "działanie": ["A", "B"], "kryterium": ["pilność", "Ważność"], "ocena": ["4", "5"]})
    >>> read_expert_scores(cells)
       round expert action   criterion  score  note
    0      1     E1      A     urgency      4  None
    1      1     E1      B  importance      5  None
    """
    cells, out, problems, src = _convert(path, read_options)
    if len(problems):
        raise EvidenceError(problems_message(problems, source=src, command=f"{_CMD} {src}"),
                            problems)  # fmt: skip
    out = out.astype({"round": "int64", "score": "int64"})
    out.attrs.update(source=src, format=cells.attrs.get("format", "DataFrame"),
                     encoding=cells.attrs.get("encoding", ""))  # fmt: skip
    return out
