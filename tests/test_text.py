"""User text is shown as typed (`advisor.locale.text.display_text`).

Why: a plan name or an author is data another person typed. Shown in a caption or an alert it
must not become a link ("Reset password" to a phishing page), an icon, bold text, an HTML tag or
entity, maths, or reverse the text after it (bidi controls). Streamlit renders Markdown with
CommonMark plus its own plugins; the model below renders with CommonMark (markdown-it) and then
applies the patterns of Streamlit's frontend plugins (material icons, emoji and `:streamlit:`
shortcodes, GFM autolinks, arrows, maths), which act on the text after escapes are removed.
"""

from __future__ import annotations

import html
import re

import pytest
from markdown_it import MarkdownIt

from advisor.locale.text import BIDI_CONTROLS, WORD_JOINER, display_text, text_problem

PAYLOADS = [
    "[Reset password](https://evil.example/login)",
    ":material/warning: urgent",
    ":smile: :+1: :streamlit:",
    "&lt;b&gt; &amp; &#60;i&#62;",
    "**bold** __also__ *em* _em_ ~~gone~~",
    "<b>x</b> <img src=x onerror=alert(1)> <!-- hidden -->",
    "\u202eevil\u202c txt.exe \u2066isolated\u2069 \u200fRLM \u061cALM \u202aLRE",
    '=HYPERLINK("https://evil.example","click")',
    "https://evil.example and www.evil.example and ceo@evil.example",
    "# Heading",
    "> quote",
    "- item",
    "1. item",
    "`code` ```fence```",
    "$x^2$ and $$y$$ cost $5 or $6",
    ":red[alert] :blue-background[x]",
    "a -> b <- c <-> d -- e >= f <= g",
    "![img](https://evil.example/x.png)",
    "back\\slash \\* and | pipes | table |",
    "Plan Q3 · Zoé’s «budget» 2026",
]

# Streamlit's frontend (static/js/StreamlitMarkdown.*.js), on the source before parsing...
MATERIAL_SOURCE = ":material/"
EMOJI_TRIGGER = re.compile(r":(?!material\/|streamlit:)[\w+-][\w_+-]*:")
MATHS = re.compile(r"(?<!\$)\$(?![\s$])[^$\n]*?[^\s$]\$(?!\d)|(?<!\$)\$\$+(?!\$)[\s\S]*?\$\$")
ESCAPED = re.compile(r"\\[\\$`]")
# ...and on text nodes, after escapes are gone
TEXT_PLUGINS = [
    re.compile(r":material_(\w+):"),
    re.compile(r":[\w+-][\w_+-]*:"),  # emoji shortcodes (and :streamlit:)
    re.compile(r"(https?://|www(?=\.))([-.\w]+)", re.IGNORECASE),  # GFM autolink literals
    re.compile(r"[-.\w+]+@[-\w]+(?:\.[-\w]+)+"),  # GFM e-mail autolinks
    re.compile(r"(^|\s)(<->|->|<-|--|>=|<=)(\s|$)"),  # typographic arrows
]

RENDER = MarkdownIt("commonmark").enable(["table", "strikethrough"])


def rendered(source: str) -> tuple[str, str]:
    """The HTML CommonMark makes of `source`, and the text a reader sees in it."""
    page = RENDER.render(source.replace(MATERIAL_SOURCE, ":material_"))
    text = html.unescape(re.sub(r"</?p>\n?", "", page))
    return page, text.rstrip("\n")


@pytest.mark.parametrize("payload", PAYLOADS)
def test_markdown_shows_user_text_literally(payload: str) -> None:
    source = display_text(payload)
    page, text = rendered(source)
    visible = "".join(c for c in payload if c not in BIDI_CONTROLS)
    assert text.replace(WORD_JOINER, "") == visible  # exactly the characters typed
    assert re.fullmatch(r"<p>[^<]*</p>\n?", page), page  # one paragraph, no element inside
    assert MATERIAL_SOURCE not in source and not EMOJI_TRIGGER.search(source)
    assert not MATHS.search(ESCAPED.sub("_", source))
    for pattern in TEXT_PLUGINS:
        assert not pattern.search(text), (pattern.pattern, text)


def test_the_model_would_catch_what_escaping_alone_misses() -> None:
    """Backslashes alone leave the frontend's text-node plugins free: the test above can fail."""
    naive = re.sub(r"([\\`*_{}\[\]()<>#+\-.!|~$:&])", r"\\\1", ":material/warning: https://x.ex")
    _, text = rendered(naive)
    assert TEXT_PLUGINS[0].search(text) and TEXT_PLUGINS[2].search(text)


def test_plain_text_places_keep_the_text_and_drop_only_bidi_controls() -> None:
    for payload in PAYLOADS:
        shown = display_text(payload, markdown=False)
        assert shown == "".join(c for c in payload if c not in BIDI_CONTROLS)
    assert display_text("\u202eabc\u202c", markdown=False) == "abc"
    assert display_text(42) == "42"


def test_characters_that_are_not_text_are_named() -> None:
    assert text_problem("fine, even ‮ and 🎉") is None
    assert text_problem("a\x00b") == "U+0000"
    assert text_problem("x\ud83d") == "U+D83D"  # half of an emoji's surrogate pair
    assert text_problem("\udc00") == "U+DC00"
