"""The brief reads the chapters' findings word for word (issue 24 §1): one section per chapter record."""

from __future__ import annotations

import html
import json
import re

import pytest

from clusterlib.batch import brief_sections as sections
from clusterlib.batch import brief_text
from clusterlib.batch.brief import fired, load_rules, render_brief, write_brief
from clusterlib.chapters.display import md_text
from clusterlib.chapters.metrics import Finding, read_findings, read_metrics, write_metrics
from clusterlib.chapters.specialisation import SpecialisationChapter
from clusterlib.errors import DataFormatError


@pytest.fixture(scope="module")
def spec():
    return SpecialisationChapter.build(
        region="PL22", cluster="metal processing", year=2014, start_year=2009, horizon=2020
    )


@pytest.fixture(scope="module")
def saved(spec, tmp_path_factory):
    out = tmp_path_factory.mktemp("brief")
    write_metrics(spec.metrics(), out / "PL22", findings=spec.findings())
    return out


def _section(page: str, number: int) -> str:
    return page.split(f"<h2>{number}. ")[1].split("<h2>")[0]


def test_findings_round_trip_with_the_metrics(spec, saved):
    path = saved / "PL22" / "metrics.json"
    assert read_findings(path) == {"specialisation": spec.findings()}
    assert read_metrics(path)["specialisation"] == spec.metrics()  # the findings key is reserved
    assert json.loads(path.read_text())["specialisation"]["findings"][0]["key"] == "employment"


def test_state_and_growth_show_notebook_01_findings_word_for_word(spec, saved):
    page = write_brief(saved, "PL22", "Śląskie", rules=[]).read_text(encoding="utf-8")
    found = {f.key: f for f in spec.findings()}
    state, growth = _section(page, 1), _section(page, 3)
    shown = [k for k in sections.STATE if k in found]  # a region has no area findings
    assert set(sections.STATE) - set(shown) == {"area", "members", "area_size"}
    for key in shown:
        assert brief_text.md_html(found[key].text) in state, key
    for key in sections.GROWTH:
        assert brief_text.md_html(found[key].text) in growth, key
    # in the chapter's order, each with a link to where the notebook shows its number
    assert [state.index(brief_text.md_html(found[k].text)) for k in shown] == sorted(
        state.index(brief_text.md_html(found[k].text)) for k in shown
    )
    shift = brief_text.md_html(found["shift"].text)
    assert f'{shift} [<a href="01_specialisation.html#Shift-share">source</a>]' in growth
    text = html.unescape(re.sub(r"<[^>]+>", "", state))
    assert f"{found['employment'].value:,.0f} people" in text  # 68,537, as the notebook says
    assert "listed above" not in page  # the notebook's pointer to its own table is left out


def test_without_findings_a_section_says_so_instead_of_rewording(spec):
    page = render_brief("PL22", "Śląskie", {"specialisation": spec.metrics()}, [])
    state = _section(page, 1)
    assert "holds no findings of the specialisation notebook; rerun the batch" in state
    assert "location quotient" not in state.lower()


def test_findings_markdown_reads_back_literally_in_html():
    hostile = "<script>alert(1)</script> *x* [a](http://e) $y$ R&amp;D \\ **"
    out = brief_text.md_html(f"**{md_text(hostile)}** has LQ **1.46**.")
    assert "<script" not in out and "<a " not in out
    assert out.startswith("<b>") and out.endswith("<b>1.46</b>.")
    assert html.unescape(re.sub(r"</?b>", "", out)) == f"{hostile} has LQ 1.46."


def test_findings_items_keep_the_asked_order_and_skip_absent_keys():
    fs = [Finding("b", "Two **2**.", 2.0), Finding("a", "One.", 1.0)]
    out = brief_text.findings_items(fs, ("a", "missing", "b"), {"b": "x.html#B"})
    assert out == '<li>One.</li><li>Two <b>2</b>. [<a href="x.html#B">source</a>]</li>'


def test_bad_findings_in_metrics_json_name_the_file_and_section(tmp_path, spec):
    write_metrics(spec.metrics(), tmp_path, findings=[Finding("k", "t", 1.0)])
    path = tmp_path / "metrics.json"
    data = json.loads(path.read_text())
    data["specialisation"]["findings"] = [{"text": "no key"}]
    path.write_text(json.dumps(data))
    with pytest.raises(DataFormatError, match=r"metrics\.json, section 'specialisation', key "
                       r"'findings': expected a list of findings"):  # fmt: skip
        read_findings(path)


def test_the_swot_of_a_real_chapter_states_every_fired_rule(saved):
    page = write_brief(saved, "PL22", "Śląskie").read_text(encoding="utf-8")
    hits = fired(load_rules(), read_metrics(saved / "PL22" / "metrics.json"))
    assert hits  # e.g. the negative regional shift of PL22
    swot = _section(page, 4)
    for rule, est in hits:
        assert html.escape(brief_text._finding(rule, est)) in swot, rule.id
