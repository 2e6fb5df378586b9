"""Saved plans in a real Chromium: upload a list, plan with it, save, and open the link in a
fresh browser (no shared session): the same plan with the same named creators. An unknown id
says so; a passphrase-protected workspace lists nothing without the passphrase.

Why a browser: the saved link must work from another browser, with nothing but the URL.
"""

from __future__ import annotations

import io
import re

import pandas as pd
import pytest
from browser_support import DESKTOP, exceptions, serve, sidebar, wait_idle
from playwright.sync_api import expect

from advisor import load_creators, t
from advisor.ui.state import SAMPLE_PATH

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]

BRIEF = "goal=product_launch&budget=15000&currency=EUR&weeks=8&advocates=40"


def _small_list() -> bytes:
    """60 creators of the sample, influencers and ambassadors, renamed so none is in the sample."""
    frame = pd.read_csv(SAMPLE_PATH)
    frame = pd.concat(
        [
            frame[frame["relationship"] == "influencer"].head(45),
            frame[frame["relationship"] == "ambassador"].head(15),
        ]
    )
    frame["handle"] = "team_" + frame["handle"].astype(str).str.lstrip("@")
    return frame.to_csv(index=False).encode()


def _named(page) -> list[str]:
    with page.expect_download() as info:
        page.get_by_role("button", name=t("named.download", "en")).click()
    shown = pd.read_csv(info.value.path())
    return sorted(shown[t("col.handle", "en")].astype(str).str.removeprefix("'"))


def test_saved_plan_link_opens_the_same_plan_in_a_fresh_browser(browser, app_url):
    data = _small_list()
    assert len(load_creators(io.BytesIO(data)).table) == 60
    sender = browser.new_context(viewport=DESKTOP, accept_downloads=True)
    page = sender.new_page()
    page.goto(f"{app_url}/creators?{BRIEF}", wait_until="domcontentloaded")
    wait_idle(page)
    page.locator('input[type="file"]').set_input_files(
        files=[{"name": "team.csv", "mimeType": "text/csv", "buffer": data}]
    )
    expect(
        page.get_by_text(t("creators.source", "en", source="team.csv"), exact=True)
    ).to_be_visible()
    wait_idle(page)
    opener = page.get_by_role("link", name=t("creators.open_in_planner", "en"))
    expect(opener).to_have_attribute("href", re.compile(r"creators=upload"), timeout=60_000)
    wait_idle(page)
    opener.click()
    page.wait_for_url("**creators=upload*", wait_until="commit")
    expect(page.get_by_role("heading", name=t("section.named", "en"))).to_be_visible()
    wait_idle(page)
    named = _named(page)
    assert named and all(h.startswith("team_") for h in named)
    headline = page.locator("strong").filter(has_text="Projected").first.inner_text()

    page.get_by_text(t("save.section", "en")).click()
    page.get_by_role("textbox", name=t("save.name", "en"), exact=True).fill(
        "Launch <b>with</b> our list"
    )
    page.get_by_role("button", name=t("save.new", "en")).click()
    expect(page.get_by_text("Launch <b>with</b> our list", exact=False).first).to_be_visible()
    link = page.locator('[data-testid="stCode"]').filter(has_text="?plan=").first.inner_text()
    link = link.strip()
    assert "?plan=" in link and len(link.split("?plan=")[1].split("&")[0]) >= 22  # >= 128 bits
    sender.close()

    receiver = browser.new_context(viewport=DESKTOP, accept_downloads=True)
    other = receiver.new_page()
    other.goto(link if link.startswith("http") else app_url + link, wait_until="domcontentloaded")
    expect(other.get_by_text(headline, exact=True)).to_be_visible(timeout=60_000)
    wait_idle(other)
    assert _named(other) == named
    assert exceptions(other) == []
    receiver.close()


def test_unknown_plan_id_says_so(page, app_url):
    page.goto(f"{app_url}/?plan=doesnotexist0000000000000000", wait_until="domcontentloaded")
    expect(page.get_by_text(t("store.error.not_found", "en"))).to_be_visible(timeout=60_000)
    assert exceptions(page) == []


def test_passphrase_protected_workspace_lists_nothing_without_it(browser):
    with serve("app.py", "team-server.log", {"TEAM_PASSPHRASE": "correct horse battery"}) as url:
        tab = browser.new_page(viewport=DESKTOP)
        tab.goto(f"{url}/team", wait_until="domcontentloaded")
        expect(tab.get_by_text(t("team.locked", "en"))).to_be_visible(timeout=60_000)
        wait_idle(tab)
        assert tab.locator('[data-testid="stDataFrame"]').count() == 0
        assert exceptions(tab) == []
        assert sidebar(tab).count() == 1
        tab.close()


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_team_page_screenshots(page, mobile_page, app_url, lang):
    """The team page at both sizes, for a visual review (plans saved by the tests above)."""
    from browser_support import screenshot_set

    for tab, size in ((page, "desktop"), (mobile_page, "mobile")):
        tab.goto(f"{app_url}/team?lang={lang}", wait_until="domcontentloaded")
        expect(tab.get_by_role("heading", name=t("team.title", lang))).to_be_visible(timeout=60_000)
        wait_idle(tab)
        for shot in screenshot_set(tab, f"{lang}-team-{size}"):
            assert shot.stat().st_size > 10_000
        assert exceptions(tab) == []
