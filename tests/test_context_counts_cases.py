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
    "A,MIO_EUR,PL21\t40 \t50 \n"
    "A,MIO_EUR,PL213\t5 \t6 \n"  # NUTS3: left out
    "A,MIO_EUR,PL12\t7 \t8 \n"  # NUTS2 of 2013, not of 2021: left out
    "A,MIO_EUR,EU27_2020\t9 \t9 \n"  # an aggregate: left out
    "A,PPS_EU27_2020_HAB,PL21\t1 \t1 \n"  # another unit: left out
)
PER_HEAD = (
    "freq,unit,geo\\TIME_PERIOD\t2019 \t2020 \n"
    "A,EUR_HAB,PL\t12500 \t15000 \n"
    "A,EUR_HAB,PL21\t10000 b\t12500 e\n"
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
    return [tuple(r) for r in frame[["measure", "region", "year", "value", "flag"]].to_numpy()]


def test_counts_of_small_files_by_hand(tmp_path):
    c = context_counts(files(tmp_path))
    assert list(c.columns) == COLUMNS
    assert rows(c) == [
        ("gdp", "PL", 2019, 500.0, ""),
        ("gdp", "PL", 2020, 600.0, "p"),
        ("gdp", "PL21", 2019, 40.0, ""),
        ("gdp", "PL21", 2020, 50.0, ""),
        ("patents", "PL22", 2011, 3.0, ""),
        ("patents", "PL22", 2012, 7.0, ""),
        # 1e6 * 500 / 12500 = 40,000; 1e6 * 600 / 15000 = 40,000 (flag p of the total)
        ("population", "PL", 2019, 40000.0, ""),
        ("population", "PL", 2020, 40000.0, "p"),
        # 1e6 * 40 / 10000 = 4,000 (flag b); 1e6 * 50 / 12500 = 4,000 (flag e)
        ("population", "PL21", 2019, 4000.0, "b"),
        ("population", "PL21", 2020, 4000.0, "e"),
        ("rd_personnel", "PL", 2016, 900.0, ""),
        ("rd_personnel", "PL21", 2009, 100.0, ""),
        ("rd_personnel", "PL21", 2018, 150.0, ""),
        ("rd_personnel", "PL92", 2018, 12.0, ""),
    ]
    assert not c["converted"].any() and (c["conversion_weight"] == "").all()
    assert c.index.tolist() == list(range(14))
    assert c.attrs["versions"] == {
        "gdp": "2021", "rd_personnel": "2013 (2009), 2016 (2018)", "patents": "2013",
        "result": "2021",
    }  # fmt: skip
    assert set(c["measure"]) == set(MEASURES)


def test_counts_in_another_version(tmp_path):
    c = context_counts(files(tmp_path), version="2016")
    # the same unchanged regions: the same counts, now converted from 2021 (GDP) to 2016
    assert rows(c) == rows(context_counts(files(tmp_path)))
    assert c.attrs["versions"]["result"] == "2016"
    assert c["flag"].tolist()[:2] == ["", "p"]


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
    # the population's flag: the letters of both, once each, sorted
    assert out["flag"].tolist()[4:6] == ["ep", "d"]
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
    # no rows at all is no error: nothing to share
    assert gdp_counts(total.iloc[:0], head.iloc[:0]).empty
