"""A campaign's real results held against its plan: week by week and figure by figure.

Results (`advisor.creators.results.ResultsLoad`) are compared with the recommended
projection at the last week they cover, so a campaign half way through is judged against
half a campaign:

- people reached: the running sum of the results' reach against the plan's cumulative
  p10–p50–p90 at that week (the chart's band);
- impressions, engagements, clicks and orders: the plan's final p10–p50–p90 scaled by the
  share of its median impressions (impressions) or engagements (the others) reached by that
  week;
- spend and posts: the plan's own figures to that week (no band: the plan decides them).

A figure is `inside` when p10 ≤ actual ≤ p90; the share of banded figures inside is the
plan's calibration (about 80% across campaigns when the bands are honest).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from advisor.advice.plan import Plan
from advisor.creators.results import ResultsLoad

Verdict = Literal["below", "inside", "above", "none", "missing"]
BANDED: tuple[str, ...] = ("reach", "impressions", "engagements", "clicks", "orders")
TABLE: tuple[str, ...] = ("reach", "impressions", "engagements", "clicks", "orders", "spend")


@dataclass(frozen=True)
class FigureCheck:
    """One figure of the results against the plan (`p10`/`p90` None: the plan sets it)."""

    key: str
    actual: float | None
    p10: float | None
    p50: float
    p90: float | None

    @property
    def verdict(self) -> Verdict:
        if self.actual is None:
            return "missing"
        if self.p10 is None or self.p90 is None:
            return "none"
        if self.actual < self.p10:
            return "below"
        if self.actual > self.p90:
            return "above"
        return "inside"


@dataclass(frozen=True)
class WeekPoint:
    """Cumulative people reached by the end of `week`: the results' and the plan's band."""

    week: int
    actual: float
    p10: float
    p50: float
    p90: float

    @property
    def inside(self) -> bool:
        return self.p10 <= self.actual <= self.p90


@dataclass(frozen=True)
class Comparison:
    """Results against a plan: the table's figures, the chart's weekly points, the week."""

    week: int
    figures: list[FigureCheck]
    weeks: list[WeekPoint]
    planned_posts: float

    def figure(self, key: str) -> FigureCheck:
        return next(f for f in self.figures if f.key == key)

    @property
    def banded(self) -> list[FigureCheck]:
        """Figures with a band and an actual value (what calibration counts)."""
        return [f for f in self.figures if f.verdict in ("below", "inside", "above")]

    @property
    def inside(self) -> int:
        return sum(f.verdict == "inside" for f in self.banded)

    @property
    def total(self) -> int:
        return len(self.banded)


def _share(series: list[float], week: int) -> float:
    """Share of a cumulative median series reached by the end of `week`."""
    final = series[-1] if series else 0.0
    return float(series[week - 1] / final) if final > 0 else 1.0


def compare(plan: Plan, results: ResultsLoad) -> Comparison:
    """`results` against `plan`'s recommended projection (see the module docstring)."""
    rec = plan.recommended
    weeks = len(rec.week)
    last = int(min(max(results.weeks, 1), weeks)) if weeks else 1
    totals = results.totals()
    weekly = results.weekly()
    points: list[WeekPoint] = []
    if totals["reach"] is not None and weeks:
        running = np.nancumsum(weekly["reach"].to_numpy(dtype=float))
        for i, value in enumerate(running[:weeks]):
            points.append(
                WeekPoint(i + 1, float(value), rec.reach_p10[i], rec.reach_p50[i], rec.reach_p90[i])
            )
    imp_share = _share(rec.impressions_p50, last) if weeks else 1.0
    eng_share = _share(rec.engagements_p50, last) if weeks else 1.0
    figures = [
        FigureCheck(
            "reach",
            totals["reach"],
            rec.reach_p10[last - 1] if weeks else 0.0,
            rec.reach_p50[last - 1] if weeks else 0.0,
            rec.reach_p90[last - 1] if weeks else 0.0,
        ),
        _scaled("impressions", totals["impressions"], rec.impressions, imp_share),
        _scaled("engagements", totals["engagements"], rec.engagements, eng_share),
        _scaled("clicks", totals["clicks"], rec.clicks, eng_share),
        _scaled("orders", totals["orders"], rec.sales, eng_share),
        FigureCheck("spend", totals["spend"], None, rec.spend[last - 1] if weeks else 0.0, None),
    ]
    posts = float(sum(line.posts for line in plan.lines)) * imp_share
    return Comparison(last, figures, points, posts)


def _scaled(key: str, actual: float | None, band: object, share: float) -> FigureCheck:
    return FigureCheck(
        key,
        actual,
        band.p10 * share,  # type: ignore[attr-defined]
        band.p50 * share,  # type: ignore[attr-defined]
        band.p90 * share,  # type: ignore[attr-defined]
    )


@dataclass(frozen=True)
class Coverage:
    """Over campaigns with results: how many banded figures fell inside p10–p90."""

    inside: int
    total: int

    @property
    def share(self) -> float | None:
        return self.inside / self.total if self.total else None


def coverage(comparisons: list[Comparison]) -> Coverage:
    return Coverage(sum(c.inside for c in comparisons), sum(c.total for c in comparisons))


__all__ = ["Comparison", "Coverage", "FigureCheck", "WeekPoint", "compare", "coverage"]
