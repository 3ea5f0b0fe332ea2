import pandas as pd
import pytest

from clusterlib import DataFormatError, DataValueError, read_table

GUS = {"region": "Kod", "industry": "PKD", "year": "Rok", "value": "Pracujacy"}


def csv(tmp_path, text, name="gus.csv"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_gus_export_with_mapping(tmp_path):
    p = csv(tmp_path, "Kod;PKD;Rok;Pracujacy\nPL22;C24;2014;23040\nPL22;C25;2014;\n")
    df = read_table(p, columns=GUS, sep=";")
    assert df["value"].iloc[0] == 23040
    assert pd.isna(df["value"].iloc[1])  # empty means not available, never 0
    assert (df["indicator"] == "V16110").all()
    assert df["year"].tolist() == [2014, 2014]


def test_parquet(tmp_path):
    p = tmp_path / "t.parquet"
    pd.DataFrame(
        {"region": ["PL22"], "industry": ["C24"], "year": [2014], "value": [5.0]}
    ).to_parquet(p)
    assert read_table(p)["value"].tolist() == [5.0]


def test_missing_column(tmp_path):
    p = csv(tmp_path, "Kod;PKD;Rok\nPL22;C24;2014\n")
    with pytest.raises(DataFormatError, match=r"missing column\(s\) 'Pracujacy' \(for value\)"):
        read_table(p, columns=GUS, sep=";")


def test_non_numeric(tmp_path):
    p = csv(tmp_path, "Kod;PKD;Rok;Pracujacy\nPL22;C24;2014;23x\n")
    with pytest.raises(
        DataValueError, match=r"gus.csv, line 2 \(row 1\), column 'Pracujacy'.*'23x'"
    ):
        read_table(p, columns=GUS, sep=";")


def test_negative_and_duplicate(tmp_path):
    p = csv(tmp_path, "Kod;PKD;Rok;Pracujacy\nPL22;C24;2014;1\nPL21;C25;2014;-3\nPL21;C25;2014;4\n")
    with pytest.raises(DataValueError) as err:
        read_table(p, columns=GUS, sep=";")
    msg = str(err.value)
    assert "rows 2, 3 (lines 3, 4): duplicate key" in msg
    assert "row 2 (line 3), field 'value': expected a value >= 0, found -3.0" in msg


def test_bad_codes(tmp_path):
    p = csv(tmp_path, "Kod;PKD;Rok;Pracujacy\nslaskie;C24;2014;1\n")
    with pytest.raises(
        DataValueError, match=r"row 1 \(line 2\), field 'region': expected text matching"
    ):
        read_table(p, columns=GUS, sep=";")
