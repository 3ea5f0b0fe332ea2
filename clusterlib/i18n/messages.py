"""The brief's fixed strings in the reader's language, from a gettext message catalogue.

The catalogue is ``clusterlib/i18n/locale/<lang>/LC_MESSAGES/clusterlib.po``, read at run time
with Babel (:func:`babel.messages.pofile.read_po`), so there is no build step: the ``.po`` file
is the catalogue. English is the source language (the ``msgid``); a string without a Polish
``msgstr`` stays English, which :func:`untranslated` reports and the tests forbid.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from clusterlib.i18n.numbers import check_language, render

__all__ = ["catalogue", "gettext", "translate", "untranslated"]

DOMAIN = "clusterlib"


@cache
def catalogue(lang: str):
    """Return the Babel :class:`~babel.messages.catalog.Catalog` of ``lang`` (not for English)."""
    from babel.messages.pofile import read_po

    check_language(lang)
    path = resources.files("clusterlib.i18n").joinpath(
        "locale", lang, "LC_MESSAGES", f"{DOMAIN}.po"
    )
    with path.open("rb") as f:
        return read_po(f, locale=lang, domain=DOMAIN)


def gettext(msgid: str, *, lang: str) -> str:
    """Return ``msgid`` in ``lang``: the catalogue's ``msgstr``, or ``msgid`` if it has none.

    Examples
    --------
    >>> gettext("Threats", lang="pl")
    'Zagrożenia'
    >>> gettext("Threats", lang="en")
    'Threats'
    """
    if check_language(lang) == "en":
        return msgid
    message = catalogue(lang).get(msgid)
    return message.string if message is not None and message.string else msgid


def translate(msgid: str, *, lang: str, **values) -> str:
    r"""Return ``msgid`` in ``lang`` with its ``{fields}`` filled in that language's number format.

    Examples
    --------
    >>> translate("among {n}", lang="pl", n=1234)
    'spośród 1\xa0234'
    """
    return render(
        gettext(msgid, lang=lang), values, lang=lang, source=f"catalogue {lang}: {msgid!r}"
    )


def untranslated(lang: str) -> list[str]:
    """Return the msgids of the ``lang`` catalogue without a translation (fuzzy counts as none)."""
    return [m.id for m in catalogue(lang) if m.id and (not m.string or m.fuzzy)]
