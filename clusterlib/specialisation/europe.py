r"""The European Cluster Observatory rating across Europe, with the panoramas' performance dimensions.

:func:`star_table` rates every cluster of ``params/clusters.yaml`` in every NUTS2 region against
all European regions (the Observatory's comparison set) or, labelled as such, against the regions
of the same country. Five dimensions, each a star:

* **size**: the region's cluster employment is at or above the 90th percentile of the comparison
  set (the top 10%);
* **specialisation**: :math:`LQ \ge 2`;
* **focus**: the cluster's share of the region's employment is at or above the 90th percentile;
* **productivity**: wages and salaries per person employed in the cluster, relative to the
  cluster's across the comparison set, at or above the 90th percentile;
* **dynamism**: the cluster's compound annual employment growth minus the comparison set's, at or
  above the 90th percentile.

The first three are the Observatory's "specialised critical mass" stars (``stars``, 0-3); the
last two follow the European Cluster Panorama's performance dimensions (``performance_stars``,
0-2). Percentiles use linear interpolation (numpy's default); a value equal to the cut gets the
star. Deviations forced by the data: wages stand in for productivity (the Panorama also uses
wages, as value added is not available by region and division), and dynamism uses employment
growth only (no enterprise births in the file).

References
----------
European Cluster Observatory (2011). *Star rating methodology*: size, specialisation and focus,
top 10% of European regions and LQ >= 2. Ketels, C. & Protsiv, S. (2014, 2016). *European Cluster
Panorama*. Center for Strategy and Competitiveness, Stockholm School of Economics.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from clusterlib.errors import EmptySelectionError, OptionError
from clusterlib.io.select import select
from clusterlib.options import Policy, Reference, check_option
from clusterlib.reference.clusters import load_clusters, validate_clusters
from clusterlib.reference.nuts import is_nuts2, region_countries
from clusterlib.specialisation.table import specialisation_table

WAGES = "wages"  # wages and salaries, million EUR (V13320 or WAGE_LOC_MEUR)
UNITS = "local_units"  # local units (V11210 or LOC_NR)
EMPLOYMENT = "employment"  # persons employed (V16110 or EMP_LOC_NR)
DIMENSIONS = ("size", "specialisation", "focus", "productivity", "dynamism")


def cluster_sums(
    data: pd.DataFrame,
    *,
    indicator: str,
    clusters: Mapping[str, Iterable[str]],
    years: Iterable[int],
) -> pd.DataFrame:
    """Sum an indicator over each cluster's codes, per NUTS2 region and year (raw cells).

    A sum is NaN when any of the cluster's codes is missing or confidential in that region and
    year: never a partial sum passed off as the whole.

    Returns
    -------
    pandas.DataFrame
        Columns ``region``, ``cluster``, ``year``, ``value``.
    """
    codes = sorted({c for cs in clusters.values() for c in cs})
    cells = select(data, indicator=indicator, years=list(years))
    cells = cells[cells["industry"].isin(codes) & is_nuts2(cells["region"])]
    wide = cells.pivot_table(
        index=["region", "year"], columns="industry", values="value", aggfunc="first", dropna=False
    ).reindex(columns=codes)
    out = []
    for name, cs in clusters.items():
        block = wide[list(cs)]
        out.append(
            pd.DataFrame(
                {"value": block.sum(axis=1, min_count=len(cs)).where(block.notna().all(axis=1))}
            )
            .reset_index()
            .assign(cluster=name)
        )
    return pd.concat(out, ignore_index=True)[["region", "cluster", "year", "value"]]


def _top(values: pd.Series, groups: pd.Series, q: float) -> tuple[pd.Series, pd.Series]:
    """Per comparison group: the q-quantile cut (broadcast) and whether each value reaches it."""
    cuts = values.groupby(groups).quantile(q)  # NaN-skipping, linear interpolation
    cut = pd.Series(groups.map(cuts).to_numpy(dtype=float), index=values.index)
    return cut, values.notna() & (values >= cut)


def star_table(
    data: pd.DataFrame,
    *,
    clusters: Mapping[str, Iterable[str]] | None = None,
    year: int | Iterable[int],
    reference: Reference = "eu",
    policy: Policy = "fill",
    start_year: int | None = None,
    quantile: float = 0.9,
    lq_threshold: float = 2.0,
    table: pd.DataFrame | None = None,
) -> pd.DataFrame:
    r"""Rate every cluster in every NUTS2 region: five dimensions, thresholds stated per row.

    Parameters
    ----------
    data : pandas.DataFrame
        The tidy Eurostat table (all NUTS levels: the fill-in uses parent totals).
    clusters : mapping, optional
        Cluster name to NACE codes; default every cluster of ``params/clusters.yaml``.
    year : int or iterable of int
        Year(s) of the rating; several years are rated from one employment table.
    reference : {"eu", "country"}
        Comparison set: all NUTS2 regions in the data (the Observatory's rule, default) or the
        regions of the same country (labelled ``"country"`` in the output).
    policy : {"fill", "complete-sections", "missing"}
        Missing-cell policy of the employment table (see :func:`specialisation_table`).
    start_year : int, optional
        Start of the dynamism period; default five years before each year (or the first year).
    quantile : float, default 0.9
        Cut of the size, focus, productivity and dynamism stars (0.9: the top 10%).
    lq_threshold : float, default 2.0
        Cut of the specialisation star.
    table : pandas.DataFrame, optional
        A :func:`specialisation_table` of ``data`` with the clusters as pseudo-industries, for
        ``reference``, ``policy`` and every year needed, if already computed.

    Returns
    -------
    pandas.DataFrame
        One row per (region, cluster, year): ``country``, ``employment``, ``region_total``,
        ``lq``, ``focus`` (:math:`e_{rc}/e_{r.}`), ``wages_per_person`` (EUR), ``local_units``,
        ``unit_size`` (persons per local unit), ``productivity`` (relative
        to the comparison set's cluster, 1 = equal), ``growth`` (compound annual growth of cluster
        employment, start year to year), ``growth_relative`` (minus the comparison set's, in
        percentage points a year), a ``<dimension>_star`` column per dimension, ``stars``
        (size + specialisation + focus, 0-3), ``performance_stars`` (0-2), ``rated`` (False, and
        both star counts NaN, where the cluster's employment or the region's total is unknown,
        e.g. confidential: such a region is not rated, never given 0 stars), ``reference``, and the
        thresholds used: ``size_cut``, ``lq_cut``, ``focus_cut``, ``productivity_cut``,
        ``dynamism_cut``. Regions without a value in a dimension get no star there, never a
        guessed one.

    Raises
    ------
    OptionError
        A reference, policy or quantile outside its choices.
    EmptySelectionError
        A year that is not in the data.
    """
    check_option("reference", reference)
    check_option("policy", policy)
    if not 0 < quantile < 1:
        raise OptionError(f"quantile: expected a value strictly between 0 and 1, got {quantile}.")
    clusters = validate_clusters(clusters if clusters is not None else load_clusters())
    have = sorted(set(pd.unique(data["year"]).tolist()))
    wanted = [int(year)] if isinstance(year, int | np.integer) else sorted({int(y) for y in year})
    bad = [y for y in wanted if y not in have]
    if bad or not wanted:
        raise EmptySelectionError(f"year(s) {bad or wanted} not in the data; available: {have}.")
    starts = {y: start_year if start_year is not None else max(have[0], y - 5) for y in wanted}
    codes = sorted({c for cs in clusters.values() for c in cs})
    if table is None:
        table = specialisation_table(
            data, years=sorted(set(wanted) | set(starts.values())), industries=codes,
            clusters=clusters, reference=reference, policy=policy, areas={},
        )  # fmt: skip
    t = table[table["industry"].isin(list(clusters))]
    sums = {
        name: cluster_sums(data, indicator=ind, clusters=clusters, years=wanted).set_index(
            ["region", "cluster", "year"]
        )["value"]
        for name, ind in (("wages", WAGES), ("emp", EMPLOYMENT), ("units", UNITS))
    }
    frames = [_rate(t, sums, y, starts[y], reference, quantile, lq_threshold) for y in wanted]
    out = pd.concat(frames, ignore_index=True)
    out = out.sort_values(["year", "cluster", "region"], kind="stable", ignore_index=True)
    out.attrs.update({"years": wanted, "reference": reference, "quantile": quantile,
                      "lq_threshold": lq_threshold})  # fmt: skip
    return out


def _rate(t, sums, year, start, reference, quantile, lq_threshold) -> pd.DataFrame:
    """Star ratings of one year from the cluster rows of a specialisation table."""
    now = t[t["year"] == year].set_index(["region", "industry"])
    then = t[t["year"] == start].set_index(["region", "industry"])["count"]
    out = pd.DataFrame(
        {
            "country": now["country"],
            "employment": now["count"],
            "region_total": now["region_total"],
            "lq": now["lq"],
        }
    )
    out.index.names = ["region", "cluster"]
    out["focus"] = out["employment"] / out["region_total"]
    key = pd.MultiIndex.from_arrays(
        [out.index.get_level_values(0), out.index.get_level_values(1), np.full(len(out), year)]
    )
    w = sums["wages"].reindex(key).to_numpy()
    e = sums["emp"].reindex(key).to_numpy()
    u = sums["units"].reindex(key).to_numpy()
    ok = (e > 0) & ~np.isnan(w)
    out["wages_per_person"] = np.where(ok, 1e6 * w / np.where(e > 0, e, 1), np.nan)
    out["local_units"] = u
    out["unit_size"] = np.where((u > 0) & ~np.isnan(e), e / np.where(u > 0, u, 1), np.nan)
    group = (
        (out["country"] if reference == "country" else pd.Series("EU", index=out.index)).astype(str)
        + "|"
        + out.index.get_level_values("cluster")
    )
    w_sum = pd.Series(np.where(ok, w, np.nan), index=out.index).groupby(group).transform("sum")
    e_sum = pd.Series(np.where(ok, e, np.nan), index=out.index).groupby(group).transform("sum")
    out["productivity"] = out["wages_per_person"] / (1e6 * w_sum / e_sum)
    e0 = then.reindex(out.index)
    span = year - start
    both = (e0 > 0) & (out["employment"] > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        out["growth"] = ((out["employment"] / e0) ** (1 / span) - 1).where(both) if span else np.nan
        g1 = out["employment"].where(both).groupby(group).transform("sum")
        g0 = e0.where(both).groupby(group).transform("sum")
        ref_growth = (g1 / g0) ** (1 / span) - 1 if span else np.nan
    out["growth_relative"] = 100 * (out["growth"] - ref_growth)
    rated = out["employment"].notna() & out["region_total"].notna() & (out["region_total"] > 0)
    out["size_cut"], out["size_star"] = _top(out["employment"].where(rated), group, quantile)
    out["lq_cut"] = lq_threshold
    out["specialisation_star"] = rated & (out["lq"] >= lq_threshold)
    out["focus_cut"], out["focus_star"] = _top(out["focus"].where(rated), group, quantile)
    out["productivity_cut"], out["productivity_star"] = _top(out["productivity"], group, quantile)
    out["dynamism_cut"], out["dynamism_star"] = _top(out["growth_relative"], group, quantile)
    # a region whose cluster employment (or total) is unknown is not rated: NaN, never 0 stars
    out["stars"] = out[["size_star", "specialisation_star", "focus_star"]].sum(axis=1).where(rated)
    out["performance_stars"] = out[["productivity_star", "dynamism_star"]].sum(axis=1).where(rated)
    out["rated"] = rated
    out["reference"] = reference
    out["year"] = year
    out["start_year"] = start
    return out.reset_index()


def rank_in(table: pd.DataFrame, *, region: str, cluster: str, by: str = "employment") -> dict:
    """Return a region's rank (1 = highest ``by``) among all regions and within its country."""
    t = table[table["cluster"] == cluster].dropna(subset=[by])
    if region not in set(t["region"]):
        return {"europe": None, "n_europe": len(t), "country": None, "n_country": None}
    country = t.loc[t["region"] == region, "country"].iloc[0]
    within = t[region_countries(t["region"]) == country]
    value = t.loc[t["region"] == region, by].iloc[0]
    return {
        "europe": int((t[by] > value).sum() + 1),
        "n_europe": len(t),
        "country": int((within[by] > value).sum() + 1),
        "n_country": len(within),
    }
