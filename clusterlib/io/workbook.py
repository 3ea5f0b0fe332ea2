"""One sheet of an XLSX workbook, with clear errors for a damaged, encrypted or wrong workbook.

Every user-facing XLSX reader (questionnaires, the evidence register, expert scores) goes through
:func:`read_workbook`, so a truncated download, a password-protected file or a sheet name that is
not in the workbook gives the same message wherever it turns up, naming the file and the sheets,
never a raw ``CalamineError`` or ``zipfile`` error.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from clusterlib.errors import DataFormatError

__all__ = ["read_workbook", "sheet_hint"]

#: First bytes of an OLE2 compound file: an encrypted (password-protected) XLSX or an old .xls.
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _damaged(path: Path, what: str, exc: BaseException) -> DataFormatError:
    head = path.read_bytes()[:8]
    if head.startswith(_OLE):
        why = (
            "it is password-protected (encrypted) or an old-format .xls saved under an .xlsx "
            "name. Remove the password (or open it and save it as .xlsx) and try again"
        )
    elif not head.startswith(b"PK"):
        why = "it is not an XLSX workbook at all (an XLSX file is a zip archive). Check the file"
    else:
        why = (
            "the workbook is damaged or incomplete (a truncated download or copy?). Open it in "
            "Excel or LibreOffice and save it again, or export the sheet as CSV"
        )
    return DataFormatError(
        f"{path}: cannot read the {what} as XLSX: {why}. ({type(exc).__name__}: {exc})"
    )


def read_workbook(path: str | Path, *, sheet: str | int = 0, what: str = "table") -> pd.DataFrame:
    r"""Read one sheet of an XLSX workbook, cells as read (``dtype=object``), header in row 1.

    Parameters
    ----------
    path : str or Path
        The ``.xlsx`` file.
    sheet : str or int, default 0
        Sheet name, or 0-based position.
    what : str
        What the file is, for messages (``"questionnaire"``).

    Returns
    -------
    pandas.DataFrame
        The sheet; ``attrs["sheets"]`` lists the workbook's sheets and ``attrs["sheet"]`` names
        the one read (see :func:`sheet_hint`).

    Raises
    ------
    MissingFileError
        No file at ``path`` (or a folder).
    DataFormatError
        A damaged, truncated or encrypted workbook, or a file that is no workbook (the message
        says which and what to do), or a sheet that is not in it (the message lists the sheets).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "bad.xlsx"
    >>> _ = p.write_bytes(b"PK\x03\x04 truncated")
    >>> read_workbook(p)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    clusterlib.errors.DataFormatError: ...bad.xlsx: cannot read the table as XLSX: the workbook is damaged...
    """
    p = Path(path)
    if not p.is_file():
        from clusterlib.errors import MissingFileError

        found = "a folder" if p.is_dir() else "no such file"
        raise MissingFileError(f"{p}: {found}; expected the {what} as an .xlsx workbook. Check "
                               "the path (relative paths start from the working folder).")  # fmt: skip
    try:
        # calamine (Rust) reads the same cells as openpyxl, several times faster
        book = pd.ExcelFile(p, engine="calamine")
        names = [str(n) for n in book.sheet_names]
    except Exception as exc:  # noqa: BLE001 - calamine, zipfile and OSError for a broken file
        raise _damaged(p, what, exc) from None
    with book:
        if isinstance(sheet, bool) or not isinstance(sheet, int | str):
            raise DataFormatError(
                f"sheet: expected a sheet name or a 0-based number, got {sheet!r}."
            )
        if isinstance(sheet, int) and not 0 <= sheet < len(names):
            raise DataFormatError(
                f"{p}: cannot read sheet {sheet!r} of the {what}: the workbook has "
                f"{len(names)} sheet(s) {names} (0 is the first). Pass sheet= with one of those "
                "names."
            )
        if isinstance(sheet, str) and sheet not in names:
            raise DataFormatError(
                f"{p}: cannot read sheet {sheet!r} of the {what}: no such sheet; the workbook's "
                f"sheets are {names}. Pass sheet= with one of those names."
            )
        try:
            out = pd.read_excel(book, sheet_name=sheet, dtype=object)
        except Exception as exc:  # noqa: BLE001 - a damaged sheet inside a readable zip
            raise _damaged(p, what, exc) from None
    out.attrs.update(sheets=names, sheet=names[sheet] if isinstance(sheet, int) else sheet)
    return out


def sheet_hint(attrs: Mapping) -> str:
    """Return ``"; the workbook has sheets [...] ..."`` for a workbook of several sheets, else ``""``.

    Appended to "column not in the file" problems: the usual cause is data on another sheet.

    >>> sheet_hint({"sheets": ["Info", "Data"], "sheet": "Info"})
    "; the workbook has sheets ['Info', 'Data'] and sheet 'Info' was read: if the answers are on another sheet, pass sheet= (or read: {sheet: ...} in the mapping)"
    >>> sheet_hint({"sheets": ["Data"], "sheet": "Data"})
    ''
    """
    sheets = list(attrs.get("sheets") or [])
    if len(sheets) < 2:
        return ""
    return (
        f"; the workbook has sheets {sheets} and sheet {attrs.get('sheet')!r} was read: if the "
        "answers are on another sheet, pass sheet= (or read: {sheet: ...} in the mapping)"
    )
