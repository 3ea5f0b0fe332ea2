"""read_eurostat_csv: the tidy R&D and patent files, every cell checked, and bad input refused."""

from __future__ import annotations

import csv

import numpy as np
import pandas as pd
import pytest

from clusterlib import DataFormatError, DataValueError, config, read_eurostat_csv
from clusterlib.errors import EmptyDataError, EncodingError, MissingFileError


def write(tmp_path, text, name="e.csv"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


@pytest.mark.parametrize("name", ["rd_p_persreg_2009_2018.csv", "pat_ep_rtot_PL.csv"])
def test_every_cell_against_the_csv_module(name):
    path = config.raw_dir() / name
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    df = read_eurostat_csv(path)
    dims = [c for c in rows[0] if c not in ("geo", "time", "values")]
    assert list(df.columns) == ["region", *dims, "year", "value", "flag"]
    assert len(df) == len(rows) and df.attrs["source"] == str(path)
    assert df["year"].dtype == np.int64 and df["value"].dtype == np.float64
    assert all(isinstance(df[c].dtype, pd.CategoricalDtype) for c in ["region", *dims])
    for r, got in zip(
        rows, df.astype({c: str for c in ["region", *dims]}).itertuples(), strict=True
    ):
        assert got.region == r["geo"] and got.year == int(float(r["time"]))
        assert [getattr(got, d) for d in dims] == [r[d] for d in dims]
        assert (np.isnan(got.value) and r["values"] == "") or got.value == float(r["values"])
        assert got.flag == ""


def test_known_cells():
    rd = read_eurostat_csv(config.raw_dir() / "rd_p_persreg_2009_2018.csv").set_index(
        ["region", "year"]
    )
    assert rd.loc[("PL12", 2009), "value"] == 24408 and np.isnan(rd.loc[("PL12", 2018), "value"])
    pat = read_eurostat_csv(config.raw_dir() / "pat_ep_rtot_PL.csv")
    row = pat[(pat.region == "PL") & (pat.unit == "GDP_BEUR") & (pat.year == 2012)]
    assert row["value"].tolist() == [1.097]  # GDP_BEUR,PL,2012.0,1.097


def test_usual_dimension_names_and_order(tmp_path):
    p = write(tmp_path, "unit,indic_sb,nace_r2,geo,time,values\nNR,V16110,C25,PL22,2014,5\n")
    df = read_eurostat_csv(p)
    assert list(df.columns) == ["region", "industry", "indicator", "unit", "year", "value", "flag"]
    assert df.iloc[0].tolist() == ["PL22", "C25", "V16110", "NR", 2014, 5.0, ""]


BAD = [
    ("empty", "", EmptyDataError, r"^.*e\.csv: the file is empty\. Download it again\.$"),
    ("blank-lines", "\n\n", EmptyDataError, r"e\.csv: the file is empty"),
    ("header-only", "unit,geo,time,values\n", EmptyDataError,
     r"^.*e\.csv: the file holds a header but no data rows\.$"),
    ("no-geo", "unit,time,values\nNR,2014,1\n", DataFormatError,
     r"^.*e\.csv, line 1: expected the columns of a tidy Eurostat CSV, dimensions then 'time' and "
     r"'values', with 'geo' among them \(e\.g\. unit,geo,time,values\); found \['unit', 'time', "
     r"'values'\]\. Is this a Eurostat CSV\?$"),
    ("values-not-last", "geo,values,time\nPL,1,2014\n", DataFormatError, r"found \['geo', 'values', 'time'\]"),
    ("no-time", "geo,year,values\nPL,2014,1\n", DataFormatError, r"expected the columns"),
    ("reserved", "year,geo,time,values\n2014,PL,2014,1\n", DataFormatError,
     r"^.*e\.csv, line 1, field 'year': the dimension repeats or collides with a column the reader "
     r"adds \(region, industry, indicator, year, value, flag\)\. Repair the header line\.$"),
    ("two-indicators", "indic_sb,indic_sbs,geo,time,values\na,b,PL,2014,1\n", DataFormatError,
     r"field 'indic_sb': the dimension repeats"),
    ("repeated", "unit,unit,geo,time,values\na,b,PL,2014,1\n", DataFormatError,
     r"field 'unit': the dimension repeats"),
    ("short-row", "unit,geo,time,values\nNR,PL,2014,1\nNR,PL,2015\n", DataFormatError,
     r"^.*e\.csv, line 3: expected 4 comma-separated fields \(unit,geo,time,values\), found 3\. "
     r"Repair that line\.$"),
    ("bad-time", "unit,geo,time,values\nNR,PL,2014,1\nNR,PL,2015Q1,2\n", DataFormatError,
     r"^.*e\.csv, line 3, field 'time': expected a year such as 2009 or 2009\.0, found '2015Q1'\. "
     r"This reader takes annual files\.$"),
    ("time-2014.5", "unit,geo,time,values\nNR,PL,2014.5,1\n", DataFormatError, r"found '2014\.5'"),
    ("bad-value", "unit,geo,time,values\nNR,PL,2014,1\nNR,DE,2014,1,5\n", DataFormatError,
     r"line 3: expected 4"),
    ("text-value", "unit,geo,time,values\nNR,PL,2014,1\nNR,DE,2014,12x\n", DataValueError,
     r"^.*e\.csv, line 3, field 'values': expected a number or an empty cell, found '12x'\. "
     r"Repair that cell\.$"),
    ("inf-value", "unit,geo,time,values\nNR,PL,2014,inf\n", DataValueError, r"line 2, field 'values'.*'inf'"),
    ("nan-value", "unit,geo,time,values\nNR,PL,2014,1\nNR,PL,2015,nan\n", DataValueError,
     r"line 3, field 'values'.*'nan'"),
    ("duplicate", "unit,geo,time,values\nNR,PL,2014,1\nNR,DE,2014,2\nNR,PL,2014.0,3\n",
     DataValueError,
     r"^.*e\.csv, line 4: the key \('PL', 'NR', '2014'\) appears twice; each key and year may "
     r"appear once\. Remove one of the lines\.$"),
]  # fmt: skip


@pytest.mark.parametrize("text,exc,pattern", [c[1:] for c in BAD], ids=[c[0] for c in BAD])
def test_bad_files_are_clear_errors(tmp_path, text, exc, pattern):
    with pytest.raises(exc, match=pattern):
        read_eurostat_csv(write(tmp_path, text))


def test_blanks_around_cells_and_a_missing_file(tmp_path):
    df = read_eurostat_csv(
        write(tmp_path, "unit,geo,time,values\nNR,PL, 2014 , 7 \nNR,DE,2014.0,\n")
    )
    assert df["year"].tolist() == [2014, 2014] and df["value"].iloc[0] == 7
    assert np.isnan(df["value"].iloc[1])
    with pytest.raises(
        MissingFileError, match=r"none\.csv: no such file \(expected a Eurostat CSV"
    ):
        read_eurostat_csv(tmp_path / "none.csv")
    (tmp_path / "latin.csv").write_bytes(
        "unit,geo,time,values\nNR,PL,2014,1 ą\n".encode("iso-8859-2")
    )
    with pytest.raises(EncodingError, match=r"latin\.csv, line 2"):
        read_eurostat_csv(tmp_path / "latin.csv")
