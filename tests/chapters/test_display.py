"""figure_png: charts saved at their size (laid out while drawn), other figures cropped."""

from __future__ import annotations

import io

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from PIL import Image

from clusterlib.chapters.display import figure_png
from clusterlib.figures.charts import lq_bar_chart

LQ = pd.DataFrame(
    {"lq": [0.8, 1.6], "lq_low": [0.7, 1.4], "lq_high": [0.9, 1.8]}, index=["PL21", "PL22"]
)


def _size(png: bytes) -> tuple[int, int]:
    return Image.open(io.BytesIO(png)).size


def test_a_chart_is_saved_at_its_own_size_with_everything_inside():
    fig = lq_bar_chart(LQ, focal="PL22", title="LQ", source="Source: Eurostat, a long note")
    try:
        assert fig.get_layout_engine() is not None
        w, h = fig.get_size_inches()
        assert _size(figure_png(fig)) == (round(100 * w), round(100 * h))
        # the layout keeps the axes, their labels and the source note inside the figure
        box = fig.bbox
        renderer = fig.canvas.get_renderer()
        for artist in [*fig.axes, *fig.texts]:
            ext = artist.get_tightbbox(renderer) if hasattr(artist, "get_tightbbox") else None
            ext = ext or artist.get_window_extent(renderer)
            assert box.x0 - 1 <= ext.x0 and ext.x1 <= box.x1 + 1, artist
            assert box.y0 - 1 <= ext.y0 and ext.y1 <= box.y1 + 1, artist
    finally:
        plt.close(fig)


def test_a_figure_without_a_layout_engine_is_cropped_to_what_it_draws():
    fig, ax = plt.subplots(figsize=(6, 6))
    ax.plot([0, 1], [0, 1])
    ax.set_position([0.4, 0.4, 0.2, 0.2])  # a small axes in a large, empty figure
    try:
        w, h = _size(figure_png(fig))
        assert w < 400 and h < 400
    finally:
        plt.close(fig)


@pytest.mark.parametrize("engine", [True, False])
def test_the_same_figure_gives_the_same_bytes(engine):
    def png():
        fig = lq_bar_chart(LQ, focal="PL22")
        if not engine:
            fig.set_layout_engine("none")
        out = figure_png(fig)
        plt.close(fig)
        return out

    assert png() == png()
