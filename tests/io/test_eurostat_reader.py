import gzip
import shutil

import numpy as np
import pytest

from clusterlib import DataFormatError, DataValueError, read_eurostat_tsv
from clusterlib.io.eurostat import TIDY_COLUMNS

SAMPLE = "tests/data/sample.tsv"


def write(tmp_path, text, name="x.tsv"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


HEADER = "nace_r2,indic_sb,geo\\time\t2015 \t2014 \n"


def test_sample_every_cell_form():
    df = read_eurostat_tsv(SAMPLE)
    assert list(df.columns) == TIDY_COLUMNS
    assert df["year"].dtype == np.int64
    rows = df.set_index(["region", "industry", "indicator", "year"])
    # '1234 p' -> value with flag p; ': c' -> NaN flagged c; '56 b'; ':' plain; ': cd' two letters
    assert rows.loc[("PL22", "C24", "V16110", 2015), "value"] == 1234
    assert rows.loc[("PL22", "C24", "V16110", 2015), "flag"] == "p"
    assert np.isnan(rows.loc[("PL22", "C24", "V16110", 2014), "value"])
    assert rows.loc[("PL22", "C24", "V16110", 2014), "flag"] == "c"
    assert rows.loc[("PL22", "C24", "V16110", 2013), "value"] == 56
    assert rows.loc[("PL22", "C24", "V16110", 2013), "flag"] == "b"
    assert np.isnan(rows.loc[("PL21", "C24", "V16110", 2015), "value"])
    assert rows.loc[("PL21", "C24", "V16110", 2015), "flag"] == ""
    assert rows.loc[("PL21", "C24", "V16110", 2013), "flag"] == "cd"
    assert rows.loc[("PL21", "C24", "V16110", 2014), "value"] == 10  # '10 ' trailing space
    # growth rates may be negative
    assert rows.loc[("PL22", "C25", "V91290", 2015), "value"] == -1.5
    assert rows.loc[("PL22", "C25", "V91290", 2014), "flag"] == "e"
    assert len(df) == 4 * 3
    # years ascend within a file row
    assert df["year"].iloc[:3].tolist() == [2013, 2014, 2015]


def test_gzip_equals_plain(tmp_path):
    gz = tmp_path / "sample.tsv.gz"
    with open(SAMPLE, "rb") as src, gzip.open(gz, "wb") as dst:
        shutil.copyfileobj(src, dst)
    a, b = read_eurostat_tsv(SAMPLE), read_eurostat_tsv(gz)
    assert a.astype(str).equals(b.astype(str))


def test_malformed_row_names_line(tmp_path):
    p = write(tmp_path, HEADER + "C24,V16110,PL22\t1 \t2 \nC25,V16110,PL22\t1 \t2 \t3 \n")
    with pytest.raises(
        DataFormatError, match=r"x.tsv, line 3: malformed row: expected 3 .* found 4"
    ):
        read_eurostat_tsv(p)


def test_short_key_names_line(tmp_path):
    p = write(tmp_path, HEADER + "C24,V16110\t1 \t2 \n")
    with pytest.raises(DataFormatError, match=r"line 2, field .*expected 3 comma-separated codes"):
        read_eurostat_tsv(p)


def test_non_numeric_cell_names_line_and_year(tmp_path):
    p = write(tmp_path, HEADER + "C24,V16110,PL22\t1 \t2 \nC25,V16110,PL22\t1 \t12x4 \n")
    with pytest.raises(
        DataValueError, match=r"line 3, field '2014': expected a number or ':'.*'12x4'"
    ):
        read_eurostat_tsv(p)


def test_bad_flag_is_an_error(tmp_path):
    p = write(tmp_path, HEADER + "C24,V16110,PL22\t1 P\t2 \n")
    with pytest.raises(DataValueError, match=r"line 2, field '2015'.*'1 P'"):
        read_eurostat_tsv(p)


def test_negative_count(tmp_path):
    p = write(tmp_path, HEADER + "C24,V16110,PL22\t1 \t-2 \n")
    with pytest.raises(DataValueError, match=r"line 2, field '2014': V16110 is a head count.*-2"):
        read_eurostat_tsv(p)


def test_duplicate_key(tmp_path):
    p = write(
        tmp_path,
        HEADER + "C24,V16110,PL22\t1 \t2 \nC25,V16110,PL22\t1 \t2 \nC24,V16110,PL22\t3 \t4 \n",
    )
    with pytest.raises(
        DataValueError, match=r"line 4: duplicate key .*'PL22', 'C24', 'V16110'.* line 2"
    ):
        read_eurostat_tsv(p)


def test_header_errors(tmp_path):
    with pytest.raises(DataFormatError, match="packed key header"):
        read_eurostat_tsv(write(tmp_path, "a,b,c\t2015\nx,y,z\t1\n"))
    with pytest.raises(DataFormatError, match="expected a year"):
        read_eurostat_tsv(write(tmp_path, "nace_r2,indic_sb,geo\\time\tyear\nC,V,PL\t1\n"))
    # any dimensions are read; with dimensions= an unexpected one is an error
    assert list(read_eurostat_tsv(write(tmp_path, "unit,geo\\time\t2015\nA,PL\t1\n"))) == [
        "region",
        "unit",
        "year",
        "value",
        "flag",
    ]
    with pytest.raises(DataFormatError, match="unknown dimension 'unit': expected the dimensions"):
        read_eurostat_tsv(
            write(tmp_path, "unit,geo\\time\t2015\nA,PL\t1\n"),
            dimensions=["nace_r2", "indic_sb", "geo"],
        )
    with pytest.raises(FileNotFoundError, match="no such file"):
        read_eurostat_tsv(tmp_path / "missing.tsv")


@pytest.mark.slow
def test_full_bundled_file(eurostat):
    df = eurostat
    # 195,227 data rows x 8 years (SOURCES.md: about 195,000 rows, 2008-2015)
    assert len(df) == 195_227 * 8
    assert set(df["year"].unique()) == set(range(2008, 2016))
    assert set(df["indicator"].unique()) == {"V11210", "V13320", "V16110", "V91290", "V94310"}
    # cells quoted in SOURCES.md: C25,V16110,PL22 48084 (2015) 45497 (2014) 46053 (2013)
    pl22 = df[(df.region == "PL22") & (df.industry == "C25") & (df.indicator == "V16110")]
    assert pl22.set_index("year")["value"].loc[[2015, 2014, 2013]].tolist() == [48084, 45497, 46053]
    # the confidential cells of 2014 named in the foundation issue
    conf = df[
        (df.indicator == "V16110")
        & (df.year == 2014)
        & df.region.str.match(r"^PL\d\d$")
        & df.industry.isin(list("BDE"))
        & df.flag.str.contains("c")
    ]
    assert sorted(conf["region"].unique()) == ["PL11", "PL12", "PL42", "PL43"]
    assert conf["value"].isna().all()
