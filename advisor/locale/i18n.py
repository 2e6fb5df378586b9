"""One translation function for every user-facing string: page, plan sentences, report.

Catalogs live in `advisor/locale/messages/<lang>/*.json` (one file per area: core, page, ingest...);
English is the reference, and a test checks that every language has exactly the same keys and
placeholders.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Literal

Language = Literal["en", "fr"]
LANGUAGES: tuple[Language, ...] = ("en", "fr")
DEFAULT_LANGUAGE: Language = "en"
LOCALE_DIR = Path(__file__).resolve().parent / "messages"


@lru_cache(maxsize=len(LANGUAGES))
def catalog(lang: str) -> dict[str, str]:
    """The messages of one language (English for an unknown one)."""
    code = lang if lang in LANGUAGES else DEFAULT_LANGUAGE
    merged: dict[str, str] = {}
    for path in sorted((LOCALE_DIR / code).glob("*.json")):
        part = json.loads(path.read_text(encoding="utf-8"))
        duplicated = merged.keys() & part.keys()
        if duplicated:
            raise ValueError(f"{path.name} repeats keys {sorted(duplicated)}")
        merged.update(part)
    return merged


def t(key: str, lang: str = DEFAULT_LANGUAGE, /, **params: object) -> str:
    """Translate `key` and fill its {placeholders}; falls back to English, then to the key."""
    text = catalog(lang).get(key) or catalog(DEFAULT_LANGUAGE).get(key)
    if text is None:
        raise KeyError(f"no message {key!r}")
    return text.format(**params) if params else text
