"""The wide region x industry input: its checks and its totals, with the exact messages."""

import numpy as np
import pandas as pd
import pytest

from clusterlib.errors import DataValueError, OptionError
from clusterlib.specialisation._wide import check_wide, totals

X = pd.DataFrame({"a": [1.0, 2.0], "b": [3.0, np.nan]}, index=["A", "B"])


def test_totals_by_hand():
    # row sums with a NaN cell: B's total is unknown (NaN), and so are b's and the grand total
    xr, xi, xt = totals(X, None)
    assert xr["A"] == 4.0 and np.isnan(xr["B"])
    assert xi["a"] == 3.0 and np.isnan(xi["b"]) and np.isnan(xt)
    # given region totals are aligned on the matrix (other order, an extra region ignored)
    xr, xi, xt = totals(X, pd.Series({"Z": 9.0, "B": 20.0, "A": 10.0}))
    assert xr.tolist() == [10.0, 20.0] and xt == 30.0
    with pytest.raises(DataValueError) as err:
        totals(X, pd.Series({"Z": 1.0}))
    assert str(err.value) == "region_total: its index shares no region with the matrix."


def test_check_wide_messages():
    with pytest.raises(OptionError) as err:
        check_wide([[1, 2]], name="start")
    assert str(err.value) == (
        "start: expected a DataFrame (index = regions, columns = industries), got list."
    )
    with pytest.raises(DataValueError) as err:
        check_wide(pd.DataFrame(), name="end")
    assert str(err.value) == "end: the region x industry matrix is empty."
    with pytest.raises(DataValueError) as err:
        check_wide(pd.DataFrame({"a": [1.0, 2.0]}, index=["A", "A"]))
    assert str(err.value) == (
        "x: region (row) 'A' appears more than once; each must appear once, or its counts would "
        "be double-counted. Aggregate first (e.g. x.groupby(level=0).sum())."
    )
    with pytest.raises(DataValueError) as err:
        check_wide(pd.DataFrame({"a": [1.0, 2.0], "t": ["x", "y"]}))
    assert str(err.value) == (
        "x, column 't': expected numbers, found str values (e.g. 'x'). Convert or drop that column."
    )
    with pytest.raises(DataValueError) as err:
        check_wide(pd.DataFrame({"a": [1.0, np.inf]}, index=["A", "B"]))
    assert str(err.value) == (
        "x, row 'B', column 'a': inf is not a count. Fix that cell (NaN marks a missing value)."
    )


def test_check_wide_names_the_first_negative_cell_and_allows_zeros():
    x = pd.DataFrame({"a": [0.0, 1.0, -2.0], "b": [0.5, -1.0, 3.0]}, index=["A", "B", "C"])
    with pytest.raises(DataValueError, match=r"row 'B', column 'b'") as err:
        check_wide(x)
    assert "-1" in str(err.value)
    ok = check_wide(pd.DataFrame({"a": [0, 1]}))
    assert ok["a"].dtype == float and ok["a"].tolist() == [0.0, 1.0]
    assert check_wide(x, allow_negative=True).equals(x)
