"""Two or three plans side by side: one table of headline numbers and one chart of their
objective and reach with p10–p90 bands (error bars). Numbers in, formatted text out."""

from __future__ import annotations

import math

import plotly.graph_objects as go

from advisor.advice.plan import Plan
from advisor.locale.formatting import compact, money, percent, separators
from advisor.locale.i18n import t
from advisor.present import explain


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def comparison_rows(plans: list[tuple[str, Plan]], lang: str) -> list[dict[str, str]]:
    """One row per plan, every value formatted for `lang` (the table beside the chart)."""
    rows = []
    for name, plan in plans:
        rec = plan.recommended
        currency = str(plan.brief.currency)
        share = plan.split.get("influencer", 0.0)
        rows.append(
            {
                t("compare.col.plan", lang): name,
                t("compare.col.headline", lang): explain.headline(plan, lang),
                t("compare.col.budget", lang): money(plan.brief.budget, currency, lang),
                t("compare.col.split", lang): t(
                    "compare.split",
                    lang,
                    influencer=percent(share, lang),
                    ambassador=percent(1.0 - share, lang),
                ),
                t("compare.col.objective", lang): t(
                    "compare.band",
                    lang,
                    label=explain.objective_label(plan, lang),
                    p10=compact(rec.objective_p10, lang),
                    p50=compact(rec.objective_p50, lang),
                    p90=compact(rec.objective_p90, lang),
                ),
                t("compare.col.reach", lang): t(
                    "compare.band",
                    lang,
                    label=t("compare.reach", lang),
                    p10=compact(rec.reach_p10[-1] if rec.reach_p10 else 0, lang),
                    p50=compact(rec.final_reach, lang),
                    p90=compact(rec.reach_p90[-1] if rec.reach_p90 else 0, lang),
                ),
                t("compare.col.cost_per_result", lang): money(
                    rec.cost_per_result, currency, lang, precise=True
                ),
            }
        )
    return rows


def comparison_figure(plans: list[tuple[str, Plan]], lang: str) -> go.Figure:
    """Objective and final reach per plan: bars at the median, error bars from p10 to p90."""
    names = [_escape(name) for name, _ in plans]
    series = [plan.recommended for _, plan in plans]
    fig = go.Figure()
    traces = (
        (
            t("compare.objective", lang),
            [s.objective_p10 for s in series],
            [s.objective_p50 for s in series],
            [s.objective_p90 for s in series],
        ),
        (
            t("compare.reach", lang),
            [s.reach_p10[-1] if s.reach_p10 else 0.0 for s in series],
            [s.final_reach for s in series],
            [s.reach_p90[-1] if s.reach_p90 else 0.0 for s in series],
        ),
    )
    for label, p10, p50, p90 in traces:
        fig.add_trace(
            go.Bar(
                name=_escape(label),
                x=names,
                y=p50,
                error_y={
                    "type": "data",
                    "symmetric": False,
                    "array": [hi - mid for hi, mid in zip(p90, p50, strict=True)],
                    "arrayminus": [mid - lo for lo, mid in zip(p10, p50, strict=True)],
                },
                text=[compact(v, lang) for v in p50],
                textposition="inside",
                hovertext=[
                    _escape(
                        t(
                            "compare.hover",
                            lang,
                            p10=compact(lo, lang),
                            p50=compact(mid, lang),
                            p90=compact(hi, lang),
                        )
                    )
                    for lo, mid, hi in zip(p10, p50, p90, strict=True)
                ],
                hoverinfo="text+name",
            )
        )
    fig.update_layout(
        barmode="group",
        height=380,
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        separators=separators(lang),
        legend={"orientation": "h", "y": -0.15},
        yaxis={
            "title": _escape(t("compare.axis", lang)),
            "rangemode": "tozero",
            **_ticks(max((max(p90) for _, _, _, p90 in traces), default=0.0), lang),
        },
    )
    return fig


def _ticks(top: float, lang: str) -> dict[str, object]:
    """Axis ticks written like the table and the bars (`compact`: 20K, 1.5M), not Plotly's
    own SI suffixes (20k, 1.5G): one number format on the page."""
    if not math.isfinite(top) or top <= 0:
        return {}
    raw = top / 5
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    values = [i * step for i in range(int(top // step) + 2)]
    return {"tickvals": values, "ticktext": [compact(v, lang) for v in values]}
