"""Chapter 3, notebook 03: what kinds of firms there are (findings, metrics, tables)."""

from __future__ import annotations

import pandas as pd

from clusterlib.chapters.metrics import SegmentsMetrics


def segmentation_findings(
    *,
    region: str,
    k: int,
    votes: dict,
    profiles: pd.DataFrame,
    stability: pd.DataFrame,
    ari: pd.Series,
    synthetic: bool,
    n_firms: int,
) -> str:
    """Key findings of notebook 03 as Markdown."""
    lines = ["### Key findings", ""]
    if synthetic:
        lines.append("- **These are synthetic data**: the segments illustrate the method only.")
    lines.append(
        f"- {n_firms:,} firms of {region} fall into **{k} segments** (criteria votes: "
        + ", ".join(f"{c.replace('_', ' ')} {v}" for c, v in votes.items())
        + ")."
    )
    for seg, r in profiles.iterrows():
        st = stability.loc[seg]
        lines.append(
            f"- Segment {seg}, **{r['label']}**: {r['size']:,} firms ({100 * r['share']:.0f}%), "
            f"innovation rate {100 * r['innovation_rate']:.0f}%, export share "
            f"{100 * r['export_share_mean']:.0f}%; stability {st['jaccard_mean']:.2f} "
            f"({st['verdict']})."
        )
    lines.append(f"- Bootstrap adjusted Rand index of the partition: {ari['mean']:.2f}.")
    return "\n".join(lines)


def votes_table(criteria: pd.DataFrame) -> pd.DataFrame:
    """Return the number of segments each criterion recommends, and the rule's choice."""
    votes = criteria.attrs["votes"]
    out = pd.DataFrame(
        {"criterion": [c.replace("_", " ") for c in votes], "recommended k": list(votes.values())}
    ).set_index("criterion")
    out.loc["rule: median of the votes"] = criteria.attrs["recommended_k"]
    return out


def segments_metrics(
    *,
    profiles: pd.DataFrame,
    stability: pd.DataFrame,
    ari: pd.Series,
    k: int,
    n_firms: int,
    synthetic: bool,
) -> SegmentsMetrics:
    """Return the typed metrics of notebook 03 for ``metrics.json`` and the brief."""
    return SegmentsMetrics(
        synthetic=bool(synthetic),
        n_firms=int(n_firms),
        n_segments=int(k),
        ari_mean=float(ari["mean"]),
        segments=[
            {
                "segment": int(seg),
                "label": str(r["label"]),
                "size": int(r["size"]),
                "share": float(r["share"]),
                "innovation_rate": float(r["innovation_rate"]),
                "stability": float(stability.loc[seg, "jaccard_mean"]),
                "verdict": str(stability.loc[seg, "verdict"]),
            }
            for seg, r in profiles.iterrows()
        ],
    )
