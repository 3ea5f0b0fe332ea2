"""The key findings of notebook 04's related-industries chapter, said in every language."""

from __future__ import annotations

from clusterlib.chapters.metrics import Finding
from clusterlib.chapters.related_tables import NEAR


def related_findings(ch) -> list[Finding]:
    """Return the key findings of a :class:`~clusterlib.chapters.related.RelatedChapter`."""
    from clusterlib.chapters.wording import nace_name, nuts_finding
    from clusterlib.i18n.phrases import listing, phrase

    say, (eu, n_eu, nat, n_nat) = Finding.said, ch.eci_rank
    rel = ch.related.head(5)
    out = [nuts_finding(ch.nuts_note)] if ch.nuts_note else []
    out += [say("related", "**Related industries.** Across European regions the divisions "
               "that co-locate most with the cluster are {divisions}.",
               float(rel["colocation"].iloc[0]),
               divisions=listing(phrase("{code} {label} (r = {r:.2f})", code=c,
                                        label=nace_name(c, d), r=float(r))
                                 for c, d, r in zip(rel.index, rel["division"],
                                                    rel["colocation"], strict=True)))]  # fmt: skip
    if ch.top.empty:
        out.append(say("diversification", "**Diversification.** No industry the region "
                       "lacks (outside the cluster) combines above-median relatedness with "
                       "above-average complexity.", 0.0))  # fmt: skip
    else:
        top = zip(ch.top.index[:5], ch.top["division"][:5], strict=True)
        out.append(say("diversification", "**Diversification opportunities** (outside the "
                       "cluster, not yet specialised, relatedness density above the median, "
                       "complexity above average, those near the cluster (LQ correlation "
                       "{near} or more) first): {divisions}.", float(len(ch.top)),
                       near=NEAR, divisions=listing(
                           phrase("{code} {label}", code=c, label=nace_name(c, d))
                           for c, d in top)))  # fmt: skip
    if eu is None:
        out.append(say("complexity", "**Complexity.** No ECI for {region} in {year} (unknown "
                       "cells; see the notes).", region=ch.region,
                       year=str(ch.year)))  # fmt: skip
    else:
        partition = (phrase(" (the area in place of its members: the ECI is defined for the "
                            "units of one partition of Europe)") if ch.members else "")  # fmt: skip
        out.append(say("complexity", "**Complexity.** ECI {eci:+.2f}: rank {eu} of {n_eu} "
                       "European regions and {nat} of {n_nat} in the country{partition}.",
                       float(ch.region_eci), eci=float(ch.region_eci), eu=str(eu),
                       n_eu=n_eu, nat=str(nat), n_nat=n_nat,
                       partition=partition))  # fmt: skip
    if ch.members:
        out.append(say("area", "**Cluster area.** {region} is the sum of {members}: its "
                       "specialisations, relatedness density and opportunities come from the "
                       "summed employment; proximity and complexity are those of the NUTS2 "
                       "regions.", float(len(ch.members)), region=ch.region,
                       members=", ".join(ch.members)))  # fmt: skip
    out += [_boundary_finding(ch), _io_finding(ch), _entry_finding(ch)]
    return out


def _boundary_finding(ch) -> Finding:
    from clusterlib.i18n.phrases import listing, phrase

    att = ch.attached()
    held = (listing(phrase("{code} ({share:.0%})", code=c, share=float(v))
                    for c, v in att.items()) if len(att) else phrase("no other division"))  # fmt: skip
    verdict = phrase("narrower than the data's." if len(att) else "consistent with the data.")
    return Finding.said("boundary", "**Cluster boundary.** The data put {held} with {codes} "
                        "in at least half of the bootstrap resamples; the hand-made "
                        "definition is {verdict}", float(len(att)), held=held,
                        codes=", ".join(ch.codes), verdict=verdict)  # fmt: skip


def _io_finding(ch) -> Finding:
    top = ch.io_pairs.sort_values("io_link", ascending=False).head(3)
    d = ch.io_definition
    groups = [sorted(d.index[d["cluster"] == k]) for k in sorted(set(d.loc[ch.codes, "cluster"]))]
    from clusterlib.i18n.phrases import listing, phrase

    said = "; ".join(", ".join(g) for g in groups)
    return Finding.said("io_links", "**Input-output links.** By trade in Poland's 2011 table "
                        "the divisions most linked to the cluster are {divisions}; combining "
                        "links and co-location (weight {weight}) groups the cluster's "
                        "divisions as {groups}.", float(top["io_link"].iloc[0]),
                        divisions=listing(phrase("{code} ({v:.2f})", code=c, v=float(v))
                                          for c, v in top["io_link"].items()),
                        weight=f"{ch.io_weight:g}", groups=said)  # fmt: skip


def _entry_finding(ch) -> Finding:
    from clusterlib.i18n.phrases import phrase

    a = ch.density_ame
    per10 = 10 * 100 * a["estimate"]
    verdict = phrase(
        "The diversification advice above rests on evidence in these data."
        if a["ci_low"] > 0
        else "The evidence in these data is not conclusive: treat the advice as a hypothesis."
    )
    return Finding.said(
        "entry", "**Does relatedness predict entry here?** Across {n} European regions, "
        "{start}→{end}, 10 more points of relatedness density go with {per10:+.1f} percentage "
        "points of probability of entering an industry (95% CI {lo:+.1f} to {hi:+.1f}; base "
        "rate {base:.1f}%). {verdict}", float(per10), n=ch.entry.attrs["n_regions"],
        start=str(ch.start), end=str(ch.end), per10=float(per10),
        lo=float(10 * 100 * a["ci_low"]), hi=float(10 * 100 * a["ci_high"]),
        base=float(100 * ch.entry["entry"].mean()), verdict=verdict)  # fmt: skip
