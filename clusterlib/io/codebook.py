"""The firm-survey data contract: the YAML codebook, the pandera schema built from it, the checks.

Both ways in (a file in codebook form, :mod:`clusterlib.io.survey`; a questionnaire export through
its mapping, :mod:`clusterlib.io.questionnaire`) end in :func:`validate_survey`.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

import numpy as np
import pandas as pd
import pandera.pandas as pa

from clusterlib.errors import DataFormatError, DataValueError, EmptyDataError, where
from clusterlib.io._validate import validate
from clusterlib.io.text import parse_numbers
from clusterlib.reference.nace import nace_divisions
from clusterlib.reference.nuts import named_nuts2, pl_voivodeships
from clusterlib.yamlfile import load_yaml_text

_ADVICE = "Fix those cells (see data/survey/CODEBOOK.md for each variable's expected values)."


@cache
def codebook() -> pd.DataFrame:
    """Return the survey codebook as a table.

    Returns
    -------
    pandas.DataFrame
        One row per variable (index ``name``) with ``group``, ``kind``, ``min``, ``max``,
        ``scale`` (Likert items), ``reverse`` (reverse-coded item) and ``label``.
    """
    text = resources.files("clusterlib.io").joinpath("survey_codebook.yaml").read_text("utf-8")
    rows = []
    for group, variables in load_yaml_text(text, source="survey_codebook.yaml").items():
        for name, spec in variables.items():
            rows.append(
                {
                    "name": name,
                    "group": group,
                    "scale": "",
                    "reverse": False,
                    "min": np.nan,
                    "max": np.nan,
                    **spec,
                }
            )
    return pd.DataFrame(rows).set_index("name")


def likert_scales() -> dict[str, list[str]]:
    """Return each Likert scale's items, e.g. ``{"science_links": ["sl1", "sl2", "sl3"], ...}``."""
    cb = codebook()
    items = cb[cb["kind"] == "likert"]
    return {s: list(g.index) for s, g in items.groupby("scale", sort=False)}


def reverse_items() -> list[str]:
    """Return the reverse-coded Likert items."""
    cb = codebook()
    return list(cb.index[cb["reverse"].astype(bool)])


@cache
def _known_regions() -> frozenset[str]:
    return named_nuts2() | frozenset(pl_voivodeships().index)


@cache
def _schema() -> pa.DataFrameSchema:
    divisions = nace_divisions()
    cols = {}
    for name, v in codebook().iterrows():
        kind = v["kind"]
        if kind == "id":
            col = pa.Column(str, pa.Check.str_length(min_value=1), unique=True, nullable=False)
        elif kind == "region":
            col = pa.Column(str, pa.Check.isin(sorted(_known_regions())))
        elif kind == "nace":
            col = pa.Column(str, pa.Check.isin(divisions))
        elif kind in ("int", "ordinal"):
            col = pa.Column(float, pa.Check.in_range(v["min"], v["max"]))
        elif kind == "binary":
            col = pa.Column(float, pa.Check.isin([0, 1]))
        elif kind == "likert":
            col = pa.Column(float, pa.Check.isin([1, 2, 3, 4, 5]), nullable=True)
        elif kind == "share":
            col = pa.Column(float, pa.Check.in_range(0, 1))
        elif kind == "count":
            col = pa.Column(
                float,
                [
                    pa.Check.ge(0),
                    pa.Check(lambda s: s % 1 == 0, element_wise=False, error="a whole number"),
                ],
            )
        else:  # pragma: no cover - codebook is package data
            raise ValueError(f"codebook: unknown kind {kind!r} for {name}")
        cols[name] = col
    return pa.DataFrameSchema(cols, strict=False, coerce=False)


def survey_from_frame(frame: pd.DataFrame, *, source: str, decimal: str = ".") -> pd.DataFrame:
    """Validate a survey already in memory (a copy, column names as text; see ``read_survey``).

    Raises
    ------
    EmptyDataError
        The frame has no rows.
    """
    raw = frame.copy()
    if raw.empty:
        raise EmptyDataError(f"{source}: the survey holds no firms (0 rows).")
    raw.columns = [str(c) for c in raw.columns]
    return validate_survey(raw, source=source, decimal=decimal)


def validate_survey(
    raw: pd.DataFrame,
    *,
    source: str,
    decimal: str = ".",
    sep: str | None = None,
    from_file: bool = False,
) -> pd.DataFrame:
    """Check a raw survey table against the codebook and return it typed (see ``read_survey``).

    ``sep`` and ``from_file`` only shape the hint given when the header looks mis-split.

    Raises
    ------
    DataFormatError, DataValueError
        As :func:`clusterlib.io.survey.read_survey`.
    """
    cb = codebook()
    missing = [c for c in cb.index if c not in raw.columns]
    if missing:
        hint = ""
        if len(raw.columns) <= 2 and from_file:
            used = raw.attrs.get("sep", sep)
            hint = (
                f" The header split on {used!r} into {len(raw.columns)} column(s) only "
                f"({list(raw.columns)[:1]!r}...): the separator is probably wrong; pass sep=."
            )
        raise DataFormatError(
            f"{source}: missing required column(s) {missing}. The survey needs every variable of "
            "data/survey/CODEBOOK.md; rename your columns to the codebook names." + hint
        )
    df = raw.copy()
    for name in ("firm_id", "region", "nace"):
        df[name] = df[name].astype(str).str.strip()
        df.loc[df[name].isin(["", "nan", "None", "<NA>"]) | raw[name].isna(), name] = ""
    numeric = [c for c in cb.index if cb.at[c, "kind"] not in ("id", "region", "nace")]
    for name in numeric:
        kind = cb.at[name, "kind"]
        df[name] = parse_numbers(
            raw[name],
            source=source,
            column=name,
            decimal=decimal,
            integer=kind in _WHOLE,
            allow_missing=kind == "likert",
            expected=_EXPECTED.get(kind, "a number"),
        )
    empty_id = df["firm_id"] == ""
    if empty_id.any():
        i = int(np.flatnonzero(empty_id.to_numpy())[0])
        raise DataValueError(
            f"{where(source, i + 2, 'firm_id')} (row {i + 1}): expected a firm id, found an empty "
            "cell. Give every firm a unique id."
        )
    out = validate(df, _schema(), source=source, advice=_ADVICE)
    out.attrs["synthetic"] = bool(
        "synthetic" in out.columns
        and out["synthetic"].astype(str).isin(["1", "True", "true", "1.0"]).all()
    )
    out.attrs["source"] = source
    return out


#: Codebook kinds whose values are whole numbers.
_WHOLE = frozenset({"int", "ordinal", "count", "binary", "likert"})
_EXPECTED = {
    "int": "a whole number",
    "ordinal": "a whole number on the scale",
    "count": "a count 0, 1, 2, ...",
    "binary": "0 or 1",
    "likert": "a whole number 1-5 (empty for no answer)",
    "share": "a share between 0 and 1",
}


def codebook_markdown() -> str:
    """Render the codebook as the Markdown of ``data/survey/CODEBOOK.md``."""
    cb = codebook()
    lines = [
        "# Firm survey codebook",
        "",
        "Rendered from `clusterlib/io/survey_codebook.yaml`, which `clusterlib.read_survey` "
        "enforces. One row per firm. Likert items are 1 (strongly disagree) to 5 (strongly agree) "
        "and may be empty for item non-response; every other variable is required.",
        "",
    ]
    kinds = {
        "id": "text, unique",
        "region": "NUTS2 code",
        "nace": "NACE division",
        "binary": "0/1",
        "likert": "1-5",
        "share": "0-1",
        "count": "0, 1, 2, ...",
    }
    for group, g in cb.groupby("group", sort=False):
        lines += [
            f"## {group}",
            "",
            "| variable | values | scale | description |",
            "|---|---|---|---|",
        ]
        for name, v in g.iterrows():
            values = kinds.get(v["kind"], f"{v['min']:g}-{v['max']:g}")
            scale = v["scale"] + (" (reverse)" if v["reverse"] else "")
            lines.append(f"| `{name}` | {values} | {scale} | {v['label']} |")
        lines.append("")
    return "\n".join(lines)
