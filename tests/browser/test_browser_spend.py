"""'How much to spend' in a real Chromium: the curves chart is drawn, and the target question,
submitted in its form, is answered in words without rerunning the page above it."""

from __future__ import annotations

import pytest
from browser_support import ARTIFACTS, click_until, exceptions, open_plan, wait_idle
from playwright.sync_api import expect

from advisor import CampaignBrief, budget_for_target, recommend, t
from advisor.locale.formatting import money
from advisor.present import explain as ex

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]

LAUNCH = "/?goal=product_launch&budget=20000&weeks=8"
BRIEF = CampaignBrief(goal="product_launch", budget=20_000, weeks=8)


def test_curves_and_the_target_question(page, app_url):
    plan = recommend(BRIEF)
    open_plan(page, app_url + LAUNCH, ex.headline(plan, "en"))
    heading = page.get_by_role("heading", name=t("section.spend", "en"))
    heading.scroll_into_view_if_needed()
    expect(heading).to_be_visible()
    # shown on request: the visitor opens the section, which computes and draws the curves
    page.get_by_text(t("lazy.spend", "en"), exact=True).click()
    page.wait_for_function(
        "name => Array.from(document.querySelectorAll('.js-plotly-plot'))"
        ".some(el => (el.data || []).some(d => d.name === name))",
        arg=t("spend.family.recommended", "en"),
        timeout=60_000,
    )
    traces = page.evaluate(
        "name => Array.from(document.querySelectorAll('.js-plotly-plot'))"
        ".map(el => (el.data || []).map(d => d.name)).filter(n => n.includes(name))",
        t("spend.family.recommended", "en"),
    )
    assert len(traces) == 1 and len(traces[0]) >= 3, traces  # band, family, recommended

    goal = round(plan.recommended.objective_p50 * 1.5, -2)
    answer = budget_for_target(BRIEF, goal, 0.8)
    wait_idle(page)  # the section's fragment has drawn its forms and is over
    field = page.get_by_label(t("spend.target.label", "en", label="people reached"))
    field.fill(str(int(goal)))
    field.press("Tab")
    shown = page.get_by_text(money(answer.budget, "USD", "en"), exact=False).first
    click_until(
        page,
        page.get_by_role("button", name=t("spend.target.submit", "en")).first,
        lambda: expect(shown).to_be_visible(timeout=15_000),
    )
    wait_idle(page)
    assert exceptions(page) == []
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.get_by_role("heading", name=t("section.spend", "en")).screenshot(
        path=str(ARTIFACTS / "spend-heading.png")
    )
    page.locator("[data-testid='stFullScreenFrame']").filter(
        has=page.locator(".js-plotly-plot")
    ).last.screenshot(path=str(ARTIFACTS / "spend-curves.png"))
