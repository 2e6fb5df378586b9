"""Beyond one plan, in a real Chromium and in both languages: a team user opens a brief link,
saves the plan for the team, uploads the campaign's results to it and sees them on the reach
chart against the plan's bands, adopts the team's learnt assumptions for the same brief, and sends
that plan's link to a colleague whose fresh browser shows the same figures.

Why a browser: the upload, the Team page's link to the planner and a link opened with nothing shared
but the URL only exist there. The expected figures come from the core (`recommend`,
`compare`, the link readers), so the page is held to what the library computes, in the
locale's own formatting.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import numpy as np
import pytest
from browser_support import (
    DESKTOP,
    PLOTS,
    SIDEBAR,
    STEP_MS,
    exceptions,
    serve,
    wait_for_plan,
    wait_idle,
)
from playwright.sync_api import expect

from advisor import recommend, t
from advisor.advice.actuals import compare, coverage
from advisor.creators.results import read_results
from advisor.locale.formatting import number, percent
from advisor.present import explain as ex
from advisor.sharing.links import assumptions_from_query, brief_from_query

pytestmark = [pytest.mark.browser, pytest.mark.timeout(480)]

BRIEF = "goal=product_launch&budget=15000&currency=EUR&weeks=8&advocates=40"
# Three weeks of a campaign that reached fewer people per post than the benchmarks say: the
# week-1 reach is inside the plan's week-1 band and under its week-2 band, which the running
# total then stays below. Impressions are low throughout, so the learnt reach rates go down.
LATER_WEEKS = "2,5,{r2},17400,760,120,7\n3,4,{r3},13100,520,88,5\n"
REACH_2, REACH_3 = 1_800, 1_400


def _results(week1_reach: float) -> bytes:
    head = "week,posts,reach,impressions,engagements,clicks,orders\n"
    first = f"1,6,{week1_reach:.0f},21000,900,150,9\n"
    return (head + first + LATER_WEEKS.format(r2=REACH_2, r3=REACH_3)).encode()


HEADLINE = ".st-key-headline"
ASSUMPTION = "a."


@pytest.fixture(scope="module")
def walk_url() -> Iterator[str]:
    """A server of its own: its empty SQLite store holds only this walk's plans and results."""
    with serve("app.py", "walkthrough-server.log") as url:
        yield url


def _context(browser: Any, lang: str) -> Any:
    context = browser.new_context(
        viewport=DESKTOP, locale="fr-FR" if lang == "fr" else "en-US", accept_downloads=True
    )
    context.set_default_timeout(STEP_MS)
    return context


def _query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def _assumption_params(url: str) -> dict[str, list[str]]:
    return {k: v for k, v in _query(url).items() if k.startswith(ASSUMPTION)}


def _no_exception(page: Any, step: str) -> None:
    assert exceptions(page) == [], step


def _actual_traces(page: Any, prefix: str) -> list[dict[str, Any]]:
    """The reach chart's traces of actual results (their legend name starts with `prefix`)."""
    return page.evaluate(
        """prefix => Array.from(document.querySelectorAll('.js-plotly-plot'))
            .flatMap(el => el.data || [])
            .filter(d => typeof d.name === 'string' && d.name.startsWith(prefix))
            .map(d => ({name: d.name, x: Array.from(d.x), y: Array.from(d.y),
                        text: Array.from(d.customdata).map(c => c[0])}))""",
        prefix,
    )


def _share_link(page: Any, lang: str) -> str:
    """The link of the plan on screen, as the headline's "Share" popover gives it."""
    page.locator(HEADLINE).get_by_text(t("share.button", lang)).click()
    code = page.locator('[data-testid="stPopoverBody"] [data-testid="stCode"]')
    expect(code).to_be_visible()
    link = code.inner_text().strip()
    page.keyboard.press("Escape")
    return link


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_results_and_team_assumptions_walkthrough(browser, walk_url, lang):
    name = f"Walk {lang} {secrets.token_hex(3)}"
    brief, bad = brief_from_query(parse_qs(BRIEF))
    assert bad == []
    plan = recommend(brief)
    rec = plan.recommended
    week1 = round((rec.reach_p10[0] + min(rec.reach_p90[0], rec.reach_p10[1])) / 2, -2)
    upload = _results(week1)
    results = read_results(upload, lang=lang)
    assert results.rows_kept == 3 and results.problems == []
    expected = compare(plan, results)
    weeks = {p.week: p for p in expected.weeks}
    assert [p.inside for p in expected.weeks] == [True, False, False]  # both marks are drawn

    sender = _context(browser, lang)
    page = sender.new_page()

    # 1. A brief link, saved to the team's store under a new name.
    page.goto(f"{walk_url}/?{BRIEF}&lang={lang}", wait_until="domcontentloaded")
    wait_for_plan(page, ex.headline(plan, lang))
    _no_exception(page, "brief link")
    page.get_by_text(t("save.section", lang)).click()
    page.get_by_role("textbox", name=t("save.name", lang), exact=True).fill(name)
    page.get_by_role("button", name=t("save.new", lang)).click()
    expect(page.get_by_text(t("save.saved", lang, name=name), exact=True)).to_be_visible()
    link = page.locator('[data-testid="stCode"]').filter(has_text="?plan=").first.inner_text()
    link = link.strip()
    assert "?plan=" in link and _query(link).get("lang", ["en"]) == [lang]
    wait_idle(page)
    _no_exception(page, "save")

    # 2. The saved plan's link takes the results; the chart then shows them on its bands.
    page.goto(link if link.startswith("http") else walk_url + link, wait_until="domcontentloaded")
    wait_for_plan(page, t("actuals.heading", lang))
    expect(page.get_by_text(name, exact=False).first).to_be_visible()  # "Opened … from a link"
    uploader = page.locator('[data-testid="stFileUploader"]').filter(
        has_text=t("actuals.upload", lang)
    )
    uploader.locator('input[type="file"]').set_input_files(
        files=[{"name": "results.csv", "mimeType": "text/csv", "buffer": upload}]
    )
    saved = t("actuals.saved", lang, version=number(1, lang), rows=number(3, lang))
    expect(page.get_by_text(saved, exact=True)).to_be_visible()
    stored = t(
        "actuals.stored", lang, version=number(1, lang), rows=number(3, lang), weeks=number(3, lang)
    )
    expect(page.get_by_text(stored, exact=True)).to_be_visible()
    actual = t("actuals.chart.actual", lang)
    page.wait_for_function(
        """prefix => Array.from(document.querySelectorAll('.js-plotly-plot'))
            .some(el => (el.data || []).some(d => (d.name || '').startsWith(prefix)))""",
        arg=actual,
    )
    wait_idle(page)
    _no_exception(page, "upload")
    traces = _actual_traces(page, actual)
    running = np.cumsum([week1, REACH_2, REACH_3]).tolist()
    drawn: dict[int, tuple[float, str, str]] = {}
    for trace in traces:
        for x, y, text in zip(trace["x"], trace["y"], trace["text"], strict=True):
            drawn[int(x)] = (y, text, trace["name"])
    assert sorted(drawn) == [1, 2, 3]
    for week, total in enumerate(running, start=1):
        y, text, trace_name = drawn[week]
        assert y == total
        assert text == number(total, lang)  # 152,400 / 152 400: the locale's own digits
        verdict = "actuals.chart.inside" if weeks[week].inside else "actuals.chart.outside"
        assert trace_name == t("actuals.chart.point", lang, label=actual, value=t(verdict, lang))
    legend = page.locator(f"{PLOTS} .legendtext").all_text_contents()
    assert any(t("actuals.chart.inside", lang) in text for text in legend), legend
    assert any(t("actuals.chart.outside", lang) in text for text in legend), legend
    share = coverage([expected])
    sentence = t(
        "actuals.coverage",
        lang,
        inside=number(share.inside, lang),
        total=number(share.total, lang),
        share=percent(share.share, lang),
    )
    expect(page.get_by_text(sentence, exact=True)).to_be_visible()

    # 3. The Team page learns the team's figures; the brief being worked on is planned with
    # them, in the same tab (reached from the plan by the side panel, which carries the brief).
    page.goto(f"{walk_url}/?{BRIEF}&lang={lang}", wait_until="domcontentloaded")
    wait_for_plan(page, ex.headline(plan, lang))
    default_link = _share_link(page, lang)
    default_headline = page.locator(HEADLINE).inner_text()
    assert _assumption_params(default_link) == {}
    page.locator(SIDEBAR).get_by_role("link", name=t("nav.team", lang)).click()
    expect(page.get_by_role("heading", name=t("calibration.heading", lang))).to_be_visible()
    wait_idle(page)
    page.get_by_role("button", name=t("calibration.save", lang)).click()
    expect(page.get_by_text(t("calibration.saved", lang), exact=True)).to_be_visible()
    use = page.get_by_role("link", name=t("calibration.use", lang))
    href = use.get_attribute("href") or ""
    learnt = _assumption_params(href)
    assert any(k.startswith("a.reach.") for k in learnt), href
    assert brief_from_query(_query(href)) == (brief, []), href  # the brief, not the example
    wait_idle(page)
    _no_exception(page, "team figures")
    pages = len(sender.pages)
    use.click()
    team, bad_assumptions = assumptions_from_query(learnt)
    assert bad_assumptions == []
    adopted = recommend(brief, assumptions=team)
    wait_for_plan(page, ex.headline(adopted, lang))
    assert len(sender.pages) == pages  # the same tab, like the app's other links
    _no_exception(page, "adopted plan")
    assert _assumption_params(page.url) == learnt  # the address bar carries the team's figures
    adopted_link = _share_link(page, lang)
    assert _assumption_params(adopted_link) == learnt  # and so does the plan's link
    assert brief_from_query(_query(adopted_link)) == (brief, [])
    assert ex.headline(plan, lang) in default_headline
    # the campaign reached fewer people per post than planned: so does the new plan
    assert adopted.recommended.objective_p50 < plan.recommended.objective_p50
    headline = page.locator(HEADLINE).inner_text()
    assert headline != default_headline
    sender.close()

    # 4. A colleague opens the link with nothing shared but the URL: the same figures.
    receiver = _context(browser, lang)
    other = receiver.new_page()
    other.goto(adopted_link, wait_until="domcontentloaded")
    wait_for_plan(other, ex.headline(adopted, lang))
    _no_exception(other, "fresh context")
    assert other.locator(HEADLINE).inner_text() == headline
    assert _assumption_params(other.url) == learnt
    receiver.close()
