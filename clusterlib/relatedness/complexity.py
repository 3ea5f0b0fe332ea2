r"""Economic complexity of regions (ECI) and of industries (PCI), by the eigenvector method.

With :math:`M` the specialisation matrix, :math:`k_{r,0}` diversity and :math:`k_{i,0}` ubiquity
(:mod:`clusterlib.relatedness.rca`), the industry-industry matrix

.. math:: \tilde M_{ii'} = \sum_r \frac{M_{ri} M_{ri'}}{k_{i,0}\, k_{r,0}}

is a Markov matrix. Its eigenvector :math:`K` of the second largest eigenvalue is the industries'
complexity; a region's is the mean over its specialisations, :math:`k_r = \sum_i M_{ri} K_i /
k_{r,0}` (Hausmann, Hidalgo et al. 2014). This is the limit of the method of reflections
(Hidalgo & Hausmann 2009), which iterates :math:`k_{r,N} = \sum_i M_{ri} k_{i,N-1} / k_{r,0}` and
:math:`k_{i,N} = \sum_r M_{ri} k_{r,N-1} / k_{i,0}`.

Conventions (those of Harvard's ``ecomplexity`` and its Stata original):

* **sign**: ECI correlates positively with diversity;
* **scale**: :math:`\mathrm{ECI} = (k_r - \bar k) / s_k` with the population standard deviation,
  and :math:`\mathrm{PCI} = (K_i - \bar k) / s_k` with the *regions'* mean and standard deviation,
  so that a region's ECI stays the mean PCI of its specialisations.

The eigenproblem is solved in its symmetric form :math:`U^{-1/2} M' D^{-1} M U^{-1/2}`
(:math:`U`, :math:`D` the diagonal ubiquity and diversity matrices), which has the same
eigenvalues and real eigenvectors.

Edge cases, each with a stated result:

* a region with no specialisation (diversity 0) has no ECI (NaN, with a warning); the others are
  computed without it; likewise an industry in which no region is specialised has no PCI;
* unknown cells: the eigenvector needs the whole matrix, so ``missing="raise"`` (the default)
  names them; ``"drop-regions"`` or ``"drop-industries"`` leaves out the regions or industries
  with an unknown cell in that year (they get NaN, and the warning lists them);
* a disconnected region-industry network (second eigenvalue 1) has no unique ECI:
  :class:`ComplexityError` names the parts.

References
----------
Hausmann, R., Hidalgo, C. A., Bustos, S., Coscia, M., Simoes, A., & Yildirim, M. A. (2014). *The
Atlas of Economic Complexity*. MIT Press.
Hidalgo, C. A., & Hausmann, R. (2009). The building blocks of economic complexity. *PNAS*, 106(26),
10570-10575.
Balland, P.-A., & Rigby, D. (2017). The geography of complex knowledge. *Economic Geography*, 93(1),
1-23.
"""

from __future__ import annotations

import warnings
from typing import Literal, NamedTuple

import numpy as np
import pandas as pd

from clusterlib.errors import ClusterlibError
from clusterlib.options import check_option
from clusterlib.relatedness.matrix import Cube, RelatednessWarning, to_cube
from clusterlib.relatedness.rca import presence_array

__all__ = ["Complexity", "ComplexityError", "complexity"]

Missing = Literal["raise", "drop-regions", "drop-industries"]


class ComplexityError(ClusterlibError):
    """ECI and PCI are not defined for this matrix (unknown cells, disconnected network)."""


class Complexity(NamedTuple):
    """ECI of the regions and PCI of the industries (Series, with a year level for a panel)."""

    eci: pd.Series
    pci: pd.Series


def _when(cube: Cube, t: int) -> str:
    return f" in {cube.years[t]}" if cube.years else ""


def _one_year(M: np.ndarray, cube: Cube, t: int, missing: str) -> tuple[np.ndarray, np.ndarray]:
    rows = np.isfinite(M).any(axis=1)
    cols = np.isfinite(M).any(axis=0)
    unknown = ~np.isfinite(M) & rows[:, None] & cols[None, :]
    if unknown.any():
        r, i = np.nonzero(unknown)
        cells = [f"{cube.regions[a]}/{cube.industries[b]}" for a, b in zip(r, i, strict=True)]
        if missing == "raise":
            raise ComplexityError(
                f"complexity{_when(cube, t)}: {len(cells)} unknown cell(s) "
                f"({', '.join(cells[:6])}{' ...' if len(cells) > 6 else ''}); the eigenvector needs "
                "the whole matrix and an unknown cell is never read as 0. Fill them "
                "(policy='fill'), or pass missing='drop-regions' or 'drop-industries'."
            )
        if missing == "drop-regions":
            drop = unknown.any(axis=1)
            rows &= ~drop
            names = cube.regions[drop]
        else:
            drop = unknown.any(axis=0)
            cols &= ~drop
            names = cube.industries[drop]
        warnings.warn(
            f"complexity{_when(cube, t)}: left out {len(names)} "
            f"{missing.removeprefix('drop-')} with unknown cells: {', '.join(names[:10])}"
            f"{' ...' if len(names) > 10 else ''}.",
            RelatednessWarning,
            stacklevel=4,
        )
    Mt = np.where(rows[:, None] & cols[None, :], np.nan_to_num(M), 0.0)
    d = Mt.sum(axis=1)
    u = Mt.sum(axis=0)
    for mask, kind, labels, what in (
        (rows & (d == 0), "region", cube.regions, "no specialisation: no ECI"),
        (cols & (u == 0), "industry", cube.industries, "no region specialised in it: no PCI"),
    ):
        if mask.any():
            warnings.warn(
                f"complexity{_when(cube, t)}: {kind} {', '.join(labels[mask][:10])}: {what} (NaN).",
                RelatednessWarning,
                stacklevel=4,
            )
    rows &= d > 0
    cols &= u > 0
    A = Mt[np.ix_(rows, cols)]
    d, u = d[rows], u[cols]
    eci = np.full(M.shape[0], np.nan)
    pci = np.full(M.shape[1], np.nan)
    if A.shape[0] < 2 or A.shape[1] < 2:
        raise ComplexityError(
            f"complexity{_when(cube, t)}: {A.shape[0]} region(s) and {A.shape[1]} industr(ies) "
            "with specialisations; ECI and PCI need at least two of each."
        )
    S = (A / np.sqrt(u)[None, :]).T @ (A / (d[:, None] * np.sqrt(u)[None, :]))
    values, vectors = np.linalg.eigh((S + S.T) / 2)
    if values[-2] > 1 - 1e-10:
        raise ComplexityError(_disconnected(A, cube, rows, cols, t))
    kp = vectors[:, -2] / np.sqrt(u)
    kc = (A @ kp) / d
    if np.corrcoef(d, kc)[0, 1] < 0:
        kp, kc = -kp, -kc
    mean, sd = kc.mean(), kc.std()
    eci[rows] = (kc - mean) / sd
    pci[cols] = (kp - mean) / sd
    return eci, pci


def _disconnected(A, cube, rows, cols, t) -> str:
    from scipy.sparse import bmat, csr_matrix
    from scipy.sparse.csgraph import connected_components

    B = csr_matrix(A)
    n, parts = connected_components(bmat([[None, B], [B.T, None]]), directed=False)
    inds = cube.industries[cols]
    groups = [sorted(inds[parts[A.shape[0] :] == k]) for k in range(n)]
    shown = "; ".join(", ".join(g[:5]) + (" ..." if len(g) > 5 else "") for g in groups if g)
    return (
        f"complexity{_when(cube, t)}: the region-industry network falls into {n} disconnected "
        f"parts (industries: {shown}); ECI is not defined across them. Compute it within each "
        "part, or on a wider set of regions."
    )


def complexity(
    employment: pd.DataFrame, *, threshold: float = 1.0, missing: Missing = "raise"
) -> Complexity:
    r"""Economic complexity of regions (ECI) and industries (PCI), eigenvector method.

    .. math:: \mathrm{ECI}_r = \frac{k_r - \bar k}{s_k},\quad
        \mathrm{PCI}_i = \frac{K_i - \bar k}{s_k},\quad
        k_r = \frac{1}{k_{r,0}} \sum_i M_{ri} K_i

    with :math:`K` the eigenvector of the second largest eigenvalue of :math:`\tilde M` (see the
    module docstring for the conventions and edge cases).

    Parameters
    ----------
    employment : pandas.DataFrame
        Region x industry, (year, region) x industry, or the tidy Eurostat table.
    threshold : float
        RCA threshold of :math:`M` (default 1).
    missing : {"raise", "drop-regions", "drop-industries"}
        What to do with unknown cells (see the module docstring).

    Returns
    -------
    Complexity
        ``eci`` by region and ``pci`` by industry (with a year level for a panel). ECI > 0: more
        complex than the average region; it correlates positively with diversity.

    Raises
    ------
    ComplexityError
        Unknown cells with ``missing="raise"``; a disconnected network; fewer than two regions
        or industries with specialisations.

    References
    ----------
    Hausmann, Hidalgo et al. (2014); Hidalgo & Hausmann (2009), see the module docstring.
    """
    check_option("missing", missing, Missing)
    cube = to_cube(employment)
    M = presence_array(cube, threshold)
    T = M.shape[0]
    eci, pci = np.full(M.shape[:2], np.nan), np.full((T, M.shape[2]), np.nan)
    for t in range(T):
        eci[t], pci[t] = _one_year(M[t], cube, t, missing)
    return Complexity(cube.region_series(eci, "eci"), cube.industry_series(pci, "pci"))
