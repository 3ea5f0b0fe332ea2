"""Figures of notebook 04: the industry space and the relatedness x complexity diagram."""

from __future__ import annotations

from collections.abc import Iterable

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from clusterlib.figures.charts import _annotate_apart, _finish

SPECIALISED = "#c0392b"
OTHER = "#b8c4ce"
CLUSTER_EDGE = "#111111"


def space_edges(phi: pd.DataFrame, *, extra_quantile: float = 0.95) -> pd.DataFrame:
    r"""Edges of the industry space drawn: the maximum spanning tree of :math:`\varphi` plus strong links.

    Hidalgo et al. (2007) draw the product space as its maximum spanning tree (every industry
    connected by its strongest links, no cycles) with the strongest other links added; here those
    above the ``extra_quantile`` of all proximities.

    Returns
    -------
    pandas.DataFrame
        ``source``, ``target``, ``proximity``, ``tree`` (True for spanning-tree edges).
    """
    import networkx as nx

    W = phi.fillna(0.0)
    graph = nx.Graph()
    codes = list(W.index)
    graph.add_nodes_from(codes)
    iu = np.triu_indices(len(codes), 1)
    weights = W.to_numpy()[iu]
    for a, b, w in zip(iu[0], iu[1], weights, strict=True):
        if w > 0:
            graph.add_edge(codes[a], codes[b], weight=float(w))
    tree = {tuple(sorted(e)) for e in nx.maximum_spanning_tree(graph).edges()}
    cut = np.quantile(weights, extra_quantile)
    rows = [
        (codes[a], codes[b], float(w), (codes[a], codes[b]) in tree)
        for a, b, w in zip(iu[0], iu[1], weights, strict=True)
        if (codes[a], codes[b]) in tree or w >= cut
    ]
    return pd.DataFrame(rows, columns=["source", "target", "proximity", "tree"])


def industry_space_plot(
    phi: pd.DataFrame,
    specialised: pd.Series,
    *,
    cluster: Iterable[str] = (),
    size: pd.Series | None = None,
    seed: int = 0,
    title: str = "",
    source: str | None = None,
) -> Figure:
    """Draw the industry space, with the region's specialisations in red and the cluster outlined.

    Parameters
    ----------
    phi : pandas.DataFrame
        Industry x industry proximity.
    specialised : pandas.Series
        1/0 (NaN unknown) by industry: the region's specialisation matrix row.
    cluster : iterable of str
        The cluster's divisions, drawn with a thick black outline.
    size : pandas.Series, optional
        Node sizes (e.g. European employment); default equal.
    seed : int
        Seed of the force-directed layout (networkx's spring layout, weighted by proximity).

    Returns
    -------
    matplotlib.figure.Figure
    """
    import networkx as nx

    edges = space_edges(phi)
    graph = nx.Graph()
    graph.add_nodes_from(phi.index)
    for row in edges[edges["tree"]].itertuples(index=False):
        graph.add_edge(
            row.source, row.target, weight=row.proximity, length=1.0 - 0.5 * row.proximity
        )
    # The layout follows the spanning tree only (the extra links would pull the core into a knot):
    # Kamada-Kawai on path lengths spreads a tree evenly; a few seeded spring iterations from there
    # separate the nodes it leaves close together.
    start = nx.kamada_kawai_layout(graph, weight="length")
    pos = nx.spring_layout(graph, pos=start, weight="weight", seed=seed, k=1.8 / np.sqrt(len(phi)),
                           iterations=20)  # fmt: skip
    fig, ax = plt.subplots(figsize=(10, 8.5))
    for row in edges.itertuples(index=False):
        (x0, y0), (x1, y1) = pos[row.source], pos[row.target]
        ax.plot([x0, x1], [y0, y1], color="#7f8c8d", lw=0.4 + 2.5 * row.proximity,
                alpha=0.55 if row.tree else 0.3, zorder=1)  # fmt: skip
    cluster = set(cluster)
    codes = list(phi.index)
    xy = np.array([pos[c] for c in codes])
    s = np.full(len(codes), 160.0)
    if size is not None:
        v = size.reindex(codes).fillna(0).to_numpy(float)
        s = 60 + 500 * np.sqrt(v / v.max()) if v.max() > 0 else s
    spec = specialised.reindex(codes)
    colours = np.where(spec == 1, SPECIALISED, OTHER)
    edge = [CLUSTER_EDGE if c in cluster else "white" for c in codes]
    width = [2.5 if c in cluster else 0.8 for c in codes]
    ax.scatter(xy[:, 0], xy[:, 1], s=s, c=colours, edgecolors=edge, linewidths=width, zorder=2)
    for c, (x, y) in zip(codes, xy, strict=True):
        ax.annotate(c, (x, y), fontsize=6.5, ha="center", va="center", zorder=3,
                    fontweight="bold" if c in cluster else "normal")  # fmt: skip
    ax.set_axis_off()
    ax.set_title(title)
    handles = [
        Line2D([], [], marker="o", ls="", color=SPECIALISED, ms=9, label="region specialised (RCA ≥ 1)"),
        Line2D([], [], marker="o", ls="", color=OTHER, ms=9, label="not specialised"),
        Line2D([], [], marker="o", ls="", mfc="white", mec=CLUSTER_EDGE, mew=2.5, ms=9, label="the cluster's divisions"),
    ]  # fmt: skip
    ax.legend(handles=handles, loc="lower left", frameon=False, fontsize=8)
    return _finish(fig, source)


def relatedness_complexity_plot(
    table: pd.DataFrame,
    *,
    label: Iterable[str] = (),
    title: str = "",
    source: str | None = None,
) -> Figure:
    """Draw the relatedness x complexity diagram (Balland et al. 2019) of what a region lacks.

    Parameters
    ----------
    table : pandas.DataFrame
        Index industry; ``density_pct`` (x), ``pci`` (y), and ``related_to_cluster`` (bool,
        highlighted).
    label : iterable of str
        Industries to label (the top opportunities).

    Returns
    -------
    matplotlib.figure.Figure
    """
    fig, ax = plt.subplots(figsize=(8, 6))
    near = table["related_to_cluster"].astype(bool)
    ax.scatter(table.loc[~near, "density_pct"], table.loc[~near, "pci"], s=30, color=OTHER,
               edgecolors="white", label="other industries the region is not specialised in")  # fmt: skip
    ax.scatter(table.loc[near, "density_pct"], table.loc[near, "pci"], s=45, color="#2471a3",
               edgecolors="white", label="related to the cluster (co-location)")  # fmt: skip
    x_mid = table["density_pct"].median()
    ax.axvline(x_mid, color="grey", ls="--", lw=0.8)
    ax.axhline(0, color="grey", ls="--", lw=0.8)
    ax.annotate("high relatedness, high complexity →", (x_mid, 1.0), xycoords=("data", "axes fraction"),
                xytext=(4, -4), textcoords="offset points", ha="left", va="top", fontsize=8,
                color="dimgray")  # fmt: skip
    lab = [c for c in label if c in table.index]
    if lab:
        _annotate_apart(ax, table.loc[lab, "density_pct"], table.loc[lab, "pci"], log_x=False)
    ax.set_xlabel(
        "Relatedness density: share of the industry's related industries the region is specialised in (%)"
    )
    ax.set_ylabel("Complexity of the industry (PCI, standardised)")
    ax.set_title(title)
    ax.legend(loc="lower left", frameon=False, fontsize=8)
    return _finish(fig, source)
