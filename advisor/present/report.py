"""A one-page A4 PDF of a plan that a marketer can forward: `plan_report_pdf(plan) -> bytes`.

Everything is drawn with fpdf2 primitives, the reach chart included, in the plan's language.
Text uses the PDF core font Helvetica with the Windows-1252 encoding: it needs no font file, so
the report works on any machine, and it still prints € ’ “ ” – — … œ. `_pdf_text` maps every
other character to a safe stand-in, so no plan text can make the report fail.

One page, always: the layout is tried at decreasing densities (font sizes, list lengths) and the
first one where everything fits is kept; at the densest, lists end with "+ N more".
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from fpdf import FPDF
from fpdf.enums import MethodReturnValue

from advisor.advice.plan import Plan
from advisor.locale.formatting import compact, money, percent, signed_percent
from advisor.locale.i18n import t
from advisor.present import explain as ex

RGB = tuple[int, int, int]

PRIMARY: RGB = (0x34, 0x56, 0xD1)
COLOURS: dict[str, RGB] = {
    "influencer": (0x34, 0x56, 0xD1),
    "ambassador": (0xE0, 0x7A, 0x3F),
    "recommended": (0x2A, 0x9D, 0x6F),
}
INK: RGB = (0x1F, 0x25, 0x33)
MUTED: RGB = (0x5F, 0x67, 0x75)
FAINT: RGB = (0x8A, 0x91, 0x9C)
RULE: RGB = (0xDD, 0xE1, 0xE7)
GRID: RGB = (0xEC, 0xEE, 0xF2)
BLOCKING: RGB = (0xB5, 0x3A, 0x3A)
WHITE: RGB = (0xFF, 0xFF, 0xFF)

ENCODING = "cp1252"  # what core fonts are declared with (WinAnsiEncoding)
FONT = "helvetica"
PAGE_W, PAGE_H = 210.0, 297.0
MARGIN = 14.0
CONTENT_W = PAGE_W - 2 * MARGIN
GUTTER = 8.0
PT = 0.3528  # millimetres per point


def _tint(rgb: RGB, strength: float) -> RGB:
    """`rgb` mixed with white: 0 is white, 1 is the colour itself (prints better than alpha)."""
    return tuple(round(255 - (255 - c) * strength) for c in rgb)  # type: ignore[return-value]


# --- text that core fonts can always print ----------------------------------------------------

_SPACES = "\t\n\r\u2028\u2029" + "".join(chr(c) for c in range(0x2000, 0x200B))  # em, thin...
_TYPOGRAPHY = str.maketrans(
    {
        **dict.fromkeys(_SPACES, " "),
        **dict.fromkeys("\u202f\u2007", "\u00a0"),  # narrow/figure space (French « 38 % »)
        **dict.fromkeys("\u200b\u200c\u200d\u2060\ufeff\u00ad", ""),  # zero-width, soft hyphen
        **dict.fromkeys("\u2010\u2011\u2212\u2043", "-"),
        **dict.fromkeys("\u2032\u201b", "'"),
        **dict.fromkeys("\u2033\u201f", '"'),
        **dict.fromkeys("\u25cf\u25aa\u2023\u2219", "•"),
        **dict.fromkeys("\u2713\u2714", "v"),
        **dict.fromkeys("\u2717\u2718", "x"),
        **dict.fromkeys("\u2248\u2243", "~"),
        "\u2012": "–",
        "\u2015": "—",
        "\u2264": "<=",
        "\u2265": ">=",
        "\u2260": "!=",
        "\u2192": "->",
        "\u2190": "<-",
        "\u2194": "<->",
        "\u21d2": "=>",
    }
)


def _pdf_text(value: object) -> str:
    """`value` as text that a Windows-1252 core font can print; never raises.

    Typographic characters are kept when the encoding has them (’ “ ” – — … €) and mapped to
    close equivalents otherwise (narrow spaces, ≥, arrows); other characters fall back to their
    compatibility decomposition without accents (ﬁ -> fi, ł stays ?), then to "?".
    """
    if value is None:
        return ""
    text = unicodedata.normalize("NFC", str(value)).translate(_TYPOGRAPHY)
    out = []
    for ch in text:
        if _encodable(ch):
            out.append(" " if unicodedata.category(ch) == "Cc" else ch)
            continue
        folded = "".join(
            c
            for c in unicodedata.normalize("NFKD", ch)
            if not unicodedata.combining(c) and _encodable(c) and unicodedata.category(c) != "Cc"
        )
        out.append(folded or "?")
    return "".join(out)


def _encodable(ch: str) -> bool:
    try:
        ch.encode(ENCODING)
    except UnicodeEncodeError:
        return False
    return True


# --- layout ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Density:
    """Font sizes (points) and list lengths for one attempt at fitting the page."""

    title: float
    headline: float
    body: float
    small: float
    fine: float
    reasons: int
    chart_h: float


DENSITIES = (
    _Density(title=18, headline=12, body=8.2, small=7.4, fine=6.4, reasons=5, chart_h=62),
    _Density(title=17, headline=11.5, body=7.8, small=7.0, fine=6.1, reasons=5, chart_h=58),
    _Density(title=16, headline=11, body=7.4, small=6.6, fine=5.8, reasons=4, chart_h=54),
    _Density(title=15, headline=10, body=7.0, small=6.2, fine=5.4, reasons=3, chart_h=50),
)


def _lh(size: float) -> float:
    """Line height in millimetres for a font size in points."""
    return size * PT * 1.32


class _Report:
    def __init__(self, plan: Plan, lang: str, density: _Density, compress: bool) -> None:
        self.plan = plan
        self.lang = lang
        self.d = density
        self.currency = plan.brief.currency
        self.truncated = False
        self.spare = 0.0
        pdf = FPDF(orientation="P", unit="mm", format="A4")
        pdf.core_fonts_encoding = ENCODING
        pdf.set_compression(compress)
        pdf.set_auto_page_break(False)
        pdf.set_margins(MARGIN, MARGIN, MARGIN)
        pdf.c_margin = 0
        pdf.set_title(self.tr("report.title"))
        pdf.set_author(self.tr("report.generator"))
        pdf.set_creator(self.tr("report.generator"))
        pdf.set_lang(self.lang)
        pdf.add_page()
        self.pdf = pdf

    # helpers -----------------------------------------------------------------------------------

    def tr(self, key: str, **params: object) -> str:
        return _pdf_text(t(key, self.lang, **params))

    def money(self, value: float | None) -> str:
        if value is None or not math.isfinite(value):
            return "–"
        return _pdf_text(money(value, self.currency, self.lang))

    def compact(self, value: float | None) -> str:
        return _pdf_text(compact(value, self.lang))  # type: ignore[arg-type]

    def percent(self, share: float) -> str:
        return _pdf_text(percent(share, self.lang))

    def font(self, size: float, style: str = "", colour: RGB = INK) -> None:
        self.pdf.set_font(FONT, style, size)
        self.pdf.set_text_color(*colour)

    def fill(self, colour: RGB) -> None:
        self.pdf.set_fill_color(*colour)

    def stroke(self, colour: RGB, width: float = 0.2) -> None:
        self.pdf.set_draw_color(*colour)
        self.pdf.set_line_width(width)

    def width(self, text: str) -> float:
        return self.pdf.get_string_width(text)

    def fit(self, text: str, w: float) -> str:
        """`text` shortened with an ellipsis so that it fits `w` in the current font."""
        if self.width(text) <= w:
            return text
        while text and self.width(text + "…") > w:
            text = text[:-1]
        return text.rstrip() + "…"

    def line_text(
        self,
        x: float,
        y: float,
        w: float,
        text: str,
        size: float,
        style: str = "",
        colour: RGB = INK,
        align: str = "L",
    ) -> float:
        """One line of text in a box of width `w` starting at top `y`; returns its height."""
        self.font(size, style, colour)
        h = _lh(size)
        self.pdf.set_xy(x, y)
        self.pdf.cell(w, h, self.fit(text, w), align=align)
        return h

    def para(
        self,
        x: float,
        y: float,
        w: float,
        text: str,
        size: float,
        style: str = "",
        colour: RGB = INK,
        align: str = "L",
        dry: bool = False,
    ) -> float:
        """Wrapped text; returns its height (measured only, when `dry`)."""
        self.font(size, style, colour)
        self.pdf.set_xy(x, y)
        return float(
            self.pdf.multi_cell(
                w, _lh(size), text, align=align, dry_run=dry, output=MethodReturnValue.HEIGHT
            )
        )

    def heading(self, x: float, y: float, w: float, text: str) -> float:
        """Section title with a hairline under it; returns the y below it."""
        size = self.d.body + 1.2
        self.line_text(x, y, w, text.upper(), size, "B", PRIMARY)
        y += _lh(size) + 0.4
        self.stroke(RULE, 0.25)
        self.pdf.line(x, y, x + w, y)
        return y + 1.8

    def more(self, x: float, y: float, w: float, count: int) -> float:
        self.truncated = True
        return self.line_text(x, y, w, self.tr("report.more", count=count), self.d.fine, "I", MUTED)

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
        badge_h = _lh(d.body) + 2.4
        bx, by = PAGE_W - MARGIN - badge_w, y + (title_h - badge_h) / 2
        self.fill(COLOURS["recommended"])
        pdf.rect(bx, by, badge_w, badge_h, style="F", round_corners=True, corner_radius=badge_h / 2)
        self.line_text(bx, by + 1.2, badge_w, badge, d.body, "B", WHITE, align="C")
        y += title_h + 1
        self.line_text(MARGIN, y, CONTENT_W, self.brief_line(), d.body + 0.6, "", MUTED)
        y += _lh(d.body + 0.6) + 2.2
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
        headline = _pdf_text(ex.headline(plan, self.lang))
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
                self.line_text(x, y + (bar_h - _lh(d.body)) / 2, w, label, d.body, "B", WHITE, "C")
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
            self.line_text(x, y + _lh(d.body + 0.4), half, detail, d.small, "", MUTED, align)
        y += _lh(d.body + 0.4) + _lh(d.small) + 2.5

        # confidence and projected reach
        rec = plan.projection.get("recommended")
        label = self.tr("report.confidence")
        self.font(d.body, "B")
        lw = self.width(label) + 2.5
        self.line_text(MARGIN, y, lw, label, d.body, "B")
        level = {"low": 1, "medium": 2, "high": 3}[plan.confidence_label]
        seg_w, seg_h = 4.2, 2.2
        sy = y + (_lh(d.body) - seg_h) / 2
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
        label = _pdf_text(ex.objective_label(plan, self.lang)) + ":"
        self.font(d.body, "B")
        lw = self.width(label) + 2.5
        self.font(d.body)
        rx = max(MARGIN + CONTENT_W * 0.36, vx + self.width(value) + 8)
        if rx + lw + self.width(reach) > MARGIN + CONTENT_W:  # no room beside: next line
            rx, y = MARGIN, y + _lh(d.body) + 1
        self.line_text(rx, y, lw, label, d.body, "B")
        y += self.para(rx + lw, y, MARGIN + CONTENT_W - rx - lw, reach, d.body) + 0.8
        sentence = _pdf_text(ex.confidence_sentence(plan, self.lang))
        return y + self.para(MARGIN, y, CONTENT_W, sentence, d.small, "", MUTED)

    def reasons(self, x: float, y: float, w: float, bottom: float) -> float:
        d = self.d
        y = self.heading(x, y, w, self.tr("report.section.why"))
        plan, lang = self.plan, self.lang
        definition = _pdf_text(ex.objective_definition(plan, lang))
        y += self.para(x, y, w, definition, d.small, "", MUTED) + 1.5
        factors = plan.factors[: d.reasons]
        biggest = max((abs(f.change or 0.0) for f in plan.factors), default=0.0) or 1.0
        bar_w, text_x = 12.0, x + 15.0
        text_w = x + w - text_x
        for f in factors:
            sentence = _pdf_text(ex.factor_sentence(f, plan, lang))
            h = _lh(d.body) + self.para(text_x, y, text_w, sentence, d.small, dry=True)
            if y + h > bottom:
                break  # the strongest facts come first; the rest are in the app
            self.change_bar(x, y + (_lh(d.body) - 2.2) / 2, bar_w, (f.change or 0.0) / biggest)
            label = _pdf_text(ex.factor_label(f, lang))
            self.font(d.body, "B")
            lw = min(self.width(label) + 2, text_w * 0.6)
            self.line_text(text_x, y, lw, label, d.body, "B")
            if f.change is not None:
                self.line_text(
                    text_x + lw,
                    y + (d.body - d.small) * PT * 0.9,
                    text_w - lw,
                    _pdf_text(signed_percent(f.change, lang)),
                    d.small,
                    "I",
                    COLOURS["recommended"] if f.change >= 0 else MUTED,
                )
            y += _lh(d.body)
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

    # chart -------------------------------------------------------------------------------------

    def chart(self, x: float, y: float, w: float) -> float:
        pdf, d, proj = self.pdf, self.d, self.plan.projection
        y = self.heading(x, y, w, self.tr("report.section.reach"))
        y += (
            self.para(
                x, y, w, self.tr("report.chart.caption", samples=proj.samples), d.fine, "", MUTED
            )
            + 1.5
        )
        series = {s.strategy: s for s in proj.series}
        rec = series.get("recommended")
        peak = max(
            [max(s.reach_p50, default=0.0) for s in proj.series]
            + [max(rec.reach_p90, default=0.0) if rec else 0.0]
        )
        show_audience = peak >= 0.6 * proj.audience
        top_value = max(peak, proj.audience if show_audience else 0.0, 100.0)
        step = _nice_step(top_value)
        y_max = math.ceil(top_value / step - 1e-9) * step

        self.font(d.fine)
        y_labels = [self.compact(step * i) for i in range(round(y_max / step) + 1)]
        axis_w = max(self.width(s) for s in y_labels) + 2
        px, pw = x + axis_w, w - axis_w - 1
        py, ph = y + 1.5, d.chart_h - 22
        weeks = max(proj.weeks, 1)

        def to_xy(week: float, value: float) -> tuple[float, float]:
            return px + pw * week / weeks, py + ph - ph * min(value, y_max) / y_max

        # grid and y axis labels
        for i, text in enumerate(y_labels):
            gy = py + ph - ph * i / (len(y_labels) - 1)
            self.stroke(GRID if i else MUTED, 0.2 if i else 0.3)
            pdf.line(px, gy, px + pw, gy)
            self.line_text(x, gy - _lh(d.fine) / 2, axis_w - 1.5, text, d.fine, "", MUTED, "R")
        week_step = _week_step(weeks)
        for week in range(0, weeks + 1, week_step):
            gx, _ = to_xy(week, 0)
            self.stroke(MUTED, 0.2)
            pdf.line(gx, py + ph, gx, py + ph + 1)
            self.line_text(gx - 6, py + ph + 1.2, 12, str(week), d.fine, "", MUTED, "C")
        self.line_text(
            px,
            py + ph + 1.2 + _lh(d.fine),
            pw,
            self.tr("report.chart.week_axis"),
            d.fine,
            "",
            MUTED,
            "C",
        )

        if show_audience:
            _, ay = to_xy(0, proj.audience)
            self.stroke(FAINT, 0.25)
            pdf.set_dash_pattern(dash=1.0, gap=1.0)
            pdf.line(px, ay, px + pw, ay)
            pdf.set_dash_pattern()
            label = f"{self.tr('report.chart.audience')} {self.compact(proj.audience)}"
            self.line_text(px + 1, ay - _lh(d.fine) - 0.2, pw - 2, label, d.fine, "", MUTED)

        def points(values: Sequence[float]) -> list[tuple[float, float]]:
            return [to_xy(0, 0.0)] + [to_xy(i + 1, v) for i, v in enumerate(values)]

        if rec is not None and rec.reach_p90:
            upper, lower = points(rec.reach_p90), points(rec.reach_p10)
            self.fill(_tint(COLOURS["recommended"], 0.2))
            pdf.polygon(upper + lower[::-1], style="F")
        # the plan first and thick, the two pure strategies thin and dashed on top, so that
        # a line hidden under the plan (a 100 % split) still shows
        if rec is not None:
            self.stroke(COLOURS["recommended"], 0.75)
            pdf.polyline(points(rec.reach_p50))
        for name in ("influencer", "ambassador"):
            if name in series:
                self.stroke(COLOURS[name], 0.35)
                pdf.set_dash_pattern(dash=1.4, gap=0.7)
                pdf.polyline(points(series[name].reach_p50))
                pdf.set_dash_pattern()
        if rec is not None:
            end_x, end_y = to_xy(weeks, rec.final_reach)
            self.fill(COLOURS["recommended"])
            pdf.circle(end_x, end_y, 0.8, style="F")
            text = self.compact(rec.final_reach)
            self.font(d.small, "B")
            tw = self.width(text) + 1
            self.line_text(
                end_x - tw - 1,
                end_y - _lh(d.small) - 0.6,
                tw,
                text,
                d.small,
                "B",
                COLOURS["recommended"],
                "R",
            )

        return self.legend(x + axis_w, py + ph + 1.2 + 2 * _lh(d.fine) + 1.2, w - axis_w)

    def legend(self, x: float, y: float, w: float) -> float:
        pdf, d = self.pdf, self.d
        items = [
            ("recommended", self.tr("strategy.recommended"), 0.75, False),
            ("influencer", self.tr("strategy.influencer"), 0.35, True),
            ("ambassador", self.tr("strategy.ambassador"), 0.35, True),
            ("band", self.tr("report.chart.band"), 0.0, False),
        ]
        h = _lh(d.fine)
        cx, cy = x, y
        for key, label, width, dashed in items:
            self.font(d.fine)
            item_w = 6 + self.width(label) + 4
            if cx + item_w > x + w and cx > x:
                cx, cy = x, cy + h + 0.8
            if key == "band":
                self.fill(_tint(COLOURS["recommended"], 0.2))
                pdf.rect(cx, cy + h / 2 - 1.2, 4.5, 2.4, style="F")
            else:
                self.stroke(COLOURS[key], width)
                if dashed:
                    pdf.set_dash_pattern(dash=1.4, gap=0.7)
                pdf.line(cx, cy + h / 2, cx + 4.5, cy + h / 2)
                pdf.set_dash_pattern()
            self.line_text(cx + 6, cy, item_w - 6, label, d.fine, "", INK)
            cx += item_w
        return cy + h

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
            ("report.table.cost_per_result", lambda r: self.money(_number(r["cost_per_result"]))),
            (
                "report.table.cpm",
                lambda r: self.money(_number(r["cost_per_thousand_impressions"])),
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
            y + head_h - _lh(d.small),
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
        row_h = _lh(d.body) + 2.2
        for _, row in summary.iterrows():
            name = str(row["strategy"])
            recommended = name == "recommended"
            if recommended:
                self.fill(_tint(COLOURS["recommended"], 0.12))
                pdf.rect(MARGIN, y, CONTENT_W, row_h, style="F")
            style = "B" if recommended else ""
            ty = y + (row_h - _lh(d.body)) / 2
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
        note_h = _lh(d.fine) + 0.5
        for key, group, colour in groups:
            if not group:
                continue
            sub_h = _lh(d.small) + 0.8
            first = _pdf_text(ex.checklist_text(group[0].key, self.plan, self.lang))
            first_h = self.para(text_x, y, text_w, first, d.small, dry=True)
            if y + sub_h + first_h > bottom - note_h:
                break
            self.line_text(x, y, w, self.tr(key), d.small, "B", colour)
            y += sub_h
            for item in group:
                text = _pdf_text(ex.checklist_text(item.key, self.plan, self.lang))
                h = self.para(text_x, y, text_w, text, d.small, dry=True)
                reserve = note_h if shown + 1 < total else 0
                if y + h > bottom - reserve:
                    return y + self.more(x, y, w, total - shown)
                self.checkbox(x, y + (_lh(d.small) - box) / 2, box, item.blocking, item.done)
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
        text = _pdf_text(ex.disclosure(self.plan, self.lang))
        inner = w - 6
        title_h = _lh(d.small) + 0.6
        body_h = self.para(x + 3.5, y, inner, text, d.small, dry=True)
        box_h = title_h + body_h + 4
        self.fill(_tint(PRIMARY, 0.08))
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
        caveats = [_pdf_text(c) for c in ex.notes(self.plan, self.lang)]
        caveats += [_pdf_text(self.edited_line(f)) for f in self.plan.assumptions.edited()]
        if not caveats:
            return y
        y = self.heading(x, y, w, self.tr("report.section.caveats"))
        note_h = _lh(d.fine) + 0.5
        for i, caveat in enumerate(caveats):
            h = self.para(x + 3, y, w - 3, caveat, d.fine, dry=True)
            reserve = note_h if i + 1 < len(caveats) else 0
            if y + h > bottom - reserve:
                return y + self.more(x, y, w, len(caveats) - i)
            self.fill(FAINT)
            pdf.circle(x + 0.8, y + _lh(d.fine) / 2, 0.45, style="F")
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
            else self.tr("report.source.creators", source=_pdf_text(plan.data_source)[:80])
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


def _nice_step(top: float, ticks: int = 4) -> float:
    """A round gridline step (1, 2, 2.5 or 5 x 10^k) giving about `ticks` intervals up to `top`."""
    raw = max(top, 1e-9) / ticks
    magnitude = 10 ** math.floor(math.log10(raw))
    return next(m * magnitude for m in (1, 2, 2.5, 5, 10) if raw <= m * magnitude * (1 + 1e-9))


def _week_step(weeks: int) -> int:
    return next((s for s in (1, 2, 4, 8, 13, 26, 52) if weeks / s <= 6), 52)


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
