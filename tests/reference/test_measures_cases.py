"""Measures by name, case by case (issue 26, mutation testing): which code a table holds.

The codes are those of ``clusterlib/reference/measures.py`` (V16110 / EMP_LOC_NR persons
employed, V11210 / LOC_NR local units, V13320 / WAGE_LOC_MEUR wages); every expected message is
written out in full.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest

from clusterlib.errors import DataFormatError, UnknownCodeError
from clusterlib.reference.measures import indicator_code, measure_of


def _exact(text: str) -> str:
    return "^" + re.escape(text) + "$"


def test_measure_of_every_code_of_both_generations():
    assert [measure_of(c) for c in ("V16110", "EMP_LOC_NR", "V11210", "LOC_NR")] == [
        "employment", "employment", "local_units", "local_units",
    ]  # fmt: skip
    assert measure_of("V13320") == "wages" and measure_of("WAGE_LOC_MEUR") == "wages"
    assert measure_of("") is None and measure_of("employment") is None  # a name is not a code


def test_plain_column_of_either_generation():
    old = pd.DataFrame({"indicator": ["V91290", "V13320", "V16110"]})
    new = pd.DataFrame({"indicator": ["LOC_NR", "WAGE_LOC_MEUR", "LOC_NR"]})
    assert indicator_code(old, "wages") == "V13320"
    assert indicator_code(old, "employment") == "V16110"
    assert indicator_code(new, "wages") == "WAGE_LOC_MEUR"
    assert indicator_code(new, "local_units", required=True) == "LOC_NR"
    # a raw code is returned as it is, even one the data do not hold, and without a column
    assert indicator_code(pd.DataFrame({"x": [1]}), "V91290") == "V91290"


def test_categorical_column_of_one_generation():
    # only one generation's code among the categories: taken without looking at the rows
    cat = pd.DataFrame({"indicator": pd.Categorical(["V11210"], categories=["V11210", "V16110"])})
    assert indicator_code(cat, "local_units") == "V11210"
    assert indicator_code(cat, "employment") == "V16110"  # a category, even unused
    # both generations among the categories: the rows decide
    both = pd.Categorical(["LOC_NR", "LOC_NR"], categories=["LOC_NR", "V11210"])
    assert indicator_code(pd.DataFrame({"indicator": both}), "local_units") == "LOC_NR"
    old_rows = pd.Categorical(["V11210", "V16110"], categories=["LOC_NR", "V11210", "V16110"])
    assert indicator_code(pd.DataFrame({"indicator": old_rows}), "local_units") == "V11210"
    none = pd.Categorical(["V16110"], categories=["LOC_NR", "V11210", "V16110"])
    assert indicator_code(pd.DataFrame({"indicator": none}), "local_units", required=False) is None


def test_no_indicator_column_message():
    with pytest.raises(
        DataFormatError,
        match=_exact(
            "data: no 'indicator' column, so no local units (number). Read a regional SBS file "
            "with clusterlib.read_eurostat_tsv, or give read_table an indicator."
        ),
    ):
        indicator_code(pd.DataFrame({"geo": ["PL"]}), "local_units")


def test_both_generations_message():
    both = pd.DataFrame({"indicator": ["WAGE_LOC_MEUR", "V91290", "V13320"]})
    with pytest.raises(DataFormatError) as info:
        indicator_code(both, "wages", required=False)  # not a missing code: still an error
    assert type(info.value) is DataFormatError
    assert str(info.value) == (
        "the data hold wages and salaries (million EUR) under both V13320 (sbs_r_nuts06_r2) and "
        "WAGE_LOC_MEUR (sbs_r_nuts2021): two generations of the file were put together. Read "
        "one file."
    )


def test_missing_measure_message():
    data = pd.DataFrame({"indicator": pd.Categorical(["V16110"])})
    with pytest.raises(UnknownCodeError) as info:
        indicator_code(data, "local_units")
    assert str(info.value) == (
        "the data hold no local units (number): neither V11210 (sbs_r_nuts06_r2) nor LOC_NR "
        "(sbs_r_nuts2021) is among the indicators. Read a regional SBS file."
    )
    # plain strings: the rows are looked at
    with pytest.raises(UnknownCodeError, match=r"no persons employed \(number\)"):
        indicator_code(pd.DataFrame({"indicator": ["LOC_NR"]}), "employment")
