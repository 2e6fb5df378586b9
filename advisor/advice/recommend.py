"""`recommend(brief)`: every dollar where the projection says it buys most of the goal.

1. The engine (`advisor.advice.search`, `advisor.model.engine`) buys units of every option
   (platform x tier x relationship, or a listed creator) by their marginal value on the goal's
   objective, with and without the advocate programme's fixed cost, then moves money between
   lines until no 10% move helps. The split between relationships, the platforms and the tiers
   are outcomes.
2. For comparison the same engine finds the best plan with short-burst influencers only and
   with long-term relationships only; confidence is the share of draws in which the plan beats
   the better of those clearly (by 3% or more).
3. Each fact of the brief is measured by re-planning with that fact set to a neutral value;
   every sentence is rendered from these numbers (`advisor.present.explain`).
"""

from __future__ import annotations

import numpy as np

from advisor.advice.calendar import posting_calendar
from advisor.advice.checklist import checklist
from advisor.advice.facts import factors, notes, unfunded
from advisor.advice.lines import ambassador_plan, influencer_plan, named_creators, plan_lines
from advisor.advice.plan import (
    Candidate,
    Objective,
    Plan,
    Strategy,
)
from advisor.advice.search import Creators, Search
from advisor.model.assumptions import Assumptions
from advisor.model.brief import Goal
from advisor.model.engine import Allocation, short_burst_share
from advisor.model.menu import INFLUENCER
from advisor.model.outcome import Delivery, series_from
from advisor.model.projection import (
    EFFECTIVE_FREQUENCY,
    GOAL_OBJECTIVE,
    SAMPLES,
    SEED,
    Projection,
)
from advisor.model.threads import one_blas_thread

NEAR_TIE = 0.01  # within 1% another plan is "about as good"
CLEAR_MARGIN = 0.03  # "beats" in the confidence: by 3% or more
LEFT_OVER = 0.05  # unspent money is worth a note from 5% of the budget


def influencer_share(search: Search, a: Allocation) -> float:
    """Share of the money spent that goes to short-burst influencers."""
    return short_burst_share(search.options.menu, a)


def strategy_of_allocation(search: Search, a: Allocation) -> Strategy:
    menu = search.options.menu
    bought = a.units > 0
    short = bool((bought & (menu.relationship == INFLUENCER)).any())
    long = bool((bought & (menu.relationship != INFLUENCER)).any())
    if short and long:
        return Strategy.MIX
    return Strategy.AMBASSADOR if long else Strategy.INFLUENCER


@one_blas_thread
def recommend(
    brief,
    creators: Creators = None,
    assumptions: Assumptions | None = None,
    samples: int = SAMPLES,
    keep_flagged: bool = False,
) -> Plan:
    """The plan for `brief`, projected and explained (see the module docstring).

    `creators`: an optional creator list (`CreatorLoad`, `CreatorTable`, canonical DataFrame or
    `Shortlist`): the plan buys named creators from it; a side the list cannot fill is planned
    from benchmark archetypes and the brief's advocates. Flagged creators are never paid unless
    `keep_flagged`. `assumptions`: edits to the default figures (`advisor.Assumptions`).
    """
    search = Search.of(brief, creators, assumptions, samples, keep_flagged)
    return plan_of(search)


@one_blas_thread
def plan_of(search: Search) -> Plan:
    """The plan a prepared `Search` recommends."""
    brief, fx = search.brief, search.fx
    best = search.best()
    others = {
        Strategy.INFLUENCER: search.restricted("influencer"),
        Strategy.AMBASSADOR: search.restricted("long_term"),
    }
    kind = strategy_of_allocation(search, best)
    rivals = {k: v for k, v in others.items() if k is not kind}
    other_kind, other = max(rivals.items(), key=lambda kv: kv[1].objective_p50)
    named = _named(best, others)
    delivered = dict(zip(named, search.deliver_all(list(named.values())), strict=True))
    rec = delivered["recommended"]
    rival = delivered["influencer" if other_kind is Strategy.INFLUENCER else "ambassador"]
    wins = (rec.objective > rival.objective * (1 + CLEAR_MARGIN)) & (rec.objective > 0)
    confidence = round(float(wins.mean()), 3)
    margin = None
    if other.objective_p50 > 0:
        margin = max(0.0, float(np.median(rec.objective)) / other.objective_p50 - 1.0)
    spend = round(min(best.spend_usd * fx, brief.budget), 2)
    share = influencer_share(search, best)
    lines = plan_lines(search, best, rec)
    effects, without = factors(search, float(np.median(rec.objective)))
    plan = Plan(
        brief=brief,
        assumptions=search.assumptions,
        strategy=kind,
        split={"influencer": share, "ambassador": round(1 - share, 4)},
        objective=Objective(
            key=GOAL_OBJECTIVE[brief.goal],
            unit="entries" if brief.goal is Goal.CONTEST else "people",
            frequency=EFFECTIVE_FREQUENCY if brief.goal is Goal.BRAND_AWARENESS else 1,
        ),
        candidates=[
            Candidate(
                influencer_share=influencer_share(search, a),
                feasible=a.spend_usd > 0,
                objective_p50=round(a.objective_p50, 2),
                spend=round(min(a.spend_usd * fx, brief.budget), 2),
            )
            for a in (others[Strategy.INFLUENCER], best, others[Strategy.AMBASSADOR])
        ],
        best_other=other_kind,
        confidence=confidence,
        confidence_label="high" if confidence >= 0.8 else "medium" if confidence >= 0.6 else "low",
        margin=None if margin is None else round(margin, 4),
        influencer=influencer_plan(search, best, lines),
        ambassador=ambassador_plan(search, best, lines),
        reserve=max(0.0, round(brief.budget - spend, 2)),
        factors=effects,
        facts_without_effect=without,
        notes=[],
        checklist=checklist(brief, share),
        projection=_projection(search, delivered, {**others, Strategy.MIX: best}),
        data_source=search.source.label,
        creators=named_creators(search, best, rec),
        lines=lines,
        funded=sorted({x.relationship for x in lines}, key=_rel_order),
        programme=best.programme,
        spent_share=round(min(spend / brief.budget, 1.0), 4),
        unfunded=unfunded(search, best),
        flagged_left_out=_flagged_left_out(search),
        cycle_weeks=search.options.cycle_weeks,
        creator_choice="engine" if search.source.table is not None else None,
    )
    plan = plan.model_copy(
        update={"calendar": posting_calendar(search, best, plan.recommended.spend)}
    )
    return plan.model_copy(update={"notes": notes(search, plan, best, other_kind, margin)})


def _rel_order(rel: str) -> int:
    return ("influencer", "face", "advocate", "appearance").index(rel)


def _named(best: Allocation, others: dict[Strategy, Allocation]) -> dict[str, Allocation]:
    return {
        "influencer": others[Strategy.INFLUENCER],
        "ambassador": others[Strategy.AMBASSADOR],
        "recommended": best,
    }


def _flagged_left_out(search: Search) -> int:
    table = search.source.table
    if table is None or search.source.keep_flagged:
        return 0
    return int(table.frame["flagged"].sum())


def _projection(
    search: Search, delivered: dict[str, Delivery], allocations: dict[Strategy, Allocation]
) -> Projection:
    """The three plans' weekly series, on the draws they were scored on."""
    b = search.brief
    shares = {
        "influencer": 1.0,
        "ambassador": 0.0,
        "recommended": influencer_share(search, allocations[Strategy.MIX]),
    }
    series = [
        series_from(name, shares[name], delivered[name], search.fig, search.fx, b.order_value)
        for name in ("influencer", "ambassador", "recommended")
    ]
    return Projection(
        audience=b.audience,
        weeks=b.weeks,
        samples=search.draws.samples,
        seed=SEED,
        currency=b.currency.value,
        series=series,
    )


def project(
    brief,
    creators: Creators = None,
    influencer_share: float | None = None,
    assumptions: Assumptions | None = None,
    samples: int = SAMPLES,
) -> Projection:
    """Weekly projection: short-burst only, long-term only and the recommended plan."""
    del influencer_share  # the split is an outcome of the engine, not an input
    return recommend(brief, creators, assumptions, samples).projection


__all__ = ["CLEAR_MARGIN", "NEAR_TIE", "plan_of", "project", "recommend"]
