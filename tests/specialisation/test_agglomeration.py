"""Ellison-Glaeser and Maurel-Sedillot gamma, the plant Herfindahl and pseudo-plants, by hand."""

import numpy as np
import pandas as pd
import pytest

from clusterlib.errors import DataFormatError, DataValueError, OptionError
from clusterlib.specialisation import ellison_glaeser, plants_from_counts

pytestmark = pytest.mark.filterwarnings("error")

# regions A 60 and B 40 of all employment: x = (.6, .4), sum x^2 = .52
TOTAL = pd.Series({"A": 60.0, "B": 40.0})
# X: plants of 1 (A), 1 and 2 (B): H = .25^2 + .25^2 + .5^2 = .375, s = (.25, .75)
# Y: one plant of 5 in A: H = 1, gamma undefined
PLANTS = pd.DataFrame(
    {
        "industry": ["X", "X", "X", "Y"],
        "region": ["A", "B", "B", "A"],
        "employment": [1.0, 1.0, 2.0, 5.0],
    }
)


def test_gamma_by_hand():
    # EG: G = (.25 - .6)^2 + (.75 - .4)^2 = .245; gamma = (.245 - .48 x .375) / (.48 x .625)
    #     = .065 / .3; Y: G = .4^2 + .4^2 = .32
    eg = ellison_glaeser(PLANTS, TOTAL)
    want = pd.DataFrame(
        {"G": [0.245, 0.32], "H": [0.375, 1.0], "gamma": [0.065 / 0.3, np.nan]},
        index=pd.Index(["X", "Y"], name="industry"),
    )
    pd.testing.assert_frame_equal(eg, want, check_names=False, rtol=1e-12)
    # MS: G = .25^2 + .75^2 = .625; gamma = ((.625 - .52) / .48 - .375) / .625 = -.25
    ms = ellison_glaeser(PLANTS, TOTAL, method="maurel-sedillot")
    assert ms.loc["X", "G"] == pytest.approx(0.625, abs=1e-15)
    assert ms.loc["X", "gamma"] == pytest.approx(-0.25, abs=1e-14)
    assert np.isnan(ms.loc["Y", "gamma"])


def test_other_column_names():
    plants = PLANTS.rename(columns={"industry": "nace", "region": "geo", "employment": "emp"})
    got = ellison_glaeser(plants, TOTAL, industry="nace", region="geo", size="emp")
    assert got.loc["X", "gamma"] == pytest.approx(0.065 / 0.3, rel=1e-12)


def test_messages():
    with pytest.raises(DataFormatError) as err:
        ellison_glaeser(PLANTS.drop(columns="employment"), TOTAL)
    assert str(err.value) == (
        "plants: missing column(s) ['employment']; found ['industry', 'region']."
    )
    with pytest.raises(OptionError) as err:
        ellison_glaeser(PLANTS, TOTAL, method="ms")
    assert str(err.value) == "method: expected 'ellison-glaeser' or 'maurel-sedillot', got 'ms'."
    for bad in (-1.0, np.nan):
        plants = PLANTS.copy()
        plants.loc[2, "employment"] = bad
        with pytest.raises(DataValueError) as err:
            ellison_glaeser(plants, TOTAL)
        assert str(err.value) == "plants, row 2, field 'employment': expected a non-negative size."
    with pytest.raises(DataValueError) as err:
        ellison_glaeser(PLANTS.replace({"region": {"B": "C"}}), TOTAL)
    assert str(err.value) == "region_total: no total for region(s) ['C']."


def test_plants_from_counts_by_hand():
    # (A, i) 10 workers in 2 units: 2 plants of 5; (A, j) 9 in 3: 3 of 3; (B, i) no units and
    # (B, j) unknown employment: dropped; (C, i) 1.4 units round to 1 plant of 7; (C, j) 2.6
    # round to 3 plants of 5/3
    idx = pd.MultiIndex.from_tuples([("A", "i"), ("A", "j"), ("B", "i"), ("B", "j"),
                                     ("C", "i"), ("C", "j")])  # fmt: skip
    emp = pd.Series([10.0, 9, 4, np.nan, 7, 5], index=idx)
    units = pd.Series([2.0, 3, 0, 2, 1.4, 2.6], index=idx)
    got = plants_from_counts(emp, units)
    want = pd.DataFrame(
        {
            "region": ["A", "A", "A", "A", "A", "C", "C", "C", "C"],
            "industry": ["i", "i", "j", "j", "j", "i", "j", "j", "j"],
            "employment": [5.0, 5, 3, 3, 3, 7, 5 / 3, 5 / 3, 5 / 3],
        }
    )
    pd.testing.assert_frame_equal(got, want, check_dtype=False)


def test_plant_herfindahl_defaults_order_and_categories():
    from clusterlib.specialisation.agglomeration import plant_herfindahl

    # Y appears first; the result is sorted by industry; an unused category is not a row
    plants = PLANTS.iloc[[3, 0, 1, 2]].astype({"industry": pd.CategoricalDtype(["X", "Y", "Z"])})
    got = plant_herfindahl(plants)
    assert got.name == "plant_herfindahl" and got.index.tolist() == ["X", "Y"]
    assert got.tolist() == [0.375, 1.0]
    eg = ellison_glaeser(plants, TOTAL)
    assert eg.index.tolist() == ["X", "Y"]


def test_sizes_zero_and_below_one_are_valid_and_regions_without_plants_count():
    # a plant of size 0 or 0.5 is valid; the first negative one is named
    plants = PLANTS.assign(employment=[0.5, 1.0, 2.0, 0.0])
    assert np.isfinite(ellison_glaeser(plants, TOTAL).loc["X", "gamma"])
    bad = PLANTS.assign(employment=[0.0, 1.0, -2.0, 5.0])
    with pytest.raises(DataValueError, match=r"^plants, row 2, "):
        ellison_glaeser(bad, TOTAL)
    # a region with employment but no plant of the industry enters G with s = 0:
    # totals A 60, B 40, C 100 -> x = (.3, .2, .5); X: s = (.25, .75, 0)
    # G = .05^2 + .55^2 + .5^2 = .555
    total = pd.Series({"A": 60.0, "B": 40.0, "C": 100.0})
    assert ellison_glaeser(PLANTS, total).loc["X", "G"] == pytest.approx(0.555, abs=1e-15)
    # at most five unknown regions are named
    many = PLANTS.assign(region=["R1", "R2", "R3", "R4"])
    many = pd.concat([many, many.assign(region=["R5", "R6", "R7", "R8"])], ignore_index=True)
    with pytest.raises(DataValueError) as err:
        ellison_glaeser(many, TOTAL)
    assert str(err.value) == "region_total: no total for region(s) ['R1', 'R2', 'R3', 'R4', 'R5']."


def test_plants_from_counts_keeps_single_units():
    idx = pd.MultiIndex.from_tuples([("A", "i")])
    got = plants_from_counts(pd.Series([4.0], index=idx), pd.Series([1.0], index=idx))
    assert got.to_dict("list") == {"region": ["A"], "industry": ["i"], "employment": [4.0]}
