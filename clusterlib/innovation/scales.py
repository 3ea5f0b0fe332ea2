"""Likert scale scores and reliability (Cronbach's alpha, item-rest correlations)."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from clusterlib.errors import DataValueError


def _items(df: pd.DataFrame, items: Iterable[str]) -> pd.DataFrame:
    items = list(items)
    missing = [c for c in items if c not in df.columns]
    if missing:
        raise DataValueError(
            f"items {missing} are not columns of the data; found {list(df.columns)[:10]}..."
        )
    if len(items) < 2:
        raise DataValueError(f"a scale needs at least two items, got {items}.")
    return df[items].astype(float)


def reverse_code(values: pd.DataFrame | pd.Series, *, low: int = 1, high: int = 5):
    r"""Reverse-code Likert values: :math:`x' = \text{low} + \text{high} - x`."""
    return low + high - values


def scale_score(
    df: pd.DataFrame,
    items: Iterable[str],
    *,
    reverse: Iterable[str] = (),
    low: int = 1,
    high: int = 5,
    min_items: int | None = None,
) -> pd.Series:
    r"""Scale score of every respondent: the mean of its items after reverse-coding.

    .. math:: S_j = \frac{1}{|I_j|} \sum_{i \in I_j} x'_{ij}, \quad x' = x \text{ or } low + high - x

    Parameters
    ----------
    df : pandas.DataFrame
        Respondents x items.
    items : iterable of str
        The scale's items.
    reverse : iterable of str
        Items to reverse-code first.
    low, high : int
        Response range (1-5).
    min_items : int, optional
        Minimum number of answered items for a score (default: all); fewer gives NaN.

    Returns
    -------
    pandas.Series
        The scale score, NaN where too few items were answered.

    References
    ----------
    Likert, R. (1932). A technique for the measurement of attitudes. *Archives of Psychology* 140.
    """
    X = _items(df, items)
    rev = [c for c in reverse if c in X.columns]
    X[rev] = reverse_code(X[rev], low=low, high=high)
    need = X.shape[1] if min_items is None else min_items
    return X.mean(axis=1).where(X.notna().sum(axis=1) >= need)


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
    X = _items(df, df.columns if items is None else items)
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
    X = _items(df, items)
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
