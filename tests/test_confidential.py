import numpy as np
import pandas as pd
import pytest

from clusterlib.specialisation import fill_missing


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
