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
from functools import lru_cache
from pathlib import Path

from clusterlib import config
from clusterlib.batch import brief_sections as sections
from clusterlib.batch import brief_text
from clusterlib.batch.brief_sections import ANCHORS, SWOT
from clusterlib.chapters.metrics import Estimate, Finding
from clusterlib.chapters.wording import nuts_finding
from clusterlib.errors import DataFormatError
from clusterlib.i18n.numbers import render
from clusterlib.notices import SYNTHETIC_LABEL, SYNTHETIC_SURVEY
from clusterlib.yamlfile import load_yaml_text, read_yaml_text

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
    finding_pl: str = ""
    action_pl: str = ""


#: The rule fields in each language of the brief (English is the ``finding`` and ``action``).
TEXTS = ("finding", "action", "finding_pl", "action_pl")


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
    return list(_checked_rules(str(path), read_yaml_text(path)))


@lru_cache(maxsize=16)
def _checked_rules(path: str, text: str) -> tuple[Rule, ...]:
    """Check the rules of one file's text, once per text (not once per region of a batch)."""
    spec = load_yaml_text(text, source=path)
    rules = spec.get("rules") if isinstance(spec, dict) else None
    if not isinstance(rules, list):
        raise DataFormatError(f"{path}: expected a mapping with a list under 'rules'.")
    out: list[Rule] = []
    seen: dict[str, int] = {}
    for i, r in enumerate(rules, start=1):
        at = f"{path}, rule {i} ({r.get('id', '?') if isinstance(r, dict) else repr(r)})"
        if not isinstance(r, dict):
            raise DataFormatError(f"{at}: expected a mapping.")
        unknown = set(r) - {"id", "metric", "swot", "below", "above", *TEXTS}
        if unknown:
            raise DataFormatError(f"{at}: unknown field(s) {sorted(unknown)}.")
        missing = [k for k in ("id", "metric", "swot", "finding") if not r.get(k)]
        if r.get("action_pl") and not r.get("action"):
            missing.append("action")
        if r.get("finding_pl") and r.get("action") and not r.get("action_pl"):
            missing.append("action_pl")  # a translated rule is translated whole
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
        for k in ("id", "metric", "swot", *TEXTS):
            if k in r and not isinstance(r[k], str):
                raise DataFormatError(f"{at}, field {k!r}: expected text, found {r[k]!r}.")
        if r["id"] in seen:
            raise DataFormatError(f"{at}, field 'id': {r['id']!r} is also rule {seen[r['id']]}.")
        seen[r["id"]] = i
        check_metric(r["metric"], source=f"{at}, field 'metric'")
        for k in TEXTS:
            if r.get(k):  # every template is tried once now, not after the notebooks ran
                lang = "pl" if k.endswith("_pl") else "en"
                render(r[k], {"value": -1.5, "magnitude": 1.5}, lang=lang,
                       source=f"{at}, field {k!r}")  # fmt: skip
        out.append(Rule(**r))
    return tuple(out)


def untranslated(rules: list[Rule], lang: str) -> list[str]:
    """Return the ids of the rules without their texts in ``lang`` (English texts are required).

    >>> untranslated([Rule("a", "x.y", "threat", "f", below=1.0)], "pl")
    ['a']
    """
    if lang == "en":
        return []
    return [r.id for r in rules if not getattr(r, f"finding_{lang}")]


def metric_paths() -> list[str]:
    """Return every ``section.field`` (or ``section.field.key``) a rule may read.

    A field counts if it is a number or an :class:`Estimate` of the metrics contract
    (:data:`clusterlib.chapters.metrics.CONTRACT`); the named shares of ``innovation.rates`` are
    those the innovation notebook writes (:data:`clusterlib.chapters.metrics.RATES`).
    """
    import dataclasses

    from clusterlib.chapters.metrics import CONTRACT, RATES

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
    *,
    lang: str = "en",
    evidence=None,
    scores=None,
) -> str:
    """Render the brief of one region as a standalone, printable (A4) HTML page.

    ``metrics`` are the typed sections of ``metrics.json`` (:func:`read_metrics`) and ``findings``
    the chapters' findings stored with them (:func:`read_findings`), by section. Each section of
    the page is one function of :mod:`clusterlib.batch.brief_sections` reading one chapter's
    record; a finding is shown word for word, never re-worded or recomputed here.

    ``lang`` is ``"en"`` or ``"pl"`` (every fixed string from the gettext catalogue, numbers in
    the language's format; the chapters' findings said from their message ids, see
    :func:`~clusterlib.batch.brief_text.findings_items`).
    ``evidence`` (the register of :func:`~clusterlib.io.evidence.read_evidence`) adds to each
    SWOT line the voices that support or contradict it; ``scores`` (the long scores of
    :func:`~clusterlib.io.expert_scores.read_expert_scores`) orders the actions by the experts.
    """
    from clusterlib.batch.brief_evidence import action_scores, swot_notes
    from clusterlib.i18n.messages import translate

    found = findings or {}
    spec, inn, seg = (metrics.get(k) for k in ("specialisation", "innovation", "segments"))
    synthetic = bool((inn and inn.synthetic) or (seg and seg.synthetic))
    e = html.escape

    def t(msgid, **values):
        return translate(msgid, lang=lang, **values)

    if lang != "en":
        name = voivodeship_name(region, name)
    cluster = t(spec.cluster) if spec else ""
    title = (t("{cluster} cluster in {region} {name}", cluster=cluster, region=region, name=name)
             if spec else t("Cluster in {region}", region=region))  # fmt: skip
    heading = t("Strategy brief: {title}", title=title)
    parts = [f"<h1>{e(heading)}</h1>"]
    if synthetic:
        parts.append(f'<p class="synthetic"><b>{e(t(SYNTHETIC_LABEL))}</b> {e(t(SYNTHETIC))}</p>')
    if brief_text.quoted_in_english(found, lang):
        parts.append(f"<p><small>{e(t(brief_text.ORIGINAL_NOTE))}</small></p>")
    # a region of another NUTS version than the data's: the one sentence that maps it
    nuts_notes = dict.fromkeys(getattr(m, "nuts_note", "") for m in metrics.values())
    for f in (nuts_finding(n) for n in nuts_notes if n):
        mark = "" if f.msgid or lang == "en" else ' lang="en"'
        parts.append(f'<p class="nuts"{mark}>{e(f.in_language(lang))}</p>')
    hits = fired(rules, metrics)
    notes = swot_notes(hits, evidence, lang=lang) if evidence is not None else None
    proposed = [rule.id for rule, _ in hits if rule.action]
    ranked = action_scores(scores, proposed, lang=lang) if scores is not None else None
    parts += [
        *sections.state_of_industry(spec, found.get("specialisation"), lang),
        *sections.key_factors(metrics, found, lang),
        *sections.growth_perspectives(spec, found.get("specialisation"),
                                      metrics.get("relatedness"), found.get("relatedness"), lang),
        *sections.swot(hits, lang, notes),
        *sections.indicators(metrics, synthetic=synthetic, lang=lang),
        *sections.actions(hits, lang, ranked),
    ]  # fmt: skip
    return _page(heading, "\n".join(parts), lang)


def voivodeship_name(region: str, name: str) -> str:
    """Return the Polish name of a Polish NUTS 2 region (diacritics kept), else ``name``.

    Examples
    --------
    >>> voivodeship_name("PL34", "Podlaskie")
    'podlaskie'
    """
    import csv
    from importlib import resources

    with (
        resources.files("clusterlib.reference").joinpath("nuts_pl.csv").open(encoding="utf-8") as f
    ):
        names = {row["code"]: row["nazwa"] for row in csv.DictReader(f)}
    return names.get(region, name)


def _page(heading: str, body: str, lang: str = "en") -> str:
    """Return the standalone HTML page around the brief's body."""
    from clusterlib.i18n.messages import gettext

    e = html.escape
    footer = gettext(
        "Every number comes from this run's metrics.json (links point to the report it rests "
        "on). Sources: Eurostat (sbs_r_nuts06_r2), extracted 2017-07-31; the firm survey.",
        lang=lang,
    )
    return f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{e(heading)}</title>
<style>
body{{font-family:Georgia,serif;max-width:48em;margin:2em auto;padding:0 1em;line-height:1.45;color:#222}}
h1{{font-size:1.6em}} h2{{font-size:1.2em;border-bottom:1px solid #ccc;margin-top:1.6em}}
table{{border-collapse:collapse;width:100%}} td,th{{border-bottom:1px solid #ddd;padding:3px 6px;text-align:left;vertical-align:top}}
td a,td.n{{white-space:nowrap}}
.synthetic{{background:#fff3cd;border:1px solid #e0c060;padding:6px 10px}}
.swot{{display:grid;grid-template-columns:1fr 1fr;gap:0.8em}} .q{{border:1px solid #ccc;padding:0 0.8em}}
.q h3{{font-size:1em;margin:0.5em 0}} a{{color:#1a4f8a}}
.badge{{font-size:0.75em;border:1px solid #888;padding:0 3px;margin-right:3px}}
.evidence{{color:#444}} .evidence-only{{font-style:italic}}
@page{{size:A4;margin:18mm}}
@media print{{body{{margin:0;max-width:none;font-size:10.5pt}} a{{color:inherit;text-decoration:none}}
.swot{{break-inside:avoid}} h2{{break-after:avoid}}}}
</style></head><body>
{body}
<p><small>{e(footer)}</small></p>
</body></html>
"""


def write_brief(
    out: Path,
    region: str,
    name: str,
    *,
    rules: list[Rule] | None = None,
    language: str = "en",
    evidence: str | Path | None = None,
    expert_scores: str | Path | None = None,
) -> Path | None:
    """Write ``<out>/<region>/brief.html`` from the region's ``metrics.json``; None if it has none.

    With ``language="pl"`` the Polish ``brief_pl.html`` is written too (the English brief is
    always written). ``evidence`` and ``expert_scores`` are the files of the brief parameters
    (:data:`clusterlib.batch.params.BRIEF_KEYS`), read here as validated before the run.
    """
    from clusterlib.chapters.metrics import METRICS_FILE, read_findings, read_metrics
    from clusterlib.io.files import write_atomic

    path = out / region / METRICS_FILE
    if not path.exists():
        return None
    metrics, findings = read_metrics(path), read_findings(path)
    from clusterlib.io.evidence import read_evidence
    from clusterlib.io.expert_scores import read_expert_scores

    rules = rules if rules is not None else load_rules()
    extra = {
        "evidence": read_evidence(evidence) if evidence else None,
        "scores": read_expert_scores(expert_scores) if expert_scores else None,
    }
    written = write_atomic(out / region / "brief.html",
                           render_brief(region, name, metrics, rules, findings, **extra))  # fmt: skip
    if language != "en":
        page = render_brief(region, name, metrics, rules, findings, lang=language, **extra)
        write_atomic(out / region / f"brief_{language}.html", page)
    return written
