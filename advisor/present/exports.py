"""Downloads for analysts: CSV bytes that open safely in Excel, the problems table, a template.

Why neutralise: a cell such as `=HYPERLINK("http://evil", "click")` in an uploaded list would
run as a formula when the analyst opens our export in a spreadsheet (CSV injection, OWASP).
An apostrophe before the trigger makes the spreadsheet show it as text.

Why not only the first character: a spreadsheet set to another separator than ours (French
and German Excel split on `;`, a paste into a sheet splits on tabs) cuts a cell such as
`a;=cmd|' /C calc'!A0;b` into several, and quotes no longer protect them. So an apostrophe goes
before every trigger (`=`, `+`, `-`, `@`, tab, carriage return) that starts the cell or follows
a separator (`,`, `;`, tab, any line break), also when spaces, zero-width characters, a BOM or a
quote come in between. Every text field is quoted. Real numbers are left alone: numeric
columns stay numeric, and a text cell that is exactly a negative number (`-12.5`, or such a
number after the last separator) is a number to the spreadsheet, not a formula.
"""

from __future__ import annotations

import csv
import re
from typing import TYPE_CHECKING

import pandas as pd

from advisor.locale.i18n import t

if TYPE_CHECKING:
    from advisor.creators.ingest import CreatorLoad

TRIGGERS = "=+-@\t\r"
SEPARATORS = ",;\t\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"  # and every line break Python knows
# What a spreadsheet (or a person) may skip before reading a formula: spaces of every kind
# (all that `str.isspace` knows, except the separators above), zero-width and direction marks,
# word joiners, the BOM, and a double quote (left behind when a quoted cell is split).
IGNORABLE = (
    ' \x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u1680\u180e\u2028\u2029\u202f\u205f\u3000\ufeff"'
    + "".join(chr(c) for c in range(0x2000, 0x2010))  # en quad ... right-to-left mark
    + "".join(chr(c) for c in range(0x202A, 0x202F))  # embeddings and overrides
    + "".join(chr(c) for c in range(0x2060, 0x2070))  # word joiner, invisible operators
)


def _charset(chars: str) -> str:
    return "[" + "".join(re.escape(c) for c in chars) + "]"


_NUMBER_END = r"-[0-9]+(?:[.,][0-9]+)?(?:[eE][+-]?[0-9]+)?$"  # a negative number ends the cell
_RISK = re.compile(rf"(?:^|{_charset(SEPARATORS)}){_charset(IGNORABLE)}*{_charset(TRIGGERS)}")
_FIX = re.compile(
    rf"(^|{_charset(SEPARATORS)})({_charset(IGNORABLE)}*)(?={_charset(TRIGGERS)})(?!{_NUMBER_END})"
)
PROBLEM_COLUMNS = ("line", "column", "value", "message")
TEMPLATE_ROWS = (
    ("lena.bakes", "instagram", 48_200, 1_310, 42, 9_800, 450, "influencer"),
    ("trailrunner_ca", "tiktok", 12_800, 1_020, 35, 6_100, None, "influencer"),
    ("maya.customer", "instagram", 850, 31, 2, None, None, "ambassador"),
)  # handles without @: a leading @ would be neutralised as a formula in the download


def neutral_text(text: str) -> str:
    """`text` with an apostrophe before every trigger that starts it or follows a separator.

    A trigger that is itself a separator (tab, carriage return) is checked on both sides:
    `"\\t=1"` becomes `"'\\t'=1"`."""
    if not _RISK.search(text):
        return text
    return _FIX.sub(r"\1\2'", text)


def neutralise_formulas(df: pd.DataFrame) -> pd.DataFrame:
    """A copy where no text cell (or header) holds a piece a spreadsheet would run as a
    formula; see the module docstring. Numeric columns are untouched."""
    out = df.rename(columns=lambda name: neutral_text(name) if isinstance(name, str) else name)
    for position in range(out.shape[1]):
        series = out.iloc[:, position]
        if isinstance(series.dtype, pd.CategoricalDtype):
            series = series.astype(object).where(series.notna(), None)
        if pd.api.types.is_string_dtype(series.dtype) or series.dtype == object:
            out.isetitem(position, _neutral_column(series))
    return out


def _neutral_column(series: pd.Series) -> pd.Series:
    """Only text cells change; numbers in an object column and missing cells pass as they are."""
    values = series.tolist()
    changed = [neutral_text(v) if isinstance(v, str) else v for v in values]
    if all(a is b for a, b in zip(values, changed, strict=True)):
        return series
    return pd.Series(changed, index=series.index, dtype=object)


def to_csv_bytes(df: pd.DataFrame) -> bytes:
    """UTF-8 with a BOM (so Excel shows accents right), formulas neutralised, every text field
    quoted, numbers bare, no index.

    CRLF line ends as RFC 4180 and Excel use."""
    safe = neutralise_formulas(df)
    text = safe.to_csv(index=False, lineterminator="\r\n", quoting=csv.QUOTE_NONNUMERIC)
    return text.encode("utf-8-sig")


def problems_frame(load: CreatorLoad, lang: str | None = None) -> pd.DataFrame:
    """The problems as a table (line, column, value, message), in file order.

    With `lang`, the headers are translated for the download; without, they stay the
    machine names above."""
    rows = [[p.line, p.column or "", p.value, p.message] for p in load.problems]
    frame = pd.DataFrame(rows, columns=list(PROBLEM_COLUMNS)).astype({"line": "Int64"})
    if lang is not None:
        frame.columns = [t(f"export.column.{name}", lang) for name in PROBLEM_COLUMNS]
    return frame


def template_csv() -> bytes:
    """A starter file: the canonical header and three example rows (an influencer with a
    price, one without, so the benchmark cost fills it in, and a customer ambassador)."""
    from advisor.creators.ingest import CANONICAL

    frame = pd.DataFrame(list(TEMPLATE_ROWS), columns=list(CANONICAL))
    for column in ("avg_views", "cost_per_post"):
        frame[column] = frame[column].astype("Int64")
    return to_csv_bytes(frame)
