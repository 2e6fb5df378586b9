"""The posting calendar for people and for calendar apps: the page's table, a CSV and an .ics.

Everything is drawn from `Plan.calendar` (the engine's schedule, whose spend adds up to the
projection's): week w of the campaign runs from `start + 7 (w - 1)` days for seven days. The CSV
follows the exports' conventions (`advisor.present.exports`: the page's language for headers,
numbers and dates, formulas neutralised); the .ics holds one all-day event per week and line
(per named creator when planning with a list), its spend in the description and, for a
machine, in `X-CAMPAIGN-ADVISOR-SPEND` (brief currency, to the cent).
"""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, timedelta

import pandas as pd
from icalendar import Calendar, Event

from advisor.advice.plan import CalendarEntry, Plan
from advisor.locale.formatting import date_text, money_exact, number
from advisor.locale.i18n import t
from advisor.present.exports import to_csv_bytes

CSV_COLUMNS = (
    "week", "starts", "ends", "relationship", "platform", "tier", "handle", "creators", "posts",
    "spend",
)  # fmt: skip
SPEND_PROPERTY = "X-CAMPAIGN-ADVISOR-SPEND"


def next_monday(today: date | None = None) -> date:
    """The Monday after `today` (a week from today when today is a Monday)."""
    today = today or date.today()
    return today + timedelta(days=(7 - today.weekday()) % 7 or 7)


def week_start(start: date, week: int) -> date:
    return start + timedelta(days=7 * (week - 1))


def who(entry: CalendarEntry, lang: str) -> str:
    """'Short-burst influencers · TikTok · Micro · @handle' (the handle is data, as given)."""
    parts = [t(f"calendar.relationship.{entry.relationship}", lang)]
    if entry.platform:
        parts.append(t(f"platform.{entry.platform}", lang))
    if entry.tier and entry.relationship != "appearance":
        parts.append(t(f"tier.{entry.tier}", lang))
    if entry.handle:
        parts.append(entry.handle)
    return " · ".join(parts)


def _count(value: float) -> int | float:
    """Whole counts as integers (a CSV cell `3`, not `3.0`), expected ones to two decimals."""
    return round(value) if abs(value - round(value)) < 1e-9 else round(value, 2)


def calendar_frame(plan: Plan, lang: str, start: date, display: bool = False) -> pd.DataFrame:
    """One row per calendar entry with translated headers: numbers as numbers for the CSV, or
    formatted in the language (`display`) for the page."""
    cur = plan.brief.currency
    rows = []
    for e in plan.calendar:
        first = week_start(start, e.week)
        counts = (
            (number(e.creators, lang, _digits(e.creators)), number(e.posts, lang, _digits(e.posts)))
            if display
            else (_count(e.creators), _count(e.posts))
        )
        if display and e.relationship == "programme":
            counts = ("", "")  # running costs: nobody posts
        rows.append(
            [
                e.week if not display else number(e.week, lang),
                date_text(first, lang),
                date_text(first + timedelta(days=6), lang),
                t(f"calendar.relationship.{e.relationship}", lang),
                t(f"platform.{e.platform}", lang) if e.platform else "",
                t(f"tier.{e.tier}", lang) if e.tier and e.relationship != "appearance" else "",
                e.handle or "",
                *counts,
                round(e.spend, 2) + 0.0 if not display else money_exact(e.spend, cur, lang),
            ]
        )
    frame = pd.DataFrame(rows, columns=list(CSV_COLUMNS), dtype=object)
    if not display:
        frame["week"] = frame["week"].astype("Int64")
        frame["spend"] = frame["spend"].astype(float)
    if display and not any(e.handle for e in plan.calendar):
        frame = frame.drop(columns="handle")
    frame.columns = [
        t(f"export.calendar.{name}", lang, currency=str(cur)) for name in frame.columns
    ]
    return frame


def _digits(value: float) -> int:
    return 0 if abs(value - round(value)) < 1e-9 else 1


def calendar_csv(plan: Plan, lang: str, start: date) -> bytes:
    """The calendar CSV in `lang`: its headers, delimiter, decimal mark and dates."""
    return to_csv_bytes(calendar_frame(plan, lang, start), lang)


def _summary(e: CalendarEntry, lang: str) -> str:
    name = who(e, lang)
    if e.relationship == "programme":
        return t("calendar.event.programme", lang, who=name)
    creators = _counted(f"calendar.count.{e.relationship}", e.creators, lang)
    if e.posts <= 0:
        return t("calendar.event.quiet", lang, who=name, creators=creators)
    posts = _counted("calendar.count.posts", e.posts, lang)
    return t("calendar.event.posts", lang, who=name, creators=creators, posts=posts)


def _counted(key: str, value: float, lang: str) -> str:
    """'1 creator', '3 creators' (the singular key for exactly one)."""
    count = number(value, lang, _digits(value))
    return t(f"{key}.one" if abs(value - 1) < 1e-9 else key, lang, count=count)


def calendar_ics(plan: Plan, lang: str, start: date, stamp: datetime | None = None) -> bytes:
    """The calendar as an iCalendar file: one all-day event per week and line, lasting the
    week, titled in `lang` with who posts and how much, its spend in the description."""
    cal = Calendar()
    cal.add("prodid", "-//campaign-advisor//posting calendar//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", t("calendar.ics.name", lang))
    stamp = stamp or datetime.now(UTC)
    cur = plan.brief.currency
    seed = hashlib.sha256(plan.model_dump_json().encode()).hexdigest()[:16]
    for n, e in enumerate(plan.calendar):
        first = week_start(start, e.week)
        ev = Event()
        ev.add("uid", f"{seed}-{start.isoformat()}-{n}@campaign-advisor")
        ev.add("dtstamp", stamp)
        ev.add("dtstart", first)
        ev.add("dtend", first + timedelta(days=7))
        ev.add("summary", _summary(e, lang))
        ev.add(
            "description",
            t(
                "calendar.event.description",
                lang,
                week=number(e.week, lang),
                weeks=number(plan.brief.weeks, lang),
                money=money_exact(e.spend, cur, lang),
            ),
        )
        ev.add("transp", "TRANSPARENT")
        ev.add(SPEND_PROPERTY, f"{e.spend:.2f}")
        ev.add("x-campaign-advisor-currency", str(cur))
        cal.add_component(ev)
    return cal.to_ical()
