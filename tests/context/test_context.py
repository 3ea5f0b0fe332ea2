"""The region's official context (issue 26 §3): counts in one NUTS version, rates, percentiles.

Golden values come from an independent parse of the bundled raw files with the standard library
(csv, str.split), written below, and from hand calculations.
"""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import pandas as pd
import pytest

from clusterlib.chapters.context import ContextChapter, members_in_version
from clusterlib.chapters.metrics import read_metrics
from clusterlib.context import context_counts, gdp_counts, growth_rate, indicator_values, percentile
from clusterlib.context.counts import ContextFiles
from clusterlib.errors import DataFormatError, UnknownCodeError

RAW = Path(__file__).resolve().parents[2] / "data" / "raw"


def _tsv_cells(path: Path) -> dict[tuple[str, int], float]:
    """Independent parse of a current-format Eurostat TSV: {(geo, year): value}."""
    lines = path.read_text(encoding="utf-8").splitlines()
    years = [int(h.strip()) for h in lines[0].split("\t")[1:]]
    out = {}
    for line in lines[1:]:
        cells = line.split("\t")
        geo = cells[0].split(",")[-1]
        for year, cell in zip(years, cells[1:], strict=True):
            number = cell.strip().split(" ")[0]
            if number not in (":", ""):
                out[geo, year] = float(number)
    return out


@pytest.fixture(scope="module")
def counts():
    return context_counts()


@pytest.fixture(scope="module")
def area():
    return ContextChapter.build(region="PL-NE", members=["PL34", "PL62", "PL31"])


def test_population_is_gdp_over_gdp_per_inhabitant_by_hand():
    total = pd.DataFrame({"region": ["R1", "R2"], "year": [2020, 2020], "value": [50.0, 7.0],
                          "flag": ["p", ""]})  # fmt: skip
    head = pd.DataFrame({"region": ["R1", "R2"], "year": [2020, 2020], "value": [25000.0, 0.0],
                         "flag": ["b", ""]})  # fmt: skip
    out = gdp_counts(total, head).set_index(["measure", "region"])
    assert out.loc[("population", "R1"), "value"] == pytest.approx(50e6 / 25000)  # 2,000 persons
    assert out.loc[("population", "R1"), "flag"] == "bp"  # both flags, sorted
    assert math.isnan(out.loc[("population", "R2"), "value"])  # no division by zero
    assert out.loc[("gdp", "R1"), "value"] == 50.0


def test_gdp_counts_match_an_independent_parse_of_both_files(counts):
    total, head = (
        _tsv_cells(RAW / "nama_10r_2gdp_PL_MIO_EUR.tsv"),
        _tsv_cells(RAW / "nama_10r_2gdp_PL_EUR_HAB.tsv"),
    )
    c = counts.set_index(["measure", "region", "year"])["value"]
    checked = 0
    for (geo, year), v in total.items():
        if len(geo) == 3:  # NUTS1 rows are left out
            assert ("gdp", geo, year) not in c.index
            continue
        assert c["gdp", geo, year] == pytest.approx(v)
        if (geo, year) in head:
            assert c["population", geo, year] == pytest.approx(1e6 * v / head[geo, year])
            checked += 1
    assert checked == 18 * 24  # Poland and its 17 regions, 2000-2023


def test_rd_2009_pl12_split_by_2011_population_sum_preserved(counts):
    pop = {}
    with open(RAW / "nuts" / "jrc_converter" / "n2_cm_v2013_v2016.csv", newline="") as f:
        for row in csv.DictReader(f):
            if row["code_v2013"] == "PL12":
                pop[row["code_v2016"]] = pop.get(row["code_v2016"], 0.0) + float(row["pop11"])
    rd = {}
    with open(RAW / "rd_p_persreg_2009_2018.csv", newline="") as f:
        for row in csv.DictReader(f):
            if row["unit"] == "FTE" and row["values"]:
                rd[row["geo"], int(row["time"])] = float(row["values"])
    c = counts[(counts["measure"] == "rd_personnel") & (counts["year"] == 2009)]
    c = c.set_index("region")
    main = {k: v for k, v in pop.items() if v / sum(pop.values()) > 1e-3}
    assert sorted(main) == ["PL91", "PL92"]
    for code in main:
        share = pop[code] / sum(main.values())
        assert c.loc[code, "value"] == pytest.approx(rd["PL12", 2009] * share, rel=1e-3)
        assert c.loc[code, "conversion_weight"] == "pop11" and c.loc[code, "converted"]
    assert c.loc[["PL91", "PL92"], "value"].sum() == pytest.approx(rd["PL12", 2009], rel=1e-3)
    assert c.loc["PL84", "value"] == rd["PL34", 2009]  # recoded: the same count
    assert c.loc["PL22", "value"] == rd["PL22", 2009] and not c.loc["PL22", "converted"]
    assert c.loc["PL", "value"] == rd["PL", 2009]
    assert "PL12" not in c.index


def test_area_rate_is_summed_counts_not_an_average_of_rates():
    counts = pd.DataFrame({
        "region": ["A", "A", "B", "B", "C", "C"], "year": 2020,
        "measure": ["rd_personnel", "population"] * 3,
        "value": [10.0, 1000.0, 90.0, 9000.0 * 3, 5.0, float("nan")],
        "converted": [False, False, True, False, False, False],
    })  # fmt: skip
    v = indicator_values(counts, units={"AB": ["A", "B"], "A": ["A"], "AC": ["A", "C"]})
    # A: 10 per 1,000; B: 90 / 27,000 = 3.33 per 1,000; pooled: 100 / 28,000 = 3.571 per 1,000
    assert v.loc[("AB", "rd_per_1000", 2020), "value"] == pytest.approx(1000 * 100 / 28000)
    assert v.loc[("A", "rd_per_1000", 2020), "value"] == pytest.approx(10.0)
    assert v.loc[("AB", "rd_per_1000", 2020), "converted"]
    assert not v.loc[("A", "rd_per_1000", 2020), "converted"]
    assert math.isnan(v.loc[("AC", "rd_per_1000", 2020), "value"])  # C's population is unknown
    assert set(v.index.get_level_values("indicator")) == {"rd_per_1000"}  # no GDP in the counts


def test_percentile_and_growth_by_hand():
    s = pd.Series([1.0, 2.0, 2.0, 4.0, None])
    assert percentile(s, 2.0) == pytest.approx(100 * (1 + 0.5 * 2) / 4)  # 50
    assert percentile(s, 0.5) == 0.0 and percentile(s, 5.0) == 100.0
    assert math.isnan(percentile(s, float("nan"))) and math.isnan(percentile(pd.Series([]), 1))
    g = pd.Series([100.0, 0.0, 150.0, None], index=[2000, 2001, 2004, 2005])
    assert growth_rate(g) == pytest.approx(1.5**0.25 - 1)  # zero and unknown years skipped
    assert math.isnan(growth_rate(pd.Series([3.0], index=[2000])))


def test_members_in_version():
    assert members_in_version(["PL34"]) == ["PL84"]
    assert members_in_version(["PL12", "PL22"]) == ["PL22", "PL91", "PL92"]
    assert members_in_version(["PL84", "PL34"]) == ["PL84"]
    with pytest.raises(UnknownCodeError, match="PL99"):
        members_in_version(["PL99"])


def test_area_gdp_per_inhabitant_by_hand(area):
    total = _tsv_cells(RAW / "nama_10r_2gdp_PL_MIO_EUR.tsv")
    head = _tsv_cells(RAW / "nama_10r_2gdp_PL_EUR_HAB.tsv")
    regions = ["PL84", "PL62", "PL81"]  # Podlaskie, Warmińsko-Mazurskie, Lubelskie (NUTS 2021)
    gdp = sum(total[r, 2023] for r in regions)
    pop = sum(1e6 * total[r, 2023] / head[r, 2023] for r in regions)
    row = area.summary.set_index("indicator").loc["gdp_per_inhabitant"]
    assert row["year"] == 2023 and row["value"] == pytest.approx(1e6 * gdp / pop)
    assert row["country"] == head["PL", 2023] and row["index"] == pytest.approx(
        100 * row["value"] / head["PL", 2023]
    )
    others = [head[r, 2023] for (r, y) in head if y == 2023 and len(r) == 4 and r not in regions]
    assert row["n_regions"] == len(others) == 14
    below = sum(x < row["value"] for x in others) + 0.5 * sum(x == row["value"] for x in others)
    assert row["percentile"] == pytest.approx(100 * below / 14)
    assert row["rank"] == 1 + sum(x > row["value"] for x in others)
    assert area.members == ["PL62", "PL81", "PL84"]


def test_findings_rest_on_the_summary_and_metrics_round_trip(area, tmp_path):
    f = {x.key: x for x in area.findings()}
    s = area.summary.set_index("indicator")
    for name in ("gdp_per_inhabitant", "rd_per_1000", "patents_per_million"):
        assert f[name].value == pytest.approx(s.loc[name, "value"])
        assert f"{s.loc[name, 'value']:,.1f}" in f[name].text
    assert f["gdp_growth"].value == pytest.approx(area.growth["PL-NE"])
    area.save(tmp_path)
    m = read_metrics(tmp_path / "metrics.json")["context"]
    assert m.unit == "PL-NE" and m.members == ["PL62", "PL81", "PL84"]
    assert [r["indicator"] for r in m.indicators] == list(s.index)
    assert json.loads((tmp_path / "metrics.json").read_text())["context"]["nuts_version"] == "2021"
    assert (tmp_path / "exports" / "context_summary.csv").exists()


def test_a_file_without_the_expected_unit_is_named(tmp_path):
    bad = tmp_path / "gdp.tsv"
    bad.write_text("freq,unit,geo\\TIME_PERIOD\t2020 \nA,PPS_EU27_2020_HAB,PL84\t50 \n")
    f = ContextFiles.bundled()
    files = ContextFiles(gdp_total=bad, gdp_per_head=f.gdp_per_head, rd=f.rd, patents=f.patents)
    with pytest.raises(DataFormatError, match=r"gdp\.tsv: no rows of unit 'MIO_EUR'.*PPS_EU27"):
        context_counts(files)
