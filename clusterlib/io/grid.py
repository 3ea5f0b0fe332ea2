"""Tidy cells on a dense year x region x industry grid of integer codes.

Eurostat tables (and most users' tables) are nearly complete grids: every region holds a row for
almost every industry and year. On such a grid the group sums of the specialisation table become
sums along an axis or over a parent map of integer positions, with no string keys and no joins:
the fill-in, the region base and the reference totals are a few passes over arrays of
years x regions x industries (about 0.4 million cells for one indicator of the bundled file).

A cell absent from the table and a cell present with an unknown value are both NaN in ``value``;
``present`` tells them apart, because the procedures treat them differently (an absent child is
not split a share of its parent; a region without a section row has that section left out of its
base rather than unknown).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa

from clusterlib.errors import DataFormatError, DataValueError

ROUNDING = 1e-12
"""Relative size below which a parent's residual is rounding noise (the data carry at most about
eight significant digits, so a real residual is many orders of magnitude larger)."""


def codes_of(column: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Integer codes of a column and their labels (a categorical's own, else factorised).

    Returns ``(codes, labels)`` with ``labels[codes[k]]`` the label of row ``k``; labels are
    plain Python strings in an object array.
    """
    if isinstance(column.dtype, pd.CategoricalDtype):
        codes = column.cat.codes.to_numpy()
        labels = column.cat.categories.astype(str).to_numpy(dtype=object)
    else:
        codes, uniques = pd.factorize(column, use_na_sentinel=True)
        labels = np.asarray(uniques, dtype=object).astype(str).astype(object)
    if len(codes) and codes.min() < 0:
        row = int(np.flatnonzero(codes < 0)[0])
        raise DataFormatError(
            f"data: row {row}, column {column.name!r}: expected a code, found a missing value. "
            "Drop or repair that row."
        )
    return codes, labels  # int8/int16 for a categorical: widened only where rows are selected


@dataclass
class Grid:
    """One indicator's cells on the (year, region, industry) grid.

    Attributes
    ----------
    years : numpy.ndarray
        (Y,) ascending int64.
    regions, industries : numpy.ndarray
        (R,) and (I,) object arrays of code strings (the axes; not every label need be present).
    value : numpy.ndarray
        (Y, R, I) float64, NaN where the cell is unknown or absent.
    present : numpy.ndarray
        (Y, R, I) bool, the cell is a row of the table.
    imputed : numpy.ndarray
        (Y, R, I) bool, the value was filled in.
    """

    years: np.ndarray
    regions: np.ndarray
    industries: np.ndarray
    value: np.ndarray
    present: np.ndarray
    imputed: np.ndarray

    def keep_regions(self, keep: np.ndarray) -> None:
        """Drop the rows of the regions where ``keep`` (R,) is False."""
        self.present &= keep[None, :, None]
        self.value[~self.present] = np.nan

    def keep_active(self) -> None:
        """Drop (region, year) pairs with no positive known value (codes not in use that year)."""
        active = (self.present & (self.value > 0)).any(axis=2)  # NaN > 0 is False, silently
        self.present &= active[:, :, None]
        self.value[~self.present] = np.nan


class CodedTable:
    """A tidy table's keys as integer codes, computed once for every indicator drawn from it.

    Parameters
    ----------
    data : pandas.DataFrame
        Columns ``region``, ``industry``, ``indicator``, ``year``, ``value``.
    """

    def __init__(self, data: pd.DataFrame) -> None:
        self.region, self.regions = codes_of(data["region"])
        self.industry, self.industries = codes_of(data["industry"])
        if "indicator" in data.columns:
            self.indicator, self.indicators = codes_of(data["indicator"])
        else:  # one indicator's cells
            self.indicator, self.indicators = np.zeros(len(data), np.intp), np.array([None])
        year = data["year"].to_numpy()
        lo, hi = (int(year.min()), int(year.max())) if len(year) else (0, -1)
        if hi - lo < 10_000:  # years: an offset and a count, not a hash or a sort
            offset = np.subtract(year, lo).astype(np.min_scalar_type(hi - lo))  # one byte a row
            seen = np.flatnonzero(np.bincount(offset, minlength=hi - lo + 1))
            self.years = (seen + lo).astype(year.dtype)
            if len(seen) < hi - lo + 1:  # gaps between the years
                offset = np.searchsorted(seen, offset).astype(offset.dtype)
            self.year = offset
        else:
            self.years = np.unique(year)
            self.year = np.searchsorted(self.years, year).astype(np.intp)
        self.value = data["value"].to_numpy(dtype=float)

    def rows(self, indicator: str | None = None, years: list[int] | None = None) -> np.ndarray:
        """Boolean mask of the rows of one indicator (and years); None: a one-indicator table."""
        k = np.flatnonzero(self.indicators == indicator)
        mask = self.indicator == (k[0] if len(k) else -1)
        if years is not None:
            mask &= np.isin(self.years, years)[self.year]
        return mask

    def flat(self, mask: np.ndarray) -> np.ndarray:
        """Flat grid positions (C order over year, region, industry) of the rows in ``mask``."""
        r, i = len(self.regions), len(self.industries)
        pos = self.year[mask].astype(np.intp)
        pos *= r
        pos += self.region[mask]
        pos *= i
        pos += self.industry[mask]
        return pos

    def grid(self, mask: np.ndarray, *, what: str = "data") -> Grid:
        """Scatter the rows in ``mask`` onto the grid; refuse a key given twice."""
        return self.scatter(self.flat(mask), self.value[mask], what=what)

    def project(self, other: pd.DataFrame, *, what: str = "auxiliary") -> np.ndarray:
        """Values of another table (``region, industry, year, value``) on this grid, NaN elsewhere.

        Rows whose keys are not on this table's axes are left out: no cell here can use them.
        """
        r = pd.Index(self.regions).get_indexer(other["region"].astype(str))
        i = pd.Index(self.industries).get_indexer(other["industry"].astype(str))
        y = pd.Index(self.years).get_indexer(other["year"])
        on = (r >= 0) & (i >= 0) & (y >= 0)
        pos = (y[on] * len(self.regions) + r[on]) * len(self.industries) + i[on]
        return self.scatter(pos, other["value"].to_numpy(dtype=float)[on], what=what).value

    def scatter(self, pos: np.ndarray, values: np.ndarray, *, what: str) -> Grid:
        """Return a grid holding ``values`` at the flat positions ``pos``."""
        shape = (len(self.years), len(self.regions), len(self.industries))
        present = np.zeros(shape, dtype=bool)
        present.reshape(-1)[pos] = True
        if int(present.sum()) != len(pos):
            seen = np.bincount(pos, minlength=present.size)
            y, r, i = np.unravel_index(int(np.flatnonzero(seen > 1)[0]), shape)
            raise DataValueError(
                f"{what}: the key (region={self.regions[r]!r}, industry={self.industries[i]!r}, "
                f"year={int(self.years[y])}) appears more than once for one indicator; expected one "
                "row per key. Remove the duplicate rows."
            )
        value = np.full(shape, np.nan)
        value.reshape(-1)[pos] = values
        return Grid(
            self.years,
            self.regions,
            self.industries,
            value,
            present,
            np.zeros(shape, dtype=bool),
        )


def labels_at(labels: np.ndarray, codes: np.ndarray) -> pd.api.extensions.ExtensionArray:
    """Return ``labels[codes]`` as a pandas ``str`` array, decoded by Arrow from a dictionary.

    About ten times faster than building the strings in Python for a table of 100,000 rows.
    """
    codes = np.asarray(codes, dtype=np.int32)
    dictionary = pa.array([str(x) for x in labels], type=pa.large_string())
    decoded = pa.DictionaryArray.from_arrays(pa.array(codes), dictionary).cast(pa.large_string())
    return pd.array(decoded, dtype="str")


def parent_positions(labels: np.ndarray, parents: pd.Series) -> np.ndarray:
    """Position in ``labels`` of each label's parent (``parents`` maps label -> parent), else -1."""
    where = pd.Index(labels).get_indexer(pd.Index(labels).map(parents))
    return where.astype(np.intp)


def group_sums(a: np.ndarray, groups: np.ndarray, n_groups: int) -> np.ndarray:
    """Sum the rows of ``a`` (axis 0) into ``n_groups`` groups; ``groups`` (rows,) in 0..n-1.

    A sort and :func:`numpy.add.reduceat`: the rows of each group are added in their order, as
    a loop over the rows would. Groups with no rows sum to 0.
    """
    order = np.argsort(groups, kind="stable")
    g = groups[order]
    starts = np.flatnonzero(np.r_[True, g[1:] != g[:-1]]) if len(g) else np.array([], int)
    out = np.zeros((n_groups, *a.shape[1:]), dtype=np.result_type(a.dtype, np.float64))
    if len(g):
        out[g[starts]] = np.add.reduceat(a[order], starts, axis=0)
    return out


def fill_axis(grid: Grid, aux: np.ndarray | None, children: np.ndarray, parents: np.ndarray,
              *, axis: int) -> None:  # fmt: skip
    """Split each known parent's residual over its missing children along one axis, in place.

    ``children`` are positions on ``axis`` (1 regions, 2 industries), ``parents`` their parents'
    positions on the same axis. Groups are (parent, the other axes): a NUTS1 region's children in
    one industry and year, or a section's divisions in one region and year.
    """
    if not len(children):
        return
    value = np.moveaxis(grid.value, axis, 0)
    present = np.moveaxis(grid.present, axis, 0)
    imputed = np.moveaxis(grid.imputed, axis, 0)
    x = value[children]
    here = present[children]
    unknown = np.isnan(x)
    miss = here & unknown
    a = np.full_like(x, np.nan) if aux is None else np.moveaxis(aux, axis, 0)[children]
    a_known = ~np.isnan(a)
    uniq, group = np.unique(parents, return_inverse=True)

    def total(v: np.ndarray) -> np.ndarray:
        return group_sums(v, group, len(uniq))[group]

    known_sum = total(np.where(unknown, 0.0, x))
    n_miss = total(miss.astype(float))
    aux_sum = total(np.where(miss & a_known, a, 0.0))
    aux_gaps = total((miss & ~a_known).astype(float))
    parent_value = value[parents]
    with np.errstate(divide="ignore", invalid="ignore"):
        use_aux = (aux_gaps == 0) & (aux_sum > 0)
        weight = np.where(use_aux, a / np.where(aux_sum > 0, aux_sum, np.nan), 1 / n_miss)
        residual = parent_value - known_sum
        # a residual within rounding of zero is zero: 1.0 - (0.7 + 0.2 + 0.1) is 1.1e-16, and a
        # missing child handed that would get a count of 1e-16 with a huge, "significant" LQ
        residual[np.abs(residual) <= ROUNDING * np.abs(parent_value)] = 0.0
        residual = np.clip(residual, 0, None)
        share = residual * weight
    fill = miss & ~np.isnan(parent_value)
    x[fill] = share[fill]
    value[children] = x
    imputed[children] |= fill


def fill_grid(grid: Grid, aux: np.ndarray | None = None) -> Grid:
    """Fill a grid in place by the European Cluster Observatory procedure (:func:`fill_missing`)."""
    from clusterlib.reference.nace import nace_level, nace_parent
    from clusterlib.reference.nuts import nuts_table

    geo = nuts_table(grid.regions)
    level = pd.Index(grid.regions).map(geo["level"]).to_numpy(dtype=float)
    parent = parent_positions(grid.regions, geo["parent"])
    for lev in (1, 2):
        kids = np.flatnonzero((level == lev) & (parent >= 0))
        fill_axis(grid, aux, kids, parent[kids], axis=1)
    industries = pd.Index(grid.industries)
    ind_level = nace_level(industries).to_numpy(dtype=object)
    ind_parent = parent_positions(grid.industries, pd.Series(nace_parent(industries), industries))
    for lev in ("division", "group"):
        kids = np.flatnonzero((ind_level == lev) & (ind_parent >= 0))
        fill_axis(grid, aux, kids, ind_parent[kids], axis=2)
    return grid
