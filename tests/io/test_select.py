"""``select``: plain strings out of a categorical table, as ``astype(str)`` gives them."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from clusterlib.io.select import plain_strings, select


@pytest.mark.parametrize(
    "column",
    [
        pd.Series(["PL22", "PL21", "PL22", "DE11"], dtype="category", index=[7, 3, 5, 1]),
        pd.Series(["b", "", "c"], dtype=pd.CategoricalDtype(["", "b", "c", "u"]), name="flag"),
        pd.Series([1, 2, 1], dtype="category"),  # categories that are not strings
        pd.Series(["PL22", None, "PL21"], dtype="category"),  # a gap: astype's own answer
        pd.Series([], dtype="category"),
        pd.Series(["PL22", "PL21"]),  # not categorical
        pd.Series([np.nan, "x"], dtype=object),
    ],
)
def test_plain_strings_are_what_astype_str_gives(column):
    pd.testing.assert_series_equal(plain_strings(column), column.astype(str))


def test_unused_categories_do_not_shift_the_values():
    col = pd.Series(pd.Categorical(["C25", "C28"], categories=["C24", "C25", "C27", "C28"]))
    assert plain_strings(col).tolist() == ["C25", "C28"]


def test_select_on_the_cached_table_returns_plain_strings():
    from clusterlib.io.cache import load_eurostat

    data = load_eurostat()
    out = select(data, indicator="local_units", years=2014, regions=["PL22", "PL21"])
    rows = data[(data["indicator"] == "V11210") & (data["year"] == 2014)]
    rows = rows[rows["region"].isin(["PL22", "PL21"])]
    expected = rows[["region", "industry", "year", "value", "flag"]].astype(
        {"region": str, "industry": str, "flag": str}
    )
    pd.testing.assert_frame_equal(out, expected.reset_index(drop=True))


def test_datetime_and_number_categories_give_astype_strings():
    # a Timestamp category prints as '2020-01-01' in an Index, '2020-01-01 00:00:00' by astype
    for col in (pd.Series(pd.to_datetime(["2020-01-01", "2021-06-30"]), dtype="category"),
                pd.Series([1.5, 2.0], dtype="category")):  # fmt: skip
        pd.testing.assert_series_equal(plain_strings(col), col.astype(str))


def test_string_categories_are_converted_without_a_per_row_astype(monkeypatch):
    """The fast route: each category converted once (the first category, code 0, included)."""
    col = pd.Series(["PL21", "PL22", "PL21"], dtype="category")  # codes 0, 1, 0
    expected = col.astype(str)

    def refuse(self, *args, **kwargs):
        raise AssertionError("astype called on the rows")

    monkeypatch.setattr(pd.Series, "astype", refuse)
    pd.testing.assert_series_equal(plain_strings(col), expected)
