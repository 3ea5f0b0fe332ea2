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

    Sheet names are cut to Excel's 31 characters. openpyxl writes the workbook; it is then
    re-packed with fixed zip timestamps, so the same tables always give the same bytes.
    """
    import datetime as dt
    import io
    import zipfile

    import pandas as pd

    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as writer:
        for name, df in tables.items():
            df.to_excel(writer, sheet_name=name[:31], index=index)
        stamp = dt.datetime(2017, 7, 31)
        writer.book.properties.created = stamp
        writer.book.properties.modified = stamp
    import re

    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    fixed = io.BytesIO()
    with zipfile.ZipFile(fixed, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps "modified" at save time
                data = re.sub(
                    rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*",
                    rb"\g<1>2017-07-31T00:00:00Z",
                    data,
                )
            zi = zipfile.ZipInfo(info.filename, date_time=(2017, 7, 31, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(zi, data)
    return fixed.getvalue()
