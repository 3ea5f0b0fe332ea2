"""One reader for both generations of Eurostat bulk TSV (issue 26 §1).

The current-format GDP files are checked cell by cell against a parse written here with plain
string code; the 2017 file against the frame that the reader gave before this change.
"""

from __future__ import annotations

import csv
import gzip
import hashlib

import numpy as np
import pandas as pd
import pytest

from clusterlib import DataFormatError, DataValueError, config, read_eurostat_tsv
from clusterlib.io.eurostat_flags import flag_code_list, flag_letters, flag_meaning, is_known_flag

GDP_FILES = ["nama_10r_2gdp_PL_EUR_HAB.tsv", "nama_10r_2gdp_PL_MIO_EUR.tsv"]


def write(tmp_path, text, name="x.tsv"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def independent_parse(path):
    """Every cell of a bulk TSV as (unit, region, year, value, flag), with csv and str only."""
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f, delimiter="\t"))
    head = rows[0]
    assert head[0] == "freq,unit,geo\\TIME_PERIOD"
    years = [int(h.strip()) for h in head[1:]]
    out = []
    for row in rows[1:]:
        freq, unit, geo = row[0].split(",")
        assert freq == "A"
        for year, cell in zip(years, row[1:], strict=True):
            text = cell.strip()
            num, _, flag = text.partition(" ")
            out.append((unit, geo, year, None if num == ":" else float(num), flag.strip()))
    return sorted(out, key=lambda r: (r[1], r[2]))


@pytest.mark.parametrize("name", GDP_FILES)
def test_gdp_every_cell_against_an_independent_parse(name):
    path = config.raw_dir() / name
    expect = independent_parse(path)
    df = read_eurostat_tsv(path)
    assert list(df.columns) == ["region", "unit", "year", "value", "flag"]
    got = sorted(
        (
            (r.unit, r.region, r.year, None if np.isnan(r.value) else r.value, r.flag)
            for r in df.astype({"unit": str, "region": str, "flag": str}).itertuples()
        ),
        key=lambda r: (r[1], r[2]),
    )
    assert len(got) == len(expect) == 25 * 24  # 25 geo codes x 2000-2023 (SOURCES.md)
    assert got == expect
    # a few cells read off the file by eye: PL 2010 '9500 b', PL 2023 '19900 p' (EUR_HAB)
    if name.endswith("EUR_HAB.tsv"):
        pl = df[df.region == "PL"].set_index("year")
        assert (pl.loc[2010, "value"], pl.loc[2010, "flag"]) == (9500, "b")
        assert (pl.loc[2023, "value"], pl.loc[2023, "flag"]) == (19900, "p")


def frame_hash(df: pd.DataFrame) -> str:
    h = hashlib.sha256()
    h.update(pd.util.hash_pandas_object(df, index=True).to_numpy().tobytes())
    h.update(repr(list(df.columns)).encode())
    h.update(repr([str(t) for t in df.dtypes]).encode())
    for c in df.columns:
        if isinstance(df[c].dtype, pd.CategoricalDtype):
            h.update(repr(list(df[c].cat.categories)).encode())
            h.update(df[c].cat.codes.to_numpy().tobytes())
    return h.hexdigest()


@pytest.mark.slow
def test_the_2017_file_gives_the_same_table_as_before():
    # frame_hash of read_eurostat_tsv(config.eurostat_path()) computed on main at 5a87c23, before
    # the reader learnt the current format (same pandas and pyarrow as this environment)
    df = read_eurostat_tsv(config.eurostat_path())
    assert df.shape == (1_561_816, 6)
    assert frame_hash(df) == "7f62dd8ae332958681881852cd26fa90fed9dd466cef5b234f66ae4033a653ad"


def to_old_generation(text: str) -> str:
    """Rewrite a current-format TSV as a 2017 one: no freq, '\\time', years descending."""
    lines = text.splitlines()
    head = lines[0].split("\t")
    order = list(range(len(head) - 1))[::-1]
    out = ["\t".join([head[0].replace("freq,", "").replace("TIME_PERIOD", "time")]
                     + [head[1 + j] for j in order])]  # fmt: skip
    for line in lines[1:]:
        parts = line.split("\t")
        key = parts[0].split(",", 1)[1]
        out.append("\t".join([key] + [parts[1 + j] for j in order]))
    return "\n".join(out) + "\n"


@pytest.mark.parametrize("name", GDP_FILES)
def test_either_generation_gives_the_same_table(tmp_path, name):
    text = (config.raw_dir() / name).read_text(encoding="utf-8")
    old = write(tmp_path, to_old_generation(text), "old.tsv")
    assert old.read_text().startswith("unit,geo\\time\t2023 \t2022 ")
    a = read_eurostat_tsv(config.raw_dir() / name)
    b = read_eurostat_tsv(old)
    a.attrs, b.attrs = {}, {}
    pd.testing.assert_frame_equal(a, b)


def test_sbs_sample_in_the_current_format_gives_the_same_table(tmp_path):
    text = open("tests/data/sample.tsv", encoding="utf-8").read()
    lines = text.splitlines()
    head = lines[0].split("\t")
    order = list(range(len(head) - 1))[::-1]  # the sample's years descend; the new ones ascend
    new = ["\t".join(["freq," + head[0].replace("\\time", "\\TIME_PERIOD")]
                     + [head[1 + j] for j in order])]  # fmt: skip
    for line in lines[1:]:
        parts = line.split("\t")
        new.append("\t".join(["A," + parts[0]] + [parts[1 + j] for j in order]))
    a = read_eurostat_tsv("tests/data/sample.tsv")
    b = read_eurostat_tsv(write(tmp_path, "\n".join(new) + "\n"))
    a.attrs, b.attrs = {}, {}
    pd.testing.assert_frame_equal(a, b)


def test_sbs_2021_dimension_names(tmp_path):
    p = write(
        tmp_path,
        "freq,nace_r2,indic_sbs,geo\\TIME_PERIOD\t2021 \t2022 \n"
        "A,C25,EMP_LOC_NR,PL22\t45000 \t46000 p\nA,C25,LOC_NR,PL22\t: c\t3100 \n",
    )
    df = read_eurostat_tsv(p, dimensions=["nace_r2", "indic_sbs", "geo"])
    assert list(df.columns) == ["region", "industry", "indicator", "year", "value", "flag"]
    assert df["indicator"].astype(str).tolist() == ["EMP_LOC_NR"] * 2 + ["LOC_NR"] * 2
    assert df["flag"].astype(str).tolist() == ["", "p", "c", ""]
    with pytest.raises(DataValueError, match=r"line 2, field '2021': LOC_NR is a head count"):
        read_eurostat_tsv(
            write(tmp_path, "freq,nace_r2,indic_sbs,geo\\TIME_PERIOD\t2021\nA,C,LOC_NR,PL\t-1\n")
        )


QUARTERS_NEW = "freq,unit,geo\\TIME_PERIOD\t2020-Q3 \t2020-Q4 \t2021-Q1 \nQ,NR,PL22\t1 \t2 p\t3 \n"
QUARTERS_OLD = "unit,geo\\time\t2021Q1 \t2020Q4 \t2020Q3 \nNR,PL22\t3 \t2 p\t1 \n"
MONTHS_NEW = "freq,unit,geo\\TIME_PERIOD\t2020-11\t2020-12\t2021-01\nM,NR,PL22\t1\t2\t: c\n"
MONTHS_OLD = "unit,geo\\time\t2021M01 \t2020M12 \t2020M11 \nNR,PL22\t: c\t2 \t1 \n"


@pytest.mark.parametrize(
    "new,old,labels",
    [
        (QUARTERS_NEW, QUARTERS_OLD, ["2020-Q3", "2020-Q4", "2021-Q1"]),
        (MONTHS_NEW, MONTHS_OLD, ["2020-11", "2020-12", "2021-01"]),
    ],
    ids=["quarterly", "monthly"],
)
def test_sub_annual_periods_in_both_forms(tmp_path, new, old, labels):
    a = read_eurostat_tsv(write(tmp_path, new, "new.tsv"))
    b = read_eurostat_tsv(write(tmp_path, old, "old.tsv"))
    assert list(a.columns) == ["region", "unit", "year", "period", "value", "flag"]
    assert a["period"].astype(str).tolist() == labels
    assert a["year"].tolist() == [2020, 2020, 2021]
    a.attrs, b.attrs = {}, {}
    pd.testing.assert_frame_equal(a, b)


def test_every_flag_of_the_code_list_is_read(tmp_path):
    flags = flag_code_list()["flag"].tolist()
    assert len(flags) == 42 and "bep" in flags and "bdip" in flags
    head = "freq,unit,geo\\TIME_PERIOD\t" + "\t".join(f"{2000 + i} " for i in range(len(flags)))
    row = "A,NR,PL\t" + "\t".join(f"{i} {f}" for i, f in enumerate(flags))
    na_row = "A,NR,DE\t" + "\t".join(f": {f}" for f in flags)
    df = read_eurostat_tsv(write(tmp_path, f"{head}\n{row}\n{na_row}\n"))
    assert df["flag"].astype(str).tolist() == flags * 2
    assert df["value"].iloc[: len(flags)].tolist() == list(range(len(flags)))
    assert df["value"].iloc[len(flags) :].isna().all()


def test_every_combined_flag_of_the_code_list_reads_as_its_letters():
    listed = flag_code_list()
    assert list(listed.columns) == ["flag", "meaning"]
    for flag, meaning in zip(listed["flag"], listed["meaning"], strict=True):
        assert flag_meaning(flag) == meaning, flag


def test_flag_letters_and_meanings():
    # the letters of the code list's single-letter flags, plus c, r, s, z
    assert "".join(sorted(flag_letters())) == "bcdefimnprsuz"
    assert flag_meaning("bep") == "break in time series, estimated, provisional"
    assert flag_meaning("c") == "confidential"
    assert flag_meaning("") == ""
    assert flag_meaning("cd") == "confidential, definition differs (see metadata)"
    assert flag_meaning("up") == "low reliability, provisional"  # not in the list: by letter
    assert is_known_flag("bc") and is_known_flag("") and not is_known_flag("pp")
    assert not is_known_flag("x") and not is_known_flag("B")
    with pytest.raises(ValueError) as err:
        flag_meaning("bx")
    assert str(err.value) == (
        "'bx' is not a Eurostat flag: each letter must be one of bcdefimnprsuz, used once."
    )


HEAD = "freq,unit,geo\\TIME_PERIOD\t2020 \t2021 \n"
BAD = [
    ("unknown-flag", HEAD + "A,NR,PL\t1 p\t2 x\n", DataValueError,
     r"x\.tsv, line 2, field '2021': expected Eurostat flag letters \(bcdefimnprsuz, each once\), found '2 x'"),
    ("repeated-letter", HEAD + "A,NR,PL\t1 pp\t2 \n", DataValueError,
     r"line 2, field '2020': expected Eurostat flag letters.*'1 pp'"),
    ("new-period-form", "freq,unit,geo\\TIME_PERIOD\t2020-W01\t2020-W02\nW,NR,PL\t1\t2\n",
     DataFormatError, r"line 1, field '2020-W01': expected a year such as '2014 '.*quarter \('2020-Q1'\)"),
    ("semester", "freq,unit,geo\\TIME_PERIOD\t2020-S1\nS,NR,PL\t1\n", DataFormatError,
     r"field '2020-S1': expected a year"),
    ("bad-quarter", "unit,geo\\time\t2020Q5\nNR,PL\t1\n", DataFormatError, r"field '2020Q5'"),
    ("mixed-frequencies", "freq,unit,geo\\TIME_PERIOD\t2020 \t2020-Q1 \nA,NR,PL\t1\t2\n",
     DataFormatError, r"field '2020-Q1 ': the period columns mix annual \('2020'\) and quarterly"),
    ("same-period-twice", "unit,geo\\time\t2020-01\t2020M01\nNR,PL\t1\t2\n", DataFormatError,
     r"line 1: a period appears twice"),
    ("freq-disagrees", HEAD + "A,NR,PL\t1\t2\nQ,NR,DE\t1\t2\n", DataFormatError,
     r"line 3, field .*freq is 'Q', but the period columns are of frequency 'A'"),
    ("freq-not-first", "unit,freq,geo\\TIME_PERIOD\t2020\nNR,A,PL\t1\n", DataFormatError,
     r"'freq' must be the first dimension"),
    ("no-geo", "freq,unit\\TIME_PERIOD\t2020\nA,NR\t1\n", DataFormatError, r"no 'geo' dimension"),
    ("bad-dimension-name", "freq,Unit Code,geo\\TIME_PERIOD\t2020\nA,NR,PL\t1\n",
     DataFormatError, r"'Unit Code' is not a Eurostat dimension code"),
    ("reserved-name", "value,geo\\time\t2020\nx,PL\t1\n", DataFormatError,
     r"collide with a column the reader adds"),
    ("two-indicators", "indic_sb,indic_sbs,geo\\time\t2020\nx,y,PL\t1\n", DataFormatError,
     r"give the column 'indicator' twice"),
    ("time-word", "unit,geo\\year\t2020\nNR,PL\t1\n", DataFormatError,
     r"expected the time word 'TIME_PERIOD' or 'time'.*found 'year'"),
    ("duplicate-key", HEAD + "A,NR,PL\t1\t2\nA,NR,PL\t3\t4\n", DataValueError,
     r"line 3: duplicate key \(region, unit\) = \('PL', 'NR'\), first seen on line 2"),
    ("short-key", HEAD + "A,PL\t1\t2\n", DataFormatError, r"line 2, .*expected 3 comma-separated"),
]  # fmt: skip


@pytest.mark.parametrize("text,exc,pattern", [c[1:] for c in BAD], ids=[c[0] for c in BAD])
def test_bad_headers_and_cells_are_clear_errors(tmp_path, text, exc, pattern):
    with pytest.raises(exc, match=pattern):
        read_eurostat_tsv(write(tmp_path, text))


def test_unknown_dimension_with_expected_dimensions(tmp_path):
    p = write(tmp_path, "freq,sex,unit,geo\\TIME_PERIOD\t2020\nA,T,NR,PL\t1\n")
    with pytest.raises(DataFormatError, match=r"x\.tsv, line 1, .*unknown dimension 'sex'"):
        read_eurostat_tsv(p, dimensions=["unit", "geo"])
    with pytest.raises(DataFormatError, match=r"no dimension 'nace_r2'"):
        read_eurostat_tsv(p, dimensions=["sex", "unit", "geo", "nace_r2"])
    df = read_eurostat_tsv(p, dimensions=["unit", "geo", "sex"])
    assert list(df.columns) == ["region", "sex", "unit", "year", "value", "flag"]


def test_gzip_of_the_current_format(tmp_path):
    src = config.raw_dir() / GDP_FILES[1]
    gz = tmp_path / "gdp.tsv.gz"
    gz.write_bytes(gzip.compress(src.read_bytes()))
    a, b = read_eurostat_tsv(src), read_eurostat_tsv(gz)
    a.attrs, b.attrs = {}, {}
    pd.testing.assert_frame_equal(a, b)
