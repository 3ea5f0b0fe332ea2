"""Input-output link strength between industry pairs, as in Delgado, Porter and Stern's clusters.

References
----------
Delgado, M., Porter, M. E. and Stern, S. (2016). Defining clusters of related industries.
*Journal of Economic Geography* 16(1): 1-38, sect. 3.2 (the input-output measure IO_ij).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

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
    sales = z.sum(axis=1, keepdims=True)
    purchases = z.sum(axis=0, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        output = np.where(sales > 0, z / sales, 0.0)  # output[i, j]: share of i's sales to j
        bought = np.where(purchases > 0, z / purchases, 0.0)  # bought[j, i]: i's inputs from j
    inputs = bought.T  # inputs[i, j]: share of i's purchases bought from j
    link = np.maximum.reduce([inputs, inputs.T, output, output.T])
    np.fill_diagonal(link, 0.0)
    return pd.DataFrame(link, index=flows.index, columns=flows.columns)
