"""Downloads for analysts: CSV bytes that open safely in Excel, the problems table, a template.

Why neutralise: a cell such as `=HYPERLINK("http://evil", "click")` in an uploaded list would
run as a formula when the analyst opens our export in a spreadsheet (CSV injection, OWASP).
Prefixing an apostrophe makes the spreadsheet show it as text. Real numbers are left alone:
numeric columns stay numeric and a text cell holding a plain negative number (`-12.5`) is a
number to the spreadsheet, not a formula.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from advisor.i18n import t

if TYPE_CHECKING:
    from advisor.ingest import CreatorLoad

FORMULA_START = r"^[=+\-@\t\r]"
PLAIN_NEGATIVE = r"^-[0-9]+(?:[.,][0-9]+)?$"
PROBLEM_COLUMNS = ("line", "column", "value", "message")
TEMPLATE_ROWS = (
    ("lena.bakes", "instagram", 48_200, 1_310, 42, 9_800, 450, "influencer"),
    ("trailrunner_ca", "tiktok", 12_800, 1_020, 35, 6_100, None, "influencer"),
    ("maya.customer", "instagram", 850, 31, 2, None, None, "ambassador"),
)  # handles without @: a leading @ would be neutralised as a formula in the download


def neutralise_formulas(df: pd.DataFrame) -> pd.DataFrame:
    """A copy where every text cell (and header) a spreadsheet would run as a formula starts
    with an apostrophe: cells starting with = + - @, a tab or a carriage return."""
    out = df.rename(
        columns=lambda name: _neutral_text(str(name)) if isinstance(name, str) else name
    )
    for column in out.columns:
        series = out[column]
        if isinstance(series.dtype, pd.CategoricalDtype):
            series = series.astype("str")
        if pd.api.types.is_string_dtype(series.dtype) or series.dtype == object:
            out[column] = _neutral_column(series)
    return out


def _neutral_column(series: pd.Series) -> pd.Series:
    """Vectorised over the column; non-string objects (numbers in an object column) pass."""
    if series.dtype == object:
        is_text = series.map(lambda value: isinstance(value, str)).astype(bool)
        text = series.where(is_text, "").astype("str")
    else:
        is_text = series.notna()
        text = series.fillna("")
    risky = is_text & text.str.contains(FORMULA_START) & ~text.str.contains(PLAIN_NEGATIVE)
    if not risky.any():
        return series
    return series.mask(risky, "'" + text)


def _neutral_text(text: str) -> str:
    frame = pd.Series([text], dtype="str")
    return str(_neutral_column(frame).iloc[0])


def to_csv_bytes(df: pd.DataFrame) -> bytes:
    """UTF-8 with a BOM (so Excel shows accents right), formulas neutralised, no index.

    CRLF line ends as RFC 4180 and Excel use; they also make pandas quote a cell holding a
    lone carriage return, which would otherwise split the row in two."""
    return neutralise_formulas(df).to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


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
    from advisor.ingest import CANONICAL

    frame = pd.DataFrame(list(TEMPLATE_ROWS), columns=list(CANONICAL))
    for column in ("avg_views", "cost_per_post"):
        frame[column] = frame[column].astype("Int64")
    return to_csv_bytes(frame)
