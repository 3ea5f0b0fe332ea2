"""Eurostat observation flags, letter by letter (issue 26, mutation testing).

The meanings of c, r, s and z are those of Eurostat's *Bulk download guide* (2017), copied in the
module's ``OTHER_LETTERS``; the others are the single-letter rows of ``codelist_obs_flag.tsv``.
"""

from __future__ import annotations

import re

import pytest

from clusterlib.io.eurostat_flags import flag_letters, flag_meaning, is_known_flag

LETTERS = "bcdefimnprsuz"


def test_the_letters_of_the_2017_files():
    assert flag_meaning("r") == "revised"
    assert flag_meaning("s") == "Eurostat estimate"
    assert flag_meaning("z") == "not applicable"
    # in the order of the flag, not of the alphabet
    assert flag_meaning("zsrc") == "not applicable, Eurostat estimate, revised, confidential"


def test_letters_of_the_code_list_read_in_the_flags_order():
    assert flag_meaning("mi") == (
        "missing value; data cannot exist, value imputed by Eurostat or other receiving agencies"
    )
    assert flag_meaning("pe") == "provisional, estimated"
    assert flag_letters()["u"] == "low reliability"


@pytest.mark.parametrize("flag", ["", "b", "bc", "bdeipu", LETTERS, LETTERS[::-1]])
def test_known_flags(flag):
    assert is_known_flag(flag) is True
    assert flag_meaning(flag).count(", ") == max(len(flag) - 1, 0)


@pytest.mark.parametrize("flag", ["bb", "bcb", "x", "bx", "xb", " ", "b ", "P", "cc", "a"])
def test_unknown_or_repeated_flags(flag):
    assert is_known_flag(flag) is False
    with pytest.raises(
        ValueError,
        match="^"
        + re.escape(
            f"{flag!r} is not a Eurostat flag: each letter must be one of {LETTERS}, used once."
        )
        + "$",
    ):
        flag_meaning(flag)
