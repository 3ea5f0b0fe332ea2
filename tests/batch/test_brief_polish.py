"""The brief's evidence (triangulated SWOT, expert-ranked actions) and the Polish brief."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pandas as pd
import pytest

from clusterlib.batch.brief import fired, load_rules, render_brief
from clusterlib.batch.brief_text import ORIGINAL_NOTE, md_html
from clusterlib.chapters.context import ContextChapter
from clusterlib.chapters.metrics import read_findings, read_metrics, write_metrics
from clusterlib.chapters.value_chains import ValueChainChapter
from clusterlib.i18n.messages import catalogue, gettext, untranslated
from clusterlib.io.evidence import read_evidence
from clusterlib.io.expert_scores import read_expert_scores
from clusterlib.reference.nace import nace_labels_pl

EXAMPLE = Path(__file__).parents[2] / "data" / "evidence" / "example"


@pytest.fixture(scope="module")
def metrics(tmp_path_factory):
    out = tmp_path_factory.mktemp("m")
    write_metrics(ContextChapter.build(region="PL34").metrics(), out)
    write_metrics(ValueChainChapter.build(region="PL34", cluster="metal processing").metrics(), out)
    return read_metrics(out / "metrics.json")


@pytest.fixture(scope="module")
def register():
    # Hand-made: the data call local supply weak (rule weak-local-supply, a weakness); two
    # workshop voices call it a strength, one firm agrees with the data => conflict (workshop).
    return read_evidence(pd.DataFrame({
        "id": ["W1", "W2", "F1", "E1"], "date": "2026-03-10",
        "source_type": ["warsztaty", "warsztaty", "wywiad z firmą", "ekspert"],
        "factor": ["dostawcy i odbiorcy"] * 3 + ["kompetencje"],
        "statement": ["Lokalni dostawcy są solidni.", "Kupujemy w regionie.",
                      "Dostawcy są daleko.", "Brakuje operatorów CNC."],
        "quadrant": ["mocne strony", "mocne strony", "słabe strony", "słabe strony"],
        "indicator": ["value_chains.local_input_share"] * 3 + [""],
    }))  # fmt: skip


def test_the_swot_line_counts_the_voices_and_notes_the_conflict(metrics, register):
    rules = load_rules()
    assert "weak-local-supply" in [r.id for r, _ in fired(rules, metrics)]
    page = render_brief("PL34", "Podlaskie", metrics, rules, evidence=register)
    assert ('<small class="evidence">Evidence: supports 1 (firm interview 1); contradicts 2 '
            "(workshop 2). <b>Conflict:</b> the data show a weakness; the workshop voices mostly "
            "say the opposite.</small>") in page  # fmt: skip
    # the expert's statement names no indicator and speaks to no line: an evidence-only line
    assert (
        '<li class="evidence-only">Evidence only (no indicator): skills.<br><small '
        'class="evidence">Evidence: supports 1 (expert 1); contradicts 0.</small></li>'
    ) in page
    pl = render_brief("PL34", "Podlaskie", metrics, rules, evidence=register, lang="pl")
    assert ("Głosy: potwierdzają 1 (wywiady z firmami 1); przeczą 2 (warsztaty 2). "
            "<b>Konflikt:</b> dane wskazują: słaba strona; głosy (warsztaty) w większości mówią "
            "co innego.") in pl  # fmt: skip


def test_actions_follow_the_experts_and_unscored_ones_are_listed_apart(metrics):
    scores = read_expert_scores(EXAMPLE / "oceny_ekspertow_PL-NE_SYNTETYCZNE.csv")
    rules = load_rules()
    proposed = [r.id for r, _ in fired(rules, metrics) if r.action]
    page = render_brief("PL34", "Podlaskie", metrics, rules, scores=scores)
    actions = page.split("<h2>6. Proposed actions</h2>")[1]
    scored = set(scores["action"])
    # every proposed action is shown once; scored ones before the "not scored" list
    head, _, rest = actions.partition("Proposed by the rules, not scored by the experts:")
    for rule_id in proposed:
        assert actions.count(f"<code>{rule_id}</code>") == 1
        assert (f"<code>{rule_id}</code>" in head) == (rule_id in scored)
    last = scores[scores["round"] == scores["round"].max()]
    for rule_id in set(proposed) & scored:  # median of importance, by hand from the file
        imp = last[(last["action"] == rule_id) & (last["criterion"] == "importance")]["score"]
        text = f"importance median {imp.median():.1f}, IQR {imp.quantile(0.75) - imp.quantile(0.25):.2f}"
        assert text in head
        assert f"{(imp >= 4).mean():.0%} scored 4 or 5 ({len(imp)} experts)" in head


def test_polish_headings_and_numbers(metrics):
    page = render_brief("PL34", "Podlaskie", metrics, load_rules(), lang="pl")
    for heading in ("Mocne strony", "Słabe strony", "Szanse", "Zagrożenia"):
        assert f"<h3>{heading}</h3>" in page
    assert '<html lang="pl">' in page
    assert "<h2>1. Obecny stan branży</h2>" in page and "<h2>6. Proponowane działania</h2>" in page
    share = metrics["value_chains"].local_input_share.value
    # 'Klaster kupuje w regionie tylko 52% ...': percent without decimals; a decimal comma below
    assert f"Klaster kupuje w regionie tylko {100 * share:.0f}%" in page
    assert "<td>PKB na mieszkańca (EUR)</td>" in page
    gdp = next(r for r in metrics["context"].indicators if r["indicator"] == "gdp_per_inhabitant")
    whole, frac = f"{gdp['value']:,.1f}".split(".")
    assert f">{whole.replace(',', chr(0xA0))},{frac}</a>" in page  # e.g. 12 345,6


def test_voivodeship_and_nace_names_in_polish():
    assert nace_labels_pl(["C33", "X99"]) == {
        "C33": "Naprawa, konserwacja i instalowanie maszyn i urządzeń",
        "X99": "",
    }
    from clusterlib.batch.brief import voivodeship_name

    assert voivodeship_name("PL31", "Lubelskie") == "lubelskie"
    assert voivodeship_name("PL11", "Lodzkie") == "łódzkie"


def test_every_catalogue_message_has_a_polish_translation():
    assert untranslated("pl") == []
    assert len(list(catalogue("pl"))) > 90
    assert gettext("Weaknesses", lang="pl") == "Słabe strony"


def _words(text: str) -> set[str]:
    return {w.lower() for w in re.findall(r"[^\W\d_]{3,}", text)}


def _template_words(msgid: str) -> set[str]:
    return _words(re.sub(r"\{[^{}]*\}", " ", msgid))  # a template's words, not its field names


def _names(message, lang: str) -> list[str]:
    """Every name in ``lang`` inside a finding's values (phrases.names), recursively."""
    if isinstance(message, dict):
        if "names" in message:
            return [message["names"].get(lang, "")]
        return [n for v in message.get("args", {}).values() for n in _names(v, lang)] + [
            n for v in message.get("items", []) for n in _names(v, lang)
        ]
    return []


@pytest.fixture(scope="module")
def chapters(tmp_path_factory):
    """metrics.json of every chapter of PL22 with its findings, built as ``clusterlib summary`` does."""
    import ast

    from clusterlib.batch.params import NOTEBOOKS, merged_parameters, notebook_parameters
    from clusterlib.chapters.registry import build_chapter

    out = tmp_path_factory.mktemp("all")
    params = merged_parameters("PL22", generated=False) | {"region": "PL22", "horizon": 2020}
    for nb in NOTEBOOKS:
        declared = notebook_parameters(nb)
        own = {k: ast.literal_eval(spec["default"]) for k, spec in declared.items()}
        own |= {k: v for k, v in params.items() if k in declared}
        own |= {k: 20 for k in ("n_boot",) if k in declared}  # fewer resamples: the words count
        ch = build_chapter(nb, own)
        write_metrics(ch.metrics(), out, findings=ch.findings())
    return read_metrics(out / "metrics.json"), read_findings(out / "metrics.json")


def _vocabulary(findings, rules) -> tuple[set[str], set[str]]:
    """The English words the brief could show (templates, rules, names, labels) and the Polish."""
    from clusterlib.chapters.value_chain_tables import FINAL_DEMAND, io_labels
    from clusterlib.i18n.phrases import msgids, phrase
    from clusterlib.reference.nace import nace_table

    english, polish = set(), set()
    for m in catalogue("pl"):
        if m.id:
            english |= _template_words(m.id)
            polish |= _template_words(m.string)
    for r in rules:
        english |= _words(r.finding) | _words(r.action)
        polish |= _words(r.finding_pl) | _words(r.action_pl)
    for f in (f for fs in findings.values() for f in fs):
        message = phrase(f.msgid, **f.args) if f.msgid else {}
        for msgid in msgids(message) or [f.text]:  # a finding without a msgid: all its words
            english |= _template_words(msgid)
        english |= {w for n in _names(message, "en") for w in _words(n)}
        polish |= {w for n in _names(message, "pl") for w in _words(n)}
    labels = nace_table()["label"].tolist() + io_labels().tolist() + list(FINAL_DEMAND.values())
    english |= {w for label in labels for w in _words(label)}
    polish |= {w for label in io_labels("pl").tolist() for w in _words(label)}
    polish |= {w for label in nace_labels_pl(nace_table().index).values() for w in _words(label)}
    return english, polish


def _leaks(page: str, english: set[str], polish: set[str]) -> set[str]:
    # rule ids and file names (<code>) are identifiers of params/actions.yaml, not prose
    body = re.sub(r"<style>.*?</style>|<code>.*?</code>|<[^>]+>", " ", page, flags=re.S)
    body = html.unescape(body).replace("metrics.json", "").replace("params/actions.yaml", "")
    return (_words(body) & english) - polish


@pytest.mark.slow  # all six chapters on the bundled data
def test_no_english_fragment_in_the_polish_brief(chapters, register):
    """Every English word of the brief's strings, findings, rules and labels that is not Polish fails.

    The English vocabulary: the catalogue's msgids, the rules' English texts, every finding's
    templates (nested ones too) and English names, the English NACE, input-output and final
    demand labels. What is also Polish (a msgstr, a Polish rule, a Polish name) is allowed.
    """
    metrics, findings = chapters
    rules = load_rules()
    english, polish = _vocabulary(findings, rules)
    page = render_brief("PL22", "Śląskie", metrics, rules, findings, evidence=register, lang="pl")
    assert _leaks(page, english, polish) == set()
    assert 'lang="en"' not in page and ">EN</span>" not in page  # nothing quoted in English
    for key in ("employment", "lq", "top_divisions", "peers", "growth", "trend"):
        f = next(f for f in findings["specialisation"] if f.key == key)
        assert md_html(f.in_language("pl")) in page, key
    assert "Metale i wyroby metalowe gotowe" in page  # the top supplier, a WIOD industry
    en = render_brief("PL22", "Śląskie", metrics, rules, findings, evidence=register)
    assert {"weaknesses", "strengths", "employs", "specialised"} <= _leaks(en, english, polish)


@pytest.mark.slow  # all six chapters on the bundled data
@pytest.mark.parametrize("inject", ["finding without msgid", "msgstr removed", "English label"])
def test_the_english_fragment_test_fails_on_an_untranslated_string(
    chapters, register, monkeypatch, inject
):
    """The check above is honest: one untranslated string of each kind is caught."""
    import dataclasses

    metrics, findings = chapters
    rules = load_rules()
    english, polish = _vocabulary(findings, rules)
    findings = {k: list(v) for k, v in findings.items()}
    if inject == "finding without msgid":  # a finding of an older metrics.json: English only
        spec = findings["specialisation"]
        spec[0] = dataclasses.replace(spec[0], msgid="", args={})
        leak = "employs"
    elif inject == "msgstr removed":  # a template the catalogue does not translate
        message = catalogue("pl").get("Most specialised divisions: {divisions}.")
        monkeypatch.setattr(message, "string", "")
        leak = "specialised"
    else:  # an input-output industry without its Polish name
        from clusterlib.chapters import value_chain_tables

        english_only = value_chain_tables.io_labels()
        monkeypatch.setattr(value_chain_tables, "io_labels", lambda lang="en": english_only)
        leak = "fabricated"
    page = render_brief("PL22", "Śląskie", metrics, rules, findings, evidence=register, lang="pl")
    assert leak in _leaks(page, english, polish)
    if inject == "finding without msgid":  # quoted as it is, marked and labelled as English
        assert '<li lang="en" class="original"><span class="badge" lang="pl">EN</span> ' in page
        assert gettext(ORIGINAL_NOTE, lang="pl") in page


@pytest.mark.slow  # all six chapters on the bundled data
def test_every_message_of_the_findings_has_a_polish_translation(chapters):
    """Each finding's templates (nested ones too) are in the catalogue, translated."""
    from clusterlib.i18n.phrases import msgids, phrase

    _, findings = chapters
    cat = catalogue("pl")
    for section, fs in findings.items():
        for f in fs:
            assert f.msgid, (section, f.key)
            for msgid in msgids(phrase(f.msgid, **f.args)):
                if not _template_words(msgid):  # e.g. "{code} {name}": nothing to translate
                    continue
                message = cat.get(msgid)
                assert message is not None and message.string, (section, f.key, msgid)
                fields = set(re.findall(r"\{(\w+)", msgid))
                assert set(re.findall(r"\{(\w+)", message.string)) == fields, msgid
