"""Survey weights and weighted tables against R's survey package, by hand, and on bad input.

Golden values: ``tests/golden/weighting.csv`` from ``tests/golden/weighting.R`` (survey::rake,
postStratify, svymean, svyciprop(method = "beta"), svyby) on the SYNTHETIC example questionnaire.
"""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from clusterlib.errors import DataValueError, OptionError
from clusterlib.innovation.proportions import weighted_table
from clusterlib.innovation.weights import RakingError, design_effect, survey_weights

D = pd.read_csv("tests/data/example_weighting.csv")
M = pd.read_csv("tests/data/example_margins.csv")
MARGINS = {v: g.set_index("category")["count"] for v, g in M.groupby("variable")}
GOLD = pd.read_csv("tests/golden/weighting.csv")


def gold(what):
    g = GOLD[GOLD["what"] == what]
    return pd.Series(g["value"].to_numpy(float), index=g["term"].to_numpy())


@pytest.fixture(scope="module")
def raked():
    return survey_weights(D, margins=MARGINS)


def test_raking_equals_survey_rake(raked):
    np.testing.assert_allclose(raked.to_numpy(), gold("rake_weight").to_numpy(), rtol=1e-8)
    for var, target in MARGINS.items():
        got = raked.groupby(D[var].astype(str)).sum()
        np.testing.assert_allclose(got.loc[target.index], target, rtol=1e-10)
    # Kish, by hand from the weights: deff = n sum w^2 / (sum w)^2
    w = raked.to_numpy()
    assert raked.attrs["deff"] == pytest.approx(len(w) * (w**2).sum() / w.sum() ** 2)
    assert raked.attrs["n_eff"] == pytest.approx(len(w) / raked.attrs["deff"])
    assert design_effect(pd.Series(np.ones(10))) == (1.0, 10.0)


def test_poststratification_equals_survey_poststratify():
    w = survey_weights(D, margins={"size_class": MARGINS["size_class"]}, method="poststratify")
    np.testing.assert_allclose(w.to_numpy(), gold("poststratify_weight").to_numpy(), rtol=1e-10)
    # by hand: N_h / n_h in every stratum
    n_h = D["size_class"].value_counts()
    expected = D["size_class"].map(MARGINS["size_class"] / n_h)
    np.testing.assert_allclose(w, expected)


def test_weighted_shares_and_ses_equal_svymean(raked):
    t = weighted_table(D, ["product_innovation", "coop_universities", "exporter", "foreign_owned",
                           "export_share"], weights=raked, interval="linearised")  # fmt: skip
    np.testing.assert_allclose(t["estimate"], gold("svymean").loc[t.index], rtol=1e-10)
    np.testing.assert_allclose(t["se"], gold("svymean_se").loc[t.index], rtol=1e-8)


def test_small_cells_get_korn_graubard_as_svyciprop_beta(raked):
    t = weighted_table(
        D, ["coop_universities", "foreign_owned"], weights=raked, interval="korn-graubard"
    )
    np.testing.assert_allclose(t["ci_low"], gold("svyciprop_beta_low").loc[t.index], rtol=1e-8)
    np.testing.assert_allclose(t["ci_high"], gold("svyciprop_beta_high").loc[t.index], rtol=1e-8)
    auto = weighted_table(D, ["coop_universities", "product_innovation"], weights=raked)
    # coop_universities: n_eff * p = 48.4 * 0.052 < 5, so the small-cell interval is used
    assert auto.loc["coop_universities", "interval"] == "korn-graubard"
    assert auto.loc["product_innovation", "interval"] == "linearised"
    assert (auto["ci_low"] >= 0).all()


def test_by_group_and_unweighted_by_hand():
    t = weighted_table(D, ["product_innovation"], by="size_class")
    # unweighted, class 10-49: 7 of 21; the small class 0-9: 0 of 5 -> exact Clopper-Pearson
    # [0, 1 - 0.025^(1/5)] (hand formula for x = 0)
    row = t.loc[("10-49", "product_innovation")]
    assert row["estimate"] == pytest.approx(7 / 21)
    # domain variance: sum over the group, n/(n-1) of the whole sample (n = 60)
    assert row["se"] == pytest.approx(np.sqrt(60 / 59 * 21 * (7 / 21) * (14 / 21) / 21**2))
    zero = t.loc[("0-9", "product_innovation")]
    assert zero["interval"] == "clopper-pearson" and zero["ci_low"] == 0
    assert zero["ci_high"] == pytest.approx(1 - 0.025 ** (1 / 5))
    # Wilson, by hand for 7 of 21
    w = weighted_table(D[D["size_class"] == "10-49"], ["product_innovation"], interval="wilson")
    z, p, n = stats.norm.ppf(0.975), 7 / 21, 21
    centre = (p + z**2 / (2 * n)) / (1 + z**2 / n)
    half = z * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / (1 + z**2 / n)
    assert w["ci_low"].iloc[0] == pytest.approx(centre - half)
    assert w["ci_high"].iloc[0] == pytest.approx(centre + half)


def test_weighted_by_group_means_equal_svyby(raked):
    t = weighted_table(
        D, ["product_innovation"], by="size_class", weights=raked, interval="linearised"
    )
    est = t.xs("product_innovation", level="variable")
    np.testing.assert_allclose(est["estimate"], gold("svyby_mean").loc[est.index], rtol=1e-10)
    np.testing.assert_allclose(est["se"], gold("svyby_se").loc[est.index], rtol=1e-8)


@pytest.mark.parametrize(
    ("margins", "kw", "error", "words"),
    [
        ({"nace": {"C24": 10, "C25": 20}, "size_class": {"0-9": 5, "10-49": 5, "50-249": 5, "250+": 5}},
         {}, DataValueError, "do not add up.*nace 30.0, size_class 20.0"),
        ({"nace": {"C24": 10, "C25": 20, "C28": 5}}, {}, DataValueError, "empty stratum 'C28'"),
        ({"nace": {"C25": 20}}, {}, DataValueError, r"row \d+, column 'nace': category 'C24' has no"),
        ({"nace": {"C24": -1, "C25": 20}}, {}, DataValueError,
         r"category 'C24': expected a population count >= 0, found -1\.0\.$"),
        ({"nace": {"C24": 1, "C25": 2}, "size_class": MARGINS["size_class"]}, {"method": "poststratify"},
         OptionError, "takes one margin"),
        ({"sector": {"a": 1}}, {}, DataValueError, "no column 'sector'"),
    ],
)  # fmt: skip
def test_bad_margins(margins, kw, error, words):
    with pytest.raises(error, match=words):
        survey_weights(D, margins=margins, **kw)


@pytest.mark.parametrize("bad", [0.0, -2.0, np.nan])
def test_bad_base_weights_name_the_row(bad):
    base = pd.Series(1.0, index=D.index)
    base.iloc[4] = bad
    with pytest.raises(
        DataValueError, match="row 5, column 'base': expected a positive base weight"
    ):
        survey_weights(D, margins={"size_class": MARGINS["size_class"]}, base=base)


def test_raking_that_cannot_converge_says_which_margin():
    # only firm 2 is in class v, and it is an x: b = v needs 90 of the 100 units on x, a allows
    # 50; no weights meet both, and raking says so instead of returning them
    d = pd.DataFrame({"a": ["x", "x", "y", "y"], "b": ["u", "v", "u", "u"]})
    with pytest.raises(RakingError, match="did not converge in 200 sweeps; margin 'a' is still"):
        survey_weights(d, margins={"a": {"x": 50, "y": 50}, "b": {"u": 10, "v": 90}}, max_iter=200)


def test_trimming_that_cannot_meet_the_margins_says_so(raked):
    # the one C24 firm must carry all 323 C24 local units: 4x the mean weight
    with pytest.raises(RakingError, match="trimmed to 0.3-3 times the mean, margin 'nace'"):
        survey_weights(D, margins=MARGINS, trim=(0.3, 3.0))
    w = survey_weights(D, margins=MARGINS, trim=(0.3, 5.0))
    assert w.max() <= 5 * w.mean() * (1 + 1e-9)
    assert w.attrs["deff"] <= raked.attrs["deff"] + 1e-12


def test_weighted_logit_equals_svyglm(raked):
    from clusterlib import fit_model

    data = D.assign(w=raked)
    m = fit_model("product_innovation ~ rd_inhouse + exporter + np.log(employees)", data,
                  weights="w", cov_type="HC0")  # fmt: skip
    np.testing.assert_allclose(m.params, gold("svyglm_coef"), rtol=1e-7)
    # svyglm's design-based variance is the HC0 sandwich times n/(n-1)
    n = len(data)
    np.testing.assert_allclose(m.bse * np.sqrt(n / (n - 1)), gold("svyglm_se"), rtol=1e-6)
    assert m.ame.loc["rd_inhouse", "estimate"] == pytest.approx(
        gold("svyglm_ame_rd_inhouse").iloc[0], rel=1e-7
    )
    # the scale of the weights does not matter
    m2 = fit_model("product_innovation ~ rd_inhouse + exporter + np.log(employees)", data,
                   weights=raked * 1000, cov_type="HC0")  # fmt: skip
    np.testing.assert_allclose(m2.bse, m.bse, rtol=1e-9)


def test_weighted_models_refuse_model_based_covariance(raked):
    from clusterlib import fit_model

    with pytest.raises(OptionError, match="count a weight of 80 as 80 firms"):
        fit_model("product_innovation ~ rd_inhouse", D, weights=raked, cov_type="nonrobust")
    with pytest.raises(OptionError, match="not 'ologit'"):
        fit_model("product_innovation ~ rd_inhouse", D, weights=raked, family="ologit")
    bad = raked.copy()
    bad.iloc[3] = 0
    with pytest.raises(DataValueError, match="row 3: expected a positive weight"):
        fit_model("product_innovation ~ rd_inhouse", D, weights=bad)


def test_weighted_table_names_the_bad_weight_as_typed():
    from clusterlib.innovation.proportions import weighted_table

    d = pd.DataFrame({"a": [1, 0, 1]})
    for w, shown in [([1.0, 0.0, 2.0], "0.0"), (["1", "x", "2"], "'x'"), ([1, -3, 2], "-3")]:
        with pytest.raises(DataValueError) as err:
            weighted_table(d.assign(w=w), ["a"], weights="w")
        assert (
            str(err.value) == f"weighted_table: row 2: expected a positive weight, found {shown}."
        )
