"""How much to spend: response curves and flexible budgets (no Streamlit here).

**Response curves.** `response_curves(brief)` plans the brief at budgets from a quarter to four
times its own (17 points, a constant ratio r = 2^(1/4) apart, the brief's budget the middle
one) and gives each plan's objective p10/p50/p90: one curve per relationship family (short-burst
influencers only, long-term paid creators only, the advocate programme only) and one for the
recommended plan (every option). The menu and its matrices do not depend on the budget, so they
are built once (with a creator list, for the largest budget: its core of creators covers every
smaller budget) and the engine allocates once per budget and family, without the final local
search (`allocate(..., polish=False)`) except at the brief's own budget, where the recommended
point is chosen exactly as `Search.best()` chooses the plan. Each allocation is judged by its
median objective over all the plan's draws (`Search.evaluate`), and its p10/p90 are taken on
the same draws from the same matrices (`outcomes`: the figure `Search.deliver(a).objective`
gives, without the weekly series, which would cost ten times more). The recommended plan at a
budget is the best of the every-option and the single-family allocations.

*Monotone by construction, honestly:* a larger budget can always buy a smaller budget's plan,
so when the best allocation found at a larger budget has a lower median than the plan kept at
the budget below, the curve keeps that smaller budget's *allocation* (its spend, band and
`carried=True`). The p50 is therefore a running maximum of real plans, never an interpolation.

**The knee.** On a curve's p50 (budgets b_i, results y_i), the marginal cost of a result on the
step ending at b_i is (b_i - b_(i-1)) / (y_i - y_(i-1)) (infinite when the step buys nothing),
and its average cost is b_i / y_i. A step is *dear* when y_i > 0 and its marginal cost is at
least twice its average cost (a local elasticity of results to budget of 1/2 or less). The knee
is the first budget b_i from which every step is dear: from there on, each further result costs
at least twice what the results bought so far cost on average. (A single dear step followed by
cheaper ones, e.g. before an option that pays only at scale, is not a knee.) None when the last
step is not dear. Budgets, not spend: it is what the marketer chooses.

The flexible-budget questions built on these curves live in `advisor.advice.budgets`.
"""

from __future__ import annotations

import math
from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from advisor.advice.search import Creators, Search
from advisor.model.assumptions import Assumptions
from advisor.model.brief import CampaignBrief
from advisor.model.engine import Allocation, allocate
from advisor.model.menu import ADVOCATE, APPEARANCE, FACE, INFLUENCER, Menu
from advisor.model.projection import SAMPLES
from advisor.model.threads import one_blas_thread

POINTS = 17  # budgets on a curve: 1/4x to 4x the brief's, 2^(1/4) apart
LOW, HIGH = 0.25, 4.0
STEP = 2.0**0.25  # r: the curve's step, and the step a marginal cost is measured on
KNEE_RATIO = 2.0  # marginal cost / average cost at the knee
LIMIT = 10.0  # flexible budgets look up to 10x the brief's budget
FLOOR = 1.0 / 64  # ... and down to 1/64 of it
PRECISION = 0.005  # bisection stops when the bracket is within 0.5% (or one currency unit)

Family = Literal["recommended", "influencer", "face", "advocate"]
FAMILIES: tuple[Family, ...] = ("influencer", "face", "advocate")


def family_mask(menu: Menu, family: Family) -> np.ndarray:
    """Options of one relationship family (the advocate programme includes paid appearances
    at an event, bought only with the programme)."""
    rel = menu.relationship
    if family == "influencer":
        return rel == INFLUENCER
    if family == "face":
        return rel == FACE
    if family == "advocate":
        return (rel == ADVOCATE) | (rel == APPEARANCE)
    return np.ones(menu.size, bool)


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class CurvePoint(_Frozen):
    """The best plan found at one budget (money in the brief's currency)."""

    budget: float = Field(gt=0)
    spend: float = Field(ge=0, description="What the plan spends of the budget.")
    p10: float = Field(ge=0)
    p50: float = Field(ge=0)
    p90: float = Field(ge=0)
    carried: bool = Field(
        False, description="A smaller budget's plan: the best found here had a lower median."
    )


class Curve(_Frozen):
    family: Family
    points: list[CurvePoint]
    knee: float | None = Field(description="Budget of the knee (see the module docstring).")

    @property
    def budgets(self) -> list[float]:
        return [p.budget for p in self.points]

    @property
    def p50(self) -> list[float]:
        return [p.p50 for p in self.points]


class ResponseCurves(_Frozen):
    brief: CampaignBrief
    curves: list[Curve]

    @property
    def budget(self) -> float:
        """The brief's own budget (a point of every curve)."""
        return self.brief.budget

    @property
    def recommended(self) -> Curve:
        return self.curve("recommended")

    def curve(self, family: Family) -> Curve:
        return next(c for c in self.curves if c.family == family)


def knee(budgets: list[float], p50: list[float], ratio: float = KNEE_RATIO) -> float | None:
    """The first budget from which every step's marginal cost of a result is at least `ratio`
    times its average cost (see the module docstring); None when the last step is cheaper."""
    found = None
    for i in range(1, len(budgets)):
        y = p50[i]
        dy = y - p50[i - 1]
        marginal = (budgets[i] - budgets[i - 1]) / dy if dy > 0 else math.inf
        dear = y > 0 and marginal >= ratio * budgets[i] / y
        if not dear:
            found = None
        elif found is None:
            found = budgets[i]
    return found


def search_of(brief, creators, assumptions, samples, keep_flagged) -> Search:
    """A `Search` for the brief (or the one given)."""
    if isinstance(brief, Search):
        return brief
    return Search.of(brief, creators, assumptions, samples, keep_flagged)


def at_budget(search: Search, budget: float) -> Search:
    """The same list and assumptions for the brief with another budget (brief's currency)."""
    return search.variant(search.brief.model_copy(update={"budget": budget}))


def outcomes(search: Search, a: Allocation) -> np.ndarray:
    """An allocation's objective on each of the plan's draws, from the same matrices as
    `Search.evaluate` (its median is the allocation's p50) and the same figure as
    `Search.deliver(a).objective`, without the weekly series."""
    cols = np.flatnonzero(a.units > 0)
    if not len(cols):
        return np.zeros(search.draws.samples)
    co = search.full(cols)
    return co.value(co.state(a.units[cols]))[:, 0]


def _band(search: Search, a: Allocation) -> tuple[float, float, float]:
    q = np.percentile(outcomes(search, a), [10, 50, 90])
    return float(q[0]), float(q[1]), float(q[2])


@one_blas_thread
def response_curves(
    brief: CampaignBrief | Search,
    creators: Creators = None,
    assumptions: Assumptions | None = None,
    samples: int = SAMPLES,
    keep_flagged: bool = False,
    points: int = POINTS,
) -> ResponseCurves:
    """The best plan's objective p10/p50/p90 from a quarter to four times the brief's budget,
    per relationship family and for the recommended plan (see the module docstring). `brief`
    may be a prepared `Search` (its list, assumptions and draws are used)."""
    base = search_of(brief, creators, assumptions, samples, keep_flagged)
    brief = base.brief
    factors = 2.0 ** np.linspace(math.log2(LOW), math.log2(HIGH), points)
    budgets = [round(brief.budget * f, 2) for f in factors]
    own = int(np.argmin(np.abs(factors - 1.0)))
    budgets[own] = brief.budget
    search = base if base.source.table is None else at_budget(base, max(budgets))
    menu, fx = search.options.menu, search.fx
    families = [f for f in FAMILIES if (menu.max_units[family_mask(menu, f)] > 0).any()]
    menus = {f: menu.without(family_mask(menu, f)) for f in families}
    found: dict[Family, list[Allocation]] = {f: [] for f in ("recommended", *families)}
    for i, budget in enumerate(budgets):
        usd = budget / fx
        polish = i == own
        each = {f: search.evaluate(*_run(menus[f], search, usd, polish)) for f in families}
        for f in families:
            found[f].append(each[f])
        every = search.evaluate(*_run(menu, search, usd, polish))
        rivals = [each.get("influencer")]
        if polish:  # the plan's own rule (`Search.best`): every option, or one side only
            long = search.evaluate(
                *_run(menu.without(menu.relationship != INFLUENCER), search, usd)
            )
            rivals = [rivals[0], long]
        else:
            rivals += [each[f] for f in families if f != "influencer"]
        for other in rivals:
            if other is not None and other.objective_p50 > every.objective_p50 * (1 + 1e-9):
                every = other
        found["recommended"].append(every)
    curves = [_curve(search, f, budgets, found[f]) for f in ("recommended", *families)]
    return ResponseCurves(brief=brief, curves=curves)


def _run(menu: Menu, search: Search, usd: float, polish: bool = True) -> tuple[np.ndarray, bool]:
    a = allocate(menu, search.decision, usd, polish=polish)
    return a.units, a.programme


def _curve(search: Search, family: Family, budgets: list[float], found: list[Allocation]) -> Curve:
    """The running maximum of the plans (a larger budget can buy a smaller one's plan)."""
    out: list[CurvePoint] = []
    kept: tuple[Allocation, tuple[float, float, float]] | None = None
    for budget, a in zip(budgets, found, strict=True):
        carried = kept is not None and a.objective_p50 < kept[0].objective_p50
        if not carried:
            kept = (a, _band(search, a))
        assert kept is not None
        plan, (p10, _, p90) = kept
        p50 = plan.objective_p50
        out.append(
            CurvePoint(
                budget=budget,
                spend=round(min(plan.spend_usd * search.fx, budget), 2),
                p10=round(min(p10, p50), 2),
                p50=round(p50, 2),
                p90=round(max(p90, p50), 2),
                carried=carried,
            )
        )
    return Curve(
        family=family,
        points=out,
        knee=knee([p.budget for p in out], [p.p50 for p in out]),
    )


# --- flexible budgets ---------------------------------------------------------------------

__all__ = ["Curve", "CurvePoint", "ResponseCurves", "knee", "outcomes", "response_curves"]
