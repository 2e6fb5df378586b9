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

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from advisor.advice.allocation import (
    AmbassadorAllocation,
    InfluencerAllocation,
    allocate_ambassadors,
    allocate_influencers,
    eligible,
    named_ambassadors,
    named_influencers,
)
from advisor.advice.checklist import checklist
from advisor.advice.plan import (
    AmbassadorPlan,
    Candidate,
    CreatorChoice,
    FactorEffect,
    InfluencerPlan,
    NamedCreator,
    Note,
    Objective,
    Plan,
    Strategy,
    TierAllocation,
    strategy_of,
)
from advisor.creators.ingest import CreatorLoad
from advisor.creators.shortlist import (
    Shortlist,
    ShortlistRules,
    campaign_cost_usd,
    creator_posts,
    shortlist_of,
)
from advisor.creators.table import CreatorTable, creator_table, expected_reach
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
LEFT_OVER = 0.05  # a side's money left unspent is worth a note from 5% of the budget
# the shortlist behind a plan: the split already spreads the money, so one creator may take a
# whole side (a small budget would otherwise buy nobody). Solved on the core (`shortlist._core`)
# and proven to 1% (the plan's own near-tie): on the 800 sample creators, proving the whole
# problem to 0.02% takes HiGHS ~200 ms; this takes a few.
PLAN_RULES = ShortlistRules(max_share_per_creator=1.0, time_limit=2.0, mip_gap=NEAR_TIE)

Creators = CreatorLoad | CreatorTable | Shortlist | pd.DataFrame | None


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


@dataclass(frozen=True)
class _Source:
    """A creator list as given to `recommend`: the table, its label, and whether every row is
    to be used as it is (a `Shortlist`)."""

    table: CreatorTable | None
    label: str
    use_all: bool
    found: dict[tuple[int, tuple[str, ...]], pd.DataFrame] = field(
        default_factory=dict, compare=False, repr=False
    )

    def usable(self, relationship: int, brief: CampaignBrief) -> pd.DataFrame:
        """`allocation.eligible` rows of the list for one side (kept per platform set)."""
        assert self.table is not None
        key = (relationship, tuple(p.value for p in brief.platforms))
        if key not in self.found:
            self.found[key] = eligible(brief, self.table, relationship, self.use_all)
        return self.found[key]

    def side(self, relationship: int, brief: CampaignBrief) -> CreatorTable | None:
        """The rows one side buys from, or None when the list has none that side may use (that
        side is then planned from benchmark archetypes and the brief's own advocates)."""
        if self.table is None or self.usable(relationship, brief).empty:
            return None
        return self.table


class _Inputs:
    """Everything a search needs, computed once per brief. `inf_table` / `amb_table`: the list
    each side buys from (None: benchmark archetypes)."""

    def __init__(
        self,
        brief: CampaignBrief,
        fig: ModelFigures,
        inf_table: CreatorTable | None = None,
        amb_table: CreatorTable | None = None,
        use_all: bool = False,
        like: _Inputs | None = None,
    ) -> None:
        bench = load_benchmarks()
        self.brief, self.fig, self.use_all = brief, fig, use_all
        self.inf_table, self.amb_table = inf_table, amb_table
        self.fx = bench.per_usd(brief.currency)
        self.tier_share = np.array([bench.tier_mix[brief.goal].shares[t] for t in TIERS])
        self.order_value_usd = brief.order_value / self.fx if brief.order_value else None
        # a creator list's eligible rows, sorted once for all candidate splits (and reused by
        # variants of the brief that keep its goal and platforms)
        same = like is not None and (like.brief.goal, like.brief.platforms) == (
            brief.goal,
            brief.platforms,
        )
        if same and like is not None:
            self.named_inf, self.named_amb = like.named_inf, like.named_amb
            return
        self.named_inf = None
        self.named_amb: pd.DataFrame | None = None
        if inf_table is not None:
            self.named_inf = named_influencers(brief, fig, self.tier_share, inf_table, use_all)
        if amb_table is not None:
            self.named_amb = named_ambassadors(brief, amb_table, use_all)

    @classmethod
    def of(cls, brief: CampaignBrief, fig: ModelFigures, source: _Source) -> _Inputs:
        return cls(brief, fig, source.side(0, brief), source.side(1, brief), source.use_all)

    def variant(self, brief: CampaignBrief) -> _Inputs:
        """The same lists for another brief."""
        return _Inputs(brief, self.fig, self.inf_table, self.amb_table, self.use_all, like=self)


def _score(inputs: _Inputs, share: float, d: Draws) -> Scored:
    b, fig = inputs.brief, inputs.fig
    budget = b.budget_usd
    inf = allocate_influencers(
        b,
        budget * share,
        fig,
        inputs.tier_share,
        inputs.inf_table,
        inputs.use_all,
        inputs.named_inf,
    )
    # the ambassador side in both orders (programme first, long-term creators first); where
    # they buy different things, the better one for the goal is kept
    best: tuple[float, AmbassadorAllocation, Vehicles, Outcome] | None = None
    seen: list[tuple[int, int]] = []
    # a shortlist is used as it is: its advocates first, long-term creators with what is left
    for programme_first in (True,) if inputs.use_all else (True, False):
        amb = allocate_ambassadors(
            b,
            budget * (1 - share),
            fig,
            inputs.amb_table,
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


def _prepared(creators: Creators, fig: ModelFigures) -> _Source:
    """A `CreatorLoad`, `CreatorTable` or canonical DataFrame (the table is built once here,
    or used as it is), or a `Shortlist` (its rows are all used)."""
    if creators is None:
        return _Source(None, "benchmarks", False)
    if isinstance(creators, Shortlist):
        table = creators.creators
        return _Source(table, f"shortlist:{len(table)}:{table.label}", True)
    if not isinstance(creators, CreatorLoad | CreatorTable | pd.DataFrame):
        raise TypeError(
            "creators must be a CreatorLoad, a CreatorTable, a Shortlist or a DataFrame in the "
            f"canonical layout, not {type(creators).__name__}"
        )
    table = creator_table(creators, fig)
    return _Source(table, table.label, False)


@dataclass
class _Named:
    """The plan's creators: the optimiser's shortlist under the recommended split, funded and
    projected like any candidate."""

    inputs: _Inputs
    scored: Scored
    choice: CreatorChoice


def _named(inputs: _Inputs, source: _Source, searched: Scored, d: Draws) -> _Named | None:
    """Fill both sides from the list, as the optimiser's (HiGHS) shortlist under the searched
    split: each side from the rows it may use (`_Source.side`); a side with none stays on
    benchmarks. The optimiser maximises reach; where the goal counts something else (effective
    reach for awareness) and the search's own picks from the same list project better, those
    are kept (`choice` says which), so a plan never projects below its split's search figure."""
    if source.table is None:
        return None
    if source.use_all:
        return _Named(inputs, searched, "shortlist")
    b, fig, share = inputs.brief, inputs.fig, searched.share
    rows = [
        source.usable(rel, b).index.to_numpy()
        for rel, table in ((0, inputs.inf_table), (1, inputs.amb_table))
        if table is not None
    ]
    pool = source.table.take(np.sort(np.concatenate(rows)))
    chosen = shortlist_of(b, pool, share, PLAN_RULES, fig, exact_up_to=0).creators
    named = _Inputs(
        b,
        fig,
        chosen.influencers if inputs.inf_table is not None else None,
        chosen.ambassadors if inputs.amb_table is not None else None,
        use_all=True,
    )
    scored = _score(named, share, d)
    if scored.p50 < searched.p50:  # no tolerance: the split search's own near-tie rule has one
        return _Named(inputs, searched, "tier_mix")
    return _Named(named, scored, "optimiser")


def recommend(
    brief: CampaignBrief,
    creators: Creators = None,
    assumptions: Assumptions | None = None,
    samples: int = SAMPLES,
) -> Plan:
    """Recommend influencer, ambassador or a mix for `brief`, projected and explained.

    `creators`: an optional creator list (`CreatorLoad`, `CreatorTable`, canonical DataFrame):
    the split is searched with the list's rows, then both sides are filled from it as the
    optimiser's shortlist under the recommended split (`plan.creators`); a side the list cannot
    fill is planned from benchmarks and the notes say so. A `Shortlist` is used as it is.
    Without a list the plan is built from benchmark archetypes of each tier.
    `assumptions`: edits to the default figures (`advisor.Assumptions`).
    """
    assumptions = assumptions or Assumptions()
    fig = assumptions.model()
    source = _prepared(creators, fig)
    inputs = _Inputs.of(brief, fig, source)
    d = draws(samples)
    search = _search(inputs, d)
    named = _named(inputs, source, search.best, d)
    bought = inputs
    if named is not None:  # the shortlist replaces the search's own picks at that split
        bought = named.inputs
        search = Search(
            [named.scored if c is search.best else c for c in search.candidates], named.scored
        )
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
    if source.table is not None:
        list_notes = _list_notes(brief, source, bought, best)
        if any("left_money" in n.values for n in list_notes):
            # the list's own notes say where the unspent money is and why: not twice
            plan_notes = [n for n in plan_notes if not n.key.startswith("reserve_")]
        plan_notes += list_notes
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
        data_source=source.label,
        creators=_named_creators(bought, best),
        creator_choice=None if named is None else named.choice,
    )


def project(
    brief: CampaignBrief,
    creators: Creators = None,
    influencer_share: float | None = None,
    assumptions: Assumptions | None = None,
    samples: int = SAMPLES,
) -> Projection:
    """Weekly projection: influencer-only, ambassador-only and the recommended (or given) split
    (with a creator list, the given split is filled with the optimiser's shortlist, as in
    `recommend`)."""
    if influencer_share is None:
        return recommend(brief, creators, assumptions, samples).projection
    fig = (assumptions or Assumptions()).model()
    source = _prepared(creators, fig)
    inputs = _Inputs.of(brief, fig, source)
    d = draws(samples)
    searched = _score(inputs, influencer_share, d)
    named = _named(inputs, source, searched, d)
    return _projection(
        inputs,
        d,
        _score(inputs, 1.0, d),
        _score(inputs, 0.0, d),
        named.scored if named is not None else searched,
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
        other = _search(inputs.variant(variant), d).best
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
    listed = inputs.named_amb is not None and len(inputs.named_amb) > 0
    if blocked == "too_short" and (
        brief.advocates > 0 or listed or brief.goal is Goal.BRAND_AWARENESS
    ):
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
    elif blocked == "too_small" and (brief.advocates > 0 or listed):
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


def _list_notes(brief: CampaignBrief, source: _Source, bought: _Inputs, best: Scored) -> list[Note]:
    """What the list could not do, and what the plan did instead, with the money involved."""
    assert source.table is not None
    fig, fx = bought.fig, load_benchmarks().per_usd(brief.currency)
    out: list[Note] = []
    usable = {rel: source.usable(rel, brief) for rel in (0, 1)}
    if usable[0].empty:
        out.append(Note(key="list_no_influencers"))
    if usable[1].empty:
        if brief.advocates > 0:
            out.append(
                Note(key="list_no_ambassadors_benchmark", values={"advocates": brief.advocates})
            )
        else:
            out.append(Note(key="list_no_ambassadors"))
    elif not len(best.amb.rows):
        out.append(Note(key="list_ambassadors_unused", values={"available": len(usable[1])}))
    sides = (
        ("influencers", 0, bought.inf_table, best.inf.rows, best.inf.spend_usd, best.share),
        ("ambassadors", 1, bought.amb_table, best.amb.rows, best.amb.spend_usd, 1 - best.share),
    )
    for name, rel, table, rows, spent, share in sides:
        side_usd = brief.budget_usd * share
        left = side_usd - spent
        if table is None or share <= 0 or usable[rel].empty or left < LEFT_OVER * brief.budget_usd:
            continue
        if rel == 1 and not len(rows):
            continue  # the side bought no advocate at all: the programme notes say why
        values: dict[str, float | int | str] = {
            "chosen": len(rows),
            "available": len(usable[rel]),
            "side_money": round(side_usd * fx, 2),
            "left_money": round(left * fx, 2),
        }
        # the usable rows the plan does not buy (a list has one row per handle and platform)
        bought_keys = table.frame.iloc[np.asarray(rows, dtype=np.int64)]
        key = ["handle", "platform_idx"]
        others = usable[rel].merge(bought_keys[key], on=key, how="left", indicator=True)
        others = others[others["_merge"] == "left_only"].drop(columns="_merge")
        if len(others):
            cost = campaign_cost_usd(CreatorTable(others.reset_index(drop=True)), brief, fig)
            if float(cost.min()) > left:  # else the general reserve note says why
                values["next_money"] = round(float(cost.min()) * fx, 2)
                out.append(Note(key=f"list_{name}_left", values=values))
        else:
            out.append(Note(key=f"list_{name}_exhausted", values=values))
    return out


def _named_creators(bought: _Inputs, best: Scored) -> list[NamedCreator]:
    """The list's creators the plan buys, influencers then advocates, by expected reach."""
    b, fig = bought.brief, bought.fig
    fx = load_benchmarks().per_usd(b.currency)
    out: list[NamedCreator] = []
    for table, rows in ((bought.inf_table, best.inf.rows), (bought.amb_table, best.amb.rows)):
        if table is None or not len(rows):
            continue
        picked = table.take(np.asarray(rows))
        posts = creator_posts(picked, b, fig)
        reach = expected_reach(picked, posts, fig, b.audience)
        cost_usd = campaign_cost_usd(picked, b, fig)
        f = picked.frame
        columns = ("handle", "name", "platform", "tier", "relationship", "line", "cost_usd")
        handle, name, platform, tier, rel, line, per_post_usd = (
            f[c].astype(object).to_numpy() if c in ("platform", "tier", "relationship")
            else f[c].to_numpy()
            for c in columns
        )  # fmt: skip
        listed, estimated = f["cost_per_post"].to_numpy(), f["cost_estimated"].to_numpy()
        flags = f["flags"].to_numpy()
        people = [
            NamedCreator.model_construct(  # values typed here; validated by the tests' JSON trip
                handle=str(handle[i]),
                name=None if pd.isna(name[i]) else str(name[i]),
                platform=str(platform[i]),
                tier=str(tier[i]),
                relationship=str(rel[i]),
                line=int(line[i]) if line[i] > 0 else None,
                posts=round(float(posts[i]), 2),
                cost=round(float(cost_usd[i]) * fx, 2),
                cost_usd=round(float(cost_usd[i]), 2),
                cost_per_post=round(float(per_post_usd[i]) * fx, 2),
                list_cost_per_post=round(float(listed[i]), 2),
                list_currency=picked.currency,
                cost_estimated=bool(estimated[i]),
                reach=round(float(reach[i]), 1),
                flags=[x for x in str(flags[i]).split(";") if x],
            )
            for i in range(len(f))
        ]
        out += sorted(people, key=lambda c: (-c.reach, c.handle))
    return out


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
