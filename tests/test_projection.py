"""Known outputs of the reach model."""

import numpy as np
import pytest

from advisor import CampaignBrief, project
from advisor.benchmarks import load_benchmarks
from advisor.projection import Vehicles, project_vehicles

IG, NANO, MICRO = 0, 0, 1


def one_creator(
    followers, posts_by_week, weeks, tier=MICRO, count=1.0, platform=IG, relationship=0
):
    cum = np.cumsum(posts_by_week, dtype=float)[None, :]
    return Vehicles(
        relationship=np.array([relationship]),
        platform=np.array([platform]),
        tier=np.array([tier]),
        pool=np.array([float(followers)]),
        count=np.array([count]),
        posts=cum,
        engagements_per_post=np.array([100.0]),
        spend=np.zeros((1, weeks)),
    )


def test_one_creator_one_post_reaches_followers_times_reach_rate():
    rate = load_benchmarks().reach[("instagram", "micro")].value
    series = project_vehicles(
        one_creator(40_000, [1], 1), audience=10_000_000, weeks=1, samples=200
    )
    # the Monte Carlo multipliers have median 1: the p50 is the benchmark itself, to rounding
    assert series.reach_p50[0] == pytest.approx(40_000 * rate, rel=0.03)
    assert series.reach_p10[0] < series.reach_p50[0] < series.reach_p90[0]


def test_one_creator_one_post_exact_with_a_single_neutral_sample(monkeypatch):
    import advisor.projection as proj

    monkeypatch.setattr(
        proj, "_multipliers", lambda samples, sigma, stream: np.ones((samples, proj.N_GROUPS))
    )
    rate = load_benchmarks().reach[("instagram", "micro")].value
    series = proj.project_vehicles(
        one_creator(40_000, [1], 1), audience=10_000_000, weeks=1, samples=3
    )
    assert series.reach_p50[0] == pytest.approx(40_000 * rate, rel=1e-9)


def test_two_vehicles_combine_by_random_duplication(monkeypatch):
    import advisor.projection as proj

    monkeypatch.setattr(
        proj, "_multipliers", lambda samples, sigma, stream: np.ones((samples, proj.N_GROUPS))
    )
    rate = load_benchmarks().reach[("instagram", "micro")].value
    a, b = one_creator(40_000, [1], 1), one_creator(60_000, [1], 1)
    both = Vehicles.concat([a, b])
    n = 100_000
    r1, r2 = 40_000 * rate, 60_000 * rate
    series = proj.project_vehicles(both, audience=n, weeks=1, samples=3)
    assert series.reach_p50[0] == pytest.approx(r1 + r2 - r1 * r2 / n, rel=1e-9)


def test_repeated_posts_saturate_within_the_same_followers(monkeypatch):
    import advisor.projection as proj

    monkeypatch.setattr(
        proj, "_multipliers", lambda samples, sigma, stream: np.ones((samples, proj.N_GROUPS))
    )
    series = proj.project_vehicles(
        one_creator(40_000, [1] * 10, 10), audience=10_000_000, weeks=10, samples=3
    )
    gains = np.diff([0.0, *series.reach_p50])
    assert all(gains[1:] < gains[:-1])  # each extra post adds fewer new people
    assert series.reach_p50[-1] < 40_000  # never more than the creator's followers
    assert series.reach_p50[-1] < 10 * series.reach_p50[0] * 0.6  # mostly the same followers again


def test_zero_budget_gives_zero_everything():
    brief = CampaignBrief(budget=0.01)
    projection = project(brief)
    for s in projection.series:
        assert s.reach_p90[-1] == 0 and s.impressions_p90[-1] == 0 and s.spend[-1] == 0


def test_reach_is_capped_by_the_audience():
    v = one_creator(5_000_000, [1, 1], 2, tier=4, count=40)
    series = project_vehicles(v, audience=100_000, weeks=2)
    assert max(series.reach_p90) <= 100_000


def test_ambassador_effect_carries_over_after_posting_stops():
    weeks = 12
    posting = [1] * 4 + [0] * 8
    amb = one_creator(700, posting, weeks, tier=NANO, relationship=1)
    inf = one_creator(700, posting, weeks, tier=NANO, relationship=0)
    a = project_vehicles(amb, 1_000_000, weeks)
    i = project_vehicles(inf, 1_000_000, weeks)
    assert a.remembering_p50[8] > i.remembering_p50[8] > 0  # longer half-life for ambassadors
    assert a.remembering_p50[-1] < a.remembering_p50[3]  # memory fades once posting stops


def test_projection_table_has_the_three_strategies_and_the_cost_metrics():
    frame = project(CampaignBrief(advocates=100, weeks=12)).to_frame()
    assert set(frame["strategy"]) == {"influencer", "ambassador", "recommended"}
    for column in (
        "reach_p50",
        "impressions_p50",
        "engagements_p50",
        "spend",
        "cost_per_thousand_reached",
        "cost_per_engagement",
    ):
        assert column in frame
    assert len(frame) == 3 * 12
