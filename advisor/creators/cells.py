"""Cell checks: every column parsed and checked at once, each bad cell recorded with its rows.

A row with any bad cell is skipped and reported (`Checked.issues`), never cast: numbers are
checked after scaling (`12.5K`), percent and currency conversion, against `BOUNDS`. Costs stay
in the file's currency (`Checked.currency`); the few named in another are converted to it
(`Checked.converted`, one notice each). Category columns (platform, relationship) are decided
once per distinct value, so Python never loops over a million cells.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from advisor.creators import csvread
from advisor.creators.headers import header_currency, kind_code, platform_index, relationship_code
from advisor.creators.numparse import Numbers, parse_numbers
from advisor.creators.schema import BOUNDS, CURRENCIES, NUMERIC
from advisor.creators.strings import string_edges
from advisor.locale.formatting import compact
from advisor.model.currency import Currency, convert


@dataclass
class Issue:
    rows: np.ndarray  # row positions in the raw table
    field: str
    code: str
    params: dict[str, object] = field(default_factory=dict)


@dataclass
class Converted:
    """Costs named in a currency other than the file's, converted to it (one notice each)."""

    source: str
    target: str
    count: int
    rate: float  # units of `target` per unit of `source`


@dataclass
class Checked:
    """Parsed columns for every raw row, plus which rows are bad or blank and why."""

    rows: int
    values: dict[str, object] = field(default_factory=dict)
    issues: list[Issue] = field(default_factory=list)
    bad: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))
    empty: dict[str, np.ndarray] = field(default_factory=dict)
    approximate: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))
    currency: str = "USD"  # of the cost column once read (the file's currency)
    converted: list[Converted] = field(default_factory=list)

    def report(
        self, mask: np.ndarray, field_name: str, code: str, only: bool = False, **params: object
    ) -> None:
        """Record bad rows; `only`: this is the one problem shown for those rows."""
        if mask.any():
            self.bad |= mask
            if only:
                self.issues = [
                    Issue(i.rows[~mask[i.rows]], i.field, i.code, i.params) for i in self.issues
                ]
            self.issues.append(Issue(np.flatnonzero(mask), field_name, code, params))


def check_cells(
    cells: dict[str, pd.Series],
    headers: dict[str, str],
    decimal_comma: bool,
    currency: str | None,
) -> Checked:
    """Parse and check every column; a row with any bad cell is skipped (and reported)."""
    rows = len(next(iter(cells.values())))
    checked = Checked(rows, bad=np.zeros(rows, bool), approximate=np.zeros(rows, bool))
    _check_handle(checked, cells["handle"])
    _check_platform(checked, cells["platform"])
    for name in NUMERIC:
        if name in cells:
            numbers = parse_numbers(
                cells[name],
                decimal_comma=decimal_comma,
                money=name == "cost_per_post",
                percent=name == "engagement_rate",
            )
            _check_number(checked, name, numbers, headers[name], currency)
    _check_relationship(checked, cells.get("relationship"), cells.get("ambassador_kind"))
    for name in ("name", "niche", "country", "language"):
        if name in cells:
            checked.values[name] = cells[name]
    return checked


def _check_handle(checked: Checked, cells: pd.Series) -> None:
    """A handle is missing when empty or just `@`. Spaces are trimmed only when some handle
    starts or ends with one: looking at first and last bytes is ten times cheaper than
    trimming a million strings."""
    handle = cells.astype("str")
    first, last, length = string_edges(handle)
    if ((first <= 32) | (first >= 128) | (last <= 32) | (last >= 128)).any():
        handle = handle.str.strip()
        first, last, length = string_edges(handle)
    if (first == ord("'")).any():  # '@name from one of our own neutralised exports
        handle = handle.str.replace(r"^'([=+\-@])", r"\1", regex=True)
        first, last, length = string_edges(handle)
    empty = handle.isna().to_numpy() | (length == 0) | ((length == 1) & (first == ord("@")))
    checked.values["handle"] = handle
    checked.empty["handle"] = empty
    checked.report(empty, "handle", "handle_missing")


def _categories(cells: pd.Series) -> tuple[np.ndarray, list[str]]:
    """Codes (-1 = missing) and distinct values, so Python only ever sees distinct values."""
    if isinstance(cells.dtype, pd.CategoricalDtype):
        return cells.cat.codes.to_numpy(), [str(c) for c in cells.cat.categories]
    codes, uniques = pd.factorize(cells.astype("str"))
    return np.asarray(codes), [str(u) for u in uniques]


def _lookup(cells: pd.Series, decide: Callable[[str], int]) -> np.ndarray:
    """Apply `decide` to each distinct value (-2 = blank, -1 = unknown) and spread it out."""
    codes, uniques = _categories(cells)
    table = np.array([decide(u) if u.strip() else -2 for u in uniques] + [-2], dtype=np.int8)
    return table[codes]  # int8: a million codes are 1 MB, cheap to combine


def _check_platform(checked: Checked, cells: pd.Series) -> None:
    index = _lookup(cells, platform_index)
    checked.values["platform_idx"] = index
    checked.empty["platform"] = index == -2
    checked.report(index == -2, "platform", "platform_missing")
    checked.report(index == -1, "platform", "platform_unknown")


def _check_number(
    checked: Checked, name: str, numbers: Numbers, header: str, currency: str | None
) -> None:
    """Counts and costs cannot be negative; followers must be given and above zero."""
    values, invalid = numbers.values, numbers.invalid
    checked.empty[name] = numbers.missing
    checked.report(invalid, name, "number_invalid")
    if name == "followers":
        checked.report(numbers.missing, name, "followers_missing")
        with np.errstate(invalid="ignore"):  # below one follower once rounded: not positive
            checked.report(
                ~invalid & (np.round(values) < BOUNDS[name][0]), name, "followers_not_positive"
            )
    else:
        checked.report(~invalid & (values < 0), name, "number_negative")
    if name in ("followers", "avg_likes"):
        checked.approximate |= numbers.abbreviated
    if name == "engagement_rate":
        values = _as_fraction(numbers, header)
    elif name == "cost_per_post":
        values = _in_file_currency(checked, numbers, header, currency)
    elif not numbers.integral:
        values = np.round(values)  # 12.5K and 1.2M are counts: whole numbers
    _check_bounds(checked, name, values, invalid | numbers.missing)
    checked.values[name] = values


def _check_bounds(checked: Checked, name: str, values: np.ndarray, skip: np.ndarray) -> None:
    """After scaling and conversion: not finite or past the plausible maximum is a problem
    (negative values were reported above)."""
    high = BOUNDS[name][1]
    with np.errstate(invalid="ignore"):
        beyond = ~skip & (~np.isfinite(values) | (values > high))
    shown = compact(high) if name != "engagement_rate" else "100%"
    if name == "cost_per_post":
        shown = f"{shown} {checked.currency}"
    checked.report(beyond, name, "number_too_large", limit=shown)


def _as_fraction(numbers: Numbers, header: str) -> np.ndarray:
    """Rates written as `3.4%`, `3.4` or `0.034` all become 0.034.

    A column is in percent when its header or any cell has a % sign, or any value exceeds 1
    (an engagement rate above 100% of followers is not plausible)."""
    values = numbers.values
    valid = ~np.isnan(values)
    percent_column = "%" in header or bool(numbers.percent.any()) or bool((values[valid] > 1).any())
    return values / 100 if percent_column else values


def _in_file_currency(
    checked: Checked, numbers: Numbers, header: str, currency: str | None
) -> np.ndarray:
    """Costs in the file's currency: the one most of its costs are in.

    Each cost's currency is the one its cell names (`450 €`, `$450`, `GBP 80`), else the one
    the header names (`Coût (€)`), else `currency` (the analyst's choice), else the file's. A
    file with no currency anywhere is in `currency`, or US dollars. The few costs named in
    another currency are converted to the file's at the planning rate (`model.currency`) and
    reported once per currency; every other cost is kept exactly as written."""
    values = numbers.values
    default = header_currency(header) or (Currency(currency.upper()).value if currency else None)
    code = np.full(values.shape[0], -1, dtype=np.int8)
    if numbers.currency is not None:  # "EUR" / "GBP" / "USD" / "" per cell
        codes, uniques = pd.factorize(numbers.currency)
        lookup = np.array([CURRENCIES.index(u) if u in CURRENCIES else -1 for u in uniques] + [-1])
        code = lookup[codes].astype(np.int8)
    if default is not None:
        code[code == -1] = CURRENCIES.index(default)
    given = ~numbers.missing & ~numbers.invalid & (code >= 0)
    counts = np.bincount(code[given], minlength=len(CURRENCIES))
    if not counts.any():
        checked.currency = default or "USD"
        return values
    # most costs; ties go to the analyst's or the header's currency, then to the first in file
    first = {c: int(np.argmax(given & (code == c))) for c in np.flatnonzero(counts)}
    target = min(first, key=lambda c: (-counts[c], CURRENCIES[c] != default, first[c]))
    checked.currency = CURRENCIES[target]
    others = sorted((c for c in first if c != target), key=first.get)  # in file order
    if not others:
        return values
    values = values.copy()
    for source in others:
        rows = given & (code == source)
        rate = convert(1.0, CURRENCIES[source], CURRENCIES[target])
        with np.errstate(over="ignore", invalid="ignore"):  # `1e308 £`: reported by the bounds
            values[rows] = np.round(values[rows] * rate, 2)
            count = int((rows & (values <= BOUNDS["cost_per_post"][1])).sum())
        if count:  # a notice for the costs kept, not for those the bounds turn away
            checked.converted.append(Converted(CURRENCIES[source], CURRENCIES[target], count, rate))
    return values


def _check_relationship(
    checked: Checked, relationship: pd.Series | None, kind: pd.Series | None
) -> None:
    """Influencer unless said otherwise; `employee` / `customer` (in either column) imply an
    ambassador of that kind. An unknown relationship is a bad cell; a free-text kind is kept."""
    blank = np.full(checked.rows, -2, dtype=np.int8)
    kind_codes = _lookup(kind, kind_code) if kind is not None else blank
    rel_code = _lookup(relationship, relationship_code) if relationship is not None else blank
    if relationship is not None:
        checked.empty["relationship"] = rel_code == -2
        checked.report(rel_code == -1, "relationship", "relationship_unknown")
    if kind is not None:
        checked.empty["ambassador_kind"] = kind_codes == -2
        checked.values["ambassador_kind_text"] = kind
    ambassador = (rel_code >= 1) | ((rel_code == -2) & (kind_codes != -2))
    from_relationship = np.maximum(rel_code - 1, 0).astype(np.int8)
    checked.values["relationship_idx"] = ambassador.view(np.int8)
    checked.values["kind_code"] = np.where(kind_codes == -2, from_relationship, kind_codes)


def blank_rows(checked: Checked, cells: dict[str, pd.Series]) -> np.ndarray:
    """Rows with every known cell empty (Excel's trailing `;;;;` lines): dropped silently.

    Free-text columns are only inspected on the few rows that are otherwise empty."""
    blank = np.logical_and.reduce(list(checked.empty.values()))
    rows = np.flatnonzero(blank)
    for name in ("name", "niche", "country", "language"):
        if name in cells and rows.size:
            text = cells[name].iloc[rows].astype("str").str.strip()
            blank[rows[(text.notna() & text.ne("")).to_numpy()]] = False
    return blank


def report_hidden_content(
    checked: Checked, blank: np.ndarray, text: csvread.Text, raw: csvread.RawTable, delimiter: str
) -> None:
    """A row empty in every recognised column is a blank line, unless its line holds text in
    other columns: that row is reported (`row_empty`), not dropped in silence."""
    rows = np.flatnonzero(blank)
    if not rows.size:
        return
    filler = set(delimiter + '"\ufeff') | {" ", "\t", "\r", "\n"}
    texts = csvread.line_texts(text.data, raw.lines[rows])
    content = np.array([bool(set(line) - filler) for line in texts], dtype=bool)
    if content.any():
        hidden = np.zeros(checked.rows, dtype=bool)
        hidden[rows[content]] = True
        blank[hidden] = False
        checked.report(hidden, "handle", "row_empty", only=True)
