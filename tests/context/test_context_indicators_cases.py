"""Context indicators of regions and areas, by hand (issue 26, mutation testing).

Every expected figure is worked out beside the test from the counts it is given: an indicator is
``scale * sum(numerators) / sum(denominators)`` over a unit's members.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from clusterlib.context.indicators import growth_rate, indicator_values, percentile
from clusterlib.errors import DataValueError


def counts_frame(rows):
    """(region, year, measure, value, converted) rows as context_counts gives them."""
    return pd.DataFrame(rows, columns=["region", "year", "measure", "value", "converted"])


ROWS = [
    # region A: gdp 10 (million EUR), 1,000 people, 5 R&D FTE, 2 patents (2020)
    ("A", 2020, "gdp", 10.0, False), ("A", 2020, "population", 1000.0, False),
    ("A", 2020, "rd_personnel", 5.0, False), ("A", 2020, "patents", 2.0, False),
    # region B: gdp 30, 3,000 people, 1 R&D FTE (converted), 1 patent
    ("B", 2020, "gdp", 30.0, False), ("B", 2020, "population", 3000.0, True),
    ("B", 2020, "rd_personnel", 1.0, True), ("B", 2020, "patents", 1.0, False),
    # 2021: B's gdp unknown
    ("A", 2021, "gdp", 12.0, False), ("A", 2021, "population", 1000.0, False),
    ("B", 2021, "gdp", np.nan, False), ("B", 2021, "population", 3000.0, False),
    # region C: no population in 2020 (0 people: no rate)
    ("C", 2020, "gdp", 4.0, False), ("C", 2020, "population", 0.0, False),
]  # fmt: skip


def test_area_and_region_values_by_hand():
    v = indicator_values(counts_frame(ROWS), units={"AB": ["A", "B"], "B": ["B"], "C": ["C"]})
    assert v.index.names == ["unit", "indicator", "year"]
    assert list(v.columns) == ["value", "numerator", "denominator", "converted"]
    # AB 2020: gdp 1e6 * (10 + 30) / (1000 + 3000) = 10,000 EUR per inhabitant
    ab = v.loc[("AB", "gdp_per_inhabitant", 2020)]
    assert ab.tolist() == [10000.0, 40.0, 4000.0, True]  # B's population was converted
    # AB 2020: R&D 1e3 * (5 + 1) / 4000 = 1.5 per 1,000; patents 1e6 * 3 / 4000 = 750 per million
    assert v.loc[("AB", "rd_per_1000", 2020), "value"] == 1.5
    assert v.loc[("AB", "patents_per_million", 2020), "value"] == 750.0
    # B alone 2020: 1e6 * 30 / 3000 = 10,000; R&D 1e3 * 1 / 3000
    assert v.loc[("B", "gdp_per_inhabitant", 2020), "value"] == 10000.0
    assert v.loc[("B", "rd_per_1000", 2020), "value"] == pytest.approx(1 / 3, rel=1e-15)
    # AB 2021: B's gdp unknown -> no partial sum (12 would give 3,000), population 4,000 known
    row = v.loc[("AB", "gdp_per_inhabitant", 2021)]
    assert math.isnan(row["value"]) and math.isnan(row["numerator"])
    assert row["denominator"] == 4000.0 and not row["converted"]
    # C: population 0 -> no rate, the counts are kept
    c = v.loc[("C", "gdp_per_inhabitant", 2020)]
    assert math.isnan(c["value"]) and c["numerator"] == 4.0 and c["denominator"] == 0.0


def test_converted_is_either_count_converted():
    v = indicator_values(counts_frame(ROWS), units={"A": ["A"], "AB": ["A", "B"]})
    assert not v.loc[("A", "gdp_per_inhabitant", 2020), "converted"]
    # AB patents: patents not converted, population of B converted
    assert v.loc[("AB", "patents_per_million", 2020), "converted"]
    # AB R&D: both
    assert v.loc[("AB", "rd_per_1000", 2020), "converted"]
    # a converted numerator alone
    rows = [("A", 2020, "gdp", 1.0, True), ("A", 2020, "population", 10.0, False)]
    one = indicator_values(counts_frame(rows), units={"A": ["A"]})
    assert one["converted"].tolist() == [True] and one["value"].tolist() == [100000.0]


def test_the_index_is_sorted_and_indicators_without_counts_are_left_out():
    rows = [
        ("Z", 2021, "population", 100.0, False), ("Z", 2021, "patents", 1.0, False),
        ("Z", 2020, "population", 100.0, False), ("Z", 2020, "patents", 3.0, False),
        ("A", 2020, "population", 50.0, False), ("A", 2020, "patents", 1.0, False),
    ]  # fmt: skip
    v = indicator_values(counts_frame(rows), units={"Z": ["Z"], "A": ["A"]})
    # no gdp and no rd_personnel: only patents per million
    assert v.index.tolist() == [
        ("A", "patents_per_million", 2020),
        ("Z", "patents_per_million", 2020),
        ("Z", "patents_per_million", 2021),
    ]
    # 1e6 * 1 / 50 = 20,000; 1e6 * 3 / 100 = 30,000; 1e6 * 1 / 100 = 10,000
    assert v["value"].tolist() == [20000.0, 30000.0, 10000.0]


def test_a_member_without_any_row_leaves_the_unit_without_value():
    rows = [("A", 2020, "gdp", 10.0, False), ("A", 2020, "population", 1000.0, False)]
    # D has no rows: AD sums one member of two -> no value
    v = indicator_values(counts_frame(rows), units={"AD": ["A", "D"], "A": ["A"]})
    assert math.isnan(v.loc[("AD", "gdp_per_inhabitant", 2020), "value"])
    assert v.loc[("A", "gdp_per_inhabitant", 2020), "value"] == 10000.0


def test_no_member_at_all():
    with pytest.raises(DataValueError, match=r"^indicator_values: no unit has a member region\.$"):
        indicator_values(counts_frame(ROWS), units={"AB": []})


def test_percentile_by_hand():
    v = pd.Series([1.0, 2.0, 3.0, 4.0, np.nan])
    # 3 among 1, 2, 3, 4: (2 below + 0.5 * 1 equal) / 4 = 62.5 %
    assert percentile(v, 3.0) == 62.5
    assert percentile(v, 0.0) == 0.0  # below every value
    assert percentile(v, 5.0) == 100.0  # above every value
    assert percentile(v, 2.5) == 50.0  # between: 2 below of 4
    # ties: 1 among 1, 1, 2: (0 + 0.5 * 2) / 3
    assert percentile(pd.Series([1.0, 1.0, 2.0]), 1.0) == pytest.approx(100 / 3, rel=1e-15)
    assert math.isnan(percentile(pd.Series([np.nan]), 1.0))
    assert math.isnan(percentile(pd.Series([], dtype=float), 1.0))
    assert math.isnan(percentile(v, float("nan")))
    assert math.isnan(percentile(v, float("inf")))
    assert isinstance(percentile(v, 3.0), float)


def test_growth_rate_by_hand():
    # 100 -> 121 over 2 years: sqrt(1.21) - 1 = 0.1
    assert growth_rate(pd.Series([100.0, np.nan, 121.0], index=[2000, 2001, 2002])) == (
        pytest.approx(0.1, rel=1e-12)
    )
    # the first and last years with a value, in index order: 2001 (50) and 2004 (400), 3 years:
    # 8 ** (1/3) - 1 = 1; a 0 and a negative value are not values
    s = pd.Series(
        [0.0, 50.0, -3.0, np.nan, 400.0, np.nan], index=[2000, 2001, 2002, 2003, 2004, 2005]
    )
    assert growth_rate(s) == pytest.approx(1.0, rel=1e-12)
    # unsorted index: t0 is the earliest year, not the first row: 200 (2011) over 100 (2010)
    assert growth_rate(pd.Series([200.0, 100.0], index=[2011, 2010])) == pytest.approx(1.0)
    # a decline: 100 -> 81 over 2 years = 0.9 - 1
    assert growth_rate(pd.Series([100.0, 81.0], index=[2010, 2012])) == pytest.approx(-0.1)
    assert math.isnan(growth_rate(pd.Series([100.0], index=[2000])))
    assert math.isnan(growth_rate(pd.Series([100.0, 0.0], index=[2000, 2001])))
    assert math.isnan(growth_rate(pd.Series([], dtype=float)))


def test_a_year_without_the_denominator_gives_no_row_and_small_denominators_count():
    rows = [
        ("A", 2020, "gdp", 2.0, False), ("A", 2020, "population", 1.0, False),
        ("A", 2021, "gdp", 3.0, False),  # no population in 2021: no row at all
        ("A", 2022, "gdp", 3.0, False), ("A", 2022, "population", 0.5, False),
    ]  # fmt: skip
    v = indicator_values(counts_frame(rows), units={"A": ["A"]})
    assert v.index.tolist() == [
        ("A", "gdp_per_inhabitant", 2020),
        ("A", "gdp_per_inhabitant", 2022),
    ]
    # 1e6 * 2 / 1 = 2,000,000 and 1e6 * 3 / 0.5 = 6,000,000: any positive denominator divides
    assert v["value"].tolist() == [2e6, 6e6]


def test_growth_rate_from_values_below_one():
    # 0.5 -> 2.0 over 2 years: 4 ** (1/2) - 1 = 1; every positive value counts
    assert growth_rate(pd.Series([0.5, 2.0], index=[2000, 2002])) == pytest.approx(1.0)
