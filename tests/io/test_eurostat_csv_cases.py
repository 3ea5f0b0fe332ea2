"""read_eurostat_csv, case by case (issue 26, mutation testing).

Each file is a few lines written here; the expected frame is read off the lines by hand.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from clusterlib import read_eurostat_csv
from clusterlib.errors import DataFormatError, DataValueError, EmptyDataError


def write(tmp_path, text, name="e.csv"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def _exact(path, text):
    return "^" + re.escape(f"{path}{text}") + "$"


def test_a_small_file_read_by_hand(tmp_path):
    p = write(
        tmp_path,
        "unit,sex,geo,time,values\n"
        "FTE,T,PL22,2010.0,1.5\n"
        "FTE,F,PL22,2010,\n"
        "HC,T,PL22,2009,-2\n"
        "FTE,T,DE11,2010, 3e2\n",
    )
    df = read_eurostat_csv(p)
    assert list(df.columns) == ["region", "unit", "sex", "year", "value", "flag"]
    assert df["region"].astype(str).tolist() == ["PL22", "PL22", "PL22", "DE11"]
    assert df["unit"].astype(str).tolist() == ["FTE", "FTE", "HC", "FTE"]
    assert df["sex"].astype(str).tolist() == ["T", "F", "T", "T"]
    assert df["year"].dtype == np.int64 and df["year"].tolist() == [2010, 2010, 2009, 2010]
    assert df["value"].dtype == np.float64
    np.testing.assert_array_equal(df["value"].to_numpy(), [1.5, np.nan, -2.0, 300.0])
    # categories are the values that occur, sorted
    assert list(df["region"].cat.categories) == ["DE11", "PL22"]
    assert list(df["unit"].cat.categories) == ["FTE", "HC"]
    assert isinstance(df["flag"].dtype, pd.CategoricalDtype)
    assert df["flag"].astype(str).tolist() == [""] * 4 and list(df["flag"].cat.categories) == [""]
    assert df.attrs == {"source": str(p)}
    assert df.index.tolist() == [0, 1, 2, 3]


def test_blanks_around_the_header_names(tmp_path):
    # the header check strips the names, and so does the reader (this was a KeyError)
    df = read_eurostat_csv(write(tmp_path, "unit, geo , time,values \nNR,PL,2014,1\n"))
    assert list(df.columns) == ["region", "unit", "year", "value", "flag"]
    assert df.iloc[0].tolist() == ["PL", "NR", 2014, 1.0, ""]


def test_only_dimensions_named_so_are_renamed(tmp_path):
    # nace_r2 and indic_sbs become industry and indicator, first after region; others keep names
    df = read_eurostat_csv(
        write(tmp_path, "prof_pos,indic_sbs,geo,nace_r2,time,values\nTOTAL,LOC_NR,PL,C,2014,2\n")
    )
    assert list(df.columns) == [
        "region", "industry", "indicator", "prof_pos", "year", "value", "flag",
    ]  # fmt: skip
    assert df.iloc[0].tolist() == ["PL", "C", "LOC_NR", "TOTAL", 2014, 2.0, ""]


def test_the_same_key_in_another_year_or_unit_is_not_a_duplicate(tmp_path):
    p = write(tmp_path, "unit,geo,time,values\nNR,PL,2014,1\nNR,PL,2015,2\nPC,PL,2014,3\n")
    assert read_eurostat_csv(p)["value"].tolist() == [1.0, 2.0, 3.0]
    # the value and its emptiness play no part in the key
    p = write(tmp_path, "unit,geo,time,values\nNR,PL,2014,\nNR,PL,2014,\n")
    with pytest.raises(
        DataValueError,
        match=_exact(
            p,
            ", line 3: the key ('PL', 'NR', '2014') appears twice; each key and year may appear "
            "once. Remove one of the lines.",
        ),
    ):
        read_eurostat_csv(p)


def test_errors_on_the_first_data_line(tmp_path):
    p = write(tmp_path, "geo,time,values\nPL,14,1\n")
    with pytest.raises(
        DataFormatError,
        match=_exact(
            p,
            ", line 2, field 'time': expected a year such as 2009 or 2009.0, found '14'. This "
            "reader takes annual files.",
        ),
    ):
        read_eurostat_csv(p)
    p = write(tmp_path, "geo,time,values\nPL,2014, x \n")
    with pytest.raises(
        DataValueError,
        match=_exact(
            p,
            ", line 2, field 'values': expected a number or an empty cell, found ' x '. Repair "
            "that cell.",
        ),
    ):
        read_eurostat_csv(p)
    p = write(tmp_path, "geo,time,values\nPL,2014\n")
    with pytest.raises(
        DataFormatError,
        match=_exact(
            p,
            ", line 2: expected 3 comma-separated fields (geo,time,values), found 2. Repair that "
            "line.",
        ),
    ):
        read_eurostat_csv(p)
    # a blank line among the data is a line of no fields
    p = write(tmp_path, "geo,time,values\nPL,2014,1\n\nDE,2014,2\n")
    with pytest.raises(
        DataFormatError, match=r", line 3: expected 3 comma-separated fields.*found 0"
    ):
        read_eurostat_csv(p)


@pytest.mark.parametrize("time", ["20140", "2014.", "2014.00", "2014.1", "2014,5", "x2014", ""])
def test_times_that_are_not_years(tmp_path, time):
    p = write(tmp_path, f'geo,time,values\nPL,2013,1\nPL,"{time}",1\n')
    with pytest.raises(
        DataFormatError,
        match=_exact(
            p,
            f", line 3, field 'time': expected a year such as 2009 or 2009.0, found {time!r}. "
            "This reader takes annual files.",
        ),
    ):
        read_eurostat_csv(p)


@pytest.mark.parametrize("cell", ["-inf", "NaN", "1,5", "1 5", "--1", "0x10"])
def test_values_that_are_not_finite_numbers(tmp_path, cell):
    p = write(tmp_path, f'geo,time,values\nPL,2013,1\nPL,2014,"{cell}"\n')
    with pytest.raises(
        DataValueError, match=re.escape("line 3, field 'values'") + ".*" + re.escape(repr(cell))
    ):
        read_eurostat_csv(p)


def test_a_header_only_of_blanks_and_a_reserved_name(tmp_path):
    p = write(tmp_path, "geo,time,values\n")
    with pytest.raises(
        EmptyDataError, match=_exact(p, ": the file holds a header but no data rows.")
    ):
        read_eurostat_csv(p)
    # geo, time and values all present, but values not last
    p = write(tmp_path, "geo,time,values,unit\nPL,2014,1,NR\n")
    with pytest.raises(
        DataFormatError,
        match=_exact(
            p,
            ", line 1: expected the columns of a tidy Eurostat CSV, dimensions then 'time' and "
            "'values', with 'geo' among them (e.g. unit,geo,time,values); found ['geo', 'time', "
            "'values', 'unit']. Is this a Eurostat CSV?",
        ),
    ):
        read_eurostat_csv(p)
    for name in ("flag", "value", "region", "industry"):
        p = write(tmp_path, f"{name},geo,time,values\na,PL,2014,1\n")
        with pytest.raises(
            DataFormatError,
            match=_exact(
                p,
                f", line 1, field {name!r}: the dimension repeats or collides with a column the "
                "reader adds (region, industry, indicator, year, value, flag). Repair the header "
                "line.",
            ),
        ):
            read_eurostat_csv(p)
    # geo itself is a dimension named region: allowed
    assert read_eurostat_csv(write(tmp_path, "geo,time,values\nPL,2014,1\n")).shape == (1, 4)


def test_whole_numbers_are_read_as_floats(tmp_path):
    # no empty cell: the values are still float64, as the docstring promises
    df = read_eurostat_csv(write(tmp_path, "geo,time,values\nPL,2014,1\nDE,2014,20\n"))
    assert df["value"].dtype == np.float64 and df["value"].tolist() == [1.0, 20.0]
