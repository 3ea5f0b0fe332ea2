"""division_link_strength: WIOD link strength spread over NACE divisions, checked by hand.

Flows (sellers in rows), with sales (row sums) and purchases (column sums):

            c12  c13  c14 | sales
    c12       5   10    5 |  20
    c13       0    2    8 |  10
    c14       5    8    2 |  15
    purch.   10   20   15

IO_ij = max(input_ij, input_ji, output_ij, output_ji) (Delgado, Porter & Stern 2016):
c12-c13: input c13<-c12 = 10/20 = .5, output c12->c13 = 10/20 = .5, the others 0     -> 0.5
c12-c14: input c12<-c14 = 5/10 = .5, input c14<-c12 = 5/15, output 5/20, 5/15         -> 0.5
c13-c14: output c13->c14 = 8/10 = .8 (input 8/20, 8/15; output c14->c13 8/15)          -> 0.8
Within an industry: max(z_ww / purchases, z_ww / sales):
c12 max(5/10, 5/20) = .5, c13 max(2/20, 2/10) = .2, c14 max(2/15, 2/15) = 2/15.
Bridge: C24, C25 -> c12; C28, C33 -> c13; C26 -> c14.
"""

import numpy as np
import pandas as pd
import pytest

from clusterlib.errors import DataFormatError, DataValueError, UnknownCodeError
from clusterlib.linkages import division_link_strength

Z = pd.DataFrame([[5.0, 10.0, 5.0], [0.0, 2.0, 8.0], [5.0, 8.0, 2.0]],
                 index=["c12", "c13", "c14"], columns=["c12", "c13", "c14"])  # fmt: skip


def test_division_links_by_hand():
    got = division_link_strength(Z, divisions=["C24", "C25", "C28", "C33", "C26"])
    expected = pd.DataFrame(
        [[0.0, 0.5, 0.5, 0.5, 0.5],
         [0.5, 0.0, 0.5, 0.5, 0.5],
         [0.5, 0.5, 0.0, 0.2, 0.8],
         [0.5, 0.5, 0.2, 0.0, 0.8],
         [0.5, 0.5, 0.8, 0.8, 0.0]],
        index=["C24", "C25", "C28", "C33", "C26"], columns=["C24", "C25", "C28", "C33", "C26"],
    )  # fmt: skip
    pd.testing.assert_frame_equal(got, expected, atol=1e-12)


def test_an_industry_trading_only_with_itself_elsewhere_has_zero_own_link():
    z = Z.copy()
    z.loc["c13", "c13"] = 0.0
    got = division_link_strength(z, divisions=["C28", "C33", "C24"])
    assert got.loc["C28", "C33"] == 0.0 and np.isfinite(got.to_numpy()).all()


def test_the_polish_table_gives_a_valid_io_links_table():
    from clusterlib.io.io_tables import load_wiod_poland

    t = load_wiod_poland()
    L = division_link_strength(t.flows, divisions=["C24", "C25", "C28", "C33", "J62"])
    v = L.to_numpy()
    assert (v >= 0).all() and (v <= 1).all() and np.allclose(v, v.T) and (np.diag(v) == 0).all()


@pytest.mark.parametrize(
    ("divisions", "flows", "error", "match"),
    [
        (["C24", "C99"], Z, UnknownCodeError, r"\['C99'\] are not NACE Rev. 2 divisions"),
        (["C24", "J62"], Z, DataFormatError, r"no WIOD industry \['c30'\].*'J62'"),
        (["C24"], Z.replace(8.0, -8.0), DataValueError, "expected a flow >= 0"),
    ],
)
def test_bad_inputs(divisions, flows, error, match):
    with pytest.raises(error, match=match):
        division_link_strength(flows, divisions=divisions)
