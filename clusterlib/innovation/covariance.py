r"""Covariance estimators of fitted models and the Wald inference built on them.

All estimators are sandwiches :math:`V = B M B` of the bread :math:`B` (inverse observed
information) and a meat :math:`M` from the score contributions :math:`s_i`:

* ``nonrobust``: :math:`V = B` (model-based);
* ``HC0``-``HC3``: :math:`M = \sum_i w_i s_i s_i'` with :math:`w_i = 1`, :math:`n/(n-k)`,
  :math:`1/(1-h_i)`, :math:`1/(1-h_i)^2` (:math:`h_i` the GLM hat-matrix diagonal);
* ``cluster`` (cluster-robust, by groups g): :math:`M = c \sum_g S_g S_g'`, :math:`S_g` the sum
  of the scores in group g, :math:`c = \frac{G}{G-1}\frac{n-1}{n-k}`.

References
----------
White, H. (1980). A heteroskedasticity-consistent covariance matrix estimator and a direct test
for heteroskedasticity. *Econometrica* 48(4), 817-838.
MacKinnon, J. G. & White, H. (1985). Some heteroskedasticity-consistent covariance matrix
estimators with improved finite sample properties. *Journal of Econometrics* 29(3), 305-325.
Zeileis, A., Köll, S. & Graham, N. (2020). Various versatile variances: an object-oriented
implementation of clustered covariances in R. *Journal of Statistical Software* 95(1).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from clusterlib.errors import OptionError


def hc_weights(cov_type: str, n: int, k: int, leverage: np.ndarray | None) -> np.ndarray:
    r"""Return the weights :math:`w_i` of the HC meat :math:`\sum_i w_i s_i s_i'`.

    ``HC0`` :math:`1`, ``HC1`` :math:`n/(n-k)`, ``HC2`` :math:`1/(1-h_i)`, ``HC3``
    :math:`1/(1-h_i)^2`.

    References
    ----------
    MacKinnon, J. G. & White, H. (1985), *Journal of Econometrics* 29(3), 305-325.

    Examples
    --------
    >>> hc_weights("HC1", 4, 2, None).tolist()
    [2.0, 2.0, 2.0, 2.0]
    >>> hc_weights("HC3", 2, 1, np.array([0.5, 0.75])).tolist()
    [4.0, 16.0]
    """
    if cov_type in ("HC2", "HC3") and leverage is None:
        raise OptionError(f"cov_type={cov_type!r} needs leverages; use HC0, HC1 or cluster.")
    w = np.ones(n)
    if cov_type == "HC1":
        w[:] = n / (n - k)
    elif cov_type == "HC2":
        w = 1 / (1 - leverage)
    elif cov_type == "HC3":
        w = 1 / (1 - leverage) ** 2
    return w


def group_scores(scores: np.ndarray, codes: np.ndarray) -> np.ndarray:
    r"""Return the score sums :math:`S_g = \sum_{i \in g} s_i` of groups coded 0, 1, ..., G-1.

    The cluster-robust meat is :math:`c \sum_g S_g S_g' = c\,S'S` with
    :math:`c = \frac{G}{G-1}\frac{n-1}{n-k}`, as R's ``sandwich::vcovCL(type = "HC1")`` and
    statsmodels' ``cov_type="cluster"``.

    References
    ----------
    Cameron, A. C. & Miller, D. L. (2015). A practitioner's guide to cluster-robust inference.
    *Journal of Human Resources* 50(2), 317-372.

    Examples
    --------
    >>> s = np.array([[1.0, 0.0], [1.0, 1.0], [-2.0, 3.0]])
    >>> group_scores(s, np.array([0, 0, 1])).tolist()
    [[2.0, 1.0], [-2.0, 3.0]]
    """
    G = codes.max() + 1
    Sg = np.zeros((G, scores.shape[1]))
    np.add.at(Sg, codes, scores)
    return Sg


def sandwich(
    bread: np.ndarray,
    scores: np.ndarray,
    *,
    cov_type: str,
    leverage: np.ndarray | None = None,
    codes: np.ndarray | None = None,
) -> np.ndarray:
    r"""Return the covariance :math:`V = B M B` of the parameters under ``cov_type``.

    Parameters
    ----------
    bread : numpy.ndarray
        :math:`B`, the inverse observed information (k x k).
    scores : numpy.ndarray
        Score contributions :math:`s_i` (n x k).
    cov_type : {"nonrobust", "HC0", "HC1", "HC2", "HC3", "cluster"}
        See the module docstring; ``nonrobust`` returns ``bread``.
    leverage : numpy.ndarray, optional
        Hat-matrix diagonal :math:`h_i`, needed by HC2 and HC3.
    codes : numpy.ndarray, optional
        Group of each row as 0, 1, ..., G-1, needed by ``cluster``.

    References
    ----------
    Zeileis, A., Köll, S. & Graham, N. (2020), *Journal of Statistical Software* 95(1).

    Examples
    --------
    >>> B = np.array([[0.5]])
    >>> s = np.array([[1.0], [-1.0], [2.0], [-2.0]])
    >>> sandwich(B, s, cov_type="HC0").tolist()  # 0.25 * (1 + 1 + 4 + 4)
    [[2.5]]
    >>> sandwich(B, s, cov_type="nonrobust").tolist()
    [[0.5]]
    >>> # groups {1, 2} and {-1, -2}: S = (3, -3), c = 2/1 * 3/3, V = 0.5 * 2 * 18 * 0.5
    >>> sandwich(B, s, cov_type="cluster", codes=np.array([0, 1, 0, 1])).tolist()
    [[9.0]]
    """
    if cov_type == "nonrobust":
        return bread
    n, k = scores.shape
    if cov_type == "cluster":
        Sg = group_scores(scores, codes)
        G = len(Sg)
        c = G / (G - 1) * (n - 1) / (n - k)
        return c * bread @ (Sg.T @ Sg) @ bread
    w = hc_weights(cov_type, n, k, leverage)
    return bread @ ((scores * w[:, None]).T @ scores) @ bread


def wald_table(est: pd.Series, se: pd.Series, level: float) -> pd.DataFrame:
    r"""Wald inference: estimates, standard errors, z, two-sided p and confidence intervals.

    :math:`z = \hat\theta / \text{se}`, :math:`p = 2\,(1 - \Phi(|z|))`, interval
    :math:`\hat\theta \pm z_{(1+\text{level})/2}\,\text{se}`.

    References
    ----------
    Wald, A. (1943). Tests of statistical hypotheses concerning several parameters when the
    number of observations is large. *Trans. AMS* 54(3), 426-482.

    Examples
    --------
    >>> t = wald_table(pd.Series({"x": 1.0}), pd.Series({"x": 0.5}), 0.95)
    >>> t.loc["x", ["z", "ci_low"]].round(4).tolist()
    [2.0, 0.02]
    """
    z = stats.norm.ppf(0.5 + level / 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        zval = est / se
    return pd.DataFrame(
        {
            "estimate": est,
            "se": se,
            "z": zval,
            "p": 2 * stats.norm.sf(np.abs(zval)),
            "ci_low": est - z * se,
            "ci_high": est + z * se,
        }
    )
