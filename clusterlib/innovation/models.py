"""Regression models of innovation outcomes with robust covariances and average marginal effects."""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats
from scipy.special import expit

from clusterlib.errors import ClusterlibError, DataValueError, ModelFitError, OptionError
from clusterlib.innovation.design import design
from clusterlib.innovation.proportions import _shown
from clusterlib.innovation.separation import check_separation, firth_logit, warn_events_per_variable
from clusterlib.options import CovType, Family, check_option, choices

FAMILIES: tuple[str, ...] = choices(Family)
COV_TYPES: tuple[str, ...] = choices(CovType)


@dataclass
class ModelResult:
    """A fitted model: what users read. ``result`` is the underlying statsmodels results object."""

    formula: str
    family: str
    cov_type: str
    params: pd.Series
    cov: pd.DataFrame
    nobs: int
    llf: float
    llnull: float
    aic: float
    bic: float
    result: object
    exog: pd.DataFrame = field(repr=False)
    endog: pd.Series = field(repr=False)
    level: float = 0.95
    cluster: str | None = None
    n_clusters: int | None = None
    synthetic: bool = False
    weights: pd.Series | None = None  # survey weights of the fitted rows, if any

    @property
    def bse(self) -> pd.Series:
        """Standard errors of the parameters under ``cov_type``."""
        return pd.Series(np.sqrt(np.diag(self.cov)), index=self.params.index, name="se")

    @property
    def pseudo_r2(self) -> float:
        r"""McFadden's pseudo-R², :math:`1 - \ell / \ell_0`."""
        return float(1 - self.llf / self.llnull)

    def summary_frame(self) -> pd.DataFrame:
        """Coefficients with standard errors, z statistics, p-values and confidence intervals."""
        return _inference(self.params, self.bse, self.level)

    @property
    def ame(self) -> pd.DataFrame:
        """Average marginal effects with delta-method standard errors."""
        from clusterlib.innovation.margins import average_marginal_effects

        return average_marginal_effects(self)


def fit_model(
    formula: str,
    data: pd.DataFrame,
    *,
    family: Family = "logit",
    cov_type: CovType | None = None,
    cluster: str | None = None,
    level: float = 0.95,
    weights: str | pd.Series | None = None,
) -> ModelResult:
    r"""Fit a model of an innovation outcome with the chosen covariance estimator.

    Parameters
    ----------
    formula : str
        patsy formula, e.g. ``"product_innovation ~ rd_inhouse + coop_universities +
        np.log(employees / 50)"``; ``C(region)`` adds region effects.
    data : pandas.DataFrame
        The survey.
    family : {"logit", "probit", "firth", "fraclogit", "poisson", "negbin", "ologit"}
        ``logit``/``probit``: binary outcome (binomial GLM); the sample is first checked for
        separation (:class:`~clusterlib.errors.SeparationError` names the variable) and a warning
        is given below 10 events per variable. ``firth``: Firth's penalised logit, finite under
        separation (model-based covariance only). ``fraclogit``: fractional logit of a
        share in [0, 1] (Papke-Wooldridge; binomial GLM quasi-likelihood, use a robust
        ``cov_type``). ``poisson`` and ``negbin`` (NB2): counts; for ``negbin`` the dispersion
        :math:`\alpha` is estimated by maximum likelihood and the coefficients by the GLM at that
        :math:`\alpha` (identical point estimates; :math:`\beta` and :math:`\alpha` are
        asymptotically orthogonal). ``ologit``: ordered logit (no intercept; cutpoints estimated).
    weights : str or pandas.Series, optional
        Survey weights (:func:`~clusterlib.innovation.weights.survey_weights`), a column name or
        a Series aligned with ``data``; ``logit``, ``probit``, ``fraclogit`` and ``poisson`` only.
        The fit is then the pseudo-maximum-likelihood estimate, solving
        :math:`\sum_i w_i s_i(\beta) = 0`, with the sandwich
        :math:`V = B \left(\sum_i w_i^2 s_i s_i'\right) B`,
        :math:`B = (\sum_i w_i H_i)^{-1}` (Binder 1983; R's ``survey::svyglm`` uses this with the
        factor n/(n-1), i.e. ``HC0`` times n/(n-1)); a robust ``cov_type`` (HC0, HC1 or
        cluster) is required, because the model-based covariance would treat the weights as
        counts of firms. AMEs are then weighted averages over the firms. Weights are scaled to
        mean 1 (no estimate depends on their scale).
    cov_type : {"nonrobust", "HC0", "HC1", "HC2", "HC3", "cluster"}, optional
        Default ``"HC1"``, and ``"nonrobust"`` for ``firth`` (the one it supports). Covariance of the parameters, :math:`V = B M B` with :math:`B` the inverse information and
        :math:`M = \sum_i w_i s_i s_i'` from the score contributions :math:`s_i`:
        HC0 :math:`w_i = 1`; HC1 :math:`w_i = n/(n-k)`; HC2 :math:`w_i = 1/(1-h_i)`; HC3
        :math:`w_i = 1/(1-h_i)^2`, with :math:`h_i` the GLM hat-matrix diagonal (as R's
        ``sandwich::vcovHC`` for ``glm``; not defined for ``ologit``). ``cluster``:
        :math:`M = c \sum_g S_g S_g'` with :math:`S_g` the sum of scores in cluster g and the
        small-sample factor :math:`c = \frac{G}{G-1}\frac{n-1}{n-k}`; this equals statsmodels'
        ``cov_type="cluster"`` and R's ``sandwich::vcovCL(type = "HC1")``. Stata's
        ``vce(cluster)`` after ``logit``/``poisson`` uses :math:`c = G/(G-1)` only, so its
        standard errors are smaller by :math:`\sqrt{(n-1)/(n-k)}`.
    cluster : str, optional
        Column that defines the clusters (e.g. ``"region"``); required for ``cov_type="cluster"``.
    level : float, default 0.95
        Confidence level of intervals.

    Returns
    -------
    ModelResult
        ``params``, ``bse``, ``cov``, ``ame``, ``summary_frame()``, ``pseudo_r2``, ``llf``,
        ``aic``, ``bic`` and the statsmodels ``result``.

    Notes
    -----
    statsmodels accepts ``cov_type="HC1"``, ``"HC2"`` and ``"HC3"`` for GLM and discrete models
    but returns HC0 for all of them (statsmodels 0.14-0.15); clusterlib therefore computes the
    sandwich itself.

    References
    ----------
    Papke, L. E. & Wooldridge, J. M. (1996). Econometric methods for fractional response
    variables. *Journal of Applied Econometrics* 11(6), 619-632.
    Cameron, A. C. & Miller, D. L. (2015). A practitioner's guide to cluster-robust inference.
    *Journal of Human Resources* 50(2), 317-372.
    Zeileis, A., Köll, S. & Graham, N. (2020). Various versatile variances: an object-oriented
    implementation of clustered covariances in R. *Journal of Statistical Software* 95(1).
    """
    check_option("family", family)
    if cov_type is None:
        cov_type = "nonrobust" if family == "firth" else "HC1"
    check_option("cov_type", cov_type)
    if not isinstance(level, float | int) or not 0 < level < 1:
        raise OptionError(f"level: expected a confidence level between 0 and 1, got {level!r}.")
    if not isinstance(data, pd.DataFrame):
        raise OptionError(f"data: expected a pandas DataFrame, got {type(data).__name__}.")
    if cov_type == "cluster" and cluster is None:
        raise OptionError("cov_type='cluster' needs cluster=<column>, e.g. cluster='region'.")
    if cluster is not None and cluster not in data.columns:
        raise DataValueError(f"cluster: {cluster!r} is not a column of the data.")
    y, X = design(formula, data, family)
    _check_outcome(y, family)
    w = _survey_weights(weights, data, X.index, family, cov_type)
    try:
        result = _fit(formula, data, y, X, family, cov_type, cluster, level, w)
    except ClusterlibError:
        raise
    except (np.linalg.LinAlgError, ValueError, FloatingPointError, OverflowError) as exc:
        raise ModelFitError(
            f"formula {formula!r}, family {family!r}: the estimation failed "
            f"({type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else 'no message'}). "
            "Check for extreme values or rescale regressors (e.g. log of sizes), use fewer "
            "regressors, or a simpler family."
        ) from None
    bad = ~np.isfinite(result.params.to_numpy()) | ~np.isfinite(np.diag(result.cov.to_numpy()))
    if bad.any():
        raise ModelFitError(
            f"formula {formula!r}, family {family!r}: non-finite estimate or variance for "
            f"{list(result.params.index[bad])}; the model is not identified on these data. "
            "Drop those terms or pool more firms."
        )
    return result


def _survey_weights(weights, data, index, family, cov_type) -> pd.Series | None:
    """Check survey weights for the fitted rows (see :func:`fit_model`); scale them to mean 1."""
    if weights is None:
        return None
    if family not in ("logit", "probit", "fraclogit", "poisson"):
        raise OptionError(
            f"weights: supported for logit, probit, fraclogit and poisson, not {family!r}."
        )
    if cov_type not in ("HC0", "HC1", "cluster"):
        raise OptionError(
            f"weights with cov_type={cov_type!r}: use 'HC0', 'HC1' or 'cluster'; the model-based "
            "covariance would count a weight of 80 as 80 firms."
        )
    src = "weights" if not isinstance(weights, str) else f"weights column {weights!r}"
    raw = (data[weights] if isinstance(weights, str) else weights).reindex(index)
    ws = pd.to_numeric(raw, errors="coerce")  # text becomes NaN, refused below
    bad = ~(ws > 0) | ~np.isfinite(ws)
    if bad.any():
        i = ws.index[bad.to_numpy()][0]
        raise DataValueError(
            f"{src}, row {i!r}: expected a positive weight, found {_shown(raw.loc[i])}; a weight of 0 "
            "or below (or missing) would drop or invert the firm."
        )
    return ws / ws.mean()


def _fit(formula, data, y, X, family, cov_type, cluster, level, sw=None) -> ModelResult:
    """Fit the checked design (see :func:`fit_model`)."""
    if family in ("logit", "probit", "firth"):
        warn_events_per_variable(y, X.shape[1] - 1)
    if family in ("logit", "probit"):
        check_separation(X, y)
    if family == "firth":
        if cov_type != "nonrobust":
            raise OptionError(
                "family='firth' supports cov_type='nonrobust' only (Wald covariance "
                "of the penalised fit)."
            )
        params, cov, llf = firth_logit(X, y)
        p = float(y.mean())  # 0 < p < 1: a constant outcome was refused by design()
        llnull = len(y) * (p * np.log(p) + (1 - p) * np.log(1 - p))
        k = len(params)
        return ModelResult(
            formula=formula,
            family=family,
            cov_type=cov_type,
            params=params,
            cov=cov,
            nobs=len(y),
            llf=llf,
            llnull=llnull,
            aic=2 * k - 2 * llf,
            bic=k * np.log(len(y)) - 2 * llf,
            result=None,
            exog=X,
            endog=y,
            level=level,
        )
    if family == "ologit":
        res, B, S, llnull = _fit_ordered(y, X)
        h = None
    else:
        res, B, S, h, llnull = _fit_glm(y, X, family, sw)
    params = pd.Series(np.asarray(res.params), index=_param_names(X, family, y))
    k = len(params)
    n = len(y)
    groups = None
    if cov_type == "nonrobust":
        V = B
    elif cov_type == "cluster":
        groups = data.loc[X.index, cluster]
        if groups.isna().any():
            raise DataValueError(f"cluster: column {cluster!r} has missing values in the sample.")
        codes = pd.factorize(groups)[0]
        G = codes.max() + 1
        if G < 2:
            raise DataValueError(f"cluster: {cluster!r} has a single cluster; need at least 2.")
        Sg = np.zeros((G, k))
        np.add.at(Sg, codes, S)
        c = G / (G - 1) * (n - 1) / (n - k)
        V = c * B @ (Sg.T @ Sg) @ B
    else:
        if cov_type in ("HC2", "HC3") and h is None:
            raise OptionError(
                f"cov_type={cov_type!r} needs leverages, not defined for {family}; use HC0, HC1 "
                "or cluster."
            )
        w = np.ones(n)
        if cov_type == "HC1":
            w[:] = n / (n - k)
        elif cov_type == "HC2":
            w = 1 / (1 - h)
        elif cov_type == "HC3":
            w = 1 / (1 - h) ** 2
        V = B @ ((S * w[:, None]).T @ S) @ B
    cov = pd.DataFrame(V, index=params.index, columns=params.index)
    llf = float(res.llf)
    return ModelResult(
        formula=formula,
        family=family,
        cov_type=cov_type,
        params=params,
        cov=cov,
        nobs=n,
        llf=llf,
        llnull=float(llnull),
        aic=2 * k - 2 * llf,
        bic=k * np.log(n) - 2 * llf,
        result=res,
        exog=X,
        endog=y,
        level=level,
        cluster=cluster,
        n_clusters=None if groups is None else int(groups.nunique()),
        synthetic=is_synthetic(data),
        weights=sw,
    )


def is_synthetic(data: pd.DataFrame) -> bool:
    """Tell whether the data are the synthetic survey (``attrs`` flag or ``synthetic`` column)."""
    if data.attrs.get("synthetic"):
        return True
    return "synthetic" in data.columns and bool((data["synthetic"].astype(float) == 1).all())


def _check_outcome(y: pd.Series, family: str) -> None:
    v = y.to_numpy()
    if family in ("logit", "probit", "firth"):
        bad, wrong = "0 or 1", ~np.isin(v, [0, 1])
    elif family == "fraclogit":
        bad, wrong = "a share in [0, 1]", (v < 0) | (v > 1)
    elif family in ("poisson", "negbin"):
        bad, wrong = "a count 0, 1, 2, ...", (v < 0) | (v % 1 != 0)
    else:
        return
    if wrong.any():
        i = int(np.flatnonzero(wrong)[0])  # the first offending row, named in the message
        raise DataValueError(
            f"outcome {y.name!r}, row {y.index[i]!r}: expected {bad} for {family}, found "
            f"{v[i]:g}. Choose the family that fits the outcome: logit, probit or firth for 0/1, "
            "fraclogit for shares, poisson or negbin for counts, ologit for ordered scales."
        )


_GLM_FAMILY = {
    "logit": lambda: sm.families.Binomial(),
    "fraclogit": lambda: sm.families.Binomial(),
    "probit": lambda: sm.families.Binomial(link=sm.families.links.Probit()),
    "poisson": lambda: sm.families.Poisson(),
}


def _fit_glm(y, X, family, w=None):
    if family == "negbin":
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            nb = sm.NegativeBinomial(y, X, loglike_method="nb2").fit(disp=0, maxiter=200)
        alpha = float(nb.params.iloc[-1])
        fam = sm.families.NegativeBinomial(alpha=alpha)
    else:
        fam = _GLM_FAMILY[family]()
    # survey weights as frequency weights: the weighted score and Hessian (pseudo-likelihood)
    model = sm.GLM(y, X, family=fam, freq_weights=None if w is None else w.to_numpy(float))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = model.fit(maxiter=200, tol=1e-10)
    if not getattr(res, "converged", True):
        raise ModelFitError(
            f"the {family} fit did not converge in 200 iterations; rescale the regressors or "
            "use fewer of them."
        )
    # bread: inverse observed information at the final estimates (exact; statsmodels' own
    # cov_params uses the IRLS weights of the last iteration)
    B = np.linalg.inv(-np.asarray(model.hessian(np.asarray(res.params), observed=True)))
    S = np.asarray(model.score_obs(res.params))
    # leverages from the IRLS (expected-information) weights, as R's hatvalues and
    # sandwich::vcovHC; statsmodels' default uses the observed Hessian, which differs for the
    # non-canonical probit and NB2 links (probit HC2 standard errors were up to 10% off)
    h = np.asarray(res.get_hat_matrix_diag(observed=False))
    # NB2: the GLM's log-likelihood at the ML alpha is the joint maximum (R's glm.nb logLik)
    return res, B, S, h, res.llnull


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
    from statsmodels.miscmodels.ordinal_model import OrderedModel

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
    from statsmodels.tools.numdiff import approx_fprime

    S = approx_fprime(np.asarray(res.params), model.loglikeobs, centered=True)
    p = y.value_counts(normalize=True)
    llnull = float((y.map(np.log(p))).sum())
    return res, B, S, llnull


def _param_names(X, family, y):
    if family == "ologit":
        # cutpoints named by the categories they separate: "1/2", not statsmodels' "1.0/2.0"
        levels = [f"{v:g}" for v in np.sort(y.unique())]
        return list(X.columns) + [f"{a}/{b}" for a, b in zip(levels[:-1], levels[1:], strict=True)]
    return list(X.columns)


def _inference(est: pd.Series, se: pd.Series, level: float) -> pd.DataFrame:
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
