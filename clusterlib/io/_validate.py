"""Turn pandera schema failures into one clear error that names file, row, field and expectation."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaError, SchemaErrors

from clusterlib.errors import DataFormatError, DataValueError

_MAX_SHOWN = 5


def validate(
    df: pd.DataFrame, schema: pa.DataFrameSchema, *, source: str | Path, advice: str
) -> pd.DataFrame:
    """Validate ``df`` lazily against ``schema``; raise one error listing the first failures.

    Rows are reported as 1-based data rows and as file lines (header = line 1), so ``row 3`` is
    ``line 4`` of a CSV.
    """
    try:
        return schema.validate(df, lazy=True)
    except (SchemaErrors, SchemaError) as exc:
        raise _translate(exc, df, source, advice) from None


def _translate(exc, df: pd.DataFrame, source, advice: str) -> Exception:
    cases = getattr(exc, "failure_cases", None)
    if cases is None or not isinstance(cases, pd.DataFrame) or cases.empty:
        return DataValueError(f"{source}: {exc}. {advice}")
    missing = cases[cases["check"].astype(str).str.contains("column_in_dataframe")]
    if not missing.empty:
        cols = sorted(missing["failure_case"].astype(str).unique())
        return DataFormatError(
            f"{source}: missing required column(s) {cols}; found {list(df.columns)}. {advice}"
        )
    lines = []
    multi = cases["check"].astype(str).str.startswith("multiple_fields_uniqueness")
    if multi.any():
        rows = sorted({int(i) for i in cases.loc[multi, "index"].dropna()})
        fields = list(dict.fromkeys(cases.loc[multi, "column"].astype(str)))
        key = tuple(df.iloc[rows[0]][fields].tolist())
        same = [r for r in rows if tuple(df.iloc[r][fields].tolist()) == key]
        lines.append(
            f"{source}, rows {', '.join(str(r + 1) for r in same)} (lines "
            f"{', '.join(str(r + 2) for r in same)}): duplicate key ({', '.join(fields)}) = {key}; "
            "expected each key once"
        )
        cases = cases[~multi]
    for _, case in cases.head(_MAX_SHOWN).iterrows():
        idx = case.get("index")
        pos = (
            f"row {int(idx) + 1} (line {int(idx) + 2})"
            if pd.notna(idx) and str(idx).lstrip("-").isdigit()
            else "every row"
        )
        field = case.get("column")
        found = case.get("failure_case")
        lines.append(
            f"{source}, {pos}, field {field!r}: expected {_expectation(case['check'])}, "
            f"found {found!r}"
        )
    more = f" (and {len(cases) - _MAX_SHOWN} more)" if len(cases) > _MAX_SHOWN else ""
    return DataValueError("; ".join(lines) + more + f". {advice}")


def _expectation(check: object) -> str:
    text = str(check)
    replacements = {
        "greater_than_or_equal_to": "a value >= ",
        "less_than_or_equal_to": "a value <= ",
        "in_range": "a value in the range ",
        "isin": "one of ",
        "str_matches": "text matching ",
        "not_nullable": "a value (not empty)",
        "field_uniqueness": "a unique value",
        "multiple_fields_uniqueness": "a unique combination of these fields",
        "coerce_dtype": "a value of type ",
    }
    for key, plain in replacements.items():
        if text.startswith(key):
            return plain + text[len(key) :].strip("()")
    return text
