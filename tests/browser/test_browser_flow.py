"""One brief across pages, in a real Chromium: links keep it, both pages read and edit it, a
`creators=sample` link names creators from the sample, and a language switch re-labels every
widget.

Why a browser: page links, the address bar and Streamlit's own navigation only exist there.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pandas as pd
import pytest
from browser_support import (
    FIRST_LOAD_MS,
    exceptions,
    follow_link,
    open_plan,
    sidebar,
    wait_idle,
)
from playwright.sync_api import expect

from advisor import load_creators, recommend, t
from advisor.present import explain as ex
from advisor.sharing.links import brief_from_query
from advisor.ui.state import SAMPLE_PATH

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]

BRIEF = "goal=event&budget=20000&currency=EUR&weeks=6"
SAMPLE = f"/plan?{BRIEF}&creators=sample"


def _brief(url: str):
    brief, bad = brief_from_query(parse_qs(urlsplit(url).query))
    assert bad == []
    return brief


def test_brief_survives_going_to_creator_lists_and_back(page, app_url):
    brief = _brief(f"/?{BRIEF}")
    headline = ex.headline(recommend(brief), "en")
    open_plan(page, f"{app_url}/plan?{BRIEF}", headline)
    creators = sidebar(page).get_by_role("link", name=t("nav.creators", "en"))
    # the links are drawn once the run has settled: wait for the one carrying this brief
    expect(creators).to_have_attribute("href", re.compile(r"weeks=6"), timeout=FIRST_LOAD_MS)
    follow_link(page, creators, "**/creators?*")
    wait_idle(page)
    expect(page.get_by_role("heading", name=t("creators.title", "en"))).to_be_visible()
    assert _brief(page.url) == brief  # the brief is in the address bar of the other page
    # the form there shows the same brief
    weeks = sidebar(page).get_by_role("spinbutton", name=t("field.weeks", "en"), exact=True)
    expect(weeks).to_have_value("6")
    planner = sidebar(page).get_by_role("link", name=t("nav.planner", "en"))
    expect(planner).to_have_attribute("href", re.compile(r"weeks=6"), timeout=FIRST_LOAD_MS)
    follow_link(page, planner, "**/plan?*")
    page.get_by_text(headline, exact=True).wait_for(state="visible", timeout=FIRST_LOAD_MS)
    assert _brief(page.url) == brief
    assert exceptions(page) == []


def test_brief_edited_on_creator_lists_is_the_planner_brief(page, app_url):
    page.goto(f"{app_url}/creators?{BRIEF}", wait_until="domcontentloaded")
    wait_idle(page)
    weeks = sidebar(page).get_by_role("spinbutton", name=t("field.weeks", "en"), exact=True)
    weeks.fill("9")
    sidebar(page).get_by_role("button", name=t("form.submit", "en")).click()
    page.wait_for_url("**weeks=9*", wait_until="commit")
    # the links are drawn when the run ends, with the brief it settled on
    planner = sidebar(page).get_by_role("link", name=t("nav.planner", "en"))
    expect(planner).to_have_attribute("href", re.compile(r"weeks=9"), timeout=60_000)
    follow_link(page, planner, "**/plan?*")
    brief = _brief(page.url)
    assert brief.weeks == 9 and brief.currency.value == "EUR"
    open_plan(page, page.url, ex.headline(recommend(brief), "en"))


def test_sample_link_names_creators_from_the_sample(page, app_url):
    brief = _brief(SAMPLE)
    sample = load_creators(SAMPLE_PATH, label="sample")
    plan = recommend(brief, creators=sample)
    open_plan(page, app_url + SAMPLE, ex.headline(plan, "en"))
    expect(page.get_by_role("heading", name=t("section.named", "en"))).to_be_visible()
    named = [c.handle for c in plan.creators]
    assert named and set(named) <= set(pd.read_csv(SAMPLE_PATH)["handle"].astype(str))
    expect(page.locator('[data-testid="stDataFrame"]').first).to_be_visible()
    # the grid is drawn on a canvas: read it through the plan's own creators download
    with page.expect_download() as info:
        page.get_by_role("button", name=t("named.download", "en")).click()
    shown = pd.read_csv(info.value.path())
    # "@handle" is written "'@handle" (a leading @ starts a formula in spreadsheets)
    handles = shown[t("col.handle", "en")].astype(str).str.removeprefix("'")
    assert sorted(handles) == sorted(named)
    assert shown[t("col.cost", "en", currency="EUR")].sum() <= brief.budget + 0.01
    assert exceptions(page) == []


def test_language_switch_relabels_every_widget(page, app_url):
    brief = _brief(f"/?{BRIEF}")
    open_plan(page, f"{app_url}/plan?{BRIEF}", ex.headline(recommend(brief), "en"))
    sidebar(page).get_by_text("Français").click()
    page.wait_for_url("**lang=fr*")
    open_plan(page, page.url, ex.headline(recommend(brief), "fr"))
    side = sidebar(page)
    for key in ("field.goal", "field.budget", "field.weeks", "field.audience", "field.region"):
        expect(side.get_by_text(t(key, "fr"), exact=True).first).to_be_visible()
    # selected values are in French too, never the English ones
    snapshot = side.aria_snapshot()  # what a screen reader announces, values included
    assert f'combobox "{t("field.goal", "fr")}": {t("goal.event", "fr")}' in snapshot, snapshot
    assert f'combobox "{t("field.region", "fr")}": {t("region.US", "fr")}' in snapshot
    assert t("goal.event", "en") not in snapshot.split(":")
    expect(side.get_by_role("link", name=t("nav.creators", "fr"))).to_be_visible()
    assert exceptions(page) == []
