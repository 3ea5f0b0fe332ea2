"""Shift-share at its edges, against a hand calculation written out cell by cell."""

import numpy as np
import pandas as pd
import pytest

from clusterlib.errors import DataValueError
from clusterlib.specialisation import shift_share

# undefined growth rates (a zero start) are handled without a RuntimeWarning reaching the user
pytestmark = pytest.mark.filterwarnings("error")

# industries: i is new everywhere (start total 0), j starts with a single worker in A, k is
# ordinary. Region totals are the row sums: start A 4, B 6 (E0 = 10); end A 7, B 10 (E1 = 17),
# so g = 0.7. Industry growth: g_i undefined, g_j = 3/1 - 1 = 2, g_k = 12/9 - 1 = 1/3.
START = pd.DataFrame({"i": [0.0, 0.0], "j": [1.0, 0.0], "k": [3.0, 6.0]}, index=["A", "B"])
END = pd.DataFrame({"i": [2.0, 0.0], "j": [2.0, 1.0], "k": [3.0, 9.0]}, index=["A", "B"])


def test_shift_share_by_hand():
    # cell: national share e g, industry mix e (g_i - g) (0 where g_i is undefined), regional
    # shift = change - both, homothetic e_r. e_.i / E0, competitive hom (g_ri - g_i) (0 for a new
    # cell or industry), allocation = regional shift - competitive
    #   (A, i): 0 -> 2: new; 0, 0, 2; hom 0; comp 0; alloc 2
    #   (A, j): 1 -> 2: 0.7, 1 (2 - 0.7) = 1.3, -1; hom 0.4, comp 0.4 (1 - 2) = -0.4, alloc -0.6
    #   (A, k): 3 -> 3: 2.1, 3 (1/3 - 0.7) = -1.1, -1; hom 3.6, comp 3.6 (0 - 1/3) = -1.2, 0.2
    #   (B, i): 0 -> 0: new; everything 0
    #   (B, j): 0 -> 1: new; 0, 0, 1; hom 0.6, comp 0, alloc 1
    #   (B, k): 6 -> 9: 4.2, -2.2, 1; hom 5.4, comp 5.4 (0.5 - 1/3) = 0.9, alloc 0.1
    got = shift_share(START, END)
    want = pd.DataFrame(
        {
            "national_share": [0, 0.7, 2.1, 0, 0, 4.2],
            "industry_mix": [0, 1.3, -1.1, 0, 0, -2.2],
            "regional_shift": [2, -1, -1, 0, 1, 1.0],
            "homothetic": [0, 0.4, 3.6, 0, 0.6, 5.4],
            "competitive": [0, -0.4, -1.2, 0, 0, 0.9],
            "allocation": [2, -0.6, 0.2, 0, 1, 0.1],
            "new_industry": [True, False, False, True, True, False],
        },
        index=pd.MultiIndex.from_product([["A", "B"], ["i", "j", "k"]]),
    )
    assert got.index.names == ["region", "industry"]
    for k in want:
        np.testing.assert_allclose(
            got[k].to_numpy(float), want[k].to_numpy(float), atol=1e-12, err_msg=k
        )
    np.testing.assert_allclose(got["net_shift"], want["industry_mix"] + want["regional_shift"])


def test_a_missing_count_touches_only_its_cell():
    end = END.copy()
    end.loc["A", "k"] = np.nan
    got = shift_share(START, end, region_total_end=pd.Series([7.0, 10.0], index=["A", "B"]))
    assert np.isnan(got.loc[("A", "k"), "regional_shift"])
    assert got.drop(("A", "k"))["regional_shift"].notna().all()


def test_messages_name_the_problem():
    with pytest.raises(DataValueError) as err:
        shift_share(START, END[["k", "j", "i"]])
    assert str(err.value) == (
        "start and end: expected the same regions (index) and industries (columns) in the same "
        "order; align them with end.reindex_like(start)."
    )
    with pytest.raises(DataValueError) as err:
        shift_share(START, END, region_total_end=pd.Series([7.0], index=["A"]))
    assert str(err.value) == (
        "region_total_end: unknown for region(s) ['B']; the reference growth needs every "
        "region's total. Choose a year with complete data or the 'fill' / 'complete-sections' "
        "policy."
    )
    with pytest.raises(DataValueError) as err:
        shift_share(START * 0, END)
    assert str(err.value) == "start: the reference area has no employment at the start year."
    with pytest.raises(DataValueError, match=r"^start, column 'i': expected numbers"):
        shift_share(START.astype({"i": str}), END)
    with pytest.raises(DataValueError, match=r"^end, column 'i': expected numbers"):
        shift_share(START, END.astype({"i": str}))


def test_a_reference_area_of_one_worker_is_enough():
    # E0 = 1 (not <= 0): g = 2/1 - 1 = 1; the single cell's change is all national share
    got = shift_share(pd.DataFrame({"i": [1.0]}), pd.DataFrame({"i": [2.0]}))
    assert got["national_share"].tolist() == [1.0] and got["regional_shift"].tolist() == [0.0]


def test_totals_are_aligned_and_unknown_regions_listed():
    # region totals given in another order give the same decomposition as the row sums
    tot0 = pd.Series({"B": 6.0, "A": 4.0})
    tot1 = pd.Series({"B": 10.0, "A": 7.0})
    got = shift_share(START, END, region_total_start=tot0, region_total_end=tot1)
    pd.testing.assert_frame_equal(got, shift_share(START, END))
    assert list(got.columns[:3]) == ["start", "end", "change"]
    # at most five unknown regions are named
    idx = [f"R{k}" for k in range(7)]
    start = pd.DataFrame({"i": 1.0}, index=idx)
    with pytest.raises(DataValueError) as err:
        shift_share(start, start, region_total_start=pd.Series({"R0": 1.0}))
    assert str(err.value).startswith(
        "region_total_start: unknown for region(s) ['R1', 'R2', 'R3', 'R4', 'R5']; "
    )
