"""Files written whole or not at all, and content hashes: the one owner of both."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path


def write_atomic(path: str | Path, data: str | bytes) -> Path:
    """Write ``data`` to ``path`` via a temporary file and a rename, so no half-written file stays.

    Text is written as UTF-8. The temporary file sits in the same folder (``os.replace`` is atomic
    on one file system) and is removed if anything fails.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data.encode("utf-8") if isinstance(data, str) else data)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp creates 0600; give the usual permissions
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def file_sha256(path: str | Path) -> str:
    """Hex SHA-256 of a file's bytes."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def xlsx_bytes(tables: dict, *, index: bool = True) -> bytes:
    """One XLSX workbook with a sheet per table, with fixed document dates (same bytes each run).

    Sheet names are cut to Excel's 31 characters; two tables whose cut names are the same (case
    ignored) raise :class:`~clusterlib.errors.DataFormatError`. XlsxWriter writes the workbook (about twice as
    fast as openpyxl on a chapter's tables, which mattered once per run of a batch); it stamps its
    zip entries with a fixed date, and the document's dates are fixed here, so the same tables
    always give the same bytes. Text is written as text: a string that looks like a formula, a URL
    or a number stays a string (formulas are neutralised before, by
    :func:`clusterlib.io.export.xlsx_export`).
    """
    import datetime as dt
    import io

    import pandas as pd

    from clusterlib.errors import DataFormatError

    sheets: dict[str, str] = {}
    for name in tables:
        key = name[:31].casefold()  # Excel compares sheet names case-blind
        if key in sheets:
            raise DataFormatError(
                f"tables {sheets[key]!r} and {name!r}: the same sheet name once cut to Excel's 31 "
                "characters (case ignored); rename one of them."
            )
        sheets[key] = name
    stamp = dt.datetime(2017, 7, 31)
    options = {
        "strings_to_formulas": False,
        "strings_to_urls": False,
        "strings_to_numbers": False,
        "in_memory": True,  # no temporary files that a killed run would leave behind
    }
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="xlsxwriter", engine_kwargs={"options": options}) as writer:
        for name, df in tables.items():
            df.to_excel(writer, sheet_name=name[:31], index=index)
        writer.book.set_properties({"created": stamp})
    return buf.getvalue()
