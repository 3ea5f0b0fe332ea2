"""Readable segment profiles: sizes, feature means with bootstrap CIs, outcomes, labels."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from clusterlib.segmentation.features import DEFAULT_FEATURES, derived_columns

#: Phrases for the label of a segment whose most distinctive feature (highest z-score) is this one.
PHRASES = {
    "science_links": "science-linked innovators",
    "rd_inhouse": "R&D-intensive firms",
    "internationalisation": "export-oriented firms",
    "export_share": "export-oriented firms",
    "supply_chain": "supply-chain subcontractors",
    "business_support": "support-network users",
    "innovation_culture": "culture-driven innovators",
    "log_employees": "large firms",
}
LOW_PROFILE = "small domestic firms"


def segment_profiles(
    survey: pd.DataFrame,
    labels: pd.Series,
    *,
    features: Iterable[str] = DEFAULT_FEATURES,
    n_boot: int = 200,
    seed: int = 0,
    level: float = 0.95,
) -> pd.DataFrame:
    """Profile every segment: size, feature means with bootstrap CIs, innovation and exports.

    Parameters
    ----------
    survey : pandas.DataFrame
        The survey the segments come from (same index as ``labels``).
    labels : pandas.Series
        Segment of each firm (:func:`segment_firms`).
    features : iterable of str
        Features to profile (raw scale: scale scores 1-5, shares 0-1).
    n_boot : int
        Bootstrap resamples within each segment for the CIs of the means (seeded).
    seed : int
        Seed of :func:`numpy.random.default_rng`.
    level : float
        Confidence level.

    Returns
    -------
    pandas.DataFrame
        Indexed by segment, with ``size``, ``share``, ``label``, then per feature ``<f>``,
        ``<f>_low``, ``<f>_high``, the standardised profile ``<f>_z`` (segment mean minus overall
        mean, over the overall s.d.), and ``innovation_rate`` (product innovation) and
        ``export_share`` where the survey has them.
    """
    data = derived_columns(survey).loc[labels.index]
    features = list(features)
    rng = np.random.default_rng(seed)
    a = (1 - level) / 2
    rows = {}
    overall_mean = data[features].mean()
    overall_sd = data[features].std(ddof=0).replace(0, np.nan)
    for seg, part in data.groupby(labels, sort=True):
        M = part[features].to_numpy(float)
        idx = rng.integers(0, len(M), (n_boot, len(M)))
        boot = np.nanmean(M[idx], axis=1)  # n_boot x features
        row = {"size": len(part), "share": len(part) / len(data)}
        means = np.nanmean(M, axis=0)
        for j, f in enumerate(features):
            row[f] = means[j]
            row[f"{f}_low"], row[f"{f}_high"] = np.quantile(boot[:, j], [a, 1 - a])
            row[f"{f}_z"] = (means[j] - overall_mean[f]) / overall_sd[f]
        if "product_innovation" in part:
            row["innovation_rate"] = part["product_innovation"].mean()
        if "export_share" in part:
            row["export_share_mean"] = part["export_share"].mean()
        rows[seg] = row
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = "segment"
    out.insert(
        2,
        "label",
        label_segments(out[[f"{f}_z" for f in features]].rename(columns=lambda c: c[:-2])),
    )
    return out


def label_segments(z: pd.DataFrame, *, low: float = 0.25, small: float = 0.75) -> pd.Series:
    """Name each segment after its most distinctive feature.

    The label is the phrase (:data:`PHRASES`) of the feature with the highest standardised mean;
    a segment with no feature above ``low`` s.d. is "small domestic firms". A segment whose
    ``log_employees`` is more than ``small`` s.d. below the mean gets the prefix "small". Duplicate
    labels get the phrase of their second most distinctive feature appended.
    """
    labels = {}
    for seg, row in z.iterrows():
        ranked = row.sort_values(ascending=False)
        top = [f for f in ranked.index if f in PHRASES]
        labels[seg] = PHRASES[top[0]] if top and ranked[top[0]] > low else LOW_PROFILE
    out = pd.Series(labels, name="label")
    for name, group in out.groupby(out):
        if len(group) > 1:
            for seg in group.index:
                ranked = z.loc[seg].sort_values(ascending=False)
                second = [f for f in ranked.index if f in PHRASES and PHRASES[f] != name]
                if second:
                    out[seg] = f"{name} ({PHRASES[second[0]].split()[0]})"
    if "log_employees" in z.columns:
        tiny = (z["log_employees"] < -small) & (out != LOW_PROFILE)
        out[tiny] = "small " + out[tiny]
    return out
