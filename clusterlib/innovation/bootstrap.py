"""Seeded bootstrap confidence intervals for average marginal effects."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from clusterlib.errors import ClusterlibError
from clusterlib.innovation.models import average_marginal_effects, fit_model


def bootstrap_ame(
    formula: str,
    data: pd.DataFrame,
    *,
    family: str = "logit",
    n_boot: int = 200,
    seed: int = 0,
    cluster: str | None = None,
    level: float = 0.95,
) -> pd.DataFrame:
    r"""Percentile bootstrap confidence intervals of the average marginal effects.

    Firms (or, with ``cluster``, whole clusters) are resampled with replacement ``n_boot`` times
    with :func:`numpy.random.default_rng(seed)`; the model is refitted and its AMEs recomputed on
    each resample. Resamples on which the model cannot be fitted (e.g. separation in a small
    sample) are skipped and counted.

    Returns
    -------
    pandas.DataFrame
        Per regressor: ``estimate`` (full sample), ``boot_se`` (s.d. of the bootstrap AMEs),
        ``ci_low``, ``ci_high`` (percentiles) and ``n_ok`` (resamples used). Same seed, same result.

    References
    ----------
    Efron, B. & Tibshirani, R. J. (1993). *An Introduction to the Bootstrap*. Chapman & Hall.
    """
    full = average_marginal_effects(fit_model(formula, data, family=family, cov_type="nonrobust"))
    rng = np.random.default_rng(seed)
    units = data[cluster].to_numpy() if cluster else np.arange(len(data))
    labels, codes = np.unique(units, return_inverse=True)
    members = [np.flatnonzero(codes == k) for k in range(len(labels))]
    draws = []
    for _ in range(n_boot):
        pick = rng.integers(0, len(labels), len(labels))
        rows = np.concatenate([members[k] for k in pick])
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                m = fit_model(formula, data.iloc[rows], family=family, cov_type="nonrobust")
            draws.append(average_marginal_effects(m)["estimate"])
        except (ClusterlibError, np.linalg.LinAlgError, ValueError):
            continue
    if not draws:
        raise ClusterlibError("bootstrap_ame: no resample could be fitted; use family='firth'.")
    boot = pd.concat(draws, axis=1)
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
