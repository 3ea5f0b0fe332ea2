"""Charts shared by the notebooks."""

from __future__ import annotations

from collections.abc import Mapping

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure


def ame_forest_plot(
    ames: pd.DataFrame | Mapping[str, pd.DataFrame],
    *,
    title: str = "Average marginal effects",
    xlabel: str = "Change in probability (percentage points)",
    source: str | None = None,
    scale: float = 100.0,
) -> Figure:
    """Forest plot of AMEs with their confidence intervals, one row per regressor.

    Parameters
    ----------
    ames : pandas.DataFrame or mapping of label to DataFrame
        Tables with ``estimate``, ``ci_low`` and ``ci_high`` (e.g. ``model.ame``); several models
        are drawn side by side with small vertical offsets and a legend.
    title, xlabel : str
        Figure title and axis label (units!).
    source : str, optional
        Source note under the plot.
    scale : float, default 100
        Multiplies the effects (100: probabilities to percentage points).

    Returns
    -------
    matplotlib.figure.Figure
    """
    series = {"": ames} if isinstance(ames, pd.DataFrame) else dict(ames)
    terms = list(dict.fromkeys(t for a in series.values() for t in a.index))
    fig, ax = plt.subplots(figsize=(7, 0.45 * len(terms) + 1.6))
    offsets = np.linspace(-0.2, 0.2, len(series)) if len(series) > 1 else [0.0]
    for (label, a), off in zip(series.items(), offsets, strict=True):
        a = a.reindex(terms)
        pos = np.arange(len(terms))[::-1] + off
        err = np.vstack([a["estimate"] - a["ci_low"], a["ci_high"] - a["estimate"]]) * scale
        ax.errorbar(a["estimate"] * scale, pos, xerr=err, fmt="o", capsize=3, label=label or None)
    ax.axvline(0, color="grey", lw=0.8, ls="--")
    ax.set_yticks(np.arange(len(terms))[::-1], terms)
    ax.set_xlabel(xlabel)
    ax.set_title(title)
    if len(series) > 1:
        ax.legend(frameon=False)
    if source:
        fig.text(0.01, 0.01, source, fontsize=8, color="dimgray")
    fig.tight_layout(rect=(0, 0.04 if source else 0, 1, 1))
    return fig


def _finish(fig: Figure, source: str | None) -> Figure:
    """Add the source note under the plot; no layout pass.

    A figure is saved cropped to everything it draws (:func:`clusterlib.chapters.display.
    figure_png`), labels beyond the axes included, so ``tight_layout`` only laid out every label
    once more (about a tenth of a notebook-01 run, for five charts). The note sits under the
    x-axis label of the first axes (under its tick labels when it has no label, under the axes
    when the axis is off), aligned with the axes' left edge.
    """
    if source:
        ax = fig.axes[0]
        if not ax.axison:
            below = "axes fraction"
        elif ax.xaxis.label.get_text():
            below = ax.xaxis.label  # its extent is known once the axis is drawn: cheapest
        else:
            below = lambda r: ax.xaxis.get_tightbbox(r)  # noqa: E731
        ax.annotate(
            source,
            xy=(0, 0),
            xycoords=("axes fraction", below),
            xytext=(0, -6),
            textcoords="offset points",
            ha="left",
            va="top",
            fontsize=7,
            color="dimgray",
            annotation_clip=False,
        )
    return fig


def lq_bar_chart(
    lq: pd.DataFrame, *, focal: str | None = None, title: str = "", source: str | None = None
) -> Figure:
    """Ranked horizontal bars of LQs with their confidence intervals and the LQ = 1 line.

    ``lq`` is indexed by region (or industry) with ``lq``, ``lq_low``, ``lq_high`` and optionally
    ``name``; the focal row is highlighted.
    """
    d = lq.sort_values("lq")
    labels = [
        f"{i} {n}" if "name" in d else str(i)
        for i, n in zip(d.index, d["name"] if "name" in d else d.index, strict=True)
    ]
    fig, ax = plt.subplots(figsize=(7, 0.32 * len(d) + 1.5))
    colors = ["crimson" if i == focal else "steelblue" for i in d.index]
    ax.barh(
        labels,
        d["lq"],
        color=colors,
        xerr=[d["lq"] - d["lq_low"], d["lq_high"] - d["lq"]],
        capsize=2,
    )
    ax.axvline(1, color="black", lw=0.8, ls="--")
    ax.set_xlabel("location quotient (1 = national average)")
    ax.set_title(title)
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles = [Patch(color="steelblue", label="region"), Line2D([], [], color="black", ls="--",
               lw=0.8, label="national average (LQ = 1)")]  # fmt: skip
    if focal in d.index:
        handles.insert(0, Patch(color="crimson", label=f"{focal} (focal region)"))
    handles.append(Line2D([], [], color="black", marker="|", ls="", label="95% interval"))
    ax.legend(handles=handles, loc="lower right", fontsize=8, frameon=True)
    return _finish(fig, source)


def lq_heatmap(
    wide: pd.DataFrame, *, focal: str | None = None, title: str = "", source: str | None = None
) -> Figure:
    """Region x industry heatmap of LQs on a log colour scale centred at 1.

    One mesh of coloured cells (drawn with matplotlib alone: seaborn's heatmap renders the whole
    figure once more to decide whether its labels overlap). Cells without a value are grey, as
    on the maps; the colour bar reads in plain numbers.
    """
    from matplotlib.colors import LogNorm

    fig, ax = plt.subplots(figsize=(0.35 * wide.shape[1] + 3, 0.35 * wide.shape[0] + 2))
    vals = np.ma.masked_invalid(wide.clip(lower=0.1, upper=10).to_numpy(dtype=float))
    mesh = ax.pcolormesh(vals, cmap="RdBu_r", norm=LogNorm(vmin=0.1, vmax=10))
    ax.set_facecolor("lightgrey")  # no value: not to be read as an LQ near 1 (white)
    ax.set_xlim(0, wide.shape[1])
    ax.set_ylim(wide.shape[0], 0)  # the first region on top
    ax.set_xticks(np.arange(wide.shape[1]) + 0.5, [str(c) for c in wide.columns], rotation=90)
    ax.set_yticks(np.arange(wide.shape[0]) + 0.5, [str(r) for r in wide.index], rotation=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    bar = fig.colorbar(mesh, ax=ax, label="location quotient (log scale)")
    bar.outline.set_linewidth(0)
    ticks = [0.1, 0.2, 0.5, 1, 2, 5, 10]
    bar.set_ticks(ticks, labels=[f"{t:g}" for t in ticks])
    bar.minorticks_off()
    if focal in wide.index:
        ax.add_patch(
            plt.Rectangle(
                (0, list(wide.index).index(focal)),
                wide.shape[1],
                1,
                fill=False,
                edgecolor="black",
                lw=2,
            )
        )
    ax.set_xlabel("NACE division")
    ax.set_ylabel("region")
    ax.set_title(title)
    return _finish(fig, source)


def portfolio_chart(
    p: pd.DataFrame,
    *,
    highlight: list[str] | None = None,
    title: str = "",
    source: str | None = None,
    label_top: int = 12,
) -> Figure:
    """Cluster portfolio bubble chart: LQ (x, log), relative growth (y), bubble = employment."""
    fig, ax = plt.subplots(figsize=(8, 6))
    size = 1500 * p["employment"] / p["employment"].max()
    colors = ["crimson" if i in (highlight or []) else "steelblue" for i in p.index]
    ax.scatter(p["lq"], p["relative_growth"], s=size, c=colors, alpha=0.5, edgecolors="k", lw=0.5)
    labelled = [
        i
        for i in p.nlargest(label_top, "employment").index.union(pd.Index(highlight or []))
        if i in p.index
    ]
    _annotate_apart(ax, p.loc[labelled, "lq"], p.loc[labelled, "relative_growth"])
    ax.set_xscale("log")
    ax.axvline(1, color="grey", ls="--", lw=0.8)
    ax.axhline(0, color="grey", ls="--", lw=0.8)
    ax.set_xlabel("location quotient, end year (log scale)")
    ax.set_ylabel("employment growth minus national growth (percentage points)")
    ax.set_title(title)
    from matplotlib.lines import Line2D

    def dot(color, label):
        return Line2D([], [], marker="o", ls="", markersize=9, markerfacecolor=color, alpha=0.6,
                      markeredgecolor="k", label=label)  # fmt: skip

    ax.legend(
        handles=[dot("crimson", "the cluster's divisions"), dot("steelblue", "other divisions")],
        title="bubble area = persons employed",
        loc="best",
        fontsize=8,
        title_fontsize=8,
    )
    return _finish(fig, source)


def _annotate_apart(
    ax, x: pd.Series, y: pd.Series, *, min_gap: float = 0.045, log_x: bool = True
) -> None:
    """Label points, moving labels vertically so that no two overlap (in axes fraction units).

    Labels are placed in order of their point's height; a label closer than ``min_gap`` (of the
    axes height) to the previous one at a similar x is pushed up, with a thin leader line.
    """
    if len(x) == 0:
        return
    import numpy as np

    lx = np.log10(x.to_numpy(float)) if log_x else x.to_numpy(float)
    span_x = max(np.ptp(lx), 1e-9)
    yv = y.to_numpy(float)
    span_y = max(np.ptp(yv), 1e-9)
    order = np.argsort(yv)
    placed: list[tuple[float, float]] = []
    for k in order:
        fx, fy = (lx[k] - lx.min()) / span_x, (yv[k] - yv.min()) / span_y
        ty = fy
        while any(abs(px - fx) < 0.12 and abs(py - ty) < min_gap for px, py in placed):
            ty += min_gap
        placed.append((fx, ty))
        offset = (ty - fy) * span_y
        ax.annotate(
            str(x.index[k]),
            (x.iloc[k], y.iloc[k]),
            xytext=(x.iloc[k], y.iloc[k] + offset),
            textcoords="data",
            fontsize=8,
            arrowprops={"arrowstyle": "-", "lw": 0.4, "color": "grey"} if offset else None,
        )


def indexed_chart(
    indexed: pd.DataFrame,
    *,
    title: str = "",
    source: str | None = None,
    ylabel: str = "employment, first year = 100",
) -> Figure:
    """Lines of a yearly index (first year with data = 100), one per area; gaps stay gaps.

    ``indexed`` has one column per area (the region first, then its country and ``"EU"``) and
    years as the index (:func:`clusterlib.specialisation.series.indexed`).
    """
    fig, ax = plt.subplots(figsize=(7, 4))
    styles = ["-", "--", ":"]
    colors = ["crimson", "steelblue", "dimgray"]
    for k, area in enumerate(indexed.columns):
        ax.plot(indexed.index, indexed[area], styles[k % 3], marker="o", ms=3,
                color=colors[k % 3], label=str(area))  # fmt: skip
    ax.axhline(100, color="black", lw=0.6)
    ax.set_xlabel("year")
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.legend(title="area", fontsize=8, title_fontsize=8)
    return _finish(fig, source)


def trend_chart(trend: pd.DataFrame, *, title: str = "", source: str | None = None) -> Figure:
    """Observed employment, its log-linear trend and the 95% prediction band to the horizon."""
    fig, ax = plt.subplots(figsize=(7, 4))
    ax.fill_between(trend.index, trend["low"], trend["high"], color="steelblue", alpha=0.2,
                    label="95% prediction interval")  # fmt: skip
    ax.plot(trend.index, trend["trend"], "--", color="steelblue",
            label="trend, extrapolated (not a forecast)")  # fmt: skip
    ax.plot(trend.index, trend["observed"], "o-", color="crimson", ms=3, label="observed")
    ax.set_xlabel("year")
    ax.set_ylabel("persons employed in the cluster")
    ax.set_title(title)
    ax.legend(fontsize=8)
    return _finish(fig, source)
