"""Vectorised reading of the numbers people type in spreadsheets: `12.5K`, `1 234`, `3,4`,
`1.234,5 €`, `3.4%`, `$1,200`, `N/A`.

Why regular expressions over whole columns: pandas' `str` methods (and, where pandas would
fall back to Python, pyarrow's compute kernels directly) run them in C++, so a million cells
cost tens of milliseconds each; a Python loop would cost seconds. Columns pyarrow already
read as numbers skip all of this, and in text columns only the cells that are not plain
numbers are cleaned.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

# Thousands separators: spaces (also no-break U+00A0, narrow no-break U+202F, thin U+2009)
# and the Swiss apostrophe. Literal characters, not \u escapes: pyarrow's RE2 engine rejects
# those, and pandas would then fall back to a Python loop.
SEPARATORS = "[ \t\u00a0\u202f\u2009'’]"
# Cells that mean "not given": empty, dashes, n/a, and French "non communiqué / disponible".
# Not `nan` or `inf`: those are what overflowing arithmetic writes, reported as not a number.
MISSING_MARKERS = (
    "", "-", "–", "—", "?", "na", "n/a", "none", "null", "#n/a", "nc", "n.c.", "nd", "n.d.",
)  # fmt: skip
CURRENCIES = {"EUR": r"€|eur", "GBP": r"£|gbp", "USD": r"\$|usd|dollar"}
CURRENCY_TEXT = r"us\$|\$|€|£|usd|eur(?:os?)?|gbp|dollars?"
NUMBER = (
    r"^(?P<sign>[+-]?)(?P<body>[0-9][0-9.,]*(?:e[+-]?[0-9]+)?|[.,][0-9]+)"
    r"(?P<suffix>k|mm|mn|mio|m|bn|mds|mrd|md|b)?$"
)
SUFFIXES = {"k": 1e3, "m": 1e6, "mm": 1e6, "mn": 1e6, "mio": 1e6,
            "b": 1e9, "bn": 1e9, "md": 1e9, "mds": 1e9, "mrd": 1e9}  # fmt: skip
US_GROUPS = r"[1-9][0-9]{0,2}(?:,[0-9]{3})+(?:\.[0-9]+)?"  # 1,234  1,234,567.5
EU_GROUPS = r"[1-9][0-9]{0,2}(?:\.[0-9]{3})+(?:,[0-9]+)?"  # 1.234,5  1.234.567
EU_AMBIGUOUS = r"[1-9][0-9]{0,2}\.[0-9]{3}"  # 1.234: thousands only in a decimal-comma file
DECIMAL_COMMA = r"[0-9]*,[0-9]+"  # 3,4  0,034
PLAIN = r"[0-9]+(?:\.[0-9]+)?(?:e[+-]?[0-9]+)?|\.[0-9]+"  # 12  3.4  1.2e6  .5
SIMPLE_INT = r"^-?[0-9]{1,15}$"  # cast directly, no cleaning needed
SIMPLE_DECIMAL = r"^-?[0-9]{1,15}(?:\.[0-9]{1,15})?$"


@dataclass
class Numbers:
    """One parsed column. `values` is NaN where a cell is missing or invalid."""

    values: np.ndarray
    missing: np.ndarray
    invalid: np.ndarray
    percent: np.ndarray  # written with a % sign
    abbreviated: np.ndarray  # written with a K / M / B suffix (so rounded by the exporter)
    currency: pd.Series | None = None  # "EUR" / "GBP" / "USD" / "" per cell, when any is named
    integral: bool = False  # read as whole numbers already: no rounding needed


def parse_numbers(
    cells: pd.Series, *, decimal_comma: bool = False, money: bool = False, percent: bool = False
) -> Numbers:
    """Parse a column of cells; numeric columns pass straight through.

    `decimal_comma` says the file uses commas for decimals (semicolon-delimited exports), so
    `1.234` is read as 1234; a column with unambiguous decimal commas (`3,4`) says so itself.
    `1,234` is always 1234: for counts, the thousands reading is the only sensible one.
    `money` accepts currency signs and codes, `percent` a % sign; elsewhere they are invalid.

    Text columns are split: cells that are plain numbers are cast in one go, and only the
    others pay for the cleaning (a column with one odd cell stays fast)."""
    if pd.api.types.is_numeric_dtype(cells.dtype) and not pd.api.types.is_bool_dtype(cells.dtype):
        values = cells.to_numpy(dtype=float, na_value=np.nan)
        nothing = np.zeros(values.shape[0], dtype=bool)
        integral = pd.api.types.is_integer_dtype(cells.dtype)
        missing = nothing if integral else np.isnan(values)
        invalid = nothing if integral else np.isinf(values)
        return Numbers(values, missing, invalid, nothing, nothing, integral=integral)
    text = cells.astype("str")
    strings = pa.array(text)  # zero-copy: pandas `str` columns are arrow strings already
    if not isinstance(strings, pa.ChunkedArray):
        strings = pa.chunked_array([strings])
    ints_only = decimal_comma or bool(pc.any(pc.match_substring(strings, ",")).as_py())
    plain = pc.match_substring_regex(strings, SIMPLE_INT if ints_only else SIMPLE_DECIMAL)
    plain = pc.fill_null(plain, False).to_numpy(zero_copy_only=False)
    out = _empty(len(text))
    rows = np.flatnonzero(plain)
    if rows.size:
        out.values[rows] = pc.cast(strings.take(pa.array(rows)), pa.float64()).to_numpy()
    rest = np.flatnonzero(~plain)
    if rest.size:
        _scatter(out, rest, _parse_text(text.iloc[rest], decimal_comma, money, percent))
    return out


def _empty(rows: int) -> Numbers:
    nothing = np.zeros(rows, dtype=bool)
    return Numbers(np.full(rows, np.nan), nothing, nothing.copy(), nothing.copy(), nothing.copy())


def _scatter(out: Numbers, rows: np.ndarray, part: Numbers) -> None:
    """Write the parsed messy cells back into the whole-column result."""
    for name in ("values", "missing", "invalid", "percent", "abbreviated"):
        getattr(out, name)[rows] = getattr(part, name)
    if part.currency is not None:
        currency = pd.Series("", index=range(out.values.shape[0]), dtype="str")
        currency.iloc[rows] = part.currency.to_numpy()
        out.currency = currency


def _parse_text(cells: pd.Series, decimal_comma: bool, money: bool, percent: bool) -> Numbers:
    text = cells.str.lower().str.replace(SEPARATORS, "", regex=True)
    marker = pc.is_in(pa.array(text), value_set=pa.array(MISSING_MARKERS, pa.large_string()))
    missing = text.isna().to_numpy() | pc.fill_null(marker, False).to_numpy(zero_copy_only=False)
    text = text.fillna("")
    has_percent = text.str.contains("%", regex=False) if percent else None
    currency = _currency(text) if money else None
    symbols = "|".join([*([CURRENCY_TEXT] if money else []), *(["%"] if percent else [])])
    parts = _extract(text.str.replace(symbols, "", regex=True) if symbols else text, NUMBER)
    body = parts["body"]
    value, valid = _resolve_separators(body, decimal_comma)
    suffix = parts["suffix"].replace("", np.nan)
    scale = _scale(suffix)
    sign = np.where(parts["sign"].eq("-").to_numpy(), -1.0, 1.0)
    with np.errstate(over="ignore", invalid="ignore"):
        scaled = value * scale * sign
    valid = valid & ~missing & np.isfinite(scaled)  # `9e307M` overflows: not a number
    values = np.where(valid, scaled, np.nan)
    return Numbers(
        values=values,
        missing=missing,
        invalid=~missing & ~valid,
        percent=(has_percent.to_numpy() & valid) if has_percent is not None else valid & False,
        abbreviated=suffix.notna().to_numpy() & valid,
        currency=currency,
    )


def _scale(suffix: pd.Series) -> np.ndarray:
    """K -> 1e3, M -> 1e6...: one arrow lookup per cell into the suffix list."""
    names = list(SUFFIXES)
    found = pc.index_in(pa.array(suffix), value_set=pa.array(names, pa.large_string()))
    index = pc.fill_null(found, len(names)).to_numpy(zero_copy_only=False)
    return np.array([*SUFFIXES.values(), 1.0])[index]


def _extract(text: pd.Series, pattern: str) -> dict[str, pd.Series]:
    """Named groups of a regular expression, per cell (missing where it does not match).

    pyarrow's kernel directly: pandas' `str.extract` loops in Python over arrow strings."""
    found = pc.extract_regex(pa.array(text), pattern)
    valid = found.is_valid()
    groups = {}
    for name in ("sign", "body", "suffix"):
        group = pc.cast(pc.if_else(valid, pc.struct_field(found, name), None), pa.large_string())
        groups[name] = group.to_pandas().set_axis(text.index)
    return groups


def _resolve_separators(body: pd.Series, decimal_comma: bool) -> tuple[np.ndarray, np.ndarray]:
    """Decide per cell which of `.` and `,` is the decimal mark, then convert."""
    us = body.str.fullmatch(US_GROUPS)
    comma = body.str.fullmatch(DECIMAL_COMMA) & ~us
    eu_groups = body.str.fullmatch(EU_GROUPS)
    hint = decimal_comma or bool(comma.any()) or bool((eu_groups & body.str.contains(",")).any())
    eu = eu_groups & (~body.str.fullmatch(EU_AMBIGUOUS) | hint)
    plain = body.str.fullmatch(PLAIN) & ~eu
    number = body.str.replace(",", "", regex=False).where(us, body)
    number = number.where(~eu, body.str.replace(".", "", regex=False).str.replace(",", "."))
    number = number.where(~comma, body.str.replace(",", ".", regex=False))
    valid = (us | eu | comma | plain).to_numpy()
    candidates = pa.array(number.where(valid), pa.large_string())
    try:
        values = pc.cast(candidates, pa.float64()).to_numpy(zero_copy_only=False)
    except pa.ArrowInvalid:  # a spelling the cast rejects: let pandas decide, cell by cell
        values = pd.to_numeric(number.where(valid), errors="coerce").to_numpy(dtype=float)
    values = np.asarray(values, dtype=float)
    return values, valid & np.isfinite(values)


def _currency(text: pd.Series) -> pd.Series | None:
    """Currency named in each cell (symbol or ISO code), or None when no cell names one."""
    found = {code: text.str.contains(pattern, regex=True) for code, pattern in CURRENCIES.items()}
    if not any(mask.any() for mask in found.values()):
        return None
    out = pd.Series("", index=text.index, dtype="str")
    for code, mask in found.items():
        out = out.mask(mask & out.eq(""), code)
    return out
