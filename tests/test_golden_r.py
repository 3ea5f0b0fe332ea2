"""Ordered and binary logit against R (ordinal::clm, glm) on the published wine example.

Golden values: ``tests/golden/ordinal_wine.csv``, written by ``tests/golden/ordinal_wine.R`` (R
4.2 with Debian's r-cran-ordinal; the script says how each value is computed). The clm estimates
are the published ones (Christensen's ordinal tutorial: tempwarm 2.5031, contactyes 1.5278).
"""

import numpy as np
import pandas as pd
import pytest

from clusterlib import fit_model
from clusterlib.innovation.models import _ordered_gradient, _ordered_newton

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


def test_pseudo_r2_uses_the_null_log_likelihood_of_r(ologit):
    # McFadden: 1 - llf / llnull, the null model being thresholds only (clm(rating ~ 1)) or the
    # intercept only (glm(high ~ 1))
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
    with pytest.raises(ModelFitError, match=r"did not converge \(largest gradient nan after 100"):
        _ordered_newton(codes, X, 5, np.array([1000.0, 0.0, -1.0, 0.0, 1.0, 2.0]))
