"""regionalise, case by case (mutation testing); the hand-worked three-industry example of
tests/linkages/test_regional.py (NE = (500, 300, 200), RE = (10, 60, 30)) with a second region.

Region Y has the nation's structure at a tenth of its size: RE = (50, 30, 20), TRE = 100, so every
SLQ is (50/100) / (500/1000) = 1. SLQ and CILQ are then 1 everywhere (the national coefficients);
FLQ = λ with λ = log2(1 + 100/1000)^0.3 = 0.551435; AFLQ boosts no column (no SLQ above 1).
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest

from clusterlib.errors import DataFormatError
from clusterlib.linkages import regionalise

IND = ["a", "b", "c"]
A = pd.DataFrame(
    [[0.20, 0.10, 0.30], [0.10, 0.20, 0.10], [0.05, 0.30, 0.10]], index=IND, columns=IND
)
NE = pd.Series([500.0, 300.0, 200.0], index=IND)
REGIONS = pd.DataFrame([[10.0, 60.0, 30.0], [50.0, 30.0, 20.0]], index=["X", "Y"], columns=IND)
LAM = math.log2(1.1) ** 0.3


@pytest.mark.parametrize("method,factor", [("slq", 1.0), ("cilq", 1.0), ("flq", LAM),
                                          ("aflq", LAM)])  # fmt: skip
def test_a_region_with_the_nations_structure(method, factor):
    out = regionalise(A, regional=REGIONS, national=NE, method=method)
    assert out.index.tolist() == [(r, i) for r in ("X", "Y") for i in IND]
    assert out.columns.tolist() == IND
    np.testing.assert_allclose(out.loc["Y"].to_numpy(), A.to_numpy() * factor, rtol=1e-12)
    one = regionalise(A, regional=REGIONS.loc["X"], national=NE, method=method)
    np.testing.assert_allclose(out.loc["X"].to_numpy(), one.to_numpy(), rtol=1e-15)


def test_missing_columns_are_named_in_the_tables_order():
    # the table lists its industries d, c, b, a; the regional frame has only a: the missing ones
    # are named as the table orders them, the unknown ones as the frame does
    ind = list("dcba")
    a4 = pd.DataFrame(np.eye(4) * 0.1, index=ind, columns=ind)
    frame = pd.DataFrame([[1.0, 1.0, 1.0]], index=["X"], columns=["a", "z", "y"])
    with pytest.raises(DataFormatError) as err:
        regionalise(a4, regional=frame, national=pd.Series(1.0, index=ind))
    assert str(err.value) == (
        "regional: columns do not match the table's industries (missing ['d', 'c', 'b'], not in "
        "the table ['z', 'y']). Use one column per industry of A."
    )


def test_regionalise_names_a_bad_table_a():
    with pytest.raises(DataFormatError) as err:
        regionalise(np.eye(3), regional=NE, national=NE)
    assert str(err.value) == (
        "A: expected a pandas DataFrame with industries as index and columns, found ndarray."
    )


@pytest.mark.parametrize("method", ["cilq", "flq", "aflq"])
def test_absent_industries_warn_nothing(method):
    # a and b absent: SLQ 0, so CILQ has 0/0 (a to b) and x/0 (c to a): no numpy warning leaks
    re = pd.Series([0.0, 0.0, 40.0], index=IND)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = regionalise(A, regional=re, national=NE, method=method)
    assert (out.loc[["a", "b"]].to_numpy() == 0).all()
