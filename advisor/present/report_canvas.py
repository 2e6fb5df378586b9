"""The drawing surface of the PDF report: page geometry, colours, densities, text that the PDF
core fonts can always print, and the primitives (fitted lines, wrapped paragraphs, headings) that
the page layout (`report`) and the reach chart (`report_chart`) draw with.

Text uses the PDF core font Helvetica with the Windows-1252 encoding: it needs no font file, so
the report works on any machine, and it still prints € ’ “ ” – — … œ. `pdf_text` maps every
other character to a safe stand-in, so no plan text can make the report fail.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass

from fpdf import FPDF
from fpdf.enums import MethodReturnValue

from advisor.advice.plan import Plan
from advisor.locale.formatting import compact, money, percent
from advisor.locale.i18n import t

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


def tint(rgb: RGB, strength: float) -> RGB:
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


def pdf_text(value: object) -> str:
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
class Density:
    """Font sizes (points) and list lengths for one attempt at fitting the page."""

    title: float
    headline: float
    body: float
    small: float
    fine: float
    reasons: int
    chart_h: float


DENSITIES = (
    Density(title=18, headline=12, body=8.2, small=7.4, fine=6.4, reasons=5, chart_h=62),
    Density(title=17, headline=11.5, body=7.8, small=7.0, fine=6.1, reasons=5, chart_h=58),
    Density(title=16, headline=11, body=7.4, small=6.6, fine=5.8, reasons=4, chart_h=54),
    Density(title=15, headline=10, body=7.0, small=6.2, fine=5.4, reasons=3, chart_h=50),
)


def lh(size: float) -> float:
    """Line height in millimetres for a font size in points."""
    return size * PT * 1.32


class Canvas:
    """One A4 page for `plan` in `lang` at one density, and the primitives to fill it."""

    def __init__(self, plan: Plan, lang: str, density: Density, compress: bool) -> None:
        self.plan = plan
        self.lang = lang
        self.d = density
        self.currency = plan.brief.currency
        self.truncated = False
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
        return pdf_text(t(key, self.lang, **params))

    def money(self, value: float | None, precise: bool = False) -> str:
        """An amount in the brief's currency; `precise`: with cents under 1,000 (unit costs)."""
        if value is None or not math.isfinite(value):
            return "–"
        return pdf_text(money(value, self.currency, self.lang, precise=precise))

    def compact(self, value: float | None) -> str:
        return pdf_text(compact(value, self.lang))  # type: ignore[arg-type]

    def percent(self, share: float) -> str:
        return pdf_text(percent(share, self.lang))

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
        h = lh(size)
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
                w, lh(size), text, align=align, dry_run=dry, output=MethodReturnValue.HEIGHT
            )
        )

    def heading(self, x: float, y: float, w: float, text: str) -> float:
        """Section title with a hairline under it; returns the y below it."""
        size = self.d.body + 1.2
        self.line_text(x, y, w, text.upper(), size, "B", PRIMARY)
        y += lh(size) + 0.4
        self.stroke(RULE, 0.25)
        self.pdf.line(x, y, x + w, y)
        return y + 1.8

    def more(self, x: float, y: float, w: float, count: int) -> float:
        self.truncated = True
        return self.line_text(x, y, w, self.tr("report.more", count=count), self.d.fine, "I", MUTED)
