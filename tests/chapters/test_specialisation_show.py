"""The portfolio chart of a region with divisions that have no employment (Ceuta, ES63)."""

from __future__ import annotations

import warnings

import matplotlib.pyplot as plt
import pytest

from clusterlib.chapters.specialisation import SpecialisationChapter


@pytest.fixture(scope="module")
def ceuta():
    return SpecialisationChapter.build(
        region="ES63", cluster="metal and machinery", year=2014, start_year=2009,
        reference="country", policy="fill", horizon=2020,
    )  # fmt: skip


def test_divisions_without_employment_are_named_not_drawn(ceuta, monkeypatch):
    from clusterlib.figures import charts

    drawn = {}
    real = charts.portfolio_chart

    def spy(p, **kw):
        drawn["index"] = list(p.index)
        return real(p, **kw)

    monkeypatch.setattr(charts, "portfolio_chart", spy)
    zero = ceuta.portfolio.index[ceuta.portfolio["lq"] == 0].tolist()
    assert zero  # Ceuta has manufacturing divisions with no one employed in 2014
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # was: divide by zero in log10 while placing labels
        view = ceuta.show_portfolio()
    plt.close("all")
    assert drawn["index"] == [i for i in ceuta.portfolio.index if i not in zero]
    kinds = [p[0] for p in view.parts]
    assert kinds == ["figure", "markdown"]
    assert view.parts[1][1] == (
        "> **Note.** Not in the chart (no employment in 2014, so no place on the log scale): "
        + ", ".join(zero)
        + "."
    )


def test_a_region_with_every_division_drawn_has_no_note():
    ch = SpecialisationChapter.build(
        region="PL22", cluster="metal and machinery", year=2014, start_year=2009,
        reference="country", policy="fill", horizon=2020,
    )  # fmt: skip
    assert (ch.portfolio["lq"] > 0).all()
    view = ch.show_portfolio()
    plt.close("all")
    assert [p[0] for p in view.parts] == ["figure"]
