"""Flexible budgets: the budget that reaches a target, or up to which a result stays cheap.

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

from advisor.advice.curves import (
    FAMILIES,
    FLOOR,
    LIMIT,
    PRECISION,
    STEP,
    Family,
    at_budget,
    family_mask,
    outcomes,
    search_of,
)
from advisor.advice.search import Creators, Search
from advisor.model.assumptions import Assumptions
from advisor.model.brief import MAX_BUDGET, CampaignBrief
from advisor.model.engine import Allocation
from advisor.model.projection import SAMPLES
from advisor.model.threads import one_blas_thread


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


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
            s = self.base if budget == self.base.brief.budget else at_budget(self.base, budget)
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


@one_blas_thread
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
    probe = _Probe(search_of(brief, creators, assumptions, samples, keep_flagged))
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


@one_blas_thread
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
    probe = _Probe(search_of(brief, creators, assumptions, samples, keep_flagged))
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


__all__ = ["BudgetAnswer", "budget_for_cost", "budget_for_target"]
