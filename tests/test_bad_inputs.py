"""A catalogue of bad and odd-but-valid inputs across every reader, fit_model, segmentation,
params and the CLI (issue: no silent wrong numbers).

Each bad case asserts the error type and the words that locate the problem (file, line or row,
column, key or option); each odd-but-valid case asserts the exact value read. Cases are built in
``tmp_path`` by small writer functions so that each one shows the exact bytes it feeds in.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import clusterlib as cl
from clusterlib import config
from clusterlib.batch.params import build_jobs, check_parameters
from clusterlib.cli import main
from clusterlib.errors import (
    ClusterlibError,
    DataFormatError,
    DataValueError,
    EmptyDataError,
    EncodingError,
    MissingFileError,
    ModelFitError,
    ModelSpecError,
    OptionError,
    OutputError,
    ParameterError,
    UnknownCodeError,
)
from clusterlib.reference.clusters import load_clusters, validate_clusters

HEAD = "region,industry,year,value\n"
EU_HEAD = "nace_r2,indic_sb,geo\\time\t2015 \t2014 \n"


def write(path: Path, data: str | bytes) -> Path:
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


# ---------------------------------------------------------------- read_table: bad ------------
TABLE_BAD = [
    ("quoted-thousands", HEAD + 'PL22,C24,2014,"1,234"\n', {}, DataValueError,
     r"line 2 \(row 1\), column 'value'.*'1,234'.*thousands=','.*decimal=','"),
    ("overflow", HEAD + "PL22,C24,2014,1e400\n", {}, DataValueError,
     r"line 2 \(row 1\), column 'value'.*'1e400'.*infinity"),
    ("inf", HEAD + "PL22,C24,2014,inf\n", {}, DataValueError,
     r"line 2 \(row 1\), column 'value'.*'inf'.*Infinities"),
    ("minus-inf", HEAD + "PL22,C24,2014,-Infinity\n", {}, DataValueError,
     r"column 'value'.*'-Infinity'"),
    ("empty-file", "", {}, EmptyDataError, r"t\.csv: the table is empty"),
    ("blank-file", "\n\n  \n", {}, EmptyDataError, r"t\.csv: the table is empty"),
    ("header-only", HEAD, {}, EmptyDataError, r"t\.csv: the table holds a header \(4 columns\)"),
    ("space-thousands", HEAD + "PL22,C24,2014,1 234\n", {}, DataValueError,
     r"line 2 \(row 1\), column 'value'.*thousands=' '"),
    ("german-format", HEAD + 'PL22,C24,2014,"1.234,5"\n', {}, DataValueError,
     r"line 2 \(row 1\), column 'value'.*'1\.234,5'"),
    ("bad-group", HEAD + 'PL22,C24,2014,"1,23"\n', {"thousands": ","}, DataValueError,
     r"line 2 \(row 1\), column 'value'.*'1,23'"),
    ("text-value", HEAD + "PL22,C24,2014,abc\n", {}, DataValueError,
     r"line 2 \(row 1\), column 'value'.*'abc'"),
    ("fractional-year", HEAD + "PL22,C24,2014.5,1\n", {}, DataValueError,
     r"line 2 \(row 1\), column 'year': expected a whole year"),
    ("empty-year", HEAD + "PL22,C24,,1\n", {}, DataValueError,
     r"line 2 \(row 1\), column 'year'"),
    ("negative", HEAD + "PL22,C24,2014,-3\n", {}, DataValueError,
     r"row 1 \(line 2\), field 'value': expected a value >= 0"),
    ("bad-nuts", HEAD + "slaskie,C24,2014,1\n", {}, DataValueError,
     r"row 1 \(line 2\), field 'region'"),
    ("bad-nace", HEAD + "PL22,C2X,2014,1\n", {}, DataValueError,
     r"row 1 \(line 2\), field 'industry'"),
    ("duplicate-key", HEAD + "PL22,C24,2014,1\nPL22,C24,2014,2\n", {}, DataValueError,
     r"rows 1, 2 \(lines 2, 3\): duplicate key"),
    ("short-row", HEAD + "PL22,C24,2014,1\nPL22,C25,2014\n", {}, DataFormatError,
     r"line 3 \(row 2\): expected 4 fields separated by .,., found 3"),
    ("long-row", HEAD + "PL22,C24,2014,1,9\n", {}, DataFormatError,
     r"line 2 \(row 1\): expected 4 fields separated by .,., found 5"),
    ("duplicate-column", "region,industry,year,value,value\nPL22,C24,2014,1,2\n", {},
     DataFormatError, r"line 1: column name\(s\) \['value'\] appear more than once"),
    ("blank-above-header", "\n" + HEAD + "PL22,C24,2014,1\n", {}, DataFormatError,
     r"line 2: the header must be on line 1"),
    ("wrong-sep", "region;industry;year;value\nPL22;C24;2014;1\n", {"sep": ","},
     DataFormatError, r"missing column.*split on ',' into one column only: is sep= right"),
    ("missing-column", "region,industry,year\nPL22,C24,2014\n", {}, DataFormatError,
     r"missing column\(s\) 'value' \(for value\)"),
    ("same-separators", HEAD + "PL22,C24,2014,1\n", {"decimal": ",", "thousands": ","},
     OptionError, r"decimal and thousands are both ','"),
    ("bad-decimal-option", HEAD + "PL22,C24,2014,1\n", {"decimal": ";"}, OptionError,
     r"decimal: expected '\.' or ','"),
    ("unknown-codec", HEAD + "PL22,C24,2014,1\n", {"encoding": "latin-99"}, OptionError,
     r"encoding: unknown codec 'latin-99'"),
    ("cp1250", ("region,industry,year,value,nazwa\nPL22,C24,2014,1,Śląskie\n").encode("cp1250"),
     {}, EncodingError, r"t\.csv, line 2: not valid utf-8.*probably cp1250.*encoding='cp1250'"),
    ("iso-8859-2", ("region,industry,year,value,nazwa\nPL22,C24,2014,1,ąśź\n").encode(
        "iso-8859-2"), {}, EncodingError, r"line 2: .*encoding='iso-8859-2'"),
    ("unknown-mapping-key", HEAD + "PL22,C24,2014,1\n", {"columns": {"regio": "region"}},
     OptionError, r"columns: unknown tidy name\(s\) \['regio'\]"),
]  # fmt: skip


@pytest.mark.parametrize(
    "text,kwargs,exc,pattern", [c[1:] for c in TABLE_BAD], ids=[c[0] for c in TABLE_BAD]
)
def test_read_table_refuses(tmp_path, text, kwargs, exc, pattern):
    with pytest.raises(exc, match=pattern):
        cl.read_table(write(tmp_path / "t.csv", text), **kwargs)


# ---------------------------------------------------------------- read_table: odd but valid --
TABLE_OK = [
    ("thousands-comma", HEAD + 'PL22,C24,2014,"1,234"\n', {"thousands": ","}, 1234.0),
    ("decimal-comma", "region;industry;year;value\nPL22;C24;2014;1,5\n", {"decimal": ","}, 1.5),
    ("both", 'region;industry;year;value\nPL22;C24;2014;"1.234,5"\n',
     {"decimal": ",", "thousands": "."}, 1234.5),
    ("nbsp-thousands", HEAD + "PL22,C24,2014,1\u00a0234\n", {"thousands": " "}, 1234.0),
    ("bom", "\ufeff" + HEAD + "PL22,C24,2014,7\n", {}, 7.0),
    ("crlf", HEAD.replace("\n", "\r\n") + "PL22,C24,2014,7\r\n", {}, 7.0),
    ("sniffed-semicolon", "region;industry;year;value\nPL22;C24;2014;8\n", {}, 8.0),
    ("sniffed-tab", "region\tindustry\tyear\tvalue\nPL22\tC24\t2014\t9\n", {}, 9.0),
    ("cp1250-declared", ("region,industry,year,value,nazwa\nPL22,C24,2014,3,Śląskie\n").encode(
        "cp1250"), {"encoding": "cp1250"}, 3.0),
    ("colon-is-missing", HEAD + "PL22,C24,2014,:\n", {}, np.nan),
    ("exponent", HEAD + "PL22,C24,2014,1.5e3\n", {}, 1500.0),
    ("padded", HEAD + "PL22 , C24 ,2014, 12 \n", {}, 12.0),
]  # fmt: skip


@pytest.mark.parametrize(
    "text,kwargs,value", [c[1:] for c in TABLE_OK], ids=[c[0] for c in TABLE_OK]
)
def test_read_table_reads_exactly(tmp_path, text, kwargs, value):
    df = cl.read_table(write(tmp_path / "t.csv", text), **kwargs)
    assert len(df) == 1 and df["region"].iloc[0] == "PL22" and df["industry"].iloc[0] == "C24"
    np.testing.assert_equal(df["value"].iloc[0], value)


def test_read_table_missing_and_parquet(tmp_path):
    with pytest.raises(MissingFileError, match=r"nope\.csv: no such file"):
        cl.read_table(tmp_path / "nope.csv")
    assert issubclass(MissingFileError, FileNotFoundError)
    p = tmp_path / "t.parquet"
    frame = {"region": ["PL22"], "industry": ["C24"], "year": [2014]}
    pd.DataFrame({**frame, "value": [np.inf]}).to_parquet(p)
    with pytest.raises(DataValueError, match=r"t\.parquet, line 2 \(row 1\), column 'value'"):
        cl.read_table(p)
    write(tmp_path / "bad.parquet", b"PAR1 not really")
    with pytest.raises(DataFormatError, match=r"bad\.parquet: not a readable Parquet file"):
        cl.read_table(tmp_path / "bad.parquet")
    pd.DataFrame({**frame, "value": [1.0]}).iloc[:0].to_parquet(p)
    with pytest.raises(EmptyDataError, match=r"t\.parquet: the table holds no rows"):
        cl.read_table(p)


# ---------------------------------------------------------------- Eurostat reader -------------
EU_BAD = [
    ("header-only", EU_HEAD, EmptyDataError, r"e\.tsv: the file holds a header but no data"),
    ("empty", "", EmptyDataError, r"e\.tsv: the file is empty"),
    ("nan", EU_HEAD + "C24,V16110,PL22\tnan\t1 \n", DataValueError,
     r"e\.tsv, line 2, field '2015'.*found 'nan'"),
    ("nan-flagged", EU_HEAD + "C24,V16110,PL22\t1 \tnan p\n", DataValueError,
     r"e\.tsv, line 2, field '2014'.*found 'nan p'"),
    ("inf", EU_HEAD + "C24,V16110,PL22\t1 \tinf\n", DataValueError,
     r"line 2, field '2014'.*found 'inf'"),
    ("overflow", EU_HEAD + "C24,V16110,PL22\t1e400\t1\n", DataValueError,
     r"line 2, field '2015'.*found '1e400'"),
    ("non-utf8", EU_HEAD.encode() + "C24,V16110,PL22\t1 \t2 ą\n".encode("iso-8859-2"),
     EncodingError, r"e\.tsv, line 2: not valid utf-8.*download it again"),
    ("wrong-fields", EU_HEAD + "C24,V16110,PL22\t1\n", DataFormatError,
     r"e\.tsv, line 2: malformed row: expected 3"),
    ("duplicate", EU_HEAD + "C24,V16110,PL22\t1\t2\nC24,V16110,PL22\t3\t4\n", DataValueError,
     r"line 3: duplicate key.*first seen on line 2"),
    ("negative-count", EU_HEAD + "C24,V16110,PL22\t-1\t2\n", DataValueError,
     r"line 2, field '2015'.*cannot be negative"),
    ("bad-cell", EU_HEAD + "C24,V16110,PL22\t12x\t2\n", DataValueError,
     r"line 2, field '2015'.*found '12x'"),
    ("no-packed-key", "a,b,c\t2015\nx,y,z\t1\n", DataFormatError, r"packed key header"),
]  # fmt: skip


@pytest.mark.parametrize("text,exc,pattern", [c[1:] for c in EU_BAD], ids=[c[0] for c in EU_BAD])
def test_eurostat_refuses(tmp_path, text, exc, pattern):
    with pytest.raises(exc, match=pattern):
        cl.read_eurostat_tsv(write(tmp_path / "e.tsv", text))


def test_eurostat_bom_and_truncated_gzip(tmp_path):
    body = EU_HEAD + "C24,V16110,PL22\t1234 p\t: c\n"
    df = cl.read_eurostat_tsv(write(tmp_path / "bom.tsv", "\ufeff" + body))
    assert df["value"].tolist()[::-1][0] == 1234.0 and df["flag"].tolist() == ["c", "p"]
    whole = gzip.compress(body.encode() * 50)
    write(tmp_path / "cut.tsv.gz", whole[: len(whole) // 2])
    with pytest.raises(DataFormatError, match=r"cut\.tsv\.gz: the compressed file is incomplete"):
        cl.read_eurostat_tsv(tmp_path / "cut.tsv.gz")
    with pytest.raises(MissingFileError, match=r"none\.tsv: no such file"):
        cl.read_eurostat_tsv(tmp_path / "none.tsv")


# ---------------------------------------------------------------- survey ----------------------
@pytest.fixture(scope="module")
def survey_rows():
    return cl.read_survey(config.survey_dir() / "synthetic_survey.csv").iloc[:40].copy()


def _survey_csv(tmp_path, df, **kw):
    p = tmp_path / "s.csv"
    df.to_csv(p, index=False, **kw)
    return p


SURVEY_BAD = [
    ("fractional-employees", "employees", 2, 2.5, DataValueError,
     r"s\.csv, line 4 \(row 3\), column 'employees': expected a whole number, found '2\.5'"),
    ("fractional-likert", "sc1", 0, 3.5, DataValueError,
     r"line 2 \(row 1\), column 'sc1': expected a whole number 1-5"),
    ("binary-two", "exporter", 1, 2, DataValueError,
     r"row 2 \(line 3\), field 'exporter': expected one of"),
    ("infinite-employees", "employees", 0, "inf", DataValueError,
     r"line 2 \(row 1\), column 'employees'.*'inf'"),
    ("fractional-patents", "patents", 0, 1.5, DataValueError,
     r"line 2 \(row 1\), column 'patents': expected a count"),
    ("fractional-age", "age", 5, 10.25, DataValueError, r"line 7 \(row 6\), column 'age'"),
    ("share-above-one", "export_share", 0, 1.5, DataValueError,
     r"row 1 \(line 2\), field 'export_share'"),
    ("empty-required", "employees", 0, "", DataValueError,
     r"line 2 \(row 1\), column 'employees': expected a whole number, found ''"),
]  # fmt: skip


@pytest.mark.parametrize(
    "column,row,value,exc,pattern", [c[1:] for c in SURVEY_BAD], ids=[c[0] for c in SURVEY_BAD]
)
def test_survey_refuses(tmp_path, survey_rows, column, row, value, exc, pattern):
    df = survey_rows.copy()
    df[column] = df[column].astype(object)
    df.iloc[row, df.columns.get_loc(column)] = value
    with pytest.raises(exc, match=pattern):
        cl.read_survey(_survey_csv(tmp_path, df))


def test_survey_files(tmp_path, survey_rows):
    header = ",".join(survey_rows.columns) + "\n"
    with pytest.raises(EmptyDataError, match=r"s\.csv: the survey is empty"):
        cl.read_survey(write(tmp_path / "s.csv", ""))
    with pytest.raises(EmptyDataError, match=r"s\.csv: the survey holds a header"):
        cl.read_survey(write(tmp_path / "s.csv", header))
    with pytest.raises(EmptyDataError, match="survey: the survey holds no firms"):
        cl.read_survey(survey_rows.iloc[:0])
    semi = cl.read_survey(_survey_csv(tmp_path, survey_rows, sep=";"))  # detected
    pd.testing.assert_frame_equal(semi, cl.read_survey(_survey_csv(tmp_path, survey_rows)))
    with pytest.raises(DataFormatError, match=r"split on ',' into 1 column.*separator"):
        cl.read_survey(_survey_csv(tmp_path, survey_rows, sep=";"), sep=",")
    df = survey_rows.assign(firm_id="Firma-ż-" + survey_rows["firm_id"])
    p = tmp_path / "pl.csv"
    df.to_csv(p, index=False, encoding="cp1250")
    with pytest.raises(EncodingError, match=r"pl\.csv, line 2: .*encoding='cp1250'"):
        cl.read_survey(p)
    assert cl.read_survey(p, encoding="cp1250")["firm_id"].iloc[0].startswith("Firma-ż-")
    assert cl.read_survey(p, encoding="auto")["firm_id"].iloc[0].startswith("Firma-ż-")
    p.write_bytes(p.read_bytes().decode("cp1250").encode("iso-8859-2"))  # ż is 0xBF in both
    assert cl.read_survey(p, encoding="auto")["firm_id"].iloc[0].startswith("Firma-ż-")


# ---------------------------------------------------------------- cluster definitions ---------
CLUSTERS_BAD = [
    ("nested", {"m": ["C", "C24"]}, r"cluster 'm'.*\['C24'\] sit inside another listed code"),
    ("unknown", {"m": ["C99"]}, r"cluster 'm'.*unknown NACE code\(s\) \['C99'\]"),
    ("string", {"m": "C24"}, r"cluster 'm'.*expected a non-empty list.*found 'C24'"),
    ("empty-list", {"m": []}, r"cluster 'm'.*expected a non-empty list"),
    ("twice", {"m": ["C24", "C24"]}, r"cluster 'm'.*\['C24'\] listed more than once"),
    ("code-name", {"C24": ["C24"]}, r"cluster 'C24': the name is a NACE code"),
    ("not-a-mapping", ["C24"], r"expected a non-empty mapping"),
    ("number-code", {"m": [24]}, r"cluster 'm'.*found \[24\]"),
]  # fmt: skip


@pytest.mark.parametrize(
    "spec,pattern", [c[1:] for c in CLUSTERS_BAD], ids=[c[0] for c in CLUSTERS_BAD]
)
def test_cluster_definitions_refused_everywhere(eurostat, spec, pattern):
    with pytest.raises(DataFormatError, match=pattern):
        validate_clusters(spec)
    with pytest.raises(DataFormatError, match=pattern):  # the same validator in the table
        cl.specialisation_table(eurostat, years=2014, countries="PL", clusters=spec)


def test_clusters_yaml_duplicate_key(tmp_path):
    p = write(tmp_path / "c.yaml", "m:\n  industries: [C24]\nm:\n  industries: [C25]\n")
    with pytest.raises(DataFormatError, match=r"c\.yaml, line 3: .*duplicate key 'm'"):
        load_clusters(p)


# ---------------------------------------------------------------- fit_model -------------------
@pytest.fixture(scope="module")
def firms():
    return cl.read_survey(config.survey_dir() / "synthetic_survey.csv").iloc[:400].copy()


def _likert(s):
    return pd.Categorical(s.astype(int), categories=[1, 2, 3, 4, 5], ordered=True)


MODEL_BAD = [
    ("constant", "product_innovation ~ rd_inhouse + k", lambda d: d.assign(k=1.0), {},
     ModelSpecError, r"regressor 'k' is constant"),
    ("collinear", "product_innovation ~ exporter + I(1 - exporter)", None, {}, ModelSpecError,
     r"exactly collinear.*'I\(1 - exporter\)' = \+1·Intercept -1·exporter"),
    ("no-events-firth", "product_innovation ~ rd_inhouse",
     lambda d: d.assign(product_innovation=0.0), {"family": "firth"}, ModelSpecError,
     r"outcome 'product_innovation' takes the single value 0.*no events"),
    ("all-events-logit", "product_innovation ~ rd_inhouse",
     lambda d: d.assign(product_innovation=1.0), {}, ModelSpecError, r"only events \(all 1\)"),
    ("no-variation-poisson", "patents ~ rd_inhouse", lambda d: d.assign(patents=0.0),
     {"family": "poisson"}, ModelSpecError, r"outcome 'patents' takes the single value 0"),
    ("no-variation-ologit", "innovativeness ~ rd_inhouse",
     lambda d: d.assign(innovativeness=3.0), {"family": "ologit"}, ModelSpecError,
     r"outcome 'innovativeness' takes the single value 3"),
    ("likert-as-logit", "innovativeness ~ rd_inhouse",
     lambda d: d.assign(innovativeness=_likert(d["innovativeness"])), {}, DataValueError,
     r"outcome 'innovativeness'.*expected 0 or 1 for logit"),
    ("unordered-outcome", "y ~ rd_inhouse",
     lambda d: d.assign(y=pd.Categorical(d["nace"])), {}, ModelSpecError,
     r"outcome 'y' is an unordered categorical"),
    ("text-outcome", "region ~ rd_inhouse", None, {}, ModelSpecError,
     r"outcome 'region' holds text"),
    ("fewer-rows", "product_innovation ~ rd_inhouse + coop_bsi + export_share",
     lambda d: d.iloc[:3], {}, ModelSpecError, r"3 rows for 4 parameters"),
    ("log-zero", "product_innovation ~ np.log(export_share)", None, {}, DataValueError,
     r"term 'np\.log\(export_share\)' is -inf in row"),
    ("poisson-overflow", "patents ~ rd_inhouse", lambda d: d.assign(patents=d.patents * 1e300),
     {"family": "poisson"}, ModelFitError, r"family 'poisson': the estimation failed"),
    ("unknown-column", "product_innovation ~ nothing", None, {}, DataValueError,
     r"formula .*nothing"),
    ("missing-value", "product_innovation ~ sc1", lambda d: d.assign(sc1=np.nan), {},
     DataValueError, r"formula 'product_innovation ~ sc1'"),
    ("family-typo", "product_innovation ~ rd_inhouse", None, {"family": "logistic"},
     OptionError, r"option 'family'.*'logistic'.*Did you mean 'logit'"),
    ("cov-typo", "product_innovation ~ rd_inhouse", None, {"cov_type": "hc3"}, OptionError,
     r"option 'cov_type'.*Did you mean 'HC3'"),
    ("level", "product_innovation ~ rd_inhouse", None, {"level": 95}, OptionError,
     r"level: expected a confidence level between 0 and 1"),
    ("cluster-missing", "product_innovation ~ rd_inhouse", None, {"cov_type": "cluster"},
     OptionError, r"needs groups=<column>"),
    ("empty", "product_innovation ~ rd_inhouse", lambda d: d.iloc[:0], {}, EmptyDataError,
     r"the data have no rows"),
    ("ologit-constant", "innovativeness ~ rd_inhouse + k", lambda d: d.assign(k=2.0),
     {"family": "ologit"}, ModelSpecError, r"'k' is constant.*cutpoints"),
]  # fmt: skip


@pytest.mark.parametrize(
    "formula,change,kwargs,exc,pattern", [c[1:] for c in MODEL_BAD], ids=[c[0] for c in MODEL_BAD]
)
def test_fit_model_refuses(firms, formula, change, kwargs, exc, pattern):
    data = change(firms) if change else firms
    with pytest.raises(exc, match=pattern):
        cl.fit_model(formula, data, **kwargs)


def test_ordered_categorical_outcome_is_fitted_as_its_values(firms):
    as_float = cl.fit_model("innovativeness ~ rd_inhouse", firms, family="ologit")
    as_cat = cl.fit_model(
        "innovativeness ~ rd_inhouse",
        firms.assign(innovativeness=_likert(firms["innovativeness"])),
        family="ologit",
    )
    np.testing.assert_allclose(as_cat.params.to_numpy(), as_float.params.to_numpy(), rtol=1e-10)
    labels = firms.assign(
        innovativeness=pd.Categorical.from_codes(
            firms["innovativeness"].astype(int) - 1,
            ["very low", "low", "mid", "high", "top"],
            ordered=True,
        )
    )  # text labels: fitted on codes + 1, i.e. the same 1..5
    as_labels = cl.fit_model("innovativeness ~ rd_inhouse", labels, family="ologit")
    np.testing.assert_allclose(as_labels.params.to_numpy(), as_float.params.to_numpy(), rtol=1e-10)


def test_firth_needs_no_further_arguments(firms):
    m = cl.fit_model("product_innovation ~ rd_inhouse", firms, family="firth")
    assert m.cov_type == "nonrobust" and np.isfinite(m.bse).all()


# ---------------------------------------------------------------- segmentation ----------------
def _X(n=40, seed=0):
    rng = np.random.default_rng(seed)
    return pd.DataFrame(rng.normal(size=(n, 3)), columns=["a", "b", "c"])


SEG_BAD = [
    ("identical-segment", lambda: cl.segment_firms(pd.DataFrame(np.ones((30, 3))), k=3),
     DataValueError, r"only 1 distinct firm profile.*k = 3 segments cannot be formed"),
    ("identical-choose-k",
     lambda: cl.choose_k(pd.DataFrame(np.ones((30, 2)), columns=["a", "b"]), k_range=range(2, 4)),
     DataValueError, r"only 1 distinct firm profile"),
    ("text-column", lambda: cl.segment_firms(_X().assign(t="x"), k=2), DataValueError,
     r"feature 't' holds text \(e\.g\. 'x'\)"),
    ("all-nan", lambda: cl.segment_firms(_X().assign(c=np.nan), k=2), DataValueError,
     r"feature 'c' is missing for every firm; no imputation can fill it"),
    ("some-nan", lambda: cl.segment_firms(_X().assign(b=lambda d: d.b.where(d.index != 3)), k=2),
     DataValueError, r"features \['b'\] have missing values \(first at row 3, feature 'b'\)"),
    ("infinite", lambda: cl.segment_firms(_X().assign(a=np.inf), k=2), DataValueError,
     r"feature 'a' is infinite at row 0"),
    ("k-zero", lambda: cl.segment_firms(_X(), k=0), OptionError, r"k: expected a positive"),
    ("k-float", lambda: cl.segment_firms(_X(), k=2.5), OptionError, r"k: expected a positive"),
    ("k-range-one", lambda: cl.choose_k(_X(), k_range=range(1, 3)), OptionError,
     r"k_range: internal criteria need k >= 2"),
    ("k-range-empty", lambda: cl.choose_k(_X(), k_range=range(3, 3)), OptionError,
     r"k_range: expected a non-empty range"),
    ("method-typo", lambda: cl.segment_firms(_X(), k=2, method="k-means"), OptionError,
     r"option 'method'.*'k-means'.*Did you mean 'kmeans'"),
    ("too-few-firms", lambda: cl.segment_firms(_X(n=2), k=3), DataValueError,
     r"only 2 firms for k = 3"),
    ("not-a-frame", lambda: cl.segment_firms(np.ones((5, 2)), k=2), OptionError,
     r"features: expected a pandas DataFrame"),
    ("empty", lambda: cl.segment_firms(_X().iloc[:0], k=2), EmptyDataError,
     r"features: 0 firms"),
    ("impute-typo", lambda: cl.build_features(
        cl.read_survey(config.survey_dir() / "synthetic_survey.csv").iloc[:30], impute="mean"),
     OptionError, r"option 'impute'.*'mean'"),
]  # fmt: skip


@pytest.mark.parametrize("call,exc,pattern", [c[1:] for c in SEG_BAD], ids=[c[0] for c in SEG_BAD])
def test_segmentation_refuses(call, exc, pattern):
    with pytest.raises(exc, match=pattern):
        call()


# ---------------------------------------------------------------- params ----------------------
@pytest.fixture
def params_dir(tmp_path):
    import shutil

    d = tmp_path / "params"
    shutil.copytree(config.params_dir(), d)
    return d


PARAMS_BAD = [
    ("duplicate-key", "PL22.yaml", "region: PL22\nyear: 2013\nyear: 2014\n",
     r"PL22\.yaml, line 3: .*duplicate key 'year' \(first on line 2"),
    ("non-nuts-region", "PL99.yaml", "region: PL99\n",
     r"PL99\.yaml, key 'region': unknown region 'PL99'"),
    ("policy-typo", "defaults.yaml",
     "cluster: metal processing\npolicy: fil\n",
     r"defaults\.yaml, option 'policy'.*Did you mean 'fill'"),
    ("start-after-year", "PL22.yaml",
     "region: PL22\nyear: 2010\nstart_year: 2012\n",
     r"PL22\.yaml, key 'start_year': 2012 must be before year 2010"),
    ("k-range", "PL22.yaml", "region: PL22\nk_min: 5\nk_max: 3\n",
     r"PL22\.yaml, key 'k_min': 5 is above k_max 3"),
    ("survey-path", "PL22.yaml", "region: PL22\nsurvey_path: /no/such.csv\n",
     r"PL22\.yaml, key 'survey_path': no file '/no/such\.csv'"),
    ("year-outside-data", "PL22.yaml", "region: PL22\nyear: 2030\n",
     r"PL22\.yaml, key 'year': 2030 is not a year of the data; available: 2008-2015"),
    ("n-boot", "PL22.yaml", "region: PL22\nn_boot: 0\n",
     r"PL22\.yaml, key 'n_boot': expected a whole number >= 1"),
    ("method-typo", "PL22.yaml", "region: PL22\nmethod: kmean\n",
     r"PL22\.yaml, option 'method'.*'kmean'"),
    ("nuts-2021-code-as-2013", "PL84.yaml", "region: PL84\n",
     r"PL84\.yaml, key 'region': PL84 is a NUTS 2016/2021/2024 code \(Podlaskie\); in NUTS "
     r"2013 it is PL34"),
    ("nuts-2013-code-as-2021", "PL34.yaml", "region: PL34\nnuts: 2021\n",
     r"PL34\.yaml, key 'region': PL34 is a NUTS 2013 code \(Podlaskie\); in NUTS 2021 it is PL84"),
    ("nuts-split-region", "PL91.yaml", "region: PL91\nnuts: 2021\n",
     r"PL91\.yaml, key 'region': PL91 .* is part of PL12 \(Mazowieckie\) in the NUTS 2013 data"),
    ("nuts-unknown-version", "PL22.yaml", "region: PL22\nnuts: 2010\n",
     r"PL22\.yaml, key 'nuts': NUTS version 2010 is not known"),
    ("data-path-missing", "PL22.yaml", "region: PL22\ndata_path: no_such.tsv\n",
     r"PL22\.yaml, key 'data_path': '.*no_such\.tsv' is no file"),
]  # fmt: skip


@pytest.mark.parametrize(
    "name,text,pattern", [c[1:] for c in PARAMS_BAD], ids=[c[0] for c in PARAMS_BAD]
)
def test_params_refused_before_any_kernel(params_dir, name, text, pattern):
    write(params_dir / name, text)
    region = name.removesuffix(".yaml") if name != "defaults.yaml" else "PL22"
    with pytest.raises(ClusterlibError, match=pattern):
        build_jobs([region], params_dir=params_dir)


def test_notebook_checks_its_own_parameters():
    good = dict(region="PL22", cluster="metal processing", year=2014, start_year=2009,
                reference="country", policy="fill", output_dir="")  # fmt: skip
    assert check_parameters("01_specialisation", good)["region"] == "PL22"
    with pytest.raises(
        ParameterError, match=r"notebook 01_specialisation parameters, key 'region'"
    ):
        check_parameters("01_specialisation", {**good, "region": "PL99"})
    with pytest.raises(ParameterError, match=r"key 'year': expected int .* found str"):
        check_parameters("01_specialisation", {**good, "year": "2014"})
    with pytest.raises(UnknownCodeError, match=r"'PL2': it is a NUTS1 code"):
        cl.reference.check_region("PL2")


# ---------------------------------------------------------------- CLI -------------------------
CLI_BAD = [
    ("jobs-negative", ["run", "--regions", "PL22", "--jobs", "-1"], r"--jobs: expected a whole"),
    ("jobs-zero", ["run", "--regions", "PL22", "--jobs", "0"], r"--jobs: expected a whole"),
    ("timeout-zero", ["run", "--regions", "PL22", "--timeout", "0"], r"--timeout: expected"),
    ("out-is-file", ["run", "--regions", "PL22", "--out", "{file}"], r"--out: .* is a file"),
    ("out-unwritable", ["run", "--regions", "PL22", "--out", "{file}/sub"],
     r"--out: cannot write to"),
    ("notebook-typo", ["run", "--regions", "PL22", "--notebooks", "01_specialization"],
     r"--notebooks: unknown \['01_specialization'\]"),
    ("region-not-nuts", ["run", "--regions", "PL99"], r"unknown region 'PL99'"),
    ("params-not-folder", ["run", "--all", "--params", "{file}"], r"--params: .* is not a folder"),
    ("summary-region", ["summary", "--region", "XX99"], r"--region: unknown region 'XX99'"),
    ("summary-out-file", ["summary", "--out", "{file}"], r"--out: .* is a file"),
    ("survey-n", ["survey", "--n", "0"], r"--n: expected a whole number >= 1"),
    ("survey-seed", ["survey", "--seed", "-3"], r"--seed: expected a whole number >= 0"),
    ("evidence-no-file", ["evidence", "check"], r"evidence check: give the file"),
    ("evidence-missing", ["evidence", "check", "{file}.csv"], r"a-file\.csv: no such file "
     r"\(expected an evidence register\)"),
    ("evidence-format", ["evidence", "check", "{file}"], r"unknown evidence register format ''"),
    ("scores-missing", ["evidence", "check-scores", "{file}.xlsx"], r"no such file \(expected an "
     r"expert scoring file\)"),
    ("evidence-seed", ["evidence", "example", "--seed", "-1"], r"--seed: expected a whole number"),
    ("evidence-out-file", ["evidence", "example", "--out", "{file}"], r"--out: .* is a file"),
]  # fmt: skip


@pytest.mark.parametrize("argv,pattern", [c[1:] for c in CLI_BAD], ids=[c[0] for c in CLI_BAD])
def test_cli_errors_are_one_line(tmp_path, capsys, argv, pattern):
    f = write(tmp_path / "a-file", "x")
    code = main([a.replace("{file}", str(f)) for a in argv])
    err = capsys.readouterr().err
    assert code == 2
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert err.startswith("clusterlib: error: ")
    assert __import__("re").search(pattern, err), err


def test_output_error_is_clusterlib_error():
    assert issubclass(OutputError, ClusterlibError)


# ---------------------------------------------------------------- specialisation inputs -------
_W = pd.DataFrame(
    {"C24": [10.0, 20, 30], "C25": [5.0, 5, 5], "F": [100.0, 50, 20]},
    index=["PL21", "PL22", "PL41"],
)
_LONG = pd.DataFrame(
    {
        "region": ["A", "B", "A"],
        "industry": ["x", "x", "y"],
        "year": [1, 1, 1],
        "value": [1.0, 2, 3],
    }
)

SPEC_BAD = [
    ("lq-negative", lambda: cl.location_quotient(_W.assign(C24=[-1.0, 2, 3])), DataValueError,
     r"x, row 'PL21', column 'C24': counts cannot be negative"),
    ("lq-infinite", lambda: cl.location_quotient(_W.assign(C25=[1.0, np.inf, 3])),
     DataValueError, r"x, row 'PL22', column 'C25': inf is not a count"),
    ("lq-text", lambda: cl.location_quotient(_W.assign(F=["a", "b", "c"])), DataValueError,
     r"x, column 'F': expected numbers"),
    ("lq-duplicate-region", lambda: cl.location_quotient(pd.concat([_W, _W.iloc[:1]])),
     DataValueError, r"region \(row\) 'PL21' appears more than once"),
    ("lq-duplicate-industry", lambda: cl.location_quotient(
        pd.concat([_W, _W[["C24"]]], axis=1)), DataValueError,
     r"industry \(column\) 'C24' appears more than once"),
    ("lq-not-a-frame", lambda: cl.location_quotient(_W.to_numpy()), OptionError,
     r"x: expected a DataFrame"),
    ("krugman-infinite", lambda: cl.krugman_index(_W.assign(F=np.inf)), DataValueError,
     r"column 'F': inf is not a count"),
    ("shift-share-shape", lambda: cl.shift_share(_W, _W.iloc[:2]), DataValueError,
     r"start and end: expected the same regions"),
    ("long-missing-column", lambda: cl.location_quotient_long(_LONG.drop(columns="year")),
     DataFormatError, r"data: missing column\(s\) \['year'\]"),
    ("long-nan", lambda: cl.location_quotient_long(_LONG.assign(value=[1.0, np.nan, 3])),
     DataValueError, r"row 2 \(index 1\), field 'value': counts cannot be negative, missing or infinite"),
    ("long-duplicate-key", lambda: cl.location_quotient_long(pd.concat([_LONG, _LONG.iloc[:1]])),
     DataValueError, r"the key \(region, industry, year\) = \('A', 'x', 1\) appears more than"),
    ("long-text", lambda: cl.location_quotient_long(_LONG.assign(value=["1", "2", "3"])),
     DataValueError, r"column 'value': expected numbers"),
    ("policy-typo", lambda: cl.specialisation_table(_LONG, policy="fil"), OptionError,
     r"option 'policy'.*Did you mean 'fill'"),
    ("reference-typo", lambda: cl.specialisation_table(_LONG, reference="EU"), OptionError,
     r"option 'reference'.*Did you mean 'eu'"),
    ("unknown-cluster", lambda: cl.cluster_codes("metal"), UnknownCodeError,
     r"unknown cluster 'metal'"),
    ("synthetic-n", lambda: cl.synthetic_survey(n=0), OptionError, r"n: expected a positive"),
]  # fmt: skip


@pytest.mark.parametrize(
    "call,exc,pattern", [c[1:] for c in SPEC_BAD], ids=[c[0] for c in SPEC_BAD]
)
def test_specialisation_refuses(call, exc, pattern):
    with pytest.raises(exc, match=pattern):
        call()


# ---------------------------------------------------------------- files of the wrong kind ------
WRONG_KIND = [
    ("xlsx", b"PK\x03\x04\x14\x00\x06\x00rest of a zip", DataFormatError,
     r"t\.csv: this is an Excel workbook or another zip archive, not delimited text"),
    ("parquet", b"PAR1\x15\x04rest", DataFormatError, r"this is a Parquet file"),
    ("gzip-unnamed", b"\x1f\x8b\x08\x00rest", DataFormatError, r"this is a gzip file \(name it \.gz\)"),
    ("pdf", b"%PDF-1.7 rest", DataFormatError, r"this is a PDF document"),
    ("utf-16", "region,industry,year,value\nPL22,C24,2014,1\n".encode("utf-16"), EncodingError,
     r"t\.csv, line 1: the file is UTF-16 text.*encoding='utf-16'"),
]  # fmt: skip


@pytest.mark.parametrize(
    "raw,exc,pattern", [c[1:] for c in WRONG_KIND], ids=[c[0] for c in WRONG_KIND]
)
def test_files_of_the_wrong_kind_are_named(tmp_path, raw, exc, pattern):
    with pytest.raises(exc, match=pattern):
        cl.read_table(write(tmp_path / "t.csv", raw))
    with pytest.raises(exc, match=pattern.replace("t\\.csv", "s\\.csv")):
        cl.read_survey(write(tmp_path / "s.csv", raw))


def test_folder_utf16_and_duplicate_regions(tmp_path, capsys):
    with pytest.raises(MissingFileError, match=r"is a folder, not a file"):
        cl.read_table(tmp_path)
    text = "region,industry,year,value\nPL22,C24,2014,1\n"
    df = cl.read_table(write(tmp_path / "u.csv", text.encode("utf-16")), encoding="utf-16")
    assert df["value"].tolist() == [1.0]
    assert main(["run", "--regions", "PL22,PL21,PL22"]) == 2
    assert "--regions: ['PL22'] listed more than once" in capsys.readouterr().err


# ---------------------------------------------------------------- evidence and expert scores ---
EVIDENCE_HEAD = "id,date,source_type,factor,statement,quadrant\n"
EVIDENCE_BAD = [
    ("factor", "W1,2026-03-10,workshop,ceny,A.,W\n",
     r"row 1, column 'factor': unknown factor \(found 'ceny'\); use one of innovation, "
     r"supplier_customer_links, institution_cooperation, internationalisation, skills, other"),
    ("quadrant", "W1,2026-03-10,workshop,skills,A.,plus\n",
     r"row 1, column 'quadrant': unknown quadrant \(found 'plus'\); use one of strength, "
     r"weakness, opportunity, threat"),
    ("source", "W1,2026-03-10,ankieta,skills,A.,W\n",
     r"row 1, column 'source_type': unknown source type \(found 'ankieta'\); use one of "
     r"workshop, firm_interview, institution_interview, expert"),
    ("date", "W1,10/03/2026,workshop,skills,A.,W\n",
     r"row 1, column 'date': not a date \(found '10/03/2026'\); write the date as YYYY-MM-DD"),
    ("duplicate", "W1,2026-03-10,workshop,skills,A.,W\nW1,2026-03-10,workshop,skills,B.,W\n",
     r"row 1, column 'id': duplicate id.*\n  row 2, column 'id': duplicate id"),
]  # fmt: skip


@pytest.mark.parametrize("rows,pattern", [c[1:] for c in EVIDENCE_BAD],
                         ids=[c[0] for c in EVIDENCE_BAD])  # fmt: skip
def test_evidence_register_refuses(tmp_path, rows, pattern):
    from clusterlib.io.evidence import EvidenceError, read_evidence

    for encoding in ("utf-8", "cp1250"):
        path = write(tmp_path / f"r-{encoding}.csv", (EVIDENCE_HEAD + rows).encode(encoding))
        with pytest.raises(EvidenceError, match=pattern):
            read_evidence(path)


SCORES_BAD = [
    ("out-of-range", "E1,A,importance,6\n", r"row 1, column 'score': outside the scale 1-5 "
     r"\(found '6'\)"),
    ("non-integer", "E1,A,importance,3.5\n", r"row 1, column 'score': not a whole number"),
    ("unknown-criterion", "E1,A,impact,3\n", r"row 1, column 'criterion': unknown criterion "
     r"\(found 'impact'\); use one of importance, feasibility, urgency"),
    ("duplicate", "E1,A,importance,3\nE1,A,ważność,4\n", r"row 1, column 'score': a second "
     r"score for the same round, expert, action and criterion"),
]  # fmt: skip


@pytest.mark.parametrize(
    "rows,pattern", [c[1:] for c in SCORES_BAD], ids=[c[0] for c in SCORES_BAD]
)
def test_expert_scores_refuse(tmp_path, rows, pattern):
    from clusterlib.io.evidence import EvidenceError
    from clusterlib.io.expert_scores import read_expert_scores

    path = write(tmp_path / "s.csv", "expert,action,criterion,score\n" + rows)
    with pytest.raises(EvidenceError, match=pattern):
        read_expert_scores(path)


def test_kendalls_w_refuses_too_few_or_missing_scores():
    from clusterlib.stakeholders.agreement import kendalls_w

    with pytest.raises(DataValueError, match=r"1 expert\(s\); agreement needs at least 2"):
        kendalls_w(pd.DataFrame({"A": [1], "B": [2]}))
    with pytest.raises(DataValueError, match=r"1 action\(s\)"):
        kendalls_w(pd.DataFrame({"A": [1, 2]}))
    with pytest.raises(DataValueError, match=r"missing or infinite score\(s\) of expert 1 on 'B'"):
        kendalls_w(pd.DataFrame({"A": [1, 2], "B": [2, None]}))


# ---------------------------------------------------------------- issue 23: batch selection ----
# An empty --notebooks selection, a --params folder without its definitions, an output folder
# held by another live run: one-line errors naming what is wrong and what to do.
BATCH_BAD = [
    ("notebooks-empty", ["run", "--regions", "PL22", "--notebooks", ""],
     r"--notebooks: the selection '' is empty; give one or more of"),
    ("notebooks-only-commas", ["run", "--all", "--notebooks", ",,"],
     r"--notebooks: the selection ',,' is empty"),
    ("notebooks-gap", ["run", "--regions", "PL22", "--notebooks", "01_specialisation,,"],
     r"--notebooks: '01_specialisation,,' has an empty name between commas"),
    ("notebooks-twice", ["run", "--regions", "PL22", "--notebooks", "03_firm_segments,"
     "03_firm_segments"], r"--notebooks: \['03_firm_segments'\] listed more than once"),
    ("params-no-definitions", ["run", "--regions", "PL22", "--params", "{dir}"],
     r"--params: .* has no clusters.yaml and no actions.yaml; .* copy them there"),
]  # fmt: skip


@pytest.mark.parametrize("argv,pattern", [c[1:] for c in BATCH_BAD], ids=[c[0] for c in BATCH_BAD])
def test_batch_selection_errors_are_one_line(tmp_path, capsys, argv, pattern):
    (tmp_path / "d").mkdir()
    write(tmp_path / "d" / "PL22.yaml", "region: PL22\n")
    out = tmp_path / "out"
    code = main([a.replace("{dir}", str(tmp_path / "d")) for a in argv] + ["--out", str(out)])
    err = capsys.readouterr().err
    assert code == 2 and len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert __import__("re").search(pattern, err), err
    assert not out.exists()  # refused before anything was written


def test_output_folder_held_by_a_live_run_is_refused(tmp_path, capsys):
    import os

    from clusterlib.batch.lock import LOCK_NAME, FolderLock

    out = tmp_path / "out"
    with FolderLock(out):  # this test process is the live holder
        argv = ["run", "--regions", "PL22", "--notebooks", "03_firm_segments", "--out", str(out)]
        assert main([*argv, "--no-progress"]) == 2
        err = capsys.readouterr().err
        assert f"in use by another clusterlib run (process {os.getpid()}, lock " in err
        assert LOCK_NAME in err and "choose another --out" in err
    with pytest.raises(OutputError, match=r"process \d+"):
        with FolderLock(out):
            FolderLock(out).acquire()


# ---------------------------------------------------------------- input-output tables (#27) --
IO_HEAD = "label,CPA_A,CPA_C,P3\n"
IO_BAD = [
    ("non-square", "CPA_A,1,2,3\nCPA_C,1,2,3\nCPA_G,1,2,3\nB1G,5,5,\nP1,10,10,\n", DataFormatError,
     r"io.csv: the product labels of the rows and the columns do not match: row\(s\) \['CPA_G'\] "
     r"\(first on line 4\) have no column"),
    ("column-without-row", "CPA_A,1,2,3\nB1G,5,5,\nP1,10,10,\n", DataFormatError,
     r"column\(s\) \['CPA_C'\] on line 1 have no row"),
    ("negative-flow", "CPA_A,1,-2,3\nCPA_C,1,2,3\nB1G,5,5,\nP1,10,10,\n", DataValueError,
     r"io.csv, line 2 \(row 'CPA_A'\), column 'CPA_C': expected a flow >= 0, found -2"),
    ("zero-output", "CPA_A,1,2,3\nCPA_C,1,2,3\nB1G,5,5,\nP1,10,0,\n", DataValueError,
     r"io.csv, line 5 \(row 'P1'\), column 'CPA_C': expected an output > 0, found 0\. A "
     r"product with no output"),
    ("empty-output", "CPA_A,1,2,3\nCPA_C,1,2,3\nB1G,5,5,\nP1,,10,\n", DataValueError,
     r"column 'CPA_A': expected an output > 0, found an empty cell"),
    ("not-a-number", "CPA_A,1,2,3\nCPA_C,1,x,3\nB1G,5,5,\nP1,10,10,\n", DataValueError,
     r"io.csv, line 3 \(row 2\), column 'CPA_C': expected a number"),
    ("empty-flow", "CPA_A,1,,3\nCPA_C,1,2,3\nB1G,5,5,\nP1,10,10,\n", DataValueError,
     r"io.csv, line 2 \(row 'CPA_A'\), column 'CPA_C': empty cell"),
    ("no-output-row", "CPA_A,1,2,3\nCPA_C,1,2,3\nB1G,5,5,\n", DataFormatError,
     r"io.csv, column 'label': no row 'P1' \(output\); the non-product rows are \['B1G'\]"),
    ("duplicate-row", "CPA_A,1,2,3\nCPA_A,1,2,3\nCPA_C,1,2,3\nB1G,5,5,\nP1,10,10,\n",
     DataFormatError, r"io.csv, lines 2, 3, column 'label': row label 'CPA_A' appears more"),
]  # fmt: skip


@pytest.mark.parametrize("rows,error,pattern", [c[1:] for c in IO_BAD], ids=[c[0] for c in IO_BAD])
def test_io_table_refuses(tmp_path, rows, error, pattern):
    from clusterlib.io.io_tables import read_io_table

    with pytest.raises(error, match=pattern):
        read_io_table(write(tmp_path / "io.csv", IO_HEAD + rows))


def test_io_table_missing_and_no_products(tmp_path):
    from clusterlib.io.io_tables import read_io_table

    with pytest.raises(MissingFileError, match=r"nope.xlsx: no such file"):
        read_io_table(tmp_path / "nope.xlsx")
    path = write(tmp_path / "io.csv", "label,A,C\nA,1,2\nC,1,2\nB1G,1,1\nP1,5,5\n")
    with pytest.raises(DataFormatError, match=r"line 1: no product columns \(labels starting"):
        read_io_table(path)
    damaged = write(tmp_path / "io.xlsx", b"not a zip")
    with pytest.raises(DataFormatError, match=r"io.xlsx: not a readable XLSX workbook"):
        read_io_table(damaged)


def _io(values, labels=("a", "b"), cols=None):
    return pd.DataFrame(values, index=list(labels), columns=list(cols or labels), dtype=float)


IO_MATRIX_BAD = [
    ("non-square", lambda: cl.technical_coefficients(_io([[1, 2, 3], [4, 5, 6]], cols="abc"),
                                                     pd.Series({"a": 9.0, "b": 9.0})),
     DataFormatError, r"flows: expected a square table .* found 2 rows x 3 columns"),
    ("negative-flow", lambda: cl.technical_coefficients(_io([[1, -2], [3, 4]]),
                                                        pd.Series({"a": 9.0, "b": 9.0})),
     DataValueError, r"flows, row 'a', column 'b': expected a flow >= 0, found -2"),
    ("zero-output", lambda: cl.allocation_coefficients(_io([[1, 2], [3, 4]]),
                                                       pd.Series({"a": 9.0, "b": 0.0})),
     DataValueError, r"output, industry 'b': expected a positive value, found 0"),
    ("labels-differ", lambda: cl.leontief_inverse(_io([[0.1, 0.2], [0.3, 0.1]], cols="ax")),
     DataFormatError, r"A: row and column labels do not match: position 2 is row 'b' but "
     r"column 'x'"),
    ("output-labels", lambda: cl.technical_coefficients(_io([[1, 2], [3, 4]]),
                                                        pd.Series({"a": 9.0, "c": 9.0})),
     DataFormatError, r"output: labels do not match .* no value for \['b'\]; industries not "
     r"in the table \['c'\]"),
    ("nan-coefficient", lambda: cl.leontief_inverse(_io([[0.1, np.nan], [0.3, 0.1]])),
     DataValueError, r"A, row 'a', column 'b': expected a finite number"),
    ("singular", lambda: cl.leontief_inverse(_io([[0.5, 0.5], [0.5, 0.5]])),
     DataValueError, r"A: I - A is singular, so the Leontief inverse does not exist; industry "
     r"'[ab]' is the most involved"),
    ("negative-inverse", lambda: cl.leontief_inverse(_io([[0.6, 0.9], [0.9, 0.6]])),
     DataValueError, r"A: the Leontief inverse has a negative entry .* not productive .* "
     r"Industry '[ab]' has the largest coefficient sum \(1.5\)"),
    ("ghosh-singular", lambda: cl.ghosh_inverse(_io([[1.0, 0.0], [0.2, 0.3]])),
     DataValueError, r"B: I - B is singular, so the Ghosh inverse does not exist; industry 'a'"),
    ("zero-coefficient", lambda: cl.multipliers(_io([[0.1, 0.2], [0.3, 0.1]]),
                                                employment=pd.Series({"a": 1.0, "b": 0.0})),
     DataValueError, r"employment, industry 'b': the coefficient is 0, so its type I"),
    ("consumption-alone", lambda: cl.multipliers(_io([[0.1, 0.2], [0.3, 0.1]]),
                                                 consumption=pd.Series({"a": 0.5, "b": 0.5})),
     OptionError, r"consumption: households can be closed into the model only with"),
    ("extract-unknown", lambda: cl.hypothetical_extraction(
        _io([[0.1, 0.2], [0.3, 0.1]]), pd.Series({"a": 1.0, "b": 1.0}), extract="z"),
     UnknownCodeError, r"extract: \['z'\] not among the table's industries"),
    ("stacked-region", lambda: cl.leontief_inverse(pd.DataFrame(
        [[0.1, 0.2], [0.3, 0.1], [0.5, 0.5], [0.5, 0.5]],
        index=pd.MultiIndex.from_product([["PL21", "PL22"], ["a", "b"]]), columns=["a", "b"])),
     DataValueError, r"A: region 'PL22': I - A is singular"),
]  # fmt: skip


@pytest.mark.parametrize(
    "call,error,pattern", [c[1:] for c in IO_MATRIX_BAD], ids=[c[0] for c in IO_MATRIX_BAD]
)
def test_linkages_refuse_bad_tables(call, error, pattern):
    with pytest.raises(error, match=pattern):
        call()


# ------------------------------------------- issue 23 §3-4: YAML bombs, rules, survey paths ----

_LAUGHS = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 10)}]\n" for i in range(6)
)  # 10**7 strings if expanded, from 60 aliases

RULES_BAD = [
    ("nan-threshold", "metric: specialisation.lq, below: .nan", r"field 'below': expected a finite "
     r"number, found nan; a rule with a NaN or infinite threshold would never fire"),
    ("unknown-metric", "metric: innovation.rates.coop_univ, below: 0.2", r"field 'metric': "
     r"'innovation\.rates\.coop_univ' is not a number of metrics\.json, so the rule could never "
     r"fire\. Did you mean .*'innovation\.rates\.coop_universities'"),
    ("unknown-section", "metric: summary.lq, below: 1", r"field 'metric': 'summary\.lq' is not"),
    ("list-metric", "metric: specialisation.peers, below: 1", r"field 'metric': 'specialisation\.peers' is not a number"),
    ("internals", "metric: specialisation.lq, below: 1, action: 'x {value.real.__class__}'",
     r"field 'action': the template field \{value\.real\.__class__\} is not allowed"),
    ("index", "metric: specialisation.lq, below: 1, action: '{value[0]}'",
     r"field 'action': the template field \{value\[0\]\} is not allowed"),
    ("bad-format", "metric: specialisation.lq, below: 1, action: '{value:>10}'",
     r"field 'action': .*format '>10': expected a number format"),
    ("unbalanced", "metric: specialisation.lq, below: 1, action: 'a {value'",
     r"field 'action': not a valid template"),
]  # fmt: skip


@pytest.mark.parametrize(
    "fields,pattern", [c[1:] for c in RULES_BAD], ids=[c[0] for c in RULES_BAD]
)
def test_action_rules_refuse_when_loaded(tmp_path, fields, pattern):
    from clusterlib.batch.brief import load_rules

    path = write(
        tmp_path / "actions.yaml",
        f"rules:\n  - {{id: r9, swot: threat, finding: 'x {{value:.2f}}', {fields}}}\n",
    )
    with pytest.raises(DataFormatError, match=r"actions\.yaml, rule 1 \(r9\), " + pattern):
        load_rules(path)


@pytest.mark.parametrize("kind", ["clusters", "params", "mapping"])
def test_yaml_bomb_is_refused_with_the_file_name(tmp_path, kind):
    from clusterlib.errors import ClusterlibError
    from clusterlib.io.questionnaire import load_mapping

    path = write(tmp_path / f"{kind}.yaml", _LAUGHS)
    call = {"clusters": lambda: load_clusters(path),
            "params": lambda: cl.batch.params.load_yaml(path),
            "mapping": lambda: load_mapping(path)}[kind]  # fmt: skip
    with pytest.raises(ClusterlibError, match=rf"{kind}\.yaml, line 6: not valid YAML: its "
                       r"aliases expand to more than 1,000,000 values"):  # fmt: skip
        call()


def test_survey_path_that_is_not_a_questionnaire_fails_the_check(tmp_path):
    import shutil

    import clusterlib.batch.params as bp

    params = tmp_path / "params"
    shutil.copytree(config.params_dir(), params)
    write(params / "PL22.yaml", "region: PL22\nsurvey_path: ../logo.png\n")
    write(tmp_path / "logo.png", b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    with pytest.raises(ParameterError, match=r"PL22\.yaml, key 'survey_path': '.*logo\.png' is not "
                       r"a survey the notebooks can read: "):  # fmt: skip
        bp.merged_parameters("PL22", params_dir=params)


# ---------------------------------------------------------------- issue 23 §4 ----------------
# Each case below gave a silent wrong result, a raw library error or an error without its
# location before issue 23.
SURVEY_TEXT = "Nr ankiety;Województwo\nFirma-żółw-1;Śląskie\nFirma-2;Opolskie\n"


def test_utf8_file_declared_8bit_is_refused_not_garbled(tmp_path):
    from clusterlib.io.questionnaire import read_answers

    path = write(tmp_path / "q.csv", SURVEY_TEXT)  # UTF-8 bytes
    for encoding in ("cp1250", "iso-8859-2", "latin-1"):
        with pytest.raises(EncodingError, match=r"q\.csv, line 1: the file is UTF-8 text.*'ó'.*"
                           rf"encoding='{encoding}'.*Pass encoding='utf-8'"):  # fmt: skip
            read_answers(path, encoding=encoding)
    table = write(
        tmp_path / "t.csv", HEAD.replace("value", "value,nazwa") + "PL22,C24,2014,1,Łódź\n"
    )
    with pytest.raises(EncodingError, match=r"t\.csv, line 2: the file is UTF-8.*'Ł'"):
        cl.read_table(table, encoding="cp1250")
    # the same text really in cp1250, and plain ASCII under any encoding, still read
    real = write(tmp_path / "r.csv", SURVEY_TEXT.encode("cp1250"))
    assert read_answers(real, encoding="cp1250").iloc[0, 0] == "Firma-żółw-1"
    ascii_ = write(tmp_path / "a.csv", HEAD + "PL22,C24,2014,1\n")
    assert cl.read_table(ascii_, encoding="cp1250")["value"].tolist() == [1.0]


def test_utf8_questionnaire_under_a_cp1250_mapping_is_refused(tmp_path):
    from clusterlib.innovation.example import write_example_questionnaire
    from clusterlib.io.questionnaire import import_questionnaire

    ex = write_example_questionnaire(tmp_path)
    utf8 = write(tmp_path / "utf8.csv", ex["csv"].read_bytes().decode("cp1250").encode("utf-8"))
    with pytest.raises(EncodingError, match=r"utf8\.csv, line 1: the file is UTF-8 text.*"
                       r"encoding='cp1250'"):  # fmt: skip
        import_questionnaire(utf8, mapping=ex["mapping"])


@pytest.mark.parametrize(
    ("answers", "words"),
    [
        (
            {"Tak": 1, "TAK ": 0},
            r"labels 'Tak' \(code 1\) and 'TAK ' \(code 0\) are the same answer",
        ),
        (
            {"raczej  tak": 4, "Raczej tak": 5},
            r"labels 'raczej  tak' \(code 4\) and 'Raczej tak' \(code 5\)",
        ),
    ],
)
def test_mapping_refuses_labels_that_normalise_alike_with_different_codes(answers, words):
    from clusterlib.io.questionnaire import load_mapping

    with pytest.raises(DataFormatError, match=r"mapping, answers, 'yn': " + words):
        load_mapping({"answers": {"yn": answers}})
    # the same label twice with the same code is harmless
    same = load_mapping({"answers": {"yn": {"Tak": 1, " tak": 1, "Nie": 0}}})
    assert same.answers["yn"] == {"tak": 1.0, "nie": 0.0}


def test_mapping_refuses_a_label_both_no_answer_and_an_answer(tmp_path):
    from clusterlib.io.questionnaire import load_mapping

    spec = {"answers": {"yn": {"Tak": 1, "Nie": 0, "Nie wiem": 9}}, "no_answer": ["", "nie  WIEM"]}
    with pytest.raises(DataFormatError, match=r"mapping: 'nie wiem' is both in no_answer and a "
                       r"label of answers\.yn \(code 9\)"):  # fmt: skip
        load_mapping(spec)
    path = write(tmp_path / "m.yaml", "answers:\n  yn: {Tak: 1, Nie: 0}\nno_answer: ['', Nie]\n")
    with pytest.raises(DataFormatError, match=r"m\.yaml: 'nie' is both in no_answer"):
        load_mapping(path)


def _xlsx(tmp_path, name, sheets):
    from clusterlib.io.files import xlsx_bytes

    return write(tmp_path / name, xlsx_bytes(sheets, index=False))


@pytest.mark.parametrize(
    ("kind", "words"),
    [
        ("truncated", r"the workbook is damaged or incomplete"),
        ("encrypted", r"password-protected \(encrypted\)"),
        ("not-a-zip", r"not an XLSX workbook at all"),
        ("empty", r"not an XLSX workbook at all"),
    ],
)
def test_damaged_xlsx_names_the_file_not_a_raw_calamine_error(tmp_path, kind, words):
    from clusterlib.io.evidence import read_evidence
    from clusterlib.io.questionnaire import read_answers

    good = _xlsx(tmp_path, "good.xlsx", {"a": pd.DataFrame({"x": range(50)})}).read_bytes()
    data = {
        "truncated": good[: len(good) // 2],
        "encrypted": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600),  # OLE2: an encrypted XLSX
        "not-a-zip": b"just some text, saved as .xlsx",
        "empty": b"",
    }[kind]
    path = write(tmp_path / f"{kind}.xlsx", data)
    with pytest.raises(DataFormatError, match=rf"{kind}\.xlsx: cannot read the questionnaire "
                       rf"as XLSX: (it is )?{words}"):  # fmt: skip
        read_answers(path)
    with pytest.raises(DataFormatError, match=rf"{kind}\.xlsx: cannot read the evidence register"):
        read_evidence(path)


@pytest.mark.parametrize("size", [200_000, 3_000_000])
def test_huge_header_cell_or_single_line_is_a_clear_error(tmp_path, size):
    from clusterlib.io.questionnaire import read_answers

    cell = write(tmp_path / "cell.csv", "a," + "x" * size + "\n1,2\n")
    with pytest.raises(DataFormatError, match=rf"cell\.csv, line 1 \(the header\): cannot split "
                       rf"it into columns \(field larger than field limit.*{size + 2:,} characters"):  # fmt: skip
        cl.read_table(cell)
    one = write(tmp_path / "one.csv", "y" * size)  # one line, no newline: not a table at all
    with pytest.raises(DataFormatError, match=r"one\.csv, line 1 \(the header\).*questionnaire"):
        read_answers(one)
    with pytest.raises(DataFormatError, match=r"one\.csv, line 1 \(the header\).*survey"):
        cl.read_survey(one)


def test_answers_on_another_sheet_name_the_sheets_and_the_option(tmp_path):
    from clusterlib.innovation.example import write_example_questionnaire
    from clusterlib.io.questionnaire import QuestionnaireError, import_questionnaire, read_answers

    ex = write_example_questionnaire(tmp_path)
    answers = read_answers(ex["xlsx"])
    notes = pd.DataFrame({"Uwagi": ["Badanie 2024", "Dane w arkuszu 'Dane'"]})
    book = _xlsx(tmp_path, "two.xlsx", {"Info": notes, "Dane": answers})
    with pytest.raises(QuestionnaireError, match=r"the workbook has sheets \['Info', 'Dane'\] "
                       r"and sheet 'Info' was read.*pass sheet="):  # fmt: skip
        import_questionnaire(book, mapping=ex["mapping"])
    got = import_questionnaire(book, mapping=ex["mapping"], sheet="Dane", synthetic=True)
    assert len(got) == len(answers)
    with pytest.raises(DataFormatError, match=r"two\.xlsx: cannot read sheet 'Arkusz1' of the "
                       r"questionnaire: no such sheet; the workbook's sheets are \['Info', 'Dane'\]"):  # fmt: skip
        read_answers(book, sheet="Arkusz1")
    with pytest.raises(DataFormatError, match=r"cannot read sheet 2 .*2 sheet\(s\)"):
        read_answers(book, sheet=2)


def _firms(n_c24=3, n_c25=2):
    return pd.DataFrame({"nace": ["C24"] * n_c24 + ["C25"] * n_c25})


def test_raking_refuses_a_zero_margin_for_sampled_firms():
    from clusterlib.innovation.weights import survey_weights

    with pytest.raises(DataValueError, match=r"margin 'nace', category 'C25': the population "
                       r"count is 0 but 2 firm\(s\) of the survey are in it"):  # fmt: skip
        survey_weights(_firms(), margins={"nace": {"C24": 100, "C25": 0}})
    for method in ("raking", "poststratify"):
        with pytest.raises(DataValueError, match=r"margin 'nace': every population count is 0"):
            survey_weights(_firms(), margins={"nace": {"C24": 0, "C25": 0}}, method=method)
    # a zero count for a category no firm is in is fine: 100 / 3 each
    w = survey_weights(_firms(3, 0), margins={"nace": {"C24": 100, "C25": 0}})
    np.testing.assert_allclose(w, [100 / 3] * 3)


def test_design_effect_refuses_weights_without_a_positive_sum():
    from clusterlib.innovation.weights import design_effect

    for bad in ([0.0, 0.0], [1.0, -1.0, 2.0], [1.0, np.nan], []):
        with pytest.raises(DataValueError, match=r"weights: expected finite weights >= 0"):
            design_effect(pd.Series(bad, dtype=float))


ONE_REGION = pd.DataFrame({"C24": [10.0], "C25": [30.0], "C26": [5.0]}, index=["PL22"])


@pytest.mark.parametrize("measure", ["rca", "proximity", "relatedness_density", "diversity",
                                     "colocation_relatedness"])  # fmt: skip
def test_relatedness_refuses_a_single_region_or_an_all_unknown_matrix(measure):
    import clusterlib.relatedness as rel

    fn = getattr(rel, measure)
    with pytest.raises(DataValueError, match=r"employment: only 1 region with known employment "
                       r"\(\['PL22'\]\).*with one region every RCA is 1"):  # fmt: skip
        fn(ONE_REGION)
    panel = pd.concat(
        {2014: ONE_REGION, 2015: pd.concat([ONE_REGION, ONE_REGION.rename({"PL22": "PL21"})])}
    )
    with pytest.raises(DataValueError, match=r"employment, year 2014: only 1 region"):
        fn(panel)
    one_industry = pd.DataFrame({"C24": [10.0, 5.0]}, index=["PL21", "PL22"])
    with pytest.raises(
        DataValueError, match=r"only 1 industry with known employment \(\['C24'\]\)"
    ):
        fn(one_industry)
    unknown = pd.DataFrame(np.nan, index=["PL21", "PL22"], columns=["C24", "C25"])
    with pytest.raises(DataValueError, match=r"employment: every cell is unknown \(NaN\) or zero"):
        fn(unknown)


def test_complexity_refuses_a_single_region():
    from clusterlib.relatedness import complexity

    with pytest.raises(DataValueError, match=r"only 1 region"):
        complexity(ONE_REGION)


def test_negative_totals_are_refused_wherever_employment_enters():
    from clusterlib.specialisation import krugman_index, location_quotient_ci

    x = pd.DataFrame({"A": [10.0, 30.0], "B": [90.0, 70.0]}, index=["r1", "r2"])
    neg = pd.Series([-100.0, 100.0], index=["r1", "r2"])
    words = r"region_total, region 'r1': expected a count >= 0 .*found -100\.0"
    with pytest.raises(DataValueError, match=words):
        cl.location_quotient(x, region_total=neg)  # was LQ -2 for r1/B's neighbour
    with pytest.raises(DataValueError, match=words):
        location_quotient_ci(x, region_total=neg)
    with pytest.raises(DataValueError, match=words):
        cl.herfindahl(x, region_total=neg)
    with pytest.raises(DataValueError, match=r"reference, region 'B'.*found -0\.5"):
        krugman_index(x, reference=pd.Series({"A": 1.5, "B": -0.5}))
    with pytest.raises(DataValueError, match=r"cluster_employment, region 'r2'.*found -5\.0"):
        cl.cluster_stars(
            pd.Series([5.0, -5.0], index=["r1", "r2"]), pd.Series([10.0, 10.0], index=["r1", "r2"])
        )
    with pytest.raises(DataValueError, match=words):
        cl.cluster_stars(pd.Series([5.0, 5.0], index=["r1", "r2"]), neg)
    with pytest.raises(DataValueError, match=r"region_total, region 'r1'.*found 'many'"):
        cl.cluster_stars(
            pd.Series([5.0, 5.0], index=["r1", "r2"]), pd.Series(["many", 3], index=["r1", "r2"])
        )
    with pytest.raises(DataValueError, match=r"end, region 'r2'.*found -1\.0"):
        cl.portfolio(pd.Series([1.0, 2.0], index=["r1", "r2"]), pd.Series([1.0, -1.0], index=["r1", "r2"]),
                     region_total_end=pd.Series([5.0, 5.0], index=["r1", "r2"]))  # fmt: skip


def test_unknown_cluster_employment_is_not_rated_not_zero_stars():
    from clusterlib.chapters.display import table_html

    # r3's cluster employment is confidential (NaN): not rated; r4 has 0 persons: rated, 0 stars
    e = pd.Series([50.0, 10.0, np.nan, 0.0], index=["r1", "r2", "r3", "r4"])
    tot = pd.Series([100.0, 100.0, 100.0, 100.0], index=e.index)
    got = cl.cluster_stars(e, tot, size_quantile=0.5, focus_quantile=0.5)
    # rated r1, r2, r4 (e 50, 10, 0; focus .5, .1, 0): both medians are r2's (10, .1), so r1 and
    # r2 get the size and focus stars; LQ r1 = .5 / (60 / 300) = 2.5 >= 2, LQ r2 = .5: 3, 2, -, 0
    np.testing.assert_array_equal(got["stars"], [3, 2, np.nan, 0])
    assert got["rated"].tolist() == [True, True, False, True]
    html = table_html(got[["stars"]])
    assert '<th scope="row">r3</th><td class="num">not rated</td>' in html
    assert '<th scope="row">r4</th><td class="num">0</td>' in html


def test_peers_of_a_region_with_only_confidential_cells_is_an_error():
    from clusterlib.errors import EmptySelectionError
    from clusterlib.specialisation.peers import peer_regions

    wide = pd.DataFrame([[np.nan, np.nan], [10.0, 20.0], [5.0, 5.0]], index=["PL22", "PL21", "CZ08"],
                        columns=["C24", "C25"])  # fmt: skip
    with pytest.raises(EmptySelectionError, match=r"region 'PL22': every division cell is "
                       r"confidential or missing.*policy='fill'"):  # fmt: skip
        peer_regions(None, region="PL22", year=2014, wide=wide)
    alone = pd.DataFrame(
        [[10.0, np.nan], [np.nan, 20.0]], index=["PL22", "PL21"], columns=["C24", "C25"]
    )
    with pytest.raises(EmptySelectionError, match=r"region 'PL22', 2014: no other region shares "
                       r"enough known divisions"):  # fmt: skip
        peer_regions(None, region="PL22", year=2014, wide=alone)


def test_peers_of_a_nuts1_code_say_it_is_nuts1():
    from clusterlib.specialisation.peers import peer_regions

    wide = pd.DataFrame([[10.0, 20.0], [5.0, 5.0]], index=["PL22", "PL21"], columns=["C24", "C25"])
    with pytest.raises(UnknownCodeError, match=r"unknown region 'PL2': it is a NUTS1 code; "
                       r"clusterlib reports on NUTS2 regions.*PL21, PL22"):  # fmt: skip
        peer_regions(None, region="PL2", year=2014, wide=wide)
    with pytest.raises(UnknownCodeError, match=r"'PL': it is a NUTS0 code"):
        peer_regions(None, region="PL", year=2014, wide=wide)


def test_near_collinear_regressors_are_named():
    rng = np.random.default_rng(7)
    a = rng.normal(size=60)
    df = pd.DataFrame({"a": a, "b": 2 * a + 1e-6 * rng.normal(size=60), "c": rng.normal(size=60)})
    df["y"] = (rng.random(60) < 0.5).astype(int)
    df["k"] = rng.integers(1, 4, size=60)
    for family, outcome in (("logit", "y"), ("probit", "y"), ("firth", "y"), ("poisson", "k"),
                            ("ologit", "k")):  # fmt: skip
        with pytest.raises(ModelSpecError, match=r"the regressors \['a', 'b'\] are nearly "
                           r"collinear \(condition index [\d,]+, above 1000; Belsley"):  # fmt: skip
            cl.fit_model(f"{outcome} ~ a + c + b", df, family=family)
    # moderately correlated regressors (r = 0.9) are still fitted
    df["b"] = a + 0.5 * rng.normal(size=60)
    assert np.isfinite(cl.fit_model("y ~ a + b + c", df).bse).all()


# ------------------------------------------------ the value-chain chapter (notebook 05)
def _value_chain(**kw):
    from clusterlib.chapters.value_chains import ValueChainChapter

    return ValueChainChapter.build(**{"region": "PL22", "cluster": "metal processing", **kw})


VALUE_CHAIN_BAD = [
    ("unknown-cluster", {"cluster": "no such cluster"}, UnknownCodeError,
     r"unknown cluster 'no such cluster'. Defined in params/clusters.yaml"),
    ("region-of-another-country", {"region": "DE11"}, DataValueError,
     r"region 'DE11': the bundled input-output table is Poland's .*read_io_table"),
    ("unknown-area", {"region": "XX-YY"}, UnknownCodeError,
     r"region: 'XX-YY' is neither a NUTS2 region nor an area of params/areas.yaml"),
    ("delta-out-of-range", {"delta": 1.0}, OptionError,
     r"delta: expected a number with 0 <= delta < 1"),
]  # fmt: skip


@pytest.mark.parametrize(
    "kwargs,error,pattern", [c[1:] for c in VALUE_CHAIN_BAD], ids=[c[0] for c in VALUE_CHAIN_BAD]
)
def test_value_chain_refuses(kwargs, error, pattern):
    with pytest.raises(error, match=pattern):
        _value_chain(**kwargs)


# ------------------------------------------------ fit_model's groups= (issue 24; cluster= deprecated)
def test_fit_model_groups_refused():
    from clusterlib.innovation import family_of, synthetic_survey

    df = synthetic_survey(300, seed=1)
    f = "product_innovation ~ rd_inhouse"
    with (
        pytest.warns(DeprecationWarning),
        pytest.raises(OptionError, match=r"groups='region' and cluster='nace': give only groups="),
    ):
        cl.fit_model(f, df, cov_type="cluster", groups="region", cluster="nace")
    with pytest.raises(DataValueError, match=r"groups: 'nuts' is not a column of the data"):
        cl.fit_model(f, df, cov_type="cluster", groups="nuts")
    with pytest.raises(OptionError, match=r"option 'family'.*Did you mean 'probit'"):
        family_of("probt")


# ------------------------------------------------ the findings stored in metrics.json (the brief)
def test_findings_without_their_fields_name_the_file_and_section(tmp_path):
    import json

    from clusterlib.chapters.metrics import read_findings

    path = tmp_path / "metrics.json"
    path.write_text(json.dumps({"segments": {"findings": [{"value": 2.0}]}}), encoding="utf-8")
    with pytest.raises(DataFormatError, match=r"metrics\.json, section 'segments', key "
                       r"'findings': expected a list of findings .*rerun the batch"):  # fmt: skip
        read_findings(path)


# ------------------------------------------- cluster areas in the batch and the chapters (#25)
AREA_BAD = [
    ("unknown-area", "PL-NE:\n  regions: [PL34, PL62, PL31]\n", ["run", "--regions", "PL-XX"],
     r"regions: 'PL-XX' is neither a NUTS2 region nor an area of .*areas\.yaml \(areas: "
     r"\['PL-NE'\]\)"),
    ("area-id-not-a-folder-name", "PL NE:\n  regions: [PL34, PL62]\n",
     ["run", "--regions", "PL NE"],
     r"areas\.yaml, area 'PL NE': an area id that names an output folder may hold only letters"),
    ("duplicate-member", "PL-NE:\n  regions: [PL34, PL34]\n", ["run", "--all"],
     r"areas\.yaml, area 'PL-NE', field 'regions': \['PL34'\] listed more than once"),
    ("id-is-a-nuts-code", "PL34:\n  regions: [PL34, PL62]\n", ["run", "--all"],
     r"areas\.yaml, area 'PL34': an area id must be a text that is not a NUTS code"),
    ("empty-area", "PL-NE:\n  regions: []\n", ["run", "--all"],
     r"area 'PL-NE', field 'regions': expected a non-empty list of NUTS2 codes"),
    ("unknown-member", "PL-NE:\n  regions: [PL34, PL99]\n", ["run", "--regions", "PL-NE"],
     r"area 'PL-NE', field 'regions'.*unknown region 'PL99'"),
]  # fmt: skip


@pytest.mark.parametrize(
    "areas,argv,pattern", [c[1:] for c in AREA_BAD], ids=[c[0] for c in AREA_BAD]
)
def test_bad_areas_are_refused_before_any_kernel(params_dir, tmp_path, capsys, areas, argv,
                                                 pattern):  # fmt: skip
    import re

    write(params_dir / "areas.yaml", areas)
    out = tmp_path / "reports"
    assert main([*argv, "--params", str(params_dir), "--out", str(out), "--no-progress"]) == 2
    err = capsys.readouterr().err
    assert re.search(pattern, err), err
    assert not out.exists() or not any(out.iterdir())  # nothing started, nothing written


def test_a_cross_border_area_has_no_country_reference(params_dir):
    from clusterlib.chapters.specialisation import SpecialisationChapter

    write(params_dir / "areas.yaml", "LT-PL:\n  regions: [PL34, LT00]\n")
    with (
        config.using_params(params_dir),
        pytest.raises(
            OptionError, match=r"region 'LT-PL': the area spans several countries.*reference='eu'"
        ),
    ):
        SpecialisationChapter.build(region="LT-PL", cluster="metal and machinery", year=2014,
                                    start_year=2009)  # fmt: skip


# ------------------------------------------------ issue 28: a Polish brief needs Polish rules
def test_polish_brief_refuses_untranslated_rules(tmp_path, monkeypatch):
    from clusterlib.batch.brief import load_rules
    from clusterlib.batch.param_values import check_value

    text = "rules:\n  - {id: r1, metric: specialisation.lq, below: 1, swot: threat, finding: 'x'}\n"
    write(tmp_path / "actions.yaml", text)
    assert [r.id for r in load_rules(tmp_path / "actions.yaml")] == ["r1"]  # English alone loads
    monkeypatch.setenv("CLUSTERLIB_PARAMS", str(tmp_path))
    with pytest.raises(ParameterError, match=r"the brief in 'pl' needs every rule of .*actions\.yaml"
                       r" in that language; rule\(s\) \['r1'\] have no finding_pl"):  # fmt: skip
        check_value("language", "pl", {}, "defaults.yaml")  # as merged_parameters checks it
    write(tmp_path / "actions.yaml", text.replace("finding: 'x'", "finding: 'x', action: 'a', "
                                                  "finding_pl: 'x'"))  # fmt: skip
    with pytest.raises(DataFormatError, match=r"rule 1 \(r1\): missing field\(s\) \['action_pl'\]"):
        load_rules(tmp_path / "actions.yaml")


# ------------------------------------------------ context GDP files of different regions or years
def test_gdp_units_without_a_shared_figure_refused():
    from clusterlib.context import gdp_counts

    total = pd.DataFrame({"region": ["PL21"], "year": [2020], "value": [50.0], "flag": [""]})
    head = total.assign(year=2019, value=12500.0)  # another year: no population at all
    with pytest.raises(
        DataFormatError,
        match=r"^gdp\.tsv: the two GDP units share no region and year with a figure in both, so "
        r"no population can be derived\. Give MIO_EUR and EUR_HAB of the same regions and years\.$",
    ):
        gdp_counts(total, head, source="gdp.tsv")
    with pytest.raises(
        DataFormatError,
        match=r"^gdp\.tsv: a region and year appears twice in one of the two GDP units; give "
        r"each region and year once\.$",
    ):
        gdp_counts(pd.concat([total, total]), total, source="gdp.tsv")
