"""Relatedness, complexity and density: hand-computed golden values, edge cases, bad input.

The agreement with Harvard's ``ecomplexity`` package is in ``test_relatedness_ecomplexity.py``.

The hand example (HAND below), worked out beside each test:

    region   a   b   c   total        RCA = 4 x / X_i      M
    r1      10   0  10    20          2    0    1          1 0 1
    r2       0  10  10    20          0    2    1          0 1 1
    r3      10  10   0    20          2    2    0          1 1 0
    r4       0   0  20    20          0    0    2          0 0 1
    total   20  20  40    80

RCA_ri = (x_ri / 20) / (X_i / 80) = 4 x_ri / X_i. Diversity (2, 2, 2, 1); ubiquity (2, 2, 3).
"""

import numpy as np
import pandas as pd
import pytest

from clusterlib.errors import DataFormatError, DataValueError, OptionError
from clusterlib.reference.clusters import load_clusters
from clusterlib.relatedness import (
    ComplexityError,
    RelatednessWarning,
    colocation_relatedness,
    complexity,
    complexity_table,
    diversity,
    presence,
    proximity,
    rca,
    relatedness_density,
    ubiquity,
)
from clusterlib.relatedness.clusters import (
    clusters_yaml,
    coassignment,
    compare_definitions,
    data_clusters,
    define_clusters,
)
from clusterlib.relatedness.entry import entry_model, entry_table

HAND = pd.DataFrame(
    {"a": [10.0, 0, 10, 0], "b": [0.0, 10, 10, 0], "c": [10.0, 10, 0, 20]},
    index=pd.Index(["r1", "r2", "r3", "r4"], name="region"),
)


def test_rca_presence_diversity_ubiquity_by_hand():
    expected = [[2, 0, 1], [0, 2, 1], [2, 2, 0], [0, 0, 2]]
    np.testing.assert_allclose(rca(HAND).to_numpy(), expected, rtol=1e-14)
    np.testing.assert_array_equal(
        presence(HAND).to_numpy(), [[1, 0, 1], [0, 1, 1], [1, 1, 0], [0, 0, 1]]
    )
    assert diversity(HAND).tolist() == [2, 2, 2, 1]
    assert ubiquity(HAND).tolist() == [2, 2, 3]
    # the threshold: at 1.5 the RCA-1 cells (r1/c, r2/c) drop out
    assert diversity(HAND, threshold=1.5).tolist() == [1, 1, 2, 1]


def test_threshold_tie_counts_as_specialised():
    # RCA exactly 1 (r1/c) is specialised at threshold 1, not at 1 + 1e-9
    assert presence(HAND).loc["r1", "c"] == 1.0
    assert presence(HAND, threshold=1 + 1e-9).loc["r1", "c"] == 0.0


def test_proximity_by_hand():
    # C = M'M: C_ab = 1 (r3), C_ac = 1 (r1), C_bc = 1 (r2); phi_ij = C_ij / max(u_i, u_j)
    phi = proximity(HAND)
    expected = [[1, 1 / 2, 1 / 3], [1 / 2, 1, 1 / 3], [1 / 3, 1 / 3, 1]]
    np.testing.assert_allclose(phi.to_numpy(), expected, rtol=1e-14)


def test_density_by_hand():
    # row sums of phi: a, b: 1 + 1/2 + 1/3 = 11/6; c: 1/3 + 1/3 + 1 = 5/3
    d = relatedness_density(HAND)
    assert d.loc["r1", "a"] == pytest.approx((1 + 1 / 3) / (11 / 6))  # 8/11
    assert d.loc["r4", "b"] == pytest.approx((1 / 3) / (11 / 6))  # 2/11
    assert d.loc["r1", "c"] == pytest.approx((1 / 3 + 1) / (5 / 3))  # 4/5
    assert d.loc["r4", "a"] == pytest.approx((1 / 3) / (11 / 6))
    assert d.loc["r3", "c"] == pytest.approx((1 / 3 + 1 / 3) / (5 / 3))  # 2/5


def test_density_with_given_relatedness():
    W = pd.DataFrame(np.ones((3, 3)), index=list("abc"), columns=list("abc"))
    # equal weights: density = diversity / 3 in every industry
    d = relatedness_density(HAND, relatedness=W)
    np.testing.assert_allclose(
        d.to_numpy(), np.repeat([[2 / 3], [2 / 3], [2 / 3], [1 / 3]], 3, axis=1)
    )
    with pytest.raises(DataFormatError, match="'c'"):
        relatedness_density(HAND, relatedness=W.drop(index="c", columns="c"))
    with pytest.raises(DataValueError, match="non-negative"):
        relatedness_density(HAND, relatedness=W - 2)


def test_association_strength_by_hand():
    # C with diagonal 0: every pair co-occurs once; S_i = 2, T = 6: r_ij = 1 * 6 / (2 * 2) = 1.5
    r = colocation_relatedness(HAND, method="association")
    np.testing.assert_allclose(r.to_numpy(), [[0, 1.5, 1.5], [1.5, 0, 1.5], [1.5, 1.5, 0]])


def test_association_strength_unequal_by_hand():
    # add r5 specialised in a and c only (x = 20, 0, 20; RCA vs new totals a 40, b 20, c 60, X 120:
    # r5: a (20/40)/(40/120) = 1.5, c (20/40)/(60/120) = 1; r4 c: (20/20)/(60/120) = 2).
    x = pd.concat([HAND, pd.DataFrame({"a": [20.0], "b": [0.0], "c": [20.0]}, index=["r5"])])
    m = presence(x)
    assert m.loc["r5"].tolist() == [1, 0, 1]
    c = m.T @ m  # co-occurrence, checked independently of the function
    C = c.to_numpy().copy()
    np.fill_diagonal(C, 0)
    S, T = C.sum(axis=1), C.sum()
    np.testing.assert_allclose(
        colocation_relatedness(x, method="association").to_numpy(),
        np.where(np.eye(3) == 1, 0, C * T / np.outer(S, S)),
    )
    # by hand: C_ab = 1, C_ac = 1 + ... count pairs over r1..r5 from m
    assert C[0, 2] == (m["a"] * m["c"]).sum()


def test_correlation_by_hand_and_against_pandas():
    # LQ columns a = (2,0,2,0), b = (0,2,2,0), c = (1,1,0,2):
    # corr(a,b) = 0; corr(a,c) = corr(b,c) = -2 / (2 * sqrt 2) = -1/sqrt 2
    r = colocation_relatedness(HAND)
    s = -1 / np.sqrt(2)
    np.testing.assert_allclose(r.to_numpy(), [[1, 0, s], [0, 1, s], [s, s, 1]], atol=1e-14)
    rng = np.random.default_rng(3)
    X = pd.DataFrame(rng.lognormal(size=(40, 6)), columns=list("abcdef"))
    X.iloc[3, 1] = np.nan
    X.iloc[7, 4] = np.nan
    expected = rca(X).corr()  # pandas: pairwise-complete Pearson
    np.testing.assert_allclose(
        colocation_relatedness(X).to_numpy(), expected.to_numpy(), atol=1e-12
    )
    shares = X / X.sum()
    np.testing.assert_allclose(
        colocation_relatedness(X, on="share").to_numpy(), shares.corr().to_numpy(), atol=1e-12
    )


def test_complexity_by_hand():
    # M~_pp' = sum_r M_rp M_rp' / (u_p d_r):
    #   a: [1/2, 1/4, 1/4], b: [1/4, 1/2, 1/4], c: [1/6, 1/6, 2/3]
    # eigenvalues 1, 5/12 (eigenvector (3, 3, -4)), 1/4 (eigenvector (1, -1, 0)).
    # k_r = mean of K over r's industries: (-1/2, -1/2, 3, -4); mean -1/2; population sd 3.5/sqrt 2
    # ECI = (0, 0, sqrt 2, -sqrt 2); PCI = ((3 + 1/2), (3 + 1/2), (-4 + 1/2)) / sd
    eci, pci = complexity(HAND)
    r2 = np.sqrt(2)
    np.testing.assert_allclose(eci.to_numpy(), [0, 0, r2, -r2], atol=1e-12)
    np.testing.assert_allclose(pci.to_numpy(), [r2, r2, -r2], atol=1e-12)
    # conventions: ECI standardised (population sd) and positively correlated with diversity
    assert eci.mean() == pytest.approx(0, abs=1e-12)
    assert eci.std(ddof=0) == pytest.approx(1)
    assert np.corrcoef(eci, diversity(HAND))[0, 1] > 0


def _nested(seed=0, R=40, n=15):
    rng = np.random.default_rng(seed)
    cap = rng.uniform(size=R)[:, None]
    need = rng.uniform(size=n)[None, :]
    return pd.DataFrame(
        rng.lognormal(size=(R, n)) * np.exp(4 * (cap - need)),
        index=[f"r{k:02d}" for k in range(R)],
        columns=pd.Index([f"i{k:02d}" for k in range(n)], name="industry"),
    )


def _reflections(M: np.ndarray, steps: int) -> np.ndarray:
    """Method of reflections (Hidalgo & Hausmann 2009), standardised at each step (independent)."""
    d, u = M.sum(axis=1), M.sum(axis=0)
    kc = d.astype(float)
    for _ in range(steps):
        kp = M.T @ kc / u
        kc = M @ kp / d
        kc = (kc - kc.mean()) / kc.std()
    return kc


def test_reflections_converge_to_the_eigenvector_ranking():
    X = _nested()
    eci, _ = complexity(X)
    kc = _reflections(presence(X).to_numpy(), steps=400)
    kc *= np.sign(np.corrcoef(kc, diversity(X))[0, 1])
    assert (pd.Series(kc, index=X.index).rank().to_numpy() == eci.rank().to_numpy()).all()
    np.testing.assert_allclose(kc, eci.to_numpy(), atol=1e-6)


def test_panel_and_tidy_layouts_give_each_years_result():
    a, b = _nested(1), _nested(2) * 3
    panel = pd.concat({2010: a, 2011: b}, names=["year", "region"])
    tidy = panel.stack().rename("value").reset_index()
    for f in (rca, presence, relatedness_density):
        got = f(panel)
        pd.testing.assert_frame_equal(got.loc[2011], f(b), check_names=False)
        pd.testing.assert_frame_equal(f(tidy), got)
    phi = proximity(panel)
    np.testing.assert_allclose(phi.loc[2010].to_numpy(), proximity(a).to_numpy())
    eci, pci = complexity(panel)
    np.testing.assert_allclose(eci.loc[2011].to_numpy(), complexity(b).eci.to_numpy())
    np.testing.assert_allclose(pci.loc[2010].to_numpy(), complexity(a).pci.to_numpy())


def test_complexity_table_equals_the_separate_functions():
    a, b = _nested(1), _nested(2) * 3
    b.loc["r03"] = np.nan
    panel = pd.concat({2010: a, 2011: b}, names=["year", "region"])
    t = complexity_table(panel)
    assert t.index.names == ["year", "region", "industry"]
    assert len(t) == 40 * 15 + 39 * 15
    for col, frame in (
        ("rca", rca(panel)),
        ("m", presence(panel)),
        ("density", relatedness_density(panel)),
    ):
        np.testing.assert_array_equal(t[col], frame.stack().reindex(t.index))
    eci, pci = complexity(panel)
    np.testing.assert_array_equal(t["eci"], eci.reindex(t.index.droplevel("industry")))
    np.testing.assert_array_equal(t["pci"], pci.reindex(t.index.droplevel("region")))
    np.testing.assert_array_equal(
        t["diversity"], diversity(panel).reindex(t.index.droplevel("industry"))
    )
    np.testing.assert_array_equal(
        t["ubiquity"], ubiquity(panel).reindex(t.index.droplevel("region"))
    )


def test_region_absent_from_a_year_is_left_out_of_it():
    a, b = _nested(1), _nested(2)
    b.loc["r03"] = np.nan  # not in the 2011 data at all
    panel = pd.concat({2010: a, 2011: b}, names=["year", "region"])
    got = rca(panel)
    assert ("2011", "r03") not in got.index and (2011, "r03") not in got.index
    pd.testing.assert_frame_equal(got.loc[2011], rca(b.drop(index="r03")), check_names=False)


# --- unknown cells: never zero -----------------------------------------------------------------


def test_unknown_cell_is_not_zero_in_proximity():
    # r4/b unknown. Pairwise complete: P(b|c) = C_bc / #(c = 1 and b known) = 1 / 2 (r1, r2),
    # P(c|b) = 1/2, so phi_bc = 1/2; read as 0 it would be 1/3.
    x = HAND.copy()
    x.loc["r4", "b"] = np.nan
    assert np.isnan(rca(x).loc["r4", "b"]) and np.isnan(presence(x).loc["r4", "b"])
    phi = proximity(x)
    assert phi.loc["b", "c"] == pytest.approx(1 / 2)
    assert phi.loc["a", "c"] == pytest.approx(1 / 3)
    assert proximity(x.fillna(0)).loc["b", "c"] == pytest.approx(1 / 3)
    # density of r4 sums over its known industries only: a: phi_ac / (phi_aa + phi_ac)
    d = relatedness_density(x)
    assert d.loc["r4", "a"] == pytest.approx((1 / 3) / (1 + 1 / 3))


def test_unknown_cells_in_complexity():
    X = _nested(4)
    X.iloc[5, 2] = np.nan
    with pytest.raises(ComplexityError, match="r05/i02"):
        complexity(X)
    with pytest.warns(RelatednessWarning, match="r05"):
        eci, pci = complexity(X, missing="drop-regions")
    assert np.isnan(eci["r05"]) and eci.drop("r05").notna().all()
    # independent: the eigenvector method of ecomplexity (np.linalg.eig of M~) on M without r05
    M = presence(X).drop(index="r05").to_numpy()
    d, u = M.sum(axis=1), M.sum(axis=0)
    vals, vecs = np.linalg.eig((M / u).T @ (M / d[:, None]))
    kp = np.real(vecs[:, np.argsort(np.real(vals))[-2]])
    kc = (M / d[:, None]) @ kp
    kc *= np.sign(np.corrcoef(d, kc)[0, 1])
    np.testing.assert_allclose(eci.drop("r05").to_numpy(), (kc - kc.mean()) / kc.std(), atol=1e-9)
    with pytest.warns(RelatednessWarning, match="i02"):
        _, pci = complexity(X, missing="drop-industries")
    assert np.isnan(pci["i02"]) and pci.drop("i02").notna().all()


# --- edge cases -------------------------------------------------------------------------------


def test_region_without_specialisation_has_no_eci():
    # r_avg has Europe's structure (RCA 1 everywhere): adding it leaves every other RCA unchanged,
    # so at threshold 1.2 it has no specialisation and the others' ECI is that of X alone.
    X = _nested(5)
    avg = pd.DataFrame([X.sum() / 10], index=["r_avg"])
    with pytest.warns(RelatednessWarning, match="r_avg: no specialisation"):
        eci, _ = complexity(pd.concat([X, avg]), threshold=1.2)
    assert np.isnan(eci["r_avg"])
    np.testing.assert_allclose(
        eci.drop("r_avg").to_numpy(), complexity(X, threshold=1.2).eci, atol=1e-10
    )
    assert diversity(pd.concat([X, avg]), threshold=1.2)["r_avg"] == 0


def test_industry_present_everywhere():
    # a column proportional to the region totals has RCA 1 in every region: ubiquity = R, and its
    # proximity to j is C_ij / max(R, u_j) = u_j / R
    X = _nested(6)
    X["all"] = X.sum(axis=1) * 0.1
    np.testing.assert_allclose(rca(X)["all"], 1.0)
    assert ubiquity(X)["all"] == len(X)
    phi = proximity(X)
    u = ubiquity(X)
    np.testing.assert_allclose(phi["all"].drop("all"), (u / len(X)).drop("all"))
    eci, pci = complexity(X)
    assert np.isfinite(pci["all"]) and eci.notna().all()


def test_industry_present_nowhere_is_left_out_with_a_warning():
    X = _nested(7)
    with pytest.warns(RelatednessWarning, match="industry none"):
        got = rca(X.assign(none=0.0))
    assert np.isnan(got["none"]).all()
    pd.testing.assert_frame_equal(got.drop(columns="none"), rca(X))
    with pytest.warns(RelatednessWarning):
        eci, pci = complexity(X.assign(none=0.0))
    assert "none" not in pci.index or np.isnan(pci.get("none", np.nan))
    np.testing.assert_allclose(eci.to_numpy(), complexity(X).eci.to_numpy())


def test_disconnected_industry_space():
    # two blocks of regions and industries that never meet
    X = pd.DataFrame(
        [[5, 1, 0, 0], [1, 5, 0, 0], [3, 3, 0, 0], [0, 0, 5, 1], [0, 0, 1, 5], [0, 0, 3, 3]],
        index=[f"r{k}" for k in range(6)], columns=["a", "b", "c", "d"], dtype=float,
    )  # fmt: skip
    phi = proximity(X)
    assert phi.loc["a", "c"] == 0 and phi.loc["b", "d"] == 0
    with pytest.raises(ComplexityError, match="2 disconnected parts.*a, b; c, d"):
        complexity(X)


@pytest.mark.parametrize(
    ("bad", "error", "words"),
    [
        (HAND.assign(b=[0, -1.0, 10, 0]), DataValueError, "'r2', industry 'b'.*non-negative"),
        (HAND.assign(c=[10, np.inf, 0, 20]), DataValueError, "'r2', industry 'c'"),
        (HAND.assign(a=["10", "x", "10", "0"]), DataValueError, "industry 'a'.*'x'"),
        (pd.concat([HAND, HAND.iloc[:1]]), DataFormatError, "'r1' appears twice"),
        ([[1, 2]], DataFormatError, "DataFrame"),
    ],
)
def test_bad_matrices(bad, error, words):
    with pytest.raises(error, match=words):
        rca(bad)


def test_bad_options():
    with pytest.raises(OptionError, match="method"):
        colocation_relatedness(HAND, method="cosine")
    with pytest.raises(OptionError, match="threshold"):
        presence(HAND, threshold=0)
    with pytest.raises(OptionError, match="missing"):
        complexity(HAND, missing="zero")


# --- data-driven clusters ---------------------------------------------------------------------


def _blocks(seed=0, R=200):
    """Three blocks of industries whose LQs move together within a block, independently across."""
    rng = np.random.default_rng(seed)
    cols = {}
    for _b, names in enumerate((["C24", "C25", "C28"], ["C10", "C11"], ["J62", "J63"])):
        f = rng.lognormal(size=R)
        for k, n in enumerate(names):
            cols[n] = f * (k + 1) * np.exp(0.05 * rng.normal(size=R))
    cols["M72"] = rng.lognormal(size=R)
    return pd.DataFrame(cols, index=[f"r{k:03d}" for k in range(R)])


def test_define_clusters_recovers_blocks_and_is_stable():
    X = _blocks()
    d = define_clusters(X, n_boot=50)
    assert d.loc["C24", "cluster"] == 1 and d.loc["C24", "n_divisions"] == 3
    groups = {tuple(sorted(g.index)) for _, g in d.groupby("cluster")}
    assert groups == {("C24", "C25", "C28"), ("C10", "C11"), ("J62", "J63"), ("M72",)}
    assert (d["stability"] == 1.0).all()
    A = coassignment(X, n_boot=50)
    assert A.loc["C24", "C28"] == 1.0 and A.loc["C24", "C10"] == 0.0
    assert data_clusters(d) == {"co-location 1": ("C24", "C25", "C28"), "co-location 2": ("C10", "C11"),
                                "co-location 3": ("J62", "J63")}  # fmt: skip


def test_define_clusters_cut_and_stability_react():
    X = _blocks()
    # cut 0.001: nothing correlates at 0.999 after the noise, every industry alone
    assert define_clusters(X, cut=0.001, n_boot=0)["cluster"].nunique() == len(X.columns)
    # cut 1.99: everything in one cluster
    assert define_clusters(X, cut=1.99, n_boot=0)["cluster"].nunique() == 1
    # noisy blocks are less stable than clean ones
    rng = np.random.default_rng(1)
    small = _blocks(R=30)
    noisy = small * np.exp(0.6 * rng.normal(size=small.shape))
    assert define_clusters(noisy, n_boot=50)["stability"].min() < 0.9


def test_clusters_yaml_round_trip_and_comparison(tmp_path):
    d = define_clusters(_blocks(), n_boot=20)
    path = clusters_yaml(d, tmp_path / "clusters.yaml")
    assert load_clusters(path) == data_clusters(d)
    text = path.read_text()
    assert "industries: [C24, C25, C28]" in text and "stability 1.00" in text
    cmp = compare_definitions(d, {"hand": ["C24", "C10"], "other": ["J62", "C99"]})
    assert cmp.loc["hand", "data_clusters"] == "1, 2"
    assert cmp.loc["hand", "attached"] == "C11, C25, C28"
    assert cmp.loc["other", "not_covered"] == "C99"


def test_define_clusters_bad_input():
    panel = pd.concat({2010: _blocks(), 2011: _blocks(1)}, names=["year", "region"])
    with pytest.raises(OptionError, match="one year"):
        define_clusters(panel)
    with pytest.raises(OptionError, match="cut"):
        define_clusters(_blocks(), cut=2.5)
    with pytest.raises(DataFormatError, match="at least 4 regions"):
        define_clusters(_blocks().iloc[:3])


# --- entry ------------------------------------------------------------------------------------


def test_entry_table_by_hand():
    # 2010 = HAND. 2011: r4 grows in a (a = 10): totals a 30, b 20, c 40, X 90.
    # r4/a: (10/30)/(30/90) = 1 -> entry; r1/b stays 0; r2/a stays 0; r3/c stays 0.
    later = HAND.copy()
    later.loc["r4", "a"] = 10.0
    panel = pd.concat({2010: HAND, 2011: later}, names=["year", "region"])
    t = entry_table(panel, start=2010, end=2011).set_index(["region", "industry"])
    # at risk in 2010: the M = 0 cells: r1/b, r2/a, r3/c, r4/a, r4/b
    assert sorted(t.index) == [("r1", "b"), ("r2", "a"), ("r3", "c"), ("r4", "a"), ("r4", "b")]
    assert t["entry"].to_dict() == {("r1", "b"): 0, ("r2", "a"): 0, ("r3", "c"): 0, ("r4", "a"): 1,
                                    ("r4", "b"): 0}  # fmt: skip
    assert t.loc[("r4", "a"), "density_pct"] == pytest.approx(100 * (1 / 3) / (11 / 6))
    assert t.loc[("r3", "c"), "rca_start"] == 0.0


def test_entry_model_agrees_with_statsmodels():
    import statsmodels.api as sm

    rng = np.random.default_rng(0)
    years = {}
    base = _nested(8, R=60, n=20)
    years[2010] = base
    years[2015] = base * np.exp(0.4 * rng.normal(size=base.shape))
    t = entry_table(pd.concat(years, names=["year", "region"]), start=2010, end=2015)
    model, ame = entry_model(t, cov_type="HC0")
    X = sm.add_constant(t[["density_pct", "rca_start"]])
    ref = sm.Logit(t["entry"], X).fit(disp=0, cov_type="HC0").get_margeff()
    np.testing.assert_allclose(ame["estimate"].to_numpy(), ref.margeff, rtol=1e-6)
    np.testing.assert_allclose(ame["se"].to_numpy(), ref.margeff_se, rtol=1e-5)


def test_cluster_evidence_is_both_functions_with_one_bootstrap():
    from clusterlib.relatedness.clusters import cluster_evidence

    X = _blocks(R=40)
    definition, together = cluster_evidence(X, n_boot=20, seed=3)
    pd.testing.assert_frame_equal(definition, define_clusters(X, n_boot=20, seed=3))
    pd.testing.assert_frame_equal(together, coassignment(X, n_boot=20, seed=3))
    with pytest.raises(OptionError, match="n_boot"):
        cluster_evidence(X, n_boot=0)
