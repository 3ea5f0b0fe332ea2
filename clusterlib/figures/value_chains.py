"""The value-chain diagram: suppliers -> cluster -> customers, band widths proportional to shares."""

from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

_LEFT, _MID, _RIGHT, _W = 0.0, 0.47, 0.94, 0.06
_GAP = 0.012


def _wrap(label: str) -> str:
    """Wrap a long label over lines of at most 26 characters."""
    lines = textwrap.wrap(str(label), 30) or [str(label)]
    return "\n".join(lines[:1] + [lines[1] + ("…" if len(lines) > 2 else "")] if len(lines) > 1
                     else lines)  # fmt: skip


def _spread(y: np.ndarray, gap: float) -> np.ndarray:
    """Move label heights (top to bottom) apart by at least ``gap``, within [0, 1]."""
    out = y.copy()
    for k in range(1, len(out)):
        out[k] = min(out[k], out[k - 1] - gap)
    if len(out) and out[-1] < 0:
        out = out - out[-1]
        for k in range(len(out) - 2, -1, -1):
            out[k] = max(out[k], out[k + 1] + gap)
    return out


def _stack(shares: pd.Series) -> pd.Series:
    """Add an ``Other`` share so the shares sum to 1; keep the order given."""
    s = shares.astype(float).clip(lower=0)
    rest = 1.0 - s.sum()
    if rest > 1e-6:
        s = pd.concat([s, pd.Series({"Other": rest})])
    return s / s.sum()


def _blocks(s: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Top and bottom of each block of a column (from the top), with small gaps."""
    usable = 1.0 - _GAP * (len(s) - 1)
    h = s.to_numpy() * usable
    tops = 1.0 - np.concatenate([[0.0], np.cumsum(h[:-1] + _GAP)])
    return tops, tops - h


def _band(ax, x0: float, x1: float, y0: tuple[float, float], y1: tuple[float, float], color):
    """Draw a smooth band from (x0, y0 top/bottom) to (x1, y1 top/bottom)."""
    t = np.linspace(0, 1, 60)
    w = 3 * t**2 - 2 * t**3
    x = x0 + (x1 - x0) * t
    ax.fill_between(x, y0[0] + (y1[0] - y0[0]) * w, y0[1] + (y1[1] - y0[1]) * w,
                    color=color, alpha=0.45, linewidth=0)  # fmt: skip


def value_chain_diagram(
    suppliers: pd.Series,
    customers: pd.Series,
    *,
    cluster: str,
    title: str = "",
    source: str | None = None,
) -> Figure:
    """Draw suppliers (left) -> cluster (middle) -> customers (right) with proportional bands.

    Parameters
    ----------
    suppliers, customers : pandas.Series
        Shares (0-1) by label, largest first (e.g. the top 8); what they leave to 1 is drawn as
        ``Other``.
    cluster : str
        The label of the middle block.
    title, source : str
        Title, and a source note under the plot.

    Returns
    -------
    matplotlib.figure.Figure
        The figure (not shown; the caller closes it).

    Examples
    --------
    >>> fig = value_chain_diagram(pd.Series({"Metals": 0.6}), pd.Series({"Exports": 0.7}),
    ...                           cluster="Metal")
    >>> len(fig.axes)
    1
    """
    sup, cus = _stack(suppliers), _stack(customers)
    n = max(len(sup), len(cus))
    fig, ax = plt.subplots(figsize=(9, max(5.0, 0.75 * n + 1.5)))
    colours = [*plt.get_cmap("tab10").colors, *plt.get_cmap("Dark2").colors]
    names = list(dict.fromkeys(x for x in [*sup.index, *cus.index] if x != "Other"))
    colour_of = {
        name: colours[k % len(colours)] for k, name in enumerate(names)
    }  # one colour per label
    mid_top, mid_bottom = 0.85, 0.15
    for side, s, x_box, x_mid in (("left", sup, _LEFT, _MID), ("right", cus, _RIGHT, _MID + _W)):
        tops, bottoms = _blocks(s)
        ys = _spread((tops + bottoms) / 2, gap=0.6 / n)
        mtop = mid_top - (mid_top - mid_bottom) * np.concatenate([[0.0], np.cumsum(s)[:-1]])
        mbottom = mtop - (mid_top - mid_bottom) * s.to_numpy()
        for k, label in enumerate(s.index):
            grey = label == "Other"
            colour = "lightgray" if grey else colour_of[label]
            ax.add_patch(plt.Rectangle((x_box, bottoms[k]), _W, tops[k] - bottoms[k],
                                       color="gray" if grey else colour))  # fmt: skip
            if side == "left":
                _band(ax, _LEFT + _W, x_mid, (tops[k], bottoms[k]), (mtop[k], mbottom[k]), colour)
                ax.plot(
                    [_LEFT - 0.005, _LEFT - 0.02],
                    [(tops[k] + bottoms[k]) / 2, ys[k]],
                    color="gray",
                    linewidth=0.6,
                )
                ax.text(_LEFT - 0.025, ys[k], f"{_wrap(label)}  {s.iloc[k]:.0%}", ha="right",
                        va="center", fontsize=10)  # fmt: skip
            else:
                _band(ax, x_mid, _RIGHT, (mtop[k], mbottom[k]), (tops[k], bottoms[k]), colour)
                ax.plot(
                    [_RIGHT + _W + 0.005, _RIGHT + _W + 0.02],
                    [(tops[k] + bottoms[k]) / 2, ys[k]],
                    color="gray",
                    linewidth=0.6,
                )
                ax.text(_RIGHT + _W + 0.025, ys[k], f"{s.iloc[k]:.0%}  {_wrap(label)}",
                        ha="left", va="center", fontsize=10)  # fmt: skip
    ax.add_patch(plt.Rectangle((_MID, mid_bottom), _W, mid_top - mid_bottom, color="black"))
    ax.text(_MID + _W / 2, mid_top + 0.03, cluster, ha="center", va="bottom", fontsize=11,
            fontweight="bold", wrap=True)  # fmt: skip
    ax.text(_LEFT + _W / 2, 1.03, "Suppliers (share of inputs)", ha="center", va="bottom",
            fontsize=10, fontweight="bold")  # fmt: skip
    ax.text(_RIGHT + _W / 2, 1.03, "Customers (share of sales)", ha="center", va="bottom",
            fontsize=10, fontweight="bold")  # fmt: skip
    ax.set_xlim(-0.62, 1.62)
    ax.set_ylim(-0.02, 1.1)
    ax.axis("off")
    if title:
        ax.set_title(title, fontsize=12)
    if source:
        fig.text(0.01, 0.01, source, fontsize=7, color="dimgray")
    fig.tight_layout(rect=(0, 0.03 if source else 0, 1, 1))
    return fig
