"""The sections of notebook 01, one view each (mixed into :class:`SpecialisationChapter`).

Each ``show_*`` method returns a :class:`~clusterlib.chapters.base.View` of one section of the
notebook: the tables and figures of the chapter's computed attributes, with captions and alt
text. Nothing is computed here that the chapter does not hold already.
"""

from __future__ import annotations

from pathlib import Path

from clusterlib.chapters.base import View

#: Source line of the figures of notebook 01 (the chapter's SOURCE).
SOURCE = "Eurostat (sbs_r_nuts06_r2), extracted 2017-07-31; persons employed (V16110)"


class SpecialisationViews:
    """View methods of notebook 01; the attributes are those of SpecialisationChapter."""

    def show_header(self) -> View:
        """Show the region, the cluster, the reference area, the policy and the year."""
        from clusterlib.chapters.display import md_text

        area = (f"the NUTS2 regions of {self.country}" if self.reference == "country"
                else "all EU NUTS2 regions in the data")  # fmt: skip
        v = View().markdown(
            f"**{self.region} {md_text(self.name)}** · cluster *{md_text(self.cluster)}* = "
            f"{', '.join(self.codes)} · reference area: {area} · missing-cell policy "
            f"`{self.policy}` · year {self.year}"
        )
        return v + self.show_members() if self.members else v

    def show_members(self) -> View:
        """Show a cluster area's members: their share of its cluster and their own LQs."""
        if not self.members:
            return View()
        return (
            View()
            .note(f"{self.region} is a cluster area of params/areas.yaml, analysed as one region: "
                  f"its counts are the sums of {', '.join(self.members)}. Every LQ and interval "
                  "of the area is computed from the sums (the delta method for a sum of "
                  "regions). The members stay in every set of single regions; where the other "
                  "regions' sums matter (ranks, shift-share, indices) the area replaces them, so "
                  "nothing is counted twice. Star thresholds are set over single NUTS2 regions: "
                  "the area has no size star.")
            .table(self.members_share, percent=["share_of_area"], digits=2,
                   labels={"share_of_area": "Share of the area's cluster employment"},
                   caption=f"The members of {self.region}: their share of the area's "
                   f"{self.cluster} employment and their own LQ, {self.year}")
        )  # fmt: skip

    def show_divisions(self) -> View:
        """Show every division of the region (and the cluster), most specialised first."""
        return View().table(self.lq_region, labels={"label": "Division"}, max_rows=120,
                            caption=f"{self.region} {self.name}, {self.year}: every division (and "
                            "the cluster), most specialised first")  # fmt: skip

    def show_regions(self) -> View:
        """Show the cluster in every region of the country: the table and the bar chart."""
        from clusterlib.figures import charts

        c, y = self.cluster, self.year
        cols = ["name", "count", "lq", "lq_low", "lq_high", "significant", "imputed"]
        return (
            View()
            .table(self.by_region[cols].sort_values("lq", ascending=False),
                   caption=f"{c} in the NUTS2 regions of {self.country}, {y}")
            .figure(charts.lq_bar_chart(self.by_region, focal=self.region, source=SOURCE,
                                        title=f"{c}: location quotient by region, {y}"),
                    alt=f"Bar chart of the {c} cluster's location quotient in each region of "
                    f"{self.country} in {y}, with 95% intervals; {self.region} is highlighted.")
        )  # fmt: skip

    def show_country_map(self) -> View:
        """Show the map of the cluster's LQ in the regions of the country."""
        from clusterlib.figures import maps

        c, y, k = self.cluster, self.year, self.country
        fig = maps.choropleth(self.by_region["lq"], country=k, focal=self.members or self.region,
                              legend="location quotient", source=SOURCE,
                              title=f"{c}: location quotient, {k} NUTS2 regions, {y}")  # fmt: skip
        return View().figure(fig, alt=f"Map of the {c} cluster's location quotient in the regions "
                             f"of {k}, {y}; red above 1, blue below; {self.region} outlined.")  # fmt: skip

    def show_europe_map(self) -> View:
        """Show the map of the cluster's LQ across European regions and the region's value."""
        from clusterlib.figures import maps

        c, y, lq = self.cluster, self.year, self.eu["lq"]
        fig = maps.choropleth(lq, europe=True, focal=self.members or self.region, source=SOURCE,
                              legend="location quotient (EU reference)",
                              title=f"{c}: location quotient across European NUTS2 regions, {y}")  # fmt: skip
        return (
            View()
            .figure(fig, alt=f"Map of the {c} cluster's location quotient in every European NUTS2 "
                    f"region with data, {y}; grey where no value.")
            .markdown(f"{self.region}: LQ against all EU regions "
                      f"**{lq.get(self.region, float('nan')):.2f}**; "
                      f"{int(lq.drop(index=self.region).notna().sum() if self.members else lq.notna().sum()):,} "
                      "regions with a value.")
        )  # fmt: skip

    def show_heatmap(self) -> View:
        """Show region x manufacturing division LQs."""
        from clusterlib.figures import charts

        k, y = self.country, self.year
        fig = charts.lq_heatmap(self.heatmap, focal=self.region, source=SOURCE,
                                title=f"Location quotients of manufacturing divisions, {k}, {y}")  # fmt: skip
        return View().figure(fig, alt=f"Heatmap of location quotients of every manufacturing "
                             f"division (columns) in every region of {k} (rows), {y}, on a log "
                             f"colour scale centred at 1; {self.region} framed.")  # fmt: skip

    def show_indices(self) -> View:
        """Show the specialisation indices of the country's regions."""
        return View().table(self.indices.sort_values("krugman", ascending=False), digits=3,
                            caption=f"Specialisation of the regions of {self.country} over the "
                            f"sections of the business economy, {self.year}")  # fmt: skip

    def show_shift_share(self) -> View:
        """Show the cluster's shift-share and the divisions with the largest shifts."""
        period = f"{self.start_year}–{self.year}"
        if self.shift is None:
            return View().note(f"No shift-share for {period}: {self.shift_note}")
        cols = ["start", "end", "change", "national_share", "industry_mix", "regional_shift"]
        ranked = self.shift.drop(index=self.cluster).sort_values("regional_shift")
        return (
            View()
            .table(self.shift.loc[[self.cluster, *self.codes], [*cols, "competitive", "allocation"]],
                   caption=f"Shift-share of the cluster, {period} (persons employed)", digits=0)
            .table(ranked[cols].iloc[[0, 1, 2, -3, -2, -1]], digits=0, caption="The three "
                   "manufacturing divisions with the largest losses and gains against national "
                   f"trends, {period} (persons)")
        )  # fmt: skip

    def show_national_stars(self) -> View:
        """Show the star rating among the regions of the country."""
        return View().table(self.stars.sort_values(["stars", "employment"], ascending=False),
                            digits=3, caption=f"Stars among the regions of {self.country}, "
                            f"{self.year} (thresholds: top 10% employment, LQ ≥ 2, top 10% focus)")  # fmt: skip

    def show_europe_stars(self) -> View:
        """Show the Observatory's stars of every cluster against all European regions, and the map."""
        from clusterlib.figures import maps

        eu, c, y = self.europe, self.cluster, self.year
        v = eu.star_view().rename_axis("cluster")
        mass = ["employment", "size_cut", "size_star", "lq", "lq_cut", "specialisation_star",
                "focus", "focus_cut", "focus_star", "stars"]  # fmt: skip
        perf = ["productivity", "productivity_cut", "productivity_star", "growth_relative",
                "dynamism_cut", "dynamism_star", "performance_stars"]  # fmt: skip
        fig = maps.choropleth(eu.europe_map_values(), europe=True, center=None,
                              focal=self.members or self.region,
                              cmap="YlOrRd", legend="Observatory stars (0–3)", source=SOURCE,
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
            .figure(charts.indexed_chart(eu.indexed_areas(), source=SOURCE,
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
        fig = charts.trend_chart(eu.trend, source=SOURCE,
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

    def show_portfolio(self) -> View:
        """Show the region's portfolio of manufacturing divisions."""
        from clusterlib.figures import charts

        if self.portfolio is None:
            return View().note(f"No portfolio chart: {self.shift_note}")
        r, s, y = self.region, self.start_year, self.year
        fig = charts.portfolio_chart(self.portfolio, highlight=list(self.codes), source=SOURCE,
                                     title=f"{r} {self.name}: manufacturing portfolio, {s}-{y}")  # fmt: skip
        return View().figure(fig, alt=f"Bubble chart of {r}'s manufacturing divisions: location "
                             f"quotient in {y} (x, log scale) against employment growth minus "
                             f"national growth {s}-{y} (y); bubble area is employment; the "
                             "cluster's divisions in red.")  # fmt: skip

    def show_imputed(self) -> View:
        """Show the cells the fill-in estimated, or say that none was needed."""
        if not len(self.imputed):
            return View().markdown("No cell of the region needed imputation.")
        return View().table(self.imputed, labels={"label": "Division"}, digits=0,
                            caption="Cells estimated by the fill-in (persons employed)")  # fmt: skip

    def show_findings(self) -> View:
        """Show the key findings of the region and of the European benchmarking."""
        return View().markdown(self.findings()).markdown(self.europe.findings())

    def tables(self) -> dict:
        """Return the chapter's tables for export, by file name (with the European ones)."""
        extra = {"lq_region": self.lq_region, "cluster_by_region": self.by_region,
                 "indices": self.indices, "stars_national": self.stars}  # fmt: skip
        if self.members:
            extra["area_members"] = self.members_share
        return {**extra, **self.europe.tables()}

    def save(self, output_dir: str | Path | None) -> None:
        """Write the tables (CSV and one XLSX workbook) and ``metrics.json`` into ``output_dir``."""
        from clusterlib.chapters.metrics import write_metrics

        if output_dir:  # the batch collects the tables as CSV and one XLSX workbook per region
            self.europe.export(output_dir, extra={k: v for k, v in self.tables().items()
                                                  if k not in self.europe.tables()})  # fmt: skip
            write_metrics(self.metrics(europe=self.europe), output_dir)
