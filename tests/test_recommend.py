"""The recommendation follows the projection: every brief quoted in issue 7, pinned.

Each test names the contradiction users found and asserts the corrected behaviour.
"""

from __future__ import annotations

import numpy as np
import pytest

from advisor import Assumptions, CampaignBrief, Strategy, recommend
from advisor.advice.recommend import CLEAR_MARGIN, NEAR_TIE, SHARES
from advisor.present import explain as ex


def _series(plan, name):
    return plan.projection.get(name)


def _pure_gap(plan) -> float:
    """How much the best pure strategy beats the recommended one (negative: it does not)."""
    rec = _series(plan, "recommended").objective_p50
    best_pure = max(_series(plan, s).objective_p50 for s in ("influencer", "ambassador"))
    return best_pure / rec - 1 if rec > 0 else (0.0 if best_pure == 0 else np.inf)


def test_awareness_60k_52w_200_advocates_is_the_best_split_and_says_what_it_buys():
    plan = recommend(CampaignBrief(goal="brand_awareness", budget=60_000, weeks=52, advocates=200))
    assert plan.objective.key == "effective_reach" and plan.objective.frequency == 3
    chosen = next(c for c in plan.candidates if c.influencer_share == plan.split["influencer"])
    feasible = [c for c in plan.candidates if c.feasible]
    assert chosen.objective_p50 >= (1 - NEAR_TIE) * max(c.objective_p50 for c in feasible)
    assert _pure_gap(plan) <= 0.05
    assert len(plan.candidates) == len(SHARES) == 11
    # the headline is written from the same figure as the table
    assert ex.headline(plan, "en").count(
        ex.objective_value(_series(plan, "recommended").objective_p50, plan, "en")
    )


def test_one_advocate_instead_of_none_never_lowers_the_result():
    base = CampaignBrief(goal="brand_awareness", budget=60_000, weeks=52, advocates=0)
    none = recommend(base)
    one = recommend(base.model_copy(update={"advocates": 1}))
    assert one.recommended.objective_p50 >= none.recommended.objective_p50 * (1 - NEAR_TIE)


def test_500_dollars_with_1000_advocates_spends_on_what_fits():
    """Was: ambassador-led, high confidence, nothing spent, nobody reached."""
    plan = recommend(CampaignBrief(goal="brand_awareness", budget=500, weeks=26, advocates=1_000))
    assert plan.strategy is Strategy.INFLUENCER
    assert plan.recommended.total_spend > 0
    assert plan.recommended.final_reach > 1_000
    assert plan.ambassador.spend == 0
    keys = [n.key for n in plan.notes]
    assert "programme_unfunded" in keys
    assert "programme" in ex.note_text(plan.notes[keys.index("programme_unfunded")], plan, "en")


def test_a_one_week_event_gets_no_programme_and_says_why():
    """Was: a 400-ambassador programme and 76 long-term faces for a one-week event."""
    plan = recommend(CampaignBrief(goal="event", budget=50_000, weeks=1, advocates=1_000))
    assert plan.strategy is Strategy.INFLUENCER
    assert plan.ambassador.ambassadors == 0 and plan.ambassador.brand_faces == 0
    note = next(n for n in plan.notes if n.key == "programme_too_short")
    assert note.values["weeks"] == 1 and note.values["min_weeks"] >= 8
    assert plan.objective.key == "event_reach"


def test_programmes_start_only_from_their_minimum_length():
    fig = Assumptions().model()
    minimum = int(fig.value("ambassador_min_weeks"))
    for weeks in (minimum - 1, minimum):
        plan = recommend(
            CampaignBrief(goal="brand_awareness", budget=200_000, weeks=weeks, advocates=5_000)
        )
        amb = _series(plan, "ambassador")
        assert (amb.total_spend > 0) == (weeks >= minimum)


def test_a_billion_on_a_thousand_people_is_not_certain_and_not_absurd():
    """Was: 100% of the audience with a zero-width band, 'High 89%' and 83.8B impressions."""
    plan = recommend(CampaignBrief(goal="brand_awareness", budget=1e9, audience=1_000))
    r = plan.recommended
    assert max(r.reach_p90) < 0.95 * 1_000
    assert r.reach_p90[-1] > r.reach_p10[-1] and r.objective_p90 > r.objective_p10
    assert r.total_spend < 1e6  # stops buying once the audience is saturated
    assert "reserve_saturated" in [n.key for n in plan.notes]
    assert r.impressions.p50 < 1e7


def test_youtube_and_x_plans_cost_what_the_published_ranges_say():
    for platform, low, high in (("youtube", 3, 65), ("instagram", 3, 65), ("tiktok", 3, 65)):
        plan = recommend(CampaignBrief(budget=50_000, platforms=[platform]))
        cpm = _series(plan, "influencer").cost_per_thousand_impressions
        assert low <= cpm <= high, (platform, cpm)
    x = recommend(CampaignBrief(budget=50_000, platforms=["x"]))
    assert _series(x, "influencer").cost_per_thousand_impressions < 64


def test_no_reason_is_asserted_only_measured():
    """Was: 'your advocates alone could reach about 3%' counted toward ambassadors."""
    plan = recommend(CampaignBrief(goal="brand_awareness", budget=60_000, weeks=52, advocates=200))
    assert {f.key for f in plan.factors} >= {"advocates", "weeks", "budget"}
    for f in plan.factors:
        sentence = ex.factor_sentence(f, plan, "en")
        assert ex.split_phrase(f.best_share_neutral, "en") in sentence
        assert ex.objective_value(f.objective_neutral, plan, "en") in sentence
        # the factor's reported objective is the plan's own objective
        assert f.objective_actual == pytest.approx(plan.recommended.objective_p50, rel=1e-6)


def test_confidence_is_a_probability_and_low_on_a_near_tie():
    plan = recommend(CampaignBrief(goal="brand_awareness", budget=1e9, audience=1_000, weeks=52))
    assert 0 <= plan.confidence <= 1
    if plan.margin is not None and plan.margin < CLEAR_MARGIN:
        assert plan.confidence_label != "high"
    words = ex.confidence_sentence(plan, "en")
    assert "scenarios" in words or "No other plan" in words


def test_numbers_do_not_depend_on_the_language():
    plan = recommend(CampaignBrief(goal="event", budget=20_000, currency="EUR", weeks=6))
    en, fr = ex.headline(plan, "en"), ex.headline(plan, "fr")
    assert en != fr and "semaines" in fr
    assert "language" not in plan.model_dump()


def test_edited_assumptions_change_the_plan_and_are_kept_in_it():
    brief = CampaignBrief(goal="product_launch", budget=30_000, platforms=["instagram"])
    cheap = Assumptions(overrides={"cost.instagram.micro": 100.0})
    plan, base = recommend(brief, assumptions=cheap), recommend(brief)
    assert plan.assumptions == cheap and [f.key for f in cheap.edited()] == ["cost.instagram.micro"]
    assert plan.recommended.objective_p50 > base.recommended.objective_p50
    with pytest.raises(ValueError):
        Assumptions(overrides={"reach.instagram.micro": 1.7})
    with pytest.raises(ValueError):
        Assumptions(overrides={"no_such_figure": 1.0})


def test_average_order_value_adds_sales_and_return_on_spend():
    plan = recommend(CampaignBrief(order_value=80.0))
    r = plan.recommended
    assert r.revenue is not None and r.return_on_spend is not None
    assert r.revenue.p10 < r.revenue.p50 < r.revenue.p90
    assert r.clicks.p50 > 0
    assert recommend(CampaignBrief()).recommended.revenue is None


@pytest.mark.parametrize("goal", ["product_launch", "event", "contest"])
@pytest.mark.parametrize("weeks", [1, 4, 8])
def test_seed_short_bursts_without_advocates_are_influencer_led(goal, weeks):
    plan = recommend(CampaignBrief(goal=goal, weeks=weeks, budget=25_000, advocates=0))
    assert plan.strategy is Strategy.INFLUENCER


def test_seed_long_awareness_with_a_base_leans_on_ambassadors_where_it_can_pay():
    """Where a programme is affordable next to the budget, ambassadors carry half or more."""
    plan = recommend(CampaignBrief(goal="brand_awareness", budget=10_000, weeks=52, advocates=500))
    assert plan.split["ambassador"] >= 0.5
    big = recommend(CampaignBrief(goal="brand_awareness", budget=300_000, weeks=52, advocates=300))
    if big.split["ambassador"] < 0.5:  # the model disagrees: it must say so, with numbers
        assert "seed_disagrees" in [n.key for n in big.notes]
