"""Notebook 01, second half: the cluster across Europe and over time, and its peers.

:class:`EuropeBenchmark` is a part of :class:`~clusterlib.chapters.specialisation.SpecialisationChapter`
(its ``europe`` attribute), built once: the European Cluster Observatory rating of every cluster in
every region against all European regions (the headline); the cluster's series for the region, its
country and Europe; growth perspectives (sub-period shift-share, growth against the country and
Europe, a trend extrapolation that is not a forecast); peer regions and the benchmarking table.
Its findings and typed metrics (:class:`~clusterlib.chapters.metrics.EuropeMetrics`) are merged
into the chapter's; :class:`EuropeViews` are the chapter's sections that show it.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from clusterlib.chapters.base import View
from clusterlib.chapters.metrics import Estimate, EuropeMetrics, Finding
from clusterlib.chapters.specialisation_show import SOURCE as FIGURE_SOURCE
from clusterlib.chapters.specialisation_show import has_data, region_shift_share
from clusterlib.errors import ClusterlibError
from clusterlib.reference.nuts import region_country
from clusterlib.specialisation.europe import DIMENSIONS

SOURCE = (
    "Eurostat (sbs_r_nuts06_r2), extracted 2017-07-31; persons employed (V16110), local units "
    "(V11210), wages and salaries (V13320)"
)
REPORT = "01_specialisation.html"


@dataclass(frozen=True)
class EuropeBenchmark:
    """The Europe-wide benchmarking of one region's cluster (see the module docstring).

    The national rating (an option) is notebook 01's own star table
    (:attr:`SpecialisationChapter.stars`), so it is not computed twice here.
    """

    region: str
    cluster: str
    year: int
    start_year: int
    horizon: int
    stars: pd.DataFrame  # every cluster x region, EU reference
    series: pd.DataFrame
    growth: pd.DataFrame
    indexed: pd.DataFrame
    trend: pd.DataFrame | None
    subperiods: pd.DataFrame
    peers: pd.DataFrame
    benchmark: pd.DataFrame
    ranks: dict
    members: tuple[str, ...] = ()  # the member regions of a cluster area (empty for a region)

    @classmethod
    def build(
        cls,
        *,
        region: str,
        cluster: str,
        year: int,
        start_year: int,
        horizon: int,
        policy: str = "fill",
        n_peers: int = 10,
    ) -> EuropeBenchmark:
        """Compute the benchmarking from the bundled data, through clusterlib's Parquet cache."""
        from clusterlib.chapters import areas as au
        from clusterlib.io.cache import cached_table, load_eurostat
        from clusterlib.reference.clusters import cluster_codes
        from clusterlib.specialisation.europe import UNITS, WAGES, cluster_sums, rank_in, star_table
        from clusterlib.specialisation.peers import area_peers, division_shares, peer_regions
        from clusterlib.specialisation.series import cluster_series, growth_rates, indexed
        from clusterlib.specialisation.table import specialisation_table

        stars = cached_table(star_table, year=year, start_year=start_year, policy=policy)
        data = load_eurostat()
        codes = list(cluster_codes(cluster))
        members, unit_name = au.unit(region)
        area = au.is_area(region, members)
        country = region_country(members[0])
        years = sorted(set(data["year"].unique().tolist()))
        eu_table = cached_table(
            specialisation_table, years=years, industries=codes, clusters={cluster: codes},
            reference="eu", policy=policy, areas={},
        )  # fmt: skip
        sums = {  # the same for every region: computed once per batch
            ind: cached_table(cluster_sums, indicator=ind, clusters={cluster: codes}, years=years)
            for ind in (UNITS, WAGES)
        }
        series = cluster_series(data, region=region, cluster=cluster, policy=policy, table=eu_table,
                                members=members if area else None, sums=sums)  # fmt: skip
        table = cached_table(
            specialisation_table, years=years,
            countries=country, clusters={cluster: codes}, policy=policy, areas={},
        )  # fmt: skip
        if area:  # the area in place of its members: the country's sums are unchanged
            table = au.collapse(table, region, members, reference="country")
        mid = (start_year + year) // 2
        rows, notes = {}, []
        for a, b in ((start_year, mid), (mid, year)):
            if not (
                has_data(table, region=region, year=a) and has_data(table, region=region, year=b)
            ):
                notes.append(f"{a}–{b}: the region has no data in one of the years")
                continue
            try:
                ss = region_shift_share(
                    table, region=region, start_year=a, end_year=b, industries=[cluster]
                )
            except ClusterlibError as exc:  # e.g. a region of the country without a total
                notes.append(f"{a}–{b}: {exc}")
                continue
            rows[f"{a}–{b}"] = ss.loc[cluster]
        subperiods = pd.DataFrame(rows).T.rename_axis("period")
        subperiods.attrs["notes"] = notes
        wide = cached_table(division_shares, year=year, policy=policy)
        if area:  # peers among NUTS2 regions (not its members) and other areas
            peers = area_peers(wide, region, members, n=n_peers)
            # the area rated against the NUTS2 cuts, which are computed without it
            stars = pd.concat([stars, au.area_europe_stars(stars, data, region, members, year=year)],
                              ignore_index=True)  # fmt: skip
        else:
            peers = peer_regions(
                data, region=region, year=year, n=n_peers, policy=policy, wide=wide
            )
        mine = stars[stars["cluster"] == cluster].set_index("region")
        focal_and_peers = [region, *peers["region"]]
        bench = mine.reindex(focal_and_peers)[
            ["employment", "lq", "stars", "performance_stars", "wages_per_person", "growth",
             "unit_size"]
        ].copy()  # fmt: skip
        bench.insert(0, "name", [unit_name, *peers["name"]])
        bench.insert(1, "distance", [0.0, *peers["distance"]])
        return cls(
            region=region,
            cluster=cluster,
            year=year,
            start_year=start_year,
            horizon=horizon,
            stars=stars,
            series=series,
            growth=growth_rates(series),
            indexed=indexed(series),
            trend=_trend(series, region, horizon),
            subperiods=subperiods,
            peers=peers,
            benchmark=bench,
            ranks=rank_in(stars, region=region, cluster=cluster, by="employment")
            | {"lq": rank_in(stars, region=region, cluster=cluster, by="lq")},
            members=members if area else (),
        )

    def indexed_areas(self) -> pd.DataFrame:
        """Return the employment index with the region, its country and Europe, those present."""
        order = [self.region, region_country(self.region), "EU"]
        return self.indexed[[a for a in order if a in self.indexed.columns]]

    @property
    def row(self) -> pd.Series:
        """The region's row of the Europe-wide star table for its cluster."""
        t = self.stars
        return t[(t["region"] == self.region) & (t["cluster"] == self.cluster)].iloc[0]

    def star_view(self) -> pd.DataFrame:
        """Return every cluster's rating in the region, with the thresholds used."""
        t = self.stars[self.stars["region"] == self.region].set_index("cluster")
        return t[
            ["employment", "size_cut", "size_star", "lq", "lq_cut", "specialisation_star",
             "focus", "focus_cut", "focus_star", "productivity", "productivity_cut",
             "productivity_star", "growth_relative", "dynamism_cut", "dynamism_star", "stars",
             "performance_stars"]
        ]  # fmt: skip

    def europe_map_values(self) -> pd.Series:
        """Return the cluster's stars (0-3) in every European region, for the map."""
        t = self.stars[self.stars["cluster"] == self.cluster].set_index("region")
        return t["stars"].where(t["employment"].notna()).astype(float)

    def tables(self) -> dict[str, pd.DataFrame]:
        """Every table the chapter shows, by export name."""
        return {
            "stars_europe": self.star_view(),
            "stars_all_regions": self.stars[self.stars["cluster"] == self.cluster],
            "series": self.series.reset_index(),
            "growth": self.growth,
            **({"trend_extrapolation": self.trend} if self.trend is not None else {}),
            "shift_share_subperiods": self.subperiods,
            "peers_benchmark": self.benchmark,
        }

    def findings(self) -> list[Finding]:
        """Key findings of the European benchmarking, each with the number it rests on."""
        from clusterlib.chapters.specialisation_findings import europe_findings

        return europe_findings(self)

    def metrics(self) -> EuropeMetrics:
        """Return the Europe-wide headline numbers (merged into the chapter's metrics)."""
        r, g = self.row, self.growth

        def cagr(area):
            ok = area in g.index and pd.notna(g.at[area, "cagr"])
            return Estimate(
                value=float(g.at[area, "cagr"]) if ok else None,
                unit="share a year",
                source=SOURCE,
                year=int(g.at[area, "end"]) if ok else None,
                report=f"{REPORT}#The-cluster-over-time",
            )

        return EuropeMetrics(
            eu_stars=None if pd.isna(r["stars"]) else int(r["stars"]),
            eu_performance_stars=(
                None if pd.isna(r["performance_stars"]) else int(r["performance_stars"])
            ),
            eu_star_detail={d: bool(r[f"{d}_star"]) for d in DIMENSIONS},
            eu_thresholds={
                "size": float(r["size_cut"]),
                "lq": float(r["lq_cut"]),
                "focus": float(r["focus_cut"]),
                "productivity": float(r["productivity_cut"]),
                "dynamism": float(r["dynamism_cut"]),
            },
            growth_region=cagr(self.region),
            growth_country=cagr(region_country(self.region)),
            growth_eu=cagr("EU"),
            wages_per_person=Estimate(
                value=None if pd.isna(r["wages_per_person"]) else float(r["wages_per_person"]),
                unit="EUR per person employed",
                source=SOURCE,
                year=self.year,
                report=f"{REPORT}#Peer-regions",
            ),
            peers=list(self.peers["region"]),
        )


class EuropeViews:
    """The sections of notebook 01 that show :attr:`SpecialisationChapter.europe`.

    Mixed into the chapter: the attributes are those of SpecialisationChapter.
    """

    def show_europe_stars(self) -> View:
        """Show the Observatory's stars of every cluster against all European regions, and the map."""
        from clusterlib.figures import maps

        eu, c, y = self.europe, self.cluster, self.year
        v = eu.star_view().rename_axis("cluster")
        mass = ["employment", "size_cut", "size_star", "lq", "lq_cut", "specialisation_star",
                "focus", "focus_cut", "focus_star", "stars"]  # fmt: skip
        perf = ["productivity", "productivity_cut", "productivity_star", "growth_relative",
                "dynamism_cut", "dynamism_star", "performance_stars"]  # fmt: skip
        fig = maps.choropleth(eu.europe_map_values(), europe=True, focal=self.members or self.region, center=None,
                              cmap="YlOrRd", legend="Observatory stars (0–3)", source=FIGURE_SOURCE,
                              title=f"{c}: European Cluster Observatory stars, {y}")  # fmt: skip
        return (
            View()
            .table(v[mass], labels={"size_cut": "Size cut (persons)", "lq_cut": "LQ cut",
                                    "focus_cut": "Focus cut", "stars": "Observatory stars (0–3)"},
                   percent=["focus_cut"], digits=2, caption=f"{self.region} {self.name}, {y}: "
                   "every cluster of params/clusters.yaml against all European NUTS2 regions — "
                   "specialised critical mass (cut = the threshold)")
            .table(v[perf], labels={
                "productivity": "Productivity (wages per person, Europe = 1)",
                "productivity_cut": "Productivity cut",
                "growth_relative": "Growth minus Europe (pp a year)",
                "dynamism_cut": "Dynamism cut (pp a year)",
                "performance_stars": "Performance stars (0–2)"}, digits=2,
                caption="Performance dimensions of the European Cluster Panorama (wages stand in "
                "for productivity)")
            .figure(fig, alt=f"Map of the number of Observatory stars (0 to 3) of the {c} cluster "
                    f"in every European NUTS2 region in {y}; grey where no value; {self.region} "
                    "outlined.")
        )  # fmt: skip

    def show_series(self) -> View:
        """Show the cluster over time: the series, the indexed chart and the growth rates."""
        from clusterlib.figures import charts

        eu, c, r, k = self.europe, self.cluster, self.region, self.country
        return (
            View()
            .table(eu.series.reset_index().set_index(["area", "year"]).sort_index(),
                   labels={"share": "Share of the business economy", "lq": "LQ (Europe = 1)"},
                   caption=f"{c}: {r}, {k} and Europe by year (wages per person in EUR)",
                   digits=2, max_rows=30)
            .figure(charts.indexed_chart(eu.indexed_areas(), source=FIGURE_SOURCE,
                                         title=f"{c}: employment, first year = 100"),
                    alt=f"Line chart of {c} employment in {r}, {k} and Europe, each as an index "
                    "with its first year = 100.")
            .table(eu.growth, labels={"cagr": "Growth a year", "value_start": "Persons, start",
                                      "value_end": "Persons, end"}, percent=["cagr"], digits=0,
                   caption="Compound annual growth of cluster employment between the first and "
                   "the last year with data")
        )  # fmt: skip

    def show_perspectives(self) -> View:
        """Show the sub-period shift-share and the trend extrapolation (not a forecast)."""
        from clusterlib.figures import charts

        eu, c, r, h = self.europe, self.cluster, self.region, self.europe.horizon
        v = View()
        sub = eu.subperiods
        if len(sub):
            v.table(sub[["start", "end", "change", "national_share", "industry_mix",
                         "regional_shift"]], digits=0,
                    caption=f"Shift-share of {c} in {r} by sub-period (persons)")  # fmt: skip
        for text in sub.attrs.get("notes", []):
            v.note(f"No shift-share for {text}")
        if eu.trend is None:
            return v.note(f"{r} has fewer than 3 years with data: no trend is extrapolated.")
        fig = charts.trend_chart(eu.trend, source=FIGURE_SOURCE,
                                 title=f"{c} in {r}: trend extrapolated to {h} (not a forecast)")  # fmt: skip
        return (
            v.figure(fig, alt=f"Observed cluster employment in {r}, its log-linear trend and the "
                     f"95% prediction band extrapolated to {h}.")
            .table(eu.trend.tail(h - self.year), digits=0, caption=f"Trend extrapolation of "
                   f"{r}'s cluster employment (persons; not a forecast)")
        )  # fmt: skip

    def show_peers(self) -> View:
        """Show the region and its most similar European regions, and its ranks."""
        eu, r, k = self.europe, self.region, self.country
        rk = eu.ranks
        return (
            View()
            .table(eu.benchmark, digits=3, caption=f"{self.cluster}: {r} and its 10 most similar "
                   f"European regions, {self.year} (stars across Europe; growth a year "
                   f"{eu.start_year}–{self.year}; wages per person in EUR)")
            .markdown(f"{r} ranks **{rk['europe']} of {rk['n_europe']}** European regions and "
                      f"**{rk['country']} of {rk['n_country']}** in {k} by cluster employment; by "
                      f"LQ, {rk['lq']['europe']} in Europe and {rk['lq']['country']} in {k}.")
        )  # fmt: skip


def _trend(series: pd.DataFrame, region: str, horizon: int) -> pd.DataFrame | None:
    """Return the trend extrapolation, or None when the region has fewer than 3 years of data."""
    from clusterlib.specialisation.series import trend_extrapolation

    known = series.xs(region, level="area")["employment"].notna().sum()
    return trend_extrapolation(series, area=region, horizon=horizon) if known >= 3 else None
