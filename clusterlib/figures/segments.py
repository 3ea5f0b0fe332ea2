"""Figures of a segmentation: criteria by k, profile heatmap, PCA biplot, silhouette plot."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.figure import Figure
from sklearn.decomposition import PCA
from sklearn.metrics import silhouette_samples


def _note(fig: Figure, source: str | None) -> None:
    if source:
        fig.text(0.01, 0.01, source, fontsize=8, color="dimgray")


def criteria_plot(table: pd.DataFrame, *, source: str | None = None) -> Figure:
    """Plot every k-selection criterion of :func:`choose_k` against k, marking the recommended k."""
    cols = ["silhouette", "calinski_harabasz", "davies_bouldin", "gmm_bic", "gap"]
    better = {
        "silhouette": "higher",
        "calinski_harabasz": "higher",
        "davies_bouldin": "lower",
        "gmm_bic": "lower",
        "gap": "1-s.e. rule",
    }
    fig, axes = plt.subplots(1, len(cols), figsize=(3 * len(cols), 2.8))
    k_star = table.attrs.get("recommended_k")
    for ax, c in zip(axes, cols, strict=True):
        ax.plot(table.index, table[c], marker="o")
        if c == "gap":
            ax.errorbar(table.index, table[c], yerr=table["gap_s"], fmt="none", capsize=2)
        if k_star is not None:
            ax.axvline(k_star, color="crimson", ls="--", lw=1)
        ax.set_title(f"{c.replace('_', ' ')} ({better[c]})", fontsize=9)
        ax.set_xlabel("number of segments k")
    fig.suptitle(f"Choosing the number of segments (recommended k = {k_star})")
    _note(fig, source)
    fig.tight_layout(rect=(0, 0.05 if source else 0, 1, 1))
    return fig


def profile_heatmap(
    profiles: pd.DataFrame, features: list[str], *, source: str | None = None
) -> Figure:
    """Heatmap of standardised segment profiles (segment mean minus overall mean, in s.d.)."""
    z = profiles[[f"{f}_z" for f in features]].copy()
    z.columns = features
    z.index = [
        f"{i}: {lab} (n={n})"
        for i, lab, n in zip(profiles.index, profiles["label"], profiles["size"], strict=True)
    ]
    fig, ax = plt.subplots(figsize=(1.1 * len(features) + 3, 0.6 * len(z) + 2))
    sns.heatmap(
        z,
        cmap="RdBu_r",
        center=0,
        annot=True,
        fmt=".2f",
        ax=ax,
        cbar_kws={"label": "s.d. from overall mean"},
    )
    ax.set_title("Segment profiles")
    ax.set_xlabel("feature")
    ax.set_ylabel("segment")
    _note(fig, source)
    fig.tight_layout(rect=(0, 0.04 if source else 0, 1, 1))
    return fig


def pca_biplot(
    X: pd.DataFrame,
    labels: pd.Series,
    *,
    names: dict | None = None,
    source: str | None = None,
    seed: int = 0,
) -> Figure:
    """PCA biplot: firms on the first two components coloured by segment, feature loadings as arrows."""
    pca = PCA(n_components=2, random_state=seed).fit(X.to_numpy(float))
    scores = pca.transform(X.to_numpy(float))
    fig, ax = plt.subplots(figsize=(7, 6))
    for seg in np.sort(labels.unique()):
        m = (labels == seg).to_numpy()
        ax.scatter(
            scores[m, 0],
            scores[m, 1],
            s=6,
            alpha=0.5,
            label=(names or {}).get(seg, f"segment {seg}"),
        )
    scale = np.abs(scores).max() / np.abs(pca.components_).max() * 0.8
    tips = []
    for j, f in enumerate(X.columns):
        x, y = pca.components_[0, j] * scale, pca.components_[1, j] * scale
        ax.arrow(0, 0, x, y, color="black", width=0.005, head_width=0.08, alpha=0.7)
        tips.append((x * 1.08, y * 1.08, str(f).replace("_", " ")))
    # labels of nearby arrow tips are moved apart vertically so that none overlap
    gap = 0.06 * (np.abs(scores[:, 1]).max() * 2)
    placed: list[tuple[float, float]] = []
    for x, y, text in sorted(tips, key=lambda t: t[1]):
        ty = y
        while any(abs(px - x) < 0.25 * scale and abs(py - ty) < gap for px, py in placed):
            ty += gap
        placed.append((x, ty))
        ax.text(x, ty, text, fontsize=8, ha="left" if x >= 0 else "right",
                bbox={"facecolor": "white", "alpha": 0.7, "lw": 0, "pad": 1})  # fmt: skip
    ev = pca.explained_variance_ratio_ * 100
    ax.set_xlabel(f"PC1 ({ev[0]:.0f}% of variance)")
    ax.set_ylabel(f"PC2 ({ev[1]:.0f}% of variance)")
    ax.set_title("Firms by segment on the first two principal components")
    ax.legend(markerscale=3, fontsize=8, frameon=False)
    _note(fig, source)
    fig.tight_layout(rect=(0, 0.04 if source else 0, 1, 1))
    return fig


def silhouette_plot(X: pd.DataFrame, labels: pd.Series, *, source: str | None = None) -> Figure:
    """Silhouette plot: each firm's silhouette width, sorted within segment."""
    s = silhouette_samples(X.to_numpy(float), labels.to_numpy())
    fig, ax = plt.subplots(figsize=(6, 5))
    y = 0
    for seg in np.sort(labels.unique()):
        vals = np.sort(s[(labels == seg).to_numpy()])
        ax.fill_betweenx(np.arange(y, y + len(vals)), 0, vals, alpha=0.7)
        ax.text(-0.05, y + len(vals) / 2, str(seg))
        y += len(vals) + 10
    ax.axvline(s.mean(), color="crimson", ls="--", label=f"mean {s.mean():.2f}")
    ax.set_xlabel("silhouette width")
    ax.set_ylabel("firms, by segment")
    ax.set_yticks([])
    ax.set_title("Silhouette plot")
    ax.legend(frameon=False)
    _note(fig, source)
    fig.tight_layout(rect=(0, 0.04 if source else 0, 1, 1))
    return fig
