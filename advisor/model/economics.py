"""Unit economics and timing of each relationship: what one unit costs over the campaign and
when it posts. One home for them: the engine's menu, the shortlist and the calendar use these.

- a short-burst influencer: `influencer_posts_per_creator` posts at their price, plus
  contracting; timed to the goal (launch weeks, the run-up to an event, a contest's opening
  and reminder, or spread over the campaign for awareness);
- a long-term paid creator (seed 000's "face of the brand", seed 004's égérie): a deal for the
  whole campaign, posting `face_posts_per_week`, paid per post, plus contracting;
- an advocate (seeds 003, 004: a customer or employee, unpaid): the programme pays product and
  perks and management per *active advocate per month*, and commission on the sales they bring;
  advocates join over the ramp-up weeks and post up to a cap, which costs nothing more;
- the programme itself: set-up, then platform and coordination per month.
"""

from __future__ import annotations

import numpy as np

from advisor.model.assumptions import ModelFigures
from advisor.model.brief import Goal
from advisor.model.menu import Timing


def months(weeks: int | np.ndarray) -> np.ndarray | float:
    return np.asarray(weeks) * 12 / 52 if isinstance(weeks, np.ndarray) else weeks * 12 / 52


def _window(cum: np.ndarray, cycle: int) -> np.ndarray:
    """What a cumulative series adds within the trailing `cycle` weeks, each week."""
    before = np.concatenate([np.zeros(cycle), cum])[: len(cum)]
    return cum - before


def influencer_posts(fig: ModelFigures) -> int:
    return round(fig.s.influencer_posts_per_creator)


def influencer_timing(goal: Goal, weeks: int, fig: ModelFigures, cycle: int) -> Timing:
    """Short-burst creators' posts in time (see the module docstring)."""
    w = np.arange(1, weeks + 1, dtype=float)
    posts = float(influencer_posts(fig))
    if goal is Goal.BRAND_AWARENESS:  # creators start in turn, week after week
        presence = w / weeks
        window = np.minimum(w, cycle) / weeks
        full = np.full(weeks, posts)
        return Timing(presence, full, window, full)
    if goal is Goal.EVENT:  # the run-up to the event, at the end
        cum = np.clip(w - (weeks - posts), 0, posts)
    elif goal is Goal.CONTEST:  # open the contest, remind before it closes
        reminder = max(1, (weeks + 1) // 2)
        cum = np.where(w >= 1, 1.0, 0.0) + (posts - 1) * (w >= reminder)
        cum = np.minimum(cum, posts)
    else:  # launch weeks: straight away
        cum = np.minimum(w, posts)
    ones = np.ones(weeks)
    return Timing(ones, cum, ones, _window(cum, cycle))


def advocate_active(weeks: int, fig: ModelFigures) -> np.ndarray:
    """Share of a programme's advocates active each week: they join over the ramp-up."""
    ramp = max(fig.s.ambassador_ramp_weeks, 1e-9)
    return np.minimum(1.0, np.arange(1, weeks + 1) / ramp)


def advocate_timing(weeks: int, fig: ModelFigures, cycle: int) -> Timing:
    cum = np.cumsum(advocate_active(weeks, fig)) * fig.s.ambassador_posts_per_week
    ones = np.ones(weeks)
    return Timing(ones, cum, ones, _window(cum, cycle))


def face_timing(weeks: int, fig: ModelFigures, cycle: int) -> Timing:
    cum = np.floor(np.arange(1, weeks + 1) * fig.s.face_posts_per_week + 1e-9)
    ones = np.ones(weeks)
    return Timing(ones, cum, ones, _window(cum, cycle))


def quiet_timing(weeks: int) -> Timing:
    """No posts (an appearance at the event)."""
    ones, zeros = np.ones(weeks), np.zeros(weeks)
    return Timing(ones, zeros, ones, zeros)


def spend_profile(t: Timing) -> np.ndarray:
    """Share of a unit's cost paid each week: as its posts happen (or as it is present)."""
    if not (t.posts > 0).any():  # no posts (an appearance): paid at the end, on the day
        return np.eye(len(t.posts))[-1]
    cum = t.presence * np.maximum(t.posts, 1e-12)
    weekly = np.diff(cum, prepend=0.0)
    total = weekly.sum()
    return weekly / total if total > 0 else np.eye(len(weekly))[-1]


def influencer_cost(price_usd: np.ndarray, fig: ModelFigures) -> np.ndarray:
    return influencer_posts(fig) * price_usd + fig.s.influencer_contracting_per_creator


def face_cost(price_usd: np.ndarray, weeks: int, fig: ModelFigures) -> np.ndarray:
    total_posts = float(np.floor(weeks * fig.s.face_posts_per_week + 1e-9))
    return total_posts * price_usd + fig.s.influencer_contracting_per_creator


def advocate_months(weeks: int, fig: ModelFigures) -> float:
    """Months an advocate is active over the campaign (after the ramp-up)."""
    return float(advocate_active(weeks, fig).sum()) * 12 / 52


def advocate_commission(
    engagements_per_post: np.ndarray, weeks: int, fig: ModelFigures, order_value_usd: float | None
) -> np.ndarray:
    """Commission on the sales one active advocate's posts bring, at planning figures."""
    posts = float(advocate_timing(weeks, fig, 4).posts[-1])
    return (
        engagements_per_post
        * posts
        * fig.s.clicks_per_engagement
        * fig.s.conversion_rate
        * (order_value_usd or fig.s.order_value_for_commission)
        * fig.s.ambassador_commission_rate
    )


def advocate_cost(
    engagements_per_post: np.ndarray,
    weeks: int,
    fig: ModelFigures,
    order_value_usd: float | None,
    invited: bool = False,
) -> np.ndarray:
    """What one *active* advocate costs over the campaign: perks and management per active
    month, plus commission on their sales; an *invited* one, times the activation rate."""
    active = fig.s.ambassador_activation_rate if invited else 1.0
    monthly = fig.s.ambassador_perks_per_month + fig.s.ambassador_management_per_month
    commission = advocate_commission(engagements_per_post, weeks, fig, order_value_usd)
    return active * (monthly * advocate_months(weeks, fig) + commission)


def programme_fixed(weeks: int, fig: ModelFigures) -> float:
    """Set-up, then platform and coordination for every month of the campaign."""
    return fig.s.ambassador_setup_cost + fig.s.ambassador_platform_per_month * float(months(weeks))


def programme_profile(weeks: int, fig: ModelFigures) -> np.ndarray:
    """The programme's fixed money by week (US dollars)."""
    out = np.full(weeks, fig.s.ambassador_platform_per_month * 12 / 52)
    out[0] += fig.s.ambassador_setup_cost
    return out


def long_term_possible(weeks: int, fig: ModelFigures) -> bool:
    """Long-term deals and programmes need a minimum length (three months: influencerfee)."""
    return weeks >= fig.s.ambassador_min_weeks
