import pandas as pd
import pytest

from clusterlib import DataFormatError, DataValueError, read_survey, synthetic_survey
from clusterlib.io.survey import codebook_markdown


@pytest.fixture(scope="module")
def survey():
    return synthetic_survey(200, seed=3)


def as_csv(tmp_path, df):
    p = tmp_path / "s.csv"
    df.to_csv(p, index=False)
    return p


def test_synthetic_survey_passes_its_contract(tmp_path, survey):
    df = read_survey(as_csv(tmp_path, survey))
    assert len(df) == 200 and df.attrs["synthetic"]


def test_codebook_markdown_is_committed():
    with open("data/survey/CODEBOOK.md", encoding="utf-8") as f:
        assert f.read() == codebook_markdown()


@pytest.mark.parametrize(
    ("column", "row", "value", "pattern"),
    [
        (
            "sl2",
            4,
            6,
            r"row 5 \(line 6\), field 'sl2': expected one of \[1, 2, 3, 4, 5\], found 6.0",
        ),
        (
            "export_share",
            0,
            1.5,
            r"row 1 \(line 2\), field 'export_share': expected a value in the range",
        ),
        ("patents", 2, -1, r"row 3 \(line 4\), field 'patents': expected a value >= 0"),
        ("region", 1, "PL99", r"row 2 \(line 3\), field 'region': expected one of"),
        ("nace", 1, "C99", r"row 2 \(line 3\), field 'nace': expected one of"),
        ("firm_id", 3, "F000001", r"field 'firm_id': expected a unique value, found 'F000001'"),
        (
            "employees",
            0,
            "many",
            r"line 2 \(row 1\), column 'employees': expected a whole number, found 'many'",
        ),
    ],
)
def test_bad_survey_values(tmp_path, survey, column, row, value, pattern):
    df = survey.copy()
    df[column] = df[column].astype(object)
    df.loc[row, column] = value
    with pytest.raises(DataValueError, match=pattern):
        read_survey(as_csv(tmp_path, df))


def test_missing_firm_id(tmp_path, survey):
    df = survey.copy()
    df.loc[2, "firm_id"] = ""
    with pytest.raises(
        DataValueError, match=r"line 4, field 'firm_id' \(row 3\): expected a firm id"
    ):
        read_survey(as_csv(tmp_path, df))


def test_missing_column(tmp_path, survey):
    with pytest.raises(DataFormatError, match=r"missing required column\(s\) \['coop_bsi'\]"):
        read_survey(as_csv(tmp_path, survey.drop(columns="coop_bsi")))


def test_likert_non_response_allowed(survey):
    df = survey.copy()
    df.loc[0, "sc1"] = float("nan")
    assert pd.isna(read_survey(df)["sc1"].iloc[0])
