r"""Weighted shares and means with design-based confidence intervals, honest in small cells.

For a 0/1 item y with weights w (all 1 when unweighted), the share and its linearised
(design-based, with-replacement) variance are

.. math:: \hat p = \frac{\sum_i w_i y_i}{\sum_i w_i}, \qquad
    \widehat{\operatorname{Var}}(\hat p) = \frac{n}{n-1}
    \frac{\sum_i w_i^2 (y_i - \hat p)^2}{(\sum_i w_i)^2},

as R's ``survey::svymean`` on ``svydesign(ids = ~1, weights = ~w)`` (Lumley 2010), with the
normal interval. A group (``by``) is a domain of the whole sample: its sums run over the group and
:math:`n` is the whole sample's, as ``survey::svyby`` does (the group's size is itself random) :math:`\hat p \pm z\, \mathrm{SE}`. This ignores any variance reduction from the
calibration itself, so it is conservative after raking.

Small cells: when :math:`n_{\mathrm{eff}} \hat p < 5` or :math:`n_{\mathrm{eff}} (1-\hat p) < 5`,
the normal interval undercovers and can leave [0, 1]. Then

* weighted: the Korn–Graubard interval, Clopper–Pearson with the effective sample size
  :math:`n^* = \hat p(1-\hat p)/\widehat{\operatorname{Var}}(\hat p)` (Korn & Graubard 1998;
  ``survey::svyciprop(method = "beta")``);
* unweighted: the exact Clopper–Pearson interval (Clopper & Pearson 1934).

``interval="wilson"`` gives Wilson's score interval with :math:`n_{\mathrm{eff}}` instead (Wilson
1927). A share of exactly 0 or 1 has no linearised variance; its interval is Clopper–Pearson with
Kish's :math:`n_{\mathrm{eff}}`.

Means of other variables (e.g. export share) use the same linearised variance and a normal
interval.

References
----------
Clopper, C. J., & Pearson, E. S. (1934). The use of confidence or fiducial limits illustrated in
the case of the binomial. *Biometrika*, 26(4), 404-413.
Korn, E. L., & Graubard, B. I. (1998). Confidence intervals for proportions with small expected
number of positive counts estimated from survey data. *Survey Methodology*, 24, 193-201.
Lumley, T. (2010). *Complex Surveys*. Wiley.
Wilson, E. B. (1927). Probable inference, the law of succession, and statistical inference.
*JASA*, 22(158), 209-212.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd
from scipy import stats

from clusterlib.errors import DataValueError
from clusterlib.options import check_option

__all__ = ["weighted_table"]

Interval = Literal["auto", "linearised", "korn-graubard", "clopper-pearson", "wilson"]


def _cp(x, n, alpha):
    """Clopper-Pearson limits for x successes in n (both may be fractional, as in Korn-Graubard)."""
    with np.errstate(invalid="ignore"):
        low = np.where(x > 0, stats.beta.ppf(alpha / 2, x, n - x + 1), 0.0)
        high = np.where(x < n, stats.beta.ppf(1 - alpha / 2, x + 1, n - x), 1.0)
    return low, high


def _wilson(p, n, z):
    centre = (p + z**2 / (2 * n)) / (1 + z**2 / n)
    half = z * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / (1 + z**2 / n)
    return centre - half, centre + half


def wilson_interval(successes: float, n: int, *, level: float = 0.95) -> tuple[float, float]:
    r"""Wilson score interval of a proportion (NaN for no observations).

    .. math:: \frac{\hat p + z^2/2n \pm z\sqrt{\hat p(1-\hat p)/n + z^2/4n^2}}{1 + z^2/n}

    References
    ----------
    Wilson, E. B. (1927). Probable inference, the law of succession, and statistical inference.
    *JASA* 22(158), 209-212.

    Examples
    --------
    >>> [round(x, 4) for x in wilson_interval(5, 10)]
    [0.2366, 0.7634]
    """
    if n <= 0:
        return float("nan"), float("nan")
    low, high = _wilson(successes / n, n, stats.norm.ppf(0.5 + level / 2))
    return float(low), float(high)


def _one(y, w, binary, weighted, interval, z, n_all):
    keep = np.isfinite(y)
    y, w = y[keep], w[keep]
    n = len(y)
    if n == 0:
        return dict(n=0, n_eff=0.0, estimate=np.nan, se=np.nan, ci_low=np.nan, ci_high=np.nan,
                    interval="no answers")  # fmt: skip
    W = w.sum()
    p = float((w * y).sum() / W)
    n_eff = float(W**2 / (w**2).sum())
    # a group is a domain of the whole sample: the with-replacement factor uses the sample's n
    var = n_all / (n_all - 1) * float((w**2 * (y - p) ** 2).sum()) / W**2 if n_all > 1 else np.nan
    se = float(np.sqrt(var)) if n_all > 1 else np.nan
    alpha = 2 * stats.norm.sf(z)
    if not binary:
        return dict(n=n, n_eff=n_eff, estimate=p, se=se, ci_low=p - z * se, ci_high=p + z * se,
                    interval="linearised (mean)")  # fmt: skip
    method = interval
    if method == "auto":
        small = min(n_eff * p, n_eff * (1 - p)) < 5
        method = ("korn-graubard" if weighted else "clopper-pearson") if small else "linearised"
    if method == "linearised" and p not in (0.0, 1.0):
        lo, hi = p - z * se, p + z * se
    elif method == "wilson":
        lo, hi = _wilson(p, n_eff, z)
    elif method == "korn-graubard" and p not in (0.0, 1.0):
        ns = p * (1 - p) / var
        lo, hi = _cp(ns * p, ns, alpha)
    else:  # Clopper-Pearson: unweighted, or a share of 0 or 1 (Kish's n_eff)
        method = "clopper-pearson"
        lo, hi = _cp(p * n_eff, n_eff, alpha)
    return dict(n=n, n_eff=n_eff, estimate=p, se=se, ci_low=float(lo), ci_high=float(hi),
                interval=method)  # fmt: skip


def weighted_table(
    survey: pd.DataFrame,
    columns: list[str],
    *,
    by: str | None = None,
    weights: pd.Series | str | None = None,
    interval: Interval = "auto",
    level: float = 0.95,
) -> pd.DataFrame:
    r"""Weighted shares (0/1 items) and means, overall or by group, with confidence intervals.

    See the module docstring for the estimator, the linearised variance and the small-cell
    intervals.

    Parameters
    ----------
    survey : pandas.DataFrame
    columns : list of str
        0/1 items (shares) or numeric variables (means). Missing answers are left out of each
        item's own base.
    by : str, optional
        A grouping column (e.g. ``size_class``, ``segment``).
    weights : pandas.Series or str, optional
        Survey weights (:func:`~clusterlib.innovation.weights.survey_weights`) or a column name;
        default unweighted.
    interval : {"auto", "linearised", "korn-graubard", "clopper-pearson", "wilson"}
        ``"auto"``: linearised, switching to Korn–Graubard (weighted) or Clopper–Pearson
        (unweighted) when a cell has fewer than 5 expected firms with or without the trait.
    level : float
        Confidence level.

    Returns
    -------
    pandas.DataFrame
        Index (group, variable) or variable: ``n`` (answers), ``n_eff``, ``estimate``, ``se``,
        ``ci_low``, ``ci_high``, ``interval`` (the method used in that cell).

    Raises
    ------
    DataValueError
        A column the survey lacks; weights that are missing, zero or negative.
    """
    check_option("interval", interval, Interval)
    missing = [c for c in [*columns, *([by] if by else [])] if c not in survey.columns]
    if missing:
        raise DataValueError(f"weighted_table: the survey has no column(s) {missing}.")
    if weights is None:
        w = np.ones(len(survey))
    else:
        ws = survey[weights] if isinstance(weights, str) else weights.reindex(survey.index)
        w = pd.to_numeric(ws, errors="coerce").to_numpy(float)
        bad = ~(w > 0) | ~np.isfinite(w)
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise DataValueError(
                f"weighted_table: row {i + 1}: expected a positive weight, found {_shown(ws.iloc[i])}."
            )
    z = stats.norm.ppf(0.5 + level / 2)
    if by is None:
        groups = [(None, np.ones(len(survey), bool))]
    else:  # a categorical's own order (e.g. size classes), else sorted
        col = survey[by]
        present = set(col.dropna().unique())
        order = ([c for c in col.cat.categories if c in present]
                 if isinstance(col.dtype, pd.CategoricalDtype) else sorted(present))  # fmt: skip
        groups = [(g, (col == g).to_numpy()) for g in order]
    rows, keys = [], []
    for g, mask in groups:
        for c in columns:
            y_all = pd.to_numeric(survey[c], errors="coerce").to_numpy(float)
            y = y_all[mask]
            binary = bool(np.isin(y[np.isfinite(y)], [0.0, 1.0]).all())
            n_all = int(np.isfinite(y_all).sum())
            rows.append(_one(y, w[mask], binary, weights is not None, interval, z, n_all))
            keys.append(c if by is None else (g, c))
    index = (pd.Index(keys, name="variable") if by is None
             else pd.MultiIndex.from_tuples(keys, names=[by, "variable"]))  # fmt: skip
    return pd.DataFrame(rows, index=index)


def _shown(value) -> str:
    """Show a cell as the user typed it: 0.0, not numpy's np.float64(0.0)."""
    return repr(value.item() if isinstance(value, np.generic) else value)
