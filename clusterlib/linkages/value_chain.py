"""A cluster's value chain from an input-output table: suppliers, customers, local purchases, jobs.

Pure DataFrame functions used by the value-chain chapter (notebook 05): employment by input-output
industry from NACE divisions, the filling of industries without employment data, the regional
tables for a range of FLQ δ, the share of inputs bought inside the region, supplier and customer
shares, and employment multipliers.

References
----------
Feser, E. J. and Bergman, E. M. (2000). National industry cluster templates: a framework for
applied regional cluster analysis. *Regional Studies* 34(1): 1-19.
Miller, R. E. and Blair, P. D. (2022). *Input-Output Analysis*, 3rd ed., ch. 6 and sect. 8.3.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from clusterlib.errors import DataFormatError, DataValueError, UnknownCodeError
from clusterlib.linkages.bridge import wiod_nace_bridge
from clusterlib.linkages.inverses import leontief_inverse
from clusterlib.linkages.regional import regionalise


def io_employment(counts: pd.Series, *, industries: Iterable[str]) -> pd.Series:
    """Sum employment by NACE Rev. 2 division into WIOD industries.

    Parameters
    ----------
    counts : pandas.Series
        Persons employed by NACE division (e.g. ``C25``); NaN counts as 0.
    industries : iterable of str
        The WIOD industries to return (``c1`` ... ``c35``); those without a division are 0.

    Returns
    -------
    pandas.Series
        Employment by WIOD industry, named ``employment``.

    Examples
    --------
    >>> io_employment(pd.Series({"C24": 10.0, "C25": 5.0, "C28": 2.0}),
    ...               industries=["c12", "c13", "c1"]).to_dict()
    {'c12': 15.0, 'c13': 2.0, 'c1': 0.0}
    """
    b = wiod_nace_bridge().set_index("nace")["industry"]
    c = pd.to_numeric(counts, errors="coerce").fillna(0.0)
    unknown = c.index.difference(b.index)
    if len(unknown):
        raise UnknownCodeError(
            f"counts: {list(unknown[:5])} are not NACE Rev. 2 divisions of the WIOD bridge; give "
            "employment by division (e.g. 'C25')."
        )
    out = c.groupby(b.reindex(c.index).to_numpy()).sum()
    return out.reindex(list(industries), fill_value=0.0).astype(float).rename("employment")


def fill_uncovered(
    regional: pd.Series, national: pd.Series, *, proxy: pd.Series
) -> tuple[pd.Series, pd.Series, pd.Index]:
    """Give industries without employment data the region's average share (SLQ = 1).

    For every industry i with national employment 0 (outside the data, e.g. agriculture or public
    services outside Eurostat's business statistics), set NE_i = p_i and RE_i = p_i TRE/TNE, with
    p a positive national proxy (e.g. output) and TRE, TNE the covered totals. Then TRE/TNE is
    unchanged, so SLQ_i = (RE_i/NE_i) / (TRE/TNE) = 1 for the filled industries and every covered
    industry keeps its SLQ, as does FLQ's λ (which depends on TRE/TNE only).

    Returns
    -------
    (regional, national, filled)
        The filled employment Series and the labels of the filled industries.

    Raises
    ------
    DataValueError
        No covered industry, or a proxy that is not positive for an industry to fill.

    Examples
    --------
    >>> re, ne, filled = fill_uncovered(pd.Series({"a": 10.0, "b": 0.0}),
    ...                                 pd.Series({"a": 40.0, "b": 0.0}),
    ...                                 proxy=pd.Series({"a": 1.0, "b": 8.0}))
    >>> re.to_dict(), ne.to_dict(), list(filled)
    ({'a': 10.0, 'b': 2.0}, {'a': 40.0, 'b': 8.0}, ['b'])
    """
    re, ne = regional.astype(float), national.astype(float)
    gap = ne <= 0
    if gap.all():
        raise DataValueError("national: no industry has employment; check the employment data.")
    p = proxy.reindex(ne.index).astype(float)
    bad = gap & ~(p > 0)
    if bad.any():
        raise DataValueError(
            f"proxy, industry {ne.index[bad.to_numpy()][0]!r}: expected a positive number to fill "
            f"an industry without employment, found {p[bad].iloc[0]:g}."
        )
    ratio = re[~gap].sum() / ne[~gap].sum()
    return re.where(~gap, p * ratio), ne.where(~gap, p), ne.index[gap.to_numpy()]


def regional_tables(
    A: pd.DataFrame, *, regional: pd.Series, national: pd.Series, deltas: Iterable[float]
) -> pd.DataFrame:
    """FLQ-regionalised coefficients for every δ, stacked by (delta, industry).

    Examples
    --------
    >>> A = pd.DataFrame([[0.1, 0.4], [0.3, 0.1]], index=["a", "b"], columns=["a", "b"])
    >>> R = regional_tables(A, regional=pd.Series({"a": 30.0, "b": 70.0}),
    ...                     national=pd.Series({"a": 600.0, "b": 400.0}), deltas=[0.0, 0.3])
    >>> R.index.names, R.shape
    (FrozenList(['delta', 'industry']), (4, 2))
    """
    out = pd.concat(
        {float(d): regionalise(A, regional=regional, national=national, method="flq", delta=d)
         for d in deltas},
        names=["delta", "industry"],
    )  # fmt: skip
    return out


def local_input_share(A: pd.DataFrame, R: pd.DataFrame, *, industries: Iterable[str]) -> pd.Series:
    """Share of an industry's domestic intermediate inputs bought inside the region.

    s_j = Σ_i r_ij / Σ_i a_ij: the regional purchase coefficients RPC_ij = r_ij / a_ij averaged over
    the inputs i with weights a_ij. ``R`` may be stacked (e.g. by delta): one value per level.

    Examples
    --------
    >>> A = pd.DataFrame([[0.1, 0.4], [0.3, 0.1]], index=["a", "b"], columns=["a", "b"])
    >>> R = pd.DataFrame([[0.05, 0.2], [0.3, 0.1]], index=["a", "b"], columns=["a", "b"])
    >>> local_input_share(A, R, industries=["a"]).round(4).to_dict()
    {'a': 0.875}
    """
    cols = list(industries)
    inputs = A[cols].sum()
    if (inputs <= 0).any():
        raise DataValueError(f"A, industry {inputs.index[inputs <= 0][0]!r}: buys no inputs.")
    if isinstance(R.index, pd.MultiIndex):
        return R[cols].groupby(level=0, sort=False).sum() / inputs
    return R[cols].sum() / inputs


def supplier_shares(
    A: pd.DataFrame, output: pd.Series, *, cluster: Iterable[str], R: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Return the cluster industries' suppliers: shares of their domestic intermediate inputs.

    With Z = A x̂ the flows, ``share``_i = Σ_{j∈C} z_ij / Σ_i Σ_{j∈C} z_ij (sums to 1). With a
    regional table R: ``regional_share``_i the same from r_ij x_j (the inputs bought inside the
    region, sums to 1) and ``local``_i = Σ_j r_ij x_j / Σ_j z_ij, the share of input i bought
    locally (0 where none is bought).

    Examples
    --------
    >>> A = pd.DataFrame([[0.1, 0.4], [0.3, 0.1]], index=["a", "b"], columns=["a", "b"])
    >>> R = pd.DataFrame([[0.05, 0.2], [0.3, 0.1]], index=["a", "b"], columns=["a", "b"])
    >>> supplier_shares(A, pd.Series({"a": 10.0, "b": 5.0}), cluster=["a"], R=R).round(4)
       share  regional_share  local
    a   0.25          0.1429    0.5
    b   0.75          0.8571    1.0
    """
    cols = list(cluster)
    x = output[cols].astype(float)
    z = (A[cols] * x).sum(axis=1)
    out = pd.DataFrame({"share": z / z.sum()})
    if R is not None:
        zr = (R[cols] * x).sum(axis=1)
        out["regional_share"] = zr / zr.sum()
        out["local"] = (zr / z.where(z > 0)).fillna(0.0)
    return out


def customer_shares(
    flows: pd.DataFrame, final_demand: pd.DataFrame, *, cluster: Iterable[str]
) -> pd.DataFrame:
    """Return the cluster industries' customers: industries and final demand, shares of sales.

    ``share``_k = Σ_{i∈C} z_ik / Σ_{i∈C} (Σ_j z_ij + Σ_f y_if) for a buying industry or a final
    demand column k; sums to 1. ``kind`` says which.

    Examples
    --------
    >>> Z = pd.DataFrame([[1.0, 4.0], [3.0, 1.0]], index=["a", "b"], columns=["a", "b"])
    >>> Y = pd.DataFrame({"EXP": [5.0, 2.0]}, index=["a", "b"])
    >>> customer_shares(Z, Y, cluster=["a"])
         share          kind
    a      0.1      industry
    b      0.4      industry
    EXP    0.5  final demand
    """
    cols = list(cluster)
    sales = pd.concat([flows.loc[cols].sum(), final_demand.loc[cols].sum()])
    kind = ["industry"] * flows.shape[1] + ["final demand"] * final_demand.shape[1]
    return pd.DataFrame({"share": sales / sales.sum(), "kind": kind}, index=sales.index)


def regional_customer_shares(
    flows: pd.DataFrame,
    final_demand: pd.DataFrame,
    *,
    R: pd.DataFrame,
    output: pd.Series,
    regional: pd.Series,
    national: pd.Series,
    cluster: Iterable[str],
    exports: str | None = "EXP",
) -> pd.DataFrame:
    """Return the region's cluster industries' customers, inside and outside the region.

    The region's output of industry i is estimated from its jobs, x^R_i = x_i ρ_i with
    ρ_i = RE_i / NE_i (national output per job). Its sales follow the national structure of the
    industry's sales s_i = Σ_k z_ik + Σ_f y_if; of those to industry k, the part bought by k's
    plants in the region is r_ik x^R_k, from the regional coefficients R (Miller and Blair
    2022, sect. 8.3). With X^R = Σ_{i∈C} s_i ρ_i, for a customer k:

    - ``share``_k = Σ_{i∈C} z_ik ρ_i / X^R (y_if for a final demand column f); sums to 1;
    - ``in_region``_k = Σ_{i∈C} r_ik x_k ρ_k / X^R for an industry: sold inside the region;
    - ``outside_region``_k = ``share``_k - ``in_region``_k: sold to k elsewhere in the country;
      for the ``exports`` column, all its share (sold abroad);
    - ``unplaced``_k: the share of the other final demand columns (households, government,
      investment, inventories), whose region the table does not give.

    ``in_region`` + ``outside_region`` + ``unplaced`` = ``share``. FLQ and CILQ tables give
    in_region_k <= share_k term by term (r_ik / a_ik <= SLQ_i / SLQ_k = ρ_i / ρ_k off the
    diagonal, r_kk <= a_kk on it); for SLQ or AFLQ tables ``in_region`` is capped at ``share``.

    Parameters
    ----------
    flows, final_demand : pandas.DataFrame
        The national table's intermediate flows Z and final demand columns, by industry.
    R : pandas.DataFrame
        Regional coefficients (:func:`~clusterlib.linkages.regionalise`), labelled like Z.
    output : pandas.Series
        National gross output x by industry.
    regional, national : pandas.Series
        Employment by industry in the region and the nation (national > 0), as given to R.
    cluster : iterable of str
        The cluster's industries.
    exports : str or None
        The final demand column of exports (WIOD ``EXP``); None: none.

    Returns
    -------
    pandas.DataFrame
        One row per customer (industries, then final demand columns): ``share``, ``in_region``,
        ``outside_region``, ``unplaced`` and ``kind`` (``industry``, ``exports`` or ``final
        demand``).

    Raises
    ------
    DataFormatError
        ``exports`` not a column of ``final_demand``.
    DataValueError
        The cluster has no employment in the region, or a national employment that is not > 0.

    Examples
    --------
    >>> A = pd.DataFrame([[0.1, 0.4], [0.3, 0.1]], index=["a", "b"], columns=["a", "b"])
    >>> x = pd.Series({"a": 10.0, "b": 5.0})
    >>> Y = pd.DataFrame({"EXP": [5.0, 0.5], "CONS_h": [2.0, 1.0]}, index=["a", "b"])
    >>> re, ne = pd.Series({"a": 30.0, "b": 70.0}), pd.Series({"a": 600.0, "b": 400.0})
    >>> R = regionalise(A, regional=re, national=ne, method="flq", delta=0.3)
    >>> regional_customer_shares(A * x, Y, R=R, output=x, regional=re, national=ne,
    ...                          cluster=["a"]).round(3)
            share  in_region  outside_region  unplaced          kind
    a         0.1      0.028           0.072       0.0      industry
    b         0.2      0.110           0.090       0.0      industry
    EXP       0.5      0.000           0.500       0.0       exports
    CONS_h    0.2      0.000           0.000       0.2  final demand
    """
    cols = list(cluster)
    if exports is not None and exports not in final_demand.columns:
        raise DataFormatError(
            f"exports: {exports!r} is not a final demand column ({list(final_demand.columns)}); "
            "name the exports column, or pass exports=None."
        )
    ne = national.reindex(flows.index).astype(float)
    if not (ne > 0).all():
        bad = ne.index[~(ne > 0).to_numpy()][0]
        raise DataValueError(f"national, industry {bad!r}: expected employment > 0, found "
                             f"{ne[bad]:g}; fill industries without data first (fill_uncovered).")  # fmt: skip
    rho = regional.reindex(flows.index).fillna(0.0).astype(float) / ne
    sales = pd.concat([flows.loc[cols], final_demand.loc[cols]], axis=1)
    total = (sales.sum(axis=1) * rho[cols]).sum()
    if not total > 0:
        raise DataValueError(f"regional: the cluster's industries {cols} have no employment in "
                             "the region, so it sells nothing from there.")  # fmt: skip
    share = sales.mul(rho[cols], axis=0).sum() / total
    local = R.loc[cols].sum() * output.reindex(R.columns).astype(float) * rho[R.columns] / total
    kind = pd.Series("final demand", index=share.index)
    kind[flows.columns] = "industry"
    if exports is not None:
        kind[exports] = "exports"
    inside = np.minimum(local.reindex(share.index), share)  # NaN off the industries: masked
    out = pd.DataFrame({
        "share": share, "in_region": inside.where(kind == "industry", 0.0),
        "outside_region": (share - inside).where(kind == "industry", share.where(kind == "exports", 0.0)),
        "unplaced": share.where(kind == "final demand", 0.0), "kind": kind,
    })  # fmt: skip
    return out


def employment_multipliers(
    A: pd.DataFrame, coefficients: pd.Series, *, industries: Iterable[str]
) -> pd.DataFrame:
    """Output and type I employment multipliers of some industries, national or stacked.

    ``output``_j = Σ_i l_ij and ``jobs_type_i``_j = Σ_i e_i l_ij / e_j with e the jobs per unit of
    output. Unlike :func:`~clusterlib.linkages.multipliers`, industries without jobs data
    (e_i = 0) are allowed among the suppliers (their jobs are not counted); the industries asked
    for need e_j > 0. ``jobs_per_100`` = 100 (type I - 1), the jobs supported in the supply chain
    per 100 jobs in the industry.

    Examples
    --------
    >>> A = pd.DataFrame([[0.1, 0.4], [0.3, 0.1]], index=["a", "b"], columns=["a", "b"])
    >>> employment_multipliers(A, pd.Series({"a": 10.0, "b": 20.0}), industries=["a"]).round(4)
       output  jobs_type_i  jobs_per_100
    a  1.7391       2.1739      117.3913
    """
    cols = list(industries)
    e = coefficients.reindex(A.columns).fillna(0.0).astype(float)
    if (e[cols] <= 0).any():
        raise DataValueError(
            f"coefficients, industry {e[cols].index[(e[cols] <= 0).to_numpy()][0]!r}: no jobs "
            "data, so its employment multiplier is undefined."
        )
    L = leontief_inverse(A)
    if isinstance(L.index, pd.MultiIndex):
        n = A.shape[1]
        arr = L.to_numpy().reshape(-1, n, n)
        pick = A.columns.get_indexer(cols)
        out_m = arr.sum(axis=1)[:, pick]
        jobs = np.einsum("i,rij->rj", e.to_numpy(), arr)[:, pick] / e.to_numpy()[pick]
        idx = pd.MultiIndex.from_product([L.index.get_level_values(0).unique(), cols])
        frame = pd.DataFrame({"output": out_m.ravel(), "jobs_type_i": jobs.ravel()}, index=idx)
    else:
        frame = pd.DataFrame({"output": L.sum()[cols], "jobs_type_i": (e @ L)[cols] / e[cols]})
    frame.index.names = L.index.names
    frame["jobs_per_100"] = 100 * (frame["jobs_type_i"] - 1)
    return frame


def weighted(values: pd.DataFrame, weights: pd.Series) -> pd.DataFrame:
    """Weighted means of ``values`` over the industries (last index level), per other level.

    Examples
    --------
    >>> v = pd.DataFrame({"m": [1.0, 3.0]}, index=["a", "b"])
    >>> weighted(v, pd.Series({"a": 1.0, "b": 3.0})).to_dict()
    {'m': 2.5}
    """
    w = weights.reindex(values.index.get_level_values(-1)).to_numpy()
    if isinstance(values.index, pd.MultiIndex):
        num = values.mul(w, axis=0).groupby(level=0, sort=False).sum()
        return num.div(pd.Series(w, index=values.index).groupby(level=0, sort=False).sum(), axis=0)
    return (values.mul(w, axis=0).sum() / w.sum()).rename(None)
