"""Stability of a segmentation under resampling: adjusted Rand index and per-segment Jaccard."""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.metrics import adjusted_rand_score

from clusterlib.segmentation.methods import check_input, fit_labels

#: Hennig's reading of the mean Jaccard similarity of a segment over resamples.
DISSOLVED, STABLE = 0.5, 0.75


def segment_stability(
    X: pd.DataFrame,
    labels: pd.Series,
    *,
    method: str = "kmeans",
    n_boot: int = 50,
    seed: int = 0,
) -> tuple[pd.Series, pd.DataFrame]:
    r"""Bootstrap stability of a partition: ARI overall and Jaccard per segment.

    For each of ``n_boot`` seeded resamples (firms drawn with replacement) the resample is
    clustered afresh into the same number of segments. On the distinct firms of the resample:

    * the adjusted Rand index between the full-data labels and the resample's labels;
    * for every original segment C, the best Jaccard similarity
      :math:`\max_D |C \cap D| / |C \cup D|` over the resample's segments D (Hennig 2007).

    A segment whose mean Jaccard is below 0.5 "dissolves"; above 0.75 it is stable; between, it
    shows a pattern but is not reliably recovered.

    Parameters
    ----------
    X : pandas.DataFrame
        The features the partition was built on.
    labels : pandas.Series
        The full-data partition (:func:`segment_firms`).
    method : str
        The clustering method to re-run.
    n_boot : int
        Number of resamples.
    seed : int
        Seed of :func:`numpy.random.default_rng` for the resamples and the clusterings.

    Returns
    -------
    (pandas.Series, pandas.DataFrame)
        ARI summary (``mean``, ``sd``, ``p05``, ``p95``) and per segment ``size``,
        ``jaccard_mean``, ``jaccard_min`` and ``verdict`` (dissolved / pattern / stable).

    References
    ----------
    Hennig, C. (2007). Cluster-wise assessment of cluster stability. *Computational Statistics &
    Data Analysis* 52(1), 258-271.
    Hubert, L. & Arabie, P. (1985). Comparing partitions. *Journal of Classification* 2, 193-218.
    """
    lab = labels.reindex(X.index).to_numpy()
    k = int(len(np.unique(lab)))
    check_input(X, k)
    rng = np.random.default_rng(seed)
    n = len(X)
    aris, jac = [], []
    for b in range(n_boot):
        idx = np.unique(rng.integers(0, n, n))
        boot = fit_labels(X.iloc[idx], k=k, method=method, seed=seed + b + 1, n_init=3)
        orig = lab[idx]
        aris.append(adjusted_rand_score(orig, boot))
        # contingency of original x bootstrap segments on the resampled firms
        table = np.zeros((k, boot.max() + 1))
        np.add.at(table, (orig, boot), 1)
        union = table.sum(axis=1)[:, None] + table.sum(axis=0)[None, :] - table
        with np.errstate(invalid="ignore", divide="ignore"):
            jac.append(np.nanmax(np.where(union > 0, table / union, 0.0), axis=1))
    aris = np.asarray(aris)
    jac = np.asarray(jac)
    ari = pd.Series(
        {
            "mean": aris.mean(),
            "sd": aris.std(ddof=1) if n_boot > 1 else 0.0,
            "p05": np.quantile(aris, 0.05),
            "p95": np.quantile(aris, 0.95),
        },
        name="ari",
    )
    mean = jac.mean(axis=0)
    per = pd.DataFrame(
        {
            "size": np.bincount(lab, minlength=k),
            "jaccard_mean": mean,
            "jaccard_min": jac.min(axis=0),
            "verdict": np.select(
                [mean < DISSOLVED, mean >= STABLE], ["dissolved", "stable"], "pattern"
            ),
        },
        index=pd.RangeIndex(k, name="segment"),
    )
    return ari, per
