"""Ordered and binary logit against R (ordinal::clm, glm) on the published wine example.

Golden values: ``tests/golden/ordinal_wine.csv``, written by ``tests/golden/ordinal_wine.R`` (R
4.2 with Debian's r-cran-ordinal; the script says how each value is computed). The clm estimates
are the published ones (Christensen's ordinal tutorial: tempwarm 2.5031, contactyes 1.5278).
"""

import numpy as np
import pandas as pd
import pytest

from clusterlib import fit_model
from clusterlib.innovation.ordered import _ordered_gradient, _ordered_newton

WINE = pd.read_csv("tests/data/wine.csv")
GOLD = pd.read_csv("tests/golden/ordinal_wine.csv", keep_default_na=False)


def gold(what: str) -> pd.Series:
    g = GOLD[GOLD["what"] == what]
    return pd.Series(g["value"].to_numpy(float), index=g["term"].to_numpy())


@pytest.fixture(scope="module")
def ologit():
    return fit_model("rating ~ warm + contact", WINE, family="ologit", cov_type="nonrobust")


def test_ordered_logit_is_the_maximum_likelihood_estimate(ologit):
    coef = gold("clm_coef")
    p = ologit.params
    # cutpoints are named by the ratings they separate, as clm's thresholds are
    assert p.index.tolist() == ["warm", "contact", "1/2", "2/3", "3/4", "4/5"]
    np.testing.assert_allclose(p[["warm", "contact"]], coef[["warm", "contact"]], atol=1e-6)
    th = p.iloc[2:].to_numpy()
    cuts = np.concatenate([[th[0]], th[0] + np.cumsum(np.exp(th[1:]))])
    np.testing.assert_allclose(cuts, coef[["1|2", "2|3", "3|4", "4|5"]], atol=1e-6)
    assert ologit.llf == pytest.approx(gold("clm_logLik").iloc[0], abs=1e-8)
    # the analytic gradient at the estimate, in (beta, cutpoints): below 1e-8 (R's: 1.8e-15)
    codes = WINE["rating"].to_numpy() - 1
    _, g = _ordered_gradient(np.concatenate([p[["warm", "contact"]], cuts]), codes,
                             WINE[["warm", "contact"]].to_numpy(float), 5)  # fmt: skip
    assert np.max(np.abs(g)) < 1e-8
    se = gold("clm_se")
    np.testing.assert_allclose(ologit.bse[["warm", "contact"]], se[["warm", "contact"]], rtol=1e-5)


def test_ordered_logit_ame_of_a_dummy_per_category(ologit):
    ame = ologit.ame.xs("contact")
    np.testing.assert_allclose(ame["estimate"], gold("ologit_ame_contact"), atol=1e-6)
    np.testing.assert_allclose(ame["se"], gold("ologit_ame_contact_se"), rtol=1e-4)


def test_binary_logit_ame_of_a_dummy():
    data = WINE.assign(high=(WINE["rating"] >= 4).astype(int))
    m = fit_model("high ~ warm + contact", data, cov_type="nonrobust")
    np.testing.assert_allclose(m.params, gold("glm_coef"), atol=1e-6)
    assert m.ame.loc["contact", "estimate"] == pytest.approx(
        gold("logit_ame_contact").iloc[0], abs=1e-8
    )
    assert m.ame.loc["contact", "se"] == pytest.approx(
        gold("logit_ame_contact_se").iloc[0], rel=1e-5
    )


def test_pseudo_r2_of_ordered_and_binary_logit_uses_r_null_models():
    # McFadden: 1 - llf / llnull, the null model being thresholds only (clm(rating ~ 1)) or the
    # intercept only (glm(high ~ 1)). Fitted here, not through the module's fixture, so that
    # mutation testing links this test to the fit.
    ologit = fit_model("rating ~ warm + contact", WINE, family="ologit", cov_type="nonrobust")
    assert ologit.llnull == pytest.approx(gold("clm_null_logLik").iloc[0], abs=1e-9)
    want = 1 - gold("clm_logLik").iloc[0] / gold("clm_null_logLik").iloc[0]
    assert ologit.pseudo_r2 == pytest.approx(want, abs=1e-9)
    data = WINE.assign(high=(WINE["rating"] >= 4).astype(int))
    m = fit_model("high ~ warm + contact", data, cov_type="nonrobust")
    assert m.llnull == pytest.approx(gold("glm_null_logLik").iloc[0], abs=1e-9)


@pytest.mark.parametrize(
    "start",
    [
        [0.0, 0.0, -4.0, -3.0, 3.0, 4.0],  # far: the first full Newton steps are halved
        [5.0, -5.0, -0.3, -0.2, -0.1, 0.0],  # cutpoints bunched together
    ],
)
def test_newton_reaches_clm_from_a_far_start(start):
    coef = gold("clm_coef")
    codes = WINE["rating"].to_numpy() - 1
    X = WINE[["warm", "contact"]].to_numpy(float)
    first = np.array(start)
    theta = _ordered_newton(codes, X, 5, first)
    want = coef[["warm", "contact", "1|2", "2|3", "3|4", "4|5"]].to_numpy()
    np.testing.assert_allclose(theta, want, atol=1e-7)  # clm's gradTol is 1e-12
    assert first.tolist() == start  # the start is not changed in place


def test_newton_refuses_a_start_where_a_rating_is_impossible():
    # beta = 1000 gives the warm tastings' low ratings probability 0: ll is -inf and the gradient
    # NaN. It used to return NaN estimates silently; now it is a ModelFitError.
    from clusterlib.errors import ModelFitError

    codes = WINE["rating"].to_numpy() - 1
    X = WINE[["warm", "contact"]].to_numpy(float)
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # log(0) and 0/0 are expected here, not warned about
        with pytest.raises(ModelFitError) as err:
            _ordered_newton(codes, X, 5, np.array([1000.0, 0.0, -1.0, 0.0, 1.0, 2.0]))
    assert str(err.value) == (
        "the ordered logit did not converge (largest gradient nan after 100 Newton steps); merge "
        "sparse outcome categories or use fewer regressors."
    )


# --- every GLM family and covariance type against R ---------------------------------------------
#
# tests/golden/glm_families.csv, written by tests/golden/glm_families.R (glm, MASS::glm.nb and the
# sandwich package; the script states how each covariance is formed). Tolerances: coefficients
# 1e-6 (both fits stop at a relative change of 1e-14 or a gradient near 0); covariances 1e-5
# relative (exact information on both sides; NB2's alpha is estimated by two different ML
# routines, which agree to about 1e-5).

GLM = pd.read_csv("tests/golden/glm_families.csv")
FIRMS = pd.read_csv("tests/data/example_weighting.csv")
QUINE = pd.read_csv("tests/data/quine.csv")
BINARY = "product_innovation ~ rd_inhouse + coop_universities + np.log(employees)"
GLM_CASES = {
    "logit": (BINARY, FIRMS, "logit", "size_class", 1e-5),
    "probit": (BINARY, FIRMS, "probit", "size_class", 1e-5),
    "fraclogit": ("export_share ~ rd_inhouse + np.log(employees)", FIRMS, "fraclogit",
                  "size_class", 1e-5),
    "poisson": ("Days ~ C(Eth) + C(Sex) + C(Age) + C(Lrn)", QUINE, "poisson", "Age", 1e-5),
    "negbin": ("Days ~ C(Eth) + C(Sex) + C(Age) + C(Lrn)", QUINE, "negbin", "Age", 1e-5),
}  # fmt: skip


def r_values(model, what):
    return GLM[(GLM["model"] == model) & (GLM["what"] == what)]["value"].to_numpy(float)


@pytest.mark.filterwarnings("ignore::clusterlib.innovation.separation.EventsPerVariableWarning")
@pytest.mark.parametrize("cov_type", ["nonrobust", "HC0", "HC1", "HC2", "HC3", "cluster"])
@pytest.mark.parametrize("model", list(GLM_CASES))
def test_glm_family_and_covariance_against_r(model, cov_type):
    formula, data, family, cluster, rtol = GLM_CASES[model]
    m = fit_model(formula, data, family=family, cov_type=cov_type,
                  groups=cluster if cov_type == "cluster" else None)  # fmt: skip
    np.testing.assert_allclose(m.params.to_numpy(), r_values(model, "coef"), rtol=1e-6, atol=1e-6)
    assert m.cov.index.equals(m.params.index) and m.cov.columns.equals(m.params.index)
    k = len(m.params)
    V = r_values(model, cov_type).reshape(k, k, order="F")
    # entries near 0 are compared on the matrix's scale
    np.testing.assert_allclose(m.cov.to_numpy(), V, rtol=rtol, atol=rtol * np.abs(V).max())
    np.testing.assert_allclose(m.bse.to_numpy(), np.sqrt(np.diag(V)), rtol=rtol)
    assert m.nobs == len(data) and m.cov_type == cov_type
    if cov_type == "cluster":
        assert m.n_groups == data[cluster].nunique() == 4
    if len(r_values(model, "loglik")):
        assert m.llf == pytest.approx(r_values(model, "loglik")[0], abs=1e-7)
        assert m.aic == pytest.approx(2 * k - 2 * m.llf) and m.bic == pytest.approx(
            k * np.log(m.nobs) - 2 * m.llf
        )
    if len(r_values(model, "null_loglik")):
        assert m.llnull == pytest.approx(r_values(model, "null_loglik")[0], abs=1e-7)
    # Wald inference from the covariance: z = b / se, two-sided normal p, 95% interval
    from scipy import stats

    s = m.summary_frame()
    z = m.params / np.sqrt(np.diag(V))
    np.testing.assert_allclose(s["z"], z, rtol=rtol, atol=1e-5)  # a coefficient near 0: absolute
    np.testing.assert_allclose(s["p"], 2 * stats.norm.sf(np.abs(z)), rtol=10 * rtol, atol=1e-300)
    half = 1.959963984540054 * np.sqrt(np.diag(V))  # qnorm(0.975) in R
    np.testing.assert_allclose(s["ci_low"], m.params - half, rtol=rtol, atol=1e-6)
    np.testing.assert_allclose(s["ci_high"], m.params + half, rtol=rtol, atol=1e-6)


@pytest.mark.filterwarnings("ignore::clusterlib.innovation.separation.EventsPerVariableWarning")
def test_sandwich_package_agrees_with_the_formulas_of_the_script():
    # for canonical links the script's B M B equals sandwich::vcovHC / vcovCL themselves
    np.testing.assert_allclose(r_values("logit_sandwich", "HC0"), r_values("logit", "HC0"),
                               rtol=1e-5)  # fmt: skip
    np.testing.assert_allclose(r_values("logit_sandwich", "HC3"), r_values("logit", "HC3"),
                               rtol=1e-5)  # fmt: skip
    np.testing.assert_allclose(r_values("logit_sandwich", "cluster"),
                               r_values("logit", "cluster"), rtol=1e-5)  # fmt: skip
    np.testing.assert_allclose(r_values("poisson_sandwich", "HC1"), r_values("poisson", "HC1"),
                               rtol=1e-8)  # fmt: skip


def test_negbin_dispersion_is_mass_glm_nb():
    formula, data, *_ = GLM_CASES["negbin"]
    m = fit_model(formula, data, family="negbin")
    alpha = float(r_values("negbin", "alpha")[0])
    # the GLM is fitted at statsmodels' ML alpha: the coefficients match glm.nb's to 1e-6
    assert m.result.family.alpha == pytest.approx(alpha, rel=1e-4)


def test_fit_failures_inside_statsmodels_are_named(monkeypatch):
    import statsmodels.api as sm
    from statsmodels.miscmodels.ordinal_model import OrderedModel

    from clusterlib.errors import ModelFitError

    class NotConverged(sm.GLM):
        def fit(self, *args, **kwargs):
            res = super().fit(*args, **kwargs)
            res.converged = False
            return res

    monkeypatch.setattr(sm, "GLM", NotConverged)
    data = WINE.assign(high=(WINE["rating"] >= 4).astype(int))
    with pytest.raises(ModelFitError) as err:
        fit_model("high ~ warm + contact", data, family="probit")
    assert str(err.value) == (
        "the probit fit did not converge in 200 iterations; rescale the regressors or use fewer "
        "of them."
    )
    monkeypatch.undo()
    real = OrderedModel.fit

    def flat_cuts(self, *args, **kwargs):
        res = real(self, *args, **kwargs)
        if kwargs.get("maxiter") == 500:  # the first fit: two cutpoints made equal
            params = np.asarray(res.params).copy()
            params[3] = -np.inf  # cut 2 = cut 1 + exp(-inf)
            res.params = pd.Series(params, index=res.params.index)
        return res

    monkeypatch.setattr(OrderedModel, "fit", flat_cuts)
    with pytest.raises(ModelFitError) as err:
        fit_model("rating ~ warm + contact", WINE, family="ologit", cov_type="nonrobust")
    assert str(err.value) == (
        "the ordered logit did not converge; merge sparse outcome categories or use fewer "
        "regressors."
    )


def test_ordered_logit_with_close_cutpoints():
    # cutpoints less than 1 apart are fine (ratings 1-3 with a weak regressor): the fit reaches
    # the maximum, where the analytic gradient vanishes
    rng = np.random.default_rng(3)
    x = rng.normal(size=300)
    latent = 0.3 * x + rng.logistic(size=300)
    y = np.digitize(latent, [-0.3, 0.3]) + 1
    m = fit_model("y ~ x", pd.DataFrame({"y": y, "x": x}), family="ologit", cov_type="HC0")
    cuts = [m.params.iloc[1], m.params.iloc[1] + np.exp(m.params.iloc[2])]
    assert 0 < cuts[1] - cuts[0] < 1
    _, g = _ordered_gradient(np.array([m.params.iloc[0], *cuts]), y - 1, x[:, None], 3)
    assert np.max(np.abs(g)) < 1e-8


@pytest.mark.filterwarnings("ignore::clusterlib.innovation.separation.EventsPerVariableWarning")
@pytest.mark.parametrize("cov_type", ["HC0", "HC1", "cluster"])
@pytest.mark.parametrize("model", ["logit", "probit", "fraclogit", "poisson"])
def test_survey_weights_accepted_for_each_family_and_robust_covariance(model, cov_type):
    # weights of 1 (scaled to mean 1) give the unweighted fit: every supported family and
    # covariance takes them
    formula, data, family, cluster, _ = GLM_CASES[model]
    kw = dict(family=family, cov_type=cov_type, groups=cluster if cov_type == "cluster" else None)
    m = fit_model(formula, data.assign(w=3.0), weights="w", **kw)
    plain = fit_model(formula, data, **kw)
    np.testing.assert_allclose(m.params, plain.params, rtol=1e-9)
    np.testing.assert_allclose(m.cov, plain.cov, rtol=1e-7, atol=1e-14)


def test_binary_families_check_events_and_separation():
    from clusterlib.errors import SeparationError
    from clusterlib.innovation.separation import EventsPerVariableWarning

    data = WINE.assign(high=(WINE["rating"] >= 4).astype(int))
    for family in ("logit", "probit", "firth"):
        with pytest.warns(EventsPerVariableWarning, match="events per variable"):
            fit_model("high ~ warm + contact", data, family=family)
    separated = data.assign(high=data["warm"])
    for family in ("logit", "probit"):
        with pytest.raises(SeparationError, match="warm"):
            fit_model("high ~ warm + contact", separated, family=family)


@pytest.mark.filterwarnings("ignore::clusterlib.innovation.separation.EventsPerVariableWarning")
def test_firth_null_log_likelihood_is_the_intercept_only_binomial():
    # Firth's null model: the intercept-only binomial log-likelihood, n [p log p + (1-p) log(1-p)]
    data = WINE.assign(high=(WINE["rating"] >= 4).astype(int))
    m = fit_model("high ~ warm + contact", data, family="firth")
    assert m.llnull == pytest.approx(gold("glm_null_logLik").iloc[0], abs=1e-9)
