"""The gettext catalogue of the brief's fixed strings (clusterlib.i18n.messages).

Expected Polish strings are the catalogue's msgstrs (clusterlib/i18n/locale/pl/LC_MESSAGES/
clusterlib.po), with numbers written by hand in the CLDR conventions for pl: decimal comma and
U+00A0 (no-break space) between groups of three digits.
"""

from __future__ import annotations

import pytest

from clusterlib.errors import DataFormatError, OptionError
from clusterlib.i18n.messages import catalogue, gettext, translate, untranslated

NB = "\u00a0"


def test_the_catalogue_is_the_polish_po_file_of_the_clusterlib_domain():
    cat = catalogue("pl")
    assert cat.domain == "clusterlib"
    assert str(cat.locale) == "pl"
    # po file: msgid "Threats" / msgstr "Zagrożenia"; msgid "among {n}" / msgstr "spośród {n}"
    assert cat.get("Threats").string == "Zagrożenia"
    assert cat.get("among {n}").string == "spośród {n}"
    assert catalogue("pl") is cat  # read once


def test_a_catalogue_of_an_unknown_language_is_refused():
    with pytest.raises(OptionError, match=r"language: expected one of \['en', 'pl'\], found 'de'"):
        catalogue("de")
    with pytest.raises(OptionError, match="found 'de'"):
        gettext("Threats", lang="de")


def test_gettext_in_each_language():
    assert gettext("Threats", lang="pl") == "Zagrożenia"
    assert gettext("Threats", lang="en") == "Threats"
    # English is the source language: its msgid even when Polish has a msgstr
    assert gettext("among {n}", lang="en") == "among {n}"
    # a msgid the catalogue does not have stays as it is
    assert gettext("no such message", lang="pl") == "no such message"


def test_a_message_without_a_msgstr_stays_english(monkeypatch):
    message = catalogue("pl").get("Threats")
    monkeypatch.setattr(message, "string", "")
    assert gettext("Threats", lang="pl") == "Threats"


def test_translate_fills_the_values_in_the_languages_number_format():
    # msgstr "spośród {n}": 1234 -> "1 234" with a no-break space in Polish
    assert translate("among {n}", lang="pl", n=1234) == f"spośród 1{NB}234"
    assert translate("among {n}", lang="en", n=1234) == "among 1234"
    assert translate("among {n}", lang="pl", n=2.5) == "spośród 2,5"
    assert translate("Threats", lang="pl") == "Zagrożenia"


def test_a_bad_template_names_the_catalogue_and_message():
    with pytest.raises(DataFormatError, match=r"^catalogue pl: 'among \{n\}': .*names \{n\}"):
        translate("among {n}", lang="pl")
    with pytest.raises(DataFormatError, match=r"^catalogue en: 'among \{n\}': .*names \{n\}"):
        translate("among {n}", lang="en", m=1)


def test_untranslated_lists_empty_and_fuzzy_msgstrs(monkeypatch):
    cat = catalogue("pl")
    assert untranslated("pl") == []  # the header (msgid "") is not a message
    monkeypatch.setattr(cat.get("Threats"), "string", "")
    assert untranslated("pl") == ["Threats"]
    monkeypatch.setattr(cat.get("among {n}"), "flags", {"fuzzy"})  # translated, but fuzzy
    assert sorted(untranslated("pl")) == ["Threats", "among {n}"]
