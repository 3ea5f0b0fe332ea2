"""Chapter 4, notebook 04: related industries, complexity and diversification paths.

:class:`RelatedChapter` builds, once, what notebook 04 shows for one region and cluster: the
industries most related to the cluster by co-location, the industry space with the region's
specialisations, the relatedness x complexity diagram of the industries the region lacks and its
top diversification opportunities, the region's economic complexity and its rank, the data-driven
definition of the cluster against the hand-made one, and the Europe-wide test of whether
relatedness predicts entry on these data. Everything is computed on all European NUTS2 regions.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from clusterlib.chapters.base import Chapter, Finding
from clusterlib.chapters.metrics import Estimate, RelatednessMetrics
from clusterlib.chapters.related_show import SOURCE, RelatedViews
from clusterlib.chapters.related_tables import NEAR, _labels

REPORT = "04_related_industries.html"


@dataclass(frozen=True)
class RelatedChapter(RelatedViews, Chapter):
    """Related industries and diversification paths of one region's cluster (module docstring)."""

    TITLE = "Related industries and diversification paths"
    EXPORT = "related_tables"

    region: str
    region_name: str
    cluster: str
    codes: list[str]
    year: int
    start: int
    end: int
    phi: pd.DataFrame  # proximity, the year's
    specialised: pd.Series  # the region's M row
    employment_eu: pd.Series  # Europe's employment by division (node sizes)
    related: pd.DataFrame
    opportunities: pd.DataFrame  # every industry the region lacks, for the diagram
    top: pd.DataFrame  # the top opportunities
    eci: pd.Series  # every region's ECI in the year
    eci_country: pd.DataFrame
    definition: pd.DataFrame
    attachment: pd.Series
    comparison: pd.DataFrame
    entry: pd.DataFrame  # the entry table
    entry_ame: pd.DataFrame
    notes: list[str]
    n_top: int = 10
    cut: float = 0.7
    n_boot: int = 200
    seed: int = 0
    members: tuple[str, ...] = ()  # the member regions of a cluster area (empty for a region)
    nuts_note: str = ""  # how a code of another NUTS version maps to the data's ("" if none)

    @classmethod
    def build(
        cls,
        *,
        region: str,
        cluster: str,
        year: int,
        policy: str = "fill",
        cut: float = 0.7,
        n_boot: int = 200,
        n_top: int = 10,
        seed: int = 0,
        data_path: str = "",
        nuts: int = 2013,
    ) -> RelatedChapter:
        """Compute the chapter from the bundled data, through clusterlib's Parquet cache.

        ``data_path`` and ``nuts`` as in
        :meth:`~clusterlib.chapters.specialisation.SpecialisationChapter.build`: another Eurostat
        file, and the NUTS version of ``region`` (mapped to the data's, the sentence in the notes).

        ``region`` may be a cluster area of ``params/areas.yaml`` (e.g. ``"PL-NE"``): its RCA,
        specialisations and relatedness density come from its members' summed employment, with
        the NUTS2 regions' proximity and PCI; its ECI is computed with the area in place of its
        members (:mod:`clusterlib.chapters.areas`).
        """
        import dataclasses

        from clusterlib import config
        from clusterlib.chapters import areas as au

        with config.using_data(data_path):
            code, note = au.analysed_unit(region, nuts=nuts)
            out = cls._compute(region=code, cluster=cluster, year=year, policy=policy, cut=cut,
                               n_boot=n_boot, n_top=n_top, seed=seed)  # fmt: skip
            extra = [n for n in (note, au.data_note()) if n]
            return dataclasses.replace(out, nuts_note=note, notes=extra + list(out.notes))

    @classmethod
    def _compute(cls, *, region, cluster, year, policy, cut, n_boot, n_top, seed):
        """Compute the chapter for a region or area of the data (see :meth:`build`)."""
        from clusterlib.chapters import related_tables as rt
        from clusterlib.errors import EmptySelectionError
        from clusterlib.io.cache import cached_table
        from clusterlib.reference.clusters import cluster_codes, load_clusters
        from clusterlib.relatedness import industry_matrix
        from clusterlib.relatedness.clusters import cluster_evidence, compare_definitions

        panel = cached_table(industry_matrix, policy=policy)
        years = sorted(panel.index.get_level_values("year").unique())
        if year not in years:
            raise EmptySelectionError(f"year {year}: no division data (years: {years}).")
        from clusterlib.chapters import areas as au

        wide = panel.loc[year]
        members, name = au.unit(region)
        area = au.is_area(region, members)
        absent = [m for m in members if m not in wide.index]
        if absent:
            raise EmptySelectionError(
                f"region {', '.join(absent)!s} has no division data in {year}; try another year."
            )
        codes = [c for c in cluster_codes(cluster) if c in wide.columns]
        if not codes:
            raise EmptySelectionError(
                f"cluster {cluster!r}: none of its codes is a NACE division of the data; notebook "
                "04 works with division-level clusters."
            )
        m = rt.measures(wide, region, members if area else None)
        notes = m.notes
        definition, together = cluster_evidence(wide, cut=cut, n_boot=n_boot, seed=seed)
        attach = together[codes].mean(axis=1)
        related = rt.related_table(m, region, codes, attach)
        opp, top = rt.opportunities(m, region, codes, n_top=n_top)
        eci, M = m.eci, m.M
        eci_country = rt.eci_in_country(eci, region, members, name)
        start, end = years[0], years[-1]
        entry, ame, entry_notes = rt.entry_evidence(panel, start=start, end=end)
        notes += entry_notes
        phi = m.phi
        clusters = load_clusters()
        return cls(
            region=region,
            region_name=name,
            cluster=cluster,
            codes=codes,
            year=year,
            start=start,
            end=end,
            phi=phi,
            specialised=M.loc[region],
            employment_eu=wide.sum(),
            related=related,
            opportunities=opp,
            top=top,
            eci=eci,
            eci_country=eci_country,
            definition=definition,
            attachment=attach,
            comparison=compare_definitions(
                definition, {cluster: clusters.get(cluster, tuple(codes))}
            ),
            entry=entry,
            entry_ame=ame,
            notes=notes,
            n_top=n_top,
            cut=cut,
            n_boot=n_boot,
            seed=seed,
            members=members if area else (),
        )

    # --- views -------------------------------------------------------------------------------

    def related_table(self, n: int = 10) -> pd.DataFrame:
        """Return the ``n`` divisions most related to the cluster by co-location, for display."""
        t = self.related.head(n).copy()
        t["specialised"] = np.where(t["rca_region"] >= 1, "yes", "no")
        return t.rename(columns={
            "colocation": "LQ correlation with the cluster",
            "proximity": "proximity φ to the cluster",
            "together": "in one cluster (share of resamples)",
            "rca_region": f"RCA of {self.region}",
            "specialised": f"{self.region} specialised",
        })  # fmt: skip

    def top_table(self) -> pd.DataFrame:
        """Return the top diversification opportunities, for display."""
        t = self.top.copy()
        t["related_to_cluster"] = np.where(t["related_to_cluster"], "yes", "no")
        return t.rename(columns={
            "density_pct": "relatedness density (%)",
            "pci": "complexity (PCI)",
            "colocation": "LQ correlation with the cluster",
            "rca_region": f"RCA of {self.region}",
            "related_to_cluster": "near the cluster",
        })  # fmt: skip

    def eci_table(self) -> pd.DataFrame:
        """Return the country's regions' ECI and European rank, for display."""
        return self.eci_country.rename(
            columns={"name": "Name", "eci": "ECI", "rank_in_europe": "Rank in Europe"}
        )

    @property
    def region_eci(self) -> float:
        """The region's ECI in the year (NaN if it could not be computed)."""
        return float(self.eci.get(self.region, np.nan))

    @property
    def eci_rank(self) -> tuple[int | None, int, int | None, int]:
        """(rank in Europe, regions in Europe, rank in country, regions in country)."""
        ranked = self.eci.dropna().sort_values(ascending=False)
        if self.region not in ranked.index:
            return None, len(ranked), None, len(self.eci_country)
        eu = int(ranked.index.get_loc(self.region)) + 1
        nat = int(self.eci_country.index.get_loc(self.region)) + 1
        return eu, len(ranked), nat, len(self.eci_country)

    def data_cluster(self) -> pd.DataFrame:
        """Return the data-driven clusters that hold the cluster's divisions, with their members."""
        d = self.definition
        ks = sorted(set(d.loc[self.codes, "cluster"]))
        t = d[d["cluster"].isin(ks)].copy()
        t.insert(0, "division", _labels(t.index))
        t["in hand definition"] = np.where(t.index.isin(self.codes), "yes", "")
        return t.rename(columns={"n_divisions": "divisions in the cluster"}).rename_axis("code")

    def attached(self, threshold: float = 0.5) -> pd.Series:
        """Divisions put with the cluster's divisions in at least ``threshold`` of the resamples."""
        a = self.attachment.drop(self.codes, errors="ignore")
        return a[a >= threshold].sort_values(ascending=False)

    @property
    def density_ame(self) -> pd.Series:
        """The AME of relatedness density on entry (per percentage point of density)."""
        return self.entry_ame.loc["density_pct"]

    # --- findings and metrics ---------------------------------------------------------------

    def findings(self) -> list[Finding]:
        """Return the generated key findings, each with the number it rests on."""
        from clusterlib.chapters.display import md_text

        eu, n_eu, nat, n_nat = self.eci_rank
        rel = self.related.head(5)
        out = [Finding("nuts", self.nuts_note)] if self.nuts_note else []
        out += [Finding("related", "**Related industries.** Across European regions the divisions "
                       "that co-locate most with the cluster are " + ", ".join(
                           f"{c} {md_text(d)} (r = {r:.2f})"
                           for c, d, r in zip(rel.index, rel["division"], rel["colocation"], strict=True)
                       ) + ".", float(rel["colocation"].iloc[0]))]  # fmt: skip
        if self.top.empty:
            out.append(Finding("diversification", "**Diversification.** No industry the region "
                               "lacks (outside the cluster) combines above-median relatedness with above-average "
                               "complexity.", 0.0))  # fmt: skip
        else:
            top = zip(self.top.index[:5], self.top["division"][:5], strict=True)
            out.append(Finding("diversification", "**Diversification opportunities** (outside "
                               "the cluster, not yet specialised, relatedness density above the median, complexity "
                               "above average, those near the cluster (LQ correlation "
                               f"{NEAR} or more) first): "
                               + ", ".join(f"{c} {md_text(d)}" for c, d in top) + ".",
                               float(len(self.top))))  # fmt: skip
        if eu is None:
            out.append(Finding("complexity", f"**Complexity.** No ECI for {self.region} in "
                               f"{self.year} (unknown cells; see the notes)."))  # fmt: skip
        else:
            partition = (" (the area in place of its members: the ECI is defined for the units "
                         "of one partition of Europe)") if self.members else ""  # fmt: skip
            out.append(Finding("complexity", f"**Complexity.** ECI {self.region_eci:+.2f}: rank "
                               f"{eu} of {n_eu} European regions and {nat} of {n_nat} in the "
                               f"country{partition}.", float(self.region_eci)))  # fmt: skip
        if self.members:
            out.append(Finding("area", f"**Cluster area.** {self.region} is the sum of "
                               f"{', '.join(self.members)}: its specialisations, relatedness "
                               "density and opportunities come from the summed employment; "
                               "proximity and complexity are those of the NUTS2 regions.",
                               float(len(self.members))))  # fmt: skip
        out += [self._boundary_finding(), self._entry_finding()]
        return out

    def _boundary_finding(self) -> Finding:
        att = self.attached()
        held = (
            ", ".join(f"{c} ({v:.0%})" for c, v in att.items()) if len(att) else "no other division"
        )
        verdict = "narrower than the data's." if len(att) else "consistent with the data."
        return Finding("boundary", f"**Cluster boundary.** The data put {held} with "
                       f"{', '.join(self.codes)} in at least half of the bootstrap resamples; the "
                       f"hand-made definition is {verdict}", float(len(att)))  # fmt: skip

    def _entry_finding(self) -> Finding:
        a = self.density_ame
        per10 = 10 * 100 * a["estimate"]
        lo, hi = 10 * 100 * a["ci_low"], 10 * 100 * a["ci_high"]
        base = 100 * self.entry["entry"].mean()
        verdict = (
            "The diversification advice above rests on evidence in these data."
            if a["ci_low"] > 0
            else "The evidence in these data is not conclusive: treat the advice as a hypothesis."
        )
        return Finding("entry", f"**Does relatedness predict entry here?** Across "
                       f"{self.entry.attrs['n_regions']} European regions, {self.start}→{self.end}, "
                       f"10 more points of relatedness density go with {per10:+.1f} percentage "
                       f"points of probability of entering an industry (95% CI {lo:+.1f} to "
                       f"{hi:+.1f}; base rate {base:.1f}%). {verdict}", float(per10))  # fmt: skip

    def metrics(self) -> RelatednessMetrics:
        """Return the typed metrics of notebook 04."""
        eu, n_eu, nat, n_nat = self.eci_rank
        a = self.density_ame
        anchor = f"{REPORT}#Does-relatedness-predict-entry?"
        return RelatednessMetrics(
            year=self.year,
            codes=list(self.codes),
            eci=Estimate(
                self.region_eci,
                unit="standardised",
                source=SOURCE,
                year=self.year,
                report=f"{REPORT}#Economic-complexity",
            ),  # fmt: skip
            eci_rank_eu=eu,
            n_eu=n_eu,
            eci_rank_country=nat,
            n_country=n_nat,
            related=[
                {
                    "code": c,
                    "label": r["division"],
                    "colocation": r["colocation"],
                    "proximity": r["proximity"],
                }
                for c, r in self.related.head(5).iterrows()
            ],
            opportunities=[
                {
                    "code": c,
                    "label": r["division"],
                    "density_pct": r["density_pct"],
                    "pci": r["pci"],
                }
                for c, r in self.top.head(5).iterrows()
            ],
            attached=[{"code": c, "share": v} for c, v in self.attached().items()],
            entry_ame=Estimate(
                10 * a["estimate"],
                10 * a["ci_low"],
                10 * a["ci_high"],
                unit="probability per 10 points of density",
                source=SOURCE,
                report=anchor,
            ),  # fmt: skip
            entry_years=[self.start, self.end],
            entry_regions=int(self.entry.attrs["n_regions"]),
            nuts_note=self.nuts_note,
        )
