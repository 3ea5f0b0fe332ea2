"""Locale number formatting and safe templates (clusterlib.i18n.numbers).

Expected Polish strings are written by hand from the CLDR conventions for pl: decimal comma,
U+00A0 (no-break space) between groups of three digits, percent sign without a space.
"""

import pytest

from clusterlib.errors import DataFormatError, OptionError
from clusterlib.i18n import format_value, render

NB = "\u00a0"


@pytest.mark.parametrize(
    ("value", "spec", "en", "pl"),
    [
        (1234.5, ",.1f", "1,234.5", f"1{NB}234,5"),
        (1234567, ",", "1,234,567", f"1{NB}234{NB}567"),
        (1234567, ",d", "1,234,567", f"1{NB}234{NB}567"),
        (1234, ",.0f", "1,234", f"1{NB}234"),
        (1234, ".0f", "1234", "1234"),
        (0.125, ".1%", "12.5%", "12,5%"),
        (0.5, ".0%", "50%", "50%"),
        (-50, "+,.0f", "-50", "-50"),
        (50, "+,.0f", "+50", "+50"),
        (3, "+.2f", "+3.00", "+3,00"),
        (-12345.678, ",.2f", "-12,345.68", f"-12{NB}345,68"),
        (-0.0004, ".1%", "0.0%", "0,0%"),  # a negative number rounding to zero has no sign
        (2.675, ".2f", "2.67", "2,67"),  # Python's digits (2.675 is 2.67499... in binary)
        (0.0325, "+.1%", "+3.2%", "+3,2%"),
        (7, "d", "7", "7"),
        (1.5, " .1f", " 1.5", " 1,5"),
    ],
)
def test_numbers_in_both_languages(value, spec, en, pl):
    assert format_value(value, spec) == en
    assert format_value(value, spec, lang="pl") == pl
    if value >= 0 or round(value, 3) != 0:  # Python's own digits, where it shows a sign
        assert format_value(value, spec) == format(value, spec)


def test_plain_values():
    assert format_value("PL34") == "PL34"
    assert format_value(1.5, lang="pl") == "1,5"
    assert format_value(1.5) == "1.5"
    assert format_value(float("nan"), ".2f") == "–"
    assert format_value(float("inf"), ".2f", lang="pl") == "–"
    assert format_value(True) == "True"


@pytest.mark.parametrize("spec", [">10", "x", ".2e", "010.2f", ".123f", "_.2f"])
def test_other_formats_are_refused(spec):
    with pytest.raises(DataFormatError, match=f"format '{spec}'"):
        format_value(1.0, spec)


def test_text_with_a_number_format_is_refused():
    with pytest.raises(DataFormatError, match="'PL34' is not a number"):
        format_value("PL34", ".2f")
    with pytest.raises(DataFormatError, match="True is not a number"):
        format_value(True, ".2f")


def test_unknown_language():
    with pytest.raises(OptionError, match=r"language: expected one of \['en', 'pl'\], found 'de'"):
        format_value(1.0, ".2f", lang="de")


def test_render_fills_named_values_in_the_language():
    template = "LQ {value:.2f} ({low:.2f}–{high:.2f}), {n:,} regions, {{literal}}"
    values = {"value": 1.7132, "low": 1.5, "high": 1.95, "n": 1234}
    assert render(template, values) == "LQ 1.71 (1.50–1.95), 1,234 regions, {literal}"
    assert (
        render(template, values, lang="pl") == f"LQ 1,71 (1,50–1,95), 1{NB}234 regions, {{literal}}"
    )
    assert render("{name} gained {value:+,.0f}", {"name": "PL34", "value": 2500}) == (
        "PL34 gained +2,500"
    )


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("{value.__class__}", r"the template field \{value.__class__\} is not allowed"),
        ("{value.__class__.__mro__}", r"\{value.__class__.__mro__\} is not allowed"),
        ("{value[0]}", r"the template field \{value\[0\]\} is not allowed"),
        ("{0}", r"the template field \{0\} is not allowed"),
        ("{}", r"the template field \{0\} is not allowed"),
        ("{value!r}", "conversions such as !r are not allowed"),
        ("{metric}", r"names \{metric\}, which is not one of its values \(value\)"),
        ("{value:>10}", "format '>10'"),
        ("{value", "not a valid template"),
        ("value}", "not a valid template"),
    ],
)
def test_render_refuses_everything_but_named_values(template, message):
    with pytest.raises(DataFormatError, match=f"^actions.yaml, rule 3: .*{message}"):
        render(template, {"value": 1.0}, source="actions.yaml, rule 3")


@pytest.mark.parametrize(
    ("value", "en", "pl"),
    [
        (2 / 3, "0.6666666666666666", "0,6666666666666666"),
        (0.12345, "0.12345", "0,12345"),
        (1e-07, "1e-07", "0,0000001"),  # the same number; Polish without the exponent
        (1234.5, "1234.5", f"1{NB}234,5"),  # Polish groups a plain number (Babel's pattern)
        (-3, "-3", "-3"),
    ],
)
def test_a_plain_number_keeps_every_digit_in_polish(value, en, pl):
    # bug found while writing the mutation tests: Polish plain numbers were rounded to three decimals
    # (Babel's default pattern #,##0.###), 2/3 -> "0,667" and 1e-07 -> "0"
    assert format_value(value) == en
    assert format_value(value, lang="pl") == pl


def test_text_and_booleans_without_a_format_are_their_text_in_every_language():
    # not numbers: shown as str(value), never through Babel's number format
    assert format_value("PL34", lang="pl") == "PL34"
    assert format_value(True, lang="pl") == "True"
    assert format_value(None, lang="pl") == "None"


def test_decimals_and_zero():
    from decimal import Decimal

    assert format_value(Decimal("1234.25"), ",.1f", lang="pl") == f"1{NB}234,2"  # half-even
    assert format_value(0, ".1f", lang="pl") == "0,0"
    assert format_value(0, "+.0f") == "+0"
    assert format_value(-1, ".0f", lang="pl") == "-1"
    assert format_value(-0.4, ".0f") == "0"  # rounds to zero: no sign
    assert format_value(0.4, ".0%") == "40%"
    assert format_value(-0.25, ",.2%", lang="pl") == "-25,00%"


def test_the_refusal_of_a_format_says_what_is_allowed():
    message = (
        "format 'x': expected a number format such as ',.0f', '.2f' or '.1%' "
        "(sign, grouping, precision, f or %)."
    )
    with pytest.raises(DataFormatError) as exc:
        format_value(1.0, "x")
    assert str(exc.value) == message
    with pytest.raises(DataFormatError) as exc:
        render("{a:x}", {"a": 1.0}, source="rule 2")
    assert str(exc.value) == "rule 2: " + message


@pytest.mark.parametrize(
    ("template", "values", "message"),
    [
        ("{a", {}, "template: not a valid template (expected '}' before end of string)."),
        (
            "{value.x}",
            {"value": 1, "n": 2},
            "template: the template field {value.x} is not allowed; a field may only name a "
            "value (n, value), e.g. {value:.2f}.",
        ),
        ("{a}", {}, "template: the template names {a}, which is not one of its values (none)."),
        (
            "{a}",
            {"c": 1, "b": 2},
            "template: the template names {a}, which is not one of its values (b, c).",
        ),
        ("{a!s}", {"a": 1}, "template: conversions such as !s are not allowed in templates."),
        ("{a:.2f}", {"a": "PL34"}, "template: format '.2f': 'PL34' is not a number."),
    ],
)
def test_render_errors_in_full(template, values, message):
    with pytest.raises(DataFormatError) as exc:
        render(template, values)
    assert str(exc.value) == message


def test_render_in_polish_formats_every_field():
    assert render("{a} {b:.1f} {c}", {"a": 0.5, "b": 2, "c": "x"}, lang="pl") == "0,5 2,0 x"
    # bug found while writing these tests: the unknown language was reported as
    # "not a valid template (language: ...)", a DataFormatError
    with pytest.raises(OptionError, match=r"^language: expected one of \['en', 'pl'\], found 'de'"):
        render("{a}", {"a": 1}, lang="de")


def test_formats_without_a_precision():
    # an integer keeps every digit (Python's own: no conversion to float on the way)
    assert format_value(12345678901234567891, ",") == "12,345,678,901,234,567,891"
    assert format_value(12345678901234567891, ",", lang="pl") == (
        f"12{NB}345{NB}678{NB}901{NB}234{NB}567{NB}891"
    )
    # a float with "," or a bare "f" is shown without decimals (Python would show them):
    # 3.46 -> 3, 1234.5 -> 1,234 (half-even); not 3.5 -> 4 by rounding twice
    assert format_value(3.46, "f") == "3"
    assert format_value(1234.5, ",") == "1,234"
    # bug found while writing these tests: -0.4 with "," was "-0"; a number that rounds to
    # zero has no sign
    assert format_value(-0.4, ",") == "0"
    assert format_value(-0.46, "f", lang="pl") == "0"
    assert format_value(-0.6, ",", lang="pl") == "-1"
    # a precision without "f" is read as "f" (Python's ".2" would be two significant digits):
    # Python's .2f digits, 2.67 (2.675 is 2.67499... in binary), not 2.68 from its repr
    assert format_value(2.675, ".2") == "2.67"
    assert format_value(2.675, ".2", lang="pl") == "2,67"
