"""The views of notebook 01: its ready-to-read tables and its sections.

The functions (DataFrame in, DataFrame out) cut a :func:`specialisation_table` into the tables
the notebook shows, for one region, cluster or year; :class:`SpecialisationChapter` computes them
once. Each ``show_*`` method of :class:`SpecialisationViews` (mixed into the chapter) returns a
:class:`~clusterlib.chapters.base.View` of one section of the notebook: the tables and figures of
the chapter's computed attributes, with captions and alt text. The Europe-wide sections are
:class:`~clusterlib.chapters.europe.EuropeViews`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from clusterlib.chapters.base import View
from clusterlib.errors import EmptySelectionError
from clusterlib.reference.nace import nace_labels
from clusterlib.reference.nuts import nuts_table
from clusterlib.specialisation.indices import (
    herfindahl,
    krugman_index,
    shannon_entropy,
    specialisation_coefficient,
)
from clusterlib.specialisation.shift_share import shift_share

#: Source line of the figures of notebook 01 (the chapter's SOURCE).
SOURCE = "Eurostat (sbs_r_nuts06_r2), extracted 2017-07-31; persons employed (V16110)"


_LQ_COLS = ["count", "lq", "lq_low", "lq_high", "significant", "imputed", "status"]


def region_lq(table: pd.DataFrame, *, region: str, year: int) -> pd.DataFrame:
    """LQs of every industry of one region and year, most specialised first, with NACE labels."""
    t = table[(table["region"] == region) & (table["year"] == year)].set_index("industry")
    out = t[_LQ_COLS].copy()
    out.insert(0, "label", nace_labels(out.index).fillna("cluster"))
    return out.sort_values("lq", ascending=False)


def cluster_by_region(table: pd.DataFrame, *, cluster: str, year: int) -> pd.DataFrame:
    """One industry (or cluster) in every region of the table, with region names."""
    t = table[(table["industry"] == cluster) & (table["year"] == year)].set_index("region")
    out = t[["region_total", *_LQ_COLS]].copy()
    out.insert(0, "name", nuts_table(out.index)["name"].reindex(out.index).to_numpy())
    return out


def lq_matrix(
    table: pd.DataFrame, *, year: int, industries: list[str] | None = None
) -> pd.DataFrame:
    """Wide region x industry LQ matrix for one year."""
    t = table[table["year"] == year]
    if industries is not None:
        t = t[t["industry"].isin(industries)]
    return t.pivot(index="region", columns="industry", values="lq")


def indices_by_region(sections: pd.DataFrame) -> pd.DataFrame:
    """Krugman index, specialisation coefficient, Herfindahl and Shannon entropy of every region.

    ``sections`` is the wide region x section matrix (:func:`employment_matrix`); regions with a
    missing section are left out.
    """
    x = sections.dropna()
    return pd.DataFrame(
        {
            "krugman": krugman_index(x),
            "specialisation_coefficient": specialisation_coefficient(x),
            "herfindahl": herfindahl(x),
            "shannon_entropy_bits": shannon_entropy(x),
        }
    )


def _counts(table: pd.DataFrame, year: int) -> tuple[pd.DataFrame, pd.Series]:
    t = table[table["year"] == year]
    wide = t.pivot(index="region", columns="industry", values="count")
    base = t.drop_duplicates("region").set_index("region")["region_total"]
    return wide, base


def has_data(table: pd.DataFrame, *, region: str, year: int) -> bool:
    """Tell whether the table has a known count for the region in that year.

    False for a code introduced by a NUTS revision after ``year`` (e.g. DE40, DED4 and DED5 of
    NUTS 2013, whose data before 2011 sit under DE41/DE42 and DED1/DED3).
    """
    rows = table[(table["region"] == region) & (table["year"] == year)]
    return bool(rows["count"].notna().any())


def _require(table: pd.DataFrame, region: str, year: int) -> None:
    if not has_data(table, region=region, year=year):
        raise EmptySelectionError(
            f"region {region!r} has no employment data in {year} (a code introduced by a later "
            "NUTS revision has none before it). Choose a later start year."
        )


def region_shift_share(
    table: pd.DataFrame, *, region: str, start_year: int, end_year: int, industries: list[str]
) -> pd.DataFrame:
    """Shift-share of a region's industries between two years against the table's other regions.

    Industries unknown in either year in some region are left out of the reference sums.

    Raises
    ------
    EmptySelectionError
        If the region has no data in one of the years.
    """
    _require(table, region, start_year)
    _require(table, region, end_year)
    s0, b0 = _counts(table, start_year)
    s1, b1 = _counts(table, end_year)
    regions = s0.index.intersection(s1.index)
    s0, s1 = s0.loc[regions, industries], s1.loc[regions, industries]
    ss = shift_share(
        s0.fillna(0),
        s1.fillna(0),
        region_total_start=b0.reindex(regions),
        region_total_end=b1.reindex(regions),
    )
    out = ss.xs(region, level="region")
    unknown = s0.loc[region].isna() | s1.loc[region].isna()
    return out[~unknown.reindex(out.index).to_numpy()]


def region_portfolio(
    table: pd.DataFrame, *, region: str, start_year: int, end_year: int, industries: list[str]
) -> pd.DataFrame:
    """Portfolio (bubble) chart data of a region's industries.

    Per industry: the end-year LQ, the region's employment growth in % and the national growth of
    the same industry, their difference (percentage points) and end-year employment.

    Raises
    ------
    EmptySelectionError
        If the region has no data in one of the years.
    """
    _require(table, region, start_year)
    _require(table, region, end_year)
    t0 = table[(table["year"] == start_year) & table["industry"].isin(industries)]
    t1 = table[(table["year"] == end_year) & table["industry"].isin(industries)]
    r0 = t0[t0["region"] == region].set_index("industry")
    r1 = t1[t1["region"] == region].set_index("industry")
    nat0 = t0.drop_duplicates("industry").set_index("industry")["industry_total"]
    nat1 = t1.drop_duplicates("industry").set_index("industry")["industry_total"]
    idx = r1.index.intersection(r0.index)
    with np.errstate(divide="ignore", invalid="ignore"):
        growth = 100 * (
            r1.loc[idx, "count"] / r0.loc[idx, "count"].where(r0.loc[idx, "count"] > 0) - 1
        )
        national = 100 * (nat1.reindex(idx) / nat0.reindex(idx) - 1)
    out = pd.DataFrame(
        {
            "lq": r1.loc[idx, "lq"],
            "growth": growth,
            "national_growth": national,
            "relative_growth": growth - national,
            "employment": r1.loc[idx, "count"],
        }
    )
    return out.dropna()


class SpecialisationViews:
    """View methods of notebook 01; the attributes are those of SpecialisationChapter."""

    def show_header(self) -> View:
        """Show the region, the cluster, the reference area, the policy and the year."""
        from clusterlib.chapters.display import md_text

        area = (f"the NUTS2 regions of {self.country}" if self.reference == "country"
                else "all EU NUTS2 regions in the data")  # fmt: skip
        v = (
            View()
            .markdown(
                f"**{self.region} {md_text(self.name)}** · cluster *{md_text(self.cluster)}* = "
                f"{', '.join(self.codes)} · reference area: {area} · missing-cell policy "
                f"`{self.policy}` · year {self.year}"
            )
            .notes([n for n in (self.nuts_note, self.data_note) if n])
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

    def show_portfolio(self) -> View:
        """Show the region's portfolio of manufacturing divisions."""
        from clusterlib.figures import charts

        if self.portfolio is None:
            return View().note(f"No portfolio chart: {self.shift_note}")
        r, s, y = self.region, self.start_year, self.year
        lq = self.portfolio["lq"]
        fig = charts.portfolio_chart(self.portfolio[lq > 0],  # no place on a log scale for 0 highlight=list(self.codes),
                                     source=SOURCE,
                                     title=f"{r} {self.name}: manufacturing portfolio, {s}-{y}")  # fmt: skip
        view = View().figure(fig, alt=f"Bubble chart of {r}'s manufacturing divisions: location "
                             f"quotient in {y} (x, log scale) against employment growth minus "
                             f"national growth {s}-{y} (y); bubble area is employment; the "
                             "cluster's divisions in red.")  # fmt: skip
        for left, why in ((lq == 0, f"no employment in {y}, so no place on the log scale"),
                          (lq.isna(), "location quotient unknown")):  # fmt: skip
            if left.any():
                view.note(f"Not in the chart ({why}): {', '.join(map(str, lq.index[left]))}.")
        return view

    def show_imputed(self) -> View:
        """Show the cells the fill-in estimated, or say that none was needed."""
        if not len(self.imputed):
            return View().markdown("No cell of the region needed imputation.")
        return View().table(self.imputed, labels={"label": "Division"}, digits=0,
                            caption="Cells estimated by the fill-in (persons employed)")  # fmt: skip

    def to_markdown(self) -> str:
        """Return the one-region summary of ``clusterlib summary`` (the numbers of notebook 01)."""
        from clusterlib.chapters.base import findings_markdown
        from clusterlib.chapters.display import markdown_table, md_text

        i = self.indices.loc[self.region] if self.region in self.indices.index else None
        lines = [
            f"# Specialisation summary: {self.region} {md_text(self.name)}, {self.year}",
            "",
            f"Cluster **{md_text(self.cluster)}** ({', '.join(self.codes)}), persons employed (V16110), "
            f"reference area: {self.country if self.reference == 'country' else 'EU'} NUTS2 "
            f"regions; missing-cell policy `{self.policy}`.",
            "",
            findings_markdown(self.region_findings(), heading="## Key findings"),
            "",
            *(
                [findings_markdown(self.europe.findings(),
                                   heading="## Key findings: Europe and growth"), ""]
                if self.europe is not None else []
            ),
            "## Most specialised divisions",
            "",
            markdown_table(self.top_divisions(10)[["division", "label", "count", "lq", "lq_low", "lq_high"]]),
            "",
        ]  # fmt: skip
        if i is not None:
            lines += [
                "## Specialisation indices (sections of the business economy)",
                "",
                f"- Krugman dissimilarity index: {i['krugman']:.3f} (0 = national structure, 2 = "
                "none in common)",
                f"- Herfindahl: {i['herfindahl']:.3f}; Shannon entropy: "
                f"{i['shannon_entropy_bits']:.2f} bits",
                "",
            ]
        if len(self.imputed):
            lines += ["## Imputed cells used", "", markdown_table(self.imputed.reset_index()), ""]
        lines.append(f"Source: {SOURCE}.")
        return "\n".join(lines) + "\n"
