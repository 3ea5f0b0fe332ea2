"""convert_nuts and conversion_shares, case by case (mutation testing): refusals in full, the
index and order of the results, the source named when a JRC weight is zero.

Expected values by hand from the JRC matrix n2_cm_v2013_v2016.csv (PL12 -> PL91 2891572.78 and
PL92 2384428.52 inhabitants in 2011; PL34 -> PL84 whole) and the messages' wording.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest

from clusterlib import DataFormatError, DataValueError
from clusterlib.reference import nuts_convert, nuts_versions
from clusterlib.reference.nuts_convert import conversion_shares, convert_nuts, harmonise_nuts

PL91 = 2891572.777386215 / (2891572.777386215 + 2384428.5171821453)  # PL12's share in PL91


def _raises(exc, message: str):
    return pytest.raises(exc, match="^" + re.escape(message) + "$")


RATE_TAIL = (
    "; a rate is never divided between regions. Convert its numerator and denominator (e.g. "
    "MIO_EUR and the population), then divide again."
)


@pytest.mark.parametrize(
    "extra,message",
    [
        ({"unit": "EUR_HAB"}, "convert_nuts: unit 'EUR_HAB' is a rate or share" + RATE_TAIL),
        ({"unit": "XYZ"}, "convert_nuts: unit 'XYZ' is not known to be a count" + RATE_TAIL),
        ({"indicator": "V91290"}, "convert_nuts: indicator 'V91290' is not known to be a count "
         "(persons employed, local units and wages are); rates and shares are never divided "
         "between regions. Pass additive=True only if it is a count or a sum."),
        ({}, "convert_nuts: the table has no unit or indicator column, so nothing says that value "
         "is a count; pass additive=True if it is a count or a sum (persons, euros). Rates and "
         "shares are never divided between regions."),
    ],
)  # fmt: skip
def test_values_not_known_to_be_counts_are_refused_in_full(extra, message):
    table = pd.DataFrame({"region": ["PL12"], "year": 2009, "value": [10.0], **extra})
    with _raises(DataValueError, message):
        convert_nuts(table, source="2013", target="2021")


def test_harmonise_without_a_year_in_full():
    table = pd.DataFrame({"region": ["PL12"], "unit": "NR", "value": [10.0]})
    with _raises(DataFormatError, "harmonise_nuts: the table has no 'year' column; use "
                                  "convert_nuts."):  # fmt: skip
        harmonise_nuts(table, target="2021")


def test_a_table_of_region_and_value_only():
    # no key column: the rows are sorted by region alone. PL12 = 2 splits into
    # PL91 = 2 x 0.5480615... and PL92 = 2 x 0.4519385...; PL22 and the country pass unchanged
    table = pd.DataFrame({"region": ["PL22", "PL12", "PL"], "value": [1.0, 2.0, 3.0]})
    out = convert_nuts(table, source="2013", target="2016", additive=True)
    expect = pd.DataFrame({
        "region": ["PL", "PL22", "PL91", "PL92"],
        "value": [3.0, 1.0, 2 * PL91, 2 * (1 - PL91)],
        "converted": [False, False, True, True],
        "conversion": ["unchanged", "unchanged", "split", "split"],
        "conversion_weight": ["", "", "pop11", "pop11"],
    })  # fmt: skip
    pd.testing.assert_frame_equal(out, expect, check_dtype=False)
    assert isinstance(out.index, pd.RangeIndex)


def test_conversion_shares_sorted_with_a_fresh_index():
    # no step between the versions: every region keeps its code with share 1, sorted
    same = conversion_shares("2016", "2016", regions=["PL92", "PL22", "PL91"])
    expect = pd.DataFrame({"origin": ["PL22", "PL91", "PL92"], "region": ["PL22", "PL91", "PL92"],
                           "share": 1.0})  # fmt: skip
    pd.testing.assert_frame_equal(same, expect)


def test_a_zero_weight_names_its_own_source(monkeypatch):
    pieces = nuts_versions.nuts_pieces().copy()
    # CZ02 comes first in the table; a total weight of 0.5 is small but not zero: not named
    pieces.loc[(pieces["step"] == "2013-2016") & (pieces["from"] == "CZ02"), "pop11"] = 0.25
    # PL34's one piece (PL34 -> PL84) weighs 0
    pieces.loc[pieces["from"] == "PL34", "pop11"] = 0.0
    monkeypatch.setattr(nuts_convert, "nuts_pieces", lambda: pieces)
    with _raises(DataValueError, "the JRC weight pop11 of PL34 is zero in every piece "
                                 "(2013-2016); choose weight='areaKm'."):  # fmt: skip
        conversion_shares("2013", "2016", regions=["PL22"])
    # CZ02's small weights divide it as usual: 0.25 / (0.25 + 0.25)
    pieces.loc[pieces["from"] == "PL34", "pop11"] = 1.0
    got = conversion_shares("2013", "2016", regions=["CZ02"])
    assert got["share"].tolist() == [0.5, 0.5]
