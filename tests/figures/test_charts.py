"""The LQ heatmap: every cell coloured by its LQ on the log scale, gaps grey, the focal row framed."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import QuadMesh
from matplotlib.colors import to_rgba

from clusterlib.figures.charts import lq_heatmap

WIDE = pd.DataFrame(
    [[0.1, 1.0, 10.0], [0.05, np.nan, 40.0]],
    index=pd.Index(["PL21", "PL22"], name="region"),
    columns=["C24", "C25", "C28"],
)


@pytest.fixture
def fig():
    f = lq_heatmap(WIDE, focal="PL22", title="t", source="s")
    yield f
    plt.close(f)


def _mesh(fig):
    (mesh,) = [c for c in fig.axes[0].collections if isinstance(c, QuadMesh)]
    return mesh


def test_cells_are_coloured_on_the_log_scale_clipped_to_01_10(fig):
    mesh = _mesh(fig)
    cmap = plt.get_cmap("RdBu_r")
    colours = mesh.to_rgba(mesh.get_array()).reshape(2, 3, 4)
    # log10(LQ) from -1 to 1 maps to 0..1 of the colour map: 0.1 -> 0, 1 -> 0.5, 10 -> 1
    np.testing.assert_allclose(colours[0, 0], cmap(0.0))
    np.testing.assert_allclose(colours[0, 1], cmap(0.5), atol=1e-2)
    np.testing.assert_allclose(colours[0, 2], cmap(1.0 - 1e-9), atol=1e-2)
    np.testing.assert_allclose(colours[1, 0], cmap(0.0))  # 0.05 clipped to 0.1
    np.testing.assert_allclose(colours[1, 2], colours[0, 2])  # 40 clipped to 10
    assert np.ma.getmaskarray(mesh.get_array()).reshape(2, 3).tolist() == [
        [False] * 3,
        [False, True, False],
    ]


def test_a_gap_is_grey_not_white(fig):
    ax = fig.axes[0]
    assert ax.get_facecolor() == to_rgba("lightgrey")
    # rendered: the centre of the masked cell (PL22, C25) shows the grey background
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    x, y = ax.transData.transform((1.5, 1.5))
    rgba = np.asarray(canvas.buffer_rgba())[int(canvas.get_width_height()[1] - y), int(x)]
    np.testing.assert_allclose(rgba[:3] / 255, to_rgba("lightgrey")[:3], atol=0.02)


def test_rows_top_down_labels_and_the_focal_frame(fig):
    ax = fig.axes[0]
    assert ax.get_ylim() == (2.0, 0.0)  # the first region on top
    assert [t.get_text() for t in ax.get_yticklabels()] == ["PL21", "PL22"]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["C24", "C25", "C28"]
    (frame,) = ax.patches
    assert (frame.get_xy(), frame.get_width(), frame.get_height()) == ((0, 1), 3, 1)
    bar = fig.axes[1]
    assert [t.get_text() for t in bar.get_yticklabels()] == ["0.1", "0.2", "0.5", "1", "2", "5",
                                                               "10"]  # fmt: skip


def test_no_frame_for_a_region_not_in_the_table():
    f = lq_heatmap(WIDE, focal="PL63")
    try:
        assert not f.axes[0].patches
    finally:
        plt.close(f)


def _chart(alpha: float = 1.0):
    fig, ax = plt.subplots(figsize=(4, 3))
    ax.bar(["DE11 Stuttgart", "PL22 Śląskie"], [1.4, 0.8], color=["crimson", "steelblue"])
    ax.set_title("a title wider than its axes, which the tight crop must keep whole")
    fig.patch.set_alpha(alpha)
    return fig


@pytest.mark.parametrize("alpha", [1.0, 0.0])
def test_figure_png_has_the_pixels_of_matplotlibs_tight_savefig(alpha):
    """The peer is matplotlib's own ``savefig(bbox_inches="tight")`` PNG: the same size and the
    same pixels; opaque figures are written as RGB (no alpha channel), others as RGBA; the
    resolution is recorded, there is no software tag, and the same figure gives the same bytes."""
    import io

    import numpy as np
    from PIL import Image

    from clusterlib.chapters.display import figure_png

    fig = _chart(alpha)
    ours = figure_png(fig)
    peer = io.BytesIO()
    fig.savefig(peer, format="png", dpi=100, bbox_inches="tight")
    a, b = Image.open(io.BytesIO(ours)), Image.open(peer)
    assert a.size == b.size and a.size[0] > 400  # the title sticks out of the 4-inch figure
    assert a.mode == ("RGB" if alpha == 1.0 else "RGBA")
    assert np.array_equal(np.asarray(a.convert("RGBA")), np.asarray(b.convert("RGBA")))
    assert a.info["dpi"] == pytest.approx((100, 100), abs=1e-3) and "Software" not in a.info
    assert figure_png(_chart(alpha)) == ours
    half = io.BytesIO()
    fig.savefig(half, format="png", dpi=50, bbox_inches="tight")
    assert Image.open(io.BytesIO(figure_png(fig, dpi=50))).size == Image.open(half).size
    plt.close("all")


@pytest.mark.parametrize("kind", ["label", "ticks only", "axis off"])
def test_the_source_note_sits_under_the_x_axis_and_inside_the_crop(kind):
    """No layout pass: the note is placed under the x-axis label (its tick labels, or the axes
    when the axis is off), left-aligned with the axes, and the tight crop takes it in."""
    from clusterlib.figures.charts import _finish

    fig, ax = plt.subplots(figsize=(4, 3))
    ax.bar(["DE11 Stuttgart", "PL22 Śląskie"], [1.4, 0.8])
    if kind == "label":
        ax.set_xlabel("region")
    if kind == "axis off":
        ax.set_axis_off()
    _finish(fig, "Eurostat (sbs_r_nuts06_r2)")
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    r = canvas.get_renderer()
    (note,) = ax.texts
    box = note.get_window_extent(r)
    above = {
        "label": ax.xaxis.label.get_window_extent(r),
        "ticks only": ax.xaxis.get_tightbbox(r),
        "axis off": ax.get_window_extent(r),
    }[kind]
    assert note.get_text() == "Eurostat (sbs_r_nuts06_r2)" and not fig.texts
    assert above.y0 - 12 < box.y1 < above.y0  # 6 points (8 px at 100 dpi) under it
    assert box.x0 == pytest.approx(ax.get_window_extent(r).x0, abs=1)
    crop = fig.get_tightbbox(r)  # inches; what figure_png keeps
    assert crop.y0 * fig.dpi <= box.y0 + 1
    plt.close(fig)
