"""Creator tables as stored bytes: Parquet (pyarrow) keeps every column's dtype, so a reopened
plan sees exactly the table it was built from. Parquet rebuilds a categorical's categories from
its values, so an empty table would lose them: they are kept beside it and put back."""

from __future__ import annotations

import hashlib
import io
import json
from dataclasses import dataclass

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

MAX_LIST_BYTES = 20 * 1024 * 1024  # one stored list, Parquet plus its problems


@dataclass(frozen=True)
class StoredList:
    sha256: str
    parquet: bytes
    meta_json: str
    rows: int

    @property
    def size(self) -> int:
        return len(self.parquet) + len(self.meta_json.encode("utf-8"))


def to_parquet(table: pd.DataFrame) -> bytes:
    buffer = io.BytesIO()
    pq.write_table(pa.Table.from_pandas(table, preserve_index=None), buffer, compression="zstd")
    return buffer.getvalue()


def _categories(table: pd.DataFrame) -> dict[str, dict[str, object]]:
    return {
        str(name): {"categories": dtype.categories.tolist(), "ordered": bool(dtype.ordered)}
        for name, dtype in table.dtypes.items()
        if isinstance(dtype, pd.CategoricalDtype)
    }


def from_parquet(data: bytes, meta: dict[str, object] | None = None) -> pd.DataFrame:
    table = pq.read_table(io.BytesIO(data)).to_pandas()
    for name, spec in dict((meta or {}).get("categories") or {}).items():  # type: ignore[call-overload]
        if name in table:
            wanted = pd.CategoricalDtype(pd.Index(spec["categories"]), bool(spec["ordered"]))
            if table[name].dtype != wanted:
                table[name] = table[name].astype(wanted)
    return table


def stored(table: pd.DataFrame, problems: list[dict[str, object]] | None = None) -> StoredList:
    """The bytes and content key of a table and its problems (identical content, identical key)."""
    parquet = to_parquet(table)
    meta = {"problems": problems or [], "categories": _categories(table)}
    meta_json = json.dumps(meta, sort_keys=True, ensure_ascii=False)
    digest = hashlib.sha256(parquet)
    digest.update(b"\0")
    digest.update(meta_json.encode("utf-8"))
    return StoredList(digest.hexdigest(), parquet, meta_json, len(table))
