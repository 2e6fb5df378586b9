"""Plotly figures for the plan: the same pictures in the page, a notebook or a report.

Colours are fixed per relationship so every chart reads the same way.
"""

from __future__ import annotations

import html as _html

import pandas as pd
import plotly.graph_objects as go

from advisor.advice.plan import Plan
from advisor.advice.whatif import WhatIfGrid
from advisor.locale.formatting import compact, money, number, percent, signed_percent
from advisor.locale.i18n import t
from advisor.model.benchmarks import TIERS
from advisor.present.explain import factor_label, objective_label


def _escape(text: object) -> str:
    """User or catalog text for plotly labels, which read a little HTML: <, > and & are escaped;
    quotes stay quotes (plotly shows &quot; literally in hovers)."""
    return _html.escape(str(text), quote=False)


COLOURS = {
    "influencer": "#3456d1",
    "ambassador": "#e07a3f",
    "recommended": "#2a9d6f",
    "neutral": "#9aa3b5",
}
BANDS = {
    "influencer": "rgba(52,86,209,0.13)",
    "ambassador": "rgba(224,122,63,0.15)",
    "recommended": "rgba(42,157,111,0.16)",
}
FONT = dict(family="Inter, Segoe UI, Helvetica, Arial, sans-serif", size=13, color="#1d2433")


def _layout(fig: go.Figure, height: int = 360, **extra: object) -> go.Figure:
    extra.setdefault("margin", dict(l=10, r=10, t=40, b=10))
    fig.update_layout(
        height=height,
        font=FONT,
        plot_bgcolor="white",
        paper_bgcolor="white",
        legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0),
        hoverlabel=dict(font_size=12),
        **extra,
    )
    fig.update_xaxes(gridcolor="#eef0f5", zerolinecolor="#d5d9e2")
    fig.update_yaxes(gridcolor="#eef0f5", zerolinecolor="#d5d9e2")
    return fig


def factors_chart(plan: Plan, lang: str) -> go.Figure:
    """Each measured fact: how much the brief's value moves the objective against a neutral one."""
    factors = [f for f in plan.factors if f.change is not None]
    factors = sorted(factors, key=lambda f: f.change or 0.0)
    fig = go.Figure(
        go.Bar(
            x=[(f.change or 0.0) * 100 for f in factors],
            y=[_escape(factor_label(f, lang)) for f in factors],
            orientation="h",
            marker_color=[
                COLOURS["recommended"] if (f.change or 0) >= 0 else COLOURS["neutral"]
                for f in factors
            ],
            text=[signed_percent(f.change or 0.0, lang) for f in factors],
            textposition="auto",
            hovertemplate="%{y}: %{text}<extra></extra>",
        )
    )
    _layout(fig, height=80 + 40 * max(1, len(factors)), showlegend=False, separators=_sep(lang))
    fig.update_xaxes(title=t("chart.factor_axis", lang), zeroline=True, zerolinewidth=2)
    return fig


def candidates_chart(plan: Plan, lang: str) -> go.Figure:
    """The objective of every split the advisor projected; the recommended one stands out."""
    cands = sorted(plan.candidates, key=lambda c: c.influencer_share)
    chosen = plan.split["influencer"]
    colours = [
        COLOURS["recommended"]
        if abs(c.influencer_share - chosen) < 1e-9
        else (COLOURS["neutral"] if c.feasible else "#e3e6ec")
        for c in cands
    ]
    labels = [percent(c.influencer_share, lang) for c in cands]
    fig = go.Figure(
        go.Bar(
            x=labels,
            y=[c.objective_p50 for c in cands],
            marker_color=colours,
            customdata=[
                [t("chart.feasible" if c.feasible else "chart.not_offered", lang)] for c in cands
            ],
            hovertemplate="%{x} "
            + _escape(t("chart.influencer_share", lang))
            + "<br>%{y:,.0f}<br>%{customdata[0]}<extra></extra>",
        )
    )
    _layout(fig, height=300, showlegend=False, separators=_sep(lang))
    fig.update_xaxes(title=t("chart.split_axis", lang), type="category")
    fig.update_yaxes(title=_escape(objective_label(plan, lang)), rangemode="tozero")
    return fig


def reach_chart(plan: Plan, lang: str) -> go.Figure:
    """Cumulative unique reach per week for the three strategies, each with its p10-p90 band."""
    fig = go.Figure()
    recommended = plan.projection.get("recommended")
    for series in plan.projection.series:
        if series.strategy != "recommended" and series.reach_p50 == recommended.reach_p50:
            continue  # the plan is this strategy: one line, not two on top of each other
        if not any(series.reach_p90):
            continue  # nothing to draw (no budget or no advocates for this strategy)
        name = _escape(t(f"strategy.{series.strategy}", lang))
        weeks = series.week
        fig.add_trace(
            go.Scatter(
                x=weeks + weeks[::-1],
                y=series.reach_p90 + series.reach_p10[::-1],
                fill="toself",
                mode="lines",
                fillcolor=BANDS[series.strategy],
                line=dict(width=0),
                hoverinfo="skip",
                name=name + " p10–p90",
                legendgroup=series.strategy,
                showlegend=False,
            )
        )
        fig.add_trace(
            go.Scatter(
                x=weeks,
                y=series.reach_p50,
                mode="lines+markers" if len(weeks) <= 2 else "lines",
                name=name,
                legendgroup=series.strategy,
                line=dict(
                    color=COLOURS[series.strategy],
                    width=3.5 if series.strategy == "recommended" else 2,
                    dash="solid" if series.strategy == "recommended" else "dot",
                ),
                customdata=list(zip(series.reach_p10, series.reach_p90, strict=True)),
                hovertemplate=(
                    _escape(t("chart.week", lang))
                    + " %{x}<br>"
                    + name
                    + ": %{y:,.0f}<br>p10–p90: %{customdata[0]:,.0f} – "
                    "%{customdata[1]:,.0f}<extra></extra>"
                ),
            )
        )
    top = max((max(x.reach_p90) for x in plan.projection.series), default=0.0)
    if top >= 0.5 * plan.brief.audience:
        fig.add_hline(
            y=plan.brief.audience,
            line=dict(color="#9aa3b5", dash="dash", width=1),
            annotation_text=_escape(
                t("chart.audience", lang, audience=compact(plan.brief.audience, lang))
            ),
            annotation_position="top left",
        )
    _layout(fig, height=400, separators=_sep(lang))
    fig.update_xaxes(
        title=t("chart.week_axis", lang), dtick=max(1, len(plan.projection.series[0].week) // 10)
    )
    fig.update_yaxes(title=t("chart.reach_axis", lang), rangemode="tozero")
    return fig


def budget_chart(plan: Plan, lang: str) -> go.Figure:
    """Where the money goes: relationship, then tiers or programme lines inside each."""
    cur = plan.brief.currency
    labels, parents, values, colours = [], [], [], []
    inf_label, amb_label = t("strategy.influencer", lang), t("strategy.ambassador", lang)
    if plan.influencer.spend > 0:
        labels.append(inf_label)
        parents.append("")
        values.append(plan.influencer.spend)
        colours.append(COLOURS["influencer"])
        for tier in plan.influencer.tiers:
            if tier.spend > 0:
                labels.append(t(f"tier.{tier.tier}", lang))
                parents.append(inf_label)
                values.append(tier.spend)
                colours.append("#7d93e3")
    if plan.ambassador.spend > 0:
        labels.append(amb_label)
        parents.append("")
        values.append(plan.ambassador.spend)
        colours.append(COLOURS["ambassador"])
        for key, amount in ambassador_lines(plan):
            labels.append(t(f"budget.{key}", lang))
            parents.append(amb_label)
            values.append(amount)
            colours.append("#efae88")
    text = [money(v, cur, lang) for v in values]
    fig = go.Figure(
        go.Sunburst(
            labels=[_escape(x) for x in labels],
            parents=[_escape(x) for x in parents],
            values=values,
            branchvalues="total",
            marker=dict(colors=colours),
            text=text,
            textinfo="label+text",
            hovertemplate="%{label}: %{text}<extra></extra>",
            insidetextorientation="horizontal",
        )
    )
    fig.update_layout(uniformtext=dict(minsize=11, mode="hide"))
    return _layout(fig, height=360, margin=dict(l=0, r=0, t=10, b=0))


def ambassador_lines(plan: Plan) -> list[tuple[str, float]]:
    """The ambassador side's cost lines that are not zero, in a fixed order."""
    a = plan.ambassador
    lines = (
        ("setup", a.setup),
        ("platform", a.platform),
        ("perks", a.perks),
        ("management", a.management),
        ("commissions", a.commissions),
        ("appearances", a.appearances_spend),
        ("brand_faces", a.brand_faces_spend),
    )
    return [(k, v) for k, v in lines if v > 0]


def tier_chart(plan: Plan, lang: str) -> go.Figure:
    """Influencer creators and spend per tier, against the goal's target shares."""
    cur = plan.brief.currency
    tiers = plan.influencer.tiers
    fig = go.Figure(
        go.Bar(
            x=[t(f"tier.{x.tier}", lang) for x in tiers],
            y=[x.spend for x in tiers],
            marker_color=COLOURS["influencer"],
            text=[
                f"{number(x.creators, lang)} · {money(x.spend, cur, lang)}" if x.creators else ""
                for x in tiers
            ],
            textposition="outside",
            customdata=[[x.creators, x.posts, percent(x.share, lang)] for x in tiers],
            hovertemplate="%{x}: %{customdata[0]} "
            + _escape(t("chart.creators", lang))
            + ", %{customdata[1]} "
            + _escape(t("chart.posts", lang))
            + "<br>"
            + _escape(t("chart.target_share", lang))
            + " %{customdata[2]}<extra></extra>",
        )
    )
    _layout(fig, height=320, showlegend=False, separators=_sep(lang))
    fig.update_yaxes(title=t("chart.spend_axis", lang, currency=cur.value), rangemode="tozero")
    return fig


def what_if_chart(grid: WhatIfGrid, plan: Plan, lang: str, advocates: int) -> go.Figure:
    """Budget x duration at one advocates level: each cell gives the best split and how the
    objective compares with the brief's own plan; the brief's cell is outlined."""
    brief = plan.brief
    z, text = [], []
    for b in grid.budgets:
        row_z, row_t = [], []
        for w in grid.weeks:
            c = grid.cell(b, w, advocates)
            row_z.append(c.influencer_share)
            change = "–" if c.change is None else signed_percent(c.change, lang)
            row_t.append(f"{_short_split(c.influencer_share, lang)}<br>{change}")
        z.append(row_z)
        text.append(row_t)
    y = [money(b, brief.currency, lang) for b in grid.budgets]
    x = [str(w) for w in grid.weeks]
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=x,
            y=y,
            text=text,
            texttemplate="%{text}",
            textfont=dict(size=11),
            zmin=0,
            zmax=1,
            showscale=False,
            colorscale=[[0, "#f6c8a8"], [0.5, "#f4f1ea"], [1, "#b9c6f2"]],
            hovertemplate="%{y} · %{x} "
            + _escape(t("chart.weeks", lang))
            + "<br>%{text}<extra></extra>",
            xgap=2,
            ygap=2,
        )
    )
    if advocates == brief.advocates and brief.weeks in grid.weeks:
        col = grid.weeks.index(brief.weeks)
        row = grid.budgets.index(round(brief.budget, 2))
        fig.add_shape(
            type="rect",
            x0=col - 0.5,
            x1=col + 0.5,
            y0=row - 0.5,
            y1=row + 0.5,
            line=dict(color="#1d2433", width=3),
        )
    _layout(fig, height=260, showlegend=False, margin=dict(l=4, r=4, t=10, b=4))
    fig.update_xaxes(title=t("chart.duration_axis", lang), type="category", showgrid=False)
    fig.update_yaxes(title=None, type="category", showgrid=False)
    return fig


def _short_split(share: float, lang: str) -> str:
    """'100/0' style label that fits a phone-width cell."""
    return f"{round(share * 100):d}/{round((1 - share) * 100):d}"


def _sep(lang: str) -> str:
    """plotly's decimal and thousands separators for the language."""
    return ", " if lang == "fr" else ".,"


__all__ = [
    "TIERS",
    "budget_chart",
    "candidates_chart",
    "factors_chart",
    "reach_chart",
    "tier_chart",
    "what_if_chart",
]


def audit_chart(table: pd.DataFrame, lang: str = "en") -> go.Figure:
    """Followers (log) against engagement rate, coloured by tier; flagged creators ringed in red.

    Handles are escaped before they reach plotly, whose labels understand a little HTML.
    """
    import numpy as np

    fig = go.Figure()
    palette = {
        "nano": "#9db0f0",
        "micro": "#5f7de0",
        "mid": "#3456d1",
        "macro": "#21389a",
        "mega": "#121f5c",
    }
    data = table[table["followers"] > 0]
    if (
        len(data) > 20_000
    ):  # a readable picture of very large lists: every flagged row plus a sample
        flagged = data[data["flags"].astype(str) != ""]
        data = pd.concat(
            [
                flagged,
                data.drop(flagged.index).sample(20_000 - min(len(flagged), 10_000), random_state=0),
            ]
        )
    for tier in TIERS:
        part = data[data["tier"] == tier]
        if part.empty:
            continue
        handles = [_escape(str(h)) for h in part["handle"]]
        fig.add_trace(
            go.Scattergl(
                x=part["followers"],
                y=part["engagement_rate"] * 100,
                mode="markers",
                name=t(f"tier.{tier}", lang),
                marker=dict(color=palette[tier], size=7, opacity=0.75),
                text=handles,
                customdata=np.stack([part["platform"].astype(str)], axis=1),
                hovertemplate="%{text} · %{customdata[0]}<br>%{x:,.0f} · %{y:.2f}%<extra></extra>",
            )
        )
    flagged = data[data["flags"].astype(str) != ""]
    if len(flagged):
        fig.add_trace(
            go.Scattergl(
                x=flagged["followers"],
                y=flagged["engagement_rate"] * 100,
                mode="markers",
                name=t("audit.flagged", lang),
                marker=dict(color="rgba(0,0,0,0)", size=13, line=dict(color="#d62839", width=2)),
                text=[_escape(str(h)) for h in flagged["handle"]],
                hovertemplate="%{text}<extra>" + _escape(t("audit.flagged", lang)) + "</extra>",
            )
        )
    _layout(fig, height=420)
    fig.update_xaxes(type="log", title=t("audit.followers_axis", lang), dtick=1, tickformat="~s")
    fig.update_yaxes(type="log", title=t("audit.er_axis", lang), dtick=1, tickformat="~g")
    return fig
