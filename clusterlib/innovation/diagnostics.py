"""Model diagnostics: VIF, fit statistics, AUC, Brier score, Hosmer-Lemeshow and the link test."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats
from sklearn.metrics import roc_auc_score
from statsmodels.stats.outliers_influence import variance_inflation_factor

from clusterlib.errors import DataValueError
from clusterlib.innovation.families import family_of
from clusterlib.innovation.model import fit_model
from clusterlib.innovation.results import ModelResult


def vif(model: ModelResult) -> pd.DataFrame:
    r"""Variance inflation factors of a model's regressors.

    .. math:: \text{VIF}_j = \frac{1}{1 - R^2_j}

    with :math:`R^2_j` from the regression of regressor j on the others (and the intercept).
    Values above 5-10 signal collinearity.

    References
    ----------
    Fox, J. & Monette, G. (1992). Generalized collinearity diagnostics. *JASA* 87(417), 178-183.
    """
    X = model.exog
    if "Intercept" not in X.columns:
        X = X.assign(Intercept=1.0)
    names = [c for c in X.columns if c != "Intercept"]
    values = [variance_inflation_factor(X.to_numpy(float), list(X.columns).index(c)) for c in names]
    return pd.DataFrame({"vif": values}, index=pd.Index(names, name="term"))


def predicted(model: ModelResult) -> np.ndarray:
    """Predicted probabilities (or means) of a single-index model at its estimates."""
    fam = family_of(model.family)
    if not fam.single_index:
        raise DataValueError(f"predicted: not defined for family {model.family!r}.")
    return fam.mean(model.exog.to_numpy(float) @ model.params.to_numpy())


def hosmer_lemeshow(y: np.ndarray, p: np.ndarray, *, groups: int = 10) -> tuple[float, float]:
    r"""Hosmer-Lemeshow goodness-of-fit test over groups of predicted risk.

    Firms are sorted by predicted probability and cut into ``groups`` groups of (nearly) equal
    size; with :math:`O_g`, :math:`E_g` and :math:`n_g` the observed and expected events and the
    size of group g,

    .. math:: C = \sum_g \frac{(O_g - E_g)^2}{E_g (1 - E_g / n_g)} \sim \chi^2_{G-2}.

    Returns
    -------
    (statistic, p_value)

    References
    ----------
    Hosmer, D. W. & Lemeshow, S. (1980). Goodness of fit tests for the multiple logistic
    regression model. *Communications in Statistics* A9(10), 1035-1049.
    """
    order = np.argsort(p, kind="stable")
    g = np.empty(len(p), dtype=int)
    g[order] = np.arange(len(p)) * groups // len(p)
    obs = np.bincount(g, weights=y, minlength=groups)
    exp = np.bincount(g, weights=p, minlength=groups)
    n = np.bincount(g, minlength=groups)
    keep = n > 0
    c = float(np.sum((obs - exp)[keep] ** 2 / (exp * (1 - exp / n))[keep]))
    return c, float(stats.chi2.sf(c, keep.sum() - 2))


def link_test(model: ModelResult) -> tuple[float, float]:
    r"""Pregibon's link test: refit the outcome on :math:`\hat\eta` and :math:`\hat\eta^2`.

    A significant coefficient on :math:`\hat\eta^2` suggests a misspecified link or omitted
    non-linear terms.

    Returns
    -------
    (coefficient of eta squared, p_value)

    References
    ----------
    Pregibon, D. (1980). Goodness of link tests for generalized linear models. *Applied
    Statistics* 29(1), 15-24.
    """
    eta = model.exog.to_numpy(float) @ model.params.to_numpy()
    df = pd.DataFrame({"y": model.endog.to_numpy(), "eta": eta, "eta2": eta**2})
    refit_as = family_of(model.family).refit_as  # Firth's logit: the plain logit
    refit = fit_model("y ~ eta + eta2", df, family=refit_as, cov_type="nonrobust")
    sf = refit.summary_frame().loc["eta2"]
    return float(sf["estimate"]), float(sf["p"])


def diagnostics(model: ModelResult, *, groups: int = 10) -> pd.Series:
    """All fit diagnostics of a binary-outcome model in one Series.

    Returns
    -------
    pandas.Series
        ``n``, ``mcfadden_r2``, ``aic``, ``bic``, ``auc`` (area under the ROC curve), ``brier``
        (mean squared error of the predicted probabilities), ``hl_statistic``, ``hl_p``
        (Hosmer-Lemeshow), ``linktest_coef``, ``linktest_p``.

    References
    ----------
    Brier, G. W. (1950). Verification of forecasts expressed in terms of probability. *Monthly
    Weather Review* 78(1), 1-3.
    """
    if not family_of(model.family).is_binary:
        raise DataValueError(f"diagnostics: for binary outcomes; got family {model.family!r}.")
    y = model.endog.to_numpy(float)
    p = predicted(model)
    hl, hl_p = hosmer_lemeshow(y, p, groups=groups)
    lt, lt_p = link_test(model)
    return pd.Series(
        {
            "n": model.nobs,
            "mcfadden_r2": model.pseudo_r2,
            "aic": model.aic,
            "bic": model.bic,
            "auc": roc_auc_score(y, p),
            "brier": float(np.mean((p - y) ** 2)),
            "hl_statistic": hl,
            "hl_p": hl_p,
            "linktest_coef": lt,
            "linktest_p": lt_p,
        }
    )
