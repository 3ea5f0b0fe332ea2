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
from clusterlib.batch import brief_sections as sections
from clusterlib.batch.brief_sections import ANCHORS, SWOT
from clusterlib.chapters.metrics import Estimate, Finding
from clusterlib.errors import DataFormatError
from clusterlib.i18n.numbers import render
from clusterlib.notices import SYNTHETIC_LABEL, SYNTHETIC_SURVEY
from clusterlib.yamlfile import load_yaml

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


def render_brief(
    region: str,
    name: str,
    metrics: dict,
    rules: list[Rule],
    findings: dict[str, list[Finding]] | None = None,
) -> str:
    """Render the brief of one region as a standalone, printable (A4) HTML page.

    ``metrics`` are the typed sections of ``metrics.json`` (:func:`read_metrics`) and ``findings``
    the chapters' findings stored with them (:func:`read_findings`), by section. Each section of
    the page is one function of :mod:`clusterlib.batch.brief_sections` reading one chapter's
    record; a finding is shown word for word, never re-worded or recomputed here.
    """
    found = findings or {}
    spec, inn, seg = (metrics.get(k) for k in ("specialisation", "innovation", "segments"))
    synthetic = bool((inn and inn.synthetic) or (seg and seg.synthetic))
    e = html.escape
    title = f"{spec.cluster} cluster in {region} {name}" if spec else f"Cluster in {region}"
    parts = [f"<h1>Strategy brief: {e(title)}</h1>"]
    if synthetic:
        parts.append(f'<p class="synthetic"><b>{SYNTHETIC_LABEL}</b> {e(SYNTHETIC)}</p>')
    hits = fired(rules, metrics)
    parts += [
        *sections.state_of_industry(spec, found.get("specialisation")),
        *sections.key_factors(metrics, found),
        *sections.growth_perspectives(spec, found.get("specialisation"),
                                      metrics.get("relatedness"), found.get("relatedness")),
        *sections.swot(hits),
        *sections.indicators(metrics, synthetic=synthetic),
        *sections.actions(hits),
    ]  # fmt: skip
    return _page(title, "\n".join(parts))


def _page(title: str, body: str) -> str:
    """Return the standalone HTML page around the brief's body."""
    e = html.escape
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
    from clusterlib.chapters.metrics import METRICS_FILE, read_findings, read_metrics
    from clusterlib.io.files import write_atomic

    path = out / region / METRICS_FILE
    if not path.exists():
        return None
    metrics, findings = read_metrics(path), read_findings(path)
    rules = rules if rules is not None else load_rules()
    page = render_brief(region, name, metrics, rules, findings)
    return write_atomic(out / region / "brief.html", page)
