"""What the experts think of each proposed action: medians, spread, support, and a priority order.

Both functions take the long scores of :func:`~clusterlib.io.expert_scores.read_expert_scores`
(``round``, ``expert``, ``action``, ``criterion``, ``score``).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from clusterlib.errors import OptionError
from clusterlib.io.expert_scores import CRITERIA

__all__ = ["PRIORITY_CRITERIA", "priority_order", "score_summary"]

#: The default order of the criteria in :func:`priority_order`.
PRIORITY_CRITERIA = ("importance", "urgency", "feasibility")


def score_summary(scores: pd.DataFrame, *, high: int = 4) -> pd.DataFrame:
    r"""Median, interquartile range and share of high scores of every action, criterion and round.

    Parameters
    ----------
    scores : pandas.DataFrame
        Long scores (see the module docstring).
    high : int
        A score of at least ``high`` counts as support (default 4: "4 or 5").

    Returns
    -------
    pandas.DataFrame
        One row per ``round``, ``action`` and ``criterion`` (sorted): ``experts`` (who scored
        it), ``median``, ``q1``, ``q3``, ``iqr`` (q3 - q1), ``share_high`` (share of those
        experts scoring ``high`` or more).

    Notes
    -----
    Quartiles interpolate linearly between order statistics (Hyndman and Fan's type 7, the
    default of R's ``quantile`` and of numpy): with sorted scores :math:`x_{(1)} \le \dots \le
    x_{(k)}`, :math:`Q(p) = x_{(\lfloor h \rfloor)} + (h - \lfloor h \rfloor)(x_{(\lfloor h
    \rfloor + 1)} - x_{(\lfloor h \rfloor)})` with :math:`h = (k - 1)p + 1`. In Delphi studies an
    IQR of at most 1 on a 5-point scale is a usual sign of consensus (von der Gracht 2012).

    References
    ----------
    Hyndman, R. J., & Fan, Y. (1996). Sample quantiles in statistical packages. *The American
    Statistician*, 50(4), 361-365. von der Gracht, H. A. (2012). Consensus measurement in Delphi
    studies. *Technological Forecasting and Social Change*, 79(8), 1525-1536.

    Examples
    --------
    >>> scores = pd.DataFrame({"round": 1, "expert": ["E1", "E2", "E3", "E4"], "action": "A",
    ...                        "criterion": "importance", "score": [5, 4, 2, 4]})
    >>> score_summary(scores)
       round action   criterion  experts  median   q1    q3   iqr  share_high
    0      1      A  importance        4     4.0  3.5  4.25  0.75        0.75
    """
    if isinstance(high, bool) or not isinstance(high, int | np.integer) or not 1 <= high <= 5:
        raise OptionError(f"score_summary: high: expected a whole number 1-5, found {high!r}.")
    groups = scores.groupby(["round", "action", "criterion"])["score"]  # sorted by the keys
    q = groups.quantile([0.25, 0.5, 0.75]).unstack()
    out = pd.DataFrame({
        "experts": groups.size(),
        "median": q[0.5],
        "q1": q[0.25],
        "q3": q[0.75],
        "iqr": q[0.75] - q[0.25],
        "share_high": (scores["score"] >= high).groupby(
            [scores["round"], scores["action"], scores["criterion"]]).mean(),
    })  # fmt: skip
    return out.reset_index()


def priority_order(
    scores: pd.DataFrame,
    *,
    round: int | None = None,
    criteria: Sequence[str] = PRIORITY_CRITERIA,
    proposed: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Order the actions by expert priority: the medians of the criteria, one after another.

    Parameters
    ----------
    scores : pandas.DataFrame
        Long scores (see the module docstring).
    round : int, optional
        The Delphi round to use; default the last one.
    criteria : sequence of str
        The criteria in order of precedence (default importance, urgency, feasibility). Criteria
        nobody scored are skipped.
    proposed : sequence of str, optional
        The actions the strategy proposes (for example those of the fired rules). Proposed
        actions no expert scored are added at the end with ``scored`` False and no rank.

    Returns
    -------
    pandas.DataFrame
        One row per action, highest priority first: ``rank`` (1 = first; equal keys share a
        rank; <NA> when not scored), ``action``, ``scored``, ``experts``, and per criterion c
        ``median_c``, ``iqr_c``, ``share_high_c`` (4 or 5).

    Notes
    -----
    The rule, lexicographic so that a strategy team can say why A comes before B: the higher
    median on the first criterion first; among equal medians, the higher median on the next
    criterion, and so on; then the higher share of experts scoring the first criterion 4 or 5;
    then the smaller interquartile range of the first criterion (more agreement). Actions equal
    on all of these share a rank (``min`` ranking) and are listed by id. An action without a
    score on a criterion comes after those with one.

    Examples
    --------
    >>> scores = pd.DataFrame({"round": 1, "expert": ["E1", "E2"] * 4,
    ...     "action": ["A", "A", "B", "B"] * 2,
    ...     "criterion": ["importance"] * 4 + ["urgency"] * 4,
    ...     "score": [4, 4, 4, 4, 2, 3, 5, 5]})
    >>> priority_order(scores)[["rank", "action", "median_importance", "median_urgency"]]
       rank action  median_importance  median_urgency
    0     1      B                4.0             5.0
    1     2      A                4.0             2.5
    """
    unknown = [c for c in criteria if c not in CRITERIA]
    if unknown or not len(criteria):
        raise OptionError(f"priority_order: criteria: expected some of {list(CRITERIA)}, found "
                          f"{list(criteria)!r}.")  # fmt: skip
    rounds = sorted(scores["round"].unique())
    if round is None:
        round = rounds[-1]
    elif round not in rounds:
        raise OptionError(f"priority_order: round {round!r} is not in the scores; rounds: "
                          f"{[int(r) for r in rounds]}.")  # fmt: skip
    summary = score_summary(scores[scores["round"] == round])
    used = [c for c in criteria if c in set(summary["criterion"])]
    wide = summary.pivot(index="action", columns="criterion",
                         values=["median", "iqr", "share_high"])  # fmt: skip
    out = pd.DataFrame(index=wide.index)
    for c in used:
        for stat in ("median", "iqr", "share_high"):
            out[f"{stat}_{c}"] = wide[(stat, c)]
    first = used[0]
    keys = [f"median_{c}" for c in used] + [f"share_high_{first}", f"iqr_{first}"]
    ascending = [False] * (len(used) + 1) + [True]
    out = out.reset_index().sort_values(
        [*keys, "action"], ascending=[*ascending, True], na_position="last"
    )
    tuples = pd.Series(list(zip(*(out[k].fillna(-np.inf) for k in keys), strict=True)))
    rank = (tuples != tuples.shift()).cumsum()
    first_pos = pd.Series(np.arange(1, len(out) + 1)).groupby(rank.to_numpy()).transform("min")
    experts = scores[scores["round"] == round].groupby("action")["expert"].nunique()
    out.insert(0, "rank", pd.array(first_pos.to_numpy(), dtype="Int64"))
    out.insert(2, "scored", True)
    out.insert(3, "experts", out["action"].map(experts).to_numpy())
    missing = [a for a in dict.fromkeys(proposed or []) if a not in set(out["action"])]
    if missing:
        extra = pd.DataFrame({"rank": pd.array([pd.NA] * len(missing), dtype="Int64"),
                              "action": missing, "scored": False, "experts": 0})  # fmt: skip
        out = pd.concat([out, extra])
    return out.reset_index(drop=True)
