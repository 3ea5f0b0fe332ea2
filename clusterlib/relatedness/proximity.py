r"""How related two industries are, and how close a region is to an industry it lacks.

Three measures of relatedness between industries, all from where industries locate:

* :func:`proximity` (Hidalgo et al. 2007): the smaller of the two conditional probabilities of
  being specialised in one industry given the other,

  .. math:: \varphi_{ij} = \min\{P(M_{ri}=1 \mid M_{rj}=1),\ P(M_{rj}=1 \mid M_{ri}=1)\}
      = \frac{\sum_r M_{ri} M_{rj}}{\max(k_{i,0}, k_{j,0})};

* :func:`colocation_relatedness` with ``method="correlation"``: the Pearson correlation, across
  regions, of the industries' location quotients (``on="lq"``) or of the regions' shares of each
  industry's employment (``on="share"``), in the spirit of the locational correlation of Delgado,
  Porter & Stern (2016);
* :func:`colocation_relatedness` with ``method="association"``: the association strength of the
  co-occurrence counts :math:`C_{ij} = \sum_r M_{ri} M_{rj}` (van Eck & Waltman 2009), as in the R
  package EconGeo's ``relatedness(method = "association")``: with the diagonal of :math:`C` set to
  0, :math:`S_i = \sum_j C_{ij}` and :math:`T = \sum_{ij} C_{ij}`,

  .. math:: r_{ij} = \frac{C_{ij} / T}{(S_i / T)(S_j / T)} = \frac{C_{ij}\,T}{S_i S_j}.

How they differ. Proximity and association strength see only the binary specialisations, so a region
just above RCA 1 counts as much as one at RCA 10. Proximity is a probability in [0, 1] and is pulled
down for ubiquitous industries by the max in its denominator; association strength is a ratio to the
co-occurrence expected if industries co-located at random given how often each co-occurs with
anything (1 = as expected, above 1 = related), so it corrects for ubiquity instead. The correlation
uses the intensities themselves, so it sees co-location at every level, can be negative
(industries that avoid each other), and is sensitive to a few extreme regions.

:func:`relatedness_density` is the share of an industry's related industries in which the region is
specialised (Hidalgo et al. 2007; Balland et al. 2019):

.. math:: \omega_{ri} = \frac{\sum_j M_{rj}\,\varphi_{ij}}{\sum_j \varphi_{ij}}.

The sum includes :math:`j = i` (:math:`\varphi_{ii} = 1`), as in ``ecomplexity``.

Unknown cells are never zero: co-occurrence counts, conditional probabilities and correlations are
taken over the regions where both cells are known (pairwise complete), and a region's density over
the industries known in it, so on a complete matrix the results are exactly ``ecomplexity``'s.

References
----------
Balland, P.-A., Boschma, R., Crespo, J., & Rigby, D. L. (2019). Smart specialization policy in the
European Union: relatedness, knowledge complexity and regional diversification. *Regional
Studies*, 53(9), 1252-1268.
Delgado, M., Porter, M. E., & Stern, S. (2016). Defining clusters of related industries. *Journal of
Economic Geography*, 16(1), 1-38.
Hidalgo, C. A., Klinger, B., Barabási, A.-L., & Hausmann, R. (2007). The product space conditions
the development of nations. *Science*, 317(5837), 482-487.
van Eck, N. J., & Waltman, L. (2009). How to normalize cooccurrence data? *Journal of the American
Society for Information Science and Technology*, 60(8), 1635-1651.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from clusterlib.errors import DataFormatError, DataValueError
from clusterlib.options import check_option
from clusterlib.relatedness.matrix import Cube, one_blas_thread, to_cube
from clusterlib.relatedness.rca import presence_array, rca_array

__all__ = ["colocation_relatedness", "proximity", "relatedness_density"]

ColocationMethod = Literal["correlation", "association"]
ColocationOn = Literal["lq", "share"]


def _t(a: np.ndarray) -> np.ndarray:
    return a.transpose(0, 2, 1)


def _zero_nan(a: np.ndarray) -> np.ndarray:
    """NaN to 0 for sums over known cells (faster than ``np.nan_to_num``, which also clips infinities)."""
    return np.where(np.isnan(a), 0.0, a)


def proximity_array(M: np.ndarray, complete: bool | None = None) -> np.ndarray:
    """Return proximity as a (t, i, i) array from a float presence array (NaN = unknown).

    ``complete`` (every cell known) may be passed when the caller knows it, saving passes over M.
    """
    if complete is None:
        complete = not np.isnan(M).any()
    known = None if complete else np.isfinite(M)
    Mz = M if complete else np.where(known, M, 0.0)
    both = _t(Mz) @ Mz  # C_ij = sum_r M_ri M_rj
    if complete:  # the regions specialised in j, u_j
        given = np.broadcast_to(Mz.sum(axis=1)[:, None, :], both.shape)
    else:  # regions specialised in j where i is known
        given = _t(known.astype(float)) @ Mz
    with np.errstate(invalid="ignore", divide="ignore"):
        cond = both / given  # P(M_i = 1 | M_j = 1)
    # fmin: if P(i|j) is undefined (no region specialised in j) then P(j|i) = 0 decides.
    return np.fmin(cond, _t(cond))


@one_blas_thread
def proximity(employment: pd.DataFrame, *, threshold: float = 1.0) -> pd.DataFrame:
    r"""Industry-industry proximity :math:`\varphi_{ij}` (Hidalgo et al. 2007).

    .. math:: \varphi_{ij} = \frac{\sum_r M_{ri} M_{rj}}{\max(k_{i,0}, k_{j,0})}

    Parameters
    ----------
    employment : pandas.DataFrame
        Region x industry, (year, region) x industry, or the tidy Eurostat table.
    threshold : float
        RCA threshold of :math:`M` (default 1).

    Returns
    -------
    pandas.DataFrame
        Industry x industry (index (year, industry) for a panel), symmetric, 1 on the diagonal;
        NaN for a pair of industries in which no region is specialised.

    References
    ----------
    Hidalgo et al. (2007), see the module docstring.
    """
    cube = to_cube(employment)
    return cube.square(proximity_array(presence_array(cube, threshold), cube.complete))


def _pairwise_corr(V: np.ndarray) -> np.ndarray:
    """Pearson correlation of the columns of each V[t], over rows where both are finite."""
    K = np.isfinite(V).astype(float)
    A = _zero_nan(V)
    n = _t(K) @ K
    sx = _t(A) @ K  # sum of column i over rows where j is known
    sxx = _t(A * A) @ K
    sxy = _t(A) @ A
    with np.errstate(invalid="ignore", divide="ignore"):
        cov = sxy - sx * _t(sx) / n
        var_x = sxx - sx * sx / n
        r = cov / np.sqrt(var_x * _t(var_x))
    r[(n < 3) | ~(var_x > 1e-12 * (sxx + 1)) | ~(_t(var_x) > 1e-12 * (_t(sxx) + 1))] = np.nan
    return np.clip(r, -1.0, 1.0)


def colocation_array(
    cube: Cube, method: str = "correlation", on: str = "lq", threshold: float = 1.0
) -> np.ndarray:
    """Return co-location relatedness as a (t, i, i) array (see :func:`colocation_relatedness`)."""
    if method == "association":
        Mz = _zero_nan(presence_array(cube, threshold))
        C = _t(Mz) @ Mz
        idx = np.arange(C.shape[-1])
        C[:, idx, idx] = 0.0
        S = C.sum(axis=2)
        T = S.sum(axis=1)[:, None, None]
        with np.errstate(invalid="ignore", divide="ignore"):
            out = C * T / (S[:, :, None] * S[:, None, :])
        out[:, idx, idx] = 0.0
        return out
    if on == "lq":
        V = rca_array(cube)
    else:
        X = cube.values
        with np.errstate(invalid="ignore", divide="ignore"):
            V = X / np.nansum(X, axis=1, keepdims=True)
    return _pairwise_corr(V)


@one_blas_thread
def colocation_relatedness(
    employment: pd.DataFrame,
    *,
    method: ColocationMethod = "correlation",
    on: ColocationOn = "lq",
    threshold: float = 1.0,
) -> pd.DataFrame:
    r"""Co-location relatedness of every pair of industries (see the module docstring).

    Parameters
    ----------
    employment : pandas.DataFrame
        Region x industry, (year, region) x industry, or the tidy Eurostat table.
    method : {"correlation", "association"}
        ``"correlation"``: Pearson correlation across regions, over the regions where both cells
        are known (Delgado, Porter & Stern 2016). ``"association"``: association strength of the
        co-occurrence of specialisations, :math:`r_{ij} = C_{ij} T / (S_i S_j)`, diagonal 0
        (van Eck & Waltman 2009; EconGeo's ``relatedness``).
    on : {"lq", "share"}
        For ``"correlation"``: correlate location quotients (RCA, the default) or each region's
        share of the industry's employment :math:`x_{ri} / x_{\cdot i}`.
    threshold : float
        RCA threshold of the specialisation matrix, for ``"association"``.

    Returns
    -------
    pandas.DataFrame
        Industry x industry (index (year, industry) for a panel), symmetric. NaN where the
        correlation is undefined (fewer than 3 common regions, or a constant column).
    """
    check_option("method", method, ColocationMethod)
    check_option("on", on, ColocationOn)
    cube = to_cube(employment)
    return cube.square(colocation_array(cube, method, on, threshold))


def density_array(M: np.ndarray, phi: np.ndarray, complete: bool | None = None) -> np.ndarray:
    """Return relatedness density as a (t, r, i) array from presence and relatedness arrays."""
    if complete is None:
        complete = not np.isnan(M).any()
    phi = _zero_nan(phi)
    with np.errstate(invalid="ignore", divide="ignore"):
        if complete:  # the denominator is the row sum of phi
            return (M @ _t(phi)) / phi.sum(axis=2)[:, None, :]
        known = np.isfinite(M)
        return (np.where(known, M, 0.0) @ _t(phi)) / (known.astype(float) @ _t(phi))


@one_blas_thread
def relatedness_density(
    employment: pd.DataFrame,
    *,
    relatedness: pd.DataFrame | None = None,
    threshold: float = 1.0,
) -> pd.DataFrame:
    r"""Relatedness density of every region in every industry (and year).

    .. math:: \omega_{ri} = \frac{\sum_j M_{rj}\,\varphi_{ij}}{\sum_j \varphi_{ij}}

    the share (0 to 1) of industry i's relatedness that falls on industries the region is
    specialised in: how close the region is to entering i (Hidalgo et al. 2007; Balland et al.
    2019). The sums run over the industries known in the region.

    Parameters
    ----------
    employment : pandas.DataFrame
        Region x industry, (year, region) x industry, or the tidy Eurostat table.
    relatedness : pandas.DataFrame, optional
        An industry x industry matrix of non-negative weights to use instead of the proximity of
        the same data (for example association strength, or proximity from another year); applied
        to every year. Its industries must match the data's.
    threshold : float
        RCA threshold of :math:`M` (default 1).

    Returns
    -------
    pandas.DataFrame
        Density in the input's layout (0 to 1).

    Raises
    ------
    DataFormatError
        ``relatedness`` does not cover the data's industries.
    DataValueError
        ``relatedness`` has negative or infinite weights.

    References
    ----------
    Hidalgo et al. (2007); Balland et al. (2019), see the module docstring.
    """
    cube = to_cube(employment)
    M = presence_array(cube, threshold)
    if relatedness is None:
        phi = proximity_array(M, cube.complete)
    else:
        missing = cube.industries.difference(relatedness.index).union(
            cube.industries.difference(relatedness.columns)
        )
        if len(missing):
            raise DataFormatError(
                f"relatedness: no row or column for industr{'y' if len(missing) == 1 else 'ies'} "
                f"{list(missing)[:8]}; give an industry x industry matrix covering the data."
            )
        W = relatedness.loc[cube.industries, cube.industries].to_numpy(float)
        if (W < 0).any() or np.isinf(W).any():
            raise DataValueError(
                "relatedness: weights must be non-negative and finite (a correlation can be "
                "negative: pass proximity or association strength, or clip it at 0)."
            )
        phi = np.broadcast_to(W, (M.shape[0], *W.shape))
    return cube.frame(density_array(M, phi))
