"""Plotly figures for the plan: the same pictures in the page, a notebook or a report.

Colours are fixed per relationship so every chart reads the same way.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from advisor.benchmarks import TIERS, load_benchmarks
from advisor.decision import strategy_grid
from advisor.formatting import compact, money, percent
from advisor.i18n import t
from advisor.plan import Plan

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


def factors_chart(plan: Plan) -> go.Figure:
    """Each reason as a bar: right pushes toward influencers, left toward ambassadors."""
    lang = plan.language
    factors = sorted(plan.rationale, key=lambda f: f.contribution)
    colours = [COLOURS[f.direction.value] for f in factors]
    fig = go.Figure(
        go.Bar(
            x=[f.contribution for f in factors],
            y=[f.label for f in factors],
            orientation="h",
            marker_color=colours,
            customdata=[[t(f"direction.{f.direction.value}", lang), f.weight] for f in factors],
            hovertemplate="%{y}: %{customdata[0]}<br>"
            + t("chart.weight", lang)
            + " %{customdata[1]}<extra></extra>",
        )
    )
    limit = max(0.5, max(abs(f.contribution) for f in factors) * 1.1)
    _layout(
        fig, height=90 + 34 * len(factors), showlegend=False, margin=dict(l=10, r=10, t=36, b=10)
    )
    fig.update_xaxes(
        range=[-limit, limit], zeroline=True, zerolinewidth=2, title=None, showticklabels=False
    )
    for x, anchor, text in (
        (0, "left", "← " + t("strategy.ambassador", lang)),
        (1, "right", t("strategy.influencer", lang) + " →"),
    ):
        fig.add_annotation(
            x=x,
            y=1.0,
            xref="paper",
            yref="paper",
            yanchor="bottom",
            xanchor=anchor,
            showarrow=False,
            text=text,
            font=dict(color=COLOURS["ambassador" if x == 0 else "influencer"], size=12),
        )
    return fig


def reach_chart(plan: Plan) -> go.Figure:
    """Cumulative unique reach per week for the three strategies, each with its p10-p90 band."""
    lang = plan.language
    fig = go.Figure()
    recommended = plan.projection.get("recommended")
    for series in plan.projection.series:
        if series.strategy != "recommended" and series.reach_p50 == recommended.reach_p50:
            continue  # the plan is this strategy: one line, not two on top of each other
        if not any(series.reach_p90):
            continue  # nothing to draw (no budget or no advocates for this strategy)
        name = t(f"strategy.{series.strategy}", lang)
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
                customdata=list(zip(series.reach_p10, series.reach_p90, series.spend, strict=True)),
                hovertemplate=(
                    t("chart.week", lang)
                    + " %{x}<br>"
                    + name
                    + ": %{y:,.0f}<br>p10–p90: %{customdata[0]:,.0f} – "
                    "%{customdata[1]:,.0f}<extra></extra>"
                ),
            )
        )
    top = max((max(x.reach_p90) for x in plan.projection.series), default=0.0)
    if (
        top >= 0.5 * plan.brief.audience
    ):  # far below the audience, the line would flatten the curves
        fig.add_hline(
            y=plan.brief.audience,
            line=dict(color="#9aa3b5", dash="dash", width=1),
            annotation_text=t("chart.audience", lang, audience=compact(plan.brief.audience, lang)),
            annotation_position="top left",
        )
    _layout(fig, height=400)
    fig.update_xaxes(
        title=t("chart.week_axis", lang), dtick=max(1, len(plan.projection.series[0].week) // 10)
    )
    fig.update_yaxes(title=t("chart.reach_axis", lang), rangemode="tozero")
    return fig


def budget_chart(plan: Plan) -> go.Figure:
    """Where the money goes: relationship, then tiers or programme lines inside each."""
    lang, cur = plan.language, plan.brief.currency
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
        a = plan.ambassador
        for key, amount in (
            ("perks", a.perks),
            ("commissions", a.commissions),
            ("management", a.management),
            ("extras", a.extras),
            ("brand_faces", a.brand_faces_spend),
        ):
            if amount > 0:
                labels.append(t(f"budget.{key}", lang))
                parents.append(amb_label)
                values.append(amount)
                colours.append("#efae88")
    text = [money(v, cur, lang) for v in values]
    fig = go.Figure(
        go.Sunburst(
            labels=labels,
            parents=parents,
            values=values,
            branchvalues="total",
            marker=dict(colors=colours),
            text=text,
            textinfo="label+text",
            hovertemplate="%{label}: %{text}<extra></extra>",
            insidetextorientation="horizontal",
        )
    )
    fig.update_layout(
        uniformtext=dict(minsize=11, mode="hide")
    )  # slices too thin to label stay silent
    return _layout(fig, height=360, margin=dict(l=0, r=0, t=10, b=0))


def tier_chart(plan: Plan) -> go.Figure:
    """Influencer creators and spend per tier, against the goal's target shares."""
    lang, cur = plan.language, plan.brief.currency
    tiers = plan.influencer.tiers
    fig = go.Figure(
        go.Bar(
            x=[t(f"tier.{x.tier}", lang) for x in tiers],
            y=[x.spend for x in tiers],
            marker_color=COLOURS["influencer"],
            text=[
                f"{x.creators} · {money(x.spend, cur, lang)}" if x.creators else "" for x in tiers
            ],
            textposition="outside",
            customdata=[[x.creators, x.posts, percent(x.share, lang)] for x in tiers],
            hovertemplate="%{x}: %{customdata[0]} "
            + t("chart.creators", lang)
            + ", %{customdata[1]} "
            + t("chart.posts", lang)
            + "<br>"
            + t("chart.target_share", lang)
            + " %{customdata[2]}<extra></extra>",
        )
    )
    _layout(fig, height=320, showlegend=False)
    fig.update_yaxes(title=t("chart.spend_axis", lang, currency=cur.value), rangemode="tozero")
    return fig


GRID_BUDGETS = (0.25, 0.5, 1.0, 2.0, 4.0)
GRID_WEEKS = (2, 4, 8, 12, 26, 52, 104)


def what_if_chart(plan: Plan) -> go.Figure:
    """Recommendation across budget x duration around the brief; the brief's cell is outlined."""
    lang, brief = plan.language, plan.brief
    weeks = tuple(sorted({*GRID_WEEKS, brief.weeks}))
    rows = strategy_grid(brief, load_benchmarks(), GRID_BUDGETS, weeks)
    z = [[r["influencer_share"] for r in rows if r["budget_factor"] == f] for f in GRID_BUDGETS]

    def cell(row: dict[str, object]) -> str:
        share = float(row["influencer_share"])  # type: ignore[arg-type]
        label = t(f"strategy.{row['strategy']}", lang)
        return f"{label}<br>{percent(share, lang)} / {percent(1 - share, lang)}"

    text = [[cell(r) for r in rows if r["budget_factor"] == f] for f in GRID_BUDGETS]
    y = [money(brief.budget * f, brief.currency, lang) for f in GRID_BUDGETS]
    x = [str(w) for w in weeks]
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=x,
            y=y,
            text=text,
            texttemplate="%{text}",
            textfont=dict(size=12),
            zmin=0,
            zmax=1,
            showscale=False,
            colorscale=[[0, COLOURS["ambassador"]], [0.5, "#f4f1ea"], [1, COLOURS["influencer"]]],
            hovertemplate="%{y} · %{x} " + t("chart.weeks", lang) + "<br>%{text}<extra></extra>",
            xgap=2,
            ygap=2,
        )
    )
    fig.add_shape(
        type="rect",
        x0=x.index(str(brief.weeks)) - 0.5,
        x1=x.index(str(brief.weeks)) + 0.5,
        y0=1.5,
        y1=2.5,
        line=dict(color="#1d2433", width=3),
    )
    _layout(fig, height=300, showlegend=False)
    fig.update_xaxes(title=t("chart.duration_axis", lang), type="category", showgrid=False)
    fig.update_yaxes(title=t("chart.budget_axis", lang), type="category", showgrid=False)
    return fig


__all__ = ["TIERS", "budget_chart", "factors_chart", "reach_chart", "tier_chart", "what_if_chart"]


def audit_chart(table: pd.DataFrame, lang: str = "en") -> go.Figure:
    """Followers (log) against engagement rate, coloured by tier; flagged creators ringed in red.

    Handles are escaped before they reach plotly, whose labels understand a little HTML.
    """
    import html

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
        handles = [html.escape(str(h)) for h in part["handle"]]
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
                text=[html.escape(str(h)) for h in flagged["handle"]],
                hovertemplate="%{text}<extra>" + html.escape(t("audit.flagged", lang)) + "</extra>",
            )
        )
    _layout(fig, height=420)
    fig.update_xaxes(type="log", title=t("audit.followers_axis", lang), dtick=1, tickformat="~s")
    fig.update_yaxes(type="log", title=t("audit.er_axis", lang), dtick=1, tickformat="~g")
    return fig
