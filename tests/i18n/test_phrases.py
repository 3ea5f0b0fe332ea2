"""Findings said in every language: a message id and its values (clusterlib.i18n.phrases)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from clusterlib.errors import DataFormatError, OptionError
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


@pytest.mark.parametrize("bad", [None, True])
def test_no_value_and_booleans_are_refused_as_such(bad):
    # None and True are refused before the number test (True is an int to Python)
    with pytest.raises(DataFormatError, match=r"expected a number, text or phrase\.$"):
        say(phrase("{v}", v=bad))


@pytest.mark.parametrize("bad", [[1, 2], {"x": 1}])
def test_other_values_are_refused_naming_every_kind(bad):
    with pytest.raises(DataFormatError, match=r"expected a number, text, phrase, names or listing"):
        say(bad)


def test_a_bad_template_names_its_message():
    with pytest.raises(DataFormatError, match=r"^message '\{a\} \{b\}': the template names \{b\}"):
        say(phrase("{a} {b}", a=1))


def test_say_refuses_an_unknown_language_for_every_value():
    for value in ("PL22", 2.5, phrase("yes")):
        with pytest.raises(OptionError, match="found 'de'"):
            say(value, lang="de")


def test_a_message_may_have_no_args():
    # stored by hand (metrics.json) without "args": "yes" is "tak" in the catalogue
    assert say({"msgid": "yes"}, lang="pl") == "tak"
    assert say({"msgid": "yes", "args": None}) == "yes"
    assert msgids({"msgid": "yes"}) == ["yes"]


def test_numbers_text_and_names_alone_in_each_language():
    # 1234.5: Python's str in English; in Polish a decimal comma and a no-break space
    assert say(1234.5) == "1234.5" and say(1234.5, lang="pl") == "1\xa0234,5"
    assert say(7, lang="pl") == "7"
    assert say(names(en="Silesia", pl="śląskie"), lang="pl") == "śląskie"
    assert say(names(en="Silesia", pl="śląskie")) == "Silesia"
    assert say(names(en="Silesia"), lang="pl") == "Silesia"


def test_listings_in_each_language_and_their_default_separator():
    items = [phrase("yes"), 2.5, names(en="Silesia", pl="śląskie")]
    assert say(listing(items)) == "yes, 2.5, Silesia"
    assert say(listing(items), lang="pl") == "tak, 2,5, śląskie"
    # a generator is kept as a list: the listing is plain JSON and can be said twice
    gen = listing(x for x in [1, 2])
    assert json.loads(json.dumps(gen)) == {"join": ", ", "items": [1, 2]}
    assert say(gen) == say(gen) == "1, 2"


def test_names_are_text_and_drop_missing_languages():
    assert names(en=12, pl=None) == {"names": {"en": "12"}}  # a code read as a number
    with pytest.raises(DataFormatError, match=r"^names \{'en': ''\}: the English name"):
        names(en="")


def test_phrases_keep_plain_values_and_unwrap_numpy_scalars():
    msg = phrase("{a} {b} {c}", a=np.float64(0.5), b="PL22", c=phrase("yes"))
    assert msg == {"msgid": "{a} {b} {c}",
                   "args": {"a": 0.5, "b": "PL22", "c": {"msgid": "yes", "args": {}}}}  # fmt: skip
    assert type(msg["args"]["a"]) is float
    assert say(msg, lang="pl") == "0,5 PL22 tak"


def test_msgids_of_values_that_are_not_messages():
    assert msgids(2.5) == [] and msgids("PL22") == [] and msgids(names(en="Silesia")) == []
    nested = phrase("a {b}", b=listing([phrase("c {d}", d=phrase("yes")), "x"]))
    assert msgids(nested) == ["a {b}", "c {d}", "yes"]
