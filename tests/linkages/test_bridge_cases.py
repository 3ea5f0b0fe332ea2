"""The WIOD-NACE bridge, case by case (mutation testing).

Expected values read off the bundled clusterlib/linkages/wiod_nace_r2.csv by hand: c2 (Mining and
quarrying) holds B05-B09, c6 (wood) C16 alone, c12 C24+C25, c16 (manufacturing nec) C31+C32, c21
(retail) G47+S95, each with the notes quoted below.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from clusterlib.errors import DataValueError
from clusterlib.linkages import cluster_io_industries, wiod_nace_bridge


def test_industries_in_wiod_order_not_text_order():
    # c2 < c6 < c16 by number (as text, c16 would come first)
    t = cluster_io_industries("C31+B05+C16")
    assert t["industry"].tolist() == ["c2", "c6", "c16"]
    assert t.index.tolist() == [0, 1, 2]
    assert t["cluster_nace"].tolist() == ["B05", "C16", "C31"]
    assert t["industry_nace"].tolist() == ["B05+B06+B07+B08+B09", "C16", "C31+C32"]
    # B05 is 1 of c2's 5 divisions; C16 all of c6; C31 one of c16's two
    assert t["coverage"].tolist() == [0.2, 1.0, 0.5]
    assert t["many_to_one"].tolist() == [True, False, True]
    assert t["notes"].tolist() == [
        "",
        "furniture of wood is C31 (c16)",
        "medical and dental instruments (32.5) were NACE Rev. 1.1 33.1, in c14",
    ]
    assert t["wiod_label"].iloc[0] == "Mining and quarrying"


def test_notes_of_an_industry_are_joined():
    # c21 holds G47 and S95, each with a note
    t = cluster_io_industries("G47")
    assert t["notes"].item() == (
        "retail sale of automotive fuel (47.3) was NACE Rev. 1.1 50.5, in c19; repair of "
        "computers and communication equipment (95.1) was NACE Rev. 1.1 72.5, in c30"
    )
    assert t["coverage"].item() == 0.5 and t["cluster_nace"].item() == "G47"


def test_codes_repeated_empty_or_lower_case():
    once = cluster_io_industries("C25")
    pd.testing.assert_frame_equal(cluster_io_industries("C25+ c25 ++C25"), once)
    pd.testing.assert_frame_equal(cluster_io_industries(["C25", "", "c25"]), once)
    both = cluster_io_industries(["C25", "c24"])
    assert both["cluster_nace"].item() == "C24+C25" and both["coverage"].item() == 1.0
    # a lower-case section letter is the section: B = all of c2
    b = cluster_io_industries("b")
    assert b["industry"].tolist() == ["c2"] and b["coverage"].item() == 1.0


def test_weights_by_hand():
    # c12 = C24 (1) + C25 (3): C25's coverage 3 / 4; C28 (another industry) is left out
    t = cluster_io_industries("c25", weights=pd.Series({"C25": 3.0, "C24": 1.0, "C28": 5.0}))
    assert t["coverage"].item() == 0.75
    # a division without a weight counts 0: C24 alone -> C25 covers all of c12
    assert cluster_io_industries("C25", weights=pd.Series({"C25": 2.0}))["coverage"].item() == 1.0
    # weights of 0 are allowed as long as the industry has some
    zero = cluster_io_industries("C25", weights=pd.Series({"C25": 0.0, "C24": 2.0}))
    assert zero["coverage"].item() == 0.0


@pytest.mark.parametrize(
    "weights,shown",
    [
        (pd.Series({"C24": np.nan, "C25": 1.0}), "nan"),
        (pd.Series({"C24": 1.0, "C25": "x"}), "'x'"),
        (pd.Series({"C24": 1.0, "C25": -2}), "-2"),
    ],
)
def test_bad_weights_in_full(weights, shown):
    bad = "C24" if shown == "nan" else "C25"
    message = f"weights, division {bad!r}: expected a number >= 0, found {shown}."
    with pytest.raises(DataValueError, match="^" + re.escape(message) + "$"):
        cluster_io_industries("C25", weights=weights)


def test_bridge_counts_the_divisions_of_each_industry():
    b = wiod_nace_bridge().set_index("nace")
    assert b.loc["B05", "divisions"] == 5 and b.loc["C16", "divisions"] == 1
    assert b.loc["J62", "divisions"] == 13 and b.loc["G47", "divisions"] == 2
    assert list(b.columns) == [
        "industry",
        "wiod_code",
        "wiod_label",
        "wiod_label_pl",
        "note",
        "divisions",
    ]
    # a fresh copy each time: changing it does not change the next one
    first = wiod_nace_bridge()
    first.loc[0, "industry"] = "zz"
    assert wiod_nace_bridge().loc[0, "industry"] == "c1"


def test_wiod_order_when_the_bridge_lists_industries_otherwise():
    # in the bridge C26 and C27 (c14) come before C28 (c13), and C33 (c13) after C31, C32 (c16):
    # the table is still in WIOD order, c1 first, and each industry keeps its own divisions
    t = cluster_io_industries("C27+C33+A01")
    assert t["industry"].tolist() == ["c1", "c13", "c14"]
    assert t["cluster_nace"].tolist() == ["A01", "C33", "C27"]
    assert t["industry_nace"].tolist() == ["A01+A02+A03", "C28+C33", "C26+C27"]
    assert t["coverage"].tolist() == [1 / 3, 0.5, 0.5]
    # C33 is c13's second division, after C28; C31 is c16's first: not swapped
    u = cluster_io_industries("C31+C33")
    assert u["industry"].tolist() == ["c13", "c16"]
    assert u["cluster_nace"].tolist() == ["C33", "C31"]


def test_the_first_bad_weight_is_named_not_a_small_one():
    # C23 0.5 and C24 0 are valid weights; C25 -1 is the first bad one
    w = pd.Series({"C23": 0.5, "C24": 0.0, "C25": -1.0})
    message = "weights, division 'C25': expected a number >= 0, found -1."
    with pytest.raises(DataValueError, match="^" + re.escape(message) + "$"):
        cluster_io_industries("C25", weights=w)


@pytest.mark.parametrize("code", ["C2", "C", "C25.6"])
def test_only_one_letter_is_a_section(code):
    # "C2" starts like C20-C29 but is neither a division nor a section letter
    from clusterlib.errors import UnknownCodeError

    if code == "C":
        assert len(cluster_io_industries(code)) > 1
        return
    with pytest.raises(UnknownCodeError, match=f"^codes: {re.escape(repr(code))} is not a NACE"):
        cluster_io_industries(code)
