"""How far experts agree on the order of the proposed actions: Kendall's W, round by round.

:func:`kendalls_w` takes one criterion of one round as a table (one row per expert, one column
per action); :func:`agreement_change` computes it for every Delphi round of a scoring file read by
:func:`~clusterlib.io.expert_scores.read_expert_scores`, with the change from round to round.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from clusterlib.errors import DataValueError, OptionError

__all__ = ["agreement_change", "kendalls_w"]


def _check_matrix(scores: pd.DataFrame) -> np.ndarray:
    if not isinstance(scores, pd.DataFrame):
        raise DataValueError(
            f"kendalls_w: expected a DataFrame with one row per expert and one column per action, "
            f"got {type(scores).__name__}."
        )
    m, n = scores.shape
    if m < 2:
        raise DataValueError(
            f"kendalls_w: {m} expert(s); agreement needs at least 2 experts (rows)."
        )
    if n < 2:
        raise DataValueError(
            f"kendalls_w: {n} action(s); agreement on an order needs at least 2 actions (columns)."
        )
    for col in scores.columns:
        if not pd.api.types.is_numeric_dtype(scores[col]) or pd.api.types.is_bool_dtype(
            scores[col]
        ):
            raise DataValueError(
                f"kendalls_w: action {col!r} holds {scores[col].dtype} values; expected numbers "
                "(scores)."
            )
    x = scores.to_numpy(dtype=float)
    gaps = ~np.isfinite(x)
    if gaps.any():
        where = [f"{scores.index[i]!r} on {scores.columns[j]!r}" for i, j in np.argwhere(gaps)]
        raise DataValueError(
            f"kendalls_w: missing or infinite score(s) of expert {', '.join(where[:5])}"
            f"{' ...' if len(where) > 5 else ''}. W needs every expert's score of every action: "
            "complete the scores or leave out the expert or the action."
        )
    return x


def kendalls_w(scores: pd.DataFrame) -> pd.Series:
    r"""Kendall's coefficient of concordance W with the tie correction, and its chi-square test.

    Parameters
    ----------
    scores : pandas.DataFrame
        One row per expert (m >= 2), one column per action (n >= 2), every cell a score (one
        criterion, one round). Higher scores rank higher; only the order within a row counts.

    Returns
    -------
    pandas.Series
        ``W`` (0 = no agreement, 1 = all experts order the actions alike), ``chi2``, ``df``,
        ``p`` (upper tail of the chi-square distribution), ``experts`` (m), ``actions`` (n).

    Raises
    ------
    DataValueError
        Fewer than 2 experts or actions; a missing, infinite or non-numeric score (naming the
        expert and action); every expert giving every action the same score (W undefined).

    Notes
    -----
    Each expert's scores are ranked 1..n (ties get their mean rank). With :math:`R_i` the sum of
    the ranks of action i and :math:`T_j = \sum_g (t_g^3 - t_g)` over the groups of :math:`t_g`
    tied scores of expert j,

    .. math::

        S = \sum_i \left(R_i - \frac{m(n+1)}{2}\right)^2, \qquad
        W = \frac{12\,S}{m^2(n^3 - n) - m \sum_j T_j},

        \chi^2 = m(n-1)\,W, \quad df = n - 1.

    :math:`\chi^2` is then Friedman's statistic with its tie correction, so
    :math:`W = \chi^2_F / (m(n-1))`; the chi-square approximation is rough for n < 7 or small m
    (Siegel and Castellan give exact tables).

    References
    ----------
    Kendall, M. G., & Babington Smith, B. (1939). The problem of m rankings. *Annals of
    Mathematical Statistics*, 10(3), 275-287. Siegel, S., & Castellan, N. J. (1988).
    *Nonparametric Statistics for the Behavioral Sciences* (2nd ed.), section 9.4. Legendre, P.
    (2005). Species associations: the Kendall coefficient of concordance revisited. *JABES*,
    10(2), 226-245.

    Examples
    --------
    Three experts order three actions the same way:

    >>> scores = pd.DataFrame({"A": [5, 4, 5], "B": [3, 2, 4], "C": [1, 1, 2]},
    ...                       index=["E1", "E2", "E3"])
    >>> kendalls_w(scores).round(4)
    W          1.0000
    chi2       6.0000
    df         2.0000
    p          0.0498
    experts    3.0000
    actions    3.0000
    Name: kendalls_w, dtype: float64
    """
    x = _check_matrix(scores)
    m, n = x.shape
    ranks = stats.rankdata(x, axis=1, method="average")
    s = ((ranks.sum(axis=0) - m * (n + 1) / 2) ** 2).sum()
    # each tied group of size t adds t^3 - t; each of its t members has t - 1 equal neighbours,
    # so the sum over members of (t_e^2 - 1) is the same total
    tie_size = (x[:, :, None] == x[:, None, :]).sum(axis=2)
    ties = (tie_size**2 - 1).sum()
    denominator = m**2 * (n**3 - n) - m * ties
    if denominator == 0:
        raise DataValueError(
            "kendalls_w: every expert gave every action the same score, so there is no order to "
            "agree on and W is undefined."
        )
    w = 12 * s / denominator
    chi2 = m * (n - 1) * w
    df = n - 1
    return pd.Series(
        {"W": w, "chi2": chi2, "df": float(df), "p": float(stats.chi2.sf(chi2, df)),
         "experts": float(m), "actions": float(n)},
        name="kendalls_w",
    )  # fmt: skip


def agreement_change(scores: pd.DataFrame, *, criterion: str = "importance") -> pd.DataFrame:
    """Kendall's W of one criterion in every Delphi round, and its change from the round before.

    Parameters
    ----------
    scores : pandas.DataFrame
        Long scores as :func:`~clusterlib.io.expert_scores.read_expert_scores` returns them
        (``round``, ``expert``, ``action``, ``criterion``, ``score``).
    criterion : str
        The criterion whose order is compared (default importance).

    Returns
    -------
    pandas.DataFrame
        One row per round, in order: ``round``, ``W``, ``chi2``, ``df``, ``p``, ``experts``,
        ``actions`` (:func:`kendalls_w` of the round's experts x actions) and ``W_change``
        (W minus the previous round's W; NaN in the first round, which has none).

    Raises
    ------
    OptionError
        A criterion not in the scores.
    DataValueError
        A round in which an expert did not score every action of that round (naming them), or
        any other problem of :func:`kendalls_w`, with the round named.

    Notes
    -----
    A Delphi round shows the experts the previous round's medians and asks again; a rising W
    means the experts converge on one order (Schmidt 1997). Each round uses the experts and
    actions of that round, so an expert who left after round 1 counts only there.

    References
    ----------
    Schmidt, R. C. (1997). Managing Delphi surveys using nonparametric statistical techniques.
    *Decision Sciences*, 28(3), 763-774.

    Examples
    --------
    >>> scores = pd.DataFrame({"round": [1] * 6 + [2] * 6,
    ...     "expert": ["E1", "E1", "E1", "E2", "E2", "E2"] * 2, "action": ["A", "B", "C"] * 4,
    ...     "criterion": "importance", "score": [5, 3, 1, 1, 3, 5, 5, 3, 1, 4, 3, 1]})
    >>> agreement_change(scores)[["round", "W", "W_change"]]
       round    W  W_change
    0      1  0.0       NaN
    1      2  1.0       1.0
    """
    present = sorted(scores["criterion"].unique())
    if criterion not in present:
        raise OptionError(f"agreement_change: criterion {criterion!r} is not scored; the scores "
                          f"have {present}.")  # fmt: skip
    chosen = scores[scores["criterion"] == criterion]
    twice = chosen.duplicated(["round", "expert", "action"], keep=False)
    if twice.any():
        r = chosen[twice].iloc[0]
        raise DataValueError(
            f"agreement_change: round {r['round']}, criterion {criterion!r}: expert "
            f"{r['expert']!r} scored action {r['action']!r} twice; keep one score (read the file "
            "with read_expert_scores, which lists such rows)."
        )
    rows = []
    for rnd, part in chosen.groupby("round"):  # in round order
        wide = part.pivot(index="expert", columns="action", values="score")
        try:
            result = kendalls_w(wide)
        except DataValueError as exc:
            raise DataValueError(f"round {rnd}, criterion {criterion!r}: {exc}") from None
        rows.append({"round": rnd, **result.to_dict()})
    out = pd.DataFrame(rows)
    out["W_change"] = out["W"].diff()
    return out
