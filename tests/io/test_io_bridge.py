"""The WIOD-NACE Rev. 2 bridge and the reader of users' input-output tables (good inputs)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from clusterlib.errors import UnknownCodeError
from clusterlib.io.io_tables import read_io_table
from clusterlib.linkages import cluster_io_industries, wiod_nace_bridge


def test_bridge_covers_every_wiod_industry_and_each_division_once():
    b = wiod_nace_bridge()
    assert b["nace"].is_unique
    assert set(b["industry"]) == {f"c{i}" for i in range(1, 36)}
    manufacturing = [f"C{d}" for d in range(10, 34)]
    assert set(manufacturing) <= set(b["nace"])
    assert b.loc[b["nace"] == "C28", "industry"].item() == "c13"  # Machinery, nec (NACE 1.1 29)
    assert b.loc[b["nace"] == "C33", "note"].item().startswith("repair and installation")
    # many-to-one: C24 and C25 share c12
    assert b.loc[b["industry"] == "c12", "nace"].tolist() == ["C24", "C25"]


def test_cluster_to_io_industries_and_coarseness():
    t = cluster_io_industries("C25+C28+C33")
    assert t["industry"].tolist() == ["c12", "c13"]
    assert t["coverage"].tolist() == [0.5, 1.0]  # C25 of C24+C25; C28+C33 is all of c13
    assert t["many_to_one"].tolist() == [True, True]
    assert "weapons" in t.loc[0, "notes"] and "repair" in t.loc[1, "notes"]
    same = cluster_io_industries(["c33", "C28", "C25"])
    pd.testing.assert_frame_equal(t, same)


def test_weights_give_employment_coverage():
    t = cluster_io_industries("C25", weights=pd.Series({"C24": 300.0, "C25": 100.0}))
    assert t["coverage"].item() == pytest.approx(0.25)


def test_section_letter_expands():
    t = cluster_io_industries("B")
    assert t["industry"].tolist() == ["c2"] and t["coverage"].item() == 1.0


@pytest.mark.parametrize("code", ["C25.6", "C99", "", "XX"])
def test_unknown_codes(code):
    with pytest.raises(UnknownCodeError, match="codes:"):
        cluster_io_industries(code)


TABLE = (
    "label,CPA_A,CPA_C,CPA_G,P3_S14,P6\n"
    "CPA_C,30,200,40,300,230\n"  # rows in another order than the columns: reordered
    "CPA_A,10,50,5,30,5\n"
    "CPA_G,5,60,20,250,15\n"
    "D1,20,150,160,,\n"
    "B1G,50,350,300,,\n"
    "P1,100,800,400,,\n"
)


def test_read_csv_table(tmp_path):
    path = tmp_path / "io.csv"
    path.write_text(TABLE)
    t = read_io_table(path)
    assert list(t.flows.index) == list(t.flows.columns) == ["CPA_A", "CPA_C", "CPA_G"]
    assert t.flows.loc["CPA_C", "CPA_A"] == 30.0 and t.flows.loc["CPA_A", "CPA_C"] == 50.0
    assert t.output.tolist() == [100.0, 800.0, 400.0]
    assert t.value_added.tolist() == [50.0, 350.0, 300.0]
    assert list(t.final_demand.columns) == ["P3_S14", "P6"]
    assert t.final_demand.loc["CPA_G", "P3_S14"] == 250.0
    assert t.primary.loc["D1"].tolist() == [20.0, 150.0, 160.0]


def test_read_xlsx_table_equals_csv(tmp_path):
    csv = tmp_path / "io.csv"
    csv.write_text(TABLE)
    frame = pd.read_csv(csv)
    xlsx = tmp_path / "io.xlsx"
    frame.to_excel(xlsx, index=False)
    a, b = read_io_table(csv), read_io_table(xlsx)
    pd.testing.assert_frame_equal(a.flows, b.flows)
    pd.testing.assert_series_equal(a.output, b.output)
    np.testing.assert_array_equal(a.final_demand, b.final_demand)


def test_explicit_product_list_and_row_labels(tmp_path):
    path = tmp_path / "io.csv"
    path.write_text(TABLE.replace("P1", "Output").replace("CPA_", ""))
    t = read_io_table(path, products=["A", "C", "G"], output="Output")
    assert t.output.tolist() == [100.0, 800.0, 400.0]


def test_bridge_messages_whole():
    from clusterlib.errors import DataValueError

    with pytest.raises(UnknownCodeError) as exc:
        cluster_io_industries("C25.6")
    assert str(exc.value) == (
        "codes: 'C25.6' is not a NACE Rev. 2 division (two digits after the section letter, e.g. "
        "'C25') or section of the WIOD bridge; groups such as 'C25.6' are finer than any "
        "input-output table: use their division."
    )
    with pytest.raises(UnknownCodeError) as exc:
        cluster_io_industries(" + ")
    assert str(exc.value) == "codes: no NACE code given; name divisions such as 'C25+C28'."
    with pytest.raises(DataValueError) as exc:
        cluster_io_industries("C25", weights=pd.Series({"C24": 1.0, "C25": -1.0}))
    assert str(exc.value) == "weights, division 'C25': expected a number >= 0, found -1."
    with pytest.raises(DataValueError) as exc:
        cluster_io_industries("C25", weights=pd.Series({"C28": 1.0}))
    assert str(exc.value) == (
        "weights: every division of WIOD industry 'c12' has weight 0; give the weights of all "
        "its divisions."
    )


def test_cluster_table_columns_and_lowercase_codes():
    t = cluster_io_industries(["c25 ", "C24"])
    assert list(t.columns) == ["industry", "wiod_label", "cluster_nace", "industry_nace",
                               "coverage", "many_to_one", "notes"]  # fmt: skip
    assert t["wiod_label"].item() == "Basic metals and fabricated metal"
    assert t["cluster_nace"].item() == "C24+C25" and t["coverage"].item() == 1.0
    single = cluster_io_industries("C19")  # c8 holds C19 only: one-to-one, no notes
    assert not single["many_to_one"].item()
    assert single["notes"].item() == ""
