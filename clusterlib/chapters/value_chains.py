"""Chapter 5, notebook 05: the cluster's suppliers and customers from an input-output table.

Poland's domestic input-output table (WIOD 2013 release, 2011, 35 industries) gives the national
value chain of the cluster's input-output industries: who supplies their inputs, who buys their
output, their output and employment multipliers and their backward and forward linkages. The
region's (or cluster area's) employment from Eurostat's structural business statistics
regionalises the table by Flegg's location quotient (FLQ) for a range of δ, which gives the share
of inputs bought inside the region and regional multipliers as a range. The computations are in
:mod:`clusterlib.linkages.value_chain`.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from clusterlib.chapters.base import Chapter, Finding, View, collect_warnings
from clusterlib.chapters.metrics import Estimate, ValueChainMetrics
from clusterlib.chapters.value_chain_tables import (
    FINAL_DEMAND,
    cluster_multipliers,
    counts_by_division,
    io_labels,
    partial_industries,
    regional_customers,
    scope,
)
from clusterlib.linkages import value_chain as vc

SOURCE = "WIOD 2013 release, Poland 2011 (Timmer et al. 2015); Eurostat SBS employment"
REPORT = "05_value_chains.html"
TOP = 8


@dataclass(frozen=True)
class ValueChainChapter(Chapter):
    """The value chain of a cluster in a region or cluster area, computed once by :meth:`build`.

    ``employment`` has one row per WIOD industry (national and regional persons employed, whether
    filled, SLQ, jobs per million USD of output); ``local`` the share of inputs bought inside the
    region by δ (and for the cluster, weighted by its output); ``multipliers`` the multipliers of
    the cluster's industries and of the cluster, by ``scope`` (``national`` or
    ``regional δ 0.3``); ``customers_regional`` the region's customers at ``delta``, inside and
    outside the region, and ``destinations`` where its sales go, by δ; ``linkages`` the backward and forward indices of every industry, national
    and regional at ``delta``; ``notes`` the warnings raised while computing.
    """

    TITLE = "Supplier and customer links: the cluster's value chain"
    EXPORT = "value_chain_tables"

    region: str
    cluster: str
    codes: tuple[str, ...]
    year: int
    delta: float
    deltas: tuple[float, ...]
    industries: pd.DataFrame
    employment: pd.DataFrame
    local: pd.DataFrame
    suppliers: pd.DataFrame
    customers: pd.DataFrame
    customers_regional: pd.DataFrame
    destinations: pd.DataFrame
    multipliers: pd.DataFrame
    linkages: pd.DataFrame
    notes: tuple[str, ...]
    nuts_note: str = ""  # how a code of another NUTS version maps to the data's ("" if none)
    data_note: str = ""  # the Eurostat file in use when it is not the bundled one

    @classmethod
    def build(cls, *, region: str, cluster: str, year: int = 2014, delta: float = 0.3,
              deltas: tuple[float, ...] = (0.1, 0.2, 0.3, 0.4),
              policy: str = "fill", data_path: str = "", nuts: int = 2013) -> ValueChainChapter:  # fmt: skip
        """Compute the chapter for ``region`` (NUTS2 code or area id) and ``cluster``.

        ``data_path`` and ``nuts`` as in
        :meth:`~clusterlib.chapters.specialisation.SpecialisationChapter.build`: another Eurostat
        file, and the NUTS version of ``region`` (mapped to the data's, with a sentence).
        """
        import dataclasses

        from clusterlib import config
        from clusterlib.chapters import areas as au

        with config.using_data(data_path):
            code, note = au.analysed_unit(region, nuts=nuts)
            out = cls._compute(region=code, cluster=cluster, year=year, delta=delta,
                               deltas=deltas, policy=policy)  # fmt: skip
            return dataclasses.replace(out, nuts_note=note, data_note=au.data_note())

    @classmethod
    def _compute(cls, *, region, cluster, year, delta, deltas, policy) -> ValueChainChapter:
        """Compute the chapter for a region or area of the data (see :meth:`build`)."""
        from clusterlib.io.io_tables import load_wiod_poland
        from clusterlib.linkages import cluster_io_industries, linkage_indices
        from clusterlib.linkages import technical_coefficients as coefficients
        from clusterlib.reference.clusters import cluster_codes

        codes = cluster_codes(cluster)
        deltas = tuple(sorted({float(d) for d in (*deltas, delta)}))
        t = load_wiod_poland()
        A = coefficients(t.flows, t.output)
        counts = counts_by_division(region, year=year, policy=policy)
        weights = counts["national"]
        found = cluster_io_industries(codes, weights=weights)
        mine = list(found["industry"])
        with collect_warnings() as notes:
            nat = vc.io_employment(weights, industries=A.index)
            reg = vc.io_employment(counts["regional"], industries=A.index)
            re, ne, filled = vc.fill_uncovered(reg, nat, proxy=t.output)
            R = vc.regional_tables(A, regional=re, national=ne, deltas=deltas)
            jobs = (nat / t.output).where(nat > 0, 0.0)
            labels = io_labels()
            emp = pd.DataFrame({
                "label": labels.reindex(A.index), "national": nat, "regional": reg,
                "filled": A.index.isin(filled), "slq": (re / re.sum()) / (ne / ne.sum()),
                "jobs_per_musd": jobs, "cluster": A.index.isin(mine),
                "partial": A.index.isin(partial_industries(counts.index)) & ~A.index.isin(filled),
            }).rename_axis("industry")  # fmt: skip
            x_w = t.output[mine] * found.set_index("industry")["coverage"]
            job_w = nat[mine] * found.set_index("industry")["coverage"]
            local = vc.local_input_share(A, R, industries=mine)
            local["cluster"] = (local[mine] * (A[mine].sum() * x_w)).sum(axis=1) / (
                A[mine].sum() * x_w).sum()  # fmt: skip
            Rd = R.xs(float(delta), level="delta")
            sup = vc.supplier_shares(A, t.output, cluster=mine, R=Rd)
            sup.insert(0, "label", labels.reindex(sup.index))
            cus = vc.customer_shares(t.flows, t.final_demand, cluster=mine)
            cus.insert(0, "label", labels.reindex(cus.index).fillna(pd.Series(FINAL_DEMAND)))
            cus_r, dest = regional_customers(t, R, regional=re, national=ne, cluster=mine,
                                             delta=delta, region=region)  # fmt: skip
            va = t.value_added / t.output
            mult = cluster_multipliers(A, R, jobs=jobs, value_added=va, industries=mine,
                                       output=x_w, jobs_weights=job_w)  # fmt: skip
            link = pd.concat([linkage_indices(A), linkage_indices(Rd).add_suffix("_regional")],
                             axis=1)  # fmt: skip
            link.insert(0, "label", labels.reindex(link.index))
            link["cluster"] = link.index.isin(mine)
        return cls(
            region=region, cluster=cluster, codes=tuple(codes), year=int(year),
            delta=float(delta), deltas=deltas, industries=found, employment=emp,
            local=local.rename_axis("FLQ δ"),
            suppliers=sup.sort_values("share", ascending=False).head(TOP),
            customers=cus.sort_values("share", ascending=False).head(TOP),
            customers_regional=cus_r.sort_values("share", ascending=False).head(TOP),
            destinations=dest,
            multipliers=mult, linkages=link.rename_axis("industry"), notes=tuple(notes),
        )  # fmt: skip

    # ------------------------------------------------------------ numbers
    def cluster_multiplier(self, measure: str) -> tuple[float, float, float, float]:
        """Return (national, regional min, regional max, regional at ``delta``) of ``measure``."""
        m = self.multipliers.xs("cluster", level="industry")[measure]
        regional = m.drop("national")
        return (float(m["national"]), float(regional.min()), float(regional.max()),
                float(regional[scope(self.delta)]))  # fmt: skip

    @property
    def filled(self) -> list[str]:
        """The industries without employment data, given the region's average share."""
        return list(self.employment.index[self.employment["filled"]])

    def _dest(self, start: str) -> float:
        """Return the share of sales to the destination whose name starts with ``start``."""
        d = self.destinations
        return float(d.loc[d.index.str.startswith(start), self.delta].iloc[0])

    def _names(self, column: str) -> str:
        e = self.employment[self.employment[column]]
        return "; ".join(f"{i} {label}" for i, label in zip(e.index, e["label"], strict=True))

    # ------------------------------------------------------------------ views
    def show_industries(self) -> View:
        """Show the cluster's input-output industries and how well they match the cluster."""
        f = self.industries.set_index("industry")
        coarse = f[f["coverage"] < 1]
        v = View().notes([n for n in (self.nuts_note, self.data_note) if n]).table(
            f[["wiod_label", "cluster_nace", "industry_nace", "coverage", "notes"]],
            percent=["coverage"], labels={"wiod_label": "Input-output industry",
                                          "cluster_nace": "Cluster's NACE divisions",
                                          "industry_nace": "All its NACE divisions"}, caption=f"The WIOD industries of {self.cluster} "
            f"({'+'.join(self.codes)}); coverage = the cluster's share of the industry's "
            f"national employment, {self.year}",
        )  # fmt: skip
        if not len(coarse):
            v.markdown(
                f"Coverage is 100%: the input-output industr"
                f"{'y is' if len(f) == 1 else 'ies are'} exactly the cluster's divisions "
                "(see the notes for parts of divisions that lie elsewhere)."
            )
        else:
            v.note("Coverage below 100% means the input-output industry also holds activities "
                   "outside the cluster (" + "; ".join(
                       f"{i}: {c:.0%} is {r}" for i, c, r in
                       zip(coarse.index, coarse["coverage"], coarse["cluster_nace"],
                           strict=True)) + "); its suppliers, customers and multipliers are "
                   "those of the whole industry.")  # fmt: skip
        return v

    def show_value_chain(self) -> View:
        """Show the value-chain diagram and the top suppliers and customers."""
        from clusterlib.figures.value_chains import value_chain_diagram

        s, c = self.suppliers, self.customers
        fig = value_chain_diagram(
            s.set_index("label")["share"], c.set_index("label")["share"].clip(lower=0),
            cluster=f"{self.cluster}\n({', '.join(self.industries['industry'])})",
            title=f"The national value chain of {self.cluster}", source=SOURCE)  # fmt: skip
        alt = (f"Diagram of the value chain of {self.cluster}: suppliers on the left, largest "
               f"{s['label'].iloc[0]} ({s['share'].iloc[0]:.0%} of inputs); customers on the "
               f"right, largest {c['label'].iloc[0]} ({c['share'].iloc[0]:.0%} of sales); band "
               "widths are proportional to the shares.")  # fmt: skip
        return (
            View().figure(fig, alt=alt)
            .table(s.set_index("label"), percent=["share", "regional_share", "local"],
                   caption=f"Top {TOP} suppliers: share of the cluster industries' domestic "
                   f"intermediate inputs, nationally and among those bought in {self.region} "
                   f"(FLQ, δ = {self.delta:g}); local = share of that input bought in the region",
                   labels={"share": "Share of inputs", "regional_share": "Share of the "
                           f"inputs bought in {self.region}", "local": "Bought locally",
                           "label": "Supplier"})
            .table(c.set_index("label"), percent=["share"],
                   labels={"share": "Share of sales", "label": "Customer"},
                   caption=f"Top {TOP} customers: share of the cluster industries' sales "
                   "(intermediate sales to industries and final demand), national table")
            .table(self.destinations.rename(columns=lambda d: f"FLQ δ = {d:g}"),
                   percent=[f"FLQ δ = {d:g}" for d in self.destinations.columns],
                   caption=f"Where the cluster industries' sales from {self.region} go, by FLQ δ "
                   "(shares of their estimated regional sales)")
            .table(self.customers_regional.set_index("label").drop(columns="kind"),
                   percent=["share", "in_region", "outside_region", "unplaced"],
                   labels={"label": "Customer", "share": f"Share of sales from {self.region}",
                           "in_region": f"Sold inside {self.region}",
                           "outside_region": "Sold outside (rest of Poland, abroad)",
                           "unplaced": "Final demand, region unknown"},
                   caption=f"Top {TOP} customers of the cluster industries in {self.region} "
                   f"(FLQ, δ = {self.delta:g})")
            .note(f"The region's output of each industry is its jobs times the national output "
                  f"per job, sold like the national industry's output; the part bought by "
                  f"industries inside {self.region} comes from the regionalised table (FLQ). "
                  "Final demand by region is not in the data: sales to households, government "
                  "and investment are shown as 'region unknown'; exports leave the region.")
        )  # fmt: skip

    def show_local_inputs(self) -> View:
        """Show the share of inputs bought inside the region, by δ."""
        lo, hi = self.local["cluster"].min(), self.local["cluster"].max()
        return (
            View().table(self.local.rename(index=lambda d: f"δ = {d:g}"),
                         percent=list(self.local.columns),
                         caption=f"Share of domestic intermediate inputs bought inside "
                         f"{self.region}, by FLQ δ (cluster = weighted by the cluster's output)")
            .markdown(f"The cluster buys **{lo:.0%}-{hi:.0%}** of its domestic inputs inside "
                      f"{self.region} (δ {min(self.deltas):g}-{max(self.deltas):g}).")
            .note(f"Industries without employment data in the business statistics "
                  f"({self._names('filled')}) are given {self.region}'s average share of "
                  "employment (SLQ = 1); the other industries' quotients are unchanged. In "
                  f"industries partly covered ({self._names('partial')}) the quotient is that "
                  "of the covered divisions.")
            .notes(self.notes)
        )  # fmt: skip

    def show_multipliers(self) -> View:
        """Show output and employment multipliers, national and the regional range over δ."""
        rows = {}
        for m, name in (
            ("output", "Output multiplier"),
            ("jobs_type_i", "Jobs multiplier (type I)"),
            ("gva_type_i", "Value-added multiplier (type I)"),
            ("jobs_per_100", "Jobs elsewhere per 100 cluster jobs"),
        ):
            n, lo, hi, at = self.cluster_multiplier(m)
            rows[name] = {"national": n, "regional min": lo, "regional max": hi,
                          f"regional δ = {self.delta:g}": at}  # fmt: skip
        wide = self.multipliers.unstack("scope")
        return (
            View().table(pd.DataFrame(rows).T, digits=2, caption=f"{self.cluster}: multipliers, "
                         f"national and regional ({self.region}, FLQ δ "
                         f"{min(self.deltas):g}-{max(self.deltas):g})")
            .table(wide["jobs_per_100"], digits=0, caption="Jobs supported elsewhere per 100 "
                   "jobs, by input-output industry: in Poland and in the region by FLQ δ")
            .note(f"Jobs are persons employed in the business economy (Eurostat SBS, "
                  f"{self.year}) over 2011 output (million USD): jobs in industries outside the "
                  f"business economy ({self._names('filled')}) are not counted, nor those of "
                  "the divisions without business statistics in the industries that hold some "
                  f"({self._names('partial')}). Regional multipliers use the national jobs "
                  "coefficients.")
        )  # fmt: skip

    def show_linkages(self) -> View:
        """Show backward and forward linkages and key sectors, the cluster first."""
        link = self.linkages.sort_values(["cluster", "backward"], ascending=False)
        return View().table(
            link.set_index("label"), digits=2, labels={"label": "Industry"}, caption="Rasmussen-Hirschman linkage indices "
            f"(average industry = 1), national and {self.region} (FLQ δ = {self.delta:g}); key "
            "sector = both above 1; cluster industries first",
        )  # fmt: skip

    # --------------------------------------------------------- what it says
    def findings(self) -> list[Finding]:
        """Return the key findings, each with the number it rests on."""
        from clusterlib.chapters.value_chain_findings import value_chain_findings

        return value_chain_findings(self)

    def metrics(self) -> ValueChainMetrics:
        """Return the typed record of ``metrics.json``."""
        lo_hi = self.local["cluster"]
        inside = self.destinations.iloc[0]  # industries in the region, by δ

        def est(key, unit, anchor):
            n, lo, hi, at = self.cluster_multiplier(key)
            reg = Estimate(value=at, low=lo, high=hi, unit=unit, source=SOURCE, year=self.year,
                           report=f"{REPORT}#{anchor}")  # fmt: skip
            return Estimate(value=n, unit=unit, source=SOURCE, year=2011), reg

        out, out_r = est("output", "output per unit of final demand", "Multipliers")
        jobs, jobs_r = est("jobs_type_i", "type I", "Multipliers")
        gva, gva_r = est("gva_type_i", "type I", "Multipliers")
        per, per_r = est("jobs_per_100", "jobs per 100 cluster jobs", "Multipliers")
        records = [
            {"industry": i, "label": r.label, "share": float(r.share)}
            for i, r in zip(self.suppliers.index, self.suppliers.itertuples(), strict=True)
        ]
        for rec, r in zip(records, self.suppliers.itertuples(), strict=True):
            rec.update(regional_share=float(r.regional_share), local=float(r.local))
        return ValueChainMetrics(
            region=self.region, cluster=self.cluster, codes=list(self.codes), year=self.year,
            delta=self.delta, deltas=list(self.deltas),
            io_industries=list(self.industries["industry"]),
            coverage={r.industry: float(r.coverage) for r in self.industries.itertuples()},
            local_input_share=Estimate(
                value=float(lo_hi[self.delta]), low=float(lo_hi.min()), high=float(lo_hi.max()),
                unit="share", source=SOURCE, year=self.year, report=f"{REPORT}#Local-inputs"),
            output_multiplier=out, output_multiplier_regional=out_r,
            jobs_multiplier=jobs, jobs_multiplier_regional=jobs_r,
            gva_multiplier=gva, gva_multiplier_regional=gva_r,
            jobs_per_100_national=per, jobs_per_100=per_r,
            suppliers=records,
            customers=[{"name": i, "label": r.label, "kind": r.kind, "share": float(r.share)}
                       for i, r in zip(self.customers.index, self.customers.itertuples(),
                                       strict=True)],
            key_sectors={i: bool(self.linkages.loc[i, "key_sector"])
                         for i in self.industries["industry"]},
            key_sectors_regional={i: bool(self.linkages.loc[i, "key_sector_regional"])
                                  for i in self.industries["industry"]},
            filled_industries=self.filled,
            sales_in_region=Estimate(
                value=float(inside[self.delta]), low=float(inside.min()), high=float(inside.max()),
                unit="share", source=SOURCE, year=self.year, report=f"{REPORT}#Suppliers-and-customers"),
            nuts_note=self.nuts_note,
        )  # fmt: skip

    def tables(self) -> dict[str, pd.DataFrame]:
        """Return the chapter's tables for export, by file name."""
        return {
            "io_industries": self.industries.set_index("industry"),
            "io_employment": self.employment, "local_inputs": self.local,
            "suppliers": self.suppliers, "customers": self.customers,
            "customers_regional": self.customers_regional, "sales_destinations": self.destinations,
            "multipliers": self.multipliers, "linkages": self.linkages,
        }  # fmt: skip
