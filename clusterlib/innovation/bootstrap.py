"""Seeded bootstrap confidence intervals for average marginal effects."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from clusterlib.errors import ClusterlibError
from clusterlib.innovation.families import LOGIT, family_of
from clusterlib.innovation.margins import average_marginal_effects, discrete_groups
from clusterlib.innovation.model import deprecated_cluster, fit_model


def bootstrap_ame(
    formula: str,
    data: pd.DataFrame,
    *,
    family: str = "logit",
    n_boot: int = 200,
    seed: int = 0,
    groups: str | None = None,
    level: float = 0.95,
    cluster: str | None = None,
) -> pd.DataFrame:
    r"""Percentile bootstrap confidence intervals of the average marginal effects.

    Firms (or, with ``groups``, whole groups of firms such as regions) are resampled with replacement ``n_boot`` times
    with :func:`numpy.random.default_rng(seed)`; the model is refitted and its AMEs recomputed on
    each resample. Resamples on which the model cannot be fitted (e.g. separation in a small
    sample) are skipped and counted. ``cluster`` is the deprecated name of ``groups``
    (a ``DeprecationWarning``; removed in the next release).

    Returns
    -------
    pandas.DataFrame
        Per regressor: ``estimate`` (full sample), ``boot_se`` (s.d. of the bootstrap AMEs),
        ``ci_low``, ``ci_high`` (percentiles) and ``n_ok`` (resamples used). Same seed, same result.

    References
    ----------
    Efron, B. & Tibshirani, R. J. (1993). *An Introduction to the Bootstrap*. Chapman & Hall.
    """
    groups = deprecated_cluster(groups, cluster, "bootstrap_ame")
    model = fit_model(formula, data, family=family, cov_type="nonrobust")
    full = average_marginal_effects(model)
    rng = np.random.default_rng(seed)
    units = data[groups].to_numpy() if groups else np.arange(len(data))
    labels, codes = np.unique(units, return_inverse=True)
    members = [np.flatnonzero(codes == k) for k in range(len(labels))]
    picks = [
        np.concatenate([members[k] for k in rng.integers(0, len(labels), len(labels))])
        for _ in range(n_boot)
    ]
    # the vectorised Newton route is the plain logit's (same resamples skipped as by fit_model)
    if family_of(family) is LOGIT and len({len(p) for p in picks}) == 1:
        boot = _logit_boot(model, picks)
    else:
        boot = _refit_boot(formula, data, family, picks)
    a = (1 - level) / 2
    return pd.DataFrame(
        {
            "estimate": full["estimate"],
            "boot_se": boot.std(axis=1, ddof=1),
            "ci_low": boot.quantile(a, axis=1),
            "ci_high": boot.quantile(1 - a, axis=1),
            "n_ok": boot.notna().sum(axis=1),
        }
    )


def _logit_boot(model, picks: list[np.ndarray], *, tol: float = 1e-10, max_iter: int = 50):
    """AMEs of a logit on every resample at once: Newton-Raphson vectorised over the resamples.

    The design matrix is the full sample's, gathered per resample (so the columns are those of
    the full fit). A resample is skipped, as in the refitting route, when its design is rank
    deficient, when the outcome has no variation, or when Newton does not converge (separation
    drives the coefficients off to infinity): the same resamples that ``fit_model`` refuses.
    """
    X = model.exog.to_numpy(float)
    y = model.endog.to_numpy(float)
    rows = np.stack(picks)  # B x n (every resample has n rows when units are firms)
    Xb, yb = X[rows], y[rows]
    B, n, k = Xb.shape
    beta = np.tile(model.params.to_numpy(), (B, 1))
    ok = (yb.min(axis=1) < yb.max(axis=1)) & (np.linalg.matrix_rank(Xb) == k)
    done = np.zeros(B, bool)
    for _ in range(max_iter):
        eta = np.einsum("bnk,bk->bn", Xb, beta)
        with np.errstate(over="ignore"):
            mu = 1 / (1 + np.exp(-eta))
        w = mu * (1 - mu)
        grad = np.einsum("bnk,bn->bk", Xb, yb - mu)
        H = np.einsum("bnk,bn,bnj->bkj", Xb, w, Xb)
        with np.errstate(all="ignore"):
            singular = ~np.isfinite(H).all(axis=(1, 2)) | (np.linalg.cond(H) > 1e14)
        ok &= ~singular  # separation: the weights vanish as coefficients run off
        H[~ok] = np.eye(k)
        grad[~ok] = 0
        step = np.linalg.solve(H, grad[..., None])[..., 0]
        beta = np.where(ok[:, None], beta + step, beta)
        done = np.abs(step).max(axis=1) < tol
        if done[ok].all():
            break
    ok &= done & (np.abs(beta).max(axis=1) < 30)
    eta = np.einsum("bnk,bk->bn", Xb, beta)
    with np.errstate(over="ignore"):
        mu = 1 / (1 + np.exp(-eta))
    d1 = (mu * (1 - mu)).mean(axis=1)
    columns = list(model.exog.columns)
    names = [c for c in columns if c != "Intercept"]
    cols = [columns.index(c) for c in names]
    ame = beta[:, cols] * d1[:, None]
    # 0/1 regressors and factor levels: the discrete change, as average_marginal_effects
    discrete = {c: g for g in discrete_groups(model.exog).values() for c in g}
    for r, c in enumerate(names):
        if c in discrete:
            group = [columns.index(g) for g in discrete[c]]
            X1 = Xb.copy()
            X1[:, :, group] = 0.0
            X0 = X1.copy()
            X1[:, :, columns.index(c)] = 1.0
            with np.errstate(over="ignore"):
                p1 = 1 / (1 + np.exp(-np.einsum("bnk,bk->bn", X1, beta)))
                p0 = 1 / (1 + np.exp(-np.einsum("bnk,bk->bn", X0, beta)))
            ame[:, r] = (p1 - p0).mean(axis=1)
    return pd.DataFrame(ame[ok].T, index=names)


def _refit_boot(formula, data, family, picks):
    draws = []
    for rows in picks:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                m = fit_model(formula, data.iloc[rows], family=family, cov_type="nonrobust")
            draws.append(average_marginal_effects(m)["estimate"])
        except (ClusterlibError, np.linalg.LinAlgError, ValueError):
            continue
    if not draws:
        raise ClusterlibError("bootstrap_ame: no resample could be fitted; use family='firth'.")
    return pd.concat(draws, axis=1)
