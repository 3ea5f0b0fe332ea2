"""Regional input coefficients from a national table by location quotients (SLQ, CILQ, FLQ, AFLQ).

References
----------
Flegg, A. T. and Webber, C. D. (1997). On the appropriate use of location quotients in generating
regional input-output tables: reply. *Regional Studies* 31(8): 795-805.
Flegg, A. T. and Webber, C. D. (2000). Regional size, regional specialization and the FLQ formula.
*Regional Studies* 34(6): 563-569.
Flegg, A. T. and Tohmo, T. (2013). Regional input-output tables and the FLQ formula: a case study
of Finland. *Regional Studies* 47(5): 703-721.
Miller, R. E. and Blair, P. D. (2022). *Input-Output Analysis*, 3rd ed., sect. 8.3.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from clusterlib.errors import DataFormatError, DataValueError, OptionError
from clusterlib.linkages._checks import finite, labels, vector
from clusterlib.linkages._stack import as_array, as_frame

Method = Literal["slq", "cilq", "flq", "aflq"]
METHODS = ("slq", "cilq", "flq", "aflq")


def regionalise(
    A: pd.DataFrame,
    *,
    regional: pd.Series | pd.DataFrame,
    national: pd.Series,
    method: Method = "flq",
    delta: float = 0.3,
) -> pd.DataFrame:
    """Regional technical coefficients from national ones, by location quotients.

    Parameters
    ----------
    A : pandas.DataFrame
        National technical coefficients, square and labelled (industries i sell, j buy).
    regional : pandas.Series or pandas.DataFrame
        Employment by industry in the region (a Series), or in many regions at once (a DataFrame,
        one row per region, one column per industry), e.g. from the Eurostat data of the region or
        cluster area.
    national : pandas.Series
        Employment by industry in the nation, the same industries, each > 0.
    method : {"slq", "cilq", "flq", "aflq"}, default "flq"
        The location quotient (see Notes).
    delta : float, default 0.3
        FLQ/AFLQ sensitivity δ, 0 <= δ < 1. The literature's range is about 0.1-0.4: Flegg and
        Webber (1997) proposed 0.3, and comparisons with survey-based regional tables (e.g. Flegg
        and Tohmo 2013 for Finnish regions) find the best δ in that range, varying with the
        region's size and structure. δ = 0 makes FLQ equal to CILQ (with SLQ on the diagonal); a
        larger δ assumes more imports from outside the region. Report results for a range of δ
        (e.g. 0.1, 0.2, 0.3, 0.4), not one value.

    Returns
    -------
    pandas.DataFrame
        Regional coefficients r_ij = a_ij min(1, LQ_ij), labelled like ``A``; for a DataFrame
        ``regional``, the regions stacked with a (region, industry) row index, which
        :func:`leontief_inverse` and :func:`multipliers` take as it is.

    Raises
    ------
    OptionError
        Unknown ``method`` or ``delta`` outside [0, 1).
    DataFormatError, DataValueError
        ``A`` as in :func:`leontief_inverse`; employment that misses an industry of ``A``, is
        negative or not a number; national employment of 0 (named); a region with no employment.

    Notes
    -----
    With RE_i, NE_i regional and national employment in industry i and TRE, TNE their totals:

    - SLQ_i = (RE_i / TRE) / (NE_i / TNE), applied along row i (the selling industry);
    - CILQ_ij = SLQ_i / SLQ_j for i != j, and SLQ_i on the diagonal;
    - FLQ_ij = λ* CILQ_ij (i != j), λ* SLQ_i (i = j), with λ* = [log2(1 + TRE/TNE)]^δ < 1, which
      scales down smaller regions more (Flegg and Webber 1997);
    - AFLQ_ij = FLQ_ij log2(1 + SLQ_j) where SLQ_j > 1, else FLQ_ij: a specialised buying
      industry buys more locally (Flegg and Webber 2000; Flegg and Tohmo 2013).

    The quotient is capped at 1, so a regional coefficient never exceeds the national one. A
    supplier absent from the region (SLQ_i = 0) supplies nothing locally; a present supplier
    selling to an absent buyer (SLQ_j = 0) has CILQ = inf, capped at 1. Everything is one array
    expression over (region, i, j): no loop over regions.

    Examples
    --------
    >>> import pandas as pd
    >>> A = pd.DataFrame([[0.1, 0.4], [0.3, 0.1]], index=["a", "b"], columns=["a", "b"])
    >>> national = pd.Series({"a": 600.0, "b": 400.0})
    >>> regionalise(A, regional=pd.Series({"a": 30.0, "b": 70.0}), national=national,
    ...             method="slq").round(4)
          a    b
    a  0.05  0.2
    b  0.30  0.1
    """
    if method not in METHODS:
        raise OptionError(f"method: expected one of {METHODS}, found {method!r}.")
    if not isinstance(delta, (int, float)) or not 0 <= delta < 1:
        raise OptionError(
            f"delta: expected a number with 0 <= delta < 1 (the literature uses 0.1-0.4), found "
            f"{delta!r}."
        )
    arr, regions, industries = as_array(A, name="A")
    if regions is not None:
        raise DataFormatError("A: regionalise takes the national table, not a stacked one.")
    ne = vector(national, industries, name="national", positive=True)
    if isinstance(regional, pd.Series):
        re = vector(regional, industries, name="regional")[None, :]
        names = None
    elif isinstance(regional, pd.DataFrame):
        re = _regional_frame(regional, industries)
        names = regional.index
    else:
        raise DataFormatError(
            f"regional: expected a Series by industry or a DataFrame of regions x industries, "
            f"found {type(regional).__name__}."
        )
    tre = re.sum(axis=1, keepdims=True)
    empty = tre[:, 0] == 0
    if empty.any():
        who = "the region" if names is None else f"region {names[int(np.argmax(empty))]!r}"
        raise DataValueError(f"regional: {who} has no employment in any industry.")
    slq = (re / tre) / (ne / ne.sum())[None, :]
    lq = quotients(slq, tre[:, 0] / ne.sum(), method=method, delta=float(delta))
    out = arr[0][None, :, :] * np.minimum(lq, 1.0)
    return as_frame(out, names, industries)


def quotients(slq: np.ndarray, size: np.ndarray, *, method: str, delta: float) -> np.ndarray:
    """Return the (R, n, n) location quotients of ``method`` from SLQs (R, n) and regional sizes (R,).

    ``size`` is TRE/TNE. Rows are selling industries i, columns buying industries j.
    """
    r, n = slq.shape
    if method == "slq":
        return np.broadcast_to(slq[:, :, None], (r, n, n))
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        cilq = slq[:, :, None] / slq[:, None, :]
    cilq = np.where(np.isnan(cilq), 0.0, cilq)  # 0/0: the supplier is absent, supplies nothing
    diag = np.arange(n)
    cilq[:, diag, diag] = slq
    if method == "cilq":
        return cilq
    lam = (np.log1p(size) / np.log(2.0)) ** delta
    with np.errstate(invalid="ignore"):
        flq = np.where(np.isinf(cilq), np.inf, cilq * lam[:, None, None])
    if method == "flq":
        return flq
    boost = np.where(slq > 1, np.log2(1.0 + slq), 1.0)
    return flq * boost[:, None, :]


def _regional_frame(regional: pd.DataFrame, industries: pd.Index) -> np.ndarray:
    labels(regional.index, name="regional rows (regions)")
    labels(regional.columns, name="regional columns")
    missing = industries.difference(regional.columns, sort=False)
    extra = regional.columns.difference(industries, sort=False)
    if len(missing) or len(extra):
        raise DataFormatError(
            f"regional: columns do not match the table's industries (missing {list(missing[:5])}, "
            f"not in the table {list(extra[:5])}). Use one column per industry of A."
        )
    frame = regional[industries]
    values = finite(frame, name="regional")
    neg = values < 0
    if neg.any():
        r, c = np.argwhere(neg)[0]
        raise DataValueError(
            f"regional, region {frame.index[r]!r}, industry {industries[c]!r}: expected "
            f"employment >= 0, found {values[r, c]:g}."
        )
    return values
