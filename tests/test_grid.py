"""The dense grid behind the specialisation table: any key encoding and any set of years.

The table is computed on integer codes (clusterlib/specialisation/grid.py). Categorical keys use
their categories' codes, plain strings are factorised and years are an offset (consecutive) or a
search (with gaps); each route must give the same table.
"""

import numpy as np
import pandas as pd
import pytest

import clusterlib as cl
from clusterlib.errors import DataFormatError, DataValueError
from clusterlib.specialisation.grid import CodedTable, group_sums, labels_at


@pytest.fixture(scope="module")
def two_countries(eurostat):
    keep = eurostat["region"].astype(str).str[:2].isin(["PL", "CZ"]).to_numpy()
    return eurostat[keep].reset_index(drop=True)


def test_plain_string_keys_give_the_same_table(two_countries):
    cat = cl.specialisation_table(two_countries, years=[2013, 2014])
    plain = two_countries.astype({"region": str, "industry": str, "indicator": str})
    pd.testing.assert_frame_equal(cl.specialisation_table(plain, years=[2013, 2014]), cat)


def test_years_with_a_gap_give_the_same_cells(two_countries):
    # without 2010 the years 2008, 2009, 2011, ... are coded by a search, not an offset; the
    # fill-in and the totals never cross years, so every other year's rows are unchanged
    full = cl.specialisation_table(two_countries)
    gap = cl.specialisation_table(two_countries[two_countries["year"] != 2010])
    assert CodedTable(two_countries[two_countries["year"] != 2010]).years.tolist() == [
        2008, 2009, 2011, 2012, 2013, 2014, 2015,
    ]  # fmt: skip
    pd.testing.assert_frame_equal(
        gap.reset_index(drop=True),
        full[full["year"] != 2010].reset_index(drop=True),
    )


def test_row_order_does_not_matter(two_countries):
    shuffled = two_countries.sample(frac=1, random_state=0)
    pd.testing.assert_frame_equal(
        cl.specialisation_table(shuffled, years=2014),
        cl.specialisation_table(two_countries, years=2014),
    )


# --- the grid's own pieces, on tables small enough to check by hand ---------------------------


def tidy(rows):
    return pd.DataFrame(rows, columns=["region", "industry", "indicator", "year", "value"])


SMALL = tidy(
    [
        ("PL11", "C24", "V16110", 2014, 5.0),
        ("PL12", "C24", "V16110", 2014, 0.0),
        ("PL12", "C25", "V16110", 2014, 0.0),
        ("PL11", "C25", "V16110", 2015, 1.0),
        ("PL11", "C24", "V11210", 2014, 2.0),
    ]
)


def test_coded_table_axes_and_grid_by_hand():
    coded = CodedTable(SMALL)
    assert coded.years.tolist() == [2014, 2015] and coded.years.dtype == np.int64
    assert coded.regions.tolist() == ["PL11", "PL12"]
    assert coded.industries.tolist() == ["C24", "C25"]
    grid = coded.grid(coded.rows("V16110"))
    assert grid.present.tolist() == [
        [[True, False], [True, True]],
        [[False, True], [False, False]],
    ]
    np.testing.assert_array_equal(
        grid.value, [[[5.0, np.nan], [0.0, 0.0]], [[np.nan, 1.0], [np.nan, np.nan]]]
    )
    assert coded.rows("V16110", [2015]).tolist() == [False, False, False, True, False]
    assert not coded.rows("V99999").any()  # an indicator not in the table selects nothing


def test_keep_active_and_keep_regions():
    # PL12 in 2014 holds only zeros: not in use that year, dropped; PL11 in 2015 holds 1 (> 0)
    coded = CodedTable(SMALL)
    grid = coded.grid(coded.rows("V16110"))
    grid.keep_active()
    assert grid.present.any(axis=2).tolist() == [[True, False], [True, False]]
    assert np.isnan(grid.value[0, 1]).all() and grid.value[1, 0, 1] == 1.0
    grid.keep_regions(np.array([False, True]))
    assert not grid.present.any() and np.isnan(grid.value).all()


def test_years_far_apart_and_an_empty_table():
    # years 10,000 apart are found by a sort, not an offset array of 10,000 entries
    wide = SMALL.assign(year=[1, 1, 1, 20001, 1])
    coded = CodedTable(wide)
    assert coded.years.tolist() == [1, 20001] and coded.year.tolist() == [0, 0, 0, 1, 0]
    assert coded.year.dtype.kind in "iu"  # integer codes, whichever route found them
    gap = CodedTable(SMALL.assign(year=[2014, 2014, 2014, 2016, 2014]))  # 2015 missing
    assert gap.years.tolist() == [2014, 2016] and gap.year.tolist() == [0, 0, 0, 1, 0]
    assert gap.year.dtype.kind in "iu"
    empty = CodedTable(SMALL.iloc[:0])
    assert empty.years.tolist() == [] and not empty.rows("V16110").any()


def test_project_places_the_other_table_and_skips_unknown_keys():
    coded = CodedTable(SMALL)
    other = pd.DataFrame(
        {
            "region": ["PL11", "PL12", "PL99", "PL11"],
            "industry": ["C24", "C25", "C24", "C99"],
            "year": [2014, 2015, 2014, 2014],
            "value": [7.0, 8.0, 9.0, 10.0],
        }
    )
    got = coded.project(other)
    want = np.full((2, 2, 2), np.nan)
    want[0, 0, 0], want[1, 1, 1] = 7.0, 8.0  # PL99 and C99 are not on the axes
    np.testing.assert_array_equal(got, want)


def test_missing_code_and_later_duplicate_are_named():
    with pytest.raises(DataFormatError) as err:
        CodedTable(SMALL.assign(region=["PL11", None, "PL12", "PL11", "PL11"]))
    assert str(err.value) == (
        "data: row 1, column 'region': expected a code, found a missing value. "
        "Drop or repair that row."
    )
    dup = pd.concat([SMALL, SMALL.iloc[[2]]], ignore_index=True)
    coded = CodedTable(dup)
    with pytest.raises(DataValueError, match=r"^data: the key \(region='PL12'"):
        coded.grid(coded.rows("V16110"))  # the default name of the table
    with pytest.raises(DataValueError) as err:
        coded.grid(coded.rows("V16110"), what="my.csv")
    assert str(err.value) == (
        "my.csv: the key (region='PL12', industry='C25', year=2014) appears more than once for "
        "one indicator; expected one row per key. Remove the duplicate rows."
    )


def test_group_sums_and_labels_by_hand():
    a = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    np.testing.assert_array_equal(
        group_sums(a, np.array([1, 0, 1]), 3), [[3.0, 4.0], [6.0, 8.0], [0.0, 0.0]]
    )
    np.testing.assert_array_equal(group_sums(a[:0], np.array([], int), 2), np.zeros((2, 2)))
    got = labels_at(np.array(["a", "bb"], dtype=object), np.array([1, 0, 1]))
    assert str(got.dtype) == "str" and got.tolist() == ["bb", "a", "bb"]
