r"""The header line of a Eurostat bulk TSV: the packed dimensions and the period columns.

Both generations of the bulk format share one layout. The first field packs the dimension codes
and the time word, ``nace_r2,indic_sb,geo\time`` (files before 2023) or
``freq,unit,geo\TIME_PERIOD`` (the SDMX-era files since 2023, whose first dimension is the
frequency); the other fields are periods, with or without a trailing blank, in either order:
years (``2014``), quarters (``2020Q1`` before 2023, ``2020-Q1`` since) or months (``2020M01``,
``2020-01``). Periods are normalised to the current form.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from clusterlib.errors import DataFormatError, where

#: Eurostat dimension names that become the usual tidy column names; every other dimension keeps
#: the name it has in the file. ``indic_sbs`` is the indicator of the SBS datasets since 2021.
DIMENSIONS = {
    "geo": "region",
    "nace_r2": "industry",
    "indic_sb": "indicator",
    "indic_sbs": "indicator",
}

#: Columns the reader adds, which no dimension may be called.
RESERVED = frozenset({"region", "industry", "indicator", "year", "period", "value", "flag"})

TIME_WORDS = ("time", "TIME_PERIOD")

#: Frequency code of each kind of period header, as in the ``freq`` dimension.
FREQUENCIES = {"annual": "A", "quarterly": "Q", "monthly": "M"}

_PERIOD_FORMS = (
    ("annual", re.compile(r"^(\d{4})$")),
    ("quarterly", re.compile(r"^(\d{4})-?Q([1-4])$")),
    ("monthly", re.compile(r"^(\d{4})(?:-|M)(0[1-9]|1[0-2])$")),
)
_DIM_RE = re.compile(r"^[a-z][a-z0-9_]*$")
_EXAMPLE = "'freq,unit,geo\\TIME_PERIOD' (since 2023) or 'nace_r2,indic_sb,geo\\time' (before)"


@dataclass(frozen=True)
class Periods:
    """The period columns of a header, in chronological order.

    ``order`` gives the header columns (0-based, after the key column) in that order; ``years``
    and ``labels`` (``"2020-Q1"``, ``"2020-01"``, or the year) follow it.
    """

    frequency: str
    order: np.ndarray
    years: np.ndarray
    labels: list[str]
    headers: list[str]


def parse_dimensions(
    path: object, header: str, *, expected: list[str] | None = None
) -> tuple[list[str], list[str]]:
    r"""Return the dimension names of the packed key header and their tidy column names.

    Raises
    ------
    DataFormatError
        No ``\time`` or ``\TIME_PERIOD``, a malformed, repeated or reserved dimension name, no
        ``geo``, ``freq`` other than first, or (with ``expected``) a dimension not expected.
    """
    if "\\" not in header:
        raise DataFormatError(
            f"{where(path, 1, header)}: expected the packed key header {_EXAMPLE}. "
            "Is this a Eurostat bulk TSV?"
        )
    names, time_word = header.split("\\", 1)
    if time_word not in TIME_WORDS:
        raise DataFormatError(
            f"{where(path, 1, header)}: expected the time word 'TIME_PERIOD' or 'time' after the "
            f"backslash, found {time_word!r}. Is this a Eurostat bulk TSV?"
        )
    dims = names.split(",")
    bad = [d for d in dims if not _DIM_RE.match(d)]
    if bad:
        raise DataFormatError(
            f"{where(path, 1, header)}: {bad[0]!r} is not a Eurostat dimension code (lower-case "
            f"letters, digits and '_', such as 'geo' or 'nace_r2'). Repair the header line."
        )
    columns = [DIMENSIONS.get(d, d) for d in dims]
    clash = sorted({c for c in columns if columns.count(c) > 1} | (set(dims) & RESERVED))
    if clash:
        raise DataFormatError(
            f"{where(path, 1, header)}: the dimensions {dims} give the column {clash[0]!r} twice "
            "or collide with a column the reader adds (region, industry, indicator, year, "
            "period, value, flag). Repair the header line."
        )
    if "geo" not in dims:
        raise DataFormatError(
            f"{where(path, 1, header)}: no 'geo' dimension in {dims}: clusterlib reads regional "
            "data. Download the dataset's regional table."
        )
    if "freq" in dims[1:]:
        raise DataFormatError(
            f"{where(path, 1, header)}: 'freq' must be the first dimension, as Eurostat writes "
            f"it, found {dims}. Repair the header line."
        )
    if expected is not None:
        _check_expected(path, header, [d for d in dims if d != "freq"], expected)
    return dims, columns


def _check_expected(path: object, header: str, dims: list[str], expected: list[str]) -> None:
    unknown = [d for d in dims if d not in expected]
    missing = [d for d in expected if d not in dims]
    if unknown or missing:
        what = f"unknown dimension {unknown[0]!r}" if unknown else f"no dimension {missing[0]!r}"
        raise DataFormatError(
            f"{where(path, 1, header)}: {what}: expected the dimensions {sorted(expected)} "
            f"(besides 'freq'), found {dims}. Check that this is the dataset you meant."
        )


def parse_periods(path: object, headers: list[str]) -> Periods:
    """Parse the period headers into chronological order with their years and labels.

    Raises
    ------
    DataFormatError
        A header that is not a year, quarter or month; periods of two kinds; a repeated period.
    """
    kinds, years, subs, labels = [], [], [], []
    for h in headers:
        kind, m = next(
            ((k, m) for k, form in _PERIOD_FORMS if (m := form.match(h.strip()))), (None, None)
        )
        if m is None:
            raise DataFormatError(
                f"{where(path, 1, h)}: expected a year such as '2014 ' as a column header, or a "
                "quarter ('2020-Q1') or month ('2020-01') of one frequency. Repair the header "
                "line, or read this dataset through another route if Eurostat changed its form."
            )
        kinds.append(kind)
        years.append(int(m.group(1)))
        subs.append(int(m.group(2)) if kind != "annual" else 0)
        labels.append(
            m.group(1)
            if kind == "annual"
            else f"{m.group(1)}-Q{m.group(2)}"
            if kind == "quarterly"
            else f"{m.group(1)}-{m.group(2)}"
        )
    if len(set(kinds)) > 1:
        first = kinds.index(next(k for k in kinds if k != kinds[0]))
        raise DataFormatError(
            f"{where(path, 1, headers[first])}: the period columns mix {kinds[0]} "
            f"({headers[0].strip()!r}) and {kinds[first]} ({headers[first].strip()!r}) "
            "periods; a file holds one frequency. Download one frequency at a time."
        )
    if len(set(labels)) != len(labels):
        raise DataFormatError(f"{where(path, 1)}: a period appears twice in the header {headers}.")
    key = np.asarray(years, dtype=np.int64) * 100 + np.asarray(subs, dtype=np.int64)
    order = np.argsort(key, kind="stable")
    return Periods(
        frequency=FREQUENCIES[kinds[0]],
        order=order,
        years=np.asarray(years, dtype=np.int64)[order],
        labels=[labels[j] for j in order],
        headers=[headers[j] for j in order],
    )
