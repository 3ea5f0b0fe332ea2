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

The eigenproblem is solved in its symmetric form (for the two largest eigenpairs only) :math:`U^{-1/2} M' D^{-1} M U^{-1/2}`
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
import scipy.linalg

from clusterlib.errors import ClusterlibError
from clusterlib.options import check_option
from clusterlib.relatedness.matrix import Cube, RelatednessWarning, one_blas_thread, to_cube
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


def _drop_unknown(M, cube, t, rows, cols, missing) -> None:
    """Apply the ``missing`` policy to year t's unknown cells (changes ``rows``/``cols`` in place)."""
    unknown = ~np.isfinite(M[t]) & rows[t][:, None] & cols[t][None, :]
    if not unknown.any():
        return
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
        rows[t] &= ~drop
        names = cube.regions[drop]
    else:
        drop = unknown.any(axis=0)
        cols[t] &= ~drop
        names = cube.industries[drop]
    warnings.warn(
        f"complexity{_when(cube, t)}: left out {len(names)} "
        f"{missing.removeprefix('drop-')} with unknown cells: {', '.join(names[:10])}"
        f"{' ...' if len(names) > 10 else ''}.",
        RelatednessWarning,
        stacklevel=4,
    )


def eci_pci_arrays(M: np.ndarray, cube: Cube, missing: str) -> tuple[np.ndarray, np.ndarray]:
    """Return ECI (t, r) and PCI (t, i) arrays; one batched eigenproblem over the years."""
    if cube.complete:  # every region and industry present, every cell known
        rows = np.ones(M.shape[:2], bool)
        cols = np.ones((M.shape[0], M.shape[2]), bool)
        Mt = M
    else:
        finite = np.isfinite(M)
        rows, cols = finite.any(axis=2), finite.any(axis=1)
        if (~finite & rows[:, :, None] & cols[:, None, :]).any():
            for t in range(M.shape[0]):
                _drop_unknown(M, cube, t, rows, cols, missing)
        Mt = np.where(rows[:, :, None] & cols[:, None, :] & finite, M, 0.0)
    d, u = Mt.sum(axis=2), Mt.sum(axis=1)
    for mask, kind, labels, what in (
        (rows & (d == 0), "region", cube.regions, "no specialisation: no ECI"),
        (cols & (u == 0), "industry", cube.industries, "no region specialised in it: no PCI"),
    ):
        for t in np.nonzero(mask.any(axis=1))[0]:
            warnings.warn(
                f"complexity{_when(cube, t)}: {kind} {', '.join(labels[mask[t]][:10])}: {what} (NaN).",
                RelatednessWarning,
                stacklevel=4,
            )
    rows &= d > 0
    cols &= u > 0
    for t in range(M.shape[0]):
        if 0 < rows[t].sum() < 2 or 0 < cols[t].sum() < 2 or rows[t].any() != cols[t].any():
            raise ComplexityError(
                f"complexity{_when(cube, t)}: {rows[t].sum()} region(s) and {cols[t].sum()} "
                "industr(ies) with specialisations; ECI and PCI need at least two of each."
            )
    with np.errstate(divide="ignore"):
        inv_d = np.where(rows, 1.0 / d, 0.0)
        inv_su = np.where(cols, 1.0 / np.sqrt(u), 0.0)
    # symmetric form U^-1/2 M' D^-1 M U^-1/2; left-out rows and columns are zero (eigenvalue 0)
    B = Mt * inv_su[:, None, :]
    S = (B.transpose(0, 2, 1) * inv_d[:, None, :]) @ B
    S = (S + S.transpose(0, 2, 1)) / 2
    n = S.shape[-1]
    eci = np.full(d.shape, np.nan)
    pci = np.full(u.shape, np.nan)
    for t in range(M.shape[0]):
        if not rows[t].any():
            continue
        # the two largest eigenpairs only (LAPACK's subset driver): 1 (trivial) and the second
        values, vectors = scipy.linalg.eigh(
            S[t], subset_by_index=[n - 2, n - 1], check_finite=False
        )
        if values[-2] > 1 - 1e-10:
            raise ComplexityError(
                _disconnected(Mt[t][np.ix_(rows[t], cols[t])], cube, rows[t], cols[t], t)
            )
        kp = vectors[:, -2] * inv_su[t]
        kc = (Mt[t] @ kp) * inv_d[t]
        kc_r, d_r = kc[rows[t]], d[t][rows[t]]
        sd = kc_r.std()
        if not sd > 0:
            raise ComplexityError(
                f"complexity{_when(cube, t)}: every region has the same complexity (the "
                "specialisations do not differ); ECI is not defined."
            )
        # the sign of the correlation with diversity is that of the covariance
        sign = -1.0 if np.dot(d_r - d_r.mean(), kc_r) < 0 else 1.0
        mean = sign * kc_r.mean()
        eci[t, rows[t]] = (sign * kc_r - mean) / sd
        pci[t, cols[t]] = (sign * kp[cols[t]] - mean) / sd
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


@one_blas_thread
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
    eci, pci = eci_pci_arrays(presence_array(cube, threshold), cube, missing)
    return Complexity(cube.region_series(eci, "eci"), cube.industry_series(pci, "pci"))
