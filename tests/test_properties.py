"""Invariants of the plan, checked on generated briefs (hypothesis)."""

import math

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from advisor import CampaignBrief, Goal, Platform, Region, project, recommend

briefs = st.builds(
    CampaignBrief,
    goal=st.sampled_from(list(Goal)),
    budget=st.floats(min_value=100, max_value=2_000_000, allow_nan=False),
    currency=st.sampled_from(["USD", "EUR", "GBP"]),
    weeks=st.integers(1, 104),
    audience=st.integers(1_000, 50_000_000),
    platforms=st.lists(st.sampled_from(list(Platform)), min_size=1, max_size=3),
    advocates=st.integers(0, 5_000),
    accounts_ready=st.booleans(),
    region=st.sampled_from(list(Region)),
)


@given(briefs)
def test_plan_invariants(brief):
    plan = recommend(brief)
    assert math.isclose(sum(plan.split.values()), 1.0, abs_tol=1e-9)
    assert plan.influencer.spend + plan.ambassador.spend <= brief.budget * (1 + 1e-9)
    assert plan.influencer.spend <= plan.influencer.budget + 1e-6
    assert plan.ambassador.spend <= plan.ambassador.budget + 1e-6
    for series in plan.projection.series:
        assert max(series.reach_p90) <= brief.audience * (1 + 1e-9)
        assert series.spend[-1] <= brief.budget * (1 + 1e-9)
        assert all(np.diff(series.reach_p50) >= -1e-6)  # cumulative reach never falls week to week
        assert all(a <= b + 1e-6 for a, b in zip(series.reach_p10, series.reach_p90, strict=True))
    keys = {f.key for f in plan.rationale}
    assert {"goal", "duration"} <= keys


@given(briefs, st.floats(1.01, 5.0), st.sampled_from([0.0, 0.3, 0.7, 1.0]))
def test_more_budget_never_lowers_projected_reach_for_a_given_split(brief, factor, share):
    small = project(brief, influencer_share=share)
    large = project(
        brief.model_copy(update={"budget": brief.budget * factor}), influencer_share=share
    )
    for a, b in zip(small.series, large.series, strict=True):
        assert b.reach_p50[-1] >= a.reach_p50[-1] - 1e-6


@given(briefs, st.integers(1, 52))
def test_a_longer_influencer_campaign_never_lowers_cumulative_reach(brief, extra):
    """Influencer-only: the same budget over more weeks keeps every creator it had."""
    short = project(brief, influencer_share=1.0).get("influencer")
    longer_brief = brief.model_copy(update={"weeks": min(104, brief.weeks + extra)})
    longer = project(longer_brief, influencer_share=1.0).get("influencer")
    assert longer.reach_p50[-1] >= short.reach_p50[-1] - 1e-6
