"""The region x industry matrix every relatedness measure starts from, for one year or all years.

Three layouts are accepted, and each measure returns the layout it was given:

* **wide**: one year, index = region, columns = industry (employment, NaN = unknown);
* **panel**: all years at once, index = (year, region), columns = industry;
* **tidy**: the Eurostat table (``region, industry, indicator, year, value, flag``), turned into the
  panel of persons employed (V16110) in NUTS2 regions x NACE divisions by :func:`industry_matrix`,
  with the confidential-cell policy applied first; or any ``region, industry, year, value`` table.

Inside, the data are one array ``X[t, r, i]``. A region absent from a year (every cell NaN) and an
industry with no known employment anywhere in a year are left out of that year; a NaN cell of a
present region and industry is **unknown**, never zero: each measure says what it does with it.
"""

from __future__ import annotations

import functools
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from clusterlib.errors import DataFormatError, DataValueError
from clusterlib.options import Policy, check_option

__all__ = ["industry_matrix"]


@functools.cache
def _blas():
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


def one_blas_thread(fn):
    """Run ``fn`` with one BLAS thread.

    The products here are small (68 x 68 per year, batched over the years); OpenBLAS's threads
    cost more than they save on them (2 threads: 2-3x slower on 2 cores; benchmarks/RELATEDNESS.md).
    """

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        with _blas().limit(limits=1, user_api="blas"):
            return fn(*args, **kwargs)

    return wrapper


class RelatednessWarning(UserWarning):
    """A region or industry was left out of a year, or a result is undefined for some of them."""


def industry_matrix(
    data: pd.DataFrame, *, years: int | list[int] | None = None, policy: Policy = "fill"
) -> pd.DataFrame:
    """Return the (year, NUTS2 region) x NACE division panel of persons employed.

    Parameters
    ----------
    data : pandas.DataFrame
        The tidy Eurostat table (:func:`clusterlib.load_eurostat`).
    years : int or list of int, optional
        Default: every year in the data.
    policy : {"fill", "complete-sections", "missing"}
        The confidential-cell policy (:func:`clusterlib.io.cells.prepare_cells`); cells it
        leaves unknown stay NaN.

    Returns
    -------
    pandas.DataFrame
        Index (year, region), columns the divisions, float; a region appears in a year only when it
        has data in that year (Eurostat's coverage varies: 251 regions in 2008, 167 in 2015).
    """
    from clusterlib.io.cells import prepare_cells
    from clusterlib.reference.nace import nace_level
    from clusterlib.reference.nuts import nuts_table

    check_option("policy", policy)
    cells = prepare_cells(data, years=years, policy=policy)
    level = nace_level(cells["industry"]).astype(str)
    geo = nuts_table(pd.unique(cells["region"].astype(str)))
    nuts2 = geo.index[(geo["level"] == 2) & ~geo["extra_regio"]]
    keep = (level == "division").to_numpy() & cells["region"].isin(nuts2).to_numpy()
    cells = cells[keep]
    wide = cells.pivot_table(
        index=["year", "region"], columns="industry", values="value", dropna=False, observed=True
    )
    wide = wide[wide.notna().any(axis=1)]
    wide.columns = wide.columns.astype(str)
    wide.index = wide.index.set_levels(wide.index.levels[1].astype(str), level=1)
    wide.columns.name = "industry"
    return wide.sort_index()


@dataclass(frozen=True)
class Cube:
    """``X[t, r, i]`` with its labels; ``years`` is None for a single wide matrix."""

    values: np.ndarray
    years: tuple | None
    regions: pd.Index
    industries: pd.Index

    @functools.cached_property
    def known(self) -> np.ndarray:
        """Cells with a value."""
        return np.isfinite(self.values)

    @functools.cached_property
    def complete(self) -> bool:
        """Every cell known (no unknown cell, no region or industry absent from a year)."""
        return bool(self.known.all())

    @functools.cached_property
    def present(self) -> tuple[np.ndarray, np.ndarray]:
        """Regions (t, r) and industries (t, i) in each year's matrix."""
        k = self.known
        return k.any(axis=2), k.any(axis=1)

    def _index(self, t: np.ndarray, j: np.ndarray, labels: pd.Index | None = None) -> pd.MultiIndex:
        """(year, label) index from integer codes, without factorising strings again."""
        labels = self.regions if labels is None else labels
        return pd.MultiIndex(
            levels=[pd.Index(self.years), labels], codes=[t, j],
            names=["year", labels.name], verify_integrity=False,
        )  # fmt: skip

    def frame(self, arr: np.ndarray, *, name: str | None = None) -> pd.DataFrame:
        """Return a (t, r, i) array in the input's layout, without the absent regions."""
        rows, _ = self.present
        if self.years is None:
            out = pd.DataFrame(arr[0], index=self.regions, columns=self.industries)
            out = out[rows[0]]
        else:
            t, r = np.nonzero(rows)
            out = pd.DataFrame(arr[t, r], index=self._index(t, r), columns=self.industries)
        out.columns.name = name or "industry"
        return out

    def region_series(self, arr: np.ndarray, name: str) -> pd.Series:
        """Return a (t, r) array as a Series over the present regions."""
        rows, _ = self.present
        if self.years is None:
            return pd.Series(arr[0], index=self.regions, name=name)[rows[0]]
        t, r = np.nonzero(rows)
        return pd.Series(arr[t, r], index=self._index(t, r), name=name)

    def industry_series(self, arr: np.ndarray, name: str) -> pd.Series:
        """Return a (t, i) array as a Series over the present industries."""
        _, cols = self.present
        if self.years is None:
            return pd.Series(arr[0], index=self.industries, name=name)[cols[0]]
        t, i = np.nonzero(cols)
        return pd.Series(arr[t, i], index=self._index(t, i, self.industries), name=name)

    def square(self, arr: np.ndarray) -> pd.DataFrame:
        """Return a (t, i, i) array as industry x industry (with a year level for a panel)."""
        if self.years is None:
            out = pd.DataFrame(arr[0], index=self.industries, columns=self.industries)
        else:
            T, n = len(self.years), len(self.industries)
            idx = pd.MultiIndex(
                levels=[pd.Index(self.years), self.industries],
                codes=[np.repeat(np.arange(T), n), np.tile(np.arange(n), T)],
                names=["year", "industry"], verify_integrity=False,
            )  # fmt: skip
            out = pd.DataFrame(arr.reshape(-1, arr.shape[-1]), index=idx, columns=self.industries)
        out.index.names = [*out.index.names[:-1], "industry"]
        out.columns.name = "related"
        return out


def to_cube(data: pd.DataFrame | Cube, *, what: str = "employment") -> Cube:
    """Turn any accepted layout (see the module docstring) into a :class:`Cube`, checked.

    Raises
    ------
    DataFormatError
        Not a DataFrame; duplicated regions, years or industries; a tidy table without
        ``region, industry, year, value``.
    DataValueError
        Text, negative or infinite cells, named by region, industry (and year).
    """
    if isinstance(data, Cube):
        return data
    if not isinstance(data, pd.DataFrame):
        raise DataFormatError(
            f"{what}: expected a pandas DataFrame (region x industry, (year, region) x industry, "
            f"or the tidy Eurostat table), got {type(data).__name__}."
        )
    if {"region", "industry", "year", "value"} <= set(data.columns):
        if "indicator" in data.columns:
            data = industry_matrix(data)
        else:
            dup = data.duplicated(["year", "region", "industry"])
            if dup.any():
                row = data[dup].iloc[0]
                raise DataFormatError(
                    f"{what}: row {data.index[dup.argmax()]!r} repeats year {row['year']}, region "
                    f"{row['region']!r}, industry {row['industry']!r}; give each cell once."
                )
            data = data.pivot(index=["year", "region"], columns="industry", values="value")
    if data.empty:
        raise DataFormatError(f"{what}: the matrix has no rows or no columns.")
    for axis, labels in (("industry (column)", data.columns), ("region (row)", data.index)):
        if labels.has_duplicates:
            raise DataFormatError(
                f"{what}: {axis} {labels[labels.duplicated()][0]!r} appears twice; give each once."
            )
    text = [c for c, dt in data.dtypes.items() if not pd.api.types.is_numeric_dtype(dt)]
    if text:
        col = text[0]
        bad = pd.to_numeric(data[col], errors="coerce").isna() & data[col].notna()
        raise DataValueError(
            f"{what}: industry {col!r}, region {data.index[bad.argmax()]!r}: expected a number, "
            f"found {data[col][bad].iloc[0]!r}. Employment must be numeric (NaN for unknown)."
        )
    if isinstance(data.index, pd.MultiIndex):
        if data.index.nlevels != 2:
            raise DataFormatError(f"{what}: a panel's index must be (year, region).")
        # scatter the rows into the (year, region) grid by their codes (no reindex of strings)
        # via the index's own levels and codes: the labels are factorised once each, not per row
        lv = [pd.factorize(data.index.levels[k], sort=True) for k in (0, 1)]
        yc, rc = (lv[k][0][data.index.codes[k]] for k in (0, 1))
        years, regions = lv[0][1], lv[1][1]
        years, regions = tuple(years.tolist()), pd.Index(regions, name="region")
        X = np.full((len(years), len(regions), data.shape[1]), np.nan)
        X[yc, rc] = data.to_numpy(float)
    else:
        years, regions = None, pd.Index(data.index, name="region")
        X = data.to_numpy(float)[None]
    known = np.isfinite(X)
    bad = X < 0  # negative or -inf (NaN compares False)
    if not known.all():
        bad |= np.isposinf(X)
    if bad.any():
        t, r, i = (int(a[0]) for a in np.nonzero(bad))
        when = f", year {years[t]}" if years else ""
        raise DataValueError(
            f"{what}: region {regions[r]!r}, industry {data.columns[i]!r}{when}: expected a "
            f"non-negative number, found {X[t, r, i]!r}. Use NaN for an unknown cell."
        )
    cube = Cube(X, years, regions, pd.Index(data.columns.astype(str), name="industry"))
    cube.__dict__["known"] = known  # the cached property, computed once here
    cube = _drop_empty(cube)
    _check_extent(cube, what)
    return cube


def _check_extent(cube: Cube, what: str) -> None:
    """Refuse a matrix with no known cell, or a year with fewer than two regions or industries.

    RCA compares a region's industry shares with those of all regions in the matrix: with a single
    region (or a single industry) every RCA is exactly 1, every proximity 1 and every density 1,
    numbers that look like results but say nothing.
    """
    X = cube.values
    known = np.isfinite(X)
    if not known.any():
        raise DataValueError(
            f"{what}: every cell is unknown (NaN) or zero; there is nothing to compute. Check the "
            "selection (years, regions, industries) and the confidential-cell policy "
            "(policy='fill' estimates confidential cells)."
        )
    for axis, kind, labels in ((2, "region", cube.regions), (1, "industry", cube.industries)):
        n = known.any(axis=axis).sum(axis=1)  # per year
        if (n < 2).any():
            t = int(np.argmax(n < 2))
            have = list(labels[known[t].any(axis=axis - 1 if axis == 2 else 0)])
            when = f", year {cube.years[t]}" if cube.years else ""
            plural = "regions" if kind == "region" else "industries"
            raise DataValueError(
                f"{what}{when}: only {int(n[t])} {kind} with known employment ({have}); "
                f"relatedness and complexity compare {plural}, and with one {kind} every RCA is "
                f"1 and every proximity 1. Give at least two {plural} (e.g. every NUTS2 region "
                "and NACE division of the country)."
            )


def _drop_empty(cube: Cube) -> Cube:
    """Leave out of a year the regions and industries whose known employment is all zero."""
    X = cube.values
    if cube.complete:  # no NaN: a row or column of zeros sums to 0 (no negatives here)
        zero_rows, zero_cols = X.sum(axis=2) == 0, X.sum(axis=1) == 0
    else:
        known = cube.known
        positive = X > 0  # NaN compares False
        zero_rows = known.any(axis=2) & ~positive.any(axis=2)
        zero_cols = known.any(axis=1) & ~positive.any(axis=1)
    if not (zero_rows.any() or zero_cols.any()):
        return cube
    for mask, kind, labels in (
        (zero_rows, "region", cube.regions),
        (zero_cols, "industry", cube.industries),
    ):
        if mask.any():
            t, j = np.nonzero(mask)
            when = [
                f"{labels[b]}" + (f" ({cube.years[a]})" if cube.years else "")
                for a, b in zip(t, j, strict=True)
            ]
            warnings.warn(
                f"{kind} {', '.join(when[:8])}{' ...' if len(when) > 8 else ''}: no employment "
                "in any known cell; left out of that year (its RCA would be 0/0).",
                RelatednessWarning,
                stacklevel=3,
            )
    X = X.copy()
    X[np.broadcast_to(zero_rows[:, :, None], X.shape)] = np.nan
    X[np.broadcast_to(zero_cols[:, None, :], X.shape)] = np.nan
    return Cube(X, cube.years, cube.regions, cube.industries)
