"""`recommend(brief)`: the split is whatever the projection says is best for the goal.

1. Candidate splits from influencer-only to ambassador-only, in steps of 10%, are funded
   (`advisor.advice.allocation`) and projected on the same random draws
   (`advisor.model.projection`).
2. The best median objective wins; on a near-tie (within 1%) the simpler plan, a single
   relationship, is preferred. A candidate whose share leaves a side with nothing to buy is
   not offered.
3. Confidence is the share of draws in which the recommended strategy beats the best other
   strategy clearly (by 3% or more).
4. Each fact of the brief is measured by re-running the search with that fact set to a neutral
   value; explanations are written from those numbers (`advisor.present.explain`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from advisor.advice.allocation import (
    AmbassadorAllocation,
    InfluencerAllocation,
    allocate_ambassadors,
    allocate_influencers,
    named_ambassadors,
    named_influencers,
)
from advisor.advice.checklist import checklist
from advisor.advice.plan import (
    AmbassadorPlan,
    Candidate,
    FactorEffect,
    InfluencerPlan,
    Note,
    Objective,
    Plan,
    Strategy,
    TierAllocation,
    strategy_of,
)
from advisor.creators.shortlist import Shortlist
from advisor.creators.table import prepare_creators
from advisor.model.assumptions import Assumptions, ModelFigures
from advisor.model.benchmarks import TIERS, load_benchmarks
from advisor.model.brief import DEFAULT_AUDIENCE, DEFAULT_PLATFORMS, CampaignBrief, Currency, Goal
from advisor.model.programme import programme_fixed_usd
from advisor.model.projection import (
    EFFECTIVE_FREQUENCY,
    GOAL_OBJECTIVE,
    SAMPLES,
    SEED,
    Draws,
    ObjectiveKey,
    Outcome,
    Projection,
    Vehicles,
    draws,
    evaluate,
    series_from,
)

SHARES = tuple(round(1.0 - i / 10, 1) for i in range(11))  # 1.0, 0.9, ... 0.0
NEAR_TIE = 0.01  # within 1% the simpler plan is preferred
CLEAR_MARGIN = 0.03  # "beats" in the confidence: by 3% or more
FACTOR_SAMPLES = 64
NEUTRAL_BUDGET = 20_000.0
NEUTRAL_WEEKS = 8


@dataclass
class Scored:
    share: float
    inf: InfluencerAllocation
    amb: AmbassadorAllocation
    vehicles: Vehicles
    outcome: Outcome
    feasible: bool

    @property
    def p50(self) -> float:
        return float(np.median(self.outcome.objective))


@dataclass
class Search:
    candidates: list[Scored]
    best: Scored


class _Inputs:
    """Everything a search needs, computed once per brief."""

    def __init__(
        self,
        brief: CampaignBrief,
        fig: ModelFigures,
        table: pd.DataFrame | None,
        use_all: bool,
    ) -> None:
        bench = load_benchmarks()
        self.brief, self.fig, self.table, self.use_all = brief, fig, table, use_all
        self.fx = bench.per_usd(brief.currency)
        self.tier_share = np.array([bench.tier_mix[brief.goal].shares[t] for t in TIERS])
        self.order_value_usd = brief.order_value / self.fx if brief.order_value else None
        # a creator list's eligible rows, sorted once for all candidate splits
        self.named_inf = self.named_amb = None
        if table is not None:
            self.named_inf = named_influencers(brief, fig, self.tier_share, table, use_all)
            self.named_amb = named_ambassadors(brief, table, use_all)


def _score(inputs: _Inputs, share: float, d: Draws) -> Scored:
    b, fig = inputs.brief, inputs.fig
    budget = b.budget_usd
    inf = allocate_influencers(
        b, budget * share, fig, inputs.tier_share, inputs.table, inputs.use_all, inputs.named_inf
    )
    # the ambassador side in both orders (programme first, long-term creators first); where
    # they buy different things, the better one for the goal is kept
    best: tuple[float, AmbassadorAllocation, Vehicles, Outcome] | None = None
    seen: list[tuple[int, int]] = []
    for programme_first in (True, False):
        amb = allocate_ambassadors(
            b,
            budget * (1 - share),
            fig,
            inputs.table,
            inputs.use_all,
            inputs.order_value_usd,
            programme_first,
            inputs.named_amb,
        )
        if (amb.ambassadors, amb.faces) in seen:
            continue
        seen.append((amb.ambassadors, amb.faces))
        vehicles = Vehicles.concat([inf.vehicles, amb.vehicles])
        outcome = evaluate(vehicles, b.goal, b.audience, fig, d, amb.extras)
        value = float(np.median(outcome.objective))
        if best is None or value > best[0]:
            best = (value, amb, vehicles, outcome)
    assert best is not None
    _, amb, vehicles, outcome = best
    # a mix must buy something on both sides; a pure strategy is always a candidate (it may
    # buy nothing at all, which the notes then explain)
    feasible = share in (0.0, 1.0) or (inf.vehicles.size > 0 and amb.vehicles.size > 0)
    return Scored(share, inf, amb, vehicles, outcome, feasible)


def _search(inputs: _Inputs, d: Draws) -> Search:
    scored = [_score(inputs, s, d) for s in SHARES]
    feasible = [c for c in scored if c.feasible]
    best = max(feasible, key=lambda c: (c.p50, -abs(c.share - 0.5)))
    pure = [c for c in feasible if c.share in (0.0, 1.0)]
    simple = max(pure, key=lambda c: c.p50) if pure else None
    if simple is not None and simple.p50 >= (1 - NEAR_TIE) * best.p50:
        best = simple
    return Search(scored, best)


def _prepared(creators: object, fig: ModelFigures) -> tuple[pd.DataFrame | None, str, bool]:
    """Accept a canonical DataFrame, a `CreatorLoad` or a `Shortlist` (whose rows are all used)."""
    if creators is None:
        return None, "benchmarks", False
    table = getattr(creators, "table", creators)
    if not isinstance(table, pd.DataFrame):
        raise TypeError("creators must be a DataFrame in the canonical layout or a CreatorLoad")
    label = getattr(creators, "label", None) or f"creators:{len(table)}"
    use_all = isinstance(creators, Shortlist)
    if use_all:
        label = f"shortlist:{len(table)}"
    return prepare_creators(table, fig), label, use_all


def recommend(
    brief: CampaignBrief,
    creators: object = None,
    assumptions: Assumptions | None = None,
    samples: int = SAMPLES,
) -> Plan:
    """Recommend influencer, ambassador or a mix for `brief`, projected and explained.

    `creators`: an optional creator list (canonical DataFrame, `CreatorLoad` or `Shortlist`);
    without it the plan is built from benchmark archetypes of each tier.
    `assumptions`: edits to the default figures (`advisor.Assumptions`).
    """
    assumptions = assumptions or Assumptions()
    fig = assumptions.model()
    table, data_source, use_all = _prepared(creators, fig)
    inputs = _Inputs(brief, fig, table, use_all)
    d = draws(samples)
    search = _search(inputs, d)
    best = search.best
    by_share = {c.share: c for c in search.candidates}
    rec_kind = strategy_of(best.share)
    pure = {Strategy.INFLUENCER: by_share[1.0], Strategy.AMBASSADOR: by_share[0.0]}
    mixes = [c for c in search.candidates if c.feasible and 0 < c.share < 1]
    others = {k: v for k, v in pure.items() if k is not rec_kind}
    if rec_kind is not Strategy.MIX and mixes:
        others[Strategy.MIX] = max(mixes, key=lambda c: c.p50)
    other_kind, other = max(others.items(), key=lambda kv: kv[1].p50)
    wins = best.outcome.objective > other.outcome.objective * (1 + CLEAR_MARGIN)
    wins &= best.outcome.objective > 0
    confidence = round(float(wins.mean()), 3)
    margin = (best.p50 / other.p50 - 1.0) if other.p50 > 0 else None

    fx = inputs.fx
    projection = _projection(
        inputs, d, pure[Strategy.INFLUENCER], pure[Strategy.AMBASSADOR], best, samples
    )
    spend = (best.inf.spend_usd + best.amb.spend_usd) * fx
    reserve = max(0.0, round(brief.budget - spend, 2))
    factors = _factors(brief, inputs, best.p50)
    objective = Objective(
        key=GOAL_OBJECTIVE[brief.goal],
        unit="entries" if brief.goal is Goal.CONTEST else "people",
        frequency=EFFECTIVE_FREQUENCY if brief.goal is Goal.BRAND_AWARENESS else 1,
    )
    plan_notes = _notes(brief, inputs, search, other_kind, margin, reserve, projection)
    return Plan(
        brief=brief,
        assumptions=assumptions,
        strategy=rec_kind,
        split={"influencer": best.share, "ambassador": round(1 - best.share, 4)},
        objective=objective,
        candidates=[
            Candidate(
                influencer_share=c.share,
                feasible=c.feasible,
                objective_p50=round(c.p50, 2),
                spend=round(c.outcome.spend * fx, 2),
            )
            for c in search.candidates
        ],
        best_other=other_kind,
        confidence=confidence,
        confidence_label="high" if confidence >= 0.8 else "medium" if confidence >= 0.6 else "low",
        margin=None if margin is None else round(margin, 4),
        influencer=_influencer_plan(brief, inputs, best),
        ambassador=_ambassador_plan(brief, best, fx),
        reserve=reserve,
        factors=factors,
        notes=plan_notes,
        checklist=checklist(brief, best.share),
        projection=projection,
        data_source=data_source,
    )


def project(
    brief: CampaignBrief,
    creators: object = None,
    influencer_share: float | None = None,
    assumptions: Assumptions | None = None,
    samples: int = SAMPLES,
) -> Projection:
    """Weekly projection: influencer-only, ambassador-only and the recommended (or given) split."""
    if influencer_share is None:
        return recommend(brief, creators, assumptions, samples).projection
    fig = (assumptions or Assumptions()).model()
    table, _, use_all = _prepared(creators, fig)
    inputs = _Inputs(brief, fig, table, use_all)
    d = draws(samples)
    return _projection(
        inputs,
        d,
        _score(inputs, 1.0, d),
        _score(inputs, 0.0, d),
        _score(inputs, influencer_share, d),
        samples,
    )


def _projection(
    inputs: _Inputs,
    d: Draws,
    influencer: Scored,
    ambassador: Scored,
    recommended: Scored,
    samples: int,
) -> Projection:
    """The three strategies' weekly series, on the draws their candidates were scored on."""
    b, fig = inputs.brief, inputs.fig
    series = []
    for name, c in (
        ("influencer", influencer),
        ("ambassador", ambassador),
        ("recommended", recommended),
    ):
        weekly = evaluate(c.vehicles, b.goal, b.audience, fig, d, c.amb.extras, weekly=True)
        series.append(series_from(name, c.share, c.vehicles, weekly, fig, inputs.fx, b.order_value))
    return Projection(
        audience=b.audience,
        weeks=b.weeks,
        samples=samples,
        seed=SEED,
        currency=b.currency.value,
        series=series,
    )


# --- explanations from numbers ------------------------------------------------------------


def _factors(brief: CampaignBrief, inputs: _Inputs, reported: float) -> list[FactorEffect]:
    """Each fact of the brief against a neutral value: best split and objective, re-searched."""
    d = draws(FACTOR_SAMPLES)
    actual = _search(inputs, d).best.p50
    # the factor searches use fewer draws: put their figures on the headline's scale
    scale = reported / actual if actual > 0 else 1.0
    neutral_budget = NEUTRAL_BUDGET * load_benchmarks().per_usd(brief.currency)
    changes: list[tuple[str, dict[str, object], str, str]] = [
        ("advocates", {"advocates": 0}, str(brief.advocates), "0"),
        ("weeks", {"weeks": NEUTRAL_WEEKS}, str(brief.weeks), str(NEUTRAL_WEEKS)),
        (
            "budget",
            {"budget": round(neutral_budget, 2)},
            f"{brief.budget:.2f}",
            f"{neutral_budget:.2f}",
        ),
        ("audience", {"audience": DEFAULT_AUDIENCE}, str(brief.audience), str(DEFAULT_AUDIENCE)),
        (
            "platforms",
            {"platforms": DEFAULT_PLATFORMS},
            ",".join(p.value for p in brief.platforms),
            ",".join(p.value for p in DEFAULT_PLATFORMS),
        ),
    ]
    out = []
    for key, update, shown, neutral in changes:
        variant = brief.model_copy(update=update)
        if variant == brief:
            continue
        other = _search(_Inputs(variant, inputs.fig, inputs.table, inputs.use_all), d).best
        out.append(
            FactorEffect(
                key=key,  # type: ignore[arg-type]
                actual=shown,
                neutral=neutral,
                best_share_neutral=other.share,
                objective_neutral=round(other.p50 * scale, 2),
                objective_actual=round(actual * scale, 2),
            )
        )
    return sorted(
        out, key=lambda f: -abs(np.log((f.objective_actual + 1) / (f.objective_neutral + 1)))
    )


def _notes(
    brief: CampaignBrief,
    inputs: _Inputs,
    search: Search,
    other_kind: Strategy,
    margin: float | None,
    reserve: float,
    projection: Projection,
) -> list[Note]:
    """Caveats and explanations, each from the figures that justify it."""
    fig, fx = inputs.fig, inputs.fx
    best = search.best
    out: list[Note] = []
    if not brief.accounts_ready:
        out.append(Note(key="accounts"))
    if margin is not None and margin < CLEAR_MARGIN:
        out.append(Note(key="near_tie", values={"other": other_kind.value, "margin": margin}))
    amb_only = next(c for c in search.candidates if c.share == 0.0).amb
    blocked = amb_only.blocked
    if blocked == "too_short" and (brief.advocates > 0 or brief.goal is Goal.BRAND_AWARENESS):
        out.append(
            Note(
                key="programme_too_short",
                values={
                    "weeks": brief.weeks,
                    "min_weeks": int(fig.value("ambassador_min_weeks")),
                    "ramp": int(fig.value("ambassador_ramp_weeks")),
                },
            )
        )
    elif blocked == "too_small" and brief.advocates > 0:
        out.append(
            Note(
                key="programme_unfunded",
                values={"fixed_money": programme_fixed_usd(brief.weeks, fig) * fx},
            )
        )
    if best.amb.faces:
        out.append(
            Note(
                key="brand_faces",
                values={"faces": best.amb.faces, "available": best.amb.available},
            )
        )
    if reserve > 0.05 * brief.budget:
        out.append(_reserve_note(best, reserve, fx))
    if best.share < 1:
        out.append(Note(key="ambassador_assumptions"))
    if brief.currency is not Currency.USD:
        out.append(Note(key="fx", values={"rate": inputs.fx, "currency": brief.currency.value}))
    if any(p.value in ("x", "linkedin", "blog") for p in brief.platforms):
        out.append(Note(key="platform_assumptions"))
    reach = projection.get("recommended").final_reach
    if reach > 0.8 * brief.audience:
        out.append(Note(key="saturation", values={"share": reach / brief.audience}))
    out.extend(_seed_check(brief, search))
    return out


def _reserve_note(best: Scored, reserve: float, fx: float) -> Note:
    """Leftover money, explained by its real cause."""
    nexts = [x for x in (best.inf.next_cost_usd, best.amb.next_cost_usd) if x is not None]
    values: dict[str, float | int | str] = {"reserve_money": reserve}
    if best.outcome.spend == 0 and nexts:
        key = "nothing_affordable"
    elif best.inf.saturated or best.amb.saturated:
        key = "reserve_saturated"
    elif nexts:
        key = "reserve_next_purchase"
    else:
        key = "reserve_side_full"
    if nexts and key != "reserve_saturated":
        values["next_money"] = min(nexts) * fx
    return Note(key=key, values=values)


def _seed_check(brief: CampaignBrief, search: Search) -> list[Note]:
    """Where a seed rule and the projection disagree, say so with the numbers."""
    best = search.best
    by_share = {c.share: c for c in search.candidates}
    short = brief.goal.is_short_burst and brief.weeks <= 8 and brief.advocates == 0
    if short and best.share < 1:
        return [_disagree("short_burst", best, by_share[1.0])]
    long_base = brief.goal is Goal.BRAND_AWARENESS and brief.weeks >= 26
    seeds = [c for c in search.candidates if c.share <= 0.5 and c.feasible]
    if long_base and brief.advocates >= 100 and best.share > 0.5 and seeds:
        return [_disagree("long_awareness", best, max(seeds, key=lambda c: c.p50))]
    return []


def _disagree(rule: str, best: Scored, seed: Scored) -> Note:
    return Note(
        key="seed_disagrees",
        values={
            "rule": rule,
            "seed_share": seed.share,
            "seed_objective": round(seed.p50, 1),
            "objective": round(best.p50, 1),
        },
    )


def _influencer_plan(brief: CampaignBrief, inputs: _Inputs, best: Scored) -> InfluencerPlan:
    fx, inf = inputs.fx, best.inf
    posts = round(inputs.fig.value("influencer_posts_per_creator"))
    tiers = [
        TierAllocation(
            tier=tier,
            creators=int(inf.creators_by_tier[i]),
            posts=int(inf.creators_by_tier[i]) * posts,
            spend=round(float(inf.spend_by_tier_usd[i]) * fx, 2),
            share=float(inputs.tier_share[i]),
        )
        for i, tier in enumerate(TIERS)
    ]
    return InfluencerPlan(
        budget=round(brief.budget * best.share, 2),
        spend=round(inf.spend_usd * fx, 2),
        creators=int(inf.creators_by_tier.sum()),
        posts=int(inf.creators_by_tier.sum()) * posts,
        posts_per_creator=posts,
        contracting=round(inf.contracting_usd * fx, 2),
        tiers=tiers,
        handles=inf.handles,
    )


def _ambassador_plan(brief: CampaignBrief, best: Scored, fx: float) -> AmbassadorPlan:
    a = best.amb
    return AmbassadorPlan(
        budget=round(brief.budget * (1 - best.share), 2),
        spend=round(a.spend_usd * fx, 2),
        ambassadors=a.ambassadors,
        available=a.available,
        posts=round(a.posts, 2),
        setup=round(a.setup_usd * fx, 2),
        platform=round(a.platform_usd * fx, 2),
        perks=round(a.perks_usd * fx, 2),
        management=round(a.management_usd * fx, 2),
        commissions=round(a.commissions_usd * fx, 2),
        appearances=a.appearances,
        appearances_spend=round(a.appearances_usd * fx, 2),
        brand_faces=a.faces,
        brand_faces_spend=round(a.faces_usd * fx, 2),
        blocked=a.blocked if best.share < 1 else None,
        handles=a.handles,
    )


__all__ = ["ObjectiveKey", "project", "recommend"]
