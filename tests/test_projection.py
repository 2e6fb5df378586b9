"""The projection engine: known outputs of the exposure arithmetic, and its guarantees."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from scipy.special import betaln, comb

from advisor import Assumptions, CampaignBrief
from advisor.model.brief import Goal
from advisor.model.projection import (
    MAX_REACHABLE_SHARE,
    Extras,
    Relationship,
    Vehicles,
    _combine,
    draws,
    evaluate,
    missed_share,
    pmf012,
    reachable_audience,
)

FIG = Assumptions().model()


def _beta_binomial(k: int, j: int, rho: float, c: float) -> float:
    a, b = rho * c, (1 - rho) * c
    return float(comb(k, j) * np.exp(betaln(a + j, b + k - j) - betaln(a, b))) if j <= k else 0.0


@pytest.mark.parametrize(
    ("rho", "k"), list(itertools.product([0.05, 0.229, 0.6], [0, 1, 2, 3, 13, 52]))
)
def test_pmf012_is_the_beta_binomial(rho, k):
    got = [float(x[0]) for x in pmf012(np.array([rho]), np.array([float(k)]), 1.5)]
    want = [_beta_binomial(k, j, rho, 1.5) for j in range(3)]
    assert got == pytest.approx(want, rel=1e-9, abs=1e-15)
    assert float(missed_share(np.array([rho]), np.array([float(k)]), 1.5)[0]) == pytest.approx(
        want[0], rel=1e-12
    )


def test_fractional_posts_sit_between_whole_counts():
    lo = [float(x[0]) for x in pmf012(np.array([0.3]), np.array([4.0]), 1.5)]
    hi = [float(x[0]) for x in pmf012(np.array([0.3]), np.array([5.0]), 1.5)]
    mid = [float(x[0]) for x in pmf012(np.array([0.3]), np.array([4.25]), 1.5)]
    assert mid == pytest.approx([0.75 * a + 0.25 * b for a, b in zip(lo, hi, strict=True)])


def test_combining_vehicles_matches_brute_force_convolution():
    """Three vehicles, each covering a share f of the audience with its own exposure pmf."""
    fracs = np.array([0.3, 0.15, 0.5])
    posts = np.array([3.0, 1.0, 6.0])
    rhos = np.array([0.4, 0.25, 0.2])
    counts = np.array([1.0, 2.0, 1.0])
    p = pmf012(rhos, posts, 1.5)
    none, once, twice = _combine(fracs, counts, p)

    # brute force: full pmf per vehicle, convolved (counts expand to copies)
    total = np.array([1.0])
    for f, k, rho, n in zip(fracs, posts, rhos, counts, strict=True):
        full = np.array([_beta_binomial(int(k), j, rho, 1.5) for j in range(int(k) + 1)])
        mixed = f * full
        mixed[0] += 1 - f
        for _ in range(int(n)):
            total = np.convolve(total, mixed)
    assert [float(none), float(once), float(twice)] == pytest.approx(total[:3], rel=1e-9)


def _vehicles(n: int, weeks: int, posts: float, relationship: int = 0) -> Vehicles:
    return Vehicles(
        relationship=np.full(n, relationship),
        platform=np.zeros(n, dtype=int),
        tier=np.ones(n, dtype=int),
        pool=np.full(n, 30_000.0),
        count=np.ones(n),
        posts=np.repeat(np.minimum(np.arange(1, weeks + 1), posts)[None, :], n, 0).astype(float),
        engagements_per_post=np.full(n, 300.0),
        spend=np.full((n, weeks), 10.0),
        priced=np.zeros(n, bool),
        count_max=np.full(n, np.inf),
    )


def test_reach_never_exceeds_95_percent_of_the_audience_and_bands_stay_open():
    d = draws()
    ceiling = reachable_audience(1_000, FIG, d)
    assert ceiling.max() < MAX_REACHABLE_SHARE * 1_000
    assert np.percentile(ceiling, 90) > np.percentile(ceiling, 10)
    v = _vehicles(500, 8, 8)  # far more than enough to saturate 1,000 people
    out = evaluate(v, Goal.PRODUCT_LAUNCH, 1_000, FIG, d, weekly=True)
    assert out.reach.max() < 950
    assert out.weekly["reach"].max() < 950
    lo, hi = np.percentile(out.reach, [10, 90])
    assert hi > lo  # never a zero-width band


def test_effective_reach_is_at_most_reach_and_grows_with_repetition():
    d = draws()
    few = evaluate(_vehicles(20, 26, 2), Goal.BRAND_AWARENESS, 2_000_000, FIG, d)
    many = evaluate(_vehicles(20, 26, 26), Goal.BRAND_AWARENESS, 2_000_000, FIG, d)
    assert np.all(few.effective_reach <= few.reach + 1e-9)
    assert np.median(many.effective_reach) > 5 * np.median(few.effective_reach)


def test_paid_posts_count_at_the_trust_weight_advocates_in_full():
    d = draws()
    paid = evaluate(_vehicles(20, 26, 26, Relationship.FACE), Goal.BRAND_AWARENESS, 2e6, FIG, d)
    own = evaluate(_vehicles(20, 26, 26, Relationship.ADVOCATE), Goal.BRAND_AWARENESS, 2e6, FIG, d)
    assert np.median(paid.reach) == pytest.approx(np.median(own.reach), rel=0.35)
    assert np.median(own.effective_reach) > np.median(paid.effective_reach)


def test_objectives_per_goal():
    d = draws()
    v = _vehicles(10, 6, 2)
    launch = evaluate(v, Goal.PRODUCT_LAUNCH, 2_000_000, FIG, d)
    event = evaluate(v, Goal.EVENT, 2_000_000, FIG, d, Extras(appearances=4))
    contest = evaluate(v, Goal.CONTEST, 2_000_000, FIG, d)
    assert np.array_equal(launch.objective, launch.reach)
    met = 4 * FIG.value("event_people_met_per_appearance")
    assert np.median(event.objective - event.reach) == pytest.approx(met, rel=0.5)
    entries = contest.engagements * FIG.value("contest_entry_rate")
    assert np.median(contest.objective) == pytest.approx(np.median(entries), rel=0.6)


def test_nothing_bought_reaches_nobody():
    out = evaluate(Vehicles.empty(8), Goal.PRODUCT_LAUNCH, 10_000, FIG, draws(), weekly=True)
    assert out.objective.max() == 0 and out.weekly["reach"].shape == (200, 8)


def test_same_brief_same_numbers_and_a_json_round_trip():
    from advisor import Plan, recommend

    brief = CampaignBrief(goal="brand_awareness", budget=45_000, weeks=30, advocates=300)
    a, b = recommend(brief), recommend(brief)
    assert a.model_dump_json() == b.model_dump_json()
    assert Plan.model_validate_json(a.model_dump_json()) == a
