"""The dense grid behind the specialisation table: any key encoding and any set of years.

The table is computed on integer codes (clusterlib/specialisation/grid.py). Categorical keys use
their categories' codes, plain strings are factorised and years are an offset (consecutive) or a
search (with gaps); each route must give the same table.
"""

import pandas as pd
import pytest

import clusterlib as cl
from clusterlib.specialisation.grid import CodedTable


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
