"""Europe-wide stars, the cluster over time and peer regions (issue: benchmark the cluster)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from clusterlib.errors import EmptySelectionError, OptionError, UnknownCodeError
from clusterlib.specialisation.europe import _top, rank_in, star_table
from clusterlib.specialisation.peers import division_shares, peer_regions, structure_distances
from clusterlib.specialisation.series import (
    cluster_series,
    growth_rates,
    indexed,
    trend_extrapolation,
)

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

    from clusterlib.chapters.specialisation import SpecialisationChapter

    ch = SpecialisationChapter.build(
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
    m = ch.europe.metrics()
    assert m.eu_stars == 1 and m.eu_star_detail["size"] and len(m.peers) == 10
    f = {x.key: x for x in ch.europe.findings()}
    assert "not a forecast" in f["trend"].text
    assert f["trend"].value == pytest.approx(ch.europe.trend["trend"].iloc[-1])
    assert f["eu_stars"].value == m.eu_stars and f["eu_rank"].value == ch.europe.ranks["europe"]
    assert f["growth"].value == pytest.approx(m.growth_region.value)


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
    from clusterlib.chapters.specialisation import SpecialisationChapter

    kw = dict(region=region, cluster="metal processing", year=2014, start_year=2009)
    ch = SpecialisationChapter.build(**kw, horizon=2020)
    eu = ch.europe
    assert eu.indexed_areas().columns[0] == region
    region_text = " ".join(f.text for f in ch.region_findings())
    europe_text = " ".join(f.text for f in eu.findings())
    assert region in region_text and "Europe" in europe_text
    if region == "EL51":
        assert eu.trend is None and "No trend" in europe_text
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
    with pytest.raises(EmptySelectionError, match=r"^region 'PL11' has no division data in this"):
        structure_distances(PEERS, region="PL11")  # a real NUTS2 region, not in the data
    with pytest.raises(UnknownCodeError, match=r"unknown region 'PL99': no NUTS 2013 level-2"):
        structure_distances(PEERS, region="PL99")  # no such region at all
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


# --- the star rating by hand ----------------------------------------------------------------------
#
# Cluster "m" = C24 + C25 in four regions, rated in 2014 from 2009 at the median (quantile 0.5)
# so that every cut is a middle value. The table rows are what specialisation_table gives; the raw
# cells (wages V13320 in million EUR, persons V16110, local units V11210) are summed per cluster.
#
#          employment  region    2009   wages      persons  units   focus  wages per person
#                      total            (C24+C25)
#   AT11   100         1000      80     2 + 3      40 + 60  2 + 3   0.10   5e6 / 100 = 50,000
#   AT12   300         1000      300    3 + 6      100+200  5 + 5   0.30   9e6 / 300 = 30,000
#   PL21   200         4000      100    1 + 1      150+50   10+10   0.05   2e6 / 200 = 10,000
#   PL22   unknown     2000      50     0.5 + ?    ? + 10   1 + 1   -      -
#
# Europe (one comparison set): productivity relative to 16e6 / 600 = 26,666.67 per person:
# AT11 1.875, AT12 1.125, PL21 0.375. Growth 2009-2014: AT11 1.25^(1/5) - 1, AT12 0, PL21
# 2^(1/5) - 1; the set's 600 / 480 = 1.25 too, so AT11's relative growth is exactly 0 (a tie at
# the median cut 0: it gets the star). Cuts: size median(100, 300, 200) = 200, focus 0.10,
# productivity 1.125, dynamism 0; LQ >= 2: AT12 only.
STAR_TABLE = pd.DataFrame(
    {
        "region": ["AT11", "AT12", "PL21", "PL22"] * 2,
        "industry": "m",
        "country": ["AT", "AT", "PL", "PL"] * 2,
        "year": [2014] * 4 + [2009] * 4,
        "count": [100, 300, 200, np.nan, 80, 300, 100, 50],
        "region_total": [1000, 1000, 4000, 2000, 900, 1000, 3000, 2000],
        "lq": [1.0, 3.0, 0.5, np.nan, 1.0, 3.0, 0.5, 0.4],
    }
)


def _star_cells():
    rows = []
    for region, wages, persons, units in [
        ("AT11", (2, 3), (40, 60), (2, 3)),
        ("AT12", (3, 6), (100, 200), (5, 5)),
        ("PL21", (1, 1), (150, 50), (10, 10)),
        ("PL22", (0.5, np.nan), (np.nan, 10), (1, 1)),
    ]:
        for indicator, values in (("V13320", wages), ("V16110", persons), ("V11210", units)):
            for industry, v in zip(("C24", "C25"), values, strict=True):
                rows.append((region, industry, indicator, 2014, float(v), ""))
                rows.append((region, industry, indicator, 2009, 1.0, ""))  # not read
    return pd.DataFrame(rows, columns=["region", "industry", "indicator", "year", "value", "flag"])


def test_star_table_by_hand_europe():
    got = star_table(_star_cells(), clusters={"m": ["C24", "C25"]}, year=2014, start_year=2009,
                     quantile=0.5, table=STAR_TABLE).set_index("region")  # fmt: skip
    assert got.index.tolist() == ["AT11", "AT12", "PL21", "PL22"]
    np.testing.assert_allclose(got["focus"], [0.1, 0.3, 0.05, np.nan])
    np.testing.assert_allclose(got["wages_per_person"], [50_000, 30_000, 10_000, np.nan])
    np.testing.assert_allclose(got["local_units"], [5, 10, 20, 2])
    np.testing.assert_allclose(got["unit_size"], [20, 30, 10, np.nan])  # PL22: persons unknown
    np.testing.assert_allclose(got["productivity"], [1.875, 1.125, 0.375, np.nan])
    g = [1.25**0.2 - 1, 0.0, 2**0.2 - 1, np.nan]
    np.testing.assert_allclose(got["growth"], g, atol=1e-15)
    np.testing.assert_allclose(got["growth_relative"], 100 * (np.array(g) - g[0]), atol=1e-12)
    assert got.loc["AT11", "growth_relative"] == 0.0
    cuts = got[["size_cut", "lq_cut", "focus_cut", "productivity_cut", "dynamism_cut"]]
    np.testing.assert_allclose(cuts.drop_duplicates().to_numpy(), [[200, 2, 0.1, 1.125, 0]],
                               atol=1e-15)  # fmt: skip
    stars = got[["size_star", "specialisation_star", "focus_star", "productivity_star",
                 "dynamism_star"]].astype(int)  # fmt: skip
    assert stars.to_numpy().tolist() == [
        [0, 0, 1, 1, 1],  # AT11: focus at the cut, productivity, growth tied at the cut
        [1, 1, 1, 1, 0],
        [1, 0, 0, 0, 1],
        [0, 0, 0, 0, 0],  # PL22: no employment, no star
    ]
    # PL22's cluster employment is unknown: not rated (NaN), never 0 stars
    np.testing.assert_array_equal(got["stars"], [1, 3, 1, np.nan])
    np.testing.assert_array_equal(got["performance_stars"], [2, 1, 1, np.nan])
    assert got["rated"].tolist() == [True, True, True, False]
    assert set(got["reference"]) == {"eu"} and set(got["start_year"]) == {2009}
    assert got.attrs == {"years": [2014], "reference": "eu", "quantile": 0.5, "lq_threshold": 2.0}
    # ranks among the regions with employment: AT12 300 > PL21 200 > AT11 100
    ranked = got.reset_index()
    assert rank_in(ranked, region="PL21", cluster="m") == {
        "europe": 2, "n_europe": 3, "country": 1, "n_country": 1,
    }  # fmt: skip
    assert rank_in(ranked, region="AT11", cluster="m", by="focus") == {
        "europe": 2, "n_europe": 3, "country": 2, "n_country": 2,
    }  # fmt: skip
    assert rank_in(ranked, region="PL22", cluster="m") == {
        "europe": None, "n_europe": 3, "country": None, "n_country": None,
    }  # fmt: skip


def test_star_table_by_hand_within_countries():
    # Austria: productivity against 14e6 / 400 = 35,000 (AT11 10/7, AT12 6/7, cut their mean 8/7);
    # growth against (400 / 380)^(1/5) - 1; size cut 200, focus cut 0.2. Poland: PL21 alone, at
    # every cut (relative growth 0, productivity 1) except LQ >= 1.5.
    got = star_table(_star_cells(), clusters={"m": ["C24", "C25"]}, year=[2014], start_year=2009,
                     quantile=0.5, lq_threshold=1.5, reference="country",
                     table=STAR_TABLE).set_index("region")  # fmt: skip
    np.testing.assert_allclose(got["productivity"], [10 / 7, 6 / 7, 1.0, np.nan], rtol=1e-12)
    ref_at = (400 / 380) ** 0.2 - 1
    rel = [100 * (1.25**0.2 - 1 - ref_at), -100 * ref_at, 0.0, np.nan]
    np.testing.assert_allclose(got["growth_relative"], rel, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(got["size_cut"], [200, 200, 200, 200])
    np.testing.assert_allclose(got["focus_cut"], [0.2, 0.2, 0.05, 0.05])
    np.testing.assert_allclose(got["productivity_cut"], [8 / 7, 8 / 7, 1, 1], rtol=1e-12)
    np.testing.assert_allclose(got["dynamism_cut"], [(rel[0] + rel[1]) / 2] * 2 + [0, 0],
                               rtol=1e-12, atol=1e-12)  # fmt: skip
    # AT12: LQ 3 >= 1.5; PL21: size, focus; PL22 (employment unknown): not rated
    np.testing.assert_array_equal(got["stars"], [0, 3, 2, np.nan])
    np.testing.assert_array_equal(got["performance_stars"], [2, 0, 2, np.nan])
    assert set(got["reference"]) == {"country"} and set(got["lq_cut"]) == {1.5}


def test_star_table_start_year_default_and_errors():
    cells = _star_cells()
    # default start: five years back, or the first year of the data
    got = star_table(cells, clusters={"m": ["C24", "C25"]}, year=2014, table=STAR_TABLE)
    assert set(got["start_year"]) == {2009}
    short = STAR_TABLE.assign(year=STAR_TABLE["year"].replace({2009: 2012}))
    got = star_table(cells.assign(year=cells["year"].replace({2009: 2012})),
                     clusters={"m": ["C24", "C25"]}, year=2014, table=short)  # fmt: skip
    assert set(got["start_year"]) == {2012}
    assert got["growth"].iloc[0] == pytest.approx((100 / 80) ** 0.5 - 1)
    for kwargs, error, message in [
        (dict(year=2013), "EmptySelectionError",
         "year(s) [2013] not in the data; available: [2009, 2014]."),
        (dict(year=[]), "EmptySelectionError",
         "year(s) [] not in the data; available: [2009, 2014]."),
        (dict(year=2014, quantile=1.0), "OptionError",
         "quantile: expected a value strictly between 0 and 1, got 1.0."),
        (dict(year=2014, quantile=0.0), "OptionError",
         "quantile: expected a value strictly between 0 and 1, got 0.0."),
    ]:  # fmt: skip
        with pytest.raises(Exception) as err:
            star_table(cells, clusters={"m": ["C24", "C25"]}, table=STAR_TABLE, **kwargs)
        assert type(err.value).__name__ == error and str(err.value) == message


def test_cluster_sums_by_hand():
    from clusterlib.specialisation.europe import cluster_sums

    got = cluster_sums(_star_cells(), indicator="V13320", clusters={"m": ["C24", "C25"],
                       "one": ["C25"]}, years=[2014])  # fmt: skip
    assert got.columns.tolist() == ["region", "cluster", "year", "value"]
    got = got.set_index(["cluster", "region"])["value"]
    # PL22's C25 wages are unknown: its "m" sum is unknown, never the partial 0.5
    np.testing.assert_allclose(got["m"].to_numpy(), [5, 9, 2, np.nan])
    np.testing.assert_allclose(got["one"].to_numpy(), [3, 6, 1, np.nan])


# --- the cluster over time by hand ----------------------------------------------------------------
#
# "metal processing" (C24 + C25) in four regions, 2013-2015 (table rows as specialisation_table
# gives them). PL22 lacks 2014, so the balanced panel of the country and Europe is PL21, PL41 and
# CZ01 (PL: PL21 + PL41).
#
#          employment (region total)            units (C24+C25)      wages (C24+C25, mEUR)
#          2013       2014       2015           2013  2014  2015     2013   2014     2015
#   PL21   100 (1000) 110 (1000) 121* (1100)    5+5   5+6   6+6      1+1    1+1.2    1.5+1.5
#   PL22   200 (2000) -   (2000) 220 (2200)     ...                  ...
#   PL41   50 (500)   60 (600)   70 (700)       2+3   ?+3   3+4      0.5+.5 0.5+0.7   1+1
#   CZ01   300 (3000) 330 (3000) 360 (3600)     10+10 10+12 12+12    2+2    ?+2.5    3+3
#   (* imputed; ? confidential)
SERIES_TABLE = pd.DataFrame(
    {
        "region": np.repeat(["PL21", "PL22", "PL41", "CZ01"], 3),
        "industry": "metal processing",
        "year": [2013, 2014, 2015] * 4,
        "count": [100, 110, 121, 200, np.nan, 220, 50, 60, 70, 300, 330, 360],
        "region_total": [1000, 1000, 1100, 2000, 2000, 2200, 500, 600, 700, 3000, 3000, 3600],
        "imputed": [False, False, True] + [False] * 9,
    }
)
SERIES_CELLS = {  # region: (units C24, C25; wages C24, C25) per year 2013, 2014, 2015
    "PL21": [(5, 5, 1, 1), (5, 6, 1, 1.2), (6, 6, 1.5, 1.5)],
    "PL22": [(1, 1, 1, 1), (1, 1, 1, 1), (1, 1, 1, 1)],
    "PL41": [(2, 3, 0.5, 0.5), (np.nan, 3, 0.5, 0.7), (3, 4, 1, 1)],
    "CZ01": [(10, 10, 2, 2), (10, 12, np.nan, 2.5), (12, 12, 3, 3)],
}


def _series_cells():
    rows = []
    for region, years in SERIES_CELLS.items():
        for year, (u24, u25, w24, w25) in zip((2013, 2014, 2015), years, strict=True):
            rows += [(region, "C24", "V11210", year, u24), (region, "C25", "V11210", year, u25),
                     (region, "C24", "V13320", year, w24), (region, "C25", "V13320", year, w25)]  # fmt: skip
    out = pd.DataFrame(rows, columns=["region", "industry", "indicator", "year", "value"])
    return out.assign(flag="")


def test_cluster_series_by_hand():
    s = cluster_series(_series_cells(), region="PL21", cluster="metal processing",
                       table=SERIES_TABLE)  # fmt: skip
    assert s.index.names == ["year", "area"] and s.columns.tolist() == [
        "employment", "local_units", "unit_size", "wages_per_person", "share", "lq", "imputed",
        "missing",
    ]  # fmt: skip
    assert s.index.tolist() == [(y, a) for y in (2013, 2014, 2015) for a in ("EU", "PL", "PL21")]
    e = s["employment"].unstack("area")
    np.testing.assert_allclose(e["PL21"], [100, 110, 121])
    np.testing.assert_allclose(e["PL"], [150, 170, 191])  # PL21 + PL41 (PL22 has a gap)
    np.testing.assert_allclose(e["EU"], [450, 500, 551])
    sh = s["share"].unstack("area")
    np.testing.assert_allclose(sh["PL21"], [0.1, 0.11, 0.11], rtol=1e-12)
    np.testing.assert_allclose(sh["PL"], [150 / 1500, 170 / 1600, 191 / 1800], rtol=1e-12)
    np.testing.assert_allclose(sh["EU"], [450 / 4500, 500 / 4600, 551 / 5400], rtol=1e-12)
    np.testing.assert_allclose(s["lq"].unstack("area")["PL21"], sh["PL21"] / sh["EU"], rtol=1e-12)
    np.testing.assert_allclose(s["lq"].unstack("area")["EU"], [1, 1, 1])
    # local units: the region's own sum; PL and EU sum the regions whose units are known
    # (PL41's 2014 C24 units are confidential: 2014 sums PL21 only in PL, PL21 + CZ01 in EU)
    u = s["local_units"].unstack("area")
    np.testing.assert_allclose(u["PL21"], [10, 11, 12])
    np.testing.assert_allclose(u["PL"], [15, 11, 19])
    np.testing.assert_allclose(u["EU"], [35, 33, 43])
    size = s["unit_size"].unstack("area")
    np.testing.assert_allclose(size["PL"], [150 / 15, 110 / 11, 191 / 19], rtol=1e-12)
    np.testing.assert_allclose(size["EU"], [450 / 35, 440 / 33, 551 / 43], rtol=1e-12)
    # wages per person: 1e6 x wages / persons over the regions whose wages are known
    w = s["wages_per_person"].unstack("area")
    np.testing.assert_allclose(w["PL21"], [2e6 / 100, 2.2e6 / 110, 3e6 / 121], rtol=1e-12)
    np.testing.assert_allclose(w["EU"], [7e6 / 450, 3.4e6 / 170, 11e6 / 551], rtol=1e-12)
    assert s["imputed"].unstack("area").to_numpy().tolist() == [
        [False] * 3,
        [False] * 3,
        [True] * 3,
    ]
    assert not s["missing"].any()
    assert s.attrs == {"region": "PL21", "country": "PL", "cluster": "metal processing",
                       "n_regions": {"PL21": 1, "PL": 2, "EU": 3}}  # fmt: skip
    # growth between the first and last year, and the index
    g = growth_rates(s)
    assert g.loc["PL21", "cagr"] == pytest.approx(0.1, rel=1e-12)  # 100 -> 121 in two years
    assert g.loc["EU", "cagr"] == pytest.approx((551 / 450) ** 0.5 - 1, rel=1e-12)
    assert g.loc["PL21"].drop("cagr").tolist() == [2013, 2015, 100.0, 121.0, True, 0]
    ix = indexed(s)
    np.testing.assert_allclose(ix.loc[2015].to_numpy(), [100 * 551 / 450, 100 * 191 / 150, 121])


def test_cluster_series_of_a_region_with_a_gap():
    s = cluster_series(_series_cells(), region="PL22", cluster="metal processing",
                       table=SERIES_TABLE, years=[2013, 2014, 2015])  # fmt: skip
    r = s.xs("PL22", level="area")
    assert r["missing"].tolist() == [False, True, False]
    assert np.isnan(r.loc[2014, "employment"]) and np.isnan(r.loc[2014, "share"])
    np.testing.assert_allclose(r["local_units"], [2, 2, 2])  # its own units, known every year
    g = growth_rates(s).loc["PL22"]
    assert g["gaps"] == 1 and g["start"] == 2013 and g["end"] == 2015
    assert g["cagr"] == pytest.approx((220 / 200) ** 0.5 - 1) and not g["from_imputed"]
    assert s.attrs["n_regions"] == {"PL22": 1, "PL": 2, "EU": 3}  # PL22 is not in the panel
    one = cluster_series(_series_cells(), region="PL22", cluster="metal processing",
                         table=SERIES_TABLE, years=[2014])  # fmt: skip
    g1 = growth_rates(one).loc["PL22"]  # one year: no growth, not an error
    assert np.isnan(g1[["start", "end", "value_start", "value_end", "cagr"]].astype(float)).all()
    assert not g1["from_imputed"] and g1["gaps"] == 0
    with pytest.raises(EmptySelectionError, match=r"^years \[2016\] are not in the data; available: "
                                        r"\[2013, 2014, 2015\]\.$"):  # fmt: skip
        cluster_series(_series_cells(), region="PL22", cluster="metal processing",
                       table=SERIES_TABLE, years=[2016])  # fmt: skip
    with pytest.raises(
        EmptySelectionError, match=r"^region 'PL63' has no 'metal processing' cells"
    ):
        cluster_series(_series_cells(), region="PL63", cluster="metal processing",
                       table=SERIES_TABLE)  # fmt: skip


def test_trend_extrapolation_by_hand_and_against_statsmodels():
    import statsmodels.api as sm  # peer implementation of the OLS prediction interval

    idx = pd.MultiIndex.from_product([[2010, 2011, 2012, 2013], ["R"]], names=["year", "area"])
    exact = pd.DataFrame({"employment": [100.0, 110.0, 121.0, 133.1]}, index=idx)
    tr = trend_extrapolation(exact, area="R", horizon=2016)
    # an exact 10% a year: the trend is the data, the interval has no width
    assert tr.index.tolist() == list(range(2010, 2017)) and tr.index.name == "year"
    np.testing.assert_allclose(tr["trend"], 100 * 1.1 ** np.arange(7), rtol=1e-9)
    np.testing.assert_allclose(tr["low"], tr["trend"], rtol=1e-6)
    assert tr.attrs["annual_growth"] == pytest.approx(0.1, rel=1e-9)
    np.testing.assert_allclose(tr["observed"], [100, 110, 121, 133.1] + [np.nan] * 3)
    noisy = pd.DataFrame({"employment": [100.0, 95.0, 120.0, np.nan, 118.0, 140.0]},
                         index=pd.MultiIndex.from_product([range(2010, 2016), ["R"]],
                                                          names=["year", "area"]))  # fmt: skip
    tr = trend_extrapolation(noisy, area="R", horizon=2018, level=0.8)
    y = noisy["employment"].droplevel("area").dropna()
    fit = sm.OLS(np.log(y.to_numpy()), sm.add_constant(y.index.to_numpy(float))).fit()
    years = np.arange(2010, 2019, dtype=float)
    pred = fit.get_prediction(sm.add_constant(years))
    band = pred.conf_int(obs=True, alpha=0.2)
    np.testing.assert_allclose(tr["trend"], np.exp(pred.predicted_mean), rtol=1e-10)
    np.testing.assert_allclose(tr["low"], np.exp(band[:, 0]), rtol=1e-10)
    np.testing.assert_allclose(tr["high"], np.exp(band[:, 1]), rtol=1e-10)
    assert tr.attrs["annual_growth"] == pytest.approx(np.exp(fit.params[1]) - 1, rel=1e-10)
    with pytest.raises(OptionError, match=r"^level: expected a value between 0 and 1, got 1\.$"):
        trend_extrapolation(noisy, area="R", horizon=2018, level=1)
    with pytest.raises(EmptySelectionError, match=r"^R: fewer than 3 years with data; no trend"):
        trend_extrapolation(noisy.iloc[:2], area="R", horizon=2018)


def test_peer_edges_one_peer_unit_sizes_and_the_default_count():
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # FR10's 0 / 0 is handled, not warned about
        d = structure_distances(PEERS, region="PL22", measure="cosine")
    assert np.isnan(d["FR10"])
    # a region employing one person in all (shares of a total of 1) is compared like any other
    tiny = pd.concat([PEERS, pd.DataFrame([[0.1, 0.3, 0.6]], index=["SE11"],
                                          columns=PEERS.columns)])  # fmt: skip
    assert structure_distances(tiny, region="PL22")["SE11"] == pytest.approx(0, abs=1e-15)
    one = peer_regions(None, region="PL22", year=2014, n=1, wide=PEERS)
    assert one["region"].tolist() == ["AT13"]
    # a size ratio of exactly 1: only regions of PL22's own size (PL21 and CZ08, 100 each)
    same = peer_regions(None, region="PL22", year=2014, size_ratio=1, wide=PEERS)
    assert same["region"].tolist() == ["PL21", "CZ08"]
    # the default is ten peers
    many = pd.DataFrame(np.tile([1.0, 3.0, 6.0], (13, 1)), columns=PEERS.columns,
                        index=[f"DE{i}" for i in "123456789ABCD"])  # fmt: skip
    assert len(peer_regions(None, region="DE1", year=2014, wide=many)) == 10


def test_division_shares_keeps_a_division_unknown_everywhere(eurostat):
    small = eurostat[eurostat["region"].astype(str).str[:2].isin(["CZ"]).to_numpy()].copy()
    b05 = ((small["industry"] == "B05") & (small["indicator"] == "V16110")).to_numpy()
    small.loc[b05, "value"] = np.nan  # coal mining unknown in every Czech region
    got = division_shares(small, year=2013, policy="missing")
    assert "B05" in got.columns and got["B05"].isna().all()
    # peer_regions computes the same shares itself, for its year and policy
    for policy in ("missing", "fill"):
        wide = division_shares(small, year=2013, policy=policy)
        for measure in ("krugman", "cosine"):
            pd.testing.assert_frame_equal(
                peer_regions(small, region="CZ01", year=2013, n=3, policy=policy,
                             measure=measure),
                peer_regions(None, region="CZ01", year=2013, n=3, wide=wide, measure=measure),
            )  # fmt: skip
    cosine = peer_regions(small, region="CZ01", year=2013, n=7, measure="cosine")
    d = structure_distances(division_shares(small, year=2013), region="CZ01", measure="cosine")
    np.testing.assert_allclose(cosine["distance"], np.sort(d.drop(index="CZ01").to_numpy()))


def test_peer_known_in_one_division_only_keeps_its_employment():
    # FI19 works in C26 only; SE12 reports C26 alone (its other cells unknown): compared over C26,
    # which holds all of FI19's employment (coverage 1), so it is a peer at distance 0 with its
    # 40 persons; SE21 is unknown everywhere and is no peer
    wide = pd.DataFrame([[0, 0, 100], [np.nan, np.nan, 40], [np.nan, np.nan, np.nan]],
                        index=["FI19", "SE12", "SE21"], columns=PEERS.columns)  # fmt: skip
    got = peer_regions(None, region="FI19", year=2014, wide=wide)
    assert got["region"].tolist() == ["SE12"] and got["employment"].tolist() == [40.0]
    assert got["distance"].tolist() == [0.0]


def test_europe_defaults_are_the_documented_ones():
    # star_table: the Observatory's rule (Europe, top 10%, LQ >= 2, filled cells); the series
    # and trend helpers: employment, a 95% interval
    cells, m = _star_cells(), {"m": ["C24", "C25"]}
    pd.testing.assert_frame_equal(
        star_table(cells, clusters=m, year=2014, table=STAR_TABLE),
        star_table(cells, clusters=m, year=2014, table=STAR_TABLE, reference="eu",
                   policy="fill", quantile=0.9, lq_threshold=2.0),
    )  # fmt: skip
    s = cluster_series(_series_cells(), region="PL21", cluster="metal processing",
                       table=SERIES_TABLE)  # fmt: skip
    pd.testing.assert_frame_equal(growth_rates(s), growth_rates(s, column="employment"))
    pd.testing.assert_frame_equal(indexed(s), indexed(s, column="employment"))
    pd.testing.assert_frame_equal(
        trend_extrapolation(s, area="EU", horizon=2020),
        trend_extrapolation(s, area="EU", horizon=2020, level=0.95),
    )
    assert indexed(s, column="local_units").loc[2013].tolist() == [100.0, 100.0, 100.0]


def test_growth_rates_and_index_edges():
    idx = pd.MultiIndex.from_product([[2010, 2011, 2012], ["A", "B", "C", "D"]],
                                     names=["year", "area"])  # fmt: skip
    emp = {"A": [0.0, 5.0, 10.0], "B": [0.5, 1.0, 2.0], "C": [np.nan] * 3, "D": [4.0, np.nan, 9.0]}
    s = pd.DataFrame({"employment": [emp[a][i] for i in range(3) for a in "ABCD"],
                      "imputed": False}, index=idx)  # fmt: skip
    g = growth_rates(s)
    assert g.index.name == "area" and g.index.tolist() == ["A", "B", "C", "D"]
    assert g.columns.tolist() == ["start", "end", "value_start", "value_end", "cagr",
                                  "from_imputed", "gaps"]  # fmt: skip
    assert np.isnan(g.loc["A", "cagr"])  # from 0: no growth rate
    assert g.loc["B", "cagr"] == pytest.approx(1.0)  # 0.5 -> 2 in two years: doubling a year
    assert g.loc["D", "cagr"] == pytest.approx(0.5) and g.loc["D", "gaps"] == 1
    assert g.loc["B", ["value_start", "value_end"]].tolist() == [0.5, 2.0]
    ix = indexed(s)
    assert ix["C"].isna().all() and ix["B"].tolist() == [100.0, 200.0, 400.0]
    with pytest.raises(OptionError, match=r"^level: expected a value between 0 and 1, got 0\.$"):
        trend_extrapolation(s, area="B", horizon=2014, level=0)


def test_cluster_series_computes_its_table_for_the_policy(eurostat):
    from clusterlib import specialisation_table

    small = eurostat[eurostat["region"].astype(str).str[:2].isin(["CZ", "SK"]).to_numpy()]
    m = ["C24", "C25"]
    for policy in ("missing", "fill"):
        table = specialisation_table(small, years=[2013, 2014], industries=m,
                                     clusters={"metal processing": m}, reference="eu",
                                     policy=policy)  # fmt: skip
        pd.testing.assert_frame_equal(
            cluster_series(small, region="CZ08", cluster="metal processing", years=[2013, 2014],
                           policy=policy),
            cluster_series(small, region="CZ08", cluster="metal processing", years=[2013, 2014],
                           table=table),
        )  # fmt: skip


def test_star_table_edges_by_hand():
    # four more regions in 2014 (start 2009), rated at the median of eight:
    #   DE11: 1 person, 1 local unit, wages 0.05 mEUR (50,000 per person), in 2009 1 person
    #   DE12: 0 persons (no wages per person, unit size or growth), in 2009 10
    #   DE13: LQ exactly 2.0 (the specialisation cut: a star), 40 persons in 2009
    #   DE14: region total 0: not rated in any dimension that needs it
    table = pd.concat([STAR_TABLE, pd.DataFrame({
        "region": ["DE11", "DE12", "DE13", "DE14"] * 2, "industry": "m", "country": "DE",
        "year": [2014] * 4 + [2009] * 4,
        "count": [1.0, 0.0, 50.0, 5.0, 1.0, 10.0, 40.0, 5.0],
        "region_total": [100.0, 100.0, 500.0, 0.0, 100.0, 100.0, 0.0, 10.0],
        "lq": [0.1, 0.0, 2.0, np.nan, 0.1, 1.0, np.nan, 1.0],
    })], ignore_index=True)  # fmt: skip
    rows = [
        (r, i, ind, 2014, v, "")
        for r, vals in {
            "DE11": {"V16110": (1, 0), "V11210": (1, 0), "V13320": (0.05, 0)},
            "DE12": {"V16110": (0, 0), "V11210": (0, 0), "V13320": (0, 0)},
            "DE13": {"V16110": (20, 30), "V11210": (2, 3), "V13320": (1, 1)},
            "DE14": {"V16110": (2, 3), "V11210": (1, 1), "V13320": (0.1, 0.1)},
        }.items()
        for ind, vs in vals.items()
        for i, v in zip(("C24", "C25"), vs, strict=True)
    ]
    cells = pd.concat([_star_cells(), pd.DataFrame(rows, columns=_star_cells().columns),
                       pd.DataFrame([("DE1", "C24", "V16110", 2008, 1.0, "")],
                                    columns=_star_cells().columns)], ignore_index=True)  # fmt: skip
    got = star_table(cells, clusters={"m": ["C24", "C25"]}, year=2014, quantile=0.5, table=table)
    assert isinstance(got.index, pd.RangeIndex) and set(got["year"]) == {2014}
    assert set(got["start_year"]) == {2009}  # five years back, although the data start in 2008
    g = got.set_index("region")
    assert g.loc["DE11", "wages_per_person"] == pytest.approx(50_000)
    assert g.loc["DE11", "unit_size"] == 1.0 and g.loc["DE11", "growth"] == pytest.approx(0.0)
    assert np.isnan(g.loc["DE12", ["wages_per_person", "unit_size", "growth"]].astype(float)).all()
    assert bool(g.loc["DE13", "specialisation_star"]) and g.loc["DE13", "lq_cut"] == 2.0
    assert g.loc["DE13", "growth"] == pytest.approx(1.25**0.2 - 1)  # 40 -> 50 in five years
    assert not g.loc["DE14", ["size_star", "specialisation_star", "focus_star"]].any()
    # the rated sizes are AT11 100, AT12 300, PL21 200, DE11 1, DE12 0, DE13 50: median 75
    assert g["size_cut"].iloc[0] == pytest.approx(75.0)
    # the start year equal to the year: no growth, no error
    same = star_table(cells, clusters={"m": ["C24", "C25"]}, year=2014, start_year=2014,
                      table=table)  # fmt: skip
    assert same["growth"].isna().all() and not same["dynamism_star"].any()
    with pytest.raises(EmptySelectionError, match=r"^year\(s\) \[2013\] not in the data"):
        star_table(cells, clusters={"m": ["C24", "C25"]}, year=[2013, 2014], table=table)


def test_cluster_sums_keep_nuts2_rows_and_unknown_codes():
    from clusterlib.specialisation.europe import cluster_sums

    cells = pd.concat([_star_cells(), pd.DataFrame(
        [("AT1", "C24", "V13320", 2014, 50.0, ""), ("AT1", "C25", "V13320", 2014, 60.0, "")],
        columns=_star_cells().columns)], ignore_index=True)  # fmt: skip
    got = cluster_sums(cells, indicator="V13320", clusters={"m": ["C24", "C25"],
                       "wide": ["C24", "C28"]}, years=[2014])  # fmt: skip
    assert set(got["region"]) == {"AT11", "AT12", "PL21", "PL22"}  # NUTS2 only
    assert isinstance(got.index, pd.RangeIndex)
    assert got.loc[got["cluster"] == "wide", "value"].isna().all()  # C28 not in the data


def test_rank_in_ignores_gaps_in_other_columns():
    t = pd.DataFrame({"region": ["PL21", "PL22", "CZ01"], "cluster": "m",
                      "country": ["PL", "PL", "CZ"], "employment": [5.0, 9.0, 7.0],
                      "wages_per_person": [np.nan, 1.0, 2.0]})  # fmt: skip
    assert rank_in(t, region="PL21", cluster="m") == {
        "europe": 3, "n_europe": 3, "country": 2, "n_country": 2,
    }  # fmt: skip


def test_star_table_computes_its_table_for_the_policy(eurostat):
    from clusterlib import specialisation_table

    small = eurostat[eurostat["region"].astype(str).str[:2].isin(["CZ", "SK"]).to_numpy()]
    m = {"metal processing": ["C24", "C25"]}
    table = specialisation_table(small, years=[2009, 2014], industries=["C24", "C25"],
                                 clusters=m, reference="eu", policy="missing")  # fmt: skip
    pd.testing.assert_frame_equal(
        star_table(small, clusters=m, year=2014, policy="missing"),
        star_table(small, clusters=m, year=2014, policy="missing", table=table),
    )


def test_growth_from_zero_and_a_region_of_one_person():
    # DE15 grows from 0 persons: no growth rate (not an infinite one) and no dynamism star;
    # DE16 employs one person in all, in the cluster: rated, with a focus of 1
    table = pd.concat([STAR_TABLE, pd.DataFrame({
        "region": ["DE15", "DE16"] * 2, "industry": "m", "country": "DE",
        "year": [2014, 2014, 2009, 2009], "count": [5.0, 1.0, 0.0, 1.0],
        "region_total": [50.0, 1.0, 40.0, 1.0], "lq": [1.0, 10.0, 0.0, 10.0],
    })], ignore_index=True)  # fmt: skip
    got = star_table(_star_cells(), clusters={"m": ["C24", "C25"]}, year=2014, quantile=0.5,
                     table=table).set_index("region")  # fmt: skip
    assert np.isnan(got.loc["DE15", "growth"]) and not got.loc["DE15", "dynamism_star"]
    assert got.loc["DE16", "focus"] == 1.0 and bool(got.loc["DE16", "focus_star"])
    assert bool(got.loc["DE16", "specialisation_star"])


def test_cluster_series_uses_the_sums_it_is_given():
    """``sums=`` (the chapter's cached sums) gives the same series; given sums are used, not recomputed."""
    from clusterlib.specialisation.europe import UNITS, WAGES, cluster_sums

    cells = _series_cells()
    codes = {"metal processing": ["C24", "C25"]}
    years = [2013, 2014, 2015]
    sums = {ind: cluster_sums(cells, indicator=ind, clusters=codes, years=years)
            for ind in (UNITS, WAGES)}  # fmt: skip
    kw = {"region": "PL21", "cluster": "metal processing", "table": SERIES_TABLE}
    pd.testing.assert_frame_equal(
        cluster_series(cells, sums=sums, **kw), cluster_series(cells, **kw)
    )
    doubled = {UNITS: sums[UNITS].assign(value=2 * sums[UNITS]["value"])}  # wages recomputed
    s = cluster_series(cells, sums=doubled, **kw)
    np.testing.assert_allclose(s["local_units"].unstack("area")["PL21"], [20, 22, 24])
    np.testing.assert_allclose(
        s["wages_per_person"].unstack("area")["PL21"],
        [2e6 / 100, 2.2e6 / 110, 3e6 / 121],
        rtol=1e-12,
    )


def test_cluster_series_refuses_sums_of_another_cluster():
    from clusterlib.specialisation.europe import UNITS, cluster_sums

    cells = _series_cells()
    kw = {"region": "PL21", "cluster": "metal processing", "table": SERIES_TABLE}
    other = cluster_sums(cells, indicator=UNITS, clusters={"metals": ["C24", "C25"]},
                         years=[2013, 2014, 2015])  # fmt: skip
    with pytest.raises(OptionError, match=r"sums\['local_units'\]: has cluster\(s\) \['metals'\]"):
        cluster_series(cells, sums={UNITS: other}, **kw)
    short = cluster_sums(cells, indicator=UNITS, clusters={"metal processing": ["C24", "C25"]},
                         years=[2013, 2014])  # fmt: skip
    s = cluster_series(cells, sums={UNITS: short}, **kw)  # a year without a sum: unknown
    np.testing.assert_allclose(s["local_units"].unstack("area")["PL21"], [10, 11, np.nan])
