"""The evidence register: reading it in English or Polish, UTF-8, cp1250 or XLSX; every problem listed."""

from pathlib import Path

import pandas as pd
import pytest

from clusterlib import config
from clusterlib.cli import main
from clusterlib.errors import DataFormatError, EncodingError, MissingFileError
from clusterlib.io.evidence import EvidenceError, check_evidence, parse_dates, read_evidence
from clusterlib.io.files import xlsx_bytes
from clusterlib.io.sheets import norm_key, read_sheet

EXAMPLE = config.data_dir() / "evidence" / "example" / "rejestr_dowodow_PL-NE_SYNTETYCZNY.csv"
HEAD = "id,date,source_type,institution,stakeholder,factor,statement,quadrant,indicator\n"
GOOD = (
    HEAD + "W1,2026-03-10,workshop,,uczestnicy (Białystok),skills,Brakuje spawaczy.,weakness,\n"
    "I1,11.03.2026,institution_interview,research,uczelnia,institution_cooperation,"
    "Mamy laboratorium.,strength,innovation.innovators_with_universities\n"
)


def write(path: Path, text: str | bytes, encoding="utf-8") -> Path:
    path.write_bytes(text.encode(encoding) if isinstance(text, str) else text)
    return path


def test_example_register_reads_in_english_form():
    r = read_evidence(EXAMPLE)
    assert len(r) == 26 and r["id"].is_unique
    assert r.attrs == {"synthetic": True, "source": str(EXAMPLE), "format": "CSV",
                       "encoding": "cp1250"}  # fmt: skip
    assert set(r["source_type"]) == {"workshop", "firm_interview", "institution_interview",
                                     "expert"}  # fmt: skip
    assert set(r["quadrant"]) == {"strength", "weakness", "opportunity", "threat"}
    assert set(r["factor"]) <= {"innovation", "supplier_customer_links", "institution_cooperation",
                                "internationalisation", "skills", "other"}  # fmt: skip
    # institutions only on institution interviews, and there always
    interview = r["source_type"] == "institution_interview"
    assert r.loc[interview, "institution"].notna().all()
    assert r.loc[~interview, "institution"].isna().all()
    assert r["date"].dtype == "datetime64[ns]" and r["date"].min() >= pd.Timestamp("2026-02-01")
    w1 = r.set_index("id").loc["W-01"]
    assert w1["statement"] == "Lokalni kooperanci obróbki skrawaniem są solidni i elastyczni."
    assert w1["indicator"] == "innovation.rates.coop_suppliers"
    assert w1["stakeholder"] == "uczestnicy warsztatu (Białystok)"


def test_the_same_register_from_utf8_cp1250_xlsx_and_polish_spellings(tmp_path):
    utf8 = read_evidence(write(tmp_path / "a.csv", GOOD))
    assert utf8.attrs["encoding"] == "utf-8" and not utf8.attrs["synthetic"]
    cp = read_evidence(write(tmp_path / "b.csv", GOOD.replace(",", ";"), "cp1250"))
    assert cp.attrs["encoding"] == "cp1250"
    pd.testing.assert_frame_equal(utf8, cp)
    cells = pd.read_csv(tmp_path / "a.csv", dtype=str, keep_default_na=False)
    xlsx = read_evidence(write(tmp_path / "c.xlsx", xlsx_bytes({"r": cells}, index=False)))
    assert xlsx.attrs["format"] == "XLSX"
    pd.testing.assert_frame_equal(utf8, xlsx)
    polish = (
        "Nr;Data;Źródło;Instytucja;Interesariusz;Czynnik;Wypowiedź;SWOT;Wskaźnik;Uwagi\n"
        "W1;10.03.2026;Warsztaty;;uczestnicy (Białystok);KADRY;Brakuje spawaczy.;słabe strony;;\n"
        "I1;2026-03-11;wywiad z instytucją;uczelnia;uczelnia;współpraca z nauką i IOB;"
        "Mamy laboratorium.;S;innovation.innovators_with_universities;\n"
    )
    pl = read_evidence(write(tmp_path / "d.csv", polish, "cp1250"))
    pd.testing.assert_frame_equal(utf8, pl)
    # without diacritics, in other case, with hyphens
    plain = polish.replace("słabe strony", "SLABE-STRONY").replace("Warsztaty", "warsztat")
    pd.testing.assert_frame_equal(pl, read_evidence(write(tmp_path / "e.csv", plain)))


def test_optional_cells_are_none_and_note_and_synthetic_read(tmp_path):
    r = read_evidence(write(tmp_path / "a.csv", GOOD))
    assert r["institution"].tolist() == [None, "research"]
    assert r["indicator"].tolist() == [None, "innovation.innovators_with_universities"]
    assert r["note"].tolist() == [None, None]
    assert list(r.columns) == ["id", "date", "source_type", "institution", "stakeholder",
                               "factor", "statement", "quadrant", "indicator", "note"]  # fmt: skip
    assert r["date"].tolist() == [pd.Timestamp("2026-03-10"), pd.Timestamp("2026-03-11")]
    text = GOOD.replace("indicator\n", "indicator,synthetic,note\n")
    text = text.replace("weakness,\n", "weakness,,nie,uwaga\n").replace("sities\n", "sities,1,\n")
    r = read_evidence(write(tmp_path / "b.csv", text))
    assert r.attrs["synthetic"] and r["note"].tolist() == ["uwaga", None]
    assert not read_evidence(write(tmp_path / "c.csv", text.replace(",1,\n", ",no,\n")))\
        .attrs["synthetic"]  # fmt: skip


# Every problem a register can have, one per row; the problems expected, in order.
BAD_ROWS = [
    ("W1,2026-03-10,workshop,,,skills,A.,weakness,", []),
    (",2026-03-10,workshop,,,skills,B.,weakness,", [("id", "missing id")]),
    ("W1,2026-03-10,workshop,,,skills,C.,weakness,", []),  # duplicate of row 1: listed below
    ("W4,2026-13-01,workshop,,,skills,D.,weakness,", [("date", "not a date")]),
    ("W5,31.02.2026,workshop,,,skills,E.,weakness,", [("date", "not a date")]),
    ("W6,marzec 2026,workshop,,,skills,F.,weakness,", [("date", "not a date")]),
    ("W7,2026-03-10,forum,,,skills,G.,weakness,", [("source_type", "unknown source type")]),
    ("W8,2026-03-10,,,,skills,H.,weakness,", [("source_type", "missing source type")]),
    ("W9,2026-03-10,workshop,,,ceny,I.,weakness,", [("factor", "unknown factor")]),
    ("W10,2026-03-10,workshop,,,,J.,weakness,", [("factor", "missing factor")]),
    ("W11,2026-03-10,workshop,,,skills,K.,good,", [("quadrant", "unknown quadrant")]),
    ("W12,2026-03-10,workshop,,,skills,L.,,", [("quadrant", "missing quadrant")]),
    ("W13,2026-03-10,institution_interview,,,skills,M.,weakness,",
     [("institution", "missing institution")]),
    ("W14,2026-03-10,institution_interview,bank,,skills,N.,weakness,",
     [("institution", "unknown institution")]),
    ("W15,2026-03-10,firm_interview,research,,skills,O.,weakness,",
     [("institution", "an institution kind on a statement that is not an institution interview")]),
    ("W16,2026-03-10,workshop,,,skills,,weakness,", [("statement", "missing statement")]),
    ("W17,2026-03-10,workshop,,,skills,Q.,weakness,LQ w regionie",
     [("indicator", "not an indicator id")]),
]  # fmt: skip


def test_check_lists_every_problem_with_row_and_column(tmp_path):
    text = HEAD + "".join(row + "\n" for row, _ in BAD_ROWS)
    problems = check_evidence(write(tmp_path / "bad.csv", text))
    expected = [(0 + 1, "id", "duplicate id")]
    for i, (_, issues) in enumerate(BAD_ROWS, start=1):
        expected += [(i, column, what) for column, what in issues]
    expected.append((3, "id", "duplicate id"))
    got = sorted(zip(problems["row"], problems["column"], problems["problem"], strict=True))
    assert got == sorted(expected)
    assert list(problems.columns) == ["row", "column", "value", "problem", "fix"]
    assert problems["row"].is_monotonic_increasing
    by = {(r.row, r.column): r for r in problems.itertuples()}
    # the fixes name what to do, the allowed values included
    assert by[(7, "source_type")].value == "forum"
    assert by[(7, "source_type")].fix.startswith(
        "use one of workshop, firm_interview, institution_interview, expert (or their Polish names"
    )
    assert by[(9, "factor")].fix == (
        "use one of innovation, supplier_customer_links, institution_cooperation, "
        "internationalisation, skills, other (or their Polish names, see data/evidence/FORMAT.md)"
    )
    assert by[(10, "factor")].fix.startswith("give one of innovation, ")
    assert by[(11, "quadrant")].fix.startswith("use one of strength, weakness, opportunity, threat")
    assert by[(11, "quadrant")].value == "good"
    assert by[(14, "institution")].fix.startswith(
        "use one of business_support, research, education"
    )
    assert by[(13, "institution")].fix.startswith(
        "an institution interview needs the kind: business_"
    )
    assert by[(4, "date")].fix == "write the date as YYYY-MM-DD (or DD.MM.YYYY)"
    assert by[(4, "date")].value == "2026-13-01"
    assert by[(17, "indicator")].fix.startswith("write the metric's id without blanks, e.g. ")
    assert by[(2, "id")].fix == "give every statement an id"
    assert by[(1, "id")].fix == "give each statement its own id"
    assert by[(16, "statement")].fix == "write what was said (or remove the row)"
    assert by[(15, "institution")].fix == "clear the cell or fix the source type"


def test_read_refuses_with_the_whole_list(tmp_path):
    text = HEAD + "".join(row + "\n" for row, _ in BAD_ROWS)
    path = write(tmp_path / "bad.csv", text)
    with pytest.raises(EvidenceError) as err:
        read_evidence(path)
    message = str(err.value)
    assert message.startswith(f"{path}: 17 problem(s); nothing was read. Run `clusterlib evidence "
                              f"check {path}` for the full list.\n")  # fmt: skip
    assert (
        "  row 9, column 'factor': unknown factor (found 'ceny'); use one of innovation, "
        in message
    )
    assert "  row 2, column 'id': missing id; give every statement an id." in message
    pd.testing.assert_frame_equal(err.value.problems, check_evidence(path))
    # a long list is cut after 25
    many = HEAD + "".join(f"X{i},2026-03-10,workshop,,,ceny,A.,weakness,\n" for i in range(30))
    with pytest.raises(
        EvidenceError, match=r"(?s)30 problem\(s\).*\n  row 25, .*\n  \.\.\. and 5 more$"
    ):
        read_evidence(write(tmp_path / "many.csv", many))


HEADER_BAD = [
    ("missing-required", "id,date,source_type,factor,statement\nW1,2026-03-10,workshop,skills,A.\n",
     [(0, "quadrant", "required column missing",
       "add a column named 'quadrant', 'SWOT', 'ćwiartka SWOT', 'kategoria SWOT' to {path}")]),
    ("unknown-column", GOOD.replace("indicator", "indicatr"),
     [(0, "indicatr", "unknown column", "rename it to one of id, date, source_type, institution, "
       "stakeholder, factor, statement, quadrant, indicator, note, synthetic (see the format's "
       "documentation), or remove it")]),
    ("twice", GOOD.replace("stakeholder", "nr"),
     [(0, "nr", "a second 'id' column (also 'id')", "keep one of them")]),
    ("no-institution-column",
     "id,date,source_type,factor,statement,quadrant\nI1,2026-03-10,wywiad z instytucją,skills,A.,W\n",
     [(0, "institution", "required column missing (there are institution interviews)",
       "add an 'institution' column: business_support, research, education (or their Polish "
       "names, see data/evidence/FORMAT.md)")]),
    ("synthetic-not-yes-no", HEAD.replace("\n", ",synthetic\n")
     + "W1,2026-03-10,workshop,,,skills,A.,weakness,,maybe\n",
     [(1, "synthetic", "not yes or no", "write tak/nie or yes/no (empty: no)")]),
]  # fmt: skip


@pytest.mark.parametrize("text,expected", [c[1:] for c in HEADER_BAD],
                         ids=[c[0] for c in HEADER_BAD])  # fmt: skip
def test_header_problems(tmp_path, text, expected):
    path = write(tmp_path / "r.csv", text)
    got = check_evidence(path)
    want = [(r, c, p, f.format(path=path)) for r, c, p, f in expected]
    assert list(got[["row", "column", "problem", "fix"]].itertuples(index=False, name=None)) == want


def test_files_that_are_not_registers(tmp_path):
    with pytest.raises(MissingFileError, match=r"none\.csv: no such file \(expected an evidence "
                       r"register\)\. Check the path\."):  # fmt: skip
        read_evidence(tmp_path / "none.csv")
    with pytest.raises(MissingFileError, match=r"r\.csv: a folder \(expected an evidence register"):
        read_evidence((tmp_path / "r.csv").mkdir() or tmp_path / "r.csv")
    with pytest.raises(MissingFileError, match=r"none\.xlsx: no such file"):
        read_evidence(tmp_path / "none.xlsx")
    with pytest.raises(DataFormatError, match=r"unknown evidence register format '\.yaml'; "
                       r"expected \.csv \(UTF-8 or cp1250\) or \.xlsx"):  # fmt: skip
        read_evidence(write(tmp_path / "r.yaml", "id: 1\n"))
    with pytest.raises(EncodingError, match=r"line 2: not valid utf-8 text.*encoding='cp1250'"):
        read_evidence(write(tmp_path / "s.csv", GOOD, "cp1250"), encoding="utf-8")
    with pytest.raises(DataFormatError, match=r"cannot read sheet 'nope' of the evidence register"):
        read_evidence(write(tmp_path / "r.xlsx", xlsx_bytes({"a": pd.DataFrame({"id": [1]})})),
                      sheet="nope")  # fmt: skip
    empty = xlsx_bytes({"a": pd.DataFrame({"id": []})}, index=False)
    with pytest.raises(DataFormatError, match=r"the evidence register holds no rows"):
        read_evidence(write(tmp_path / "e.xlsx", empty))


def test_xlsx_cells_dates_and_numbers(tmp_path):
    frame = pd.DataFrame({"a": [pd.Timestamp("2026-03-10"), 4.0, 4.5, None, " x "]})
    cells = read_sheet(write(tmp_path / "a.xlsx", xlsx_bytes({"s": frame}, index=False)), what="t")
    assert cells["a"].tolist() == ["2026-03-10", "4", "4.5", "", "x"]


def test_spellings_and_dates():
    assert norm_key(" Współpraca  z-nauką_i IOB ") == "wspolpraca_z_nauka_i_iob"
    assert norm_key("Łódź") == "lodz"
    got = parse_dates(pd.Series(["2026-03-10", "1.2.2026", "2026/03/10", "10-03-2026", ""]))
    assert got.iloc[:2].tolist() == [pd.Timestamp("2026-03-10"), pd.Timestamp("2026-02-01")]
    assert got.iloc[2:].isna().all()


def test_cli_check(tmp_path, capsys):
    assert main(["evidence", "check", str(EXAMPLE)]) == 0
    assert "no problems; the register can be read." in capsys.readouterr().out
    text = HEAD + "".join(row + "\n" for row, _ in BAD_ROWS)
    path = write(tmp_path / "bad.csv", text)
    assert main(["evidence", "check", str(path)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"{path}: 17 problem(s):"
    assert len(out) == 18
    assert "  row 7, column 'source_type': unknown source type (found 'forum'); use one of " \
           "workshop, firm_interview, institution_interview, expert" in "\n".join(out)  # fmt: skip
    assert main(["evidence", "check", str(path), "--encoding", "cp1250"]) == 1
    capsys.readouterr()
    assert main(["evidence", "check"]) == 2
    assert "evidence check: give the file" in capsys.readouterr().err


def test_cli_example_writes_the_committed_bytes(tmp_path, capsys):
    assert main(["evidence", "example", "--out", str(tmp_path)]) == 0
    assert capsys.readouterr().out.startswith("SYNTHETIC example (invented statements")
    for name in ("rejestr_dowodow_PL-NE_SYNTETYCZNY.csv", "oceny_ekspertow_PL-NE_SYNTETYCZNE.csv"):
        assert (tmp_path / name).read_bytes() == (EXAMPLE.parent / name).read_bytes(), name
    assert main(["evidence", "example", "--out", str(tmp_path / "s1"), "--seed", "1"]) == 0
    assert (tmp_path / "s1" / EXAMPLE.name).read_bytes() != EXAMPLE.read_bytes()
    assert main(["evidence", "example", "--seed", "-1"]) == 2
    assert "--seed: expected a whole number >= 0, got -1" in capsys.readouterr().err


def test_problem_message_limits():
    from clusterlib.io.sheets import cell_text, problem_table, problems_message

    def table(n):
        return problem_table([{"row": i, "column": "c", "value": "", "problem": "p", "fix": "f"}
                              for i in range(1, n + 1)])  # fmt: skip

    short = problems_message(table(25), source="s", command="cmd")
    assert short.endswith("  row 25, column 'c': p; f.") and "more" not in short
    long = problems_message(table(27), source="s", command="cmd")
    assert "row 26" not in long and long.endswith("\n  ... and 2 more")
    assert problems_message(table(3), source="s", command="cmd", limit=2).endswith("and 1 more")
    assert cell_text(4.0) == "4" and cell_text(4.5) == "4.5" and cell_text(float("nan")) == ""
    assert cell_text(None) == "" and cell_text(pd.Timestamp("2026-03-10 15:00")) == "2026-03-10"


def test_sheet_helpers_keep_the_index_and_order(tmp_path):
    from clusterlib.io.sheets import blank_to_none, lookup, match_columns, problem_table

    assert lookup(pd.Series(["S", "x"], index=[5, 7]), {"strength": ("s",)}).index.tolist() == [
        5,
        7,
    ]
    assert blank_to_none(pd.Series(["", "a"], index=[3, 4])).to_dict() == {3: None, 4: "a"}
    _, rows = match_columns(["id", "nr", "oops"], {"id": ("nr",), "date": ()}, required=("date",),
                            source="f")  # fmt: skip
    header = problem_table(rows)
    assert header["value"].tolist() == ["", "", ""]
    assert header["problem"].tolist() == ["a second 'id' column (also 'id')", "unknown column",
                                          "required column missing"]  # fmt: skip
    # problems keep their order within a row (a stable sort), over many rows
    many = [{"row": i % 3, "column": f"c{i:02d}", "value": "", "problem": "p", "fix": "f"}
            for i in range(60)]  # fmt: skip
    got = problem_table(many)
    for r in range(3):
        cols = got.loc[got["row"] == r, "column"].tolist()
        assert cols == sorted(cols)


def test_read_sheet_options_and_names(tmp_path):
    cells = read_sheet(write(tmp_path / "a.csv", "a;b,c\n1;2,3\n"), what="table", sep=";")
    assert cells.columns.tolist() == ["a", "b,c"]
    with pytest.raises(MissingFileError, match=r"no such file \(expected a table\)"):
        read_sheet(tmp_path / "none.csv", what="table")
    with pytest.raises(DataFormatError, match=r"e\.csv: the evidence register is empty"):
        read_evidence(write(tmp_path / "e.csv", ""))
    frame = pd.DataFrame({"id": ["W1"], "date": ["2026-03-10"], "source_type": ["workshop"],
                          "factor": ["skills"], "statement": ["A."], "quadrant": ["W"]})  # fmt: skip
    got = read_evidence(write(tmp_path / "r.xlsx", xlsx_bytes({"r": frame}, index=False)))
    assert got.attrs["encoding"] == "" and got.attrs["format"] == "XLSX"


def test_write_evidence_example_defaults(tmp_path):
    from clusterlib.stakeholders.example import (
        example_register,
        example_scores,
        write_evidence_example,
    )

    paths = write_evidence_example(tmp_path)
    assert sorted(paths) == ["register", "scores"]
    assert paths["register"].read_bytes() == EXAMPLE.read_bytes()
    assert paths["scores"].read_bytes() == (EXAMPLE.parent / paths["scores"].name).read_bytes()
    assert example_register().equals(example_register(seed=0))
    assert example_scores().index.equals(pd.RangeIndex(len(example_scores())))
