"""User text shown through Streamlit's Markdown (captions, alerts, labels) stays text.

One function does it for every view: `advisor.locale.text.display_text` (`plain` is its older
name, kept for the modules that import it)."""

from __future__ import annotations

from advisor.locale.text import display_text

plain = display_text

__all__ = ["display_text", "plain"]
