"""Names in every language of the reports, for the values of the chapters' findings.

A finding (:class:`clusterlib.chapters.metrics.Finding`) is a template and its values; a name in
it is given in each language (:func:`clusterlib.i18n.phrases.names`) when the finding is made,
from the reference tables: regions (Polish voivodeships by their Polish names), NACE divisions
(PKD 2007), input-output industries and terms of the message catalogue (a cluster's name).
Each name is escaped for Markdown (:func:`clusterlib.chapters.display.md_text`).
"""

from __future__ import annotations

import re

from clusterlib.chapters.display import md_text
from clusterlib.i18n.messages import gettext
from clusterlib.i18n.numbers import LOCALES
from clusterlib.i18n.phrases import names

__all__ = ["nace_name", "nuts_finding", "region_name", "term"]


def region_name(code: str, name: str) -> dict:
    """Return a region's name: a Polish voivodeship's Polish name in Polish, else ``name``.

    A region without a known name is called by its code: a missing name never stops a report.

    Examples
    --------
    >>> region_name("XX99", "")["names"]
    {'en': 'XX99', 'pl': 'XX99'}
    >>> region_name("PL22", "Śląskie")
    {'names': {'en': 'Śląskie', 'pl': 'śląskie'}}
    >>> region_name("CZ08", "Moravskoslezsko")["names"]["pl"]
    'Moravskoslezsko'
    """
    from clusterlib.reference.nuts import pl_voivodeships

    name = name or code
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


#: The sentences of :mod:`clusterlib.reference.nuts_mapping` (``mapping_sentence``, ``map_regions``
#: and an area's ``"<area>: "`` prefix from :func:`clusterlib.reference.areas.load_areas`).
_MAPPING = re.compile(
    r"^(?:(?P<area>[^:]+): )?(?P<codes>.+?) \(NUTS (?P<version>\d{4})\) (?P<verb>is|are) "
    r"(?P<mapped>.+?) in the NUTS (?P<data>\d{4}) data used here\.$"
)


def nuts_finding(note: str):
    """Return the finding of a region code mapped to the data's NUTS version, said in every language.

    ``note`` is the sentence of :func:`~clusterlib.reference.nuts_mapping.mapping_sentence` (or
    of an area's members); a sentence of another form stays an English finding.

    Examples
    --------
    >>> f = nuts_finding("PL84 (NUTS 2021) is PL34 in the NUTS 2013 data used here.")
    >>> f.text
    'PL84 (NUTS 2021) is PL34 in the NUTS 2013 data used here.'
    >>> f.in_language("pl")
    'PL84 (NUTS 2021) to PL34 w danych według NUTS 2013 użytych w tym opracowaniu.'
    """
    from clusterlib.chapters.metrics import Finding

    m = _MAPPING.match(note)
    if m is None:
        return Finding("nuts", note)
    msgid = ("{area}: " if m["area"] else "") + (
        f"{{codes}} (NUTS {{version}}) {m['verb']} {{mapped}} in the NUTS {{data}} data used here."
    )
    args = {k: v for k, v in m.groupdict().items() if k != "verb" and v is not None}
    return Finding.said("nuts", msgid, **args)
