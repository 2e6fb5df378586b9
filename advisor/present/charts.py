"""Plotly figures for the plan: the same pictures in the page, a notebook or a report.

Colours are fixed per relationship so every chart reads the same way. Every figure follows the
language: `layout.separators` from the locale, axis ticks and hover texts written by
`advisor.locale.formatting` (12,5 k € and 38 % in French), and platform, tier, relationship
and strategy names translated. The numbers drawn come from `advisor.present.figures`, which the
PDF report draws too; the what-if grid comes computed from the core (`advice.whatif`).

Chart text is data: every user or catalog string goes through `_escape` before plotly sees it.
"""

from __future__ import annotations

import html as _html
import math
import textwrap
from collections.abc import Callable, Sequence

import pandas as pd
import plotly.graph_objects as go

from advisor.advice.actuals import Comparison
from advisor.advice.curves import ResponseCurves
from advisor.advice.plan import Plan
from advisor.advice.whatif import WhatIfCell, WhatIfGrid
from advisor.locale.formatting import (
    DASH,
    compact,
    money,
    number,
    percent,
    separators,
    signed_percent,
)
from advisor.locale.i18n import t
from advisor.model.benchmarks import TIERS
from advisor.present.explain import factor_label, objective_label, split_phrase, weeks_text
from advisor.present.figures import (
    ambassador_lines,
    budget_slices,
    reach_figure,
    value_ticks,
    week_step,
)


def _escape(text: object) -> str:
    """User or catalog text for plotly labels, which read a little HTML: <, > and & are escaped;
    quotes stay quotes (plotly shows &quot; literally in hovers)."""
    return _html.escape(str(text), quote=False)


COLOURS = {
    "influencer": "#3456d1",
    "ambassador": "#e07a3f",
    "recommended": "#2a9d6f",
    "mix": "#8a6fbf",
    "neutral": "#9aa3b5",
}
BANDS = {
    "influencer": "rgba(52,86,209,0.13)",
    "ambassador": "rgba(224,122,63,0.15)",
    "recommended": "rgba(42,157,111,0.16)",
}
ACTUAL_INSIDE = "#1f2430"  # a campaign's results inside the plan's p10-p90 band
ACTUAL_OUTSIDE = "#c0392b"  # and outside it
SHADES = {  # the lines inside each side of the budget, light to dark
    "influencer": ("#9fb1ee", "#7d93e3", "#5f7de0", "#4a68d8", "#2f4cb8"),
    "ambassador": ("#f6c8a8", "#f1b38b", "#eda06f", "#e88d55", "#d9713a", "#c4612f", "#a9522a"),
}
WHAT_IF = {  # cell colours of the what-if heatmap: the best strategy for that brief
    "ambassador": "#f3c3a1",
    "mix": "#efe0a6",
    "influencer": "#bccaf3",
}
FONT = dict(family="Inter, Segoe UI, Helvetica, Arial, sans-serif", size=13, color="#1d2433")
AXIS = dict(gridcolor="#eef0f5", zerolinecolor="#d5d9e2", automargin=True, fixedrange=True)
LEGEND_BELOW = dict(orientation="h", yanchor="top", y=-0.2, x=0, xanchor="left", title=None)


def _merged(base: dict, update: dict) -> dict:
    """`update` over `base` as plotly's `update_*` merge them: nested dicts key by key, any
    other value replacing what was there."""
    out = dict(base)
    for key, value in update.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merged(out[key], value)
        else:
            out[key] = value
    return out


def _layout(
    fig: go.Figure,
    lang: str,
    height: int = 360,
    *,
    xaxis: dict | None = None,
    yaxis: dict | None = None,
    **extra: object,
) -> go.Figure:
    """House style, and the locale's decimal and thousands marks for anything plotly formats;
    then `xaxis` / `yaxis` over every x / y axis. The figure is returned rebuilt in one
    validation (use the returned figure): each of plotly's `update_layout` / `update_*axes`
    calls re-validates the layout path by path, and those calls were most of a chart's cost.
    Nested dicts only, no magic underscores."""
    extra.setdefault("margin", dict(l=8, r=8, t=30, b=8))
    extra.setdefault("legend", LEGEND_BELOW)
    layout = fig.layout.to_plotly_json()
    layout.pop("template", None)  # the new figure takes the default template, as `fig` did
    layout = _merged(
        layout,
        dict(
            height=height,
            font=FONT,
            plot_bgcolor="white",
            paper_bgcolor="white",
            hoverlabel=dict(font=dict(size=12)),
            separators=separators(lang),
            **extra,
        ),
    )
    for prefix, axis in (("xaxis", xaxis), ("yaxis", yaxis)):
        names = {prefix, *(k for k in layout if k.startswith(prefix))}
        for name in names:
            layout[name] = _merged(_merged(layout.get(name) or {}, AXIS), axis or {})
    return go.Figure(data=fig.data, layout=layout)


def _value_axis(
    values: Sequence[float],
    label: Callable[[float], str],
    headroom: float = 1.03,
) -> dict:
    """Round gridlines over `values` (from 0, or below it), each labelled by `label` (compact,
    money, percent: the locale's own formats, not plotly's SI "804k" / "0.2M"): the axis's
    settings."""
    top = max([0.0, *values])
    bottom = min([0.0, *values])
    ticks = value_ticks(top if top > 0 or bottom < 0 else 1.0, bottom=bottom)
    return dict(
        tickmode="array",
        tickvals=list(ticks),
        ticktext=[label(v) for v in ticks],
        range=[ticks[0] * headroom, ticks[-1] * headroom],
    )


def _wrap(text: str, width: int = 18) -> str:
    """A label on short lines (plotly breaks lines only at <br>)."""
    return "<br>".join(textwrap.wrap(_escape(text), width)) or _escape(text)


def strategy_name(strategy: str, lang: str) -> str:
    return t(f"strategy.{strategy}", lang)


def _catalog_name(prefix: str, value: object, lang: str) -> str:
    """`prefix.value` from the catalog; a value the catalog does not know is shown as it is."""
    text = str(getattr(value, "value", value))
    try:
        return t(f"{prefix}.{text}", lang)
    except KeyError:
        return text


def platform_name(platform: object, lang: str) -> str:
    return _catalog_name("platform", platform, lang)


def relationship_name(relationship: object, lang: str) -> str:
    """influencer, ambassador, advocate, face."""
    return _catalog_name("relationship", relationship, lang)


def tier_name(tier: object, lang: str) -> str:
    return _catalog_name("tier", tier, lang)


# --- why ----------------------------------------------------------------------------------------


def factors_chart(plan: Plan, lang: str) -> go.Figure:
    """Each measured fact: how much the brief's value moves the objective against a neutral one."""
    factors = [f for f in plan.factors if f.change is not None]
    factors = sorted(factors, key=lambda f: f.change or 0.0)
    changes = [f.change or 0.0 for f in factors]
    fig = go.Figure(
        go.Bar(
            x=changes,
            y=[_wrap(factor_label(f, lang), 28) for f in factors],
            orientation="h",
            marker_color=[
                COLOURS["recommended"] if c >= 0 else COLOURS["neutral"] for c in changes
            ],
            text=[signed_percent(c, lang) for c in changes],
            textposition="auto",
            hovertemplate="%{y}: %{text}<extra></extra>",
        )
    )
    x = _value_axis(changes, lambda v: percent(v, lang))
    x.update(title=_wrap(t("chart.factor_axis", lang), 34), zeroline=True, zerolinewidth=2)
    return _layout(fig, lang, height=90 + 40 * max(1, len(factors)), showlegend=False, xaxis=x)


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
    values = [c.objective_p50 for c in cands]
    fig = go.Figure(
        go.Bar(
            x=[percent(c.influencer_share, lang) for c in cands],
            y=values,
            marker_color=colours,
            customdata=[
                [
                    _escape(split_phrase(c.influencer_share, lang)),
                    compact(c.objective_p50, lang),
                    _escape(t("chart.feasible" if c.feasible else "chart.not_offered", lang)),
                ]
                for c in cands
            ],
            hovertemplate="%{customdata[0]}<br>%{customdata[1]}<br>%{customdata[2]}<extra></extra>",
        )
    )
    x = dict(title=_wrap(t("chart.split_axis", lang), 34), type="category")
    y = _value_axis(values, lambda v: compact(v, lang))
    y.update(title=_wrap(objective_label(plan, lang), 30))
    return _layout(fig, lang, height=300, showlegend=False, xaxis=x, yaxis=y)


# --- results --------------------------------------------------------------------------------------


def reach_chart(plan: Plan, lang: str, actuals: Comparison | None = None) -> go.Figure:
    """Cumulative unique reach per week for the strategies, each with its p10-p90 band: the
    lines, audience and scale of `figures.reach_figure`, as the PDF report draws them.
    `actuals`: a campaign's results against the plan, drawn as points marked inside or
    outside the plan's p10-p90 band."""
    data = reach_figure(plan)
    fig = go.Figure()
    week_word = _escape(t("chart.week", lang))
    for line in reversed(data.lines):  # the plan last, on top
        name = _escape(strategy_name(line.strategy, lang))
        if line.same_as:
            phrases = ", ".join(t(f"strategy.phrase.{s}", lang) for s in line.same_as)
            name = _escape(t("chart.same_as", lang, plan=strategy_name(line.strategy, lang),
                             strategy=phrases))  # fmt: skip
        weeks = list(line.week)
        fig.add_trace(
            go.Scatter(
                x=weeks + weeks[::-1],
                y=list(line.p90) + list(line.p10[::-1]),
                fill="toself",
                mode="lines",
                fillcolor=BANDS[line.strategy],
                line=dict(width=0),
                hoverinfo="skip",
                name=name + " " + t("chart.band", lang),
                legendgroup=line.strategy,
                showlegend=False,
            )
        )
        recommended = line.strategy == "recommended"
        fig.add_trace(
            go.Scatter(
                x=weeks,
                y=list(line.p50),
                mode="lines+markers" if len(weeks) <= 3 else "lines",
                name=name,
                legendgroup=line.strategy,
                line=dict(
                    color=COLOURS[line.strategy],
                    width=3.5 if recommended else 2,
                    dash="solid" if recommended else "dot",
                ),
                customdata=[
                    [number(a, lang), number(lo, lang), number(hi, lang)]
                    for a, lo, hi in zip(line.p50, line.p10, line.p90, strict=True)
                ],
                hovertemplate=(
                    f"{week_word} %{{x}}<br>{name}: %{{customdata[0]}}<br>"
                    f"{_escape(t('chart.band', lang))}: %{{customdata[1]}} – %{{customdata[2]}}"
                    "<extra></extra>"
                ),
            )
        )
    if data.audience is not None:
        fig.add_hline(
            y=data.audience,
            line=dict(color="#9aa3b5", dash="dash", width=1),
            annotation_text=_escape(
                t("chart.audience", lang, audience=compact(data.audience, lang))
            ),
            annotation_position="top left",
        )
    top = data.top
    if actuals is not None and actuals.weeks:
        top = _actual_points(fig, actuals, lang, week_word, top)
    return _layout(
        fig,
        lang,
        height=420,
        legend={**LEGEND_BELOW, "traceorder": "reversed"},
        xaxis=dict(
            title=_escape(t("chart.week_axis", lang)),
            tickmode="linear",
            tick0=0,
            dtick=week_step(data.weeks),
            range=[0, data.weeks],
        ),
        yaxis=dict(
            title=_escape(t("chart.reach_axis", lang)),
            tickmode="array",
            tickvals=list(data.ticks),
            ticktext=[compact(v, lang) for v in data.ticks],
            range=[0, top * 1.02],
        ),
    )


def _actual_points(
    fig: go.Figure, actuals: Comparison, lang: str, week_word: str, top: float
) -> float:
    """The results' cumulative reach, one trace inside the band and one outside; the new top."""
    actual = t("actuals.chart.actual", lang)
    hover = "%{customdata[0]} (%{customdata[1]})"
    for inside in (True, False):
        points = [p for p in actuals.weeks if p.inside is inside]
        if not points:
            continue
        label = t("actuals.chart.inside" if inside else "actuals.chart.outside", lang)
        fig.add_trace(
            go.Scatter(
                x=[p.week for p in points],
                y=[p.actual for p in points],
                mode="markers",
                name=_escape(t("actuals.chart.point", lang, label=actual, value=label)),
                marker=dict(
                    color=ACTUAL_INSIDE if inside else ACTUAL_OUTSIDE,
                    size=10,
                    symbol="circle" if inside else "x",
                    line=dict(width=1, color="#1f2430"),
                ),
                customdata=[[number(p.actual, lang), _escape(label)] for p in points],
                hovertemplate=(
                    f"{week_word} %{{x}}<br>"
                    + t("actuals.chart.point", lang, label=_escape(actual), value=hover)
                    + "<extra></extra>"
                ),
            )
        )
    return max(top, *(p.actual for p in actuals.weeks))


# --- budget ---------------------------------------------------------------------------------------


SMALL_SLICE = 0.03  # budget share under which a donut slice carries no outside label


def budget_chart(plan: Plan, lang: str) -> go.Figure:
    """Where the money goes: a donut of every line (tiers on the influencer side, programme lines
    on the ambassador side), each labelled with its name, share of the budget and amount; the
    sides' totals in the middle."""
    cur = plan.brief.currency
    slices = budget_slices(plan)
    leaves = [s for s in slices if not s.is_side]
    sides = [s for s in slices if s.is_side]
    for side in sides:  # a side without lines is one slice of its own
        if not any(x.side == side.side for x in leaves):
            leaves.append(side)
    leaves.sort(key=lambda s: (s.side != "influencer",))
    colours, used = [], {"influencer": 0, "ambassador": 0}
    for s in leaves:
        shades = SHADES[s.side]
        colours.append(shades[used[s.side] % len(shades)])
        used[s.side] += 1
    labels = [
        t(s.key, lang) if s.key.startswith(("tier.", "budget.")) else strategy_name(s.key, lang)
        for s in leaves
    ]
    # a slice under 3% of the budget has no outside label (several would pile up on each
    # other and on the sides' totals): its figures are in its hover, the sides' totals and the
    # lines' table
    text = [
        f"{_wrap(label, 16)}<br>{percent(s.share, lang)} · {money(s.value, cur, lang)}"
        if s.share >= SMALL_SLICE
        else ""
        for label, s in zip(labels, leaves, strict=True)
    ]
    hover = [
        f"{_escape(strategy_name(s.side, lang))} · {_escape(label)}<br>"
        f"{money(s.value, cur, lang)} · "
        f"{_escape(t('chart.share_of_budget', lang, share=percent(s.share, lang)))}"
        for label, s in zip(labels, leaves, strict=True)
    ]
    fig = go.Figure(
        go.Pie(
            labels=[_escape(x) for x in labels],
            values=[s.value for s in leaves],
            text=text,
            hovertext=hover,
            textinfo="text",
            hoverinfo="text",
            textposition="outside",
            hole=0.55,
            sort=False,
            direction="clockwise",
            marker=dict(colors=colours, line=dict(color="white", width=1.5)),
            automargin=True,
            textfont=dict(size=11),
        )
    )
    sides_text = "<br>".join(
        f"<span style='color:{COLOURS[s.side]}'><b>{_escape(strategy_name(s.side, lang))}</b>"
        f"</span> {percent(s.share, lang)} · {money(s.value, cur, lang)}"
        for s in sides
    )
    fig.add_annotation(
        text=sides_text,
        showarrow=False,
        xref="paper",
        yref="paper",
        x=0,
        y=1,
        xanchor="left",
        yanchor="bottom",
        yshift=12,
        align="left",
        font=dict(size=12),
    )
    total = sum(s.value for s in sides)
    fig.add_annotation(
        text=f"<b>{money(total, cur, lang)}</b>", showarrow=False, x=0.5, y=0.5, font=dict(size=14)
    )
    top = 34 + 18 * len(sides)
    return _layout(
        fig, lang, height=400 + top, showlegend=False, margin=dict(l=10, r=10, t=top, b=20)
    )


def tier_chart(plan: Plan, lang: str) -> go.Figure:
    """Influencer creators and spend per tier, against the goal's target shares."""
    cur = plan.brief.currency
    tiers = plan.influencer.tiers
    spend = [x.spend for x in tiers]
    fig = go.Figure(
        go.Bar(
            x=[_escape(tier_name(x.tier, lang)) for x in tiers],
            y=spend,
            marker_color=COLOURS["influencer"],
            text=[
                f"{number(x.creators, lang)} · {money(x.spend, cur, lang)}" if x.creators else ""
                for x in tiers
            ],
            textposition="outside",
            cliponaxis=False,
            customdata=[
                [number(x.creators, lang), number(x.posts, lang), percent(x.share, lang)]
                for x in tiers
            ],
            hovertemplate="%{x}: %{customdata[0]} "
            + _escape(t("chart.creators", lang))
            + ", %{customdata[1]} "
            + _escape(t("chart.posts", lang))
            + "<br>"
            + _escape(t("chart.target_share", lang))
            + " %{customdata[2]}<extra></extra>",
        )
    )
    y = _value_axis(spend, lambda v: money(v, cur, lang), headroom=1.12)
    y.update(title=_escape(t("chart.spend_axis", lang, currency=cur.value)))
    return _layout(fig, lang, height=320, showlegend=False, yaxis=y)


# --- what would change the answer -----------------------------------------------------------------

_STRATEGY_CODE = {"ambassador": 0, "mix": 1, "influencer": 2}


def what_if_chart(grid: WhatIfGrid, plan: Plan, lang: str, advocates: int) -> go.Figure:
    """Budget (rows) x duration (columns) at one advocates level: each cell is coloured by the
    best strategy for that brief and shows one short number, the result against the brief's own
    plan; the brief's cell is outlined. Split and result are in the hover and in
    `what_if_table`. Short labels, a legend below and a height that follows the rows keep it
    readable from a 390 px phone to a desktop."""
    brief = plan.brief
    cur = brief.currency
    rows = [[grid.cell(b, w, advocates) for w in grid.weeks] for b in grid.budgets]
    label = objective_label(plan, lang)
    fig = go.Figure(
        go.Heatmap(
            z=[[_STRATEGY_CODE[c.strategy.value] for c in row] for row in rows],
            x=[number(w, lang) for w in grid.weeks],
            y=[money(b, cur, lang) for b in grid.budgets],
            text=[[_change_text(c, lang) for c in row] for row in rows],
            texttemplate="%{text}",
            textfont=dict(size=12),
            customdata=[[_what_if_hover(c, plan, label, lang) for c in row] for row in rows],
            hovertemplate="%{customdata}<extra></extra>",
            zmin=0,
            zmax=2,
            showscale=False,
            colorscale=[
                [0.0, WHAT_IF["ambassador"]],
                [1 / 3, WHAT_IF["ambassador"]],
                [1 / 3, WHAT_IF["mix"]],
                [2 / 3, WHAT_IF["mix"]],
                [2 / 3, WHAT_IF["influencer"]],
                [1.0, WHAT_IF["influencer"]],
            ],
            xgap=3,
            ygap=3,
        )
    )
    shown = {c.strategy.value for row in rows for c in row}
    for key in ("influencer", "mix", "ambassador"):
        if key in shown:
            fig.add_trace(_legend_swatch(t(f"what_if.legend.{key}", lang), WHAT_IF[key]))
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
        fig.add_trace(_legend_swatch(t("what_if.legend.yours", lang), "white", "#1d2433"))
    return _layout(
        fig,
        lang,
        height=170 + 52 * len(grid.budgets),
        margin=dict(l=4, r=4, t=8, b=4),
        legend={**LEGEND_BELOW, "y": -0.28, "font": dict(size=12)},
        xaxis=dict(
            title=dict(text=_escape(t("chart.duration_axis", lang)), standoff=6),
            type="category",
            showgrid=False,
            zeroline=False,
        ),
        yaxis=dict(title=None, type="category", showgrid=False, zeroline=False),
    )


def _legend_swatch(name: str, colour: str, outline: str = "#ffffff") -> go.Scatter:
    return go.Scatter(
        x=[None],
        y=[None],
        mode="markers",
        name=_escape(name),
        marker=dict(symbol="square", size=14, color=colour, line=dict(color=outline, width=2)),
        hoverinfo="skip",
        showlegend=True,
    )


def _change_text(cell: WhatIfCell, lang: str) -> str:
    """+27 %, −5 %; a change that rounds to nothing is 0 %, not "−0 %"."""
    if cell.change is None:
        return DASH
    return percent(0.0, lang) if abs(cell.change) < 0.005 else signed_percent(cell.change, lang)


def _what_if_hover(cell: WhatIfCell, plan: Plan, label: str, lang: str) -> str:
    head = " · ".join(
        [
            money(cell.budget, plan.brief.currency, lang),
            weeks_text(cell.weeks, lang),
            t("what_if.hover.advocates", lang, advocates=number(cell.advocates, lang)),
        ]
    )
    split = t("what_if.hover.split", lang, split=split_phrase(cell.influencer_share, lang))
    result = t(
        "what_if.hover.result",
        lang,
        label=label,
        value=compact(cell.objective, lang),
        change=_change_text(cell, lang),
    )
    return "<br>".join(_escape(x) for x in (head, split, result))


def what_if_table(
    grid: WhatIfGrid, plan: Plan, lang: str, advocates: int | None = None
) -> pd.DataFrame:
    """The what-if grid as a plain table for narrow screens: one row per nearby brief (at one
    advocates level when `advocates` is given), text already formatted in `lang`, translated
    headers; the brief's own row is marked."""
    cur = plan.brief.currency
    cells = [c for c in grid.cells if advocates is None or c.advocates == advocates]
    cells.sort(key=lambda c: (c.advocates, c.budget, c.weeks))
    columns = {
        t("what_if.col.budget", lang): [money(c.budget, cur, lang) for c in cells],
        t("what_if.col.weeks", lang): [number(c.weeks, lang) for c in cells],
    }
    if advocates is None:
        columns[t("what_if.col.advocates", lang)] = [number(c.advocates, lang) for c in cells]
    columns[t("what_if.col.split", lang)] = [split_phrase(c.influencer_share, lang) for c in cells]
    columns[objective_label(plan, lang)] = [compact(c.objective, lang) for c in cells]
    columns[t("what_if.col.change", lang)] = [_change_text(c, lang) for c in cells]
    columns[t("what_if.col.yours", lang)] = [t("what_if.yours", lang) if c.is_brief else ""
                                             for c in cells]  # fmt: skip
    return pd.DataFrame(columns)


# --- creator lists ----------------------------------------------------------------------------


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
    if len(data) > 20_000:  # a readable picture of very large lists: every flagged row + a sample
        flagged = data[data["flags"].astype(str) != ""]
        data = pd.concat(
            [
                flagged,
                data.drop(flagged.index).sample(20_000 - min(len(flagged), 10_000), random_state=0),
            ]
        )

    def hover(part: pd.DataFrame) -> np.ndarray:
        platforms = {p: _escape(platform_name(p, lang)) for p in part["platform"].unique()}
        return np.stack(
            [
                part["platform"].map(platforms).astype(str),
                [
                    _escape(t("audit.hover", lang, followers=compact(f, lang),
                              rate=percent(r, lang, 2)))
                    for f, r in zip(part["followers"], part["engagement_rate"], strict=True)
                ],
            ],
            axis=1,
        )  # fmt: skip

    for tier in TIERS:
        part = data[data["tier"] == tier]
        if part.empty:
            continue
        fig.add_trace(
            go.Scattergl(
                x=part["followers"],
                y=part["engagement_rate"] * 100,
                mode="markers",
                name=_escape(tier_name(tier, lang)),
                marker=dict(color=palette[tier], size=7, opacity=0.75),
                text=[_escape(str(h)) for h in part["handle"]],
                customdata=hover(part),
                hovertemplate="%{text} · %{customdata[0]}<br>%{customdata[1]}<extra></extra>",
            )
        )
    flagged = data[data["flags"].astype(str) != ""]
    if len(flagged):
        fig.add_trace(
            go.Scattergl(
                x=flagged["followers"],
                y=flagged["engagement_rate"] * 100,
                mode="markers",
                name=_escape(t("audit.flagged", lang)),
                marker=dict(color="rgba(0,0,0,0)", size=13, line=dict(color="#d62839", width=2)),
                text=[_escape(str(h)) for h in flagged["handle"]],
                hovertemplate="%{text}<extra>" + _escape(t("audit.flagged", lang)) + "</extra>",
            )
        )
    fig = _layout(fig, lang, height=440)
    fig.update_xaxes(type="log", title=_escape(t("audit.followers_axis", lang)), fixedrange=False)
    fig.update_yaxes(type="log", title=_escape(t("audit.er_axis", lang)), fixedrange=False)
    _log_ticks(fig, "x", data["followers"], lambda v: compact(v, lang))
    _log_ticks(
        fig,
        "y",
        data["engagement_rate"] * 100,
        lambda v: percent(v / 100, lang, 2 if v < 0.1 else 1 if v < 1 else 0),
    )
    return fig


CURVE_COLOURS = {
    "recommended": COLOURS["recommended"],
    "influencer": COLOURS["influencer"],
    "face": COLOURS["mix"],
    "advocate": COLOURS["ambassador"],
}


def spend_curve_chart(curves: ResponseCurves, plan: Plan, lang: str) -> go.Figure:
    """The objective's median against the budget (log scale), one line per relationship family
    and the recommended plan with its p10-p90 band; the brief's budget and the recommended
    curve's knee marked. Everything drawn comes computed from the core
    (`advisor.advice.curves`)."""
    cur = plan.brief.currency
    label = _escape(objective_label(plan, lang))
    fig = go.Figure()
    rec = curves.recommended
    budgets = rec.budgets
    fig.add_trace(
        go.Scatter(
            x=budgets + budgets[::-1],
            y=[p.p90 for p in rec.points] + [p.p10 for p in rec.points][::-1],
            fill="toself",
            mode="lines",
            fillcolor=BANDS["recommended"],
            line=dict(width=0),
            hoverinfo="skip",
            name=_escape(t("spend.family.recommended", lang)) + " " + t("chart.band", lang),
            showlegend=False,
        )
    )
    for curve in reversed(curves.curves):  # the recommended plan last, on top
        name = _escape(t(f"spend.family.{curve.family}", lang))
        recommended = curve.family == "recommended"
        fig.add_trace(
            go.Scatter(
                x=curve.budgets,
                y=curve.p50,
                mode="lines+markers" if recommended else "lines",
                name=name,
                marker=dict(size=5),
                line=dict(
                    color=CURVE_COLOURS[curve.family],
                    width=3.5 if recommended else 2,
                    dash="solid" if recommended else "dot",
                ),
                customdata=[
                    [
                        _escape(
                            t(
                                "spend.hover",
                                lang,
                                budget=money(p.budget, cur, lang),
                                spend=money(p.spend, cur, lang),
                            )
                        ),
                        compact(p.p50, lang),
                        compact(p.p10, lang),
                        compact(p.p90, lang),
                    ]
                    for p in curve.points
                ],
                hovertemplate=(
                    f"%{{customdata[0]}}<br>{name}<br>{label}: %{{customdata[1]}} "
                    f"({_escape(t('chart.band', lang))} %{{customdata[2]}} – %{{customdata[3]}})"
                    "<extra></extra>"
                ),
            )
        )
    marks = [(curves.budget, t("spend.yours", lang), "#1d2433")]
    if rec.knee is not None:
        marks.append((rec.knee, t("spend.knee", lang), "#9aa3b5"))
    for x, text, colour in marks:
        fig.add_vline(x=x, line=dict(color=colour, dash="dash", width=1))
        fig.add_annotation(  # on a log axis an annotation's x is the log10 of the value
            x=math.log10(x),
            y=1,
            yref="paper",
            yanchor="bottom",
            xanchor="right" if x == curves.budget else "left",
            showarrow=False,
            font=dict(size=11, color=colour),
            text=_escape(f"{text}: {money(x, cur, lang)}"),
        )
    ticks = [budgets[i] for i in range(0, len(budgets), 4)]
    x = dict(
        type="log",
        tickmode="array",
        tickvals=ticks,
        ticktext=[money(v, cur, lang) for v in ticks],
        title=dict(text=_escape(t("spend.axis.budget", lang))),
    )
    y = _value_axis(
        [p.p90 for p in rec.points] + [v for c in curves.curves for v in c.p50],
        lambda v: compact(v, lang),
    )
    y.update(title=dict(text=label))
    return _layout(
        fig, lang, height=440, legend={**LEGEND_BELOW, "traceorder": "reversed"}, xaxis=x, yaxis=y
    )


def _log_ticks(fig: go.Figure, axis: str, values: pd.Series, label: Callable[[float], str]) -> None:
    """Powers of ten over `values`' range on a log axis, labelled in the locale."""
    import math

    positive = values[values > 0]
    if positive.empty:
        return
    low = math.floor(math.log10(float(positive.min())))
    high = math.ceil(math.log10(float(positive.max())))
    ticks = [10.0**k for k in range(low, high + 1)]
    update = fig.update_xaxes if axis == "x" else fig.update_yaxes
    update(tickmode="array", tickvals=ticks, ticktext=[label(v) for v in ticks])


__all__ = [
    "TIERS",
    "ambassador_lines",
    "audit_chart",
    "budget_chart",
    "candidates_chart",
    "factors_chart",
    "platform_name",
    "reach_chart",
    "relationship_name",
    "spend_curve_chart",
    "strategy_name",
    "tier_chart",
    "tier_name",
    "what_if_chart",
    "what_if_table",
]
