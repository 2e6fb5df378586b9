"""Numbers for people: €12.5k, 1.2M, 38%. Used by the page, the report and plan sentences."""

from __future__ import annotations

import math

from advisor.brief import Currency


def compact(value: float, lang: str = "en") -> str:
    """1234 -> 1.2k, 1_250_000 -> 1.25M; French uses a decimal comma."""
    if value is None or not math.isfinite(value):
        return "–"
    sign = "-" if value < 0 else ""
    v = abs(value)
    for limit, suffix in ((1e9, "B" if lang == "en" else " Md"), (1e6, "M"), (1e3, "k")):
        if v >= limit * 0.9995:
            scaled = v / limit
            digits = 0 if scaled >= 100 else 1 if scaled >= 10 else 2
            text = f"{scaled:.{digits}f}"
            if digits:
                text = text.rstrip("0").rstrip(".")
            return _decimal(sign + text, lang) + suffix
    if v >= 10 or v == int(v):
        return _decimal(sign + f"{v:.0f}", lang)
    return _decimal(sign + f"{v:.2f}".rstrip("0").rstrip("."), lang)


def money(value: float, currency: Currency | str, lang: str = "en", precise: bool = False) -> str:
    """€12.5k in English, 12,5 k€ in French; `precise`: small amounts with cents ($4.37)."""
    cur = Currency(currency)
    text = _decimal(f"{value:.2f}", lang) if precise and abs(value) < 1000 else compact(value, lang)
    if lang == "fr":
        return f"{text} {cur.symbol}".replace("k ", " k").replace("M ", " M")
    return f"{cur.symbol}{text}" if not text.startswith("-") else f"-{cur.symbol}{text[1:]}"


def percent(share: float, lang: str = "en") -> str:
    """0.384 -> 38% ("38 %" in French typography)."""
    if share is None or not math.isfinite(share):
        return "–"
    text = f"{share * 100:.0f}"
    return f"{text} %" if lang == "fr" else f"{text}%"


def _decimal(text: str, lang: str) -> str:
    return text.replace(".", ",") if lang == "fr" else text


def number(value: float | int, lang: str = "en", digits: int = 0) -> str:
    """12345 -> 12,345 (12 345 in French), with `digits` decimals."""
    if value is None or not math.isfinite(float(value)):
        return "–"
    text = f"{float(value):,.{digits}f}"
    if lang == "fr":
        text = text.replace(",", "\u202f").replace(".", ",")
    return text


def signed_percent(share: float, lang: str = "en") -> str:
    """0.27 -> +27%, -0.05 -> −5%: a change, always with its sign."""
    if share is None or not math.isfinite(share):
        return "–"
    text = percent(abs(share), lang)
    return ("+" if share >= 0 else "−") + text
