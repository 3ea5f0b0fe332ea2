"""Likert scale scores of survey respondents (the mean of a scale's items, reverse-coded first).

Shared by the innovation models and the segmentation features, so it sits in the data layer;
the scales' reliability (Cronbach's alpha) is :mod:`clusterlib.innovation.scales`.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from clusterlib.errors import DataValueError


def scale_items(df: pd.DataFrame, items: Iterable[str]) -> pd.DataFrame:
    """Return the items of a scale as floats, checking they are columns and at least two.

    Raises
    ------
    DataValueError
        An item that is not a column; fewer than two items.
    """
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
    r"""Reverse-code Likert values: :math:`x' = \text{low} + \text{high} - x`.

    Examples
    --------
    >>> reverse_code(pd.Series([1, 2, 5])).tolist()
    [5, 4, 1]
    """
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

    Examples
    --------
    Item ``b`` is reverse-coded first (1-5: 2 -> 4, 4 -> 2):

    >>> df = pd.DataFrame({"a": [1, 5], "b": [2, 4]})
    >>> scale_score(df, ["a", "b"], reverse=["b"]).tolist()
    [2.5, 3.5]

    References
    ----------
    Likert, R. (1932). A technique for the measurement of attitudes. *Archives of Psychology* 140.
    """
    X = scale_items(df, items)
    rev = [c for c in reverse if c in X.columns]
    X[rev] = reverse_code(X[rev], low=low, high=high)
    need = X.shape[1] if min_items is None else min_items
    return X.mean(axis=1).where(X.notna().sum(axis=1) >= need)
