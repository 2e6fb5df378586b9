"""The shortlist optimiser: exact on small cases, within budget, follows the analyst's rules."""

import itertools

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from advisor import CampaignBrief, recommend
from advisor.creators.shortlist import (
    ShortlistRules,
    greedy_shortlist,
    keep_of,
    optimise_shortlist,
    shortlist_value,
)


def creators(n: int, seed: int = 0, ambassadors: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    followers = np.exp(rng.uniform(np.log(2_000), np.log(800_000), n)).round()
    frame = pd.DataFrame(
        {
            "handle": [f"@c{i}" for i in range(n)],
            "platform": rng.choice(["instagram", "tiktok", "youtube"], n),
            "followers": followers,
            "avg_likes": (followers * rng.uniform(0.005, 0.05, n)).round(),
            "avg_comments": (followers * rng.uniform(0.0002, 0.002, n)).round(),
            "avg_views": np.nan,
            "cost_per_post": (followers * rng.uniform(0.005, 0.02, n)).round() + 20,
            "relationship": ["ambassador" if i < ambassadors else "influencer" for i in range(n)],
            "flags": "",
        }
    )
    frame.loc[frame["relationship"] == "ambassador", "cost_per_post"] = np.nan
    return frame


def brute_force_best(brief, table, share, rules):
    """Try every subset (small n only) with the optimiser's own value function."""
    from advisor import Assumptions
    from advisor.creators.shortlist import _per_creator
    from advisor.creators.table import creator_table

    fig = Assumptions().model()
    data = _per_creator(creator_table(table, fig), brief, fig)
    budget = brief.budget_usd * share
    cost = data["campaign_cost_usd"].to_numpy()
    on_brief = data["platform"].astype(str).isin([p.value for p in brief.platforms]).to_numpy()
    ok = (cost <= budget * rules.max_share_per_creator) & on_brief
    frac = np.minimum(data["expected_reach"].to_numpy() / brief.audience, 1 - 1e-12)
    best = 0.0
    idx = np.flatnonzero(ok)
    for k in range(len(idx) + 1):
        for combo in itertools.combinations(idx, k):
            if cost[list(combo)].sum() <= budget:
                best = max(best, brief.audience * -np.expm1(np.log1p(-frac[list(combo)]).sum()))
    return best


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_milp_matches_brute_force_on_small_lists(seed):
    table = creators(12, seed)
    brief = CampaignBrief(budget=8_000, weeks=4, audience=1_000_000)
    rules = ShortlistRules(max_share_per_creator=0.6)
    result = optimise_shortlist(brief, table, 1.0, rules)
    assert result.status == "optimal"
    assert shortlist_value(result, brief.audience) == pytest.approx(
        brute_force_best(brief, table, 1.0, rules), rel=1e-6
    )


@given(st.integers(0, 10_000), st.floats(2_000, 200_000), st.floats(0.05, 1.0))
def test_never_over_budget_and_never_worse_than_greedy(seed, budget, share_cap):
    table = creators(120, seed, ambassadors=20)
    brief = CampaignBrief(budget=budget, weeks=12, advocates=20)
    rules = ShortlistRules(max_share_per_creator=share_cap)
    exact = optimise_shortlist(brief, table, 0.7, rules)
    greedy = greedy_shortlist(brief, table, 0.7, rules)
    assert exact.influencer_cost_usd <= budget * 0.7 + 1e-6
    assert exact.ambassador_cost_usd <= budget * 0.3 + 1e-6
    if len(exact.table):
        inf = exact.table[exact.table["relationship_idx"] == 0]
        assert (inf["campaign_cost_usd"] <= budget * 0.7 * share_cap + 1e-6).all()
    assert shortlist_value(exact, brief.audience) >= shortlist_value(greedy, brief.audience) - 1e-6


def test_rules_are_respected():
    table = creators(200, 7, ambassadors=30)
    table.loc[5, "flags"] = "low_engagement"
    brief = CampaignBrief(budget=50_000, weeks=26, advocates=30)
    rules = ShortlistRules(
        min_ambassadors=10, max_per_platform={"youtube": 2}, min_per_platform={"tiktok": 5}
    )
    result = optimise_shortlist(brief, table, 0.6, rules)
    chosen = result.table
    assert (chosen["relationship_idx"] == 1).sum() >= 10
    assert (chosen["platform"] == "youtube").sum() <= 2
    assert (chosen["platform"] == "tiktok").sum() >= 5
    assert "@c5" not in set(chosen["handle"])


def test_impossible_rules_say_so():
    table = creators(30, 3)
    brief = CampaignBrief(budget=1_000, weeks=4)
    result = optimise_shortlist(brief, table, 1.0, ShortlistRules(min_ambassadors=5))
    assert result.status == "infeasible"


def test_contest_maximises_engagements():
    table = creators(60, 4)
    brief = CampaignBrief(goal="contest", budget=20_000, weeks=4)
    assert optimise_shortlist(brief, table, 1.0).objective == "engagements"


def test_the_plan_uses_the_shortlist_as_is():
    table = creators(150, 5, ambassadors=40)
    brief = CampaignBrief(goal="brand_awareness", budget=40_000, weeks=26, advocates=40)
    plan = recommend(brief, creators=table)
    shortlist = optimise_shortlist(brief, table, plan.split["influencer"])
    short_plan = recommend(brief, creators=shortlist)
    assert short_plan.data_source.startswith("shortlist")
    assert set(short_plan.influencer.handles) | set(short_plan.ambassador.handles) == set(
        shortlist.handles
    )
    assert (
        short_plan.projection.get("recommended").final_reach
        >= plan.projection.get("recommended").final_reach * 0.95
    )


def test_only_creators_on_the_briefs_platforms_are_considered():
    """Regression: an Instagram + TikTok brief got YouTube creators in its shortlist."""
    table = creators(300, 11, ambassadors=40)
    # the YouTube creators are the cheapest for their reach: the solver would take them first
    youtube = table["platform"] == "youtube"
    table.loc[youtube, "cost_per_post"] = 20
    brief = CampaignBrief(budget=30_000, weeks=12, advocates=40, platforms=["instagram", "tiktok"])
    for result in (
        optimise_shortlist(brief, table, 0.7),
        greedy_shortlist(brief, table, 0.7),
        optimise_shortlist(brief, table, 0.7, ShortlistRules(min_per_platform={"youtube": 1})),
    ):
        assert set(result.table["platform"].astype(str)) <= {"instagram", "tiktok"}
    assert optimise_shortlist(brief, table, 0.7).status != "infeasible"
    wide = brief.model_copy(update={"platforms": ("instagram", "tiktok", "youtube")})
    assert "youtube" in set(optimise_shortlist(wide, table, 0.7).table["platform"].astype(str))


def test_refining_starts_from_the_creators_kept():
    """`keep`: each creator to start from stays while the rules allow it; the rest of the
    budget goes to the best others, never off the brief's platforms."""
    table = creators(200, 12)
    brief = CampaignBrief(budget=20_000, weeks=8)
    best = optimise_shortlist(brief, table, 1.0, ShortlistRules(max_share_per_creator=1.0))
    on_brief = table[table["platform"].isin(["instagram", "tiktok"])]
    # start from creators the optimiser alone would not pick (the worst reach per dollar)
    ratio = on_brief["followers"] / on_brief["cost_per_post"]
    worst = on_brief.loc[ratio.nsmallest(3).index]
    keep = list(zip(worst["handle"], worst["platform"], strict=True))
    assert not set(worst["handle"]) & set(best.handles)
    rules = ShortlistRules(max_share_per_creator=1.0)
    kept = optimise_shortlist(brief, table, 1.0, rules, keep=keep)
    assert set(worst["handle"]) <= set(kept.handles)
    assert len(kept.handles) > 3  # and others, with what is left of the budget
    assert kept.influencer_cost_usd <= brief.budget_usd + 1e-6
    assert set(kept.table["platform"].astype(str)) <= {"instagram", "tiktok"}
    # A rule that leaves one out wins over keeping it, without making the rules impossible.
    platform = str(worst["platform"].iloc[0])
    strict = ShortlistRules(max_share_per_creator=1.0, max_per_platform={platform: 0})
    ruled = optimise_shortlist(brief, table, 1.0, strict, keep=keep)
    assert ruled.status != "infeasible"
    assert not (ruled.table["platform"].astype(str) == platform).any()


def test_a_plans_creators_are_kept_when_refining_with_default_rules():
    table = creators(150, 5, ambassadors=40)
    brief = CampaignBrief(goal="product_launch", budget=15_000, weeks=8)
    plan = recommend(brief, creators=table)
    assert plan.creators
    shortlist = optimise_shortlist(
        brief, table, plan.split["influencer"], ShortlistRules(max_share_per_creator=1.0),
        keep=keep_of(plan.creators),
    )  # fmt: skip
    assert set(keep_of(plan.creators)) <= set(
        zip(shortlist.table["handle"], shortlist.table["platform"].astype(str), strict=True)
    )
