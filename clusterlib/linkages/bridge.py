"""A bridge between WIOD's 35 industries (ISIC Rev. 3 based) and NACE Rev. 2 divisions.

The bundled ``wiod_nace_r2.csv`` gives each NACE Rev. 2 division (A01 ... T98) the WIOD 2013
industry (c1 ... c35, NACE Rev. 1.1 / ISIC Rev. 3 based) that holds most of it. Most WIOD
industries hold several divisions (many-to-one: c12 "Basic metals and fabricated metal" is C24 and
C25). Where a division was split between NACE Rev. 1.1 classes that WIOD puts in different
industries, the ``note`` column says which part lies elsewhere (e.g. C33 repair and installation
of machinery, spread over c12-c15). U99 (extraterritorial organisations) is in no WIOD industry.

Built from the NACE Rev. 2 - NACE Rev. 1.1 correspondence table (Eurostat RAMON) and the WIOD
industry list (Timmer et al. 2015, table 1).

References
----------
Timmer, M. P., Dietzenbacher, E., Los, B., Stehrer, R. and de Vries, G. J. (2015). An illustrated
user guide to the World Input-Output Database: the case of global automotive production. *Review
of International Economics* 23: 575-605.
Eurostat (2008). *NACE Rev. 2: Statistical classification of economic activities in the European
Community*, correspondence tables NACE Rev. 2 - NACE Rev. 1.1.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from clusterlib.errors import DataValueError, UnknownCodeError
from clusterlib.linkages._checks import _show

_FILE = Path(__file__).with_name("wiod_nace_r2.csv")


@cache
def _bridge() -> pd.DataFrame:
    return pd.read_csv(_FILE, dtype=str, keep_default_na=False)


def wiod_nace_bridge() -> pd.DataFrame:
    """Return the bridge table: one row per NACE Rev. 2 division.

    Returns
    -------
    pandas.DataFrame
        Columns ``nace`` (e.g. ``"C25"``), ``industry`` (WIOD ``"c12"``), ``wiod_code``
        (``"27t28"``), ``wiod_label`` and its Polish name ``wiod_label_pl`` (the NACE Rev. 1.1
        names of PKD 2004), ``note`` (empty unless part of the division lies in another
        WIOD industry) and ``divisions`` (how many divisions share that WIOD industry: above 1 is
        many-to-one).

    Examples
    --------
    >>> b = wiod_nace_bridge()
    >>> b.loc[b["nace"].isin(["C24", "C25"]), ["nace", "industry", "divisions"]]
       nace industry  divisions
    22  C24      c12          2
    23  C25      c12          2
    """
    b = _bridge().copy()
    b["divisions"] = b.groupby("industry")["nace"].transform("size")
    return b


def cluster_io_industries(
    codes: str | Iterable[str], *, weights: pd.Series | None = None
) -> pd.DataFrame:
    """Find the WIOD industries that hold a cluster's NACE divisions, and how coarse that match is.

    Parameters
    ----------
    codes : str or iterable of str
        NACE Rev. 2 divisions, as a list or joined by ``+`` (``"C25+C28+C33"``); a section letter
        (``"C"``) stands for all its divisions.
    weights : pandas.Series, optional
        National employment (or output) by NACE division, to measure coarseness by weight instead of
        by the count of divisions. Divisions without a weight count as 0.

    Returns
    -------
    pandas.DataFrame
        One row per WIOD industry touched, in WIOD order: ``industry``, ``wiod_label``,
        ``cluster_nace`` (the cluster's divisions in it, ``+``-joined), ``industry_nace`` (all its
        divisions), ``coverage`` (the cluster's share of the industry: divisions, or weight if
        ``weights`` are given; 1 means an exact match, below 1 means the industry also holds
        activities outside the cluster), ``many_to_one`` and ``notes`` (the split divisions).

    Raises
    ------
    UnknownCodeError
        A code that is not a NACE Rev. 2 division or section of the bridge.
    DataValueError
        ``weights`` negative or not numbers, or zero for every division of a touched industry.

    Notes
    -----
    An input-output analysis of the cluster can only be as fine as these industries: with
    coverage below 1, the industry's multipliers and linkages mix the cluster with the rest of the
    industry, which the notebook should say.

    Examples
    --------
    >>> t = cluster_io_industries("C25+C28+C33")
    >>> t[["industry", "cluster_nace", "industry_nace", "coverage"]]
      industry cluster_nace industry_nace  coverage
    0      c12          C25       C24+C25       0.5
    1      c13      C28+C33       C28+C33       1.0
    """
    b = wiod_nace_bridge()
    wanted = _expand(codes, b["nace"])
    touched = b.loc[b["nace"].isin(wanted), "industry"].unique()
    rows = b[b["industry"].isin(touched)].copy()
    rows["in_cluster"] = rows["nace"].isin(wanted)
    if weights is None:
        rows["w"] = 1.0
    else:
        w = pd.to_numeric(pd.Series(weights), errors="coerce")
        if w.isna().any() or (w < 0).any():
            bad = w.index[(w.isna() | (w < 0)).to_numpy()][0]
            raise DataValueError(f"weights, division {bad!r}: expected a number >= 0, found "
                                 f"{_show(weights[bad])}.")  # fmt: skip
        rows["w"] = rows["nace"].map(w).fillna(0.0).to_numpy()
    order = {f"c{i}": i for i in range(1, 36)}
    g = rows.groupby("industry", sort=False)
    total = g["w"].sum()
    inside = rows["w"].where(rows["in_cluster"], 0.0).groupby(rows["industry"], sort=False).sum()
    zero = total[total == 0]
    if len(zero):
        raise DataValueError(
            f"weights: every division of WIOD industry {zero.index[0]!r} has weight 0; give the "
            "weights of all its divisions."
        )
    out = pd.DataFrame(
        {
            "industry": total.index,
            "wiod_label": g["wiod_label"].first().to_numpy(),
            "cluster_nace": rows[rows["in_cluster"]]
            .groupby("industry", sort=False)["nace"]
            .agg("+".join)
            .reindex(total.index)
            .to_numpy(),
            "industry_nace": g["nace"].agg("+".join).to_numpy(),
            "coverage": (inside / total).to_numpy(),
            "many_to_one": (g["nace"].size() > 1).to_numpy(),
            "notes": g["note"].agg(lambda s: "; ".join(x for x in s if x)).to_numpy(),
        }
    )
    out = out.iloc[np.argsort(out["industry"].map(order).to_numpy(), kind="stable")]
    return out.reset_index(drop=True)


def _expand(codes: str | Iterable[str], known: pd.Series) -> list[str]:
    items = codes.split("+") if isinstance(codes, str) else list(codes)
    items = [str(c).strip().upper() for c in items if str(c).strip()]
    if not items:
        raise UnknownCodeError("codes: no NACE code given; name divisions such as 'C25+C28'.")
    out = []
    for code in items:
        if code in set(known):
            out.append(code)
        elif len(code) == 1 and known.str.startswith(code).any():
            out.extend(known[known.str.startswith(code)])
        else:
            raise UnknownCodeError(
                f"codes: {code!r} is not a NACE Rev. 2 division (two digits after the section "
                "letter, e.g. 'C25') or section of the WIOD bridge; groups such as 'C25.6' are "
                "finer than any input-output table: use their division."
            )
    return list(dict.fromkeys(out))
