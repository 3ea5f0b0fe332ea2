"""The key findings of notebook 05's value-chain chapter, said in every language of the reports."""

from __future__ import annotations

from clusterlib.chapters.metrics import Finding
from clusterlib.chapters.value_chain_tables import link_label
from clusterlib.chapters.wording import nuts_finding, term
from clusterlib.i18n.phrases import listing, names, phrase


def value_chain_findings(ch) -> list[Finding]:
    """Return the key findings of a :class:`~clusterlib.chapters.value_chains.ValueChainChapter`."""
    m = ch.metrics()
    cov = min(ch.industries["coverage"])
    s, c = ch.suppliers.iloc[0], ch.customers.iloc[0]

    def name(record):
        return names(en=link_label(record, lang="en"), pl=link_label(record, lang="pl"))

    say, region = Finding.said, ch.region
    n_io = len(ch.industries)
    out = [nuts_finding(ch.nuts_note)] if ch.nuts_note else []
    out += [
        say("coverage", "The cluster ({cluster}, {codes}) lies in {n} input-output "
            + ("industry" if n_io == 1 else "industries") + " ({industries}); the lowest "
            "coverage is **{cov:.0%}**.", cov, cluster=term(ch.cluster),
            codes="+".join(ch.codes), n=n_io, industries=", ".join(m.io_industries),
            cov=float(cov)),
        say("local_input_share", "{region} supplies **{low:.0%}-{high:.0%}** of the "
            "cluster's domestic inputs (FLQ δ {d0}-{d1}).", m.local_input_share.value,
            region=region, low=m.local_input_share.low, high=m.local_input_share.high,
            d0=f"{min(ch.deltas):g}", d1=f"{max(ch.deltas):g}"),
        say("top_supplier", "Largest supplier: {label} (**{share:.0%}** of inputs; {local:.0%} "
            "bought locally).", float(s["share"]),
            label=name({"industry": s.name, "label": s["label"]}), share=float(s["share"]),
            local=float(s["local"])),
        say("top_customer", "Largest customer: {label} (**{share:.0%}** of sales).",
            float(c["share"]), label=name({"name": c.name, "label": c["label"]}),
            share=float(c["share"])),
        say("sales_in_region", "Industries in {region} buy **{low:.0%}-{high:.0%}** of the "
            "cluster's sales from the region (FLQ δ {d0}-{d1}); {exports:.0%} are exported and "
            "{final:.0%} go to final demand in Poland (region unknown).",
            m.sales_in_region.value, region=region, low=m.sales_in_region.low,
            high=m.sales_in_region.high, d0=f"{min(ch.deltas):g}",
            d1=f"{max(ch.deltas):g}", exports=float(ch._dest("Exports")),
            final=float(ch._dest("Final demand"))),
        say("output_multiplier", "Output multiplier **{n:.2f}** nationally, {low:.2f}-"
            "{high:.2f} in {region}.", m.output_multiplier.value,
            n=m.output_multiplier.value, low=m.output_multiplier_regional.low,
            high=m.output_multiplier_regional.high, region=region),
        say("jobs_per_100", "Every 100 cluster jobs support **{low:.0f}-{high:.0f}** jobs "
            "elsewhere in {region} ({national:.0f} in Poland).", m.jobs_per_100.value,
            low=m.jobs_per_100.low, high=m.jobs_per_100.high, region=region,
            national=m.jobs_per_100_national.value),
    ]  # fmt: skip
    keys = [i for i, k in m.key_sectors.items() if k]
    local = [i for i, k in m.key_sectors_regional.items() if k]
    none = phrase("none")
    out.append(say(
        "key_sectors", "Key sectors (backward and forward linkages above average) among the "
        "cluster's industries: **{national}** nationally, {regional} in {region}.",
        float(len(keys)), national=listing(keys) if keys else none,
        regional=listing(local) if local else none, region=region))  # fmt: skip
    return out
