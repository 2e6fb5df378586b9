"""A campaign's real results, read from the team's CSV export with the creator lists' reader.

One row per week, or per creator and week: `week` (1, 2, …) or `date` (the week is counted
from `start`, else from the earliest date), optional `creator` handle, and the figures the
team has, any of `posts`, `reach` (people reached that week or by that creator, new people
as far as the tool can tell), `impressions`, `engagements`, `clicks`, `orders`, `spend` (the
plan's currency). Headers are matched like a creator list's (case, accents and punctuation
ignored; English and French names), numbers are read the same forgiving way (`12.5K`,
`1 234`, `3,4`, `$1,200`), and every line of the file is either kept or reported in
`ResultsLoad.problems` with its line number (header = line 1) and why.

    >>> load = read_results(b"week,posts,reach,spend\\n1,4,1200,$800\\n2,x,1500,700\\n")
    >>> load.table[["week", "posts", "reach"]].values.tolist()
    [[1.0, 4.0, 1200.0]]
    >>> [(p.line, p.code) for p in load.problems]
    [(3, 'number_invalid')]
"""

from __future__ import annotations

import math
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from advisor.creators import csvread
from advisor.creators.headers import normalise_label
from advisor.creators.numparse import parse_numbers
from advisor.creators.schema import IngestError, Problem
from advisor.locale.formatting import number
from advisor.locale.i18n import DEFAULT_LANGUAGE, t

FIGURES: tuple[str, ...] = (
    "posts",
    "reach",
    "impressions",
    "engagements",
    "clicks",
    "orders",
    "spend",
)
COLUMNS: tuple[str, ...] = ("line", "week", "creator", *FIGURES)
MAX_WEEK = 520  # ten years of weeks: a larger week number is a typo
MAX_VALUE = 1e12
ALIASES: dict[str, tuple[str, ...]] = {
    "week": ("week", "wk", "week number", "week no", "semaine", "sem", "numero de semaine"),
    "date": ("date", "day", "jour", "week of", "week starting", "semaine du", "period", "periode"),
    "creator": ("creator", "creator handle", "handle", "username", "account", "influencer",
                "createur", "createur handle", "compte", "pseudo", "influenceur", "ambassador",
                "ambassadeur"),
    "posts": ("posts", "post", "post count", "number of posts", "publications", "publication",
              "nb posts", "nombre de publications", "contents", "contenus"),
    "reach": ("reach", "people reached", "unique reach", "accounts reached", "portee",
              "personnes atteintes", "comptes atteints"),
    "impressions": ("impressions", "views", "vues", "affichages", "video views"),
    "engagements": ("engagements", "engagement", "interactions", "total engagements"),
    "clicks": ("clicks", "link clicks", "clics", "clics sur le lien", "visits", "visites"),
    "orders": ("orders", "sales", "purchases", "conversions", "commandes", "ventes", "achats"),
    "spend": ("spend", "amount spent", "cost", "costs", "depenses", "montant depense", "cout",
              "couts", "budget spent"),
}  # fmt: skip
_LOOKUP = {normalise_label(alias): field for field, names in ALIASES.items() for alias in names}
TEMPLATE = (
    "week,creator,posts,reach,impressions,engagements,clicks,orders,spend\n"
    "1,lena.bakes,2,5400,9800,410,96,3,900\n"
    "1,maya.customer,1,310,420,35,6,1,10\n"
    "2,lena.bakes,1,2100,4300,180,41,1,450\n"
)


class ResultsLoad(BaseModel):
    """A campaign's results as read: the clean table and every line that was not kept.

    `table` has `COLUMNS`: `line` (the row's line in the file), `week` (1-based, float),
    `creator` (text or None) and the figures (NaN where the file gives none)."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    table: pd.DataFrame
    problems: list[Problem] = Field(default_factory=list)
    rows_read: int = 0
    figures: list[str] = Field(default_factory=list, description="Figures the file gives.")
    mapping: dict[str, str] = Field(default_factory=dict, description="File header: field.")
    start: date | None = Field(None, description="Day week 1 starts, when read from dates.")

    @property
    def rows_kept(self) -> int:
        return len(self.table)

    def weekly(self) -> pd.DataFrame:
        """One row per week (creators summed), weeks 1…last; figures not given stay NaN."""
        table = self.table
        if table.empty:
            return pd.DataFrame(columns=["week", *FIGURES])
        weeks = np.arange(1, int(table["week"].max()) + 1)
        sums = table.groupby("week")[list(FIGURES)].sum(min_count=1)
        out = sums.reindex(weeks.astype(float)).reset_index(names="week")
        for name in FIGURES:
            if name not in self.figures:
                out[name] = np.nan
        return out

    def totals(self) -> dict[str, float | None]:
        """Each figure over the whole campaign (None when the file does not give it)."""
        return {
            name: (float(self.table[name].sum()) if name in self.figures else None)
            for name in FIGURES
        }

    @property
    def weeks(self) -> int:
        return 0 if self.table.empty else int(self.table["week"].max())

    @property
    def creators(self) -> int:
        """Distinct creators named in the results (0 when the file names none)."""
        return int(self.table["creator"].dropna().nunique())

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict (what the store keeps): rows, problems and how they were read."""
        rows = [
            {k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in row.items()}
            for row in self.table.astype(object).to_dict("records")
        ]
        return {
            "rows": rows,
            "problems": [p.model_dump(mode="json") for p in self.problems],
            "rows_read": self.rows_read,
            "figures": list(self.figures),
            "mapping": dict(self.mapping),
            "start": None if self.start is None else self.start.isoformat(),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ResultsLoad:
        table = _frame(data.get("rows") or [])
        start = data.get("start")
        return cls(
            table=table,
            problems=[Problem.model_validate(p) for p in data.get("problems") or []],
            rows_read=int(data.get("rows_read") or len(table)),
            figures=list(data.get("figures") or []),
            mapping=dict(data.get("mapping") or {}),
            start=None if start is None else date.fromisoformat(start),
        )


def _frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    for name in ("line", "week", *FIGURES):
        frame[name] = pd.to_numeric(frame[name], errors="coerce").astype(float)
    frame["line"] = frame["line"].astype("int64")
    frame["creator"] = pd.Series(
        [c if isinstance(c, str) and c else None for c in frame["creator"]], dtype=object
    )
    return frame


def template_csv() -> bytes:
    """The results template the page offers for download (UTF-8, header and example rows)."""
    return TEMPLATE.encode("utf-8")


def _fields(header: list[str]) -> dict[int, str]:
    """Header position -> field, the first column of each field winning."""
    out: dict[int, str] = {}
    for pos, label in enumerate(header):
        field = _LOOKUP.get(normalise_label(label))
        if field is not None and field not in out.values():
            out[pos] = field
    return out


def _problem(line: int, column: str | None, value: str, code: str, lang: str, **params) -> Problem:
    message = t(f"actuals.problem.{code}", lang, column=column or "", value=value, **params)
    return Problem(line=line, column=column, value=value[:200], message=message, code=code)


def read_results(
    source: object, *, lang: str = DEFAULT_LANGUAGE, start: date | None = None
) -> ResultsLoad:
    """Read a campaign's results (path, bytes, file object or a DataFrame).

    Raises `IngestError` only when the file cannot be used at all (not a CSV, empty, no week
    or date column, no figure column, no row). `start`: the day week 1 begins, for files
    with dates (default: the earliest date in the file)."""
    if isinstance(source, pd.DataFrame):
        source = source.to_csv(index=False).encode("utf-8")
    data, name = csvread.open_source(source)
    try:
        try:
            text = csvread.decode(data, name)
            dialect = csvread.sniff(text)
            csvread.check_width(dialect)
            fields = _fields(dialect.header)
            if not {"week", "date"} & set(fields.values()):
                raise IngestError(t("actuals.error.no_week", lang), "missing_columns")
            if not set(FIGURES) & set(fields.values()):
                raise IngestError(t("actuals.error.no_figures", lang), "missing_columns")
            raw = csvread.parse(text, dialect, dict.fromkeys(fields, "text"))
        except csvread.CsvFormatError as exc:
            params = {k: number(v, lang) if isinstance(v, int | float) else v
                      for k, v in exc.params.items()}  # fmt: skip
            if "kind" in params:
                params["kind"] = t(f"ingest.kind.{params['kind']}", lang)
            raise IngestError.of(exc.code, lang, **params) from exc
        return _read(raw, dialect, fields, lang, start)
    finally:
        csvread.release(data)


def _read(
    raw: csvread.RawTable,
    dialect: csvread.Dialect,
    fields: dict[int, str],
    lang: str,
    start: date | None,
) -> ResultsLoad:
    lines = np.asarray(raw.lines, dtype=np.int64)
    rows = raw.rows
    header = {field: dialect.header[pos].strip() or field for pos, field in fields.items()}
    cells = {field: raw.columns[pos].astype(object) for pos, field in fields.items()}
    text = {f: c.where(c.notna(), "").astype(str).str.strip() for f, c in cells.items()}
    bad = np.zeros(rows, dtype=bool)
    found: list[Problem] = []

    def report(mask: np.ndarray, field: str, code: str, **params: object) -> None:
        for i in np.flatnonzero(mask & ~bad):
            value = text[field].iloc[i]
            found.append(_problem(int(lines[i]), header[field], value, code, lang, **params))
        bad[mask] = True

    given = [f for f in fields.values() if f in FIGURES]
    empty = np.logical_and.reduce([text[f].to_numpy() == "" for f in given])
    for i in np.flatnonzero(empty):
        found.append(_problem(int(lines[i]), None, "", "row_empty", lang))
    bad |= empty
    semicolon = dialect.delimiter == ";"
    values: dict[str, np.ndarray] = {}
    for field in FIGURES:
        if field not in text:
            continue
        parsed = parse_numbers(cells[field], decimal_comma=semicolon, money=field == "spend")
        v = parsed.values
        report(parsed.invalid, field, "number_invalid")
        report(~parsed.invalid & (v < 0), field, "number_negative")
        report(~parsed.invalid & (v > MAX_VALUE), field, "number_too_large")
        values[field] = np.where(parsed.missing | parsed.invalid, np.nan, v)
    week, start = _weeks(cells, text, report, start, semicolon, rows)
    creator = text.get("creator", pd.Series([""] * rows)).str.lstrip("@")
    keep = ~bad
    for row in raw.broken:
        code = row.code if row.code in ("row_fields", "unclosed_quote", "nul_byte") else "broken"
        found.append(
            Problem(
                line=row.line,
                column=None,
                value=row.text[:200],
                message=t(f"actuals.problem.{code}", lang),
                code=code,
            )
        )
    found.sort(key=lambda p: (p.line or 0, p.column or ""))
    table = pd.DataFrame(
        {
            "line": lines[keep],
            "week": week[keep],
            "creator": creator.to_numpy(dtype=object)[keep],
            **{
                f: (values[f][keep] if f in values else np.full(int(keep.sum()), np.nan))
                for f in FIGURES
            },
        },
        columns=list(COLUMNS),
    )
    table["creator"] = pd.Series(
        [c if isinstance(c, str) and c else None for c in table["creator"]], dtype=object
    )
    rows_read = rows + len(raw.broken)
    if rows_read == 0:
        raise IngestError(t("actuals.error.no_rows", lang), "header_only")
    return ResultsLoad(
        table=table.sort_values(["week", "line"], kind="stable").reset_index(drop=True),
        problems=found,
        rows_read=rows_read,
        figures=[f for f in FIGURES if f in values],
        mapping={header[f]: f for f in fields.values()},
        start=start,
    )


def _weeks(
    cells: dict[str, pd.Series],
    text: dict[str, pd.Series],
    report: Any,
    start: date | None,
    semicolon: bool,
    rows: int,
) -> tuple[np.ndarray, date | None]:
    """Week numbers (1-based) from the week column, else from dates counted from `start`."""
    if "week" in cells:
        parsed = parse_numbers(cells["week"], decimal_comma=semicolon)
        v = parsed.values
        missing = parsed.missing & (text.get("date", text["week"]) == "").to_numpy()
        report(missing, "week", "week_missing")
        wrong = ~parsed.missing & (parsed.invalid | ~(v >= 1) | (v > MAX_WEEK) | (v != np.floor(v)))
        report(wrong, "week", "week_invalid", limit=MAX_WEEK)
        week = np.where(np.isnan(v), np.nan, v)
        if "date" not in cells:
            return week, None
    else:
        week = np.full(rows, np.nan)
    days = _dates(text["date"], semicolon)
    need = np.isnan(week)
    report(need & (text["date"] == "").to_numpy(), "date", "week_missing")
    report(need & (text["date"] != "").to_numpy() & np.isnat(days), "date", "date_invalid")
    valid = need & ~np.isnat(days)
    if valid.any():
        first = np.datetime64(start) if start is not None else days[valid].min()
        counted = (days - first).astype("timedelta64[D]").astype(float) // 7 + 1
        report(valid & ((counted < 1) | (counted > MAX_WEEK)), "date", "date_outside")
        week = np.where(valid, counted, week)
        start = start or pd.Timestamp(first).date()
    return week, start


def _dates(cells: pd.Series, day_first: bool) -> np.ndarray:
    """Days of `cells` (NaT when not a date): ISO first, then the file's convention."""
    iso = pd.to_datetime(cells, format="%Y-%m-%d", errors="coerce")
    rest = iso.isna() & (cells != "")
    if rest.any():
        other = pd.to_datetime(cells[rest], format="mixed", dayfirst=day_first, errors="coerce")
        iso = iso.where(~rest, other)
    return iso.to_numpy(dtype="datetime64[D]")


__all__ = ["COLUMNS", "FIGURES", "ResultsLoad", "read_results", "template_csv"]
