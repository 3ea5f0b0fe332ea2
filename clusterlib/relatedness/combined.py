r"""Co-location and input-output links combined into one relatedness, as Delgado, Porter and Stern do.

Delgado, Porter and Stern (2016) define clusters of related industries from several similarity
matrices between industries: co-location, input-output links and occupations. Here two of them
are combined, each kept visible:

- co-location: :math:`\rho_{ij}`, the correlation of the industries' location quotients across
  regions (:func:`~clusterlib.relatedness.colocation_relatedness`), in [-1, 1];
- input-output links: :math:`IO_{ij}` in [0, 1], the largest of the four shares of purchases and
  sales between i and j (DPS sect. 3.2; :func:`clusterlib.linkages.io_link_strength`, by NACE
  division :func:`clusterlib.linkages.division_link_strength`), given as a precomputed table so
  that this package needs no input-output code;

.. math:: s_{ij} = (1 - w)\,\rho_{ij} + w\,IO_{ij}

with ``io_weight`` :math:`w \in [0, 1]`; an undefined correlation counts as 0. Both are on
comparable scales (a correlation of 0.3 and a link of 0.3, 30% of one industry's purchases or
sales, are both strong), so the same cut of the tree reads the same way: two groups merge while
their average similarity is above 1 - cut. :math:`w = 0` is co-location alone, exactly;
:math:`w = 1` is input-output links alone (then resampling regions changes nothing). DPS weigh
their matrices equally; ``w = 0.5`` does so for these two.

References
----------
Delgado, M., Porter, M. E., & Stern, S. (2016). Defining clusters of related industries. *Journal of
Economic Geography*, 16(1), 1-38.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from clusterlib.errors import DataFormatError, DataValueError, OptionError

__all__ = ["check_io_links", "check_io_weight", "combine", "link_sources", "with_sources"]


def check_io_weight(io_weight: object) -> float:
    """Return ``io_weight`` as a float after checking it is a number from 0 to 1."""
    ok = isinstance(io_weight, int | float) and not isinstance(io_weight, bool)
    if not ok or not 0 <= io_weight <= 1:
        raise OptionError(
            f"io_weight: expected the weight of the input-output links, a number from 0 "
            f"(co-location only) to 1 (input-output links only), got {io_weight!r}."
        )
    return float(io_weight)


def check_io_links(io_links: object, industries: pd.Index) -> np.ndarray:
    """Return the links among ``industries`` as an array, after checking the table.

    The table must be a DataFrame with every industry in its index and its columns (extra
    industries are ignored), with numbers from 0 to 1, symmetric; its diagonal is not read.

    Examples
    --------
    >>> L = pd.DataFrame([[0.0, 0.2], [0.2, 0.0]], index=["a", "b"], columns=["a", "b"])
    >>> check_io_links(L, pd.Index(["b", "a"]))
    array([[0. , 0.2],
           [0.2, 0. ]])
    """
    if not isinstance(io_links, pd.DataFrame):
        raise DataFormatError(
            f"io_links: expected a pandas DataFrame of link strengths, industries as index and "
            f"columns (e.g. clusterlib.linkages.division_link_strength), found "
            f"{type(io_links).__name__}."
        )
    for axis, labels in (("rows", io_links.index), ("columns", io_links.columns)):
        missing = industries.difference(labels, sort=False)
        if len(missing):
            raise DataFormatError(
                f"io_links {axis}: no link for {len(missing)} industr"
                f"{'y' if len(missing) == 1 else 'ies'} of the employment matrix, e.g. "
                f"{list(missing[:5])}; the labels must be the matrix's industry codes (NACE "
                "divisions such as 'C25'). Give a link, 0 if none, for every industry."
            )
        if labels.duplicated().any():
            raise DataFormatError(
                f"io_links {axis}: label {labels[labels.duplicated()][0]!r} appears more than "
                "once; expected each industry once."
            )
    sub = io_links.loc[industries, industries]
    values = sub.apply(pd.to_numeric, errors="coerce").to_numpy(dtype=float, copy=True)
    np.fill_diagonal(values, 0.0)
    bad = ~np.isfinite(values) | (values < 0) | (values > 1)
    if bad.any():
        r, c = np.argwhere(bad)[0]
        raise DataValueError(
            f"io_links, row {sub.index[r]!r}, column {sub.columns[c]!r}: expected a link strength "
            f"from 0 to 1 (a share of purchases or sales), found {sub.iloc[r, c]!r}."
        )
    asym = ~np.isclose(values, values.T, rtol=1e-9, atol=1e-12)
    if asym.any():
        r, c = np.argwhere(asym)[0]
        raise DataValueError(
            f"io_links, rows {sub.index[r]!r} and {sub.index[c]!r}: the link is "
            f"{values[r, c]:g} one way and {values[c, r]:g} the other; expected a symmetric "
            "table (e.g. the larger of the two: numpy.maximum(L, L.T))."
        )
    return values


def combine(R: np.ndarray, links: np.ndarray | None, io_weight: float) -> np.ndarray:
    r"""Return :math:`s = (1 - w)\rho + w\,IO` for a stack of correlation matrices ``R``.

    Without links, ``R`` itself (co-location alone). An undefined correlation (NaN) counts as 0.

    Examples
    --------
    >>> R = np.array([[[1.0, 0.4], [0.4, 1.0]]])
    >>> combine(R, np.array([[0.0, 0.2], [0.2, 0.0]]), 0.5)[0, 0, 1].round(6)
    np.float64(0.3)
    """
    if links is None:
        return R
    return (1.0 - io_weight) * np.nan_to_num(R, nan=0.0) + io_weight * links


def link_sources(
    corr: pd.DataFrame, io_links: pd.DataFrame, *, io_weight: float = 0.5
) -> pd.DataFrame:
    r"""Every pair of industries with its co-location, its input-output link and the two combined.

    Parameters
    ----------
    corr : pandas.DataFrame
        Co-location relatedness :math:`\rho` (:func:`~clusterlib.relatedness.colocation_relatedness`).
    io_links : pandas.DataFrame
        Link strengths :math:`IO` in [0, 1], symmetric, with every industry of ``corr``.
    io_weight : float
        :math:`w` in :math:`s = (1 - w)\rho + w\,IO` (module docstring).

    Returns
    -------
    pandas.DataFrame
        One row per pair (``industry`` < ``with``): ``colocation``, ``io_link`` and ``combined``,
        sorted by ``combined``, strongest first.

    Examples
    --------
    >>> corr = pd.DataFrame([[1.0, 0.4], [0.4, 1.0]], index=["a", "b"], columns=["a", "b"])
    >>> io = pd.DataFrame([[0.0, 0.2], [0.2, 0.0]], index=["a", "b"], columns=["a", "b"])
    >>> link_sources(corr, io).round(2)
                  colocation  io_link  combined
    industry with
    a        b           0.4      0.2       0.3
    """
    w = check_io_weight(io_weight)
    industries = corr.index
    links = check_io_links(io_links, industries)
    rho = corr.loc[industries, industries].to_numpy(dtype=float)
    i, j = np.triu_indices(len(industries), 1)
    out = pd.DataFrame(
        {"colocation": rho[i, j], "io_link": links[i, j],
         "combined": combine(rho[None], links, w)[0][i, j]},
        index=pd.MultiIndex.from_arrays([industries[i], industries[j]], names=["industry", "with"]),
    )  # fmt: skip
    return out.sort_values("combined", ascending=False, kind="stable")


def with_sources(
    definition: pd.DataFrame,
    industries: pd.Index,
    R: np.ndarray,
    links: np.ndarray,
    io_weight: float,
    *,
    partition: Callable[[np.ndarray], np.ndarray],
) -> pd.DataFrame:
    r"""Add to a combined definition what each source of evidence says on its own.

    ``cluster_colocation`` and ``cluster_io`` are ``partition`` (the clustering of
    :func:`~clusterlib.relatedness.clusters.define_clusters`) of :math:`\rho` and of :math:`IO`
    alone; ``colocation``, ``io_link`` and ``combined`` the means of :math:`\rho` (NaN as 0),
    :math:`IO` and :math:`s` between each industry and the other members of its ``cluster``:

    .. math:: \bar m_i = \frac{1}{|C(i)| - 1} \sum_{j \in C(i), j \ne i} m_{ij}

    (NaN for an industry alone). ``R`` and ``links`` follow ``industries``; ``definition`` may
    be in any order.
    """
    rho = np.nan_to_num(R, nan=0.0)
    cluster = definition["cluster"].reindex(industries).to_numpy()
    same = (cluster[:, None] == cluster[None, :]) & ~np.eye(len(cluster), dtype=bool)
    n = same.sum(axis=1)
    pairs = (("colocation", rho), ("io_link", links),
             ("combined", combine(R[None], links, io_weight)[0]))  # fmt: skip
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = {k: np.where(n > 0, (same * m).sum(axis=1) / n, np.nan) for k, m in pairs}
    frame = pd.DataFrame(
        {"cluster_colocation": partition(R), "cluster_io": partition(links), **mean},
        index=industries,
    )
    out = definition.join(frame)
    out.attrs.update(definition.attrs, io_weight=io_weight)
    return out
