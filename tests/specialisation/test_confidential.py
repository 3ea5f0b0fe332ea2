import numpy as np
import pandas as pd
import pytest

from clusterlib.errors import DataValueError
from clusterlib.specialisation import fill_missing

# undefined shares (no missing child, a zero auxiliary sum) are handled without warnings
pytestmark = pytest.mark.filterwarnings("error")


def cells(rows):
    return pd.DataFrame(rows, columns=["region", "industry", "year", "value", "flag"])


def test_geographic_fill_by_auxiliary():
    # PL1 = 100 with PL11 = 30 known, PL12 and PL13 confidential: residual 70.
    # Local units PL12 = 1, PL13 = 3 -> 70 * 1/4 = 17.5 and 70 * 3/4 = 52.5
    data = cells(
        [
            ("PL", "C24", 2014, 100.0, ""),
            ("PL1", "C24", 2014, 100.0, ""),
            ("PL11", "C24", 2014, 30.0, ""),
            ("PL12", "C24", 2014, np.nan, "c"),
            ("PL13", "C24", 2014, np.nan, "c"),
        ]
    )
    aux = data.assign(value=[9.0, 9.0, 5.0, 1.0, 3.0], flag="")
    out = fill_missing(data, auxiliary=aux).set_index("region")
    assert out.loc["PL12", "value"] == pytest.approx(17.5)
    assert out.loc["PL13", "value"] == pytest.approx(52.5)
    assert out.loc["PL12", "flag"] == "imputed" and out.loc["PL12", "imputed"]
    assert out.loc["PL11", "flag"] == "" and not out.loc["PL11", "imputed"]


def test_geographic_fill_equal_without_auxiliary():
    # residual 70 over two missing children with no auxiliary data: 35 each
    data = cells(
        [
            ("PL1", "C24", 2014, 100.0, ""),
            ("PL11", "C24", 2014, 30.0, ""),
            ("PL12", "C24", 2014, np.nan, "c"),
            ("PL13", "C24", 2014, np.nan, "c"),
        ]
    )
    out = fill_missing(data).set_index("region")
    assert out.loc[["PL12", "PL13"], "value"].tolist() == [35.0, 35.0]


def test_industrial_fill():
    # Section C = 50 in PL22; C24 = 20 known; C25, C28 missing, no auxiliary -> 15 each
    data = cells(
        [
            ("PL22", "C", 2014, 50.0, ""),
            ("PL22", "C24", 2014, 20.0, ""),
            ("PL22", "C25", 2014, np.nan, "c"),
            ("PL22", "C28", 2014, np.nan, "c"),
        ]
    )
    out = fill_missing(data).set_index("industry")
    assert out.loc[["C25", "C28"], "value"].tolist() == [15.0, 15.0]


def test_unknown_parent_stays_missing():
    # no parent value at all: missing is never treated as zero
    data = cells(
        [
            ("PL1", "C24", 2014, np.nan, "c"),
            ("PL11", "C24", 2014, 30.0, ""),
            ("PL12", "C24", 2014, np.nan, "c"),
        ]
    )
    out = fill_missing(data).set_index("region")
    assert np.isnan(out.loc["PL12", "value"]) and not out.loc["PL12", "imputed"]


def test_residual_within_rounding_of_zero_fills_zero():
    # PL1 = 0.9 with PL11 = 0.7 and PL12 = 0.2 known: in floating point 0.7 + 0.2 is
    # 0.8999999999999999 (one rounding, whatever the order), so the raw residual is 1.1e-16. The
    # missing PL13 gets exactly 0, not a count of 1e-16 (whose LQ interval would be absurd).
    data = cells(
        [
            ("PL1", "C24", 2014, 0.9, ""),
            ("PL11", "C24", 2014, 0.7, ""),
            ("PL12", "C24", 2014, 0.2, ""),
            ("PL13", "C24", 2014, np.nan, "c"),
        ]
    )
    assert 0.9 - (0.7 + 0.2) > 0  # the rounding the test is about
    out = fill_missing(data).set_index("region")
    assert out.loc["PL13", "value"] == 0.0 and out.loc["PL13", "imputed"]


def test_absent_child_gets_no_share():
    # PL13 has no row at all (absent, not confidential): the residual 70 goes to PL12 alone
    data = cells(
        [
            ("PL1", "C24", 2014, 100.0, ""),
            ("PL11", "C24", 2014, 30.0, ""),
            ("PL12", "C24", 2014, np.nan, "c"),
            ("PL13", "C25", 2014, 5.0, ""),
        ]
    )
    out = fill_missing(data).set_index(["region", "industry"])
    assert out.loc[("PL12", "C24"), "value"] == 70.0
    assert len(out) == 4 and out.loc[("PL13", "C25"), "value"] == 5.0


def test_fill_keeps_row_order_and_other_years_apart():
    # two years, rows shuffled: each year's residual stays in its year, rows keep their order
    data = cells(
        [
            ("PL12", "C24", 2015, np.nan, "c"),
            ("PL1", "C24", 2014, 100.0, ""),
            ("PL11", "C24", 2015, 10.0, ""),
            ("PL12", "C24", 2014, np.nan, "c"),
            ("PL1", "C24", 2015, 40.0, ""),
            ("PL11", "C24", 2014, 30.0, ""),
        ]
    )
    out = fill_missing(data)
    assert out["region"].tolist() == data["region"].tolist()
    assert out["value"].tolist() == [30.0, 100.0, 10.0, 70.0, 40.0, 30.0]


def test_duplicate_key_is_refused():
    data = cells([("PL11", "C24", 2014, 1.0, ""), ("PL11", "C24", 2014, 2.0, "")])
    with pytest.raises(DataValueError, match=r"^cells: the key \(region='PL11', industry='C24', "):
        fill_missing(data)
    # a duplicate in the auxiliary indicator is refused too, and named as such
    once = data.iloc[:1]
    with pytest.raises(DataValueError, match=r"^auxiliary: the key \(region='PL11', "):
        fill_missing(once, auxiliary=data)


def test_fill_runs_down_every_level_and_keeps_the_imputed_flag():
    # PL = 100 with PL2 = 40 known and PL1 missing: level 1 gives PL1 = 60. PL1's children:
    # PL11 = 10 known, PL12 missing: level 2 gives PL12 = 60 - 10 = 50, from the imputed parent.
    # C24 is a division: the industrial pass (no section row here) must keep PL12's flag.
    # The section C is unknown everywhere, so the industrial pass has C24 as a child with no
    # known parent: it fills nothing and must leave the geographic imputations flagged.
    data = cells(
        [
            ("PL", "C24", 2014, 100.0, ""),
            ("PL1", "C24", 2014, np.nan, "c"),
            ("PL2", "C24", 2014, 40.0, ""),
            ("PL11", "C24", 2014, 10.0, ""),
            ("PL12", "C24", 2014, np.nan, "c"),
            *[(r, "C", 2014, np.nan, "c") for r in ("PL", "PL1", "PL2", "PL11", "PL12")],
        ]
    )
    out = fill_missing(data).set_index(["region", "industry"])
    assert out.loc[("PL1", "C24"), "value"] == 60.0 and out.loc[("PL12", "C24"), "value"] == 50.0
    assert out["imputed"].tolist() == [False, True, False, False, True] + [False] * 5


def test_industrial_fill_by_auxiliary_and_down_to_groups():
    # Section G = 100 in PL22 with G45 = 20 known, G46 and G47 missing, local units 1 and 3:
    # 80 * 1/4 = 20 and 80 * 3/4 = 60. Then groups of G46 (now 20): G461 = 5 known, G462 missing
    # (no local units) -> 15.
    data = cells(
        [
            ("PL22", "G", 2014, 100.0, ""),
            ("PL22", "G45", 2014, 20.0, ""),
            ("PL22", "G46", 2014, np.nan, "c"),
            ("PL22", "G47", 2014, np.nan, "c"),
            ("PL22", "G461", 2014, 5.0, ""),
            ("PL22", "G462", 2014, np.nan, "c"),
        ]
    )
    aux = data.assign(value=[9.0, 9.0, 1.0, 3.0, 1.0, np.nan], flag="")
    out = fill_missing(data, auxiliary=aux).set_index("industry")["value"]
    assert out[["G46", "G47", "G462"]].tolist() == [20.0, 60.0, 15.0]


def test_auxiliary_summing_to_one_still_weights():
    # local units 0 and 1 for the two missing children: shares 0 and 1 (not an equal split)
    data = cells(
        [
            ("PL1", "C24", 2014, 100.0, ""),
            ("PL11", "C24", 2014, 30.0, ""),
            ("PL12", "C24", 2014, np.nan, "c"),
            ("PL13", "C24", 2014, np.nan, "c"),
        ]
    )
    aux = data.assign(value=[9.0, 5.0, 0.0, 1.0], flag="")
    out = fill_missing(data, auxiliary=aux).set_index("region")["value"]
    assert out[["PL12", "PL13"]].tolist() == [0.0, 70.0]


def test_rounding_residual_of_a_large_parent_is_zero():
    # 900000.9 - (700000.7 + 200000.2) is 1.2e-10 in floating point: noise relative to the
    # parent (1.3e-16 of it), so the missing child gets 0
    data = cells(
        [
            ("PL1", "C24", 2014, 900000.9, ""),
            ("PL11", "C24", 2014, 700000.7, ""),
            ("PL12", "C24", 2014, 200000.2, ""),
            ("PL13", "C24", 2014, np.nan, "c"),
        ]
    )
    assert 900000.9 - (700000.7 + 200000.2) > 1e-10
    assert fill_missing(data).set_index("region").loc["PL13", "value"] == 0.0
