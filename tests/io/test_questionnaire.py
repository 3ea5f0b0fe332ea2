"""Real questionnaires: CSV (cp1250, ;), XLSX, SPSS and Stata, a mapping file, and every problem listed."""

import numpy as np
import pandas as pd
import pytest

from clusterlib.cli import main
from clusterlib.errors import DataFormatError
from clusterlib.innovation.example import COLUMNS, example_sample, write_example_questionnaire
from clusterlib.io.questionnaire import (
    QuestionnaireError,
    check_questionnaire,
    import_questionnaire,
    load_mapping,
    read_answers,
)


@pytest.fixture(scope="module")
def example(tmp_path_factory):
    return write_example_questionnaire(tmp_path_factory.mktemp("example"))


@pytest.fixture(scope="module")
def imported(example):
    return import_questionnaire(example["csv"], mapping=example["mapping"], synthetic=True)


def test_example_round_trips_to_the_sampled_firms(example, imported):
    # the import undoes the labels exactly: compare with the synthetic firms that were written
    truth = example_sample()
    assert len(imported) == 60 and imported.attrs["synthetic"]
    assert imported.attrs["encoding"] == "cp1250" and imported.attrs["format"] == "CSV"
    assert (imported["region"] == "PL22").all()
    for col in (
        "employees",
        "rd_inhouse",
        "coop_universities",
        "product_innovation",
        "innovativeness",
    ):
        np.testing.assert_array_equal(imported[col].to_numpy(), truth[col].to_numpy(float))
    np.testing.assert_allclose(imported["export_share"], truth["export_share"].round(2))
    # Likert: equal wherever the respondent did not say "nie wiem" (then NaN)
    known = imported["sc1"].notna()
    assert known.mean() > 0.9
    np.testing.assert_array_equal(imported.loc[known, "sc1"], truth.loc[known, "sc1"])


def test_read_survey_takes_a_mapping(example, imported):
    from clusterlib import read_survey

    got = read_survey(example["xlsx"], mapping=example["mapping"])
    assert got.equals(imported) and got.attrs["synthetic"]


def test_xlsx_sav_and_dta_give_the_same_survey(example, imported, tmp_path):
    from clusterlib.innovation.example import SETS

    pyreadstat = pytest.importorskip("pyreadstat")
    assert (import_questionnaire(example["xlsx"], mapping=example["mapping"], synthetic=True)
            .equals(imported))  # fmt: skip
    # SPSS and Stata exports carry numeric codes with value labels (and short variable names);
    # the reader applies the labels, so the same answer sets map them
    answers = read_answers(example["csv"], encoding="cp1250")
    short = {name: f"v{k}" for k, name in enumerate(answers.columns)}
    coded = answers.rename(columns=short)
    labels = {}
    for name, answer_set in COLUMNS.values():
        if answer_set:
            table = {**SETS[answer_set], 9: "nie wiem"}
            inverse = {v: k for k, v in table.items()}
            coded[short[name]] = answers[name].map(inverse).astype(float)
            labels[short[name]] = table
    for name in ("Udział eksportu w sprzedaży", "Nakłady na B+R / sprzedaż",
                 "Udział sprzedaży nowych produktów"):  # fmt: skip
        coded[short[name]] = answers[name].str.replace(",", ".").astype(float)
    for name in ("Liczba pracujących", "Wiek firmy (lata)", "Zgłoszenia patentowe (3 lata)"):
        coded[short[name]] = answers[name].astype(float)
    base = load_mapping(example["mapping"])
    spec = {
        "columns": {short[q]: c for q, c in base.columns.items()},
        "constants": base.constants,
        "answers": {k: {v: c for c, v in t.items()} for k, t in SETS.items()},
        "apply": {s: [c for c, (_, a) in COLUMNS.items() if a == s] for s in SETS},
        "no_answer": ["", "nie wiem"],
    }
    sav = tmp_path / "a.sav"
    pyreadstat.write_sav(coded, str(sav), variable_value_labels={
        c: {float(k): v for k, v in t.items()} for c, t in labels.items()})  # fmt: skip
    got = import_questionnaire(sav, mapping=spec, synthetic=True)
    assert got.attrs["format"] == "SPSS"
    pd.testing.assert_frame_equal(got, imported, check_like=True, check_dtype=False)
    dta = tmp_path / "a.dta"
    coded.to_stata(dta, write_index=False, version=118, value_labels={
        c: {int(k): v for k, v in t.items()} for c, t in labels.items()})  # fmt: skip
    got = import_questionnaire(dta, mapping=spec, synthetic=True)
    assert got.attrs["format"] == "Stata"
    pd.testing.assert_frame_equal(got, imported, check_like=True, check_dtype=False)


def _broken(example, tmp_path):
    answers = read_answers(example["csv"], encoding="cp1250")
    bad = answers.copy()
    bad.loc[2, "Eksport"] = "Raczej tak"  # unmapped label
    bad.loc[4, "P1 Długotrwałe relacje z kluczowymi dostawcami"] = "7"  # outside the scale
    bad.loc[5, "Nr ankiety"] = ""  # missing id
    bad.loc[7, "Nr ankiety"] = bad.loc[8, "Nr ankiety"]  # duplicate id
    bad.loc[9, "Liczba pracujących"] = "dużo"  # not a number
    path = tmp_path / "bad.csv"
    path.write_bytes(bad.to_csv(sep=";", index=False).encode("cp1250"))
    return path


def test_every_problem_is_listed_with_row_and_column(example, tmp_path):
    problems = check_questionnaire(_broken(example, tmp_path), mapping=example["mapping"])
    got = {(r.row, r.problem.split(" (")[0]) for r in problems.itertuples()}
    assert (3, "answer not in the answer set 'tak_nie'") in got
    assert (5, "outside the scale 1-5 or not a whole number") in got  # a 7 on a 1-5 scale
    assert (6, "missing firm id") in got
    assert (8, "duplicate firm id") in got and (9, "duplicate firm id") in got
    assert (10, "not a number") in got
    assert len(problems) == 6
    row = problems[problems["row"] == 3].iloc[0]
    assert row["column"] == "Eksport (exporter)" and row["value"] == "Raczej tak"
    assert "answers.tak_nie" in row["fix"]


def test_import_refuses_with_the_whole_list(example, tmp_path):
    with pytest.raises(
        QuestionnaireError,
        match=r"(?s)6 problem\(s\).*row 3, column 'Eksport \(exporter\)'.*known: Tak, Nie",
    ) as err:
        import_questionnaire(_broken(example, tmp_path), mapping=example["mapping"])
    assert len(err.value.problems) == 6


def test_cli_check_lists_problems_and_exit_codes(example, tmp_path, capsys):
    assert main(["survey", "check", str(example["csv"]), "--mapping", str(example["mapping"])]) == 0
    assert "no problems" in capsys.readouterr().out
    assert main(["survey", "check", str(_broken(example, tmp_path)), "--mapping",
                 str(example["mapping"])]) == 1  # fmt: skip
    out = capsys.readouterr().out
    assert (
        "6 problem(s)" in out
        and "row 10, column 'Liczba pracujących (employees)': not a number (found 'dużo')" in out
    )


@pytest.mark.parametrize(
    ("spec", "words"),
    [
        ({"columns": {"A": "no_such"}}, "'no_such' is not a codebook column"),
        ({"columns": {"A": "exporter", "B": "exporter"}}, "mapped from two"),
        ({"answers": {"yn": {"Tak": "jeden"}}}, "expected a number code"),
        ({"answers": {"yn": {"Tak": 1}}, "apply": {"nope": ["exporter"]}}, "no such answer set"),
        (
            {"answers": {"a": {"x": 1}, "b": {"y": 2}}, "apply": {"a": ["sc1"], "b": ["sc1"]}},
            "two answer sets",
        ),
        ({"colums": {}}, "unknown section"),
    ],
)
def test_bad_mapping(spec, words):
    with pytest.raises(DataFormatError, match=words):
        load_mapping(spec)


def test_example_is_byte_reproducible(tmp_path):
    a = write_example_questionnaire(tmp_path / "a")
    b = write_example_questionnaire(tmp_path / "b")
    for key in a:
        assert a[key].read_bytes() == b[key].read_bytes(), key
