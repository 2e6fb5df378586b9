"""Invariants of the plan, checked on generated briefs (hypothesis)."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from advisor import Assumptions, CampaignBrief, Goal, Platform, Region, recommend
from advisor.advice.recommend import CLEAR_MARGIN, NEAR_TIE
from advisor.sharing.links import brief_from_query, brief_to_query

briefs = st.builds(
    CampaignBrief,
    goal=st.sampled_from(list(Goal)),
    budget=st.floats(min_value=100, max_value=5_000_000, allow_nan=False),
    currency=st.sampled_from(["USD", "EUR", "GBP"]),
    weeks=st.integers(1, 104),
    audience=st.integers(1_000, 50_000_000),
    platforms=st.lists(st.sampled_from(list(Platform)), min_size=1, max_size=3),
    advocates=st.integers(0, 10_000),
    accounts_ready=st.booleans(),
    region=st.sampled_from(list(Region)),
)
FEW = settings(max_examples=25, deadline=None, derandomize=True)  # reproducible in CI


def cheapest_creator(brief: CampaignBrief) -> float:
    """The cheapest single hire on the brief's platforms, in the brief's currency."""
    fig = Assumptions().model()
    idx = [list(Platform).index(p) for p in brief.platforms]
    posts = fig.value("influencer_posts_per_creator")
    usd = min(posts * fig.cost[i, 0] + fig.value("influencer_contracting_per_creator") for i in idx)
    return usd * brief.budget / brief.budget_usd


@FEW
@given(briefs)
def test_plan_invariants(brief):
    plan = recommend(brief)
    assert math.isclose(sum(plan.split.values()), 1.0, abs_tol=1e-9)
    assert plan.influencer.spend + plan.ambassador.spend <= brief.budget * (1 + 1e-9)
    assert plan.influencer.spend <= plan.influencer.budget + 1e-6
    assert plan.ambassador.spend <= plan.ambassador.budget + 1e-6
    for series in plan.projection.series:
        assert max(series.reach_p90) < 0.95 * brief.audience
        assert series.total_spend <= brief.budget * (1 + 1e-9)
        assert np.all(np.diff(series.reach_p50) >= -1e-6)  # cumulative reach never falls
        assert series.objective_p10 <= series.objective_p50 <= series.objective_p90
        if series.objective_p50 > 0:
            assert series.objective_p90 > series.objective_p10  # bands never collapse
    # the recommendation is the projection's best: no pure strategy beats it by more than 5%
    rec = plan.recommended.objective_p50
    for name in ("influencer", "ambassador"):
        assert plan.projection.get(name).objective_p50 <= rec * 1.05 + 1e-6
    # never "high" on a near-tie
    if plan.margin is not None and plan.margin < CLEAR_MARGIN:
        assert plan.confidence_label != "high"
    # never spend nothing when the cheapest creator fits
    if cheapest_creator(brief) <= brief.budget:
        assert plan.recommended.total_spend > 0


@FEW
@given(briefs, st.floats(1.05, 5.0))
def test_more_budget_never_lowers_the_objective(brief, factor):
    small = recommend(brief).recommended.objective_p50
    large = recommend(brief.model_copy(update={"budget": min(brief.budget * factor, 1e9)}))
    assert large.recommended.objective_p50 >= small * (1 - NEAR_TIE) - 1e-6


@FEW
@given(briefs, st.integers(1, 5_000))
def test_more_advocates_never_lower_the_objective(brief, extra):
    base = recommend(brief).recommended.objective_p50
    more = recommend(brief.model_copy(update={"advocates": brief.advocates + extra}))
    assert more.recommended.objective_p50 >= base * (1 - NEAR_TIE) - 1e-6


@settings(max_examples=200, deadline=None)
@given(briefs, st.one_of(st.none(), st.floats(0.01, 1_000_000, allow_nan=False)))
def test_a_link_reproduces_the_brief_exactly(brief, order_value):
    brief = brief.model_copy(update={"order_value": order_value})
    again, bad = brief_from_query(brief_to_query(brief))
    assert bad == [] and again == brief


@settings(max_examples=200, deadline=None)
@given(st.decimals(min_value="0.01", max_value="999999999.99", places=2))
def test_budgets_travel_in_links_to_the_cent(amount):
    brief = CampaignBrief(budget=float(amount))
    again, bad = brief_from_query(brief_to_query(brief))
    assert bad == [] and again.budget == float(amount)


# --- the same promises for a plan built from the sample list (advisor/data/creators.csv) ---

_SAMPLE: list = []


def sample_list():
    """The bundled sample, loaded once for all examples (`advisor.load_creators`)."""
    if not _SAMPLE:
        from advisor import load_creators

        _SAMPLE.append(load_creators("advisor/data/creators.csv"))
    return _SAMPLE[0]


list_briefs = st.builds(
    CampaignBrief,
    goal=st.sampled_from(list(Goal)),
    budget=st.floats(min_value=300, max_value=2_000_000, allow_nan=False),
    currency=st.sampled_from(["USD", "EUR", "GBP"]),
    weeks=st.integers(1, 104),
    audience=st.integers(10_000, 50_000_000),
    platforms=st.lists(st.sampled_from(list(Platform)), min_size=1, max_size=3),
    advocates=st.integers(0, 5_000),
)
LIST_FEW = settings(max_examples=12, deadline=None, derandomize=True)


@LIST_FEW
@given(list_briefs)
def test_plan_invariants_with_a_named_list(brief):
    plan = recommend(brief, creators=sample_list())
    assert plan.influencer.spend + plan.ambassador.spend <= brief.budget * (1 + 1e-9)
    assert plan.influencer.spend <= plan.influencer.budget + 1e-6
    assert plan.ambassador.spend <= plan.ambassador.budget + 1e-6
    for series in plan.projection.series:
        assert max(series.reach_p90) < 0.95 * brief.audience
        assert series.total_spend <= brief.budget * (1 + 1e-9)
    for c in plan.creators:
        assert 0 <= c.reach <= brief.audience
    named_cost = sum(c.cost for c in plan.creators if c.relationship == "influencer")
    assert named_cost <= plan.influencer.spend + 0.01 * (1 + len(plan.creators))
    rec = plan.recommended.objective_p50
    for name in ("influencer", "ambassador"):
        assert plan.projection.get(name).objective_p50 <= rec * 1.05 + 1e-6


@LIST_FEW
@given(list_briefs, st.floats(1.05, 5.0))
def test_more_budget_never_lowers_the_objective_with_a_named_list(brief, factor):
    small = recommend(brief, creators=sample_list()).recommended.objective_p50
    bigger = brief.model_copy(update={"budget": min(brief.budget * factor, 1e9)})
    large = recommend(bigger, creators=sample_list()).recommended.objective_p50
    assert large >= small * (1 - NEAR_TIE) - 1e-6
