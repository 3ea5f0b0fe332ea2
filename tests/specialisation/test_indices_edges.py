"""Specialisation and localisation indices on one small matrix, each worked out by hand.

region   p   q   r   total   shares (p, q, r)
A        6   2   2    10     .6   .2   .2
B        0   5   5    10     0    .5   .5
C        4   3  13    20     .2   .15  .65
total   10  10  20    40     reference structure .25 .25 .5; region shares .25 .25 .5
"""

import math

import numpy as np
import pandas as pd
import pytest

from clusterlib.errors import DataValueError
from clusterlib.specialisation import (
    gini,
    herfindahl,
    hoover_index,
    krugman_index,
    locational_gini,
    shannon_entropy,
    specialisation_coefficient,
)

# an undefined index is NaN, silently: no RuntimeWarning reaches the user
pytestmark = pytest.mark.filterwarnings("error")

X = pd.DataFrame({"p": [6.0, 0, 4], "q": [2.0, 5, 3], "r": [2.0, 5, 13]}, index=["A", "B", "C"])
# the same with an empty industry z and an empty region D: both undefined (NaN), others unchanged
XZ = pd.concat([X.assign(z=0.0), pd.DataFrame({"p": [0.0], "q": 0, "r": 0, "z": 0}, index=["D"])])


def series(values, index, name):
    return pd.Series(values, index=index, name=name, dtype=float)


def check(got, want):
    pd.testing.assert_series_equal(got, want, check_exact=False, rtol=1e-12, atol=1e-15)


def test_region_indices_by_hand():
    # Krugman: A .35 + .05 + .3 = .7; B .25 + .25 + 0 = .5; C .05 + .1 + .15 = .3
    check(krugman_index(X), series([0.7, 0.5, 0.3], X.index, "krugman"))
    check(specialisation_coefficient(X), series([0.35, 0.25, 0.15], X.index,
                                                 "specialisation_coefficient"))  # fmt: skip
    # Herfindahl: A .36 + .04 + .04; B .25 + .25; C .04 + .0225 + .4225
    check(herfindahl(X), series([0.44, 0.5, 0.485], X.index, "herfindahl"))
    # Shannon (bits), 0 log 0 = 0: B is two halves, 1 bit
    h = [
        -(0.6 * math.log2(0.6) + 2 * 0.2 * math.log2(0.2)),
        1.0,
        -(0.2 * math.log2(0.2) + 0.15 * math.log2(0.15) + 0.65 * math.log2(0.65)),
    ]
    check(shannon_entropy(X), series(h, X.index, "shannon_entropy"))
    # with the empty region and industry: D undefined, the rest unchanged (z's share is 0)
    check(krugman_index(XZ), series([0.7, 0.5, 0.3, np.nan], XZ.index, "krugman"))
    check(herfindahl(XZ), series([0.44, 0.5, 0.485, np.nan], XZ.index, "herfindahl"))
    check(shannon_entropy(XZ), series([*h, np.nan], XZ.index, "shannon_entropy"))


def test_krugman_against_a_given_reference():
    # reference (.5, .25, .25): A .1 + .05 + .05 = .2; B .5 + .25 + .25 = 1; C .3 + .1 + .4 = .8
    ref = pd.Series({"r": 0.25, "q": 0.25, "p": 0.5})  # any order: aligned on the columns
    check(krugman_index(X, reference=ref), series([0.2, 1.0, 0.8], X.index, "krugman"))
    with pytest.raises(DataValueError) as err:
        krugman_index(X, reference=ref.drop("q"))
    assert str(err.value) == (
        "reference: no share for industries ['q']. Give a share for every column of x."
    )


def test_industry_indices_by_hand():
    # Hoover: p .5 (.35 + .25 + .1) = .35; q .5 (.05 + .25 + .2) = .25; r .5 (.15 + 0 + .15)
    check(hoover_index(X), series([0.35, 0.25, 0.15], X.columns, "hoover"))
    # Locational Gini, regions by ascending LQ, X = cumulative total share, Y = industry's:
    #   p: LQ B 0, C .8, A 2.4; steps (.25, 0), (.5, .4), (.25, .6): 1 - (0 + .2 + .35) = .45
    #   q: LQ C .6, A .8, B 2; steps (.5, .3), (.25, .2), (.25, .5): 1 - (.15 + .2 + .375) = .275
    #   r: LQ A .4, B 1, C 1.3; steps (.25, .1), (.25, .25), (.5, .65): 1 - .8125 = .1875
    check(locational_gini(X), series([0.45, 0.275, 0.1875], X.columns, "locational_gini"))
    check(hoover_index(XZ), series([0.35, 0.25, 0.15, np.nan], XZ.columns, "hoover"))
    check(locational_gini(XZ),
          series([0.45, 0.275, 0.1875, np.nan], XZ.columns, "locational_gini"))  # fmt: skip


def test_gini_by_hand():
    # 1, 2, 3, 4: sum of |v_i - v_j| over ordered pairs 20, mean 2.5: 20 / (2 x 16 x 2.5) = .25
    assert gini(pd.Series([4.0, 1, 3, 2])) == pytest.approx(0.25, abs=1e-15)
    # one unit holds everything: (n - 1) / n = .75; all zero: undefined
    frame = pd.DataFrame({"even": [1.0, 2, 3, 4], "one": [0.0, 0, 0, 4], "none": 0.0})
    check(gini(frame), series([0.25, 0.75, np.nan], frame.columns, "gini"))


@pytest.mark.parametrize(
    "values",
    [pd.Series([1.0, np.nan]), pd.Series([1.0, -1.0]), pd.DataFrame({"a": [1.0, np.nan]})],
)
def test_gini_refuses_missing_and_negative_values(values):
    with pytest.raises(DataValueError) as err:
        gini(values)
    assert str(err.value) == "gini: values must be non-negative and not NaN."


def test_gini_has_no_weights():
    with pytest.raises(TypeError) as err:
        gini(pd.Series([1.0, 2.0]), weights=[1, 1])
    assert str(err.value) == "gini: weighted Gini is locational_gini(); weights must be None."


def test_given_region_totals_and_scale():
    # totals twice the row sums halve every share: Krugman against the row-sum reference
    # becomes A |.3 - .25| + |.1 - .25| + |.1 - .5| = .6, B .25 + 0 + .25 = .5,
    # C |.1 - .25| + |.075 - .25| + |.325 - .5| = .5; Herfindahl a quarter of the above
    tot = X.sum(axis=1) * 2
    check(krugman_index(X, region_total=tot), series([0.6, 0.5, 0.5], X.index, "krugman"))
    check(specialisation_coefficient(X, region_total=tot),
          series([0.3, 0.25, 0.25], X.index, "specialisation_coefficient"))  # fmt: skip
    check(herfindahl(X, region_total=tot), series([0.11, 0.125, 0.12125], X.index, "herfindahl"))
    # Shannon with halved shares: -sum (s/2) log2 (s/2) = H/2 + 1/2
    h = shannon_entropy(X)
    check(shannon_entropy(X, region_total=tot), (h / 2 + 0.5).rename("shannon_entropy"))
    # Hoover and the locational Gini with totals twice the row sums: the region shares x_r. /
    # x_.. are unchanged, so both indices are too
    check(hoover_index(X, region_total=tot), hoover_index(X))
    check(locational_gini(X, region_total=tot), locational_gini(X))
    # with A's total doubled alone, region shares become .4, .2, .4 and Hoover changes:
    # p .5 (|.6 - .4| + |0 - .2| + |.4 - .4|) = .2
    tot_a = pd.Series({"A": 20.0, "B": 10.0, "C": 20.0})
    assert hoover_index(X, region_total=tot_a)["p"] == pytest.approx(0.2, abs=1e-15)
    assert locational_gini(X, region_total=tot_a)["p"] != pytest.approx(0.45)
    # totals of exactly 1 (a matrix of shares) and industry totals of exactly 1 (X / 10) are
    # ordinary totals
    check(herfindahl(X.div(X.sum(axis=1), axis=0)), herfindahl(X))
    check(hoover_index(X / 10), hoover_index(X))
    check(locational_gini(X / 10), locational_gini(X))


def test_a_missing_cell_makes_what_depends_on_it_unknown():
    # a NaN count in (B, q): B's shares and q's column are unknown; the reference structure (the
    # column sums) is then unknown too, so every Krugman index is NaN; Hoover of q is NaN
    x = X.copy()
    x.loc["B", "q"] = np.nan
    assert krugman_index(x).isna().all()
    assert np.isnan(hoover_index(x)["q"])
