"""Currencies and the planning exchange rates (`advisor/data/benchmarks/fx_rates.csv`).

Benchmarks are in US dollars. A brief's budget, an uploaded list's costs and every amount shown
are converted once with these rates, and the rate used is stated next to the figures.
"""

from __future__ import annotations

import csv
from enum import StrEnum
from functools import lru_cache

from advisor.model.data import BENCHMARK_DIR

FX_FILE = BENCHMARK_DIR / "fx_rates.csv"


class Currency(StrEnum):
    USD = "USD"
    EUR = "EUR"
    GBP = "GBP"

    @property
    def symbol(self) -> str:
        return {"USD": "$", "EUR": "€", "GBP": "£"}[self.value]


@lru_cache(maxsize=1)
def fx_rates() -> dict[str, float]:
    """Units of each currency per US dollar."""
    with FX_FILE.open(encoding="utf-8", newline="") as handle:
        rates = {row["currency"]: float(row["per_usd"]) for row in csv.DictReader(handle)}
    missing = {c.value for c in Currency} - set(rates)
    if missing:
        raise ValueError(f"fx_rates.csv lacks {sorted(missing)}")
    if any(not (rate > 0) for rate in rates.values()):
        raise ValueError("fx_rates.csv: every rate must be positive")
    return rates


def per_usd(currency: Currency | str) -> float:
    return fx_rates()[Currency(currency).value]


def convert(amount: float, source: Currency | str, target: Currency | str) -> float:
    """`amount` in `source` expressed in `target`, through the planning rates."""
    return amount / per_usd(source) * per_usd(target)
