"""Generated sentences that every language of the reports can say: a message id and its values.

A chapter's finding is stored as its English template (the gettext ``msgid``) and the values that
fill it, so that a report in another language renders the same sentence from the catalogue
(:mod:`clusterlib.i18n.messages`) with its own number format, instead of quoting the English.
A value is one of:

- a number, formatted by the template's field (``{lq:.2f}``) in the reader's conventions;
- text, shown as it is (a code such as ``PL22``, or a name already escaped for Markdown);
- :func:`phrase`: a nested message, itself translated (``"yes"``, ``"the national average"``);
- :func:`names`: a name in each language, taken from a reference table when the finding is made
  (a NACE or input-output industry, a voivodeship);
- :func:`listing`: several values joined by a separator (``", "``).

Everything is plain JSON (dicts, lists, strings, numbers), so it is stored in ``metrics.json``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from clusterlib.errors import DataFormatError
from clusterlib.i18n.messages import gettext
from clusterlib.i18n.numbers import check_language, render

__all__ = ["listing", "msgids", "names", "phrase", "say"]


def phrase(msgid: str, **args: object) -> dict:
    """Return a nested message: ``msgid`` (English template) with its values.

    >>> phrase("rank {rank} of {n}", rank=3, n=16)
    {'msgid': 'rank {rank} of {n}', 'args': {'rank': 3, 'n': 16}}
    """
    return {"msgid": msgid, "args": {k: _plain(v) for k, v in args.items()}}


def _plain(value: object) -> object:
    """Return a NumPy scalar as the Python number it holds (JSON-ready), else ``value``."""
    return value.item() if hasattr(value, "item") and not isinstance(value, Mapping) else value


def names(**by_language: str) -> dict:
    """Return a name in each language (``en`` required; a missing language falls back to it).

    >>> names(en="Silesia", pl="śląskie")
    {'names': {'en': 'Silesia', 'pl': 'śląskie'}}
    """
    if not by_language.get("en"):
        raise DataFormatError(f"names {by_language!r}: the English name ('en') is required.")
    return {"names": {k: str(v) for k, v in by_language.items() if v}}


def listing(items: Iterable[object], sep: str = ", ") -> dict:
    """Return values joined by ``sep`` in the rendered sentence.

    >>> say(listing([phrase("yes"), 2.5], sep="; "))
    'yes; 2.5'
    """
    return {"join": sep, "items": list(items)}


def _text(value: object, lang: str) -> object:
    """Resolve one value to a number or a string in ``lang``."""
    if value is None or isinstance(value, bool):
        raise DataFormatError(f"a finding's value {value!r}: expected a number, text or phrase.")
    if isinstance(value, int | float | str):
        return value
    if isinstance(value, Mapping) and "msgid" in value:
        return say(value, lang=lang)
    if isinstance(value, Mapping) and "names" in value:
        by_lang = value["names"]
        return by_lang.get(lang) or by_lang["en"]
    if isinstance(value, Mapping) and "join" in value:
        return str(value["join"]).join(str(say(v, lang=lang)) for v in value["items"])
    raise DataFormatError(
        f"a finding's value {value!r}: expected a number, text, phrase, names or listing."
    )


def say(message: object, *, lang: str = "en") -> str:
    r"""Return ``message`` (a :func:`phrase` or any value above) as text in ``lang``.

    The template is the catalogue's translation of ``msgid`` (English: ``msgid`` itself); its
    fields are filled by :func:`clusterlib.i18n.numbers.render`, numbers in the language's format.

    Examples
    --------
    >>> msg = phrase("{segment} ({verdict})", segment=phrase("among {n}", n=1234),
    ...              verdict=phrase("stable"))
    >>> say(msg)
    'among 1234 (stable)'
    >>> say(msg, lang="pl")
    'spośród 1\xa0234 (stabilny)'
    """
    check_language(lang)
    if isinstance(message, Mapping) and "msgid" in message:
        args = {k: _text(v, lang) for k, v in (message.get("args") or {}).items()}
        msgid = str(message["msgid"])
        return render(gettext(msgid, lang=lang), args, lang=lang, source=f"message {msgid!r}")
    value = _text(message, lang)
    return value if isinstance(value, str) else render("{v}", {"v": value}, lang=lang)


def msgids(message: object) -> list[str]:
    """Return every msgid of ``message`` and its nested phrases (to check a catalogue).

    >>> msgids(phrase("a {b}", b=listing([phrase("yes"), "x"])))
    ['a {b}', 'yes']
    """
    if isinstance(message, Mapping):
        if "msgid" in message:
            out = [str(message["msgid"])]
            for v in (message.get("args") or {}).values():
                out += msgids(v)
            return out
        if "join" in message:
            return [m for v in message["items"] for m in msgids(v)]
    return []
