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
from clusterlib.relatedness.combined import link_sources

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
