"""The reports' languages: numbers in the reader's conventions and translated message catalogues.

- :mod:`~clusterlib.i18n.numbers`: :func:`format_value` and :func:`render` (templates that may only
  name their values), with the locale's decimal sign and grouping from Babel's CLDR data;
- :mod:`~clusterlib.i18n.messages`: gettext catalogues (``locale/<lang>/LC_MESSAGES/*.po``) of every
  sentence and heading the package generates;
- :mod:`~clusterlib.i18n.phrases`: a generated sentence as its message id and values (numbers,
  names in each language, nested phrases), so a chapter's finding is said in any language.

This package imports only :mod:`clusterlib.errors`, so the chapters and the batch can use it.
"""

from clusterlib.i18n.numbers import LOCALES, check_language, format_value, render

__all__ = ["LOCALES", "check_language", "format_value", "render"]
