"""Numbers in the reader's language, and templates that may only name their values.

Generated sentences (findings, the brief's lines, the rules of ``params/actions.yaml``) are
templates such as ``"location quotient {value:.2f}"``. :func:`render` fills them in a language:
numbers get the locale's decimal sign, grouping and percent sign from the Unicode CLDR data that
Babel ships (Polish: decimal comma, a no-break space between thousands), and a template may name
only the values it is given, with a plain number format, so a template can never reach Python's
internals (``{value.__class__}`` is refused).
"""

from __future__ import annotations

import math
import re
import string
from collections.abc import Mapping
from decimal import Decimal

from clusterlib.errors import DataFormatError

#: Languages of the reports, with their CLDR locale.
LOCALES = {"en": "en", "pl": "pl_PL"}
#: The format specifications a template may use: optional sign, grouping, precision, f or %.
_SPEC = re.compile(r"(?P<sign>[+\- ]?)(?P<group>,?)(?:\.(?P<precision>\d{1,2}))?(?P<kind>[f%d]?)")


def check_language(lang: str) -> str:
    """Return ``lang`` if reports can be written in it, else raise a clear error."""
    if lang not in LOCALES:
        from clusterlib.errors import OptionError

        raise OptionError(f"language: expected one of {sorted(LOCALES)}, found {lang!r}.")
    return lang


def format_value(value: object, spec: str = "", *, lang: str = "en") -> str:
    r"""Format one value with a Python-style number format, in the language's conventions.

    The digits are those of Python's own formatting (``format(value, spec)``), so English
    output is Python's, except that a negative number that rounds to zero is shown without a
    sign; the decimal sign, grouping and percent sign are the locale's (Babel, CLDR).

    Parameters
    ----------
    value : object
        A number (formatted with ``spec``) or anything else (its text; ``spec`` must be empty).
    spec : str
        ``[sign][,][.precision][f|%|d]``, e.g. ``",.0f"``, ``"+.1%"``, ``".2f"``.
    lang : str
        ``"en"`` or ``"pl"``.

    Examples
    --------
    >>> format_value(12345.678, ",.1f", lang="pl")
    '12\xa0345,7'
    >>> format_value(0.125, "+.1%", lang="pl")
    '+12,5%'
    >>> format_value(12345.678, ",.1f")
    '12,345.7'
    """
    check_language(lang)
    m = _SPEC.fullmatch(spec)
    if m is None:
        raise DataFormatError(
            f"format {spec!r}: expected a number format such as ',.0f', '.2f' or '.1%' "
            "(sign, grouping, precision, f or %)."
        )
    if not isinstance(value, int | float | Decimal) or isinstance(value, bool):
        if spec:
            raise DataFormatError(f"format {spec!r}: {value!r} is not a number.")
        return str(value)
    if isinstance(value, float) and not math.isfinite(value):
        return "–"
    if not spec:
        return _plain(value, lang)
    from babel.numbers import format_decimal, format_percent

    sign, group, precision, kind = m.group("sign", "group", "precision", "kind")
    digits = format(abs(value) * (100 if kind == "%" else 1), f".{precision or 0}f"
                    if precision is not None or kind in ("f", "%") else "")  # fmt: skip
    body = ("#,##0" if group else "0") + ("." + "0" * int(precision) if precision else "")
    locale = LOCALES[lang]
    text = (
        format_percent(Decimal(digits) / 100, format=body + "%", locale=locale)
        if kind == "%"
        else format_decimal(Decimal(digits), format=body, locale=locale)
    )
    # the sign of what is shown: no "-0" when the number rounds to zero in the pattern
    negative = value < 0 and any(c in "123456789" for c in text)
    prefix = "-" if negative else ("+" if sign == "+" else (" " if sign == " " else ""))
    return prefix + text


def _plain(value: object, lang: str) -> str:
    if lang == "en":
        return str(value)
    from babel.numbers import format_decimal

    # every digit of Python's str (Babel's default pattern would round to three decimals)
    return format_decimal(Decimal(str(value)), locale=LOCALES[lang], decimal_quantization=False)


class _SafeFormatter(string.Formatter):
    """A formatter whose fields are names of the given values only, with number formats."""

    def __init__(self, lang: str, source: str):
        self.lang, self.source = lang, source

    def get_field(self, field_name, args, kwargs):
        if not field_name.isidentifier():
            raise DataFormatError(
                f"{self.source}: the template field {{{field_name}}} is not allowed; a field may "
                f"only name a value ({', '.join(sorted(kwargs))}), e.g. {{value:.2f}}."
            )
        if field_name not in kwargs:
            raise DataFormatError(
                f"{self.source}: the template names {{{field_name}}}, which is not one of its "
                f"values ({', '.join(sorted(kwargs)) or 'none'})."
            )
        return kwargs[field_name], field_name

    def convert_field(self, value, conversion):
        if conversion is not None:
            raise DataFormatError(
                f"{self.source}: conversions such as !{conversion} are not allowed in templates."
            )
        return value

    def format_field(self, value, format_spec):
        try:
            return format_value(value, format_spec, lang=self.lang)
        except DataFormatError as exc:
            raise DataFormatError(f"{self.source}: {exc}") from None


def render(
    template: str, values: Mapping[str, object], *, lang: str = "en", source: str = "template"
) -> str:
    r"""Fill a template's named fields with ``values``, formatted in the language.

    Parameters
    ----------
    template : str
        Text with fields such as ``{value:.2f}``; ``{{`` and ``}}`` are literal braces.
    values : mapping
        Field name to value. A field that is not a key, an attribute or index access
        (``{value.real}``, ``{value[0]}``), a conversion (``!r``) or a nested field is an error.
    lang : str
        ``"en"`` or ``"pl"``.
    source : str
        Where the template comes from, for error messages (e.g. a file and rule).

    Raises
    ------
    DataFormatError
        Naming ``source`` and what is not allowed.

    Examples
    --------
    >>> render("LQ {value:.2f}, {n:,} regions", {"value": 1.7132, "n": 1234}, lang="pl")
    'LQ 1,71, 1\xa0234 regions'
    """
    formatter = _SafeFormatter(check_language(lang), source)  # an OptionError, not a template's
    try:
        return formatter.vformat(template, (), dict(values))
    except (ValueError, IndexError, KeyError) as exc:
        if isinstance(exc, DataFormatError):
            raise
        raise DataFormatError(f"{source}: not a valid template ({exc}).") from None
