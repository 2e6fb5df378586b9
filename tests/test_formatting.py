"""Numbers for people, by the locale's own rules (Babel/CLDR)."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from advisor.locale.formatting import (
    DASH,
    compact,
    money,
    number,
    percent,
    separators,
    signed_percent,
)

NBSP, NNBSP = "\xa0", "\u202f"


@pytest.mark.parametrize(
    ("value", "en", "fr"),
    [
        (0, "0", "0"),
        (7, "7", "7"),
        (0.07, "0.07", "0,07"),
        (999, "999", "999"),
        (1_000, "1K", f"1{NBSP}k"),
        (12_500, "12.5K", f"12,5{NBSP}k"),
        (250_000, "250K", f"250{NBSP}k"),
        (1_200_000, "1.2M", f"1,2{NBSP}M"),
        (3_400_000_000, "3.4B", f"3,4{NBSP}Md"),
        (-4_321, "-4.32K", f"-4,32{NBSP}k"),
    ],
)
def test_compact_follows_the_locale(value, en, fr):
    assert compact(value) == en
    assert compact(value, "fr") == fr


def test_money_percent_and_numbers_in_both_languages():
    assert money(12_500, "EUR") == "€12.5K"
    assert money(250_000, "EUR", "fr") == f"250{NBSP}k{NBSP}€"
    assert money(850, "GBP") == "£850" and money(850.4, "EUR", "fr") == f"850{NBSP}€"
    assert money(4.37, "USD", precise=True) == "$4.37"
    assert money(4.37, "EUR", "fr", precise=True) == f"4,37{NBSP}€"
    assert percent(0.384) == "38%" and percent(0.384, "fr") == f"38{NBSP}%"
    assert percent(0.12346, "en", 2) == "12.35%"
    assert number(10_767.168) == "10,767" and number(10_767.168, "fr") == f"10{NNBSP}767"
    assert signed_percent(0.27) == "+27%" and signed_percent(-0.05, "fr") == f"−5{NBSP}%"
    assert separators("en") == ".," and separators("fr") == f",{NNBSP}"


@pytest.mark.parametrize("bad", [None, math.nan, math.inf, -math.inf])
def test_missing_values_print_as_a_dash(bad):
    for fmt in (compact, number, percent, signed_percent):
        assert fmt(bad) == DASH
    assert money(bad, "USD") == DASH


@given(st.floats(-1e13, 1e13, allow_nan=False), st.sampled_from(["en", "fr"]))
def test_no_long_decimals_and_no_negative_zero(value, lang):
    """Whatever the value: at most two decimals shown, never "-0", never an exponent."""
    for text in (compact(value, lang), number(value, lang), money(value, "EUR", lang)):
        mark = "." if lang == "en" else ","
        digits = text.split(mark)[1] if mark in text else ""
        assert sum(c.isdigit() for c in digits) <= 2, text
        assert text not in ("-0", "−0") and "E" not in text, text


def test_a_small_gap_is_never_shown_as_zero() -> None:
    from advisor.locale.formatting import small_percent

    assert small_percent(0.27) == "27%" and small_percent(0.0017) == "0.2%"
    assert small_percent(0.0004) == "0.04%" and small_percent(0.00001) == "<0.01%"
    assert small_percent(0.0) == "0%" and small_percent(0.0017, "fr") == "0,2\u00a0%"
