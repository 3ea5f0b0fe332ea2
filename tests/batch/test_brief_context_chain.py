"""The brief's key factors open with the official indicators and state the supplier links."""

from __future__ import annotations

import html
import re
import types

import pytest

from clusterlib.batch.brief import fired, load_rules, render_brief
from clusterlib.chapters.context import ContextChapter
from clusterlib.chapters.metrics import read_metrics, write_metrics
from clusterlib.chapters.value_chains import ValueChainChapter


@pytest.fixture(scope="module")
def metrics(tmp_path_factory):
    out = tmp_path_factory.mktemp("m")
    write_metrics(ContextChapter.build(region="PL34").metrics(), out)
    write_metrics(ValueChainChapter.build(region="PL34", cluster="metal processing").metrics(), out)
    return read_metrics(out / "metrics.json")


def test_the_key_factors_open_with_the_official_indicators(metrics):
    page = render_brief("PL34", "Podlaskie", metrics, load_rules())
    section = page.split("<h2>2. Key factors of development</h2>")[1].split("<h2>3.")[0]
    assert section.index("Official indicators") < section.index("Supplier and customer links")
    ctx = metrics["context"]
    for r in ctx.indicators:  # every row shows the value, the country's and the percentile
        label = re.escape(html.escape(r["label"]))  # R&D is written R&amp;D
        row = re.search(rf"<td>{label}</td><td>{r['year']}</td>(.*?)</tr>", section)
        assert row is not None, r["label"]
        assert f"{r['value']:,.1f}</a>" in row.group(1) and f"{r['country']:,.1f}" in row.group(1)
        assert f"{r['percentile']:.0f} (among {r['n_regions']})" in row.group(1)
    assert "NUTS 2021, regions PL84" in section


def test_the_supplier_links_state_the_chapter_numbers(metrics):
    page = render_brief("PL34", "Podlaskie", metrics, load_rules())
    vc = metrics["value_chains"]
    share, jobs = vc.local_input_share, vc.jobs_per_100
    assert f'<a href="05_value_chains.html#Local-inputs">{100 * share.value:.0f}%</a>' in page
    assert f"({100 * share.low:.0f}–{100 * share.high:.0f}% for δ 0.1–0.4)" in page
    assert f">{jobs.value:.0f}</a> jobs elsewhere in the region" in page
    assert vc.suppliers[0]["label"] in page


def test_the_value_chain_rules_fire_on_the_local_share(metrics):
    ids = {rule.id for rule, _ in fired(load_rules(), metrics)}
    share = metrics["value_chains"].local_input_share.value
    assert ("weak-local-supply" in ids) == (share < 0.5)
    assert ("strong-local-supply" in ids) == (share > 0.65)
    sold = metrics["value_chains"].sales_in_region.value
    assert ("customers-outside-region" in ids) == (sold < 0.2)


def test_customers_outside_the_region_by_hand():
    """The rule reads the central estimate of sales_in_region: 0.18 fires, 0.2 does not."""
    from clusterlib.chapters.metrics import Estimate

    (rule,) = [r for r in load_rules() if r.id == "customers-outside-region"]
    assert rule.swot == "weakness" and rule.below == 0.2

    def fires(value):
        vc = types.SimpleNamespace(sales_in_region=Estimate(value=value, low=0.1, high=0.3))
        return "customers-outside-region" in {r.id for r, _ in fired([rule], {"value_chains": vc})}

    assert fires(0.18) and not fires(0.2) and not fires(0.4)


def test_the_monitoring_indicators_gain_the_official_ones(metrics):
    page = render_brief("PL34", "Podlaskie", metrics, load_rules())
    monitoring = page.split("<h2>5. Monitoring indicators</h2>")[1].split("<h2>6.")[0]
    for r in metrics["context"].indicators:
        assert f"{r['value']:,.1f}</a></td><td>{r['year']}</td>" in monitoring
    assert monitoring.count("; NUTS 2021</td>") == len(metrics["context"].indicators)
