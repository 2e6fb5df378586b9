"""The posting calendar: who posts what and when, from the engine's own schedule.

Why: a marketer runs a campaign week by week. The calendar must agree with the plan (its spend,
to the cent, with the projection's weekly spend), show whole creators (an awareness plan's
creators start in turn, never "2.4 creators in week 3"), name listed creators, and travel: a CSV
in the page's language and an .ics a calendar app imports.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar import Calendar
from streamlit.testing.v1 import AppTest

from advisor import CampaignBrief, Goal, Plan, load_creators, recommend, t
from advisor.advice.calendar import posting_calendar
from advisor.advice.facts import burst_note
from advisor.advice.plan import CalendarEntry
from advisor.advice.search import Search
from advisor.model.data import SAMPLE_CREATORS
from advisor.model.menu import APPEARANCE, INFLUENCER, Menu
from advisor.present import explain as ex
from advisor.present.calendar import (
    SPEND_PROPERTY,
    calendar_csv,
    calendar_frame,
    calendar_ics,
    next_monday,
)
from advisor.ui.planner import OPEN_KEYS

APP = str(Path(__file__).resolve().parents[1] / "app.py")
START = date(2027, 1, 4)  # a Monday


@pytest.fixture(scope="module")
def sample():
    return load_creators(SAMPLE_CREATORS, label="sample")


@pytest.fixture(scope="module")
def awareness_mix() -> Plan:
    """Awareness over 26 weeks with advocates: short-burst creators spread over the weeks,
    long-term paid creators and the advocate programme (its running cost)."""
    return recommend(
        CampaignBrief(goal=Goal.BRAND_AWARENESS, weeks=26, budget=60_000, advocates=400)
    )


@pytest.fixture(scope="module")
def launch() -> Plan:
    return recommend(
        CampaignBrief(goal=Goal.PRODUCT_LAUNCH, weeks=8, budget=20_000, currency="EUR")
    )


def weekly_spend(plan: Plan) -> list[float]:
    """The calendar's spend per week, summed from its entries."""
    out = [0.0] * plan.brief.weeks
    for e in plan.calendar:
        out[e.week - 1] += e.spend
    return out


def cumulative(values: list[float]) -> list[float]:
    total, out = 0.0, []
    for v in values:
        total += v
        out.append(round(total, 2))
    return out


def assert_spend_matches(plan: Plan) -> None:
    calendar = cumulative(weekly_spend(plan))
    series = plan.recommended.spend
    assert len(calendar) == len(series)
    for week, (a, b) in enumerate(zip(calendar, series, strict=True), start=1):
        assert abs(a - b) < 0.005, (week, a, b)
    for e in plan.calendar:
        assert round(e.spend, 2) == e.spend  # whole cents


# --- the core ------------------------------------------------------------------------------


def test_calendar_spend_equals_plan_spend_to_the_cent(awareness_mix, launch, sample) -> None:
    event = recommend(
        CampaignBrief(goal=Goal.EVENT, weeks=16, budget=30_000, advocates=200), creators=sample
    )
    contest = recommend(CampaignBrief(goal=Goal.CONTEST, weeks=8, budget=8_000))
    for plan in (awareness_mix, launch, event, contest):
        assert plan.calendar
        assert_spend_matches(plan)
        # ... and the whole spend is the plan's
        assert sum(weekly_spend(plan)) == pytest.approx(plan.brief.budget - plan.reserve, abs=0.02)
    # the programme's running cost is in the calendar when the programme is funded
    assert awareness_mix.programme
    programme = [e for e in awareness_mix.calendar if e.relationship == "programme"]
    assert len(programme) == 26 and all(e.posts == 0 for e in programme)
    total = sum(e.spend for e in programme)
    fixed = awareness_mix.ambassador.setup + awareness_mix.ambassador.platform
    assert total == pytest.approx(fixed, abs=0.01 * 26)  # at most an odd cent a week


def test_calendar_posts_add_up_to_the_lines(awareness_mix, launch) -> None:
    for plan in (awareness_mix, launch):
        for line in plan.lines:
            mine = [
                e
                for e in plan.calendar
                if (e.relationship, e.platform, e.tier, e.handle)
                == (line.relationship, line.platform, line.tier, line.handle)
            ]
            assert sum(e.posts for e in mine) == pytest.approx(line.posts, abs=0.02 * len(mine))


def test_awareness_spreads_whole_creators_over_the_weeks(awareness_mix) -> None:
    weeks = awareness_mix.brief.weeks
    short = [x for x in awareness_mix.lines if x.relationship == "influencer"]
    assert short and sum(x.units for x in short) >= weeks  # enough to start some every week
    starts = Counter()
    for line in short:
        mine = [
            e
            for e in awareness_mix.calendar
            if e.relationship == "influencer" and (e.platform, e.tier) == (line.platform, line.tier)
        ]
        assert all(e.creators == int(e.creators) and e.creators >= 1 for e in mine)
        assert sum(e.creators for e in mine) == line.units  # every creator starts once
        for e in mine:
            assert e.posts == e.creators * 2  # each posts both their posts in their week
            starts[e.week] += int(e.creators)
    assert sorted(starts) == list(range(1, weeks + 1))  # some start every week ...
    assert max(starts.values()) - min(starts.values()) <= 1  # ... in turn, evenly


def test_listed_awareness_creators_get_concrete_weeks_by_name(sample) -> None:
    plan = recommend(
        CampaignBrief(goal=Goal.BRAND_AWARENESS, weeks=12, budget=20_000), creators=sample
    )
    short = [x.handle for x in plan.lines if x.relationship == "influencer"]
    assert len(short) >= 2
    entries = [e for e in plan.calendar if e.relationship == "influencer"]
    assert sorted(e.handle for e in entries) == sorted(short)  # each named once
    assert all(e.creators == 1 and e.posts == 2 for e in entries)
    weeks = [e.week for e in entries]
    assert min(weeks) == 1 and len(set(weeks)) == len(weeks)  # in turn, from week 1
    assert_spend_matches(plan)


def test_listed_advocates_are_counted_per_platform_and_tier(sample) -> None:
    plan = recommend(
        CampaignBrief(goal=Goal.BRAND_AWARENESS, weeks=26, budget=60_000, advocates=400), sample
    )
    advocates = [x for x in plan.lines if x.relationship == "advocate"]
    assert len(advocates) > 20 and all(x.handle for x in advocates)
    entries = [e for e in plan.calendar if e.relationship == "advocate"]
    assert all(e.handle is None for e in entries)
    keys = [(e.week, e.platform, e.tier) for e in entries]
    assert len(keys) == len(set(keys))  # one entry per week, platform and tier
    assert len(entries) <= 26 * len({(x.platform, x.tier) for x in advocates})
    assert sum(e.posts for e in entries) == pytest.approx(sum(x.posts for x in advocates), rel=0.01)
    # paid creators keep their names, one entry a week each
    faces = [e for e in plan.calendar if e.relationship == "face"]
    assert faces and all(e.handle and e.creators == 1 for e in faces)
    assert_spend_matches(plan)


def test_launch_bursts_in_the_first_weeks_and_says_so(launch) -> None:
    posting = {e.week for e in launch.calendar if e.relationship == "influencer" and e.posts}
    assert posting == {1, 2}
    note = next(n for n in launch.notes if n.key == "burst_weeks")
    assert note.values["first"] == 1 and note.values["last"] == 2
    assert note.values["shape"] == "launch"
    text = ex.note_text(note, launch, "en")
    assert "weeks 1–2" in text and "8 weeks" in text
    assert "semaines 1 à 2" in ex.note_text(note, launch, "fr")


def test_burst_note_names_the_long_term_weeks(awareness_mix) -> None:
    # an awareness plan with creators starting every week has no burst to explain
    assert burst_note(awareness_mix) is None
    assert not any(n.key == "burst_weeks" for n in awareness_mix.notes)
    # the same relationships as a launch: short-burst posts in weeks 1-2, the others go on
    brief = awareness_mix.brief.model_copy(update={"goal": Goal.PRODUCT_LAUNCH})
    calendar = [e for e in awareness_mix.calendar if e.relationship != "influencer" or e.week <= 2]
    plan = awareness_mix.model_copy(update={"brief": brief, "calendar": calendar})
    note = burst_note(plan)
    assert note is not None
    assert (note.values["first"], note.values["last"], note.values["end"]) == (1, 2, 26)
    text = ex.note_text(note, plan, "en")
    assert "weeks 1–2" in text and "through week 26" in text
    assert "jusqu'à la semaine 26" in ex.note_text(note, plan, "fr")


def test_appearances_are_paid_and_shown_on_the_event_week() -> None:
    search = Search.of(CampaignBrief(goal=Goal.EVENT, weeks=16, budget=30_000, advocates=200))
    menu = search.options.menu
    appear = int(np.flatnonzero(menu.relationship == APPEARANCE)[0])
    short = int(np.flatnonzero(menu.relationship == INFLUENCER)[0])
    assert menu.spend_profile[appear].tolist() == [0.0] * 15 + [1.0]
    units = np.zeros(menu.size)
    units[[appear, short]] = [2, 3]
    a = search.evaluate(units, programme=False)
    spend = (np.cumsum(search.deliver(a).spend_weekly_usd) * search.fx).round(2).tolist()
    entries = posting_calendar(search, a, spend)
    shown = [e for e in entries if e.relationship == "appearance"]
    assert [(e.week, e.creators, e.posts) for e in shown] == [(16, 2, 0)]
    assert shown[0].spend == pytest.approx(2 * menu.unit_cost[appear] * search.fx, abs=0.01)
    assert {e.week for e in entries if e.relationship == "influencer"} == {15, 16}


def test_calendar_survives_a_json_trip(awareness_mix) -> None:
    again = Plan.model_validate_json(awareness_mix.model_dump_json())
    assert again == awareness_mix
    assert again.calendar == awareness_mix.calendar


# --- the downloads -------------------------------------------------------------------------


def test_next_monday() -> None:
    assert next_monday(date(2026, 12, 9)) == date(2026, 12, 14)  # a Wednesday
    assert next_monday(date(2026, 12, 7)) == date(2026, 12, 14)  # a Monday: the next one
    assert next_monday().weekday() == 0


def test_csv_in_french(launch) -> None:
    text = calendar_csv(launch, "fr", START).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    header = rows[0]
    assert header[0] == t("export.calendar.week", "fr") == "Semaine"
    assert header[-1] == "Dépenses de la semaine (EUR)"
    assert t("export.calendar.posts", "fr") in header
    body = rows[1:]
    assert len(body) == len(launch.calendar)
    first = body[0]
    assert first[1] == "4 janv. 2027" and first[2] == "10 janv. 2027"
    assert first[3] == "Influenceurs ponctuels"
    spend = [float(r[-1].replace(",", ".")) for r in body]
    assert sum(spend) == pytest.approx(sum(weekly_spend(launch)))
    assert any("," in r[-1] for r in body)  # decimal comma


def test_csv_neutralises_formulas(launch) -> None:
    evil = CalendarEntry(
        week=1, relationship="influencer", platform="tiktok", tier="micro",
        handle='=HYPERLINK("http://evil","x")', creators=1, posts=2, spend=10.0,
    )  # fmt: skip
    plan = launch.model_copy(update={"calendar": [evil]})
    text = calendar_csv(plan, "en", START).decode("utf-8-sig")
    assert "'=HYPERLINK" in text
    frame = calendar_frame(plan, "en", START)
    assert frame.iloc[0, 6] == evil.handle  # the table keeps the data as it is


def test_ics_parses_and_its_weeks_match_the_weekly_spend(awareness_mix) -> None:
    raw = calendar_ics(awareness_mix, "en", START)
    cal = Calendar.from_ical(raw)
    events = list(cal.walk("VEVENT"))
    assert len(events) == len(awareness_mix.calendar)
    by_week = [0.0] * awareness_mix.brief.weeks
    for ev in events:
        first = ev.decoded("dtstart")
        assert type(first) is date  # all-day
        assert ev.decoded("dtend") - first == timedelta(days=7)
        week = (first - START).days // 7 + 1
        assert (first - START).days % 7 == 0
        by_week[week - 1] += float(str(ev.get(SPEND_PROPERTY)))
        assert str(ev.get("summary"))
    assert cumulative(by_week) == pytest.approx(awareness_mix.recommended.spend, abs=0.005)
    summaries = [str(ev.get("summary")) for ev in events]
    assert any(s.startswith("Short-burst influencers · ") and "posts" in s for s in summaries)
    assert len({str(ev.get("uid")) for ev in events}) == len(events)


def test_ics_names_listed_creators_in_french(sample) -> None:
    plan = recommend(CampaignBrief(goal=Goal.PRODUCT_LAUNCH, weeks=6, budget=10_000), sample)
    events = list(Calendar.from_ical(calendar_ics(plan, "fr", START)).walk("VEVENT"))
    handles = {x.handle for x in plan.lines if x.handle}
    summaries = " ".join(str(ev.get("summary")) for ev in events)
    assert handles and all(h in summaries for h in handles)
    assert "publications" in summaries or "publication" in summaries


# --- the page ------------------------------------------------------------------------------


@pytest.mark.timeout(300)
def test_page_shows_the_calendar_and_its_downloads() -> None:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["lang"] = "fr"
    at.query_params["goal"] = "product_launch"
    at.query_params["weeks"] = "8"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    headers = [h.value for h in at.main.header]
    assert t("section.calendar", "fr") in headers
    # shown on request: closed, the calendar is not built; the visitor opens it
    assert not [d for d in at.date_input if d.label == t("calendar.start", "fr")]
    assert t("lazy.calendar", "fr") in [e.label for e in at.main.expander]
    at.session_state[OPEN_KEYS["calendar"]] = True
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    labels = [b.label for b in at.download_button]
    assert t("download.calendar_csv", "fr") in labels
    assert t("download.calendar_ics", "fr") in labels
    picker = [d for d in at.date_input if d.label == t("calendar.start", "fr")]
    assert len(picker) == 1 and picker[0].value.weekday() == 0
    table = next(
        df.value for df in at.dataframe if t("export.calendar.week", "fr") in df.value.columns
    )
    assert "Influenceurs ponctuels" in set(table[t("export.calendar.relationship", "fr")])
    # another start date moves the weeks
    picker[0].set_value(START).run()
    assert not at.exception
    table = next(
        df.value for df in at.dataframe if t("export.calendar.week", "fr") in df.value.columns
    )
    assert table[t("export.calendar.starts", "fr")].iloc[0] == "4 janv. 2027"


def _starts_one_by_one(menu: Menu, units: np.ndarray) -> np.ndarray:
    """`Menu.starts` written unit by unit: each spread option's whole units in turn, ordered
    by (rank + 1/2) / units (ties by option), as many started by week w as presence says."""
    out = np.zeros((menu.size, menu.weeks))
    whole = np.floor(units + 1e-9)
    for k in np.unique(menu.timing[menu.spread()]):
        mine = [int(i) for i in np.flatnonzero((menu.timing == k) & (whole > 0))]
        order = sorted(((j + 0.5) / whole[i], i) for i in mine for j in range(int(whole[i])))
        started = np.ceil(len(order) * menu.timings[k].presence - 1e-9).astype(int)
        started[-1] = len(order)
        for n, (_, i) in enumerate(order):
            week = int(np.searchsorted(started, n, side="right"))
            out[i, min(week, menu.weeks - 1)] += 1
    return out


@settings(max_examples=40, deadline=None)
@given(
    weeks=st.sampled_from([4, 13, 26, 52]),
    seed=st.integers(0, 2**16),
    scale=st.sampled_from([1, 3, 10, 40]),
)
def test_creators_start_in_turn_as_written_unit_by_unit(weeks: int, seed: int, scale: int) -> None:
    menu = Search.of(
        CampaignBrief(goal="brand_awareness", budget=60_000, weeks=weeks, advocates=300)
    ).options.menu
    rng = np.random.default_rng(seed)
    units = np.floor(rng.random(menu.size) * scale) * (rng.random(menu.size) < 0.5)
    units = np.minimum(
        units + rng.random(menu.size) * (rng.random(menu.size) < 0.2), menu.max_units
    )
    starts = menu.starts(units)
    assert np.array_equal(starts, _starts_one_by_one(menu, units))
    spread = menu.spread()
    assert np.array_equal(starts[spread].sum(axis=1), np.floor(units[spread] + 1e-9))
