"""Backward and forward linkages (Rasmussen-Hirschman), key sectors, hypothetical extraction.

References
----------
Rasmussen, P. N. (1956). *Studies in Inter-Sectoral Relations*. Copenhagen: Einar Harks.
Hirschman, A. O. (1958). *The Strategy of Economic Development*. Yale University Press.
Miller, R. E. and Lahr, M. L. (2001). A taxonomy of extractions. In M. L. Lahr and R. E. Miller
(eds.), *Regional Science Perspectives in Economic Analysis*, Elsevier, 407-441.
Miller, R. E. and Blair, P. D. (2022). *Input-Output Analysis*, 3rd ed., sect. 12.2.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from clusterlib.errors import DataFormatError, UnknownCodeError
from clusterlib.linkages._checks import vector
from clusterlib.linkages._stack import as_array, rows_frame
from clusterlib.linkages.inverses import invert


def linkage_indices(A: pd.DataFrame) -> pd.DataFrame:
    """Rasmussen-Hirschman backward and forward linkage indices and key sectors.

    Parameters
    ----------
    A : pandas.DataFrame
        Technical coefficients, square and labelled, or stacked by (region, industry).

    Returns
    -------
    pandas.DataFrame
        One row per industry (per region and industry if stacked): ``backward``, ``forward`` and
        ``key_sector`` (both indices above 1).

    Raises
    ------
    DataFormatError, DataValueError
        As :func:`leontief_inverse`.

    Notes
    -----
    With L = (I - A)⁻¹, n industries and L̄ = (1/n²) Σ_ij l_ij the average entry,

    - backward index BL_j = ((1/n) Σ_i l_ij) / L̄, industry j's pull on its suppliers;
    - forward index FL_i = ((1/n) Σ_j l_ij) / L̄, how much industry i is pushed when every
      industry's final demand rises by one unit (Rasmussen 1956).

    Both average 1 over industries; an industry above 1 on both is a *key sector* (Hirschman
    1958). The forward index here uses the rows of the Leontief inverse, as Rasmussen did; the
    Ghosh-based alternative needs the allocation coefficients (:func:`ghosh_inverse`).

    Examples
    --------
    >>> import pandas as pd
    >>> A = pd.DataFrame([[0.1, 0.4], [0.3, 0.1]], index=["a", "b"], columns=["a", "b"])
    >>> linkage_indices(A).round(4)
       backward  forward  key_sector
    a      0.96     1.04       False
    b      1.04     0.96       False
    """
    arr, regions, industries = as_array(A, name="A")
    L = invert(arr, regions, industries, name="A", what="Leontief")
    mean = L.mean(axis=(1, 2))[:, None]
    backward = L.mean(axis=1) / mean
    forward = L.mean(axis=2) / mean
    out = rows_frame(np.stack([backward, forward], axis=-1), regions, industries,
                     ["backward", "forward"])  # fmt: skip
    out["key_sector"] = (out["backward"] > 1) & (out["forward"] > 1)
    return out


def hypothetical_extraction(
    A: pd.DataFrame, final_demand: pd.Series, *, extract: str | Iterable[str]
) -> pd.DataFrame:
    """Output lost when an industry, or a whole cluster, stops buying from and selling to others.

    Parameters
    ----------
    A : pandas.DataFrame
        Technical coefficients, square and labelled (one table).
    final_demand : pandas.Series
        Final demand f by industry (same labels), >= 0.
    extract : str or iterable of str
        The industry, or the industries of a cluster, to extract.

    Returns
    -------
    pandas.DataFrame
        One row per industry: ``output`` x = L f, ``without`` x̄ = (I - Ā)⁻¹ f and ``loss`` x - x̄.
        ``loss.sum()`` is the total linkage of the extracted set; ``loss.sum() / output.sum()`` its
        share of the economy's output.

    Raises
    ------
    UnknownCodeError
        An industry to extract is not in the table.
    DataFormatError, DataValueError
        As :func:`leontief_inverse`, or a final demand that misses an industry or is negative.

    Notes
    -----
    Ā is A with the rows and columns of the extracted set S set to zero: S neither buys
    intermediate inputs from nor sells them to any industry (itself and the other members of S
    included), while every final demand is kept (Miller and Lahr 2001, "complete extraction";
    Miller and Blair 2022, eq. 12.13). The extracted industries keep only the output their own
    final demand needs. An industry with no intermediate purchases or sales loses nothing.

    Examples
    --------
    >>> import pandas as pd
    >>> A = pd.DataFrame([[0.1, 0.4], [0.3, 0.1]], index=["a", "b"], columns=["a", "b"])
    >>> f = pd.Series({"a": 50.0, "b": 30.0})
    >>> hypothetical_extraction(A, f, extract="b").round(2)
       output  without   loss
    a   82.61    55.56  27.05
    b   60.87    30.00  30.87
    """
    arr, regions, industries = as_array(A, name="A")
    if regions is not None:
        raise DataFormatError(
            "A: hypothetical extraction takes one table, not a stacked (region, industry) one; "
            "select a region with A.loc[region]."
        )
    f = vector(final_demand, industries, name="final_demand")
    wanted = [extract] if isinstance(extract, str) else list(extract)
    unknown = [w for w in wanted if w not in industries]
    if not wanted:
        raise UnknownCodeError(
            "extract: no industry named; name at least one industry of the table."
        )
    if unknown:
        raise UnknownCodeError(
            f"extract: {unknown} not among the table's industries "
            f"{list(industries[:8])}{' ...' if len(industries) > 8 else ''}; name industries of "
            "the table."
        )
    out_mask = industries.isin(wanted)
    reduced = arr.copy()
    reduced[:, out_mask, :] = 0.0
    reduced[:, :, out_mask] = 0.0
    both = invert(np.concatenate([arr, reduced]), None, industries, name="A", what="Leontief")
    x, xbar = both @ f
    return pd.DataFrame({"output": x, "without": xbar, "loss": x - xbar}, index=industries)
