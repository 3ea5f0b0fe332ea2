"""Triangulation: each SWOT line from the data, with the voices that support or contradict it.

A **SWOT line** is one statement of the SWOT: its quadrant, and either the indicator (metric) it
rests on with the indicator's value (a *data line*, e.g. from a fired rule of
``params/actions.yaml``), or only a key factor (an *evidence-only line*). The **register** is the
evidence read by :func:`~clusterlib.io.evidence.read_evidence`.

The rules (one place; :func:`triangulate` and :func:`evidence_quotes` both follow them):

1. **Which evidence speaks to a line.** A statement that names an indicator speaks to the lines
   whose metric is that indicator, and to no other. A statement without an indicator speaks to
   the lines of its key factor (lines that give a factor).
2. **Support or contradiction.** A statement in the line's quadrant *supports* it; one in the
   opposite quadrant (strength and weakness, opportunity and threat) *contradicts* it; one in
   either quadrant of the other pair (e.g. a threat said of a strength) is *related* only.
3. **Evidence-only lines.** Statements that speak to no given line are gathered into an
   evidence-only line per key factor and quadrant (id ``evidence-only:<factor>:<quadrant>``),
   and rule 2 applies to them within the factor. A given line without a metric is an
   evidence-only line too. Evidence-only lines are marked (``evidence_only``).
4. **Conflict.** A data line is in *conflict* when, for at least one source type (workshop,
   firm interview, institution interview, expert), the statements contradicting it outnumber
   those supporting it: the data show a strength, the workshops call it a weakness. The source
   types in question are listed in ``conflict_sources``. Evidence-only lines have no number to
   conflict with and are never in conflict; their contradicting counts show disagreement among
   the voices.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from clusterlib.errors import DataFormatError, DataValueError
from clusterlib.io.evidence import FACTORS, QUADRANTS, SOURCE_TYPES
from clusterlib.io.sheets import lookup

__all__ = ["OPPOSITE", "RELATIONS", "evidence_quotes", "triangulate"]

#: The quadrant a statement must be in to contradict a line of each quadrant.
OPPOSITE = {"strength": "weakness", "weakness": "strength", "opportunity": "threat",
            "threat": "opportunity"}  # fmt: skip
#: How a statement relates to a line (rule 2), in the order they are listed.
RELATIONS = ("supports", "contradicts", "related")
_REGISTER = ["id", "source_type", "factor", "quadrant", "indicator", "statement"]


def _text(values: pd.Series) -> pd.Series:
    """Cells as text, with missing and blank cells as None."""
    s = values.astype(object).where(values.notna(), "").astype(str).str.strip()
    return s.where(s != "", None)


def _check_lines(lines: pd.DataFrame) -> pd.DataFrame:
    if not isinstance(lines, pd.DataFrame):
        raise DataFormatError(
            f"triangulate: lines: expected a DataFrame, got {type(lines).__name__}."
        )
    missing = [c for c in ("line", "quadrant") if c not in lines.columns]
    if missing or not {"metric", "factor"} & set(lines.columns):
        raise DataFormatError(
            f"triangulate: lines: columns {list(lines.columns)}; expected 'line', 'quadrant' and "
            "'metric' (the indicator) and/or 'factor' (the key factor)."
        )
    out = lines.reset_index(drop=True).copy()
    for c in ("metric", "factor"):
        out[c] = _text(out[c]) if c in out.columns else None
    out["line"] = _text(out["line"])
    if "value" not in out.columns:
        out["value"] = np.nan

    def fail(mask, column, what):
        i = int(np.flatnonzero(np.asarray(mask))[0])
        name = out["line"].iloc[i]
        name = f"line {name!r}" if isinstance(name, str) else "a line without an id"
        raise DataValueError(
            f"triangulate: lines, row {i + 1} ({name}), column {column!r}: {what}, found "
            f"{lines[column].iloc[i]!r}."
        )

    if out["line"].isna().any():
        fail(out["line"].isna(), "line", "every line needs an id")
    if out["line"].duplicated().any():
        fail(out["line"].duplicated(), "line", "a line id given twice; give each its own")
    quadrant = lookup(_text(out["quadrant"]).fillna(""), QUADRANTS)
    if quadrant.isna().any():
        fail(quadrant.isna(), "quadrant", f"expected one of {list(QUADRANTS)}")
    factor = lookup(out["factor"].fillna(""), FACTORS)
    if (factor.isna() & out["factor"].notna()).any():
        fail(factor.isna() & out["factor"].notna(), "factor", f"expected one of {list(FACTORS)}")
    if (out["metric"].isna() & out["factor"].isna()).any():
        fail(out["metric"].isna() & out["factor"].isna(), "line",
             "a line needs a metric (indicator) or a key factor")  # fmt: skip
    value = pd.to_numeric(out["value"], errors="coerce")
    if (value.isna() & out["value"].notna()).any():
        fail(value.isna() & out["value"].notna(), "value", "expected a number")
    out["quadrant"], out["factor"], out["value"] = quadrant, factor, value
    out["evidence_only"] = out["metric"].isna()
    return out


def _check_register(register: pd.DataFrame) -> pd.DataFrame:
    missing = [c for c in _REGISTER if c not in getattr(register, "columns", [])]
    if missing:
        raise DataFormatError(
            f"triangulate: register: missing column(s) {missing}; pass the register as "
            "clusterlib.io.evidence.read_evidence returns it."
        )
    return register.reset_index(drop=True).assign(_pos=lambda d: np.arange(len(d)))


def _relate(links: pd.DataFrame) -> pd.DataFrame:
    same = links["quadrant"] == links["line_quadrant"]
    opposite = links["quadrant"] == links["line_quadrant"].map(OPPOSITE)
    return links.assign(relation=np.select([same, opposite], RELATIONS[:2], RELATIONS[2]))


def _links(lines: pd.DataFrame, register: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return (every line including the evidence-only ones, the statement-line links)."""
    keep = ["line", "quadrant", "metric", "factor"]
    given = lines[keep].rename(columns={"quadrant": "line_quadrant", "factor": "line_factor"})
    named = register[register["indicator"].notna()]
    by_indicator = named.merge(given.dropna(subset=["metric"]), left_on="indicator",
                               right_on="metric")  # fmt: skip
    by_factor = register[register["indicator"].isna()].merge(
        given.dropna(subset=["line_factor"]), left_on="factor", right_on="line_factor"
    )
    links = pd.concat([by_indicator, by_factor], ignore_index=True)
    rest = register[~register["_pos"].isin(links["_pos"])]
    extra = rest[["factor", "quadrant"]].drop_duplicates()
    extra = extra.assign(
        line="evidence-only:" + extra["factor"] + ":" + extra["quadrant"], metric=None,
        value=np.nan, evidence_only=True,
    )  # fmt: skip
    auto = rest.merge(extra.rename(columns={"quadrant": "line_quadrant", "factor": "line_factor"}),
                      left_on="factor", right_on="line_factor")  # fmt: skip
    position = {**{f: i for i, f in enumerate(FACTORS)}, **{q: i for i, q in enumerate(QUADRANTS)}}
    extra = extra.sort_values(["factor", "quadrant"], key=lambda s: s.map(position))
    all_lines = pd.concat([lines, extra[lines.columns.intersection(extra.columns)]],
                          ignore_index=True)  # fmt: skip
    all_lines["evidence_only"] = all_lines["evidence_only"].astype(bool)
    return all_lines, _relate(pd.concat([links, auto], ignore_index=True))


def triangulate(lines: pd.DataFrame, register: pd.DataFrame) -> pd.DataFrame:
    """Count, for every SWOT line, the statements that support and contradict it by source type.

    Parameters
    ----------
    lines : pandas.DataFrame
        One row per SWOT line: ``line`` (a unique id), ``quadrant`` (strength, weakness,
        opportunity, threat, or a spelling :data:`~clusterlib.io.evidence.QUADRANTS` accepts),
        ``metric`` (the indicator it rests on; empty for an evidence-only line), ``value`` (the
        indicator's value, optional) and ``factor`` (the key factor, optional for a data line).
        Other columns (e.g. the finding's text) are kept.
    register : pandas.DataFrame
        The evidence register, as :func:`~clusterlib.io.evidence.read_evidence` returns it.

    Returns
    -------
    pandas.DataFrame
        The given lines in their order, then the evidence-only lines the register adds, with
        ``evidence_only``; ``supporting``, ``contradicting``, ``related`` (all sources);
        ``supporting_<source>`` and ``contradicting_<source>`` for each source type of
        :data:`~clusterlib.io.evidence.SOURCE_TYPES`; ``conflict`` and ``conflict_sources``
        (comma-separated source types, ``""`` when none). The rules are in the module
        docstring.

    References
    ----------
    Denzin, N. K. (1978). *The Research Act* (2nd ed.), ch. 10 (triangulation of data sources).
    Flick, U. (2018). *Doing Triangulation and Mixed Methods*. SAGE.

    Examples
    --------
    The data show the supplier links as a weakness; two workshop voices call them a strength:

    >>> lines = pd.DataFrame({"line": ["supplier-links"], "quadrant": ["weakness"],
    ...     "metric": ["innovation.rates.coop_suppliers"], "value": [0.22],
    ...     "factor": ["supplier_customer_links"]})
    >>> register = pd.DataFrame({"id": ["W1", "W2", "F1"],
    ...     "source_type": ["workshop", "workshop", "firm_interview"],
    ...     "factor": "supplier_customer_links", "quadrant": ["strength", "strength", "weakness"],
    ...     "indicator": [None, "innovation.rates.coop_suppliers", None],
    ...     "statement": ["Dobrze współpracujemy z dostawcami.", "Lokalni dostawcy są solidni.",
    ...                   "Dostawcy nie nadążają."]})
    >>> t = triangulate(lines, register)
    >>> t[["line", "supporting", "contradicting", "conflict", "conflict_sources"]]
                 line  supporting  contradicting  conflict conflict_sources
    0  supplier-links           1              2      True         workshop
    >>> t[["supporting_firm_interview", "contradicting_workshop"]]
       supporting_firm_interview  contradicting_workshop
    0                          1                       2
    """
    lines, register = _check_lines(lines), _check_register(register)
    all_lines, links = _links(lines, register)
    counts = pd.crosstab(links["line"], [links["relation"], links["source_type"]])
    counts = counts.reindex(
        columns=pd.MultiIndex.from_product([RELATIONS, list(SOURCE_TYPES)]), fill_value=0
    ).reindex(all_lines["line"], fill_value=0)
    out = all_lines.copy()
    for relation, word in zip(RELATIONS, ("supporting", "contradicting", "related"), strict=True):
        out[word] = counts[relation].sum(axis=1).to_numpy()
    for source in SOURCE_TYPES:
        out[f"supporting_{source}"] = counts[("supports", source)].to_numpy()
        out[f"contradicting_{source}"] = counts[("contradicts", source)].to_numpy()
    data_line = ~out["evidence_only"]
    outvoted = pd.DataFrame({
        s: data_line & (out[f"contradicting_{s}"] > out[f"supporting_{s}"]) for s in SOURCE_TYPES
    })  # fmt: skip
    out["conflict"] = outvoted.any(axis=1)
    out["conflict_sources"] = outvoted.apply(lambda r: ", ".join(r.index[r.to_numpy(bool)]), axis=1)
    return out


def evidence_quotes(
    lines: pd.DataFrame, register: pd.DataFrame, *, relation: str | None = None
) -> pd.DataFrame:
    """Return the statements behind :func:`triangulate`'s counts, one row per statement and line.

    Parameters
    ----------
    lines, register
        As :func:`triangulate`.
    relation : {"supports", "contradicts", "related"}, optional
        Only statements of this relation; default all.

    Returns
    -------
    pandas.DataFrame
        ``line``, ``relation``, then the register's columns of the statement (``id``, ``date``,
        ``source_type``, ``stakeholder``, ``statement``, ...), in the order of the lines, then
        supports, contradicts, related, then the register's order.

    Examples
    --------
    >>> lines = pd.DataFrame({"line": ["skills"], "quadrant": ["W"], "factor": ["skills"]})
    >>> register = pd.DataFrame({"id": ["W1", "E1"], "source_type": ["workshop", "expert"],
    ...     "factor": "skills", "quadrant": ["strength", "weakness"], "indicator": None,
    ...     "statement": ["Szkoły kształcą dobrze.", "Brakuje operatorów CNC."]})
    >>> evidence_quotes(lines, register)[["line", "relation", "id", "statement"]]
         line     relation  id                statement
    0  skills     supports  E1  Brakuje operatorów CNC.
    1  skills  contradicts  W1  Szkoły kształcą dobrze.
    """
    if relation is not None and relation not in RELATIONS:
        raise DataValueError(
            f"evidence_quotes: relation: expected one of {list(RELATIONS)} or None, found "
            f"{relation!r}."
        )
    lines, register = _check_lines(lines), _check_register(register)
    all_lines, links = _links(lines, register)
    if relation is not None:
        links = links[links["relation"] == relation]
    order = {line: i for i, line in enumerate(all_lines["line"])}
    links = links.assign(
        _line=links["line"].map(order), _rel=links["relation"].map(RELATIONS.index)
    ).sort_values(["_line", "_rel", "_pos"], kind="stable")
    columns = ["line", "relation", *[c for c in register.columns if c != "_pos"]]
    return links[columns].reset_index(drop=True)
