"""The sections of notebook 04, one view each (mixed into :class:`RelatedChapter`).

Each ``show_*`` method returns a :class:`~clusterlib.chapters.base.View` of one section of the
notebook, from the chapter's computed attributes.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from clusterlib.chapters.base import View

if TYPE_CHECKING:
    import pandas as pd

SOURCE = "Eurostat (sbs_r_nuts06_r2), persons employed (V16110), NUTS2 regions x NACE divisions"


class RelatedViews:
    """View methods of notebook 04; the attributes are those of RelatedChapter."""

    def show_header(self) -> View:
        """Show the region, the cluster, the year and the size of the matrix, and the notes."""
        from clusterlib.chapters.display import md_text

        return (
            View()
            .markdown(
                f"**{self.region} {md_text(self.region_name)}** · cluster *{md_text(self.cluster)}* = "
                f"{', '.join(self.codes)} · {self.year} · {len(self.eci)} European NUTS2 regions × "
                f"{len(self.phi)} divisions"
            )
            .notes(self.notes)
        )

    def show_related(self) -> View:
        """Show the divisions most related to the cluster by co-location."""
        return View().table(self.related_table(self.n_top), digits=2, caption=f"The {self.n_top} "
                            f"divisions most related to {self.cluster} by co-location, {self.year}")  # fmt: skip

    def show_industry_space(self) -> View:
        """Show the industry space with the region's specialisations."""
        from clusterlib.figures import industry_space_plot

        r, y = self.region, self.year
        fig = industry_space_plot(
            self.phi, self.specialised, cluster=self.codes, size=self.employment_eu,
            seed=self.seed, source=SOURCE,
            title=f"Industry space of European regions, {y}: {r}'s specialisations",
        )  # fmt: skip
        return View().figure(fig, alt=f"Network of {len(self.phi)} NACE divisions linked by "
                             f"proximity; the {int(self.specialised.sum())} divisions in which {r} "
                             f"is specialised are red, the cluster's divisions "
                             f"{', '.join(self.codes)} are outlined in black.")  # fmt: skip

    def show_opportunities(self) -> View:
        """Show relatedness density against complexity and the top opportunities."""
        from clusterlib.figures import relatedness_complexity_plot

        r, y = self.region, self.year
        fig = relatedness_complexity_plot(
            self.opportunities, label=self.top.index, source=SOURCE,
            title=f"{r}: relatedness density and complexity of the divisions it lacks, {y}",
        )  # fmt: skip
        return (
            View()
            .figure(fig, alt=f"Scatter of {len(self.opportunities)} divisions {r} is not "
                    "specialised in: relatedness density on the x axis, complexity on the y axis; "
                    f"labelled: {', '.join(self.top.index)}.")
            .table(self.top_table(), digits=2, caption="Top diversification opportunities: outside "
                   "the cluster, not specialised, above-median relatedness density, above-average complexity; "
                   "those near the cluster first")
        )  # fmt: skip

    def show_complexity(self) -> View:
        """Show the region's economic complexity and the country's regions."""
        eu_rank, n_eu, nat_rank, n_nat = self.eci_rank
        return (
            View()
            .markdown(f"**ECI of {self.region}: {self.region_eci:+.2f}**, rank {eu_rank} of {n_eu} "
                      f"European regions, {nat_rank} of {n_nat} in the country.")
            .table(self.eci_table(), digits=2, caption="Economic complexity index of the "
                   f"country's regions, {self.year} (standardised over European regions)")
        )  # fmt: skip

    def show_boundaries(self) -> View:
        """Show the data-driven clusters that hold the cluster's divisions and the comparison."""
        return (
            View()
            .table(self.data_cluster(), digits=2, caption=f"The data-driven clusters that hold "
                   f"{', '.join(self.codes)} (cut {self.cut}, {self.n_boot} resamples)")
            .table(self.comparison, caption="The hand-made definition against the data-driven "
                   "clusters")
        )  # fmt: skip

    def io_cluster_table(self) -> pd.DataFrame:
        """Return the divisions each source of evidence puts with the cluster's, for display.

        Every division that shares a cluster with one of the cluster's divisions by co-location,
        by input-output links or by the two combined, with its three clusters and its mean links
        within the combined cluster.
        """
        import numpy as np

        from clusterlib.chapters.related_tables import _labels

        d = self.io_definition
        keep = np.zeros(len(d), dtype=bool)
        for col in ("cluster", "cluster_colocation", "cluster_io"):
            keep |= d[col].isin(d.loc[self.codes, col]).to_numpy()
        t = d[keep].drop(columns=["n_divisions"]).copy()
        t.insert(0, "division", _labels(t.index))
        t["in hand definition"] = np.where(t.index.isin(self.codes), "yes", "")
        w = f"{self.io_weight:g}"
        return t.rename_axis("code").rename(columns={
            "cluster": f"combined cluster (weight {w})", "cluster_colocation": "co-location cluster",
            "cluster_io": "input-output cluster", "stability": "combined stability",
            "colocation": "mean LQ correlation in it", "io_link": "mean IO link in it",
            "combined": "mean combined in it",
        })  # fmt: skip

    def show_io_links(self) -> View:
        """Show what co-location and input-output links each say about the cluster's boundary."""
        top = self.io_pairs.head(self.n_top).rename(columns={
            "colocation": "LQ correlation", "io_link": "input-output link",
            "combined": f"combined (weight {self.io_weight:g})"})  # fmt: skip
        return (
            View()
            .table(self.io_cluster_table(), digits=2, caption="The divisions that co-location, "
                   "input-output links or both put with "
                   f"{', '.join(self.codes)} (cut {self.cut}; links from Poland's 2011 table)")
            .table(top, digits=2, caption=f"The {self.n_top} divisions most linked to the "
                   "cluster, combined: mean over the cluster's divisions of each measure")
            .note("Input-output links come from Poland's 2011 WIOD table (35 industries) mapped "
                  "to NACE divisions: divisions of one WIOD industry share its links, and two of "
                  "them are linked by the industry's trade with itself.")
        )  # fmt: skip

    def show_entry(self) -> View:
        """Show whether relatedness predicts entry: the average marginal effects."""
        labels = {"density_pct": "relatedness density (per point)",
                  "rca_start": "starting RCA (per unit)"}  # fmt: skip
        return View().table(self.entry_ame.rename(index=labels), digits=4, caption=f"Entry "
                            f"{self.start}→{self.end}: average marginal effects on the probability "
                            f"of entry ({len(self.entry):,} region-divisions at risk in "
                            f"{self.entry.attrs['n_regions']} regions)")  # fmt: skip

    def findings_title(self) -> str:
        """Return the bold line that opens the findings: the region, the cluster and the year."""
        from clusterlib.chapters.display import md_text

        return (f"**Key findings for {self.region} {md_text(self.region_name)}, "
                f"{md_text(self.cluster)} ({', '.join(self.codes)}), {self.year}.**")  # fmt: skip

    def findings_text(self) -> str:
        """Return the findings in Markdown: the title line, then one bullet per finding."""
        return "\n".join([self.findings_title(), "", *(f"- {f.text}" for f in self.findings())])

    def to_markdown(self) -> str:
        """Return the chapter's summary (its title and key findings) in Markdown."""
        return f"# {self.TITLE}\n\n{self.findings_text()}\n"

    def tables(self) -> dict[str, pd.DataFrame]:
        """Return the tables the notebook shows, by export name."""
        return {
            "related_industries": self.related_table(self.n_top),
            "diversification_opportunities": self.top_table(),
            "complexity": self.eci_table(),
            "cluster_definition": self.data_cluster(),
            "definition_comparison": self.comparison,
            "entry_effects": self.entry_ame,
            "io_cluster_definition": self.io_cluster_table(),
            "io_links": self.io_pairs,
        }

    def show_findings(self) -> View:
        """Show the key findings under their title line."""
        return View().markdown(self.findings_text())

    def save(self, output_dir: str | Path | None) -> None:
        """Write the tables, ``exports/clusters_data.yaml`` and ``metrics.json`` into a folder.

        The data-driven definitions go to ``exports/clusters_data.yaml``, the findings with the
        metrics. Does nothing when ``output_dir`` is empty.
        """
        from clusterlib.relatedness.clusters import clusters_yaml

        if output_dir:
            clusters_yaml(self.definition, f"{output_dir}/exports/clusters_data.yaml",
                          source=SOURCE + f", {self.year}")  # fmt: skip
        super().save(output_dir)
