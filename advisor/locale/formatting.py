"""Numbers for people, by Babel's CLDR data: 12.5K / 12,5 k, $54K / 54 k $US, 38% / 38 %.

Every figure on the page, in sentences, charts, the report and exports goes through here, so a
language switch changes every separator at once. Missing or non-finite values print as "–".
"""

from __future__ import annotations

import math
from datetime import date
from functools import lru_cache

from babel import Locale
from babel.dates import format_date
from babel.numbers import (
    NumberFormatError,
    format_compact_currency,
    format_compact_decimal,
    format_currency,
    format_decimal,
    format_percent,
    get_decimal_symbol,
    get_group_symbol,
    parse_decimal,
)

DASH = "–"


@lru_cache(maxsize=16)
def _locale(lang: str) -> Locale:
    """The parsed Babel locale of a language, once: Babel parses a locale name on every call,
    a good part of formatting a number (and charts format hundreds)."""
    return Locale.parse(lang)


def _finite(value: float | int | None) -> bool:
    return value is not None and math.isfinite(float(value))


def _clean(value: float, digits: int) -> float:
    """No "-0": a value that shows as zero is zero."""
    return 0.0 if abs(value) < 0.5 * 10.0**-digits else float(value)


def _fraction_digits(value: float) -> int:
    """Three significant digits in compact form: 1.25M, 12.5K, 125K."""
    v = abs(value)
    for limit in (1e12, 1e9, 1e6, 1e3):
        if v >= limit * 0.9995:
            scaled = v / limit
            return 0 if scaled >= 99.95 else 1 if scaled >= 9.995 else 2
    return 0 if v >= 10 or v == int(v) else 2


def compact(value: float | None, lang: str = "en") -> str:
    """1234 -> 1.23K (1,23 k in French), 1_250_000 -> 1.25M."""
    if not _finite(value):
        return DASH
    assert value is not None
    digits = _fraction_digits(value)
    value = _clean(value, digits)
    if abs(value) < 1000:
        return format_decimal(
            value, format=f"#,##0.{'#' * digits}" if digits else "#,##0", locale=_locale(lang)
        )
    return format_compact_decimal(value, locale=_locale(lang), fraction_digits=digits)


def money(value: float | None, currency: str, lang: str = "en", precise: bool = False) -> str:
    """$12.5K in English, 12,5 k € in French; `precise`: amounts under 1,000 with cents."""
    if not _finite(value):
        return DASH
    assert value is not None
    code = str(currency)
    value = _clean(value, 2 if precise else 0)
    if precise and abs(value) < 1000:
        return format_currency(value, code, locale=_locale(lang))
    if abs(value) < 1000:
        pattern = _pattern(lang, "currency").replace(".00", "")
        return format_currency(
            round(value), code, format=pattern, locale=_locale(lang), currency_digits=False
        )
    return format_compact_currency(
        value, code, locale=_locale(lang), fraction_digits=_fraction_digits(value)
    )


def money_exact(value: float | None, currency: str, lang: str = "en") -> str:
    """Full amount with cents: $12,345.67 / 12 345,67 €."""
    if not _finite(value):
        return DASH
    return format_currency(value, str(currency), locale=_locale(lang))


def percent(share: float | None, lang: str = "en", digits: int = 0) -> str:
    """0.384 -> 38% (38 % in French)."""
    if not _finite(share):
        return DASH
    pattern = _pattern(lang, "percent")
    if digits:
        pattern = pattern.replace("#,##0", "#,##0." + "0" * digits, 1)
    return format_percent(share, format=pattern, locale=_locale(lang))


def number(value: float | int | None, lang: str = "en", digits: int = 0) -> str:
    """12345 -> 12,345 (12 345 in French), with `digits` decimals."""
    if not _finite(value):
        return DASH
    pattern = "#,##0" if not digits else f"#,##0.{'0' * digits}"
    return format_decimal(_clean(float(value), digits), format=pattern, locale=_locale(lang))


def date_text(day: date, lang: str = "en") -> str:
    """A calendar date in the language: Dec 7, 2026 / 7 déc. 2026."""
    return format_date(day, format="medium", locale=_locale(lang))


def small_percent(share: float | None, lang: str = "en") -> str:
    """A gap that may be small, never shown as 0% when it is not: 0.27 -> 27%, 0.0017 ->
    0.2%, 0.0004 -> 0.04% (a gap of exactly 0 is 0%)."""
    if not _finite(share):
        return DASH
    assert share is not None
    size = abs(share)
    if 0 < size < 0.00005:
        return "<" + percent(0.0001, lang, 2)
    digits = 0 if size >= 0.0095 or size == 0 else 1 if size >= 0.00095 else 2
    return percent(share, lang, digits)


def signed_percent(share: float | None, lang: str = "en", small: bool = False) -> str:
    """0.27 -> +27%, -0.05 -> −5%: a change, always with its sign (`small`: a gap that may be
    small, written as `small_percent` writes it)."""
    if not _finite(share):
        return DASH
    assert share is not None
    size = small_percent(abs(share), lang) if small else percent(abs(share), lang)
    return ("+" if share >= 0 else "−") + size


def separators(lang: str) -> str:
    """Plotly's `separators`: the decimal mark then the thousands mark of the locale."""
    return get_decimal_symbol(_locale(lang)) + get_group_symbol(_locale(lang))


def _pattern(lang: str, kind: str) -> str:
    formats = _locale(lang).currency_formats if kind == "currency" else None
    if formats is not None:
        return formats["standard"].pattern.split(";")[0]
    return _locale(lang).percent_formats[None].pattern


class AmbiguousNumber(ValueError):
    """Text with two plausible readings ("15.000" in French: fifteen or fifteen thousand)."""

    def __init__(self, text: str, readings: tuple[float, float]) -> None:
        super().__init__(text)
        self.readings = readings


def parse_number(text: str, lang: str = "en") -> float:
    """A number typed by a person, in the locale's own writing: "20,000.50" / "20 000,50".

    Spaces of any kind and currency symbols are ignored; a misplaced separator is refused
    (strict parsing), never guessed. One mark followed by exactly three digits that the
    locale does not use to group thousands ("15.000" or "15,000" in French, "15.000" in
    English) could be a decimal or a thousands mark: AmbiguousNumber, with both readings.
    Raises ValueError with no further detail otherwise."""
    cleaned = "".join(c for c in str(text) if not c.isspace() and c not in "$€£\u202f\xa0")
    if not cleaned:
        raise ValueError("empty")
    marks = [c for c in cleaned if c in ".,"]
    if len(marks) == 1 and marks[0] != get_group_symbol(_locale(lang)):
        whole, _, tail = cleaned.partition(marks[0])
        digits = whole.lstrip("-")
        if len(tail) == 3 and tail.isdigit() and digits.isdigit() and not digits.startswith("0"):
            small = float(f"{whole}.{tail}")
            raise AmbiguousNumber(str(text), (small, float(f"{whole}{tail}")))
    try:
        value = float(parse_decimal(cleaned, locale=_locale(lang), strict=True))
    except (NumberFormatError, ArithmeticError) as error:
        raise ValueError(str(text)) from error
    if not math.isfinite(value):
        raise ValueError(str(text))
    return value
