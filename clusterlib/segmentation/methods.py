"""Clustering methods, all seeded: k-means, Gaussian mixture, Ward, average linkage on Gower."""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.cluster import AgglomerativeClustering, KMeans, MiniBatchKMeans
from sklearn.mixture import GaussianMixture

from clusterlib.errors import DataValueError, OptionError
from clusterlib.options import Method, check_option, choices
from clusterlib.segmentation.gower import gower_distance

METHODS: tuple[str, ...] = choices(Method)


def check_input(X: pd.DataFrame, k: int) -> None:
    """Raise a clear error for too few firms or missing values."""
    if not isinstance(k, int | np.integer) or k < 1:
        raise DataValueError(f"k: expected a positive whole number of segments, got {k!r}.")
    if len(X) < k:
        raise DataValueError(f"only {len(X)} firms for k = {k} segments; need at least k firms.")
    if isinstance(X, pd.DataFrame) and X.select_dtypes("number").isna().any().any():
        raise DataValueError(
            "features have missing values; build them with impute='median' or 'drop'."
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
    check_input(X, k)
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
        A = X.to_numpy(float)
        check_input(X, max(k_range))
        bics = {
            kk: GaussianMixture(n_components=kk, random_state=seed).fit(A).bic(A) for kk in k_range
        }
        k = min(bics, key=bics.get)
    labels = canonical(fit_labels(X, k=k, method=method, seed=seed, n_init=n_init))
    out = pd.Series(labels, index=X.index, name="segment")
    out.attrs.update({"method": method, "k": int(k), "seed": seed})
    return out
