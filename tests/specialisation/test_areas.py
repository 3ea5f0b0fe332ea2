"""Cluster areas (issue 25 §1): definitions, validation, and LQs of summed regions."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

import clusterlib as cl
from clusterlib.errors import DataFormatError, EmptySelectionError, OptionError, UnknownCodeError
from clusterlib.reference.areas import area_regions, check_unit, load_areas, validate_areas
from clusterlib.specialisation.areas import area_rows

NE = ["PL34", "PL62", "PL31"]


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ({"PL-NE": ["PL34", "PL99"]}, r"area 'PL-NE', field 'regions'.*unknown region 'PL99'"),
        ({"PL-NE": ["PL34", "PL34"]}, r"\['PL34'\] listed more than once"),
        ({"PL-NE": []}, r"expected a non-empty list of NUTS2 codes"),
        ({"PL-NE": {"name": "x"}}, r"field 'regions': expected a non-empty list"),
        ({"PL-NE": "PL34"}, r"expected a non-empty list.*found 'PL34'"),
        ({"PL34": ["PL34", "PL62"]}, r"area 'PL34': an area id must be a text that is not a NUTS"),
        ({"PLNE": ["PL34"]}, r"area 'PLNE': an area id must be a text that is not a NUTS"),
        ({"PL-NE": {"regions": NE, "colour": "red"}}, r"unknown key\(s\) \['colour'\]"),
        ({"PL-NE": ["PL84"]}, r"PL84 is a NUTS 2016/2021/2024 code \(Podlaskie\).*PL34"),
        ({"PL-NE": ["PL3"]}, r"'PL3'.*NUTS1 code"),
        (
            {"PL-NE": {"regions": NE, "nuts": 2021}},
            r"PL34 is a NUTS 2013 code .* in NUTS 2021 it is PL84",
        ),
        (
            {"PL-NE": {"regions": ["PL91", "PL84"], "nuts": 2021}},
            r"PL91 \(Warszawski stołeczny, NUTS 2021\) is part of PL12 .* does not estimate PL91",
        ),
        ({"PL-NE": {"regions": NE, "nuts": 2010}}, r"field 'nuts': NUTS version 2010 is not known"),
        (["PL34"], r"expected a mapping of area ids"),
    ],
)
def test_bad_area_definitions_are_named(spec, message):
    with pytest.raises(DataFormatError, match=message):
        validate_areas(spec, source="areas.yaml")


def test_a_cross_border_area_is_a_valid_definition():
    out = validate_areas({"LT-PL": {"name": "Border", "regions": ["PL34", "LT00"]}})
    assert out["LT-PL"] == {
        "name": "Border",
        "regions": ("PL34", "LT00"),
        "countries": ("LT", "PL"),
        "nuts": "2013",  # the default: members are NUTS 2013 codes, nothing mapped
        "declared": ("PL34", "LT00"),
        "note": "",
    }


def test_the_bundled_areas_file_defines_north_east_poland():
    areas = load_areas()
    assert areas["PL-NE"]["regions"] == tuple(NE) and areas["PL-NE"]["countries"] == ("PL",)
    assert "Podlaskie" in areas["PL-NE"]["name"]
    assert area_regions() == {"PL-NE": tuple(NE)}


def test_no_areas_file_means_no_areas(tmp_path):
    assert load_areas(tmp_path / "areas.yaml") == {}
    (tmp_path / "empty.yaml").write_text("# nothing yet\n")
    assert load_areas(tmp_path / "empty.yaml") == {}


def test_check_unit_accepts_regions_and_areas_and_names_the_rest():
    assert check_unit("PL-NE") == "PL-NE" and check_unit("PL22") == "PL22"
    with pytest.raises(UnknownCodeError, match=r"'PL-XX' is neither.*areas: \['PL-NE'\]"):
        check_unit("PL-XX")
    with pytest.raises(UnknownCodeError, match="PL99"):
        check_unit("PL99")


def _table():
    # two regions of country A, one of B; reference totals differ by country
    return pd.DataFrame({
        "region": ["A1", "A2", "A3", "B1"], "country": ["A", "A", "A", "B"], "industry": "C28",
        "year": 2014, "count": [30.0, 10.0, np.nan, 5.0],
        "region_total": [100.0, 300.0, 50.0, 20.0], "industry_total": [80.0, 80.0, 80.0, 9.0],
        "grand_total": [1000.0, 1000.0, 1000.0, 90.0], "imputed": [False, True, False, False],
    })  # fmt: skip


def test_area_lq_and_interval_by_hand():
    out = area_rows(_table(), {"A-X": ["A1", "A2"]}).iloc[0]
    x, xr, xi, xt = 40.0, 400.0, 80.0, 1000.0  # summed counts and bases; A's reference totals
    assert out["lq"] == pytest.approx((x / xr) / (xi / xt))  # 1.25
    se = math.sqrt(1 / x - 1 / xr - 1 / xi + 1 / xt)  # 0.136473
    assert out["se_log"] == pytest.approx(se)
    assert out["lq_low"] == pytest.approx(1.25 * math.exp(-1.959963984540054 * se))
    assert out["lq_high"] == pytest.approx(1.25 * math.exp(1.959963984540054 * se))
    assert out["significant"] == (out["lq_low"] > 1)
    assert out["imputed"] and out["status"] == "ok" and out["country"] == "A"
    assert (out["region"], out["count"], out["region_total"]) == ("A-X", 40.0, 400.0)


def test_an_area_with_an_unknown_or_absent_member_has_no_lq():
    out = area_rows(_table(), {"A-Y": ["A1", "A3"], "A-Z": ["A1", "A9"]}).set_index("region")
    assert math.isnan(out.loc["A-Y", "count"]) and math.isnan(out.loc["A-Y", "lq"])
    assert out.loc["A-Y", "status"] == "missing input"
    assert math.isnan(out.loc["A-Z", "lq"]) and out.loc["A-Z", "status"] == "missing input"


def test_a_cross_border_area_needs_the_european_reference():
    with pytest.raises(OptionError, match=r"areas \['AB'\].*A, B.*reference='eu'"):
        area_rows(_table(), {"AB": ["A1", "B1"]}, reference="country")
    eu = _table().assign(industry_total=85.0, grand_total=1090.0)
    out = area_rows(eu, {"AB": ["A1", "B1"]}, reference="eu").iloc[0]
    assert out["country"] == "A+B" and out["lq"] == pytest.approx((35 / 120) / (85 / 1090))


@pytest.fixture(scope="module")
def pl_table(eurostat):
    return cl.specialisation_table(
        eurostat, years=2014, countries="PL", industries=["C28"],
        clusters={"metal and machinery": ["C25", "C28", "C33"]}, areas={"PL-NE": NE},
    )  # fmt: skip


def test_specialisation_table_adds_the_area_beside_its_regions(pl_table):
    t = pl_table.set_index(["region", "industry"])
    for ind in ("C28", "metal and machinery"):
        members = t.loc[[(r, ind) for r in NE]]
        area = t.loc[("PL-NE", ind)]
        assert area["count"] == members["count"].sum()
        assert area["region_total"] == members["region_total"].sum()
        assert area["industry_total"] == members["industry_total"].iloc[0]
        assert area["lq"] == pytest.approx(
            (area["count"] / area["region_total"]) / (area["industry_total"] / area["grand_total"])
        )
    # the regions' own LQs are unchanged by the area (issue 25: C28 1.71, 1.33, 1.27)
    assert round(t.loc[("PL34", "C28"), "lq"], 2) == 1.71
    assert round(t.loc[("PL62", "C28"), "lq"], 2) == 1.33
    assert round(t.loc[("PL31", "C28"), "lq"], 2) == 1.27
    assert list(pl_table["region"].iloc[-2:]) == ["PL-NE", "PL-NE"]  # after the regions' rows


def test_the_default_areas_come_from_the_params_file(eurostat, pl_table):
    default = cl.specialisation_table(
        eurostat, years=2014, countries="PL", industries=["C28"],
        clusters={"metal and machinery": ["C25", "C28", "C33"]},
    )  # fmt: skip
    pd.testing.assert_frame_equal(default, pl_table)
    none = cl.specialisation_table(eurostat, years=2014, countries="PL", industries=["C28"],
                                   areas={})  # fmt: skip
    assert "PL-NE" not in set(none["region"])
    cz = cl.specialisation_table(eurostat, years=2014, countries="CZ", industries=["C28"])
    assert "PL-NE" not in set(cz["region"])  # an area outside the output is left out by default


def test_an_area_whose_members_are_not_selected_is_an_error(eurostat):
    with pytest.raises(EmptySelectionError, match=r"area 'PL-NE': member region\(s\) \['PL31'"):
        cl.specialisation_table(eurostat, years=2014, countries="CZ", industries=["C28"],
                                areas={"PL-NE": NE})  # fmt: skip


def test_unit_regions_of_a_region_and_an_area():
    from clusterlib.reference.areas import unit_regions

    assert unit_regions("PL22") == ("PL22",) and unit_regions("PL-NE") == tuple(NE)
    with pytest.raises(UnknownCodeError, match="'PL-XX' is neither"):
        unit_regions("PL-XX")


def test_the_survey_chapters_read_the_firms_of_an_area():
    from clusterlib.chapters.survey_evidence import SurveyEvidence

    ev = SurveyEvidence.load(region="PL-NE")
    survey = ev.survey
    assert len(ev.firms) == int(survey["region"].isin(NE).sum()) > 0
    assert set(ev.firms["region"]) == set(NE) and ev.members == tuple(NE)


def test_the_context_chapter_takes_an_area_from_the_areas_file():
    from clusterlib.chapters.context import ContextChapter

    ch = ContextChapter.build(region="PL-NE")
    assert ch.members == ["PL62", "PL81", "PL84"]  # the members in NUTS 2021


@pytest.mark.parametrize(
    ("notebook", "accepted"),
    [("06_innovation_context", True), ("02_innovation_drivers", True),
     ("01_specialisation", True), ("04_related_industries", True), ("05_value_chains", True)],
)  # fmt: skip
def test_notebooks_say_whether_they_take_an_area(notebook, accepted, monkeypatch):
    from clusterlib.batch.params import check_parameters
    from clusterlib.errors import ParameterError

    assert check_parameters(notebook, {"region": "PL-NE"})["region"] == "PL-NE"
    # a notebook left out of AREA_NOTEBOOKS refuses an area with a clear error
    import clusterlib.batch.params as bp

    monkeypatch.setattr(bp, "AREA_NOTEBOOKS", tuple(n for n in bp.NOTEBOOKS if n != notebook))
    if accepted:
        with pytest.raises(
            ParameterError, match=rf"'PL-NE' is a cluster area; notebook {notebook}"
        ):
            check_parameters(notebook, {"region": "PL-NE"})
    with pytest.raises(ParameterError, match="'PL-XX' is neither a NUTS2 region nor an area"):
        check_parameters(notebook, {"region": "PL-XX"})
