"""Names in every language for the chapters' findings (clusterlib.chapters.wording)."""

from __future__ import annotations

import pytest

from clusterlib.chapters.segments import label_phrase
from clusterlib.chapters.value_chain_tables import io_labels, link_label
from clusterlib.chapters.wording import nace_name, nuts_finding, region_name, term
from clusterlib.i18n.phrases import say


def test_region_names_polish_voivodeships_by_their_polish_name():
    # nuts_pl.csv: PL11 Łódzkie / łódzkie; a region outside Poland keeps its name in Polish
    assert region_name("PL11", "Lodzkie") == {"names": {"en": "Lodzkie", "pl": "łódzkie"}}
    assert region_name("CZ08", "Moravskoslezsko")["names"]["pl"] == "Moravskoslezsko"
    assert region_name("DE11", "Stuttgart [x]")["names"]["en"] == "Stuttgart \\[x\\]"  # Markdown


def test_a_region_without_a_known_name_is_called_by_its_code():
    # was a DataFormatError: 14 of the 278 runs of `--nuts2 all` failed on a peer such as FRA1
    assert region_name("FRA1", "") == {"names": {"en": "FRA1", "pl": "FRA1"}}


def test_nace_names_from_pkd_and_back_to_english_without_one():
    assert nace_name("C33", "Repair")["names"] == {
        "en": "Repair",
        "pl": "Naprawa, konserwacja i instalowanie maszyn i urządzeń",
    }
    assert nace_name("X99", "Unknown")["names"]["pl"] == "Unknown"


def test_catalogue_terms_and_segment_labels():
    # the catalogue's form follows "Klaster" ("Klaster obróbki metali"), as in the brief's title
    assert term("metal processing")["names"] == {"en": "metal processing", "pl": "obróbki metali"}
    assert say(label_phrase("large firms"), lang="pl") == "duże firmy"
    assert say(label_phrase("small supply-chain subcontractors (export-oriented)")) == (
        "small supply-chain subcontractors (export-oriented)"
    )
    assert say(label_phrase("small supply-chain subcontractors (export-oriented)"), lang="pl") == (
        "podwykonawcy w łańcuchu dostaw (eksport) (małe firmy)"
    )
    assert say(label_phrase("small domestic firms"), lang="pl") == "małe firmy krajowe"


def test_value_chain_labels_in_polish():
    assert io_labels("pl")["c12"] == "Metale i wyroby metalowe gotowe"
    assert io_labels("pl").index.tolist() == io_labels().index.tolist()
    assert (io_labels("pl") != "").all()  # every WIOD industry has its Polish name
    assert link_label({"industry": "c12", "label": "Basic metals"}, lang="en") == "Basic metals"
    assert link_label({"name": "CONS_h", "label": "x", "kind": "final demand"}, lang="pl") == (
        "Spożycie gospodarstw domowych"
    )


def test_names_are_escaped_for_markdown_in_every_language():
    # md_text: Markdown's punctuation backslash-escaped, "&" a character reference
    assert region_name("DE11", "Stuttgart [x]")["names"] == {
        "en": "Stuttgart \\[x\\]",
        "pl": "Stuttgart \\[x\\]",  # no Polish name outside Poland: the escaped English one
    }
    assert nace_name("X99", "R&D *x*")["names"] == {
        "en": "R&amp;D \\*x\\*",
        "pl": "R&amp;D \\*x\\*",
    }
    assert term("a *b*")["names"] == {"en": "a \\*b\\*", "pl": "a \\*b\\*"}  # not in the catalogue


def test_a_mapped_code_is_a_finding_in_every_language():
    # clusterlib.reference.nuts_mapping.mapping_sentence's form; the catalogue's msgstr:
    # "{codes} (NUTS {version}) to {mapped} w danych według NUTS {data} użytych w tym opracowaniu."
    note = "PL84 (NUTS 2021) is PL34 in the NUTS 2013 data used here."
    f = nuts_finding(note)
    assert (f.key, f.text, f.value) == ("nuts", note, None)
    assert f.msgid == "{codes} (NUTS {version}) is {mapped} in the NUTS {data} data used here."
    assert f.args == {"codes": "PL84", "version": "2021", "mapped": "PL34", "data": "2013"}
    assert f.in_language("pl") == (
        "PL84 (NUTS 2021) to PL34 w danych według NUTS 2013 użytych w tym opracowaniu."
    )


def test_an_areas_mapped_members_are_a_finding_in_every_language():
    # map_regions' plural form with load_areas' "<area>: " prefix
    note = "Silesia+: PL84, PL62 (NUTS 2021) are PL34, PL62 in the NUTS 2013 data used here."
    f = nuts_finding(note)
    assert (f.key, f.text) == ("nuts", note)
    assert f.msgid == (
        "{area}: {codes} (NUTS {version}) are {mapped} in the NUTS {data} data used here."
    )
    assert f.args == {
        "area": "Silesia+",
        "codes": "PL84, PL62",
        "version": "2021",
        "mapped": "PL34, PL62",
        "data": "2013",
    }
    assert f.in_language("pl") == (
        "Silesia+: PL84, PL62 (NUTS 2021) to PL34, PL62 w danych według NUTS 2013 użytych w tym "
        "opracowaniu."
    )


@pytest.mark.parametrize(
    "note",
    [
        "PL84 is now PL34.",
        "PL84 (NUTS 2021) is PL34 in the NUTS 2013 data used here. Check it.",
        "PL84 (NUTS 21) is PL34 in the NUTS 2013 data used here.",
    ],
)
def test_another_sentence_stays_an_english_finding(note):
    f = nuts_finding(note)
    assert (f.key, f.text, f.value, f.msgid, f.args) == ("nuts", note, None, "", {})
    assert f.in_language("pl") == note
