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
