"""Analysts' creator lists: read a CSV export, check every cell, merge duplicates, audit.

    >>> from advisor import SAMPLE_CREATORS
    >>> load = load_creators(SAMPLE_CREATORS)
    >>> load.rows_kept, len(load.problems), load.currency
    (800, 0, 'USD')

Real exports are messy (semicolons and decimal commas from French Excel, `12.5K`, headers in
two languages, cp1252, stray blank lines), and analysts need to know exactly which line of
their file was skipped and why. So every bad cell becomes a `Problem` with the line number
the analyst sees in their editor, good rows are kept, and nothing disappears silently. Costs
stay in the file's currency (`CreatorLoad.currency`).

An upload becomes a table in these steps, one module each (this one runs them):

- `csvread`: bytes -> decoded text -> dialect -> raw cells, with the line each row starts on;
- `headers`: the file's headers -> canonical columns (`Nb abonnés` -> followers);
- `numparse` and `cells`: every column parsed and checked at once; bad rows reported;
- `dedupe`: the same handle and platform twice -> one row, each merged row reported;
- here: the canonical table (tier, engagement rate, benchmark cost where missing);
- `audit`: engagement checks, flags as codes (a categorical), not per-row strings.

`schema` holds the columns, bounds, `CreatorRow`, `CreatorLoad` and `IngestError`.

Speed: a million rows load, check and audit in at most 1.5x the time of a bare
`pandas.read_csv(engine="pyarrow")` (`make bench`). Everything is column-wise (pyarrow
parsing, regular expressions over whole columns, numpy); Python only touches distinct values
(six platforms), bad cells and duplicates. Pydantic documents the row schema (`CreatorRow`)
but does not validate row by row, which would take a minute.
"""

from __future__ import annotations

import mmap
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd

from advisor.creators import csvread
from advisor.creators.audit import audit
from advisor.creators.cells import (
    Checked,
    Converted,
    blank_rows,
    check_cells,
    report_hidden_content,
)
from advisor.creators.dedupe import Columns, duplicated, merge_duplicates
from advisor.creators.headers import (
    HEADER_ALIASES,
    display_headers,
    guess_field,
    header_currency,
    normalise_label,
    platform_index,
    resolve_columns,
)
from advisor.creators.schema import (
    BOUNDS,
    CANONICAL,
    COUNTS,
    CURRENCIES,
    EXTRAS,
    FIELDS,
    KINDS,
    NUMERIC,
    OUTPUT_COLUMNS,
    PLATFORMS,
    REQUIRED,
    CreatorLoad,
    CreatorRow,
    IngestError,
    Problem,
)
from advisor.locale.formatting import number
from advisor.locale.i18n import DEFAULT_LANGUAGE, t
from advisor.model.benchmarks import TIERS, load_benchmarks
from advisor.model.currency import Currency, per_usd

__all__ = [  # the entry point, and the names callers have imported from here
    "BOUNDS", "CANONICAL", "COUNTS", "CURRENCIES", "EXTRAS", "FIELDS", "HEADER_ALIASES", "KINDS",
    "NUMERIC", "OUTPUT_COLUMNS", "PLATFORMS", "REQUIRED", "CreatorLoad", "CreatorRow",
    "IngestError", "Problem", "display_headers", "guess_field", "header_currency",
    "load_creators", "normalise_label", "platform_index", "read_header",
]  # fmt: skip


# --- the kept table ------------------------------------------------------------------------


def _take(values: object, rows: np.ndarray | None) -> object:
    """Rows of a column (all of them without a copy when nothing was dropped)."""
    if rows is None:
        return values.reset_index(drop=True) if isinstance(values, pd.Series) else values
    if isinstance(values, pd.Series):
        return values.iloc[rows].reset_index(drop=True)
    return np.asarray(values)[rows]


def _kept_columns(checked: Checked, keep: np.ndarray, lines: np.ndarray) -> Columns:
    """Good rows only, with their source line, still in internal (coded) form.

    Kept as a dict of arrays rather than a DataFrame: building a frame consolidates columns
    (a copy), and on the common path (no duplicates) it would be thrown away."""
    rows = None if keep.all() else np.flatnonzero(keep)
    columns = {"line": lines, "_approx": checked.approximate, **checked.values}
    return {name: _take(values, rows) for name, values in columns.items()}


def _categorical(
    codes: np.ndarray, names: tuple[str, ...], ordered: bool = False
) -> pd.Categorical:
    return pd.Categorical.from_codes(codes, categories=list(names), ordered=ordered)


def _derive(frame: Columns, currency: str) -> pd.DataFrame:
    """The canonical table: labels, tier, engagement rate and benchmark cost where missing
    (the dollar benchmark in the file's `currency`, to the cent)."""
    bench = load_benchmarks()
    n = len(frame["line"])
    nan = np.full(n, np.nan)

    def col(name: str) -> np.ndarray:
        return np.asarray(frame[name], dtype=float) if name in frame else nan

    platform = np.asarray(frame["platform_idx"], dtype=np.int64)
    followers = np.asarray(frame["followers"]).astype(np.int64)
    tier = np.zeros(n, dtype=np.int8)  # = bench.tier_of, with int compares instead of a search
    for edge in bench.tier_edges:
        tier += followers >= edge
    likes, comments, cost = col("avg_likes"), col("avg_comments"), col("cost_per_post")
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = (likes + np.nan_to_num(comments)) / followers
    rate = np.where(np.isnan(likes), col("engagement_rate"), rate)
    estimated = np.isnan(cost)
    bench_cost = _benchmark_cost(bench, currency)[platform, tier]
    out = {
        "line": np.asarray(frame["line"], dtype=np.int64),
        "handle": frame["handle"],
        "name": frame.get("name"),
        "platform": _categorical(platform, PLATFORMS),
        "followers": followers,
        "avg_likes": likes,
        "avg_comments": comments,
        "avg_views": col("avg_views"),
        "cost_per_post": np.where(estimated, bench_cost, cost),
        "relationship": _categorical(
            np.asarray(frame["relationship_idx"]), ("influencer", "ambassador")
        ),
        "ambassador_kind": _ambassador_kind(frame),
        "niche": frame.get("niche"),
        "country": frame.get("country"),
        "language": frame.get("language"),
        "tier": _categorical(tier, TIERS, ordered=True),
        "engagement_rate": rate,
        "cost_estimated": estimated,
    }
    # copy=False: the arrays are fresh, and consolidating them into blocks would copy 60 MB
    return pd.DataFrame({k: v for k, v in out.items() if v is not None}, copy=False)


def _benchmark_cost(bench: object, currency: str) -> np.ndarray:
    """The planning cost per post grid (platform x tier), from US dollars to `currency`."""
    grid = bench.grid("cost")
    return grid if currency == "USD" else np.round(grid * per_usd(currency), 2)


def _ambassador_kind(frame: Columns) -> pd.Categorical | None:
    """customer / employee when recognised, the analyst's own word otherwise (categorical:
    a handful of values over a million rows)."""
    codes = np.asarray(frame["kind_code"])  # int8: -1 own word, 0 none, 1 customer, 2 employee
    if "ambassador_kind_text" not in frame and not (codes > 0).any():
        return None
    names = ["customer", "employee"]
    own = np.flatnonzero(codes == -1)
    # customer 0, employee 1, missing -1; own words (-2 for now) below. int8 codes unless the
    # analyst wrote many words of their own: a million int64 codes cost 8 MB and their checks.
    out = (codes - 1).astype(np.int32 if own.size else np.int8)
    if own.size:
        words = pd.Series(frame["ambassador_kind_text"]).iloc[own].astype("str").str.strip()
        word_codes, uniques = pd.factorize(words)
        names += [str(u) for u in uniques if str(u) not in names]
        out[own] = np.array([names.index(str(u)) for u in uniques])[word_codes]
    return pd.Categorical.from_codes(out, categories=names)


# --- problems ------------------------------------------------------------------------------


def _cell_text(value: object) -> str:
    """A cell as the analyst typed it (numbers read by pyarrow lose their `.0`)."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _problems(
    checked: Checked,
    blank: np.ndarray,
    cells: dict[str, pd.Series],
    headers: dict[str, str],
    lines: np.ndarray,
    lang: str,
) -> list[tuple[int, int, Problem]]:
    """One Problem per bad cell of a non-blank row, keyed for sorting by (line, column)."""
    out = []
    for issue in checked.issues:
        rows = issue.rows[~blank[issue.rows]]
        column = t(f"ingest.column.{issue.field}", lang)
        order = FIELDS.index(issue.field)
        for row, raw in zip(rows.tolist(), cells[issue.field].iloc[rows].tolist(), strict=True):
            value = _cell_text(raw)
            message = t(
                f"ingest.problem.{issue.code}", lang, column=column, value=value, **issue.params
            )
            problem = Problem(line=int(lines[row]), column=headers[issue.field], value=value,
                              message=message, code=issue.code, field=issue.field)  # fmt: skip
            out.append((problem.line or 0, order, problem))
    return out


def _row_problems(
    broken: list[csvread.BrokenRow], width: int, lang: str
) -> list[tuple[int, int, Problem]]:
    """Lines that give no row: more fields than the header, a quote that never closes, a NUL."""
    out = []
    for row in broken:
        value = row.text if len(row.text) <= 120 else row.text[:117] + "..."
        message = t(
            f"ingest.problem.{row.code}", lang, found=row.fields, expected=width, value=value,
            swallowed=row.swallowed, limit=number(csvread.FIELD_LIMIT, lang),
        )  # fmt: skip
        problem = Problem(line=row.line, column=None, value=value, message=message, code=row.code)
        out.append((row.line, -1, problem))
    return out


def _duplicate_problems(
    merged: list[tuple[int, int, str]], header: str, lang: str
) -> list[tuple[int, int, Problem]]:
    out = []
    for line, kept, handle in merged:
        message = t("ingest.problem.duplicate", lang, line=kept, value=handle)
        problem = Problem(line=line, column=header, value=handle, message=message,
                          code="duplicate", field="handle")  # fmt: skip
        out.append((line, 0, problem))
    return out


def _converted_problems(
    converted: list[Converted], header: str | None, lang: str
) -> list[tuple[int, int, Problem]]:
    """One notice per currency converted to the file's (about the column, so no line)."""
    out = []
    for item in converted:
        source, target = Currency(item.source), Currency(item.target)
        message = t(
            "ingest.problem.currency_converted", lang, column=header, count=item.count,
            source=f"{source.symbol} ({source.value})", target=f"{target.symbol} ({target.value})",
            rate=f"1 {source.symbol} = {number(item.rate, lang, 4)} {target.symbol}",
        )  # fmt: skip
        problem = Problem(line=None, column=header, value=source.value, message=message,
                          code="currency_converted", field="cost_per_post")  # fmt: skip
        out.append((0, FIELDS.index("cost_per_post"), problem))
    return out


def _recoded_problems(
    lines: list[int], data: bytes | mmap.mmap, lang: str
) -> list[tuple[int, int, Problem]]:
    """A UTF-8 file with lines in another encoding: each such line, read as Windows-1252, is
    named so that its accents can be checked (the row itself is kept)."""
    if not lines:
        return []
    texts = csvread.line_texts(data, np.asarray(lines, dtype=np.int64))
    out = []
    for line, text in zip(lines, texts, strict=True):
        value = text.rstrip("\r\n")
        value = value if len(value) <= 120 else value[:117] + "..."
        problem = Problem(line=line, column=None, value=value, code="recoded_cp1252",
                          message=t("ingest.problem.recoded_cp1252", lang))  # fmt: skip
        out.append((line, -1, problem))
    return out


def _audited(columns: Columns, lang: str, currency: str) -> pd.DataFrame:
    table = _derive(columns, currency)
    return audit(table, lang, approximate=np.asarray(columns["_approx"], dtype=bool))


def _table(
    columns: Columns, lang: str, currency: str
) -> tuple[pd.DataFrame, list[tuple[int, int, str]]]:
    """The audited table with duplicates merged.

    Duplicates are searched in a worker thread while this thread derives and audits the
    table as if there were none (numpy releases the GIL, so the two overlap on two cores and
    the search costs nothing); in the rare file with duplicates the table is redone."""
    handle, platform = pd.Series(columns["handle"]), np.asarray(columns["platform_idx"])
    with ThreadPoolExecutor(max_workers=1) as pool:
        search = pool.submit(duplicated, handle, platform)
        table = _audited(columns, lang, currency)
        dup = search.result()
    if not dup.any():
        return table, []
    columns, merged = merge_duplicates(columns, dup)
    return _audited(columns, lang, currency), merged


# --- entry point ---------------------------------------------------------------------------


Progress = Callable[[float, str], None]  # (share done, step name) for a progress bar


def _read(
    data: bytes | mmap.mmap,
    name: str | None,
    mapping: Mapping[str | int, str | None] | None,
    lang: str,
    label: str | None,
    progress: Progress,
) -> tuple[csvread.Text, csvread.Dialect, dict[int, str], csvread.RawTable]:
    """Bytes -> decoded text -> dialect -> column mapping -> raw cells, errors translated.
    `data` stays open: the text may be a view of it, read again for hidden content."""
    try:
        text = csvread.decode(data, label or name)
        dialect = csvread.sniff(text)
        csvread.check_width(dialect)
        fields = resolve_columns(dialect.header, mapping, lang)
        progress(0.1, "read")
        raw = csvread.parse(text, dialect, {pos: KINDS[f] for pos, f in fields.items()})
    except csvread.CsvFormatError as exc:
        raise IngestError.of(exc.code, lang, **_error_params(exc, lang)) from exc
    return text, dialect, fields, raw


def read_header(source: object, lang: str = DEFAULT_LANGUAGE) -> list[str]:
    """The file's column headers, one per position as `display_headers` shows them, e.g. to
    let the analyst map a file whose load failed for a missing column. Raises `IngestError`
    when the file is not a readable CSV at all."""
    data, name = csvread.open_source(source)
    try:
        dialect = csvread.sniff(csvread.decode(data, name))
        csvread.check_width(dialect)
        return display_headers(list(dialect.header), lang)
    except csvread.CsvFormatError as exc:
        raise IngestError.of(exc.code, lang, **_error_params(exc, lang)) from exc
    finally:
        csvread.release(data)


def _error_params(exc: csvread.CsvFormatError, lang: str) -> dict[str, object]:
    """The error's details in words: the kind of file, numbers in the page's locale."""
    out: dict[str, object] = {}
    for key, value in exc.params.items():
        if key == "kind":
            out[key] = t(f"ingest.kind.{value}", lang)
        elif isinstance(value, int | float):
            out[key] = number(value, lang)
        else:
            out[key] = value
    return out


def load_creators(
    source: object,
    mapping: Mapping[str | int, str | None] | None = None,
    *,
    lang: str = DEFAULT_LANGUAGE,
    currency: str | None = None,
    label: str | None = None,
    progress: Progress | None = None,
) -> CreatorLoad:
    """Read an analyst's creator list (path, bytes or file object) into the canonical table.

    `mapping` ({column position or header: canonical column, or None to ignore it}) overrides
    the header detection. Costs stay in the file's currency (`CreatorLoad.currency`, detected
    from the cost header or the cells' symbols); `currency` (USD, EUR, GBP) is the one for
    costs that name none, and the file's when no cost names any (default US dollars). Costs
    named in a minority currency are converted to the file's, with a notice in `problems`.
    `lang` translates problems, errors and audit reasons. Raises `IngestError` only
    when the file is unusable as a whole (not a CSV, empty, header only, a required column
    missing). `progress(share, step)` is called as the steps finish (share from 0 to 1)."""
    data, name = csvread.open_source(source)
    try:  # a memory map stays open until the load is done (hidden content reads it again)
        return _load(data, name, mapping, lang, currency, label, progress)
    finally:
        csvread.release(data)


def _load(
    data: bytes | mmap.mmap,
    name: str | None,
    mapping: Mapping[str | int, str | None] | None,
    lang: str,
    currency: str | None,
    label: str | None,
    progress: Progress | None,
) -> CreatorLoad:
    progress = progress or (lambda share, step: None)
    text, dialect, fields, raw = _read(data, name, mapping, lang, label, progress)
    progress(0.5, "parsed")
    shown = display_headers(dialect.header, lang)
    cells = {name: raw.columns[pos] for pos, name in fields.items()}
    headers = {name: shown[pos] for pos, name in fields.items()}
    checked = check_cells(cells, headers, dialect.delimiter == ";", currency)
    blank = blank_rows(checked, cells)
    report_hidden_content(checked, blank, text, raw, dialect.delimiter)
    rows_read = checked.rows - int(blank.sum()) + len(raw.broken)
    if rows_read == 0:
        raise IngestError.of("header_only", lang)
    columns = _kept_columns(checked, ~checked.bad & ~blank, raw.lines)
    progress(0.7, "checked")
    table, merged = _table(columns, lang, checked.currency)
    found = [
        *_problems(checked, blank, cells, headers, raw.lines, lang),
        *_row_problems(raw.broken, len(dialect.header), lang),
        *_duplicate_problems(merged, headers["handle"], lang),
        *_converted_problems(checked.converted, headers.get("cost_per_post"), lang),
        *_recoded_problems(raw.recoded, text.data, lang),
    ]
    found.sort(key=lambda item: (item[0], item[1]))
    progress(1.0, "done")
    return CreatorLoad(
        table=table,
        problems=[problem for _, _, problem in found],
        rows_read=rows_read,
        rows_kept=len(table),
        duplicates_merged=len(merged),
        unmapped_columns=[
            shown[p] for p, h in enumerate(dialect.header) if p not in fields and h.strip()
        ],
        mapping={shown[pos]: name for pos, name in fields.items()},
        columns=shown,
        fields=fields,
        encoding=raw.encoding,
        delimiter=dialect.delimiter,
        label=text.label or "creators",
        currency=checked.currency,
    )
