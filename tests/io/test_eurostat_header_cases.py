"""The header line of a Eurostat bulk TSV, case by case (issue 26, mutation testing).

Each expected value is read off the header by hand: the packed key field is split at the
backslash, the dimensions at the commas, and the period columns are put in calendar order.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

from clusterlib.errors import DataFormatError
from clusterlib.io.eurostat_header import parse_dimensions, parse_periods


def _raises(match: str):
    return pytest.raises(DataFormatError, match="^" + re.escape(match) + "$")


# --- dimensions -----------------------------------------------------------------------------


def test_dimensions_of_both_generations_and_their_column_names():
    assert parse_dimensions("x.tsv", "nace_r2,indic_sb,geo\\time") == (
        ["nace_r2", "indic_sb", "geo"],
        ["industry", "indicator", "region"],
    )
    # since 2023: freq first, TIME_PERIOD; indic_sbs is the indicator too, unit keeps its name
    assert parse_dimensions("x.tsv", "freq,unit,indic_sbs,geo\\TIME_PERIOD") == (
        ["freq", "unit", "indic_sbs", "geo"],
        ["freq", "unit", "indicator", "region"],
    )
    # a dimension name with a digit and an underscore after the first letter
    assert parse_dimensions("x.tsv", "geo,sex_2\\time") == (["geo", "sex_2"], ["region", "sex_2"])


def test_no_backslash_in_the_key_header():
    with _raises(
        "x.tsv, line 1, field 'geo,unit': expected the packed key header "
        "'freq,unit,geo\\TIME_PERIOD' (since 2023) or 'nace_r2,indic_sb,geo\\time' (before). "
        "Is this a Eurostat bulk TSV?"
    ):
        parse_dimensions("x.tsv", "geo,unit")


def test_the_time_word_after_the_backslash():
    with _raises(
        "x.tsv, line 1, field 'geo\\\\TIME': expected the time word 'TIME_PERIOD' or 'time' after "
        "the backslash, found 'TIME'. Is this a Eurostat bulk TSV?"
    ):
        parse_dimensions("x.tsv", "geo\\TIME")
    # only the first backslash splits: the rest is the time word
    with pytest.raises(DataFormatError, match=r"found 'time\\\\x'"):
        parse_dimensions("x.tsv", "geo\\time\\x")


@pytest.mark.parametrize(
    ("header", "bad"),
    [
        ("Geo\\time", "Geo"),  # capital
        ("geo,1unit\\time", "1unit"),  # starts with a digit
        ("geo,un-it\\time", "un-it"),  # a hyphen
        ("geo,,unit\\time", ""),  # empty
        ("geo,unit \\time", "unit "),  # trailing blank
        ("geo,x,unitY\\time", "unitY"),  # the first bad one is named, after a good 'x'
    ],
)
def test_malformed_dimension_names(header, bad):
    with _raises(
        f"x.tsv, line 1, field {header!r}: {bad!r} is not a Eurostat dimension code (lower-case "
        "letters, digits and '_', such as 'geo' or 'nace_r2'). Repair the header line."
    ):
        parse_dimensions("x.tsv", header)


def test_a_one_letter_dimension_is_a_code():
    assert parse_dimensions("x.tsv", "geo,s\\time") == (["geo", "s"], ["region", "s"])


@pytest.mark.parametrize(
    ("header", "dims", "clash"),
    [
        ("geo,geo\\time", ["geo", "geo"], "region"),  # repeated
        ("indic_sb,indic_sbs,geo\\time", ["indic_sb", "indic_sbs", "geo"], "indicator"),
        ("geo,value\\time", ["geo", "value"], "value"),  # reserved
        ("geo,region\\time", ["geo", "region"], "region"),  # a second region column
        ("flag,geo,year\\time", ["flag", "geo", "year"], "flag"),  # sorted: flag before year
    ],
)
def test_repeated_or_reserved_columns(header, dims, clash):
    with _raises(
        f"x.tsv, line 1, field {header!r}: the dimensions {dims} give the column {clash!r} twice "
        "or collide with a column the reader adds (region, industry, indicator, year, period, "
        "value, flag). Repair the header line."
    ):
        parse_dimensions("x.tsv", header)


def test_no_geo_dimension():
    with _raises(
        "x.tsv, line 1, field 'freq,unit\\\\TIME_PERIOD': no 'geo' dimension in ['freq', 'unit']: "
        "clusterlib reads regional data. Download the dataset's regional table."
    ):
        parse_dimensions("x.tsv", "freq,unit\\TIME_PERIOD")


def test_freq_must_come_first():
    with _raises(
        "x.tsv, line 1, field 'unit,freq,geo\\\\TIME_PERIOD': 'freq' must be the first "
        "dimension, as Eurostat writes it, found ['unit', 'freq', 'geo']. Repair the header line."
    ):
        parse_dimensions("x.tsv", "unit,freq,geo\\TIME_PERIOD")
    # first is fine, and so is freq alone with geo
    assert parse_dimensions("x.tsv", "freq,geo\\TIME_PERIOD")[0] == ["freq", "geo"]


def test_expected_dimensions_besides_freq():
    header = "freq,unit,geo\\TIME_PERIOD"
    # freq is never expected; the order of the expected list does not matter
    assert parse_dimensions("x.tsv", header, expected=["geo", "unit"])[0] == ["freq", "unit", "geo"]
    with _raises(
        f"x.tsv, line 1, field {header!r}: unknown dimension 'unit': expected the dimensions "
        "['geo', 'nace_r2'] (besides 'freq'), found ['unit', 'geo']. Check that this is the "
        "dataset you meant."
    ):
        parse_dimensions("x.tsv", header, expected=["nace_r2", "geo"])
    with _raises(
        f"x.tsv, line 1, field {header!r}: no dimension 'sex': expected the dimensions "
        "['geo', 'sex', 'unit'] (besides 'freq'), found ['unit', 'geo']. Check that this is the "
        "dataset you meant."
    ):
        parse_dimensions("x.tsv", header, expected=["unit", "sex", "geo"])
    # unknown is reported before missing
    with pytest.raises(DataFormatError, match="unknown dimension 'unit'"):
        parse_dimensions("x.tsv", header, expected=["geo", "sex"])


# --- periods --------------------------------------------------------------------------------


def test_years_in_reverse_order_are_sorted():
    p = parse_periods("x.tsv", ["2016 ", "2014 ", "2015"])
    assert p.frequency == "A"
    assert p.order.tolist() == [1, 2, 0]
    assert p.years.dtype == np.int64 and p.years.tolist() == [2014, 2015, 2016]
    assert p.labels == ["2014", "2015", "2016"]
    assert p.headers == ["2014 ", "2015", "2016 "]


def test_quarters_of_both_forms_sort_within_the_year():
    # 2019Q4 < 2020Q1 < 2020Q2: key year * 100 + quarter = 201904, 202001, 202002
    p = parse_periods("x.tsv", ["2020Q2 ", "2019-Q4", "2020-Q1 "])
    assert p.frequency == "Q"
    assert p.order.tolist() == [1, 2, 0]
    assert p.years.tolist() == [2019, 2020, 2020]
    assert p.labels == ["2019-Q4", "2020-Q1", "2020-Q2"]
    assert p.headers == ["2019-Q4", "2020-Q1 ", "2020Q2 "]


def test_months_of_both_forms():
    # 2020-12 (202012) < 2021-01 (202101) < 2021-10 (202110)
    p = parse_periods("x.tsv", ["2021M10", "2020-12 ", "2021M01"])
    assert p.frequency == "M"
    assert p.order.tolist() == [1, 2, 0]
    assert p.years.tolist() == [2020, 2021, 2021]
    assert p.labels == ["2020-12", "2021-01", "2021-10"]


def test_equal_keys_keep_the_header_order():
    # one period only: order [0]
    p = parse_periods("x.tsv", ["2014 "])
    assert p.order.tolist() == [0] and p.labels == ["2014"]


@pytest.mark.parametrize(
    "header", ["14", "20140", "2020Q5", "2020-Q0", "2020M13", "2020-00", "2020-1", "x2014", "2014a"]
)
def test_not_a_period(header):
    with _raises(
        f"x.tsv, line 1, field {header!r}: expected a year such as '2014 ' as a column header, or "
        "a quarter ('2020-Q1') or month ('2020-01') of one frequency. Repair the header line, or "
        "read this dataset through another route if Eurostat changed its form."
    ):
        parse_periods("x.tsv", ["2014", header])


def test_two_kinds_of_period():
    with _raises(
        "x.tsv, line 1, field '2020Q1 ': the period columns mix annual ('2014') and quarterly "
        "('2020Q1') periods; a file holds one frequency. Download one frequency at a time."
    ):
        parse_periods("x.tsv", ["2014 ", "2015", "2020Q1 ", "2020-01"])
    # the first header of another kind than the first is named, here a month
    with _raises(
        "x.tsv, line 1, field '2020-01': the period columns mix quarterly ('2020-Q1') and monthly "
        "('2020-01') periods; a file holds one frequency. Download one frequency at a time."
    ):
        parse_periods("x.tsv", ["2020-Q1", "2020-Q2", "2020-01"])


def test_a_repeated_period_in_either_form():
    with _raises("x.tsv, line 1: a period appears twice in the header ['2020Q1', '2020-Q1 ']."):
        parse_periods("x.tsv", ["2020Q1", "2020-Q1 "])
    with _raises("x.tsv, line 1: a period appears twice in the header ['2014', '2015', '2014 ']."):
        parse_periods("x.tsv", ["2014", "2015", "2014 "])
