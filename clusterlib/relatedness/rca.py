r"""Revealed comparative advantage, the specialisation matrix, diversity and ubiquity.

Balassa's RCA is the location quotient against all regions in the matrix,

.. math:: \mathrm{RCA}_{ri} = \frac{x_{ri} / x_{r\cdot}}{x_{\cdot i} / x_{\cdot\cdot}},

and the specialisation (presence) matrix is :math:`M_{ri} = 1[\mathrm{RCA}_{ri} \ge 1]`
(Balassa 1965; Hidalgo et al. 2007). Diversity :math:`k_{r,0} = \sum_i M_{ri}` counts a region's
specialisations, ubiquity :math:`k_{i,0} = \sum_r M_{ri}` the regions specialised in an industry.

An RCA within a relative :data:`TIE` (1e-12) below the threshold counts as at it: an exact 1 can
come out of the divisions as 0.9999999999999998. Unknown cells (NaN after the confidential-cell policy) are never zero: their RCA and M are NaN, and
the totals are sums over the known cells, so on a complete matrix the results are exactly those of
Harvard's ``ecomplexity`` package. Diversity and ubiquity count known specialisations only.

Each function takes any layout of :mod:`clusterlib.relatedness.matrix` and returns the same one.

References
----------
Balassa, B. (1965). Trade liberalisation and revealed comparative advantage. *The Manchester
School*, 33(2), 99-123.
Hidalgo, C. A., Klinger, B., Barabási, A.-L., & Hausmann, R. (2007). The product space conditions
the development of nations. *Science*, 317(5837), 482-487.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from clusterlib.errors import OptionError
from clusterlib.relatedness.matrix import Cube, one_blas_thread, to_cube

__all__ = ["diversity", "presence", "rca", "ubiquity"]

#: Relative tolerance of the threshold: RCA computed as 1 - 1e-15 for an exact 1 counts as 1.
TIE = 1e-12


def rca_array(cube: Cube) -> np.ndarray:
    """Return RCA as a (t, r, i) array (NaN where unknown or absent)."""
    X = cube.values
    Xz = X if cube.complete else np.where(cube.known, X, 0.0)
    region = Xz.sum(axis=2, keepdims=True)
    industry = Xz.sum(axis=1, keepdims=True)
    total = region.sum(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        return X * (total / region) * (1.0 / industry)  # small factors first: one pass less


def presence_array(cube: Cube, threshold: float = 1.0, R: np.ndarray | None = None) -> np.ndarray:
    """Return M as a float (t, r, i) array: 1, 0, or NaN where unknown or absent."""
    _check_threshold(threshold)
    R = rca_array(cube) if R is None else R
    # A tie within floating-point error (e.g. RCA 0.9999999999999998 for an exact 1) is a tie.
    M = np.empty_like(R)
    np.greater_equal(R, threshold * (1 - TIE), out=M, casting="unsafe")  # 1.0 / 0.0, one pass
    return M if cube.complete else np.where(np.isfinite(R), M, np.nan)


def _check_threshold(threshold: float) -> None:
    if not (isinstance(threshold, int | float) and np.isfinite(threshold) and threshold > 0):
        raise OptionError(
            f"threshold: expected a positive number (RCA >= threshold), got {threshold!r}."
        )


@one_blas_thread
def rca(employment: pd.DataFrame) -> pd.DataFrame:
    r"""Revealed comparative advantage of every region in every industry (and year).

    .. math:: \mathrm{RCA}_{ri} = \frac{x_{ri} / x_{r\cdot}}{x_{\cdot i} / x_{\cdot\cdot}}

    Parameters
    ----------
    employment : pandas.DataFrame
        Region x industry (one year), (year, region) x industry, or the tidy Eurostat table.

    Returns
    -------
    pandas.DataFrame
        RCA in the input's layout; NaN where the cell is unknown.

    References
    ----------
    Balassa (1965); Hidalgo et al. (2007), see the module docstring.

    Examples
    --------
    >>> import pandas as pd
    >>> x = pd.DataFrame({"a": [2.0, 1.0], "b": [2.0, 5.0]}, index=["r1", "r2"])
    >>> rca(x).round(3)
    industry      a      b
    region
    r1        1.667  0.714
    r2        0.556  1.190
    """
    cube = to_cube(employment)
    return cube.frame(rca_array(cube))


@one_blas_thread
def presence(employment: pd.DataFrame, *, threshold: float = 1.0) -> pd.DataFrame:
    r"""Return the specialisation matrix :math:`M_{ri} = 1[\mathrm{RCA}_{ri} \ge \text{threshold}]`.

    Parameters
    ----------
    employment : pandas.DataFrame
        Any layout accepted by :func:`rca`.
    threshold : float
        Default 1 (the region's share of the industry is at least its share of all employment).

    Returns
    -------
    pandas.DataFrame
        1.0 or 0.0, NaN where the cell is unknown (float so that NaN can stay NaN).
    """
    cube = to_cube(employment)
    return cube.frame(presence_array(cube, threshold))


@one_blas_thread
def diversity(employment: pd.DataFrame, *, threshold: float = 1.0) -> pd.Series:
    r"""Diversity :math:`k_{r,0} = \sum_i M_{ri}`: how many industries a region is specialised in.

    Returns
    -------
    pandas.Series
        By region (and year); a count over the known cells.
    """
    cube = to_cube(employment)
    return cube.region_series(np.nansum(presence_array(cube, threshold), axis=2), "diversity")


@one_blas_thread
def ubiquity(employment: pd.DataFrame, *, threshold: float = 1.0) -> pd.Series:
    r"""Ubiquity :math:`k_{i,0} = \sum_r M_{ri}`: how many regions are specialised in an industry.

    Returns
    -------
    pandas.Series
        By industry (and year); a count over the known cells.
    """
    cube = to_cube(employment)
    return cube.industry_series(np.nansum(presence_array(cube, threshold), axis=1), "ubiquity")
