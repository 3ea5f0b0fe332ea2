"""The model's data: outcome and design matrix from a formula, checked before anything is fitted.

Every problem that would otherwise surface as a huge standard error, a ``LinAlgError`` or a fit of
a different model is refused here with the formula, the column and what to do.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import patsy
from scipy import linalg

from clusterlib.errors import DataValueError, EmptyDataError, ModelSpecError
from clusterlib.innovation.families import Family, family_of


def outcome_name(formula: str) -> str | None:
    """Return the outcome's column expression if the left-hand side is one plain term."""
    try:
        desc = patsy.ModelDesc.from_formula(formula)
    except patsy.PatsyError as exc:
        raise DataValueError(f"formula {formula!r}: {str(exc).splitlines()[0]}.") from None
    if len(desc.lhs_termlist) != 1 or len(desc.lhs_termlist[0].factors) != 1:
        return None
    return desc.lhs_termlist[0].factors[0].code


def prepare_outcome(formula: str, data: pd.DataFrame) -> pd.DataFrame:
    """Return ``data`` with a categorical outcome turned into numbers, or refuse it.

    An ordered ``Categorical`` (the usual storage of a Likert item) becomes its category values
    when they are numbers, else its integer codes plus one (1, 2, ...): the model is then fitted
    exactly as on the integer codes. An unordered categorical or text outcome is refused, since
    patsy would silently turn it into the indicator of its first level.
    """
    name = outcome_name(formula)
    if name is None or name not in data.columns:
        return data
    col = data[name]
    if isinstance(col.dtype, pd.CategoricalDtype):
        if not col.cat.ordered:
            raise ModelSpecError(
                f"formula {formula!r}: outcome {name!r} is an unordered categorical with "
                f"categories {list(col.cat.categories)}; code it as 0/1 (binary) or as an "
                "ordered categorical (family='ologit')."
            )
        cats = pd.to_numeric(pd.Series(col.cat.categories), errors="coerce")
        codes = col.cat.codes.to_numpy()
        if cats.notna().all():
            values = np.where(codes >= 0, cats.to_numpy(float)[codes], np.nan)
        else:
            values = np.where(codes >= 0, codes + 1.0, np.nan)
        out = data.copy()
        out[name] = values
        return out
    if col.dtype == object or pd.api.types.is_string_dtype(col.dtype):
        example = f" (e.g. {col.dropna().iloc[0]!r})" if col.notna().any() else ""
        raise ModelSpecError(
            f"formula {formula!r}: outcome {name!r} holds text{example}; code it as numbers "
            "(0/1, counts, shares) or as an ordered categorical."
        )
    return data


def design(
    formula: str, data: pd.DataFrame, family: str | Family
) -> tuple[pd.Series, pd.DataFrame]:
    """Build and check the outcome and design matrix of ``formula`` on ``data``.

    Raises
    ------
    EmptyDataError
        No rows.
    DataValueError
        A formula that does not parse, a variable that is not a column, a missing value, a
        non-finite value (such as ``np.log(0)``).
    ModelSpecError
        A text outcome; fewer rows than parameters; a constant regressor or an exact linear
        dependence between regressors (named); an outcome without variation.
    """
    fam = family_of(family)
    if len(data) == 0:
        raise EmptyDataError(f"formula {formula!r}: the data have no rows.")
    data = prepare_outcome(formula, data)
    try:
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):  # checked below
            y, X = patsy.dmatrices(formula, data, return_type="dataframe", NA_action="raise")
    except patsy.PatsyError as exc:
        msg = str(exc).splitlines()[0]
        raise DataValueError(
            f"formula {formula!r}: {msg}. Check the variable names against the survey columns and "
            "drop or impute missing values first."
        ) from None
    if y.shape[1] != 1:
        raise ModelSpecError(
            f"formula {formula!r}: the outcome expands to {y.shape[1]} columns "
            f"{list(y.columns)[:4]}; it must be one numeric column."
        )
    if fam.is_ordered and "Intercept" in X.columns:
        X = X.drop(columns="Intercept")
    y = y.iloc[:, 0]
    _check_finite(formula, y, X)
    n, k = X.shape
    k_total = k + (y.nunique() - 1 if fam.is_ordered else 0) + fam.extra_params
    if n <= k_total:
        raise ModelSpecError(
            f"formula {formula!r}: {n} rows for {k_total} parameters; a {fam.name} model needs more "
            "rows than parameters (and about 10 events per regressor). Use fewer regressors or "
            "more firms."
        )
    check_rank(formula, X, fam)
    check_collinearity(formula, X)
    check_variation(formula, y, fam)
    return y, X


def _check_finite(formula: str, y: pd.Series, X: pd.DataFrame) -> None:
    for frame in (y.to_frame(), X):
        bad = ~np.isfinite(frame.to_numpy(float))
        if bad.any():
            i, j = (int(a[0]) for a in np.nonzero(bad))
            raise DataValueError(
                f"formula {formula!r}: term {frame.columns[j]!r} is {frame.iat[i, j]} in row "
                f"{frame.index[i]!r} (e.g. the log of 0 or a division by 0); fix the data or "
                "the transformation."
            )


def check_rank(formula: str, X: pd.DataFrame, family: str | Family) -> None:
    r"""Refuse a design matrix without full column rank, naming the offending columns.

    The rank is read off a column-pivoted QR decomposition (tolerance
    :math:`\max(n, k)\,\epsilon\,|R_{11}|`, as ``numpy.linalg.matrix_rank``); each dependent
    column is then written as the least-squares combination of the independent ones.
    """
    ordered = family_of(family).is_ordered
    A = X.to_numpy(float)
    names = list(X.columns)
    const = [c for c, col in zip(names, A.T, strict=True) if c != "Intercept" and np.ptp(col) == 0]
    if const and (ordered or "Intercept" in names):
        value = X[const[0]].iloc[0]
        why = (
            "the ordered logit's cutpoints already play the intercept's role"
            if ordered
            else "it is collinear with the intercept"
        )
        raise ModelSpecError(
            f"formula {formula!r}: regressor {const[0]!r} is constant ({value:g} in every row); "
            f"{why}. Drop it (in a subsample, a category may be absent or universal)."
        )
    scale = np.abs(A).max(axis=0)
    scale[scale == 0] = 1
    _, R, piv = linalg.qr(A / scale, mode="economic", pivoting=True)
    d = np.abs(np.diag(R))
    tol = max(A.shape) * np.finfo(float).eps * (d[0] if len(d) else 0)
    rank = int((d > tol).sum())
    if rank == A.shape[1]:
        return
    keep = np.sort(piv[:rank])
    dep = int(piv[rank])
    coef, *_ = np.linalg.lstsq(A[:, keep], A[:, dep], rcond=None)
    terms = [f"{c:+.4g}·{names[j]}" for c, j in zip(coef, keep, strict=True) if abs(c) > 1e-8]
    raise ModelSpecError(
        f"formula {formula!r}: the regressors are exactly collinear (design rank {rank} < "
        f"{A.shape[1]} columns): {names[dep]!r} = {' '.join(terms) or '0'}. Drop one of "
        f"{[names[dep]] + [names[j] for j in keep if abs(coef[list(keep).index(j)]) > 1e-8]}."
    )


#: Largest condition index accepted (Belsley, Kuh & Welsch 1980: 30 signals strong dependence, and
#: above 1000 the regressors are so nearly collinear that their coefficients are not identified
#: in practice: standard errors in the thousands of the estimates, or no convergence).
MAX_CONDITION_INDEX = 1000.0


def collinearity(X: pd.DataFrame) -> tuple[np.ndarray, pd.DataFrame]:
    r"""Belsley-Kuh-Welsch collinearity diagnostics: condition indices and variance proportions.

    The columns of the design (intercept included) are scaled to unit length,
    :math:`	ilde X = U D V'`; the condition indices are :math:`\eta_k = d_{\max} / d_k` and the
    share of the variance of coefficient j owed to component k is

    .. math:: \pi_{kj} = rac{v_{jk}^2 / d_k^2}{\sum_l v_{jl}^2 / d_l^2}.

    A near dependence shows as a large :math:`\eta_k` with two or more :math:`\pi_{kj} > 0.5`:
    those regressors are the ones involved.

    Returns
    -------
    (numpy.ndarray, pandas.DataFrame)
        The condition indices (one per component) and the variance proportions (components x
        regressors).

    References
    ----------
    Belsley, D. A., Kuh, E., & Welsch, R. E. (1980). *Regression Diagnostics*. Wiley, ch. 3.

    Examples
    --------
    >>> X = pd.DataFrame({"Intercept": 1.0, "a": [1.0, 2, 3, 4], "b": [1.0, 2, 3, 4.001]})
    >>> eta, pi = collinearity(X)
    >>> bool(eta.max() > 1000), sorted(pi.columns[pi.iloc[int(eta.argmax())] > 0.5])
    (True, ['a', 'b'])
    """
    A = X.to_numpy(float)
    norm = np.sqrt((A * A).sum(axis=0))
    norm[norm == 0] = 1.0
    _, d, vt = np.linalg.svd(A / norm, full_matrices=False)
    with np.errstate(divide="ignore"):
        eta = d[0] / d
        phi = (vt.T**2) / d**2  # regressors x components
    pi = phi / phi.sum(axis=1, keepdims=True)
    return eta, pd.DataFrame(pi.T, columns=X.columns)


def check_collinearity(formula: str, X: pd.DataFrame) -> None:
    """Refuse near-collinear regressors (condition index above :data:`MAX_CONDITION_INDEX`).

    Names the regressors involved (variance proportion above 0.5 on the worst component) and
    the condition index, instead of a fit that does not converge or standard errors thousands of
    times the estimates.
    """
    if X.shape[1] < 2:
        return
    eta, pi = collinearity(X)
    k = int(np.argmax(eta))
    if not eta[k] > MAX_CONDITION_INDEX:
        return
    row = pi.iloc[k]
    involved = list(row.index[row > 0.5]) or list(row.sort_values(ascending=False).index[:2])
    raise ModelSpecError(
        f"formula {formula!r}: the regressors {involved} are nearly collinear (condition index "
        f"{eta[k]:,.0f}, above {MAX_CONDITION_INDEX:g}; Belsley-Kuh-Welsch variance "
        f"proportions {', '.join(f'{c} {row[c]:.2f}' for c in involved)}): their effects "
        "cannot be told apart on these data. Drop one of them, combine them (e.g. a sum or a "
        "scale), or centre a variable and its square."
    )


def check_variation(formula: str, y: pd.Series, family: str | Family) -> None:
    """Refuse an outcome with a single value (no events, or all events)."""
    fam = family_of(family)
    values = np.unique(y.to_numpy())
    if len(values) >= 2:
        return
    what = {0.0: "no events (all 0)", 1.0: "only events (all 1)"}.get(float(values[0]), "")
    if not fam.is_binary:
        what = ""
    raise ModelSpecError(
        f"formula {formula!r}: outcome {y.name!r} takes the single value {values[0]:g} in all "
        f"{len(y)} rows{' — ' + what if what else ''}; there is nothing to explain, and no "
        f"{fam.name} estimate or p-value exists. Pool more firms or regions, or choose another "
        "outcome."
    )
