"""Regression models of innovation outcomes: the specification is checked, then fitted.

The family (:mod:`clusterlib.innovation.families`) decides the outcome check, the design and the
estimation route; the covariance comes from :mod:`clusterlib.innovation.covariance` and the
result is a :class:`~clusterlib.innovation.results.ModelResult`.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import statsmodels.api as sm

from clusterlib.errors import ClusterlibError, DataValueError, ModelFitError, OptionError
from clusterlib.innovation.covariance import sandwich
from clusterlib.innovation.design import design
from clusterlib.innovation.families import Family, family_of
from clusterlib.innovation.ordered import _fit_ordered
from clusterlib.innovation.proportions import _shown
from clusterlib.innovation.results import ModelResult
from clusterlib.innovation.separation import check_separation, firth_logit, warn_events_per_variable
from clusterlib.options import CovType, check_option, choices
from clusterlib.options import Family as FamilyName

COV_TYPES: tuple[str, ...] = choices(CovType)


def fit_model(
    formula: str,
    data: pd.DataFrame,
    *,
    family: FamilyName = "logit",
    cov_type: CovType | None = None,
    groups: str | None = None,
    level: float = 0.95,
    weights: str | pd.Series | None = None,
    cluster: str | None = None,
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
        See :data:`~clusterlib.innovation.families.FAMILIES`.
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
        Default ``"HC1"``, and ``"nonrobust"`` for ``firth`` (the one it supports). Covariance
        of the parameters, :math:`V = B M B` with :math:`B` the inverse information and
        :math:`M = \sum_i w_i s_i s_i'` from the score contributions :math:`s_i`:
        HC0 :math:`w_i = 1`; HC1 :math:`w_i = n/(n-k)`; HC2 :math:`w_i = 1/(1-h_i)`; HC3
        :math:`w_i = 1/(1-h_i)^2`, with :math:`h_i` the GLM hat-matrix diagonal (as R's
        ``sandwich::vcovHC`` for ``glm``; not defined for ``ologit``). ``cluster``
        (cluster-robust, by ``groups``): :math:`M = c \sum_g S_g S_g'` with :math:`S_g` the sum
        of scores in group g and the small-sample factor :math:`c = \frac{G}{G-1}\frac{n-1}{n-k}`;
        this equals statsmodels' ``cov_type="cluster"`` and R's
        ``sandwich::vcovCL(type = "HC1")``. Stata's ``vce(cluster)`` after ``logit``/``poisson``
        uses :math:`c = G/(G-1)` only, so its standard errors are smaller by
        :math:`\sqrt{(n-1)/(n-k)}`. See :mod:`clusterlib.innovation.covariance`.
    groups : str, optional
        Column that defines the groups of a cluster-robust covariance (e.g. ``"region"``);
        required for ``cov_type="cluster"`` (statsmodels' name).
    level : float, default 0.95
        Confidence level of intervals.
    cluster : str, optional
        Deprecated name of ``groups`` (a ``DeprecationWarning``; removed in the next release).

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

    Examples
    --------
    >>> from clusterlib.innovation import synthetic_survey
    >>> df = synthetic_survey(n=600, seed=2)
    >>> m = fit_model("product_innovation ~ rd_inhouse", df, cov_type="cluster", groups="region")
    >>> m.groups, m.n_groups == df["region"].nunique(), list(m.params.index)
    ('region', True, ['Intercept', 'rd_inhouse'])
    """
    groups = deprecated_cluster(groups, cluster, "fit_model")
    fam = family_of(family)
    if cov_type is None:
        cov_type = fam.default_cov_type
    check_option("cov_type", cov_type)
    if not isinstance(level, float | int) or not 0 < level < 1:
        raise OptionError(f"level: expected a confidence level between 0 and 1, got {level!r}.")
    if not isinstance(data, pd.DataFrame):
        raise OptionError(f"data: expected a pandas DataFrame, got {type(data).__name__}.")
    if cov_type == "cluster" and groups is None:
        raise OptionError("cov_type='cluster' needs groups=<column>, e.g. groups='region'.")
    if groups is not None and groups not in data.columns:
        raise DataValueError(f"groups: {groups!r} is not a column of the data.")
    y, X = design(formula, data, fam.name)
    _check_outcome(y, fam)
    w = _survey_weights(weights, data, X.index, fam, cov_type)
    try:
        result = _fit(formula, data, y, X, fam, cov_type, groups, level, w)
    except ClusterlibError:
        raise
    except (np.linalg.LinAlgError, ValueError, FloatingPointError, OverflowError) as exc:
        raise ModelFitError(
            f"formula {formula!r}, family {fam.name!r}: the estimation failed "
            f"({type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else 'no message'}). "
            "Check for extreme values or rescale regressors (e.g. log of sizes), use fewer "
            "regressors, or a simpler family."
        ) from None
    bad = ~np.isfinite(result.params.to_numpy()) | ~np.isfinite(np.diag(result.cov.to_numpy()))
    if bad.any():
        raise ModelFitError(
            f"formula {formula!r}, family {fam.name!r}: non-finite estimate or variance for "
            f"{list(result.params.index[bad])}; the model is not identified on these data. "
            "Drop those terms or pool more firms."
        )
    return result


def deprecated_cluster(groups: str | None, cluster: str | None, caller: str) -> str | None:
    """Return ``groups``, or the deprecated ``cluster`` keyword's value with a warning.

    The warning points at the caller of the public function ``caller`` that calls this one.
    """
    if cluster is None:
        return groups
    warnings.warn(
        f"{caller}(cluster=...) is deprecated and will be removed in the next release; use "
        f"groups={cluster!r} (the column of the groups of a cluster-robust covariance).",
        DeprecationWarning,
        stacklevel=3,
    )
    if groups is not None and groups != cluster:
        raise OptionError(
            f"groups={groups!r} and cluster={cluster!r}: give only groups= (cluster= is its "
            "deprecated name)."
        )
    return cluster


def _survey_weights(weights, data, index, fam: Family, cov_type) -> pd.Series | None:
    """Check survey weights for the fitted rows (see :func:`fit_model`); scale them to mean 1."""
    if weights is None:
        return None
    if not fam.weighted:
        raise OptionError(
            f"weights: supported for logit, probit, fraclogit and poisson, not {fam.name!r}."
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


def _fit(formula, data, y, X, fam: Family, cov_type, groups, level, sw=None) -> ModelResult:
    """Fit the checked design (see :func:`fit_model`)."""
    if fam.is_binary:
        warn_events_per_variable(y, X.shape[1] - 1)
    if fam.separation_check:
        check_separation(X, y)
    if fam.fitter == "firth":
        return _fit_firth(formula, y, X, fam, cov_type, level)
    if fam.is_ordered:
        res, B, S, llnull = _fit_ordered(y, X)
        h = None
    else:
        res, B, S, h, llnull = _fit_glm(y, X, fam, sw)
    params = pd.Series(np.asarray(res.params), index=_param_names(X, fam, y))
    k = len(params)
    n = len(y)
    labels = codes = None
    if cov_type == "cluster":
        labels = data.loc[X.index, groups]
        if labels.isna().any():
            raise DataValueError(f"groups: column {groups!r} has missing values in the sample.")
        codes = pd.factorize(labels)[0]
        if codes.max() + 1 < 2:
            raise DataValueError(f"groups: {groups!r} has a single group; need at least 2.")
    elif cov_type in ("HC2", "HC3") and h is None:
        raise OptionError(
            f"cov_type={cov_type!r} needs leverages, not defined for {fam.name}; use HC0, HC1 "
            "or cluster."
        )
    V = sandwich(B, S, cov_type=cov_type, leverage=h, codes=codes)
    cov = pd.DataFrame(V, index=params.index, columns=params.index)
    llf = float(res.llf)
    return ModelResult(
        formula=formula,
        family=fam.name,
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
        groups=groups,
        n_groups=None if labels is None else int(labels.nunique()),
        synthetic=is_synthetic(data),
        weights=sw,
    )


def _fit_firth(formula, y, X, fam: Family, cov_type, level) -> ModelResult:
    """Firth's penalised logit with its model-based (Wald) covariance."""
    if cov_type != "nonrobust":
        raise OptionError(
            f"family={fam.name!r} supports cov_type='nonrobust' only (Wald covariance "
            "of the penalised fit)."
        )
    params, cov, llf = firth_logit(X, y)
    p = float(y.mean())  # 0 < p < 1: a constant outcome was refused by design()
    llnull = len(y) * (p * np.log(p) + (1 - p) * np.log(1 - p))
    k = len(params)
    return ModelResult(
        formula=formula,
        family=fam.name,
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


def is_synthetic(data: pd.DataFrame) -> bool:
    """Tell whether the data are the synthetic survey (``attrs`` flag or ``synthetic`` column).

    Examples
    --------
    >>> is_synthetic(pd.DataFrame({"x": [1], "synthetic": [1]})), is_synthetic(pd.DataFrame())
    (True, False)
    """
    if data.attrs.get("synthetic"):
        return True
    return "synthetic" in data.columns and bool((data["synthetic"].astype(float) == 1).all())


def _check_outcome(y: pd.Series, fam: Family) -> None:
    if fam.invalid is None:
        return
    v = y.to_numpy()
    wrong = fam.invalid(v)
    if wrong.any():
        i = int(np.flatnonzero(wrong)[0])  # the first offending row, named in the message
        raise DataValueError(
            f"outcome {y.name!r}, row {y.index[i]!r}: expected {fam.expected} for {fam.name}, "
            f"found {v[i]:g}. Choose the family that fits the outcome: logit, probit or firth "
            "for 0/1, fraclogit for shares, poisson or negbin for counts, ologit for ordered "
            "scales."
        )


def _fit_glm(y, X, fam: Family, w=None):
    """GLM fit with the bread, scores and leverages of its sandwich covariances."""
    if fam.glm is None:  # NB2: no fixed GLM family, its alpha is estimated first
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            nb = sm.NegativeBinomial(y, X, loglike_method="nb2").fit(disp=0, maxiter=200)
        alpha = float(nb.params.iloc[-1])
        glm_family = sm.families.NegativeBinomial(alpha=alpha)
    else:
        glm_family = fam.glm()
    # survey weights as frequency weights: the weighted score and Hessian (pseudo-likelihood)
    model = sm.GLM(y, X, family=glm_family, freq_weights=None if w is None else w.to_numpy(float))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = model.fit(maxiter=200, tol=1e-10)
    if not getattr(res, "converged", True):
        raise ModelFitError(
            f"the {fam.name} fit did not converge in 200 iterations; rescale the regressors or "
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


def _param_names(X, fam: Family, y):
    if fam.is_ordered:
        # cutpoints named by the categories they separate: "1/2", not statsmodels' "1.0/2.0"
        levels = [f"{v:g}" for v in np.sort(y.unique())]
        return list(X.columns) + [f"{a}/{b}" for a, b in zip(levels[:-1], levels[1:], strict=True)]
    return list(X.columns)
