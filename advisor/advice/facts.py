"""The facts a plan's sentences are written from: notes, the brief's factors, and why a ticked
platform or a relationship got nothing. Each is a number computed here; `advisor.present.explain`
only renders them, so no sentence can say the opposite of a table."""

from __future__ import annotations

import functools

import numpy as np

from advisor.advice.calendar import burst_weeks
from advisor.advice.plan import FACTOR_THRESHOLD, FactorEffect, Note, Plan, Strategy, Unfunded
from advisor.advice.search import Search
from advisor.model.benchmarks import load_benchmarks
from advisor.model.brief import DEFAULT_AUDIENCE, DEFAULT_PLATFORMS, Currency, Goal, Platform
from advisor.model.economics import long_term_possible, programme_fixed
from advisor.model.engine import (
    Allocation,
    allocate,
    allocate_runs,
    best_run,
    room,
    short_burst_share,
)
from advisor.model.menu import ADVOCATE, APPEARANCE, FACE, INFLUENCER

FACTOR_SAMPLES = 32
FACTOR_STEPS = 8  # a coarser greedy: factors explain the plan, they do not choose it
NEUTRAL_BUDGET = 20_000.0
NEUTRAL_WEEKS = 8
NEAR_TIE = 0.01
CLEAR_MARGIN = 0.03
LEFT_OVER = 0.05
WEAK_PLATFORMS = ("x", "linkedin", "blog")
REL_CODES = {"influencer": INFLUENCER, "face": FACE, "advocate": ADVOCATE}


def factors(search: Search, reported: float) -> tuple[list[FactorEffect], list[str]]:
    """Each fact of the brief against a neutral value: the best plan re-found on fewer draws
    (greedy only), put on the headline's scale. Advocates and budget reuse the plan's own
    matrices; weeks, audience and platforms need their own. Returns the facts that move the
    result by `FACTOR_THRESHOLD` or more, strongest first, and those that differ from the
    neutral value but move it less."""
    brief, menu = search.brief, search.options.menu
    co = search.decision.take(slice(0, FACTOR_SAMPLES))
    quick = functools.partial(allocate, polish=False, steps=FACTOR_STEPS)
    runs = allocate_runs(menu, co, search.budget_usd, polish=False, steps=FACTOR_STEPS)
    actual = best_run(menu, co, runs).objective_p50
    scale = reported / actual if actual > 0 else 1.0
    neutral_budget = NEUTRAL_BUDGET * search.fx
    no_advocates = menu.without((menu.relationship != ADVOCATE) & (menu.relationship != APPEARANCE))
    changes: list[tuple[str, dict[str, object], str, str]] = [
        ("advocates", {"advocates": 0}, str(brief.advocates), "0"),
        ("weeks", {"weeks": NEUTRAL_WEEKS}, str(brief.weeks), str(NEUTRAL_WEEKS)),
        ("budget", {"budget": round(neutral_budget, 2)}, f"{brief.budget:.2f}",
         f"{neutral_budget:.2f}"),
        ("audience", {"audience": DEFAULT_AUDIENCE}, str(brief.audience), str(DEFAULT_AUDIENCE)),
        ("platforms", {"platforms": DEFAULT_PLATFORMS},
         ",".join(p.value for p in brief.platforms), ",".join(p.value for p in DEFAULT_PLATFORMS)),
    ]  # fmt: skip
    out, without = [], []
    for key, update, shown, neutral in changes:
        variant = brief.model_copy(update=update)
        if variant == brief:
            continue
        if key == "advocates" and search.source.table is None:  # the run without the
            # programme is the one without advocates (it may not buy any): the same greedy
            found = best_run(no_advocates, co, [r for r in runs if not r.programme])
            m = no_advocates
        elif key == "budget":
            found, m = quick(menu, co, NEUTRAL_BUDGET), menu
        else:
            other = search.variant(variant, FACTOR_SAMPLES)
            m = other.options.menu
            if m.same_as(menu):  # e.g. the brief's advocates beside a list's own
                without.append(key)
                continue
            found = quick(m, other.decision, other.budget_usd)
        change = abs(found.objective_p50 - actual) / max(actual, found.objective_p50, 1e-9)
        if change < FACTOR_THRESHOLD:
            without.append(key)
            continue  # a fact that changes nothing is not a reason
        out.append(
            FactorEffect(
                key=key,
                actual=shown,
                neutral=neutral,
                best_share_neutral=short_burst_share(m, found),
                objective_neutral=round(found.objective_p50 * scale, 2),
                objective_actual=round(actual * scale, 2),
            )
        )
    strongest = sorted(
        out, key=lambda f: -abs(np.log((f.objective_actual + 1) / (f.objective_neutral + 1)))
    )
    return strongest, without


def _marginal(search: Search, a: Allocation, cols: np.ndarray) -> tuple[np.ndarray, float]:
    """Objective per 1,000 of the brief's money for one more unit of each option `cols` (zero
    for the others), and for the plan's weakest line (one unit less), at the plan's state
    (mean over the greedy's draws)."""
    menu = search.options.menu
    co = search.decision
    s = co.state(a.units)
    now = float(co.value(s).mean())
    per_1000 = np.zeros(menu.size)
    if len(cols):
        gain = co.value(co.step_some(s, cols, np.ones(len(cols)))).mean(axis=0) - now
        price = np.maximum(menu.unit_cost[cols] * search.fx, 1e-9)
        per_1000[cols] = np.maximum(gain, 0) / price * 1000
    bought = np.flatnonzero(a.units > 0)
    plan_value = 0.0
    if len(bought):
        loss = now - co.value(co.step_some(s, bought, -np.ones(len(bought)))).mean(axis=0)
        lost = np.maximum(loss, 0) / np.maximum(menu.unit_cost[bought] * search.fx, 1e-9)
        plan_value = float(lost.min() * 1000)
    return per_1000, plan_value


def unfunded(search: Search, a: Allocation) -> list[Unfunded]:
    """Every ticked platform and relationship the plan gives nothing, with its reason."""
    menu, brief, fig = search.options.menu, search.brief, search.fig
    bought = a.units > 0
    # the options of what gets nothing: a ticked platform's, an unfunded relationship's
    posting = menu.relationship != APPEARANCE
    weighed = ~np.isin(menu.platform, menu.platform[bought & posting]) & posting
    weighed |= ~np.isin(menu.relationship, menu.relationship[bought])
    per_1000, plan_value = _marginal(search, a, np.flatnonzero(weighed))
    out: list[Unfunded] = []
    for p in brief.platforms:
        on = (menu.platform == list(Platform).index(p)) & (menu.relationship != APPEARANCE)
        if (bought & on).any():
            continue
        value = float(per_1000[on].max()) if on.any() else 0.0
        out.append(Unfunded(kind="platform", name=p.value, reason="weaker",
                            value_per_1000=round(value, 3),
                            plan_value_per_1000=round(plan_value, 3)))  # fmt: skip
    long_ok = long_term_possible(brief.weeks, fig)
    for name, code in REL_CODES.items():
        mine = menu.relationship == code
        if (bought & mine).any():
            continue
        if not mine.any():
            reason = "too_short" if not long_ok and code != INFLUENCER else "no_advocates"
            if code == INFLUENCER:
                reason = "not_listed"
            out.append(Unfunded(kind="relationship", name=name, reason=reason))
            continue
        reason = "fixed_cost" if code == ADVOCATE else "weaker"
        fixed = menu.fixed_usd * search.fx if code == ADVOCATE else 0.0
        out.append(Unfunded(kind="relationship", name=name, reason=reason,
                            value_per_1000=round(float(per_1000[mine].max()), 3),
                            plan_value_per_1000=round(plan_value, 3),
                            fixed_cost=round(fixed, 2)))  # fmt: skip
    return out


def notes(
    search: Search, plan: Plan, best: Allocation, other_kind: Strategy, margin: float | None
) -> list[Note]:
    """Caveats and explanations, each from the figures that justify it."""
    brief, fig, fx, menu = search.brief, search.fig, search.fx, search.options.menu
    out: list[Note] = []
    if not brief.accounts_ready:
        out.append(Note(key="accounts"))
    if margin is not None and margin < CLEAR_MARGIN:
        out.append(Note(key="near_tie", values={"other": other_kind.value, "margin": margin}))
    has_base = brief.advocates > 0 or (menu.relationship == ADVOCATE).any()
    if not long_term_possible(brief.weeks, fig) and (
        has_base or brief.goal is Goal.BRAND_AWARENESS
    ):
        out.append(Note(key="programme_too_short", values={
            "weeks": brief.weeks, "min_weeks": int(fig.s.ambassador_min_weeks),
            "ramp": int(fig.s.ambassador_ramp_weeks)}))  # fmt: skip
    elif (menu.relationship == ADVOCATE).any() and not best.programme:
        out.append(_programme_unfunded(search, best))
    if plan.programme:
        out.append(Note(key="programme_funded", values={
            "active": plan.ambassador.ambassadors, "available": plan.ambassador.available,
            "fixed_money": round(programme_fixed(brief.weeks, fig) * fx, 2)}))  # fmt: skip
        out.append(Note(key="ambassador_assumptions"))
    if plan.ambassador.brand_faces:
        out.append(Note(key="brand_faces", values={"faces": plan.ambassador.brand_faces}))
    burst = burst_note(plan)
    if burst is not None:
        out.append(burst)
    if plan.reserve > LEFT_OVER * brief.budget:
        out.append(_reserve_note(search, best, plan.reserve))
    if brief.currency is not Currency.USD:
        out.append(Note(key="fx", values={"rate": fx, "currency": brief.currency.value}))
    if any(x.platform in WEAK_PLATFORMS for x in plan.lines):
        out.append(Note(key="platform_assumptions"))
    reach = plan.recommended.final_reach
    if reach > 0.8 * brief.audience:
        out.append(Note(key="saturation", values={"share": reach / brief.audience}))
    if plan.flagged_left_out:
        out.append(Note(key="flagged_left_out", values={"flagged": plan.flagged_left_out}))
    out.extend(_cpm_checks(search, plan))
    out.extend(_seed_check(search, plan, best))
    return out


def _cpm_checks(search: Search, plan: Plan) -> list[Note]:
    """Paid lines' cost per 1,000 impressions against the published ranges (DOMAIN.md): a
    figure outside them is said, so the marketer knows which number to question."""
    bench = load_benchmarks()
    out = []
    for platform in sorted({x.platform for x in plan.lines if x.platform}):
        paid = [x for x in plan.lines if x.platform == platform and x.relationship != "advocate"]
        published = bench.published_cpm_range(platform)
        money = sum(x.spend for x in paid) / search.fx
        seen = sum(x.impressions for x in paid)
        if published is None or seen <= 0 or money <= 0:
            continue
        cpm = money / seen * 1000
        low, high = published
        if not low <= cpm <= high:
            out.append(Note(key="cpm_outside", values={
                "platform": platform, "cpm_money": round(cpm * search.fx, 2),
                "low_money": round(low * search.fx, 2),
                "high_money": round(high * search.fx, 2)}))  # fmt: skip
    return out


def burst_note(plan: Plan) -> Note | None:
    """When short-burst creators post in a few weeks of a longer campaign (a launch's first
    weeks, an event's run-up, a contest's opening and reminder), say which weeks, and until
    when the long-term relationships post: the headline's duration is not theirs."""
    burst = burst_weeks(plan.calendar)
    if burst is None or burst[1] - burst[0] + 1 >= plan.brief.weeks:
        return None
    long_term = [e.week for e in plan.calendar if e.relationship in ("face", "advocate")]
    shape = {Goal.PRODUCT_LAUNCH: "launch", Goal.EVENT: "event", Goal.CONTEST: "contest"}
    goal = shape.get(plan.brief.goal, "spread") if burst[0] != burst[1] else "one"
    values: dict[str, float | int | str] = {
        "shape": goal, "first": burst[0], "last": burst[1], "weeks": plan.brief.weeks,
        "end": max(long_term, default=0)}  # fmt: skip
    return Note(key="burst_weeks", values=values)


def _programme_unfunded(search: Search, best: Allocation) -> Note:
    """Advocates exist, the programme is not funded: the best plan with it, in numbers."""
    brief, fig = search.brief, search.fig
    fixed = programme_fixed(brief.weeks, fig)
    forced = next((a for a in search.runs() if a.programme), None)  # the engine's own run
    with_it = search.evaluate(forced.units, True).objective_p50 if forced is not None else 0.0
    return Note(key="programme_unfunded", values={
        "fixed_money": round(fixed * search.fx, 2), "objective": round(best.objective_p50, 1),
        "with_objective": round(with_it, 1)})  # fmt: skip


def _reserve_note(search: Search, best: Allocation, reserve: float) -> Note:
    """Leftover money, explained by its real cause."""
    menu = search.options.menu
    free = room(menu, best.units) >= 1
    allowed = np.ones(menu.size, bool) if best.programme else menu.relationship != ADVOCATE
    left = np.flatnonzero(free & allowed)
    values: dict[str, float | int | str] = {"reserve_money": reserve}
    if best.spend_usd == 0 and len(left):
        key = "nothing_affordable"
    elif not len(left):
        key = "reserve_side_full"
    else:
        per_1000, _ = _marginal(search, best, left)
        key = "reserve_saturated" if per_1000[left].max() <= 1e-6 else "reserve_next_purchase"
    if len(left) and key != "reserve_saturated":
        values["next_money"] = round(float(menu.unit_cost[left].min()) * search.fx, 2)
    return Note(key=key, values=values)


def _seed_check(search: Search, plan: Plan, best: Allocation) -> list[Note]:
    """Where a seed rule and the projection disagree, say so with the figures that decide."""
    brief, fig = search.brief, search.fig
    short = brief.goal.is_short_burst and brief.weeks <= 8 and brief.advocates == 0
    if short and plan.strategy is not Strategy.INFLUENCER:
        seed = search.restricted("influencer")
        return [_disagree("short_burst", best, seed, plan)]
    long_base = brief.goal is Goal.BRAND_AWARENESS and brief.weeks >= 26 and brief.advocates >= 100
    if long_base and not plan.programme:
        seed = search.restricted("long_term")
        note = _disagree("long_awareness", best, seed, plan)
        values = dict(note.values)
        values.update({
            "perks_money": round(fig.s.ambassador_perks_per_month * search.fx, 2),
            "followers": int(fig.s.ambassador_followers),
            "posts": fig.s.ambassador_posts_per_week,
            "activation": fig.s.ambassador_activation_rate})  # fmt: skip
        return [note.model_copy(update={"values": values})]
    return []


def _disagree(rule: str, best: Allocation, seed: Allocation, plan: Plan) -> Note:
    del plan
    return Note(key="seed_disagrees", values={
        "rule": rule, "seed_objective": round(seed.objective_p50, 1),
        "objective": round(best.objective_p50, 1)})  # fmt: skip
