"""Byte-level views of arrow string columns, without copies: first and last byte and length
of every string (cheap checks over a million handles), and the raw buffers the duplicate
fingerprint reads."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa


def chunks(strings: pd.Series) -> list[pa.Array]:
    array = pa.array(strings)
    return list(array.chunks) if isinstance(array, pa.ChunkedArray) else [array]


def string_parts(chunk: pa.Array) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(bytes, start, length) of every string of an arrow string chunk, without copies."""
    width = np.dtype(np.int64 if pa.types.is_large_string(chunk.type) else np.int32)
    offsets = np.frombuffer(
        chunk.buffers()[1], width, len(chunk) + 1, chunk.offset * width.itemsize
    )
    payload = chunk.buffers()[2]
    raw = np.frombuffer(payload, np.uint8) if payload is not None else np.zeros(0, np.uint8)
    start = offsets[:-1].astype(np.int64)
    return raw, start, offsets[1:] - start


def string_edges(strings: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """First byte, last byte (0 for empty strings) and byte length of every string."""
    firsts, lasts, lengths = [], [], []
    for chunk in chunks(strings):
        raw, start, length = string_parts(chunk)
        if not raw.size:
            raw = np.zeros(1, np.uint8)
        top = raw.size - 1
        firsts.append(np.where(length > 0, raw[np.minimum(start, top)], 0))
        lasts.append(np.where(length > 0, raw[np.clip(start + length - 1, 0, top)], 0))
        lengths.append(length)
    if not lengths:
        return np.zeros(0, np.uint8), np.zeros(0, np.uint8), np.zeros(0, np.int64)
    return np.concatenate(firsts), np.concatenate(lasts), np.concatenate(lengths)
