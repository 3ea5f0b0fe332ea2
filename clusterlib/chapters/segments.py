"""Chapter 3, notebook 03: what kinds of firms there are, built once for every reader.

:class:`SegmentsChapter` chooses the number of segments, segments the region's firms, profiles
the segments, tests their stability and tabulates barriers and cooperation gaps by segment, on the
same :class:`~clusterlib.chapters.survey_evidence.SurveyEvidence` as chapter 2. The notebook shows
its views, ``clusterlib summary`` prints :meth:`SegmentsChapter.to_markdown` and the brief reads
:meth:`SegmentsChapter.metrics`.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from clusterlib.chapters.base import Chapter, Finding, View, collect_warnings
from clusterlib.chapters.metrics import SegmentsMetrics
from clusterlib.chapters.survey import segment_evidence, segment_ids, segmentation_k_range
from clusterlib.chapters.survey_evidence import SurveyEvidence

#: Rates by segment of the table "Segments and innovation".
RATES = ("product_innovation", "process_innovation", "coop_universities", "cluster_member")


@dataclass(frozen=True)
class SegmentsChapter(Chapter):
    """Everything notebook 03 shows for one region, computed once by :meth:`build`.

    ``X`` are the standardised features, ``criteria`` the model-selection table (its ``attrs``
    hold the votes and the recommended k), ``labels`` the segment of each firm, ``profiles`` the
    segments' profiles, ``ari`` and ``stability`` the bootstrap agreement overall and per segment,
    ``rates`` innovation and cooperation by segment, ``by_segment`` barriers and cooperation gaps
    by segment and ``ids`` the firm ids per segment (for outreach). ``small`` explains a capped
    range of k; ``notes`` holds the warnings raised while building, by section.
    """

    TITLE = "What kinds of firms are there"
    EXPORT = "segment_tables"

    evidence: SurveyEvidence
    method: str
    n_boot: int
    seed: int
    k_range: range
    small: str
    X: pd.DataFrame
    criteria: pd.DataFrame
    labels: pd.Series
    profiles: pd.DataFrame
    ari: pd.Series
    stability: pd.DataFrame
    rates: pd.DataFrame
    by_segment: dict[str, pd.DataFrame]
    ids: pd.DataFrame
    notes: dict[str, tuple[str, ...]]

    @classmethod
    def build(
        cls,
        *,
        region: str,
        survey_path: str = "",
        mapping_path: str = "",
        weights: str = "",
        k_min: int = 2,
        k_max: int = 8,
        method: str = "kmeans",
        n_boot: int = 30,
        seed: int = 0,
        evidence: SurveyEvidence | None = None,
    ) -> SegmentsChapter:
        """Load the survey (or take ``evidence``) and compute the chapter."""
        from clusterlib.segmentation import (
            build_features,
            choose_k,
            segment_firms,
            segment_profiles,
            segment_stability,
        )

        ev = evidence or SurveyEvidence.load(
            region=region, survey_path=survey_path, mapping_path=mapping_path, weights=weights
        )
        firms, notes = ev.firms, {}
        k_range, small = segmentation_k_range(len(firms), k_min, k_max)
        X, _ = build_features(firms, impute="median")
        with collect_warnings() as notes["criteria"]:
            criteria = choose_k(X, k_range=k_range, method=method, seed=seed)
        labels = segment_firms(X, k=criteria.attrs["recommended_k"], method=method, seed=seed)
        with collect_warnings() as notes["profiles"]:
            profiles = segment_profiles(firms, labels, seed=seed)
        with collect_warnings() as notes["stability"]:
            ari, stability = segment_stability(X, labels, method=method, n_boot=n_boot, seed=seed)
        names = profiles["label"].to_dict()
        rates = firms.groupby(labels.rename("segment"))[list(RATES)].mean()
        return cls(
            evidence=ev, method=method, n_boot=n_boot, seed=seed, k_range=k_range, small=small,
            X=X, criteria=criteria, labels=labels, profiles=profiles, ari=ari,
            stability=stability, rates=rates.assign(label=profiles["label"])[["label", *RATES]],
            by_segment=segment_evidence(firms, labels, ev.weights),
            ids=segment_ids(firms, labels, names),
            notes={k: tuple(v) for k, v in notes.items()},
        )  # fmt: skip

    @property
    def region(self) -> str:
        """The focal region."""
        return self.evidence.region

    @property
    def k(self) -> int:
        """The number of segments chosen."""
        return int(self.criteria.attrs["recommended_k"])

    @property
    def names(self) -> dict:
        """Segment number to its label."""
        return self.profiles["label"].to_dict()

    # ------------------------------------------------------------------ views
    def show_sample(self) -> View:
        """Show the synthetic banner (if any), the firms and features, and the cap on k."""
        ev, v = self.evidence, View()
        if ev.banner:
            v.markdown(ev.banner)
        feats = ", ".join(c.replace("_", " ") for c in self.X.columns)
        v.markdown(f"**{len(ev.firms):,} firms of {self.region}**; features: {feats}.")
        return v.note(self.small) if self.small else v

    def show_choice(self) -> View:
        """Show the criteria by k, the votes and the criteria plot."""
        from clusterlib.figures import criteria_plot

        kr = self.k_range
        return (
            View()
            .notes(self.notes["criteria"])
            .table(self.criteria, digits=3, caption="Criteria by number of segments k "
                   "(silhouette, Calinski–Harabasz and gap: higher is better; Davies–Bouldin and "
                   "GMM BIC: lower is better)")
            .table(votes_table(self.criteria), caption=self.criteria.attrs["rule"])
            .figure(criteria_plot(self.criteria, source=self.evidence.source),
                    alt=f"Five panels, one per criterion, of its value against the number of "
                    f"segments k from {kr.start} to {kr.stop - 1}; the recommended k = {self.k}.")
        )  # fmt: skip

    def show_segments(self) -> View:
        """Show profiles, feature means, the profile heatmap and the PCA biplot."""
        from clusterlib.figures import pca_biplot, profile_heatmap
        from clusterlib.segmentation import DEFAULT_FEATURES

        p, src, feats = self.profiles, self.evidence.source, list(DEFAULT_FEATURES)
        means = p[feats].T.rename(columns=self.names, index=lambda f: f.replace("_", " "))
        return (
            View()
            .notes(self.notes["profiles"])
            .table(p[["label", "size", "share", "innovation_rate", "export_share_mean"]]
                   .rename_axis("segment"), caption="Segment profiles: size, innovation and exports")
            .table(means.rename_axis("feature"), digits=2, caption="Mean of each feature by "
                   "segment (scales 1–5; log of persons employed; export share 0–1; in-house R&D "
                   "share 0–1)")
            .figure(profile_heatmap(p, feats, source=src), alt=f"Heatmap of the {self.k} "
                    "segments' standardised feature means: rows are segments, columns features; "
                    "red above the average, blue below.")
            .figure(pca_biplot(self.X, self.labels, names=self.names, source=src, seed=self.seed),
                    alt="Scatter plot of the firms on the first two principal components of the "
                    "features, coloured by segment, with feature arrows.")
        )  # fmt: skip

    def show_stability(self) -> View:
        """Show bootstrap agreement overall and per segment, and the silhouette plot."""
        from clusterlib.figures import silhouette_plot

        ari = self.ari.rename("adjusted Rand index").to_frame().rename_axis("statistic")
        return (
            View()
            .notes(self.notes["stability"])
            .table(ari, digits=3, caption=f"Agreement of the partition with partitions of "
                   f"{self.n_boot} bootstrap resamples (1 = identical)")
            .table(self.stability.rename_axis("segment"), digits=2, caption="Per-segment "
                   "stability: mean Jaccard similarity over the resamples (Hennig 2007: above "
                   "0.75 stable, below 0.5 dissolved)")
            .figure(silhouette_plot(self.X, self.labels, source=self.evidence.source),
                    alt="Silhouette plot: each firm's silhouette width, grouped by segment; the "
                    "dashed line is the mean.")
        )  # fmt: skip

    def show_innovation(self) -> View:
        """Show innovation and cooperation rates by segment."""
        return View().table(self.rates, percent=list(RATES), caption="Share of the segment's firms")

    def show_evidence(self) -> View:
        """Show barriers and cooperation gaps by segment, and the firms per segment."""
        t = self.by_segment
        counts = self.ids["segment"].value_counts().sort_index()
        per = ", ".join(f"{self.names[s]}: {n}" for s, n in counts.items())
        return (
            View()
            .table(t["barriers"].rename(index=self.names, level=0), max_rows=60,
                   caption="Barriers by segment: share of firms that feel each")
            .table(t["gaps"].rename(index=self.names, level=0), max_rows=60, caption="Cooperation "
                   "gaps by segment: share of firms not cooperating with each partner")
            .markdown(f"Firm ids per segment: {per} firms (in the exports, `segment_firms.csv`, "
                      "when the batch runs the notebook).")
        )  # fmt: skip

    # --------------------------------------------------------- what it says
    def findings(self) -> list[Finding]:
        """Return the key findings, each with the number it rests on."""
        from clusterlib.i18n.phrases import listing, phrase

        out, say = [], Finding.said
        if self.evidence.synthetic:
            out.append(say("synthetic", "**These are synthetic data**: the segments illustrate "
                           "the method only."))  # fmt: skip
        votes = listing(phrase("{criterion} {k}", criterion=phrase(c.replace("_", " ")), k=v)
                        for c, v in self.criteria.attrs["votes"].items())  # fmt: skip
        out.append(say("k", "{n:,} firms of {region} fall into **{k} segments** (criteria votes: "
                       "{votes}).", float(self.k), n=len(self.evidence.firms), region=self.region,
                       k=self.k, votes=votes))  # fmt: skip
        for seg, r in self.profiles.iterrows():
            st = self.stability.loc[seg]
            out.append(say(
                f"segment_{seg}", "Segment {segment}, **{label}**: {size:,} firms ({share:.0f}%), "
                "innovation rate {rate:.0f}%, export share {export:.0f}%; stability "
                "{stability:.2f} ({verdict}).", float(st["jaccard_mean"]), segment=str(seg),
                label=label_phrase(r["label"]), size=r["size"], share=100 * r["share"],
                rate=100 * r["innovation_rate"], export=100 * r["export_share_mean"],
                stability=st["jaccard_mean"], verdict=phrase(str(st["verdict"])),
            ))  # fmt: skip
        out.append(say("ari", "Bootstrap adjusted Rand index of the partition: {ari:.2f}.",
                       float(self.ari["mean"]), ari=float(self.ari["mean"])))  # fmt: skip
        return out

    def metrics(self) -> SegmentsMetrics:
        """Return the typed record of ``metrics.json`` (the brief's numbers)."""
        return SegmentsMetrics(
            synthetic=bool(self.evidence.synthetic),
            n_firms=len(self.evidence.firms),
            n_segments=self.k,
            ari_mean=float(self.ari["mean"]),
            segments=[
                {
                    "segment": int(seg),
                    "label": str(r["label"]),
                    "size": int(r["size"]),
                    "share": float(r["share"]),
                    "innovation_rate": float(r["innovation_rate"]),
                    "stability": float(self.stability.loc[seg, "jaccard_mean"]),
                    "verdict": str(self.stability.loc[seg, "verdict"]),
                }
                for seg, r in self.profiles.iterrows()
            ],
        )

    def tables(self) -> dict[str, pd.DataFrame]:
        """Return the chapter's tables for export, by name (``segment_firms`` holds firm ids)."""
        return {
            "segment_criteria": self.criteria,
            "segment_profiles": self.profiles,
            "segment_stability": self.stability,
            "segment_rates": self.rates,
            "segment_barriers": self.by_segment["barriers"],
            "segment_gaps": self.by_segment["gaps"],
            "segment_firms": self.ids.set_index("firm_id"),
        }


def votes_table(criteria: pd.DataFrame) -> pd.DataFrame:
    """Return the number of segments each criterion recommends, and the rule's choice."""
    votes = criteria.attrs["votes"]
    out = pd.DataFrame(
        {"criterion": [c.replace("_", " ") for c in votes], "recommended k": list(votes.values())}
    ).set_index("criterion")
    out.loc["rule: median of the votes"] = criteria.attrs["recommended_k"]
    return out


def label_phrase(label: str) -> dict:
    """Return a segment's label (:func:`clusterlib.segmentation.label_segments`) as a phrase.

    The label is a phrase of :data:`~clusterlib.segmentation.profiles.PHRASES`, perhaps with a
    second feature's first word in brackets and the prefix "small"; each part is translated.

    Examples
    --------
    >>> from clusterlib.i18n.phrases import say
    >>> say(label_phrase("small export-oriented firms (science-linked)"), lang="pl")
    'firmy eksportowe (nauka) (małe firmy)'
    """
    import re

    from clusterlib.i18n.phrases import phrase
    from clusterlib.segmentation.profiles import LOW_PROFILE

    if label.startswith("small ") and label != LOW_PROFILE:
        return phrase("small {label}", label=label_phrase(label[len("small ") :]))
    m = re.fullmatch(r"(.+) \((\S+)\)", label)
    if m:
        return phrase("{label} ({word})", label=phrase(m.group(1)), word=phrase(m.group(2)))
    return phrase(label)
