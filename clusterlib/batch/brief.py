"""A strategy brief per region, assembled from its metrics.json by rules kept in ``params/``.

The brief follows the structure of a cluster development strategy: the current state of the
industry, the key factors of its development, growth perspectives, a SWOT generated from the
results (every line links to the report and names the number it rests on), monitoring indicators
(baseline, interval, source, year) and proposed actions mapped from findings by the editable rules
of ``params/actions.yaml``. No number is typed by hand: each one is read from the run's metrics.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass
from pathlib import Path

from clusterlib import config
from clusterlib.chapters.metrics import Estimate
from clusterlib.errors import DataFormatError
from clusterlib.i18n.numbers import render
from clusterlib.notices import SYNTHETIC_LABEL, SYNTHETIC_SURVEY
from clusterlib.yamlfile import load_yaml

SWOT = ("strength", "weakness", "opportunity", "threat")
PLURAL = {
    "strength": "Strengths",
    "weakness": "Weaknesses",
    "opportunity": "Opportunities",
    "threat": "Threats",
}
SYNTHETIC = SYNTHETIC_SURVEY


@dataclass(frozen=True)
class Rule:
    """One rule of ``params/actions.yaml``."""

    id: str
    metric: str
    swot: str
    finding: str
    below: float | None = None
    above: float | None = None
    action: str = ""


#: Where in the reports the plain numbers of ``metrics.json`` are shown (for the SWOT's links).
ANCHORS = {
    "specialisation.eu_stars": "01_specialisation.html#Stars-across-Europe",
    "specialisation.eu_performance_stars": "01_specialisation.html#Stars-across-Europe",
    "specialisation.stars": (
        "01_specialisation.html#Star-rating-among-the-regions-of-the-country-(national-comparison,-an-option)"
    ),
}


def load_rules(path: str | Path | None = None) -> list[Rule]:
    """Load and check the action rules (default ``params/actions.yaml``) completely.

    Every field is checked here, before any notebook runs: the metric must be a number of
    ``metrics.json`` (:func:`metric_paths`), a threshold a finite number, ids unique, and the
    ``finding`` and ``action`` templates are rendered once with :func:`clusterlib.i18n.render`,
    which allows only ``{value}`` with a number format (no attribute or index access).

    Raises
    ------
    DataFormatError
        Naming the file, the rule and the field that is wrong.
    """
    path = Path(path) if path is not None else config.params_dir() / "actions.yaml"
    spec = load_yaml(path)
    rules = spec.get("rules") if isinstance(spec, dict) else None
    if not isinstance(rules, list):
        raise DataFormatError(f"{path}: expected a mapping with a list under 'rules'.")
    out: list[Rule] = []
    seen: dict[str, int] = {}
    for i, r in enumerate(rules, start=1):
        at = f"{path}, rule {i} ({r.get('id', '?') if isinstance(r, dict) else repr(r)})"
        if not isinstance(r, dict):
            raise DataFormatError(f"{at}: expected a mapping.")
        unknown = set(r) - {"id", "metric", "swot", "finding", "below", "above", "action"}
        if unknown:
            raise DataFormatError(f"{at}: unknown field(s) {sorted(unknown)}.")
        missing = [k for k in ("id", "metric", "swot", "finding") if not r.get(k)]
        if missing:
            raise DataFormatError(f"{at}: missing field(s) {missing}.")
        if r["swot"] not in SWOT:
            raise DataFormatError(f"{at}, field 'swot': expected one of {list(SWOT)}.")
        if ("below" in r) == ("above" in r):
            raise DataFormatError(f"{at}: give exactly one of 'below' and 'above'.")
        for k in ("below", "above"):
            if k in r and (not isinstance(r[k], int | float) or isinstance(r[k], bool)):
                raise DataFormatError(f"{at}, field {k!r}: expected a number, found {r[k]!r}.")
            if k in r and not math.isfinite(r[k]):
                raise DataFormatError(
                    f"{at}, field {k!r}: expected a finite number, found {r[k]!r}; a rule with "
                    "a NaN or infinite threshold would never fire."
                )
        for k in ("id", "metric", "swot", "finding", "action"):
            if k in r and not isinstance(r[k], str):
                raise DataFormatError(f"{at}, field {k!r}: expected text, found {r[k]!r}.")
        if r["id"] in seen:
            raise DataFormatError(f"{at}, field 'id': {r['id']!r} is also rule {seen[r['id']]}.")
        seen[r["id"]] = i
        check_metric(r["metric"], source=f"{at}, field 'metric'")
        for k in ("finding", "action"):
            if r.get(k):  # every template is tried once now, not after the notebooks ran
                render(r[k], {"value": -1.5, "magnitude": 1.5}, source=f"{at}, field {k!r}")
        out.append(Rule(**r))
    return out


def metric_paths() -> list[str]:
    """Return every ``section.field`` (or ``section.field.key``) a rule may read.

    A field counts if it is a number or an :class:`Estimate` of the metrics contract
    (:data:`clusterlib.chapters.metrics.CONTRACT`); the named shares of ``innovation.rates`` are
    those the innovation notebook writes (:data:`clusterlib.chapters.innovation_tables.RATES`).
    """
    import dataclasses

    from clusterlib.chapters.innovation_tables import RATES
    from clusterlib.chapters.metrics import CONTRACT

    out = []
    for section, cls in CONTRACT.items():
        for f in dataclasses.fields(cls):
            kind = str(f.type)
            if kind == "dict[str, Estimate]":
                out += [f"{section}.{f.name}.{key}" for key in RATES]
            elif kind.startswith(("Estimate", "int", "float")):
                out.append(f"{section}.{f.name}")
    return out


def check_metric(path: str, *, source: str) -> str:
    """Return ``path`` if a rule can read it (see :func:`metric_paths`), else raise a clear error."""
    known = metric_paths()
    if path not in known:
        import difflib

        close = difflib.get_close_matches(path, known, n=3)
        hint = f" Did you mean {' or '.join(map(repr, close))}?" if close else ""
        raise DataFormatError(
            f"{source}: {path!r} is not a number of metrics.json, so the rule could never "
            f"fire.{hint} Known: {', '.join(known)}."
        )
    return path


def lookup(metrics: dict, path: str) -> Estimate | None:
    """Return the estimate at ``section.field[.key]`` of the typed metrics, or None."""
    section, _, rest = path.partition(".")
    obj = metrics.get(section)
    for part in rest.split(".") if rest else []:
        if obj is None:
            return None
        obj = obj.get(part) if isinstance(obj, dict) else getattr(obj, part, None)
    if isinstance(obj, int | float) and not isinstance(obj, bool):
        return Estimate(value=float(obj), report=ANCHORS.get(path, ""))
    return obj if isinstance(obj, Estimate) else None


def fired(rules: list[Rule], metrics: dict) -> list[tuple[Rule, Estimate]]:
    """Return the rules whose metric crosses its threshold, with the estimate they rest on."""
    out = []
    for rule in rules:
        est = lookup(metrics, rule.metric)
        if est is None or est.value is None:
            continue
        v = est.value
        if (rule.below is not None and v < rule.below) or (
            rule.above is not None and v > rule.above
        ):
            out.append((rule, est))
    return out


def _num(est: Estimate, spec: str = ",.2f") -> str:
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


def _official_indicators(ctx) -> list[str]:
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


def _value_chain(vc) -> list[str]:
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


def render_brief(region: str, name: str, metrics: dict, rules: list[Rule]) -> str:
    """Render the brief of one region as a standalone, printable (A4) HTML page."""
    spec = metrics.get("specialisation")
    inn = metrics.get("innovation")
    seg = metrics.get("segments")
    synthetic = bool((inn and inn.synthetic) or (seg and seg.synthetic))
    e = html.escape
    title = f"{spec.cluster} cluster in {region} {name}" if spec else f"Cluster in {region}"
    parts = [f"<h1>Strategy brief: {e(title)}</h1>"]
    if synthetic:
        parts.append(f'<p class="synthetic"><b>{SYNTHETIC_LABEL}</b> {e(SYNTHETIC)}</p>')
    parts.append("<h2>1. Current state of the industry</h2>")
    if spec:
        sig = "significantly " if spec.lq_significant else ""
        side = "above" if (spec.lq.value or 0) > 1 else "below"
        parts.append(
            "<ul>"
            f"<li>The cluster ({e(', '.join(spec.codes))}) employs "
            f"{_link(spec.employment, _num(spec.employment, ',.0f'))} persons in {spec.year}, "
            f"{_link(spec.share, _num(spec.share))} of the region's business economy.</li>"
            f"<li>Location quotient {_link(spec.lq, _num(spec.lq))}: {sig}{side} the national "
            f"average; rank {spec.rank} of {spec.n_regions} regions in the country. Against all EU "
            f"regions: {_link(spec.eu_lq, _num(spec.eu_lq))}.</li>"
            + (
                f"<li>European Cluster Observatory stars against all European regions: "
                f"<b>{spec.eu_stars} of 3</b> ("
                + ", ".join(
                    f"{d} {'yes' if spec.eu_star_detail.get(d) else 'no'}"
                    for d in ("size", "specialisation", "focus")
                )
                + f"), and {spec.eu_performance_stars} of 2 performance stars (productivity "
                f"{'yes' if spec.eu_star_detail.get('productivity') else 'no'}, dynamism "
                f"{'yes' if spec.eu_star_detail.get('dynamism') else 'no'}). Among the country's "
                f"regions only: {spec.stars} of 3.</li>"
                if spec.eu_stars is not None
                else f"<li>Observatory stars among the country's regions: {spec.stars} of 3.</li>"
            )
            + (
                f"<li>Peer regions (most similar economic structure in Europe): "
                f"{e(', '.join(spec.peers[:5]))}.</li>"
                if spec.peers
                else ""
            )
            + "<li>Most specialised divisions: "
            + "; ".join(
                f"{e(d['code'])} {e(d['label'])} (LQ {d['lq']:.2f})" for d in spec.top_divisions
            )
            + ".</li></ul>"
        )
    else:
        parts.append("<p>The specialisation notebook did not run for this region.</p>")
    parts.append("<h2>2. Key factors of development</h2>")
    parts += _official_indicators(metrics.get("context"))
    if inn:
        r = inn.rates
        rows = [
            ("Product innovators", inn.innovation_rate),
            ("Product innovators, weighted to the region's firms", inn.weighted_innovation_rate),
            ("In-house R&D", r.get("rd_inhouse")),
            ("Innovation cooperation with suppliers", r.get("coop_suppliers")),
            ("Innovation cooperation with customers", r.get("coop_customers")),
            ("Cooperation with universities or research institutes", r.get("coop_universities")),
            (
                "Cooperation with universities among product innovators",
                inn.innovators_with_universities,
            ),
            ("Cooperation with business-support institutions", r.get("coop_bsi")),
            ("Members of a cluster initiative", r.get("cluster_member")),
            ("Exporters (internationalisation)", r.get("exporter")),
            ("Foreign-owned", r.get("foreign_owned")),
        ]
        parts.append(
            f"<p>Survey of {inn.n_firms:,} firms in the region ({'synthetic' if inn.synthetic else 'real'} "
            "data); shares of firms with 95% Wilson intervals.</p><table><tr><th>Factor</th>"
            "<th>Share of firms</th></tr>"
            + "".join(f"<tr><td>{e(k)}</td><td>{_link(v, _num(v))}</td></tr>" for k, v in rows if v)
            + "</table>"
        )
        top = sorted((d for d in inn.drivers if d["p"] < 0.05), key=lambda d: -abs(d["estimate"]))[
            :4
        ]
        if top:
            parts.append(
                "<p>Factors most strongly associated with product innovation (pooled model, "
                "average marginal effects in percentage points; associations, not causes): "
                + "; ".join(
                    f"{e(d['label'])} {100 * d['estimate']:+.1f} (95% CI {100 * d['ci_low']:+.1f} "
                    f"to {100 * d['ci_high']:+.1f})"
                    for d in top
                )
                + ".</p>"
            )
    else:
        parts.append("<p>The innovation notebook did not run for this region.</p>")
    if seg:
        parts.append(
            f"<p>{seg.n_firms:,} firms fall into {seg.n_segments} segments: "
            + "; ".join(
                f"{e(s['label'])} ({s['size']:,} firms, innovation rate "
                f"{100 * s['innovation_rate']:.0f}%, stability {e(s['verdict'])})"
                for s in seg.segments
            )
            + '. See <a href="03_firm_segments.html">the segments report</a>.</p>'
        )
    parts += _value_chain(metrics.get("value_chains"))
    parts.append("<h2>3. Growth perspectives</h2>")
    if spec and spec.change.value is not None:
        parts.append(
            f"<p>Between {spec.start_year} and {spec.year} cluster employment changed by "
            f"{_link(spec.change, f'{spec.change.value:+,.0f}')} persons: "
            f"{_link(spec.national_share, f'{spec.national_share.value:+,.0f}')} from national "
            f"growth, {_link(spec.industry_mix, f'{spec.industry_mix.value:+,.0f}')} from the "
            f"industry mix and {_link(spec.regional_shift, f'{spec.regional_shift.value:+,.0f}')} "
            "from the region's own (competitive) shift (Dunn's shift-share).</p>"
        )
    else:
        parts.append("<p>No shift-share: the region has no data in the start year.</p>")
    if spec and spec.growth_region is not None and spec.growth_region.value is not None:
        g = [
            (label, est)
            for label, est in (("the region", spec.growth_region),
                               ("the country", spec.growth_country), ("Europe", spec.growth_eu))
            if est is not None and est.value is not None
        ]  # fmt: skip
        parts.append(
            "<p>Cluster employment changed by "
            + ", ".join(
                f"{_link(est, f'{100 * est.value:+.1f}%')} a year in {label}" for label, est in g
            )
            + " over the years with data (compound annual growth). The report's trend "
            "extrapolation is not a forecast.</p>"
        )
    rel = metrics.get("relatedness")
    if rel:
        a = rel.entry_ame
        evidence = (
            "it predicts which industries regions enter"
            if a.low is not None and a.low > 0
            else "its prediction of entry is not conclusive in these data"
        )
        parts.append(
            "<p><b>Diversification paths (smart specialisation).</b> Divisions most related to the "
            "cluster by co-location across Europe: "
            + ", ".join(f"{e(r['code'])} {e(r['label'])}" for r in rel.related[:3])
            + ". Opportunities the region is close to and that are complex: "
            + (
                ", ".join(f"{e(o['code'])} {e(o['label'])}" for o in rel.opportunities[:3])
                or "none"
            )
            + f". Relatedness is evidence-based here: {evidence} "
            f"({_link(a, f'{100 * a.value:+.1f} percentage points')} per 10 points of relatedness "
            f"density, {rel.entry_years[0]}→{rel.entry_years[1]}, {rel.entry_regions} regions). "
            + (
                f"Economic complexity {_link(rel.eci, f'{rel.eci.value:+.2f}')}, rank "
                f"{rel.eci_rank_eu} of {rel.n_eu} European regions. "
                if rel.eci_rank_eu is not None
                else ""
            )
            + 'See <a href="04_related_industries.html">the related-industries report</a>.</p>'
        )
    hits = fired(rules, metrics)
    parts.append('<h2>4. SWOT</h2><div class="swot">')
    for quadrant in SWOT:
        lines = [
            f"<li>{e(_finding(rule, est))} [{_link(est, 'source')}]</li>"
            for rule, est in hits
            if rule.swot == quadrant
        ]
        parts.append(
            f'<div class="q"><h3>{PLURAL[quadrant]}</h3><ul>'
            + ("".join(lines) or "<li>None identified by the rules.</li>")
            + "</ul></div>"
        )
    parts.append("</div>")
    parts.append("<h2>5. Monitoring indicators</h2>")
    indicators = []
    if spec:
        indicators += [
            ("Cluster employment (persons)", spec.employment, ",.0f"),
            ("Location quotient (national reference)", spec.lq, ".2f"),
            ("Location quotient (EU reference)", spec.eu_lq, ".2f"),
        ]
    if inn:
        indicators += [
            ("Product innovators among surveyed firms", inn.innovation_rate, ""),
            ("Firms cooperating with research institutes", inn.rates.get("coop_universities"), ""),
            ("Exporters among surveyed firms", inn.rates.get("exporter"), ""),
        ]
    ctx = metrics.get("context")
    if ctx:  # the official indicators, with their source, year and NUTS version
        indicators += [
            (r["label"], Estimate(
                r["value"], unit=str(r["label"]), year=r["year"], report="06_innovation_context.html",
                source=f"{r.get('source', '')}; NUTS {r.get('nuts_version', ctx.nuts_version)}",
            ), ",.1f")
            for r in ctx.indicators if r.get("value") is not None
        ]  # fmt: skip
    parts.append(
        "<table><tr><th>Indicator</th><th>Baseline</th><th>Year</th><th>Source</th></tr>"
        + "".join(
            f"<tr><td>{e(k)}</td><td>{_link(v, _num(v, f or ',.2f'))}</td>"
            f"<td>{v.year or ''}</td><td>{e(v.source or ('SYNTHETIC survey' if synthetic else 'survey'))}</td></tr>"
            for k, v, f in indicators
            if v is not None
        )
        + "</table>"
    )
    parts.append("<h2>6. Proposed actions</h2><ol>")
    actions = [(rule, est) for rule, est in hits if rule.action]
    parts += [
        f"<li><b>{e(_finding(rule, est, 'action'))}</b><br><small>Because: {e(_finding(rule, est))} "
        f"(rule <code>{e(rule.id)}</code>).</small></li>"
        for rule, est in actions
    ] or ["<li>No rule fired; see the reports.</li>"]
    parts.append(
        "</ol><p><small>Actions are mapped from findings by the rules in "
        "<code>params/actions.yaml</code>, which the strategy team can edit.</small></p>"
    )
    body = "\n".join(parts)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Strategy brief: {e(title)}</title>
<style>
body{{font-family:Georgia,serif;max-width:48em;margin:2em auto;padding:0 1em;line-height:1.45;color:#222}}
h1{{font-size:1.6em}} h2{{font-size:1.2em;border-bottom:1px solid #ccc;margin-top:1.6em}}
table{{border-collapse:collapse;width:100%}} td,th{{border-bottom:1px solid #ddd;padding:3px 6px;text-align:left}}
.synthetic{{background:#fff3cd;border:1px solid #e0c060;padding:6px 10px}}
.swot{{display:grid;grid-template-columns:1fr 1fr;gap:0.8em}} .q{{border:1px solid #ccc;padding:0 0.8em}}
.q h3{{font-size:1em;margin:0.5em 0}} a{{color:#1a4f8a}}
@page{{size:A4;margin:18mm}}
@media print{{body{{margin:0;max-width:none;font-size:10.5pt}} a{{color:inherit;text-decoration:none}}
.swot{{break-inside:avoid}} h2{{break-after:avoid}}}}
</style></head><body>
{body}
<p><small>Every number comes from this run's metrics.json (links point to the report it rests
on). Sources: Eurostat (sbs_r_nuts06_r2), extracted 2017-07-31; the firm survey.</small></p>
</body></html>
"""


def write_brief(
    out: Path, region: str, name: str, *, rules: list[Rule] | None = None
) -> Path | None:
    """Write ``<out>/<region>/brief.html`` from the region's ``metrics.json``; None if it has none."""
    from clusterlib.chapters.metrics import METRICS_FILE, read_metrics
    from clusterlib.io.files import write_atomic

    path = out / region / METRICS_FILE
    if not path.exists():
        return None
    metrics = read_metrics(path)
    page = render_brief(region, name, metrics, rules if rules is not None else load_rules())
    return write_atomic(out / region / "brief.html", page)
