"""clusterlib.linkages.value_chain, by hand: supplier and customer shares, local inputs, jobs.

Golden values of the small examples are worked by hand beside each test.

The region's customers (issue 27 §2)
------------------------------------
A = [[0.1, 0.4], [0.3, 0.1]] (industries a, b), output x = (10, 5), so Z = A x̂ = [[1, 2], [3, 0.5]].
Final demand: exports EXP = (5, 0.5), households CONS_h = (2, 1); sales s = (10, 5).
Employment: region RE = (30, 70), nation NE = (600, 400): ρ = RE/NE = (0.05, 0.175),
TRE/TNE = 0.1, SLQ = (0.5, 1.75).
FLQ, δ = 0.3: λ = log2(1.1)^0.3 = 0.1375035^0.3 = 0.5514348.
    r_aa = 0.1 min(1, λ 0.5) = 0.0275717      r_ab = 0.4 min(1, λ 0.5/1.75) = 0.0630211
    r_ba = 0.3 min(1, λ 3.5) = 0.3             r_bb = 0.1 min(1, λ 1.75) = 0.0965011

Cluster {a}: X^R = 10 x 0.05 = 0.5.
    share: a 1 x 0.05/0.5 = 0.1, b 2 x 0.05/0.5 = 0.2, EXP 0.5, CONS_h 0.2
    in_region: a r_aa x_a ρ_a / X^R = 0.0275717 x 10 x 0.05/0.5 = 0.0275717
               b r_ab x_b ρ_b / X^R = 0.0630211 x 5 x 0.175/0.5 = 0.1102870 (= 0.2 λ)
Cluster {a, b}: X^R = 10 x 0.05 + 5 x 0.175 = 1.375.
    share: a (1 x 0.05 + 3 x 0.175)/1.375 = 0.575/1.375 = 0.4181818
           b (2 x 0.05 + 0.5 x 0.175)/1.375 = 0.1875/1.375 = 0.1363636
           EXP (5 x 0.05 + 0.5 x 0.175)/1.375 = 0.3375/1.375 = 0.2454545
           CONS_h (2 x 0.05 + 1 x 0.175)/1.375 = 0.275/1.375 = 0.2
    in_region: a (r_aa + r_ba) x 10 x 0.05/1.375 = 0.3275717 x 0.5/1.375 = 0.1191170
               b (r_ab + r_bb) x 5 x 0.175/1.375 = 0.1595222 x 0.875/1.375 = 0.1015141
"""

import numpy as np
import pandas as pd
import pytest

from clusterlib.errors import DataFormatError, DataValueError, UnknownCodeError
from clusterlib.linkages import regionalise
from clusterlib.linkages import value_chain as vc
from clusterlib.linkages.value_chain import customer_shares, regional_customer_shares

A = pd.DataFrame([[0.1, 0.4], [0.3, 0.1]], index=["a", "b"], columns=["a", "b"])
X = pd.Series({"a": 10.0, "b": 5.0})
Z = A * X
Y = pd.DataFrame({"EXP": [5.0, 0.5], "CONS_h": [2.0, 1.0]}, index=["a", "b"])
RE, NE = pd.Series({"a": 30.0, "b": 70.0}), pd.Series({"a": 600.0, "b": 400.0})
R = regionalise(A, regional=RE, national=NE, method="flq", delta=0.3)
LAM = np.log2(1.1) ** 0.3


def _shares(cluster, **kw):
    return regional_customer_shares(Z, Y, R=R, output=X, regional=RE, national=NE,
                                    cluster=cluster, **kw)  # fmt: skip


def test_the_hand_lambda_and_coefficients():
    assert LAM == pytest.approx(0.5514348, abs=1e-7)
    np.testing.assert_allclose(R.to_numpy(), [[0.0275717, 0.0630211], [0.3, 0.0965011]], atol=1e-7)


def test_one_industry_cluster_by_hand():
    t = _shares(["a"])
    np.testing.assert_allclose(t["share"], [0.1, 0.2, 0.5, 0.2])
    np.testing.assert_allclose(t["in_region"], [0.0275717, 0.1102870, 0, 0], atol=1e-7)
    np.testing.assert_allclose(t["outside_region"], [0.1 - 0.0275717, 0.2 - 0.1102870, 0.5, 0],
                               atol=1e-7)  # fmt: skip
    np.testing.assert_allclose(t["unplaced"], [0, 0, 0, 0.2])
    assert list(t["kind"]) == ["industry", "industry", "exports", "final demand"]
    # one industry: the shares are the national ones
    np.testing.assert_allclose(t["share"], customer_shares(Z, Y, cluster=["a"])["share"])


def test_two_industry_cluster_by_hand():
    t = _shares(["a", "b"])
    np.testing.assert_allclose(t["share"], [0.4181818, 0.1363636, 0.2454545, 0.2], atol=1e-7)
    np.testing.assert_allclose(t["in_region"].iloc[:2], [0.1191170, 0.1015141], atol=1e-7)
    parts = t[["in_region", "outside_region", "unplaced"]].sum(axis=1)
    np.testing.assert_allclose(parts, t["share"])
    assert t["share"].sum() == pytest.approx(1.0)


def test_delta_zero_sells_everything_a_specialised_buyer_needs_locally():
    """With λ = 1 and SLQ_a < SLQ_b, r_ab ρ_b = a_ab ρ_a: all of a's sales to b stay inside."""
    R0 = regionalise(A, regional=RE, national=NE, method="flq", delta=0.0)
    t = regional_customer_shares(Z, Y, R=R0, output=X, regional=RE, national=NE, cluster=["a"])
    assert t.loc["b", "in_region"] == pytest.approx(t.loc["b", "share"])
    assert t.loc["b", "outside_region"] == pytest.approx(0.0, abs=1e-15)


def test_an_slq_table_is_capped_at_the_share():
    """SLQ_b = 1.75 > 1 lets r_ab = a_ab SLQ_a claim more than a's sales to b: capped."""
    Rs = regionalise(A, regional=RE, national=NE, method="slq")
    t = regional_customer_shares(Z, Y, R=Rs, output=X, regional=RE, national=NE, cluster=["a"])
    # uncapped: 0.4 x 0.5 x 5 x 0.175 / 0.5 = 0.35 > 0.2
    assert t.loc["b", "in_region"] == pytest.approx(0.2) and t.loc["b", "outside_region"] == 0


def test_without_an_exports_column_all_final_demand_is_unplaced():
    t = _shares(["a"], exports=None)
    assert t.loc["EXP", "unplaced"] == pytest.approx(0.5) and t.loc["EXP", "kind"] == "final demand"


@pytest.mark.parametrize(
    ("kw", "error", "match"),
    [
        (dict(exports="X"), DataFormatError, r"exports: 'X' is not a final demand column"),
        (dict(national=NE.replace(400.0, 0.0)), DataValueError, r"national, industry 'b'.*> 0"),
        (dict(national=pd.Series({"a": 0.6, "b": 0.0})), DataValueError, r"industry 'b'.*found 0"),
        (dict(regional=RE.replace(30.0, 0.0)), DataValueError, r"no employment in the region"),
    ],
)
def test_bad_inputs(kw, error, match):
    args = dict(R=R, output=X, regional=RE, national=NE, cluster=["a"]) | kw
    with pytest.raises(error, match=match):
        regional_customer_shares(Z, Y, **args)


# --- the other functions, three-industry example ----------------------------------------
IND = ["a", "b", "c"]
# A three-industry example; the cluster is industry b, outputs x = (100, 200, 50).
A3 = pd.DataFrame([[0.1, 0.2, 0.0], [0.3, 0.1, 0.2], [0.0, 0.1, 0.1]], index=IND, columns=IND)
R3 = pd.DataFrame([[0.05, 0.1, 0.0], [0.3, 0.1, 0.1], [0.0, 0.05, 0.05]], index=IND, columns=IND)
X3 = pd.Series({"a": 100.0, "b": 200.0, "c": 50.0})


def test_local_input_share_by_hand():
    # RPC of column b: 0.1/0.2 = 0.5, 0.1/0.1 = 1, 0.05/0.1 = 0.5; weighted by a_ib (0.2, 0.1,
    # 0.1): (0.1 + 0.1 + 0.05) / 0.4 = 0.625. Column a: (0.05 + 0.3) / 0.4 = 0.875.
    s = vc.local_input_share(A3, R3, industries=["b", "a"])
    assert s.to_dict() == pytest.approx({"b": 0.625, "a": 0.875}, abs=1e-12)
    rpc = (R3 / A3)["b"]
    assert (rpc * A3["b"]).sum() / A3["b"].sum() == pytest.approx(s["b"], abs=1e-12)
    stacked = pd.concat({0.1: R3, 0.2: A3}, names=["delta", "industry"])
    by = vc.local_input_share(A3, stacked, industries=["b"])
    assert by["b"].tolist() == pytest.approx([0.625, 1.0], abs=1e-12)


def test_supplier_shares_by_hand():
    # Column b of Z = A x̂: (0.2, 0.1, 0.1) x 200 = (40, 20, 20), total 80 -> 0.5, 0.25, 0.25.
    # Regional: (0.1, 0.1, 0.05) x 200 = (20, 20, 10), total 50 -> 0.4, 0.4, 0.2; bought locally
    # 20/40, 20/20, 10/20.
    s = vc.supplier_shares(A3, X3, cluster=["b"], R=R3)
    assert s["share"].tolist() == pytest.approx([0.5, 0.25, 0.25], abs=1e-12)
    assert s["regional_share"].tolist() == pytest.approx([0.4, 0.4, 0.2], abs=1e-12)
    assert s["local"].tolist() == pytest.approx([0.5, 1.0, 0.5], abs=1e-12)


def test_customer_shares_by_hand():
    # Row b of Z: (0.3 x 100, 0.1 x 200, 0.2 x 50) = (30, 20, 10); final demand 100 + 40; total
    # sales 200 -> 0.15, 0.10, 0.05, 0.50, 0.20.
    Z = A3 * X3
    Y = pd.DataFrame({"CONS_h": [50.0, 100.0, 10.0], "EXP": [0.0, 40.0, 5.0]}, index=IND)
    c = vc.customer_shares(Z, Y, cluster=["b"])
    assert c["share"].tolist() == pytest.approx([0.15, 0.10, 0.05, 0.50, 0.20], abs=1e-12)
    assert c["kind"].tolist() == ["industry"] * 3 + ["final demand"] * 2


def test_filling_gives_slq_one_and_keeps_the_others():
    # Covered: RE = (10, 30), NE = (100, 100): TRE/TNE = 0.2, SLQ a = 0.25/0.5 = 0.5, b = 1.5.
    # c is filled with NE = proxy 50, RE = 50 x 0.2 = 10: totals 50/250 = 0.2, SLQ c = 0.2/0.2 = 1.
    re, ne, filled = vc.fill_uncovered(pd.Series({"a": 10.0, "b": 30.0, "c": 0.0}),
                                       pd.Series({"a": 100.0, "b": 100.0, "c": 0.0}), proxy=X3)  # fmt: skip
    assert list(filled) == ["c"] and (re["c"], ne["c"]) == (10.0, 50.0)
    slq = (re / re.sum()) / (ne / ne.sum())
    assert slq.to_dict() == pytest.approx({"a": 0.5, "b": 1.5, "c": 1.0}, abs=1e-12)
    # SLQ regionalisation: row a halved, b capped at 1, c unchanged (SLQ exactly 1)
    R = regionalise(A3, regional=re, national=ne, method="slq")
    assert np.allclose(R.to_numpy(), A3.mul([0.5, 1.0, 1.0], axis=0).to_numpy(), atol=1e-15)
    # any positive proxy gives the same FLQ table: λ depends on TRE/TNE only
    other = vc.fill_uncovered(re.where(ne != 50, 0.0), ne.where(ne != 50, 0.0), proxy=X3 * 7)
    R1 = regionalise(A3, regional=re, national=ne, method="flq", delta=0.3)
    R2 = regionalise(A3, regional=other[0], national=other[1], method="flq", delta=0.3)
    assert np.allclose(R1.to_numpy(), R2.to_numpy(), atol=1e-15)


def test_employment_multipliers_by_hand():
    # L = [[0.9, 0.4], [0.3, 0.9]] / 0.69. With jobs e = (10, 0): effect of a = 10 x 0.9/0.69,
    # type I = 0.9/0.69 = 1.30435 (b's jobs are not counted), 30.435 jobs per 100.
    A = pd.DataFrame([[0.1, 0.4], [0.3, 0.1]], index=["a", "b"], columns=["a", "b"])
    e = pd.Series({"a": 10.0, "b": 0.0})
    m = vc.employment_multipliers(A, e, industries=["a"])
    assert m.loc["a"].tolist() == pytest.approx([1.2 / 0.69, 0.9 / 0.69, 100 * 0.21 / 0.69])
    stacked = vc.employment_multipliers(pd.concat({"r": A, "s": A * 0}), e, industries=["a"])
    assert stacked["jobs_type_i"].tolist() == pytest.approx([0.9 / 0.69, 1.0])
    with pytest.raises(DataValueError, match="industry 'b': no jobs data"):
        vc.employment_multipliers(A, e, industries=["b"])


def test_io_employment_sums_divisions():
    out = vc.io_employment(pd.Series({"C24": 3.0, "C25": 4.0, "A01": np.nan}), industries=["c12"])
    assert out.to_dict() == {"c12": 7.0}
    with pytest.raises(UnknownCodeError, match=r"\['C99'\] are not NACE"):
        vc.io_employment(pd.Series({"C99": 1.0}), industries=["c12"])


# --- edges: labels, names, thresholds and messages ----------------------------------------------
def test_io_employment_edges():
    # C25 unknown (NaN) or confidential text counts as 0, not 1; c1 has no division given: 0
    out = vc.io_employment(pd.Series({"C24": 3, "C25": np.nan, "C28": ":"}, dtype=object),
                           industries=["c12", "c13", "c1"])  # fmt: skip
    assert out.to_dict() == {"c12": 3.0, "c13": 0.0, "c1": 0.0}
    assert out.name == "employment" and out.dtype == float
    six = pd.Series(1.0, index=["C91x", "C92x", "C93x", "C94x", "C95x", "C96x"])
    with pytest.raises(UnknownCodeError) as err:
        vc.io_employment(six, industries=["c12"])
    msg = str(err.value)
    assert "'C95x'" in msg and "'C96x'" not in msg  # the first five
    assert msg.endswith("give employment by division (e.g. 'C25').")


def test_fill_uncovered_edges():
    # national 0.5 is covered (not <= 0): only c is filled; proxy in another order, extra labels
    re, ne, filled = vc.fill_uncovered(pd.Series({"a": 0.25, "b": 0.75, "c": 0.0}),
                                       pd.Series({"a": 0.5, "b": 0.5, "c": 0.0}),
                                       proxy=pd.Series({"z": 9.0, "c": 2.0, "a": 7.0}))  # fmt: skip
    assert list(filled) == ["c"]
    assert ne.to_dict() == {"a": 0.5, "b": 0.5, "c": 2.0} and re["c"] == pytest.approx(2.0)
    # a proxy of 0.5 is positive enough; 0 is not, and the message names the industry and value
    vc.fill_uncovered(pd.Series({"a": 1.0, "c": 0.0}), pd.Series({"a": 2.0, "c": 0.0}),
                      proxy=pd.Series({"a": 1.0, "c": 0.5}))  # fmt: skip
    with pytest.raises(DataValueError) as err:
        vc.fill_uncovered(pd.Series({"a": 1.0, "c": 0.0}), pd.Series({"a": 2.0, "c": 0.0}),
                          proxy=pd.Series({"a": 1.0, "c": 0.0}))  # fmt: skip
    assert str(err.value) == ("proxy, industry 'c': expected a positive number to fill an "
                              "industry without employment, found 0.")  # fmt: skip
    with pytest.raises(DataValueError) as err:
        vc.fill_uncovered(pd.Series({"a": 1.0}), pd.Series({"a": 0.0}), proxy=pd.Series({"a": 1}))
    assert str(err.value) == "national: no industry has employment; check the employment data."


def test_regional_tables_are_flq_by_delta():
    re, ne = pd.Series({"a": 10.0, "b": 30.0, "c": 5.0}), pd.Series({"a": 100.0, "b": 100.0,
                                                                     "c": 50.0})  # fmt: skip
    R = vc.regional_tables(A3, regional=re, national=ne, deltas=[0.3, 0.1])
    assert R.index.names == ["delta", "industry"]
    assert list(R.index.get_level_values("delta").unique()) == [0.3, 0.1]
    for d in (0.3, 0.1):
        expected = regionalise(A3, regional=re, national=ne, method="flq", delta=d)
        pd.testing.assert_frame_equal(R.xs(d, level="delta"), expected, check_names=False)


def test_local_input_share_edges():
    stacked = pd.concat({0.3: R3, 0.1: A3}, names=["delta", "industry"])  # not sorted
    by = vc.local_input_share(A3, stacked, industries=["b"])
    assert list(by.index) == [0.3, 0.1] and by["b"].tolist() == pytest.approx([0.625, 1.0])
    A0 = A3.assign(a=0.0)  # a buys no inputs; b (inputs 0.4 < 1) is fine
    with pytest.raises(DataValueError) as err:
        vc.local_input_share(A0, R3, industries=["b", "a"])
    assert str(err.value) == "A, industry 'a': buys no inputs."


def test_supplier_shares_edges():
    # scale-free: outputs in thousands give the same shares; c supplies nothing to a: local 0
    s = vc.supplier_shares(A3, X3 / 1000, cluster=["a"], R=R3)
    assert s["share"].tolist() == pytest.approx([0.25, 0.75, 0.0])
    assert s["local"].tolist() == pytest.approx([0.5, 1.0, 0.0])


def test_regional_customer_shares_edges():
    base = _shares(["a", "b"])
    # employment in thousands (national below 1) gives the same shares
    small = regional_customer_shares(Z, Y, R=R, output=X, regional=RE / 1000, national=NE / 1000,
                                     cluster=["a", "b"])  # fmt: skip
    pd.testing.assert_frame_equal(small, base)
    # extra national labels are ignored; a missing regional label is 0 employment
    extra = regional_customer_shares(Z, Y, R=R, output=X, regional=RE,
                                     national=pd.concat([NE, pd.Series({"z": 0.0})]),
                                     cluster=["a", "b"])  # fmt: skip
    pd.testing.assert_frame_equal(extra, base)
    no_b = regional_customer_shares(Z, Y, R=R, output=X, regional=RE.drop("b"), national=NE,
                                    cluster=["a"])  # fmt: skip
    assert no_b.loc["b", "in_region"] == 0.0 and no_b.loc["b", "outside_region"] == 0.2
    with pytest.raises(DataFormatError) as err:
        _shares(["a"], exports="X")
    assert str(err.value).endswith("name the exports column, or pass exports=None.")


def test_employment_multipliers_edges():
    A = pd.DataFrame([[0.1, 0.4], [0.3, 0.1]], index=["a", "b"], columns=["a", "b"])
    # a missing coefficient is 0 (b's jobs not counted); 0.5 jobs per unit is enough
    m = vc.employment_multipliers(A, pd.Series({"a": 0.5}), industries=["a"])
    assert list(m.columns) == ["output", "jobs_type_i", "jobs_per_100"]
    assert m.loc["a"].tolist() == pytest.approx([1.2 / 0.69, 0.9 / 0.69, 100 * 0.21 / 0.69])
    with pytest.raises(DataValueError, match="industry 'b': no jobs data"):
        vc.employment_multipliers(A, pd.Series({"a": 0.5, "b": 0.0}), industries=["a", "b"])
    # stacked over three regions: L = I, L(A), L(A/2); output multipliers are column sums
    B = A / 2
    st = vc.employment_multipliers(pd.concat({"r": A * 0, "s": A, "t": B}),
                                   pd.Series({"a": 1.0, "b": 3.0}), industries=["b"])  # fmt: skip
    assert list(st.columns) == ["output", "jobs_type_i", "jobs_per_100"]
    assert list(st.index) == [("r", "b"), ("s", "b"), ("t", "b")]
    LB = np.linalg.inv(np.eye(2) - B.to_numpy())
    assert st["output"].tolist() == pytest.approx([1.0, 1.3 / 0.69, LB[:, 1].sum()])
    assert st.loc[("s", "b"), "jobs_type_i"] == pytest.approx((0.4 + 3 * 0.9) / 0.69 / 3)


def test_weighted_by_hand():
    # flat: (1 x 1 + 3 x 3) / 4 = 2.5 and (2 x 1 + 0 x 3) / 4 = 0.5
    v = pd.DataFrame({"m": [1.0, 3.0], "n": [2.0, 0.0]}, index=["a", "b"])
    w = pd.Series({"b": 3.0, "a": 1.0, "z": 100.0})
    assert vc.weighted(v, w).to_dict() == {"m": 2.5, "n": 0.5}
    # stacked by scope (kept in order): s2 = (5 x 1 + 1 x 3) / 4 = 2, s1 = (1 + 9) / 4 = 2.5
    st = pd.concat({"s2": v.assign(m=[5.0, 1.0]), "s1": v}, names=["scope", "industry"])
    out = vc.weighted(st, w)
    assert list(out.index) == ["s2", "s1"]
    assert out["m"].tolist() == [2.0, 2.5] and out["n"].tolist() == [0.5, 0.5]
