"""The Leontief (demand-side) and Ghosh (supply-side) inverses, for one table or many regions.

References
----------
Leontief, W. (1936). Quantitative input and output relations in the economic systems of the United
States. *Review of Economics and Statistics* 18(3): 105-125.
Ghosh, A. (1958). Input-output approach in an allocation system. *Economica* 25(97): 58-64.
Miller, R. E. and Blair, P. D. (2022). *Input-Output Analysis*, 3rd ed., ch. 2 and 12.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from clusterlib.errors import DataValueError
from clusterlib.linkages._stack import as_array, as_frame

# entries of an inverse below -_NEG_TOL (relative to its largest entry) are real, not rounding
_NEG_TOL = 1e-9


def _where(regions, r: int) -> str:
    return "" if regions is None else f"region {regions[r]!r}: "


def invert(arr: np.ndarray, regions, industries, *, name: str, what: str) -> np.ndarray:
    """Return (I - arr)⁻¹ for every region, or raise an error naming the region and industry."""
    n = arr.shape[-1]
    m = np.eye(n)[None, :, :] - arr
    try:
        inv = np.linalg.inv(m)
    except np.linalg.LinAlgError:
        inv = None
    cond_bad = inv is None or not np.isfinite(inv).all()
    if cond_bad:
        line = "column" if what == "Leontief" else "row"
        for r in range(m.shape[0]):
            if np.linalg.matrix_rank(m[r]) < n:
                _, _, vt = np.linalg.svd(m[r])
                j = int(np.argmax(np.abs(vt[-1])))
                raise DataValueError(
                    f"{name}: {_where(regions, r)}I - {name} is singular, so the {what} inverse "
                    f"does not exist; industry {industries[j]!r} is the most involved (a set of "
                    f"industries uses up all its own output). Check that its coefficient {line}'s "
                    "sum is below 1 and that the table is not missing final demand."
                )
        raise DataValueError(f"{name}: the {what} inverse is not finite.")  # pragma: no cover
    scale = np.abs(inv).max(axis=(1, 2), keepdims=True)
    negative = inv < -_NEG_TOL * scale
    if negative.any():
        r, i, j = np.argwhere(negative)[0]
        sums = arr[r].sum(axis=0) if what == "Leontief" else arr[r].sum(axis=1)
        k = int(np.argmax(sums))
        raise DataValueError(
            f"{name}: {_where(regions, r)}the {what} inverse has a negative entry "
            f"({inv[r, i, j]:.4g} at row {industries[i]!r}, column {industries[j]!r}): the table "
            f"is not productive (Hawkins-Simon conditions fail). Industry {industries[k]!r} has the "
            f"largest coefficient sum ({sums[k]:.4g}); sums of 1 or more mean an industry needs "
            "more inputs than it produces: check its output and flows."
        )
    return inv


def leontief_inverse(A: pd.DataFrame) -> pd.DataFrame:
    """Leontief inverse L = (I - A)⁻¹: total output needed per unit of final demand.

    Parameters
    ----------
    A : pandas.DataFrame
        Technical coefficients (:func:`technical_coefficients`), square with the same industry
        labels as index and columns; or many regions stacked with a (region, industry) row index,
        as :func:`regionalise` returns them, all inverted in one vectorised call.

    Returns
    -------
    pandas.DataFrame
        L, labelled like ``A``. l_ij is the output of industry i needed, directly and indirectly,
        to deliver one unit of industry j's product to final demand.

    Raises
    ------
    DataFormatError
        Not square, or row and column labels differ.
    DataValueError
        A negative or non-finite coefficient; I - A singular (names the industry most involved);
        or an inverse with negative entries (names the entry and the industry whose coefficient
        sum is largest).

    Notes
    -----
    x = A x + f gives x = (I - A)⁻¹ f = L f (Leontief 1936; Miller and Blair 2022, eq. 2.11). For
    A >= 0 whose column sums are below 1, L exists and L >= I.

    Examples
    --------
    >>> import pandas as pd
    >>> A = pd.DataFrame([[0.1, 0.4], [0.3, 0.1]], index=["a", "b"], columns=["a", "b"])
    >>> leontief_inverse(A).round(4)
            a       b
    a  1.3043  0.5797
    b  0.4348  1.3043
    """
    arr, regions, industries = as_array(A, name="A")
    return as_frame(
        invert(arr, regions, industries, name="A", what="Leontief"), regions, industries
    )


def ghosh_inverse(B: pd.DataFrame) -> pd.DataFrame:
    """Ghosh inverse G = (I - B)⁻¹: total output enabled per unit of primary input.

    Parameters
    ----------
    B : pandas.DataFrame
        Allocation coefficients (:func:`allocation_coefficients`), square and labelled, or stacked
        by region as for :func:`leontief_inverse`.

    Returns
    -------
    pandas.DataFrame
        G, labelled like ``B``. g_ij is the output of industry j that one unit of primary input
        (value added) in industry i makes possible downstream.

    Raises
    ------
    DataFormatError, DataValueError
        As :func:`leontief_inverse`, with row sums of B in place of column sums.

    Notes
    -----
    x' = x' B + v' gives x' = v' (I - B)⁻¹ = v' G (Ghosh 1958; Miller and Blair 2022, eq. 12.6).
    G = x̂⁻¹ L x̂, so it exists exactly when L does.

    Examples
    --------
    >>> import pandas as pd
    >>> B = pd.DataFrame([[0.1, 0.2], [0.6, 0.1]], index=["a", "b"], columns=["a", "b"])
    >>> ghosh_inverse(B).round(4)
            a       b
    a  1.3043  0.2899
    b  0.8696  1.3043
    """
    arr, regions, industries = as_array(B, name="B")
    return as_frame(invert(arr, regions, industries, name="B", what="Ghosh"), regions, industries)
