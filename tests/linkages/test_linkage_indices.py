"""Coefficients, inverses, Rasmussen-Hirschman linkages, hypothetical extraction, link strength.

Hand-worked example used throughout: A = [[0.1, 0.4], [0.3, 0.1]]; I - A has determinant
0.9 x 0.9 - 0.4 x 0.3 = 0.69, so L = [[0.9, 0.4], [0.3, 0.9]] / 0.69.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from clusterlib.io.io_tables import load_wiod_poland
from clusterlib.linkages import (
    allocation_coefficients,
    ghosh_inverse,
    hypothetical_extraction,
    io_link_strength,
    leontief_inverse,
    linkage_indices,
    technical_coefficients,
)

AB = ["a", "b"]
A2 = pd.DataFrame([[0.1, 0.4], [0.3, 0.1]], index=AB, columns=AB)
L2 = np.array([[0.9, 0.4], [0.3, 0.9]]) / 0.69


def test_coefficients_by_hand():
    z = pd.DataFrame([[10.0, 20.0], [30.0, 5.0]], index=AB, columns=AB)
    x = pd.Series({"b": 50.0, "a": 100.0})  # order of the Series does not matter
    A = technical_coefficients(z, x)
    np.testing.assert_array_equal(A.to_numpy(), [[10 / 100, 20 / 50], [30 / 100, 5 / 50]])
    B = allocation_coefficients(z, x)
    np.testing.assert_array_equal(B.to_numpy(), [[10 / 100, 20 / 100], [30 / 50, 5 / 50]])


def test_leontief_by_hand():
    np.testing.assert_allclose(leontief_inverse(A2).to_numpy(), L2, rtol=1e-14)


def test_ghosh_is_similar_to_leontief_on_the_polish_table():
    t = load_wiod_poland()
    x = t.output.to_numpy()
    L = leontief_inverse(technical_coefficients(t.flows, t.output)).to_numpy()
    G = ghosh_inverse(allocation_coefficients(t.flows, t.output)).to_numpy()
    np.testing.assert_allclose(G, (L * x[None, :]) / x[:, None], rtol=1e-9)


def test_rasmussen_hirschman_by_hand():
    out = linkage_indices(A2)
    mean = L2.mean()  # 2.5 / 0.69 / 4
    np.testing.assert_allclose(out["backward"], L2.mean(axis=0) / mean, rtol=1e-14)
    np.testing.assert_allclose(out["backward"], [0.96, 1.04], rtol=1e-12)  # 0.6/0.625, 0.65/0.625
    np.testing.assert_allclose(out["forward"], [1.04, 0.96], rtol=1e-12)
    assert not out["key_sector"].any()


def test_key_sector_is_the_hub():
    ind = list("abc")
    hub = pd.DataFrame([[0, 0.3, 0], [0.3, 0.3, 0.3], [0, 0.3, 0]], index=ind, columns=ind)
    out = linkage_indices(hub)
    assert out["key_sector"].tolist() == [False, True, False]
    assert out["backward"].mean() == pytest.approx(1) and out["forward"].mean() == pytest.approx(1)


def test_extraction_by_hand():
    f = pd.Series({"a": 50.0, "b": 30.0})
    out = hypothetical_extraction(A2, f, extract="b")
    np.testing.assert_allclose(out["output"], L2 @ f.to_numpy(), rtol=1e-14)
    # without b: a alone with a_aa = 0.1, so x_a = 50 / 0.9; b keeps its own final demand 30
    np.testing.assert_allclose(out["without"], [50 / 0.9, 30.0], rtol=1e-14)
    np.testing.assert_allclose(out["loss"], out["output"] - out["without"], rtol=1e-14)


def test_extracting_an_unlinked_industry_changes_nothing():
    ind = list("abcd")
    A = pd.DataFrame(
        [[0.1, 0.2, 0, 0.1], [0.3, 0.1, 0, 0.2], [0, 0, 0, 0], [0.05, 0.1, 0, 0.2]],
        index=ind,
        columns=ind,
    )
    f = pd.Series([10.0, 20.0, 5.0, 7.0], index=ind)
    out = hypothetical_extraction(A, f, extract="c")
    assert (out["loss"] == 0).all()
    np.testing.assert_array_equal(out["output"], out["without"])


def test_extracting_a_cluster_leaves_an_unrelated_block_alone():
    ind = list("abcd")  # {a, b} and {c, d} do not trade with each other
    A = pd.DataFrame(
        [[0.1, 0.2, 0, 0], [0.3, 0.1, 0, 0], [0, 0, 0.2, 0.1], [0, 0, 0.3, 0.1]],
        index=ind,
        columns=ind,
    )
    f = pd.Series([10.0, 20.0, 5.0, 7.0], index=ind)
    out = hypothetical_extraction(A, f, extract=["a", "b"])
    np.testing.assert_allclose(out.loc[["c", "d"], "loss"], 0, atol=1e-12)
    np.testing.assert_allclose(out.loc[["a", "b"], "without"], [10.0, 20.0], rtol=1e-14)
    assert (out.loc[["a", "b"], "loss"] > 0).all()


def test_io_link_strength_by_hand():
    ind = list("abc")
    z = pd.DataFrame([[0, 30, 10], [20, 0, 30], [0, 5, 0]], index=ind, columns=ind, dtype=float)
    s = io_link_strength(z)
    # a-b: a buys all its inputs (20) from b -> 1; a-c: c buys 10 of its 40 from a (0.25) and a
    # sells 10 of its 40 to c (0.25), nothing from c to a -> 0.25; b-c: c sells all (5) to b -> 1
    expected = [[0, 1, 0.25], [1, 0, 1], [0.25, 1, 0]]
    np.testing.assert_allclose(s.to_numpy(), expected, rtol=1e-14)
    assert (s.to_numpy() == s.to_numpy().T).all()


def test_io_link_strength_industry_without_trade_has_zero_links():
    ind = list("abc")
    z = pd.DataFrame([[1, 2, 0], [3, 1, 0], [0, 0, 0]], index=ind, columns=ind, dtype=float)
    s = io_link_strength(z)
    assert (s.loc["c"] == 0).all() and (s["c"] == 0).all()
    # a sells 2 of its 3 to b; b sells 3 of its 4 to a; a buys 3 of its 4 from b; b 2 of 3 from a
    assert s.loc["a", "b"] == pytest.approx(0.75, rel=1e-14)


def _random_A(seed: int, n: int = 6) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    raw = rng.gamma(0.5, 1.0, (n, n))
    ind = [f"i{k}" for k in range(n)]
    return pd.DataFrame(raw / raw.sum(axis=0) * rng.uniform(0.1, 0.8, n), index=ind, columns=ind)


@pytest.mark.parametrize("seed", range(5))
def test_properties_on_random_productive_tables(seed):
    from clusterlib.linkages import multipliers

    A = _random_A(seed)
    L = leontief_inverse(A).to_numpy()
    assert (L >= np.eye(len(A)) - 1e-12).all()  # L >= I for a productive A >= 0
    idx = linkage_indices(A)
    assert idx["backward"].mean() == pytest.approx(1) and idx["forward"].mean() == pytest.approx(1)
    f = pd.Series(np.random.default_rng(seed).uniform(1, 10, len(A)), index=A.index)
    for k in A.index[:3]:
        loss = hypothetical_extraction(A, f, extract=k)["loss"]
        assert (loss >= -1e-9).all()  # cutting links never raises anyone's output
        assert loss[k] > 0  # random tables: every industry buys inputs, so it loses them
    w = pd.Series(np.random.default_rng(seed + 1).uniform(0.1, 0.4, len(A)), index=A.index)
    c = pd.Series(np.random.default_rng(seed + 2).dirichlet(np.ones(len(A))) * 0.8, index=A.index)
    m = multipliers(A, income=w, consumption=c, employment=w * 10)
    assert (m["output_type_ii"] >= m["output"]).all()
    assert (m["employment_type_ii"] >= m["employment_type_i"]).all()
    assert (m["employment_type_i"] >= 1 - 1e-12).all()  # the direct job is always counted


def test_stacked_multipliers_equal_one_table_at_a_time():
    from clusterlib.linkages import multipliers

    tables = {r: _random_A(s) for r, s in (("R1", 1), ("R2", 2), ("R3", 3))}
    stacked = pd.concat(tables)
    e = pd.Series(np.arange(1.0, 7.0), index=stacked.columns)
    m = multipliers(stacked, employment=e)
    idx = linkage_indices(stacked)
    for r, A in tables.items():
        pd.testing.assert_frame_equal(m.loc[r], multipliers(A, employment=e), check_names=False)
        pd.testing.assert_frame_equal(idx.loc[r], linkage_indices(A), check_names=False)


def test_io_link_strength_is_scale_free():
    ind = list("abc")
    z = pd.DataFrame([[0, 30, 10], [20, 0, 30], [0, 5, 0]], index=ind, columns=ind, dtype=float)
    # flows in billions instead of millions: every share, and so every link, is the same
    pd.testing.assert_frame_equal(io_link_strength(z / 1000), io_link_strength(z))
