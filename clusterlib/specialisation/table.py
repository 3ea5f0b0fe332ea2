"""Long-form entry point: LQs with intervals for every region, industry and year of a tidy table."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from clusterlib.errors import EmptySelectionError, UnknownCodeError
from clusterlib.options import Reference, check_option
from clusterlib.reference.clusters import validate_clusters
from clusterlib.reference.nace import BASE_INDUSTRIES, _nace
from clusterlib.reference.nuts import nuts_table, region_countries
from clusterlib.specialisation.confidential import check_policy, fill_missing
from clusterlib.specialisation.lq import lq_interval_arrays
from clusterlib.specialisation.select import select

AUXILIARY = "V11210"


def prepare_cells(
    data: pd.DataFrame,
    *,
    indicator: str = "V16110",
    years: int | Iterable[int] | None = None,
    policy: str = "fill",
    countries: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Select one indicator at every NUTS level and apply the missing-cell policy.

    ``countries`` restricts the work to those countries' regions first; the fill-in never crosses
    a border (its parents are the region's own NUTS1 and country), so the result is the same.

    Under ``policy="fill"`` missing cells are filled by :func:`fill_missing` with local units
    (V11210) as the auxiliary indicator when the data hold it. The result has an ``imputed``
    column in every case.

    A region is kept in a year only if it has at least one positive known value in that year.
    The bundled file carries legacy NUTS 2006/2010 codes (e.g. UKD2, ITD1) next to their NUTS 2013
    successors; outside the years they were in use they hold only ``:`` or 0, and keeping them
    would let the fill-in hand them a share of their parent's total.
    """
    check_policy(policy)
    cells = _in_countries(_active(select(data, indicator=indicator, years=years)), countries)
    if policy == "fill":
        aux = None
        if AUXILIARY in set(pd.unique(data["indicator"])) and indicator != AUXILIARY:
            aux = _in_countries(select(data, indicator=AUXILIARY, years=years), countries)
        return fill_missing(cells, auxiliary=aux)
    return cells.assign(imputed=False)


def region_base(
    cells: pd.DataFrame, *, groups: pd.Series, policy: str = "fill"
) -> tuple[pd.DataFrame, pd.DataFrame]:
    r"""Compute the reference total :math:`x_{r.}` of every region and year (the business economy).

    The base is the sum of the NACE sections B-N (no K) plus S95 (:data:`BASE_INDUSTRIES`).
    Divisions and G groups are never added: they sit inside their sections.

    Under ``policy="missing"`` or ``"fill"`` a region with any section still missing has a NaN
    base. Under ``"complete-sections"`` the base of every region in a comparison group is the sum
    of only those sections known for all regions of the group in that year.

    Returns
    -------
    (pandas.DataFrame, pandas.DataFrame)
        The base (``region``, ``year``, ``region_total``, ``base_imputed``) and the sections dropped
        per comparison group and year (``group``, ``year``, ``dropped``; empty unless
        complete-sections dropped some).
    """
    sec = cells[cells["industry"].isin(BASE_INDUSTRIES)].copy()
    sec["group"] = sec["region"].map(groups)
    sec = sec[sec["group"].notna()]
    dropped = pd.DataFrame(columns=["group", "year", "dropped"])
    if policy == "complete-sections":
        unknown = sec["value"].isna().groupby([sec["group"], sec["year"], sec["industry"]]).any()
        bad = unknown[unknown].reset_index()[["group", "year", "industry"]]
        if not bad.empty:
            dropped = (
                bad.groupby(["group", "year"])["industry"]
                .agg(lambda s: ", ".join(sorted(s)))
                .rename("dropped")
                .reset_index()
            )
            sec = sec.merge(bad.assign(_drop=True), how="left", on=["group", "year", "industry"])
            sec = sec[sec["_drop"].isna()]
    by = [sec["region"], sec["year"]]
    base = pd.DataFrame(
        {
            "region_total": _group_sum(sec["value"], by),
            "base_imputed": sec["imputed"].groupby(by).transform("any"),
            "region": sec["region"],
            "year": sec["year"],
        }
    ).drop_duplicates(["region", "year"])
    return base.reset_index(drop=True)[["region", "year", "region_total", "base_imputed"]], dropped


def specialisation_table(
    data: pd.DataFrame,
    *,
    indicator: str = "V16110",
    years: int | Iterable[int] | None = None,
    industries: Iterable[str] | None = None,
    clusters: Mapping[str, Iterable[str]] | None = None,
    reference: Reference = "country",
    countries: str | Iterable[str] | None = None,
    policy: str = "fill",
    level: float = 0.95,
) -> pd.DataFrame:
    r"""Location quotients with intervals for every NUTS2 region, industry and year at once.

    .. math:: LQ_{ri} = \frac{x_{ri} / x_{r.}}{x_{.i} / x_{..}}, \quad
        \operatorname{Var}(\ln LQ) \approx 1/x_{ri} - 1/x_{r.} - 1/x_{.i} + 1/x_{..}

    The comparison set is the NUTS2 regions (extra-regio codes excluded) of the reference area:
    the region's own country (``reference="country"``) or all countries in the data
    (``reference="eu"``: EU-28 plus Norway in the bundled file). :math:`x_{r.}` is the business
    economy as covered (:func:`region_base`); :math:`x_{.i}` and :math:`x_{..}` are the sums over
    the comparison set, so the employment-weighted mean LQ of every industry is 1.

    Parameters
    ----------
    data : pandas.DataFrame
        Tidy table from :func:`clusterlib.read_eurostat_tsv` (all NUTS levels, so that the fill-in
        can use parent totals).
    indicator : str, default "V16110"
        Persons employed.
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
        How missing and confidential cells are handled; see :func:`region_base` and
        :func:`clusterlib.specialisation.fill_missing`.
    level : float, default 0.95
        Confidence level.

    Returns
    -------
    pandas.DataFrame
        One row per (region, industry, year) with ``country``, ``count``, ``region_total``,
        ``industry_total``, ``grand_total``, ``lq``, ``se_log``, ``lq_low``, ``lq_high``,
        ``significant``, ``imputed`` (the count or the base used an imputed cell) and ``status``:
        ``"ok"``, ``"missing input"`` (a count or total it depends on is unknown),
        ``"zero region total"`` or ``"zero industry total"``. Under complete-sections, the dropped
        sections are in ``result.attrs["dropped_sections"]`` (records of group, year,
        dropped); regions whose base stays unknown
        (left out of the reference sums under "fill" and "complete-sections") are in
        ``result.attrs["excluded_regions"]`` (records of region, year).

    References
    ----------
    Moineddin, R., Beyene, J. & Boyle, E. (2003). On the location quotient confidence interval.
    *Geographical Analysis* 35(3), 249-256.
    """
    check_option("reference", reference)
    check_option("policy", policy)
    countries = _check_countries(data, countries)
    work = countries if reference == "country" else None
    cells = prepare_cells(data, indicator=indicator, years=years, policy=policy, countries=work)
    geo = nuts_table(cells["region"].unique())
    nuts2 = geo[(geo["level"] == 2) & ~geo["extra_regio"]]
    groups = nuts2["country"] if reference == "country" else pd.Series("EU", index=nuts2.index)
    base, dropped = region_base(cells, groups=groups, policy=policy)

    cells = cells[cells["region"].isin(nuts2.index)]
    if industries is None:
        nace_level = cells["industry"].map(_nace()["level"])
        industries = sorted(cells.loc[nace_level == "division", "industry"].unique())
        industries = [c for c in industries if c not in BASE_INDUSTRIES]
    industries = list(industries)
    x = cells[cells["industry"].isin(industries)][
        ["region", "industry", "year", "value", "imputed"]
    ]
    if clusters is not None:
        clusters = validate_clusters(clusters, source="clusters")
        x = pd.concat([x, _cluster_cells(cells, clusters)], ignore_index=True)
    if x.empty:
        raise EmptySelectionError(f"no cells for industries {industries} in the selected regions.")

    x = x.merge(base, on=["region", "year"], how="left")
    x["group"] = x["region"].map(groups).to_numpy()
    reg = base.assign(group=base["region"].map(groups))
    reg = reg[reg["region"].isin(nuts2.index)]
    strict = policy == "missing"
    # Under "fill" and "complete-sections", a region whose base is still unknown is left out of
    # the reference sums (and reported); under "missing", any unknown makes the sums unknown.
    member = x["region_total"].notna() | strict
    by_ind = [x["group"], x["year"], x["industry"]]
    x["industry_total"] = _group_sum(x["value"].where(member), by_ind, strict=strict)
    grand = _group_sum(reg["region_total"], [reg["group"], reg["year"]], strict=strict)
    grand = pd.Series(
        grand.to_numpy(), index=pd.MultiIndex.from_arrays([reg["group"], reg["year"]])
    )
    grand = grand[~grand.index.duplicated()]
    x["grand_total"] = grand.reindex(pd.MultiIndex.from_arrays([x["group"], x["year"]])).to_numpy()
    excluded = reg.loc[reg["region_total"].isna(), ["region", "year"]].reset_index(drop=True)

    cols = lq_interval_arrays(
        x["value"].to_numpy(float),
        x["region_total"].to_numpy(float),
        x["industry_total"].to_numpy(float),
        x["grand_total"].to_numpy(float),
        level=level,
    )
    out = pd.DataFrame(
        {
            "region": x["region"],
            "country": region_countries(x["region"]),
            "industry": x["industry"],
            "year": x["year"],
            "count": x["value"],
            "region_total": x["region_total"],
            "industry_total": x["industry_total"],
            "grand_total": x["grand_total"],
        }
    )
    for k in ("lq", "se_log", "lq_low", "lq_high", "significant"):
        out[k] = cols[k]
    out["imputed"] = x["imputed"].fillna(False).to_numpy(bool) | x["base_imputed"].fillna(
        False
    ).to_numpy(bool)
    inputs = out[["count", "region_total", "industry_total", "grand_total"]]
    out["status"] = np.select(
        [inputs.isna().any(axis=1), out["region_total"] == 0, out["industry_total"] == 0],
        ["missing input", "zero region total", "zero industry total"],
        default="ok",
    )
    if countries is not None:
        out = out[out["country"].isin(countries)]
    out = out.sort_values(["year", "region", "industry"], kind="stable").reset_index(drop=True)
    out.attrs["dropped_sections"] = dropped.to_dict("records")
    out.attrs["excluded_regions"] = excluded.to_dict("records")
    out.attrs["policy"] = policy
    out.attrs["reference"] = reference
    return out


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


def _in_countries(cells: pd.DataFrame, countries: Iterable[str] | None) -> pd.DataFrame:
    if countries is None:
        return cells
    return cells[region_countries(cells["region"]).isin(list(countries))].reset_index(drop=True)


def _active(cells: pd.DataFrame) -> pd.DataFrame:
    """Drop (region, year) pairs with no positive known value (codes not in use that year)."""
    active = (cells["value"] > 0).groupby([cells["region"], cells["year"]]).transform("any")
    return cells[active.to_numpy()].reset_index(drop=True)


def _group_sum(values: pd.Series, by: list, *, strict: bool = True) -> pd.Series:
    """Group sum broadcast back to rows; if ``strict``, NaN when any member is NaN."""
    s = values.groupby(by, sort=False).transform("sum")
    if not strict:
        return s
    n_nan = values.isna().groupby(by, sort=False).transform("sum")
    return s.where(n_nan == 0)


def _cluster_cells(cells: pd.DataFrame, clusters: Mapping[str, Iterable[str]]) -> pd.DataFrame:
    """Sum each cluster's codes per region and year; NaN if any code is missing."""
    frames = []
    for name, codes in clusters.items():
        codes = list(codes)
        part = cells[cells["industry"].isin(codes)]
        g = part.groupby(["region", "year"], sort=True)
        agg = pd.DataFrame(
            {
                "value": g["value"].sum(),
                "n": g["value"].count(),
                "imputed": g["imputed"].any(),
            }
        ).reset_index()
        agg.loc[agg["n"] < len(codes), "value"] = np.nan
        frames.append(agg.drop(columns="n").assign(industry=name))
    return pd.concat(frames, ignore_index=True)[["region", "industry", "year", "value", "imputed"]]


def employment_matrix(
    data: pd.DataFrame,
    *,
    year: int,
    country: str | None = None,
    industries: Iterable[str] = BASE_INDUSTRIES,
    indicator: str = "V16110",
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
