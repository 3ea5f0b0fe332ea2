"""Clustering methods, all seeded: k-means, Gaussian mixture, Ward, average linkage on Gower."""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.cluster import AgglomerativeClustering, KMeans, MiniBatchKMeans
from sklearn.mixture import GaussianMixture

from clusterlib.errors import DataValueError, EmptyDataError, OptionError
from clusterlib.options import Method, check_option, choices
from clusterlib.segmentation.gower import gower_distance

METHODS: tuple[str, ...] = choices(Method)


def check_input(X: pd.DataFrame, k: int, *, numeric: bool = True) -> None:
    """Refuse inputs that no clustering can segment into ``k`` groups, naming the problem.

    Raises
    ------
    OptionError
        ``X`` is not a DataFrame, or ``k`` is not a positive whole number.
    EmptyDataError
        No firms.
    DataValueError
        A text column (when ``numeric``), a column missing for every firm, missing or infinite
        values, or fewer distinct firms (rows) than ``k``.
    """
    if not isinstance(X, pd.DataFrame):
        raise OptionError(
            f"features: expected a pandas DataFrame (clusterlib.build_features), got "
            f"{type(X).__name__}."
        )
    if isinstance(k, bool) or not isinstance(k, int | np.integer) or k < 1:
        raise OptionError(f"k: expected a positive whole number of segments, got {k!r}.")
    if len(X) == 0 or X.shape[1] == 0:
        raise EmptyDataError(
            f"features: {X.shape[0]} firms x {X.shape[1]} features; nothing to segment."
        )
    if numeric:
        text = [c for c in X.columns if not pd.api.types.is_numeric_dtype(X[c].dtype)]
        if text:
            example = X[text[0]].dropna().iloc[0] if X[text[0]].notna().any() else None
            raise DataValueError(
                f"feature {text[0]!r} holds text (e.g. {example!r}); the method needs numbers. "
                "Build the matrix with clusterlib.build_features, which one-hot encodes text "
                "columns, or use method='average-gower' on the raw features."
            )
    empty = [c for c in X.columns if X[c].isna().all()]
    if empty:
        raise DataValueError(
            f"feature {empty[0]!r} is missing for every firm; no imputation can fill it. Drop it "
            "from the features."
        )
    if numeric:
        A = X.to_numpy(float)
        nan = np.isnan(A)
        if nan.any():
            i, j = (int(v[0]) for v in np.nonzero(nan))
            cols = [str(c) for c in X.columns[nan.any(axis=0)]]
            raise DataValueError(
                f"features {cols} have missing values (first at row {X.index[i]!r}, feature "
                f"{X.columns[j]!r}); build them with clusterlib.build_features(..., "
                "impute='median') or impute='drop'."
            )
        if np.isinf(A).any():
            i, j = (int(v[0]) for v in np.nonzero(np.isinf(A)))
            raise DataValueError(
                f"feature {X.columns[j]!r} is infinite at row {X.index[i]!r}; fix the data or the "
                "transformation (e.g. the log of 0)."
            )
    if len(X) < k:
        raise DataValueError(f"only {len(X)} firms for k = {k} segments; need at least k firms.")
    distinct = len(X.drop_duplicates())
    if distinct < k:
        raise DataValueError(
            f"the features have only {distinct} distinct firm profile(s) among {len(X)} firms; "
            f"k = {k} segments cannot be formed. Use more varied features or a smaller k."
        )


def canonical(labels: np.ndarray) -> np.ndarray:
    """Relabel segments 0..k-1 by size (largest first; ties by first appearance)."""
    uniq, first, counts = np.unique(labels, return_index=True, return_counts=True)
    order = np.lexsort((first, -counts))
    mapping = np.empty(uniq.max() + 1 if len(uniq) else 0, dtype=int)
    mapping[uniq[order]] = np.arange(len(uniq))
    return mapping[labels]


def fit_labels(
    X: pd.DataFrame, *, k: int, method: str = "kmeans", seed: int = 0, n_init: int = 10
) -> np.ndarray:
    """Cluster ``X`` into ``k`` segments; return raw integer labels (see :func:`segment_firms`)."""
    check_option("method", method)
    check_input(X, k, numeric=method != "average-gower")
    if method == "average-gower":
        D = gower_distance(X)
        if np.isnan(D).any():
            raise DataValueError("Gower distance undefined for some pairs (no feature in common).")
        return AgglomerativeClustering(
            n_clusters=k, metric="precomputed", linkage="average"
        ).fit_predict(D)
    A = X.to_numpy(float)
    if method == "kmeans":
        return KMeans(n_clusters=k, init="k-means++", n_init=n_init, random_state=seed).fit_predict(
            A
        )
    if method == "minibatch":
        return MiniBatchKMeans(
            n_clusters=k, n_init=n_init, random_state=seed, batch_size=4096
        ).fit_predict(A)
    if method == "gmm":
        return (
            GaussianMixture(
                n_components=k,
                n_init=max(1, n_init // 3),
                random_state=seed,
                covariance_type="full",
            )
            .fit(A)
            .predict(A)
        )
    return AgglomerativeClustering(n_clusters=k, linkage="ward").fit_predict(A)


def segment_firms(
    X: pd.DataFrame,
    *,
    k: int | None = None,
    method: Method = "kmeans",
    seed: int = 0,
    n_init: int = 10,
    k_range: range = range(2, 9),
) -> pd.Series:
    r"""Segment firms into ``k`` groups with a seeded clustering method.

    Methods
    -------
    * ``"kmeans"``: k-means with k-means++ starts, best of ``n_init`` (minimises
      :math:`\sum_g \sum_{i \in g} \|x_i - \bar x_g\|^2`; MacQueen 1967, Arthur & Vassilvitskii 2007);
    * ``"minibatch"``: mini-batch k-means for large N (Sculley 2010);
    * ``"gmm"``: Gaussian mixture with full covariances; with ``k=None`` the number of components
      minimising BIC over ``k_range`` (Fraley & Raftery 2002);
    * ``"ward"``: agglomerative clustering with Ward's criterion on the standardised features;
    * ``"average-gower"``: average-linkage agglomerative clustering on :func:`gower_distance`
      (pass the raw mixed-type features).

    Parameters
    ----------
    X : pandas.DataFrame
        Firms x features (:func:`build_features`, or raw features for ``average-gower``).
    k : int, optional
        Number of segments (required except for ``gmm``).
    method : str
        One of the above.
    seed : int, default 0
        Random state; the same seed gives identical labels.
    n_init : int, default 10
        Restarts of the iterative methods.
    k_range : range
        Candidates for ``gmm`` with ``k=None``.

    Returns
    -------
    pandas.Series
        Integer segment 0..k-1 per firm, ordered by segment size (0 the largest), named
        ``segment``, indexed like ``X``; ``attrs`` record method, k and seed.

    References
    ----------
    Arthur, D. & Vassilvitskii, S. (2007). k-means++: the advantages of careful seeding. *SODA*.
    Fraley, C. & Raftery, A. E. (2002). Model-based clustering, discriminant analysis and density
    estimation. *JASA* 97(458), 611-631.
    Ward, J. H. (1963). Hierarchical grouping to optimize an objective function. *JASA* 58, 236-244.
    """
    if k is None:
        if method != "gmm":
            raise OptionError(
                f"k is required for method {method!r} (only 'gmm' selects k by BIC); pass k= or "
                "choose k with clusterlib.choose_k."
            )
        check_input(X, max(k_range))
        A = X.to_numpy(float)
        bics = {
            kk: GaussianMixture(n_components=kk, random_state=seed).fit(A).bic(A) for kk in k_range
        }
        k = min(bics, key=bics.get)
    labels = canonical(fit_labels(X, k=k, method=method, seed=seed, n_init=n_init))
    found = len(np.unique(labels))
    if found != k:
        raise DataValueError(
            f"method {method!r} found only {found} non-empty segment(s) for k = {k}; the data "
            "do not support that many segments. Choose a smaller k (see clusterlib.choose_k)."
        )
    out = pd.Series(labels, index=X.index, name="segment")
    out.attrs.update({"method": method, "k": int(k), "seed": seed})
    return out
