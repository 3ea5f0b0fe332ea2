"""Star ratings and the portfolio chart's data, against hand calculations written beside them."""

import numpy as np
import pandas as pd
import pytest

from clusterlib.errors import DataValueError, OptionError
from clusterlib.specialisation import cluster_stars, portfolio

pytestmark = pytest.mark.filterwarnings("error")  # a region without a start: no RuntimeWarning


def test_cluster_stars_by_hand():
    # Rated: A-E and H (F has no employment, G a zero total). Cluster employment sorted
    # 0.5, 10, 20, 30, 40, 50: the 0.8 quantile sits at position 5 x 0.8 = 4, i.e. 40, so D and
    # E get the size star. Focus (e / total): A .1, B .2, C .3, D .4, E 1.0, H .5, sorted
    # .1 .2 .3 .4 .5 1.0: the cut is .5, so H and E get the focus star. The reference share is
    # 150.5 / 451, so LQ = focus x 451 / 150.5: only E (2.997) reaches 2.
    e = pd.Series([10, 20, 30, 40, 50, np.nan, 5, 0.5], index=list("ABCDEFGH"))
    tot = pd.Series([100, 100, 100, 100, 50, 100, 0, 1.0], index=list("ABCDEFGH"))
    got = cluster_stars(e, tot, size_quantile=0.8, focus_quantile=0.8)
    focus = pd.Series([0.1, 0.2, 0.3, 0.4, 1.0, np.nan, np.nan, 0.5], index=list("ABCDEFGH"))
    want = pd.DataFrame(
        {
            "employment": e,
            "size_star": [False, False, False, True, True, False, False, False],
            "lq": focus * 451 / 150.5,
            "specialisation_star": [False, False, False, False, True, False, False, False],
            "focus": focus,
            "focus_star": [False, False, False, False, True, False, False, True],
            "stars": [0, 0, 0, 1, 3, np.nan, np.nan, 1],  # F, G not rated: NaN, never 0 stars
            "rated": [True, True, True, True, True, False, False, True],
        }
    )
    pd.testing.assert_frame_equal(got, want, check_exact=False, rtol=1e-12)


@pytest.mark.parametrize("name", ["size_quantile", "focus_quantile"])
@pytest.mark.parametrize("q", [0.0, 1.0, 1.5])
def test_cluster_stars_quantiles_strictly_inside(name, q):
    e, tot = pd.Series([1.0, 2.0]), pd.Series([10.0, 10.0])
    with pytest.raises(OptionError) as err:
        cluster_stars(e, tot, **{name: q})
    assert str(err.value) == f"{name}: expected a quantile strictly between 0 and 1, got {q}."


def test_cluster_stars_need_a_rated_region():
    with pytest.raises(DataValueError) as err:
        cluster_stars(pd.Series([1.0, np.nan]), pd.Series([0.0, 5.0]))
    assert str(err.value) == "cluster_stars: no region has both cluster employment and a total."


def test_portfolio_by_hand():
    # end sum 270 of start 250: the reference grew 8%. End totals sum to 1,700, so the
    # reference share is 270 / 1700 and LQ = (end / total) x 1700 / 270.
    #   A 100 -> 120 of 1,000: LQ 0.756, growth 20, +12 pp: emerging
    #   B 100 -> 90 of 500: LQ 1.133, growth -10, -18 pp: mature
    #   C 0 -> 10 of 100: no start: new (growth NaN)
    #   D 49 -> 49 of 60: LQ 5.14, growth 0, -8 pp: mature
    #   E 1 -> 1 of 40: LQ 0.157, growth 0, -8 pp: transformational
    start = pd.Series([100, 100, 0, 49, 1.0], index=list("ABCDE"))
    end = pd.Series([120, 90, 10, 49, 1.0], index=list("ABCDE"))
    tot = pd.Series([1000, 500, 100, 60, 40.0], index=list("ABCDE"))
    got = portfolio(start, end, region_total_end=tot)
    growth = pd.Series([20.0, -10.0, np.nan, 0.0, 0.0], index=list("ABCDE"))
    want = pd.DataFrame(
        {
            "lq": (end / tot) * 1700 / 270,
            "growth": growth,
            "relative_growth": growth - 8.0,
            "employment": end,
            "quadrant": ["emerging", "mature", "new", "mature", "transformational"],
        }
    )
    pd.testing.assert_frame_equal(got, want, check_exact=False, rtol=1e-12)


def test_portfolio_boundaries_are_stars():
    # every region with the same share and no growth: LQ exactly 1 and relative growth exactly
    # 0, which the quadrant rule counts as specialised and growing (a star)
    s = pd.Series([10.0, 20.0], index=["A", "B"])
    got = portfolio(s, s, region_total_end=10 * s)
    assert got["lq"].tolist() == [1.0, 1.0] and got["relative_growth"].tolist() == [0.0, 0.0]
    assert got["quadrant"].tolist() == ["star", "star"]


def test_portfolio_quadrant_boundaries_and_alignment():
    # LQ exactly 1 with slower growth: mature. A and B both hold 10% of their region; the
    # reference grows 30 / 20 - 1 = 50%; A stays (-50 pp), B doubles (+50 pp).
    start = pd.Series([10.0, 10.0], index=["A", "B"])
    got = portfolio(start, pd.Series([20.0, 10.0], index=["B", "A"]),
                    region_total_end=pd.Series([200.0, 100.0], index=["B", "A"]))  # fmt: skip
    assert got["lq"].tolist() == [1.0, 1.0]
    assert got["quadrant"].tolist() == ["mature", "star"]
    # growth equal to the reference (0 pp) and 0.5 pp above it, both unspecialised: emerging
    end = pd.Series([15.0, 15.0], index=["A", "B"])
    got = portfolio(start, end, region_total_end=pd.Series([300.0, 100.0], index=["A", "B"]))
    assert got["relative_growth"].tolist() == [0.0, 0.0]
    assert got["quadrant"].tolist() == ["emerging", "star"]
    start, end = (
        pd.Series([100.0, 100.0], index=["A", "B"]),
        pd.Series([151.0, 150.0], index=["A", "B"]),
    )
    got = portfolio(start, end, region_total_end=pd.Series([1000.0, 100.0], index=["A", "B"]))
    assert got.loc["A", "relative_growth"] == pytest.approx(0.5)
    assert got.loc["A", "quadrant"] == "emerging"


def test_cluster_stars_align_the_totals_on_the_regions():
    e = pd.Series([10.0, 30.0], index=["A", "B"])
    shuffled = pd.Series([100.0, 50.0, 7.0], index=["B", "A", "Z"])  # other order, one extra
    got = cluster_stars(e, shuffled, size_quantile=0.5, focus_quantile=0.5)
    assert got["focus"].tolist() == [0.2, 0.3]
