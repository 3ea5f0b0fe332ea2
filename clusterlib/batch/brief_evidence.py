"""The brief's qualitative evidence: SWOT lines triangulated with the register, actions scored.

:func:`swot_notes` counts, for every fired rule's SWOT line, the statements of the evidence
register that support or contradict it by source type, with a **conflict** note where data and
voices disagree (:func:`clusterlib.stakeholders.triangulation.triangulate`), and adds the
evidence-only lines. :func:`action_scores` orders the proposed actions by the experts' priority
(:func:`clusterlib.stakeholders.scoring.priority_order`) and words each action's score.
"""

from __future__ import annotations

import html

import pandas as pd

from clusterlib.i18n.messages import translate
from clusterlib.i18n.numbers import format_value
from clusterlib.io.evidence import SOURCE_TYPES

#: Readers' names of the source types and key factors (msgids of the catalogue).
SOURCE_NAMES = {"workshop": "workshop", "firm_interview": "firm interview",
                "institution_interview": "institution interview", "expert": "expert"}  # fmt: skip
FACTOR_NAMES = {
    "innovation": "innovation activity", "supplier_customer_links": "supplier and customer links",
    "institution_cooperation": "cooperation with research and business-support institutions",
    "internationalisation": "internationalisation", "skills": "skills", "other": "other factors",
}  # fmt: skip


def _t(lang):
    return lambda msgid, **values: html.escape(translate(msgid, lang=lang, **values))


def _by_source(row: pd.Series, word: str, lang: str) -> str:
    """``"3 (workshop 2, expert 1)"``: the total and its non-zero source types."""
    t = _t(lang)
    parts = [f"{t(SOURCE_NAMES[s])} {row[f'{word}_{s}']}" for s in SOURCE_TYPES
             if row[f"{word}_{s}"]]  # fmt: skip
    return f"{row[word]}" + (f" ({', '.join(parts)})" if parts else "")


def _note(row: pd.Series, lang: str) -> str:
    t = _t(lang)
    text = t("Evidence: supports {s}; contradicts {c}.", s=_by_source(row, "supporting", lang),
             c=_by_source(row, "contradicting", lang))  # fmt: skip
    if row["conflict"]:
        sources = ", ".join(t(SOURCE_NAMES[s]) for s in row["conflict_sources"].split(", "))
        text += " <b>" + t("Conflict:") + "</b> " + t(
            "the data show a {quadrant}; the {sources} voices mostly say the opposite.",
            quadrant=t(row["quadrant"]), sources=sources)  # fmt: skip
    return text


def swot_notes(hits, register: pd.DataFrame, *, lang: str = "en") -> dict:
    """Return the evidence notes of the SWOT: rule id -> HTML note, quadrant -> evidence-only lines.

    Parameters
    ----------
    hits : list of (Rule, Estimate)
        The fired rules (:func:`clusterlib.batch.brief.fired`).
    register : pandas.DataFrame
        The evidence register (:func:`clusterlib.io.evidence.read_evidence`).
    lang : str
        The brief's language.
    """
    from clusterlib.stakeholders.triangulation import triangulate

    lines = pd.DataFrame(
        {"line": [r.id for r, _ in hits], "quadrant": [r.swot for r, _ in hits],
         "metric": [r.metric for r, _ in hits], "value": [e.value for _, e in hits]},
        columns=["line", "quadrant", "metric", "value"],
    )  # fmt: skip
    lines["factor"] = None
    table = triangulate(lines, register)
    t, out = _t(lang), {}
    for _, row in table.iterrows():
        if not row["evidence_only"]:
            out[row["line"]] = f'<br><small class="evidence">{_note(row, lang)}</small>'
            continue
        text = t("Evidence only (no indicator): {factor}.", factor=t(FACTOR_NAMES[row["factor"]]))
        out.setdefault(row["quadrant"], []).append(
            f'<li class="evidence-only">{text}<br><small class="evidence">{_note(row, lang)}'
            "</small></li>"
        )
    return out


def action_scores(scores: pd.DataFrame, proposed: list[str], *, lang: str = "en") -> dict:
    """Return the experts' order of the actions and each scored action's text, for the brief.

    ``order`` lists the scored actions, highest priority first (importance, then urgency, then
    feasibility: :func:`~clusterlib.stakeholders.scoring.priority_order`); ``text`` maps each to
    its importance score: median, interquartile range, share of experts scoring 4 or 5, and the
    number of experts; ``note`` says which round and rule ordered them.
    """
    from clusterlib.stakeholders.scoring import priority_order

    order = priority_order(scores, proposed=proposed)
    t, text = _t(lang), {}
    scored = order[order["scored"]]
    for _, r in scored.iterrows():
        text[r["action"]] = " <small>(" + t(
            "experts' priority {rank}: importance median {median}, IQR {iqr}, {share} scored 4 or "
            "5 ({n} experts)", rank=int(r["rank"]), median=format_value(r["median_importance"], ".1f", lang=lang),
            iqr=format_value(r["iqr_importance"], ".2f", lang=lang),
            share=format_value(r["share_high_importance"], ".0%", lang=lang), n=int(r["experts"]),
        ) + ")</small>"  # fmt: skip
    last = int(scores["round"].max())
    note = t("Order of the actions: the experts' scores of Delphi round {round} (median importance, "
             "then urgency, then feasibility).", round=last)  # fmt: skip
    return {"order": list(scored["action"]), "text": text, "note": note}
