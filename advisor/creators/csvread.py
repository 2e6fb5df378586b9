"""Bytes in, raw CSV cells out, with the line each row starts on: the format layer of ingest.

Layers, each a short function: source -> bytes (a memory map for paths, so a million-row file
is not copied) -> UTF-8 (BOM, UTF-16, cp1252 detection) -> delimiter sniffed from the header
and a sample -> cells, parsed by pyarrow's multi-threaded reader, with each row's line found
from newline and quote positions by numpy (blank lines and quoted newlines included). Odd
files (rows with too many fields, stray quotes inside values, Excel's `sep=` line, old Mac
line ends) go to Python's `csv` module instead, whose record-by-record reading gives exact
line numbers at a tenth of the speed.

This module knows nothing about creators or languages: it raises `CsvFormatError(code)`, and
`advisor.creators.ingest` turns the code into a translated `IngestError`.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import itertools
import mmap
import os
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

Kind = Literal["text", "category", "number"]
DELIMITERS = (",", ";", "\t", "|")
SNIFF_BYTES = 64 * 1024
SNIFF_RECORDS = 50
MAX_COLUMNS = 500  # a header wider than this is refused before any work per column
FIELD_LIMIT = csv.field_size_limit()  # characters in one value: longer is reported, not read
BLOCK_BYTES = 4 << 20  # pyarrow parses in blocks; 4 MB keeps a million rows in ~20 chunks
# Magic numbers of files people upload by mistake, with the kind named in the error.
MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"PK\x03\x04", "excel"),  # .xlsx / .ods are ZIP archives
    (b"\xd0\xcf\x11\xe0", "excel"),  # legacy .xls (OLE2)
    (b"\x89PNG", "image"),
    (b"\xff\xd8\xff", "image"),
    (b"GIF8", "image"),
    (b"%PDF", "pdf"),
)


class CsvFormatError(Exception):
    """The bytes are not a readable CSV; `code` names why (`creators.ingest` translates it)."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass
class Text:
    """The upload as UTF-8 bytes (`data` may be a memory map) and how it was encoded."""

    data: bytes | mmap.mmap
    encoding: str
    label: str | None = None
    recoded: list[int] = field(default_factory=list)  # lines read as cp1252 in a UTF-8 file


@dataclass
class Dialect:
    delimiter: str
    header: list[str]
    sep_line: bool = False  # Excel's `sep=;` hint line precedes the header


@dataclass(frozen=True)
class BrokenRow:
    """A line that gives no row, and why: `row_fields` (more fields than the header),
    `unclosed_quote` (a quote that would have swallowed `swallowed` following lines into one
    cell: the line is skipped and the lines after it are read on their own), `nul_byte`, or
    `field_too_large` (a value longer than `FIELD_LIMIT` characters: the record is skipped)."""

    line: int
    code: str
    text: str
    fields: int = 0
    swallowed: int = 0


@dataclass
class RawTable:
    """Cells of the wanted columns (by header position) and the line each row starts on."""

    columns: dict[int, pd.Series]
    lines: np.ndarray
    broken: list[BrokenRow] = field(default_factory=list)  # lines that are not a usable row
    encoding: str = "utf-8"
    recoded: list[int] = field(default_factory=list)  # lines read as cp1252 in a UTF-8 file

    @property
    def rows(self) -> int:
        return int(self.lines.shape[0])


# --- source and encoding -------------------------------------------------------------------


def open_source(source: object) -> tuple[bytes | mmap.mmap, str | None]:
    """Path, bytes or file-like -> (bytes-like, file name). Paths are memory-mapped: no copy."""
    if isinstance(source, str | os.PathLike):
        path = Path(source)
        with path.open("rb") as handle:
            if os.fstat(handle.fileno()).st_size == 0:
                return b"", path.name
            return mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ), path.name
    if isinstance(source, bytes | bytearray | memoryview):
        return bytes(source), None
    read = getattr(source, "read", None)
    if read is None:
        raise TypeError(f"cannot read creators from {type(source).__name__}")
    content = read()
    name = Path(str(getattr(source, "name", ""))).name or None
    if isinstance(content, str):
        return content.encode("utf-8"), name
    return bytes(content), name


def release(data: object) -> None:
    """Close a memory map as soon as the cells are parsed (Windows keeps mapped files locked);
    if something still views it, the garbage collector closes it instead."""
    if isinstance(data, mmap.mmap):
        with contextlib.suppress(BufferError):
            data.close()


def decode(data: bytes | mmap.mmap, label: str | None = None) -> Text:
    """Detect the encoding and return UTF-8 bytes; refuse binary files with a clear code.

    UTF-8 is tried strictly on a sample (pyarrow re-checks every cell and `parse` falls back
    to cp1252 if a later byte is invalid); cp1252 is what Excel writes on Windows."""
    head = bytes(data[:SNIFF_BYTES])
    if not head.strip(b" \t\r\n\xef\xbb\xbf"):
        raise CsvFormatError("empty")
    utf16 = _utf16_codec(head)
    if utf16:
        text = bytes(data).decode(utf16, errors="replace").lstrip("\ufeff")
        if not text.strip():
            raise CsvFormatError("empty")
        return Text(text.encode("utf-8"), _utf16_label(head, utf16), label)
    _refuse_binary(head)
    if head.startswith(codecs.BOM_UTF8):
        return Text(data, "utf-8-sig", label)
    try:
        _sample(head).decode("utf-8")
    except UnicodeDecodeError:
        return transcode(data, label)
    return Text(data, "utf-8", label)


def transcode(data: bytes | mmap.mmap, label: str | None) -> Text:
    """A file that is not valid UTF-8, decoded as a whole so that no text is garbled silently.

    Windows exports are cp1252 (Latin-1 for the five bytes cp1252 leaves undefined): when no
    byte of the file is UTF-8 beyond ASCII, the whole file is read so. A UTF-8 file with a few
    cp1252 rows (lists pasted together) stays UTF-8: only the bytes that are not UTF-8 are read
    as cp1252, and their lines are listed in `Text.recoded` for the analyst to check."""
    raw = bytes(data)
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8) :]
    spans: list[tuple[int, int]] = []
    _recoding.spans = spans  # this thread's decode only (uploads run on several threads)
    try:
        text = raw.decode("utf-8", errors=_RECODE)
    finally:
        del _recoding.spans
    buffer = np.frombuffer(raw, dtype=np.uint8)
    non_ascii = int(np.count_nonzero(buffer >= 0x80))
    if sum(end - start for start, end in spans) >= non_ascii:  # not a UTF-8 file at all
        try:
            return Text(raw.decode("cp1252").encode("utf-8"), "cp1252", label)
        except UnicodeDecodeError:
            return Text(raw.decode("latin-1").encode("utf-8"), "latin-1", label)
    newlines = np.flatnonzero(buffer == 10)
    starts = np.array([start for start, _ in spans], dtype=np.int64)
    lines = np.unique(np.searchsorted(newlines, starts) + 1)
    return Text(text.encode("utf-8"), "utf-8", label, recoded=lines.tolist())


_RECODE = "advisor-csvread-cp1252"
_recoding = threading.local()


def _as_cp1252(error: UnicodeError) -> tuple[str, int]:
    """Codec error handler: bytes that are not UTF-8 read as cp1252 (Latin-1 for the five it
    leaves undefined), their place noted for `transcode`."""
    if not isinstance(error, UnicodeDecodeError):
        raise error
    error_spans = getattr(_recoding, "spans", None)
    if error_spans is None:
        raise error
    error_spans.append((error.start, error.end))
    chunk = error.object[error.start : error.end]
    text = "".join(
        bytes([b]).decode("cp1252", errors="ignore") or bytes([b]).decode("latin-1") for b in chunk
    )
    return text, error.end


codecs.register_error(_RECODE, _as_cp1252)


def _utf16_codec(head: bytes) -> str | None:
    """UTF-16 with a BOM, or without one when every other byte is NUL (ASCII text)."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    sample = head[:4096]
    half = max(len(sample) // 2, 1)
    even, odd = sample[0::2].count(0) / half, sample[1::2].count(0) / half
    if odd > 0.4 and even < 0.05:
        return "utf-16-le"
    if even > 0.4 and odd < 0.05:
        return "utf-16-be"
    return None


def _utf16_label(head: bytes, codec: str) -> str:
    if codec != "utf-16":
        return codec
    return "utf-16-le" if head.startswith(codecs.BOM_UTF16_LE) else "utf-16-be"


def _refuse_binary(head: bytes) -> None:
    """Spreadsheets, images and PDFs are common wrong uploads: name them in the error."""
    for magic, kind in MAGIC:
        if head.startswith(magic):
            raise CsvFormatError("excel" if kind == "excel" else "binary", kind=kind)
    controls = sum(head.count(bytes([c])) for c in range(32) if c not in (9, 10, 13))
    if controls > len(head) * 0.05:  # a stray NUL is reported on its line instead
        raise CsvFormatError("binary", kind="binary")


def _sample(head: bytes) -> bytes:
    """The head cut after its last newline, so no record or UTF-8 character is cut in two."""
    cut = head.rfind(b"\n")
    return head if cut < 0 or len(head) < SNIFF_BYTES else head[: cut + 1]


# --- dialect -------------------------------------------------------------------------------


def sniff(text: Text) -> Dialect:
    """Pick the delimiter that splits the header into the most fields consistently.

    Scored on the header and up to 50 records: a candidate must give the header two or more
    fields, then wins on the share of records with the header's field count (so a decimal
    comma in a semicolon file or a comma inside a quoted name does not fool it)."""
    sample = _sample(bytes(text.data[:SNIFF_BYTES])).decode("utf-8-sig", errors="replace")
    lines = sample.splitlines()
    first = next((line.strip(" \r\n") for line in lines if line.strip()), "")
    forced = first.lower().startswith("sep=") and len(first) == 5
    candidates = (first[4],) if forced else DELIMITERS
    if forced:
        sample = sample.split(first, 1)[1]
    best: tuple[float, int, str, list[str]] | None = None
    for delimiter in candidates:
        records = _records(sample, delimiter)
        if not records or (len(records[0]) < 2 and not forced):
            continue
        body = records[1:-1] if len(records) > 2 else records[1:]  # the last may be cut
        width = len(records[0])
        fits = [len(r) == width or not any(c.strip() for c in r[width:]) for r in body]
        score = (sum(fits) / len(fits) if fits else 1.0, width, delimiter, records[0])
        if best is None or score[:2] > best[:2]:
            best = score
    if best is None:
        records = _records(sample, ",")
        return Dialect(",", records[0] if records else [], forced)
    return Dialect(best[2], best[3], forced)


def check_width(dialect: Dialect) -> None:
    """Refuse a header of more than `MAX_COLUMNS` columns before any work per column (a
    5,000-column export would otherwise cost a mapping widget and checks for each)."""
    if len(dialect.header) > MAX_COLUMNS:
        raise CsvFormatError("too_many_columns", columns=len(dialect.header), limit=MAX_COLUMNS)


def _records(sample: str, delimiter: str) -> list[list[str]]:
    """Non-blank records of the sample; a record cut at the end of the sample is tolerated."""
    out: list[list[str]] = []
    reader = csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter)
    try:
        for record in reader:
            if any(cell.strip() for cell in record):
                out.append(record)
            if len(out) >= SNIFF_RECORDS:
                break
    except csv.Error:
        pass
    return out


# --- parsing -------------------------------------------------------------------------------


def parse(text: Text, dialect: Dialect, kinds: dict[int, Kind]) -> RawTable:
    """Cells of the `kinds` columns: pyarrow when it can, the exact Python reader otherwise."""
    if not dialect.sep_line and b"\n" in text.data[:SNIFF_BYTES] and text.data.find(b"\0") < 0:
        try:
            table = _parse_arrow(text, dialect, kinds)
        except _NotUtf8:
            return parse(transcode(text.data, text.label), dialect, kinds)
        if table is not None:
            return table
    return _parse_python(text, dialect, kinds)


class _NotUtf8(Exception):
    """pyarrow met bytes that are not UTF-8 past the sniffed sample."""


def _arrow_types(dialect: Dialect, kinds: dict[int, Kind]) -> dict[str, pa.DataType]:
    """Text stays text (a handle like `2024` must not become a number); enumerations are
    dictionary-encoded (a million rows hold six platforms); numbers are left to inference,
    so clean numeric columns arrive as numbers and skip the string cleaning."""
    wanted = {"text": pa.string(), "category": pa.dictionary(pa.int32(), pa.string())}
    return {dialect.header[pos]: wanted[kind] for pos, kind in kinds.items() if kind in wanted}


def _parse_arrow(text: Text, dialect: Dialect, kinds: dict[int, Kind]) -> RawTable | None:
    """Fast path; None when the file needs the exact reader (ragged rows, odd line layout)."""
    header = dialect.header
    unique = len(set(header)) == len(header)
    invalid: list[str] = []

    def on_invalid(row: pacsv.InvalidRow) -> str:
        invalid.append(row.text)
        return "skip"

    quoted = text.data.find(b'"') >= 0
    try:
        table = pacsv.read_csv(
            pa.BufferReader(pa.py_buffer(text.data)),
            read_options=pacsv.ReadOptions(block_size=BLOCK_BYTES),
            parse_options=pacsv.ParseOptions(
                delimiter=dialect.delimiter,
                newlines_in_values=quoted,
                invalid_row_handler=on_invalid,
            ),
            convert_options=pacsv.ConvertOptions(
                column_types=_arrow_types(dialect, kinds),
                null_values=[""],
                strings_can_be_null=True,
                include_columns=[header[pos] for pos in kinds] if unique else [],
            ),
        )
    except pa.ArrowInvalid as exc:
        if "UTF8" in str(exc) or "UTF-8" in str(exc):
            raise _NotUtf8 from exc
        return None
    except (pa.ArrowException, ValueError):
        return None
    if invalid or table.num_columns != (len(kinds) if unique else len(header)):
        return None
    if not unique and table.column_names != header:
        return None
    lines = _arrow_lines(text.data, table.num_rows, quoted)
    if lines is None:
        return None
    columns = {pos: _to_series(table.column(i if unique else pos)) for i, pos in enumerate(kinds)}
    return RawTable(columns, lines, encoding=text.encoding, recoded=text.recoded)


def _to_series(column: pa.ChunkedArray) -> pd.Series:
    """Numbers stay numbers; anything else pyarrow inferred (dates, booleans) becomes text."""
    kind = column.type
    if pa.types.is_null(kind):
        return pd.Series(np.full(len(column), np.nan))
    if pa.types.is_floating(kind) and _has_nonfinite(column):
        column = column.cast(pa.string())  # `nan`, `inf`, `1e999` typed in a cell: not numbers
    if not (
        pa.types.is_integer(kind)
        or pa.types.is_floating(kind)
        or pa.types.is_string(kind)
        or pa.types.is_dictionary(kind)
    ):
        column = column.cast(pa.string())
    return column.to_pandas()


def _has_nonfinite(column: pa.ChunkedArray) -> bool:
    """NaN or infinity parsed from a cell (missing cells are nulls, not NaN)."""
    finite = pc.is_finite(column)  # null stays null
    return pc.any(pc.invert(finite)).as_py() is True


def _arrow_lines(data: bytes | mmap.mmap, rows: int, quoted: bool) -> np.ndarray | None:
    """Line of each row pyarrow returned, from newline positions (vectorised).

    One row per line after the header is the common case (line = row + 2); blank lines,
    which pyarrow skips, are found from newline positions. None sends the file to the exact
    reader: a carriage return alone (old Mac line ends: editors count it as a line break,
    and so does the exact reader), a line break inside quotes (a multi-line value, or a
    quote that is never closed and would swallow the lines after it: the exact reader tells
    them apart), or records that do not match pyarrow's rows."""
    end = _content_end(data)
    buffer = np.frombuffer(data, dtype=np.uint8, count=end) if end else np.zeros(0, np.uint8)
    if _bare_cr(data, buffer):
        return None
    if not quoted and _count_newlines(buffer) == rows:
        # the common case, one record per line: counted in cache-sized chunks, no positions
        return np.arange(2, rows + 2, dtype=np.int64)
    newlines = np.flatnonzero(buffer == 10)
    if quoted:
        quotes = np.flatnonzero(buffer == 34)
        if quotes.size and (np.searchsorted(quotes, newlines) % 2).any():
            return None
    if newlines.shape[0] == rows:
        return np.arange(2, rows + 2, dtype=np.int64)
    starts = np.concatenate(([0], newlines + 1))
    stops = np.concatenate((newlines, [end]))
    length = stops - starts
    first = buffer[np.minimum(starts, end - 1)] if end else np.zeros(starts.shape, np.uint8)
    blank = (length == 0) | ((length == 1) & (first == 13))
    lines = 1 + np.flatnonzero(~blank)  # the line of each non-blank record
    return lines[1:] if lines.shape[0] == rows + 1 else None


def _bare_cr(data: bytes | mmap.mmap, buffer: np.ndarray) -> bool:
    """Is there a carriage return not followed by a line feed? (memchr first: most files
    have none, and CRLF files pay one vectorised look.)"""
    if data.find(b"\r") < 0:
        return False
    returns = np.flatnonzero(buffer == 13)
    following = buffer[np.minimum(returns + 1, buffer.shape[0] - 1)]
    return bool(((following != 10) | (returns + 1 >= buffer.shape[0])).any())


def _content_end(data: bytes | mmap.mmap) -> int:
    """Offset after the last byte that is not a line break (trailing blank lines ignored)."""
    end = len(data)
    while end > 0:
        tail = bytes(data[max(0, end - 4096) : end]).rstrip(b"\r\n")
        if tail:
            return max(0, end - 4096) + len(tail)
        end -= 4096
    return 0


def _count_newlines(buffer: np.ndarray, step: int = 1 << 20) -> int:
    """Count in 1 MB chunks: the comparison stays in cache (3x faster than one pass)."""
    return sum(
        int(np.count_nonzero(buffer[i : i + step] == 10)) for i in range(0, len(buffer), step)
    )


_PHYSICAL = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")


def physical_lines(text: str) -> list[str]:
    """The lines an editor shows, with their line ends: CRLF, LF and a lone CR each end a
    line (as in `csv` and `io` universal newlines; `str.splitlines` would also split on
    form feeds and Unicode separators, which editors and spreadsheets do not)."""
    return _PHYSICAL.findall(text)


def _parse_python(text: Text, dialect: Dialect, kinds: dict[int, Kind]) -> RawTable:
    """Exact reader: records from Python's `csv`, each with the line it starts on.

    It reads lines one by one, so it can restart: a record that ends inside an unclosed
    quote at the end of the file, or whose quoted value swallowed lines that look like whole
    rows (as many separators as the header), is reported at the line where the quote opens,
    and reading resumes on the next line. So no line disappears into one giant cell.
    Used for files pyarrow cannot map back to lines; it loops over records in Python, which
    is fine for the hand-made files that take this path."""
    try:
        decoded = bytes(text.data).decode("utf-8-sig")
    except UnicodeDecodeError:
        return _parse_python(transcode(text.data, text.label), dialect, kinds)
    lines_of = physical_lines(decoded)
    width, delimiter = len(dialect.header), dialect.delimiter
    state = _Reading(pending_sep=dialect.sep_line, nul="\0" in decoded)
    position = 0
    while position < len(lines_of):
        position = _read_from(lines_of, position, delimiter, width, state)
    rows = state.rows
    cells = list(zip(*rows, strict=True)) if rows else [() for _ in range(width)]
    columns = {pos: _text_column(cells[pos]) for pos in kinds}
    lines = np.asarray(state.lines, dtype=np.int64)
    return RawTable(columns, lines, state.broken, text.encoding, recoded=text.recoded)


@dataclass
class _Reading:
    pending_sep: bool = False
    nul: bool = False
    header_seen: bool = False
    rows: list[list[str]] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    broken: list[BrokenRow] = field(default_factory=list)


def _read_from(
    lines_of: list[str], position: int, delimiter: str, width: int, state: _Reading
) -> int:
    """Read records from physical line `position` (0-based); return where to resume, or
    `len(lines_of)` once the file is read."""
    reader = csv.reader(itertools.islice(lines_of, position, None), delimiter=delimiter)
    ended = 0
    try:
        for record in reader:
            first, ended = position + ended, reader.line_num
            last = position + ended  # physical lines [first, last) hold this record
            if not record or (len(record) == 1 and not record[0].strip()):
                continue  # a blank line (rows of empty cells are dropped later, like pyarrow)
            if state.pending_sep or not state.header_seen:  # Excel's `sep=` line, then the header
                state.header_seen, state.pending_sep = not state.pending_sep, False
                continue
            line = first + 1
            if (last - first > 1 or last == len(lines_of)) and _runaway_quote(
                lines_of, first, last, record, delimiter, width
            ):
                text = lines_of[first].rstrip("\r\n")
                state.broken.append(
                    BrokenRow(line, "unclosed_quote", text, swallowed=last - first - 1)
                )
                return first + 1
            if state.nul and any("\0" in cell for cell in record):
                state.broken.append(
                    BrokenRow(line, "nul_byte", delimiter.join(record).replace("\0", "␀"))
                )
                continue
            if len(record) != width:
                if len(record) > width and any(cell.strip() for cell in record[width:]):
                    state.broken.append(
                        BrokenRow(line, "row_fields", delimiter.join(record), len(record))
                    )
                    continue
                record = record[:width] + [""] * (width - len(record))
            state.rows.append(record)
            state.lines.append(line)
    except csv.Error:  # a field longer than the csv module reads (`FIELD_LIMIT`)
        reached = position + max(reader.line_num, ended + 1)
        return _oversized(lines_of, position + ended, reached, delimiter, width, state)
    return len(lines_of)


def _oversized(
    lines_of: list[str], first: int, reached: int, delimiter: str, width: int, state: _Reading
) -> int:
    """The record starting on physical line `first` holds a field longer than `FIELD_LIMIT`
    (the reader stopped on line `reached`). Wherever it is in the file:

    - a quote that never closes, running over lines that look like rows (as many separators
      as the header) or to the end of the file: its line is reported like any runaway quote
      and reading resumes on the next line, so the rows it ran over are kept;
    - else one value that is really that long: the record is reported as too large and
      reading resumes after it.

    Returns where to resume."""
    end, closed = _record_end(lines_of, first)
    swallowed_rows = width >= 2 and any(
        line.count(delimiter) >= width - 1 for line in lines_of[first + 1 : max(reached, end)]
    )
    text = lines_of[first].rstrip("\r\n")
    if not closed or swallowed_rows:
        state.broken.append(BrokenRow(first + 1, "unclosed_quote", text, swallowed=end - first - 1))
        return first + 1
    state.broken.append(BrokenRow(first + 1, "field_too_large", text[:200]))
    return end


def _record_end(lines_of: list[str], first: int) -> tuple[int, bool]:
    """Physical line after the record that starts on line `first`, and whether its quotes
    close: quotes are counted line by line (a doubled `""` counts twice, so parity is all that
    matters); (len(lines_of), False) when a quote is still open at the end of the file."""
    open_quote = False
    for index in range(first, len(lines_of)):
        open_quote ^= lines_of[index].count('"') % 2 == 1
        if not open_quote:
            return index + 1, True
    return len(lines_of), False


def _runaway_quote(
    lines_of: list[str], first: int, last: int, record: list[str], delimiter: str, width: int
) -> bool:
    """Did the record on lines [first, last) run into a quote that never closes? Yes when it
    ends the file still inside quotes, or when one of the lines inside a multi-line value
    holds as many separators as the header: a whole row swallowed by a stray quote. (A real
    multi-line value rarely does; taking one for a runaway quote only reports its first line
    and reads the others as rows, so nothing is lost either way.)"""
    if last == len(lines_of) and _ends_in_quote("".join(lines_of[first:last]), delimiter):
        return True
    if last - first < 2 or width < 2:
        return False
    looks_like_rows = any(
        part.count(delimiter) >= width - 1
        for cell in record
        if "\n" in cell or "\r" in cell
        for part in _LINE_BREAK.split(cell)
    )
    return looks_like_rows and not _well_formed("".join(lines_of[first:last]), delimiter, width)


def _well_formed(raw: str, delimiter: str, width: int) -> bool:
    """Is `raw` one strictly valid record of exactly `width` fields (every quote closed right
    before a separator or the line end)? A real multi-line value is (`"a\n,,,"`); a stray
    quote that ran over whole rows almost never is: it closes on a later field's opening
    quote, which text follows, or leaves the record with another number of fields."""
    try:
        records = list(csv.reader(io.StringIO(raw, newline=""), delimiter=delimiter, strict=True))
    except csv.Error:
        return False
    return len(records) == 1 and len(records[0]) == width


_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def _ends_in_quote(raw: str, delimiter: str) -> bool:
    """Does `raw` end inside a quoted field, as Python's csv reads it (a quote opens a field
    only at its start; `""` inside quotes is a quote)?"""
    inside, at_start, i = False, True, 0
    while i < len(raw):
        char = raw[i]
        if inside:
            if char == '"':
                if raw[i + 1 : i + 2] == '"':
                    i += 2
                    continue
                inside = False
            at_start = False
        else:
            inside = char == '"' and at_start
            at_start = char == delimiter or char in "\r\n"
        i += 1
    return inside


def line_texts(data: bytes | mmap.mmap, lines: np.ndarray) -> list[str]:
    """Text of the given 1-based lines (as editors count them), for the few rows that need
    a second look; cheap for files without a lone CR (one vectorised newline search)."""
    if not len(lines):
        return []
    end = len(data)
    buffer = np.frombuffer(data, dtype=np.uint8, count=end) if end else np.zeros(0, np.uint8)
    if _bare_cr(data, buffer):
        every = physical_lines(bytes(data).decode("utf-8-sig", errors="replace"))
        return [every[i - 1] if 0 < i <= len(every) else "" for i in lines.tolist()]
    starts = np.concatenate(([0], np.flatnonzero(buffer == 10) + 1))
    out = []
    for line in lines.tolist():
        if not 0 < line <= starts.shape[0]:
            out.append("")
            continue
        stop = int(starts[line]) if line < starts.shape[0] else end
        out.append(bytes(data[int(starts[line - 1]) : stop]).decode("utf-8", errors="replace"))
    return out


def _text_column(cells: tuple[str, ...]) -> pd.Series:
    """Via arrow: building a pandas `str` column from a Python list directly is 10x slower."""
    return pa.array(cells, pa.large_string()).to_pandas()
