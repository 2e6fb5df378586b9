"""The creator-lists page in a real Chromium: upload a messy French export through the widget.

Why: the uploader, the status box and the metrics only exist in a browser; AppTest feeds the
widget's state directly. The expected numbers come from
`advisor.creators.ingest.load_creators` on the same bytes, and are also written out, so a
wrong count on either side fails.
"""

from __future__ import annotations

import time

import pytest
from browser_support import (
    FIRST_LOAD_MS,
    PLOTS,
    exceptions,
    screenshot_set,
    wait_idle,
)
from playwright.sync_api import expect

from advisor import CampaignBrief, recommend, t
from advisor.creators.ingest import load_creators
from advisor.present import explain

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]

# Semicolons, French headers, French numbers (12 500, 48,2K), cp1252 as French Excel saves it,
# one unreadable follower count, one duplicate account (case differs) and a handle with HTML.
MESSY = (
    "Pseudo;Réseau;Abonnés;Mentions J'aime;Commentaires;Tarif (€)\r\n"
    "@léa.cuisine;Instagram;12 500;412;19;250\r\n"
    "@marc_velo;TikTok;48,2K;3 100;85;400\r\n"
    "@Marc_Velo;tiktok;48 200;3 100;85;400\r\n"
    "@sophie.mode;Instagram;beaucoup;10;1;50\r\n"
    "@yann.tech;YouTube;153 000;4 200;130;1 800\r\n"
    "<img src=x onerror=alert(1)>;Instagram;23 456;789;31;300\r\n"
).encode("cp1252")
FILE_NAME = "créateurs_[T3]_**v2**.csv"  # Markdown characters: must be shown as typed
EXPECTED = {"rows_read": 6, "rows_kept": 4, "problems": 2, "duplicates": 1}
METRIC = '[data-testid="stMetric"]'
SCROLL_TOP = "() => document.querySelector('[data-testid=\"stMain\"]').scrollTo(0, 0)"


def open_creators(page, app_url: str) -> None:
    page.goto(app_url + "/creators", wait_until="domcontentloaded", timeout=FIRST_LOAD_MS)
    expect(page.get_by_role("heading", name=t("creators.title", "en"))).to_be_visible(
        timeout=FIRST_LOAD_MS
    )
    page.wait_for_function(
        "s => document.querySelectorAll(s + ' .main-svg').length >= 1",
        arg=PLOTS,
        timeout=FIRST_LOAD_MS,
    )
    wait_idle(page)


def upload_messy(page) -> None:
    page.locator('input[type="file"]').set_input_files(
        files=[{"name": FILE_NAME, "mimeType": "text/csv", "buffer": MESSY}]
    )
    source = t("creators.source", "en", source=FILE_NAME)
    expect(page.get_by_text(source, exact=True)).to_be_visible(timeout=FIRST_LOAD_MS)
    wait_idle(page)


def shown_metrics(page) -> dict[str, str]:
    shown = {}
    for metric in page.locator(METRIC).all():
        label = metric.locator('[data-testid="stMetricLabel"]').inner_text().strip()
        shown[label] = metric.locator('[data-testid="stMetricValue"]').inner_text().strip()
    return shown


def test_messy_french_upload_shows_the_right_numbers(page, mobile_page, app_url):
    load = load_creators(MESSY)
    s = load.summary()
    expected = {**EXPECTED, "flagged": s["flagged"]}
    read = (s["rows_read"], s["rows_kept"], s["problems"], s["duplicates_merged"])
    assert dict(zip(EXPECTED, read, strict=True)) == EXPECTED
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))

    open_creators(page, app_url)
    sample = shown_metrics(page)
    assert sample[t("creators.rows_read", "en")] == "800"
    upload_messy(page)

    # Streamlit replaces the previous run's elements one by one: wait for the new figures
    want = {t(f"creators.{key}", "en"): f"{value:,}" for key, value in expected.items()}
    deadline = time.monotonic() + 30
    shown = shown_metrics(page)
    while any(shown.get(k) != v for k, v in want.items()) and time.monotonic() < deadline:
        page.wait_for_timeout(250)
        shown = shown_metrics(page)
    for key, value in expected.items():
        label = t(f"creators.{key}", "en")
        assert shown[label] == f"{value:,}", (label, shown)
    expect(page.get_by_text(t("creators.loaded", "en", rows=EXPECTED["rows_kept"]))).to_be_visible()
    # Every French header was recognised: no "not recognised" warning, no error. The only
    # alerts are the notes of the plan on this list (what the list could not fill, if anything).
    plan = recommend(CampaignBrief(), creators=load_creators(MESSY))
    notes = [
        explain.note_text(n, plan, "en")
        for n in plan.notes
        if n.key.startswith(("list_", "reserve"))
    ]
    alerts = page.locator('[data-testid="stAlert"]').all_inner_texts()
    # (each alert's text starts with its icon's name)
    assert sorted(a.split("\n\n", 1)[-1].strip() for a in alerts) == sorted(notes), alerts
    problems = page.get_by_text(t("creators.problems_title", "en", count=EXPECTED["problems"]))
    expect(problems).to_be_visible()
    problems.click()  # open the problems table (and keep it open for the pictures)
    expect(page.get_by_role("button", name=t("creators.problems_download", "en"))).to_be_visible()
    opened = page.locator("details").filter(has=problems)
    expect(opened).to_have_attribute("open", "")

    page.get_by_role("button", name=t("rules.run", "en")).click()
    expect(page.get_by_text(t("shortlist.creators", "en"), exact=True)).to_be_visible(
        timeout=FIRST_LOAD_MS
    )
    wait_idle(page)
    # Regression: the first run after an upload re-created, and so closed, the expanders.
    expect(opened).to_have_attribute("open", "")
    chosen = shown_metrics(page)[t("shortlist.creators", "en")]
    assert 1 <= int(chosen) <= EXPECTED["rows_kept"], chosen
    page.evaluate(SCROLL_TOP)  # the viewport picture shows the summary, not the button
    for shot in screenshot_set(page, "creators-desktop"):
        assert shot.stat().st_size > 10_000

    open_creators(mobile_page, app_url)
    upload_messy(mobile_page)
    assert shown_metrics(mobile_page)[t("creators.rows_kept", "en")] == "4"
    for shot in screenshot_set(mobile_page, "creators-mobile"):
        assert shot.stat().st_size > 10_000

    assert dialogs == []  # the <img onerror> handle never ran
    assert exceptions(page) == [] and exceptions(mobile_page) == []
