"""The posting calendar: who posts what and when, week by week, from the engine's own schedule.

Each bought option's posts per week come from its `Timing` (cumulative posts and presence) and
its money per week from `Menu.weekly_spend` (the very function the projection's weekly spend is
summed from), plus the programme's running cost (`Menu.fixed_profile`) when it is funded. So
the calendar cannot disagree with the plan: its entries add up, week by week and to the cent,
to the recommended plan's cumulative spend.

Short-burst creators spread over an awareness campaign start in turn (`Menu.starts`): the
calendar shows the whole creators starting each week, and names paid creators when planning with
a list; listed advocates (each a fraction of an expected active advocate a week) are counted per
platform and tier.
"""

from __future__ import annotations

import numpy as np
from pydantic import TypeAdapter

from advisor.advice.plan import RELATIONSHIP_ORDER, CalendarEntry
from advisor.advice.search import Search
from advisor.model.economics import advocate_active
from advisor.model.engine import Allocation
from advisor.model.menu import ADVOCATE, APPEARANCE

_ENTRIES = TypeAdapter(list[CalendarEntry])
_ORDER: dict[str, int] = {
    **{r: k for k, r in enumerate(RELATIONSHIP_ORDER)},
    "programme": len(RELATIONSHIP_ORDER),
}


def posting_calendar(search: Search, a: Allocation, spend: list[float]) -> list[CalendarEntry]:
    """The calendar of allocation `a`; `spend` is its projected cumulative weekly spend in the
    brief's currency (`StrategySeries.spend`), which the entries' cents add up to."""
    menu, opts, fx, fig = search.options.menu, search.options, search.fx, search.fig
    weeks = menu.weeks
    act = fig.s.ambassador_activation_rate
    money = menu.weekly_spend(a.units) * fx
    starts = menu.starts(a.units)
    spread = menu.spread()
    ramp = advocate_active(weeks, fig)
    rows: list[tuple[int, dict, float]] = []  # (week index, fields, exact spend)
    cells: dict[tuple, list] = {}  # (relationship, platform, tier, handle) -> weekly sums
    for i in np.flatnonzero(a.units > 0):
        rel, platform, tier = opts.names(int(i))
        t = menu.timings[int(menu.timing[i])]
        units = float(a.units[i])
        code = int(menu.relationship[i])
        listed_advocate = code == ADVOCATE and menu.row[i] >= 0
        if listed_advocate:
            units *= act  # a listed advocate is invited: expected active
        per_unit = np.diff(t.presence * t.posts, prepend=0.0)
        if spread[i]:  # whole creators start in turn, each with all their posts
            whole = starts[i]
            rest = units - whole.sum()
            posts = whole * t.posts[-1] + rest * per_unit
            creators = whole + rest * np.diff(t.presence, prepend=0.0)
        else:
            posts = units * per_unit
            if code == ADVOCATE:
                creators = units * ramp
            elif code == APPEARANCE:
                creators = np.where(money[i] > 1e-9, units, 0.0)
            else:
                creators = np.where(posts > 1e-9, units, 0.0)
        # listed advocates are each a fraction of an expected active one a week: the calendar
        # counts them per platform and tier (their names are in the plan's creators)
        key = (rel, platform, tier, None if listed_advocate else opts.handles[i])
        line = None if listed_advocate else opts.lines[i]
        zero = np.zeros(weeks)
        got = cells.setdefault(key, [line, zero, zero, zero])
        got[1:] = [got[1] + creators, got[2] + posts, got[3] + money[i]]
    for (rel, platform, tier, handle), (line, creators_w, posts_w, money_w) in cells.items():
        fields = {"relationship": rel, "platform": platform, "tier": tier, "handle": handle}
        shown = (creators_w > 0.005) | (posts_w > 0.005) | (money_w >= 0.005)
        for w in np.flatnonzero(shown).tolist():
            values = {"line": line, "creators": round(float(creators_w[w]), 2),
                      "posts": round(float(posts_w[w]), 2)}  # fmt: skip
            rows.append((w, {**fields, **values}, float(money_w[w])))
    if a.programme:
        for w in range(weeks):
            fixed = float(menu.fixed_profile[w]) * fx
            if fixed >= 0.005:
                rows.append((w, {"relationship": "programme", "creators": 0, "posts": 0}, fixed))
    cents = _cents(rows, spend, weeks)
    entries = _ENTRIES.validate_python(  # one validation call for every entry
        [
            {**f, "week": w + 1, "spend": c / 100, "posts": float(f["posts"])}
            for (w, f, _), c in zip(rows, cents, strict=True)
        ]
    )
    return sorted(entries, key=lambda e: (e.week, _ORDER[e.relationship], -e.spend, e.handle or ""))


def _cents(rows: list[tuple[int, dict, float]], spend: list[float], weeks: int) -> list[int]:
    """Each row's spend in whole cents (rounded), so that each week's rows add up to what the
    cumulative series adds that week: an odd cent goes to the rows rounded furthest."""
    out = [0] * len(rows)
    total = [round(x * 100) for x in spend] if spend else [0] * weeks
    by_week: dict[int, list[int]] = {}
    for k, r in enumerate(rows):
        by_week.setdefault(r[0], []).append(k)
    for w in range(weeks):  # a few rows a week: plain floats (numpy costs more on these)
        mine = by_week.get(w)
        if not mine:
            continue
        exact = [rows[k][2] * 100 for k in mine]
        cents = [round(x) for x in exact]  # half to even, as np.round
        left = total[w] - (total[w - 1] if w else 0) - sum(cents)
        error = [x - c for x, c in zip(exact, cents, strict=True)]  # > 0: rounded down
        sign = -1.0 if left > 0 else 1.0
        order = sorted(range(len(mine)), key=lambda j: sign * error[j])  # stable
        for n in range(abs(left)):
            cents[order[n % len(order)]] += 1 if left > 0 else -1
        for k, c in zip(mine, cents, strict=True):
            out[k] = max(int(c), 0)
    return out


def burst_weeks(entries: list[CalendarEntry]) -> tuple[int, int] | None:
    """First and last week short-burst creators post in, or None when they post in none."""
    weeks = [e.week for e in entries if e.relationship == "influencer" and e.posts > 0]
    return (min(weeks), max(weeks)) if weeks else None


__all__ = ["burst_weeks", "posting_calendar"]
