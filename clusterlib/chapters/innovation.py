"""Chapter 2, notebook 02: what drives firms' innovation, built once for every reader.

:class:`InnovationChapter` fits and tabulates everything notebook 02 shows for one region: the
descriptives, the weights, the strategy's evidence tables, the scales' reliability, the pooled and
regional models with their average marginal effects, the bootstrap, the diagnostics and, for the
bundled synthetic survey, the comparison with the known truth. The notebook shows its views,
``clusterlib summary`` prints :meth:`InnovationChapter.to_markdown` and the brief reads
:meth:`InnovationChapter.metrics`. The tables themselves are built in
:mod:`clusterlib.chapters.innovation_tables`.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from clusterlib.chapters import innovation_tables as tables
from clusterlib.chapters.base import Chapter, Finding, View, collect_warnings
from clusterlib.chapters.effects import effects_phrase, summarise_effects, term_label, top_effect
from clusterlib.chapters.metrics import InnovationMetrics
from clusterlib.chapters.survey import evidence_tables
from clusterlib.chapters.survey_evidence import SurveyEvidence
from clusterlib.innovation.results import ModelResult

#: The variables of the descriptive table.
DESCRIBED = (
    "product_innovation", "process_innovation", "rd_inhouse", "coop_suppliers",
    "coop_customers", "coop_universities", "coop_bsi", "cluster_member", "public_support",
    "exporter", "export_share", "employees", "age",
)  # fmt: skip


def _labelled(df: pd.DataFrame, name: str) -> pd.DataFrame:
    return df.rename(index=lambda t: term_label(t, capital=True)).rename_axis(name)


@dataclass(frozen=True)
class InnovationChapter(Chapter):
    """Everything notebook 02 shows for one region, computed once by :meth:`build`.

    ``pooled`` is the model with region effects (None when the survey covers one region),
    ``no_fe`` the pooled model without them, ``regional`` the region's own model (None when its
    firms are too few) with ``reason`` saying which model was fitted and why. ``notes`` holds the
    warnings raised while fitting, by section, as readers' notes.
    """

    TITLE = "What drives firms' innovation"
    EXPORT = "innovation_tables"

    evidence: SurveyEvidence
    outcome: str
    drivers: str
    n_boot: int
    seed: int
    descriptives: pd.DataFrame
    evidence_tables: dict[str, pd.DataFrame]
    reliability: pd.DataFrame
    pooled: ModelResult | None
    no_fe: ModelResult
    errors: str
    regional: ModelResult | None
    reason: str
    ame: pd.DataFrame
    ame_caption: str
    bootstrap: pd.DataFrame
    diagnostics: pd.DataFrame
    vif: pd.DataFrame
    truth: pd.DataFrame | None
    notes: dict[str, tuple[str, ...]]

    @classmethod
    def build(
        cls,
        *,
        region: str,
        survey_path: str = "",
        mapping_path: str = "",
        weights: str = "",
        outcome: str = "product_innovation",
        drivers: str,
        n_boot: int = 200,
        seed: int = 0,
        evidence: SurveyEvidence | None = None,
    ) -> InnovationChapter:
        """Load the survey (or take ``evidence``) and compute the chapter."""
        from clusterlib.innovation import bootstrap_ame, truth, vif

        ev = evidence or SurveyEvidence.load(
            region=region, survey_path=survey_path, mapping_path=mapping_path, weights=weights
        )
        survey, mine, formula = ev.survey, ev.firms, f"{outcome} ~ {drivers}"
        notes = {}
        with collect_warnings() as notes["pooled"]:
            pooled, no_fe, errors = tables.pooled_models(formula, survey)
        with collect_warnings() as notes["regional"]:
            regional, reason = tables.regional_model(formula, mine, weights=ev.weights)
        models = {"Pooled (no region effects)": no_fe}
        if pooled is not None:
            models["Pooled (region effects)"] = pooled
        if regional is not None:
            models[f"{region} ({regional.family})"] = regional
        ame, caption = tables.ame_table(
            models, outcome=outcome, regions=list(survey["region"].unique())
        )
        with collect_warnings() as notes["bootstrap"]:
            boot = bootstrap_ame(
                formula, mine if regional is not None else survey, n_boot=n_boot, seed=seed,
                family=regional.family if regional is not None else "logit",
            )  # fmt: skip
        with collect_warnings() as notes["diagnostics"]:  # the link test refits the model
            diagnostics = tables.diagnostics_table({"Pooled": no_fe, region: regional})
        compared = None
        if ev.bundled:
            compared = tables.truth_comparison(no_fe, truth()["product_innovation_logit"])
        return cls(
            evidence=ev, outcome=outcome, drivers=drivers, n_boot=n_boot, seed=seed,
            descriptives=tables.describe(survey, mine, columns=list(DESCRIBED), region=region),
            evidence_tables=evidence_tables(mine, ev.weights),
            reliability=tables.reliability_table(survey),
            pooled=pooled, no_fe=no_fe, errors=errors, regional=regional, reason=reason,
            ame=ame, ame_caption=caption, bootstrap=boot,
            diagnostics=diagnostics,
            vif=vif(no_fe), truth=compared,
            notes={k: tuple(v) for k, v in notes.items()},
        )  # fmt: skip

    @property
    def region(self) -> str:
        """The focal region."""
        return self.evidence.region

    @property
    def weighted_rate(self) -> float | None:
        """The weighted share of the region's firms with the outcome (None: unweighted)."""
        return self.evidence.weighted_share(self.outcome)

    # ------------------------------------------------------------------ views
    def show_sample(self) -> View:
        """Show the synthetic banner (if any) and the number of firms."""
        ev, v = self.evidence, View()
        if ev.banner:
            v.markdown(ev.banner)
        return v.markdown(
            f"{len(ev.survey):,} firms in the survey, **{len(ev.firms):,} in {self.region}**."
        )

    def show_descriptives(self) -> View:
        """Show shares and means in the region and in the whole survey."""
        return View().table(
            _labelled(self.descriptives, "variable"),
            caption="Shares of firms for 0/1 variables (0.38 = 38%); means of export share "
            "(0–1), persons employed and age (years)",
        )

    def show_weights(self) -> View:
        """Show the weights' summary and the weighted rate, or a note that there are none."""
        ev, v = self.evidence, View()
        if ev.weights is None:
            return v.note(
                "Unweighted: the shares below describe the surveyed firms. Give a margins file "
                "(parameter `weights`) to describe the region's firms."
            )
        v.table(ev.weights_summary.rename_axis("weights"),
                caption=f"Survey weights of the {len(ev.firms)} firms of {self.region}")  # fmt: skip
        name = self.outcome.replace("_", " ").capitalize()
        return v.markdown(
            f"**{name}: {100 * ev.firms[self.outcome].mean():.1f}% of the surveyed firms, "
            f"{100 * self.weighted_rate:.1f}% of the region's firms (weighted).**"
        )

    def show_evidence(self) -> View:
        """Show cooperation, innovation types, barriers and internationalisation."""
        t = self.evidence_tables
        how = "weighted" if self.evidence.weights is not None else "unweighted"
        return (
            View()
            .table(t["cooperation"], max_rows=40,
                   caption=f"Innovation cooperation partners by size class ({how})")
            .table(t["innovation"], caption="Innovation types by size class")
            .table(t["barriers"], caption="Barriers to innovation, ranked: share of firms that "
                   "feel each (agree 4–5, or disagree 1–2 with the reversed item)")
            .table(t["international"], caption="Internationalisation: exporters, export share "
                   "of sales (mean), foreign ownership")
        )  # fmt: skip

    def show_reliability(self) -> View:
        """Show Cronbach's alpha of every Likert scale."""
        rel = self.reliability.rename(index=lambda s: s.replace("_", " ")).rename_axis("scale")
        return View().table(rel, digits=2, caption="Cronbach's alpha (0.7 and above: acceptable) "
                            "and the weakest item-rest correlation")  # fmt: skip

    def show_pooled(self) -> View:
        """Show the focal region's effect in the pooled model with region effects."""
        v = View().notes(self.notes["pooled"])
        if self.pooled is None:
            return v.markdown(f"The survey covers one region ({self.region}): no region effects; "
                              f"the model below uses {self.errors}.")  # fmt: skip
        reference = sorted(self.evidence.survey["region"].unique())[0]
        sf = self.pooled.summary_frame()
        mine = [t for t in sf.index if any(f"[T.{m}]" in t for m in self.evidence.members)]
        effect = _labelled(sf.loc[mine], "term")
        if not len(effect):
            return v.markdown(f"{self.region} is the reference region ({reference}): the other "
                              "regions' effects are measured against it.")  # fmt: skip
        whose = (
            f"{self.region}'s effect"
            if self.evidence.members == (self.region,)
            else f"the effects of {self.region}'s regions ({', '.join(self.evidence.members)})"
        )
        return v.table(effect.rename_axis(None), digits=3, caption=f"Logit coefficient of {whose}, "
                       f"against the reference region {reference} ({self.errors})")  # fmt: skip

    def show_regional(self) -> View:
        """Show which model the region gets and why, and the table of average marginal effects."""
        v = View().notes(self.notes["regional"])
        v.markdown(f"**Model for {self.region}:** {self.reason}")
        return v.table(self.ame.rename_axis("factor"), caption=self.ame_caption, max_rows=60)

    def show_effects(self) -> View:
        """Show the forest plot of average marginal effects and the bootstrap table."""
        from clusterlib.figures import ame_forest_plot

        ames = {"Pooled": self.no_fe.ame}
        if self.regional is not None:
            ames[self.region] = self.regional.ame
        what = self.outcome.replace("_", " ")
        own = f" and {self.region}'s own model." if self.regional is not None else "."
        fig = ame_forest_plot({k: a.rename(index=term_label) for k, a in ames.items()},
                              title=f"Factors associated with {what}: average marginal effects",
                              source=self.evidence.source)  # fmt: skip
        return (
            View()
            .figure(fig, alt=f"Forest plot of the average marginal effects on the probability "
                    f"of {what}, with 95% intervals, for the pooled model{own}")
            .notes(self.notes["bootstrap"])
            .table(_labelled(self.bootstrap, "factor"), digits=3, caption=f"Bootstrap "
                   f"({self.n_boot} resamples of firms, seed {self.seed}) average marginal effects")
        )  # fmt: skip

    def show_diagnostics(self) -> View:
        """Show fit diagnostics and variance inflation factors."""
        return (
            View()
            .notes(self.notes["diagnostics"])
            .table(self.diagnostics.rename_axis("diagnostic"), digits=3, caption="Fit diagnostics "
                   "(Hosmer–Lemeshow and link test p-values above 0.05: no sign of misfit)")
            .table(_labelled(self.vif, "factor"), digits=2,
                   caption="Variance inflation factors (above 10: strong collinearity)")
        )  # fmt: skip

    def show_plain_language(self) -> View:
        """Show the pooled model's effects in words."""
        return View().markdown(summarise_effects(self.no_fe, synthetic=self.evidence.synthetic))

    def show_truth(self) -> View:
        """Show, for the bundled synthetic survey, estimates against the true coefficients."""
        if self.truth is None:
            return View().note("A survey from a file: no known truth to compare with.")
        return View().table(self.truth.rename_axis("term"), digits=3, caption="True coefficients "
                            "of the synthetic data-generating process against the pooled "
                            "estimates")  # fmt: skip

    # --------------------------------------------------------- what it says
    def findings(self) -> list[Finding]:
        """Return the key findings (associations, not causes), each with its number."""
        from clusterlib.i18n.phrases import phrase

        ev, mine, say = self.evidence, self.evidence.firms, Finding.said
        out = []
        if ev.synthetic:
            out.append(say("synthetic", "**These are synthetic data**: the numbers illustrate the "
                           "method only."))  # fmt: skip
        rate = float(mine[self.outcome].mean())
        values = {"n": len(mine), "region": self.region, "rate": 100 * rate,
                  "outcome": phrase(self.outcome.replace("_", " "))}  # fmt: skip
        text = "{n:,} surveyed firms in {region}; {rate:.1f}% report a {outcome}"
        if ev.weights is not None:
            deff = ev.weights.attrs["deff"]
            text += ("; weighted to the region's firms, {weighted:.1f}% (design effect "
                     "{deff:.2f}, effective sample {effective:.0f} firms)")  # fmt: skip
            values |= {"weighted": 100 * self.weighted_rate, "deff": deff,
                       "effective": len(mine) / deff}  # fmt: skip
        out.append(say("innovation_rate", text + ".", rate, **values))
        out.append(say("pooled", "Pooled model (all regions): {summary}", top_effect(self.no_fe),
                       summary=effects_phrase(self.no_fe)))  # fmt: skip
        if self.regional is not None:
            out.append(say("regional", "{region}'s own model ({family}): {summary}",
                           top_effect(self.regional), region=self.region,
                           family=self.regional.family,
                           summary=effects_phrase(self.regional)))  # fmt: skip
        else:
            out.append(say("regional", "No separate model for {region}: {reason}",
                           region=self.region, reason=self.reason))  # fmt: skip
        out.append(say("caveat", "These are associations in a cross-sectional survey, not "
                       "effects of an intervention."))  # fmt: skip
        return out

    def metrics(self) -> InnovationMetrics:
        """Return the typed record of ``metrics.json`` (the brief's numbers)."""
        ev = self.evidence
        return tables.innovation_metrics(
            survey=ev.survey, mine=ev.firms, outcome=self.outcome, pooled=self.no_fe,
            regional=self.regional, reason=self.reason, source=ev.source, weights=ev.weights,
        )  # fmt: skip

    def tables(self) -> dict[str, pd.DataFrame]:
        """Return the chapter's tables for export, by file name."""
        out = {
            "innovation_descriptives": self.descriptives,
            **{f"innovation_{k}": t for k, t in self.evidence_tables.items()},
            "innovation_reliability": self.reliability,
            "innovation_ame": self.ame,
            "innovation_bootstrap": self.bootstrap,
            "innovation_diagnostics": self.diagnostics,
        }
        if self.truth is not None:
            out["innovation_truth"] = self.truth
        return out
