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
from clusterlib.chapters.related_tables import _labels

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
    io_weight: float = 0.5
    io_definition: pd.DataFrame | None = None  # define_clusters with input-output links
    io_pairs: pd.DataFrame | None = None  # the cluster's links with every division, by source
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
        io_weight: float = 0.5,
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

        The input-output evidence (``io_definition``, ``io_pairs``) combines co-location with the
        link strength of Poland's 2011 WIOD table by NACE division, weight ``io_weight``
        (:func:`~clusterlib.relatedness.clusters.define_clusters`); the co-location definition
        stays the chapter's ``definition``.
        """
        import dataclasses

        from clusterlib import config
        from clusterlib.chapters import areas as au

        with config.using_data(data_path):
            code, note = au.analysed_unit(region, nuts=nuts)
            out = cls._compute(region=code, cluster=cluster, year=year, policy=policy, cut=cut,
                               n_boot=n_boot, n_top=n_top, seed=seed, io_weight=io_weight)  # fmt: skip
            extra = [n for n in (note, au.data_note()) if n]
            return dataclasses.replace(out, nuts_note=note, notes=extra + list(out.notes))

    @classmethod
    def _compute(cls, *, region, cluster, year, policy, cut, n_boot, n_top, seed, io_weight):
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
        io_definition, io_pairs = rt.io_evidence(wide, m.corr, codes, cut=cut, n_boot=n_boot,
                                                 seed=seed, io_weight=io_weight)  # fmt: skip
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
            io_weight=io_weight,
            io_definition=io_definition,
            io_pairs=io_pairs,
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
        from clusterlib.chapters.related_findings import related_findings

        return related_findings(self)

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
