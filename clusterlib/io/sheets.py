"""Small hand-kept tables (CSV or XLSX) read as text, and the problem lists their checks return.

The evidence register and the expert scoring file are typed by hand in a spreadsheet, so they come
as an XLSX workbook or a CSV export in UTF-8 or cp1250. :func:`read_sheet` reads either into a
table of text cells (the encoding and separator handling is :mod:`clusterlib.io.text`'s); the
checks of each format then list every problem with :func:`problem_table`, and the readers refuse
a file with problems by :func:`problems_message`.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from clusterlib.errors import DataFormatError, EmptyDataError, MissingFileError
from clusterlib.io.text import detect_encoding, read_delimited
from clusterlib.io.workbook import read_workbook

__all__ = [
    "PROBLEM_COLUMNS",
    "SheetCheck",
    "blank_to_none",
    "cell_text",
    "check_sheet",
    "lookup",
    "match_columns",
    "norm_key",
    "problem_table",
    "problems_message",
    "read_sheet",
]

#: Columns of every problem table: row (1 = first data row; 0 = the header), column, value, ...
PROBLEM_COLUMNS = ["row", "column", "value", "problem", "fix"]
_TEXT = {".csv", ".txt", ".tsv"}


def norm_key(text: object) -> str:
    """Fold a spelling for matching: case, diacritics, blanks, ``-`` and ``_`` do not count.

    >>> norm_key("  Słabe  strony ") == norm_key("slabe_strony")
    True
    """
    s = unicodedata.normalize("NFKD", str(text).casefold().replace("ł", "l"))
    s = "".join(c for c in s if not unicodedata.combining(c))
    return re.sub(r"[\s_\-]+", "_", s).strip("_")


def cell_text(value: object) -> str:
    """Return one cell as stripped text: empty for None/NaN, a date as YYYY-MM-DD, 4.0 as 4."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, dt.datetime | dt.date | pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_sheet(
    path: str | Path,
    *,
    what: str,
    encoding: str | None = None,
    sep: str | None = None,
    sheet: str | int = 0,
) -> pd.DataFrame:
    """Read a CSV (any usual encoding, separator detected) or an XLSX sheet as text cells.

    Parameters
    ----------
    path : str or Path
        ``.csv``/``.txt``/``.tsv`` or ``.xlsx``.
    what : str
        What the file is, for messages (``"evidence register"``).
    encoding : str, optional
        Of a CSV; default UTF-8 if it decodes, else the likely Polish 8-bit encoding (cp1250 or
        ISO-8859-2), recorded in ``attrs["encoding"]``.
    sep : str, optional
        CSV separator; default detected among ``, ; TAB |``.
    sheet : str or int
        XLSX sheet.

    Returns
    -------
    pandas.DataFrame
        Every cell as stripped text (``""`` when empty; an XLSX date as ``YYYY-MM-DD``, a whole
        number without ``.0``); ``attrs``: ``format``, ``encoding``.
    """
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix not in _TEXT | {".xlsx"}:
        raise DataFormatError(
            f"{p}: unknown {what} format {p.suffix!r}; expected .csv (UTF-8 or cp1250) or .xlsx."
        )
    if not p.is_file():
        what_is = "a folder" if p.is_dir() else "no such file"
        article = "an" if what[:1] in "aeiou" else "a"
        raise MissingFileError(f"{p}: {what_is} (expected {article} {what}). Check the path.")
    if suffix in _TEXT:
        encoding = encoding or detect_encoding(p)
        out = read_delimited(p, sep=sep, encoding=encoding, what=what)
        out.attrs.update(format="CSV", encoding=encoding)
        return out
    raw = read_workbook(p, sheet=sheet, what=what)
    if raw.empty:
        raise EmptyDataError(f"{p}: the {what} holds no rows.")
    out = raw.map(cell_text)
    out.columns = [str(c).strip() for c in raw.columns]
    out.attrs.update(format="XLSX", encoding="")
    return out


def problem_table(rows: list[dict]) -> pd.DataFrame:
    """Return the problems as a table of :data:`PROBLEM_COLUMNS`, the header's first."""
    out = pd.DataFrame(rows, columns=PROBLEM_COLUMNS)
    return out.sort_values("row", kind="stable").reset_index(drop=True)


def problems_message(problems: pd.DataFrame, *, source: str, command: str, limit: int = 25) -> str:
    """Return one message listing the first ``limit`` problems, for the error a reader raises."""
    shown = "\n".join(
        f"  row {r.row}, column {r.column!r}: {r.problem}"
        + (f" (found {r.value!r})" if r.value != "" else "")
        + f"; {r.fix}."
        for r in problems.head(limit).itertuples()
    )
    more = f"\n  ... and {len(problems) - limit} more" if len(problems) > limit else ""
    return (
        f"{source}: {len(problems)} problem(s); nothing was read. Run `{command}` for the full "
        f"list.\n{shown}{more}"
    )


def lookup(values: pd.Series, vocabulary: dict[str, tuple[str, ...]]) -> pd.Series:
    """Map spellings onto a vocabulary's values (:func:`norm_key` equal); None where none does.

    ``vocabulary`` maps each value to its accepted spellings (the value itself is always one).

    >>> lookup(pd.Series(["Mocne strony", "S", "x"]), {"strength": ("mocne strony", "s")}).tolist()
    ['strength', 'strength', None]
    """
    table = {norm_key(v): k for k, spellings in vocabulary.items() for v in (k, *spellings)}
    codes, uniques = pd.factorize(values.astype(str))
    found = pd.Series([table.get(norm_key(u)) for u in uniques], dtype=object)
    return pd.Series(found.to_numpy()[codes] if len(uniques) else [], index=values.index,
                     dtype=object)  # fmt: skip


def match_columns(
    names: list[str], columns: dict[str, tuple[str, ...]], *, required: tuple[str, ...], source: str
) -> tuple[dict[str, str], list[dict]]:
    """Match a file's header to a format's columns, accepting each column's other spellings.

    Returns
    -------
    (dict, list)
        Column -> the file's header name; the header's problems (row 0): a required column
        missing, an unknown column, one column given twice under two spellings.
    """
    found: dict[str, str] = {}
    rows: list[dict] = []
    for name in names:
        column = lookup(pd.Series([name]), columns).iloc[0]
        if column is None or column != column:
            known = ", ".join(columns)
            rows.append({"row": 0, "column": name, "value": "", "problem": "unknown column",
                         "fix": f"rename it to one of {known} (see the format's documentation), "
                         "or remove it"})  # fmt: skip
        elif column in found:
            rows.append({"row": 0, "column": name, "value": "",
                         "problem": f"a second {column!r} column (also {found[column]!r})",
                         "fix": "keep one of them"})  # fmt: skip
        else:
            found[column] = name
    for column in required:
        if column not in found:
            spellings = ", ".join(repr(s) for s in (column, *columns[column]))
            rows.append({"row": 0, "column": column, "value": "", "problem": "required column missing",
                         "fix": f"add a column named {spellings} to {source}"})  # fmt: skip
    return found, rows


def blank_to_none(text: pd.Series) -> pd.Series:
    """Return the cells with every empty one as None (an optional cell left empty).

    >>> blank_to_none(pd.Series(["a", ""])).tolist()
    ['a', None]
    """
    return pd.Series(np.where(text == "", None, text), index=text.index, dtype=object)


@dataclass
class SheetCheck:
    """A hand-kept sheet under check: its cells, its columns as text, and the problems found so far.

    ``found`` maps each format column to the file's header name; ``text`` holds every format
    column as stripped text ("" where the file lacks the column); ``rows`` collects problem rows
    (see :data:`PROBLEM_COLUMNS`), the header's first.
    """

    cells: pd.DataFrame
    source: str
    found: dict[str, str]
    text: dict[str, pd.Series]
    rows: list[dict] = field(default_factory=list)

    def problem(self, mask: pd.Series, column: str, what: str, fix: str) -> None:
        """Record ``what`` (and its ``fix``) for every row where ``mask`` is true.

        >>> s = check_sheet(pd.DataFrame({"id": ["a", ""]}), name="t", what="t",
        ...                 columns={"id": ()}, required=("id",))
        >>> s.problem(s.text["id"] == "", "id", "missing id", "give one")
        >>> [(r["row"], r["problem"]) for r in s.rows]
        [(2, 'missing id')]
        """
        for i in np.flatnonzero(mask.to_numpy()):
            self.rows.append({"row": int(i) + 1, "column": self.found[column],
                              "value": self.cells[self.found[column]].iloc[i], "problem": what,
                              "fix": fix})  # fmt: skip


def check_sheet(
    path: str | Path | pd.DataFrame,
    *,
    what: str,
    name: str,
    columns: dict[str, tuple[str, ...]],
    required: tuple[str, ...],
    read_options: dict | None = None,
) -> SheetCheck:
    """Read a hand-kept sheet (or take a table) and match its header to a format's columns.

    Parameters
    ----------
    path : str, Path or DataFrame
        The file (read by :func:`read_sheet`), or a table given in memory.
    what : str
        What the file is, for messages ("evidence register").
    name : str
        The source named in messages when ``path`` is a table.
    columns, required
        The format's columns (each with its other spellings) and those that must be present.

    Examples
    --------
    >>> s = check_sheet(pd.DataFrame({"ID": [" a "]}), what="t", name="t",
    ...                 columns={"id": (), "note": ()}, required=("id",))
    >>> s.found, s.text["id"].tolist(), s.text["note"].tolist(), s.rows
    ({'id': 'ID'}, ['a'], [''], [])
    """
    if isinstance(path, pd.DataFrame):
        cells, src = path.map(cell_text), name
    else:
        cells, src = read_sheet(path, what=what, **(read_options or {})), str(path)
    found, rows = match_columns(list(cells.columns), columns, required=required, source=src)
    text = {c: cells[found[c]].astype(str).str.strip() if c in found else pd.Series(
        "", index=cells.index) for c in columns}  # fmt: skip
    return SheetCheck(cells=cells, source=src, found=found, text=text, rows=rows)
