"""Findings said in every language: a message id and its values (clusterlib.i18n.phrases)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from clusterlib.errors import DataFormatError
from clusterlib.i18n.phrases import listing, msgids, names, phrase, say


def test_a_nested_phrase_is_said_in_each_language_with_its_number_format():
    # by hand: the catalogue's msgstrs of the three msgids, numbers with a decimal comma and a
    # no-break space between thousands in Polish
    msg = phrase(
        "Star rating among the regions of {country}: **{stars} of {of}** (size: {size}, "
        "specialisation: {spec}, focus: {focus}).",
        country="PL", stars=np.int64(1), of=3, size=phrase("yes"), spec=phrase("no"),
        focus=phrase("no"),
    )  # fmt: skip
    assert say(msg) == (
        "Star rating among the regions of PL: **1 of 3** (size: yes, specialisation: no, focus: no)."
    )
    assert say(msg, lang="pl") == (
        "Ocena gwiazdkowa na tle regionów kraju PL: **1 z 3** (wielkość: tak, specjalizacja: nie, "
        "koncentracja: nie)."
    )
    assert json.loads(json.dumps(msg)) == msg  # plain JSON: NumPy scalars became numbers


def test_names_listings_and_numbers():
    msg = phrase("Most specialised divisions: {divisions}.", divisions=listing(
        [phrase("{code} {label} (LQ {lq:.2f})", code="C24",
                label=names(en="Manufacture of basic metals", pl="Produkcja metali"), lq=2.718),
         phrase("{code} {label} (LQ {lq:.2f})", code="B09", label=names(en="Mining support"),
                lq=12345.6)], sep="; "))  # fmt: skip
    assert say(msg) == (
        "Most specialised divisions: C24 Manufacture of basic metals (LQ 2.72); "
        "B09 Mining support (LQ 12345.60)."
    )
    assert say(msg, lang="pl") == (
        "Działy o najwyższej specjalizacji: C24 Produkcja metali (LQ 2,72); "
        "B09 Mining support (LQ 12345,60)."  # no Polish name: the English one
    )
    assert msgids(msg) == [
        "Most specialised divisions: {divisions}.",
        "{code} {label} (LQ {lq:.2f})",
        "{code} {label} (LQ {lq:.2f})",
    ]
    assert say(phrase("among {n}", n=1234), lang="pl") == "spośród 1\xa0234"
    assert say(2.5, lang="pl") == "2,5" and say("PL22", lang="pl") == "PL22"


def test_a_message_without_a_translation_stays_english():
    assert say(phrase("no such message {n:.1f}", n=1.25), lang="pl") == "no such message 1,2"


@pytest.mark.parametrize("bad", [None, True, [1, 2], {"x": 1}, object()])
def test_a_value_that_is_not_a_number_text_or_phrase_is_refused(bad):
    with pytest.raises(DataFormatError, match="a finding's value"):
        say(phrase("{v}", v=bad))


def test_names_need_the_english_name():
    with pytest.raises(DataFormatError, match="the English name"):
        names(pl="śląskie")
    assert names(en="Śląskie", pl="") == {"names": {"en": "Śląskie"}}


def test_a_template_may_only_name_its_values():
    with pytest.raises(DataFormatError, match="not one of its values"):
        say(phrase("{a} {b}", a=1))
    with pytest.raises(DataFormatError, match="not allowed"):
        say(phrase("{a.real}", a=1))
