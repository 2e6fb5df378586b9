"""Duplicates: rows with the same handle (ignoring case and a leading @) and platform are
merged into one, the most-followed, its gaps filled from the others, each merged row reported."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from advisor.creators.strings import chunks, string_parts

Columns = dict[str, object]  # name -> numpy array or pandas Series, all the same length


def merge_duplicates(
    columns: Columns, dup: np.ndarray
) -> tuple[Columns, list[tuple[int, int, str]]]:
    """One row per (handle, platform): keep the most-followed row, fill its gaps from the
    others (in file order). `dup` marks the rows involved (see `duplicated`). Returns the
    columns and (line, kept line, handle) per merged row."""
    frame = pd.DataFrame(columns)
    group = frame[dup].copy()
    group["_group"] = group.groupby(
        [handle_key(group["handle"]), "platform_idx"], sort=False
    ).ngroup()
    group = group.sort_values(["_group", "followers", "line"], ascending=[True, False, True])
    kept = group.groupby("_group", sort=False).first()  # first non-missing value per column
    extra = group[group.duplicated("_group")]
    kept_line = kept.loc[extra["_group"], "line"].to_numpy()
    merged = list(
        zip(extra["line"].tolist(), kept_line.tolist(), extra["handle"].tolist(), strict=True)
    )
    out = pd.concat([frame[~dup], kept.reset_index(drop=True)], ignore_index=True)
    out = out.sort_values("line", ignore_index=True)
    return {name: out[name] for name in out.columns}, merged


FINGERPRINT_WORDS = 4  # the first 32 bytes of a handle, plus its last 8 and its length
_MASKS = np.array([(1 << (8 * i)) - 1 for i in range(8)] + [(1 << 64) - 1], dtype=np.uint64)
_FOLD = np.uint64(0x2020202020202020)  # ASCII case bit: 'A' | 0x20 == 'a' (also É/é in UTF-8)
_ODD = tuple(
    np.uint64(c)
    for c in (0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9,
              0xD6E8FEB86659FD93, 0xFF51AFD7ED558CCD, 0xC4CEB9FE1A85EC53)
)  # fmt: skip


def handle_key(handle: pd.Series) -> pd.Series:
    """What makes two handles the same account: case and one leading @ do not count."""
    return handle.str.removeprefix("@").str.lower()


def duplicated(handle: pd.Series, platform: np.ndarray) -> np.ndarray:
    """Rows whose handle (without its leading @, ignoring case) and platform occur twice.

    Why not `DataFrame.duplicated`: hashing a million strings takes ~0.3 s. Instead each
    handle gets a 64-bit fingerprint computed from its bytes with numpy (case folded by
    setting the ASCII case bit), repeated fingerprints are found by sorting integers, and only
    those candidate rows are compared exactly, so a collision never merges two creators."""
    prints = np.concatenate([_fingerprint(c) for c in chunks(handle)] or [np.zeros(0, np.uint64)])
    prints ^= platform.astype(np.uint64) * _ODD[5]
    ordered = np.sort(prints)
    repeated = ordered[1:][ordered[1:] == ordered[:-1]]
    out = np.zeros(len(handle), dtype=bool)
    if repeated.size:
        rows = np.flatnonzero(np.isin(prints, repeated))
        exact = pd.DataFrame({"key": handle_key(handle.iloc[rows]).to_numpy(), "p": platform[rows]})
        out[rows[exact.duplicated(keep=False).to_numpy()]] = True
    return out


def _mix(h: np.ndarray) -> np.ndarray:
    """splitmix64-style avalanche step (uint64 arithmetic wraps, as intended)."""
    h = h * np.uint64(0xBF58476D1CE4E5B9)
    return h ^ (h >> np.uint64(31))


def _fingerprint(chunk: pa.Array) -> np.ndarray:
    """Read each key's bytes as little-endian words through a 1-byte-stride view (a leading
    @ skipped), mask the bytes past its end, combine the words with odd multipliers, then
    avalanche. Chunks with letters beyond Latin-1 are lower-cased by pyarrow first."""
    raw, start, length = string_parts(chunk)
    if raw.size and raw.max() >= 0xC4:  # beyond Latin-1 the case bit is not enough
        raw, start, length = string_parts(pc.utf8_lower(chunk))
    data = np.zeros(raw.size + 8 * FINGERPRINT_WORDS + 16, np.uint8)
    data[: raw.size] = raw
    at = (length > 0) & (data[np.minimum(start, raw.size)] == ord("@"))
    start, length = start + at, length - at
    words = np.ndarray((data.size - 7,), dtype="<u8", buffer=data, strides=(1,))
    h = length.astype(np.uint64) * _ODD[4]
    h += ((words[start] | _FOLD) & _MASKS[np.minimum(length, 8)]) * _ODD[0]
    for k in range(1, FINGERPRINT_WORDS):  # later words only for the keys that reach them
        rows = np.flatnonzero(length > 8 * k)
        mask = _MASKS[np.minimum(length[rows] - 8 * k, 8)]
        h[rows] += ((words[start[rows] + 8 * k] | _FOLD) & mask) * _ODD[k]
    long = np.flatnonzero(length > 8 * FINGERPRINT_WORDS)
    h[long] ^= (words[start[long] + length[long] - 8] | _FOLD) * _ODD[5]
    return _mix(_mix(h))
