"""What an allocation delivers, week by week and per draw: one computation for the headline,
the weekly chart, the lines' table, the report and the exports (one reach, one cap).

The final week's cumulative reach *is* the plan's reach; the objective is the goal's figure
from the same draws (`Coefficients.value`); entries, clicks and orders never exceed the people
reached.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from advisor.model.assumptions import ModelFigures
from advisor.model.brief import Goal
from advisor.model.coefficients import Coefficients
from advisor.model.exposure import add_by_option, exposure, offline_log_q0_by_count
from advisor.model.laws import distinct_columns, log_q0_of, weekly_missed_share
from advisor.model.menu import Menu
from advisor.model.projection import (
    Band,
    Draws,
    Multipliers,
    StrategySeries,
    adstock,
    multipliers,
)


@dataclass(frozen=True)
class Delivery:
    """Per-draw results (S,) and weekly cumulative series (S, W) of one allocation."""

    objective: np.ndarray
    reach: np.ndarray
    effective_reach: np.ndarray
    impressions: np.ndarray
    engagements: np.ndarray
    clicks: np.ndarray
    sales: np.ndarray
    met: np.ndarray
    weekly_reach: np.ndarray
    weekly_impressions: np.ndarray
    weekly_engagements: np.ndarray
    line_reach: np.ndarray  # (S, O) each option's units alone, same cap
    line_impressions: np.ndarray  # (S, O)
    spend_weekly_usd: np.ndarray  # (W,)


def deliver(
    menu: Menu,
    co: Coefficients,
    units: np.ndarray,
    programme: bool,
    fig: ModelFigures,
    d: Draws,
    weekly: tuple[np.ndarray, np.ndarray] | None = None,
) -> Delivery:
    """Project `units` of `menu` on the draws `co` was built on (all of them). `weekly`: the
    bought options' `weekly_log_missed`, when computed already (for several allocations at
    once: each option's column is the same whatever else is bought)."""
    n = co.audience
    weeks = menu.weeks
    bought = np.flatnonzero(units > 0)
    log_missed_w = np.zeros((d.samples, weeks))
    line_log = np.zeros((d.samples, menu.size))
    imp_w = np.zeros((d.samples, weeks))
    eng_w = np.zeros((d.samples, weeks))
    m = multipliers(fig, d)
    if len(bought):
        if weekly is None:
            lw, at = weekly_log_missed(menu, bought, fig, m, n, co.target), np.arange(len(bought))
        else:  # columns of a larger set of options: this allocation's units at their places
            lw, at = weekly
        u = np.zeros(lw.shape[1])
        u[at] = units[bought]
        log_missed_w = np.matmul(u, lw).T  # (S, W)
        line_log[:, bought] = lw[-1, at].T * units[bought]
        share = _weekly_share(menu, bought)  # (B, W) cumulative share of final posts
        imp_w = (co.impressions[:, bought] * units[bought]) @ share
        eng_w = (co.engagements[:, bought] * units[bought]) @ share
    weekly_reach = n[:, None] * -np.expm1(np.minimum(log_missed_w, 0.0)) + 0.0
    reach = weekly_reach[:, -1]
    state = co.state(units, every=True)
    assert state.met is not None and state.entries is not None
    met = state.met[:, 0]
    # the goal's figure from this very reach: headline = chart = lines, to the last person
    if co.goal is Goal.BRAND_AWARENESS:
        objective = co.value(state)[:, 0]
    elif co.goal is Goal.EVENT:
        objective = np.minimum(reach + met, n)
    elif co.goal is Goal.CONTEST:
        objective = np.minimum(state.entries[:, 0], reach)
    else:
        objective = reach
    effective = objective if co.goal is Goal.BRAND_AWARENESS else np.zeros_like(reach)
    engagements = eng_w[:, -1]
    clicks = np.minimum(engagements * fig.s.clicks_per_engagement * m.clicks, reach)
    sales = clicks * np.minimum(fig.s.conversion_rate * m.conversion, 1.0)
    spend = menu.weekly_spend(units).sum(axis=0)
    if programme:
        spend = spend + menu.fixed_profile
    return Delivery(
        objective=objective,
        reach=reach,
        effective_reach=effective,
        impressions=imp_w[:, -1],
        engagements=engagements,
        clicks=clicks,
        sales=sales,
        met=met,
        weekly_reach=weekly_reach,
        weekly_impressions=imp_w,
        weekly_engagements=eng_w,
        line_reach=n[:, None] * -np.expm1(np.minimum(line_log, 0.0)) + 0.0,
        line_impressions=co.impressions * units[None, :],
        spend_weekly_usd=spend,
    )


def _weekly_share(menu: Menu, bought: np.ndarray) -> np.ndarray:
    """Each option's cumulative share of its final posts, by week."""
    t = [menu.timings[i] for i in menu.timing[bought]]
    cum = np.stack([x.presence * x.posts for x in t])
    final = np.maximum(cum[:, -1:], 1e-12)
    return np.where(cum[:, -1:] > 0, cum / final, 0.0)


def weekly_log_missed(
    menu: Menu,
    bought: np.ndarray,
    fig: ModelFigures,
    m: Multipliers,
    n: np.ndarray,
    audience: float,
) -> np.ndarray:
    """log P(missed) per unit of each bought option at each week's end (W, B, S: draws last,
    so an option's figures are one contiguous row): an option's cumulative posts stay the same
    for runs of weeks (a burst keeps its count), so the reach law is computed once per run,
    then laid out by week and weighted by presence."""
    conc = fig.s.post_reach_concentration
    e = exposure(menu.subset(bought), fig, m, n, audience)
    timings = [menu.timings[i] for i in menu.timing[bought]]
    posts = np.stack([x.posts for x in timings])  # (B, W)
    presence = np.stack([x.presence for x in timings])
    _, sets = distinct_columns(e.rho, e.post_mult)
    p0, law_at = weekly_missed_share(e.rho, posts, e.post_mult, conc, sets)
    starts = np.ones(posts.shape, dtype=bool)  # a run starts where the posts change
    starts[:, 1:] = np.diff(posts, axis=1) != 0
    own, first = np.nonzero(starts)  # each run's option and first week
    at = np.cumsum(starts.ravel()).reshape(posts.shape) - 1  # (B, W): each week's run
    rows = np.ascontiguousarray(p0.T)[law_at[own, first]]  # (runs, S)
    on = log_q0_of(rows, np.ascontiguousarray(e.frac.T)[own], in_place=True)
    on *= np.ascontiguousarray(e.mult.T)[own]
    out = np.take(on, at.T, axis=0)  # (W, B, S)
    out *= presence.T[:, :, None]
    offline = np.flatnonzero(e.is_adv & (menu.offline_pool > 0))
    if len(offline):  # word of mouth: active advocates, present on line or not
        distinct, column = offline_log_q0_by_count(menu, posts[offline].T, n, conc)
        said = np.take(np.ascontiguousarray(distinct.T), column, axis=0)  # (W, n_off, S)
        said *= e.act.T[offline]
        add_by_option(out, offline, said, axis=1)
    return out


def series_from(
    name: str,
    share: float,
    out: Delivery,
    fig: ModelFigures,
    fx: float,
    order_value: float | None,
    half_life: float = 1.0,
) -> StrategySeries:
    """Summarise a `Delivery` (money converted with `fx` per US dollar)."""
    weeks = out.weekly_reach.shape[1]
    figures = [out.objective, out.effective_reach, out.impressions, out.engagements, out.clicks]
    figures.append(out.sales)
    spend = np.cumsum(out.spend_weekly_usd) * fx
    total = float(spend[-1]) if weeks else 0.0
    if order_value is not None:
        rev = out.sales * order_value  # already in the brief's currency
        figures += [rev, rev / total] if total > 0 else [rev]
    # every band in one call: the weekly series and the figures (S draws x columns), sorted
    # first (the same order statistics: numpy's partition for three quantiles along the
    # draws costs several times a sort)
    columns = [out.weekly_reach, out.weekly_impressions, out.weekly_engagements]
    every = np.concatenate([*columns, np.stack(figures, axis=1)], axis=1)
    q = np.percentile(np.sort(every, axis=0), [10, 50, 90], axis=0)
    r10, r50, r90 = q[:, :weeks]
    imp_w, eng_w = q[1, weeks : 2 * weeks], q[1, 2 * weeks : 3 * weeks]
    q = q[:, 3 * weeks :]
    remembering = np.minimum(adstock(np.diff(r50, prepend=0.0), half_life), r50)
    objective = q[:, 0]
    digits = (2, 1, 0, 1, 1, 2, 2, 2)  # objective, effective reach, impressions, ...
    bands = [Band.of_quantiles(q[:, j], digits[j]) for j in range(1, len(figures))]
    effective, impressions, engagements, clicks, sales = bands[:5]
    revenue = bands[5] if len(bands) > 5 else None
    roas = bands[6] if len(bands) > 6 else None
    return StrategySeries(
        strategy=name,
        influencer_share=round(share, 4),
        week=list(range(1, weeks + 1)),
        reach_p10=np.round(r10, 1).tolist(),
        reach_p50=np.round(r50, 1).tolist(),
        reach_p90=np.round(r90, 1).tolist(),
        impressions_p50=np.round(imp_w, 1).tolist(),
        engagements_p50=np.round(eng_w, 1).tolist(),
        remembering_p50=np.round(remembering, 1).tolist(),
        spend=np.round(spend, 2).tolist(),
        objective_p10=round(float(objective[0]), 2),
        objective_p50=round(float(objective[1]), 2),
        objective_p90=round(float(objective[2]), 2),
        effective_reach=effective,
        impressions=impressions,
        engagements=engagements,
        clicks=clicks,
        sales=sales,
        revenue=revenue,
        return_on_spend=roas,
        met_in_person=round(float(np.median(out.met)), 1),
        cost_per_result=round(total / objective[1], 4) if objective[1] > 0 else None,
        cost_per_thousand_impressions=(
            round(total / impressions.p50 * 1000, 4) if impressions.p50 > 0 else None
        ),
    )
