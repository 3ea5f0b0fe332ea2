"""Kendall's W and its chi-square against hand calculations, scipy's Friedman test and R's."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from clusterlib.errors import DataValueError, OptionError
from clusterlib.stakeholders.agreement import agreement_change, kendalls_w

GOLDEN = Path(__file__).parents[1] / "golden"


def matrix(rows, experts=None, actions=None):
    rows = np.asarray(rows)
    return pd.DataFrame(
        rows,
        index=experts or [f"E{i + 1}" for i in range(rows.shape[0])],
        columns=actions or [f"A{j + 1}" for j in range(rows.shape[1])],
    )


def test_no_ties_against_a_hand_calculation():
    # m = 3 experts, n = 4 actions, no ties, so the ranks are the scores:
    #   E1: 1 2 3 4;  E2: 2 1 3 4;  E3: 1 3 2 4
    # rank sums R = 4, 6, 8, 12; their mean m(n+1)/2 = 7.5
    # S = 3.5^2 + 1.5^2 + 0.5^2 + 4.5^2 = 12.25 + 2.25 + 0.25 + 20.25 = 35
    # W = 12 S / (m^2 (n^3 - n)) = 420 / (9 * 60) = 7/9
    # chi2 = m (n - 1) W = 9 * 7/9 = 7, df = 3, p = P(chi2_3 > 7) = 0.0718977...
    w = kendalls_w(matrix([[1, 2, 3, 4], [2, 1, 3, 4], [1, 3, 2, 4]]))
    assert list(w.index) == ["W", "chi2", "df", "p", "experts", "actions"]
    assert w["W"] == pytest.approx(7 / 9, abs=1e-15)
    assert w["chi2"] == pytest.approx(7.0, abs=1e-13)
    assert w["df"] == 3 and w["experts"] == 3 and w["actions"] == 4
    assert w["p"] == pytest.approx(0.0718977724964651, rel=1e-12)


def test_ties_against_a_hand_calculation():
    # E1 scores 5 5 3 1 -> ranks 3.5 3.5 2 1 (one pair tied: T1 = 2^3 - 2 = 6)
    # E2 scores 4 4 4 2 -> ranks 3 3 3 1     (a triple tied: T2 = 3^3 - 3 = 24)
    # E3 scores 5 3 4 2 -> ranks 4 2 3 1     (T3 = 0)
    # R = 10.5, 8.5, 8, 3; S = 3^2 + 1^2 + 0.5^2 + 4.5^2 = 30.5
    # W = 12 S / (m^2 (n^3 - n) - m sum T) = 366 / (540 - 90) = 61/75 = 0.81333...
    #   (without the correction it would be 366 / 540 = 0.6778)
    # chi2 = m (n - 1) W = 9 * 61/75 = 7.32, df = 3
    w = kendalls_w(matrix([[5, 5, 3, 1], [4, 4, 4, 2], [5, 3, 4, 2]]))
    assert w["W"] == pytest.approx(61 / 75, abs=1e-15)
    assert w["chi2"] == pytest.approx(7.32, abs=1e-13)
    assert w["p"] == pytest.approx(stats.chi2.sf(7.32, 3), rel=1e-14)


def test_direction_and_labels_do_not_matter():
    x = matrix([[5, 5, 3, 1], [4, 4, 4, 2], [5, 3, 4, 2]])
    w = kendalls_w(x)
    # reversing every score reverses every ranking: the agreement is the same
    assert kendalls_w(6 - x).equals(w)
    # reordering experts or actions changes nothing
    assert kendalls_w(x.iloc[::-1, ::-1]).equals(w)
    # but changing one expert's order does
    y = x.copy()
    y.iloc[2] = [2, 3, 4, 5]
    assert kendalls_w(y)["W"] < w["W"]


@pytest.mark.parametrize("seed", range(6))
def test_equals_scipy_friedman_with_the_tie_correction(seed):
    rng = np.random.default_rng(seed)
    m, n = rng.integers(2, 15), rng.integers(2, 12)
    x = matrix(rng.integers(1, 6, size=(m, n)))  # 1-5 scores: many ties
    if (x.nunique(axis=1) == 1).all():
        pytest.skip("every expert flat")
    w = kendalls_w(x)
    if n >= 3:  # scipy's friedmanchisquare needs at least 3 groups
        chi2, p = stats.friedmanchisquare(*x.to_numpy().T)
        assert w["chi2"] == pytest.approx(chi2, rel=1e-12)
        assert w["W"] == pytest.approx(chi2 / (m * (n - 1)), rel=1e-12)
        assert w["p"] == pytest.approx(p, rel=1e-10)


def test_equals_r_friedman_test():
    scores = pd.read_csv(GOLDEN / "kendall_w_scores.csv")
    golden = pd.read_csv(GOLDEN / "kendall_w.csv").set_index("case")
    assert len(golden) == 9
    for case, part in scores.groupby("case"):
        w = kendalls_w(part.pivot(index="expert", columns="action", values="score"))
        g = golden.loc[case]
        assert (w["experts"], w["actions"], w["df"]) == (g["m"], g["n"], g["df"]), case
        assert w["chi2"] == pytest.approx(g["chi2"], rel=1e-12), case
        assert w["W"] == pytest.approx(g["W"], rel=1e-12), case
        assert w["p"] == pytest.approx(g["p"], rel=1e-10), case


def test_perfect_agreement_and_a_flat_expert():
    w = kendalls_w(matrix([[1, 2, 3], [1, 2, 3]]))
    assert w["W"] == 1 and w["chi2"] == 4 and w["df"] == 2
    assert w["p"] == pytest.approx(np.exp(-2), rel=1e-14)
    # an expert who scores everything alike: W = 12 S / (m^2 (n^3-n) - m (n^3-n))
    # ranks (2 2 2), (1 2 3), (1 2 3): R = 4, 6, 8, S = 8; W = 96 / (9*24 - 3*24) = 2/3
    assert kendalls_w(matrix([[3, 3, 3], [1, 2, 3], [1, 2, 3]]))["W"] == pytest.approx(2 / 3)


BAD = [
    ("one-expert", matrix([[1, 2, 3]]), r"1 expert\(s\); agreement needs at least 2 experts"),
    ("one-action", matrix([[1], [2]]), r"1 action\(s\); agreement on an order needs at least 2"),
    ("no-experts", matrix(np.empty((0, 3))), r"0 expert\(s\)"),
    ("missing", matrix([[1, 2, np.nan], [3, 2, 1]]),
     r"missing or infinite score\(s\) of expert 'E1' on 'A3'.*complete the scores"),
    ("infinite", matrix([[1, 2, 3], [3, np.inf, 1]]), r"expert 'E2' on 'A2'"),
    ("text", pd.DataFrame({"A": [1, 2], "B": ["x", "y"]}), r"action 'B' holds (str|object) values; expected numbers"),
    ("bool", pd.DataFrame({"A": [1, 2], "B": [True, False]}), r"action 'B' holds bool"),
    ("all-flat", matrix([[3, 3, 3], [2, 2, 2]]), r"every expert gave every action the same score"),
]  # fmt: skip


@pytest.mark.parametrize("x,pattern", [c[1:] for c in BAD], ids=[c[0] for c in BAD])
def test_kendalls_w_refuses(x, pattern):
    with pytest.raises(DataValueError, match=pattern):
        kendalls_w(x)


def test_kendalls_w_refuses_a_non_frame():
    with pytest.raises(DataValueError, match=r"expected a DataFrame .* got ndarray"):
        kendalls_w(np.ones((3, 3)))


def test_missing_names_at_most_five():
    x = matrix(np.full((3, 4), np.nan))
    with pytest.raises(DataValueError) as err:
        kendalls_w(x)
    assert str(err.value).count(" on ") == 5 and " ..." in str(err.value)
    with pytest.raises(DataValueError) as err:
        kendalls_w(matrix([[1, np.nan], [np.nan, 2]]))
    assert "'E1' on 'A2', 'E2' on 'A1'. W needs" in str(err.value)


def long(rows_by_round, criterion="importance"):
    frames = []
    for rnd, x in rows_by_round.items():
        m = matrix(x).rename_axis(index="expert", columns="action").stack()
        frames.append(m.rename("score").reset_index().assign(round=rnd, criterion=criterion))
    return pd.concat(frames, ignore_index=True)


def test_agreement_change_between_rounds():
    scores = pd.concat([
        long({1: [[1, 2, 3, 4], [2, 1, 3, 4], [1, 3, 2, 4]], 2: [[1, 2, 3, 4]] * 3}),
        long({1: [[5, 5, 3, 1], [4, 4, 4, 2], [5, 3, 4, 2]]}, criterion="urgency"),
    ])  # fmt: skip
    got = agreement_change(scores)
    assert got["round"].tolist() == [1, 2]
    np.testing.assert_allclose(got["W"], [7 / 9, 1.0], rtol=1e-14)
    assert np.isnan(got["W_change"].iloc[0])
    assert got["W_change"].iloc[1] == pytest.approx(2 / 9)
    assert got["chi2"].iloc[1] == pytest.approx(9.0) and got["experts"].tolist() == [3, 3]
    u = agreement_change(scores, criterion="urgency")
    assert len(u) == 1 and u["W"].iloc[0] == pytest.approx(61 / 75)
    assert list(got.columns) == ["round", "W", "chi2", "df", "p", "experts", "actions", "W_change"]


def test_agreement_change_refuses():
    scores = long({1: [[1, 2, 3], [3, 2, 1]], 2: [[1, 2, 3], [3, 2, 1]]})
    with pytest.raises(OptionError, match=r"criterion 'urgency' is not scored; .*\['importance'\]"):
        agreement_change(scores, criterion="urgency")
    twice = pd.concat([scores, scores.iloc[[-1]].assign(score=2)], ignore_index=True)
    with pytest.raises(DataValueError, match=r"round 2, criterion 'importance': expert 'E2' "
                       r"scored action 'A3' twice; keep one score"):  # fmt: skip
        agreement_change(twice)
    gap = scores.drop(index=scores.index[-1])  # round 2: E2 did not score A3
    with pytest.raises(DataValueError, match=r"round 2, criterion 'importance': .*'E2' on 'A3'"):
        agreement_change(gap)


def test_messages_in_full_and_the_result_name():
    assert kendalls_w(matrix([[1, 2], [2, 1]])).name == "kendalls_w"
    with pytest.raises(DataValueError) as err:
        kendalls_w(matrix([[3, 3, 3], [2, 2, 2]]))
    assert str(err.value) == ("kendalls_w: every expert gave every action the same score, so "
                              "there is no order to agree on and W is undefined.")  # fmt: skip
    with pytest.raises(DataValueError) as err:
        kendalls_w(pd.DataFrame({"A": [1, 2], "B": ["x", "y"]}))
    assert str(err.value).endswith("values; expected numbers (scores).")
    five = matrix([[np.nan, np.nan, np.nan], [np.nan, np.nan, 1], [1, 2, 3]])
    with pytest.raises(DataValueError) as err:
        kendalls_w(five)
    assert str(err.value) == (
        "kendalls_w: missing or infinite score(s) of expert 'E1' on 'A1', 'E1' on 'A2', 'E1' on "
        "'A3', 'E2' on 'A1', 'E2' on 'A2'. W needs every expert's score of every action: complete "
        "the scores or leave out the expert or the action."
    )
    six = five.copy()
    six.iloc[2, 0] = np.nan
    with pytest.raises(DataValueError, match=r"'E2' on 'A2' \.\.\.\. W needs"):
        kendalls_w(six)
    # pandas' nullable integers with a gap are a missing score too, not a crash
    with pytest.raises(DataValueError, match=r"expert 'E2' on 'A2'"):
        kendalls_w(matrix([[1, 2], [2, 1]]).astype("Int64").mask(lambda d: d == 1).fillna(
            {"A1": 5}))  # fmt: skip


def test_rounds_in_any_order():
    scores = long({2: [[1, 2, 3, 4]] * 3, 1: [[1, 2, 3, 4], [2, 1, 3, 4], [1, 3, 2, 4]]})
    got = agreement_change(scores)
    assert got["round"].tolist() == [1, 2]
    assert got["W_change"].iloc[1] == pytest.approx(2 / 9)
