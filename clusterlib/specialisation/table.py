"""Long-form entry point: LQs with intervals for every region, industry and year of a tidy table."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from clusterlib.errors import EmptySelectionError, UnknownCodeError
from clusterlib.io.cells import cells_grid, prepare_cells
from clusterlib.io.grid import CodedTable, Grid, group_sums, labels_at
from clusterlib.options import Reference, check_option
from clusterlib.reference.clusters import validate_clusters
from clusterlib.reference.nace import BASE_INDUSTRIES, check_nace, nace_level
from clusterlib.reference.nuts import nuts_table, region_countries
from clusterlib.specialisation.areas import with_areas
from clusterlib.specialisation.base import RegionBase, code_ranks, group_codes, section_base
from clusterlib.specialisation.lq import lq_interval_arrays

STATUS = np.array(["ok", "missing input", "zero region total", "zero industry total"], dtype=object)


def specialisation_table(
    data: pd.DataFrame,
    *,
    indicator: str = "employment",
    years: int | Iterable[int] | None = None,
    industries: Iterable[str] | None = None,
    clusters: Mapping[str, Iterable[str]] | None = None,
    reference: Reference = "country",
    countries: str | Iterable[str] | None = None,
    policy: str = "fill",
    level: float = 0.95,
    areas: Mapping[str, Iterable[str]] | None = None,
) -> pd.DataFrame:
    r"""Location quotients with intervals for every NUTS2 region, industry and year at once.

    .. math:: LQ_{ri} = \frac{x_{ri} / x_{r.}}{x_{.i} / x_{..}}, \quad
        \operatorname{Var}(\ln LQ) \approx 1/x_{ri} - 1/x_{r.} - 1/x_{.i} + 1/x_{..}

    The comparison set is the NUTS2 regions (extra-regio codes excluded) of the reference area:
    the region's own country (``reference="country"``) or all countries in the data
    (``reference="eu"``: EU-28 plus Norway in the bundled file). :math:`x_{r.}` is the business
    economy as covered (:func:`~clusterlib.specialisation.base.region_base`); :math:`x_{.i}` and :math:`x_{..}` are the sums over
    the comparison set, so the employment-weighted mean LQ of every industry is 1.

    Parameters
    ----------
    data : pandas.DataFrame
        Tidy table from :func:`clusterlib.read_eurostat_tsv` (all NUTS levels, so that the fill-in
        can use parent totals).
    indicator : str, default "employment"
        Persons employed (V16110 or EMP_LOC_NR, whichever generation the data are); any measure
        of :mod:`clusterlib.reference.measures`, or an indicator code of the data.
    years : int or iterable of int, optional
        Default: every year in the data.
    industries : iterable of str, optional
        NACE codes to report. Default: every division in the data (sections are the base).
    clusters : mapping of str to codes, optional
        Clusters reported as extra pseudo-industries, e.g. ``{"metal processing": ["C24", "C25"]}``;
        a cluster cell is the sum of its codes, NaN if any of them is missing.
    reference : {"country", "eu"}
        Reference area.
    countries : str or iterable of str, optional
        Restrict the output (and, for ``"country"``, the work) to these countries.
    policy : {"fill", "complete-sections", "missing"}
        How missing and confidential cells are handled; see :func:`~clusterlib.specialisation.base.region_base` and
        :func:`clusterlib.specialisation.fill_missing`.
    level : float, default 0.95
        Confidence level.
    areas : mapping of str to codes, optional
        Cluster areas (id -> member NUTS2 regions) added as one row per area, industry and year
        after the regions' rows (:func:`clusterlib.specialisation.areas.area_rows`: summed
        counts, the members' reference totals). Default: the areas of ``params/areas.yaml``
        whose members are all in the output (under ``reference="country"``, those within one
        country); ``{}`` for none. An area given here must have all its members in the output.

    Returns
    -------
    pandas.DataFrame
        One row per (region, industry, year) with ``country``, ``count``, ``region_total``,
        ``industry_total``, ``grand_total``, ``lq``, ``se_log``, ``lq_low``, ``lq_high``,
        ``significant``, ``imputed`` (the count or the base used an imputed cell) and ``status``:
        ``"ok"``, ``"missing input"`` (a count or total it depends on is unknown),
        ``"zero region total"`` or ``"zero industry total"``; sorted by year, region, industry.
        Under complete-sections, the dropped sections are in ``result.attrs["dropped_sections"]``
        (records of group, year, dropped); regions whose base stays unknown (left out of the
        reference sums under "fill" and "complete-sections") are in
        ``result.attrs["excluded_regions"]`` (records of region, year).

    Notes
    -----
    Everything after reading runs on the dense year x region x industry grid of integer codes
    (:mod:`clusterlib.io.grid`): the fill-in, the base and the reference totals are
    sums along an axis or over a parent or group map, and the output rows are the grid's present
    cells in sorted order. No string key is hashed or joined.

    References
    ----------
    Moineddin, R., Beyene, J. & Boyle, E. (2003). On the location quotient confidence interval.
    *Geographical Analysis* 35(3), 249-256.
    """
    check_option("reference", reference)
    check_option("policy", policy)
    countries = _check_countries(data, countries)
    work = countries if reference == "country" else None
    coded = CodedTable(data)
    grid, _ = cells_grid(
        data, coded, indicator=indicator, years=years, policy=policy, countries=work
    )
    geo = nuts_table(grid.regions)
    there = grid.present.any(axis=(0, 2))
    level_ = pd.Index(grid.regions).map(geo["level"]).to_numpy(dtype=float)
    extra = pd.Index(grid.regions).map(geo["extra_regio"]).to_numpy(dtype=object) == True  # noqa: E712
    nuts2 = there & (level_ == 2) & ~extra
    if not nuts2.any():
        raise EmptySelectionError(
            "no NUTS2 region has data for this selection; the table needs NUTS2 rows "
            "(codes of four characters such as PL22)."
        )
    country = region_countries(pd.Index(grid.regions)).to_numpy(dtype=object)
    group = np.where(nuts2, country if reference == "country" else "EU", None)
    labels, gidx = group_codes(group)
    base = section_base(grid, gidx, labels, policy=policy)

    cols, value, present, imputed = _columns(grid, nuts2, industries, clusters)
    ind_total, grand = _reference_totals(
        value, present, base, nuts2, gidx, len(labels), strict=policy == "missing"
    )
    bad = base.has & np.isnan(base.total) & nuts2[None, :]

    keep = present & nuts2[None, :, None]
    if countries is not None:
        keep &= np.isin(country, countries)[None, :, None]
    r_order = np.argsort(code_ranks(grid.regions), kind="stable")
    c_order = np.argsort(code_ranks(cols), kind="stable")
    y, rr, cc = np.nonzero(keep[:, r_order][:, :, c_order])
    r, c = r_order[rr], c_order[cc]
    if not len(y):
        asked = "the divisions" if industries is None else f"industries {list(industries)}"
        raise EmptySelectionError(
            f"no cells for {asked} in the selected NUTS2 regions and years; the data hold "
            f"{grid.industries[grid.present[:, nuts2].any(axis=(0, 1))].tolist()}."
        )
    x = value[y, r, c]
    xr = base.total[y, r]
    gi = gidx[r]
    xi = np.moveaxis(ind_total, 0, 1)[y, gi, c]
    xt = grand[gi, y]
    out = pd.DataFrame(
        {
            "region": labels_at(grid.regions, r),
            "country": labels_at(country, r),
            "industry": labels_at(cols, c),
            "year": grid.years[y],
            "count": x,
            "region_total": xr,
            "industry_total": xi,
            "grand_total": xt,
        }
    )
    for k, col in lq_interval_arrays(x, xr, xi, xt, level=level).items():
        if k != "count":
            out[k] = col
    out["imputed"] = imputed[y, r, c] | base.imputed[y, r]
    unknown = np.isnan(x) | np.isnan(xr) | np.isnan(xi) | np.isnan(xt)
    status = np.select([unknown, xr == 0, xi == 0], [1, 2, 3], default=0)
    out["status"] = labels_at(STATUS, status)
    _note_gaps(out, base, bad, grid)
    out = with_areas(out, areas, reference=reference, level=level)
    out.attrs["policy"] = policy
    out.attrs["reference"] = reference
    return out


def _reference_totals(
    value: np.ndarray,
    present: np.ndarray,
    base: RegionBase,
    nuts2: np.ndarray,
    gidx: np.ndarray,
    n_groups: int,
    *,
    strict: bool,
) -> tuple[np.ndarray, np.ndarray]:
    """Return the industry totals x_.i (G, Y, K) and grand totals x_.. (G, Y) of every group."""
    # Under "fill" and "complete-sections", a region whose base is still unknown is left out of
    # the reference sums (and reported); under "missing", any unknown makes the sums unknown.
    member = ~np.isnan(base.total) | strict
    grouped = np.flatnonzero(nuts2)
    g = gidx[grouped]
    v = value[:, grouped]
    here = present[:, grouped]
    counted = here & member[:, grouped, None] & ~np.isnan(v)
    ind_total = group_sums(np.moveaxis(np.where(counted, v, 0.0), 1, 0), g, n_groups)
    reg_total = np.where(base.has, base.total, 0.0)[:, grouped]
    grand = group_sums(np.nan_to_num(reg_total).T, g, n_groups)  # (G, Y)
    # a group with no region base in a year (every section dropped) has no grand total
    grand[group_sums(base.has[:, grouped].T.astype(float), g, n_groups) == 0] = np.nan
    if strict:
        gaps = group_sums(np.moveaxis(here & np.isnan(v), 1, 0).astype(float), g, n_groups)
        ind_total[gaps > 0] = np.nan
        grand_gaps = group_sums(np.isnan(reg_total).T.astype(float), g, n_groups)
        grand[grand_gaps > 0] = np.nan
    return ind_total, grand


def _note_gaps(out: pd.DataFrame, base: RegionBase, bad: np.ndarray, grid: Grid) -> None:
    """Record the dropped sections and the regions left out of the sums in ``out.attrs``."""
    ey, er = np.nonzero(bad)
    order = np.lexsort((ey, code_ranks(grid.regions)[er]))
    out.attrs["dropped_sections"] = [
        {"group": str(d["group"]), "year": int(d["year"]), "dropped": d["dropped"]}
        for d in base.dropped.to_dict("records")
    ]
    out.attrs["excluded_regions"] = [
        {"region": str(grid.regions[er[k]]), "year": int(grid.years[ey[k]])} for k in order
    ]


def _columns(
    grid: Grid,
    nuts2: np.ndarray,
    industries: Iterable[str] | None,
    clusters: Mapping[str, Iterable[str]] | None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Return the reported columns: industries (default: the divisions) and cluster sums.

    The column labels and (Y, R, K) value, present and imputed arrays.
    """
    inds = pd.Index(grid.industries)
    if industries is None:
        level = nace_level(inds).to_numpy(dtype=object)
        there = grid.present[:, nuts2].any(axis=(0, 1))
        pick = np.flatnonzero(
            there & (level == "division") & ~np.isin(grid.industries, BASE_INDUSTRIES)
        )
    else:
        # a misspelt code is an error; a NACE code this indicator lacks has no rows
        at = inds.get_indexer(pd.unique(np.asarray(check_nace(industries), dtype=object)))
        pick = np.sort(at[at >= 0])
    cols = list(grid.industries[pick])
    value = [grid.value[:, :, pick]]
    present = [grid.present[:, :, pick]]
    imputed = [grid.imputed[:, :, pick]]
    if clusters is not None:
        for name, codes in validate_clusters(clusters, source="clusters").items():
            at = inds.get_indexer(list(codes))
            at = at[at >= 0]
            here = grid.present[:, :, at] & nuts2[None, :, None]
            v = grid.value[:, :, at]
            known = (here & ~np.isnan(v)).sum(axis=2)
            total = np.where(here, np.nan_to_num(v), 0.0).sum(axis=2)
            value.append(np.where(known >= len(codes), total, np.nan)[:, :, None])
            present.append(here.any(axis=2)[:, :, None])
            imputed.append((grid.imputed[:, :, at] & here).any(axis=2)[:, :, None])
            cols.append(name)
    return (
        np.array(cols, dtype=object),
        np.concatenate(value, axis=2),
        np.concatenate(present, axis=2),
        np.concatenate(imputed, axis=2),
    )


def _check_countries(data: pd.DataFrame, countries: str | Iterable[str] | None) -> list[str] | None:
    """Return ``countries`` as a list, or raise naming those without NUTS2 regions in the data."""
    if countries is None:
        return None
    countries = [countries] if isinstance(countries, str) else list(countries)
    geo = nuts_table(pd.unique(data["region"]))
    have = set(geo.loc[(geo["level"] == 2) & ~geo["extra_regio"], "country"])
    unknown = sorted(set(countries) - have)
    if unknown:
        raise UnknownCodeError(
            f"countries {unknown} have no NUTS2 regions in the data; available: {sorted(have)}."
        )
    return countries


def employment_matrix(
    data: pd.DataFrame,
    *,
    year: int,
    country: str | None = None,
    industries: Iterable[str] = BASE_INDUSTRIES,
    indicator: str = "employment",
    policy: str = "fill",
) -> pd.DataFrame:
    """Wide NUTS2 region x industry matrix for one year, after the missing-cell policy.

    The input of the wide functions (:func:`krugman_index`, :func:`shift_share`, ...). The default
    columns are the sections of the reference total, which exhaust the business economy as covered.

    Returns
    -------
    pandas.DataFrame
        Index = NUTS2 regions (of ``country`` if given, extra-regio excluded), columns =
        ``industries``. Cells that stay unknown under the policy are NaN.
    """
    countries = _check_countries(data, country)
    cells = prepare_cells(data, indicator=indicator, years=year, policy=policy, countries=countries)
    geo = nuts_table(cells["region"].unique())
    keep = geo[(geo["level"] == 2) & ~geo["extra_regio"]]
    industries = list(industries)
    cells = cells[cells["region"].isin(keep.index) & cells["industry"].isin(industries)]
    wide = cells.pivot(index="region", columns="industry", values="value")
    return wide.reindex(columns=industries)
