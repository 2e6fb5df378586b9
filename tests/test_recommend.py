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


# --- plans with named creators ---------------------------------------------------------------


def named_list(n_inf: int = 12, n_amb: int = 40, seed: int = 3):
    """Influencers with prices and ambassadors with audiences worth a programme."""
    import pandas as pd

    rng = np.random.default_rng(seed)
    followers = np.r_[rng.integers(5_000, 200_000, n_inf), rng.integers(20_000, 90_000, n_amb)]
    return pd.DataFrame(
        {
            "handle": [f"inf{i}" for i in range(n_inf)] + [f"amb{i}" for i in range(n_amb)],
            "platform": "instagram",
            "followers": followers,
            "avg_likes": (followers * 0.03).round(),
            "avg_comments": (followers * 0.001).round(),
            "cost_per_post": np.r_[(followers[:n_inf] * 0.01).round(), [np.nan] * n_amb],
            "relationship": ["influencer"] * n_inf + ["ambassador"] * n_amb,
        }
    )


def test_plan_with_the_sample_names_its_creators():
    from advisor import load_creators

    load = load_creators("advisor/data/creators.csv")
    brief = CampaignBrief(goal="event", budget=20_000, currency="EUR", weeks=6)
    plan = recommend(brief, creators=load)
    assert plan.data_source == load.label and plan.creator_choice in ("optimiser", "tier_mix")
    handles = set(load.table["handle"])
    assert plan.creators and {c.handle for c in plan.creators} <= handles
    inf = [c for c in plan.creators if c.relationship == "influencer"]
    assert sorted(c.handle for c in inf) == sorted(plan.influencer.handles)
    assert sum(c.cost for c in inf) == pytest.approx(plan.influencer.spend, rel=1e-6, abs=0.05)
    fx = plan.brief.budget / plan.brief.budget_usd
    for c in plan.creators:
        assert c.cost == pytest.approx(c.cost_usd * fx, abs=0.02)
        assert 0 < c.reach <= brief.audience and c.list_currency == "USD"
        assert not c.flags  # flagged creators are left out of a plan
    assert type(plan).model_validate_json(plan.model_dump_json()) == plan
    # the ambassadors the projection does not fund are named in a note
    assert "list_ambassadors_unused" in [n.key for n in plan.notes]


@pytest.mark.parametrize("goal", ["contest", "event", "brand_awareness"])
def test_both_sides_come_from_the_list(goal):
    brief = CampaignBrief(goal=goal, budget=60_000, weeks=52, advocates=100)
    plan = recommend(brief, creators=named_list(), samples=100)
    sides = {c.relationship for c in plan.creators}
    if plan.split["influencer"] > 0 and plan.influencer.creators:
        assert "influencer" in sides
    if plan.split["ambassador"] > 0 and plan.ambassador.ambassadors:
        assert "ambassador" in sides
        assert plan.ambassador.ambassadors == sum(
            c.relationship == "ambassador" for c in plan.creators
        )
        assert {c.handle for c in plan.creators if c.relationship == "ambassador"} <= {
            f"amb{i}" for i in range(40)
        }
    assert plan.influencer.spend + plan.ambassador.spend <= brief.budget * (1 + 1e-9)


def test_money_the_list_cannot_use_is_said_and_kept():
    brief = CampaignBrief(goal="contest", budget=60_000, weeks=52, advocates=100)
    plan = recommend(brief, creators=named_list(), samples=100)
    notes = {n.key: n.values for n in plan.notes}
    short = [k for k in notes if k.startswith("list_") and k.endswith(("_exhausted", "_left"))]
    assert short, notes
    for key in short:
        v = notes[key]
        assert 0 < v["left_money"] <= v["side_money"] and v["chosen"] <= v["available"]
        assert v["left_money"] <= plan.reserve + 0.05
    for lang in ("en", "fr"):
        assert all("{" not in ex.note_text(n, plan, lang) for n in plan.notes)


def test_a_list_without_ambassadors_plans_the_brands_advocates_from_benchmarks():
    frame = named_list(n_inf=30, n_amb=0)
    brief = CampaignBrief(goal="brand_awareness", budget=40_000, weeks=52, advocates=800)
    plan = recommend(brief, creators=frame, samples=100)
    note = next(n for n in plan.notes if n.key == "list_no_ambassadors_benchmark")
    assert note.values == {"advocates": 800}
    assert all(c.relationship == "influencer" for c in plan.creators)
    if plan.split["ambassador"] > 0:
        assert plan.ambassador.available > 0  # benchmark advocates, not the empty list
    no_base = recommend(brief.model_copy(update={"advocates": 0}), creators=frame, samples=100)
    assert "list_no_ambassadors" in [n.key for n in no_base.notes]
    for lang in ("en", "fr"):
        assert ex.note_text(note, plan, lang)


def test_a_list_without_usable_influencers_falls_back_to_benchmarks():
    frame = named_list(n_inf=0, n_amb=20)
    brief = CampaignBrief(goal="product_launch", budget=20_000, weeks=8)
    plan = recommend(brief, creators=frame, samples=100)
    assert "list_no_influencers" in [n.key for n in plan.notes]
    assert plan.influencer.creators > 0 and not plan.influencer.handles


def test_a_plan_from_a_creator_table_equals_the_plan_from_its_load():
    from advisor import load_creators
    from advisor.creators.table import creator_table

    load = load_creators("advisor/data/creators.csv")
    brief = CampaignBrief(goal="contest", budget=8_000, weeks=4)
    assert recommend(brief, creators=creator_table(load), samples=100) == recommend(
        brief, creators=load, samples=100
    )
    with pytest.raises(TypeError):
        recommend(brief, creators=[1, 2, 3])  # type: ignore[arg-type]


def test_unspent_money_of_a_short_list_is_explained_once() -> None:
    """Three cheap influencers cannot use a $20k launch budget: the list's own note says where
    the money is (kept in reserve, the list exhausted), and the general reserve note does not
    say it a second time."""
    import pandas as pd

    table = pd.DataFrame(
        {
            "handle": ["@a", "@b", "@c"],
            "platform": ["instagram"] * 3,
            "followers": [12_000, 30_000, 8_000],
            "cost_per_post": [150.0, 300.0, 90.0],
            "relationship": ["influencer"] * 3,
        }
    )
    plan = recommend(CampaignBrief(), creators=table)
    keys = [n.key for n in plan.notes]
    assert "list_influencers_exhausted" in keys, keys
    assert not [k for k in keys if k.startswith("reserve_")], keys
    left = next(n for n in plan.notes if n.key == "list_influencers_exhausted").values
    assert left["left_money"] > 0.9 * plan.brief.budget * plan.split["influencer"] - 1_000
