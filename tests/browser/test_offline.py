"""The app asks no host but its own: a hosted advisor behind a firewall must work offline.

Why: Streamlit pages can pull fonts, icons or scripts from the internet (a Material icon used
as the page icon, a font from a CDN, telemetry). Every request the browser makes while both
pages load, including an upload and the charts, is recorded; any host other than the app's
fails the test, with the URLs that went out.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from browser_support import FIRST_LOAD_MS, open_plan, wait_idle
from playwright.sync_api import expect

from advisor import t

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]

LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}
UPLOAD = b"handle,platform,followers\n@a,instagram,12000\n@b,tiktok,50000\n"
# A Material page icon (":material/...") makes the browser fetch its SVG from Google's font
# server; advisor/ui/page.py uses an emoji, which the app serves itself.


def outside(urls: list[str]) -> list[str]:
    """URLs that leave the app (data: and blob: URLs stay in the page)."""
    found = []
    for url in urls:
        parts = urlsplit(url)
        if parts.scheme in ("data", "blob", "about", "chrome-extension"):
            continue
        if parts.hostname not in LOCAL_HOSTS:
            found.append(url)
    return found


def test_both_pages_request_only_the_app_itself(page, app_url):
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.on("websocket", lambda socket: requests.append(socket.url))

    open_plan(page, app_url + "/?goal=event&budget=20000&weeks=6")
    page.goto(app_url + "/creators", wait_until="domcontentloaded", timeout=FIRST_LOAD_MS)
    expect(page.get_by_role("heading", name=t("creators.title", "en"))).to_be_visible(
        timeout=FIRST_LOAD_MS
    )
    wait_idle(page)
    page.locator('input[type="file"]').set_input_files(
        files=[{"name": "list.csv", "mimeType": "text/csv", "buffer": UPLOAD}]
    )
    expect(
        page.get_by_text(t("creators.source", "en", source="list.csv"), exact=True)
    ).to_be_visible(timeout=FIRST_LOAD_MS)
    wait_idle(page)
    page.wait_for_timeout(1_000)  # late requests: fonts and icons load after the first paint

    assert len(requests) > 5, requests  # the recorder did see the app's own requests
    assert outside(requests) == [], outside(requests)


def test_the_recorder_would_see_an_outside_request(page, app_url):
    """Guard: a request to another host is recorded and flagged (it fails to connect, offline)."""
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(app_url + "/_stcore/health")
    page.evaluate("() => { const i = new Image(); i.src = 'http://example.invalid/x.png'; }")
    page.wait_for_timeout(500)
    assert outside(requests) == ["http://example.invalid/x.png"]
