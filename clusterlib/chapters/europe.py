"""Chapter 1b, notebook 01: the cluster across Europe and over time, its peers, the exports.

:class:`EuropeChapter` builds, once, what the second half of notebook 01 shows: the European
Cluster Observatory rating of every cluster in every region against all European regions (the
headline) and, labelled, against the country's regions; the cluster's series for the region, its
country and Europe; growth perspectives (sub-period shift-share, growth against the country and
Europe, a trend extrapolation that is not a forecast); peer regions and the benchmarking table.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from clusterlib.chapters.metrics import Estimate
from clusterlib.errors import ClusterlibError
from clusterlib.reference.nuts import region_country
from clusterlib.specialisation.europe import DIMENSIONS

SOURCE = (
    "Eurostat (sbs_r_nuts06_r2), extracted 2017-07-31; persons employed (V16110), local units "
    "(V11210), wages and salaries (V13320)"
)
REPORT = "01_specialisation.html"


@dataclass
class EuropeChapter:
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
    ) -> EuropeChapter:
        """Compute the chapter from the bundled data, through clusterlib's Parquet cache."""
        from clusterlib.chapters import areas as au
        from clusterlib.chapters.specialisation_views import has_data, region_shift_share
        from clusterlib.io.cache import cached_table, load_eurostat
        from clusterlib.reference.clusters import cluster_codes
        from clusterlib.specialisation.europe import rank_in, star_table
        from clusterlib.specialisation.peers import division_shares, peer_regions
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
        series = cluster_series(data, region=region, cluster=cluster, policy=policy, table=eu_table,
                                members=members if area else None)  # fmt: skip
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
            peers = au.area_peers(wide, region, members, n=n_peers)
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

    def findings(self) -> str:
        """Key findings of the European benchmarking as Markdown."""
        r, g, tr = self.row, self.growth, self.trend
        yes = {True: "yes", False: "no"}
        mine, country = self.region, region_country(self.region)
        if pd.isna(r["stars"]):
            rating = (
                f"- Across all European regions, the cluster in {mine} is **not rated**: its "
                "employment or the region's total is unknown (confidential or missing), and an "
                "unknown is not 0 stars."
            )
        else:
            size = (
                f"size not rated for an area: {r['employment']:,.0f} persons, the cut of single "
                f"regions is {r['size_cut']:,.0f}"
                if self.members
                else f"size {yes[bool(r['size_star'])]}: {r['employment']:,.0f} persons "
                f"against a cut of {r['size_cut']:,.0f}"
            )
            rating = (
                f"- Across all European regions, the cluster in {mine} has **{int(r['stars'])} of "
                f"{2 if self.members else 3}** Observatory stars ({size}; specialisation "
                f"{yes[bool(r['specialisation_star'])]}: LQ {r['lq']:.2f} against 2; focus "
                f"{yes[bool(r['focus_star'])]}: {100 * r['focus']:.1f}% against "
                f"{100 * r['focus_cut']:.1f}%) and {int(r['performance_stars'])} of 2 performance "
                "stars."
            )
        lines = [
            "### Key findings: Europe and growth",
            "",
            rating,
            f"- Rank by cluster employment: {self.ranks['europe']} of {self.ranks['n_europe']} in "
            f"Europe and {self.ranks['country']} of {self.ranks['n_country']} in {country}"
            + (
                " (the area ranked among single regions, its members included)."
                if self.members
                else "."
            ),
        ]
        if self.members:
            from clusterlib.chapters.areas import SIZE_NOTE

            lines.append("- " + SIZE_NOTE.format(n=len(self.members)))
        if mine in g.index and pd.notna(g.at[mine, "cagr"]):
            parts = [
                f"{a} {100 * g.at[a, 'cagr']:+.1f}%"
                for a in (mine, country, "EU")
                if a in g.index and pd.notna(g.at[a, "cagr"])
            ]
            lines.append(
                f"- Employment growth a year, {int(g.at[mine, 'start'])}–{int(g.at[mine, 'end'])}: "
                + ", ".join(parts)
                + (" (an end year uses an imputed cell)" if g.at[mine, "from_imputed"] else "")
                + "."
            )
        if tr is not None:
            seen = tr.index[tr["observed"].notna()]
            lines.append(
                f"- The {seen.min()}–{seen.max()} trend, extrapolated (not a forecast), gives "
                f"{tr['trend'].iloc[-1]:,.0f} persons in {self.horizon} (95% prediction interval "
                f"{tr['low'].iloc[-1]:,.0f}–{tr['high'].iloc[-1]:,.0f})."
            )
        else:
            lines.append("- No trend: fewer than 3 years with data for the region.")
        lines.append(
            "- Regions with the most similar economic structure: "
            + ", ".join(f"{p.region} {p.name}" for p in self.peers.head(5).itertuples())
            + "."
        )
        return "\n".join(lines)

    def metrics(self) -> dict:
        """Return the Europe-wide headline numbers for ``metrics.json``."""
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

        return {
            "eu_stars": None if pd.isna(r["stars"]) else int(r["stars"]),
            "eu_performance_stars": (
                None if pd.isna(r["performance_stars"]) else int(r["performance_stars"])
            ),
            "eu_star_detail": {d: bool(r[f"{d}_star"]) for d in DIMENSIONS},
            "eu_thresholds": {
                "size": float(r["size_cut"]),
                "lq": float(r["lq_cut"]),
                "focus": float(r["focus_cut"]),
                "productivity": float(r["productivity_cut"]),
                "dynamism": float(r["dynamism_cut"]),
            },
            "growth_region": cagr(self.region),
            "growth_country": cagr(region_country(self.region)),
            "growth_eu": cagr("EU"),
            "wages_per_person": Estimate(
                value=None if pd.isna(r["wages_per_person"]) else float(r["wages_per_person"]),
                unit="EUR per person employed",
                source=SOURCE,
                year=self.year,
                report=f"{REPORT}#Peer-regions",
            ),  # fmt: skip
            "peers": list(self.peers["region"]),
        }

    def export(self, folder: str | Path, *, extra: dict[str, pd.DataFrame] | None = None) -> None:
        """Write every table as a CSV in ``folder/exports/`` and all of them in one XLSX workbook.

        Analysts paste these into strategy documents. The workbook has one sheet per table (names
        cut to Excel's 31 characters); both are written atomically.
        """
        from clusterlib.io.export import csv_text, xlsx_export
        from clusterlib.io.files import write_atomic

        tables = {**(extra or {}), **self.tables()}
        out = Path(folder) / "exports"
        out.mkdir(parents=True, exist_ok=True)
        for name, df in tables.items():
            write_atomic(out / f"{name}.csv", csv_text(df))
        write_atomic(out / f"{self.region}_tables.xlsx", xlsx_export(tables))


def _trend(series: pd.DataFrame, region: str, horizon: int) -> pd.DataFrame | None:
    """Return the trend extrapolation, or None when the region has fewer than 3 years of data."""
    from clusterlib.specialisation.series import trend_extrapolation

    known = series.xs(region, level="area")["employment"].notna().sum()
    return trend_extrapolation(series, area=region, horizon=horizon) if known >= 3 else None
