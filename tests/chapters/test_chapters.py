"""The notebook-facing layer: display formatting, the metrics contract, the brief, rendering."""

from __future__ import annotations

import html
import json
import re

import nbformat
import numpy as np
import pandas as pd
import pytest

from clusterlib.batch.brief import Rule, fired, load_rules, lookup, render_brief
from clusterlib.batch.params import NOTEBOOKS, merged_parameters, notebook_parameters
from clusterlib.batch.render import render_notebook, tex_to_mathml
from clusterlib.chapters.display import header, table_html
from clusterlib.chapters.effects import term_label
from clusterlib.chapters.metrics import (
    Estimate,
    InnovationMetrics,
    SpecialisationMetrics,
    read_metrics,
    write_metrics,
)
from clusterlib.cli import main
from clusterlib.errors import DataFormatError
from clusterlib.innovation.proportions import wilson_interval


def test_table_html_formats_numbers_labels_and_keeps_every_row():
    df = pd.DataFrame(
        {
            "count": [88043.0, 2048.28, np.nan],
            "lq": [6.1049, 0.5, 1.0],
            "significant": [True, False, True],
            "share": [0.377, 0.05, 1.0],
            "label": ["<b>x</b>", "y", "z"],
        },
        index=pd.Index(["B05", "B08", "C24"], name="industry"),
    )
    h = table_html(df)
    assert ">88,043<" in h and ">2,048<" in h and ">–<" in h  # counts as whole persons
    assert ">6.10<" in h and ">37.7%<" in h and ">yes<" in h and ">no<" in h
    assert "Persons employed" in h and "Significant at 95%" in h and ">Industry<" in h
    assert "<b>x</b>" not in h and "&lt;b&gt;x&lt;/b&gt;" in h  # escaped
    long = pd.DataFrame({"v": np.arange(60.0)}, index=[f"r{i}" for i in range(60)])
    h = table_html(long, max_rows=25)
    details = h[h.index("<details") :]
    assert "Show all 60 rows" in h and details.count("<tr>") == 61  # header + every row
    assert header("gmm_bic") == "GMM BIC" and header("some_thing") == "Some thing"


def _spec_metrics(**over) -> SpecialisationMetrics:
    e = Estimate
    base = dict(
        region_name="Śląskie", cluster="metal processing", codes=["C24", "C25"], year=2014,
        start_year=2009, reference="country", policy="fill",
        employment=e(68537.0, unit="persons employed", report="01.html#a"),
        share=e(0.062, unit="share of the business economy"),
        lq=e(1.46, 1.45, 1.47, unit="LQ", report="01.html#lq"), lq_significant=True, rank=3,
        n_regions=16, eu_lq=e(1.87), stars=1, size_star=True, specialisation_star=False,
        focus_star=False, change=e(-2938.0), national_share=e(33.0), industry_mix=e(2759.0),
        regional_shift=e(-5730.0), top_divisions=[{"code": "C24", "label": "Basic metals", "lq": 2.72}],
    )  # fmt: skip
    return SpecialisationMetrics(**{**base, **over})


def _inn_metrics() -> InnovationMetrics:
    e = Estimate
    return InnovationMetrics(
        synthetic=True, outcome="product_innovation", n_firms=456, n_survey=3000,
        innovation_rate=e(0.384, 0.34, 0.429, unit="share of 456 firms"),
        rates={"coop_suppliers": e(0.189, unit="share of 456 firms"),
               "exporter": e(0.5, unit="share of 456 firms")},
        innovators_with_universities=e(0.086, unit="share of 175 firms"),
        drivers=[{"term": "rd_inhouse", "label": "in-house R&D", "estimate": 0.252,
                  "ci_low": 0.226, "ci_high": 0.279, "p": 0.0}],
        regional_model="logit", regional_reason="17.5 events per variable",
    )  # fmt: skip


def test_metrics_round_trip_and_contract(tmp_path):
    write_metrics(_spec_metrics(), tmp_path)
    write_metrics(_inn_metrics(), tmp_path)
    back = read_metrics(tmp_path / "metrics.json")
    assert back["specialisation"] == _spec_metrics()
    assert back["innovation"] == _inn_metrics()
    assert write_metrics(_spec_metrics(), "") is None  # interactive use: nothing written
    data = json.loads((tmp_path / "metrics.json").read_text())
    data["specialisation"]["cluster_lq"] = 1.0  # an old or mistyped key
    del data["specialisation"]["stars"]
    (tmp_path / "metrics.json").write_text(json.dumps(data))
    with pytest.raises(DataFormatError, match=r"metrics\.json, section 'specialisation': missing "
                       r"key\(s\) \['stars'\], unknown key\(s\) \['cluster_lq'\]"):  # fmt: skip
        read_metrics(tmp_path / "metrics.json")


def test_rules_fire_strictly_beyond_their_threshold():
    metrics = {"specialisation": _spec_metrics(), "innovation": _inn_metrics()}
    rules = [
        Rule("hi", "specialisation.lq", "strength", "LQ {value:.2f}", above=1.46),  # equal: no
        Rule("lo", "specialisation.lq", "weakness", "LQ {value:.2f}", below=1.4601),
        Rule("ex", "innovation.rates.exporter", "weakness", "x", below=0.5),  # equal: no
        Rule("sup", "innovation.rates.coop_suppliers", "weakness", "{value:.0%}", below=0.2),
        Rule("none", "innovation.rates.missing", "threat", "x", below=1),
        Rule("stars", "specialisation.stars", "weakness", "{value:.0f}", below=2),
    ]
    assert [r.id for r, _ in fired(rules, metrics)] == ["lo", "sup", "stars"]
    assert lookup(metrics, "innovation.rates.coop_suppliers").value == 0.189
    assert lookup(metrics, "segments.n_segments") is None


def test_bundled_rules_load_and_brief_numbers_come_from_metrics():
    rules = load_rules()
    assert len(rules) >= 10 and {r.swot for r in rules} == {
        "strength", "weakness", "opportunity", "threat"}  # fmt: skip
    metrics = {"specialisation": _spec_metrics(), "innovation": _inn_metrics()}
    page = render_brief("PL22", "Śląskie", metrics, rules)
    text = html.unescape(re.sub(r"<[^>]+>", "", page))
    assert "68,537" in text and "1.46 (95% CI 1.45–1.47)" in text
    assert "The region lost 5,730 jobs" in text  # regional shift -5,730: a loss, said once
    # the monitoring table credits each number to where it comes from
    assert "Cluster employment (persons)68,537Eurostat regional SBS" in text
    assert (
        "Product innovators among surveyed firms38.4% (95% CI 34.0%–42.9%)SYNTHETIC survey" in text
    )
    assert "38.4% (95% CI 34.0%–42.9%)" in text and "SYNTHETIC" in text
    assert "Only 9% of the region's product innovators cooperate" in text  # rule science-gap
    assert 'href="01.html#lq"' in page


@pytest.mark.parametrize(
    "text,pattern",
    [
        ("rules: [{id: a, metric: x.y, swot: strong, finding: f, below: 1}]", r"rule 1 \(a\), field 'swot'"),
        ("rules: [{id: a, metric: x.y, swot: threat, finding: f}]", r"rule 1 \(a\): give exactly one of"),
        ("rules: [{id: a, metric: x.y, swot: threat, finding: f, below: low}]", r"field 'below': expected a number"),
        ("rules: [{id: a, metric: x.y, swot: threat, finding: f, below: 1, colour: red}]", r"unknown field\(s\) \['colour'\]"),
        ("rules: {a: 1}", r"expected a mapping with a list under 'rules'"),
    ],
)  # fmt: skip
def test_rule_file_errors(tmp_path, text, pattern):
    p = tmp_path / "actions.yaml"
    p.write_text(text)
    with pytest.raises(DataFormatError, match=pattern):
        load_rules(p)


def test_term_labels():
    assert term_label("C(region)[T.PL12]") == "region PL12 (vs the reference region)"
    assert term_label("rd_inhouse", capital=True) == "In-house R&D in the last three years"
    assert term_label("np.log(employees / 50)").startswith("log employment")


def test_wilson_interval_matches_statsmodels():
    from statsmodels.stats.proportion import proportion_confint  # peer implementation

    for k, n in [(5, 20), (0, 12), (175, 456), (12, 12)]:
        low, high = proportion_confint(k, n, alpha=0.05, method="wilson")
        assert wilson_interval(k, n) == pytest.approx((low, high), abs=1e-12)


def test_math_is_prerendered_and_nothing_external():
    text = r"LQ $LQ_{ri} = \dfrac{x_{ri}}{x_{r.}}$ and $$\alpha = \frac{k}{k-1}$$, costs \$5"
    out = tex_to_mathml(text)
    assert out.count("<math") == 2 and "dfrac" not in out and r"\$5" in out
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# T\n\n$x_i$")]
    page = render_notebook(nb)
    assert "<math" in page and "cdnjs" not in page and "require" not in page.lower()


def test_flat_params_work_with_papermill_and_cli(capsys):
    merged = merged_parameters("PL21")
    declared = set().union(*(notebook_parameters(nb) for nb in NOTEBOOKS))
    from clusterlib.batch.params import BRIEF_KEYS

    # every notebook key is injectable by papermill -f; the brief's keys (language) are the batch's
    assert merged["region"] == "PL21" and set(merged) - set(BRIEF_KEYS) <= declared
    assert main(["params", "PL21"]) == 0
    out = capsys.readouterr().out
    assert "region: PL21" in out and "cluster: metal and machinery" in out and "name:" not in out


def test_batch_never_loads_the_analysis_layer():
    import subprocess
    import sys

    code = (
        "import sys, clusterlib.batch.runner, clusterlib.batch.brief, clusterlib.batch.report, "
        "clusterlib.batch.params, clusterlib.batch.render\n"
        "bad = [m for m in sys.modules if m.startswith(('clusterlib.specialisation', "
        "'clusterlib.innovation', 'clusterlib.segmentation', 'clusterlib.figures', "
        "'clusterlib.chapters.specialisation', 'clusterlib.chapters.innovation'))]\n"
        "print(bad)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
