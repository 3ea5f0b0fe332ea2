"""Names in every language for the chapters' findings (clusterlib.chapters.wording)."""

from __future__ import annotations

from clusterlib.chapters.segments import label_phrase
from clusterlib.chapters.value_chain_tables import io_labels, link_label
from clusterlib.chapters.wording import nace_name, region_name, term
from clusterlib.i18n.phrases import say


def test_region_names_polish_voivodeships_by_their_polish_name():
    # nuts_pl.csv: PL11 Łódzkie / łódzkie; a region outside Poland keeps its name in Polish
    assert region_name("PL11", "Lodzkie") == {"names": {"en": "Lodzkie", "pl": "łódzkie"}}
    assert region_name("CZ08", "Moravskoslezsko")["names"]["pl"] == "Moravskoslezsko"
    assert region_name("DE11", "Stuttgart [x]")["names"]["en"] == "Stuttgart \\[x\\]"  # Markdown


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
