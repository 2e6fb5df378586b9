"""What the plan buys, line by line, and the influencer and ambassador summaries built from the
very same lines (so a table can never disagree with the headline)."""

from __future__ import annotations

import numpy as np

from advisor.advice.plan import (
    AmbassadorPlan,
    InfluencerPlan,
    NamedCreator,
    PlanLine,
    TierAllocation,
)
from advisor.advice.search import Search
from advisor.model.benchmarks import TIERS
from advisor.model.coefficients import median_draws
from advisor.model.economics import advocate_commission, advocate_months, influencer_posts
from advisor.model.engine import Allocation
from advisor.model.menu import ADVOCATE, APPEARANCE, INFLUENCER
from advisor.model.outcome import Delivery


def _bought_medians(per_draw: np.ndarray, a: Allocation) -> np.ndarray:
    """The median over draws of each option `a` buys (S, O) -> (O,), zero for the others."""
    bought = np.flatnonzero(a.units > 0)
    out = np.zeros(per_draw.shape[1])
    out[bought] = median_draws(per_draw[:, bought])
    return out


def plan_lines(search: Search, a: Allocation, out: Delivery) -> list[PlanLine]:
    """One line per option bought: units, posts, money and what those units alone reach."""
    menu, opts, fx = search.options.menu, search.options, search.fx
    act = search.fig.s.ambassador_activation_rate
    reach = _bought_medians(out.line_reach, a)
    impressions = _bought_medians(out.line_impressions, a)
    lines = []
    for i in np.flatnonzero(a.units > 0):
        rel, platform, tier = opts.names(int(i))
        units = float(a.units[i])
        t = menu.timings[int(menu.timing[i])]
        posts = float(t.posts[-1] * t.presence[-1]) * units
        listed_adv = menu.relationship[i] == ADVOCATE and menu.row[i] >= 0
        active = units * act if listed_adv else units
        if listed_adv:
            posts *= act
        lines.append(
            PlanLine(
                relationship=rel,
                platform=platform,
                tier=tier,
                handle=opts.handles[i],
                line=opts.lines[i],
                units=units,
                active=round(active, 2),
                posts=round(posts, 2),
                spend=round(units * float(menu.unit_cost[i]) * fx, 2),
                reach=round(float(reach[i]), 1),
                impressions=round(float(impressions[i]), 1),
            )
        )
    order = {"influencer": 0, "face": 1, "advocate": 2, "appearance": 3}
    return sorted(lines, key=lambda x: (order[x.relationship], -x.spend, x.handle or ""))


def influencer_plan(search: Search, a: Allocation, lines: list[PlanLine]) -> InfluencerPlan:
    fx = search.fx
    short = [x for x in lines if x.relationship == "influencer"]
    posts = influencer_posts(search.fig)
    spend = sum(x.spend for x in short)
    contracting = search.fig.s.influencer_contracting_per_creator * fx
    tiers = []
    for tier in TIERS:
        mine = [x for x in short if x.tier == tier]
        money = round(sum(x.spend for x in mine), 2)
        creators = round(sum(x.units for x in mine))
        tiers.append(
            TierAllocation(
                tier=tier,
                creators=creators,
                posts=creators * posts,
                spend=money,
                share=round(money / spend, 4) if spend > 0 else 0.0,
            )
        )
    creators = round(sum(x.units for x in short))
    return InfluencerPlan(
        budget=round(spend, 2),
        spend=round(spend, 2),
        creators=creators,
        posts=creators * posts,
        posts_per_creator=posts,
        contracting=round(contracting * creators, 2),
        tiers=tiers,
        handles=[x.handle for x in short if x.handle],
    )


def ambassador_plan(search: Search, a: Allocation, lines: list[PlanLine]) -> AmbassadorPlan:
    """The long-term side: the advocate programme's costs, item by item, and the long-term
    paid creators ("faces")."""
    fig, fx, weeks = search.fig, search.fx, search.brief.weeks
    menu = search.options.menu
    adv = [x for x in lines if x.relationship == "advocate"]
    faces = [x for x in lines if x.relationship == "face"]
    appear = [x for x in lines if x.relationship == "appearance"]
    active = sum(x.active for x in adv)
    months = advocate_months(weeks, fig)
    is_adv = menu.relationship == ADVOCATE
    commission = float(
        (
            a.units[is_adv]
            * np.where(menu.row[is_adv] >= 0, fig.s.ambassador_activation_rate, 1.0)
            * advocate_commission(
                menu.engagements_per_post[is_adv], weeks, fig, search.options.order_value_usd
            )
        ).sum()
    )
    setup = fig.s.ambassador_setup_cost if a.programme else 0.0
    platform = (menu.fixed_usd - fig.s.ambassador_setup_cost) if a.programme else 0.0
    side = [x for x in lines if x.relationship != "influencer"]
    listed = is_adv & (menu.row >= 0)
    n_available = float(listed.sum()) if listed.any() else float(search.brief.advocates)
    blocked = None
    if not adv:
        blocked = "too_short" if not (menu.relationship != INFLUENCER).any() else "too_small"
        if search.brief.advocates == 0 and search.source.table is None:
            blocked = "no_base"
    return AmbassadorPlan(
        budget=round(sum(x.spend for x in side) + (setup + platform) * fx, 2),
        spend=round(sum(x.spend for x in side) + (setup + platform) * fx, 2),
        ambassadors=round(active),
        available=round(n_available * fig.s.ambassador_activation_rate),
        posts=round(sum(x.posts for x in side if x.relationship != "appearance"), 2),
        setup=round(setup * fx, 2),
        platform=round(platform * fx, 2),
        perks=round(active * fig.s.ambassador_perks_per_month * months * fx, 2),
        management=round(active * fig.s.ambassador_management_per_month * months * fx, 2),
        commissions=round(commission * fx, 2),
        appearances=round(sum(x.units for x in appear)),
        appearances_spend=round(sum(x.spend for x in appear), 2),
        brand_faces=round(sum(x.units for x in faces)),
        brand_faces_spend=round(sum(x.spend for x in faces), 2),
        blocked=blocked,
        handles=[x.handle for x in adv if x.handle],
    )


def named_creators(search: Search, a: Allocation, out: Delivery) -> list[NamedCreator]:
    """The list's creators the plan pays or invites, by expected reach."""
    table = search.source.table
    if table is None:
        return []
    menu, _opts, fx = search.options.menu, search.options, search.fx
    frame = table.frame
    reach = _bought_medians(out.line_reach, a)
    act = search.fig.s.ambassador_activation_rate
    people = []
    for i in np.flatnonzero((a.units > 0) & (menu.row >= 0)):
        row = frame.loc[int(menu.row[i])]
        rel = int(menu.relationship[i])
        t = menu.timings[int(menu.timing[i])]
        posts = float(t.posts[-1]) * (act if rel == ADVOCATE else 1.0)
        cost_usd = float(menu.unit_cost[i])
        people.append(
            NamedCreator(
                handle=str(row["handle"]),
                name=None
                if row["name"] is None or row["name"] != row["name"]
                else str(row["name"]),
                platform=str(row["platform"]),
                tier=str(row["tier"]),
                relationship="ambassador" if rel in (ADVOCATE, APPEARANCE) else "influencer",
                line=int(row["line"]) if int(row["line"]) > 0 else None,
                posts=round(posts, 2),
                cost=round(cost_usd * fx, 2),
                cost_usd=round(cost_usd, 2),
                cost_per_post=round(float(row["cost_usd"]) * fx, 2),
                list_cost_per_post=round(float(row["cost_per_post"]), 2),
                list_currency=table.currency,
                cost_estimated=bool(row["cost_estimated"]),
                reach=round(float(reach[i]), 1),
                flags=[x for x in str(row["flags"]).split(";") if x],
            )
        )
    return sorted(people, key=lambda c: (-c.reach, c.handle))
