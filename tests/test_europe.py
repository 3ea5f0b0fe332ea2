"""Europe-wide stars, the cluster over time and peer regions (issue: benchmark the cluster)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from clusterlib.errors import OptionError
from clusterlib.specialisation.europe import _top, rank_in, star_table
from clusterlib.specialisation.peers import division_shares, peer_regions, structure_distances
from clusterlib.specialisation.series import cluster_series, growth_rates, trend_extrapolation

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def stars(eurostat):
    return star_table(eurostat, year=2014)


def test_top_decile_cut_by_hand_including_ties():
    g = pd.Series("EU", index=range(10))
    # numpy's linear quantile of 1..10 at 0.9: position 8.1 -> 9 + 0.1 * (10 - 9) = 9.1
    cut, star = _top(pd.Series(np.arange(1.0, 11.0)), g, 0.9)
    assert cut.iloc[0] == pytest.approx(9.1) and star.tolist() == [False] * 9 + [True]
    # a tie at the cut: 1..9, 9 -> position 8.1 between 9 and 9 = 9; both 9s reach it
    cut, star = _top(pd.Series([1.0, 2, 3, 4, 5, 6, 7, 8, 9, 9]), g, 0.9)
    assert cut.iloc[0] == 9.0 and star.tolist() == [False] * 8 + [True, True]
    # a missing value never gets a star and does not move the cut (1..9 -> 8.2)
    cut, star = _top(pd.Series([1.0, 2, 3, 4, 5, 6, 7, 8, 9, np.nan]), g, 0.9)
    assert cut.iloc[0] == pytest.approx(8.2) and star.tolist() == [False] * 8 + [True, False]


def test_wages_per_person_by_hand(stars):
    # raw cells of sbs_r_nuts06_r2, PL22, 2014: wages and salaries (V13320, million EUR)
    # C24 302.2 + C25 434.7 = 736.9; persons employed (V16110) C24 23,040 + C25 45,497 = 68,537
    row = stars[(stars.region == "PL22") & (stars.cluster == "metal processing")].iloc[0]
    assert row["wages_per_person"] == pytest.approx(736.9e6 / 68537, rel=1e-12)
    assert row["employment"] == 68537


def test_europe_wide_stars_and_thresholds(stars):
    m = stars[stars.cluster == "metal processing"]
    rated = m.dropna(subset=["employment", "region_total"])
    # the size cut is the 90th percentile of cluster employment over every rated EU region
    assert m["size_cut"].nunique() == 1
    assert m["size_cut"].iloc[0] == pytest.approx(np.quantile(rated["employment"], 0.9))
    assert (m["size_star"] == (m["employment"] >= m["size_cut"])).all()
    assert (m["specialisation_star"] == (m["lq"] >= 2)).all() and (m["lq_cut"] == 2).all()
    pl22 = m.set_index("region").loc["PL22"]
    assert bool(pl22["size_star"]) and pl22["stars"] == 1  # 68,537 persons: top 10% in Europe
    # the Europe-wide rule gives stars that the national one does not (issue's check)
    national = star_table(_data(), year=2014, reference="country")
    n = national[national.cluster == "metal processing"].set_index("region")["stars"]
    e = m.set_index("region")["stars"]
    pl = [r for r in n.index if r.startswith("PL")]
    assert (n.loc[pl] != e.loc[pl]).sum() >= 2
    assert (national["reference"] == "country").all()
    assert rank_in(stars, region="PL22", cluster="metal processing")["country"] == 1


def _data():
    from clusterlib import load_eurostat

    return load_eurostat()


def test_series_equals_raw_cells(eurostat):
    s = cluster_series(eurostat, region="PL22", cluster="metal processing")
    r = s.xs("PL22", level="area")
    # raw cells, PL22 2008: V16110 C24 28,617 + C25 45,414; V11210 249 + 3,859;
    # V13320 376.7 + 408.7 million EUR
    assert r.loc[2008, "employment"] == 28617 + 45414
    assert r.loc[2008, "local_units"] == 249 + 3859
    assert r.loc[2008, "unit_size"] == pytest.approx((28617 + 45414) / (249 + 3859))
    assert r.loc[2008, "wages_per_person"] == pytest.approx(785.4e6 / 74031)
    g = growth_rates(s)
    assert g.loc["PL22", "cagr"] == pytest.approx((70697 / 74031) ** (1 / 7) - 1)
    assert s.attrs["n_regions"]["PL"] == 16


def test_trend_extrapolation_matches_statsmodels(eurostat):
    import statsmodels.api as sm  # peer implementation of the OLS prediction interval

    s = cluster_series(eurostat, region="PL22", cluster="metal processing")
    tr = trend_extrapolation(s, area="PL22", horizon=2020)
    y = np.log(s.xs("PL22", level="area")["employment"])
    X = sm.add_constant(y.index.to_numpy(float))
    pred = sm.OLS(y.to_numpy(), X).fit().get_prediction(np.array([[1.0, 2020.0]]))
    low, high = pred.conf_int(obs=True, alpha=0.05)[0]
    assert tr.loc[2020, "low"] == pytest.approx(np.exp(low), rel=1e-9)
    assert tr.loc[2020, "high"] == pytest.approx(np.exp(high), rel=1e-9)


def test_peer_distances_symmetric_and_order_free(eurostat):
    wide = division_shares(eurostat, year=2014)
    d = structure_distances(wide, region="PL22")
    back = structure_distances(wide, region="CZ08")
    assert d["CZ08"] == pytest.approx(back["PL22"], rel=1e-12)
    shuffled = wide.sample(frac=1.0, random_state=1)
    pd.testing.assert_series_equal(structure_distances(shuffled, region="PL22").sort_index(),
                                   d.sort_index())  # fmt: skip
    assert d["PL22"] == 0
    peers = peer_regions(eurostat, region="PL22", year=2014, n=5)
    assert len(peers) == 5 and "PL22" not in set(peers["region"])
    assert peers["distance"].is_monotonic_increasing
    with pytest.raises(OptionError, match="measure"):
        structure_distances(wide, region="PL22", measure="euclid")
    with pytest.raises(OptionError, match="size_ratio"):
        peer_regions(eurostat, region="PL22", year=2014, size_ratio=0.5)


def test_chapter_exports_are_complete_and_byte_reproducible(tmp_path):
    import pandas as pd

    from clusterlib.chapters.europe import EuropeChapter

    ch = EuropeChapter.build(
        region="PL22", cluster="metal processing", year=2014, start_year=2009, horizon=2020
    )
    ch.export(tmp_path / "a")
    ch.export(tmp_path / "b")
    names = sorted(p.name for p in (tmp_path / "a" / "exports").iterdir())
    assert "PL22_tables.xlsx" in names and "peers_benchmark.csv" in names
    for name in names:
        assert (tmp_path / "a" / "exports" / name).read_bytes() == (
            tmp_path / "b" / "exports" / name
        ).read_bytes()
    sheets = pd.read_excel(tmp_path / "a" / "exports" / "PL22_tables.xlsx", sheet_name=None)
    assert set(sheets) == {n.removesuffix(".csv")[:31] for n in names if n.endswith(".csv")}
    m = ch.metrics()
    assert m["eu_stars"] == 1 and m["eu_star_detail"]["size"] and len(m["peers"]) == 10
    assert "not a forecast" in ch.findings()


@pytest.mark.parametrize(
    "region,why",
    [
        ("FR10", "the country has no region with data in every year"),
        ("EL51", "fewer than 3 years of data: no trend"),
        ("LU00", "a region of the country without a total: no shift-share"),
    ],
)
def test_chapters_build_for_awkward_regions(region, why):
    # found by running `clusterlib run --nuts2 all` for real: each of these failed before
    from clusterlib.chapters.europe import EuropeChapter
    from clusterlib.chapters.specialisation import SpecialisationChapter

    kw = dict(region=region, cluster="metal processing", year=2014, start_year=2009)
    ch = SpecialisationChapter.build(**kw)
    eu = EuropeChapter.build(**kw, horizon=2020)
    assert eu.indexed_areas().columns[0] == region
    assert region in ch.findings() and "Europe" in eu.findings()
    if region == "EL51":
        assert eu.trend is None and "No trend" in eu.findings()
    if region == "LU00":
        assert ch.shift is None and "region_total_start" in ch.shift_note
