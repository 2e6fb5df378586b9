"""A one-page A4 PDF of a plan that a marketer can forward: `plan_report_pdf(plan) -> bytes`.

This module is the page: which sections go where and what they say, in the plan's language, with
money in the brief's currency (`advisor.locale.formatting`). The drawing surface, colours and
text encoding are in `report_canvas`; the reach chart is drawn by `report_chart` from the same
figure as the page's chart (`figures.reach_figure`).

One page, always: the layout is tried at decreasing densities (font sizes, list lengths) and the
first one where everything fits is kept; at the densest, lists end with "+ N more".
"""

from __future__ import annotations

import math

from advisor.advice.plan import Plan
from advisor.locale.formatting import signed_percent
from advisor.present import explain as ex
from advisor.present.report_canvas import (
    BLOCKING,
    COLOURS,
    CONTENT_W,
    DENSITIES,
    ENCODING,
    FAINT,
    GRID,
    GUTTER,
    INK,
    MARGIN,
    MUTED,
    PAGE_H,
    PAGE_W,
    PRIMARY,
    PT,
    RULE,
    WHITE,
    Canvas,
    Density,
    lh,
    pdf_text,
    tint,
)
from advisor.present.report_chart import draw_reach_chart

_pdf_text = pdf_text  # the names the tests and older callers use
_Density = Density
__all__ = ["DENSITIES", "ENCODING", "plan_report_pdf"]


class _Report(Canvas):
    """The page layout of one attempt at one density."""

    def __init__(self, plan: Plan, lang: str, density: Density, compress: bool) -> None:
        super().__init__(plan, lang, density, compress)
        self.spare = 0.0

    # page --------------------------------------------------------------------------------------

    def render(self) -> None:
        y = self.header(MARGIN)
        y = self.recommendation(y + 3)
        left_w = CONTENT_W * 0.5 - GUTTER / 2
        right_x = MARGIN + left_w + GUTTER
        right_w = CONTENT_W - left_w - GUTTER
        top = y + 5
        chart_bottom = self.chart(right_x, top, right_w)
        reasons_bottom = self.reasons(MARGIN, top, left_w, max(chart_bottom, top + 80))
        y = self.table(max(chart_bottom, reasons_bottom) + 4)
        footer_top = self.footer()
        top = y + 5
        bottom = footer_top - 3
        end = max(
            self.checklist(MARGIN, top, left_w, bottom), self.notes(right_x, top, right_w, bottom)
        )
        self.spare = bottom - end  # room left above the footer

    def header(self, y: float) -> float:
        pdf, plan, d = self.pdf, self.plan, self.d
        self.fill(PRIMARY)
        pdf.rect(0, 0, PAGE_W, 3.2, style="F")
        strategy = self.tr(f"strategy.{plan.strategy.value}")
        badge = self.tr("report.recommendation", strategy=strategy)
        self.font(d.body, "B")
        badge_w = self.width(badge) + 6
        title_h = self.line_text(
            MARGIN, y, CONTENT_W - badge_w - 4, self.tr("report.title"), d.title, "B"
        )
        badge_h = lh(d.body) + 2.4
        bx, by = PAGE_W - MARGIN - badge_w, y + (title_h - badge_h) / 2
        self.fill(COLOURS["recommended"])
        pdf.rect(bx, by, badge_w, badge_h, style="F", round_corners=True, corner_radius=badge_h / 2)
        self.line_text(bx, by + 1.2, badge_w, badge, d.body, "B", WHITE, align="C")
        y += title_h + 1
        self.line_text(MARGIN, y, CONTENT_W, self.brief_line(), d.body + 0.6, "", MUTED)
        y += lh(d.body + 0.6) + 2.2
        self.stroke(RULE, 0.3)
        pdf.line(MARGIN, y, PAGE_W - MARGIN, y)
        return y

    def brief_line(self) -> str:
        b = self.plan.brief
        weeks = self.tr("report.week") if b.weeks == 1 else self.tr("report.weeks", weeks=b.weeks)
        parts = [
            self.tr(f"goal.{b.goal.value}"),
            self.money(b.budget),
            weeks,
            self.tr(f"region.{b.region.value}"),
            ", ".join(self.tr(f"platform.{p.value}") for p in b.platforms),
        ]
        return "  ·  ".join(parts)

    def recommendation(self, y: float) -> float:
        pdf, plan, d = self.pdf, self.plan, self.d
        headline = pdf_text(ex.headline(plan, self.lang))
        y += self.para(MARGIN, y, CONTENT_W, headline, d.headline, "B") + 2.5

        # split bar
        share_inf = min(max(plan.split.get("influencer", 0.0), 0.0), 1.0)
        bar_h = 6.0
        w_inf = CONTENT_W * share_inf
        self.fill(COLOURS["influencer"])
        if w_inf > 0:
            pdf.rect(MARGIN, y, w_inf, bar_h, style="F")
        self.fill(COLOURS["ambassador"])
        if w_inf < CONTENT_W:
            pdf.rect(MARGIN + w_inf, y, CONTENT_W - w_inf, bar_h, style="F")
        for x, w, share in (
            (MARGIN, w_inf, share_inf),
            (MARGIN + w_inf, CONTENT_W - w_inf, 1 - share_inf),
        ):
            label = self.percent(share)
            self.font(d.body, "B", WHITE)
            if w > self.width(label) + 4:
                self.line_text(x, y + (bar_h - lh(d.body)) / 2, w, label, d.body, "B", WHITE, "C")
        y += bar_h + 1.6

        inf, amb = plan.influencer, plan.ambassador
        inf_detail = (
            self.tr(
                "report.influencer_detail",
                creators=self.compact(inf.creators),
                posts=self.compact(inf.posts),
            )
            if inf.budget > 0
            else self.tr("report.not_used")
        )
        amb_detail = (
            self.tr(
                "report.ambassador_detail",
                ambassadors=self.compact(amb.ambassadors),
                faces=self.compact(amb.brand_faces),
                posts=self.compact(amb.posts),
            )
            if amb.budget > 0
            else self.tr("report.not_used")
        )
        half = CONTENT_W / 2 - 2
        for side, detail, align, x in (
            ("influencer", inf_detail, "L", MARGIN),
            ("ambassador", amb_detail, "R", MARGIN + CONTENT_W - half),
        ):
            budget = inf.budget if side == "influencer" else amb.budget
            share = share_inf if side == "influencer" else 1 - share_inf
            label = f"{self.tr(f'strategy.{side}')}  {self.percent(share)}  ·  {self.money(budget)}"
            self.line_text(x, y, half, label, d.body + 0.4, "B", COLOURS[side], align)
            self.line_text(x, y + lh(d.body + 0.4), half, detail, d.small, "", MUTED, align)
        y += lh(d.body + 0.4) + lh(d.small) + 2.5

        # confidence and projected reach
        rec = plan.projection.get("recommended")
        label = self.tr("report.confidence")
        self.font(d.body, "B")
        lw = self.width(label) + 2.5
        self.line_text(MARGIN, y, lw, label, d.body, "B")
        level = {"low": 1, "medium": 2, "high": 3}[plan.confidence_label]
        seg_w, seg_h = 4.2, 2.2
        sy = y + (lh(d.body) - seg_h) / 2
        for i in range(3):
            self.fill(PRIMARY if i < level else RULE)
            pdf.rect(MARGIN + lw + i * (seg_w + 0.8), sy, seg_w, seg_h, style="F")
        value = self.tr(
            "report.confidence_value",
            label=self.tr(f"confidence.{plan.confidence_label}"),
            value=self.percent(plan.confidence),
        )
        vx = MARGIN + lw + 3 * (seg_w + 0.8) + 1.5
        self.font(d.body)
        self.line_text(vx, y, self.width(value) + 1, value, d.body)

        reach = self.tr(
            "report.objective_value",
            value=self.compact(rec.objective_p50),
            low=self.compact(rec.objective_p10),
            high=self.compact(rec.objective_p90),
        )
        label = pdf_text(ex.objective_label(plan, self.lang)) + ":"
        self.font(d.body, "B")
        lw = self.width(label) + 2.5
        self.font(d.body)
        rx = max(MARGIN + CONTENT_W * 0.36, vx + self.width(value) + 8)
        if rx + lw + self.width(reach) > MARGIN + CONTENT_W:  # no room beside: next line
            rx, y = MARGIN, y + lh(d.body) + 1
        self.line_text(rx, y, lw, label, d.body, "B")
        y += self.para(rx + lw, y, MARGIN + CONTENT_W - rx - lw, reach, d.body) + 0.8
        sentence = pdf_text(ex.confidence_sentence(plan, self.lang))
        return y + self.para(MARGIN, y, CONTENT_W, sentence, d.small, "", MUTED)

    def reasons(self, x: float, y: float, w: float, bottom: float) -> float:
        d = self.d
        y = self.heading(x, y, w, self.tr("report.section.why"))
        plan, lang = self.plan, self.lang
        definition = pdf_text(ex.objective_definition(plan, lang))
        y += self.para(x, y, w, definition, d.small, "", MUTED) + 1.5
        if not plan.factors:
            why = pdf_text(ex.why_without_factors(plan, lang))
            return y + self.para(x, y, w, why, d.small, colour=INK) + 1.8
        factors = plan.factors[: d.reasons]
        biggest = max((abs(f.change or 0.0) for f in plan.factors), default=0.0) or 1.0
        bar_w, text_x = 12.0, x + 15.0
        text_w = x + w - text_x
        for f in factors:
            sentence = pdf_text(ex.factor_sentence(f, plan, lang))
            h = lh(d.body) + self.para(text_x, y, text_w, sentence, d.small, dry=True)
            if y + h > bottom:
                break  # the strongest facts come first; the rest are in the app
            self.change_bar(x, y + (lh(d.body) - 2.2) / 2, bar_w, (f.change or 0.0) / biggest)
            label = pdf_text(ex.factor_label(f, lang))
            self.font(d.body, "B")
            lw = min(self.width(label) + 2, text_w * 0.6)
            self.line_text(text_x, y, lw, label, d.body, "B")
            if f.change is not None:
                self.line_text(
                    text_x + lw,
                    y + (d.body - d.small) * PT * 0.9,
                    text_w - lw,
                    pdf_text(signed_percent(f.change, lang)),
                    d.small,
                    "I",
                    COLOURS["recommended"] if f.change >= 0 else MUTED,
                )
            y += lh(d.body)
            y += self.para(text_x, y, text_w, sentence, d.small, colour=INK) + 1.8
        return y

    def change_bar(self, x: float, y: float, w: float, strength: float) -> None:
        """A small diverging bar: green rightward when the brief's value helps, grey leftward."""
        pdf, h, mid = self.pdf, 2.2, x + w / 2
        self.fill(GRID)
        pdf.rect(x, y, w, h, style="F")
        length = max(0.8, w / 2 * min(abs(strength), 1.0))
        self.fill(COLOURS["recommended"] if strength >= 0 else FAINT)
        pdf.rect(mid if strength >= 0 else mid - length, y, length, h, style="F")
        self.stroke(MUTED, 0.2)
        pdf.line(mid, y - 0.5, mid, y + h + 0.5)

    def chart(self, x: float, y: float, w: float) -> float:
        return draw_reach_chart(self, x, y, w)

    # table -------------------------------------------------------------------------------------

    def table(self, y: float) -> float:
        pdf, d = self.pdf, self.d
        y = self.heading(MARGIN, y, CONTENT_W, self.tr("report.section.compare"))
        summary = self.plan.projection.summary()
        columns = [
            ("report.table.objective", lambda r: self.compact(r["objective_p50"])),
            ("report.table.reach", lambda r: self.compact(r["reach_p50"])),
            ("report.table.clicks", lambda r: self.compact(r["clicks_p50"])),
            ("report.table.spend", lambda r: self.money(_number(r["spend"]))),
            (
                "report.table.cost_per_result",
                lambda r: self.money(_number(r["cost_per_result"]), precise=True),
            ),
            (
                "report.table.cpm",
                lambda r: self.money(_number(r["cost_per_thousand_impressions"]), precise=True),
            ),
        ]
        first_w = 44.0
        col_w = (CONTENT_W - first_w) / len(columns)
        pad = 1.8
        head_h = max(
            self.para(0, 0, col_w - 2 * pad, self.tr(key), d.small, "B", dry=True)
            for key, _ in columns
        )
        self.line_text(
            MARGIN + pad,
            y + head_h - lh(d.small),
            first_w,
            self.tr("report.table.strategy"),
            d.small,
            "B",
            MUTED,
        )
        for i, (key, _) in enumerate(columns):
            cx = MARGIN + first_w + i * col_w + pad
            text_h = self.para(cx, y, col_w - 2 * pad, self.tr(key), d.small, "B", dry=True)
            self.para(
                cx, y + head_h - text_h, col_w - 2 * pad, self.tr(key), d.small, "B", MUTED, "R"
            )
        y += head_h + 1
        self.stroke(MUTED, 0.3)
        pdf.line(MARGIN, y, MARGIN + CONTENT_W, y)
        row_h = lh(d.body) + 2.2
        for _, row in summary.iterrows():
            name = str(row["strategy"])
            recommended = name == "recommended"
            if recommended:
                self.fill(tint(COLOURS["recommended"], 0.12))
                pdf.rect(MARGIN, y, CONTENT_W, row_h, style="F")
            style = "B" if recommended else ""
            ty = y + (row_h - lh(d.body)) / 2
            self.fill(COLOURS.get(name, FAINT))
            pdf.rect(MARGIN + pad, y + row_h / 2 - 1.2, 2.4, 2.4, style="F")
            self.line_text(
                MARGIN + pad + 4, ty, first_w - pad - 4, self.tr(f"strategy.{name}"), d.body, style
            )
            for i, (_, cell) in enumerate(columns):
                cx = MARGIN + first_w + i * col_w + pad
                self.line_text(cx, ty, col_w - 2 * pad, cell(row), d.body, style, INK, "R")
            y += row_h
            self.stroke(RULE, 0.2)
            pdf.line(MARGIN, y, MARGIN + CONTENT_W, y)
        return y

    # checklist, disclosure, caveats -------------------------------------------------------------

    def checklist(self, x: float, y: float, w: float, bottom: float) -> float:
        d = self.d
        y = self.heading(x, y, w, self.tr("report.section.checklist"))
        items = self.plan.checklist
        groups = [
            ("report.check.blocking", [i for i in items if i.blocking], BLOCKING),
            ("report.check.other", [i for i in items if not i.blocking], MUTED),
        ]
        box, text_x = 2.6, x + 4.6
        text_w = x + w - text_x
        shown, total = 0, len(items)
        note_h = lh(d.fine) + 0.5
        for key, group, colour in groups:
            if not group:
                continue
            sub_h = lh(d.small) + 0.8
            first = pdf_text(ex.checklist_text(group[0].key, self.plan, self.lang))
            first_h = self.para(text_x, y, text_w, first, d.small, dry=True)
            if y + sub_h + first_h > bottom - note_h:
                break
            self.line_text(x, y, w, self.tr(key), d.small, "B", colour)
            y += sub_h
            for item in group:
                text = pdf_text(ex.checklist_text(item.key, self.plan, self.lang))
                h = self.para(text_x, y, text_w, text, d.small, dry=True)
                reserve = note_h if shown + 1 < total else 0
                if y + h > bottom - reserve:
                    return y + self.more(x, y, w, total - shown)
                self.checkbox(x, y + (lh(d.small) - box) / 2, box, item.blocking, item.done)
                self.para(text_x, y, text_w, text, d.small, "", MUTED if item.done else INK)
                y += h + 1.2
                shown += 1
            y += 0.8
        if shown < total:
            y += self.more(x, y, w, total - shown)
        return y

    def checkbox(self, x: float, y: float, size: float, blocking: bool, done: bool) -> None:
        pdf = self.pdf
        colour = BLOCKING if blocking else MUTED
        if done:
            self.fill(COLOURS["recommended"])
            pdf.rect(x, y, size, size, style="F", round_corners=True, corner_radius=0.4)
            self.stroke(WHITE, 0.35)
            pdf.polyline(
                [
                    (x + 0.55, y + size * 0.52),
                    (x + size * 0.42, y + size - 0.6),
                    (x + size - 0.5, y + 0.6),
                ]
            )
        else:
            self.stroke(colour, 0.35 if blocking else 0.25)
            pdf.rect(x, y, size, size, style="D", round_corners=True, corner_radius=0.4)

    def notes(self, x: float, y: float, w: float, bottom: float) -> float:
        pdf, d = self.pdf, self.d
        # disclosure reminder in a tinted box
        text = pdf_text(ex.disclosure(self.plan, self.lang))
        inner = w - 6
        title_h = lh(d.small) + 0.6
        body_h = self.para(x + 3.5, y, inner, text, d.small, dry=True)
        box_h = title_h + body_h + 4
        self.fill(tint(PRIMARY, 0.08))
        pdf.rect(x, y, w, box_h, style="F")
        self.fill(PRIMARY)
        pdf.rect(x, y, 0.9, box_h, style="F")
        self.line_text(
            x + 3.5,
            y + 2,
            inner,
            self.tr("report.section.disclosure").upper(),
            d.small,
            "B",
            PRIMARY,
        )
        self.para(x + 3.5, y + 2 + title_h, inner, text, d.small)
        y += box_h + 4

        # caveats, small print
        caveats = [pdf_text(c) for c in ex.notes(self.plan, self.lang)]
        caveats += [pdf_text(self.edited_line(f)) for f in self.plan.assumptions.edited()]
        if not caveats:
            return y
        y = self.heading(x, y, w, self.tr("report.section.caveats"))
        note_h = lh(d.fine) + 0.5
        for i, caveat in enumerate(caveats):
            h = self.para(x + 3, y, w - 3, caveat, d.fine, dry=True)
            reserve = note_h if i + 1 < len(caveats) else 0
            if y + h > bottom - reserve:
                return y + self.more(x, y, w, len(caveats) - i)
            self.fill(FAINT)
            pdf.circle(x + 0.8, y + lh(d.fine) / 2, 0.45, style="F")
            self.para(x + 3, y, w - 3, caveat, d.fine, "", MUTED)
            y += h + 0.9
        return y

    def edited_line(self, figure: object) -> str:
        """An edited assumption, marked as such: the reader sees the plan rests on it."""
        return self.tr(
            "report.edited",
            label=ex.assumption_label(figure.key, self.lang),  # type: ignore[attr-defined]
            value=f"{figure.value:g}",  # type: ignore[attr-defined]
            default=f"{figure.default:g}",  # type: ignore[attr-defined]
        )

    def footer(self) -> float:
        """Draw the footer at the bottom of the page; returns its top."""
        pdf, d, plan = self.pdf, self.d, self.plan
        source = (
            self.tr("report.source.benchmarks")
            if plan.data_source == "benchmarks"
            else self.tr("report.source.creators", source=pdf_text(plan.data_source)[:80])
        )
        text = f"{self.tr('report.footer', samples=plan.projection.samples)} {source}"
        brand = self.tr("report.generator")
        self.font(d.fine, "B")
        brand_w = self.width(brand) + 2
        text_w = CONTENT_W - brand_w - 6
        h = self.para(MARGIN, 0, text_w, text, d.fine, dry=True)
        top = PAGE_H - 9 - h
        self.stroke(RULE, 0.3)
        pdf.line(MARGIN, top - 2, PAGE_W - MARGIN, top - 2)
        self.para(MARGIN, top, text_w, text, d.fine, "", MUTED)
        self.line_text(PAGE_W - MARGIN - brand_w, top, brand_w, brand, d.fine, "B", PRIMARY, "R")
        return top - 2


def _number(value: object) -> float | None:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def plan_report_pdf(plan: Plan, lang: str = "en", *, compress: bool = True) -> bytes:
    """The plan as a one-page A4 PDF in `lang`, ready to forward.

    `compress=False` leaves the page content readable (tests look for the headline in it).
    """
    report = None
    for density in DENSITIES:
        report = _Report(plan, lang, density, compress)
        report.render()
        if not report.truncated:
            break
    assert report is not None and report.pdf.pages_count == 1
    return bytes(report.pdf.output())
