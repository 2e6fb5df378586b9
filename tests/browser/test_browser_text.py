"""User text through `display_text` in Streamlit's real Markdown renderer (Chromium).

Why a browser: Streamlit's frontend adds its own plugins to Markdown (icons, emoji, autolinks,
directives, maths) that no Python-side test runs; here every payload of `tests/test_text.py`,
shown as Markdown, caption and alert, must read exactly as typed with no link, emphasis, tag,
image, icon, code or maths in it.
"""

from __future__ import annotations

import pytest
from browser_support import DESKTOP, exceptions, serve, wait_idle
from playwright.sync_api import expect

from advisor.locale.text import BIDI_CONTROLS, WORD_JOINER
from tests.test_text import PAYLOADS

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]

RENDERED = "a, strong, em, b, i, del, s, img, code, h1, h2, blockquote, ul, ol, table, .katex"
TEXT = '[data-testid="stMarkdownContainer"], [data-testid="stCaptionContainer"]'
ICONS = '[role="img"], [data-testid="stIconMaterial"], img'


def test_user_text_renders_literally(browser) -> None:
    with serve("tests/browser/text_app.py", "text-server.log") as url:
        tab = browser.new_page(viewport=DESKTOP)
        tab.goto(url, wait_until="domcontentloaded")
        last = tab.locator(f".st-key-payload-{len(PAYLOADS) - 1}")
        expect(last.locator('[data-testid="stAlert"]')).to_be_visible(timeout=60_000)
        wait_idle(tab)
        assert exceptions(tab) == []
        for number, payload in enumerate(PAYLOADS):
            visible = "".join(c for c in payload if c not in BIDI_CONTROLS)
            box = tab.locator(f".st-key-payload-{number}")
            shown = box.locator(TEXT)
            assert shown.count() == 3, payload  # markdown, caption, alert
            for index in range(3):
                element = shown.nth(index)
                text = element.inner_text().replace(WORD_JOINER, "").strip()
                assert text == visible.strip(), (payload, text)
                assert element.locator(RENDERED).count() == 0, (payload, element.inner_html())
            # the alert's own icon aside, nothing in the text is an icon or picture
            assert box.locator(f":is({TEXT}) :is({ICONS})").count() == 0
        tab.close()
