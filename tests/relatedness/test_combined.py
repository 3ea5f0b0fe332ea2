"""define_clusters with input-output links (Delgado, Porter & Stern 2016), checked by hand.

The hand-worked example
-----------------------
Four regions with equal totals (10) and four industries with equal totals (10):

          a  b  c  d
    r1    4  3  2  1
    r2    3  4  1  2
    r3    2  1  4  3
    r4    1  2  3  4

Every LQ is (x/10)/(10/40) = 0.4 x, so the correlation of LQs is that of the columns. Deviations
from the mean 2.5: a (1.5, .5, -.5, -1.5), b (.5, 1.5, -1.5, -.5), c (-.5, -1.5, 1.5, .5),
d (-1.5, -.5, .5, 1.5), each with sum of squares 5; the cross-products give

    rho_ab = rho_cd = 3/5 = 0.6,   rho_ac = rho_bd = -0.6,   rho_ad = rho_bc = -5/5 = -1.

Co-location alone, cut 0.7: distances 1 - rho: ab = cd = 0.4, ac = bd = 1.6, ad = bc = 2.
Average linkage joins ab and cd at 0.4; {a,b}-{c,d} is (1.6 + 2 + 2 + 1.6)/4 = 1.8 > 0.7: the
clusters are {a, b} and {c, d}.

Input-output links: IO_ac = 0.9, IO_bd = 0.1, others 0. Links alone (distance 1 - IO): ac = 0.1
joins, bd = 0.9 > 0.7 does not: {a, c}, {b}, {d}.

Combined with w = 0.8: s = 0.2 rho + 0.8 IO:

    s_ab = s_cd = 0.12,  s_ac = -0.12 + 0.72 = 0.60,  s_bd = -0.12 + 0.08 = -0.04,
    s_ad = s_bc = -0.2.

Distances 1 - s: ac = 0.40, ab = cd = 0.88, bd = 1.04, ad = bc = 1.2. Average linkage joins ac at
0.40; then {a,c}-b = (0.88 + 1.2)/2 = 1.04, {a,c}-d = (1.2 + 0.88)/2 = 1.04, b-d = 1.04, all above
0.7: the clusters are {a, c}, {b}, {d}. Numbered by size, ties by the first code: combined and
IO {a,c} = 1, {b} = 2, {d} = 3; co-location {a,b} = 1, {c,d} = 2. Within-cluster means for a and
c: colocation -0.6, io_link 0.9, combined 0.6; b and d are alone (NaN).
"""

import re

import numpy as np
import pandas as pd
import pytest

from clusterlib.errors import DataFormatError, DataValueError, OptionError
from clusterlib.relatedness import colocation_relatedness
from clusterlib.relatedness.clusters import (
    cluster_evidence,
    clusters_yaml,
    coassignment,
    define_clusters,
)
from clusterlib.relatedness.combined import check_io_links, link_sources, with_sources

HAND = pd.DataFrame(
    [[4, 3, 2, 1], [3, 4, 1, 2], [2, 1, 4, 3], [1, 2, 3, 4]],
    index=pd.Index(["r1", "r2", "r3", "r4"], name="region"),
    columns=pd.Index(list("abcd"), name="industry"),
    dtype=float,
)
IO = pd.DataFrame(0.0, index=list("abcd"), columns=list("abcd"))
IO.loc["a", "c"] = IO.loc["c", "a"] = 0.9
IO.loc["b", "d"] = IO.loc["d", "b"] = 0.1


def test_hand_correlations_are_those_of_the_docstring():
    rho = colocation_relatedness(HAND)
    assert rho.loc["a", "b"] == pytest.approx(0.6) and rho.loc["c", "d"] == pytest.approx(0.6)
    assert rho.loc["a", "c"] == pytest.approx(-0.6) and rho.loc["a", "d"] == pytest.approx(-1.0)


def test_link_sources_by_hand():
    t = link_sources(colocation_relatedness(HAND), IO, io_weight=0.8)
    assert t.index[0] == ("a", "c")  # the strongest combined link
    np.testing.assert_allclose(t.loc[("a", "c")].to_numpy(), [-0.6, 0.9, 0.6])
    np.testing.assert_allclose(t.loc[("b", "d")].to_numpy(), [-0.6, 0.1, -0.04])
    np.testing.assert_allclose(t.loc[("a", "b")].to_numpy(), [0.6, 0.0, 0.12])
    np.testing.assert_allclose(t.loc[("a", "d"), "combined"], -0.2)
    assert len(t) == 6


def test_define_clusters_combined_by_hand():
    d = define_clusters(HAND, n_boot=0, io_links=IO, io_weight=0.8).sort_index()
    assert d["cluster"].to_dict() == {"a": 1, "b": 2, "c": 1, "d": 3}
    assert d["cluster_colocation"].to_dict() == {"a": 1, "b": 1, "c": 2, "d": 2}
    assert d["cluster_io"].to_dict() == {"a": 1, "b": 2, "c": 1, "d": 3}
    assert d["n_divisions"].to_dict() == {"a": 2, "b": 1, "c": 2, "d": 1}
    np.testing.assert_allclose(d.loc[["a", "c"], ["colocation", "io_link", "combined"]],
                               [[-0.6, 0.9, 0.6]] * 2)  # fmt: skip
    assert d.loc[["b", "d"], ["colocation", "io_link", "combined"]].isna().all().all()
    assert d.attrs["io_weight"] == 0.8


def test_co_location_alone_by_hand_and_weight_zero():
    plain = define_clusters(HAND, n_boot=0).sort_index()
    assert plain["cluster"].to_dict() == {"a": 1, "b": 1, "c": 2, "d": 2}
    assert list(plain.columns) == ["cluster", "n_divisions", "stability"]
    zero = define_clusters(HAND, n_boot=0, io_links=IO, io_weight=0).sort_index()
    assert zero["cluster"].to_dict() == plain["cluster"].to_dict()


def _blocks(R=60, seed=0):
    rng = np.random.default_rng(seed)
    cols = {}
    for names in (["C24", "C25", "C28"], ["C10", "C11"], ["J62", "J63"]):
        f = rng.lognormal(size=R)
        for k, n in enumerate(names):
            cols[n] = f * (k + 1) * np.exp(0.3 * rng.normal(size=R))
    cols["M72"] = rng.lognormal(size=R)
    return pd.DataFrame(cols, index=[f"r{k:03d}" for k in range(R)])


def _random_links(columns, seed=1):
    rng = np.random.default_rng(seed)
    u = rng.uniform(size=(len(columns), len(columns)))
    return pd.DataFrame(np.maximum(u, u.T), index=columns, columns=columns)


def test_weight_zero_equals_co_location_alone_exactly():
    X = _blocks()
    L = _random_links(X.columns)
    plain = define_clusters(X, n_boot=30, seed=4)
    zero = define_clusters(X, n_boot=30, seed=4, io_links=L, io_weight=0)
    pd.testing.assert_frame_equal(zero[list(plain.columns)], plain, check_exact=True)
    pd.testing.assert_frame_equal(coassignment(X, n_boot=30, seed=4, io_links=L, io_weight=0),
                                  coassignment(X, n_boot=30, seed=4), check_exact=True)  # fmt: skip
    # and the co-location column of any weight is the co-location definition
    half = define_clusters(X, n_boot=0, io_links=L, io_weight=0.5)
    assert (half["cluster_colocation"] == plain["cluster"].reindex(half.index)).all()


def test_links_alone_do_not_depend_on_the_regions():
    X = _blocks()
    one = define_clusters(X, n_boot=20, io_links=_random_links(X.columns), io_weight=1)
    assert (one["stability"] == 1.0).all()  # resampling regions changes nothing
    assert (one["cluster"] == one["cluster_io"]).all()


def test_cluster_evidence_and_yaml_with_links(tmp_path):
    X = _blocks()
    L = _random_links(X.columns)
    definition, together = cluster_evidence(X, n_boot=10, seed=2, io_links=L, io_weight=0.3)
    pd.testing.assert_frame_equal(definition,
                                  define_clusters(X, n_boot=10, seed=2, io_links=L, io_weight=0.3))  # fmt: skip
    pd.testing.assert_frame_equal(
        together, coassignment(X, n_boot=10, seed=2, io_links=L, io_weight=0.3)
    )
    text = clusters_yaml(definition, tmp_path / "c.yaml").read_text()
    assert "input-output links (weight 0.3)" in text


@pytest.mark.parametrize(
    ("links", "error", "match"),
    [
        (IO.drop(index="d"), DataFormatError, r"io_links rows: no link for 1 industry .*'d'"),
        (IO.drop(columns=["c", "d"]), DataFormatError, r"io_links columns: no link for 2 "),
        (IO.to_numpy(), DataFormatError, "expected a pandas DataFrame"),
        (IO.replace(0.9, -0.9), DataValueError, r"row 'a', column 'c'.*from 0 to 1.*-0.9"),
        (IO.replace(0.9, 1.5), DataValueError, r"row 'a', column 'c'.*1.5"),
        (IO.replace(0.9, np.nan), DataValueError, r"row 'a', column 'c'.*nan"),
        (IO.assign(c=IO["c"].replace(0.9, 0.5)), DataValueError, r"rows 'a' and 'c'.*symmetric"),
    ],
)
def test_bad_links_are_named(links, error, match):
    with pytest.raises(error, match=match):
        define_clusters(HAND, n_boot=0, io_links=links)


@pytest.mark.parametrize("weight", [-0.1, 1.5, "0.5", True, None])
def test_bad_weight(weight):
    with pytest.raises(OptionError, match="io_weight: expected the weight"):
        define_clusters(HAND, n_boot=0, io_links=IO, io_weight=weight)


def test_extra_industries_in_the_links_are_ignored():
    big = IO.reindex(index=[*IO.index, "e"], columns=[*IO.columns, "e"], fill_value=0.3)
    a = define_clusters(HAND, n_boot=0, io_links=big, io_weight=0.8)
    b = define_clusters(HAND, n_boot=0, io_links=IO, io_weight=0.8)
    pd.testing.assert_frame_equal(a, b)


# --- direct checks of combined.py (mutation testing, expectations by hand beside each test) ---


def _msg(text):
    """The whole message, from its start to its end, as a regular expression."""
    return "^" + re.escape(text) + "$"


def test_link_sources_default_weight_nan_and_labels():
    # rho_xy undefined (counts as 0), rho_xz = 0.4, rho_yz = 0.2; IO_xy = 0.6, others 0.
    # Default w = 0.5: s_xy = 0.5*0 + 0.5*0.6 = 0.3, s_xz = 0.5*0.4 = 0.2, s_yz = 0.5*0.2 = 0.1.
    corr = pd.DataFrame([[1.0, np.nan, 0.4], [np.nan, 1.0, 0.2], [0.4, 0.2, 1.0]],
                        index=list("xyz"), columns=list("xyz"))  # fmt: skip
    io = pd.DataFrame(0.0, index=list("xyz"), columns=list("xyz"))
    io.loc["x", "y"] = io.loc["y", "x"] = 0.6
    expected = pd.DataFrame(
        {"colocation": [np.nan, 0.4, 0.2], "io_link": [0.6, 0.0, 0.0], "combined": [0.3, 0.2, 0.1]},
        index=pd.MultiIndex.from_tuples(
            [("x", "y"), ("x", "z"), ("y", "z")], names=["industry", "with"]
        ),
    )
    pd.testing.assert_frame_equal(link_sources(corr, io), expected)


def test_link_sources_ties_keep_the_pair_order_and_numbers_are_floats():
    # 8 industries, integer correlations 0 off the diagonal; links of 1 within {a, c, e, g} and
    # within {b, d, f, h} (positions of equal parity), 0 across. With w = 0.25 the 12 linked pairs
    # have s = 0.25 and the 16 others s = 0: two ties, each kept by the stable sort in the order
    # (a, b), (a, c), ..., (g, h).
    names = list("abcdefgh")
    corr = pd.DataFrame(np.eye(8, dtype=int), index=names, columns=names)
    parity = np.arange(8) % 2
    io = pd.DataFrame(
        (parity[:, None] == parity[None, :]).astype(float), index=names, columns=names
    )
    t = link_sources(corr, io, io_weight=0.25)
    pairs = [
        (a, b, (k + m) % 2 == 0) for k, a in enumerate(names) for m, b in enumerate(names) if m > k
    ]
    linked = [(a, b) for a, b, same in pairs if same]
    unlinked = [(a, b) for a, b, same in pairs if not same]
    assert list(t.index) == linked + unlinked
    assert (t["combined"] == [0.25] * 12 + [0.0] * 16).all()
    assert (t.dtypes == "float64").all()


@pytest.mark.filterwarnings("error")
def test_with_sources_three_member_cluster_by_hand():
    # Clusters {a, b, c} and {d}; R: ab 0.2, ac NaN (as 0), bc 0.4, d 0; IO: ab 0.1, ac 0.5;
    # w = 0.5: s_ab = 0.1 + 0.05 = 0.15, s_ac = 0 + 0.25 = 0.25, s_bc = 0.2 + 0 = 0.2.
    # Means over the two others: a: rho (0.2 + 0)/2 = 0.1, IO (0.1 + 0.5)/2 = 0.3,
    # s (0.15 + 0.25)/2 = 0.2; b: 0.3, 0.05, 0.175; c: 0.2, 0.25, 0.225; d alone: NaN.
    industries = pd.Index(list("abcd"))
    R = np.array([[1.0, 0.2, np.nan, 0.0], [0.2, 1.0, 0.4, 0.0],
                  [np.nan, 0.4, 1.0, 0.0], [0.0, 0.0, 0.0, 1.0]])  # fmt: skip
    links = np.array([[0.0, 0.1, 0.5, 0.0], [0.1, 0.0, 0.0, 0.0],
                      [0.5, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0]])  # fmt: skip
    definition = pd.DataFrame({"cluster": [2, 1, 1, 1]}, index=list("dcba"))
    definition.attrs["cut"] = 0.7

    def partition(M):  # first column above 0.15: R -> a, b; links -> c
        return (M[:, 0] > 0.15).astype(int)

    out = with_sources(definition, industries, R, links, 0.5, partition=partition)
    assert list(out.index) == list("dcba")
    assert out["cluster_colocation"].to_dict() == {"a": 1, "b": 1, "c": 0, "d": 0}
    assert out["cluster_io"].to_dict() == {"a": 0, "b": 0, "c": 1, "d": 0}
    got = out.loc[list("abc"), ["colocation", "io_link", "combined"]].to_numpy()
    np.testing.assert_allclose(got, [[0.1, 0.3, 0.2], [0.3, 0.05, 0.175], [0.2, 0.25, 0.225]])
    assert out.loc["d", ["colocation", "io_link", "combined"]].isna().all()
    assert out.attrs == {"cut": 0.7, "io_weight": 0.5}


def test_check_io_links_floats_diagonal_zero_and_one_allowed():
    # integers, diagonal 5 (not read, set to 0), a link of exactly 1 (the largest allowed)
    L = pd.DataFrame([[5, 1], [1, 5]], index=["a", "b"], columns=["a", "b"])
    got = check_io_links(L, pd.Index(["a", "b"]))
    assert got.dtype == np.float64
    np.testing.assert_array_equal(got, [[0.0, 1.0], [1.0, 0.0]])


def test_check_io_links_text_is_named():
    L = pd.DataFrame([[0.0, "x"], ["x", 0.0]], index=["a", "b"], columns=["a", "b"])
    with pytest.raises(DataValueError, match=r"row 'a', column 'b'.*found 'x'\.$"):
        check_io_links(L, pd.Index(["a", "b"]))


@pytest.mark.parametrize(
    ("ab", "ba", "shown"),
    [(0.5, 0.5000001, "0.5 one way and 0.5 the other"),  # relative difference 2e-7 > 1e-9
     (1e-10, 0.0, "1e-10 one way and 0 the other")],  # absolute difference 1e-10 > 1e-12
)  # fmt: skip
def test_check_io_links_small_asymmetries_are_refused(ab, ba, shown):
    L = pd.DataFrame([[0.0, ab], [ba, 0.0]], index=["a", "b"], columns=["a", "b"])
    with pytest.raises(DataValueError, match=_msg(
        f"io_links, rows 'a' and 'b': the link is {shown}; expected a symmetric table "
        "(e.g. the larger of the two: numpy.maximum(L, L.T))."
    )):  # fmt: skip
        check_io_links(L, pd.Index(["a", "b"]))


def test_missing_links_message_whole_in_matrix_order():
    # industries in the order d, c, b, a; the links lack c and d: named as the matrix orders them
    industries = pd.Index(list("dcba"))
    with pytest.raises(DataFormatError, match=_msg(
        "io_links rows: no link for 2 industries of the employment matrix, e.g. ['d', 'c']; the "
        "labels must be the matrix's industry codes (NACE divisions such as 'C25'). Give a link, "
        "0 if none, for every industry."
    )):  # fmt: skip
        check_io_links(IO.drop(index=["c", "d"]), industries)


def test_missing_links_message_lists_five():
    names = [f"C{k}" for k in range(10, 17)]  # 7 industries, only C10 in the links: 6 missing
    L = pd.DataFrame([[0.0]], index=["C10"], columns=["C10"])
    with pytest.raises(DataFormatError, match=re.escape(
        "no link for 6 industries of the employment matrix, e.g. ['C11', 'C12', 'C13', 'C14', 'C15'];"
    )):  # fmt: skip
        check_io_links(L, pd.Index(names))


def test_not_a_frame_and_duplicates_are_named():
    with pytest.raises(DataFormatError, match=r"found ndarray\.$"):
        check_io_links(IO.to_numpy(), pd.Index(list("abcd")))
    twice = pd.concat([IO, IO.loc[["b"]]])
    with pytest.raises(DataFormatError, match=_msg(
        "io_links rows: label 'b' appears more than once; expected each industry once."
    )):  # fmt: skip
        check_io_links(twice, pd.Index(list("abcd")))
