"""Location quotients at their edges, against scalar hand formulas written out below.

Counts of 0 and 1, a variance that the delta method makes negative, zero region and industry
totals, confidence levels at their bounds, the long kernel without years, with a custom index,
empty, with a late duplicate in a sparse table and with its first bad value after a zero.
"""

import math
import warnings

import numpy as np
import pandas as pd
import pytest

from clusterlib.errors import DataFormatError, DataValueError, OptionError
from clusterlib.specialisation import (
    location_quotient,
    location_quotient_ci,
    location_quotient_long,
)
from clusterlib.specialisation.lq import lq_interval_arrays

Z = 1.959963984540054  # the 97.5% normal quantile

# A: 0, 1, 5, 0 (total 6); B: 0, 2, 3, 4 (total 9); C: all 0 (total 0)
# industry totals 0, 3, 8, 4; grand total 15
WIDE = pd.DataFrame(
    {"a": [0.0, 0, 0], "b": [1.0, 2, 0], "c": [5.0, 3, 0], "d": [0.0, 4, 0]},
    index=["A", "B", "C"],
)


def hand(x, xr, xi, xt):
    """LQ, se, low, high and significance of one cell, straight from the formulas."""
    if xr == 0 or xi == 0:
        return (math.nan,) * 4 + (False,)
    lq = (x / xr) / (xi / xt)
    if x == 0:  # [0, Garwood upper count -ln(0.025) over the expected count]
        high = -math.log(0.025) / (xr * xi / xt)
        return 0.0, math.nan, 0.0, high, high < 1
    se = math.sqrt(max(1 / x - 1 / xr - 1 / xi + 1 / xt, 0.0))
    low, high = lq * math.exp(-Z * se), lq * math.exp(Z * se)
    return lq, se, low, high, low > 1 or high < 1


def expected():
    xr, xi = WIDE.sum(axis=1), WIDE.sum(axis=0)
    xt = xr.sum()
    rows = {(r, i): hand(WIDE.at[r, i], xr[r], xi[i], xt) for r in WIDE.index for i in WIDE.columns}
    return pd.DataFrame.from_dict(
        rows, orient="index", columns=["lq", "se_log", "lq_low", "lq_high", "significant"]
    )


def test_wide_interval_by_hand_without_warnings():
    # (A, c): 1/5 - 1/6 - 1/8 + 1/15 < 0, clipped: se 0, the interval is the point 1.0417 > 1
    # (A, d): a zero count, interval [0, 3.689 / 1.6]; column a and region C: undefined (NaN)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # undefined cells are NaN, silently, never inf or warned
        got = location_quotient_ci(WIDE)
        wide = location_quotient(WIDE)
    want = expected()
    assert got.index.names == ["region", "industry"]
    for k in ("lq", "se_log", "lq_low", "lq_high"):
        np.testing.assert_allclose(got[k].to_numpy(), want[k].to_numpy(), rtol=1e-13)
    assert got["significant"].tolist() == want["significant"].tolist()
    assert got["count"].tolist() == WIDE.to_numpy().ravel().tolist()
    assert got.loc[("A", "c"), "se_log"] == 0 and got.loc[("A", "c"), "significant"]
    np.testing.assert_allclose(wide.stack().to_numpy(), want["lq"].to_numpy(), rtol=1e-13)


def test_long_kernel_equals_the_hand_values_in_any_layout():
    long = WIDE.stack().rename("value").rename_axis(["region", "industry"]).reset_index()
    long.index = np.arange(100, 100 + len(long)) * 7  # a custom index is kept
    shuffled = long.sample(frac=1, random_state=2)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = location_quotient_long(shuffled, time=None)
        lq_only = location_quotient_long(shuffled, time=None, level=None)
    assert got.index.equals(shuffled.index) and lq_only.index.equals(shuffled.index)
    want = expected().set_axis(long.index)
    got = got.loc[long.index]
    for k in ("lq", "se_log", "lq_low", "lq_high"):
        np.testing.assert_allclose(got[k].to_numpy(), want[k].to_numpy(), rtol=1e-13)
    assert got["significant"].tolist() == want["significant"].tolist()
    np.testing.assert_allclose(lq_only.loc[long.index, "lq"], want["lq"], rtol=1e-13)


@pytest.mark.parametrize("level", [0.0, 1.0, 1.5])
def test_levels_outside_zero_one_are_refused(level):
    msg = f"level: expected a confidence level strictly between 0 and 1, got {level}."
    with pytest.raises(OptionError) as err:
        lq_interval_arrays(np.ones(2), np.ones(2), np.ones(2), 2.0, level=level)
    assert str(err.value) == msg
    long = pd.DataFrame({"region": ["A", "B"], "industry": "i", "value": [1.0, 2.0]})
    with pytest.raises(OptionError) as err:
        location_quotient_long(long, time=None, level=level)
    assert str(err.value) == msg


def test_long_kernel_on_an_empty_table():
    empty = pd.DataFrame({"region": [], "industry": [], "year": [], "value": []})
    got = location_quotient_long(empty.astype({"value": float}))
    assert got.empty and list(got.columns) == ["lq", "se_log", "lq_low", "lq_high", "significant"]
    assert got.dtypes.astype(str).tolist() == ["float64"] * 4 + ["bool"]
    assert location_quotient_long(empty.astype({"value": float}), level=None).columns == ["lq"]


def test_long_kernel_names_a_late_duplicate_in_a_sparse_table():
    # 60 rows, each its own region and industry: the key range (60 x 60) is too sparse for the
    # boolean scatter, so repeats are found by a sort; the duplicate is row 61 (index 60)
    d = pd.DataFrame(
        {
            "region": [f"r{k}" for k in range(60)] + ["r5"],
            "industry": [f"i{k}" for k in range(60)] + ["i5"],
            "year": 2014,
            "value": 1.0,
        }
    )
    with pytest.raises(DataValueError) as err:
        location_quotient_long(d)
    assert str(err.value) == (
        "row 6 (index 5): the key (region, industry, year) = ('r5', 'i5', 2014) appears more "
        "than once; its count would be double-counted. Aggregate first."
    )
    # each region holds one industry alone: LQ = (1 / 1) / (1 / 60) = 60
    assert location_quotient_long(d.iloc[:60])["lq"].eq(60.0).all()


def test_long_kernel_names_the_first_bad_value_not_a_zero():
    d = pd.DataFrame(
        {"region": ["A", "B", "C"], "industry": "i", "year": 2014, "value": [0.0, 0.5, -1.0]}
    )
    with pytest.raises(DataValueError) as err:
        location_quotient_long(d)
    assert str(err.value).startswith(
        "row 3 (index 2), field 'value': counts cannot be negative, missing or infinite, "
        "found -1. Drop or fix the row (for tables with missing cells use specialisation_table "
        "and its policy=)."
    )
    with pytest.raises(DataFormatError) as err:
        location_quotient_long(d.drop(columns="year"))
    assert str(err.value) == (
        "data: missing column(s) ['year']; found ['region', 'industry', 'value']. Name the "
        "columns with region=, industry=, time= (None for one cross-section) and value=."
    )


def test_zero_or_unit_totals_given_by_the_user():
    # a : b counts A (1, 1), B (0, 2). Row sums: A 2, B 2, total 4; industry a's total is 1,
    # which is a total like any other: LQ(A, a) = (1/2) / (1/4) = 2.
    y = pd.DataFrame({"a": [1.0, 0.0], "b": [1.0, 2.0]}, index=["A", "B"])
    assert location_quotient(y).loc["A", "a"] == 2.0
    # given totals A 0 (inconsistent with its counts) and B 1: A's LQs are NaN, never inf;
    # B: x_.. = 1, LQ(B, b) = (2 / 1) / (3 / 1) = 2/3
    given = pd.Series({"A": 0.0, "B": 1.0})
    lq = location_quotient(y, region_total=given)
    assert lq.loc["A"].isna().all() and lq.loc["B", "b"] == pytest.approx(2 / 3, rel=1e-15)
    ci = location_quotient_ci(y, region_total=given, level=0.9)
    assert np.isnan(ci.loc[("A", "a"), "lq_high"]) and not ci.loc[("A", "a"), "significant"]
    # (B, b) at 90%: se^2 = 1/2 - 1/1 - 1/3 + 1/1 = 1/6, low = 2/3 exp(-1.6449 sqrt(1/6))
    z90 = 1.6448536269514722
    assert ci.loc[("B", "b"), "lq_low"] == pytest.approx(
        2 / 3 * math.exp(-z90 * math.sqrt(1 / 6)), rel=1e-13
    )


def test_missing_and_tiny_counts_without_warnings():
    # a NaN count makes its region's, its industry's and the grand total unknown: every LQ of
    # the matrix is NaN and none is significant. A count of 1e-300 has a variance of 1e300 and
    # an upper limit of inf. Both silently.
    nan = pd.DataFrame({"a": [np.nan, 2.0], "b": [2.0, 3.0]}, index=["A", "B"])
    tiny = pd.DataFrame({"a": [1.0, 2.0], "b": [1e-300, 3.0]}, index=["A", "B"])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ci_nan = location_quotient_ci(nan)
        ci = location_quotient_ci(tiny)
        long = tiny.stack().rename("value").rename_axis(["region", "industry"]).reset_index()
        got = location_quotient_long(long, time=None)
    assert ci_nan[["lq", "lq_low", "lq_high"]].isna().all().all()
    assert not ci_nan["significant"].any()
    assert ci.loc[("A", "b"), "lq_high"] == np.inf and ci.loc[("A", "b"), "lq_low"] == 0.0
    assert got["lq_high"].eq(np.inf).sum() == 1
