"""The counts behind the context indicators, from small files written here (issue 26, mutation).

The regions are ones no NUTS revision since 2013 changed (PL, PL21, PL22), so every count passes
through the JRC converter unchanged and each expected value is the file's own figure, or, for the
population, 1e6 * GDP (million EUR) / GDP per inhabitant worked out beside it.
"""

from __future__ import annotations

import math
import re

import pandas as pd
import pytest

from clusterlib.context.counts import COLUMNS, MEASURES, ContextFiles, context_counts, gdp_counts
from clusterlib.errors import DataFormatError

TOTAL = (
    "freq,unit,geo\\TIME_PERIOD\t2019 \t2020 \n"
    "A,MIO_EUR,PL\t500 \t600 p\n"
    "A,MIO_EUR,PL2\t100 \t120 \n"  # NUTS1: left out
    "A,MIO_EUR,PL21\t40 \t50 pe\n"
    "A,MIO_EUR,PL213\t5 \t6 \n"  # NUTS3: left out
    "A,MIO_EUR,PL12\t7 \t8 \n"  # NUTS2 of 2013, not of 2021: left out
    "A,MIO_EUR,EU27_2020\t9 \t9 \n"  # an aggregate: left out
    "A,PPS_EU27_2020_HAB,PL21\t1 \t1 \n"  # another unit: left out
    "A,MIO_EUR,HR05\t20 \t22 \n"  # HR05 and HR06 of NUTS 2021 are part of HR04 of 2016
    "A,MIO_EUR,HR06\t10 \t11 \n"
)
PER_HEAD = (
    "freq,unit,geo\\TIME_PERIOD\t2019 \t2020 \n"
    "A,EUR_HAB,PL\t12500 \t15000 \n"
    "A,EUR_HAB,PL21\t10000 b\t12500 e\n"
    "A,EUR_HAB,HR05\t10000 \t11000 \n"
    "A,EUR_HAB,HR06\t5000 \t5500 \n"
)
RD = (
    "unit,prof_pos,sex,sectperf,geo,time,values\n"
    "FTE,TOTAL,T,TOTAL,PL21,2009,100\n"
    "FTE,TOTAL,F,TOTAL,PL21,2010,40\n"  # women only: left out
    "FTE,RSE,T,TOTAL,PL21,2011,70\n"  # researchers only: left out
    "FTE,TOTAL,T,BES,PL21,2012,30\n"  # business sector only: left out
    "HC,TOTAL,T,TOTAL,PL21,2013,200\n"  # head count: left out
    "FTE,TOTAL,T,TOTAL,PL92,2009,11\n"  # a 2016 code in a 2013 year: left out
    "FTE,TOTAL,T,TOTAL,PL92,2018,12\n"  # ... and in a 2016 year: kept
    "FTE,TOTAL,T,TOTAL,PL21,2018,150\n"
    "FTE,TOTAL,T,TOTAL,PL,2016,900\n"
    "FTE,TOTAL,T,TOTAL,PL12,2009,1000\n"  # split into PL91 and PL92 in NUTS 2016
)
PATENTS = "unit,geo,time,values\nNR,PL22,2012,7\nPC,PL22,2012,1\nNR,PL22,2011,3\n"


def files(tmp_path, **texts):
    names = {"gdp_total": TOTAL, "gdp_per_head": PER_HEAD, "rd": RD, "patents": PATENTS}
    paths = {}
    for key, text in {**names, **texts}.items():
        p = tmp_path / (key + (".tsv" if key.startswith("gdp") else ".csv"))
        p.write_text(text, encoding="utf-8")
        paths[key] = p
    return ContextFiles(**paths)


def rows(frame):
    """(measure, region, year, value to 6 decimals, flag) of every row."""
    cols = frame[["measure", "region", "year", "value", "flag"]].to_numpy()
    return [(m, r, y, round(v, 6), f) for m, r, y, v, f in cols]


# PL12's 2011 population in its two NUTS 2016 pieces (JRC converter, nuts_pieces.csv)
PL91 = 2891572.777386215 / (2891572.777386215 + 2384428.5171821453)


def test_counts_of_small_files_by_hand(tmp_path):
    c = context_counts(files(tmp_path))
    assert list(c.columns) == COLUMNS
    assert rows(c) == [
        ("gdp", "HR05", 2019, 20.0, ""),
        ("gdp", "HR05", 2020, 22.0, ""),
        ("gdp", "HR06", 2019, 10.0, ""),
        ("gdp", "HR06", 2020, 11.0, ""),
        ("gdp", "PL", 2019, 500.0, ""),
        ("gdp", "PL", 2020, 600.0, "p"),
        ("gdp", "PL21", 2019, 40.0, ""),
        ("gdp", "PL21", 2020, 50.0, "pe"),  # as the file writes it
        ("patents", "PL22", 2011, 3.0, ""),
        ("patents", "PL22", 2012, 7.0, ""),
        # 1e6 * 20 / 10000 = 2,000; 1e6 * 22 / 11000; 1e6 * 10 / 5000; 1e6 * 11 / 5500
        ("population", "HR05", 2019, 2000.0, ""),
        ("population", "HR05", 2020, 2000.0, ""),
        ("population", "HR06", 2019, 2000.0, ""),
        ("population", "HR06", 2020, 2000.0, ""),
        # 1e6 * 500 / 12500 = 40,000; 1e6 * 600 / 15000 = 40,000 (flag p of the total)
        ("population", "PL", 2019, 40000.0, ""),
        ("population", "PL", 2020, 40000.0, "p"),
        # 1e6 * 40 / 10000 = 4,000 (flag b); 1e6 * 50 / 12500 = 4,000 (flags pe + e, sorted)
        ("population", "PL21", 2019, 4000.0, "b"),
        ("population", "PL21", 2020, 4000.0, "ep"),
        ("rd_personnel", "PL", 2016, 900.0, ""),
        ("rd_personnel", "PL21", 2009, 100.0, ""),
        ("rd_personnel", "PL21", 2018, 150.0, ""),
        ("rd_personnel", "PL91", 2009, round(1000 * PL91, 6), ""),
        ("rd_personnel", "PL92", 2009, round(1000 * (1 - PL91), 6), ""),
        ("rd_personnel", "PL92", 2018, 12.0, ""),
    ]
    split = c["region"].isin(["PL91", "PL92"]) & (c["year"] == 2009)
    assert c["converted"].tolist() == split.tolist()
    assert c["conversion_weight"].tolist() == ["pop11" if s else "" for s in split]
    assert c.index.tolist() == list(range(24))
    assert c.attrs["versions"] == {
        "gdp": "2021", "rd_personnel": "2013 (2009), 2016 (2018)", "patents": "2013",
        "result": "2021",
    }  # fmt: skip
    assert set(c["measure"]) == set(MEASURES)


def test_counts_in_another_version(tmp_path):
    c = context_counts(files(tmp_path), version="2016")
    got = rows(c)
    # GDP and population of HR05 and HR06 (NUTS 2021) are summed into HR04 (NUTS 2016):
    # gdp 20 + 10 = 30 and 22 + 11 = 33, population 2,000 + 2,000 = 4,000
    assert got[:2] == [("gdp", "HR04", 2019, 30.0, ""), ("gdp", "HR04", 2020, 33.0, "")]
    hr = c[c["region"] == "HR04"]
    assert hr["measure"].tolist() == ["gdp", "gdp", "population", "population"]
    assert hr["value"].tolist() == [30.0, 33.0, 4000.0, 4000.0]
    assert hr["converted"].all() and (hr["conversion_weight"] == "").all()
    # the other counts are those of NUTS 2021 (no code of theirs changed in 2016-2021); the
    # converter writes a region's flag letters sorted, so PL21's 2020 GDP flag reads "ep"; a
    # country passes through as it is
    assert ("gdp", "PL21", 2020, 50.0, "ep") in got and ("gdp", "PL", 2020, 600.0, "p") in got
    assert ("rd_personnel", "PL91", 2009, round(1000 * PL91, 6), "") in got
    # 6 GDP, 2 patents, 6 population, 6 R&D rows
    assert len(c) == 20 and c.index.tolist() == list(range(20))
    assert c.attrs["versions"]["result"] == "2016"


def test_the_gdp_file_is_named_when_it_lacks_its_unit(tmp_path):
    f = files(tmp_path, gdp_total=TOTAL.replace("MIO_EUR", "MIO_NAC"))
    with pytest.raises(
        DataFormatError,
        match="^"
        + re.escape(
            f"{f.gdp_total}: no rows of unit 'MIO_EUR' (units in the file: ['MIO_NAC', "
            "'PPS_EU27_2020_HAB']). Give the file of MIO_EUR (see data/raw/SOURCES.md)."
        )
        + "$",
    ):
        context_counts(f)


def test_the_bundled_files():
    from clusterlib import config

    f = ContextFiles.bundled()
    raw = config.data_dir() / "raw"
    assert f == ContextFiles(
        gdp_total=raw / "nama_10r_2gdp_PL_MIO_EUR.tsv",
        gdp_per_head=raw / "nama_10r_2gdp_PL_EUR_HAB.tsv",
        rd=raw / "rd_p_persreg_2009_2018.csv",
        patents=raw / "pat_ep_rtot_PL.csv",
    )
    assert all(p.is_file() for p in (f.gdp_total, f.gdp_per_head, f.rd, f.patents))


def test_a_file_without_a_unit_column_or_unit(tmp_path):
    no_unit = "geo,time,values\nPL21,2009,1\n"
    f = files(tmp_path, patents=no_unit)
    with pytest.raises(
        DataFormatError,
        match="^"
        + re.escape(
            f"{f.patents}: no rows of unit 'NR' (units in the file: []). Give the file of NR "
            "(see data/raw/SOURCES.md)."
        )
        + "$",
    ):
        context_counts(f)
    f = files(tmp_path, rd=RD.replace("FTE,", "PC_FTE,"))
    with pytest.raises(
        DataFormatError,
        match="^"
        + re.escape(
            f"{f.rd}: no rows of unit 'FTE' (units in the file: ['HC', 'PC_FTE']). Give the file "
            "of FTE (see data/raw/SOURCES.md)."
        )
        + "$",
    ):
        context_counts(f)
    f = files(tmp_path, gdp_per_head=PER_HEAD.replace("EUR_HAB", "PPS_HAB"))
    with pytest.raises(
        DataFormatError,
        match=r"gdp_per_head\.tsv: no rows of unit 'EUR_HAB' \(units in the file: \['PPS_HAB'\]\)",
    ):
        context_counts(f)


def test_gdp_files_without_a_common_region_and_year(tmp_path):
    head = "freq,unit,geo\\TIME_PERIOD\t2015 \nA,EUR_HAB,PL\t10000 \n"
    f = files(tmp_path, gdp_per_head=head)
    with pytest.raises(
        DataFormatError,
        match="^"
        + re.escape(
            f"{f.gdp_total}: the two GDP units share no region and year with a figure in both, "
            "so no population can be derived. Give MIO_EUR and EUR_HAB of the same regions and "
            "years."
        )
        + "$",
    ):
        context_counts(f)


def test_gdp_counts_by_hand():
    total = pd.DataFrame({"region": ["A", "B", "C"], "year": 2020, "value": [8.0, 3.0, 1.0],
                          "flag": ["pe", "", "b"]})  # fmt: skip
    head = pd.DataFrame({"region": ["A", "B", "D"], "year": 2020, "value": [4000.0, -1.0, 5.0],
                         "flag": ["ep", "d", ""]})  # fmt: skip
    out = gdp_counts(total, head)
    assert list(out.columns) == COLUMNS
    assert out["measure"].tolist() == ["gdp"] * 4 + ["population"] * 4
    assert out["region"].tolist() == ["A", "B", "C", "D"] * 2
    got = out["value"].tolist()
    # gdp: A 8, B 3, C 1, D unknown; population: A 1e6 * 8 / 4000 = 2,000, B: a negative per-head
    # figure gives no population, C and D: one of the two unknown
    assert got[:3] == [8.0, 3.0, 1.0] and math.isnan(got[3])
    assert got[4] == 2000.0 and all(math.isnan(v) for v in got[5:])
    # the flags: a missing row has none; the population's are the letters of both, sorted
    assert out["flag"].tolist() == ["pe", "", "b", "", "ep", "d", "b", ""]
    assert out.index.tolist() == list(range(8))
    assert out["converted"].tolist() == [False] * 8
    assert out["conversion_weight"].tolist() == [""] * 8
    with pytest.raises(
        DataFormatError,
        match=r"^GDP: the two GDP units share no region and year with a figure in both, so",
    ):
        gdp_counts(total.assign(year=2019), head)
    with pytest.raises(DataFormatError, match=r"^g\.tsv: the two GDP units share"):
        gdp_counts(total.assign(year=2019), head, source="g.tsv")
    # a shared key with a figure in one file only shares nothing either
    with pytest.raises(DataFormatError, match=r"^GDP: the two GDP units share no region"):
        gdp_counts(total.iloc[:1], head.iloc[:1].assign(value=float("nan")))
    # per-head figures of 0 and of 0.5 EUR: no population, and 1e6 * 3 / 0.5 = 6,000,000
    tiny = gdp_counts(total.iloc[:2], head.iloc[:2].assign(value=[0.0, 0.5]))
    pop = tiny[tiny["measure"] == "population"]["value"].tolist()
    assert math.isnan(pop[0]) and pop[1] == 6e6
    # a region and year twice in one unit
    with pytest.raises(
        DataFormatError,
        match=r"^g\.tsv: a region and year appears twice in one of the two GDP units; give "
        r"each region and year once\.$",
    ):
        gdp_counts(pd.concat([total, total.iloc[:1]]), head, source="g.tsv")
    with pytest.raises(DataFormatError, match=r"^GDP: a region and year appears twice"):
        gdp_counts(total, pd.concat([head, head.iloc[:1]]))
    # categorical flags (as the reader gives them) come out as strings
    cat = gdp_counts(total.astype({"flag": "category"}), head.astype({"flag": "category"}))
    assert cat["flag"].tolist() == out["flag"].tolist()
    assert all(type(f) is str for f in cat["flag"])
    # no rows at all is no error: nothing to share
    assert gdp_counts(total.iloc[:0], head.iloc[:0]).empty
