"""NUTS versions, case by case (mutation testing): messages in full, default sources, and the
version a counterpart is looked up from.

Expected values are read off the JRC converter matrices in data/raw/nuts/jrc_converter by hand
(rows quoted beside the tests) and off the package table nuts_versions.csv.
"""

from __future__ import annotations

import re

import pytest

from clusterlib import UnknownCodeError
from clusterlib.errors import OptionError
from clusterlib.reference.nuts_versions import (
    check_nuts_version,
    check_version,
    counterparts,
    detect_version,
)


def _raises(exc, message: str):
    return pytest.raises(exc, match="^" + re.escape(message) + "$")


def test_counterparts_start_from_the_codes_latest_territory():
    # NL31 Utrecht and NL33 Zuid-Holland are codes of NUTS 2013, 2016 and 2021. Their borders
    # moved in 2016 -> 2021 (n2_cm_v2016_v2021.csv): NL33,NL31 34014.44 inhabitants (pop11) of
    # NL33's 3525933.50 (0.96 %, above the 0.1 % sliver limit) went to NL31. In 2021 -> 2024
    # (n2_cm_v2021_v2024.csv) the 2021 regions were only recoded: NL31,NL35 and NL33,NL36 are
    # their only pieces. So NUTS 2021's NL33 is NL36 and NL31 is NL35, whole. Walking from 2013
    # instead would give NL33 -> "NL35 + NL36" and NL31 -> "part of NL35". NL35 and NL36 have no
    # name in the table: no empty brackets.
    assert counterparts("NL33", "2024") == "NL36"
    assert counterparts("NL31", "2024") == "NL35"


def test_an_unknown_version_is_refused_naming_the_known_ones():
    with _raises(OptionError, "NUTS version '2010' is not known; expected one of 2013, 2016, "
                              "2021, 2024."):  # fmt: skip
        check_version("2010")
    assert check_version(2016) == "2016"


def test_check_nuts_version_names_the_first_code_in_order_and_the_source():
    # PL91 and PL84 are not NUTS 2013 codes; sorted, PL84 comes first. PL84 Podlaskie was PL34
    # (n2_cm_v2013_v2016.csv: PL34,PL84, the whole region)
    with _raises(UnknownCodeError, "file x.csv: PL84 is a NUTS 2016/2021/2024 code (Podlaskie); "
                                   "in NUTS 2013 it is PL34 (Podlaskie)."):  # fmt: skip
        check_nuts_version(["PL22", "PL91", "PL84"], version="2013", source="file x.csv")


def test_a_missing_code_is_named_not_a_crash():
    # a missing cell (None) among the codes is a code of no version, named like any other (as
    # detect_version names it); sorted, 'None' comes before 'XX99'. Before the fix, pandas kept
    # None missing under astype(str) and sorting NaN with 'XX99' raised a raw TypeError
    with _raises(UnknownCodeError, "region: 'None' is not a code of NUTS 2013/2016/2021/2024 "
                                   "(perhaps of an older version, such as NUTS 2010, or misspelt). "
                                   "Use codes of one NUTS version."):  # fmt: skip
        check_nuts_version(["PL22", None, "XX99"], version="2021")
    with pytest.raises(UnknownCodeError, match=r"^region: 'None' is not a code"):
        check_nuts_version(["PL22", None], version="2021")


def test_detect_version_messages_name_their_source():
    # the default source is "data"
    with pytest.raises(UnknownCodeError, match=r"^data: the codes mix NUTS versions: PL12 is"):
        detect_version(["PL12", "PL91"])
    with _raises(UnknownCodeError, "year 2009: 'XX99' is not a code of NUTS 2013/2016/2021/2024 "
                                   "(perhaps of an older version, such as NUTS 2010, or misspelt). "
                                   "Use codes of one NUTS version."):  # fmt: skip
        detect_version(["PL22", "XX99"], source="year 2009")
    with pytest.raises(UnknownCodeError, match=r"^data: 'XX99' is not a code"):
        detect_version(["XX99"])
