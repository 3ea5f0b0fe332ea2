"""The shared checks of clusterlib.linkages (_checks, _stack), case by case (mutation testing).

Every refusal that test_linkages_messages.py does not pin yet, in full, and the accepted forms
(labels kept, stacked tables turned back into frames). Expected values by hand beside each case.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

import clusterlib as cl
from clusterlib.errors import DataFormatError, DataValueError, OptionError
from clusterlib.linkages._checks import _show, labels, vector
from clusterlib.linkages._stack import as_array, as_frame, rows_frame


def io(v, lab="ab", cols=None):
    return pd.DataFrame(v, index=list(lab), columns=list(cols or lab), dtype=float)


OK = io([[0.1, 0.2], [0.3, 0.1]])
ONES = pd.Series({"a": 1.0, "b": 1.0})


def _raises(exc, message):
    return pytest.raises(exc, match="^" + re.escape(message) + "$")


CASES = {
    "not square": (
        lambda: cl.leontief_inverse(
            pd.DataFrame(np.zeros((2, 3)), index=list("ab"), columns=list("abc"))
        ),
        DataFormatError,
        "A: expected a square table (as many industries in the rows as in the columns), found 2 "
        "rows x 3 columns. Keep only the industry-by-industry block.",
    ),
    "labels differ": (
        lambda: cl.leontief_inverse(io(np.eye(3) * 0.1, "abc", "acb")),
        DataFormatError,
        "A: row and column labels do not match: position 2 is row 'b' but column 'c'. Rows and "
        "columns must name the same industries in the same order (use df.loc[order, order]).",
    ),
    "infinite cell": (
        lambda: cl.leontief_inverse(io([[0.1, np.inf], [0.3, 0.1]])),
        DataValueError,
        "A, row 'a', column 'b': expected a finite number, found inf. Fill it in; write 0 only "
        "where the value is truly zero.",
    ),
    "negative cell, second row": (
        lambda: cl.leontief_inverse(io([[0.1, 0.2], [0.3, -0.5]])),
        DataValueError,
        "A, row 'b', column 'b': expected a flow >= 0, found -0.5. Intermediate flows cannot be "
        "negative; check the sign convention or move net taxes and subsidies out of the flow "
        "block.",
    ),
    "duplicate column": (
        lambda: cl.leontief_inverse(
            pd.DataFrame(np.zeros((2, 2)), index=list("ab"), columns=list("aa"))
        ),
        DataFormatError,
        "A columns: label 'a' appears more than once; expected each label once.",
    ),
    "extra labels, first five": (
        lambda: cl.multipliers(OK, employment=pd.Series(1.0, index=list("abzyxwvu"))),
        DataFormatError,
        "employment: labels do not match the table's industries: industries not in the table "
        "['z', 'y', 'x', 'w', 'v']. Use the same industry codes as the flow table.",
    ),
    "missing and extra labels": (
        lambda: cl.multipliers(OK, employment=pd.Series({"a": 1.0, "z": 1.0})),
        DataFormatError,
        "employment: labels do not match the table's industries: no value for ['b']; industries "
        "not in the table ['z']. Use the same industry codes as the flow table.",
    ),
    "missing labels, first five": (
        lambda: cl.multipliers(io(np.eye(7) * 0.1, "abcdefg"), employment=pd.Series({"a": 1.0})),
        DataFormatError,
        "employment: labels do not match the table's industries: no value for ['b', 'c', 'd', "
        "'e', 'f']. Use the same industry codes as the flow table.",
    ),
    "missing labels in the table's order": (
        lambda: cl.multipliers(io(np.eye(4) * 0.1, "dcba"), employment=pd.Series({"a": 1.0})),
        DataFormatError,
        "employment: labels do not match the table's industries: no value for ['d', 'c', 'b']. "
        "Use the same industry codes as the flow table.",
    ),
    "negative after a zero": (
        lambda: cl.multipliers(OK, employment=pd.Series({"a": 0.0, "b": -3.0})),
        DataValueError,
        "employment, industry 'b': expected a value >= 0, found -3.",
    ),
    "text in a vector": (
        lambda: cl.multipliers(OK, employment=pd.Series({"a": 1.0, "b": "x"})),
        DataValueError,
        "employment, industry 'b': expected a finite number, found 'x'.",
    ),
    "infinite in a vector": (
        lambda: cl.multipliers(OK, employment=pd.Series({"a": np.inf, "b": 1.0})),
        DataValueError,
        "employment, industry 'a': expected a finite number, found inf.",
    ),
    "zero where positive": (
        lambda: cl.regionalise(OK, regional=ONES, national=pd.Series({"a": 2.0, "b": 0.0})),
        DataValueError,
        "national, industry 'b': expected a positive value, found 0. An industry with zero output "
        "has no coefficients: drop its row and column.",
    ),
    "negative where positive": (
        lambda: cl.regionalise(OK, regional=ONES, national=pd.Series({"a": -2.0, "b": 1.0})),
        DataValueError,
        "national, industry 'a': expected a positive value, found -2. An industry with zero output "
        "has no coefficients: drop its row and column.",
    ),
    "negative, second industry": (
        lambda: cl.multipliers(OK, employment=pd.Series({"a": 1.0, "b": -3.0})),
        DataValueError,
        "employment, industry 'b': expected a value >= 0, found -3.",
    ),
    "vector not a series": (
        lambda: cl.multipliers(OK, employment={"a": 1.0, "b": 1.0}),
        DataFormatError,
        "employment: expected a pandas Series indexed by industry, found dict.",
    ),
    "vector with a missing label": (
        lambda: cl.multipliers(OK, employment=pd.Series([1.0, 1.0], index=["a", None])),
        DataFormatError,
        "employment: an industry label is missing (empty or NaN).",
    ),
    "zero coefficient, type I undefined": (
        lambda: cl.multipliers(OK, value_added=pd.Series({"a": 0.5, "b": 0.0})),
        DataValueError,
        "value_added, industry 'b': the coefficient is 0, so its type I multiplier (effect / "
        "direct coefficient) is undefined. Drop that industry or leave value_added= out.",
    ),
    "consumption without income": (
        lambda: cl.multipliers(OK, consumption=ONES),
        OptionError,
        "consumption: households can be closed into the model only with their income; pass "
        "income= (compensation per unit of output) as well.",
    ),
    "unknown method": (
        lambda: cl.regionalise(OK, regional=ONES, national=ONES, method="rlq"),
        OptionError,
        "method: expected one of ('slq', 'cilq', 'flq', 'aflq'), found 'rlq'.",
    ),
    "delta of 1": (
        lambda: cl.regionalise(OK, regional=ONES, national=ONES, delta=1),
        OptionError,
        "delta: expected a number with 0 <= delta < 1 (the literature uses 0.1-0.4), found 1.",
    ),
    "delta as text": (
        lambda: cl.regionalise(OK, regional=ONES, national=ONES, delta="0.3"),
        OptionError,
        "delta: expected a number with 0 <= delta < 1 (the literature uses 0.1-0.4), found '0.3'.",
    ),
    "regional of another type": (
        lambda: cl.regionalise(OK, regional=[1.0, 2.0], national=ONES),
        DataFormatError,
        "regional: expected a Series by industry or a DataFrame of regions x industries, found "
        "list.",
    ),
    "regional negative, second region": (
        lambda: cl.regionalise(
            OK,
            regional=pd.DataFrame([[1.0, 1.0], [1.0, -1.0]], index=["X", "Y"], columns=list("ab")),
            national=ONES,
        ),
        DataValueError,
        "regional, region 'Y', industry 'b': expected employment >= 0, found -1.",
    ),
    "regional empty": (
        lambda: cl.regionalise(OK, regional=ONES * 0, national=ONES),
        DataValueError,
        "regional: the region has no employment in any industry.",
    ),
    "regional columns, first five": (
        lambda: cl.regionalise(
            io(np.eye(7) * 0.1, "abcdefg"),
            regional=pd.DataFrame([[1.0] * 7], index=["X"], columns=list("azyxwvu")),
            national=pd.Series(1.0, index=list("abcdefg")),
        ),
        DataFormatError,
        "regional: columns do not match the table's industries (missing ['b', 'c', 'd', 'e', "
        "'f'], not in the table ['z', 'y', 'x', 'w', 'v']). Use one column per industry of A.",
    ),
    "regional column label repeated": (
        lambda: cl.regionalise(
            OK,
            regional=pd.DataFrame([[1.0, 1.0]], index=["X"], columns=list("aa")),
            national=ONES,
        ),
        DataFormatError,
        "regional columns: label 'a' appears more than once; expected each label once.",
    ),
    "stacked, missing cell": (
        lambda: cl.leontief_inverse(pd.concat({"R1": OK, "R2": io([[0.1, np.nan], [0.1, 0.1]])})),
        DataValueError,
        "A, row ('R2', 'a'), column 'b': expected a finite number, found nan. Fill it in; write 0 "
        "only where the value is truly zero.",
    ),
    "stacked, negative cell": (
        lambda: cl.leontief_inverse(pd.concat({"R1": OK, "R2": io([[0.1, 0.1], [-0.1, 0.1]])})),
        DataValueError,
        "A, row ('R2', 'b'), column 'a': expected a flow >= 0, found -0.1. Intermediate flows "
        "cannot be negative; check the sign convention or move net taxes and subsidies out of "
        "the flow block.",
    ),
    "stacked, region missing an industry": (
        lambda: cl.leontief_inverse(pd.concat({"R1": OK, "R2": OK.iloc[:1]})),
        DataFormatError,
        "A: every region must have one row per industry, in the columns' order (2 industries); "
        "sort with df.loc[pd.MultiIndex.from_product([regions, industries])].",
    ),
    "stacked, repeated column": (
        lambda: cl.leontief_inverse(pd.concat({"R1": OK, "R2": OK}).set_axis(["a", "a"], axis=1)),
        DataFormatError,
        "A columns: label 'a' appears more than once; expected each label once.",
    ),
    "stacked, repeated row": (
        lambda: cl.leontief_inverse(pd.concat({"R1": OK, "R2": OK, "R3": OK}).iloc[[0, 1, 0, 1]]),
        DataFormatError,
        "A rows: label ('R1', 'a') appears more than once; expected each label once.",
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_refusal_in_full(case):
    call, exc, message = CASES[case]
    with _raises(exc, message):
        call()


def test_labels_of_a_multiindex_with_a_missing_level_value_are_not_refused_as_missing():
    # a MultiIndex reports hasnans on its codes only in some pandas versions: labels() asks only
    # plain indexes, and a repeated pair is still refused
    labels(pd.MultiIndex.from_tuples([("R1", "a"), ("R1", "b")]), name="x")
    with _raises(DataFormatError, "x: label ('R1', 'a') appears more than once; expected each "
                                  "label once."):  # fmt: skip
        labels(pd.MultiIndex.from_tuples([("R1", "a"), ("R1", "a")]), name="x")


def test_vector_aligns_to_the_tables_order():
    # the Series is given in another order: values follow the table's industries (b, a)
    out = vector(pd.Series({"a": 1.0, "b": 2.0}), pd.Index(["b", "a"]), name="v")
    assert out.tolist() == [2.0, 1.0] and out.dtype == np.float64
    # integers and numeric text are numbers
    out = vector(pd.Series({"a": 3, "b": "4.5"}), pd.Index(["a", "b"]), name="v", positive=True)
    assert out.tolist() == [3.0, 4.5]
    # whole numbers come back as floats too
    out = vector(pd.Series({"a": 3, "b": 4}), pd.Index(["a", "b"]), name="v")
    assert out.dtype == np.float64 and out.tolist() == [3.0, 4.0]


def test_show_numbers_as_g_anything_else_as_repr():
    assert _show(np.nan) == "nan" and _show(2) == "2" and _show(np.int64(7)) == "7"
    assert _show(0.5) == "0.5" and _show(np.float32(1.5)) == "1.5"
    assert _show(True) == "True" and _show("x") == "'x'" and _show(None) == "None"


def test_stacked_tables_round_trip_with_their_labels():
    # two regions of two industries: (R, n, n) = (2, 2, 2), regions and industries kept
    two = io([[0.2, 0.0], [0.0, 0.2]])
    stacked = pd.concat({"R1": OK, "R2": two})
    arr, regions, industries = as_array(stacked, name="A")
    assert arr.shape == (2, 2, 2)
    np.testing.assert_array_equal(arr[1], two.to_numpy())
    assert regions.tolist() == ["R1", "R2"] and industries.tolist() == ["a", "b"]
    pd.testing.assert_frame_equal(as_frame(arr, regions, industries), stacked)
    one, none, ind = as_array(OK, name="A")
    assert one.shape == (1, 2, 2) and none is None and ind.tolist() == ["a", "b"]
    pd.testing.assert_frame_equal(as_frame(one, None, ind), OK)
    # one row per (region, industry), k = 3 named columns
    rows = rows_frame(np.arange(12.0).reshape(2, 2, 3), regions, industries, ["x", "y", "z"])
    assert rows.index.tolist() == [("R1", "a"), ("R1", "b"), ("R2", "a"), ("R2", "b")]
    assert rows.loc[("R2", "a")].tolist() == [6.0, 7.0, 8.0]
    single = rows_frame(np.arange(6.0).reshape(1, 2, 3), None, industries, ["x", "y", "z"])
    assert single.index.tolist() == ["a", "b"] and single.loc["b"].tolist() == [3.0, 4.0, 5.0]


def test_leontief_of_stacked_regions_by_hand():
    # region R2: A = 0.2 I, so L = I / 0.8 = 1.25 I; region R1:
    # I - A = [[0.9, -0.2], [-0.3, 0.9]], det = 0.81 - 0.06 = 0.75, L = [[0.9, 0.2], [0.3, 0.9]]
    # / 0.75 = [[1.2, 0.26667], [0.4, 1.2]]
    L = cl.leontief_inverse(pd.concat({"R1": OK, "R2": io([[0.2, 0.0], [0.0, 0.2]])}))
    np.testing.assert_allclose(
        L.to_numpy(), [[1.2, 0.2 / 0.75], [0.4, 1.2], [1.25, 0.0], [0.0, 1.25]], atol=1e-12
    )
    assert L.index.tolist() == [("R1", "a"), ("R1", "b"), ("R2", "a"), ("R2", "b")]
