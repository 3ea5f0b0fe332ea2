"""Exception types: one per kind of problem, all subclasses of :class:`ClusterlibError`.

Every message names where the problem is (file, line or row, field), what was expected and what to
do about it. They subclass :class:`ValueError` so generic handlers still catch them.
"""

from __future__ import annotations


class ClusterlibError(ValueError):
    """Base class of every error raised on bad input."""


class DataFormatError(ClusterlibError):
    """A file is not in the expected layout (malformed row, wrong header, missing column)."""


class DataValueError(ClusterlibError):
    """A cell holds a value of the wrong kind or out of range (non-numeric, negative, duplicate)."""


class UnknownCodeError(ClusterlibError):
    """A requested NACE or NUTS code, year or indicator is not known or not in the data."""


class EmptySelectionError(ClusterlibError):
    """A selection came out empty."""


class SeparationError(ClusterlibError):
    """A binary outcome is completely or quasi-completely separated by a regressor."""


class MissingFileError(ClusterlibError, FileNotFoundError):
    """A file the user named does not exist (also a :class:`FileNotFoundError`)."""


class EncodingError(DataFormatError):
    """A text file is not in the encoding it was read with; the message suggests the likely one."""


class EmptyDataError(DataFormatError):
    """A file, or a selection of it, holds no data rows."""


class OptionError(ClusterlibError):
    """A keyword option has a value outside its documented choices or range."""


class ModelSpecError(ClusterlibError):
    """A model cannot be fitted as specified (rank-deficient design, constant outcome, too few rows)."""


class ModelFitError(ClusterlibError):
    """The estimation itself failed or gave non-finite results; the message says what to try."""


class ParameterError(ClusterlibError):
    """A run parameter (params file, notebook parameter, CLI option) is unknown, mistyped or invalid."""


class OutputError(ClusterlibError):
    """An output folder or file cannot be created or written."""


class DownloadError(ClusterlibError):
    """A download failed: the machine is offline, the server refused, or the file came incomplete."""


def where(file: object | None = None, line: int | None = None, field: str | None = None) -> str:
    """Format a location prefix such as ``"data.tsv, line 12, field '2014'"``."""
    parts = []
    if file is not None:
        parts.append(str(file))
    if line is not None:
        parts.append(f"line {line}")
    if field is not None:
        parts.append(f"field {field!r}")
    return ", ".join(parts) if parts else "input"
