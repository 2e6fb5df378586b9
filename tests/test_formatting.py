"""Numbers for people."""

import pytest

from advisor.formatting import compact, money, percent


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (0, "0"),
        (7, "7"),
        (0.07, "0.07"),
        (999, "999"),
        (1_000, "1k"),
        (12_500, "12.5k"),
        (100_000, "100k"),
        (250_000, "250k"),
        (500_000, "500k"),
        (1_200_000, "1.2M"),
        (2_000_000, "2M"),
        (3_400_000_000, "3.4B"),
    ],
)
def test_compact(value, text):
    assert compact(value) == text


def test_money_and_percent_in_both_languages():
    assert money(12_500, "EUR") == "€12.5k"
    assert money(250_000, "EUR", "fr") == "250 k€"
    assert money(1_250, "GBP", "fr") == "1,25 k£"
    assert percent(0.384) == "38%" and percent(0.384, "fr") == "38 %"
