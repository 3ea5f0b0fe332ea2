r"""The ordered logit: likelihood, gradient and a Newton polish of statsmodels' estimate.

With categories :math:`1 < \dots < J` coded as :math:`y_i`, cutpoints
:math:`c_1 < \dots < c_{J-1}` (:math:`c_0 = -\infty`, :math:`c_J = \infty`) and
:math:`\eta_i = x_i'\beta` (no intercept),

.. math:: P(y_i = j) = \Lambda(c_j - \eta_i) - \Lambda(c_{j-1} - \eta_i),
    \qquad \ell = \sum_i \ln P(y_i = y_i^{obs}).

References
----------
McCullagh, P. (1980). Regression models for ordinal data. *Journal of the Royal Statistical
Society B* 42(2), 109-142.
Pratt, J. W. (1981). Concavity of the log likelihood. *JASA* 76(373), 103-106.

Examples
--------
>>> import pandas as pd
>>> y = pd.Series([1, 1, 2, 1, 2, 3, 2, 3, 3, 2], dtype=float)
>>> X = pd.DataFrame({"x": [0.0, 1, 0, 2, 3, 2, 1, 4, 5, 3]})
>>> res, B, S, llnull = _fit_ordered(y, X)
>>> codes = (y - 1).astype(int).to_numpy()
>>> b, c = res.params.iloc[0], res.params.iloc[1]
>>> theta = np.array([b, c, c + np.exp(res.params.iloc[2])])
>>> ll, grad = _ordered_gradient(theta, codes, X.to_numpy(), 3)
>>> bool(np.isclose(ll, res.llf)), bool(np.abs(grad).max() < 1e-8), S.shape
(True, True, (10, 3))
"""

from __future__ import annotations

import warnings

import numpy as np
from scipy.special import expit
from statsmodels.miscmodels.ordinal_model import OrderedModel
from statsmodels.tools.numdiff import approx_fprime

from clusterlib.errors import ModelFitError


def _ordered_gradient(theta: np.ndarray, codes: np.ndarray, X: np.ndarray, J: int):
    """Log-likelihood and its analytic gradient of the ordered logit in (beta, cutpoints)."""
    k = X.shape[1]
    beta, cuts = theta[:k], theta[k:]
    eta = X @ beta
    upper = np.append(cuts, np.inf)[codes] - eta
    lower = np.insert(cuts, 0, -np.inf)[codes] - eta
    Fa, Fb = expit(upper), expit(lower)
    fa, fb = Fa * (1 - Fa), Fb * (1 - Fb)
    p = Fa - Fb
    # a category given probability 0 makes ll -inf and the gradient NaN: the line search
    # rejects such a point and the convergence check refuses it, so no warning is needed
    with np.errstate(divide="ignore", invalid="ignore"):
        ll = np.log(p).sum()
        g_eta = -(fa - fb) / p
        grad_cuts = np.bincount(codes, fa / p, minlength=J)[: J - 1]
        grad_cuts -= np.bincount(codes, fb / p, minlength=J)[1:]
    grad_beta = X.T @ g_eta
    return ll, np.concatenate([grad_beta, grad_cuts])


def _ordered_newton(codes: np.ndarray, X: np.ndarray, J: int, start: np.ndarray) -> np.ndarray:
    """Maximise the ordered-logit likelihood by Newton's method to a gradient below 1e-10.

    The log-likelihood is concave in (beta, cutpoints) (Pratt 1981), so Newton with step halving
    converges from any start with ordered cutpoints. The Hessian is the central difference of the
    analytic gradient; the stopping rule uses the analytic gradient itself.
    """
    theta = start.copy()
    for _ in range(100):
        ll, g = _ordered_gradient(theta, codes, X, J)
        if np.max(np.abs(g)) < 1e-10:
            return theta
        eps = 1e-6 * np.maximum(1.0, np.abs(theta))
        H = np.empty((len(theta), len(theta)))
        for j in range(len(theta)):
            step = np.zeros_like(theta)
            step[j] = eps[j]
            H[:, j] = (
                _ordered_gradient(theta + step, codes, X, J)[1]
                - _ordered_gradient(theta - step, codes, X, J)[1]
            ) / (2 * eps[j])
        direction = np.linalg.solve((H + H.T) / 2, -g)
        t = 1.0
        while t > 1e-8:
            new = theta + t * direction
            if np.all(np.diff(new[X.shape[1] :]) > 0):
                ll_new = _ordered_gradient(new, codes, X, J)[0]
                if np.isfinite(ll_new) and ll_new >= ll - 1e-12 * abs(ll):
                    break
            t /= 2
        theta = new
    ll, g = _ordered_gradient(theta, codes, X, J)
    if not np.max(np.abs(g)) <= 1e-8:  # a NaN gradient is no convergence either
        raise ModelFitError(
            f"the ordered logit did not converge (largest gradient {np.max(np.abs(g)):.1e} after "
            "100 Newton steps); merge sparse outcome categories or use fewer regressors."
        )
    return theta


def _fit_ordered(y, X):
    """Ordered logit by maximum likelihood: statsmodels' model, Newton to a gradient below 1e-8.

    statsmodels' BFGS stops at a gradient of about 1e-4 to 1e-3; Newton from its estimate
    (analytic gradient, see :func:`_ordered_newton`) reaches the maximum. The result is then
    statsmodels' results object at that maximum (``maxiter=0``), for its predictions and Hessian.
    """
    model = OrderedModel(y, X, distr="logit")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = model.fit(method="bfgs", disp=0, maxiter=500)
    k = X.shape[1]
    sm = np.asarray(res.params)
    cuts = np.concatenate([[sm[k]], sm[k] + np.cumsum(np.exp(sm[k + 1 :]))])
    levels = np.sort(y.unique())
    codes = np.searchsorted(levels, y.to_numpy())
    if not np.all(np.isfinite(cuts)) or not np.all(np.diff(cuts) > 0):
        raise ModelFitError(
            "the ordered logit did not converge; merge sparse outcome categories or use fewer "
            "regressors."
        )
    theta = _ordered_newton(codes, X.to_numpy(float), len(levels), np.concatenate([sm[:k], cuts]))
    c = theta[k:]
    polished = np.concatenate([theta[:k], [c[0]], np.log(np.diff(c))])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # maxiter=0: statsmodels' results at the given maximum
        res = model.fit(start_params=polished, method="bfgs", maxiter=0, disp=0)
    B = np.asarray(res.cov_params())
    S = approx_fprime(np.asarray(res.params), model.loglikeobs, centered=True)
    p = y.value_counts(normalize=True)
    llnull = float((y.map(np.log(p))).sum())
    return res, B, S, llnull
