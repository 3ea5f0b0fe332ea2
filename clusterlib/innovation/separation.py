"""Small samples: detection of separation, Firth's penalised logit, events per variable."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from scipy.optimize import linprog
from scipy.special import expit

from clusterlib.errors import SeparationError


class EventsPerVariableWarning(UserWarning):
    """Fewer than 10 events per variable: estimates may be biased and unstable."""


def events_per_variable(y: pd.Series, n_params: int) -> float:
    """Events per variable: the rarer outcome's count divided by the number of slopes."""
    events = min(int(y.sum()), int(len(y) - y.sum()))
    return events / max(n_params, 1)


def warn_events_per_variable(y: pd.Series, n_params: int, *, threshold: float = 10) -> float:
    """Warn with :class:`EventsPerVariableWarning` when EPV is below ``threshold`` (Peduzzi 1996).

    References
    ----------
    Peduzzi, P. et al. (1996). A simulation study of the number of events per variable in logistic
    regression analysis. *Journal of Clinical Epidemiology* 49(12), 1373-1379.
    """
    epv = events_per_variable(y, n_params)
    if epv < threshold:
        warnings.warn(
            f"only {epv:.1f} events per variable ({min(int(y.sum()), int(len(y) - y.sum()))} "
            f"events of the rarer outcome, {n_params} regressors); below {threshold:g} estimates "
            "are biased and unstable. Use fewer regressors, pool regions, or family='firth'.",
            EventsPerVariableWarning,
            stacklevel=3,
        )
    return epv


def separation(X: pd.DataFrame, y: pd.Series) -> pd.DataFrame:
    r"""Detect complete or quasi-complete separation and name the regressors that cause it.

    Separation exists iff some direction :math:`b \ne 0` has :math:`(2y_i - 1) x_i'b \ge 0` for
    every firm; the maximum likelihood estimate then does not exist. This is decided by the
    linear programme

    .. math:: \max_b \sum_i (2y_i - 1) x_i'b \quad\text{s.t.}\quad (2y_i - 1) x_i'b \ge 0,
        \ -1 \le b_j \le 1,

    whose optimum is positive exactly when there is separation (Konis 2007). The regressors with
    :math:`b_j \ne 0` in the solution are the ones involved; for a single 0/1 regressor the
    message also says which cell is empty.

    Parameters
    ----------
    X : pandas.DataFrame
        Design matrix (with the intercept column).
    y : pandas.Series
        0/1 outcome.

    Returns
    -------
    pandas.DataFrame
        One row per regressor involved with ``direction`` (:math:`b_j`) and ``kind``
        (``"complete"`` or ``"quasi-complete"``); empty when there is no separation.

    References
    ----------
    Albert, A. & Anderson, J. A. (1984). On the existence of maximum likelihood estimates in
    logistic regression models. *Biometrika* 71(1), 1-10.
    Konis, K. (2007). *Linear programming algorithms for detecting separated data in binary
    logistic regression models.* DPhil thesis, University of Oxford.
    """
    cols = ["direction", "kind"]
    outcomes = np.unique(y.to_numpy(float))
    if len(outcomes) == 1 and "Intercept" in X.columns:  # a constant outcome: the intercept
        return pd.DataFrame([(2 * outcomes[0] - 1, "complete")], index=["Intercept"], columns=cols)
    A = X.to_numpy(float) * (2 * y.to_numpy(float) - 1)[:, None]
    scale = np.abs(A).max(axis=0)
    # a regressor that is 0 for every firm plays no part: its coefficient is fixed at 0 (free,
    # the solver could return any value for it and name it)
    bounds = [(-1, 1) if m > 0 else (0, 0) for m in scale]
    scale[scale == 0] = 1
    A = A / scale
    res = linprog(-A.sum(axis=0), A_ub=-A, b_ub=np.zeros(len(A)), bounds=bounds, method="highs")
    if res.status != 0 or -res.fun <= 1e-7 * len(A):
        return pd.DataFrame(columns=cols)
    b = res.x
    kind = "quasi-complete"
    strict = _max_min_margin(A, bounds)
    if strict is not None:  # some direction has every margin positive
        kind, b = "complete", strict
    # the intercept alone cannot separate a non-constant outcome (handled above), so some other
    # regressor has a non-zero coefficient here
    involved = [(c, b[j]) for j, c in enumerate(X.columns) if abs(b[j]) > 1e-7 and c != "Intercept"]
    return pd.DataFrame(
        [(d, kind) for _, d in involved], index=[c for c, _ in involved], columns=cols
    )


def _max_min_margin(A: np.ndarray, bounds: list[tuple[float, float]]) -> np.ndarray | None:
    r"""Return the direction of complete separation, if any (:math:`\max t` s.t. :math:`Ab \ge t`).

    With :math:`-1 \le b_j \le 1` and :math:`0 \le t \le 1`. Complete separation (Albert &
    Anderson 1984) is :math:`Ab > 0` for every firm, i.e. an optimum :math:`t > 0`; then the
    maximising :math:`b` is returned, else None. The first programme's optimum alone cannot tell:
    a vertex it returns may put some margins at exactly 0 even when the separation is complete.
    """
    n, p = A.shape
    objective = np.r_[np.zeros(p), -1.0]
    res = linprog(objective, A_ub=np.hstack([-A, np.ones((n, 1))]), b_ub=np.zeros(n),
                  bounds=[*bounds, (0, 1)], method="highs")  # fmt: skip
    if res.status != 0 or -res.fun <= 1e-9:
        return None
    return res.x[:p]


def explain_separation(X: pd.DataFrame, y: pd.Series, sep: pd.DataFrame) -> str:
    """Describe a separation in words, naming the variable and the empty cell where possible."""
    parts = []
    for var in sep.index:
        if var == "Intercept":
            parts.append(f"the outcome {y.name!r} is constant")
            continue
        x = X[var]
        if set(np.unique(x)) <= {0.0, 1.0}:
            for level in (1.0, 0.0):
                ys = y[x == level]
                if len(ys) and ys.nunique() == 1:
                    parts.append(f"every firm with {var} = {level:g} has {y.name} = {ys.iloc[0]:g}")
        else:
            parts.append(f"{var} (with the other listed regressors) separates {y.name}")
    kind = sep["kind"].iloc[0]
    return f"{kind} separation by {list(sep.index)}: " + "; ".join(dict.fromkeys(parts))


def check_separation(X: pd.DataFrame, y: pd.Series) -> None:
    """Raise :class:`SeparationError` naming the variable(s) if ``y`` is separated by ``X``."""
    sep = separation(X, y)
    if not sep.empty:
        raise SeparationError(
            explain_separation(X, y, sep) + ". The maximum likelihood estimate does not exist; "
            "refit with family='firth' (Firth's penalised logit), or drop or merge the variable."
        )


def firth_logit(
    X: pd.DataFrame,
    y: pd.Series,
    *,
    max_iter: int = 100,
    xtol: float = 1e-6,
    gtol: float = 1e-5,
    max_step: float = 5.0,
):
    r"""Firth's bias-reduced (penalised) logistic regression.

    Maximises :math:`\ell^*(\beta) = \ell(\beta) + \tfrac12 \log |I(\beta)|` by Newton-Raphson
    with step halving and at most ``max_step`` per coefficient and iteration (as logistf), until the
    step is below ``xtol`` or the modified score below ``gtol``, using the modified score

    .. math:: U^*_j = \sum_i \{y_i - \mu_i + h_i(\tfrac12 - \mu_i)\} x_{ij},

    :math:`h_i` the diagonal of :math:`W^{1/2} X (X'WX)^{-1} X' W^{1/2}`, :math:`W = \mu(1-\mu)`.
    Estimates are finite under separation. The covariance is :math:`(X'WX)^{-1}` at the estimate
    (Wald); logistf's default intervals are profile-penalised-likelihood, which are not computed.

    Returns
    -------
    (params, cov, loglik)
        ``params`` (pandas.Series), ``cov`` (pandas.DataFrame), and the unpenalised
        log-likelihood at the estimate.

    References
    ----------
    Firth, D. (1993). Bias reduction of maximum likelihood estimates. *Biometrika* 80(1), 27-38.
    Heinze, G. & Schemper, M. (2002). A solution to the problem of separation in logistic
    regression. *Statistics in Medicine* 21(16), 2409-2419.
    """
    Xa, ya = X.to_numpy(float), y.to_numpy(float)
    beta = np.zeros(Xa.shape[1])

    def penalised(b):
        mu = expit(Xa @ b)
        info = Xa.T @ (Xa * (mu * (1 - mu))[:, None])
        sign, logdet = np.linalg.slogdet(info)
        ll = np.sum(ya * np.log(mu + 1e-300) + (1 - ya) * np.log(1 - mu + 1e-300))
        return ll + 0.5 * logdet, mu, info

    pl, mu, info = penalised(beta)
    for _ in range(max_iter):
        inv = np.linalg.inv(info)
        w = mu * (1 - mu)
        h = w * np.einsum("ij,jk,ik->i", Xa, inv, Xa)
        score = Xa.T @ (ya - mu + h * (0.5 - mu))
        if np.max(np.abs(score)) < gtol:
            break
        step = inv @ score
        biggest = np.max(np.abs(step))
        if biggest > max_step:
            step *= max_step / biggest
        for _halving in range(30):
            new_pl, new_mu, new_info = penalised(beta + step)
            if new_pl >= pl - 1e-12:
                break
            step /= 2
        beta = beta + step
        converged = np.max(np.abs(step)) < xtol
        pl, mu, info = new_pl, new_mu, new_info
        if converged:
            break
    else:
        raise SeparationError(f"Firth logit did not converge in {max_iter} iterations.")
    cov = np.linalg.inv(info)
    ll = float(np.sum(ya * np.log(mu) + (1 - ya) * np.log(1 - mu)))
    params = pd.Series(beta, index=X.columns)
    return params, pd.DataFrame(cov, index=X.columns, columns=X.columns), ll
