"""Output, employment, value-added and income multipliers (type I and type II).

References
----------
Miller, R. E. and Blair, P. D. (2022). *Input-Output Analysis*, 3rd ed., ch. 6 (multipliers).
Eurostat (2008). *Eurostat Manual of Supply, Use and Input-Output Tables*, ch. 15 (the worked
example of Germany 1995 that the tests reproduce).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from clusterlib.errors import DataValueError, OptionError
from clusterlib.linkages._checks import vector
from clusterlib.linkages._stack import as_array, rows_frame
from clusterlib.linkages.inverses import invert


def multipliers(
    A: pd.DataFrame,
    *,
    employment: pd.Series | None = None,
    value_added: pd.Series | None = None,
    income: pd.Series | None = None,
    consumption: pd.Series | None = None,
) -> pd.DataFrame:
    """Multipliers by industry: output, and type I (and II) for each coefficient given.

    Parameters
    ----------
    A : pandas.DataFrame
        Technical coefficients, square and labelled, or stacked by (region, industry) as
        :func:`regionalise` returns them (all regions in one vectorised call).
    employment, value_added, income : pandas.Series, optional
        Coefficients per unit of output by industry: jobs, gross value added and compensation of
        employees divided by gross output (e.g. persons per million EUR). Each given one adds three
        columns (see Returns). The same coefficients are used for every region of a stacked ``A``.
    consumption : pandas.Series, optional
        Households' consumption of each industry's product per unit of household income (the
        household consumption column divided by total compensation). With ``income``, households
        are closed into the model and type II multipliers are added.

    Returns
    -------
    pandas.DataFrame
        One row per industry (per region and industry if ``A`` is stacked), columns:

        - ``output``: the output multiplier, the column sum of L = (I - A)⁻¹;
        - ``<name>``: the effect of one unit of final demand, c' L (e.g. jobs per million);
        - ``<name>_type_i``: the type I multiplier c' L / c (effect per unit of the direct one);
        - with ``income`` and ``consumption``: ``output_type_ii`` and ``<name>_type_ii``, the same
          with the household-closed inverse.

    Raises
    ------
    DataFormatError, DataValueError
        As :func:`leontief_inverse`; a coefficient vector that misses an industry or is negative;
        a zero coefficient (named) when its type I multiplier is asked for (it is undefined).
    OptionError
        ``consumption`` without ``income``.

    Notes
    -----
    A worked explanation, on the two-industry example below (A = [[0.1, 0.4], [0.3, 0.1]]):

    1. I - A = [[0.9, -0.4], [-0.3, 0.9]] has determinant 0.81 - 0.12 = 0.69, so
       L = (I - A)⁻¹ = [[0.9, 0.4], [0.3, 0.9]] / 0.69 = [[1.3043, 0.5797], [0.4348, 1.3043]].
       Column ``a`` says: to deliver one euro of ``a``'s product to final users, industry ``a``
       produces 1.3043 (the euro itself plus 0.3043 of inputs to itself and to ``b``) and ``b``
       produces 0.4348.
    2. The **output multiplier** of ``a`` is that column's sum, 1.3043 + 0.4348 = 1.7391: every
       euro of final demand for ``a`` raises output in the economy by 1.74 euro.
    3. With employment coefficients e = (10, 20) jobs per million, the **employment effect** of
       ``a`` is e' L = 10 x 1.3043 + 20 x 0.4348 = 21.74 jobs per million euro of final demand, and
       the **type I employment multiplier** is 21.74 / 10 = 2.17: each direct job in ``a`` comes
       with 1.17 more jobs in its supply chain.
    4. **Type II** closes households in: A is bordered by a row of income coefficients w (wages per
       unit of output) and a column of consumption shares c, so the wages paid along the supply
       chain are spent again; L̄ = (I - Ā)⁻¹ and c' L̄ / c is the type II multiplier, always at
       least the type I one (Miller and Blair 2022, sect. 6.2.3).

    Examples
    --------
    >>> import pandas as pd
    >>> A = pd.DataFrame([[0.1, 0.4], [0.3, 0.1]], index=["a", "b"], columns=["a", "b"])
    >>> multipliers(A, employment=pd.Series({"a": 10.0, "b": 20.0})).round(4)
       output  employment  employment_type_i
    a  1.7391     21.7391             2.1739
    b  1.8841     31.8841             1.5942
    """
    arr, regions, industries = as_array(A, name="A")
    given = {
        k: vector(v, industries, name=k)
        for k, v in (("employment", employment), ("value_added", value_added), ("income", income))
        if v is not None
    }
    if consumption is not None and income is None:
        raise OptionError(
            "consumption: households can be closed into the model only with their income; pass "
            "income= (compensation per unit of output) as well."
        )
    for k, c in given.items():
        zero = c == 0
        if zero.any():
            raise DataValueError(
                f"{k}, industry {industries[int(np.argmax(zero))]!r}: the coefficient is 0, so its "
                "type I multiplier (effect / direct coefficient) is undefined. Drop that "
                f"industry or leave {k}= out."
            )
    L = invert(arr, regions, industries, name="A", what="Leontief")
    cols = {"output": L.sum(axis=1)}
    closed = None
    if consumption is not None:
        h = vector(consumption, industries, name="consumption")
        closed = _closed_inverse(arr, given["income"], h, regions, industries)
        cols["output_type_ii"] = closed.sum(axis=1)
    for k, c in given.items():
        effect = np.einsum("i,rij->rj", c, L)
        cols[k] = effect
        cols[f"{k}_type_i"] = effect / c
        if closed is not None:
            cols[f"{k}_type_ii"] = np.einsum("i,rij->rj", c, closed) / c
    out = np.stack(list(cols.values()), axis=-1)
    return rows_frame(out, regions, industries, list(cols))


def _closed_inverse(arr, w, h, regions, industries) -> np.ndarray:
    """Return the industry block of (I - Ā)⁻¹ with households as an extra industry."""
    r, n, _ = arr.shape
    bordered = np.zeros((r, n + 1, n + 1))
    bordered[:, :n, :n] = arr
    bordered[:, n, :n] = w
    bordered[:, :n, n] = h
    names = industries.append(pd.Index(["households"]))
    return invert(bordered, regions, names, name="A closed with households", what="Leontief")[
        :, :n, :n
    ]
