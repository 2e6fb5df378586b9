"""User text is data: one function shows it, one check refuses what is not text.

    >>> display_text("**Q3** [deal](https://x.example)")
    '\\\\*\\\\*Q3\\\\*\\\\* \\\\[deal\\\\]\\\\(https\\\\:\\u2060\\\\/\\\\/x\\\\.example\\\\)'
    >>> display_text("**Q3**", markdown=False)
    '**Q3**'
    >>> text_problem("a\\x00b")
    'U+0000'

`display_text(s)` is for every place where a plan name, an author, a file name or any other
typed text is shown. With `markdown=True` (captions, alerts, Markdown, widget labels) every ASCII
punctuation character is backslash-escaped, so no link, emphasis, heading, HTML tag, HTML entity,
`$maths$` or `:colour[directive]` can form; Streamlit's frontend also turns `:material/name:`,
`:emoji:` shortcodes, `https://…`/`www.`/e-mail autolinks and `->`-style arrows into icons, links
and symbols *after* Markdown has removed the escapes, so an invisible WORD JOINER (U+2060) is put
where those patterns would start: the text reads exactly as typed. With `markdown=False` (table
cells, picker options: shown as plain text) nothing is escaped. Either way the bidirectional
controls (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C) are removed, so a name cannot
reverse the text shown after it, nor disguise its own letters.

`text_problem(s)` names the first character that cannot be stored as text (NUL, a lone
surrogate) as "U+XXXX", or None: the store refuses such names before they reach the database.
"""

from __future__ import annotations

import re
import string

WORD_JOINER = "\u2060"
BIDI_CONTROLS = frozenset(
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
)
_BIDI = re.compile("[" + "".join(sorted(BIDI_CONTROLS)) + "]")
_PUNCTUATION = re.compile("([" + re.escape(string.punctuation) + "])")
# Where the frontend's text-node plugins would match once escapes are gone: after a colon
# (`:material/…:`, `:emoji:`, `https://`), after `@` (e-mail autolinks), after `www` before a dot,
# and between arrow characters (`->`, `<=`, `--`…).
_BREAKS = re.compile(r"(?<=[:@])|(?<=[wW]{3})(?=\.)|(?<=[<>=-])(?=[<>=-])")
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def display_text(text: object, *, markdown: bool = True) -> str:
    """`text` as typed, safe to show: bidi controls removed; Markdown-inert when `markdown`."""
    shown = _BIDI.sub("", str(text))
    if not markdown:
        return shown
    return _PUNCTUATION.sub(r"\\\1", _BREAKS.sub(WORD_JOINER, shown))


def text_problem(text: str) -> str | None:
    """ "U+XXXX" for the first NUL or lone surrogate in `text`, else None."""
    found = _UNSTORABLE.search(text)
    return None if found is None else f"U+{ord(found.group()):04X}"
