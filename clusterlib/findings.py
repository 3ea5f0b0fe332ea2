"""Key findings written from results (the closing cell of each notebook; never typed by hand)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:  # statsmodels is loaded only by the notebooks that fit models
    from clusterlib.innovation.models import ModelResult


def specialisation_findings(
    *,
    region: str,
    name: str,
    cluster: str,
    year: int,
    start_year: int,
    cluster_row: pd.Series,
    rank: int,
    n_regions: int,
    stars: pd.Series,
    shift: pd.Series,
    top_divisions: pd.DataFrame,
    eu_lq: float | None = None,
    n_imputed: int = 0,
) -> str:
    """Markdown bullet points summarising notebook 01."""
    c = cluster_row
    sig = "significantly " if c["significant"] else ""
    above = "above" if c["lq"] > 1 else "below"
    lines = [
        "### Key findings",
        "",
        f"- **{cluster}** employs {c['count']:,.0f} people in {region} {name} in {year}, "
        f"{100 * c['count'] / c['region_total']:.1f}% of the business economy.",
        f"- Its location quotient is **{c['lq']:.2f}** (95% CI {c['lq_low']:.2f}–{c['lq_high']:.2f}): "
        f"{sig}{above} the national average; rank {rank} of {n_regions} regions in the country.",
    ]
    if eu_lq is not None:
        lines.append(f"- Against all EU regions in the data the cluster's LQ is {eu_lq:.2f}.")
    lines.append(
        f"- Star rating: **{int(stars['stars'])} of 3** (size: {'yes' if stars['size_star'] else 'no'}, "
        f"specialisation: {'yes' if stars['specialisation_star'] else 'no'}, focus: "
        f"{'yes' if stars['focus_star'] else 'no'})."
    )
    if shift is None:
        lines.append(
            f"- No shift-share for {start_year}–{year}: the region has no data in "
            f"{start_year} (its NUTS code is newer)."
        )
    else:
        lines.append(
            f"- {start_year}–{year}: employment changed by {shift['change']:+,.0f}; the regional "
            f"(competitive) shift was {shift['regional_shift']:+,.0f} and the industry mix "
            f"{shift['industry_mix']:+,.0f}."
        )
    top = top_divisions.head(3)
    lines.append(
        "- Most specialised divisions: "
        + "; ".join(f"{r.division} {r.label} (LQ {r.lq:.2f})" for r in top.itertuples())
        + "."
    )
    if n_imputed:
        lines.append(
            f"- {n_imputed} confidential or missing cells of this region were imputed "
            "(European Cluster Observatory fill-in); they are listed above."
        )
    return "\n".join(lines)


def innovation_findings(
    *,
    region: str,
    pooled: ModelResult,
    regional: ModelResult | None,
    reason: str,
    innovation_rate: float,
    n_region: int,
    synthetic: bool,
) -> str:
    """Markdown summarising notebook 02."""
    from clusterlib.innovation.report import summarise_effects

    lines = ["### Key findings", ""]
    if synthetic:
        lines.append("- **These are synthetic data**: the numbers illustrate the method only.")
    lines.append(
        f"- {n_region:,} surveyed firms in {region}; {100 * innovation_rate:.1f}% report a "
        "product innovation."
    )
    lines.append("- Pooled model (all regions): " + summarise_effects(pooled, synthetic=False))
    if regional is not None:
        lines.append(
            f"- {region}'s own model ({regional.family}): "
            + summarise_effects(regional, synthetic=False)
        )
    else:
        lines.append(f"- No separate model for {region}: {reason}")
    return "\n".join(lines)


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
    """Markdown summarising notebook 03."""
    lines = ["### Key findings", ""]
    if synthetic:
        lines.append("- **These are synthetic data**: the segments illustrate the method only.")
    lines.append(
        f"- {n_firms:,} firms of {region} fall into **{k} segments** (criteria votes: "
        + ", ".join(f"{c} {v}" for c, v in votes.items())
        + ")."
    )
    for seg, r in profiles.iterrows():
        st = stability.loc[seg]
        lines.append(
            f"- Segment {seg}, **{r['label']}**: {r['size']:,} firms ({100 * r['share']:.0f}%), "
            f"innovation rate {100 * r['innovation_rate']:.0f}%, export share "
            f"{100 * r['export_share_mean']:.0f}%; stability {st['jaccard_mean']:.2f} ({st['verdict']})."
        )
    lines.append(f"- Bootstrap adjusted Rand index of the partition: {ari['mean']:.2f}.")
    return "\n".join(lines)
