"""Triangulation on a small hand-made register with a known conflict, and evidence-only lines."""

import numpy as np
import pandas as pd
import pytest

from clusterlib.errors import DataFormatError, DataValueError
from clusterlib.io.evidence import read_evidence
from clusterlib.stakeholders.triangulation import evidence_quotes, triangulate

SUP = "innovation.rates.coop_suppliers"
UNI = "innovation.innovators_with_universities"
# The data: supplier links are a weakness (22% cooperate), the region is specialised (LQ 1.4),
# a rule-less line on skills comes from the workshops alone.
LINES = pd.DataFrame({
    "line": ["supplier-links", "science-gap", "specialised", "skills-gap"],
    "quadrant": ["weakness", "słabe strony", "S", "weakness"],
    "metric": [SUP, UNI, "specialisation.lq", None],
    "value": [0.22, 0.18, 1.4, None],
    "factor": ["supplier_customer_links", "institution_cooperation", None, "skills"],
    "finding": ["Only 22% innovate with suppliers", "Few work with universities",
                "Concentrated", "Skills are short"],
})  # fmt: skip
# id, source, factor, quadrant, indicator: who says what about which line
REGISTER = pd.DataFrame([
    # supplier-links (weakness; indicator SUP; factor supplier links)
    ("W1", "workshop", "supplier_customer_links", "strength", SUP),   # contradicts (indicator)
    ("W2", "workshop", "supplier_customer_links", "strength", None),  # contradicts (factor)
    ("W3", "workshop", "supplier_customer_links", "weakness", None),  # supports
    ("F1", "firm_interview", "supplier_customer_links", "weakness", SUP),  # supports
    ("F2", "firm_interview", "supplier_customer_links", "threat", None),   # related
    # an indicator names the line: the factor does not matter
    ("E1", "expert", "other", "weakness", SUP),                            # supports
    # science-gap (weakness; UNI): supported by an institution, contradicted by one expert
    ("I1", "institution_interview", "institution_cooperation", "weakness", UNI),
    ("E2", "expert", "institution_cooperation", "strength", None),         # contradicts: conflict
    # specialised (strength; LQ; no factor): only statements naming the LQ
    ("W4", "workshop", "other", "strength", "specialisation.lq"),          # supports
    ("W5", "workshop", "other", "weakness", None),    # no indicator, factor other: no line of it
    # skills-gap: an evidence-only line given by the user (factor skills, no metric)
    ("W6", "workshop", "skills", "weakness", None),                        # supports
    ("F3", "firm_interview", "skills", "strength", None),                  # contradicts
    # an indicator with no line: goes to an evidence-only line of its factor and quadrant
    ("F4", "firm_interview", "internationalisation", "opportunity", "innovation.rates.exporter"),
    ("E3", "expert", "internationalisation", "threat", None),
    ("E4", "expert", "internationalisation", "strength", None),
], columns=["id", "source_type", "factor", "quadrant", "indicator"])  # fmt: skip
REGISTER["statement"] = "Wypowiedź " + REGISTER["id"]
REGISTER["date"] = pd.Timestamp("2026-03-10")


def test_counts_conflicts_and_evidence_only_lines():
    t = triangulate(LINES, REGISTER).set_index("line")
    assert t.index.tolist() == [
        "supplier-links", "science-gap", "specialised", "skills-gap",
        # added, factor then quadrant order; other:weakness holds W5
        "evidence-only:internationalisation:strength",
        "evidence-only:internationalisation:opportunity",
        "evidence-only:internationalisation:threat",
        "evidence-only:other:weakness",
    ]  # fmt: skip
    counts = t[["supporting", "contradicting", "related"]]
    assert counts.loc["supplier-links"].tolist() == [3, 2, 1]
    assert counts.loc["science-gap"].tolist() == [1, 1, 0]
    assert counts.loc["specialised"].tolist() == [1, 0, 0]
    assert counts.loc["skills-gap"].tolist() == [1, 1, 0]
    # the added lines: rule 2 within the factor (opportunity <-> threat; strength is other pair)
    assert counts.loc["evidence-only:internationalisation:opportunity"].tolist() == [1, 1, 1]
    assert counts.loc["evidence-only:internationalisation:threat"].tolist() == [1, 1, 1]
    assert counts.loc["evidence-only:internationalisation:strength"].tolist() == [1, 0, 2]
    assert counts.loc["evidence-only:other:weakness"].tolist() == [1, 0, 0]
    # by source type
    s = t.loc["supplier-links"]
    assert (s["supporting_workshop"], s["contradicting_workshop"]) == (1, 2)
    assert (s["supporting_firm_interview"], s["contradicting_firm_interview"]) == (1, 0)
    assert (s["supporting_expert"], s["contradicting_expert"]) == (1, 0)
    assert (s["supporting_institution_interview"], s["contradicting_institution_interview"]) == (
        0,
        0,
    )
    # the conflicts: workshops outvote their support on supplier links; one expert against
    # none on the science gap; an equal split (skills-gap) is evidence-only, never a conflict
    assert t["conflict"].tolist() == [True, True, False, False, False, False, False, False]
    assert t["conflict_sources"].tolist()[:4] == ["workshop", "expert", "", ""]
    assert t["evidence_only"].tolist() == [False, False, False, True, True, True, True, True]
    # the lines' own columns are kept; quadrants in English
    assert t.loc["supplier-links", "finding"] == "Only 22% innovate with suppliers"
    assert t.loc["specialised", "quadrant"] == "strength"
    assert t.loc["science-gap", "quadrant"] == "weakness"
    assert t.loc["specialised", "value"] == 1.4
    assert np.isnan(t.loc["skills-gap", "value"])
    assert t.loc["evidence-only:other:weakness", "factor"] == "other"


def test_conflict_needs_more_against_than_for_in_one_source():
    lines = LINES.iloc[:1]
    one_each = REGISTER[REGISTER["id"].isin(["W1", "W3"])]  # workshop: 1 for, 1 against
    assert not triangulate(lines, one_each)["conflict"].iloc[0]
    with_w2 = REGISTER[REGISTER["id"].isin(["W1", "W2", "W3"])]
    assert triangulate(lines, with_w2)["conflict_sources"].iloc[0] == "workshop"
    # two source types against
    two = pd.concat([with_w2, REGISTER[REGISTER["id"] == "E2"].assign(
        factor="supplier_customer_links")])  # fmt: skip
    got = triangulate(lines, two)
    assert got["conflict_sources"].iloc[0] == "workshop, expert"
    # a related statement never makes a conflict
    assert not triangulate(lines, REGISTER[REGISTER["id"] == "F2"])["conflict"].iloc[0]


def test_empty_register_and_no_evidence():
    t = triangulate(LINES, REGISTER.iloc[:0])
    assert len(t) == 4 and (t["supporting"] == 0).all() and not t["conflict"].any()
    assert (t[[c for c in t.columns if c.startswith(("supporting_", "contradicting_"))]] == 0)\
        .all().all()  # fmt: skip


def test_quotes_follow_the_same_rules():
    q = evidence_quotes(LINES, REGISTER)
    sup = q[q["line"] == "supplier-links"]
    assert sup["relation"].tolist() == ["supports"] * 3 + ["contradicts"] * 2 + ["related"]
    assert sup["id"].tolist() == ["W3", "F1", "E1", "W1", "W2", "F2"]
    assert q["line"].drop_duplicates().tolist() == triangulate(LINES, REGISTER)["line"].tolist()
    assert list(q.columns) == ["line", "relation", "id", "source_type", "factor", "quadrant",
                               "indicator", "statement", "date"]  # fmt: skip
    against = evidence_quotes(LINES, REGISTER, relation="contradicts")
    assert set(against["relation"]) == {"contradicts"}
    assert against[against["line"] == "science-gap"]["statement"].tolist() == ["Wypowiedź E2"]
    t = triangulate(LINES, REGISTER).set_index("line")
    assert against.groupby("line").size().reindex(t.index, fill_value=0).tolist() == \
        t["contradicting"].tolist()  # fmt: skip
    with pytest.raises(DataValueError, match=r"relation: expected one of \['supports', "
                       r"'contradicts', 'related'\] or None, found 'against'"):  # fmt: skip
        evidence_quotes(LINES, REGISTER, relation="against")


def test_on_the_example_register_the_workshops_contradict_the_supplier_rule():
    from clusterlib import config

    register = read_evidence(
        config.data_dir() / "evidence" / "example" / "rejestr_dowodow_PL-NE_SYNTETYCZNY.csv"
    )
    t = triangulate(LINES.iloc[:1], register).iloc[0]
    assert t["conflict"] and t["conflict_sources"].startswith("workshop")
    assert t["contradicting_workshop"] > t["supporting_workshop"]


LINE_BAD = [
    ("not-a-frame", [1, 2], DataFormatError, r"lines: expected a DataFrame, got list"),
    ("no-quadrant", LINES.drop(columns="quadrant"), DataFormatError,
     r"expected 'line', 'quadrant' and 'metric' \(the indicator\) and/or 'factor'"),
    ("no-metric-or-factor", LINES.drop(columns=["metric", "factor"]), DataFormatError,
     r"and/or 'factor'"),
    ("missing-id", LINES.assign(line=["a", None, "c", "d"]), DataValueError,
     r"lines, row 2 \(a line without an id\), column 'line': every line needs an id"),
    ("duplicate-id", LINES.assign(line=["a", "b", "a", "d"]), DataValueError,
     r"lines, row 3 \(line 'a'\), column 'line': a line id given twice"),
    ("bad-quadrant", LINES.assign(quadrant=["weakness", "good", "S", "W"]), DataValueError,
     r"row 2 \(line 'science-gap'\), column 'quadrant': expected one of \['strength', "
     r"'weakness', 'opportunity', 'threat'\], found 'good'"),
    ("bad-factor", LINES.assign(factor=["skills", "prices", None, None]), DataValueError,
     r"row 2 .*column 'factor': expected one of \['innovation', .*found 'prices'"),
    ("no-metric-no-factor", LINES.assign(factor=None), DataValueError,
     r"row 4 \(line 'skills-gap'\), column 'line': a line needs a metric \(indicator\) or a key "
     r"factor"),
    ("bad-value", LINES.assign(value=[0.2, "dużo", 1, None]), DataValueError,
     r"row 2 .*column 'value': expected a number, found 'dużo'"),
]  # fmt: skip


@pytest.mark.parametrize(
    "lines,exc,pattern", [c[1:] for c in LINE_BAD], ids=[c[0] for c in LINE_BAD]
)
def test_lines_refused(lines, exc, pattern):
    with pytest.raises(exc, match=pattern):
        triangulate(lines, REGISTER)


def test_register_refused():
    with pytest.raises(
        DataFormatError,
        match=r"register: missing column\(s\) \['indicator'\]; "
        r"pass the register as clusterlib.io.evidence.read_evidence returns it",
    ):
        triangulate(LINES, REGISTER.drop(columns="indicator"))  # fmt: skip
    with pytest.raises(DataFormatError, match=r"missing column\(s\) \['id', "):
        triangulate(LINES, None)


def test_public_names():
    import clusterlib as cl

    assert cl.triangulate is triangulate and cl.read_evidence is read_evidence
    assert cl.kendalls_w is cl.stakeholders.kendalls_w
    for name in (
        "check_evidence",
        "read_expert_scores",
        "check_expert_scores",
        "priority_order",
        "score_summary",
        "agreement_change",
        "evidence_quotes",
    ):
        assert name in cl.__all__ and callable(getattr(cl, name))


def test_register_given_as_a_frame_with_timestamps():
    cells = pd.DataFrame({"id": ["W1"], "date": [pd.Timestamp("2026-03-10")],
                          "source_type": ["workshop"], "factor": ["skills"],
                          "statement": ["Brakuje spawaczy."], "quadrant": ["W"],
                          "indicator": [np.nan]})  # fmt: skip
    r = read_evidence(cells)
    assert r["date"].iloc[0] == pd.Timestamp("2026-03-10") and r["indicator"].iloc[0] is None
    assert r.attrs["source"] == "register" and r.attrs["format"] == "DataFrame"


def test_lines_with_only_a_metric_or_only_a_factor_column():
    only_metric = LINES[["line", "quadrant", "metric", "value"]].iloc[:3]
    t = triangulate(only_metric, REGISTER)
    # without factors only statements that name an indicator count
    assert t.set_index("line").loc["supplier-links", ["supporting", "contradicting"]].tolist() \
        == [2, 1]  # fmt: skip
    only_factor = pd.DataFrame({"line": ["skills"], "quadrant": ["weakness"], "factor": ["skills"]},
                               index=[10])  # fmt: skip
    t = triangulate(only_factor, REGISTER)
    assert t["line"].iloc[0] == "skills" and t["evidence_only"].iloc[0]
    assert t.index.tolist() == list(range(len(t))) and "index" not in t.columns
    assert t["evidence_only"].dtype == bool


def test_blank_metric_and_factor_cells_are_missing():
    lines = pd.DataFrame({"line": ["a", "b"], "quadrant": ["W", "S"], "metric": ["", " "],
                          "factor": ["skills", "  "], "value": [None, None]})  # fmt: skip
    with pytest.raises(DataValueError, match=r"row 2 \(line 'b'\), column 'line': a line needs "
                       r"a metric"):  # fmt: skip
        triangulate(lines, REGISTER)
    t = triangulate(lines.iloc[:1], REGISTER)
    assert t["evidence_only"].iloc[0] and t["metric"].isna().iloc[0]
    assert t.columns.tolist()[:7] == ["line", "quadrant", "metric", "factor", "value",
                                      "evidence_only", "supporting"]  # fmt: skip


def test_line_cells_are_normalised():
    lines = pd.DataFrame({"line": [" a "], "quadrant": ["Słabe strony"], "metric": [SUP],
                          "factor": ["powiązania kooperacyjne"], "value": ["0.22"]})  # fmt: skip
    t = triangulate(lines, REGISTER)
    assert t.loc[0, "line"] == "a" and t.loc[0, "quadrant"] == "weakness"
    assert t.loc[0, "factor"] == "supplier_customer_links"
    assert t.loc[0, "value"] == 0.22 and t["value"].dtype == float
    no_value = triangulate(lines.drop(columns="value"), REGISTER)
    assert no_value["value"].dtype == float and no_value["value"].isna().all()
    assert no_value.loc[0, "supporting"] == 3
