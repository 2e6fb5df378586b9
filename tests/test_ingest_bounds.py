"""Uploads bounded in work, nothing lost (issue 16): a column limit, the same result from a
path as from bytes, stray quotes recovered wherever they are, mixed encodings never garbled."""

from __future__ import annotations

import time

import pytest

from advisor import IngestError, load_creators
from advisor.creators.csvread import FIELD_LIMIT, MAX_COLUMNS
from advisor.creators.ingest import read_header
from advisor.locale.i18n import t

HEADER = "handle,platform,followers,name"


def rows(count: int, prefix: str = "@u", start: int = 0) -> list[str]:
    return [f"{prefix}{i},instagram,{1000 + i},Name {i}" for i in range(start, start + count)]


def csv_bytes(lines: list[str], newline: str = "\n", encoding: str = "utf-8") -> bytes:
    return (newline.join(lines) + newline).encode(encoding)


def same_load(a, b) -> None:
    assert a.table.equals(b.table)
    assert [p.model_dump() for p in a.problems] == [p.model_dump() for p in b.problems]
    assert (a.rows_read, a.rows_kept, a.encoding, a.delimiter) == (
        b.rows_read, b.rows_kept, b.encoding, b.delimiter
    )  # fmt: skip


MIXED = (
    csv_bytes([HEADER, *rows(2000), "@zoë,instagram,5000,Zoë Ünal"])
    + "@café,instagram,999,Café Crème\r\n".encode("cp1252")
    + csv_bytes(rows(3, start=5000))
)
MESSY = {
    "blank rows (Excel's ,,,)": csv_bytes([HEADER, *rows(3), ",,,", *rows(2, "@v"), ",,,", ""]),
    "blank rows only between": csv_bytes([HEADER, "@a,ig,100,A", ",,", "@b,ig,200,B"]),
    "BOM": b"\xef\xbb\xbf" + csv_bytes([HEADER, *rows(5), ",,,"]),
    "CRLF": csv_bytes([HEADER, *rows(5), ",,,", *rows(1, "@w")], newline="\r\n"),
    "quotes": csv_bytes([HEADER, '"@q","instagram","1,200","Smith, ""Jo"""', ",,,", *rows(2)]),
    "multi-line quoted value": csv_bytes([HEADER, '@m,instagram,300,"two\nlines"', *rows(2)]),
    "stray quote": csv_bytes([HEADER, '"@bad,instagram,5,x', *rows(20), ",,,"]),
    "cp1252": csv_bytes([HEADER, "@zoé,instagram,100,Zoé", ",,,"], encoding="cp1252"),
    "mixed encodings": MIXED,
    "semicolons and decimal commas": csv_bytes(
        ["handle;platform;followers;engagement_rate", "@a;ig;1 200;3,4 %", ";;;", "@b;tt;5;1,2"]
    ),
    "hidden content in a blank row": csv_bytes([HEADER + ",note", ",,,,see me", *rows(2)]),
}


@pytest.mark.parametrize("name", list(MESSY))
def test_a_path_and_its_bytes_load_the_same(name, tmp_path):
    path = tmp_path / "list.csv"
    path.write_bytes(MESSY[name])
    from_path = load_creators(path)  # a memory map: used to fail "mmap closed or invalid"
    from_str = load_creators(str(path))
    from_bytes = load_creators(MESSY[name])
    same_load(from_path, from_bytes)
    same_load(from_str, from_bytes)
    with path.open("rb") as handle:
        same_load(load_creators(handle), from_bytes)


# --- stray quotes, wherever they are -------------------------------------------------------


@pytest.mark.parametrize("line", [2, 3_000, 15_001])
def test_a_stray_quote_followed_by_more_than_the_field_limit_is_reported_on_its_line(line):
    before, after = rows(line - 2), rows(20_000, "@v")
    data = csv_bytes([HEADER, *before, '"@bad,instagram,5,Stray', *after])
    assert len(data) - data.index(b'"@bad') > 2 * FIELD_LIMIT
    result = load_creators(data)
    assert result.rows_kept == len(before) + len(after)  # every good row kept
    (problem,) = result.problems
    assert (problem.line, problem.code) == (line, "unclosed_quote")
    assert problem.value.startswith('"@bad')


def test_a_valid_value_longer_than_the_limit_is_reported_as_too_large_not_unreadable():
    huge = "word " * (FIELD_LIMIT // 5 + 100)
    data = csv_bytes(
        [HEADER, *rows(3), f'@big,instagram,100,"{huge}\nmore {huge}"', *rows(2, "@v")]
    )
    result = load_creators(data)
    assert result.rows_kept == 5
    (problem,) = result.problems
    assert (problem.line, problem.code) == (5, "field_too_large")
    assert "too large" in problem.message and f"{FIELD_LIMIT:,}" in problem.message
    french = load_creators(data, lang="fr").problems[0].message
    assert "trop longue" in french


def test_a_long_value_under_the_limit_is_read():
    long = "x" * (FIELD_LIMIT // 2)
    result = load_creators(csv_bytes([HEADER, f'@a,instagram,100,"{long}\nend"', *rows(2)]))
    assert result.rows_kept == 3 and not result.problems
    assert result.table["name"].iloc[0] == long + "\nend"


# --- encodings ------------------------------------------------------------------------------


def test_cp1252_rows_in_a_utf8_file_are_read_as_such_and_named():
    result = load_creators(MIXED)
    names = dict(zip(result.table["handle"], result.table["name"], strict=True))
    assert names["@zoë"] == "Zoë Ünal"  # UTF-8 text stays as written
    assert names["@café"] == "Café Crème"  # the Windows row, read as Windows-1252
    assert sum("Ã" in str(n) for n in names.values()) == 0  # nothing garbled
    (notice,) = result.problems
    assert (notice.line, notice.code) == (2003, "recoded_cp1252")
    assert "Windows-1252" in notice.message and "Café" in notice.value
    assert result.rows_kept == 2005 and result.encoding == "utf-8"


def test_cp1252_rows_first_and_utf8_rows_later_are_both_kept_as_written():
    early = "@élodie,instagram,100,Élodie\n".encode("cp1252")
    data = csv_bytes([HEADER]) + early + csv_bytes([*rows(3000), "@zoë,instagram,7,Zoë"])
    result = load_creators(data)
    names = dict(zip(result.table["handle"], result.table["name"], strict=True))
    assert names["@élodie"] == "Élodie" and names["@zoë"] == "Zoë"
    assert [(p.line, p.code) for p in result.problems] == [(2, "recoded_cp1252")]


def test_a_whole_cp1252_file_is_read_as_cp1252_without_notices():
    data = csv_bytes([HEADER, *rows(3000), "@zoé,instagram,7,Zoé Crème"], encoding="cp1252")
    result = load_creators(data)
    assert result.encoding == "cp1252" and not result.problems
    assert "Zoé Crème" in set(result.table["name"])


# --- the column limit -----------------------------------------------------------------------


def wide(columns: int) -> bytes:
    header = ["handle", "platform", "followers", *(f"extra {i}" for i in range(columns - 3))]
    row = ["@a", "instagram", "100", *("x" for _ in range(columns - 3))]
    return csv_bytes([",".join(header), ",".join(row)])


def test_a_header_beyond_the_column_limit_is_refused_in_words_quickly():
    data = wide(5_003)
    started = time.perf_counter()
    with pytest.raises(IngestError) as refused:
        load_creators(data)
    assert time.perf_counter() - started < 1
    assert refused.value.code == "too_many_columns"
    assert refused.value.message == t(
        "ingest.error.too_many_columns", "en", columns="5,003", limit=f"{MAX_COLUMNS:,}"
    )
    with pytest.raises(IngestError, match="500"):
        read_header(data)
    with pytest.raises(IngestError, match="colonnes"):
        load_creators(data, lang="fr")


def test_a_header_at_the_column_limit_loads():
    result = load_creators(wide(MAX_COLUMNS))
    assert result.rows_kept == 1 and len(result.unmapped_columns) == MAX_COLUMNS - 3
