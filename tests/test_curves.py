"""How much to spend: response curves and flexible budgets, checked against the engine."""

from __future__ import annotations

import math

import numpy as np
import pytest

from advisor import CampaignBrief, recommend
from advisor.advice.budgets import budget_for_cost, budget_for_target
from advisor.advice.curves import (
    HIGH,
    LOW,
    POINTS,
    STEP,
    outcomes,
    response_curves,
)
from advisor.advice.search import Search

LAUNCH = CampaignBrief(goal="product_launch", budget=20_000, weeks=8)
AWARENESS = CampaignBrief(goal="brand_awareness", budget=60_000, weeks=52, advocates=500)


@pytest.fixture(scope="module")
def awareness():
    return response_curves(AWARENESS)


@pytest.fixture(scope="module")
def launch():
    return response_curves(LAUNCH)


def test_one_curve_per_family_and_the_recommended_plan(awareness):
    assert [c.family for c in awareness.curves] == ["recommended", "influencer", "face", "advocate"]
    for c in awareness.curves:
        assert len(c.points) == POINTS
        budgets = c.budgets
        assert budgets[0] == pytest.approx(LOW * AWARENESS.budget)
        assert budgets[-1] == pytest.approx(HIGH * AWARENESS.budget)
        assert AWARENESS.budget in budgets
        ratios = np.diff(np.log(budgets))
        assert np.allclose(ratios, math.log(STEP), atol=1e-4)


def test_p50_never_falls_as_the_budget_grows(awareness, launch):
    for curves in (awareness, launch):
        for c in curves.curves:
            p50 = np.array(c.p50)
            assert (np.diff(p50) >= 0).all(), c.family
            for before, point in zip(c.points, c.points[1:], strict=False):
                if point.carried:  # a smaller budget's plan, kept as it is
                    assert point.p50 == before.p50 and point.spend == before.spend
                assert point.p10 <= point.p50 <= point.p90
                assert point.spend <= point.budget + 0.01


def test_the_recommended_curve_is_never_below_a_family(awareness):
    best = np.array(awareness.recommended.p50)
    for c in awareness.curves[1:]:
        assert (best >= np.array(c.p50) - 0.01).all(), c.family


def test_the_brief_s_own_budget_is_the_plan_s_own_point(awareness, launch):
    for curves, brief in ((awareness, AWARENESS), (launch, LAUNCH)):
        point = next(p for p in curves.recommended.points if p.budget == brief.budget)
        plan = recommend(brief)
        assert point.p50 == pytest.approx(plan.recommended.objective_p50, abs=0.01)


def _knee(budgets, p50):
    """The docstring's definition, written again: the first budget from which every step's
    marginal cost of a result is at least twice the average cost at the step's end."""
    dear = []
    for i in range(1, len(budgets)):
        extra = p50[i] - p50[i - 1]
        marginal = (budgets[i] - budgets[i - 1]) / extra if extra > 0 else math.inf
        dear.append(p50[i] > 0 and marginal / (budgets[i] / p50[i]) >= 2)
    for i in range(1, len(budgets)):
        if all(dear[i - 1 :]):
            return budgets[i]
    return None


def test_the_knee_is_where_the_points_say(awareness, launch):
    knees = []
    for curves in (awareness, launch):
        for c in curves.curves:
            assert c.knee == _knee(c.budgets, c.p50), c.family
            knees.append(c.knee)
    assert any(k is not None for k in knees)  # the definition is exercised, not vacuous
    # an advocate programme runs out of advocates: its curve flattens, so it has a knee
    assert awareness.curve("advocate").knee is not None


def test_bands_are_the_plan_s_delivery():
    search = Search.of(LAUNCH)
    a = search.best()
    mine = np.percentile(outcomes(search, a), [10, 50, 90])
    theirs = np.percentile(search.deliver(a).objective, [10, 50, 90])
    assert np.allclose(mine, theirs, rtol=1e-6)
    assert mine[1] == pytest.approx(a.objective_p50)


def test_budget_for_a_target_re_planned_meets_it(launch):
    target = launch.recommended.points[12].p10  # a p10 the curve reaches at 2x the budget
    answer = budget_for_target(LAUNCH, target, probability=0.9)
    assert answer.status == "found" and answer.budget is not None and answer.brief is not None
    assert answer.brief.budget == answer.budget
    plan = recommend(answer.brief)  # re-planned from scratch at the budget returned
    assert plan.recommended.objective_p10 >= target - 0.01
    assert answer.quantile == pytest.approx(plan.recommended.objective_p10, abs=0.02)
    # the curve's point reaches it, so the answer is no dearer than that point (one step slack)
    assert answer.budget <= launch.recommended.points[12].budget * STEP
    # the budget just below the bracket the bisection closed on does not reach it
    below = Search.of(LAUNCH.model_copy(update={"budget": answer.budget * 0.98}))
    assert np.quantile(outcomes(below, below.best()), 0.1) < target


def test_budget_for_a_target_with_another_probability():
    answer = budget_for_target(AWARENESS, 20_000, probability=0.8)
    assert answer.found and answer.brief is not None
    search = Search.of(answer.brief)
    reached = float(np.quantile(outcomes(search, search.best()), 0.2))
    assert reached >= 20_000
    assert answer.quantile == pytest.approx(reached, abs=0.01)
    assert answer.shares and sum(answer.shares.values()) == pytest.approx(1.0, abs=1e-3)


def test_no_budget_within_ten_times_says_so():
    answer = budget_for_target(LAUNCH, LAUNCH.audience * 0.99, probability=0.9)
    assert answer.status == "beyond_limit" and not answer.found
    assert answer.budget is None and answer.brief is None
    assert answer.limit == 10 * LAUNCH.budget


def test_budget_for_a_cost_re_planned_keeps_it():
    first = response_curves(LAUNCH).recommended
    i = 8  # the brief's point: the marginal cost of the step ending there, times 1.5
    step_cost = (first.budgets[i] - first.budgets[i - 1]) / (first.p50[i] - first.p50[i - 1])
    answer = budget_for_cost(LAUNCH, 1.5 * step_cost)
    assert answer.status == "found" and answer.budget is not None
    below = math.ceil(answer.budget / STEP - 1e-9)
    there = recommend(answer.brief).recommended.objective_p50
    before = recommend(LAUNCH.model_copy(update={"budget": below})).recommended.objective_p50
    assert there > before
    assert (answer.budget - below) / (there - before) <= 1.5 * step_cost * (1 + 1e-4)
    assert answer.marginal_cost == pytest.approx((answer.budget - below) / (there - before), 1e-3)
    assert answer.budget > LAUNCH.budget  # results were cheaper than that at the brief's budget


def test_budget_for_a_cost_out_of_range():
    assert budget_for_cost(LAUNCH, 1e6).status == "beyond_limit"
    never = budget_for_cost(LAUNCH, 1e-6)
    assert never.status == "below_floor" and never.budget is None


def test_bad_questions_are_refused():
    with pytest.raises(ValueError):
        budget_for_target(LAUNCH, -1)
    with pytest.raises(ValueError):
        budget_for_target(LAUNCH, 10, probability=1.0)
    with pytest.raises(ValueError):
        budget_for_cost(LAUNCH, float("nan"))


# --- drawn and exported -------------------------------------------------------------------


def test_the_chart_draws_every_curve_and_marks_the_budget_and_knee(awareness):
    from advisor.locale.i18n import t
    from advisor.present.charts import spend_curve_chart

    plan = recommend(AWARENESS)
    for lang in ("en", "fr"):
        fig = spend_curve_chart(awareness, plan, lang)
        lines = [tr for tr in fig.data if tr.fill is None]
        assert sorted(tr.name for tr in lines) == sorted(
            t(f"spend.family.{c.family}", lang) for c in awareness.curves
        )
        rec = next(tr for tr in lines if tr.name == t("spend.family.recommended", lang))
        assert list(rec.y) == awareness.recommended.p50
        assert fig.layout.xaxis.type == "log"
        marks = [s.x0 for s in fig.layout.shapes]
        assert AWARENESS.budget in marks
        knee = awareness.recommended.knee
        assert (knee in marks) if knee is not None else len(marks) == 1


def test_the_csv_has_every_point_with_translated_headers(awareness):
    import io

    import pandas as pd

    from advisor.present.exports import curves_csv

    plan = recommend(AWARENESS)
    rows = sum(len(c.points) for c in awareness.curves)
    en = pd.read_csv(io.BytesIO(curves_csv(awareness, plan, "en")))
    assert len(en) == rows
    assert "Budget (USD)" in en.columns
    assert "People reached 3+ times, median (p50)" in en.columns
    assert (en["Knee"] == "Yes").sum() == sum(c.knee is not None for c in awareness.curves)
    assert set(en["Knee"]) <= {"Yes", "No"}  # the language's words, not True / False
    fr = pd.read_csv(io.BytesIO(curves_csv(awareness, plan, "fr")), sep=";", decimal=",")
    assert "Personnes touchées 3 fois ou plus, médiane (p50)" in fr.columns
    assert fr["Budget (USD)"].tolist() == en["Budget (USD)"].tolist()


def test_a_worse_plan_at_a_larger_budget_is_replaced_by_the_smaller_budget_s(monkeypatch):
    """The engine is a search: where it finds a worse plan at a larger budget, the curve keeps
    the smaller budget's plan (`carried`). Forced here: above 1.5x the brief's budget the
    engine is made to find a plan that buys nothing."""
    from dataclasses import replace

    import numpy as np

    import advisor.advice.curves as curves_module
    from advisor.model.engine import allocate as real

    brief = CampaignBrief(goal="brand_awareness", budget=30_000, weeks=4)

    def worse_above(menu, co, budget_usd, polish=True):
        found = real(menu, co, budget_usd, polish)
        if budget_usd > 1.5 * brief.budget_usd:
            return replace(found, units=np.zeros_like(found.units), spend_usd=0.0)
        return found

    monkeypatch.setattr(curves_module, "allocate", worse_above)
    curve = response_curves(brief).recommended
    carried = [i for i, p in enumerate(curve.points) if p.carried]
    assert carried and all(curve.points[i].budget > 1.5 * brief.budget for i in carried)
    for i in carried:
        point, before = curve.points[i], curve.points[i - 1]
        assert (point.p50, point.spend, point.p10) == (before.p50, before.spend, before.p10)


def test_a_target_met_by_tiny_budgets_gives_the_smallest_looked_at():
    answer = budget_for_target(LAUNCH, 1.0, probability=0.5)
    assert answer.found and answer.budget is not None
    assert answer.floor <= answer.budget <= LAUNCH.budget / 32
    assert answer.quantile is not None and answer.quantile >= 1.0
