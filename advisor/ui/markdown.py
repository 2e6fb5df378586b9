"""User text shown through Streamlit's Markdown (captions, alerts, labels) stays text."""

from __future__ import annotations

import re

_MARKDOWN = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:])")


def plain(text: object) -> str:
    """File names, headers, typed values: every Markdown character escaped, shown as typed."""
    return _MARKDOWN.sub(r"\\\1", str(text))
