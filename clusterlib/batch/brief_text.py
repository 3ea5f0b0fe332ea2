"""The text pieces of the strategy brief: numbers, rule sentences, links and quoted findings.

A chapter's finding is Markdown; :func:`md_html` shows it word for word as HTML, and
:func:`findings_items` lists a chapter's findings with the link to the report that shows each
number. Fixed strings go through the language's message catalogue (:mod:`clusterlib.i18n`).
"""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING

from clusterlib.chapters.metrics import Estimate, Finding
from clusterlib.i18n.messages import gettext, translate
from clusterlib.i18n.numbers import format_value, render

if TYPE_CHECKING:
    from clusterlib.batch.brief import Rule


def _num(est: Estimate | None, spec: str = ",.2f", lang: str = "en") -> str:
    if est is None or est.value is None:
        return gettext("not available", lang=lang)

    def fmt(x):
        return format_value(x, ".1%" if "share" in est.unit else spec, lang=lang)

    text = fmt(est.value)
    if est.low is not None and est.high is not None:
        text += f" ({gettext('95% CI', lang=lang)} {fmt(est.low)}–{fmt(est.high)})"
    return text


def _t(lang: str):
    """Return the translator of ``lang``: ``t(msgid, **values)``, HTML-escaped."""
    return lambda msgid, **values: html.escape(translate(msgid, lang=lang, **values))


def _finding(rule: Rule, est: Estimate, field: str = "finding", lang: str = "en") -> str:
    """Return a fired rule's finding (or action): its template filled with the number.

    :func:`clusterlib.i18n.render` fills it: ``{value}`` (and ``{magnitude}``, its absolute value)
    with a number format is all a template may name, so a rule cannot reach Python's internals
    (``{value.__class__}`` is refused).
    """
    template = getattr(rule, field if lang == "en" else f"{field}_{lang}")
    return render(
        template,
        {"value": est.value, "magnitude": abs(est.value)},
        lang=lang,
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


def findings_items(
    findings: list[Finding], keys: tuple[str, ...], links: dict[str, str], lang: str = "en"
) -> str:
    """Return the findings with the given keys, in that order, as ``<li>`` items with links.

    A finding is said in the brief's language from its message id and values
    (:meth:`~clusterlib.chapters.metrics.Finding.in_language`: the catalogue's sentence, numbers
    in the language's format). One stored without them (a ``metrics.json`` of an older run) is
    quoted word for word in English, in an item marked ``lang="en"`` and labelled "EN" (see
    :data:`ORIGINAL_NOTE`).
    """
    by_key = {f.key: f for f in findings}
    items = []
    for key in keys:
        if key in by_key:
            f = by_key[key]
            english = lang != "en" and not f.msgid
            mark = ' lang="en" class="original"' if english else ""
            label = f'<span class="badge" lang="{lang}">EN</span> ' if english else ""
            report = links.get(key, "")
            word = gettext("source", lang=lang)
            source = f' [<a href="{html.escape(report)}">{word}</a>]' if report else ""
            items.append(f"<li{mark}>{label}{md_html(f.in_language(lang))}{source}</li>")
    return "".join(items)


def quoted_in_english(findings: dict[str, list[Finding]], lang: str) -> bool:
    """Whether a brief in ``lang`` quotes a finding in English (one without a message id)."""
    return lang != "en" and any(not f.msgid for fs in findings.values() for f in fs)


#: The note of a brief not in English on the chapters' findings it quotes in English.
ORIGINAL_NOTE = ("Items marked EN are the chapters' findings, quoted word for word in English, "
                 "as the reports state them.")  # fmt: skip


def _missing(notebook: str, lang: str = "en") -> str:
    t = _t(lang)
    return "<p>" + t("This run's metrics.json holds no findings of the {notebook} notebook; rerun "
                     "the batch for this region.", notebook=t(notebook)) + "</p>"  # fmt: skip
