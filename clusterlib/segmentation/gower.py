"""Gower distance for mixed numeric, binary and categorical data."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from clusterlib.errors import DataValueError


def gower_distance(
    data: pd.DataFrame,
    *,
    categorical: Iterable[str] | None = None,
    weights: pd.Series | None = None,
) -> np.ndarray:
    r"""Gower distance between every pair of rows.

    .. math::

        d_{ij} = \frac{\sum_f w_f \delta_{ijf} d_{ijf}}{\sum_f w_f \delta_{ijf}}, \quad
        d_{ijf} = \begin{cases} |x_{if} - x_{jf}| / R_f & \text{numeric} \\
                                1[x_{if} \ne x_{jf}] & \text{categorical or binary} \end{cases}

    with :math:`R_f` the range of feature f and :math:`\delta_{ijf} = 0` when either value is
    missing (the pair is compared on the features both have). A numeric feature with zero range
    contributes 0.

    Parameters
    ----------
    data : pandas.DataFrame
        Firms x features.
    categorical : iterable of str, optional
        Columns compared by equality. Default: non-numeric columns (binaries coded 0/1 give the
        same distance either way).
    weights : pandas.Series, optional
        Feature weights :math:`w_f` (default 1).

    Returns
    -------
    numpy.ndarray
        Symmetric n x n matrix in [0, 1] with zero diagonal; NaN for a pair with no feature in
        common.

    Notes
    -----
    Written here because the ``gower`` PyPI package has known bugs (wrong ranges with missing
    values, categorical detection by dtype only). Memory is :math:`O(n^2)`; fine for survey sizes.

    References
    ----------
    Gower, J. C. (1971). A general coefficient of similarity and some of its properties.
    *Biometrics* 27(4), 857-871.
    """
    if data.empty:
        raise DataValueError("gower_distance: no rows.")
    cats = (
        set(categorical)
        if categorical is not None
        else {c for c in data.columns if not pd.api.types.is_numeric_dtype(data[c])}
    )
    unknown = cats - set(data.columns)
    if unknown:
        raise DataValueError(f"categorical: {sorted(unknown)} are not columns of the data.")
    w = pd.Series(1.0, index=data.columns) if weights is None else weights.reindex(data.columns)
    if w.isna().any() or (w < 0).any():
        raise DataValueError("weights: need a non-negative weight for every column.")
    n = len(data)
    num = np.zeros((n, n))
    den = np.zeros((n, n))
    for col in data.columns:
        x = data[col]
        present = x.notna().to_numpy()
        both = present[:, None] & present[None, :]
        if col in cats:
            codes = pd.factorize(x)[0]
            d = (codes[:, None] != codes[None, :]).astype(float)
        else:
            v = x.to_numpy(float)
            r = np.nanmax(v) - np.nanmin(v)
            d = np.abs(v[:, None] - v[None, :]) / r if r > 0 else np.zeros((n, n))
        num += w[col] * np.where(both, d, 0.0)
        den += w[col] * both
    with np.errstate(invalid="ignore", divide="ignore"):
        out = num / den
    out[den == 0] = np.nan
    np.fill_diagonal(out, 0.0)
    return out
