"""Reader for Eurostat data saved as tidy CSV: one row per key and year, ``values`` last.

Such files come from R's eurostat and regions packages and from Eurostat's own CSV exports: the
dimension columns (``unit``, ``geo``, ``prof_pos``...), ``time`` (a year, written ``2009`` or
``2009.0``) and ``values`` (empty where Eurostat has no figure). The bundled
``rd_p_persreg_2009_2018.csv`` (R&D personnel) and ``pat_ep_rtot_PL.csv`` (EPO patent applications)
are of this kind; they come out in the layout of :func:`~clusterlib.read_eurostat_tsv`.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd

from clusterlib.errors import DataFormatError, DataValueError, EmptyDataError, where
from clusterlib.io.eurostat_header import DIMENSIONS, RESERVED
from clusterlib.io.text import decode, read_bytes

_YEAR_FORM = r"^\d{4}(\.0)?$"


def read_eurostat_csv(path: str | Path) -> pd.DataFrame:
    """Read a tidy Eurostat CSV (dimensions, ``time``, ``values``) into the tidy layout.

    Parameters
    ----------
    path : str or Path
        E.g. ``data/raw/rd_p_persreg_2009_2018.csv``.

    Returns
    -------
    pandas.DataFrame
        ``region`` (from ``geo``), the other dimensions under their own names (``industry`` and
        ``indicator`` for ``nace_r2`` and ``indic_sb(s)``), ``year`` (int64), ``value``
        (float64, NaN where empty) and ``flag`` (``""``: these files carry no flags), in the
        file's row order.

    Raises
    ------
    DataFormatError
        No ``geo``, ``time`` or ``values`` column, a column that is not a dimension code, a
        malformed row, or a time that is not a year.
    DataValueError
        A value that is not a finite number, or a key (dimensions and year) that appears twice.

    Examples
    --------
    >>> from clusterlib import config
    >>> rd = read_eurostat_csv(config.raw_dir() / "rd_p_persreg_2009_2018.csv")
    >>> rd.query("region == 'PL12' and year == 2009")["value"].tolist()
    [24408.0]
    """
    path = Path(path)
    text = decode(read_bytes(path, what="Eurostat CSV file"), encoding="utf-8", source=path)
    rows = list(csv.reader(text.splitlines()))
    if not rows or not any(rows):
        raise EmptyDataError(f"{path}: the file is empty. Download it again.")
    header, body = rows[0], rows[1:]
    dims = _check_header(path, header)
    if not body:
        raise EmptyDataError(f"{path}: the file holds a header but no data rows.")
    short = [i for i, r in enumerate(body) if len(r) != len(header)]
    if short:
        raise DataFormatError(
            f"{where(path, short[0] + 2)}: expected {len(header)} comma-separated fields "
            f"({','.join(header)}), found {len(body[short[0]])}. Repair that line."
        )
    # the header check strips blanks around names: so do the columns
    frame = pd.DataFrame(body, columns=[h.strip() for h in header], dtype=str)
    years = frame["time"].str.strip()
    bad = ~years.str.match(_YEAR_FORM)
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise DataFormatError(
            f"{where(path, i + 2, 'time')}: expected a year such as 2009 or 2009.0, found "
            f"{frame['time'].iloc[i]!r}. This reader takes annual files."
        )
    values = _values(path, frame["values"])
    out = pd.DataFrame({DIMENSIONS.get(d, d): frame[d].astype("category") for d in dims})
    first = [c for c in ("region", "industry", "indicator") if c in out.columns]
    out = out[first + [c for c in out.columns if c not in first]]
    out["year"] = years.str[:4].astype(np.int64)
    out["value"] = values
    out["flag"] = pd.Categorical([""] * len(out))
    dup = out.duplicated([*out.columns[:-2]])
    if dup.any():
        i = int(np.flatnonzero(dup.to_numpy())[0])
        raise DataValueError(
            f"{where(path, i + 2)}: the key {tuple(map(str, out.iloc[i, :-2]))} appears twice; "
            "each key and year may appear once. Remove one of the lines."
        )
    out.attrs["source"] = str(path)
    return out


def _check_header(path: Path, header: list[str]) -> list[str]:
    """Return the dimension columns; the header must end in ``time`` and ``values``."""
    names = [h.strip() for h in header]
    missing = [c for c in ("geo", "time", "values") if c not in names]
    if missing or names[-2:] != ["time", "values"]:
        raise DataFormatError(
            f"{where(path, 1)}: expected the columns of a tidy Eurostat CSV, dimensions then "
            f"'time' and 'values', with 'geo' among them (e.g. unit,geo,time,values); found "
            f"{names}. Is this a Eurostat CSV?"
        )
    dims = names[:-2]
    columns = [DIMENSIONS.get(d, d) for d in dims]
    clash = [d for d, c in zip(dims, columns, strict=True)
             if columns.count(c) > 1 or (d not in DIMENSIONS and d in RESERVED)]  # fmt: skip
    if clash:
        raise DataFormatError(
            f"{where(path, 1, clash[0])}: the dimension repeats or collides with a column the "
            "reader adds (region, industry, indicator, year, value, flag). Repair the header line."
        )
    return dims


def _values(path: Path, cells: pd.Series) -> np.ndarray:
    """Empty cells are NaN; anything else must be a finite number."""
    text = cells.str.strip()
    empty = text.eq("").to_numpy()
    values = pd.to_numeric(text.where(~empty), errors="coerce").to_numpy(dtype=float)
    bad = ~empty & ~np.isfinite(values)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise DataValueError(
            f"{where(path, i + 2, 'values')}: expected a number or an empty cell, found "
            f"{cells.iloc[i]!r}. Repair that cell."
        )
    return values
