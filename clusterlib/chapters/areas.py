"""A cluster area in the chapters: the area as one unit of analysis, its members beside it.

A cluster area (``params/areas.yaml``, e.g. PL-NE = Podlaskie, Warmińsko-Mazurskie, Lubelskie)
is analysed as one region whose counts are its members' sums. Its rows are never added to the
sets over which NUTS2 regions are compared: where a measure needs the other units (national sums,
shift-share, specialisation indices, economic complexity), the area **replaces** its members
(:func:`collapse`, :func:`collapse_wide`), so every total is unchanged and nothing is counted
twice; where a threshold is set over NUTS2 regions (the star cuts), the area is rated against the
NUTS2 cuts and its size star is left out, as a sum of several regions is not comparable in size
with one region.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from clusterlib.chapters.metrics import Finding
from clusterlib.specialisation.areas import collapse_wide

#: Why an area has no size star (used by the chapters' notes and findings).
SIZE_NOTE = (
    "The size star is not rated for a cluster area: its threshold is set over single NUTS2 "
    "regions, and a sum of {n} regions is not comparable in size with one region. The "
    "specialisation and focus stars are ratios, so the area is rated on them against the NUTS2 "
    "thresholds; the thresholds themselves are computed without the area."
)


def unit(region: str) -> tuple[tuple[str, ...], str]:
    """Return the member regions and the display name of a region or an area.

    Examples
    --------
    >>> unit("PL-NE")[0]
    ('PL34', 'PL62', 'PL31')
    """
    from clusterlib.reference.areas import load_areas, unit_regions
    from clusterlib.reference.nuts import nuts_table

    members = unit_regions(region)
    if members == (region,):  # a code of NUTS 2016/2021 data has its name in the versions table
        from clusterlib.reference.nuts_versions import nuts_codes

        name = str(nuts_table([region])["name"].iloc[0])
        return members, name or str(nuts_codes()["name"].get(region, ""))
    return members, load_areas()[region]["name"]


def is_area(region: str, members: Sequence[str]) -> bool:
    """Tell whether ``region`` is an area (its members are not just itself)."""
    return tuple(members) != (region,)


def area_table(
    table: pd.DataFrame, area: str, members: Sequence[str], *, reference: str
) -> pd.DataFrame:
    """Return the area's rows of a specialisation table (LQ and interval from summed counts)."""
    from clusterlib.specialisation.areas import area_rows

    return area_rows(table, {area: tuple(members)}, reference=reference)


def collapse(
    table: pd.DataFrame, area: str, members: Sequence[str], *, reference: str
) -> pd.DataFrame:
    """Return a specialisation table in which the area's rows replace its members' rows.

    The reference totals are unchanged (the members' counts are summed, not added twice), so
    shift-share and ranks against the country treat the area as one region of a partition.

    Examples
    --------
    >>> t = pd.DataFrame({"region": ["A1", "A2", "A3"], "country": "A", "industry": "C28",
    ...     "year": 2014, "count": [30.0, 10.0, 5.0], "region_total": [100.0, 300.0, 50.0],
    ...     "industry_total": 45.0, "grand_total": 450.0, "imputed": False})
    >>> collapse(t, "A-X", ["A1", "A2"], reference="country")[["region", "count"]].to_dict("list")
    {'region': ['A3', 'A-X'], 'count': [5.0, 40.0]}
    """
    rows = area_table(table, area, members, reference=reference)
    keep = table[~table["region"].isin(list(members))]
    return pd.concat([keep, rows[[c for c in table.columns if c in rows.columns]]],
                     ignore_index=True)  # fmt: skip


def members_table(
    table: pd.DataFrame, area: str, members: Sequence[str], *, cluster: str, year: int
) -> pd.DataFrame:
    r"""Return each member's share of the area's cluster employment and its own LQ.

    .. math:: \text{share}_m = x_{mc} / \sum_{r \in A} x_{rc}

    Parameters
    ----------
    table : pandas.DataFrame
        A specialisation table with the members' rows (the area's rows are not needed).

    Returns
    -------
    pandas.DataFrame
        One row per member in the order of the definition: ``name``, ``count``,
        ``share_of_area`` (sums to 1 when every member is known), ``lq``, ``lq_low``,
        ``lq_high``, ``significant``, ``imputed``.
    """
    from clusterlib.reference.nuts import nuts_table

    members = list(members)
    t = table[(table["industry"] == cluster) & (table["year"] == year)].set_index("region")
    t = t.reindex(members)
    total = t["count"].sum(min_count=len(members)) if t["count"].notna().all() else np.nan
    out = pd.DataFrame(
        {
            "name": nuts_table(members)["name"].reindex(members).to_numpy(),
            "count": t["count"],
            "share_of_area": t["count"] / total,
            "lq": t["lq"],
            "lq_low": t["lq_low"],
            "lq_high": t["lq_high"],
            "significant": t["significant"],
            "imputed": t["imputed"],
        },
        index=pd.Index(members, name="member"),
    )
    out.attrs["area"] = area
    return out


def area_national_stars(by_region: pd.DataFrame, area: str, row: pd.Series) -> pd.DataFrame:
    """Return the national star table of the NUTS2 regions with the area's row appended.

    The thresholds are those of the NUTS2 regions (:func:`cluster_stars` over them alone); the
    area gets the specialisation (LQ against the country >= 2) and focus stars against them, and
    no size star (:data:`SIZE_NOTE`).
    """
    from clusterlib.specialisation.stars import cluster_stars

    stars = cluster_stars(by_region["count"], by_region["region_total"])
    e, tot = float(row["count"]), float(row["region_total"])
    rated = np.isfinite(e) and np.isfinite(tot) and tot > 0
    focus = e / tot if rated else np.nan
    cut = stars.loc[stars["rated"], "focus"].quantile(0.9)
    lq = float(row["lq"]) if rated else np.nan
    spec, foc = bool(rated and lq >= 2.0), bool(rated and focus >= cut)
    stars.loc[area] = {
        "employment": e, "size_star": False, "lq": lq, "specialisation_star": spec,
        "focus": focus, "focus_star": foc, "stars": float(spec + foc) if rated else np.nan,
        "rated": rated,
    }  # fmt: skip
    return stars


def area_europe_stars(
    stars: pd.DataFrame, data: pd.DataFrame, area: str, members: Sequence[str], *, year: int
) -> pd.DataFrame:
    """Return the area's rows of a Europe-wide :func:`star_table` (one per cluster).

    Employment, totals, wages and local units are the members' sums; the LQ, productivity and
    growth are computed from the sums against the same European reference as the members'
    (read back from their rows); every cut is the NUTS2 regions' (the area is not in them). The
    size star is not rated (False, with ``size_comparable`` False): see :data:`SIZE_NOTE`.
    """
    from clusterlib.specialisation.europe import EMPLOYMENT, UNITS, WAGES, cluster_sums

    members = list(members)
    t = stars[(stars["year"] == year) & stars["region"].isin(members)]
    n = len(members)
    g = t.groupby("cluster", sort=True)
    complete = g["region"].nunique() == n
    emp = g["employment"].sum(min_count=n).where(g["employment"].count() == n)
    tot = g["region_total"].sum(min_count=n).where(g["region_total"].count() == n)
    first = g.first()
    # the European reference share and wages of each cluster, read back from any member's row
    ref_share = (t["focus"] / t["lq"]).groupby(t["cluster"]).first()
    ref_wages = (t["wages_per_person"] / t["productivity"]).groupby(t["cluster"]).first()
    ref_growth = (t["growth"] - t["growth_relative"] / 100).groupby(t["cluster"]).first()
    span = year - first["start_year"]
    with np.errstate(divide="ignore", invalid="ignore"):
        start = t["employment"] / (1 + t["growth"]) ** span.reindex(t["cluster"]).to_numpy()
        e0 = start.groupby(t["cluster"]).sum(min_count=n).where(
            t["growth"].notna().groupby(t["cluster"]).sum() == n)  # fmt: skip
    clusters = {c: tuple(codes) for c, codes in _clusters(t["cluster"].unique()).items()}
    sub = data[data["region"].isin(members)]
    raw = {
        k: cluster_sums(sub, indicator=ind, clusters=clusters, years=[year])
        .groupby("cluster")["value"].sum(min_count=n)
        for k, ind in (("wages", WAGES), ("emp", EMPLOYMENT), ("units", UNITS))
    }  # fmt: skip
    out = pd.DataFrame(index=emp.index)
    out["region"] = area
    out["cluster"] = emp.index
    out["country"] = "+".join(sorted({str(c) for c in t["country"]}))
    out["employment"], out["region_total"] = emp, tot
    out["focus"] = emp / tot
    out["lq"] = out["focus"] / ref_share
    with np.errstate(divide="ignore", invalid="ignore"):
        w, e, u = (raw[k].reindex(out.index) for k in ("wages", "emp", "units"))
        out["wages_per_person"] = (1e6 * w / e).where(e > 0)
        out["local_units"] = u
        out["unit_size"] = (e / u).where(u > 0)
        out["productivity"] = out["wages_per_person"] / ref_wages
        out["growth"] = ((emp / e0) ** (1 / span) - 1).where((e0 > 0) & (emp > 0))
    out["growth_relative"] = 100 * (out["growth"] - ref_growth)
    rated = complete & emp.notna() & tot.notna() & (tot > 0)
    for col in ("size_cut", "lq_cut", "focus_cut", "productivity_cut", "dynamism_cut",
                "reference", "year", "start_year"):  # fmt: skip
        out[col] = first[col]
    out["size_star"] = False
    out["size_comparable"] = False
    out["specialisation_star"] = rated & (out["lq"] >= out["lq_cut"])
    out["focus_star"] = rated & (out["focus"] >= out["focus_cut"])
    out["productivity_star"] = out["productivity"] >= out["productivity_cut"]
    out["dynamism_star"] = out["growth_relative"] >= out["dynamism_cut"]
    out["stars"] = (out["specialisation_star"].astype(int) + out["focus_star"]).where(rated)
    perf = out["productivity_star"].astype(int) + out["dynamism_star"]
    out["performance_stars"] = perf.where(rated)
    out["rated"] = rated
    return out[[c for c in [*stars.columns, "size_comparable"] if c in out.columns]].reset_index(
        drop=True
    )


def _clusters(names) -> dict[str, tuple[str, ...]]:
    from clusterlib.reference.clusters import cluster_codes

    return {str(c): tuple(cluster_codes(str(c))) for c in names}


def area_findings(area: str, members: Sequence[str], share: pd.DataFrame) -> list[Finding]:
    """Return the findings that say how an area is analysed, and its members' shares.

    ``share`` is :func:`members_table`.
    """
    from clusterlib.chapters.wording import region_name
    from clusterlib.i18n.phrases import listing, phrase

    parts = listing([phrase("{code} {name} {share:.0f}% (LQ {lq:.2f})", code=str(r),
                            name=region_name(str(r), row["name"]),
                            share=100 * float(row["share_of_area"]), lq=float(row["lq"]))
                     for r, row in share.iterrows()], sep="; ")  # fmt: skip
    return [
        Finding.said("area", "{area} is a cluster area: the sum of {members}. Its counts are its "
                     "members' sums and every LQ and interval is computed from them (never an "
                     "average of the members' LQs); the members stay in every comparison set of "
                     "single regions, and where the other regions' sums matter (ranks, "
                     "shift-share, indices) the area replaces its members, so nothing is counted "
                     "twice.", float(len(members)), area=area, members=", ".join(members)),
        Finding.said("members", "The members' shares of the area's cluster employment and their "
                     "own LQs: {parts}.", float(share["share_of_area"].max()), parts=parts),
        Finding.said("area_size", SIZE_NOTE, n=len(members)),
    ]  # fmt: skip


def related_note(area: str, members: Sequence[str]) -> str:
    """Return the note of notebook 04 on how an area is analysed (RCA, density, ECI)."""
    return (
        f"{area} is a cluster area analysed as one region: the sum of {', '.join(members)}. Its "
        "RCA, specialisations and relatedness density come from the summed employment against "
        "the European totals, with the proximity and complexity (PCI) of the NUTS2 regions. The "
        "economic complexity index (ECI) is defined for the units of one partition: it is "
        "computed with the area in place of its members, so its rank is among the other regions "
        "of Europe and the area."
    )


def unit_tables(table, eu, sections, by_reg, *, region, members, name, cluster, year, reference,
                 area) -> dict:  # fmt: skip
    """Return the chapter's tables with a cluster area as its unit (unchanged for a region).

    The area's rows stand beside its members for its own LQs and the heatmap (``unit_table``);
    where the other units matter (shift-share, ranks, indices) the area replaces its members.
    """
    from clusterlib.chapters.specialisation_show import cluster_by_region, indices_by_region

    stars = members_share = ranked = None
    indices = indices_by_region(sections)
    unit_table = nuts2 = table  # the table with the area's rows; the partition of the country
    if area:
        # the area's rows beside its members (for its LQs, the heatmap); the area in place of
        # its members where the other units matter (shift-share, ranks, indices)
        rows = area_table(table, region, members, reference=reference)
        unit_table = pd.concat([table, rows[table.columns.intersection(rows.columns)]],
                               ignore_index=True)  # fmt: skip
        table = collapse(table, region, members, reference=reference)
        eu = pd.concat([eu, area_table(eu, region, members, reference="eu")])
        # the short name in the chart's labels: "North-east Poland", not the members' list
        area_row = cluster_by_region(rows, cluster=cluster, year=year).assign(
            name=name.split(" (")[0]
        )
        stars = area_national_stars(by_reg, region, area_row.iloc[0])
        members_share = members_table(nuts2, region, members, cluster=cluster, year=year)
        ranked = cluster_by_region(table, cluster=cluster, year=year)["lq"]
        by_reg = pd.concat([by_reg, area_row])
        # the area's indices with it in place of its members (the national structure holds)
        own = indices_by_region(collapse_wide(sections, region, members))
        indices = pd.concat([indices, own[own.index == region]])
    return {"table": table, "unit_table": unit_table, "eu": eu, "by_reg": by_reg, "stars": stars,
            "members_share": members_share, "ranked": ranked, "indices": indices}  # fmt: skip


def region_codes(data: pd.DataFrame) -> pd.DataFrame:
    """Return the distinct region codes of a tidy table (through the cache: one small table per file)."""
    return pd.DataFrame({"region": pd.unique(data["region"].astype(str))})


def analysed_unit(region: str, *, nuts: int | str = 2013) -> tuple[str, str]:
    """Return what the data analysed hold for ``region`` of NUTS ``nuts``, and the sentence on it.

    A NUTS2 code is mapped to the NUTS version of the Eurostat file in use (the bundled one, or
    the one of ``data_path`` / ``--data``) by :func:`~clusterlib.reference.nuts_mapping.map_region`;
    a cluster area keeps its id, with the sentence of its members' mapping (``nuts`` in
    ``params/areas.yaml``).

    Raises
    ------
    UnknownCodeError
        A code not of NUTS ``nuts``, or a region the data hold only as part of another (PL91 in
        the NUTS 2013 data): see :func:`~clusterlib.reference.nuts_mapping.map_region`.

    Examples
    --------
    >>> analysed_unit("PL84", nuts=2021)
    ('PL34', 'PL84 (NUTS 2021) is PL34 in the NUTS 2013 data used here.')
    """
    from clusterlib.io.cache import cached_table
    from clusterlib.reference.areas import load_areas
    from clusterlib.reference.nuts import check_region, is_nuts_code, region_country
    from clusterlib.reference.nuts_mapping import DATA_VERSION, data_versions, map_region

    if not is_nuts_code(region):
        return region, load_areas().get(region, {}).get("note", "")
    codes = cached_table(region_codes)["region"]
    data = data_versions(codes, country=region_country(region))
    code, note = map_region(region, version=nuts, data=data)
    if DATA_VERSION in data:  # NUTS 2013 data: the code is one of its regions (PL84 is not)
        check_region(code)
    return code, note


def data_note() -> str:
    """Return the sentence naming the Eurostat file in use when it is not the bundled one ("")."""
    from clusterlib import config

    path = config.eurostat_path()
    if path == config.raw_dir() / config.EUROSTAT_FILE:
        return ""
    return (
        f"Data: the Eurostat file {path.name} (given by data_path or clusterlib run --data), in "
        "place of the bundled 2008-2015 extract."
    )
