"""Expert scoring files (every problem listed) and what is computed from them: summary, priority."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from clusterlib import config
from clusterlib.cli import main
from clusterlib.errors import EncodingError, OptionError
from clusterlib.io.evidence import EvidenceError
from clusterlib.io.expert_scores import check_expert_scores, read_expert_scores
from clusterlib.stakeholders.scoring import priority_order, score_summary

EXAMPLE = config.data_dir() / "evidence" / "example" / "oceny_ekspertow_PL-NE_SYNTETYCZNE.csv"
HEAD = "round,expert,action,criterion,score\n"


def write(path: Path, text: str, encoding="utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def test_example_scores():
    s = read_expert_scores(EXAMPLE)
    assert s.attrs["synthetic"] and s.attrs["encoding"] == "utf-8"
    assert list(s.columns) == ["round", "expert", "action", "criterion", "score", "note"]
    assert s["round"].dtype == "int64" and s["score"].dtype == "int64"
    assert len(s) == (8 + 7) * 8 * 3 and s["score"].between(1, 5).all()
    assert set(s["criterion"]) == {"importance", "feasibility", "urgency"}


def test_polish_cp1250_and_default_round(tmp_path):
    text = "Ekspert;Działanie;Kryterium;Ocena;Uwagi\nE1;A;Ważność;5;\nE1;A;PILNOSC;4;po dyskusji\n"
    s = read_expert_scores(write(tmp_path / "s.csv", text, "cp1250"))
    assert s.attrs["encoding"] == "cp1250" and not s.attrs["synthetic"]
    assert s[["round", "expert", "action", "criterion", "score"]].values.tolist() == [
        [1, "E1", "A", "importance", 5], [1, "E1", "A", "urgency", 4]]  # fmt: skip
    assert s["note"].tolist() == [None, "po dyskusji"]


BAD_ROWS = [
    ("1,E1,A,importance,5", []),
    ("1,E1,A,importance,4", [("score", "a second score for the same round, expert, action and criterion")]),
    ("1,E1,B,importance,6", [("score", "outside the scale 1-5")]),
    ("1,E1,C,importance,0", [("score", "outside the scale 1-5")]),
    ("1,E1,D,importance,\"4,5\"", [("score", "not a whole number")]),
    ("1,E1,E,importance,dużo", [("score", "not a number")]),
    ("1,E1,F,importance,", [("score", "missing score")]),
    ("1,E1,G,importance,inf", [("score", "not a number")]),
    ("1,E1,H,cost,3", [("criterion", "unknown criterion")]),
    ("1,,I,importance,3", [("expert", "missing expert")]),
    ("1,E1,,importance,3", [("action", "missing action")]),
    ("0,E1,J,importance,3", [("round", "not a round number")]),
    ("1.5,E1,K,importance,3", [("round", "not a round number")]),
    ("pierwsza,E1,L,importance,3", [("round", "not a round number")]),
    ("2,E1,A,importance,4", []),  # another round: not a duplicate
    ("1,E2,A,importance,4", []),  # another expert: not a duplicate
]  # fmt: skip


def test_check_lists_every_problem(tmp_path):
    path = write(tmp_path / "s.csv", HEAD + "".join(r + "\n" for r, _ in BAD_ROWS))
    problems = check_expert_scores(path)
    expected = [(1, "score", BAD_ROWS[1][1][0][1])]
    for i, (_, issues) in enumerate(BAD_ROWS, start=1):
        expected += [(i, c, p) for c, p in issues]
    got = list(problems[["row", "column", "problem"]].itertuples(index=False, name=None))
    assert sorted(got) == sorted(expected)
    by = {(r.row, r.column): r for r in problems.itertuples()}
    assert by[(3, "score")].value == "6" and by[(3, "score")].fix == "give a whole number 1-5"
    assert by[(5, "score")].value == "4,5"
    assert by[(7, "score")].fix == (
        "give a score, or delete the row if the expert did not score this action"
    )
    assert by[(9, "criterion")].fix == (
        "use one of importance, feasibility, urgency (or ważność, wykonalność, pilność)"
    )
    assert by[(10, "expert")].fix == "name the expert of every score"
    assert by[(11, "action")].fix == "name the action of every score"
    assert by[(12, "round")].fix == "number the Delphi rounds 1, 2, ..."
    assert by[(2, "score")].fix == "keep one of the rows"
    with pytest.raises(EvidenceError) as err:
        read_expert_scores(path)
    assert str(err.value).startswith(
        f"{path}: {len(expected)} problem(s); nothing was read. Run `clusterlib evidence "
        f"check-scores {path}` for the full list.\n  row 1, column 'score': a second score"
    )
    pd.testing.assert_frame_equal(err.value.problems, problems)


def test_header_and_synthetic_problems(tmp_path):
    got = check_expert_scores(write(tmp_path / "a.csv", "expert,action,score,weight\nE1,A,3,1\n"))
    assert got[["row", "column", "problem"]].values.tolist() == [
        [0, "weight", "unknown column"], [0, "criterion", "required column missing"]]  # fmt: skip
    bad = HEAD.replace("\n", ",synthetic\n") + "1,E1,A,importance,3,może\n"
    got = check_expert_scores(write(tmp_path / "b.csv", bad))
    assert got[["row", "column", "problem", "fix"]].values.tolist() == [
        [1, "synthetic", "not yes or no", "write tak/nie or yes/no (empty: no)"]]  # fmt: skip


def test_cli_check_scores(tmp_path, capsys):
    assert main(["evidence", "check-scores", str(EXAMPLE)]) == 0
    assert "no problems; the scoring file can be read." in capsys.readouterr().out
    path = write(tmp_path / "s.csv", HEAD + "1,E1,A,importance,7\n")
    assert main(["evidence", "check-scores", str(path)]) == 1
    assert capsys.readouterr().out.splitlines() == [
        f"{path}: 1 problem(s):",
        "  row 1, column 'score': outside the scale 1-5 (found '7'); give a whole number 1-5.",
    ]
    assert main(["evidence", "check-scores"]) == 2
    assert "evidence check-scores: give the file" in capsys.readouterr().err


def scores_frame(rows):
    return pd.DataFrame(rows, columns=["round", "expert", "action", "criterion", "score"])


def test_score_summary_by_hand():
    # action A, importance, round 1: scores 5 4 2 4 -> sorted 2 4 4 5
    #   median 4; type-7 quartiles: h = 3p + 1 -> Q1 at h = 1.75: 2 + 0.75 * 2 = 3.5,
    #   Q3 at h = 3.25: 4 + 0.25 * 1 = 4.25; IQR 0.75; 4 or 5: 3 of 4
    # action A, urgency, round 1: 1 3 -> median 2, Q1 1.5, Q3 2.5; none >= 4
    rows = [(1, e, "A", "importance", s) for e, s in zip("abcd", [5, 4, 2, 4], strict=True)]
    rows += [(1, "a", "A", "urgency", 1), (1, "b", "A", "urgency", 3), (2, "a", "A", "urgency", 4)]
    got = score_summary(scores_frame(rows))
    assert got.columns.tolist() == ["round", "action", "criterion", "experts", "median", "q1",
                                    "q3", "iqr", "share_high"]  # fmt: skip
    assert got.values.tolist() == [
        [1, "A", "importance", 4, 4.0, 3.5, 4.25, 0.75, 0.75],
        [1, "A", "urgency", 2, 2.0, 1.5, 2.5, 1.0, 0.0],
        [2, "A", "urgency", 1, 4.0, 4.0, 4.0, 0.0, 1.0],
    ]
    assert score_summary(scores_frame(rows), high=3)["share_high"].tolist() == [0.75, 0.5, 1.0]
    assert score_summary(scores_frame(rows), high=5)["share_high"].tolist() == [0.25, 0.0, 0.0]
    # the quartiles agree with numpy's default (linear, type 7)
    np.testing.assert_allclose(np.percentile([5, 4, 2, 4], [25, 75]), [3.5, 4.25])


def test_priority_order_rule():
    imp, urg, fea = "importance", "urgency", "feasibility"
    rows = []

    def add(action, criterion, values, rnd=1):
        rows.extend((rnd, f"E{k}", action, criterion, v) for k, v in enumerate(values))

    # medians of importance: A 5, B 4, C 4, D 4, E 4, F 3
    add("A", imp, [5, 5, 4])
    add("A", urg, [1, 1, 1])  # importance first
    add("B", imp, [4, 4, 4])
    add("B", urg, [5, 5, 5])  # then urgency
    add("C", imp, [4, 4, 5])
    add("C", urg, [3, 3, 3])
    add("C", fea, [5, 5, 5])
    add("D", imp, [4, 4, 3])
    add("D", urg, [3, 3, 3])
    add("D", fea, [5, 5, 5])  # share 4-5 lower
    add("E", imp, [4, 4, 4])
    add("E", urg, [3, 3, 3])
    add("E", fea, [5, 5, 5])  # = C on share,
    add("F", imp, [3, 3, 3])
    add("F", urg, [5, 5, 5])  # but C's IQR of importance is 0.5
    add("G", imp, [4, 4, 3])
    add("G", urg, [3, 3, 3])
    add("G", fea, [5, 5, 5])  # tie with D
    add("A", imp, [1, 1, 1], rnd=0)  # an earlier round, not used by default
    got = priority_order(scores_frame(rows))  # fmt: skip
    assert got["action"].tolist() == ["A", "B", "E", "C", "D", "G", "F"]
    assert got["rank"].tolist() == [1, 2, 3, 4, 5, 5, 7]
    assert got["scored"].all() and got["experts"].tolist() == [3] * 7
    row = got.set_index("action").loc["C"]
    assert (row["median_importance"], row["iqr_importance"], row["share_high_importance"]) == (
        4.0, 0.5, 1.0)  # fmt: skip
    assert np.isnan(got.set_index("action").loc["A", "median_feasibility"])
    assert got.columns[:4].tolist() == ["rank", "action", "scored", "experts"]
    # feasibility first: C, D, E, G (5) before A, B, F (no feasibility score: last, then by
    # importance); C, D, E, G equal on feasibility's median, share and IQR and on importance's
    # median: one rank, listed by id
    f = priority_order(scores_frame(rows), criteria=[fea, imp])
    assert f["action"].tolist() == ["C", "D", "E", "G", "A", "B", "F"]
    assert f["rank"].tolist() == [1, 1, 1, 1, 5, 6, 7]
    assert "median_urgency" not in f.columns
    # round 0 only has A
    assert priority_order(scores_frame(rows), round=0)["action"].tolist() == ["A"]


def test_priority_order_lists_unscored_proposals():
    rows = [(1, "E1", "A", "importance", 4), (1, "E2", "A", "importance", 2)]
    got = priority_order(scores_frame(rows), proposed=["B", "A", "C", "B"])
    assert got["action"].tolist() == ["A", "B", "C"]
    assert got["scored"].tolist() == [True, False, False]
    assert got["rank"].isna().tolist() == [False, True, True]
    assert got["experts"].tolist() == [2, 0, 0]
    assert (
        got["median_importance"].iloc[0] == 3.0 and got["median_importance"].iloc[1:].isna().all()
    )


def test_scoring_options_refused():
    s = scores_frame([(1, "E1", "A", "importance", 4), (1, "E2", "A", "importance", 2)])
    with pytest.raises(OptionError, match=r"criteria: expected some of \['importance', "
                       r"'feasibility', 'urgency'\], found \['cost'\]"):  # fmt: skip
        priority_order(s, criteria=["cost"])
    with pytest.raises(OptionError, match=r"criteria: expected some of .*found \[\]"):
        priority_order(s, criteria=[])
    with pytest.raises(OptionError, match=r"round 3 is not in the scores; rounds: \[1\]"):
        priority_order(s, round=3)
    for high in (0, 6, 4.5, True, "4"):
        with pytest.raises(OptionError, match=r"high: expected a whole number 1-5"):
            score_summary(s, high=high)


def test_scores_given_as_a_frame_and_read_options(tmp_path):
    cells = pd.DataFrame({"expert": ["E1", "E2"], "action": ["A", "A"],
                          "criterion": ["importance", "importance"], "score": [4.0, 5]})  # fmt: skip
    s = read_expert_scores(cells)
    assert s["score"].tolist() == [4, 5]
    assert s.attrs == {"synthetic": False, "source": "scores", "format": "DataFrame",
                       "encoding": ""}  # fmt: skip
    bad = check_expert_scores(cells.assign(score=[4.5, "x"]))
    assert bad[["row", "problem", "fix"]].values.tolist() == [
        [1, "not a whole number", "give a whole number 1-5"],
        [2, "not a number", "give a whole number 1-5"],
    ]
    path = write(tmp_path / "s.csv", HEAD + "1,E1,A,ważność,4\n", "cp1250")
    assert read_expert_scores(path).attrs["encoding"] == "cp1250"
    with pytest.raises(EncodingError, match=r"line 2: not valid utf-8"):
        check_expert_scores(path, encoding="utf-8")
    got = check_expert_scores(write(tmp_path / "m.csv", "expert,action,score\nE1,A,3\n"))
    assert got["fix"].tolist() == [
        f"add a column named 'criterion', 'kryterium' to {tmp_path / 'm.csv'}"
    ]


def test_rows_without_expert_or_action_are_not_duplicates(tmp_path):
    rows = "1,,A,importance,3\n1,,A,importance,4\n1,E1,,urgency,3\n1,E1,,urgency,3\n"
    got = check_expert_scores(write(tmp_path / "s.csv", HEAD + rows))
    assert got["problem"].tolist() == ["missing expert"] * 2 + ["missing action"] * 2
    ok = HEAD.replace("\n", ",synthetic\n") + "1,E1,A,importance,3,\n1,E2,A,importance,3,tak\n"
    s = read_expert_scores(write(tmp_path / "t.csv", ok))
    assert (
        s.attrs["synthetic"] and s.attrs["format"] == "CSV" and s.attrs["source"].endswith("t.csv")
    )


def test_example_scores_stay_on_the_scale_for_any_seed():
    from clusterlib.stakeholders.example import example_scores

    for seed in range(25):
        s = read_expert_scores(example_scores(seed=seed))
        assert s["score"].between(1, 5).all() and s["round"].max() == 2
    low = [read_expert_scores(example_scores(seed=k))["score"].min() for k in range(25)]
    assert min(low) == 1  # the clip at 1 is used
    assert example_scores().equals(example_scores(seed=0))


def test_priority_details():
    rows = [(1, "E1", "B", "importance", 4), (1, "E1", "A", "importance", 4),
            (1, "E2", "B", "importance", 4), (1, "E2", "A", "importance", 4),
            (1, "E1", "C", "urgency", 5), (1, "E2", "D", "urgency", 5)]  # fmt: skip
    got = priority_order(scores_frame(rows), proposed=["Z"])
    # A and B equal: one rank, by id; C and D have no importance score (NaN, last) and are
    # equal on it, so they share a rank too
    assert got["action"].tolist() == ["A", "B", "C", "D", "Z"]
    assert got["rank"].tolist()[:4] == [1, 1, 3, 3] and got["rank"].dtype == "Int64"
    assert got.columns.tolist() == [
        "rank", "action", "scored", "experts", "median_importance", "iqr_importance",
        "share_high_importance", "median_urgency", "iqr_urgency", "share_high_urgency"]  # fmt: skip
    assert got.index.tolist() == [0, 1, 2, 3, 4]
    assert priority_order(scores_frame(rows))["rank"].dtype == "Int64"


def test_summary_sorted_and_high_one():
    rows = [(2, "E1", "B", "urgency", 1), (1, "E1", "B", "importance", 2),
            (1, "E1", "A", "urgency", 3)]  # fmt: skip
    got = score_summary(scores_frame(rows), high=1)
    assert got[["round", "action", "criterion"]].values.tolist() == [
        [1, "A", "urgency"], [1, "B", "importance"], [2, "B", "urgency"]]  # fmt: skip
    assert got["share_high"].tolist() == [1.0, 1.0, 1.0]
