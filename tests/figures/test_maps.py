"""Maps: rendered once, with no full redraw while the layers are drawn (issue 29)."""

from __future__ import annotations

import contextlib

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg

from clusterlib.chapters.display import figure_png
from clusterlib.figures import maps

VALUES = pd.Series({"PL22": 1.4, "PL42": 0.7, "DE11": 2.1, "FR10": 0.4})


@pytest.fixture
def draws(monkeypatch):
    """Count full renders of any figure."""
    count = [0]
    real = FigureCanvasAgg.draw

    def counted(self, *args, **kwargs):
        count[0] += 1
        return real(self, *args, **kwargs)

    monkeypatch.setattr(FigureCanvasAgg, "draw", counted)
    return count


@pytest.mark.parametrize("europe", [False, True])
def test_a_choropleth_is_not_rendered_while_its_layers_are_drawn(draws, europe):
    fig = maps.choropleth(VALUES, country="PL", focal="PL22", europe=europe, legend="LQ")
    try:
        # geopandas asks for a redraw after each layer (three on the Europe map); none happens
        assert draws[0] == 0
        assert "draw_idle" not in vars(fig.canvas)
    finally:
        plt.close(fig)


@pytest.mark.parametrize("europe", [False, True])
def test_skipping_the_redraws_leaves_the_png_byte_identical(monkeypatch, europe):
    def png():
        fig = maps.choropleth(VALUES, country="PL", focal=["PL22", "PL42"], europe=europe)
        out = figure_png(fig)
        plt.close(fig)
        return out

    fast = png()
    monkeypatch.setattr(maps, "_no_idle_draw", lambda fig: contextlib.nullcontext())
    assert png() == fast


def test_the_figure_redraws_again_once_the_map_is_drawn(draws):
    fig = maps.choropleth(VALUES, country="PL", focal="PL22")
    try:
        fig.canvas.draw_idle()  # the canvas's own method is back: an interactive user sees it
        assert draws[0] == 1
    finally:
        plt.close(fig)


def test_the_redraw_comes_back_when_drawing_a_layer_fails(monkeypatch, draws):
    import geopandas as gpd

    def broken(*args, **kwargs):
        raise RuntimeError("layer failed")

    monkeypatch.setattr(gpd.GeoDataFrame, "plot", property(lambda self: broken))
    before = set(plt.get_fignums())
    with pytest.raises(RuntimeError, match="layer failed"):
        maps.choropleth(VALUES, country="PL")
    (num,) = set(plt.get_fignums()) - before
    fig = plt.figure(num)
    try:
        assert "draw_idle" not in vars(fig.canvas)
    finally:
        plt.close(fig)


@pytest.mark.parametrize(
    ("country", "europe", "credit"),
    [
        ("PL", False, maps.PL_CREDIT),
        ("DE", False, maps.GISCO_CREDIT),
        ("PL", True, maps.GISCO_CREDIT),
    ],
)
def test_a_map_credits_the_boundaries_it_draws(country, europe, credit):
    fig = maps.choropleth(VALUES, country=country, europe=europe, source="Eurostat")
    try:
        notes = [t.get_text() for t in fig.axes[0].texts]
        assert notes == [f"Eurostat; {credit}"] and not fig.texts
    finally:
        plt.close(fig)
