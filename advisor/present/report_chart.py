"""The reach chart of the PDF report, drawn with fpdf strokes from `figures.reach_figure`: the
same lines, week-0 origin, audience line and gridlines as the page's plotly chart.

The print is lighter than the screen: only the recommended plan keeps its p10-p90 band; the pure
strategies are thin dashed lines on top of it, so a line that is also the plan's still shows.
"""

from __future__ import annotations

from collections.abc import Sequence

from advisor.present.figures import ReachFigure, reach_figure, week_step
from advisor.present.report_canvas import COLOURS, FAINT, GRID, INK, MUTED, Canvas, lh, tint

BAND = 0.2  # tint of the recommended plan's colour for its band


def draw_reach_chart(c: Canvas, x: float, y: float, w: float) -> float:
    """The section "Projected unique reach" at (x, y), `w` wide; returns the y below it."""
    pdf, d = c.pdf, c.d
    data = reach_figure(c.plan)
    y = c.heading(x, y, w, c.tr("report.section.reach"))
    caption = c.tr("report.chart.caption", samples=data.samples)
    y += c.para(x, y, w, caption, d.fine, "", MUTED) + 1.5

    c.font(d.fine)
    y_labels = [c.compact(v) for v in data.ticks]
    axis_w = max(c.width(s) for s in y_labels) + 2
    px, pw = x + axis_w, w - axis_w - 1
    py, ph = y + 1.5, d.chart_h - 22

    def to_xy(week: float, value: float) -> tuple[float, float]:
        return px + pw * week / data.weeks, py + ph - ph * min(value, data.top) / data.top

    for i, (value, text) in enumerate(zip(data.ticks, y_labels, strict=True)):
        _, gy = to_xy(0, value)
        c.stroke(GRID if i else MUTED, 0.2 if i else 0.3)
        pdf.line(px, gy, px + pw, gy)
        c.line_text(x, gy - lh(d.fine) / 2, axis_w - 1.5, text, d.fine, "", MUTED, "R")
    for week in range(0, data.weeks + 1, week_step(data.weeks)):
        gx, _ = to_xy(week, 0)
        c.stroke(MUTED, 0.2)
        pdf.line(gx, py + ph, gx, py + ph + 1)
        c.line_text(gx - 6, py + ph + 1.2, 12, str(week), d.fine, "", MUTED, "C")
    axis_title = c.tr("report.chart.week_axis")
    c.line_text(px, py + ph + 1.2 + lh(d.fine), pw, axis_title, d.fine, "", MUTED, "C")

    if data.audience is not None:
        _, ay = to_xy(0, data.audience)
        c.stroke(FAINT, 0.25)
        pdf.set_dash_pattern(dash=1.0, gap=1.0)
        pdf.line(px, ay, px + pw, ay)
        pdf.set_dash_pattern()
        label = f"{c.tr('report.chart.audience')} {c.compact(data.audience)}"
        c.line_text(px + 1, ay - lh(d.fine) - 0.2, pw - 2, label, d.fine, "", MUTED)

    def points(weeks: Sequence[int], values: Sequence[float]) -> list[tuple[float, float]]:
        return [to_xy(week, v) for week, v in zip(weeks, values, strict=True)]

    rec = data.line("recommended")
    if rec is not None:
        upper, lower = points(rec.week, rec.p90), points(rec.week, rec.p10)
        c.fill(tint(COLOURS["recommended"], BAND))
        pdf.polygon(upper + lower[::-1], style="F")
        c.stroke(COLOURS["recommended"], 0.75)
        pdf.polyline(points(rec.week, rec.p50))
    for line in data.lines:
        if line.strategy == "recommended":
            continue
        c.stroke(COLOURS[line.strategy], 0.35)
        pdf.set_dash_pattern(dash=1.4, gap=0.7)
        pdf.polyline(points(line.week, line.p50))
        pdf.set_dash_pattern()
    if rec is not None:
        end_x, end_y = to_xy(rec.week[-1], rec.final)
        c.fill(COLOURS["recommended"])
        pdf.circle(end_x, end_y, 0.8, style="F")
        text = c.compact(rec.final)
        c.font(d.small, "B")
        tw = c.width(text) + 1
        c.line_text(
            end_x - tw - 1,
            end_y - lh(d.small) - 0.6,
            tw,
            text,
            d.small,
            "B",
            COLOURS["recommended"],
            "R",
        )
    legend_y = py + ph + 1.2 + 2 * lh(d.fine) + 1.2
    return _legend(c, data, x + axis_w, legend_y, w - axis_w)


def _legend(c: Canvas, data: ReachFigure, x: float, y: float, w: float) -> float:
    """One item per line drawn (the plan named with the strategy it equals) and the band."""
    pdf, d = c.pdf, c.d
    items: list[tuple[str, str, float, bool]] = []
    for line in data.lines:
        label = c.tr(f"strategy.{line.strategy}")
        if line.same_as:
            phrases = ", ".join(t_phrase(c, s) for s in line.same_as)
            label = c.tr("chart.same_as", plan=label, strategy=phrases)
        recommended = line.strategy == "recommended"
        items.append((line.strategy, label, 0.75 if recommended else 0.35, not recommended))
    if data.line("recommended") is not None:
        items.append(("band", c.tr("report.chart.band"), 0.0, False))
    h = lh(d.fine)
    cx, cy = x, y
    for key, label, width, dashed in items:
        c.font(d.fine)
        item_w = 6 + c.width(label) + 4
        if cx + item_w > x + w and cx > x:
            cx, cy = x, cy + h + 0.8
        if key == "band":
            c.fill(tint(COLOURS["recommended"], BAND))
            pdf.rect(cx, cy + h / 2 - 1.2, 4.5, 2.4, style="F")
        else:
            c.stroke(COLOURS[key], width)
            if dashed:
                pdf.set_dash_pattern(dash=1.4, gap=0.7)
            pdf.line(cx, cy + h / 2, cx + 4.5, cy + h / 2)
            pdf.set_dash_pattern()
        c.line_text(cx + 6, cy, min(item_w - 6, x + w - cx - 6), label, d.fine, "", INK)
        cx += item_w
    return cy + h


def t_phrase(c: Canvas, strategy: str) -> str:
    """'influencers only': how the legend says which pure strategy the plan's line also is."""
    return c.tr(f"strategy.phrase.{strategy}")
