"""Downloads for analysts: CSV bytes that open safely in Excel, the problems table, the weekly
projection, a template.

Each download follows its language: French files are split on `;` with a decimal comma (what
French Excel reads), English ones on `,` with a decimal point; headers are translated and carry
their units, and numbers are rounded to what they mean (whole people, spend to the cent).

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

import math
import re
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from babel.numbers import get_decimal_symbol

from advisor.locale.i18n import t

if TYPE_CHECKING:
    from advisor.advice.curves import ResponseCurves
    from advisor.advice.plan import Plan
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


def csv_separator(lang: str | None) -> tuple[str, str]:
    """(field delimiter, decimal mark) for a download in `lang`: where the locale writes decimals
    with a comma (French), fields are split on `;` as French Excel expects; else `,` and `.`."""
    if lang is None:
        return ",", "."
    decimal = get_decimal_symbol(lang)
    return (";", decimal) if decimal == "," else (",", decimal)


def to_csv_bytes(df: pd.DataFrame, lang: str | None = None) -> bytes:
    """UTF-8 with a BOM (so Excel shows accents right), formulas neutralised, every text field
    quoted, numbers bare, no index, CRLF line ends as RFC 4180 and Excel use.

    `lang` picks the delimiter and decimal mark of the download's language (`csv_separator`):
    French files read `;` and `0,5`, English ones `,` and `0.5` (also without `lang`).
    Headers are written as given: translate them before (`weekly_frame`, `problems_frame`)."""
    delimiter, decimal = csv_separator(lang)
    safe = neutralise_formulas(df)
    lines = [delimiter.join(_quoted(str(name)) for name in safe.columns)]
    columns = [_cells(safe.iloc[:, i], decimal, lang) for i in range(safe.shape[1])]
    lines.extend(delimiter.join(row) for row in zip(*columns, strict=True))
    text = "".join(line + "\r\n" for line in lines)
    return text.encode("utf-8-sig")


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _cells(series: pd.Series, decimal: str, lang: str | None = None) -> list[str]:
    """One column as CSV fields: numbers bare with the language's decimal mark, missing values
    as an empty quoted field, booleans as the language's yes / no (True / False without a
    language), everything else quoted text (as `csv.QUOTE_NONNUMERIC`)."""
    out = []
    for value in series.tolist():
        if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
            out.append('""')
        elif isinstance(value, bool | np.bool_):
            if lang is None:
                out.append(str(bool(value)))
            else:
                out.append(_quoted(t("common.yes" if value else "common.no", lang)))
        elif isinstance(value, int | np.integer):
            out.append(str(int(value)))
        elif isinstance(value, float | np.floating):
            text = repr(float(value) + 0.0)  # + 0.0: no "-0.0"
            out.append(text.replace(".", decimal) if decimal != "." else text)
        else:
            out.append(_quoted(str(value)))
    return out


WEEKLY_COLUMNS = (
    "strategy", "week", "reach_p10", "reach_p50", "reach_p90", "impressions_p50",
    "engagements_p50", "remembering_p50", "spend",
)  # fmt: skip


def weekly_frame(plan: Plan, lang: str) -> pd.DataFrame:
    """The weekly projection as the download holds it: one row per strategy and week, people and
    impressions as whole numbers, spend in the brief's currency to the cent, strategy names and
    column headers (with their units and percentiles) in `lang`."""
    frame = plan.projection.to_frame()
    out = pd.DataFrame(index=frame.index)
    for name in WEEKLY_COLUMNS:
        column = frame[name]
        if name == "strategy":
            out[name] = [t(f"strategy.{s}", lang) for s in column]
        elif name == "spend":
            out[name] = column.astype(float).round(2) + 0.0
        else:
            out[name] = column.astype(float).round().astype("Int64")
    currency = str(plan.brief.currency)
    out.columns = [t(f"export.weekly.{name}", lang, currency=currency) for name in WEEKLY_COLUMNS]
    return out


def weekly_csv(plan: Plan, lang: str) -> bytes:
    """The weekly CSV download in `lang`: translated headers, its delimiter and decimal mark."""
    return to_csv_bytes(weekly_frame(plan, lang), lang)


def curves_frame(curves: ResponseCurves, plan: Plan, lang: str) -> pd.DataFrame:
    """The response curves as the download holds them: one row per plan and budget, money in
    the brief's currency to the cent, results as whole numbers (entries, people), whether the
    point keeps a smaller budget's plan, and whether it is the curve's knee; headers in `lang`."""
    currency = str(plan.brief.currency)
    label = t(f"objective.{plan.objective.key.value}", lang)
    rows = [
        (
            t(f"spend.family.{c.family}", lang),
            round(p.budget, 2) + 0.0,
            round(p.spend, 2) + 0.0,
            round(p.p10),
            round(p.p50),
            round(p.p90),
            p.carried,
            c.knee == p.budget,
        )
        for c in curves.curves
        for p in c.points
    ]
    names = ("family", "budget", "spend", "p10", "p50", "p90", "carried", "knee")
    headers = [t(f"export.curve.{n}", lang, currency=currency, label=label) for n in names]
    frame = pd.DataFrame(rows, columns=headers)
    for h in headers[3:6]:
        frame[h] = frame[h].astype("Int64")
    return frame


def curves_csv(curves: ResponseCurves, plan: Plan, lang: str) -> bytes:
    """The curves CSV in `lang`: translated headers, its delimiter and decimal mark."""
    return to_csv_bytes(curves_frame(curves, plan, lang), lang)


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
