"""The allocation engine: the plan's certificate, its invariants and the sentences true to it.

Mirrors `advisor/model/engine.py`, `advisor/advice/search.py` and `advisor/advice/recommend.py`.
"""

from __future__ import annotations

import itertools
import math
import re
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from advisor import Assumptions, CampaignBrief, Goal, Platform, recommend
from advisor.advice.defaults import default_plan
from advisor.advice.facts import NEUTRAL_WEEKS
from advisor.advice.recommend import plan_of
from advisor.advice.search import Search
from advisor.model.brief import DEFAULT_AUDIENCE, DEFAULT_PLATFORMS
from advisor.model.engine import MOVE, room
from advisor.present import explain

ROOT = Path(__file__).resolve().parents[1]

briefs = st.builds(
    CampaignBrief,
    goal=st.sampled_from(list(Goal)),
    budget=st.floats(min_value=500, max_value=500_000, allow_nan=False),
    currency=st.sampled_from(["USD", "EUR", "GBP"]),
    weeks=st.integers(1, 104),
    audience=st.integers(10_000, 20_000_000),
    platforms=st.lists(st.sampled_from(list(Platform)), min_size=1, max_size=3),
    advocates=st.integers(0, 3_000),
)
FEW = settings(max_examples=30, deadline=None, derandomize=True)
MANY = settings(max_examples=300, deadline=None, derandomize=True)  # "a few hundred briefs"


def median_of(search: Search, units: np.ndarray) -> float:
    co = search.coefficients
    return float(np.median(co.value(co.state(units))))


def ten_percent_moves(search: Search, units: np.ndarray, programme: bool):
    """Every allocation with 10% of one line's money (at least one unit) moved to another
    option, within the budget and the caps (the certificate's moves)."""
    menu = search.options.menu
    cost = menu.unit_cost
    spent = float(units @ cost) + (menu.fixed_usd if programme else 0.0)
    left = search.budget_usd - spent
    allowed = np.ones(menu.size, bool) if programme else menu.relationship != 1
    allowed &= menu.relationship != 3 if not programme else True
    space = np.where(allowed, room(menu, units), 0.0)
    for i in np.flatnonzero(units > 0):
        give = max(1.0, math.floor(MOVE * units[i]))
        money = give * cost[i] + left
        for j in range(menu.size):
            take = min(math.floor(money / cost[j] + 1e-9), space[j])
            if j == i or take < 1:
                continue
            moved = units.copy()
            moved[i] -= give
            moved[j] += take
            yield moved


@MANY
@given(briefs)
def test_no_ten_percent_move_improves_the_plan_by_more_than_one_percent(brief) -> None:
    """The public certificate: move 10% of any line to any other option; the median objective
    never improves by more than 1%."""
    search = Search.of(brief)
    best = search.best()
    now = median_of(search, best.units)
    for moved in ten_percent_moves(search, best.units, best.programme):
        assert median_of(search, moved) <= now * 1.01 + 1e-6


@pytest.mark.parametrize(
    "brief",
    [
        CampaignBrief(
            goal="product_launch", budget=1_500, weeks=4, platforms=("instagram", "tiktok")
        ),
        CampaignBrief(goal="contest", budget=1_200, weeks=3, platforms=("tiktok", "x")),
        CampaignBrief(goal="event", budget=2_000, weeks=2, platforms=("instagram",)),
    ],
)
def test_the_engine_is_within_one_percent_of_the_exhaustive_best(brief) -> None:
    """Small budgets: every affordable allocation of the cheapest options, enumerated."""
    search = Search.of(brief)
    menu = search.options.menu
    best = search.best()
    cheap = np.argsort(menu.unit_cost)[:5]
    counts = [range(int(search.budget_usd // menu.unit_cost[i]) + 1) for i in cheap]
    top = 0.0
    for combo in itertools.product(*[list(c)[:12] for c in counts]):
        units = np.zeros(menu.size)
        units[cheap] = combo
        if units @ menu.unit_cost <= search.budget_usd:
            top = max(top, median_of(search, units))
    assert best.objective_p50 >= 0.99 * top


@FEW
@given(briefs)
def test_one_reach_everywhere(brief) -> None:
    plan = recommend(brief)
    rec = plan.recommended
    assert rec.reach_p50[-1] <= brief.audience
    assert all(line.reach <= rec.reach_p50[-1] + 0.1 for line in plan.lines)
    if brief.goal is Goal.PRODUCT_LAUNCH:
        assert rec.objective_p50 == pytest.approx(rec.reach_p50[-1], abs=0.1)
    assert rec.clicks.p50 <= rec.reach_p50[-1] + 0.1
    assert rec.sales.p50 <= rec.clicks.p50 + 0.1
    if brief.goal is Goal.CONTEST:
        assert rec.objective_p50 <= rec.reach_p50[-1] + 0.1
    assert rec.total_spend <= brief.budget * (1 + 1e-6)
    assert rec.total_spend == pytest.approx(brief.budget - plan.reserve, abs=0.05 * brief.budget)


@MANY
@given(briefs)
def test_sentences_are_true_to_the_plan(brief) -> None:
    plan = recommend(brief)
    for lang in ("en", "fr"):
        head = explain.headline(plan, lang)
        says_all = ("all of your" in head) if lang == "en" else ("tout votre budget" in head)
        assert says_all == (plan.spent_share >= 0.95 and bool(plan.lines))
        texts = explain.notes(plan, lang) + explain.deciding_facts(plan, lang)
        joined = " ".join(texts)
        confidence = explain.confidence_sentence(plan, lang)
        assert not re.search(r"-\d", confidence.replace("−", "-"))
        # a gap is never shown as 0% unless there is none (a tie is called a tie)
        gaps = re.findall(r"ahead by ([^)]*)\)|a ([^)]*) d'avance|\(median difference ([^)]*)\)"
                          r"|\(écart médian ([^)]*)\)", joined + " " + confidence)  # fmt: skip
        for gap in ("".join(g) for g in gaps):
            assert re.search(r"[1-9]", gap) or plan.margin == 0, gap
        if not plan.programme:
            assert "programme_funded" not in [n.key for n in plan.notes]
        for rel in ("influencer", "face", "advocate"):
            names = [explain.t(f"relationship.{k}.{rel}", lang).lower() for k in ("name", "title")]
            assert any(n in head.lower() for n in names) == (rel in plan.funded)
        assert "{" not in joined and "}" not in joined
        if not plan.factors:  # "every fact at its neutral value" only when it is so
            why = explain.why_without_factors(plan, lang)
            assert (why == explain.t("why.none", lang)) == (not plan.facts_without_effect)
            for key in plan.facts_without_effect:
                assert explain.t(f"factor.{key}", lang).lower() in why
            if not plan.facts_without_effect:
                assert (brief.weeks, brief.advocates) == (NEUTRAL_WEEKS, 0)
                assert brief.audience == DEFAULT_AUDIENCE
                assert tuple(brief.platforms) == tuple(DEFAULT_PLATFORMS)
    if plan.margin is not None:
        assert plan.margin >= 0
    if any(n.key == "near_tie" for n in plan.notes):
        assert plan.margin is not None and plan.margin < 0.03


def test_the_seeds_central_case_funds_the_advocates() -> None:
    """Brand awareness, €60k, 52 weeks, 300 advocates: the programme is funded and its
    advocates are in the plan (seeds 000, 003, 004)."""
    plan = recommend(
        CampaignBrief(
            goal="brand_awareness", budget=60_000, currency="EUR", weeks=52, advocates=300
        )
    )
    assert plan.programme and "advocate" in plan.funded
    assert plan.ambassador.ambassadors > 0


def test_one_more_platform_never_costs_reach() -> None:
    one = recommend(
        CampaignBrief(goal="product_launch", budget=20_000, weeks=6, platforms=("tiktok",))
    )
    two = recommend(
        CampaignBrief(goal="product_launch", budget=20_000, weeks=6, platforms=("tiktok", "x"))
    )
    assert two.recommended.objective_p50 >= 0.99 * one.recommended.objective_p50
    assert any(u.name == "x" and u.kind == "platform" for u in two.unfunded) or any(
        x.platform == "x" for x in two.lines
    )


@pytest.mark.parametrize(
    ("brief", "extra"),
    [  # found by the edits audit (300 briefs, seed 101): -8.7%, -19.9% and -4.2%
        (
            CampaignBrief(
                goal="brand_awareness", budget=206_462, weeks=8, audience=4_574_085,
                platforms=("blog", "linkedin"), advocates=50,
            ),
            "x",
        ),
        (
            CampaignBrief(
                goal="brand_awareness", budget=5_445, weeks=4, audience=6_424_307,
                platforms=("instagram",), advocates=50,
            ),
            "x",
        ),
        (
            CampaignBrief(
                goal="brand_awareness", budget=60_635, weeks=52, audience=606_588,
                platforms=("instagram", "linkedin"), advocates=300,
            ),
            "x",
        ),
        (  # seed 202: -1.8%, YouTube ticked and barely bought
            CampaignBrief(
                goal="contest", budget=33_375, weeks=104, audience=104_238,
                platforms=("instagram", "blog"), advocates=2_000,
            ),
            "youtube",
        ),
    ],
)  # fmt: skip
def test_a_platform_ticked_but_not_needed_never_lowers_the_plan(brief, extra) -> None:
    """Above about 3.3M people, the people creators overlap within depended on the *ticked*
    platforms' lowest in-target share: ticking X enlarged it and diluted frequency for the
    very same plan. It is the bought platforms' now. And the local search from the plan with
    every platform could not reach the plan without X (a face creator swapped for a dearer one
    inside LinkedIn's cap): the engine also searches the platforms the plan buys."""
    base = recommend(brief).recommended.objective_p50
    more = brief.model_copy(update={"platforms": (*brief.platforms, Platform(extra))})
    assert recommend(more).recommended.objective_p50 >= 0.99 * base


@pytest.mark.xfail(
    strict=True,
    reason="the local search never trades tiers inside a full cap of long-term creators",
)
@pytest.mark.parametrize(
    "update",
    [{"audience": 8_915_163}, {"platforms": ("instagram", "x", "linkedin")}],
)  # found by the edits audit (40 briefs, seed 11): -9.9% and -1.6%
def test_a_larger_target_or_one_more_platform_keeps_a_full_cap_plan(update) -> None:
    """A known drop, kept so a fix shows (strict: it fails once the edits hold). The base
    plan (three mid-tier Instagram long-term creators, X's cap of three filled with the
    cheapest tier) is reached only through the last local search's walk from the plan
    without the programme, whose first move (an X long-term creator for an Instagram one)
    gains 0.8% on its 64 draws and loses on the edited brief's. The edited briefs' runs fill
    each platform's cap of long-term creators with the cheapest tier, and `candidate_moves`
    bounds what a move takes by `room` before the give, so no move trades a tier inside a full
    cap."""
    fields = dict(
        goal="brand_awareness", budget=48_655, weeks=52, audience=5_943_442,
        platforms=("instagram", "x"), advocates=50,
    )  # fmt: skip
    base = recommend(CampaignBrief(**fields)).recommended.objective_p50
    edited = recommend(CampaignBrief(**{**fields, **update})).recommended.objective_p50
    assert edited >= 0.99 * base


@pytest.mark.xfail(
    strict=True,
    reason="a cap of long-term creators filled with the cheapest tier first is final",
)
def test_more_budget_keeps_a_plan_of_dearer_long_term_creators() -> None:
    """A known drop, kept so a fix shows (strict: it fails once the edit holds), found by the
    edits audit (150 briefs, seed 303): the base plan (two mid-tier TikTok long-term creators)
    is reached by a lucky walk; with 1.5x the budget the greedy fills TikTok's cap of three
    with the micro tier (the best first unit per dollar) and no move adds to a full group:
    27,825 against 40,849, though the base plan still fits."""
    fields = dict(
        goal="brand_awareness", budget=78_750, weeks=52, audience=4_587_595,
        platforms=("x", "tiktok"), advocates=300,
    )  # fmt: skip
    base = recommend(CampaignBrief(**fields)).recommended.objective_p50
    more = recommend(CampaignBrief(**{**fields, "budget": 118_125})).recommended.objective_p50
    assert more >= 0.99 * base


def test_a_plan_on_fewer_platforms_overlaps_within_their_own_universe() -> None:
    """The same allocation projects the same whatever else is ticked: the plan of the brief
    without X, bought on the menu with X, has the same median (the universe is its own)."""
    brief = CampaignBrief(
        goal="brand_awareness", budget=5_445, weeks=4, audience=6_424_307,
        platforms=("instagram",), advocates=50,
    )  # fmt: skip
    alone = Search.of(brief)
    both = Search.of(brief.model_copy(update={"platforms": ("instagram", "x")}))
    menu, sub = both.options.menu, alone.options.menu
    keys = list(zip(menu.relationship, menu.platform, menu.tier, menu.timing, strict=True))
    units = np.zeros(menu.size)
    a = alone.best()
    for i in np.flatnonzero(a.units):
        units[keys.index((sub.relationship[i], sub.platform[i], sub.tier[i], sub.timing[i]))] = (
            a.units[i]
        )
    assert both.evaluate(units, a.programme).objective_p50 == pytest.approx(a.objective_p50)


def test_more_advocates_never_cost_reach_when_the_local_search_settles_elsewhere() -> None:
    """The last local search on every draw settles in the optimum nearest its start: started
    from the programme plan only, 13 advocates instead of 1 lost 2.5% (found by `make sweep`).
    It starts from the best plan of each programme setting."""
    brief = CampaignBrief(
        goal="brand_awareness", budget=1_483_447.2, currency="GBP", weeks=78, audience=219_309,
        platforms=("instagram", "youtube", "x"), advocates=1,
    )  # fmt: skip
    one = recommend(brief).recommended.objective_p50
    more = recommend(brief.model_copy(update={"advocates": 13})).recommended.objective_p50
    assert more >= 0.99 * one


def test_more_advocates_never_cost_reach_when_the_runs_trade_places() -> None:
    """The programme run led on the engine's 32 draws and trailed on all 200: the plan must
    take the better of the two on all draws (found by `make sweep`: -6.5% with 3x advocates)."""
    brief = CampaignBrief(
        goal="brand_awareness", budget=217_690.74, currency="EUR", weeks=26, audience=1_028_619,
        platforms=("instagram", "tiktok", "youtube", "x", "linkedin", "blog"), advocates=100,
    )  # fmt: skip
    more = brief.model_copy(update={"advocates": 310})
    assert (
        recommend(more).recommended.objective_p50
        >= 0.99 * recommend(brief).recommended.objective_p50
    )


@pytest.mark.parametrize(
    ("edit", "better"),
    [
        ("ambassador_posts_per_week", 2.0),
        ("ambassador_activation_rate", 0.8),
        ("ambassador_perks_per_month", 2.0),
        ("ambassador_followers", 2000.0),
    ],
)
def test_a_favourable_edit_never_lowers_the_plan(edit, better) -> None:
    brief = CampaignBrief(goal="brand_awareness", budget=40_000, weeks=52, advocates=500)
    base = recommend(brief).recommended.objective_p50
    edited = recommend(brief, assumptions=Assumptions(overrides={edit: better}))
    assert edited.recommended.objective_p50 >= 0.99 * base


CHEAPER_POSTS = {"cost.instagram.micro": 150, "cost.tiktok.micro": 40, "cost.youtube.micro": 60}
TRUST = {"trust_paid_post_weight": 0.9}


@pytest.mark.parametrize(
    ("fields", "overrides"),
    [
        (dict(goal="brand_awareness", budget=29_207, weeks=16, audience=186_868,
              platforms=("instagram",), advocates=0), TRUST),
        (dict(goal="brand_awareness", budget=12_269, weeks=16, audience=3_166_917,
              platforms=("instagram", "youtube"), advocates=0), TRUST),
        (dict(goal="contest", budget=6_576, weeks=26, audience=1_782_958,
              platforms=("youtube", "blog"), advocates=2_000), CHEAPER_POSTS),
        (dict(goal="contest", budget=33_375, weeks=104, audience=104_238,
              platforms=("instagram", "blog"), advocates=2_000), CHEAPER_POSTS),
    ],
)  # fmt: skip
def test_a_favourable_figure_edit_never_lowers_the_plan(fields, overrides) -> None:
    """Issue 14's audit, seed 202 (-72%, -53%, -6.3%, -1.5% on the old code): the greedy and
    the local search settled elsewhere under the edit (a full cap of long-term creators filled
    with the cheapest tier; a plan the 32 decision draws preferred). The plan of the default
    figures, bought under the edit, is a candidate (`advisor.advice.defaults`)."""
    brief = CampaignBrief(**fields)
    base = recommend(brief).recommended.objective_p50
    edited = recommend(brief, assumptions=Assumptions(overrides=overrides))
    assert edited.recommended.objective_p50 >= 0.99 * base


def test_the_default_figures_plan_is_bought_under_the_edit_on_the_same_draws() -> None:
    brief = CampaignBrief(
        goal="brand_awareness", budget=29_207, weeks=16, audience=186_868,
        platforms=("instagram",), advocates=0,
    )  # fmt: skip
    assert default_plan(Search.of(brief)) == []  # the default figures: nothing to add
    search = Search.of(brief, None, Assumptions(overrides=TRUST))
    (plan,) = default_plan(search)
    base = Search.of(brief).best()
    assert np.array_equal(plan.units, base.units)  # the same options on this menu
    assert plan.objective_p50 > base.objective_p50  # a higher trust: the same plan reaches more
    assert search.best().objective_p50 >= plan.objective_p50


@FEW
@given(briefs, st.floats(1.2, 3.0))
def test_more_budget_never_lowers_the_plan(brief, factor) -> None:
    more = CampaignBrief(**{**brief.model_dump(), "budget": min(brief.budget * factor, 1e9)})
    assert (
        recommend(more).recommended.objective_p50
        >= 0.99 * recommend(brief).recommended.objective_p50
    )


def test_json_is_identical_and_currency_free() -> None:
    usd = CampaignBrief(goal="brand_awareness", budget=30_000, weeks=26, advocates=200)
    eur = CampaignBrief(**{**usd.model_dump(), "currency": "EUR", "budget": 30_000 * 0.92})
    a, b = recommend(usd), recommend(usd)
    assert a.model_dump_json() == b.model_dump_json()
    assert recommend(eur).recommended.objective_p50 == pytest.approx(
        a.recommended.objective_p50, rel=0.01
    )


def test_plan_of_matches_recommend() -> None:
    brief = CampaignBrief(goal="event", budget=9_000, weeks=14, advocates=80)
    assert plan_of(Search.of(brief)) == recommend(brief)


def test_no_module_imports_another_modules_private_names() -> None:
    pattern = re.compile(r"^\s*from advisor(\.\w+)* import .*\b_[a-zA-Z]", re.M)
    offenders = [
        str(p.relative_to(ROOT))
        for p in (ROOT / "advisor").rglob("*.py")
        if pattern.search(p.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_every_scalar_figure_is_a_typed_attribute() -> None:
    from dataclasses import fields

    from advisor.model.assumptions import Scalars, default_figures

    scalars = {k for k in default_figures() if "." not in k}
    assert {f.name for f in fields(Scalars)} == scalars
    fig = Assumptions(overrides={"ambassador_activation_rate": 0.7}).model()
    assert fig.s.ambassador_activation_rate == 0.7 == fig.value("ambassador_activation_rate")


def test_the_engine_layers_stay_small() -> None:
    """No file of advice/ or model/ above 400 lines (complexity is checked by `make lint`)."""
    long = [
        str(p.relative_to(ROOT))
        for layer in ("advice", "model")
        for p in (ROOT / "advisor" / layer).glob("*.py")
        if len(p.read_text(encoding="utf-8").splitlines()) > 400
    ]
    assert long == []


def test_the_public_projection_reproduces_the_plan_and_projects_edits() -> None:
    from advisor import allocation_frame, certificate, project_allocation

    brief = CampaignBrief(goal="brand_awareness", budget=40_000, weeks=30, advocates=400)
    plan = recommend(brief)
    table = allocation_frame(plan)
    same = project_allocation(brief, table)
    rec = plan.recommended
    assert (same.objective_p10, same.objective_p50, same.objective_p90) == (
        rec.objective_p10,
        rec.objective_p50,
        rec.objective_p90,
    )
    assert same.spend == pytest.approx(brief.budget - plan.reserve, abs=0.05)
    # the same money as money instead of units; then half of the first line taken away
    by_money = project_allocation(brief, table.drop(columns="units"))
    assert by_money.objective_p50 == pytest.approx(same.objective_p50, rel=1e-6)
    less = table.copy()
    less.loc[0, "units"] = less.loc[0, "units"] / 2
    assert project_allocation(brief, less).objective_p50 <= same.objective_p50
    assert certificate(brief).improvement <= 0.01
    with pytest.raises(ValueError, match="no such option"):
        project_allocation(brief, [{"relationship": "face", "platform": "blog", "tier": "mega",
                                    "handle": None, "units": 1}])  # fmt: skip


def test_identical_json_across_processes() -> None:
    import subprocess
    import sys

    code = (
        "from advisor import CampaignBrief, recommend;"
        "print(recommend(CampaignBrief(goal='brand_awareness', budget=45000, currency='GBP',"
        " weeks=40, advocates=700, platforms='instagram,youtube')).model_dump_json())"
    )
    runs = [
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
        ).stdout
        for _ in range(2)
    ]
    assert runs[0] == runs[1] and runs[0].startswith("{")


def test_the_top_of_the_plan_says_what_decided_it() -> None:
    """The example plan and a short event explain themselves with their numbers."""
    example = recommend(CampaignBrief())
    assert any("12 weeks" in x and "8 weeks" in x for x in explain.deciding_facts(example, "en"))
    event = recommend(CampaignBrief(goal="event", budget=8_000, weeks=3, advocates=50))
    facts = explain.deciding_facts(event, "fr")
    assert facts and "3 semaines" in facts[0]
    contest = recommend(
        CampaignBrief(goal="contest", budget=5_000, weeks=20, advocates=100, platforms="instagram")
    )
    if not contest.programme:  # the programme's fixed cost is named with its amount
        assert any("$" in x for x in explain.deciding_facts(contest, "en"))


EDITS = settings(max_examples=15, deadline=None, derandomize=True)


@EDITS
@given(briefs, st.sampled_from(list(Platform)))
def test_a_favourable_edit_of_the_brief_never_lowers_the_plan(brief, extra) -> None:
    """One more platform, more advocates, a larger target: never more than 1% lower."""
    base = recommend(brief).recommended.objective_p50
    fields = brief.model_dump()
    edited = [
        {**fields, "platforms": (*brief.platforms, extra)},
        {**fields, "advocates": brief.advocates * 2 + 50},
        {**fields, "audience": min(int(brief.audience * 1.5), 2_000_000_000)},
    ]
    for update in edited:
        better = recommend(CampaignBrief(**update)).recommended.objective_p50
        assert better >= 0.99 * base - 1.0, update  # 1%, or less than one person


def test_factors_compare_the_brief_on_the_plans_own_scenarios() -> None:
    """A factor re-plans the brief with one fact neutral, on the first draws of the plan's own
    scenarios: a difference is the fact's, not the draws'. On a list with its own advocates,
    the brief's advocate count changes nothing the engine sees, so it is never a reason (it
    was given as one, either way, when the variant drew other scenarios)."""
    from advisor import SAMPLE_CREATORS, load_creators
    from advisor.advice.facts import FACTOR_SAMPLES

    brief = CampaignBrief(goal="brand_awareness", budget=60_000, weeks=104, advocates=2_000)
    search = Search.of(brief, load_creators(SAMPLE_CREATORS))
    variant = search.variant(brief.model_copy(update={"advocates": 0}), FACTOR_SAMPLES)
    for name in search.draws.__dataclass_fields__:
        mine = getattr(search.draws, name)[:FACTOR_SAMPLES]
        assert np.array_equal(getattr(variant.draws, name), mine), name
    assert variant.options.menu.same_as(search.options.menu)
    assert "advocates" not in {f.key for f in plan_of(search).factors}
    shorter = search.variant(brief.model_copy(update={"weeks": 8}), FACTOR_SAMPLES)
    assert not shorter.options.menu.same_as(search.options.menu)


def test_a_fact_that_moves_nothing_is_named_as_such() -> None:
    """An event's result does not depend on its duration: six weeks instead of eight is not a
    reason, and the page says so rather than claiming the brief uses every neutral value."""
    plan = recommend(CampaignBrief(goal="event", weeks=6))
    assert plan.factors == [] and plan.facts_without_effect == ["weeks"]
    assert "duration" in explain.why_without_factors(plan, "en")
    assert "durée" in explain.why_without_factors(plan, "fr")
    neutral = recommend(CampaignBrief())
    assert neutral.facts_without_effect == []
    assert explain.why_without_factors(neutral, "en") == explain.t("why.none", "en")


def test_a_brief_that_can_buy_nothing_is_a_plan_of_nothing() -> None:
    """$100 cannot buy one YouTube post: no plan buys anything, and the plan says so in
    figures (zero reached, nothing spent) rather than failing."""
    plan = recommend(CampaignBrief(goal="product_launch", budget=100, weeks=1, platforms="youtube"))
    assert [c.feasible for c in plan.candidates] == [False, False, False]
    assert plan.recommended.objective_p50 == 0 and plan.reserve == 100
    assert all(r == 0 for s in plan.projection.series for r in s.reach_p50)


def test_short_burst_creators_of_a_list_are_bought_together_when_one_alone_adds_nothing() -> None:
    """Reached 3+ times in a purchase cycle: one listed creator's one or two posts reach nobody
    three times, so no creator adds anything alone; several bought together do. The
    short-burst-only plan of a list buys them (it bought nothing, and the page said nothing
    could be bought, beside a recommended plan that buys short-burst creators)."""
    from advisor import SAMPLE_CREATORS, load_creators

    brief = CampaignBrief(goal="brand_awareness", budget=60_000, weeks=52, advocates=500)
    search = Search.of(brief, load_creators(SAMPLE_CREATORS))
    short = search.options.menu.relationship == 0
    assert (search.best().units[short] > 0).any()
    alone = search.restricted("influencer")
    assert alone.objective_p50 > 0 and alone.spend_usd > 0


def test_a_long_lists_judged_columns_are_the_figures_of_their_own_build() -> None:
    """On a long list the plans' options are built on all draws once for all of them (one
    build per set of platforms): each plan's columns are the figures of building it alone."""
    from advisor import SAMPLE_CREATORS, load_creators
    from advisor.model.coefficients import coefficients

    brief = CampaignBrief(goal="brand_awareness", budget=60_000, weeks=52, advocates=500)
    search = Search.of(brief, load_creators(SAMPLE_CREATORS))
    menu = search.options.menu
    plans = [search.best(), search.restricted("influencer"), search.restricted("long_term")]
    assert len({tuple(np.flatnonzero(a.units > 0)) for a in plans}) == 3
    for a in plans:
        cols = np.flatnonzero(a.units > 0)
        alone = coefficients(
            menu.subset(cols), brief.goal, brief.audience, search.fig, search.draws
        )
        shared = search.full(cols)
        assert np.array_equal(shared.audience, alone.audience)
        assert alone.cycle is not None and shared.cycle is not None
        np.testing.assert_allclose(shared.cycle, alone.cycle, rtol=1e-12, atol=1e-300)
        np.testing.assert_allclose(shared.log_missed, alone.log_missed, rtol=1e-12, atol=1e-300)
        assert search.evaluate(a.units, a.programme).objective_p50 == pytest.approx(
            a.objective_p50, rel=1e-12
        )


def test_more_advocates_keep_the_plan_found_on_the_platforms_it_buys() -> None:
    """The sweep's 17% drop: with 10 advocates the plan without the programme, searched again
    on the platforms it buys, wins; with 40 the plan found first funds the programme, and the
    engine must still search the platforms the plan without it buys (its allocation is as
    good as with 10 advocates: advocates change nothing it buys)."""
    kw = dict(
        goal="brand_awareness", budget=17_299.95, weeks=26, audience=8_296_290,
        platforms=["instagram", "youtube", "x"],
    )  # fmt: skip
    few = recommend(CampaignBrief(**kw, advocates=10)).recommended.objective_p50
    more = recommend(CampaignBrief(**kw, advocates=40)).recommended.objective_p50
    assert more >= few * (1 - 1e-9)


def test_a_variant_with_more_advocates_reuses_the_builds_and_finds_the_same_plans() -> None:
    """More advocates change only the menu's caps: the variant shares the matrices already
    built (the what-if grid builds each duration once for every count of advocates), and its
    runs are those of a search built from scratch. Fewer weeks change the matrices: no
    sharing."""
    brief = CampaignBrief(goal="brand_awareness", budget=60_000, weeks=52, advocates=500)
    search = Search.of(brief, samples=32)
    search.runs()
    more = brief.model_copy(update={"advocates": 2_500})
    shared = search.variant(more)
    assert shared.decision is search.decision
    fresh = Search.of(more, samples=32)
    assert [(r.programme, r.units.tolist()) for r in shared.runs()] == [
        (r.programme, r.units.tolist()) for r in fresh.runs()
    ]
    assert not shared.options.menu.same_as(search.options.menu)  # the caps differ
    shorter = search.variant(brief.model_copy(update={"weeks": 8}))
    assert shorter.decision is not search.decision


@settings(max_examples=60, deadline=None)
@given(
    draws=st.integers(1, 240),
    columns=st.integers(1, 40),
    seed=st.integers(0, 2**16),
    ties=st.booleans(),
)
def test_the_engines_median_is_numpys(draws: int, columns: int, seed: int, ties: bool) -> None:
    """`median_draws` (from the sorted draws) gives `np.median`'s figures to the bit, odd or
    even draws, with ties."""
    from advisor.model.coefficients import median_draws

    values = np.random.default_rng(seed).normal(size=(draws, columns))
    if ties:
        values = np.round(values * 2)
    assert np.array_equal(median_draws(values), np.median(values, axis=0))


@pytest.mark.parametrize(
    "brief",
    [  # found by random large-audience briefs: a plan on the platforms that saturate early
        # (blogs, LinkedIn) that a move to another platform beat by 4% to 19%
        CampaignBrief(
            goal="event",
            budget=125_997,
            weeks=2,
            audience=11_747_656,
            platforms=("instagram", "blog"),
            advocates=2_000,
        ),
        CampaignBrief(
            goal="product_launch",
            budget=89_260,
            weeks=39,
            audience=30_727_884,
            platforms=("linkedin", "blog"),
        ),
        CampaignBrief(
            goal="product_launch",
            budget=46_812,
            weeks=6,
            audience=36_299_085,
            platforms=("linkedin", "blog"),
            advocates=10_000,
        ),
    ],
)
def test_the_certificate_holds_when_a_move_changes_the_universe(brief: CampaignBrief) -> None:
    """A move that adds a platform changes the duplication universe the moved plan is judged
    on: the certificate values it there (as `project_allocation` does), and the plan already
    took every such move that helps."""
    from advisor import allocation_frame, certificate, project_allocation

    cert = certificate(brief)
    assert cert.improvement <= 0.01
    plan = recommend(brief)
    assert plan.recommended.objective_p50 == pytest.approx(cert.objective_p50, abs=0.01)
    table = allocation_frame(plan)
    assert project_allocation(brief, table).objective_p50 == plan.recommended.objective_p50


def test_the_public_projection_buys_only_what_can_be_bought() -> None:
    """Money buys whole creators, within the caps (a few long-term creators per platform,
    the advocates the brief has); an appearance comes with the programme's fixed cost. What
    cannot be bought is left out and said so."""
    from advisor import project_allocation

    brief = CampaignBrief(goal="event", budget=40_000, weeks=20, advocates=100)
    face = {"relationship": "face", "platform": "instagram", "tier": "micro", "handle": None}
    three = project_allocation(brief, [{**face, "units": 3}])
    assert three.within_caps
    assert project_allocation(brief, [{**face, "units": 3.6}]) == three.model_copy(
        update={"within_caps": False}
    )
    five = project_allocation(brief, [{**face, "units": 5}])  # above the cap of 3
    assert not five.within_caps and five.objective_p50 == three.objective_p50
    appear = {"relationship": "appearance", "platform": None, "tier": None, "handle": None,
              "units": 2}  # fmt: skip
    with_appearances = project_allocation(brief, [{**face, "units": 3}, appear])
    assert with_appearances.programme and with_appearances.spend > three.spend
