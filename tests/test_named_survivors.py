"""Tests for the surviving mutants named in issue #15: every value from a hand calculation or a
peer implementation written beside it, and the fault paths exercised."""

import os

import nbformat
import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import stats

from clusterlib import fit_model, synthetic_survey
from clusterlib.innovation.diagnostics import diagnostics, hosmer_lemeshow
from clusterlib.segmentation.selection import gap_statistic, within_dispersion
from clusterlib.specialisation import fill_missing, location_quotient_long, shift_share


def test_lq_long_without_interval_uses_each_years_totals():
    # 2010: A = (a 10, b 30), B = (a 30, b 30); totals: A 40, B 60, a 40, all 100
    #   LQ(A, a) = (10/40) / (40/100) = 0.625
    # 2011: A = (a 40, b 10), B = (a 10, b 40); A 50, a 50, all 100: LQ(A, a) = 0.8 / 0.5 = 1.6
    # (with both years' totals pooled it would be (10/90)/(90/200) = 0.2469)
    d = pd.DataFrame({
        "region": ["A", "A", "B", "B"] * 2, "industry": ["a", "b"] * 4,
        "year": [2010] * 4 + [2011] * 4, "value": [10, 30, 30, 30, 40, 10, 10, 40.0],
    })  # fmt: skip
    lq = location_quotient_long(d, level=None)["lq"]
    assert lq.iloc[0] == pytest.approx(0.625) and lq.iloc[4] == pytest.approx(1.6)
    with_ci = location_quotient_long(d)["lq"]
    np.testing.assert_allclose(with_ci, lq)


def test_shift_share_uses_given_region_totals():
    # totals: start A 100, B 100; end A 120, B 100 -> g = 220/200 - 1 = 0.1 (not the industry's)
    # industry i: start A 10, B 20; end A 15, B 20 -> g_i = 35/30 - 1 = 1/6; g_Ai = 0.5
    # A: national share 10 * 0.1 = 1; mix 10 (1/6 - 0.1) = 2/3; shift 10 (0.5 - 1/6) = 10/3
    # homothetic e_A. e_.i / e_.. = 100 * 30 / 200 = 15
    start = pd.DataFrame({"i": [10.0, 20.0]}, index=["A", "B"])
    end = pd.DataFrame({"i": [15.0, 20.0]}, index=["A", "B"])
    out = shift_share(start, end, region_total_start=pd.Series({"A": 100.0, "B": 100.0}),
                      region_total_end=pd.Series({"A": 120.0, "B": 100.0}))  # fmt: skip
    a = out.xs("A", level="region").iloc[0]
    assert a["national_share"] == pytest.approx(1.0)
    assert a["industry_mix"] == pytest.approx(2 / 3)
    assert a["regional_shift"] == pytest.approx(10 / 3)
    assert a["homothetic"] == pytest.approx(15.0)
    # without the totals the row sums are used: g = g_i, no industry mix
    b = shift_share(start, end).xs("A", level="region").iloc[0]
    assert b["national_share"] == pytest.approx(10 / 6) and b["industry_mix"] == pytest.approx(0)


def test_fill_in_gives_zero_when_known_children_exceed_the_parent():
    # PL1 = 100 but PL11 = 70 and PL12 = 50 are known (120 > 100): the residual -20 is clipped
    # at 0, so the confidential PL13 gets 0, never a negative number
    data = pd.DataFrame(
        [("PL", "C24", 2014, 100.0, ""), ("PL1", "C24", 2014, 100.0, ""),
         ("PL11", "C24", 2014, 70.0, ""), ("PL12", "C24", 2014, 50.0, ""),
         ("PL13", "C24", 2014, np.nan, "c")],
        columns=["region", "industry", "year", "value", "flag"],
    )  # fmt: skip
    out = fill_missing(data).set_index("region")
    assert out.loc["PL13", "value"] == 0.0 and out.loc["PL13", "imputed"]


def test_probit_ame_ses_equal_statsmodels():
    # peer: statsmodels Probit.get_margeff(dummy=True), delta method
    df = synthetic_survey(3000, seed=5)
    f = "product_innovation ~ rd_inhouse + coop_customers + export_share"
    m = fit_model(f, df, family="probit", cov_type="nonrobust")
    X = sm.add_constant(df[["rd_inhouse", "coop_customers", "export_share"]].astype(float))
    ref = sm.Probit(df["product_innovation"], X).fit(disp=0, tol=1e-12).get_margeff(dummy=True)
    np.testing.assert_allclose(m.ame["estimate"], ref.margeff, rtol=1e-7)
    np.testing.assert_allclose(m.ame["se"], ref.margeff_se, rtol=1e-5)


def test_hosmer_lemeshow_by_hand_with_its_degrees_of_freedom():
    # 8 firms, 4 groups of 2 (sorted by p): O = (0, 1, 1, 2), E = (0.3, 0.7, 1.1, 1.7), n = 2
    p = np.array([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.8, 0.9])
    y = np.array([0, 0, 1, 0, 1, 0, 1, 1.0])
    obs, E, n = np.array([0, 1, 1, 2.0]), np.array([0.3, 0.7, 1.1, 1.7]), 2
    c = float(((obs - E) ** 2 / (E * (1 - E / n))).sum())
    stat, pval = hosmer_lemeshow(y, p, groups=4)
    assert stat == pytest.approx(c)
    assert pval == pytest.approx(stats.chi2.sf(c, 4 - 2))  # G - 2 degrees of freedom


def test_auc_is_clusterlibs_own_and_equals_the_rank_count():
    df = synthetic_survey(400, seed=2)
    m = fit_model("product_innovation ~ rd_inhouse + export_share", df)
    p = m.result.predict()
    y = m.endog.to_numpy()
    # AUC = P(p_event > p_non-event) + 0.5 P(tie), by counting all pairs
    pos, neg = p[y == 1], p[y == 0]
    count = (pos[:, None] > neg[None, :]).sum() + 0.5 * (pos[:, None] == neg[None, :]).sum()
    assert diagnostics(m)["auc"] == pytest.approx(count / (len(pos) * len(neg)))


def test_gap_s_k_uses_the_spread_of_the_references():
    # k = 1 only (no clustering): W = within_dispersion with one group. Two references whose
    # log W differ: s = sd(ddof=0) * sqrt(1 + 1/B), B = 2
    X = pd.DataFrame({"a": [0.0, 1.0, 2.0, 3.0], "b": [0.0, 1.0, 0.0, 1.0]})
    r1 = np.array([[0, 0], [1, 1], [2, 2], [3, 3.0]])
    r2 = 2 * r1
    out = gap_statistic(X, k_range=range(1, 2), references=[r1, r2])
    one = np.zeros(4, int)
    lw = [np.log(within_dispersion(r, one)) for r in (r1, r2)]
    assert out.loc[1, "s"] == pytest.approx(np.std(lw) * np.sqrt(1.5))
    assert out.loc[1, "s"] > 0
    assert out.loc[1, "gap"] == pytest.approx(
        np.mean(lw) - np.log(within_dispersion(X.to_numpy(), one))
    )


def test_no_completion_marker_when_moving_an_output_fails(tmp_path, monkeypatch):
    # fault injection: os.replace of the HTML report fails after the notebook ran; nothing may
    # look complete (no marker, no report), and the run is reported failed
    from clusterlib.batch import runner
    from clusterlib.batch.params import build_jobs

    def fake_execute(input_path, output_path, **kwargs):
        nbformat.write(nbformat.read(input_path, as_version=4), output_path)

    real_replace = os.replace
    marker_when_moving = []

    def failing_replace(src, dst):
        if str(dst).endswith(".html"):
            # a kill -9 here must not leave a marker behind: it may not exist yet
            marker_when_moving.append(runner.done_marker(tmp_path, job).exists())
            raise OSError(28, "No space left on device")
        return real_replace(src, dst)

    monkeypatch.setattr(runner.papermill, "execute_notebook", fake_execute)
    monkeypatch.setattr("clusterlib.batch.render.render_html", lambda path, **kw: "<html></html>")
    monkeypatch.setattr(runner.os, "replace", failing_replace)
    job = build_jobs(["PL22"], notebooks=("03_firm_segments",))[0]
    result = runner.run_job(job, str(tmp_path), "digest")
    assert marker_when_moving and not any(marker_when_moving)
    assert result["status"] == "failed" and "No space left" in result["error"]
    region = tmp_path / "PL22"
    assert not (region / ".03_firm_segments.done.json").exists()
    assert not (region / "03_firm_segments.html").exists()
    assert not runner.is_complete(tmp_path, job, "digest")
    assert not list(region.glob(".tmp-*"))


def test_star_cuts_include_a_region_exactly_at_the_threshold():
    # employment 10..50, size cut = 0.75-quantile = 40 (linear, (5 - 1) * 0.75 = 3rd order stat);
    # totals make the aggregate share 150 / 1200 = 1/8 and region D's focus 40/160 = 1/4, so its
    # LQ is exactly 2 (binary fractions: no rounding); the focus cut is E's focus 50/260
    from clusterlib.specialisation import cluster_stars

    e = pd.Series([10.0, 20.0, 30.0, 40.0, 50.0], index=list("ABCDE"))
    tot = pd.Series([260.0, 260.0, 260.0, 160.0, 260.0], index=list("ABCDE"))
    out = cluster_stars(e, tot, size_quantile=0.75, focus_quantile=0.75)
    assert out.loc["D", "lq"] == 2.0 and out.loc["D", "specialisation_star"]
    assert out.loc["D", "size_star"] and not out.loc["C", "size_star"]  # at the cut: a star
    assert (
        out.loc["E", "focus_star"] and out.loc["D", "focus_star"] and not out.loc["C", "focus_star"]
    )


def test_europe_top_cut_includes_the_tie():
    from clusterlib.specialisation.europe import _top

    cut, top = _top(pd.Series([1.0, 2.0, 3.0, 4.0, 5.0]), pd.Series(["g"] * 5), 0.75)
    assert (cut == 4.0).all() and top.tolist() == [False, False, False, True, True]


def test_cluster_sum_is_nan_when_a_member_is_missing():
    from clusterlib.specialisation.europe import cluster_sums

    data = pd.DataFrame({
        "region": ["PL21", "PL21", "PL22", "PL22"], "industry": ["C24", "C25"] * 2,
        "indicator": "V16110", "year": 2014, "value": [10.0, 5.0, 7.0, np.nan], "flag": "",
    })  # fmt: skip
    out = cluster_sums(data, indicator="V16110", clusters={"m": ["C24", "C25"]}, years=[2014])
    got = out.set_index("region")["value"]
    assert got["PL21"] == 15.0 and np.isnan(got["PL22"])  # never the partial sum 7
