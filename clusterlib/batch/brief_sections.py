"""The sections of the strategy brief, each from one chapter's record: its metrics and findings.

Each function returns the HTML parts of one section of :func:`clusterlib.batch.brief.render_brief`.
A sentence a chapter states already is its :class:`~clusterlib.chapters.metrics.Finding`, shown
word for word (:func:`md_html`) with a link to the report that shows its number; the brief words
only what no chapter states (the tables of shares and indicators, the SWOT, the actions).
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from clusterlib.batch.brief_text import _finding, _link, _missing, _num, _t, findings_items
from clusterlib.chapters.metrics import Estimate, Finding
from clusterlib.i18n.messages import gettext
from clusterlib.i18n.numbers import format_value

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
STATE = ("employment", "lq", "area", "members", "area_size", "eu_lq", "eu_stars", "stars",
         "eu_rank", "top_divisions", "peers")  # fmt: skip
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


def state_of_industry(spec, findings: list[Finding] | None, lang: str = "en") -> list[str]:
    """Section 1: the cluster's size, specialisation, stars and peers (notebook 01's findings)."""
    t = _t(lang)
    parts = [f"<h2>1. {t('Current state of the industry')}</h2>"]
    if not spec:
        return [*parts, f"<p>{t('The specialisation notebook did not run for this region.')}</p>"]
    if findings is None:
        return [*parts, _missing("specialisation", lang)]
    items = findings_items(findings, STATE, _links_01(spec), lang)
    codes = ", ".join(spec.codes)
    named = "" if lang == "en" else " (" + "; ".join(nace_label_pl(c) for c in spec.codes) + ")"
    return [
        *parts,
        f"<p>{t('The cluster: NACE {codes}.', codes=codes + named)}</p><ul>{items}</ul>",
    ]


def nace_label_pl(code: str) -> str:
    """Return the Polish name of a NACE code, or the code if the reference has none."""
    from clusterlib.reference.nace import nace_labels_pl

    return nace_labels_pl([code]).get(code) or code


def official_indicators(ctx, lang: str = "en") -> list[str]:
    """Return the official indicators that open the key factors (notebook 06), as HTML."""
    if not ctx:
        return []
    e, t, rows = html.escape, _t(lang), []

    def f(x, spec=",.1f"):
        return format_value(x, spec, lang=lang)

    for r in ctx.indicators:
        value = "–" if r.get("value") is None else f(r["value"])
        pct = "–" if r.get("percentile") is None else f(r["percentile"], ".0f")
        rows.append(
            f"<tr><td>{t(str(r['label']))}</td><td>{r['year']}</td>"
            f'<td><a href="06_innovation_context.html">{value}</a></td>'
            f'<td class="n">{f(r["country"])}</td>'
            f'<td class="n">{pct} ({t("among {n}", n=r["n_regions"])})</td></tr>'
        )
    g, country = ctx.gdp_growth, t(ctx.country)
    growth = "" if g.value is None else " " + t(
        "GDP per inhabitant grew {rate} a year (current prices); {country}: {country_rate}.",
        rate="\x00", country=ctx.country, country_rate=f(ctx.gdp_growth_country.value or 0, ".1%"),
    ).replace("\x00", _link(g, f(g.value, ".1%")))  # fmt: skip
    intro = t("Official indicators (Eurostat; NUTS {version}, regions {members}), against {country} "
              "and its other regions (percentile among the other regions: higher = more).",
              version=ctx.nuts_version, members=", ".join(ctx.members), country=ctx.country)  # fmt: skip
    return [
        f"<p>{intro}{growth}</p><table><tr><th>{t('Indicator')}</th><th>{t('Year')}</th>"
        f"<th>{e(ctx.unit)}</th><th>{country}</th><th>{t('Percentile')}</th></tr>"
        + "".join(rows) + "</table>"
    ]  # fmt: skip


def survey_factors(inn, findings: list[Finding] | None, lang: str = "en") -> list[str]:
    """Return the survey's shares of firms (notebook 02's metrics) and its pooled model."""
    t = _t(lang)
    if not inn:
        return [f"<p>{t('The innovation notebook did not run for this region.')}</p>"]
    r = inn.rates
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
    kind = t("synthetic" if inn.synthetic else "real")
    parts = [
        "<p>" + t("Survey of {n:,} firms in the region ({kind} data); shares of firms with 95% "
                  "Wilson intervals.", n=inn.n_firms, kind=kind)
        + f"</p><table><tr><th>{t('Factor')}</th><th>{t('Share of firms')}</th></tr>"
        + "".join(f"<tr><td>{t(k)}</td><td>{_link(v, _num(v, lang=lang))}</td></tr>"
                  for k, v in rows if v)
        + "</table>"
    ]  # fmt: skip
    if findings is None:
        return [*parts, _missing("innovation", lang)]
    link = {"pooled": "02_innovation_drivers.html", "caveat": "02_innovation_drivers.html"}
    items = findings_items(findings, ("pooled", "caveat"), link, lang)
    return [*parts, f"<ul>{items}</ul>"] if items else parts


def segments(seg, findings: list[Finding] | None, lang: str = "en") -> list[str]:
    """Return the firm segments (notebook 03's findings)."""
    if not seg:
        return []
    if findings is None:
        return [_missing("segments", lang)]
    keys = ("k", *(f"segment_{s['segment']}" for s in seg.segments), "ari")
    items = findings_items(findings, keys, dict.fromkeys(keys, "03_firm_segments.html"), lang)
    return [f"<ul>{items}</ul>"]


def value_chain(vc, lang: str = "en") -> list[str]:
    """Return the supplier and customer links of the cluster (notebook 05), as HTML."""
    if not vc:
        return []
    from clusterlib.chapters.value_chain_tables import link_label

    e, t, share, jobs = html.escape, _t(lang), vc.local_input_share, vc.jobs_per_100

    def pct(x):
        return format_value(x, ".0%", lang=lang)

    def n(x):
        return format_value(x, ".0f", lang=lang)

    def label(x):
        return e(link_label(x, lang=lang))

    supp = "; ".join(t("{label} {share} (bought locally {local})", label="\x00", share=pct(s["share"]),
                       local=pct(s["local"])).replace("\x00", label(s))
                     for s in vc.suppliers[:3])  # fmt: skip
    cust = "; ".join(f"{label(c)} {pct(c['share'])}" for c in vc.customers[:3])
    text = t(
        "Supplier and customer links (input-output table of Poland 2011, regionalised by FLQ): "
        "the cluster buys {share} of its inputs in the region ({low}–{high} for δ {d0}–{d1}); "
        "main suppliers: {supp}; main customers: {cust}. Every 100 cluster jobs support {jobs} "
        "jobs elsewhere in the region ({jlow}–{jhigh}), {national} in the whole country.",
        share="\x01", low=n(100 * share.low), high=pct(share.high),
        d0=format_value(min(vc.deltas), ".1f", lang=lang),
        d1=format_value(max(vc.deltas), ".1f", lang=lang), supp="\x02", cust="\x03", jobs="\x04",
        jlow=n(jobs.low), jhigh=n(jobs.high), national=n(vc.jobs_per_100_national.value),
    )  # fmt: skip
    for key, value in {"\x01": _link(share, pct(share.value)), "\x02": supp, "\x03": cust,
                       "\x04": _link(jobs, n(jobs.value))}.items():  # fmt: skip
        text = text.replace(key, value)
    return [f"<p>{text}</p>"]


def key_factors(metrics: dict, findings: dict[str, list[Finding]], lang: str = "en") -> list[str]:
    """Section 2: official indicators, the survey, the segments and the value chain."""
    return [
        f"<h2>2. {_t(lang)('Key factors of development')}</h2>",
        *official_indicators(metrics.get("context"), lang),
        *survey_factors(metrics.get("innovation"), findings.get("innovation"), lang),
        *segments(metrics.get("segments"), findings.get("segments"), lang),
        *value_chain(metrics.get("value_chains"), lang),
    ]


def growth_perspectives(spec, spec_findings, rel, rel_findings, lang: str = "en") -> list[str]:
    """Section 3: shift-share, growth and trend (notebook 01), diversification (notebook 04)."""
    t = _t(lang)
    parts = [f"<h2>3. {t('Growth perspectives')}</h2>"]
    if spec and spec_findings is not None:
        parts.append(f"<ul>{findings_items(spec_findings, GROWTH, _links_01(spec), lang)}</ul>")
    elif spec:
        parts.append(_missing("specialisation", lang))
    if rel and rel_findings is None:
        parts.append(_missing("related-industries", lang))
    elif rel:
        keys = ("related", "diversification", "complexity", "boundary", "entry")
        links = dict.fromkeys(keys, "04_related_industries.html")
        links |= {"entry": rel.entry_ame.report, "complexity": rel.eci.report}
        parts.append(f"<p><b>{t('Diversification paths (smart specialisation).')}</b></p><ul>"
                     + findings_items(rel_findings, keys, links, lang) + "</ul>")  # fmt: skip
    return parts


def swot(hits: list[tuple[Rule, Estimate]], lang: str = "en", notes=None) -> list[str]:
    """Section 4: the fired rules' findings by quadrant, each linked to the number it rests on.

    ``notes`` (optional, from :func:`clusterlib.batch.brief_evidence.swot_notes`) maps a rule id
    to the HTML of its evidence note, and a quadrant to its evidence-only lines.
    """
    t, notes = _t(lang), notes or {}
    parts = [f'<h2>4. {t("SWOT")}</h2><div class="swot">']
    for quadrant in SWOT:
        lines = [f"<li>{html.escape(_finding(rule, est, lang=lang))} [{_link(est, gettext('source', lang=lang))}]"
                 f"{notes.get(rule.id, '')}</li>"
                 for rule, est in hits if rule.swot == quadrant]  # fmt: skip
        lines += notes.get(quadrant, [])
        parts.append(
            f'<div class="q"><h3>{t(PLURAL[quadrant])}</h3><ul>'
            + ("".join(lines) or f"<li>{t('None identified by the rules.')}</li>")
            + "</ul></div>"
        )
    return [*parts, "</div>"]


def indicators(metrics: dict, *, synthetic: bool, lang: str = "en") -> list[str]:
    """Section 5: monitoring indicators with their baseline, year and source."""
    spec, inn, ctx = (metrics.get(k) for k in ("specialisation", "innovation", "context"))
    t, rows = _t(lang), []
    survey = t("SYNTHETIC survey" if synthetic else "survey")
    if spec:  # an estimate without its own source is from the regional statistics
        rows += [
            (label, est, f, t("Eurostat regional SBS"))
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
                source=f"{gettext(r.get('source', ''), lang=lang)}; NUTS {r.get('nuts_version', ctx.nuts_version)}",
            ), ",.1f", "")
            for r in ctx.indicators if r.get("value") is not None
        ]  # fmt: skip
    return [
        f"<h2>5. {t('Monitoring indicators')}</h2>",
        f"<table><tr><th>{t('Indicator')}</th><th>{t('Baseline')}</th><th>{t('Year')}</th>"
        f"<th>{t('Source')}</th></tr>"
        + "".join(
            f"<tr><td>{t(k)}</td><td>{_link(v, _num(v, f or ',.2f', lang))}</td>"
            f"<td>{v.year or ''}</td><td>{html.escape(gettext(v.source, lang=lang)) if v.source else default}</td></tr>"
            for k, v, f, default in rows
            if v is not None
        )
        + "</table>",
    ]


def actions(hits: list[tuple[Rule, Estimate]], lang: str = "en", scores=None) -> list[str]:
    """Section 6: the actions of the fired rules, each with the finding it answers.

    With ``scores`` (:func:`clusterlib.batch.brief_evidence.action_scores`) the actions are in
    the experts' priority order, each with its score; the proposed actions the experts did not
    score follow in their own list.
    """
    t = _t(lang)
    proposed = [(rule, est) for rule, est in hits if rule.action]

    def item(rule, est, extra=""):
        because = t("Because: {finding} (rule {rule}).", finding=_finding(rule, est, lang=lang),
                    rule="\x00").replace("\x00", f"<code>{html.escape(rule.id)}</code>")  # fmt: skip
        return (f"<li><b>{html.escape(_finding(rule, est, 'action', lang))}</b>{extra}<br>"
                f"<small>{because}</small></li>")  # fmt: skip

    closing = ("</ol><p><small>" + t("Actions are mapped from findings by the rules in {file}, "
               "which the strategy team can edit.", file="\x00").replace(
                   "\x00", "<code>params/actions.yaml</code>") + "</small></p>")  # fmt: skip
    head = f"<h2>6. {t('Proposed actions')}</h2><ol>"
    if scores is None:
        items = [item(rule, est) for rule, est in proposed]
        return [head, *(items or [f"<li>{t('No rule fired; see the reports.')}</li>"]), closing]
    by_id = {rule.id: (rule, est) for rule, est in proposed}
    scored = [a for a in scores["order"] if a in by_id]
    rest = [a for a in by_id if a not in scored]
    items = [item(*by_id[a], scores["text"][a]) for a in scored]
    parts = [
        head,
        *(items or [f"<li>{t('The experts scored none of the proposed actions.')}</li>"]),
    ]
    if rest:
        parts += ["</ol><p>" + t("Proposed by the rules, not scored by the experts:") + "</p><ul>",
                  *(item(*by_id[a]) for a in rest), "</ul><ol>"]  # fmt: skip
    return [*parts, closing, f"<p><small>{scores['note']}</small></p>"]
