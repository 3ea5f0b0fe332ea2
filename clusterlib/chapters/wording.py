"""Names in every language of the reports, for the values of the chapters' findings.

A finding (:class:`clusterlib.chapters.metrics.Finding`) is a template and its values; a name in
it is given in each language (:func:`clusterlib.i18n.phrases.names`) when the finding is made,
from the reference tables: regions (Polish voivodeships by their Polish names), NACE divisions
(PKD 2007), input-output industries and terms of the message catalogue (a cluster's name).
Each name is escaped for Markdown (:func:`clusterlib.chapters.display.md_text`).
"""

from __future__ import annotations

from clusterlib.chapters.display import md_text
from clusterlib.i18n.messages import gettext
from clusterlib.i18n.numbers import LOCALES
from clusterlib.i18n.phrases import names

__all__ = ["nace_name", "region_name", "term"]


def region_name(code: str, name: str) -> dict:
    """Return a region's name: a Polish voivodeship's Polish name in Polish, else ``name``.

    Examples
    --------
    >>> region_name("PL22", "Śląskie")
    {'names': {'en': 'Śląskie', 'pl': 'śląskie'}}
    >>> region_name("CZ08", "Moravskoslezsko")["names"]["pl"]
    'Moravskoslezsko'
    """
    from clusterlib.reference.nuts import pl_voivodeships

    pl = pl_voivodeships()["nazwa"].get(code, name)
    return names(en=md_text(name), pl=md_text(pl))


def nace_name(code: str, label: str) -> dict:
    """Return a NACE division's name: its English ``label``, in Polish the PKD 2007 name.

    Examples
    --------
    >>> nace_name("C24", "Manufacture of basic metals")["names"]["pl"]
    'Produkcja metali'
    """
    from clusterlib.reference.nace import nace_labels_pl

    return names(en=md_text(label), pl=md_text(nace_labels_pl([code])[code] or label))


def term(text: str) -> dict:
    """Return a name from the message catalogue (e.g. a cluster's name) in every language.

    Examples
    --------
    >>> term("metal and machinery")["names"]["pl"]
    'metalowo-maszynowy'
    """
    return names(**{lang: md_text(gettext(text, lang=lang)) for lang in LOCALES})
