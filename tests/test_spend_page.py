"""The planner's "How much to spend" section, through `AppTest`: the response curves chart and
its sentences, and the two flexible-budget questions answered in words, in both languages."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from advisor import CampaignBrief, budget_for_cost, budget_for_target, recommend, t
from advisor.locale.formatting import money
from advisor.ui.planner import OPEN_KEYS

APP = str(Path(__file__).resolve().parents[1] / "app.py")
pytestmark = pytest.mark.timeout(300)
QUERY = {"goal": "product_launch", "budget": "20000", "weeks": "8"}
BRIEF = CampaignBrief(goal="product_launch", budget=20_000, weeks=8)


def run(lang: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    for k, v in {**QUERY, "lang": lang}.items():
        at.query_params[k] = v
    at.session_state[OPEN_KEYS["spend"]] = True  # the section opened, as a visitor does
    return at.run()


def infos(at: AppTest) -> list[str]:
    return [i.value for i in at.main.info]


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_section_renders_and_answers_both_questions(lang: str) -> None:
    at = run(lang)
    assert not at.exception, [e.value for e in at.exception]
    assert t("section.spend", lang) in [h.value for h in at.main.header]
    plan = recommend(BRIEF)
    knee_or_not = [m.value for m in at.main.markdown if money(20_000, "USD", lang) in m.value]
    assert knee_or_not, "the sentence under the curve names the brief's budget"
    # the target question: reach 1.5x the plan's median in 80% of scenarios
    target = [n for n in at.main.number_input if n.label.startswith(t("spend.target.label", lang,
              label="").rstrip())]  # fmt: skip
    assert len(target) == 1
    goal = round(plan.recommended.objective_p50 * 1.5, -2)
    target[0].set_value(goal)
    forms = [b for b in at.main.button if b.label == t("spend.target.submit", lang)]
    forms[0].click().run()
    assert not at.exception, [e.value for e in at.exception]
    answer = budget_for_target(BRIEF, goal, 0.8)
    assert answer.found
    said = " ".join(infos(at))
    assert money(answer.budget, "USD", lang) in said  # the budget, in words, in the language
    # the cost question, with a cost no budget within 10x exceeds: said plainly
    cost = [n for n in at.main.number_input if n.label == t("spend.cost.label", lang,
            currency="USD")]  # fmt: skip
    cost[0].set_value(1000.0)
    [b for b in at.main.button if b.label == t("spend.cost.submit", lang)][-1].click().run()
    assert not at.exception, [e.value for e in at.exception]
    beyond = budget_for_cost(BRIEF, 1000.0)
    assert beyond.status == "beyond_limit"
    assert money(beyond.limit, "USD", lang) in " ".join(infos(at))


def test_the_section_costs_nothing_until_it_is_opened() -> None:
    """Closed (the default), the curves are neither computed nor drawn; opening the section
    computes them and draws the chart."""
    at = AppTest.from_file(APP, default_timeout=90)
    for k, v in QUERY.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert t("section.spend", "en") in [h.value for h in at.main.header]
    assert "spend.curves" not in at.session_state
    assert t("lazy.spend", "en") in [e.label for e in at.main.expander]
    assert not [b for b in at.main.button if b.label == t("spend.target.submit", "en")]
    charts = len(at.main.get("plotly_chart"))
    at.session_state[OPEN_KEYS["spend"]] = True
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.session_state["spend.curves"]
    assert len(at.main.get("plotly_chart")) == charts + 1
    assert [b for b in at.main.button if b.label == t("spend.target.submit", "en")]
