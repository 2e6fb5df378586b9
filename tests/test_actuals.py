"""Actual results against the plan, and the team's figures learnt from them (issue 17).

Why: after a campaign the team uploads what really happened; every line of that upload must be
kept or reported; the figures must be judged against the plan's own bands; and the figures the
advisor learns must move toward the truth as campaigns accumulate, never jump on one campaign,
and be honest about how often the bands held. The simulated campaigns are drawn from known
true figures (reach rate x0.7, click-through x0.8, conversion x1.5) with the model's own noise:
the projection of the very allocation the plan bought, under the true figures, on draws the
plan never saw.
"""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from advisor import (
    Assumptions,
    CampaignBrief,
    ResultsLoad,
    calibrate,
    compare_results,
    read_results,
    recommend,
    t,
)
from advisor.advice.calibration import observations, posterior
from advisor.advice.recommend import plan_of
from advisor.advice.search import Search
from advisor.creators.results import template_csv
from advisor.model.assumptions import default_figures
from advisor.model.projection import draws
from advisor.present.actuals import actuals_table
from advisor.present.charts import reach_chart
from advisor.sharing.links import assumptions_from_query, assumptions_to_query
from advisor.store import ConflictError, PlanNotFound, open_store
from tests.test_store import url  # noqa: F401  (SQLite, and PostgreSQL with TEST_DATABASE_URL)

pytestmark = pytest.mark.timeout(300)
TRUTH = {"reach": 0.7, "clicks_per_engagement": 0.8, "conversion_rate": 1.5}
TIERS = ("nano", "micro", "mid", "macro", "mega")


# --- the reader ------------------------------------------------------------------------------

MESSY = (
    "Semaine;Créateur;Publications;Portée;Impressions;Clics;Commandes;Dépenses\n"  # 1
    "1;@lena.bakes;2;5 400;9,8K;96;3;900 €\n"  # 2 kept
    "1;maya;1;310;420;6;1;10\n"  # 3 kept
    "2;lena.bakes;x;2100;4300;41;1;450\n"  # 4 posts not a number
    "0;lena.bakes;1;1;1;1;1;1\n"  # 5 week 0
    ";lena.bakes;1;1;1;1;1;1\n"  # 6 no week
    "3;lena.bakes;;;;;;\n"  # 7 no figure
    "3;lena.bakes;1;-5;1;1;1;1\n"  # 8 negative
    "4;lena.bakes;1;100;200;3;0;50;extra\n"  # 9 too many fields
    "5;lena.bakes;1;100;200;3;0;50\n"  # 10 kept
).encode()


def test_every_line_of_an_upload_is_kept_or_reported_with_its_line() -> None:
    load = read_results(MESSY)
    kept = set(load.table["line"])
    reported = {p.line: p.code for p in load.problems}
    assert kept == {2, 3, 10}
    assert reported == {
        4: "number_invalid",
        5: "week_invalid",
        6: "week_missing",
        7: "row_empty",
        8: "number_negative",
        9: "row_fields",
    }
    assert load.rows_read == 9 == len(kept) + len(reported)
    first = load.table.iloc[0]
    assert (first.creator, first.reach, first.impressions, first.spend) == (
        "lena.bakes",
        5400.0,
        9800.0,
        900.0,
    )
    assert load.figures == ["posts", "reach", "impressions", "clicks", "orders", "spend"]
    assert load.totals()["engagements"] is None  # not in the file: not zero
    assert load.weekly()["week"].tolist() == [1.0, 2.0, 3.0, 4.0, 5.0]
    # the file's own header names the column; French on a French page
    assert reported_message(load, 4) == "Publications: “x” is not a number. Row skipped."
    french = read_results(MESSY, lang="fr")
    assert reported_message(french, 4) == t(
        "actuals.problem.number_invalid", "fr", column="Publications", value="x"
    )


def reported_message(load: ResultsLoad, line: int) -> str:
    return next(p.message for p in load.problems if p.line == line)


def test_dates_count_weeks_from_the_first_day_or_the_given_start() -> None:
    data = b"date,posts,reach\n2026-03-02,1,10\n2026-03-09,1,20\n2026-03-20,2,30\nnope,1,1\n"
    load = read_results(data)
    assert load.table["week"].tolist() == [1.0, 2.0, 3.0]
    assert [(p.line, p.code) for p in load.problems] == [(5, "date_invalid")]
    from datetime import date

    later = read_results(data, start=date(2026, 3, 9))
    assert later.table["week"].tolist() == [1.0, 2.0]  # the 2nd of March is before week 1
    assert {p.line: p.code for p in later.problems}[2] == "date_outside"


def test_the_template_reads_back_whole_and_a_file_without_weeks_is_refused() -> None:
    load = read_results(template_csv())
    assert load.problems == [] and load.rows_kept == 3 and load.creators == 2
    assert ResultsLoad.from_json(load.to_json()).table.equals(load.table)
    from advisor import IngestError

    with pytest.raises(IngestError) as error:
        read_results(b"creator,posts\na,1\n")
    assert error.value.message == t("actuals.error.no_week", "en")
    with pytest.raises(IngestError):
        read_results(b"week,creator\n1,a\n")


# --- against the plan ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def launch():
    """A paid Instagram launch, its search and allocation (what the simulations replay)."""
    brief = CampaignBrief(goal="product_launch", budget=20_000, weeks=8, platforms=["instagram"])
    search = Search.of(brief)
    return search, search.best(), plan_of(search)


def results_at(plan, factor: float) -> ResultsLoad:
    """Results equal to the plan's medians times `factor`, week by week."""
    rec = plan.recommended
    posts = sum(line.posts for line in plan.lines)
    imp = np.diff(rec.impressions_p50, prepend=0.0)
    eng = np.diff(rec.engagements_p50, prepend=0.0)
    share = eng / eng.sum()
    return read_results(
        pd.DataFrame(
            {
                "week": rec.week,
                "posts": posts * imp / imp.sum(),
                "reach": factor * np.diff(rec.reach_p50, prepend=0.0),
                "impressions": factor * imp,
                "engagements": factor * eng,
                "clicks": factor * rec.clicks.p50 * share,
                "orders": factor * rec.sales.p50 * share,
                "spend": np.diff(rec.spend, prepend=0.0),
            }
        )
    )


def test_results_at_the_median_are_inside_and_ten_times_it_above(launch) -> None:
    plan = launch[2]
    median = compare_results(plan, results_at(plan, 1.0))
    assert [f.verdict for f in median.figures] == ["inside"] * 5 + ["none"]
    assert all(p.inside for p in median.weeks) and len(median.weeks) == plan.brief.weeks
    assert (median.inside, median.total) == (5, 5)
    assert median.figure("reach").actual == pytest.approx(plan.recommended.reach_p50[-1], 1e-3)
    high = compare_results(plan, results_at(plan, 10.0))
    assert {f.verdict for f in high.banded} == {"above"}
    table = actuals_table(high, plan, "fr")
    assert (
        table[t("actuals.table.verdict", "fr")].tolist()[:5]
        == [t("actuals.verdict.above", "fr")] * 5
    )
    # the chart draws the results as points, marked outside the band
    fig = reach_chart(plan, "en", high)
    names = [trace.name for trace in fig.data]
    assert any(t("actuals.chart.outside", "en") in (n or "") for n in names)
    assert fig.layout.yaxis.range[1] >= high.weeks[-1].actual


def test_chart_labels_actuals_with_each_language_s_punctuation(launch) -> None:
    """The legend and hover of the actual points follow the catalog ("Réel (cumulé) : …" in
    French, a space before the colon), not an English "label: value" pattern."""
    plan = launch[2]
    high = compare_results(plan, results_at(plan, 10.0))
    for lang, sep in (("en", ": "), ("fr", " : ")):
        fig = reach_chart(plan, lang, high)
        actual = t("actuals.chart.actual", lang)
        points = [trace for trace in fig.data if (trace.name or "").startswith(actual)]
        assert [trace.name for trace in points] == [actual + sep + t("actuals.chart.outside", lang)]
        assert actual + sep + "%{customdata[0]}" in points[0].hovertemplate


def test_half_a_campaign_is_judged_against_half_a_plan(launch) -> None:
    plan = launch[2]
    full = results_at(plan, 1.0)
    half = ResultsLoad.from_json(
        {**full.to_json(), "rows": [r for r in full.to_json()["rows"] if r["week"] <= 4]}
    )
    comparison = compare_results(plan, half)
    assert comparison.week == 4
    assert comparison.figure("reach").p50 == plan.recommended.reach_p50[3]
    assert {f.verdict for f in comparison.banded} == {"inside"}


def test_the_update_is_the_documented_formula() -> None:
    mean, sd = posterior([math.log(0.5)], 0.3, 0.3)  # equal spreads: half way
    assert mean == pytest.approx(math.log(0.5) / 2)
    assert sd == pytest.approx(0.3 / math.sqrt(2))
    xs = [0.2, -0.1, 0.4]
    mean, _ = posterior(xs, 0.3, 0.6)
    assert mean == pytest.approx((3 * np.mean(xs) / 0.36) / (1 / 0.09 + 3 / 0.36))
    assert posterior([], 0.3, 0.3) == (0.0, 0.3)


def test_a_plan_made_with_the_teams_figures_counts_from_the_benchmark(launch) -> None:
    """Evidence is a ratio to the default: a plan that already assumed 0.7x and got what it
    assumed says 0.7x, not 1x."""
    brief = launch[2].brief
    lowered = Assumptions(
        overrides={
            f"reach.instagram.{tier}": 0.7 * Assumptions().value(f"reach.instagram.{tier}")
            for tier in TIERS
        }
    )
    plan = recommend(brief, assumptions=lowered)
    found = {o.key: o.log_ratio for o in observations(plan, results_at(plan, 1.0))}
    reach = [v for k, v in found.items() if k.startswith("reach.")]
    assert reach and all(v == pytest.approx(math.log(0.7), abs=0.02) for v in reach)


# --- simulated campaigns ---------------------------------------------------------------------


def truth_for(platforms) -> Assumptions:
    """The true figures (the module doc's TRUTH) on every tier of `platforms`."""
    base = Assumptions()
    return Assumptions(
        overrides={
            **{
                f"reach.{p}.{tier}": TRUTH["reach"] * base.value(f"reach.{p}.{tier}")
                for p in platforms
                for tier in TIERS
            },
            "clicks_per_engagement": TRUTH["clicks_per_engagement"] * 0.25,
            "conversion_rate": TRUTH["conversion_rate"] * 0.015,
        }
    )


def simulate(plan, allocation, truth: Assumptions, seed: int, n: int) -> list[ResultsLoad]:
    """`n` campaigns of `allocation` (what `plan` bought) drawn from `truth` with the model's
    own noise, on draws `seed` the plan never saw, uploaded as weekly results."""
    true_search = Search.of(plan.brief, assumptions=truth)
    assert true_search.options.menu.size == len(allocation.units)
    true_search = dataclasses.replace(true_search, draws=draws(200, seed=seed))
    out = true_search.deliver(allocation)
    rec = plan.recommended
    posts = sum(line.posts for line in plan.lines)
    planned_imp = np.diff(rec.impressions_p50, prepend=0.0)

    def campaign(i: int) -> ResultsLoad:
        eng = np.diff(out.weekly_engagements[i], prepend=0.0)
        share = eng / max(eng.sum(), 1e-9)
        frame = pd.DataFrame(
            {
                "week": rec.week,
                "posts": (posts * planned_imp / planned_imp.sum()).round(3),
                "reach": np.diff(out.weekly_reach[i], prepend=0.0).round(),
                "impressions": np.diff(out.weekly_impressions[i], prepend=0.0).round(),
                "engagements": eng.round(),
                "clicks": (out.clicks[i] * share).round(3),
                "orders": (out.sales[i] * share).round(3),
                "spend": np.diff(rec.spend, prepend=0.0).round(2),
            }
        )
        return read_results(frame)

    return [campaign(i) for i in range(n)]


@pytest.fixture(scope="module")
def simulated(launch):
    """200 campaigns of the launch plan drawn from the true figures (see the module doc)."""
    _search, allocation, plan = launch
    return plan, simulate(plan, allocation, truth_for(["instagram"]), seed=7, n=200)


def _log_change(calibration, key: str) -> float:
    return math.log(calibration.figure(key).value / default_figures()[key].default)


def test_simulated_campaigns_move_the_figures_toward_the_truth(simulated) -> None:
    plan, campaigns = simulated
    keys = {
        "reach.instagram.micro": math.log(TRUTH["reach"]),
        "clicks_per_engagement": math.log(TRUTH["clicks_per_engagement"]),
        "conversion_rate": math.log(TRUTH["conversion_rate"]),
    }
    means: dict[int, dict[str, float]] = {}
    errors: dict[int, dict[str, float]] = {}
    coverages = {}
    for n in (1, 3, 10):
        runs = [calibrate([(plan, campaigns[r * 10 + j]) for j in range(n)]) for r in range(20)]
        means[n] = {k: float(np.mean([_log_change(c, k) for c in runs])) for k in keys}
        errors[n] = {
            k: float(np.mean([abs(_log_change(c, k) - truth) for c in runs]))
            for k, truth in keys.items()
        }
        inside = sum(c.coverage.inside for c in runs)
        total = sum(c.coverage.total for c in runs)
        coverages[n] = inside / total
        assert all(c.campaigns == n for c in runs)
        assert all(c.figure("reach.instagram.micro").campaigns == n for c in runs)
    print("mean log change", means, "\nmean abs error", errors, "\n80% band coverage", coverages)
    for key, truth in keys.items():
        # on average, monotonically toward the truth, never past it by more than the noise
        distance = [abs(means[n][key] - truth) for n in (1, 3, 10)]
        assert distance[0] > distance[1] > distance[2] or distance[2] < 0.05, (key, distance)
        assert distance[2] < 0.5 * abs(truth), (key, distance)
        assert errors[10][key] < errors[1][key], key
    # the price was right: its figure stays put (spend per post as planned)
    one = calibrate([(plan, c) for c in campaigns[:10]])
    assert one.figure("cost.instagram.micro").value == pytest.approx(
        default_figures()["cost.instagram.micro"].default, rel=1e-3
    )
    # the truth sits away from the defaults: the plan's bands hold less often than 80%
    assert 0.3 < coverages[10] < 0.95


def test_coverage_is_near_80_percent_when_the_plan_was_right(launch) -> None:
    """Campaigns drawn from the plan's own figures (unseen draws): honest bands hold ~80%."""
    _search, allocation, plan = launch
    fresh = dataclasses.replace(Search.of(plan.brief), draws=draws(200, seed=11))
    out = fresh.deliver(allocation)
    rec = plan.recommended
    runs = []
    for i in range(100):
        eng = np.diff(out.weekly_engagements[i], prepend=0.0)
        share = eng / max(eng.sum(), 1e-9)
        frame = pd.DataFrame(
            {
                "week": rec.week,
                "reach": np.diff(out.weekly_reach[i], prepend=0.0),
                "impressions": np.diff(out.weekly_impressions[i], prepend=0.0),
                "engagements": eng,
                "clicks": out.clicks[i] * share,
                "orders": out.sales[i] * share,
            }
        )
        runs.append((plan, read_results(frame)))
    found = calibrate(runs).coverage
    print("coverage with the plan's own figures", found)
    assert found.total == 500
    assert 0.7 <= found.share <= 0.9


AWARENESS = CampaignBrief(goal="brand_awareness", budget=60_000, weeks=26, advocates=500)


@pytest.mark.parametrize(
    "brief",
    [pytest.param(None, id="instagram-launch"), pytest.param(AWARENESS, id="awareness-advocates")],
)
def test_new_plans_from_the_teams_figures_cover_80_percent_of_new_campaigns(launch, brief) -> None:
    """The issue's second criterion. From 1, 3 and 10 campaigns of the default plan drawn from
    the truth (10 teams each), the team's figures make a NEW plan for the same brief; new
    campaigns of THAT plan's allocation, drawn from the truth on unseen draws, fall inside its
    p10-p90 70-90% of the time. It fails without pooling a platform's tiers (the new plan turns
    to a tier whose reach was never lowered: 0.69/0.72/0.74 on the launch) or without widening
    the spreads by the posterior sd."""
    if brief is None:
        search, allocation, plan = launch
    else:
        search = Search.of(brief)
        allocation, plan = search.best(), plan_of(search)
    brief = plan.brief
    truth = truth_for([p.value for p in brief.platforms])
    past = simulate(plan, allocation, truth, seed=7, n=100)
    fresh = simulate(plan, allocation, truth, seed=101, n=40)
    shares = {0: calibrate([(plan, c) for c in fresh]).coverage.share}  # defaults, no results
    for n in (1, 3, 10):
        inside = total = 0
        for team in range(10):
            learnt = calibrate([(plan, past[team * 10 + j]) for j in range(n)])
            new = Search.of(brief, assumptions=learnt.assumptions())
            best = new.best()
            new_plan = plan_of(new)
            outcomes = simulate(new_plan, best, truth, seed=200 + team, n=40)
            found = calibrate([(new_plan, o) for o in outcomes]).coverage
            inside, total = inside + found.inside, total + found.total
        shares[n] = inside / total
    print(brief.goal, "80% band coverage of new campaigns (0: defaults, no results)", shares)
    for n in (1, 3, 10):
        assert 0.7 <= shares[n] <= 0.9, (n, shares)
    assert shares[10] > shares[0]  # the truth is away from the defaults: learning helps


def test_a_platforms_tiers_learn_together_and_the_spreads_carry_what_is_not_known(
    simulated,
) -> None:
    """The model draws one reach (engagement, price) multiplier per platform for all its tiers:
    the launch bought nano and micro, and every Instagram tier learns the same factor; the
    spreads of the next plan are the predictive sd, (σ² + posterior sd²)^½, narrowing as the
    campaigns accumulate; families with no evidence keep theirs."""
    plan, campaigns = simulated
    spreads = {}
    for n in (1, 10):
        learnt = calibrate([(plan, c) for c in campaigns[:n]])
        factors = {round(learnt.figure(f"reach.instagram.{tier}").change, 9) for tier in TIERS}
        assert len(factors) == 1 and factors != {0.0}
        assert "reach.tiktok.micro" not in learnt.overrides
        micro = learnt.figure("reach.instagram.micro")
        spread = learnt.figure("reach_rate_uncertainty")
        assert spread.default == 0.3
        assert spread.value == pytest.approx(math.hypot(0.3, micro.posterior_sd))
        assert learnt.assumptions().value("reach_rate_uncertainty") == spread.value
        assert "activation_uncertainty" not in learnt.overrides  # no advocates planned
        spreads[n] = spread.value
    assert spreads[1] == pytest.approx(0.3 * math.sqrt(1.5))
    assert 0.3 < spreads[10] < spreads[1]


# --- the store -------------------------------------------------------------------------------


def test_results_and_team_figures_round_trip_in_the_store(url, launch) -> None:  # noqa: F811
    plan = launch[2]
    store = open_store(url)
    try:
        plan_id = store.save(plan, "Launch")
        assert store.load_results(plan_id) is None
        results = read_results(MESSY)
        assert store.save_results(plan_id, results, expected_version=1) == 1
        saved = store.load_results(plan_id)
        assert (saved.plan_version, saved.plan) == (1, plan)
        assert saved.results.table.equals(results.table)
        assert saved.results.problems == results.problems
        assert saved.uploaded.tzinfo is not None
        # the plan moves on: results for version 1 are refused, version 2 takes new ones
        with pytest.raises(ConflictError):
            store.save_results(plan_id, results, expected_version=2)
        edited = recommend(plan.brief.model_copy(update={"budget": 25_000}))
        store.update(plan_id, edited, expected_version=1)
        with pytest.raises(ConflictError) as conflict:
            store.save_results(plan_id, results, expected_version=1)
        assert conflict.value.current == 2
        assert store.load_results(plan_id).plan == plan  # compared with the plan they answer
        again = results_at(edited, 1.0)
        store.save_results(plan_id, again, expected_version=2)
        latest = store.load_results(plan_id)
        assert (latest.plan_version, latest.plan) == (2, edited)
        with pytest.raises(PlanNotFound):
            store.save_results("x" * 24, results, expected_version=1)
        # the workspace's campaigns with results: latest per plan, deleted plans left out
        other = store.save(plan, "Other")
        store.save_results(other, results_at(plan, 2.0), expected_version=1)
        assert {c.plan_id for c in store.campaigns_with_results()} == {plan_id, other}
        store.delete(other)
        assert [c.plan_id for c in store.campaigns_with_results()] == [plan_id]
        # the team's figures
        assert store.load_team_assumptions() is None
        calibration = calibrate([(c.plan, c.results) for c in store.campaigns_with_results()])
        assert store.save_team_assumptions(calibration) == 1
        team = store.load_team_assumptions()
        assert team.overrides == pytest.approx(calibration.assumptions().overrides)
        assert team.evidence[calibration.figures[0].key]["campaigns"] == 1
        with pytest.raises(ConflictError):
            store.save_team_assumptions({"conversion_rate": 0.02}, expected_version=0)
        assert store.save_team_assumptions({"conversion_rate": 0.02}, expected_version=1) == 2
        assert store.load_team_assumptions().overrides == {"conversion_rate": 0.02}
    finally:
        store.dispose()


def test_the_teams_figures_travel_in_a_share_link(simulated) -> None:
    plan, campaigns = simulated
    calibration = calibrate([(plan, c) for c in campaigns[:3]])
    query = assumptions_to_query(calibration.assumptions())
    assert "a.conversion_rate" in query
    back, bad = assumptions_from_query(query)
    assert bad == []
    assert back.overrides == pytest.approx(calibration.assumptions().overrides, rel=1e-6)
    new = recommend(plan.brief, assumptions=back, samples=20)
    assert {f.key for f in new.assumptions.edited()} == set(calibration.overrides)


# --- the pages ---------------------------------------------------------------------------------


@pytest.fixture
def page_store(tmp_path: Path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("TEAM_PASSPHRASE", raising=False)
    monkeypatch.setenv("ADVISOR_DATA_DIR", str(tmp_path))
    st.cache_resource.clear()
    opened = open_store()
    yield opened
    opened.dispose()
    st.cache_resource.clear()


def opened_plan_app() -> None:
    from advisor.ui.planner import actual_results
    from advisor.ui.team import opened_plan

    opened = opened_plan("en")
    actual_results(opened, opened[1], "en")


def team_app() -> None:
    from advisor.ui.team import render_team_page

    render_team_page()


def test_uploading_results_on_an_opened_plan_shows_them_against_the_bands(
    page_store, launch
) -> None:
    plan = launch[2]
    plan_id = page_store.save(plan, "Launch")
    at = AppTest.from_function(opened_plan_app, default_timeout=60)
    at.query_params["plan"] = plan_id
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.dataframe  # nothing uploaded yet
    data = results_at(plan, 10.0).table.drop(columns=["line", "creator"]).to_csv(index=False)
    at.file_uploader[0].set_value(("results.csv", data.encode() + b"9,x,1,1,1,1,1,1\n", "text/csv"))
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.success[0].value == t("actuals.saved", "en", version="1", rows="8")
    table = at.dataframe[0].value
    assert table[t("actuals.table.figure", "en")].tolist() == [
        t(f"actuals.figure.{k}", "en")
        for k in ("reach", "impressions", "engagements", "clicks", "orders", "spend")
    ]
    assert (
        table[t("actuals.table.verdict", "en")].tolist()[:5]
        == [t("actuals.verdict.above", "en")] * 5
    )
    assert t("actuals.problems", "en", count="1") in [e.label for e in at.expander]
    assert page_store.load_results(plan_id).results.rows_kept == 8
    # the team page learns from it
    team = AppTest.from_function(team_app, default_timeout=60).run()
    assert not team.exception, [e.value for e in team.exception]
    assert t("calibration.heading", "en") in [h.value for h in team.header]
    learnt = team.dataframe[-1].value
    assert t("calibration.col.team", "en") in learnt.columns
    [save] = [b for b in team.button if b.label == t("calibration.save", "en")]
    save.click().run()
    assert not team.exception
    assert page_store.load_team_assumptions().overrides


def test_the_planner_shows_a_saved_plans_results_under_its_reach(page_store, launch) -> None:
    """The whole page (`app.py`) at `/?plan=<id>`: results stored earlier are drawn on the
    chart and tabled; the lines not used are listed with their line numbers."""
    plan = launch[2]
    plan_id = page_store.save(plan, "Launch")
    messy = results_at(plan, 1.0).to_json()
    messy["problems"] = read_results(MESSY).to_json()["problems"]
    page_store.save_results(plan_id, ResultsLoad.from_json(messy), expected_version=1)
    app = str(Path(__file__).resolve().parents[1] / "app.py")
    at = AppTest.from_file(app, default_timeout=120)
    at.query_params["plan"] = plan_id
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert t("actuals.heading", "en") in [h.value for h in at.header]
    verdicts = t("actuals.table.verdict", "en")
    [table] = [d.value for d in at.dataframe if verdicts in d.value.columns]
    assert table[verdicts].tolist()[:5] == [t("actuals.verdict.inside", "en")] * 5
    [problems] = [
        d.value for d in at.dataframe if t("actuals.problem_col.line", "en") in d.value.columns
    ]
    assert problems[t("actuals.problem_col.line", "en")].tolist() == [4, 5, 6, 7, 8, 9]


def test_advocate_posts_and_named_advocates_inform_posting_and_activation() -> None:
    brief = CampaignBrief(goal="brand_awareness", budget=60_000, weeks=52, advocates=500)
    plan = recommend(brief, samples=50)
    assert "advocate" in plan.funded
    full = results_at(plan, 1.0)
    as_planned = {o.key: o.log_ratio for o in observations(plan, full)}
    assert as_planned["ambassador_posts_per_week"] == pytest.approx(0.0, abs=0.01)
    assert "ambassador_activation_rate" not in as_planned  # no creator named: unknown
    # advocates posted half what was planned; the paid creators posted as signed
    advocate_posts = sum(line.posts for line in plan.lines if line.relationship == "advocate")
    total = sum(line.posts for line in plan.lines)
    data = full.to_json()
    factor = (total - advocate_posts / 2) / total
    for row in data["rows"]:
        row["posts"] *= factor
    # and the results name as many creators as the plan expected active advocates + paid units
    paid = sum(line.units for line in plan.lines if line.relationship in ("influencer", "face"))
    active = sum(line.active for line in plan.lines if line.relationship == "advocate")
    names = [f"c{i}" for i in range(round(paid + active))]
    data["rows"] = [
        {**row, "creator": names[i % len(names)]} for i, row in enumerate(data["rows"] * 20)
    ]
    for row in data["rows"]:
        for name in ("posts", "reach", "impressions", "engagements", "clicks", "orders", "spend"):
            row[name] /= 20
    half = {o.key: o.log_ratio for o in observations(plan, ResultsLoad.from_json(data))}
    assert half["ambassador_posts_per_week"] == pytest.approx(math.log(0.5), abs=0.02)
    assert half["ambassador_activation_rate"] == pytest.approx(0.0, abs=0.02)


def test_a_private_workspace_asks_for_its_passphrase_where_the_upload_would_be(
    page_store, launch
) -> None:
    """A saved plan's link opens a new session: with a team passphrase, the upload is replaced
    by the unlock form and a message saying why; a wrong passphrase is refused in words, the
    right one shows the upload on the same page, the plan still open."""
    plan = launch[2]
    plan_id = page_store.save(plan, "Launch")
    at = AppTest.from_function(opened_plan_app, default_timeout=60)
    at.secrets["TEAM_PASSPHRASE"] = "correct horse"
    at.query_params["plan"] = plan_id
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.get("file_uploader")
    assert t("actuals.locked", "en") in [i.value for i in at.info]
    [unlock] = [b for b in at.button if b.label == t("actuals.unlock", "en")]
    at.text_input[0].input("wrong horse")
    unlock.click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert [e.value for e in at.error] == [t("team.wrong", "en")]
    assert not at.get("file_uploader")
    at.text_input[0].input("correct horse")
    [unlock] = [b for b in at.button if b.label == t("actuals.unlock", "en")]
    unlock.click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert [u.proto.label for u in at.get("file_uploader")] == [t("actuals.upload", "en")]
    assert t("actuals.locked", "en") not in [i.value for i in at.info]
    assert at.query_params["plan"] == plan_id  # the same page: the plan is still the one opened
    assert t("actuals.heading", "en") in [h.value for h in at.header]
    assert any("“Launch”" in c.value for c in at.caption)
    data = results_at(plan, 1.0).table.drop(columns=["line", "creator"]).to_csv(index=False)
    at.file_uploader[0].set_value(("results.csv", data.encode(), "text/csv"))
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert page_store.load_results(plan_id).results.rows_kept == plan.brief.weeks


def team_nav_app() -> None:
    import streamlit as st

    from advisor.ui import planner, state, team

    pages = {
        "plan": st.Page(planner.render, title="Plan", url_path="plan"),
        "team": st.Page(team.render_team_page, title="Team", url_path="team", default=True),
    }
    state.PAGES.update(pages)
    st.navigation(list(pages.values()), position="hidden").run()


def test_planning_with_the_teams_figures_keeps_the_brief_being_worked_on(
    page_store, launch
) -> None:
    """The Team page's link is the brief in the address bar (the user's, not the example) with
    the team's figures in place of any edited ones, to the planner in the same tab; the saved
    plan's id is dropped (the figures make it another plan), the language and list are kept."""
    from urllib.parse import parse_qs

    from advisor.sharing.links import brief_to_query

    plan = launch[2]
    plan_id = page_store.save(plan, "Launch")
    page_store.save_results(plan_id, results_at(plan, 0.5), expected_version=1)
    page_store.save_team_assumptions({"conversion_rate": 0.02, "reach.instagram.micro": 0.1})
    brief = CampaignBrief(goal="event", budget=12_500, currency="EUR", weeks=5, advocates=30)
    at = AppTest.from_function(team_nav_app, default_timeout=60)
    for name, value in brief_to_query(brief).items():
        at.query_params[name] = value
    at.query_params["a.clicks_per_engagement"] = "0.3"  # an edit of the user's: replaced
    at.query_params["plan"] = plan_id
    at.query_params["lang"] = "fr"
    at.query_params["creators"] = "sample"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    [link] = [p.proto for p in at.get("page_link") if p.proto.label == t("calibration.use", "fr")]
    assert link.page == "plan" and not link.external  # the planner, in this tab
    query = {k: v[-1] for k, v in parse_qs(link.query_string).items()}
    assert {k: v for k, v in query.items() if not k.startswith("a.")} == {
        **brief_to_query(brief),
        "lang": "fr",
        "creators": "sample",
    }
    team = page_store.load_team_assumptions().assumptions()
    assert {k: v for k, v in query.items() if k.startswith("a.")} == assumptions_to_query(team)
    assert assumptions_from_query(query)[0].overrides == pytest.approx(
        {"conversion_rate": 0.02, "reach.instagram.micro": 0.1}
    )
