"""The numbers behind the plan's pictures, once: what the page's plotly charts and the PDF report
both draw. Neither picture chooses its own series, points, scale or audience line.

No drawing library here: `charts` turns these into plotly figures, `report_chart` into fpdf
strokes, so a fix to what is shown (a line hidden under another, the week-0 origin, where the
axis stops) changes both at once.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from advisor.advice.plan import Plan

AUDIENCE_LINE_FROM = 0.5  # the audience is drawn once the highest p90 reaches half of it


@dataclass(frozen=True)
class ReachLine:
    """One strategy's cumulative reach, week 0 (nobody yet) to the last week.

    `same_as`: the pure strategies whose median line is this one (the plan spends everything
    on one side), drawn once and named in the legend."""

    strategy: str
    week: tuple[int, ...]
    p10: tuple[float, ...]
    p50: tuple[float, ...]
    p90: tuple[float, ...]
    same_as: tuple[str, ...] = ()

    @property
    def final(self) -> float:
        return self.p50[-1] if self.p50 else 0.0


@dataclass(frozen=True)
class ReachFigure:
    """The reach chart: lines (the recommended plan first), the audience line when the reach
    comes near it, the value axis' top and gridlines, and the number of weeks."""

    lines: tuple[ReachLine, ...]
    audience: float | None
    weeks: int
    top: float
    ticks: tuple[float, ...]
    samples: int

    def line(self, strategy: str) -> ReachLine | None:
        return next((x for x in self.lines if x.strategy == strategy), None)


def reach_figure(plan: Plan) -> ReachFigure:
    """The weekly reach series as drawn: a pure strategy whose median equals the plan's is
    folded into the plan's line, a strategy that reaches nobody is left out."""
    proj = plan.projection
    series = {s.strategy: s for s in proj.series}
    rec = series.get("recommended")
    order = ["recommended"] + [s.strategy for s in proj.series if s.strategy != "recommended"]
    lines: list[ReachLine] = []
    same_as: list[str] = []
    for name in order:
        s = series.get(name)
        if s is None or not any(s.reach_p90):
            continue  # nothing to draw (no budget or no advocates for this strategy)
        if rec is not None and name != "recommended" and s.reach_p50 == rec.reach_p50:
            same_as.append(name)
            continue  # the plan is this strategy: one line, not two on top of each other
        lines.append(
            ReachLine(
                strategy=name,
                week=(0, *s.week),
                p10=(0.0, *s.reach_p10),
                p50=(0.0, *s.reach_p50),
                p90=(0.0, *s.reach_p90),
            )
        )
    if lines and lines[0].strategy == "recommended" and same_as:
        first = lines[0]
        lines[0] = ReachLine(
            first.strategy, first.week, first.p10, first.p50, first.p90, tuple(same_as)
        )
    peak = max((max(x.p90) for x in lines), default=0.0)
    audience = float(proj.audience) if peak >= AUDIENCE_LINE_FROM * proj.audience else None
    ticks = value_ticks(max(peak, audience or 0.0, 100.0))
    return ReachFigure(
        lines=tuple(lines),
        audience=audience,
        weeks=max(proj.weeks, 1),
        top=ticks[-1],
        ticks=ticks,
        samples=proj.samples,
    )


def nice_step(top: float, ticks: int = 4) -> float:
    """A round gridline step (1, 2, 2.5 or 5 x 10^k) giving about `ticks` intervals up to `top`."""
    raw = max(top, 1e-9) / ticks
    magnitude = 10 ** math.floor(math.log10(raw))
    return next(m * magnitude for m in (1, 2, 2.5, 5, 10) if raw <= m * magnitude * (1 + 1e-9))


def value_ticks(top: float, ticks: int = 4, bottom: float = 0.0) -> tuple[float, ...]:
    """Round gridlines from `bottom` (0 or below) to the first one at or above `top`."""
    step = nice_step(max(top - bottom, 1e-9), ticks)
    first = math.floor(bottom / step + 1e-9)
    last = max(math.ceil(top / step - 1e-9), first + 1)
    return tuple(round(i * step, 12) + 0.0 for i in range(first, last + 1))


def week_step(weeks: int) -> int:
    """Week ticks: every week up to 6, then 2, 4, 8, 13, 26 or 52 (six or fewer labels)."""
    return next((s for s in (1, 2, 4, 8, 13, 26, 52) if weeks / s <= 6), 52)


@dataclass(frozen=True)
class BudgetSlice:
    """One slice of the budget: `side` is influencer or ambassador, `key` the side itself (the
    inner ring) or a tier / programme line inside it; `share` is of the whole budget spent."""

    side: str
    key: str
    value: float
    share: float

    @property
    def is_side(self) -> bool:
        return self.key == self.side


def budget_slices(plan: Plan) -> list[BudgetSlice]:
    """Where the money goes: each side with spend, then its tiers or programme lines."""
    raw: list[tuple[str, str, float]] = []
    if plan.influencer.spend > 0:
        raw.append(("influencer", "influencer", plan.influencer.spend))
        raw += [
            ("influencer", f"tier.{x.tier}", x.spend) for x in plan.influencer.tiers if x.spend > 0
        ]
    if plan.ambassador.spend > 0:
        raw.append(("ambassador", "ambassador", plan.ambassador.spend))
        raw += [("ambassador", f"budget.{k}", v) for k, v in ambassador_lines(plan)]
    total = sum(v for side, key, v in raw if side == key) or 1.0
    return [BudgetSlice(side, key, value, value / total) for side, key, value in raw]


def ambassador_lines(plan: Plan) -> list[tuple[str, float]]:
    """The ambassador side's cost lines that are not zero, in a fixed order."""
    a = plan.ambassador
    lines = (
        ("setup", a.setup),
        ("platform", a.platform),
        ("perks", a.perks),
        ("management", a.management),
        ("commissions", a.commissions),
        ("appearances", a.appearances_spend),
        ("brand_faces", a.brand_faces_spend),
    )
    return [(k, v) for k, v in lines if v > 0]
