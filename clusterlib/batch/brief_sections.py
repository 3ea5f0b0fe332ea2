"""The sections of the strategy brief, each from one chapter's record: its metrics and findings.

Each function returns the HTML parts of one section of :func:`clusterlib.batch.brief.render_brief`.
A sentence a chapter states already is its :class:`~clusterlib.chapters.metrics.Finding`, shown
word for word (:func:`md_html`) with a link to the report that shows its number; the brief words
only what no chapter states (the tables of shares and indicators, the SWOT, the actions).
"""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING

from clusterlib.chapters.metrics import Estimate, Finding
from clusterlib.i18n.numbers import render

if TYPE_CHECKING:
    from clusterlib.batch.brief import Rule

SWOT = ("strength", "weakness", "opportunity", "threat")
PLURAL = {
    "strength": "Strengths",
    "weakness": "Weaknesses",
    "opportunity": "Opportunities",
    "threat": "Threats",
}
#: The findings of notebook 01 shown in the state of the industry (the rest: growth perspectives).
STATE = ("employment", "lq", "eu_lq", "eu_stars", "stars", "eu_rank", "top_divisions", "peers")
GROWTH = ("shift", "growth", "trend")
_ANCHOR_01 = "01_specialisation.html#"

#: Where in the reports the plain numbers of ``metrics.json`` are shown (for the SWOT's links).
ANCHORS = {
    "specialisation.eu_stars": "01_specialisation.html#Stars-across-Europe",
    "specialisation.eu_performance_stars": "01_specialisation.html#Stars-across-Europe",
    "specialisation.stars": (
        "01_specialisation.html#Star-rating-among-the-regions-of-the-country-(national-comparison,-an-option)"
    ),
}


def _num(est: Estimate | None, spec: str = ",.2f") -> str:
    if est is None or est.value is None:
        return "not available"
    pct = "share" in est.unit
    fmt = (lambda x: f"{100 * x:.1f}%") if pct else (lambda x: format(x, spec))
    text = fmt(est.value)
    if est.low is not None and est.high is not None:
        text += f" (95% CI {fmt(est.low)}–{fmt(est.high)})"
    return text


def _finding(rule: Rule, est: Estimate, field: str = "finding") -> str:
    """Return a fired rule's finding (or action): its template filled with the number.

    :func:`clusterlib.i18n.render` fills it: ``{value}`` (and ``{magnitude}``, its absolute value)
    with a number format is all a template may name, so a rule cannot reach Python's internals
    (``{value.__class__}`` is refused).
    """
    return render(
        getattr(rule, field),
        {"value": est.value, "magnitude": abs(est.value)},
        source=f"rule {rule.id!r}, field {field!r}",
    )


def _link(est: Estimate, text: str) -> str:
    if not est.report:
        return html.escape(text)
    return f'<a href="{html.escape(est.report)}">{html.escape(text)}</a>'


def md_html(text: str) -> str:
    r"""Return a finding's Markdown as HTML: ``**bold**`` in bold, every other character literal.

    A finding escapes user text with :func:`clusterlib.chapters.display.md_text` (backslashes
    before Markdown punctuation, character references for ``<``, ``>`` and ``&``), so it holds no
    ``**`` but its own; the text reads back literally and can add no element.

    Examples
    --------
    >>> md_html(r"**metal \*x\*** has LQ **1.46** &lt;b&gt; R&amp;D")
    '<b>metal *x*</b> has LQ <b>1.46</b> &lt;b&gt; R&amp;D'
    """
    out, bold = [], False
    for m in re.finditer(r"\\(.)|(\*\*)|([^\\*]+|\*|\\)", text):
        if m.group(2):  # an unescaped **: the finding's own emphasis
            out.append("</b>" if bold else "<b>")
            bold = not bold
        else:
            chunk = m.group(1) if m.group(1) is not None else m.group(3)
            out.append(html.escape(html.unescape(chunk), quote=False))
    return "".join(out) + ("</b>" if bold else "")


def findings_items(findings: list[Finding], keys: tuple[str, ...], links: dict[str, str]) -> str:
    """Return the findings with the given keys, in that order, as ``<li>`` items with links."""
    by_key = {f.key: f for f in findings}
    items = []
    for key in keys:
        if key in by_key:
            report = links.get(key, "")
            source = f' [<a href="{html.escape(report)}">source</a>]' if report else ""
            items.append(f"<li>{md_html(by_key[key].text)}{source}</li>")
    return "".join(items)


def _missing(notebook: str) -> str:
    return (f"<p>This run's metrics.json holds no findings of the {notebook} notebook; rerun the "
            "batch for this region.</p>")  # fmt: skip


def _links_01(spec) -> dict[str, str]:
    """Where notebook 01 shows the number of each of its findings."""

    def rep(est):
        return est.report if est is not None else ""

    peers = rep(spec.wages_per_person) or _ANCHOR_01 + "Peer-regions"
    return {
        "employment": rep(spec.employment), "lq": rep(spec.lq), "eu_lq": rep(spec.eu_lq),
        "stars": ANCHORS["specialisation.stars"], "eu_stars": ANCHORS["specialisation.eu_stars"],
        "eu_rank": peers, "peers": peers, "shift": rep(spec.change),
        "growth": rep(spec.growth_region), "trend": rep(spec.growth_region),
        "top_divisions": _ANCHOR_01[:-1],
    }  # fmt: skip


def state_of_industry(spec, findings: list[Finding] | None) -> list[str]:
    """Section 1: the cluster's size, specialisation, stars and peers (notebook 01's findings)."""
    parts = ["<h2>1. Current state of the industry</h2>"]
    if not spec:
        return [*parts, "<p>The specialisation notebook did not run for this region.</p>"]
    if findings is None:
        return [*parts, _missing("specialisation")]
    items = findings_items(findings, STATE, _links_01(spec))
    return [
        *parts,
        f"<p>The cluster: NACE {html.escape(', '.join(spec.codes))}.</p><ul>{items}</ul>",
    ]


def official_indicators(ctx) -> list[str]:
    """Return the official indicators that open the key factors (notebook 06), as HTML."""
    if not ctx:
        return []
    e, rows = html.escape, []
    for r in ctx.indicators:
        value = "–" if r.get("value") is None else f"{r['value']:,.1f}"
        pct = "–" if r.get("percentile") is None else f"{r['percentile']:.0f}"
        rows.append(
            f"<tr><td>{e(str(r['label']))}</td><td>{r['year']}</td>"
            f'<td><a href="06_innovation_context.html">{value}</a></td>'
            f"<td>{r['country']:,.1f}</td><td>{pct} (among {r['n_regions']})</td></tr>"
        )
    g = ctx.gdp_growth
    growth = "" if g.value is None else (
        f" GDP per inhabitant grew {_link(g, f'{100 * g.value:.1f}%')} a year (current prices); "
        f"{e(ctx.country)}: {100 * (ctx.gdp_growth_country.value or 0):.1f}%."
    )  # fmt: skip
    return [
        f"<p>Official indicators (Eurostat; NUTS {e(ctx.nuts_version)}, regions "
        f"{e(', '.join(ctx.members))}), against {e(ctx.country)} and its other regions "
        f"(percentile among the other regions: higher = more).{growth}</p><table><tr><th>Indicator</th><th>Year</th>"
        f"<th>{e(ctx.unit)}</th><th>{e(ctx.country)}</th><th>Percentile</th></tr>"
        + "".join(rows) + "</table>"
    ]  # fmt: skip


def survey_factors(inn, findings: list[Finding] | None) -> list[str]:
    """Return the survey's shares of firms (notebook 02's metrics) and its pooled model."""
    if not inn:
        return ["<p>The innovation notebook did not run for this region.</p>"]
    r, e = inn.rates, html.escape
    rows = [
        ("Product innovators", inn.innovation_rate),
        ("Product innovators, weighted to the region's firms", inn.weighted_innovation_rate),
        ("In-house R&D", r.get("rd_inhouse")),
        ("Innovation cooperation with suppliers", r.get("coop_suppliers")),
        ("Innovation cooperation with customers", r.get("coop_customers")),
        ("Cooperation with universities or research institutes", r.get("coop_universities")),
        ("Cooperation with universities among product innovators",
         inn.innovators_with_universities),
        ("Cooperation with business-support institutions", r.get("coop_bsi")),
        ("Members of a cluster initiative", r.get("cluster_member")),
        ("Exporters (internationalisation)", r.get("exporter")),
        ("Foreign-owned", r.get("foreign_owned")),
    ]  # fmt: skip
    parts = [
        f"<p>Survey of {inn.n_firms:,} firms in the region ({'synthetic' if inn.synthetic else 'real'} "
        "data); shares of firms with 95% Wilson intervals.</p><table><tr><th>Factor</th>"
        "<th>Share of firms</th></tr>"
        + "".join(f"<tr><td>{e(k)}</td><td>{_link(v, _num(v))}</td></tr>" for k, v in rows if v)
        + "</table>"
    ]  # fmt: skip
    if findings is None:
        return [*parts, _missing("innovation")]
    link = {"pooled": "02_innovation_drivers.html", "caveat": "02_innovation_drivers.html"}
    items = findings_items(findings, ("pooled", "caveat"), link)
    return [*parts, f"<ul>{items}</ul>"] if items else parts


def segments(seg, findings: list[Finding] | None) -> list[str]:
    """Return the firm segments (notebook 03's findings)."""
    if not seg:
        return []
    if findings is None:
        return [_missing("segments")]
    keys = ("k", *(f"segment_{s['segment']}" for s in seg.segments), "ari")
    items = findings_items(findings, keys, dict.fromkeys(keys, "03_firm_segments.html"))
    return [f"<ul>{items}</ul>"]


def value_chain(vc) -> list[str]:
    """Return the supplier and customer links of the cluster (notebook 05), as HTML."""
    if not vc:
        return []
    e, share = html.escape, vc.local_input_share
    lo, hi = share.low, share.high
    supp = "; ".join(f"{e(s['label'])} {100 * s['share']:.0f}% (bought locally "
                     f"{100 * s['local']:.0f}%)" for s in vc.suppliers[:3])  # fmt: skip
    cust = "; ".join(f"{e(c['label'])} {100 * c['share']:.0f}%" for c in vc.customers[:3])
    jobs = vc.jobs_per_100
    return [
        "<p><b>Supplier and customer links</b> (input-output table of Poland 2011, regionalised "
        f"by FLQ): the cluster buys {_link(share, f'{100 * share.value:.0f}%')} of its inputs in "
        f"the region ({100 * lo:.0f}–{100 * hi:.0f}% for δ {min(vc.deltas)}–{max(vc.deltas)}); "
        f"main suppliers: {supp}; main customers: {cust}. Every 100 cluster jobs support "
        f"{_link(jobs, f'{jobs.value:.0f}')} jobs elsewhere in the region ({jobs.low:.0f}–"
        f"{jobs.high:.0f}), {vc.jobs_per_100_national.value:.0f} in the whole country.</p>"
    ]


def key_factors(metrics: dict, findings: dict[str, list[Finding]]) -> list[str]:
    """Section 2: official indicators, the survey, the segments and the value chain."""
    return [
        "<h2>2. Key factors of development</h2>",
        *official_indicators(metrics.get("context")),
        *survey_factors(metrics.get("innovation"), findings.get("innovation")),
        *segments(metrics.get("segments"), findings.get("segments")),
        *value_chain(metrics.get("value_chains")),
    ]


def growth_perspectives(spec, spec_findings, rel, rel_findings) -> list[str]:
    """Section 3: shift-share, growth and trend (notebook 01), diversification (notebook 04)."""
    parts = ["<h2>3. Growth perspectives</h2>"]
    if spec and spec_findings is not None:
        parts.append(f"<ul>{findings_items(spec_findings, GROWTH, _links_01(spec))}</ul>")
    elif spec:
        parts.append(_missing("specialisation"))
    if rel and rel_findings is None:
        parts.append(_missing("related-industries"))
    elif rel:
        keys = ("related", "diversification", "complexity", "boundary", "entry")
        links = dict.fromkeys(keys, "04_related_industries.html")
        links |= {"entry": rel.entry_ame.report, "complexity": rel.eci.report}
        parts.append("<p><b>Diversification paths (smart specialisation).</b></p><ul>"
                     + findings_items(rel_findings, keys, links) + "</ul>")  # fmt: skip
    return parts


def swot(hits: list[tuple[Rule, Estimate]]) -> list[str]:
    """Section 4: the fired rules' findings by quadrant, each linked to the number it rests on."""
    e = html.escape
    parts = ['<h2>4. SWOT</h2><div class="swot">']
    for quadrant in SWOT:
        lines = [f"<li>{e(_finding(rule, est))} [{_link(est, 'source')}]</li>"
                 for rule, est in hits if rule.swot == quadrant]  # fmt: skip
        parts.append(
            f'<div class="q"><h3>{PLURAL[quadrant]}</h3><ul>'
            + ("".join(lines) or "<li>None identified by the rules.</li>")
            + "</ul></div>"
        )
    return [*parts, "</div>"]


def indicators(metrics: dict, *, synthetic: bool) -> list[str]:
    """Section 5: monitoring indicators with their baseline, year and source."""
    spec, inn, ctx = (metrics.get(k) for k in ("specialisation", "innovation", "context"))
    e, rows = html.escape, []
    survey = "SYNTHETIC survey" if synthetic else "survey"
    if spec:  # an estimate without its own source is from the regional statistics
        rows += [
            (label, est, f, "Eurostat regional SBS")
            for label, est, f in (
                ("Cluster employment (persons)", spec.employment, ",.0f"),
                ("Location quotient (national reference)", spec.lq, ".2f"),
                ("Location quotient (EU reference)", spec.eu_lq, ".2f"),
            )
        ]
    if inn:
        rows += [
            (label, est, "", survey)
            for label, est in (
                ("Product innovators among surveyed firms", inn.innovation_rate),
                ("Firms cooperating with research institutes", inn.rates.get("coop_universities")),
                ("Exporters among surveyed firms", inn.rates.get("exporter")),
            )
        ]
    if ctx:  # the official indicators, with their source, year and NUTS version
        rows += [
            (r["label"], Estimate(
                r["value"], unit=str(r["label"]), year=r["year"], report="06_innovation_context.html",
                source=f"{r.get('source', '')}; NUTS {r.get('nuts_version', ctx.nuts_version)}",
            ), ",.1f", "")
            for r in ctx.indicators if r.get("value") is not None
        ]  # fmt: skip
    return [
        "<h2>5. Monitoring indicators</h2>",
        "<table><tr><th>Indicator</th><th>Baseline</th><th>Year</th><th>Source</th></tr>"
        + "".join(
            f"<tr><td>{e(k)}</td><td>{_link(v, _num(v, f or ',.2f'))}</td>"
            f"<td>{v.year or ''}</td><td>{e(v.source or default)}</td></tr>"
            for k, v, f, default in rows
            if v is not None
        )
        + "</table>",
    ]


def actions(hits: list[tuple[Rule, Estimate]]) -> list[str]:
    """Section 6: the actions of the fired rules, each with the finding it answers."""
    e = html.escape
    items = [
        f"<li><b>{e(_finding(rule, est, 'action'))}</b><br><small>Because: {e(_finding(rule, est))} "
        f"(rule <code>{e(rule.id)}</code>).</small></li>"
        for rule, est in hits
        if rule.action
    ]
    return [
        "<h2>6. Proposed actions</h2><ol>",
        *(items or ["<li>No rule fired; see the reports.</li>"]),
        "</ol><p><small>Actions are mapped from findings by the rules in "
        "<code>params/actions.yaml</code>, which the strategy team can edit.</small></p>",
    ]
