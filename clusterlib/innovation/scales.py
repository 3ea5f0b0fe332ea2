"""Reliability of Likert scales: Cronbach's alpha and item-rest correlations.

The scale scores themselves are :mod:`clusterlib.io.scales` (re-exported here).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from clusterlib.errors import DataValueError
from clusterlib.io.scales import reverse_code, scale_items, scale_score

__all__ = ["cronbach_alpha", "item_rest", "reverse_code", "scale_score"]


def cronbach_alpha(
    df: pd.DataFrame, items: Iterable[str] | None = None, *, reverse: Iterable[str] = ()
) -> float:
    r"""Cronbach's alpha of a scale (complete cases).

    .. math:: \alpha = \frac{k}{k-1}\left(1 - \frac{\sum_i \sigma^2_i}{\sigma^2_T}\right)

    with k items, item variances :math:`\sigma^2_i` and the variance of the sum score
    :math:`\sigma^2_T` (sample variances, ddof = 1).

    Returns
    -------
    float
        Reliability; about 0.7 is acceptable and 0.8 good for a short scale.

    References
    ----------
    Cronbach, L. J. (1951). Coefficient alpha and the internal structure of tests.
    *Psychometrika* 16(3), 297-334.
    """
    X = scale_items(df, df.columns if items is None else items)
    rev = [c for c in reverse if c in X.columns]
    X[rev] = reverse_code(X[rev])
    X = X.dropna()
    k = X.shape[1]
    total_var = X.sum(axis=1).var(ddof=1)
    if not np.isfinite(total_var) or total_var == 0:
        raise DataValueError("cronbach_alpha: the sum score has no variance (constant items?).")
    return float(k / (k - 1) * (1 - X.var(axis=0, ddof=1).sum() / total_var))


def item_rest(
    df: pd.DataFrame, items: Iterable[str], *, reverse: Iterable[str] = ()
) -> pd.DataFrame:
    r"""Item-rest correlations and alpha-if-item-deleted of a scale.

    The item-rest correlation of item i is the Pearson correlation of :math:`x_i` with the sum of
    the other items (complete cases).

    Returns
    -------
    pandas.DataFrame
        Per item: ``item_rest`` and ``alpha_if_deleted``.

    References
    ----------
    Nunnally, J. C. & Bernstein, I. H. (1994). *Psychometric Theory*, 3rd ed. McGraw-Hill.
    """
    X = scale_items(df, items)
    rev = [c for c in reverse if c in X.columns]
    X[rev] = reverse_code(X[rev])
    X = X.dropna()
    total = X.sum(axis=1)
    rest = (-X).add(total, axis=0)
    r = X.corrwith(rest)
    if X.shape[1] > 2:
        alpha_del = pd.Series({c: cronbach_alpha(X.drop(columns=c)) for c in X.columns})
    else:
        alpha_del = pd.Series(np.nan, index=X.columns)
    return pd.DataFrame({"item_rest": r, "alpha_if_deleted": alpha_del})
