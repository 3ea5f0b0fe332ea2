"""Every cell-level measure in one tidy table, computed from one pass over the matrix.

:func:`complexity_table` is the one-call form of :mod:`clusterlib.relatedness`: for every year,
region and industry present, the RCA, the specialisation M, relatedness density, the region's
diversity and ECI and the industry's ubiquity and PCI, the same columns as Harvard's
``ecomplexity()`` returns (without its COI and COG). Each column equals the separate function's
result (tested); the table reads and checks the matrix once.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from clusterlib.options import check_option
from clusterlib.relatedness.complexity import Missing, eci_pci_arrays
from clusterlib.relatedness.matrix import one_blas_thread, to_cube
from clusterlib.relatedness.proximity import density_array, proximity_array
from clusterlib.relatedness.rca import presence_array, rca_array

__all__ = ["complexity_table"]


@one_blas_thread
def complexity_table(
    employment: pd.DataFrame, *, threshold: float = 1.0, missing: Missing = "raise"
) -> pd.DataFrame:
    r"""RCA, M, density, diversity, ubiquity, ECI and PCI of every cell, in one tidy table.

    See :func:`~clusterlib.relatedness.rca`, :func:`~clusterlib.relatedness.presence`,
    :func:`~clusterlib.relatedness.relatedness_density` and
    :func:`~clusterlib.relatedness.complexity` for the formulas, conventions and references.

    Parameters
    ----------
    employment : pandas.DataFrame
        Region x industry, (year, region) x industry, or the tidy Eurostat table.
    threshold : float
        RCA threshold of :math:`M` (default 1).
    missing : {"raise", "drop-regions", "drop-industries"}
        Unknown cells in the ECI/PCI eigenproblem (see :func:`~clusterlib.relatedness.complexity`).

    Returns
    -------
    pandas.DataFrame
        Index (year, region, industry), or (region, industry) for one year: every cell of a
        region and an industry present. Columns ``value``, ``rca``, ``m``, ``density``,
        ``diversity``, ``ubiquity``, ``eci``, ``pci``.
    """
    check_option("missing", missing, Missing)
    cube = to_cube(employment)
    X = cube.values
    R = rca_array(cube)
    M = presence_array(cube, threshold, R)
    D = density_array(M, proximity_array(M, cube.complete), cube.complete)
    T, nr, ni = X.shape
    eci, pci = eci_pci_arrays(M, cube, missing)
    rows, cols = cube.present
    cell = rows[:, :, None] & cols[:, None, :]
    complete = bool(cell.all())

    def cells(a: np.ndarray) -> np.ndarray:
        a = np.broadcast_to(a, X.shape)
        return a.reshape(-1) if complete else a[cell]

    # column by column without consolidating: full-cell arrays are reshaped views, not copies
    columns = {
        "value": X, "rca": R, "m": M, "density": D,
        "diversity": np.nansum(M, axis=2)[:, :, None], "ubiquity": np.nansum(M, axis=1)[:, None, :],
        "eci": eci[:, :, None], "pci": pci[:, None, :],
    }  # fmt: skip
    columns = {k: cells(a) for k, a in columns.items()}
    small = np.int16 if max(T, nr, ni) < 2**15 else np.int64  # codes: 4x less to copy
    t_, r_, i_ = (cells(a.astype(small)) for a in np.ogrid[:T, :nr, :ni])
    levels, codes, keys = [cube.regions, cube.industries], [r_, i_], ["region", "industry"]
    if cube.years is not None:
        levels, codes, keys = [pd.Index(cube.years), *levels], [t_, *codes], ["year", *keys]
    index = pd.MultiIndex(levels=levels, codes=codes, names=keys, verify_integrity=False)
    return pd.DataFrame(columns, index=index, copy=False)
