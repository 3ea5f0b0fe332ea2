"""Input-output link strength between industry pairs, as in Delgado, Porter and Stern's clusters.

References
----------
Delgado, M., Porter, M. E. and Stern, S. (2016). Defining clusters of related industries.
*Journal of Economic Geography* 16(1): 1-38, sect. 3.2 (the input-output measure IO_ij).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from clusterlib.errors import DataFormatError, UnknownCodeError
from clusterlib.linkages._checks import non_negative, square


def io_link_strength(flows: pd.DataFrame) -> pd.DataFrame:
    """Input-output link between every pair of industries: the largest of four trade shares.

    Parameters
    ----------
    flows : pandas.DataFrame
        Intermediate flows Z (sellers in rows, buyers in columns), square and labelled, >= 0.

    Returns
    -------
    pandas.DataFrame
        A symmetric industry x industry table IO_ij in [0, 1] with a zero diagonal.

    Raises
    ------
    DataFormatError, DataValueError
        Not square, labels that differ, negative or non-finite flows.

    Notes
    -----
    With input_ij = z_ji / Σ_k z_ki, the share of i's intermediate purchases bought from j, and
    output_ij = z_ij / Σ_k z_ik, the share of i's intermediate sales sold to j,

        IO_ij = max(input_ij, input_ji, output_ij, output_ji)

    (Delgado, Porter and Stern 2016). The shares are of intermediate purchases and sales, so final
    demand does not dilute them; an industry with no intermediate purchases (or sales) has all
    those shares 0. A link with itself is not a link between industries: the diagonal is 0.

    Examples
    --------
    >>> import pandas as pd
    >>> z = pd.DataFrame([[0.0, 30.0, 10.0], [20.0, 0.0, 30.0], [0.0, 5.0, 0.0]],
    ...                  index=list("abc"), columns=list("abc"))
    >>> io_link_strength(z).round(3)
          a    b     c
    a  0.00  1.0  0.25
    b  1.00  0.0  1.00
    c  0.25  1.0  0.00
    """
    z = square(flows, name="flows")
    non_negative(z, flows, name="flows")
    link = _links(z)
    np.fill_diagonal(link, 0.0)
    return pd.DataFrame(link, index=flows.index, columns=flows.columns)


def _links(z: np.ndarray) -> np.ndarray:
    """Return the four-share maximum of :func:`io_link_strength` with its diagonal kept.

    The diagonal is an industry's trade with itself: max(z_ii / purchases_i, z_ii / sales_i).
    """
    sales = z.sum(axis=1, keepdims=True)
    purchases = z.sum(axis=0, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        output = np.where(sales > 0, z / sales, 0.0)  # output[i, j]: share of i's sales to j
        bought = np.where(purchases > 0, z / purchases, 0.0)  # bought[j, i]: i's inputs from j
    inputs = bought.T  # inputs[i, j]: share of i's purchases bought from j
    return np.maximum.reduce([inputs, inputs.T, output, output.T])


def division_link_strength(flows: pd.DataFrame, *, divisions: Iterable[str]) -> pd.DataFrame:
    """Input-output link strength between NACE Rev. 2 divisions, from a WIOD table.

    Each division takes the links of the WIOD industry that holds it
    (:func:`~clusterlib.linkages.wiod_nace_bridge`): for divisions d, e in different industries
    w(d) ≠ w(e), IO_de = IO_w(d)w(e) (:func:`io_link_strength`). For two divisions of one industry
    the table cannot tell them apart, and they get the industry's trade with itself,

        IO_de = max(z_ww / Σ_k z_kw, z_ww / Σ_k z_wk),   w = w(d) = w(e),

    the larger of its shares of own purchases and own sales (0 where it has none), a measure
    on the same scale of the flows inside the industry. The diagonal is 0. Links are only as fine
    as the table: divisions of one industry share every link (the bridge's ``divisions`` column
    says how many).

    Parameters
    ----------
    flows : pandas.DataFrame
        WIOD intermediate flows, industries ``c1`` ... ``c35``, square, >= 0.
    divisions : iterable of str
        NACE Rev. 2 divisions (e.g. the columns of the region x industry employment matrix).

    Returns
    -------
    pandas.DataFrame
        Division x division, symmetric, in [0, 1]: the ``io_links`` of
        :func:`clusterlib.relatedness.clusters.define_clusters`.

    Raises
    ------
    UnknownCodeError
        A division not in the bridge.
    DataFormatError
        A WIOD industry of a division missing from ``flows``.

    References
    ----------
    Delgado, Porter and Stern (2016), sect. 3.2 (module docstring).

    Examples
    --------
    >>> z = pd.DataFrame([[4.0, 30.0], [20.0, 6.0]], index=["c12", "c13"],
    ...                  columns=["c12", "c13"])
    >>> division_link_strength(z, divisions=["C24", "C25", "C28"]).round(3)
           C24    C25    C28
    C24  0.000  0.167  0.882
    C25  0.167  0.000  0.882
    C28  0.882  0.882  0.000
    """
    from clusterlib.linkages.bridge import wiod_nace_bridge

    z = square(flows, name="flows")
    non_negative(z, flows, name="flows")
    codes = pd.Index([str(d) for d in divisions])
    b = wiod_nace_bridge().set_index("nace")["industry"]
    unknown = codes.difference(b.index, sort=False)
    if len(unknown):
        raise UnknownCodeError(
            f"divisions: {list(unknown[:5])} are not NACE Rev. 2 divisions of the WIOD bridge "
            "(e.g. 'C25'); give division codes."
        )
    industry = b.reindex(codes)
    absent = pd.Index(industry.unique()).difference(flows.index, sort=False)
    if len(absent):
        raise DataFormatError(
            f"flows: no WIOD industry {list(absent[:5])}, which holds division "
            f"{industry.index[industry.isin(absent)][0]!r}; give the 35-industry WIOD table."
        )
    link = _links(z)  # the diagonal: each industry's trade with itself
    pos = flows.index.get_indexer(industry.to_numpy())
    out = link[np.ix_(pos, pos)]
    np.fill_diagonal(out, 0.0)
    return pd.DataFrame(out, index=codes, columns=codes)
