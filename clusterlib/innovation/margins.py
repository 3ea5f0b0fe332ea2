"""Average marginal effects of fitted models, with delta-method standard errors."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats
from scipy.special import expit

from clusterlib.innovation.models import ModelResult, _inference


def _index_derivatives(family: str, eta: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return dmu/deta and d2mu/deta2 of a single-index model."""
    if family in ("logit", "fraclogit", "firth"):
        mu = expit(eta)
        d1 = mu * (1 - mu)
        return d1, d1 * (1 - 2 * mu)
    if family == "probit":
        d1 = stats.norm.pdf(eta)
        return d1, -eta * d1
    mu = np.exp(eta)  # poisson, negbin (log link)
    return mu, mu


def average_marginal_effects(model: ModelResult) -> pd.DataFrame:
    r"""Average marginal effects (AMEs) of every regressor, with delta-method standard errors.

    For single-index models :math:`\mu = g^{-1}(x'\beta)`:

    .. math:: \text{AME}_j = \frac1n \sum_i \frac{\partial \mu_i}{\partial x_{ij}}
        = \beta_j \frac1n \sum_i g^{-1\prime}(\eta_i),

    with the Jacobian :math:`\partial \text{AME}_j / \partial \beta_l = \frac1n \sum_i
    g^{-1\prime\prime}(\eta_i)\beta_j x_{il} + 1[j=l] \frac1n\sum_i g^{-1\prime}(\eta_i)` and
    :math:`\operatorname{Var}(\text{AME}) = J V J'` under the model's ``cov_type``. For the ordered
    logit the AMEs are on each category's probability,
    :math:`\partial P(y=k)/\partial x_j = \beta_j [f(c_{k-1} - \eta) - f(c_k - \eta)]`, with a
    numerical Jacobian. The derivative is taken for every regressor, 0/1 ones included (the
    effect of a small change, as Stata's ``margins, dydx()`` for continuous variables).

    Returns
    -------
    pandas.DataFrame
        Per regressor (and per outcome category for ``ologit``, as a MultiIndex): ``estimate``,
        ``se``, ``z``, ``p``, ``ci_low``, ``ci_high``.

    References
    ----------
    Cameron, A. C. & Trivedi, P. K. (2005). *Microeconometrics: Methods and Applications*.
    Cambridge University Press, section 14.3.
    """
    X = model.exog.to_numpy(float)
    names = [c for c in model.exog.columns if c != "Intercept"]
    cols = [list(model.exog.columns).index(c) for c in names]
    V = model.cov.to_numpy()
    if model.family == "ologit":
        return _ordered_ame(model, names)
    beta = model.params.to_numpy()
    eta = X @ beta
    d1, d2 = _index_derivatives(model.family, eta)
    ame = beta[cols] * d1.mean()
    J = beta[cols][:, None] * (d2[:, None] * X).mean(axis=0)[None, :]
    J[np.arange(len(cols)), cols] += d1.mean()
    se = np.sqrt(np.diag(J @ V @ J.T))
    return _inference(pd.Series(ame, index=names), pd.Series(se, index=names), model.level)


def _ordered_probs(theta: np.ndarray, X: np.ndarray, k: int) -> np.ndarray:
    beta, th = theta[:k], theta[k:]
    cuts = np.concatenate([[th[0]], th[0] + np.cumsum(np.exp(th[1:]))])
    eta = X @ beta
    F = expit(cuts[None, :] - eta[:, None])
    F = np.hstack([np.zeros((len(eta), 1)), F, np.ones((len(eta), 1))])
    return F, eta, cuts


def _ordered_ame_vector(theta: np.ndarray, X: np.ndarray, k: int) -> np.ndarray:
    F, _, _ = _ordered_probs(theta, X, k)
    f = F * (1 - F)  # logistic density at each cut (0 at -inf, +inf)
    dens = f[:, :-1] - f[:, 1:]  # n x categories: f(c_{k-1}-eta) - f(c_k-eta)
    return (theta[:k][:, None] * dens.mean(axis=0)[None, :]).ravel()


def _ordered_ame(model: ModelResult, names: list[str]) -> pd.DataFrame:
    X = model.exog.to_numpy(float)
    k = X.shape[1]
    theta = model.params.to_numpy()
    ame = _ordered_ame_vector(theta, X, k)
    eps = 1e-6
    J = np.empty((len(ame), len(theta)))
    for j in range(len(theta)):
        step = np.zeros_like(theta)
        step[j] = eps
        J[:, j] = (
            _ordered_ame_vector(theta + step, X, k) - _ordered_ame_vector(theta - step, X, k)
        ) / (2 * eps)
    se = np.sqrt(np.diag(J @ model.cov.to_numpy() @ J.T))
    cats = np.sort(model.endog.unique())
    index = pd.MultiIndex.from_product([names, cats], names=["term", "outcome"])
    return _inference(pd.Series(ame, index=index), pd.Series(se, index=index), model.level)
