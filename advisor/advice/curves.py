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

**Flexible budgets.** `budget_for_target` answers "what budget reaches this objective with
probability p": the smallest budget whose recommended plan (`recommend` on the brief with that
budget, the same engine and draws) has its (1 - p) quantile of the objective at or above the
target. `budget_for_cost` answers "up to what budget does a result cost at most X": the largest
budget B whose marginal cost, (B - B/r) / (p50(B) - p50(B/r)) with the recommended plans at
both budgets, is at most X. Both solve by bracketing (doubling or halving from the brief's
budget) then bisecting on the budget (to 0.5% or one currency unit, budgets in whole units)
with the engine's own plan at every probe (`Search.best()` on the brief with that budget:
exactly what `recommend` plans there). The engine is a search, not an exact optimum: for a
target, the monotone envelope of the probes is what is bisected (a budget counts as reaching
the target when any probed budget at or below it does) and the budget returned is always a
probed one whose own plan reaches it; for a cost, the budget returned is a probed one whose
step costs at most X. So re-planning at the returned budget gives the answer's numbers. When no
budget up to ten times the brief's reaches the target, the answer says so
(`status="beyond_limit"`). Each probe is a full search (with the final local search): about
10-20 of them per question.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from advisor.advice.search import Creators, Search
from advisor.model.assumptions import Assumptions
from advisor.model.brief import MAX_BUDGET, CampaignBrief
from advisor.model.engine import Allocation, allocate
from advisor.model.menu import ADVOCATE, APPEARANCE, FACE, INFLUENCER, Menu
from advisor.model.projection import SAMPLES

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


def _search(brief, creators, assumptions, samples, keep_flagged) -> Search:
    if isinstance(brief, Search):
        return brief
    return Search.of(brief, creators, assumptions, samples, keep_flagged)


def _at_budget(search: Search, budget: float) -> Search:
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
    base = _search(brief, creators, assumptions, samples, keep_flagged)
    brief = base.brief
    factors = 2.0 ** np.linspace(math.log2(LOW), math.log2(HIGH), points)
    budgets = [round(brief.budget * f, 2) for f in factors]
    own = int(np.argmin(np.abs(factors - 1.0)))
    budgets[own] = brief.budget
    search = base if base.source.table is None else _at_budget(base, max(budgets))
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


Status = Literal["found", "beyond_limit", "below_floor"]


class BudgetAnswer(_Frozen):
    """A flexible-budget answer: the budget, the plan there (re-plan it with
    `recommend(answer.brief, ...)`), or why there is none (money in the brief's currency)."""

    question: Literal["target", "cost"]
    status: Status
    target: float | None = None
    probability: float | None = None
    max_cost: float | None = None
    limit: float = Field(description="The largest budget looked at: 10x the brief's.")
    floor: float = Field(description="The smallest budget looked at.")
    budget: float | None = None
    brief: CampaignBrief | None = Field(None, description="The brief at the budget found.")
    spend: float | None = None
    p10: float | None = None
    p50: float | None = None
    p90: float | None = None
    quantile: float | None = Field(None, description="The objective's (1 - p) quantile there.")
    marginal_cost: float | None = Field(
        None, description="Cost of a result on the step from budget / 2^(1/4) to the budget."
    )
    shares: dict[Family, float] = Field(
        default_factory=dict, description="Share of the spend per relationship family."
    )

    @property
    def found(self) -> bool:
        return self.status == "found"


@dataclass
class _Probe:
    """The recommended plan at any budget (whole currency units), computed once each."""

    base: Search
    seen: dict[float, tuple[Search, Allocation, np.ndarray]] = field(default_factory=dict)

    def __call__(self, budget: float) -> tuple[Search, Allocation, np.ndarray]:
        budget = _whole(budget)
        if budget not in self.seen:
            s = self.base if budget == self.base.brief.budget else _at_budget(self.base, budget)
            a = s.best()
            draws = outcomes(s, a)
            self.seen[budget] = (s, a, draws)
        return self.seen[budget]

    def p50(self, budget: float) -> float:
        return self(budget)[1].objective_p50


def _whole(budget: float) -> float:
    return float(min(max(math.ceil(budget - 1e-9), 1), MAX_BUDGET))


def _bisect(ok, lo: float, hi: float) -> float:
    """The smallest whole budget in (lo, hi] where `ok` holds, given not ok(lo) and ok(hi)."""
    while hi - lo > max(1.0, PRECISION * hi):
        mid = _whole(math.sqrt(lo * hi) if lo > 0 else hi / 2)
        if mid >= hi or mid <= lo:
            break
        if ok(mid):
            hi = mid
        else:
            lo = mid
    return hi


def _bracket(ok, start: float, floor: float, limit: float) -> tuple[float, float] | Status:
    """(lo, hi) with not ok(lo) and ok(hi), doubling up or halving down from `start`."""
    if ok(start):
        hi = start
        while True:
            lo = _whole(hi / 2)
            if lo < floor or lo >= hi:
                return "below_floor"
            if not ok(lo):
                return lo, hi
            hi = lo
    lo = start
    while lo < limit:
        hi = _whole(min(lo * 2, limit))
        if ok(hi):
            return lo, hi
        lo = hi
    return "beyond_limit"


def _answer(
    probe: _Probe,
    question: Literal["target", "cost"],
    status: Status,
    budget: float | None,
    floor: float,
    limit: float,
    **asked: float,
) -> BudgetAnswer:
    base = probe.base
    if budget is None:
        return BudgetAnswer(question=question, status=status, limit=limit, floor=floor, **asked)
    s, a, draws = probe(budget)
    p10, _, p90 = np.percentile(draws, [10, 50, 90])
    p = asked.get("probability")
    quantile = float(np.quantile(draws, 1 - p)) if p is not None else None
    below = _whole(budget / STEP)
    gain = a.objective_p50 - probe.p50(below)
    menu = s.options.menu
    money = a.units * menu.unit_cost
    spent = float(money.sum())
    shares: dict[Family, float] = {}
    for f in FAMILIES:
        share = float(money[family_mask(menu, f)].sum()) / spent if spent > 0 else 0.0
        if f == "advocate" and a.programme and spent > 0:
            share = (share * spent + menu.fixed_usd) / (spent + menu.fixed_usd)
        elif a.programme and spent > 0:
            share = share * spent / (spent + menu.fixed_usd)
        if share > 0:
            shares[f] = round(share, 4)
    return BudgetAnswer(
        question=question,
        status=status,
        limit=limit,
        floor=floor,
        budget=budget,
        brief=s.brief,
        spend=round(min(a.spend_usd * base.fx, budget), 2),
        p10=round(float(p10), 2),
        p50=round(a.objective_p50, 2),
        p90=round(float(p90), 2),
        quantile=None if quantile is None else round(quantile, 2),
        marginal_cost=round((budget - below) / gain, 4) if gain > 0 else None,
        shares=shares,
        **asked,
    )


def _range(brief: CampaignBrief) -> tuple[float, float]:
    return _whole(brief.budget * FLOOR), _whole(min(brief.budget * LIMIT, MAX_BUDGET))


def budget_for_target(
    brief: CampaignBrief | Search,
    target: float,
    probability: float = 0.8,
    creators: Creators = None,
    assumptions: Assumptions | None = None,
    samples: int = SAMPLES,
    keep_flagged: bool = False,
) -> BudgetAnswer:
    """The smallest budget whose recommended plan reaches `target` (the goal's objective, e.g.
    people reached 3+ times) in a share `probability` of the scenarios: its (1 - probability)
    quantile is at least `target` (see the module docstring)."""
    if not target > 0 or not math.isfinite(target):
        raise ValueError("target must be a positive number")
    if not 0 < probability < 1:
        raise ValueError("probability must be between 0 and 1 (exclusive)")
    probe = _Probe(_search(brief, creators, assumptions, samples, keep_flagged))
    floor, limit = _range(probe.base.brief)
    met: list[float] = []

    def ok(budget: float) -> bool:
        # the monotone envelope: a budget reaches the target when any probed budget at or
        # below it does (the engine is a search; a larger budget can buy the smaller plan)
        if any(b <= budget for b in met):
            return True
        if float(np.quantile(probe(budget)[2], 1 - probability)) >= target:
            met.append(_whole(budget))
            return True
        return False

    asked = {"target": float(target), "probability": float(probability)}
    found = _bracket(ok, _whole(probe.base.brief.budget), floor, limit)
    if found == "beyond_limit":
        return _answer(probe, "target", "beyond_limit", None, floor, limit, **asked)
    if found == "below_floor":  # reached even at the floor: the smallest budget probed
        return _answer(probe, "target", "found", min(met), floor, limit, **asked)
    assert not isinstance(found, str)
    budget = _bisect(ok, *found)
    budget = min(b for b in met if b <= budget)  # the probed budget that reached it
    return _answer(probe, "target", "found", budget, floor, limit, **asked)


def budget_for_cost(
    brief: CampaignBrief | Search,
    max_cost: float,
    creators: Creators = None,
    assumptions: Assumptions | None = None,
    samples: int = SAMPLES,
    keep_flagged: bool = False,
) -> BudgetAnswer:
    """The largest budget B up to which a result costs at most `max_cost` at the margin: the
    recommended plan's p50 gains from B / 2^(1/4) to B cost at most `max_cost` each (see the
    module docstring). `status="beyond_limit"`: still true at 10x the brief's budget;
    `"below_floor"`: not true even at 1/64 of it."""
    if not max_cost > 0 or not math.isfinite(max_cost):
        raise ValueError("max_cost must be a positive number")
    probe = _Probe(_search(brief, creators, assumptions, samples, keep_flagged))
    floor, limit = _range(probe.base.brief)

    def cheap(budget: float) -> bool:
        below = _whole(budget / STEP)
        gain = probe.p50(budget) - probe.p50(below)
        return gain > 0 and (budget - below) / gain <= max_cost

    def dear(budget: float) -> bool:
        return not cheap(budget)

    asked = {"max_cost": float(max_cost)}
    start = _whole(probe.base.brief.budget)
    if cheap(start):
        # the first budget above where results cost more: the answer is the bracket's low end
        found = _bracket(dear, start, floor, limit)
        if found == "beyond_limit":
            return _answer(probe, "cost", "beyond_limit", None, floor, limit, **asked)
        assert not isinstance(found, str)
        lo, hi = found
        budget = _last_cheap(cheap, lo, hi)
        return _answer(probe, "cost", "found", budget, floor, limit, **asked)
    lo = start
    while True:
        nxt = _whole(lo / 2)
        if nxt < floor or nxt >= lo:
            return _answer(probe, "cost", "below_floor", None, floor, limit, **asked)
        if cheap(nxt):
            return _answer(
                probe, "cost", "found", _last_cheap(cheap, nxt, lo), floor, limit, **asked
            )
        lo = nxt


def _last_cheap(cheap, lo: float, hi: float) -> float:
    """The largest probed whole budget in [lo, hi) that is cheap, given cheap(lo), not hi."""
    while hi - lo > max(1.0, PRECISION * hi):
        mid = _whole(math.sqrt(lo * hi))
        if mid >= hi or mid <= lo:
            break
        if cheap(mid):
            lo = mid
        else:
            hi = mid
    return lo


__all__ = [
    "BudgetAnswer",
    "Curve",
    "CurvePoint",
    "ResponseCurves",
    "budget_for_cost",
    "budget_for_target",
    "knee",
    "response_curves",
]
