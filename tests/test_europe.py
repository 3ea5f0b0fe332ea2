"""Europe-wide stars, the cluster over time and peer regions (issue: benchmark the cluster)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from clusterlib.errors import EmptySelectionError, OptionError
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


# --- peers by hand ------------------------------------------------------------------------------
#
# Focal PL22 employs 10, 30, 60 in three divisions: shares 0.1, 0.3, 0.6.
#   PL21 (20, 20, 60): Krugman |.1-.2| + |.3-.2| + 0 = 0.2; cosine 1 - .44 / sqrt(.46 * .44)
#   CZ08 (C24 unknown; 50, 50): compared over C25 and C26 only, PL22's shares renormalised to
#        1/3, 2/3 against 1/2, 1/2: Krugman 1/6 + 1/6 = 1/3; cosine 1 - .5 / sqrt(5/9 * 1/2).
#        Coverage: those divisions hold 90 of PL22's 100 persons (0.9 >= 0.8).
#   DE11 (5, 15, 30) and AT13 (1, 3, 6): PL22's shares exactly: distance 0, a tie.
#   FR10 (0, 0, 0): no employment to compare: NaN. ES30 (only C26 = 10): coverage 0.6: NaN.
PEERS = pd.DataFrame(
    [[10, 30, 60], [20, 20, 60], [np.nan, 50, 50], [5, 15, 30], [1, 3, 6], [0, 0, 0],
     [np.nan, np.nan, 10]],
    index=["PL22", "PL21", "CZ08", "DE11", "AT13", "FR10", "ES30"], columns=["C24", "C25", "C26"],
)  # fmt: skip


def test_structure_distances_by_hand():
    d = structure_distances(PEERS, region="PL22")
    want = [0.0, 0.2, 1 / 3, 0.0, 0.0, np.nan, np.nan]
    np.testing.assert_allclose(d.to_numpy(), want, rtol=1e-12, atol=1e-15)
    assert d.name == "krugman_distance" and d.index.tolist() == PEERS.index.tolist()
    c = structure_distances(PEERS, region="PL22", measure="cosine")
    want = [0.0, 1 - 0.44 / np.sqrt(0.46 * 0.44), 1 - 0.5 / np.sqrt(5 / 9 * 0.5), 0, 0, np.nan,
            np.nan]  # fmt: skip
    np.testing.assert_allclose(c.to_numpy(), want, rtol=1e-12, atol=1e-15)
    assert c.name == "cosine_distance"
    # CZ08's coverage is 0.9: kept at min_common 0.9, dropped just above
    assert structure_distances(PEERS, region="PL22", min_common=0.9)["CZ08"] == pytest.approx(1 / 3)
    assert np.isnan(structure_distances(PEERS, region="PL22", min_common=0.91)["CZ08"])
    # ES30's coverage is 0.6: kept at 0.6
    assert structure_distances(PEERS, region="PL22", min_common=0.6)["ES30"] == pytest.approx(0)
    with pytest.raises(
        EmptySelectionError, match=r"^region 'PL99' has no division data in this year\.$"
    ):
        structure_distances(PEERS, region="PL99")
    with pytest.raises(OptionError, match=r"^measure: expected 'krugman' or 'cosine', got 'l1'"):
        structure_distances(PEERS, region="PL22", measure="l1")


def test_peer_regions_by_hand():
    got = peer_regions(None, region="PL22", year=2014, n=3, wide=PEERS)
    # the tie at 0 is broken by region code: AT13 before DE11
    assert got["region"].tolist() == ["AT13", "DE11", "PL21"]
    np.testing.assert_allclose(got["distance"], [0, 0, 0.2], atol=1e-15)
    assert got["employment"].tolist() == [10.0, 50.0, 100.0]
    assert got["country"].tolist() == ["AT", "DE", "PL"]
    assert got["name"].tolist()[2] == "Małopolskie" and got.columns.tolist() == [
        "region", "name", "country", "distance", "employment",
    ]  # fmt: skip
    # within a factor 2 of PL22's 100 persons: 50 (DE11) is in, 10 (AT13) is out
    sized = peer_regions(None, region="PL22", year=2014, n=np.int64(3), size_ratio=2, wide=PEERS)
    assert sized["region"].tolist() == ["DE11", "PL21", "CZ08"]
    # more peers asked than there are: every comparable region, NaN distances left out
    every = peer_regions(None, region="PL22", year=2014, n=10, wide=PEERS, measure="cosine")
    assert every["region"].tolist() == ["AT13", "DE11", "PL21", "CZ08"]
    for kwargs, message in [
        (dict(n=0), "n: expected a positive number of peers, got 0."),
        (dict(n=2.5), "n: expected a positive number of peers, got 2.5."),
        (dict(n=True), "n: expected a positive number of peers, got True."),
        (dict(by="size"), "by: expected 'structure', got 'size'."),
        (dict(size_ratio=0.5), "size_ratio: expected a factor >= 1, got 0.5."),
    ]:
        with pytest.raises(OptionError) as err:
            peer_regions(None, region="PL22", year=2014, wide=PEERS, **kwargs)
        assert str(err.value) == message


def test_division_shares_are_the_filled_divisions_of_nuts2_regions(eurostat):
    from clusterlib.specialisation import prepare_cells

    small = eurostat[eurostat["region"].astype(str).str[:2].isin(["CZ", "SK"]).to_numpy()]
    got = division_shares(small, year=2013, policy="missing")
    cells = prepare_cells(small, years=2013, policy="missing")
    divisions = [i for i in cells["industry"].unique() if len(i) == 3 and i[1:].isdigit()]
    nuts2 = [r for r in cells["region"].unique() if len(r) == 4 and not r.endswith("ZZ")]
    keep = cells[cells["industry"].isin(divisions) & cells["region"].isin(nuts2)]
    want = keep.pivot(index="region", columns="industry", values="value")
    pd.testing.assert_frame_equal(got, want, check_names=False)
    assert len(got) == 12 and got.isna().any().any()  # 8 Czech + 4 Slovak regions; gaps kept
    assert not got.equals(division_shares(small, year=2013))  # the fill-in fills those gaps
