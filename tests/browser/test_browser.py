"""The page in a real Chromium against `streamlit run app.py`.

Why: layout, plotly charts, the address bar and file downloads only exist in a browser. Each
test waits for the plan it expects (its exact headline, computed by
`advisor.advice.recommend`) instead of sleeping, so a slow two-core machine is slower, not flaky.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from browser_support import (
    SIDEBAR,
    exceptions,
    open_plan,
    plots_drawn,
    screenshot_set,
    set_weeks_and_submit,
    sidebar,
    wait_for_plan,
)
from playwright.sync_api import expect

from advisor import CampaignBrief, Plan, Strategy, load_creators, recommend, t
from advisor.present import explain as ex
from advisor.sharing.links import brief_from_query
from advisor.ui.state import SAMPLE_PATH

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]

EVENT = "/?goal=event&budget=20000&currency=EUR&weeks=6"
AWARENESS = "/?goal=brand_awareness&budget=60000&weeks=52&advocates=500"
BAD = "/?goal=banana&budget=-5&weeks=abc"


def brief_in(path: str) -> bool:
    return any(f in parse_qs(urlsplit(path).query) for f in ("goal", "budget", "weeks"))


def brief_of(path: str) -> CampaignBrief:
    brief, _ = brief_from_query(parse_qs(urlsplit(path).query))
    return brief


def plan_of(path: str) -> Plan:
    return recommend(brief_of(path))


def test_landing_page(page, app_url):
    plan = recommend(CampaignBrief())
    open_plan(page, app_url + "/", ex.headline(plan, "en"))
    expect(page.get_by_role("heading", name=t("app.title", "en"))).to_be_visible()
    expect(page.get_by_text(t(f"plan.title.{plan.strategy.value}", "en"))).to_be_visible()
    expect(page.get_by_text(ex.headline(plan, "en"), exact=True)).to_be_visible()
    expect(sidebar(page).get_by_role("button", name=t("form.submit", "en"))).to_be_visible()
    assert exceptions(page) == []
    assert page.get_by_text("could not be used").count() == 0  # no bad-link warning


def test_event_link_is_influencer_led_with_charts(page, app_url):
    plan = plan_of(EVENT)
    assert plan.strategy is Strategy.INFLUENCER
    open_plan(page, app_url + EVENT, ex.headline(plan, "en"))
    expect(page.get_by_text("Recommendation: paid influencers")).to_be_visible()
    headline = page.get_by_text(ex.headline(plan, "en"), exact=True)
    expect(headline).to_be_visible()
    assert headline.inner_text().startswith("Short-burst influencers")
    assert "€20K" in ex.headline(plan, "en") and "6 weeks" in ex.headline(plan, "en")

    # the reach chart, the budget donut and the tier bars (the compared plans are drawn on request)
    wait_for_plan(page, ex.headline(plan, "en"), charts=3)
    traces = plots_drawn(page, 3)
    assert len(traces) >= 3 and all(n > 0 for n in traces), traces
    first_chart = page.locator(".js-plotly-plot .main-svg").first
    expect(first_chart).to_be_visible()
    drawn = page.locator(".js-plotly-plot g.trace, .js-plotly-plot g.barlayer path").count()
    assert drawn > 0
    assert exceptions(page) == []


def test_awareness_link_is_ambassador_led_or_a_mix(page, app_url):
    plan = plan_of(AWARENESS)
    assert plan.strategy in (Strategy.AMBASSADOR, Strategy.MIX)
    open_plan(page, app_url + AWARENESS, ex.headline(plan, "en"))
    title = t(f"plan.title.{plan.strategy.value}", "en")
    expect(page.get_by_text(title)).to_be_visible()
    text = page.get_by_text(ex.headline(plan, "en"), exact=True).inner_text().lower()
    assert "ambassador" in text or "mix" in text
    # The programme table is drawn for an ambassador share.
    expect(page.get_by_text(t("budget.programme", "en"), exact=True)).to_be_visible()
    assert exceptions(page) == []


def test_bad_link_warns_and_still_plans(page, app_url):
    default = recommend(CampaignBrief())
    open_plan(page, app_url + BAD, ex.headline(default, "en"))
    warning = page.locator('[data-testid="stAlert"]').filter(has_text="could not be used")
    expect(warning).to_be_visible()
    message = warning.inner_text()
    for label in ("Goal", "Budget", "Duration (weeks)"):
        assert label in message, message
    expect(page.get_by_text(ex.headline(default, "en"), exact=True)).to_be_visible()
    assert exceptions(page) == []


def test_form_submit_updates_plan_and_url(page, app_url):
    open_plan(page, app_url + EVENT, ex.headline(plan_of(EVENT), "en"))
    new = recommend(brief_of(EVENT).model_copy(update={"weeks": 12}))
    set_weeks_and_submit(page, 12)
    wait_for_plan(page, ex.headline(new, "en"))
    expect(page.get_by_text(ex.headline(new, "en"), exact=True)).to_be_visible()
    page.wait_for_url(re.compile(r"[?&]weeks=12(&|$)"))
    query = parse_qs(urlsplit(page.url).query)
    assert query["weeks"] == ["12"]
    assert query["goal"] == ["event"] and query["currency"] == ["EUR"]
    # The new address alone reproduces the plan.
    assert brief_of(page.url) == new.brief
    # A second submit straight after the first one takes effect too (it used to be dropped).
    back = plan_of(EVENT)
    set_weeks_and_submit(page, 6)
    wait_for_plan(page, ex.headline(back, "en"))
    page.wait_for_url(re.compile(r"[?&]weeks=6(&|$)"))
    assert exceptions(page) == []


def test_plan_json_download_matches_the_core(page, app_url, tmp_path):
    plan = plan_of(EVENT)
    open_plan(page, app_url + EVENT, ex.headline(plan, "en"))
    button = page.get_by_role("button", name=t("download.json", "en"))
    button.scroll_into_view_if_needed()
    with page.expect_download(timeout=60_000) as info:
        button.click()
    download = info.value
    assert download.suggested_filename == "plan-event-6w.json"
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    downloaded = Plan.model_validate_json(target.read_text(encoding="utf-8"))
    assert downloaded.brief == brief_of(EVENT)
    assert downloaded == recommend(downloaded.brief)
    # the PDF is built when clicked (deferred data): it arrives, one page, in the page's language
    pdf_button = page.get_by_role("button", name=t("download.pdf", "en"))
    with page.expect_download(timeout=60_000) as info:
        pdf_button.click()
    pdf = tmp_path / info.value.suggested_filename
    info.value.save_as(pdf)
    assert pdf.name == "plan-event-6w.pdf" and pdf.read_bytes().startswith(b"%PDF")
    assert exceptions(page) == []


@pytest.mark.parametrize(
    ("name", "path"),
    [
        ("landing", "/"),
        ("event", EVENT),
        ("awareness", AWARENESS),
        ("fr-landing", "/?lang=fr"),
        ("fr-awareness", AWARENESS + "&lang=fr"),
        ("fr-sample", EVENT.replace("/?", "/plan?") + "&creators=sample&lang=fr"),
    ],
)
def test_screenshots(page, mobile_page, app_url, name, path):
    """Viewport and tall screenshots, desktop and phone, in tests/artifacts/ for a visual review."""
    lang = "fr" if "lang=fr" in path else "en"
    creators = load_creators(SAMPLE_PATH, label="sample") if "creators=sample" in path else None
    headline = ex.headline(recommend(brief_of(path), creators=creators), lang)
    open_plan(page, app_url + path, headline)
    for shot in screenshot_set(page, f"{name}-desktop"):
        assert shot.stat().st_size > 10_000

    open_plan(mobile_page, app_url + path, headline)
    sidebar_box = mobile_page.locator(SIDEBAR).bounding_box()
    if not brief_in(path):
        # a first visit on a phone opens on the brief form, and the plan says it is an example
        expect(sidebar(mobile_page).get_by_text(t("form.title", lang))).to_be_in_viewport()
        expect(sidebar(mobile_page).get_by_text(t("field.goal", lang))).to_be_in_viewport()
        expect(mobile_page.get_by_text(t("plan.example", lang)[:40])).to_have_count(1)
        for shot in screenshot_set(mobile_page, f"{name}-mobile-form"):
            assert shot.stat().st_size > 10_000
        mobile_page.locator('[data-testid="stSidebarCollapseButton"] button').click()
        mobile_page.wait_for_timeout(600)
    else:
        # a shared link opens on its plan: the side panel starts closed, the plan full width
        assert sidebar_box is None or sidebar_box["x"] + sidebar_box["width"] <= 1, sidebar_box
    expect(mobile_page.get_by_text(headline, exact=True)).to_be_visible()
    for shot in screenshot_set(mobile_page, f"{name}-mobile"):
        assert shot.stat().st_size > 10_000
    assert exceptions(page) == [] and exceptions(mobile_page) == []
