"""Model-comparison tables: several models side by side, as a DataFrame, HTML or LaTeX."""

from __future__ import annotations

import re
from collections.abc import Mapping

import pandas as pd

from clusterlib.errors import OptionError
from clusterlib.innovation.results import ModelResult

STARS = ((0.01, "***"), (0.05, "**"), (0.1, "*"))


def stars(p: float) -> str:
    """Significance stars: *** p < 0.01, ** p < 0.05, * p < 0.1."""
    for cut, mark in STARS:
        if p < cut:
            return mark
    return ""


def model_table(
    models: Mapping[str, ModelResult], *, stat: str = "coef", digits: int = 3
) -> pd.DataFrame:
    """Several models side by side: estimates with stars, standard errors in parentheses.

    Parameters
    ----------
    models : mapping of str to ModelResult
        Column label to fitted model.
    stat : {"coef", "ame"}
        Coefficients or average marginal effects (for ``ologit`` AMEs, the top category).
    digits : int
        Decimals shown.

    Returns
    -------
    pandas.DataFrame
        Two rows per term (the estimate with stars, then ``(se)``), then ``N``, ``Pseudo R2``
        (McFadden), ``Log-likelihood``, ``SE`` (the covariance type) and ``Data`` (``SYNTHETIC`` for
        clusterlib's synthetic survey). Stars: *** p < 0.01,
        ** p < 0.05, * p < 0.1. Render with :func:`model_table_html` or :func:`model_table_latex`.
    """
    if stat not in ("coef", "ame"):
        raise OptionError(f"stat: expected 'coef' or 'ame', got {stat!r}.")
    cols, terms = {}, []
    for label, m in models.items():
        frame = m.summary_frame() if stat == "coef" else m.ame
        if isinstance(frame.index, pd.MultiIndex):
            top = frame.index.get_level_values(1).max()
            frame = frame.xs(top, level=1)
        cols[label] = frame
        terms += [t for t in frame.index if t not in terms]
    rows = {}
    for label, frame in cols.items():
        col = {}
        for t in terms:
            if t in frame.index:
                r = frame.loc[t]
                col[(t, "estimate")] = f"{r['estimate']:.{digits}f}{stars(r['p'])}"
                col[(t, "se")] = f"({r['se']:.{digits}f})"
            else:
                col[(t, "estimate")] = col[(t, "se")] = ""
        m = models[label]
        col[("N", "")] = f"{m.nobs:d}"
        col[("Pseudo R2", "")] = f"{m.pseudo_r2:.{digits}f}"
        col[("Log-likelihood", "")] = f"{m.llf:.1f}"
        col[("SE", "")] = m.cov_type + (f" by {m.groups}" if m.groups else "")
        col[("Data", "")] = "SYNTHETIC" if m.synthetic else "survey"
        rows[label] = pd.Series(col)
    out = pd.DataFrame(rows)
    out.index = [t if kind != "se" else "" for t, kind in out.index]
    out.attrs["stat"] = stat
    return out


def model_table_html(table: pd.DataFrame) -> str:
    """Render a :func:`model_table` as escaped HTML with a significance note."""
    note = "<p><small>Standard errors in parentheses. *** p&lt;0.01, ** p&lt;0.05, * p&lt;0.1."
    return table.to_html(escape=True, classes="model-table") + note + "</small></p>"


def model_table_latex(table: pd.DataFrame) -> str:
    """Render a :func:`model_table` as a LaTeX tabular (booktabs) with a significance note."""
    esc = table.map(lambda s: re.sub(r"(\*+)", r"$^{\1}$", str(s)).replace("_", r"\_"))
    esc.index = [str(i).replace("_", r"\_") for i in esc.index]
    body = esc.to_latex(escape=False, column_format="l" + "c" * table.shape[1])
    return body + "% Standard errors in parentheses. *** p<0.01, ** p<0.05, * p<0.1.\n"


__all__ = ["model_table", "stars", "model_table_html", "model_table_latex"]
