"""Input and output coefficients of an input-output table: technical (A) and allocation (B).

References
----------
Miller, R. E. and Blair, P. D. (2022). *Input-Output Analysis: Foundations and Extensions*, 3rd ed.,
Cambridge University Press, ch. 2 (A) and 12.1 (B, the supply-side model of Ghosh).
"""

from __future__ import annotations

import pandas as pd

from clusterlib.linkages._checks import non_negative, square, vector


def _flows_output(flows: pd.DataFrame, output: pd.Series):
    z = square(flows, name="flows")
    non_negative(z, flows, name="flows")
    x = vector(output, flows.index, name="output", positive=True)
    return z, x


def technical_coefficients(flows: pd.DataFrame, output: pd.Series) -> pd.DataFrame:
    """Technical (input) coefficients: what each industry buys per unit of its output.

    Parameters
    ----------
    flows : pandas.DataFrame
        Intermediate flows Z, square, industries as index (sellers) and columns (buyers), the same
        labels in the same order; entries >= 0.
    output : pandas.Series
        Gross output x by industry (same labels), every entry > 0.

    Returns
    -------
    pandas.DataFrame
        A = Z x̂⁻¹, i.e. a_ij = z_ij / x_j, labelled like ``flows``.

    Raises
    ------
    DataFormatError
        Not square, row and column labels differ, or ``output`` misses an industry.
    DataValueError
        A negative or non-finite flow, or an industry with zero output (named).

    Notes
    -----
    Column j of A is industry j's purchases from every industry per unit of its gross output
    (Miller and Blair 2022, eq. 2.4).

    Examples
    --------
    >>> import pandas as pd
    >>> z = pd.DataFrame([[10.0, 20.0], [30.0, 5.0]], index=["a", "b"], columns=["a", "b"])
    >>> technical_coefficients(z, pd.Series({"a": 100.0, "b": 50.0}))
         a    b
    a  0.1  0.4
    b  0.3  0.1
    """
    z, x = _flows_output(flows, output)
    return pd.DataFrame(z / x[None, :], index=flows.index, columns=flows.columns)


def allocation_coefficients(flows: pd.DataFrame, output: pd.Series) -> pd.DataFrame:
    """Allocation (output) coefficients: the share of each industry's output sold to each buyer.

    Parameters
    ----------
    flows : pandas.DataFrame
        Intermediate flows Z as in :func:`technical_coefficients`.
    output : pandas.Series
        Gross output x by industry, every entry > 0.

    Returns
    -------
    pandas.DataFrame
        B = x̂⁻¹ Z, i.e. b_ij = z_ij / x_i, labelled like ``flows``.

    Raises
    ------
    DataFormatError, DataValueError
        As :func:`technical_coefficients`.

    Notes
    -----
    Row i of B is where industry i's output goes (Ghosh 1958; Miller and Blair 2022, eq. 12.1).

    Examples
    --------
    >>> import pandas as pd
    >>> z = pd.DataFrame([[10.0, 20.0], [30.0, 5.0]], index=["a", "b"], columns=["a", "b"])
    >>> allocation_coefficients(z, pd.Series({"a": 100.0, "b": 50.0}))
         a    b
    a  0.1  0.2
    b  0.6  0.1
    """
    z, x = _flows_output(flows, output)
    return pd.DataFrame(z / x[:, None], index=flows.index, columns=flows.columns)
