"""regionalise: SLQ, CILQ, FLQ and AFLQ against a hand-worked three-industry example, and properties.

The hand-worked example (written out here, every step):

National employment NE = (a 500, b 300, c 200), TNE = 1000; regional RE = (10, 60, 30), TRE = 100.

    SLQ_a = (10/100) / (500/1000) = 0.2;  SLQ_b = 0.6 / 0.3 = 2.0;  SLQ_c = 0.3 / 0.2 = 1.5.

National coefficients (rows sell, columns buy)

    A = [[0.20, 0.10, 0.30],
         [0.10, 0.20, 0.10],
         [0.05, 0.30, 0.10]]

SLQ: only row a is scaled (0.2); rows b and c have SLQ > 1, capped at 1.
CILQ_ij = SLQ_i / SLQ_j, SLQ_i on the diagonal: row a = (0.2, 0.2/2 = 0.1, 0.2/1.5 = 0.1333);
row b = (10, 2, 1.3333) -> all capped at 1; row c = (7.5, 1.5/2 = 0.75, 1.5) -> (1, 0.75, 1).
FLQ = λ CILQ with λ = log2(1 + 100/1000)^0.3 = 0.137504^0.3 = 0.551435: row a = (0.110287,
0.055143, 0.073525); row b = (5.51, 1.10, 0.735246) -> (1, 1, 0.735246); row c = (4.14, 0.413576,
0.827152) -> (1, 0.413576, 0.827152).
AFLQ multiplies columns with SLQ_j > 1 by log2(1 + SLQ_j): b by log2 3 = 1.584963, c by
log2 2.5 = 1.321928: row a = (0.110287, 0.087400, 0.097194); row b = (1, 1, 0.971943);
row c = (1, 0.655503, 1.093436 -> 1).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clusterlib.errors import DataFormatError, DataValueError, OptionError
from clusterlib.linkages import regionalise

IND = ["a", "b", "c"]
A = pd.DataFrame(
    [[0.20, 0.10, 0.30], [0.10, 0.20, 0.10], [0.05, 0.30, 0.10]], index=IND, columns=IND
)
NE = pd.Series([500.0, 300.0, 200.0], index=IND)
RE = pd.Series([10.0, 60.0, 30.0], index=IND)
LAM = 0.551435  # log2(1.1) ** 0.3, by hand to 6 digits

HAND = {
    "slq": [[0.2 * 0.2, 0.1 * 0.2, 0.3 * 0.2], [0.10, 0.20, 0.10], [0.05, 0.30, 0.10]],
    "cilq": [[0.2 * 0.2, 0.1 * 0.1, 0.3 * 0.133333], [0.10, 0.20, 0.10], [0.05, 0.3 * 0.75, 0.10]],
    "flq": [
        [0.2 * 0.110287, 0.1 * 0.055143, 0.3 * 0.073525],
        [0.10, 0.20, 0.1 * 0.735246],
        [0.05, 0.3 * 0.413576, 0.1 * 0.827152],
    ],
    "aflq": [
        [0.2 * 0.110287, 0.1 * 0.087400, 0.3 * 0.097194],
        [0.10, 0.20, 0.1 * 0.971943],
        [0.05, 0.3 * 0.655503, 0.10],
    ],
}


@pytest.mark.parametrize("method", ["slq", "cilq", "flq", "aflq"])
def test_hand_worked_example(method):
    r = regionalise(A, regional=RE, national=NE, method=method, delta=0.3)
    assert list(r.index) == IND and list(r.columns) == IND
    np.testing.assert_allclose(r.to_numpy(), HAND[method], atol=2e-6)


def test_lambda_by_hand():
    assert math.log2(1.1) ** 0.3 == pytest.approx(LAM, abs=1e-6)


employment = st.lists(st.floats(0, 1e5, allow_nan=False), min_size=3, max_size=3).filter(
    lambda v: sum(v) > 0
)


@settings(max_examples=60, deadline=None)
@given(re=employment, delta=st.floats(0, 0.99))
def test_never_above_national(re, delta):
    for method in ("slq", "cilq", "flq", "aflq"):
        r = regionalise(
            A, regional=pd.Series(re, index=IND), national=NE, method=method, delta=delta
        )
        assert (r.to_numpy() <= A.to_numpy() + 1e-15).all()
        assert (r.to_numpy() >= 0).all()


@pytest.mark.parametrize("share", [0.01, 0.25, 0.6])
@pytest.mark.parametrize("delta", [0.0, 0.1, 0.3, 0.45])
def test_region_with_the_nations_structure_scaled_by_lambda(share, delta):
    r = regionalise(A, regional=NE * share, national=NE, method="flq", delta=delta)
    lam = math.log2(1 + share) ** delta
    np.testing.assert_allclose(r.to_numpy(), lam * A.to_numpy(), rtol=1e-12)
    a = regionalise(A, regional=NE * share, national=NE, method="aflq", delta=delta)
    np.testing.assert_allclose(a.to_numpy(), lam * A.to_numpy(), rtol=1e-12)
    for method in ("slq", "cilq"):
        same = regionalise(A, regional=NE * share, national=NE, method=method)
        np.testing.assert_allclose(same.to_numpy(), A.to_numpy(), rtol=1e-12)


def test_delta_zero_is_cilq():
    flq = regionalise(A, regional=RE, national=NE, method="flq", delta=0.0)
    cilq = regionalise(A, regional=RE, national=NE, method="cilq")
    pd.testing.assert_frame_equal(flq, cilq)


def test_many_regions_at_once_equal_one_by_one():
    rng = np.random.default_rng(7)
    regions = pd.DataFrame(rng.uniform(0, 100, (5, 3)), index=list("VWXYZ"), columns=IND)
    regions.iloc[2, 0] = 0.0  # a region without industry a
    for method in ("slq", "cilq", "flq", "aflq"):
        stacked = regionalise(A, regional=regions, national=NE, method=method)
        assert stacked.index.names == [None, None] and stacked.shape == (15, 3)
        for region, row in regions.iterrows():
            one = regionalise(A, regional=row, national=NE, method=method)
            pd.testing.assert_frame_equal(stacked.loc[region], one, check_names=False)


def test_absent_supplier_supplies_nothing_absent_buyer_keeps_national():
    re = pd.Series([0.0, 60.0, 40.0], index=IND)
    r = regionalise(A, regional=re, national=NE, method="cilq")
    assert (r.loc["a"] == 0).all()
    # b and c sell to the absent a at the national coefficient (CILQ = inf, capped at 1)
    assert r.loc["b", "a"] == A.loc["b", "a"] and r.loc["c", "a"] == A.loc["c", "a"]


@pytest.mark.parametrize(
    "kwargs,error,pattern",
    [
        ({"method": "rlq"}, OptionError, r"method: expected one of"),
        ({"delta": 1.0}, OptionError, r"delta: expected a number with 0 <= delta < 1"),
        ({"delta": -0.1}, OptionError, r"delta"),
        ({"national": NE.drop("c")}, DataFormatError, r"national: labels do not match.*'c'"),
        ({"national": NE.where(NE.index != "b", 0.0)}, DataValueError,
         r"national, industry 'b': expected a positive value"),
        ({"regional": RE.where(RE.index != "a", -1.0)}, DataValueError,
         r"regional, industry 'a': expected a value >= 0"),
        ({"regional": RE * 0}, DataValueError, r"regional: the region has no employment"),
        ({"regional": pd.DataFrame([[1.0, 2.0]], index=["X"], columns=["a", "b"])},
         DataFormatError, r"regional: columns do not match.*missing \['c'\]"),
        ({"regional": pd.DataFrame([[1.0, -2.0, 1.0]], index=["X"], columns=IND)},
         DataValueError, r"regional, region 'X', industry 'b': expected employment >= 0"),
        ({"regional": [1, 2, 3]}, DataFormatError, r"regional: expected a Series"),
    ],
)  # fmt: skip
def test_refuses(kwargs, error, pattern):
    args = {"regional": RE, "national": NE} | kwargs
    with pytest.raises(error, match=pattern):
        regionalise(A, **args)


def test_two_absent_industries_trade_nothing_locally():
    re = pd.Series([0.0, 0.0, 40.0], index=IND)  # a and b absent: SLQ_a = SLQ_b = 0
    for method in ("cilq", "flq", "aflq"):
        r = regionalise(A, regional=re, national=NE, method=method)
        # 0/0 between two absent industries is no local supply, never the national coefficient
        assert r.loc["a", "b"] == 0 and r.loc["b", "a"] == 0
        assert (r.loc[["a", "b"]].to_numpy() == 0).all()
