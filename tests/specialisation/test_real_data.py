"""Checks on the real bundled Eurostat data (Polish NUTS2, persons employed V16110)."""

import numpy as np
import pytest

from clusterlib import (
    EmptySelectionError,
    UnknownCodeError,
    employment_matrix,
    nuts_table,
    specialisation_table,
)
from clusterlib.reference import pl_voivodeships
from clusterlib.specialisation import select

pytestmark = pytest.mark.slow
METAL = {"metal processing": ["C24", "C25"]}


def test_c24_in_slaskie_far_above_one(eurostat):
    t = specialisation_table(eurostat, years=2014, countries="PL", clusters=METAL)
    row = t[(t.region == "PL22") & (t.industry == "C24")].iloc[0]
    assert row["lq"] > 2 and row["lq_low"] > 2 and row["significant"]


def test_metal_employment_adds_up_to_poland(eurostat):
    sel = select(eurostat, indicator="V16110", years=2014, industries=["C24", "C25"])
    regions = pl_voivodeships().index
    regional = sel[sel.region.isin(regions)]
    assert regional["value"].notna().all() and regional.region.nunique() == 16
    national = sel[sel.region == "PL"]["value"].sum()
    assert regional["value"].sum() == national


def test_default_policy_gives_all_16_voivodeships(eurostat):
    t = specialisation_table(eurostat, years=2014, countries="PL", clusters=METAL, areas={})
    cl = t[t.industry == "metal processing"]
    assert len(cl) == 16 and cl["lq"].notna().all() and (cl["status"] == "ok").all()
    # the four voivodeships with a confidential section (B, D or E) rest on imputed cells
    assert sorted(cl[cl.imputed].region) == ["PL11", "PL12", "PL42", "PL43"]


def test_missing_policy_flags_everything_that_depends_on_missing(eurostat):
    t = specialisation_table(eurostat, years=2014, countries="PL", clusters=METAL, policy="missing")
    cl = t[t.industry == "metal processing"]
    assert cl["lq"].isna().all() and (cl["status"] == "missing input").all()


def test_complete_sections_reports_dropped(eurostat):
    t = specialisation_table(
        eurostat, years=2014, countries="PL", clusters=METAL, policy="complete-sections"
    )
    assert t.attrs["dropped_sections"] == [{"group": "PL", "year": 2014, "dropped": "B, D, E"}]
    assert t[t.industry == "metal processing"]["lq"].notna().all()


def test_weighted_mean_lq_is_one_on_real_data(eurostat):
    t = specialisation_table(eurostat, years=2014, countries="PL")
    ok = t[t.status == "ok"]
    w = (ok.lq * ok.region_total).groupby(ok.industry).sum() / ok.groupby(
        ok.industry
    ).region_total.sum()
    full = ok.groupby("industry").size() == 16
    np.testing.assert_allclose(w[full], 1.0, rtol=1e-9)


def test_eu_reference_covers_most_regions(eurostat):
    t = specialisation_table(eurostat, years=2014, reference="eu", industries=["C24"])
    assert t.region.nunique() > 250
    assert (t.status == "ok").mean() > 0.95
    assert all(r["year"] == 2014 for r in t.attrs["excluded_regions"])


def test_employment_matrix_sections(eurostat):
    m = employment_matrix(eurostat, year=2014, country="PL")
    assert m.shape == (16, 13) and m.notna().all().all()


def test_nuts_table_levels(eurostat):
    t = nuts_table(eurostat.region.unique())
    assert t.loc["PL22", "level"] == 2 and t.loc["PL22", "parent"] == "PL2"
    assert t.loc["PL", "level"] == 0 and t.loc["PL", "name"] == "Poland"
    assert (t.level == 2).sum() == 326  # SOURCES.md: 326 NUTS2 regions


@pytest.mark.parametrize(
    ("kwargs", "error", "pattern"),
    [
        (
            {"indicator": "V99999"},
            UnknownCodeError,
            r"indicator 'V99999' is not in the data; available",
        ),
        (
            {"indicator": "V16110", "years": 2030},
            UnknownCodeError,
            r"year\(s\) \[2030\] not in the data",
        ),
        (
            {"indicator": "V16110", "regions": ["PL99"]},
            UnknownCodeError,
            r"unknown NUTS code\(s\): 'PL99'",
        ),
        (
            {"indicator": "V16110", "industries": ["C2"]},
            UnknownCodeError,
            r"unknown NACE code\(s\): 'C2' \(did you mean",
        ),
    ],
)
def test_selection_errors(eurostat, kwargs, error, pattern):
    with pytest.raises(error, match=pattern):
        select(eurostat, **kwargs)


def test_empty_selection(eurostat):
    # legacy code UKD2 exists, but it has no rows for G451 in 2015
    sub = eurostat[~((eurostat.region == "UKD2") & (eurostat.industry == "G451"))]
    with pytest.raises(EmptySelectionError, match="matches no rows"):
        select(sub, indicator="V16110", regions=["UKD2"], industries=["G451"])


def test_unknown_country(eurostat):
    with pytest.raises(UnknownCodeError, match=r"countries \['XX'\] have no NUTS2 regions"):
        specialisation_table(eurostat, years=2014, countries="XX")


def test_region_without_data_in_start_year(eurostat):
    # DE40 (Brandenburg) is a NUTS 2013 code; before 2011 its data sit under DE41 and DE42
    from clusterlib.chapters import specialisation_show as views

    t = specialisation_table(eurostat, years=[2009, 2014], countries="DE")
    assert not views.has_data(t, region="DE40", year=2009)
    assert views.has_data(t, region="DE40", year=2014)
    with pytest.raises(EmptySelectionError, match=r"region 'DE40' has no employment data in 2009"):
        views.region_shift_share(
            t, region="DE40", start_year=2009, end_year=2014, industries=["C24"]
        )
