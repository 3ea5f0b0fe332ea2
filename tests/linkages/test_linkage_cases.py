"""Linkage indices, inverses, multipliers and link strength, case by case (mutation testing).

The two-industry example of the multipliers' docstring, worked by hand:
A = [[0.1, 0.4], [0.3, 0.1]], I - A = [[0.9, -0.4], [-0.3, 0.9]], det 0.69,
L = [[0.9, 0.4], [0.3, 0.9]] / 0.69.

Households closed in with income coefficients w = (0.2, 0.1) and consumption shares
h = (0.3, 0.4): I - Ā = [[0.9, -0.4, -0.3], [-0.3, 0.9, -0.4], [-0.2, -0.1, 1]],
det = 0.9 (0.9 - 0.04) + 0.4 (-0.3 - 0.08) - 0.3 (0.03 + 0.18) = 0.774 - 0.152 - 0.063 = 0.559;
cofactors C11 = 0.86, C12 = 0.38, C21 = 0.43, C22 = 0.84, so the industry block of (I - Ā)⁻¹ is
[[0.86, 0.43], [0.38, 0.84]] / 0.559.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

import clusterlib as cl


def io(v, lab="ab"):
    return pd.DataFrame(v, index=list(lab), columns=list(lab), dtype=float)


A = io([[0.1, 0.4], [0.3, 0.1]])
W = pd.Series({"a": 0.2, "b": 0.1})
H = pd.Series({"a": 0.3, "b": 0.4})


def test_multipliers_by_hand_every_column():
    e = pd.Series({"a": 10.0, "b": 20.0})
    v = pd.Series({"a": 0.5, "b": 0.25})
    out = cl.multipliers(A, employment=e, value_added=v, income=W, consumption=H)
    assert list(out.columns) == [
        "output", "output_type_ii",
        "employment", "employment_type_i", "employment_type_ii",
        "value_added", "value_added_type_i", "value_added_type_ii",
        "income", "income_type_i", "income_type_ii",
    ]  # fmt: skip
    d, dd = 0.69, 0.559
    hand = {
        # column sums of L and of the closed block
        "output": [1.2 / d, 1.3 / d],
        "output_type_ii": [1.24 / dd, 1.27 / dd],
        # e'L = (10 x 0.9 + 20 x 0.3, 10 x 0.4 + 20 x 0.9) / 0.69 = (15, 22) / 0.69
        "employment": [15 / d, 22 / d],
        "employment_type_i": [15 / d / 10, 22 / d / 20],
        # e' block = (10 x 0.86 + 20 x 0.38, 10 x 0.43 + 20 x 0.84) / 0.559 = (16.2, 21.1) / 0.559
        "employment_type_ii": [16.2 / dd / 10, 21.1 / dd / 20],
        # v'L = (0.45 + 0.075, 0.2 + 0.225) / 0.69
        "value_added": [0.525 / d, 0.425 / d],
        "value_added_type_i": [0.525 / d / 0.5, 0.425 / d / 0.25],
        # v' block = (0.43 + 0.095, 0.215 + 0.21) / 0.559
        "value_added_type_ii": [0.525 / dd / 0.5, 0.425 / dd / 0.25],
        # w'L = (0.18 + 0.03, 0.08 + 0.09) / 0.69; w' block = (0.172 + 0.038, 0.086 + 0.084)
        "income": [0.21 / d, 0.17 / d],
        "income_type_i": [0.21 / d / 0.2, 0.17 / d / 0.1],
        "income_type_ii": [0.21 / dd / 0.2, 0.17 / dd / 0.1],
    }
    for col, values in hand.items():
        np.testing.assert_allclose(out[col].to_numpy(), values, rtol=1e-12, err_msg=col)
    assert out.index.tolist() == ["a", "b"]


def test_multipliers_without_coefficients_and_stacked():
    out = cl.multipliers(A)
    assert list(out.columns) == ["output"]
    stacked = cl.multipliers(pd.concat({"R1": A, "R2": io([[0.0, 0.0], [0.0, 0.5]])}),
                             employment=pd.Series({"a": 1.0, "b": 2.0}))  # fmt: skip
    # R2: L = diag(1, 2): output (1, 2); e'L = (1, 4); type I (1, 2)
    np.testing.assert_allclose(stacked.loc["R2"].to_numpy(), [[1, 1, 1], [2, 4, 2]])
    np.testing.assert_allclose(stacked.loc["R1", "output"].to_numpy(), [1.2 / 0.69, 1.3 / 0.69])


def test_linkage_indices_of_an_unlinked_economy_name_no_key_sector():
    # A = 0: L = I, average entry 1/2, every column and row mean 1/2: both indices exactly 1,
    # not above 1, so no key sector
    out = cl.linkage_indices(io(np.zeros((2, 2))))
    assert out.to_numpy().tolist() == [[1.0, 1.0, False], [1.0, 1.0, False]]


def test_linkage_indices_stacked_by_hand():
    # R1 = the docstring's A: L = [[0.9, 0.4], [0.3, 0.9]] / 0.69, average 2.5 / 4 / 0.69;
    # backward = column means / average = (1.2/2, 1.3/2) / (2.5/4) = (0.96, 1.04);
    # forward = row means / average = (1.3/2, 1.2/2) / (2.5/4) = (1.04, 0.96)
    # R2 = [[0.0, 0.5], [0.5, 0.0]]: L = [[1, 0.5], [0.5, 1]] / 0.75, symmetric: all 1
    out = cl.linkage_indices(pd.concat({"R1": A, "R2": io([[0.0, 0.5], [0.5, 0.0]])}))
    np.testing.assert_allclose(out["backward"], [0.96, 1.04, 1.0, 1.0], rtol=1e-12)
    np.testing.assert_allclose(out["forward"], [1.04, 0.96, 1.0, 1.0], rtol=1e-12)
    assert not out["key_sector"].any()
    assert out.index.tolist() == [("R1", "a"), ("R1", "b"), ("R2", "a"), ("R2", "b")]


def test_extraction_of_several_industries_by_hand():
    # extracting a and b of a 3-industry economy leaves c alone: A = [[.1,.2,0],[.3,.1,0],[0,0,.5]]
    # with f = (1, 1, 1): x_c = 1 / 0.5 = 2 either way; x_a, x_b from the 2x2 block
    # [[0.9, -0.2], [-0.3, 0.9]]^-1 (det 0.75) f = ((0.9 + 0.2), (0.3 + 0.9)) / 0.75
    a3 = io([[0.1, 0.2, 0.0], [0.3, 0.1, 0.0], [0.0, 0.0, 0.5]], "abc")
    f = pd.Series({"a": 1.0, "b": 1.0, "c": 1.0})
    for extract in (["a", "b"], ("b", "a"), pd.Index(["a", "b"])):
        out = cl.hypothetical_extraction(a3, f, extract=extract)
        np.testing.assert_allclose(out["output"], [1.1 / 0.75, 1.2 / 0.75, 2.0])
        np.testing.assert_allclose(out["without"], [1.0, 1.0, 2.0])
        np.testing.assert_allclose(out["loss"], [1.1 / 0.75 - 1, 1.2 / 0.75 - 1, 0.0], atol=1e-15)
    assert list(out.columns) == ["output", "without", "loss"]


def test_unknown_industry_among_eight_is_listed_without_dots():
    lab = "abcdefgh"
    with pytest.raises(cl.UnknownCodeError) as err:
        cl.hypothetical_extraction(io(np.eye(8) * 0.1, lab), pd.Series(1.0, index=list(lab)),
                                   extract=["a", "z"])  # fmt: skip
    assert str(err.value) == (
        "extract: ['z'] not among the table's industries ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']"
        "; name industries of the table."
    )


def test_link_strength_shares_of_intermediate_trade_only():
    # z: a sells 30 to b and 10 to c; b sells 20 to a and 30 to c; c buys but sells nothing;
    # a and b use 5 and 7 of their own product
    z = io([[5.0, 30.0, 10.0], [20.0, 7.0, 30.0], [0.0, 0.0, 0.0]], "abc")
    out = cl.io_link_strength(z)
    # the diagonal (own use 5 and 7) is not a link, but it counts in the shares' totals:
    # sales a 45, b 57; purchases a 25, b 37, c 40
    # IO_ab = max(z_ba / 25 = 0.8, z_ab / 37 = 0.8108, 30/45, 20/57) = 30/37
    # IO_ac = max(0, 10/40, 10/45, 0) = 0.25; IO_bc = max(0, 30/40, 30/57, 0) = 0.75
    expect = [[0.0, 30 / 37, 0.25], [30 / 37, 0.0, 0.75], [0.25, 0.75, 0.0]]
    np.testing.assert_allclose(out.to_numpy(), expect, rtol=1e-12)
    assert out.index.tolist() == list("abc") and out.columns.tolist() == list("abc")


def test_an_index_of_exactly_one_is_not_above_one():
    # c buys a quarter of a unit from every industry (itself included); a and b buy nothing.
    # x_c = (0.25 f_a + 0.25 f_b + f_c) / 0.75, so L = [[1, 0, 0], [0, 1, 0], [1/3, 1/3, 4/3]]:
    # column sums all 4/3 -> every backward index 1; row sums (1, 1, 2), total 4, average 4/9 ->
    # forward = (1, 1, 2) / 3 / (4/9) = (0.75, 0.75, 1.5). c is above 1 forward only: no key sector
    a3 = io([[0, 0, 0], [0, 0, 0], [0.25, 0.25, 0.25]], "abc")
    out = cl.linkage_indices(a3)
    assert out["backward"].tolist() == [1.0, 1.0, 1.0]
    assert out["forward"].tolist() == [0.75, 0.75, 1.5]
    assert not out["key_sector"].any()
    # transposed: backward (0.75, 0.75, 1.5), forward all 1: again no key sector
    t = cl.linkage_indices(a3.T)
    assert t["backward"].tolist() == [0.75, 0.75, 1.5] and t["forward"].tolist() == [1.0, 1.0, 1.0]
    assert not t["key_sector"].any()


def test_ghosh_of_stacked_regions_by_hand():
    # R1: B = [[0.1, 0.2], [0.6, 0.1]] (the docstring): I - B = [[0.9, -0.2], [-0.6, 0.9]],
    # det 0.81 - 0.12 = 0.69, G = [[0.9, 0.2], [0.6, 0.9]] / 0.69; R2: B = 0.5 I, G = 2 I
    B = pd.concat({"R1": io([[0.1, 0.2], [0.6, 0.1]]), "R2": io([[0.5, 0.0], [0.0, 0.5]])})
    G = cl.ghosh_inverse(B)
    np.testing.assert_allclose(
        G.to_numpy(),
        [[0.9 / 0.69, 0.2 / 0.69], [0.6 / 0.69, 0.9 / 0.69], [2, 0], [0, 2]],
        rtol=1e-12,
    )
    assert G.index.tolist() == [("R1", "a"), ("R1", "b"), ("R2", "a"), ("R2", "b")]
    assert G.columns.tolist() == ["a", "b"]
    one = cl.ghosh_inverse(io([[0.5, 0.0], [0.0, 0.5]]))
    assert one.index.tolist() == ["a", "b"] and one.columns.tolist() == ["a", "b"]


SING = io([[0.5, 0.5], [0.5, 0.5]])


@pytest.mark.parametrize(
    "call,message",
    [
        (lambda: cl.ghosh_inverse(np.eye(2)),
         "B: expected a pandas DataFrame with industries as index and columns, found ndarray."),
        (lambda: cl.hypothetical_extraction(np.eye(2), pd.Series({"a": 1.0}), extract="a"),
         "A: expected a pandas DataFrame with industries as index and columns, found ndarray."),
        (lambda: cl.multipliers(np.eye(2)),
         "A: expected a pandas DataFrame with industries as index and columns, found ndarray."),
        (lambda: cl.multipliers(pd.concat({"R1": A, "R2": SING})),
         "A: region 'R2': I - A is singular, so the Leontief inverse does not exist; industry 'b' "
         "is the most involved (a set of industries uses up all its own output). Check that its "
         "coefficient column's sum is below 1 and that the table is not missing final demand."),
        (lambda: cl.linkage_indices(pd.concat({"R1": A, "R2": SING})),
         "A: region 'R2': I - A is singular, so the Leontief inverse does not exist; industry 'b' "
         "is the most involved (a set of industries uses up all its own output). Check that its "
         "coefficient column's sum is below 1 and that the table is not missing final demand."),
        # households buy 0.9 of every unit of income, and earn 0.9 per unit of output: the closed
        # model's households column sums to 1.8, the largest
        (lambda: cl.multipliers(io(np.zeros((2, 2))), income=pd.Series({"a": 0.9, "b": 0.9}),
                                consumption=pd.Series({"a": 0.9, "b": 0.9})),
         "A closed with households: the Leontief inverse has a negative entry (-0.3065 at row 'a', "
         "column 'a'): the table is not productive (Hawkins-Simon conditions fail). Industry "
         "'households' has the largest coefficient sum (1.8); sums of 1 or more mean an industry "
         "needs more inputs than it produces: check its output and flows."),
        (lambda: cl.multipliers(pd.concat({"R1": A, "R2": io([[0.5, 0], [0, 0.5]])}),
                                income=pd.Series({"a": 1.0, "b": 0.5}),
                                consumption=pd.Series({"a": 0.5, "b": 0.0})),
         "A closed with households: region 'R2': I - A closed with households is singular, so the "
         "Leontief inverse does not exist; industry 'a' is the most involved (a set of industries "
         "uses up all its own output). Check that its coefficient column's sum is below 1 and "
         "that the table is not missing final demand."),
    ],
)  # fmt: skip
def test_messages_name_the_table_and_the_region(call, message):
    with pytest.raises(cl.ClusterlibError) as err:
        call()
    assert str(err.value) == message


def test_link_strength_of_idle_industries_warns_nothing():
    # c neither buys nor sells: its shares are 0/0, set to 0 without a numpy warning
    z = io([[0.0, 3.0, 0.0], [1.0, 0.0, 0.0], [0.0, 0.0, 0.0]], "abc")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = cl.io_link_strength(z)
    assert out.to_numpy().tolist() == [[0, 1, 0], [1, 0, 0], [0, 0, 0]]


NOT_PRODUCTIVE = io([[0.2, 1.5], [0.6, 0.2]])
TAIL = (
    "sums of 1 or more mean an industry needs more inputs than it produces: check its output and "
    "flows."
)


@pytest.mark.parametrize(
    "call,message",
    [
        # I - A = [[0.8, -1.5], [-0.6, 0.8]], det 0.64 - 0.9 = -0.26: L = [[0.8, 1.5], [0.6, 0.8]]
        # / -0.26, every entry negative, the first 0.8 / -0.26 = -3.077. Column sums (0.8, 1.7):
        # Leontief names b; row sums (1.7, 0.8): Ghosh names a
        (lambda: cl.leontief_inverse(NOT_PRODUCTIVE),
         "A: the Leontief inverse has a negative entry (-3.077 at row 'a', column 'a'): the table "
         "is not productive (Hawkins-Simon conditions fail). Industry 'b' has the largest "
         "coefficient sum (1.7); " + TAIL),
        (lambda: cl.ghosh_inverse(NOT_PRODUCTIVE),
         "B: the Ghosh inverse has a negative entry (-3.077 at row 'a', column 'a'): the table "
         "is not productive (Hawkins-Simon conditions fail). Industry 'a' has the largest "
         "coefficient sum (1.7); " + TAIL),
        # (I - A) (1, 2, 0) = 0 for A = [[0.5, 0.25, 0], [0.5, 0.75, 0], [0, 0, 0.2]]: b has the
        # largest part of the null vector
        (lambda: cl.leontief_inverse(io([[0.5, 0.25, 0], [0.5, 0.75, 0], [0, 0, 0.2]], "abc")),
         "A: I - A is singular, so the Leontief inverse does not exist; industry 'b' is the most "
         "involved (a set of industries uses up all its own output). Check that its coefficient "
         "column's sum is below 1 and that the table is not missing final demand."),
        # three regions of two industries, the third singular
        (lambda: cl.leontief_inverse(pd.concat({"R1": A, "R2": A, "R3": SING})),
         "A: region 'R3': I - A is singular, so the Leontief inverse does not exist; industry 'b' "
         "is the most involved (a set of industries uses up all its own output). Check that its "
         "coefficient column's sum is below 1 and that the table is not missing final demand."),
        # R1's inverse has entries of 1e10; R2's -0.6154 is still negative for R2's own scale
        (lambda: cl.leontief_inverse(
            pd.concat({"R1": io([[1 - 1e-10, 0], [0, 0]]), "R2": io([[0.6, 0.9], [0.9, 0.6]])})),
         "A: region 'R2': the Leontief inverse has a negative entry (-0.6154 at row 'a', column "
         "'a'): the table is not productive (Hawkins-Simon conditions fail). Industry 'a' has the "
         "largest coefficient sum (1.5); " + TAIL),
    ],
)  # fmt: skip
def test_inverse_refusals_name_the_right_industry(call, message):
    with pytest.raises(cl.ClusterlibError) as err:
        call()
    assert str(err.value) == message
