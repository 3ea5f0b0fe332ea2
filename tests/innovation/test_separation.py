"""Separation, events per variable and Firth's logit, each against a hand calculation.

The linear programmes of :func:`separation` are small enough to solve by hand: each case below
states the scaled constraint rows, the optimum and why it is unique.
"""

import os
import warnings

import numpy as np
import pandas as pd
import pytest

from clusterlib.errors import SeparationError
from clusterlib.innovation.separation import (
    EventsPerVariableWarning,
    check_separation,
    events_per_variable,
    explain_separation,
    separation,
    warn_events_per_variable,
)


def design(x, **more):
    return pd.DataFrame({"Intercept": 1.0, "x": np.asarray(x, float), **more})


def outcome(v, name="y"):
    return pd.Series(np.asarray(v, float), name=name)


Y3 = outcome([1, 1, 1, 0, 0, 0, 0, 0, 0, 0])  # 3 events of 10
Y8 = outcome([1] * 8 + [0] * 2)  # 8 of 10: the rarer outcome is the 2 zeros


def test_events_per_variable_by_hand():
    assert events_per_variable(Y3, 1) == 3.0
    assert events_per_variable(Y3, 2) == 1.5
    assert events_per_variable(Y3, 0) == 3.0  # no slope: divided by 1, not 0
    assert events_per_variable(Y8, 1) == 2.0  # min(8, 10 - 8)


def test_warning_only_below_the_threshold():
    at = outcome([1] * 10 + [0] * 10)  # 10 events, 1 regressor: EPV = 10, not below 10
    above = outcome([1] * 21 + [0] * 21)  # 21 events, 2 regressors: EPV = 10.5
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert warn_events_per_variable(at, 1) == 10.0
        assert warn_events_per_variable(above, 2) == 10.5


def _fit_like_caller(y, n):
    # warn_events_per_variable is called from inside fit_model's helpers: stacklevel=3 makes
    # the warning point at the user's line, two frames up from the function that warns
    return warn_events_per_variable(y, n)


def test_warning_names_counts_and_points_at_the_callers_caller():
    with pytest.warns(EventsPerVariableWarning) as rec:
        assert _fit_like_caller(Y8, 1) == 2.0
    msg = str(rec[0].message)
    assert msg == (
        "only 2.0 events per variable (2 events of the rarer outcome, 1 regressors); below 10 "
        "estimates are biased and unstable. Use fewer regressors, pool regions, or "
        "family='firth'."
    )
    if "MUTANT_UNDER_TEST" not in os.environ:  # mutmut's trampoline adds a frame
        assert rec[0].filename == __file__


def test_complete_separation_by_hand():
    # x = -2, -1, 1, 2 with y = x > 0. Rows (2y - 1)(1, x) scaled by the column maxima (1, 2):
    # (-1, .5), (-1, 1), (1, .5), (1, 1). Every margin is positive for b = (0, 1); the largest
    # smallest margin, t = 0.5, is reached only there (b0 != 0 lowers one of rows 1 and 3).
    got = separation(design([-2, -1, 1, 2]), outcome([0, 0, 1, 1]))
    want = pd.DataFrame({"direction": [1.0], "kind": ["complete"]}, index=["x"])
    pd.testing.assert_frame_equal(got, want)


def test_quasi_complete_separation_by_hand():
    # x = 1 -> y = 1 always; x = 0 holds both outcomes. Rows: (-1, 0) twice, (1, 1) three times,
    # (1, 0) once. Row (-1, 0) forces b0 <= 0 and row (1, 0) b0 >= 0, so b0 = 0 and no direction
    # makes every margin positive; max 3 b1 gives b1 = 1 (its bound).
    X, y = design([0, 0, 1, 1, 1, 0]), outcome([0, 0, 1, 1, 1, 1])
    want = pd.DataFrame({"direction": [1.0], "kind": ["quasi-complete"]}, index=["x"])
    pd.testing.assert_frame_equal(separation(X, y), want)


def test_quasi_complete_separation_in_the_negative_direction():
    # the mirror case: x = 1 -> y = 0 always; rows (1, 0) twice, (-1, -1) three times, (-1, 0)
    # once; b0 = 0 again and max -3 b1 gives b1 = -1 (its lower bound)
    X, y = design([0, 0, 1, 1, 1, 0]), outcome([1, 1, 0, 0, 0, 0])
    want = pd.DataFrame({"direction": [-1.0], "kind": ["quasi-complete"]}, index=["x"])
    pd.testing.assert_frame_equal(separation(X, y), want)


def test_no_separation_gives_an_empty_table():
    got = separation(design([0, 1, 0, 1]), outcome([0, 0, 1, 1]))
    assert got.empty and list(got.columns) == ["direction", "kind"]


def test_a_zero_column_does_not_hide_the_separation():
    # a regressor that is 0 for every firm has a column maximum of 0; it is left unscaled (not
    # divided by 0), takes no part, and x's complete separation is still found
    X = design([-2, -1, 1, 2], z=0.0)
    got = separation(X, outcome([0, 0, 1, 1]))
    assert got.index.tolist() == ["x"] and got["kind"].tolist() == ["complete"]


@pytest.mark.parametrize("value, sign", [(1, 1.0), (0, -1.0)])
def test_constant_outcome_is_the_intercept(value, sign):
    X, y = design([0, 1, 0, 1]), outcome([value] * 4)
    want = pd.DataFrame({"direction": [sign], "kind": ["complete"]}, index=["Intercept"])
    pd.testing.assert_frame_equal(separation(X, y), want)
    with pytest.raises(SeparationError) as err:
        check_separation(X, y)
    assert str(err.value).startswith(
        "complete separation by ['Intercept']: the outcome 'y' is constant. The maximum "
        "likelihood estimate does not exist; refit with family='firth' (Firth's penalised "
        "logit), or drop or merge the variable."
    )


def test_explanations_name_each_empty_cell():
    # both levels of the dummy are pure: two parts, joined by "; "
    X, y = design([0, 0, 1, 1]), outcome([0, 0, 1, 1], "innov")
    sep = separation(X, y)
    assert explain_separation(X, y, sep) == (
        "complete separation by ['x']: every firm with x = 1 has innov = 1; "
        "every firm with x = 0 has innov = 0"
    )
    # only the level 0 is pure; the mixed level 1 is not mentioned
    X, y = design([0, 0, 1, 1, 1, 0]), outcome([0, 0, 1, 0, 1, 0], "innov")
    sep = separation(X, y)
    assert explain_separation(X, y, sep) == (
        "quasi-complete separation by ['x']: every firm with x = 0 has innov = 0"
    )
    # a continuous regressor is named without a cell
    X, y = design([-2.5, -1, 1, 2.5]), outcome([0, 0, 1, 1], "innov")
    assert explain_separation(X, y, separation(X, y)) == (
        "complete separation by ['x']: x (with the other listed regressors) separates innov"
    )


GOLDEN = pd.read_csv("tests/golden/firth.csv", keep_default_na=False)


@pytest.mark.parametrize(
    "name, data, formula_terms",
    [
        ("endometrial", "tests/data/endometrial.csv", ("HG", ["NV", "PI", "EH"])),
        ("toy", "tests/data/firth_toy.csv", ("y", ["x", "z"])),
    ],
)
def test_firth_logit_equals_brglm2(name, data, formula_terms):
    # R brglm2 (glm(method = "brglmFit", type = "AS_mean"), tests/golden/firth.R); the toy set is
    # completely separated by x, the endometrial data quasi-completely by NV. Iterated to a
    # modified score below 1e-10 both agree to 1e-7 (R stops at 1e-12); with the default rule
    # (step < 1e-6 or score < 1e-5) the estimate is within score / curvature, about 1e-5.
    from clusterlib.innovation.separation import firth_logit

    d = pd.read_csv(data)
    y_name, xs = formula_terms
    X = pd.concat([pd.Series(1.0, index=d.index, name="Intercept"), d[xs].astype(float)], axis=1)
    params, cov, ll = firth_logit(X, d[y_name].astype(float), xtol=1e-12, gtol=1e-10)
    default, _, _ = firth_logit(X, d[y_name].astype(float))
    g = GOLDEN[GOLDEN["data"] == name]
    est = g[g["what"] == "estimate"]["value"].to_numpy(float)
    se = g[g["what"] == "se"]["value"].to_numpy(float)
    assert params.index.tolist() == X.columns.tolist()
    assert cov.index.tolist() == cov.columns.tolist() == X.columns.tolist()
    np.testing.assert_allclose(params.to_numpy(), est, rtol=0, atol=1e-7)
    np.testing.assert_allclose(np.sqrt(np.diag(cov)), se, rtol=1e-7)
    assert ll == pytest.approx(float(g[g["what"] == "loglik"]["value"].iloc[0]), abs=1e-8)
    np.testing.assert_allclose(default.to_numpy(), est, rtol=0, atol=1e-5)


def test_firth_logit_reports_non_convergence():
    from clusterlib.innovation.separation import firth_logit

    d = pd.read_csv("tests/data/firth_toy.csv")
    X = pd.DataFrame({"Intercept": 1.0, "x": d["x"], "z": d["z"]})
    with pytest.raises(SeparationError, match=r"Firth logit did not converge in 2 iterations\."):
        firth_logit(X, d["y"].astype(float), max_iter=2)


def test_firth_logit_steps_are_capped_and_stop_on_the_step_size():
    # x / 100: the Firth estimate is equivariant (its penalty is Jeffreys' invariant prior), so
    # the x coefficient is 100 times brglm2's 0.8130414732865 and the others are unchanged. From
    # 0 the first Newton step is far above max_step = 5, so the cap is exercised; with gtol = 0
    # the loop can only stop on a step below xtol.
    from clusterlib.innovation.separation import firth_logit

    d = pd.read_csv("tests/data/firth_toy.csv")
    X = pd.DataFrame({"Intercept": 1.0, "x": d["x"] / 100, "z": d["z"]})
    g = GOLDEN[(GOLDEN["data"] == "toy") & (GOLDEN["what"] == "estimate")]["value"].to_numpy()
    params, _, _ = firth_logit(X, d["y"].astype(float), xtol=1e-10, gtol=0.0)
    np.testing.assert_allclose(params.to_numpy(), g * [1, 100, 1], rtol=1e-7)


def test_integer_inputs_give_the_same_tables():
    # 0/1 outcomes and dummies often arrive as integers: the result (values and dtypes) is the
    # same as for floats
    X = pd.DataFrame({"Intercept": 1, "x": [0, 0, 1, 1, 1, 0]})
    for y in ([1, 1, 1, 1, 1, 1], [0, 0, 1, 1, 1, 1]):
        got = separation(X, pd.Series(y, name="y"))
        want = separation(X.astype(float), pd.Series(y, name="y", dtype=float))
        pd.testing.assert_frame_equal(got, want)


@pytest.mark.filterwarnings("ignore::clusterlib.innovation.separation.EventsPerVariableWarning")
def test_firth_model_result_fields_against_brglm2():
    # fit_model's Firth result on the endometrial data: estimates and log-likelihood from R's
    # brglm2 (tests/golden/firth.csv), the rest by hand from them
    from clusterlib import fit_model

    d = pd.read_csv("tests/data/endometrial.csv")
    f = "HG ~ NV + PI + EH"
    m = fit_model(f, d, family="firth", level=0.9)
    g = GOLDEN[GOLDEN["data"] == "endometrial"]
    np.testing.assert_allclose(m.params, g[g["what"] == "estimate"]["value"], atol=1e-5)
    np.testing.assert_allclose(m.bse, g[g["what"] == "se"]["value"], rtol=1e-4)
    llf = float(g[g["what"] == "loglik"]["value"].iloc[0])
    assert m.llf == pytest.approx(llf, abs=1e-6)
    p, n, k = d["HG"].mean(), len(d), 4
    assert m.llnull == pytest.approx(n * (p * np.log(p) + (1 - p) * np.log(1 - p)), rel=1e-12)
    assert m.aic == pytest.approx(2 * k - 2 * m.llf) and m.bic == pytest.approx(
        k * np.log(n) - 2 * m.llf
    )
    assert (m.formula, m.family, m.cov_type, m.nobs, m.level) == (f, "firth", "nonrobust", 79, 0.9)
    assert m.result is None and m.endog.tolist() == d["HG"].astype(float).tolist()
    s = m.summary_frame()
    np.testing.assert_allclose(s["ci_high"] - s["estimate"], 1.6448536269514722 * m.bse)
