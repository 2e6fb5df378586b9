"""Charts follow the locale, name things in the page's language, and draw the same numbers as the
PDF report; the what-if view stays short enough for a phone and has a table twin."""

from __future__ import annotations

import json
import re
from functools import cache

import pandas as pd
import plotly.graph_objects as go
import pytest

from advisor import CampaignBrief, recommend
from advisor.advice.whatif import WhatIfGrid, what_if_grid
from advisor.locale.formatting import compact, money, percent, separators
from advisor.locale.i18n import t
from advisor.present import charts, figures
from advisor.present.explain import objective_label, split_phrase

LANGS = ("en", "fr")


@cache
def _plan(goal: str = "brand_awareness", **brief: object):
    return recommend(CampaignBrief(goal=goal, **brief))


@cache
def _mix():
    return _plan(budget=60_000, currency="EUR", weeks=52, advocates=500)


@cache
def _grid() -> tuple[object, WhatIfGrid]:
    plan = _plan("event", budget=20_000, currency="EUR", weeks=6, advocates=200)
    return plan, what_if_grid(plan.brief, samples=40)


def _table() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "handle": ["<b>x</b>", "=cmd", "ok"],
            "platform": pd.Categorical(["instagram", "x", "tiktok"]),
            "followers": [1_200, 45_000, 2_300_000],
            "engagement_rate": [0.034, 0.0012, 0.051],
            "tier": ["micro", "mid", "mega"],
            "flags": ["", "low_engagement", ""],
        }
    )


def _all(lang: str) -> dict[str, go.Figure]:
    plan, grid = _grid()
    return {
        "factors": charts.factors_chart(_mix(), lang),
        "candidates": charts.candidates_chart(_mix(), lang),
        "reach": charts.reach_chart(_mix(), lang),
        "budget": charts.budget_chart(_mix(), lang),
        "tier": charts.tier_chart(_mix(), lang),
        "what_if": charts.what_if_chart(grid, plan, lang, plan.brief.advocates),
        "audit": charts.audit_chart(_table(), lang),
    }


@pytest.mark.parametrize("lang", LANGS)
def test_every_figure_uses_the_locale_separators_and_no_si_ticks(lang):
    for name, fig in _all(lang).items():
        assert fig.layout.separators == separators(lang), name
        text = fig.to_json()
        assert "~s" not in text, name  # plotly's SI ticks: 804k, 0.2M
        assert not re.search(r"%\{[^}]*:[^}]*\}", text), name  # no d3 number formats in hovers
        if lang == "fr":
            assert not re.search(r"\d\.\d+ ?[kKM]\b", text), name  # no "0.2M" on a French page


@pytest.mark.parametrize("lang", LANGS)
def test_value_axes_are_labelled_by_the_locale_formats(lang):
    plan = _mix()
    reach = charts.reach_chart(plan, lang)
    data = figures.reach_figure(plan)
    assert list(reach.layout.yaxis.ticktext) == [compact(v, lang) for v in data.ticks]
    tier = charts.tier_chart(plan, lang)
    cur = plan.brief.currency
    assert list(tier.layout.yaxis.ticktext) == [
        money(v, cur, lang) for v in tier.layout.yaxis.tickvals
    ]
    assert [x for x in tier.data[0].x] == [t(f"tier.{x.tier}", lang) for x in plan.influencer.tiers]
    factors = charts.factors_chart(plan, lang)
    assert list(factors.layout.xaxis.ticktext) == [
        percent(v, lang) for v in factors.layout.xaxis.tickvals
    ]


def test_french_labels_read_french():
    fig = charts.tier_chart(_mix(), "fr")
    assert "Intermédiaire" in fig.data[0].x
    audit = charts.audit_chart(_table(), "fr")
    names = {trace.name for trace in audit.data}
    assert {"Micro", "Intermédiaire", "Méga", "Signalé"} <= names
    hover = json.dumps(
        [list(map(list, trace.customdata)) for trace in audit.data if trace.customdata is not None],
        ensure_ascii=False,
    )
    assert "abonnés" in hover and percent(0.0012, "fr", 2) in hover
    assert charts.platform_name("x", "fr") == t("platform.x", "fr")
    assert charts.platform_name("myspace", "fr") == "myspace"  # unknown values as they are
    assert charts.tier_name("mid", "fr") == "Intermédiaire"


def test_relationship_names_are_translated_when_the_catalog_has_them():
    for value in ("influencer", "ambassador", "advocate", "face"):
        try:
            expected = t(f"relationship.{value}", "fr")
        except KeyError:
            expected = value
        assert charts.relationship_name(value, "fr") == expected


def test_user_text_is_escaped_in_chart_labels():
    audit = charts.audit_chart(_table(), "en")
    texts = [x for trace in audit.data for x in (trace.text or ())]
    assert "&lt;b&gt;x&lt;/b&gt;" in texts and "<b>x</b>" not in texts


@pytest.mark.parametrize("lang", LANGS)
def test_every_budget_slice_is_labelled_with_name_share_and_money(lang):
    plan = _mix()
    assert plan.ambassador.spend > 0 and plan.influencer.spend > 0  # both sides: many slices
    pie = charts.budget_chart(plan, lang).data[0]
    assert pie.textposition == "outside" and pie.textinfo == "text"
    slices = [s for s in figures.budget_slices(plan) if not s.is_side]
    assert len(pie.text) == len(slices) >= 3
    for text, hover, s in zip(pie.text, pie.hovertext, slices, strict=True):
        shown = text if s.share >= charts.SMALL_SLICE else hover
        assert percent(s.share, lang) in shown
        assert money(s.value, plan.brief.currency, lang) in shown
        assert t(s.key, lang).split()[0] in shown
        if s.share < charts.SMALL_SLICE:
            assert text == ""  # a sliver's label would pile onto its neighbours'


def test_the_reach_chart_and_the_report_draw_the_same_figure(monkeypatch):
    plan = _mix()
    data = figures.reach_figure(plan)
    fig = charts.reach_chart(plan, "en")
    medians = [tr for tr in fig.data if tr.hovertemplate]
    assert len(medians) == len(data.lines)
    by_name = {tr.legendgroup: tr for tr in medians}
    for line in data.lines:
        assert list(by_name[line.strategy].x) == list(line.week)
        assert list(by_name[line.strategy].y) == list(line.p50)
        assert line.week[0] == 0 and line.p50[0] == 0.0  # every line starts from nobody
    from advisor.present import report_chart
    from advisor.present.report import plan_report_pdf

    seen = []
    real = report_chart.reach_figure
    monkeypatch.setattr(report_chart, "reach_figure", lambda p: seen.append(p) or real(p))
    plan_report_pdf(plan, "fr")
    assert seen and seen[0] is plan


def test_a_plan_that_is_one_strategy_draws_one_line_named_for_both():
    plan = _plan("product_launch", budget=20_000, weeks=8)
    assert plan.split["influencer"] == 1.0
    data = figures.reach_figure(plan)
    assert data.lines[0].strategy == "recommended"
    assert data.lines[0].same_as == ("influencer",)
    name = charts.reach_chart(plan, "fr").data[-1].name
    assert name == t("chart.same_as", "fr", plan=t("strategy.recommended", "fr"),
                     strategy=t("strategy.phrase.influencer", "fr"))  # fmt: skip


def test_value_ticks_are_round_and_cover_the_values():
    assert figures.value_ticks(14_300) == (0.0, 5_000.0, 10_000.0, 15_000.0)
    assert figures.value_ticks(0.14, bottom=-0.05) == (-0.05, 0.0, 0.05, 0.1, 0.15)
    for top in (1, 99, 101, 3_456_789, 0.033):
        ticks = figures.value_ticks(top)
        assert ticks[0] == 0 and ticks[-1] >= top and len(ticks) <= 7


# --- what would change the answer ---------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_what_if_chart_is_short_text_legend_below_and_grows_with_rows(lang):
    plan, grid = _grid()
    fig = charts.what_if_chart(grid, plan, lang, plan.brief.advocates)
    heat = fig.data[0]
    assert heat.type == "heatmap"
    cells = [x for row in heat.text for x in row]
    assert len(cells) == len(grid.budgets) * len(grid.weeks)
    assert all(len(x) <= 7 for x in cells), cells  # "+127 %" fits a 390 px phone's cell
    assert not any(x.startswith(("−0", "-0")) for x in cells)
    assert fig.layout.legend.orientation == "h" and fig.layout.legend.y < 0
    assert fig.layout.height == 170 + 52 * len(grid.budgets)
    assert fig.layout.xaxis.automargin and fig.layout.yaxis.automargin
    assert list(heat.y) == [money(b, plan.brief.currency, lang) for b in grid.budgets]
    legend = [tr.name for tr in fig.data[1:]]
    assert t("what_if.legend.yours", lang) in legend
    assert len(fig.layout.shapes) == 1  # the brief's own cell outlined
    own = next(c for c in grid.cells if c.is_brief)
    hover = heat.customdata[grid.budgets.index(own.budget)][grid.weeks.index(own.weeks)]
    assert split_phrase(own.influencer_share, lang) in hover
    other = grid.advocates[-1]
    assert not charts.what_if_chart(grid, plan, lang, other).layout.shapes


@pytest.mark.parametrize("lang", LANGS)
def test_what_if_table_has_translated_headers_and_marks_the_brief(lang):
    plan, grid = _grid()
    table = charts.what_if_table(grid, plan, lang)
    assert len(table) == len(grid.cells)
    assert list(table.columns) == [
        t("what_if.col.budget", lang),
        t("what_if.col.weeks", lang),
        t("what_if.col.advocates", lang),
        t("what_if.col.split", lang),
        objective_label(plan, lang),
        t("what_if.col.change", lang),
        t("what_if.col.yours", lang),
    ]
    marked = table[table[t("what_if.col.yours", lang)] != ""]
    assert len(marked) == 1
    assert marked.iloc[0][t("what_if.col.budget", lang)] == money(
        plan.brief.budget, plan.brief.currency, lang
    )
    one_level = charts.what_if_table(grid, plan, lang, advocates=plan.brief.advocates)
    assert len(one_level) == len(grid.budgets) * len(grid.weeks)
    assert t("what_if.col.advocates", lang) not in one_level.columns
