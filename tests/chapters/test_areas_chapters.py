"""A cluster area in chapters 01 and 04 and in the batch (issue 25 §1 and §3).

The area PL-NE = PL34 Podlaskie + PL62 Warmińsko-Mazurskie + PL31 Lubelskie.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

import clusterlib as cl

NE = ["PL34", "PL62", "PL31"]
#: The business economy of the specialisation table: sections B-N without K, plus S95.
SECTIONS = ["B", "C", "D", "E", "F", "G", "H", "I", "J", "L", "M", "N", "S95"]
Z = 1.959963984540054


def _raw(eurostat, regions, industries):
    e = eurostat[(eurostat["year"] == 2014) & (eurostat["indicator"] == "V16110")]
    e = e[e["region"].isin(regions) & e["industry"].isin(industries)]
    return e.pivot(index="region", columns="industry", values="value")


@pytest.mark.parametrize("policy", ["fill", "complete-sections"])
def test_the_area_lq_and_interval_from_the_raw_cells(eurostat, policy):
    # Hand calculation from the raw cells of the bundled file (persons employed, 2014):
    #   x  = C28 of PL34 + PL62 + PL31 = 4,120 + 4,183 + 5,693 = 13,996 (all three known)
    #   xr = the members' business economy: the sum of their sections (all known in the three);
    #        under complete-sections only the sections known in every Polish region: B (PL11,
    #        PL12, PL42, PL43), D (PL42, PL43) and E (PL11, PL12) are confidential somewhere, so
    #        they are left out of every base
    #   xi = C28 of Poland = the sum over its 16 regions (all known) = 118,356
    #   xt = Poland's business economy: under fill the confidential cells are filled so that the
    #        regions add up to the country, so xt = the sum of PL's own section cells; under
    #        complete-sections, the sum of the 16 regions' known sections (B, D, E left out)
    #   LQ = (x / xr) / (xi / xt); se(ln LQ) = sqrt(1/x - 1/xr - 1/xi + 1/xt); CI = LQ e^(±1.96 se)
    kept = SECTIONS if policy == "fill" else [s for s in SECTIONS if s not in ("B", "D", "E")]
    members = _raw(eurostat, NE, ["C28", *kept])
    regions = _raw(eurostat, [f"PL{c}" for c in (11, 12, 21, 22, 31, 32, 33, 34, 41, 42, 43,
                                                 51, 52, 61, 62, 63)], ["C28", *kept])  # fmt: skip
    x = members["C28"].sum()
    assert x == 13996.0
    xr = members[kept].to_numpy().sum()
    xi = regions["C28"].sum()
    assert xi == 118356.0
    if policy == "fill":
        xt = _raw(eurostat, ["PL"], kept).to_numpy().sum()
    else:
        xt = regions[kept].to_numpy().sum()
        assert not np.isnan(xt)
    lq = (x / xr) / (xi / xt)
    se = math.sqrt(1 / x - 1 / xr - 1 / xi + 1 / xt)
    t = cl.specialisation_table(eurostat, years=2014, countries="PL", industries=["C28"],
                                policy=policy, areas={"PL-NE": NE})  # fmt: skip
    row = t[(t["region"] == "PL-NE") & (t["industry"] == "C28")].iloc[0]
    assert (row["count"], row["region_total"]) == (x, xr)
    assert (row["industry_total"], row["grand_total"]) == (xi, xt)
    assert row["lq"] == pytest.approx(lq, rel=1e-12)
    assert row["se_log"] == pytest.approx(se, rel=1e-12)
    assert row["lq_low"] == pytest.approx(lq * math.exp(-Z * se), rel=1e-12)
    assert row["lq_high"] == pytest.approx(lq * math.exp(Z * se), rel=1e-12)


@pytest.fixture(scope="module")
def pl_cluster(eurostat):
    return cl.specialisation_table(eurostat, years=2014, countries="PL", industries=["C28"],
                                   clusters={"mm": ["C25", "C28", "C33"]}, areas={})  # fmt: skip


def test_a_one_member_area_equals_its_region(pl_cluster):
    from clusterlib.specialisation.areas import area_rows

    one = area_rows(pl_cluster, {"X-PL34": ["PL34"]}).set_index("industry")
    region = pl_cluster[pl_cluster["region"] == "PL34"].set_index("industry")
    cols = ["count", "region_total", "industry_total", "grand_total", "lq", "se_log", "lq_low",
            "lq_high", "significant", "status"]  # fmt: skip
    pd.testing.assert_frame_equal(one.loc[region.index, cols], region[cols], check_dtype=False)


def test_member_order_changes_nothing(pl_cluster):
    from clusterlib.chapters.areas import collapse, members_table
    from clusterlib.specialisation.areas import area_rows

    a = area_rows(pl_cluster, {"PL-NE": NE}).drop(columns="region")
    b = area_rows(pl_cluster, {"PL-NE": NE[::-1]}).drop(columns="region")
    pd.testing.assert_frame_equal(a, b)
    c1 = collapse(pl_cluster, "PL-NE", NE, reference="country").sort_values(["region", "industry"])
    c2 = collapse(pl_cluster, "PL-NE", ["PL31", "PL34", "PL62"], reference="country")
    pd.testing.assert_frame_equal(c1.reset_index(drop=True),
                                  c2.sort_values(["region", "industry"]).reset_index(drop=True))  # fmt: skip
    m1 = members_table(pl_cluster, "PL-NE", NE, cluster="mm", year=2014)
    m2 = members_table(pl_cluster, "PL-NE", NE[::-1], cluster="mm", year=2014)
    pd.testing.assert_frame_equal(m1, m2.loc[m1.index])


def test_collapsing_keeps_every_national_sum(pl_cluster):
    from clusterlib.chapters.areas import collapse

    c = collapse(pl_cluster, "PL-NE", NE, reference="country")
    assert not set(NE) & set(c["region"]) and "PL-NE" in set(c["region"])
    for col in ("count", "region_total"):
        assert c.groupby("industry")[col].sum().to_dict() == pytest.approx(
            pl_cluster.groupby("industry")[col].sum().to_dict()
        )


@pytest.fixture(scope="module")
def spec():
    from clusterlib.chapters.specialisation import SpecialisationChapter

    return SpecialisationChapter.build(region="PL-NE", cluster="metal and machinery", year=2014,
                                       start_year=2009, horizon=2020)  # fmt: skip


def test_chapter_01_for_the_area_gives_finite_numbers(spec):
    m = spec.metrics()
    for est in (m.employment, m.share, m.lq, m.eu_lq, m.change, m.regional_shift, m.growth_region):
        assert est.value is not None and math.isfinite(est.value)
    assert m.lq.low < m.lq.value < m.lq.high
    # the members table: each member's share of the area's cluster, summing to 1, and its own LQ
    share = spec.members_share
    assert list(share.index) == NE and share["share_of_area"].sum() == pytest.approx(1.0)
    assert (share["count"].sum(), spec.row["count"]) == (m.employment.value, m.employment.value)
    own = spec.by_region.loc[NE, "lq"]
    assert share["lq"].to_list() == own.to_list()
    # the area's LQ is its summed counts', not the mean of its members' LQs
    pl34 = spec.by_region.loc["PL34"]
    national = pl34["count"] / pl34["region_total"] / pl34["lq"]  # Poland's share of the cluster
    assert spec.row["lq"] == pytest.approx(spec.row["count"] / spec.row["region_total"] / national)
    assert not spec.row["lq"] == pytest.approx(share["lq"].mean())
    findings = "\n".join(f.text for f in spec.findings())
    assert "PL-NE is a cluster area" in findings and "size star is not rated" in findings


def test_area_rows_stay_out_of_the_national_comparison(spec):
    from clusterlib.specialisation.stars import cluster_stars

    regions = spec.by_region.drop(index="PL-NE")
    assert len(regions) == 16
    alone = cluster_stars(regions["count"], regions["region_total"])
    pd.testing.assert_frame_equal(spec.stars.drop(index="PL-NE"), alone)  # thresholds without it
    assert not spec.stars.loc["PL-NE", "size_star"]
    # the rank is among the units of Poland with the area in place of its members: 16 - 3 + 1
    assert spec.n_units == 14
    better = (regions.drop(index=NE)["lq"] > spec.row["lq"]).sum()
    assert spec.rank == better + 1
    # the shift-share's national growth is Poland's (the same national share as a member's)
    sh = spec.shift.loc["metal and machinery"]
    assert sh["change"] == sh["end"] - sh["start"]


def test_the_european_part_rates_the_area_against_nuts2_cuts(spec):
    eu = spec.europe
    stars = eu.stars[eu.stars["cluster"] == "metal and machinery"]
    row = stars[stars["region"] == "PL-NE"].iloc[0]
    members = stars[stars["region"].isin(NE)]
    assert row["employment"] == members["employment"].sum()
    assert row["region_total"] == members["region_total"].sum()
    nuts2 = stars[stars["region"].str.len() == 4]
    assert row["size_cut"] == nuts2["size_cut"].iloc[0] and not row["size_star"]
    # LQ against Europe from the sums: members' focus / LQ is Europe's share of the cluster
    europe_share = (members["focus"] / members["lq"]).iloc[0]
    assert row["lq"] == pytest.approx(row["employment"] / row["region_total"] / europe_share)
    assert row["lq"] == pytest.approx(spec.eu.loc["PL-NE", "lq"])
    # the series of the area is its members' sum; the country is not counted twice
    s = eu.series.xs("PL-NE", level="area")["employment"]
    assert s.loc[2014] == row["employment"]
    assert eu.series.attrs["n_regions"]["PL"] <= 16
    # peers: no member of the area is its own peer
    assert not set(NE) & set(eu.peers["region"]) and len(eu.peers) == 10
    assert np.isfinite(eu.benchmark["distance"]).all()


@pytest.fixture(scope="module")
def related():
    from clusterlib.chapters.related import RelatedChapter

    return RelatedChapter.build(region="PL-NE", cluster="metal and machinery", year=2014)


def test_chapter_04_for_the_area_gives_finite_numbers(related):
    m = related.metrics()
    assert math.isfinite(m.eci.value) and m.eci_rank_eu is not None
    # the ECI is computed with the area in place of its members
    assert "PL-NE" in related.eci.index and not set(NE) & set(related.eci.index)
    assert m.n_country == 16 - 3 + 1
    assert related.top["density_pct"].between(0, 100).all()
    # the cluster's own divisions are never a diversification opportunity
    assert not set(related.codes) & set(related.top.index)
    assert any(
        f.text.startswith("**Cluster area.** PL-NE is the sum of PL34, PL62, PL31")
        for f in related.findings()
    )


def test_area_specialisations_are_those_of_its_summed_employment(related):
    from clusterlib.io.cache import cached_table
    from clusterlib.relatedness import industry_matrix

    # RCA = (x_Ai / x_A.) / (x_.i / x_..), x_A = the members' summed employment; the European
    # totals are the NUTS2 regions' (unchanged by the area); M = 1 where RCA >= 1
    wide = cached_table(industry_matrix, policy="fill").loc[2014]
    x = wide.loc[NE].sum()
    rca = (x / x.sum()) / (wide.sum() / np.nansum(wide.to_numpy()))
    shown = related.related["rca_region"]
    assert shown.to_numpy() == pytest.approx(rca.reindex(shown.index).to_numpy(), rel=1e-12)
    m = (rca >= 1).astype(float).reindex(related.specialised.index)
    assert (related.specialised == m).all() and 0 < m.sum() < len(m)


def test_the_batch_runs_an_area_with_every_notebook():
    from clusterlib.batch.params import NOTEBOOKS, build_jobs

    jobs = build_jobs(["PL-NE", "PL34"])
    area = [j for j in jobs if j.region == "PL-NE"]
    assert [j.notebook for j in area] == list(NOTEBOOKS)  # no more than a region's run
    assert area[0].name.startswith("North-east Poland") and area[0].parameters["region"] == "PL-NE"
    assert area[0].parameters["cluster"] == "metal and machinery"


def test_the_index_map_outlines_the_members_of_an_area(tmp_path, monkeypatch):
    import clusterlib.figures.maps as maps

    seen = {}

    def fake(values, **kw):
        seen.update(values=values, **kw)
        import matplotlib.pyplot as plt

        return plt.figure()

    monkeypatch.setattr(maps, "choropleth", fake)
    metrics = {"PL-NE": {"specialisation": {"lq": {"value": 0.9}}},
               "PL34": {"specialisation": {"lq": {"value": 0.8}}}}  # fmt: skip
    assert maps.index_map(tmp_path, metrics) == "index_map.png"
    assert seen["focal"] == NE and "PL-NE" not in seen["values"].index
    # PL34 keeps its own value; the members not in the batch take the area's
    assert seen["values"].to_dict() == {"PL34": 0.8, "PL62": 0.9, "PL31": 0.9}


def test_make_run_runs_the_area_first_and_every_voivodeship(tmp_path, monkeypatch, capsys):
    import clusterlib.batch.runner as runner
    from clusterlib.batch.params import NOTEBOOKS
    from clusterlib.cli import main

    seen = []

    def fake(jobs, **kw):
        seen.extend(jobs)
        return []

    monkeypatch.setattr(runner, "run_batch", fake)
    assert main(["run", "--all", "--out", str(tmp_path / "r"), "--no-progress"]) == 0
    regions = list(dict.fromkeys(j.region for j in seen))
    assert regions[0] == "PL-NE" and len(regions) == 1 + 16
    assert all(r.startswith("PL") and len(r) == 4 for r in regions[1:])
    # the area costs one region's run: the same notebooks
    assert sum(j.region == "PL-NE" for j in seen) == len(NOTEBOOKS) == len(seen) / 17


def test_the_index_lists_the_area_first_with_its_members(tmp_path):
    import json

    from clusterlib.batch.report import write_index

    for reg, lq in (("PL-NE", 0.89), ("PL34", 0.86)):
        (tmp_path / reg).mkdir()
        (tmp_path / reg / ".01_specialisation.metrics.json").write_text(
            json.dumps(
                {
                    "specialisation": {
                        "lq": {"value": lq},
                        "cluster": "metal and machinery",
                        "codes": ["C25", "C28", "C33"],
                        "year": 2014,
                    }
                }
            )
        )
    results = [{"region": r, "notebook": "01_specialisation", "name": n, "parameters": {},
                "status": "ok", "error": "", "files": ["01_specialisation.html"]}
               for r, n in (("PL-NE", "North-east Poland"), ("PL34", "Podlaskie"))]  # fmt: skip
    seen = {}

    def figure(out, metrics):
        seen.update(metrics)
        return "index_map.png"

    page = write_index(tmp_path, results, index_figure=figure).read_text(encoding="utf-8")
    assert page.index("North-east Poland") < page.index("Podlaskie")
    assert "cluster area of PL34 + PL62 + PL31" in page
    assert "Black outline: the members of a cluster area of the batch." in page
    assert list(seen) == ["PL-NE", "PL34"]
    # a batch of regions only says nothing of areas
    page = write_index(tmp_path, results[1:], index_figure=figure).read_text(encoding="utf-8")
    assert "cluster area" not in page and "Black outline" not in page


def test_clusterlib_summary_takes_an_area(tmp_path, capsys):
    from clusterlib.cli import main

    assert main(["summary", "PL-NE", "--out", str(tmp_path)]) == 0
    text = capsys.readouterr().out
    assert "# Specialisation summary: PL-NE North-east Poland" in text
    assert "PL-NE is a cluster area: the sum of PL34, PL62, PL31" in text
    assert (tmp_path / "PL-NE_specialisation_2014.md").exists()
