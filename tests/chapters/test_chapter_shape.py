"""One shape for every chapter: build, views, findings with their numbers, metrics, export, save."""

from __future__ import annotations

import doctest
import json
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from clusterlib.chapters import base
from clusterlib.chapters.base import Finding, View, collect_warnings, findings_markdown
from clusterlib.chapters.innovation import InnovationChapter
from clusterlib.chapters.segments import SegmentsChapter
from clusterlib.chapters.survey_evidence import SurveyEvidence

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "data" / "survey" / "example"
DRIVERS = "rd_inhouse + coop_suppliers + coop_universities + np.log(employees / 50)"


@pytest.fixture(scope="module")
def evidence():
    return SurveyEvidence.load(region="PL22")


@pytest.fixture(scope="module")
def innovation(evidence):
    return InnovationChapter.build(region="PL22", drivers=DRIVERS, n_boot=20, evidence=evidence)


@pytest.fixture(scope="module")
def segments(evidence):
    return SegmentsChapter.build(region="PL22", k_max=3, n_boot=4, evidence=evidence)


def test_base_doctests():
    result = doctest.testmod(base)
    assert result.attempted == 3 and result.failed == 0


def test_findings_markdown_lists_every_sentence_under_its_heading():
    fs = [Finding("a", "One.", 1.0), Finding("b", "Two.")]
    assert findings_markdown(fs, heading="## H") == "## H\n\n- One.\n- Two."


def test_collect_warnings_keeps_distinct_reader_warnings_and_drops_chatter():
    with collect_warnings() as notes:
        warnings.warn("few events", stacklevel=2)
        warnings.warn("few events", stacklevel=2)
        warnings.warn("old api", DeprecationWarning, stacklevel=2)
        warnings.warn("later", FutureWarning, stacklevel=2)
        warnings.warn("   ", stacklevel=2)
        warnings.warn("second", UserWarning, stacklevel=2)
    assert notes == ["Few events", "Second"]


def test_view_displays_its_parts_in_order_as_separate_outputs(monkeypatch):
    import IPython.display

    shown = []
    monkeypatch.setattr(IPython.display, "display", lambda *a, **k: shown.append((a, k)))
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    ax.plot([0, 1])
    v = View().markdown("# T").table(pd.DataFrame({"x": [1.5]}), caption="C") + View().figure(
        fig, alt="a line"
    ).note("careful")
    v._ipython_display_()
    assert [p[0] for p in v.parts] == ["markdown", "table", "figure", "markdown"]
    assert shown[0][0][0].data == "# T"
    assert "<caption>C</caption>" in shown[1][0][0].data and "1.50" in shown[1][0][0].data
    payload, meta = shown[2][0][0], shown[2][1]
    assert payload["text/plain"] == "a line" and meta == {
        "raw": True,
        "metadata": {"alt": "a line"},
    }
    assert payload["image/png"].startswith("iVBOR")  # base64 of the PNG signature
    assert shown[3][0][0].data == "> **Note.** careful"
    assert not plt.fignum_exists(fig.number)  # closed once rendered


def test_weighted_share_by_hand():
    firms = pd.DataFrame({"y": [1, 0, 1, 0]}, index=[10, 11, 12, 13])
    w = pd.Series([1.0, 3.0, 2.0, 2.0], index=[13, 12, 11, 10])  # another order: aligned by firm
    ev = SurveyEvidence("R", firms, firms, w, None, False, False, "s")
    # weights by firm: 10 -> 2, 11 -> 2, 12 -> 3, 13 -> 1; y = 1 for 10 and 12: (2 + 3) / 8
    assert ev.weighted_share("y") == pytest.approx(5 / 8)
    assert (
        SurveyEvidence("R", firms, firms, None, None, False, False, "s").weighted_share("y") is None
    )


def test_both_survey_chapters_read_the_same_evidence(evidence, innovation, segments):
    assert innovation.evidence is evidence and segments.evidence is evidence
    assert set(segments.labels.index) == set(evidence.firms.index)
    assert (evidence.firms["region"] == "PL22").all() and len(evidence.firms) < len(evidence.survey)


def test_innovation_findings_rest_on_the_metrics(innovation):
    f = {x.key: x for x in innovation.findings()}
    m = innovation.metrics()
    assert list(f) == ["synthetic", "innovation_rate", "pooled", "regional", "caveat"]
    firms = innovation.evidence.firms
    assert f["innovation_rate"].value == pytest.approx(firms["product_innovation"].mean())
    assert f["innovation_rate"].value == pytest.approx(m.innovation_rate.value)
    assert f"{100 * f['innovation_rate'].value:.1f}%" in f["innovation_rate"].text
    assert f"{len(firms):,} surveyed firms in PL22" in f["innovation_rate"].text
    md = innovation.show_findings().parts[0][1]
    assert md.startswith("### Key findings\n\n- **These are synthetic data**")


def test_innovation_views_show_the_chapter_tables(innovation):
    v = innovation.show_weights()
    assert v.parts == [("markdown", "> **Note.** Unweighted: the shares below describe the "
                        "surveyed firms. Give a margins file (parameter `weights`) to describe "
                        "the region's firms.", None)]  # fmt: skip
    assert innovation.truth is not None  # the bundled survey has a known truth
    assert [p[0] for p in innovation.show_effects().parts][0] == "figure"
    kinds = [p[0] for p in innovation.show_evidence().parts]
    assert kinds == ["table"] * 4


def test_weighted_innovation_chapter_reads_its_weights():
    ch = InnovationChapter.build(
        region="PL22", survey_path=str(EXAMPLE / "ankieta_PL22_SYNTETYCZNA.csv"),
        mapping_path=str(EXAMPLE / "ankieta_mapping.yaml"),
        weights=str(EXAMPLE / "ankieta_margins.yaml"), drivers=DRIVERS, n_boot=5,
    )  # fmt: skip
    firms, w = ch.evidence.firms, ch.evidence.weights
    by_hand = float((firms["product_innovation"] * w).sum() / w.sum())
    assert ch.weighted_rate == pytest.approx(by_hand)
    assert round(100 * ch.weighted_rate, 1) == 38.9  # the README's worked example
    text = {x.key: x.text for x in ch.findings()}["innovation_rate"]
    assert "weighted to the region's firms, 38.9%" in text
    assert ch.truth is None and "no known truth" in ch.show_truth().parts[0][1]
    shown = ch.show_weights().parts
    assert shown[0][0] == "table" and "38.9% of the region's firms (weighted)" in shown[1][1]


def test_segment_findings_rest_on_the_metrics(segments):
    f = {x.key: x for x in segments.findings()}
    m = segments.metrics()
    assert f["k"].value == m.n_segments == segments.labels.nunique()
    assert 2 <= m.n_segments <= 3
    for s in m.segments:
        assert f[f"segment_{s['segment']}"].value == pytest.approx(s["stability"])
        assert s["label"] in f[f"segment_{s['segment']}"].text
    assert f["ari"].value == pytest.approx(m.ari_mean)
    assert sum(s["size"] for s in m.segments) == len(segments.evidence.firms)


def test_segment_rates_are_the_shares_of_each_segment(segments):
    firms, labels = segments.evidence.firms, segments.labels
    seg = labels.iloc[0]
    mine = firms[labels == seg]
    assert segments.rates.loc[seg, "product_innovation"] == pytest.approx(
        mine["product_innovation"].mean()
    )
    assert segments.rates.loc[seg, "label"] == segments.names[seg]


def test_export_writes_every_table_atomically_and_reads_back(tmp_path, segments):
    paths = segments.export(tmp_path)
    names = [p.name for p in paths]
    assert names == [f"{n}.csv" for n in segments.tables()] + ["segment_tables.xlsx"]
    back = pd.read_csv(tmp_path / "exports" / "segment_firms.csv")
    assert list(back.columns) == ["firm_id", "segment", "segment_label"]
    assert len(back) == len(segments.evidence.firms)
    assert not list((tmp_path / "exports").glob("*.tmp"))
    again = tmp_path / "again"
    segments.export(again)
    for p in paths:  # the same tables, the same bytes
        assert (again / "exports" / p.name).read_bytes() == p.read_bytes()


def test_save_writes_metrics_and_exports_only_with_a_folder(tmp_path, innovation, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert innovation.save("") is None
    assert list(tmp_path.iterdir()) == []
    innovation.save(tmp_path / "r")
    data = json.loads((tmp_path / "r" / "metrics.json").read_text())
    assert data["innovation"]["n_firms"] == len(innovation.evidence.firms)
    assert (tmp_path / "r" / "exports" / "innovation_ame.csv").exists()


def test_to_markdown_is_the_title_and_the_findings(segments):
    md = segments.to_markdown()
    assert md.startswith("# What kinds of firms are there\n\n## Key findings\n\n- ")
    assert all(f.text in md for f in segments.findings())
    assert np.isfinite(segments.ari["mean"])


def test_view_markdown_carries_no_raw_html(monkeypatch):
    import IPython.display

    shown = []
    monkeypatch.setattr(IPython.display, "display", lambda *a, **k: shown.append(a[0]))
    View().markdown("cluster <script>alert(1)</script>")._ipython_display_()
    assert shown[0].data == "cluster &lt;script>alert(1)&lt;/script>"
