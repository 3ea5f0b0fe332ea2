"""The value-chain chapter (notebook 05) on the real data.

The analysis functions (clusterlib.linkages.value_chain) are tested by hand in
tests/linkages/test_value_chain.py.
"""

import numpy as np
import pandas as pd
import pytest

from clusterlib.batch.params import ParameterError, check_parameters
from clusterlib.chapters.metrics import read_metrics, write_metrics
from clusterlib.chapters.value_chains import ValueChainChapter
from clusterlib.errors import DataValueError, OptionError, UnknownCodeError
from clusterlib.linkages import technical_coefficients
from clusterlib.linkages import value_chain as vc


# ---------------------------------------------------------------- the real data
@pytest.fixture(scope="module")
def chapters():
    return {r: ValueChainChapter.build(region=r, cluster="metal processing (extended)")
            for r in ("PL34", "PL-NE")}  # fmt: skip


@pytest.mark.parametrize("region", ["PL34", "PL-NE"])
def test_regional_multipliers_below_national_and_in_range(chapters, region):
    ch = chapters[region]
    m = ch.multipliers
    nat = m.xs("national", level="scope")
    for d in ch.deltas:
        reg = m.xs(f"regional δ {d:g}", level="scope")
        assert (reg["output"] < nat["output"]).all()
        assert (reg["jobs_type_i"] < nat["jobs_type_i"]).all()
        assert (reg["gva_type_i"] < nat["gva_type_i"]).all() and (reg["gva_type_i"] > 1).all()
        assert (reg["output"] > 1).all()
    # a larger δ buys less locally: multipliers and local shares fall with δ
    cl = m.xs("cluster", level="industry").drop("national")
    assert cl["output"].is_monotonic_decreasing and cl["jobs_type_i"].is_monotonic_decreasing
    assert cl["gva_type_i"].is_monotonic_decreasing
    # the cluster's value lies between its industries' (a weighted mean)
    both = m.drop("cluster", level="industry").groupby(level="scope")
    for col in ("output", "jobs_type_i", "gva_type_i"):
        whole = m.xs("cluster", level="industry")[col]
        assert (whole >= both[col].min() - 1e-12).all() and (whole <= both[col].max() + 1e-12).all()
    assert ch.local["cluster"].is_monotonic_decreasing
    assert ((ch.local > 0) & (ch.local < 1)).all().all()
    n, lo, hi, at = ch.cluster_multiplier("jobs_per_100")
    assert lo <= at <= hi < n
    assert at == pytest.approx(100 * (ch.cluster_multiplier("jobs_type_i")[3] - 1))


def test_filled_industries_have_slq_one_on_real_data(chapters):
    emp = chapters["PL34"].employment
    assert emp["filled"].any() and "c1" in emp.index[emp["filled"]]
    assert np.allclose(emp.loc[emp["filled"], "slq"], 1.0, atol=1e-12)
    covered = emp[~emp["filled"]]
    raw = (covered["regional"] / covered["regional"].sum()) / (
        covered["national"] / covered["national"].sum()
    )
    assert np.allclose(covered["slq"], raw, atol=1e-12)


def test_shares_sum_to_one_on_real_data(chapters):
    from clusterlib.io.io_tables import load_wiod_poland

    t = load_wiod_poland()
    A = technical_coefficients(t.flows, t.output)
    ch = chapters["PL-NE"]
    mine = list(ch.industries["industry"])
    assert mine == ["c12", "c13"]
    re, ne, _ = vc.fill_uncovered(ch.employment["regional"], ch.employment["national"],
                                  proxy=t.output)  # fmt: skip
    R = vc.regional_tables(A, regional=re, national=ne, deltas=[ch.delta])
    s = vc.supplier_shares(A, t.output, cluster=mine, R=R.xs(ch.delta, level="delta"))
    assert s["share"].sum() == pytest.approx(1.0) and s["regional_share"].sum() == pytest.approx(1)
    c = vc.customer_shares(t.flows, t.final_demand, cluster=mine)
    assert c["share"].sum() == pytest.approx(1.0)
    top = ch.suppliers
    assert top["share"].is_monotonic_decreasing and len(top) == 8
    assert top["share"].tolist() == pytest.approx(s["share"].nlargest(8).tolist())


def test_findings_equal_metrics_and_round_trip(chapters, tmp_path):
    ch = chapters["PL34"]
    m = ch.metrics()
    f = {x.key: x for x in ch.findings()}
    assert f["local_input_share"].value == m.local_input_share.value
    assert f["output_multiplier"].value == m.output_multiplier.value
    assert f["jobs_per_100"].value == m.jobs_per_100.value
    assert f["top_supplier"].value == m.suppliers[0]["share"]
    assert f["top_customer"].value == m.customers[0]["share"]
    assert f["key_sectors"].value == sum(m.key_sectors.values())
    assert f["coverage"].value == min(m.coverage.values())
    assert f"{m.jobs_per_100.low:.0f}-{m.jobs_per_100.high:.0f}" in f["jobs_per_100"].text
    assert m.output_multiplier_regional.low <= m.output_multiplier_regional.value
    write_metrics(m, tmp_path)
    assert read_metrics(tmp_path / "metrics.json")["value_chains"] == m
    paths = ch.export(tmp_path)
    assert [p.name for p in paths][-1] == "value_chain_tables.xlsx"
    assert all(p.stat().st_size > 0 for p in paths)


def test_views_render(chapters):
    ch = chapters["PL-NE"]
    for view in (ch.show_industries(), ch.show_value_chain(), ch.show_local_inputs(),
                 ch.show_multipliers(), ch.show_linkages()):  # fmt: skip
        assert view.parts
    kinds = [k for k, _, _ in ch.show_value_chain().parts]
    alt = [a for k, _, a in ch.show_value_chain().parts if k == "figure"][0]
    assert kinds[0] == "figure" and "suppliers on the left" in alt


# ------------------------------------------------------------------ bad input
@pytest.mark.parametrize(
    "kwargs,error,pattern",
    [
        ({"region": "PL22", "cluster": "no such cluster"}, UnknownCodeError,
         r"unknown cluster 'no such cluster'"),
        ({"region": "DE11", "cluster": "metal processing"}, DataValueError,
         r"region 'DE11': the bundled input-output table is Poland's"),
        ({"region": "XX-YY", "cluster": "metal processing"}, UnknownCodeError,
         r"'XX-YY' is neither a NUTS2 region nor an area"),
        ({"region": "PL22", "cluster": "metal processing", "delta": 1.2}, OptionError,
         r"delta: expected a number with 0 <= delta < 1"),
    ],
)  # fmt: skip
def test_bad_input(kwargs, error, pattern):
    with pytest.raises(error, match=pattern):
        ValueChainChapter.build(**kwargs)


def test_notebook_parameters_checked():
    with pytest.raises(ParameterError, match=r"key 'delta': expected an FLQ delta"):
        check_parameters("05_value_chains", {"region": "PL22", "delta": 1.5})


def test_cluster_multiplier_is_the_effect_of_demand_spread_like_its_jobs():
    # Type I of a = 2.1739, b = 1.5942 (multipliers' docstring). The cluster has 1 job in a and 3
    # in b, i.e. final demand y = jobs / e = (0.1, 0.15): total jobs e'L y = 21.739 x 0.1 +
    # 31.884 x 0.15 = 6.9565 over 4 direct jobs = 1.7391 = (2.1739 + 3 x 1.5942) / 4.
    from clusterlib.chapters.value_chain_tables import cluster_multipliers

    A = pd.DataFrame([[0.1, 0.4], [0.3, 0.1]], index=["a", "b"], columns=["a", "b"])
    e = pd.Series({"a": 10.0, "b": 20.0})
    m = cluster_multipliers(A, pd.concat({0.3: A}), jobs=e, value_added=pd.Series({"a": 0.5,
                            "b": 0.5}), industries=["a", "b"], output=pd.Series({"a": 1.0,
                            "b": 1.0}), jobs_weights=pd.Series({"a": 1.0, "b": 3.0}))  # fmt: skip
    L = np.linalg.inv(np.eye(2) - A.to_numpy())
    y = np.array([0.1, 0.15])
    expected = e.to_numpy() @ L @ y / 4
    assert expected == pytest.approx(1.73913, abs=1e-5)
    assert m.loc[("national", "cluster"), "jobs_type_i"] == pytest.approx(expected, abs=1e-12)
    assert m.loc[("regional δ 0.3", "cluster"), "jobs_per_100"] == pytest.approx(
        100 * (expected - 1), abs=1e-9)  # fmt: skip


def test_regional_customers_on_real_data(chapters):
    ch = chapters["PL34"]
    d = ch.destinations
    np.testing.assert_allclose(d.sum(), 1.0)  # every δ: the region's sales all go somewhere
    inside = d.loc["Industries in PL34"]
    assert inside.is_monotonic_decreasing and (inside > 0).all()  # larger δ: fewer local buyers
    # exports and final demand do not depend on δ; exports equal the regional share of EXP
    assert d.loc["Exports"].nunique() == 1
    c = ch.customers_regional
    assert c.loc["EXP", "outside_region"] == pytest.approx(c.loc["EXP", "share"])
    assert c.loc["EXP", "share"] == pytest.approx(d.loc["Exports", ch.delta])
    assert (c["in_region"] <= c["share"] + 1e-15).all()
    m = ch.metrics()
    assert m.sales_in_region.value == pytest.approx(inside[ch.delta])
    assert (m.sales_in_region.low, m.sales_in_region.high) == (inside.min(), inside.max())
    f = next(x for x in ch.findings() if x.key == "sales_in_region")
    assert f.value == m.sales_in_region.value and f"{inside.min():.0%}-" in f.text
    captions = [p[1] for p in ch.show_value_chain().parts if p[0] == "table"]
    assert len(captions) == 4
