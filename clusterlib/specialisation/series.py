r"""The cluster over time: region, country and Europe, year by year, with growth and a trend.

:func:`cluster_series` gives the yearly figures that the US Cluster Mapping Project shows
(employment, establishments, average establishment size, wages) for a region, its country and
Europe; :func:`growth_rates` their compound annual growth; :func:`trend_extrapolation` a linear
trend in log employment carried to a horizon year, with a prediction interval. Gaps stay gaps:
a year without data is NaN and flagged, never interpolated.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from clusterlib.errors import EmptySelectionError, OptionError
from clusterlib.options import Policy, check_option
from clusterlib.reference.clusters import cluster_codes
from clusterlib.reference.nuts import region_countries, region_country
from clusterlib.specialisation.europe import UNITS, WAGES, cluster_sums
from clusterlib.specialisation.table import specialisation_table

SERIES_COLUMNS = [
    "employment", "local_units", "unit_size", "wages_per_person", "share", "lq", "imputed",
    "missing",
]  # fmt: skip


def cluster_series(
    data: pd.DataFrame,
    *,
    region: str,
    cluster: str,
    years: list[int] | None = None,
    policy: Policy = "fill",
    table: pd.DataFrame | None = None,
    members: tuple[str, ...] | list[str] | None = None,
    sums: Mapping[str, pd.DataFrame] | None = None,
) -> pd.DataFrame:
    r"""Yearly figures of a cluster in a region, its country and Europe.

    Parameters
    ----------
    data : pandas.DataFrame
        The tidy Eurostat table.
    region : str
        NUTS2 code.
    cluster : str
        A cluster of ``params/clusters.yaml``.
    years : list of int, optional
        Default every year in the data.
    policy : {"fill", "complete-sections", "missing"}
        Missing-cell policy of the employment cells.
    table : pandas.DataFrame, optional
        The Europe-reference :func:`specialisation_table` of the cluster for ``years``, if
        already computed (e.g. through :func:`clusterlib.cached_table`); computed otherwise.
    members : sequence of str, optional
        For a cluster area (``region`` is its id, e.g. ``"PL-NE"``): its member regions (default:
        those of ``params/areas.yaml``). The
        area's figures are the members' sums (unknown in a year when a member's is); the country
        and Europe sum NUTS2 regions only, so nothing is counted twice.
    sums : mapping, optional
        The :func:`~clusterlib.specialisation.europe.cluster_sums` of the cluster's local units
        and wages for ``years`` (keys ``"local_units"`` and ``"wages"``), if already computed
        (they are the same for every region, e.g. through :func:`clusterlib.cached_table`);
        computed otherwise.

    Returns
    -------
    pandas.DataFrame
        Index (``year``, ``area``) with ``area`` the region code, its country code and ``"EU"``
        (all NUTS2 regions in the data); columns ``employment`` (persons), ``local_units``,
        ``unit_size`` (persons per local unit), ``wages_per_person`` (EUR: wages and salaries
        V13320 or WAGE_LOC_MEUR, million EUR, times :math:`10^6` over persons employed), ``share`` (of the area's
        business economy), ``lq`` (against Europe), ``imputed`` (an employment cell was filled by
        the confidential-cell policy) and ``missing`` (no employment figure that year, e.g. a
        NUTS code not yet in use). Country and Europe sum the NUTS2 regions that have cluster
        employment in every year requested (a balanced panel, so that their growth is not a
        change of composition; ``attrs["n_regions"]`` counts them); local units and wages sum the
        regions whose raw cells are known and are NaN where a region's cell is confidential.
    """
    check_option("policy", policy)
    codes = list(cluster_codes(cluster))
    have = sorted(set(pd.unique(data["year"]).tolist()))
    years = have if years is None else [int(y) for y in years]
    bad = [y for y in years if y not in have]
    if bad:
        raise EmptySelectionError(f"years {bad} are not in the data; available: {have}.")
    if members is None:  # a region is its own unit; an area id of params/areas.yaml its members
        from clusterlib.reference.areas import unit_regions

        members = unit_regions(region)
        members = members if members != (region,) else None
    own = list(members) if members is not None else [region]
    country = region_country(own[0])
    if table is None:
        table = specialisation_table(
            data, years=years, industries=codes, clusters={cluster: codes}, reference="eu",
            policy=policy, areas={},
        )  # fmt: skip
    t = table[table["year"].isin(years)]
    t = t[t["industry"] == cluster]
    absent = sorted(set(own) - set(t["region"]))
    if absent:
        which = f"region {absent[0]!r}" if len(absent) == 1 else f"regions {absent}"
        verb = "has" if len(absent) == 1 else "have"
        raise EmptySelectionError(f"{which} {verb} no {cluster!r} cells in the data.")
    sums = dict(sums or {})
    for ind in (UNITS, WAGES):
        if ind in sums:  # given: they must be the cluster's
            _check_sums(sums[ind], indicator=ind, cluster=cluster)
        else:
            sums[ind] = cluster_sums(data, indicator=ind, clusters={cluster: codes}, years=years)
    units, wages = sums[UNITS], sums[WAGES]
    t = t.merge(units.rename(columns={"value": "units"}).drop(columns="cluster"),
                on=["region", "year"], how="left")  # fmt: skip
    t = t.merge(wages.rename(columns={"value": "wages"}).drop(columns="cluster"),
                on=["region", "year"], how="left")  # fmt: skip
    # Country and Europe sum the same regions in every year (a balanced panel: the regions with
    # cluster employment in all years), so that their growth is not a change of composition.
    full = t["count"].notna().groupby(t["region"]).transform("sum") == len(set(years))
    areas = {
        region: t["region"].isin(own),
        country: full & (region_countries(t["region"]) == country),
        "EU": full,
    }
    frames = []
    for area, mask in areas.items():
        part = t[mask]
        g = part.groupby("year")
        known = part["count"].notna()
        emp = part["count"].where(known).groupby(part["year"]).sum(min_count=1)
        both_b = known & part["region_total"].notna()
        base = part["region_total"].where(both_b).groupby(part["year"]).sum(min_count=1)
        emp_b = part["count"].where(both_b).groupby(part["year"]).sum(min_count=1)
        both_u = known & part["units"].notna()
        both_w = known & part["wages"].notna()
        frames.append(
            pd.DataFrame(
                {
                    "employment": emp if area != region else _all_known(part, emp, len(own)),
                    "local_units": part["units"].groupby(part["year"]).sum(min_count=1)
                    if area == region
                    else part["units"].where(both_u).groupby(part["year"]).sum(min_count=1),
                    "emp_u": part["count"].where(both_u).groupby(part["year"]).sum(min_count=1),
                    "wages": part["wages"].where(both_w).groupby(part["year"]).sum(min_count=1),
                    "emp_w": part["count"].where(both_w).groupby(part["year"]).sum(min_count=1),
                    "share": emp_b / base,
                    "imputed": g["imputed"].any(),
                }
            ).assign(area=area)
        )
    out = pd.concat(frames).reset_index()  # the index is named year (grouped by part["year"])
    out["unit_size"] = out["emp_u"] / out["local_units"]
    out["wages_per_person"] = 1e6 * out["wages"] / out["emp_w"]
    eu_share = out[out["area"] == "EU"].set_index("year")["share"]
    out["lq"] = out["share"] / out["year"].map(eu_share)
    out["missing"] = out["employment"].isna()
    out = out.set_index(["year", "area"]).sort_index()[SERIES_COLUMNS]
    out.attrs.update(
        {
            "region": region,
            "country": country,
            "cluster": cluster,
            "n_regions": {a: int(t.loc[m, "region"].nunique()) for a, m in areas.items()},
        }
    )
    return out


def _check_sums(frame: pd.DataFrame, *, indicator: str, cluster: str) -> None:
    """Refuse given sums of another cluster (a year without a sum stays unknown, as computed)."""
    clusters = sorted(set(frame["cluster"].astype(str)))
    if clusters not in ([cluster], []):
        raise OptionError(
            f"sums[{indicator!r}]: has cluster(s) {clusters}; expected the cluster_sums of "
            f"cluster {cluster!r}. Pass those, or leave sums out to compute them."
        )


def _all_known(part: pd.DataFrame, emp: pd.Series, n: int) -> pd.Series:
    """Return the focal unit's employment by year, unknown where any of its regions' is."""
    return emp.where(part["count"].notna().groupby(part["year"]).sum() == n)


def growth_rates(series: pd.DataFrame, *, column: str = "employment") -> pd.DataFrame:
    r"""Compound annual growth of ``column`` per area, between its first and last year with data.

    .. math:: g = (x_{t_1} / x_{t_0})^{1/(t_1 - t_0)} - 1

    Returns
    -------
    pandas.DataFrame
        Per area: ``start``, ``end`` (years), ``value_start``, ``value_end``, ``cagr``,
        ``from_imputed`` (either end year used an imputed cell) and ``gaps`` (years without data
        in between).
    """
    rows = {}
    for area, s in series.groupby(level="area", sort=False):
        s = s.droplevel("area")
        known = s[column].dropna()
        if len(known) < 2:
            rows[area] = {"start": np.nan, "end": np.nan, "value_start": np.nan,
                          "value_end": np.nan, "cagr": np.nan, "from_imputed": False, "gaps": 0}  # fmt: skip
            continue
        t0, t1 = int(known.index.min()), int(known.index.max())
        x0, x1 = known.loc[t0], known.loc[t1]
        rows[area] = {
            "start": t0,
            "end": t1,
            "value_start": x0,
            "value_end": x1,
            "cagr": (x1 / x0) ** (1 / (t1 - t0)) - 1 if x0 > 0 else np.nan,
            "from_imputed": bool(s.loc[[t0, t1], "imputed"].any()),
            "gaps": int(s.loc[t0:t1, column].isna().sum()),
        }
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis("area")


def indexed(series: pd.DataFrame, *, column: str = "employment") -> pd.DataFrame:
    """Return ``column`` per year and area as an index, the first year with data = 100."""
    wide = series[column].unstack("area")
    first = wide.apply(lambda s: s.dropna().iloc[0] if s.notna().any() else np.nan)
    return 100 * wide / first


def trend_extrapolation(
    series: pd.DataFrame, *, area: str, horizon: int, level: float = 0.95
) -> pd.DataFrame:
    r"""Carry the linear trend of log employment to ``horizon``, with a prediction interval.

    An ordinary least-squares line :math:`\ln x_t = a + b t + e_t` through the years with data;
    the prediction interval at year :math:`h` is
    :math:`\hat y_h \pm t_{n-2} \hat\sigma \sqrt{1 + 1/n + (h - \bar t)^2 / \sum (t - \bar t)^2}`
    on the log scale, exponentiated. It is an extrapolation of the past years, **not a
    forecast**: it assumes the past trend continues and knows nothing about the economy.

    Returns
    -------
    pandas.DataFrame
        Years from the first with data to ``horizon``: ``observed``, ``trend``, ``low``,
        ``high``; ``attrs["annual_growth"]`` is :math:`e^b - 1`.

    References
    ----------
    Wooldridge, J. M. (2016). *Introductory Econometrics*, 6th ed., section 6.4 (prediction
    intervals).

    Examples
    --------
    >>> s = pd.DataFrame({"employment": [100.0, 110.0, 121.0]}, index=pd.MultiIndex.from_product(
    ...     [["PL34"], [2012, 2013, 2014]], names=["area", "year"]))
    >>> t = trend_extrapolation(s, area="PL34", horizon=2016)
    >>> round(t.attrs["annual_growth"], 4), round(float(t.loc[2016, "trend"]), 1)
    (0.1, 146.4)
    """
    if not 0 < level < 1:
        raise OptionError(f"level: expected a value between 0 and 1, got {level}.")
    from scipy import stats

    s = series.xs(area, level="area")["employment"].dropna()
    if len(s) < 3:
        raise EmptySelectionError(f"{area}: fewer than 3 years with data; no trend is fitted.")
    t = s.index.to_numpy(float)
    y = np.log(s.to_numpy(float))
    n = len(t)
    b, a = np.polyfit(t, y, 1)
    resid = y - (a + b * t)
    sigma = np.sqrt((resid @ resid) / (n - 2))
    years = np.arange(int(t.min()), int(horizon) + 1)
    sxx = ((t - t.mean()) ** 2).sum()
    se = sigma * np.sqrt(1 + 1 / n + (years - t.mean()) ** 2 / sxx)
    q = stats.t.ppf(0.5 + level / 2, n - 2)
    fit = a + b * years
    out = pd.DataFrame(
        {
            "observed": s.reindex(years).to_numpy(),
            "trend": np.exp(fit),
            "low": np.exp(fit - q * se),
            "high": np.exp(fit + q * se),
        },
        index=pd.Index(years, name="year"),
    )
    out.attrs["annual_growth"] = float(np.exp(b) - 1)
    return out
