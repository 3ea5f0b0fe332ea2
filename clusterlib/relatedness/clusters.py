r"""Data-driven cluster definitions: divisions grouped by where they co-locate.

The US Cluster Mapping Project defines clusters of related industries from co-location and
input-output links (Delgado, Porter & Stern 2016). With regional employment only, the co-location
part applies: :func:`define_clusters` groups NACE divisions by average-linkage hierarchical
clustering of the distance :math:`d_{ij} = 1 - \rho_{ij}`, with :math:`\rho_{ij}` the correlation
of the divisions' location quotients across regions
(:func:`~clusterlib.relatedness.colocation_relatedness`), and cuts the tree at ``cut``: two groups
merge while their average correlation is above :math:`1 - \text{cut}`.

Stability over regions, by the bootstrap (Hennig 2007): the regions are resampled with replacement
``n_boot`` times, the correlations and the tree recomputed and cut at the same height. A cluster's
stability is the mean over the resamples of its best Jaccard similarity with a resampled cluster
(above 0.75 stable, below 0.5 dissolved); :func:`coassignment` gives, for every pair of divisions,
the share of resamples that put them together, which answers "which divisions do the data attach
to metal processing?".

:func:`clusters_yaml` writes the result in the format of ``params/clusters.yaml``, for users to edit
and feed back to every notebook; :func:`compare_definitions` sets it against hand-made definitions.

References
----------
Delgado, M., Porter, M. E., & Stern, S. (2016). Defining clusters of related industries. *Journal of
Economic Geography*, 16(1), 1-38.
Hennig, C. (2007). Cluster-wise assessment of cluster stability. *Computational Statistics & Data
Analysis*, 52(1), 258-271.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from clusterlib.errors import DataFormatError, OptionError
from clusterlib.options import check_option
from clusterlib.relatedness.combined import (
    check_io_links,
    check_io_weight,
    combine,
    with_sources,
)
from clusterlib.relatedness.matrix import one_blas_thread, to_cube
from clusterlib.relatedness.proximity import ColocationOn, _pairwise_corr
from clusterlib.relatedness.rca import rca_array

__all__ = [
    "cluster_evidence",
    "clusters_yaml",
    "coassignment",
    "compare_definitions",
    "data_clusters",
    "define_clusters",
]


def _intensities(employment: pd.DataFrame, on: str) -> tuple[np.ndarray, pd.Index]:
    check_option("on", on, ColocationOn)
    cube = to_cube(employment)
    if cube.years is not None and len(cube.years) > 1:
        raise OptionError(
            "define_clusters: pass one year's region x industry matrix (panel.loc[year]), not a "
            f"panel of {len(cube.years)} years."
        )
    rows = cube.present[0][0]
    if on == "lq":
        V = rca_array(cube)[0][rows]
    else:
        X = cube.values[0][rows]
        V = X / np.nansum(X, axis=0, keepdims=True)
    if V.shape[0] < 4 or V.shape[1] < 2:
        raise DataFormatError(
            f"define_clusters: {V.shape[0]} region(s) x {V.shape[1]} industr(ies); at least 4 "
            "regions and 2 industries are needed."
        )
    return V, cube.industries


def _cut(R: np.ndarray, cut: float) -> np.ndarray:
    """Average-linkage labels of each correlation matrix R[b], cut at ``cut`` (1 - correlation)."""
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import squareform

    out = np.empty(R.shape[:2], dtype=int)
    for b, r in enumerate(R):
        D = 1.0 - np.nan_to_num(r, nan=0.0)  # undefined correlation: unrelated (distance 1)
        np.fill_diagonal(D, 0.0)
        out[b] = fcluster(linkage(squareform(D, checks=False), "average"), cut, "distance")
    return out


def _partitions(employment, cut, on, n_boot, seed, io_links=None, io_weight=0.5):
    """Return the labels, the resampled labels, the industries, ρ and the links (or None)."""
    if not (isinstance(cut, int | float) and 0 < cut < 2):
        raise OptionError(
            f"cut: expected a distance between 0 and 2 (1 - correlation), got {cut!r}."
        )
    if not (isinstance(n_boot, int) and n_boot >= 0):
        raise OptionError(f"n_boot: expected a whole number >= 0, got {n_boot!r}.")
    V, industries = _intensities(employment, on)
    w = check_io_weight(io_weight)
    links = None if io_links is None else check_io_links(io_links, industries)
    R = _pairwise_corr(V[None])
    labels = _cut(combine(R, links, w), cut)[0]
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, V.shape[0], size=(n_boot, V.shape[0]))
    boot = (_cut(combine(_pairwise_corr(V[idx]), links, w), cut) if n_boot
            else np.empty((0, len(industries)), int))  # fmt: skip
    return labels, boot, industries, R[0], links


def _onehot(labels: np.ndarray) -> np.ndarray:
    _, inv = np.unique(labels, return_inverse=True)
    return np.eye(inv.max() + 1)[inv]


@one_blas_thread
def define_clusters(
    employment: pd.DataFrame,
    *,
    cut: float = 0.7,
    on: ColocationOn = "lq",
    n_boot: int = 200,
    seed: int = 0,
    io_links: pd.DataFrame | None = None,
    io_weight: float = 0.5,
) -> pd.DataFrame:
    r"""Group industries into clusters by co-location (and input-output links), with stability.

    Average-linkage clustering of :math:`d_{ij} = 1 - \rho_{ij}` cut at ``cut`` (see the module
    docstring); with ``io_links``, of :math:`d_{ij} = 1 - s_{ij}`,
    :math:`s_{ij} = (1 - w)\rho_{ij} + w\,IO_{ij}` (Delgado, Porter and Stern 2016;
    :mod:`clusterlib.relatedness.combined`).

    Parameters
    ----------
    employment : pandas.DataFrame
        One year's region x industry employment (``panel.loc[year]``).
    cut : float
        Height of the cut, in 1 - correlation: 0.7 joins groups whose divisions correlate at 0.3
        on average. Lower: smaller, tighter clusters.
    on : {"lq", "share"}
        Correlate location quotients (default) or shares of the industry's employment (which
        mostly measure region size, see :mod:`clusterlib.relatedness.proximity`).
    n_boot : int
        Bootstrap resamples of the regions (0: no stability).
    seed : int
        Seed of the resampling.
    io_links : pandas.DataFrame, optional
        Input-output link strength :math:`IO_{ij}` in [0, 1] between the industries, symmetric,
        labelled by the matrix's industry codes (:func:`clusterlib.linkages.division_link_strength`
        builds it from a national table). None: co-location alone.
    io_weight : float
        :math:`w`, the weight of the input-output links, 0 to 1 (0: co-location alone, the same
        clusters as without ``io_links``; 1: links alone).

    Returns
    -------
    pandas.DataFrame
        Index industry; ``cluster`` (1 = the largest), ``n_divisions`` and ``stability`` (the cluster's
        mean best Jaccard similarity over the resamples; NaN without resamples), sorted by cluster.
        With ``io_links``, what each source of evidence says: ``cluster_colocation`` and
        ``cluster_io``, the clusters from co-location alone and from the links alone (same cut,
        numbered the same way), and ``colocation``, ``io_link`` and ``combined``, the mean
        :math:`\rho`, :math:`IO` and :math:`s` between the industry and the other members of its
        ``cluster`` (NaN for an industry alone).

    References
    ----------
    Delgado, Porter & Stern (2016); Hennig (2007), see the module docstring.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> f, g = rng.lognormal(size=30), rng.lognormal(size=30)
    >>> X = pd.DataFrame({"a": f, "b": 2 * f, "c": g, "d": rng.lognormal(size=30)})
    >>> X.index, X.columns.name = [f"r{k}" for k in range(30)], "industry"
    >>> io = pd.DataFrame(0.0, index=list("abcd"), columns=list("abcd"))
    >>> io.loc["c", "d"] = io.loc["d", "c"] = 0.9
    >>> d = define_clusters(X, n_boot=0, io_links=io, io_weight=0.5)
    >>> d[["cluster", "cluster_colocation", "cluster_io"]].sort_index()
              cluster  cluster_colocation  cluster_io
    industry
    a               1                   1           2
    b               1                   1           3
    c               2                   2           1
    d               2                   3           1
    """
    labels, boot, industries, R, links = _partitions(
        employment, cut, on, n_boot, seed, io_links, io_weight
    )
    out = _definition(labels, boot, industries, cut=cut, on=on, n_boot=n_boot, seed=seed)
    return out if links is None else _with_sources(out, industries, R, links, io_weight, cut)


def _number(labels: np.ndarray, industries: pd.Index) -> tuple[np.ndarray, np.ndarray]:
    """Return cluster numbers by size (largest first, ties by first code) and cluster sizes."""
    frame = pd.DataFrame({"raw": labels, "code": industries})
    size = frame.groupby("raw")["raw"].transform("size")
    first = frame.groupby("raw")["code"].transform("min")
    order = frame.assign(size=size, first=first).sort_values(
        ["size", "first"], ascending=[False, True]
    )
    number = {raw: k + 1 for k, raw in enumerate(pd.unique(order["raw"]))}
    return frame["raw"].map(number).to_numpy(), size.to_numpy()


def _definition(labels, boot, industries, **attrs) -> pd.DataFrame:
    """Return the clusters, numbered, with their stability (see :func:`define_clusters`)."""
    number, size = _number(labels, industries)
    frame = pd.DataFrame({"cluster": number, "n_divisions": size}, index=industries)
    own = _onehot(frame["cluster"].to_numpy())
    stab = np.zeros(own.shape[1])
    for b in boot:
        B = _onehot(b)
        inter = own.T @ B
        union = own.sum(axis=0)[:, None] + B.sum(axis=0)[None, :] - inter
        stab += (inter / union).max(axis=1)
    frame["stability"] = (stab / len(boot))[frame["cluster"] - 1] if len(boot) else np.nan
    out = frame.sort_values(["cluster"], kind="stable")
    out.attrs.update(attrs)
    return out


def _with_sources(out, industries, R, links, w, cut) -> pd.DataFrame:
    """Add what each source says (:func:`~clusterlib.relatedness.combined.with_sources`)."""
    return with_sources(out, industries, R, links, w,
                        partition=lambda S: _number(_cut(S[None], cut)[0], industries)[0])  # fmt: skip


@one_blas_thread
def coassignment(
    employment: pd.DataFrame,
    *,
    cut: float = 0.7,
    on: ColocationOn = "lq",
    n_boot: int = 200,
    seed: int = 0,
    io_links: pd.DataFrame | None = None,
    io_weight: float = 0.5,
) -> pd.DataFrame:
    r"""Share of bootstrap resamples in which each pair of industries falls in one cluster.

    .. math:: A_{ij} = \frac1B \sum_b 1[c_b(i) = c_b(j)]

    with :math:`c_b` the clustering of resample b (:func:`define_clusters`, same options).

    Returns
    -------
    pandas.DataFrame
        Industry x industry, 0 to 1, 1 on the diagonal.
    """
    _check_resamples(n_boot)
    _, boot, industries, _, _ = _partitions(employment, cut, on, n_boot, seed, io_links, io_weight)
    return _together(boot, industries)


@one_blas_thread
def cluster_evidence(
    employment: pd.DataFrame,
    *,
    cut: float = 0.7,
    on: ColocationOn = "lq",
    n_boot: int = 200,
    seed: int = 0,
    io_links: pd.DataFrame | None = None,
    io_weight: float = 0.5,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return :func:`define_clusters` and :func:`coassignment` from one set of resamples.

    The same as calling both with the same options, with the bootstrap done once.
    """
    _check_resamples(n_boot)
    labels, boot, industries, R, links = _partitions(
        employment, cut, on, n_boot, seed, io_links, io_weight
    )
    out = _definition(labels, boot, industries, cut=cut, on=on, n_boot=n_boot, seed=seed)
    if links is not None:
        out = _with_sources(out, industries, R, links, io_weight, cut)
    return out, _together(boot, industries)


def _check_resamples(n_boot) -> None:
    if not (isinstance(n_boot, int) and n_boot >= 1):
        raise OptionError(f"n_boot: expected a whole number >= 1, got {n_boot!r}.")


def _together(boot: np.ndarray, industries: pd.Index) -> pd.DataFrame:
    together = (boot[:, :, None] == boot[:, None, :]).mean(axis=0)
    return pd.DataFrame(together, index=industries, columns=industries.rename("with"))


def data_clusters(definition: pd.DataFrame, *, min_size: int = 2) -> dict[str, tuple[str, ...]]:
    """Return the clusters of :func:`define_clusters` with ``min_size`` or more members as a dict.

    Names are ``"co-location <n>"`` (``"combined <n>"`` with input-output links); the codes are
    sorted.
    """
    groups = (
        definition.reset_index().groupby("cluster")["industry"].apply(lambda s: tuple(sorted(s)))
    )
    kind = "co-location" if definition.attrs.get("io_weight") is None else "combined"
    return {f"{kind} {k}": codes for k, codes in groups.items() if len(codes) >= min_size}


def clusters_yaml(
    definition: pd.DataFrame, path: str | Path, *, min_size: int = 2, source: str = ""
) -> Path:
    """Write the data-driven clusters as a ``clusters.yaml`` that every notebook can read.

    The file has the format of ``params/clusters.yaml`` (``name: {description, industries}``), is
    checked by :func:`clusterlib.reference.clusters.validate_clusters` before it is written, and
    is written atomically. Single-division groups are left out (they are not clusters).

    Parameters
    ----------
    definition : pandas.DataFrame
        The result of :func:`define_clusters`.
    path : str or Path
        Where to write.
    min_size : int
        Smallest cluster written.
    source : str
        Where the data came from, for the file's header comment.

    Returns
    -------
    Path
        The file written.
    """
    from clusterlib.io.files import write_atomic
    from clusterlib.reference.clusters import validate_clusters

    clusters = data_clusters(definition, min_size=min_size)
    validate_clusters(clusters, source="define_clusters")
    a = definition.attrs
    w = a.get("io_weight")
    links = "" if w is None else f" or trade with each other (input-output links, weight {w:g})"
    lines = []
    for name, codes in clusters.items():
        k = int(name.rsplit(" ", 1)[1])
        stab = definition.loc[definition["cluster"] == k, "stability"].iloc[0]
        note = f"; bootstrap stability {stab:.2f}" if np.isfinite(stab) else ""
        desc = json.dumps(f"Divisions that co-locate across European regions{links}{note}")
        lines += [f"{name}:", f"  description: {desc}", f"  industries: [{', '.join(codes)}]"]
    head = (
        "# Data-driven cluster definitions from clusterlib.relatedness.define_clusters: "
        f"average-linkage clustering of the\n# correlation of location quotients across regions, "
        f"cut at {a.get('cut')} (on={a.get('on')!r}, n_boot={a.get('n_boot')}, "
        f"seed={a.get('seed')}){'' if w is None else f', combined with input-output links (weight {w:g})'}"
        ".\n# {source or 'Source: the employment matrix given.'}\n"
        "# Edit freely (rename, merge, drop), then use it with any notebook's clusters file.\n"
    )
    text = head + "\n".join(lines) + "\n"
    path = Path(path)
    write_atomic(path, text)
    return path


def compare_definitions(
    definition: pd.DataFrame, clusters: Mapping[str, tuple[str, ...] | list[str]]
) -> pd.DataFrame:
    """Set hand-made cluster definitions against the data-driven one.

    For each hand-made cluster: the data clusters its divisions fall in, and the divisions the
    data attach to it (in those clusters but not in the definition).

    Parameters
    ----------
    definition : pandas.DataFrame
        The result of :func:`define_clusters`.
    clusters : mapping
        Name to NACE division codes (:func:`clusterlib.load_clusters`).

    Returns
    -------
    pandas.DataFrame
        One row per hand-made cluster: ``hand``, ``data_clusters``, ``attached`` (in the data
        clusters only), ``not_covered`` (codes that are not divisions of the matrix).
    """
    rows = []
    for name, codes in clusters.items():
        codes = list(codes)
        inside = [c for c in codes if c in definition.index]
        ks = sorted(set(definition.loc[inside, "cluster"].tolist()))
        members = definition.index[definition["cluster"].isin(ks)]
        rows.append({
            "cluster": name,
            "hand": ", ".join(codes),
            "data_clusters": ", ".join(str(k) for k in ks),
            "attached": ", ".join(sorted(set(members) - set(codes))),
            "not_covered": ", ".join(c for c in codes if c not in definition.index),
        })  # fmt: skip
    return pd.DataFrame(rows).set_index("cluster")
