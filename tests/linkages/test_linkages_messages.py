"""Every error message of clusterlib.linkages, whole: each names the table, the region, the
industry or label, what was expected and what to do (pinned in full so no word goes missing).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import clusterlib as cl
from clusterlib import errors


def io(v, lab="ab", cols=None):
    return pd.DataFrame(v, index=list(lab), columns=list(cols or lab), dtype=float)


OK = io([[0.1, 0.2], [0.3, 0.1]])
SING = io([[0.5, 0.5], [0.5, 0.5]])
NEG = io([[0.6, 0.9], [0.9, 0.6]])


def stacked(*tables):
    return pd.concat(dict(zip(["R1", "R2"], tables, strict=True)))


CASES = {
    "leontief-not-frame": lambda: cl.leontief_inverse(np.eye(2)),
    "leontief-singular": lambda: cl.leontief_inverse(SING),
    "leontief-negative": lambda: cl.leontief_inverse(NEG),
    "ghosh-stacked-singular": lambda: cl.ghosh_inverse(stacked(OK, SING)),
    "ghosh-negative": lambda: cl.ghosh_inverse(NEG),
    "ghosh-stacked-negative": lambda: cl.ghosh_inverse(stacked(OK, NEG.T)),
    "indices-singular": lambda: cl.linkage_indices(SING),
    "indices-negative-coef": lambda: cl.linkage_indices(io([[0.1, -0.2], [0.3, 0.1]])),
    "extraction-singular": lambda: cl.hypothetical_extraction(
        SING, pd.Series({"a": 1.0, "b": 1.0}), extract="a"
    ),
    "extraction-stacked": lambda: cl.hypothetical_extraction(
        stacked(OK, OK), pd.Series({"a": 1.0, "b": 1.0}), extract="a"
    ),
    "extraction-fd": lambda: cl.hypothetical_extraction(OK, pd.Series({"a": 1.0}), extract="a"),
    "extraction-unknown-long": lambda: cl.hypothetical_extraction(
        io(np.eye(9) * 0.1, "abcdefghi"), pd.Series(1.0, index=list("abcdefghi")), extract=["z"]
    ),
    "extraction-empty": lambda: cl.hypothetical_extraction(
        OK, pd.Series({"a": 1.0, "b": 1.0}), extract=[]
    ),
    "multipliers-singular": lambda: cl.multipliers(SING),
    "multipliers-closed-singular": lambda: cl.multipliers(
        io([[0.5]], "a"), income=pd.Series({"a": 1.0}), consumption=pd.Series({"a": 0.5})
    ),
    "multipliers-consumption-labels": lambda: cl.multipliers(
        OK, income=pd.Series({"a": 1.0, "b": 1.0}), consumption=pd.Series({"a": 0.5})
    ),
    "multipliers-value-added-nan": lambda: cl.multipliers(
        OK, value_added=pd.Series({"a": 1.0, "b": np.nan})
    ),
    "multipliers-negative": lambda: cl.multipliers(OK, income=pd.Series({"a": 1.0, "b": -1.0})),
    "regionalise-stacked": lambda: cl.regionalise(
        stacked(OK, OK),
        regional=pd.Series({"a": 1.0, "b": 1.0}),
        national=pd.Series({"a": 1.0, "b": 1.0}),
    ),
    "regionalise-frame-nan": lambda: cl.regionalise(
        OK,
        regional=pd.DataFrame([[1.0, np.nan]], index=["X"], columns=list("ab")),
        national=pd.Series({"a": 1.0, "b": 1.0}),
    ),
    "regionalise-frame-dup": lambda: cl.regionalise(
        OK,
        regional=pd.DataFrame([[1.0, 1.0], [1.0, 1.0]], index=["X", "X"], columns=list("ab")),
        national=pd.Series({"a": 1.0, "b": 1.0}),
    ),
    "regionalise-frame-empty-region": lambda: cl.regionalise(
        OK,
        regional=pd.DataFrame([[1.0, 1.0], [0.0, 0.0]], index=["X", "Y"], columns=list("ab")),
        national=pd.Series({"a": 1.0, "b": 1.0}),
    ),
    "regionalise-frame-extra": lambda: cl.regionalise(
        OK,
        regional=pd.DataFrame([[1.0, 1.0, 1.0]], index=["X"], columns=list("abz")),
        national=pd.Series({"a": 1.0, "b": 1.0}),
    ),
    "strength-not-frame": lambda: cl.io_link_strength([[1]]),
    "strength-negative": lambda: cl.io_link_strength(io([[1, -1], [1, 1]])),
    "coefficients-text": lambda: cl.technical_coefficients(
        pd.DataFrame({"a": [1.0, 2.0], "b": ["x", 1.0]}, index=list("ab")),
        pd.Series({"a": 1.0, "b": 1.0}),
    ),
    "coefficients-dup": lambda: cl.technical_coefficients(
        io([[1, 1], [1, 1]], "aa"), pd.Series([1.0, 1.0], index=list("aa"))
    ),
    "coefficients-empty": lambda: cl.technical_coefficients(pd.DataFrame(), pd.Series(dtype=float)),
    "coefficients-nan-label": lambda: cl.technical_coefficients(
        pd.DataFrame([[1.0]], index=[np.nan], columns=[np.nan]), pd.Series([1.0])
    ),
    "coefficients-output-not-series": lambda: cl.allocation_coefficients(OK, [1.0, 2.0]),
    "stacked-bad-order": lambda: cl.leontief_inverse(
        pd.concat({"R1": OK, "R2": OK.loc[["b", "a"]]})
    ),
    "stacked-three-levels": lambda: cl.leontief_inverse(
        pd.DataFrame(
            np.zeros((2, 2)),
            index=pd.MultiIndex.from_tuples([(1, 2, "a"), (1, 2, "b")]),
            columns=list("ab"),
        )
    ),
}

EXPECTED = {
    'leontief-not-frame': ('DataFormatError', 'A: expected a pandas DataFrame with industries as index and columns, found ndarray.'),
    'leontief-singular': ('DataValueError', "A: I - A is singular, so the Leontief inverse does not exist; industry 'b' is the most involved (a set of industries uses up all its own output). Check that its coefficient column's sum is below 1 and that the table is not missing final demand."),
    'leontief-negative': ('DataValueError', "A: the Leontief inverse has a negative entry (-0.6154 at row 'a', column 'a'): the table is not productive (Hawkins-Simon conditions fail). Industry 'a' has the largest coefficient sum (1.5); sums of 1 or more mean an industry needs more inputs than it produces: check its output and flows."),
    'ghosh-stacked-singular': ('DataValueError', "B: region 'R2': I - B is singular, so the Ghosh inverse does not exist; industry 'b' is the most involved (a set of industries uses up all its own output). Check that its coefficient row's sum is below 1 and that the table is not missing final demand."),
    'ghosh-negative': ('DataValueError', "B: the Ghosh inverse has a negative entry (-0.6154 at row 'a', column 'a'): the table is not productive (Hawkins-Simon conditions fail). Industry 'a' has the largest coefficient sum (1.5); sums of 1 or more mean an industry needs more inputs than it produces: check its output and flows."),
    'ghosh-stacked-negative': ('DataValueError', "B: region 'R2': the Ghosh inverse has a negative entry (-0.6154 at row 'a', column 'a'): the table is not productive (Hawkins-Simon conditions fail). Industry 'a' has the largest coefficient sum (1.5); sums of 1 or more mean an industry needs more inputs than it produces: check its output and flows."),
    'indices-singular': ('DataValueError', "A: I - A is singular, so the Leontief inverse does not exist; industry 'b' is the most involved (a set of industries uses up all its own output). Check that its coefficient column's sum is below 1 and that the table is not missing final demand."),
    'indices-negative-coef': ('DataValueError', "A, row 'a', column 'b': expected a flow >= 0, found -0.2. Intermediate flows cannot be negative; check the sign convention or move net taxes and subsidies out of the flow block."),
    'extraction-singular': ('DataValueError', "A: I - A is singular, so the Leontief inverse does not exist; industry 'b' is the most involved (a set of industries uses up all its own output). Check that its coefficient column's sum is below 1 and that the table is not missing final demand."),
    'extraction-stacked': ('DataFormatError', 'A: hypothetical extraction takes one table, not a stacked (region, industry) one; select a region with A.loc[region].'),
    'extraction-fd': ('DataFormatError', "final_demand: labels do not match the table's industries: no value for ['b']. Use the same industry codes as the flow table."),
    'extraction-unknown-long': ('UnknownCodeError', "extract: ['z'] not among the table's industries ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'] ...; name industries of the table."),
    'extraction-empty': ('UnknownCodeError', 'extract: no industry named; name at least one industry of the table.'),
    'multipliers-singular': ('DataValueError', "A: I - A is singular, so the Leontief inverse does not exist; industry 'b' is the most involved (a set of industries uses up all its own output). Check that its coefficient column's sum is below 1 and that the table is not missing final demand."),
    'multipliers-closed-singular': ('DataValueError', "A closed with households: I - A closed with households is singular, so the Leontief inverse does not exist; industry 'a' is the most involved (a set of industries uses up all its own output). Check that its coefficient column's sum is below 1 and that the table is not missing final demand."),
    'multipliers-consumption-labels': ('DataFormatError', "consumption: labels do not match the table's industries: no value for ['b']. Use the same industry codes as the flow table."),
    'multipliers-value-added-nan': ('DataValueError', "value_added, industry 'b': expected a finite number, found nan."),
    'multipliers-negative': ('DataValueError', "income, industry 'b': expected a value >= 0, found -1."),
    'regionalise-stacked': ('DataFormatError', 'A: regionalise takes the national table, not a stacked one.'),
    'regionalise-frame-nan': ('DataValueError', "regional, row 'X', column 'b': expected a finite number, found nan. Fill it in; write 0 only where the value is truly zero."),
    'regionalise-frame-dup': ('DataFormatError', "regional rows (regions): label 'X' appears more than once; expected each label once."),
    'regionalise-frame-empty-region': ('DataValueError', "regional: region 'Y' has no employment in any industry."),
    'regionalise-frame-extra': ('DataFormatError', "regional: columns do not match the table's industries (missing [], not in the table ['z']). Use one column per industry of A."),
    'strength-not-frame': ('DataFormatError', 'flows: expected a pandas DataFrame with industries as index and columns, found list.'),
    'strength-negative': ('DataValueError', "flows, row 'a', column 'b': expected a flow >= 0, found -1. Intermediate flows cannot be negative; check the sign convention or move net taxes and subsidies out of the flow block."),
    'coefficients-text': ('DataValueError', "flows, row 'a', column 'b': expected a number, found 'x'."),
    'coefficients-dup': ('DataFormatError', "flows rows: label 'a' appears more than once; expected each label once."),
    'coefficients-empty': ('DataFormatError', 'flows: the table has no industries.'),
    'coefficients-nan-label': ('DataFormatError', 'flows rows: an industry label is missing (empty or NaN).'),
    'coefficients-output-not-series': ('DataFormatError', 'output: expected a pandas Series indexed by industry, found list.'),
    'stacked-bad-order': ('DataFormatError', "A: every region must have one row per industry, in the columns' order (2 industries); sort with df.loc[pd.MultiIndex.from_product([regions, industries])]."),
    'stacked-three-levels': ('DataFormatError', 'A: a stacked table needs a (region, industry) row index, found 3 levels.'),
}  # fmt: skip


@pytest.mark.parametrize("case", list(CASES))
def test_whole_message(case):
    kind, message = EXPECTED[case]
    with pytest.raises(getattr(errors, kind)) as exc:
        CASES[case]()
    assert str(exc.value) == message
