"""Notebook 04's chapter on the real data: every number it shows traces back to the measures."""

import numpy as np
import pandas as pd
import pytest

from clusterlib.chapters.metrics import read_metrics, write_metrics
from clusterlib.chapters.related import RelatedChapter
from clusterlib.io.cache import cached_table
from clusterlib.relatedness import colocation_relatedness, complexity, industry_matrix, presence


@pytest.fixture(scope="module")
def chapter():
    return RelatedChapter.build(region="PL22", cluster="metal processing", year=2014, n_boot=20)


@pytest.fixture(scope="module")
def wide():
    return cached_table(industry_matrix, policy="fill").loc[2014]


def test_related_table_is_the_mean_correlation_with_the_cluster(chapter, wide):
    corr = colocation_relatedness(wide)
    expected = corr.loc[:, ["C24", "C25"]].drop(index=["C24", "C25"]).mean(axis=1)
    expected = expected.sort_values(ascending=False)
    assert list(chapter.related.index[:10]) == list(expected.index[:10])
    np.testing.assert_allclose(chapter.related["colocation"], expected.loc[chapter.related.index])
    # PL22 2014 (recorded in the #12 closing note): machinery, electrical equipment, paper first
    assert list(chapter.related.index[:3]) == ["C28", "C27", "C17"]


def test_opportunities_follow_the_stated_rule(chapter, wide):
    m = presence(wide).loc["PL22"]
    opp = chapter.opportunities
    assert set(opp.index) == set(m.index[m == 0])
    top = chapter.top
    assert (top["pci"] > 0).all() and (top["density_pct"] >= opp["density_pct"].median()).all()
    assert not top.index.isin(chapter.codes).any()


def test_eci_rank_counts_regions_above(chapter, wide):
    eci = complexity(wide, missing="drop-regions").eci.dropna()
    eu, n_eu, nat, n_nat = chapter.eci_rank
    assert eu == int((eci > eci["PL22"]).sum()) + 1 and n_eu == len(eci)
    pl = eci[eci.index.str.startswith("PL")]
    assert nat == int((pl > pl["PL22"]).sum()) + 1 and n_nat == len(pl) == 16


def test_entry_ame_and_metrics_round_trip(chapter, tmp_path):
    a = chapter.density_ame
    assert a["ci_low"] < a["estimate"] < a["ci_high"]
    assert chapter.entry.attrs["start"] == 2008 and chapter.entry.attrs["end"] == 2015
    write_metrics(chapter.metrics(), tmp_path)
    back = read_metrics(tmp_path / "metrics.json")["relatedness"]
    assert back.entry_ame.value == pytest.approx(10 * a["estimate"])
    assert back.eci_rank_eu == chapter.eci_rank[0]
    assert [r["code"] for r in back.related] == list(chapter.related.index[:5])
    findings = chapter.findings()
    assert [f.key for f in findings] == [
        "related", "diversification", "complexity", "boundary", "io_links", "entry"]  # fmt: skip
    by_key = {f.key: f for f in findings}
    assert by_key["entry"].value == pytest.approx(100 * back.entry_ame.value)
    assert by_key["complexity"].value == pytest.approx(back.eci.value)
    assert by_key["related"].value == pytest.approx(back.related[0]["colocation"])
    text = chapter.findings_text()
    assert text.startswith("**Key findings for PL22 ") and "\n\n- **Related industries.**" in text
    assert chapter.to_markdown() == f"# {chapter.TITLE}\n\n{text}\n"
    assert f"rank {back.eci_rank_eu} of {back.n_eu}" in text
    assert f"{100 * back.entry_ame.value:+.1f} percentage points" in text


def test_data_cluster_holds_the_hand_codes(chapter):
    t = chapter.data_cluster()
    assert {"C24", "C25"} <= set(t.index)
    assert isinstance(chapter.comparison, pd.DataFrame)
    assert chapter.comparison.loc["metal processing", "hand"] == "C24, C25"


def test_the_clusters_own_divisions_are_never_a_diversification_opportunity():
    """Podlaskie lacks C24 (LQ < 1 in 2014): it is the cluster's core, not a path (issue 25)."""
    ch = RelatedChapter.build(region="PL34", cluster="metal processing", year=2014, n_boot=5)
    assert "C24" in ch.opportunities.index  # lacked, so it stays in the diagram ...
    assert not ch.top.index.isin(["C24", "C25"]).any()  # ... but is not proposed
    assert all(o["code"] not in ("C24", "C25") for o in ch.metrics().opportunities)


def test_the_evidence_behind_leaving_c24_out_of_metal_and_machinery():
    """params/clusters.yaml leaves C24 out of the real cluster on this evidence (issue 25 §2)."""
    ch = RelatedChapter.build(region="PL34", cluster="metal and machinery", year=2014, n_boot=50)
    assert ch.attachment["C24"] < 0.25  # rarely in one data cluster with C25, C28, C33
    assert (ch.attachment[["C27", "C22"]] > 0.5).all()  # the data's cluster is wider elsewhere
    row = ch.comparison.loc["metal and machinery"]
    assert "C24" not in row["attached"] and "C27" in row["attached"]  # hand is narrower, not C24


def test_io_evidence_traces_back_to_the_division_links(chapter, wide):
    from clusterlib.io.io_tables import load_wiod_poland
    from clusterlib.linkages import division_link_strength

    L = division_link_strength(load_wiod_poland().flows, divisions=wide.columns)
    pairs = chapter.io_pairs
    assert not pairs.index.isin(["C24", "C25"]).any() and len(pairs) == len(wide.columns) - 2
    np.testing.assert_allclose(pairs["io_link"], L.loc[pairs.index, ["C24", "C25"]].mean(axis=1))
    corr = colocation_relatedness(wide)
    np.testing.assert_allclose(pairs["colocation"],
                               corr.loc[pairs.index, ["C24", "C25"]].mean(axis=1))  # fmt: skip
    np.testing.assert_allclose(
        pairs["combined"], 0.5 * pairs["colocation"] + 0.5 * pairs["io_link"]
    )
    d = chapter.io_definition
    # the co-location column is the chapter's co-location definition
    assert (d["cluster_colocation"] == chapter.definition["cluster"].reindex(d.index)).all()
    t = chapter.io_cluster_table()
    assert {"C24", "C25"} <= set(t.index) and t.loc["C25", "in hand definition"] == "yes"
    io = next(f for f in chapter.findings() if f.key == "io_links")
    assert io.value == pytest.approx(pairs["io_link"].max())
    assert set(chapter.tables()) >= {"io_cluster_definition", "io_links"}


@pytest.mark.parametrize("weight", [-0.1, 1.5])
def test_io_weight_is_checked_as_a_run_parameter(weight):
    from clusterlib.batch.params import check_parameters
    from clusterlib.errors import ParameterError

    with pytest.raises(ParameterError, match=r"key 'io_weight': expected the weight of the input"):
        check_parameters("04_related_industries", {"region": "PL22", "io_weight": weight})
    check_parameters("04_related_industries", {"region": "PL22", "io_weight": 0})
