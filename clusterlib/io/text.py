"""Delimited text files as users' tools export them: encodings, separators, number formats.

One reader (:func:`read_delimited`) and one number parser (:func:`parse_numbers`) serve every
user-facing text format (``read_table``, ``read_survey``), so that an empty file, a cp1250 export,
a ``;`` separator or a ``"1,234"`` get the same clear error wherever they turn up.
"""

from __future__ import annotations

import bz2
import csv
import gzip
import io
import lzma
import re
import zlib
from pathlib import Path

import numpy as np
import pandas as pd

from clusterlib.errors import (
    DataFormatError,
    DataValueError,
    EmptyDataError,
    EncodingError,
    MissingFileError,
    OptionError,
)

#: Separators tried, in this order of preference on ties, when ``sep=None``.
SEPARATORS = (",", ";", "\t", "|")
#: Cell texts read as "not available" in user tables (never as zero).
MISSING_TOKENS = frozenset({"", ":", "NA", "nan", "NaN", "None", "<NA>"})
_SPACES = "\u00a0\u202f"  # no-break and narrow no-break space, common as thousands separators
_OPENERS = {".gz": gzip.open, ".bz2": bz2.open, ".xz": lzma.open}


def _a(noun: str) -> str:
    """Return ``noun`` with its indefinite article ("a table", "an input-output table").

    By the first letter, except the vowels said as "you" ("a Eurostat file", "a user table").
    """
    low = noun.lower()
    vowel = low[:1] != "" and low[:1] in "aeiou" and not low.startswith(("eu", "us", "uni"))
    return ("an " if vowel else "a ") + noun


def read_bytes(path: str | Path, *, what: str = "file") -> bytes:
    """Return the (decompressed) bytes of ``path``; clear errors for a missing or truncated file."""
    path = Path(path)
    if path.is_dir():
        raise MissingFileError(f"{path}: is a folder, not a file (expected {_a(what)}).")
    if not path.is_file():
        raise MissingFileError(f"{path}: no such file (expected {_a(what)}). Check the path.")
    opener = _OPENERS.get(path.suffix)
    try:
        if opener is None:
            return path.read_bytes()
        with opener(path, "rb") as fh:
            return fh.read()
    except (EOFError, OSError, zlib.error, lzma.LZMAError) as exc:
        raise DataFormatError(
            f"{path}: the compressed file is incomplete or damaged ({type(exc).__name__}: {exc}). "
            "Download or copy it again."
        ) from None


def _suggest_encoding(raw: bytes) -> str:
    # Bytes that are Polish letters in one of the two usual code pages and unusual in the other:
    # cp1250 puts ś ź Ś Ź at 0x9C 0x9F 0x8C 0x8F (control codes in ISO-8859-2), ISO-8859-2 puts
    # ą ś ź at 0xB1 0xB6 0xBC (± ¶ ľ in cp1250).
    cp = sum(raw.count(b) for b in (b"\x9c", b"\x9f", b"\x8c", b"\x8f", b"\xb9", b"\xa5"))
    iso = sum(raw.count(b) for b in (b"\xb1", b"\xb6", b"\xbc", b"\xa1", b"\xa6", b"\xac"))
    if iso > cp:
        return "iso-8859-2"
    return "cp1250"


#: Leading bytes of binary formats that users pass for a CSV by mistake.
_MAGIC = {
    b"PK\x03\x04": "an Excel workbook or another zip archive",
    b"PAR1": "a Parquet file (name it .parquet)",
    b"\x1f\x8b": "a gzip file (name it .gz)",
    b"\xd0\xcf\x11\xe0": "an old Excel (.xls) or other Office file",
    b"%PDF": "a PDF document",
}


def detect_encoding(path: str | Path) -> str:
    """Return ``"utf-8"`` if the file decodes as UTF-8 (a BOM allowed), else the likely 8-bit one.

    The Polish 8-bit encodings are told apart by their letters (cp1250 vs ISO-8859-2).
    """
    raw = read_bytes(path)
    try:
        raw.decode("utf-8-sig")
        return "utf-8"
    except UnicodeDecodeError:
        return _suggest_encoding(raw)


def decode(raw: bytes, *, encoding: str, source: str | Path, advice: str | None = None) -> str:
    """Decode ``raw``; a UTF-8 byte-order mark is dropped. Errors name the line and suggest one.

    Binary files (Excel, Parquet, gzip, PDF) and UTF-16 text are recognised by their first bytes
    and named, rather than reported as a wrong 8-bit encoding.
    """
    for magic, what in _MAGIC.items():
        if raw.startswith(magic):
            raise DataFormatError(
                f"{source}: this is {what}, not delimited text. Export it as CSV (or pass the "
                "right file)."
            )
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) and encoding.lower() not in ("utf-16", "utf16"):
        raise EncodingError(
            f"{source}, line 1: the file is UTF-16 text (byte-order mark 0x{raw[:2].hex().upper()}); "
            "pass encoding='utf-16' or save it as UTF-8."
        )
    enc = "utf-8-sig" if encoding.lower().replace("_", "-") in ("utf-8", "utf8") else encoding
    if not encoding.lower().replace("_", "-").startswith(("utf", "ascii")):
        _refuse_mojibake(raw, encoding=encoding, source=source)
    try:
        return raw.decode(enc)
    except LookupError:
        raise OptionError(
            f"encoding: unknown codec {encoding!r}; use e.g. 'utf-8', 'cp1250' or 'iso-8859-2'."
        ) from None
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        guess = _suggest_encoding(raw)
        advice = advice or (
            f"The file is probably {guess} (usual for Polish statistical exports); "
            f"pass encoding={guess!r}."
        )
        raise EncodingError(
            f"{source}, line {line}: not valid {encoding} text (byte 0x{raw[exc.start]:02X}). "
            + advice
        ) from None


def _refuse_mojibake(raw: bytes, *, encoding: str, source: str | Path) -> None:
    """Refuse a UTF-8 file read with an 8-bit encoding: its letters would come out garbled.

    Text with multibyte UTF-8 sequences that decodes as UTF-8 is UTF-8 in practice: in an 8-bit
    Polish export a lead byte (0xC2-0xF4) is almost never followed by the right continuation
    bytes (0x80-0xBF) throughout a whole file.
    """
    if max(raw, default=0) < 0x80:
        return  # plain ASCII reads the same in every encoding
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return
    first = next(i for i, ch in enumerate(text) if ord(ch) > 0x7F)
    line = text[:first].count("\n") + 1
    letter = text[first]
    try:
        garbled = letter.encode("utf-8").decode(encoding, errors="replace")
    except LookupError:
        return  # an unknown codec is reported by the decoding itself
    raise EncodingError(
        f"{source}, line {line}: the file is UTF-8 text (it decodes as UTF-8, with multibyte "
        f"letters such as {letter!r}), but encoding={encoding!r} was given, which would turn "
        f"{letter!r} into {garbled!r}. Pass encoding='utf-8' (or leave the encoding out)."
    )


def sniff_separator(header: str) -> str:
    """Return the separator among :data:`SEPARATORS` that splits ``header`` into most fields."""
    counts = {s: len(next(csv.reader([header], delimiter=s))) for s in SEPARATORS}
    return max(SEPARATORS, key=lambda s: (counts[s], -SEPARATORS.index(s)))


def read_delimited(
    path: str | Path,
    *,
    sep: str | None = None,
    encoding: str = "utf-8",
    what: str = "table",
) -> pd.DataFrame:
    """Read a delimited text file into a DataFrame of strings, refusing anything ambiguous.

    Parameters
    ----------
    path : str or Path
        CSV or other delimited text, optionally ``.gz``, ``.bz2`` or ``.xz`` compressed.
    sep : str, optional
        Field separator; None detects it from the header line among ``, ; TAB |``.
    encoding : str, default "utf-8"
        Text encoding (a UTF-8 byte-order mark is accepted); e.g. ``"cp1250"``.
    what : str
        What the file is, for messages.

    Returns
    -------
    pandas.DataFrame
        Every cell as text, stripped of surrounding blanks; empty cells are ``""``.
        ``attrs["sep"]`` records the separator used.

    Raises
    ------
    MissingFileError, EmptyDataError, EncodingError, DataFormatError
        No file; no header or no data rows; undecodable text; a duplicated column name, a row
        with too many or too few fields.
    """
    path = Path(path)
    text = decode(read_bytes(path, what=what), encoding=encoding, source=path)
    lines = text.splitlines()
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        raise EmptyDataError(f"{path}: the {what} is empty (no header, no data). Export it again.")
    if first > 0:
        raise DataFormatError(
            f"{path}, line {first + 1}: the header must be on line 1, found {first} blank "
            "line(s) above it. Remove them."
        )
    try:
        if sep is None:
            sep = sniff_separator(lines[0])
        header = next(csv.reader([lines[0]], delimiter=sep))
    except csv.Error as exc:
        raise DataFormatError(
            f"{path}, line 1 (the header): cannot split it into columns ({exc}; the line is "
            f"{len(lines[0]):,} characters long). Is this {_a(what)} in CSV form? Check the quotes "
            "on that line, or export the file again."
        ) from None
    if not any(line.strip() for line in lines[1:]):
        raise EmptyDataError(
            f"{path}: the {what} holds a header ({len(header)} columns) but no data rows."
        )
    names = [h.strip() for h in header]
    dup = sorted({h for h in names if names.count(h) > 1})
    if dup:
        raise DataFormatError(
            f"{path}, line 1: column name(s) {dup} appear more than once; rename them."
        )
    if "" in names:
        raise DataFormatError(
            f"{path}, line 1, column {names.index('') + 1}: empty column name; name every column."
        )
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep, strict=True)
    rows = []
    try:
        next(reader)
        for row in reader:
            if not row or (len(row) == 1 and not row[0].strip()):
                continue  # a blank line
            if len(row) != len(names):
                raise DataFormatError(
                    f"{path}, line {reader.line_num} (row {len(rows) + 1}): expected "
                    f"{len(names)} fields separated by {sep!r}, found {len(row)}. Quote cells "
                    "that contain the separator, complete or remove that row, or pass the "
                    "right sep=."
                )
            rows.append(row)
    except csv.Error as exc:
        raise DataFormatError(
            f"{path}, line {reader.line_num}: {exc}. Check the quotes on that line (a quote "
            "left open makes the rest of the file one cell)."
        ) from None
    df = pd.DataFrame(rows, columns=names, dtype=object)
    df = df.apply(lambda c: c.str.strip()).astype(str)
    df.attrs["sep"] = sep
    return df


def read_parquet(path: str | Path, *, what: str = "table") -> pd.DataFrame:
    """Read a user's Parquet file: the counterpart of :func:`read_delimited`.

    Raises
    ------
    MissingFileError, DataFormatError, EmptyDataError
        No file (or a folder); not a readable Parquet file; no rows.
    """
    path = Path(path)
    if path.is_dir():
        raise MissingFileError(f"{path}: is a folder, not a file (expected {_a(what)}).")
    if not path.is_file():
        raise MissingFileError(f"{path}: no such file (expected {_a(what)}). Check the path.")
    try:
        raw = pd.read_parquet(path)
    except Exception as exc:  # noqa: BLE001 - pyarrow raises several types for a damaged file
        raise DataFormatError(
            f"{path}: not a readable Parquet file ({type(exc).__name__}: {exc}). Export it again."
        ) from None
    if raw.empty:
        raise EmptyDataError(f"{path}: the {what} holds no rows.")
    return raw


def _number_regex(decimal: str, thousands: str | None) -> re.Pattern:
    d = re.escape(decimal)
    if thousands:
        t = "[" + re.escape(thousands + (_SPACES if thousands == " " else "")) + "]"
        integer = rf"(?:\d{{1,3}}(?:{t}\d{{3}})+|\d+)"
    else:
        integer = r"\d+"
    return re.compile(rf"^[+-]?(?:{integer}(?:{d}\d*)?|{d}\d+)(?:[eE][+-]?\d+)?$")


def check_separators(decimal: str, thousands: str | None) -> None:
    """Validate the ``decimal`` and ``thousands`` options."""
    if decimal not in (".", ","):
        raise OptionError(f"decimal: expected '.' or ',', found {decimal!r}.")
    if thousands not in (None, ",", ".", " ", "'"):
        raise OptionError(f"thousands: expected None, ',', '.', ' ' or \"'\", found {thousands!r}.")
    if thousands == decimal:
        raise OptionError(
            f"decimal and thousands are both {decimal!r}; a number would be ambiguous. "
            "Choose different separators."
        )


def parse_numbers(
    text: pd.Series,
    *,
    source: str | Path,
    column: str,
    decimal: str = ".",
    thousands: str | None = None,
    integer: bool = False,
    allow_missing: bool = True,
    expected: str | None = None,
    first_line: int = 2,
) -> np.ndarray:
    """Parse a column of number texts strictly: every cell is a number, or missing, or an error.

    A cell must match the number format set by ``decimal`` and ``thousands`` exactly: with the
    defaults ``"1,234"`` is neither 1.234 nor 1234 but an error that names the row and the column
    and says which option to pass. Infinities and ``nan`` spellings are never numbers.

    Parameters
    ----------
    text : pandas.Series
        Cell texts (numbers are formatted with ``str`` first).
    source, column : str
        File and column, for messages.
    decimal : {".", ","}
    thousands : {None, ",", ".", " ", "'"}
        ``" "`` also accepts no-break spaces.
    integer : bool
        Require whole numbers.
    allow_missing : bool
        Accept :data:`MISSING_TOKENS` as NaN.
    expected : str, optional
        Wording of the expectation in messages.
    first_line : int
        File line of the first cell (2 below a header).

    Returns
    -------
    numpy.ndarray of float64
        NaN only where the cell was a missing token.
    """
    check_separators(decimal, thousands)
    s = text.astype(str).str.strip()
    missing = s.isin(MISSING_TOKENS).to_numpy() | text.isna().to_numpy()
    ok = s.str.fullmatch(_number_regex(decimal, thousands)).fillna(False).to_numpy(bool)
    want = expected or ("a whole number" if integer else "a number")
    bad = ~ok & ~missing if allow_missing else ~ok
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        found = text.iloc[i]
        hint = _format_hint(str(found), decimal, thousands)
        miss = ", or empty for not available" if allow_missing else ""
        raise DataValueError(
            f"{source}, line {i + first_line} (row {i + 1}), column {column!r}: expected {want}"
            f"{miss}, found {found!r}.{hint}"
        )
    clean = s.where(ok, "nan")
    if thousands:
        clean = clean.str.replace(f"[{re.escape(thousands + _SPACES)}]", "", regex=True)
    if decimal != ".":
        clean = clean.str.replace(decimal, ".", regex=False)
    values = clean.astype(float).to_numpy()
    inf = ok & ~np.isfinite(values)
    if inf.any():
        i = int(np.flatnonzero(inf)[0])
        raise DataValueError(
            f"{source}, line {i + first_line} (row {i + 1}), column {column!r}: {text.iloc[i]!r} "
            "is too large to be a number (it overflows to infinity). Fix that cell."
        )
    if integer:
        frac = ok & (values % 1 != 0)
        if frac.any():
            i = int(np.flatnonzero(frac)[0])
            raise DataValueError(
                f"{source}, line {i + first_line} (row {i + 1}), column {column!r}: expected "
                f"{want}, found {text.iloc[i]!r}. Fix that cell."
            )
    return values


def _format_hint(found: str, decimal: str, thousands: str | None) -> str:
    low = found.strip().lower().lstrip("+-")
    if low in ("inf", "infinity", "nan"):
        return " Infinities and NaN are not data; leave the cell empty if it is not available."
    others = [c for c in (",", ".", " ", "\u00a0") if c in found and c not in (decimal, thousands)]
    if others:
        c = others[0]
        name = {" ": "' '", "\u00a0": "' '"}.get(c, repr(c))
        return (
            f" It contains {name}, which the options decimal={decimal!r}, "
            f"thousands={thousands!r} do not allow: pass thousands={name} if it separates "
            f"thousands, or decimal={name} if it is a decimal mark."
        )
    return " Fix that cell."
