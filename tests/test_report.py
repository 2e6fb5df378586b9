"""The one-page PDF report: one A4 page, in the plan's language, whatever the plan holds.

Text is checked without any PDF library: with `compress=False` the page content stream is plain,
and core-font text sits in it as `(...) Tj` literal strings (Windows-1252 bytes).
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pandas as pd
import pytest

from advisor import CampaignBrief, Goal, recommend
from advisor.advice.plan import Note, Plan
from advisor.present import explain as ex
from advisor.present.report import DENSITIES, ENCODING, _pdf_text, _Report, plan_report_pdf

CREATORS = Path(__file__).resolve().parents[1] / "advisor" / "data" / "creators.csv"
LONG_BRIEF = CampaignBrief(
    goal="brand_awareness",
    budget=250_000,
    currency="EUR",
    weeks=104,
    advocates=0,
    accounts_ready=False,
    region="FR",
    platforms=["instagram", "tiktok", "youtube", "x", "linkedin", "blog"],
)


@cache
def _plan(goal: str = "product_launch", **brief: object) -> Plan:
    return recommend(CampaignBrief(goal=goal, **brief))


@cache
def _long() -> Plan:
    return recommend(LONG_BRIEF)


def _pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))


_ESCAPES = {ord("n"): "\n", ord("r"): "\r", ord("t"): "\t", ord("b"): "\b", ord("f"): "\f"}


def _shown_text(pdf: bytes) -> str:
    """Every `(...) Tj` string of the uncompressed content, decoded and joined by spaces."""
    strings, i = [], 0
    while (start := pdf.find(b"(", i)) != -1:
        depth, j, out = 1, start + 1, bytearray()
        while depth:
            c = pdf[j]
            if c == ord("\\"):
                nxt = pdf[j + 1]
                octal = re.match(rb"[0-7]{1,3}", pdf[j + 1 : j + 4])
                if octal:
                    out.append(int(octal.group(), 8))
                    j += 1 + len(octal.group())
                    continue
                out += _ESCAPES.get(nxt, chr(nxt)).encode("latin-1")
                j += 2
                continue
            depth += (c == ord("(")) - (c == ord(")"))
            if depth:
                out.append(c)
            j += 1
        if re.match(rb"\s*Tj", pdf[j : j + 4]):
            strings.append(out.decode(ENCODING))
        i = j
    return _normal(" ".join(strings))


def _normal(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split())


def _check(plan: Plan, lang: str = "en") -> str:
    pdf = plan_report_pdf(plan, lang, compress=False)
    assert pdf.startswith(b"%PDF")
    assert _pages(pdf) == 1
    text = _shown_text(pdf)
    assert _normal(_pdf_text(ex.headline(plan, lang))) in text
    return text


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("goal", [g.value for g in Goal])
def test_every_goal_in_both_languages_fits_one_page(goal, lang):
    plan = _plan(goal)
    text = _check(plan, lang)
    assert _normal(_pdf_text(ex.disclosure(plan, lang))) in text
    assert _normal(_pdf_text(ex.objective_label(plan, lang))) in text
    title = {"en": "Creator campaign plan", "fr": "Plan de campagne créateurs"}[lang]
    assert title in text


def test_default_output_is_compressed_and_still_one_page():
    pdf = plan_report_pdf(_plan())
    assert pdf.startswith(b"%PDF") and b"/FlateDecode" in pdf
    assert _pages(pdf) == 1


def test_long_french_plan_fits_and_keeps_its_key_parts():
    plan = _long()
    assert len(plan.notes) >= 3
    text = _check(plan, "fr")
    for item in plan.checklist:
        assert _normal(_pdf_text(ex.checklist_text(item.key, plan, "fr"))) in text
    assert "Bloquant" in text
    assert "Points de vigilance".upper() in text


def test_overfull_plan_is_truncated_to_one_page_with_a_note():
    plan = _long()
    plan = plan.model_copy(
        update={
            "notes": plan.notes * 4,
            "checklist": plan.checklist * 3,
            "factors": plan.factors * 2,
        }
    )
    text = _check(plan, "fr")
    assert "de plus dans l'application" in text


def test_plan_without_ambassador_budget():
    plan = _plan("event", budget=20_000, weeks=6)
    assert plan.split["ambassador"] == 0 and plan.ambassador.budget == 0
    text = _check(plan)
    assert "not used in this plan" in text


def test_plan_without_influencer_budget_and_a_one_week_campaign():
    plan = _plan("contest", weeks=1)
    _check(plan, "fr")
    no_influencers = plan.model_copy(
        update={
            "split": {"influencer": 0.0, "ambassador": 1.0},
            "influencer": plan.influencer.model_copy(update={"budget": 0.0, "creators": 0}),
        }
    )
    _check(no_influencers, "fr")


def test_hostile_creator_handles_and_text_do_not_break_the_report():
    table = pd.read_csv(CREATORS)
    table["handle"] = [
        f"<script>alert({i})</script>" if i % 2 else f"=cmd|' /C calc'!A{i}"
        for i in range(len(table))
    ]
    plan = recommend(CampaignBrief(goal="product_launch", budget=30_000, weeks=8), creators=table)
    assert plan.influencer.handles or plan.ambassador.handles
    _check(plan)
    weird = plan.model_copy(
        update={
            "data_source": "<script>alert('x')</script>.csv\n=HYPERLINK()",
            "notes": [
                Note(
                    key="fx",
                    values={
                        "rate": 0.92,
                        "currency": "🚀 Launch ≥ 10\u202f% — “ok” ‘fine’ … €5\u200b\x00 Ω "
                        "中文 ﬁx (a) \\ end",
                    },
                ),
                Note(
                    key="fx",
                    values={"rate": 1.0, "currency": "\ud800 lone surrogate tab\tand\r\nnewline"},
                ),
            ],
        }
    )
    text = _check(weird)
    assert "Launch >= 10" in text and "€5" in text and "fix (a) \\ end" in text
    assert weird.data_source[:20] in text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("l’été — 12,5\u202fk€ … « oui »", "l’été — 12,5\u00a0k€ … « oui »"),
        ("≥ 3 → ≤ 4", ">= 3 -> <= 4"),
        ("ﬁn ① Ａ", "fin 1 A"),
        ("emoji 🚀 and 中", "emoji ? and ?"),
        ("a\x00b\tc\nd", "a b c d"),
        (None, ""),
        (12.5, "12.5"),
    ],
)
def test_pdf_text_maps_to_printable_windows_1252(raw, expected):
    assert _pdf_text(raw) == expected


def test_pdf_text_never_raises_and_is_always_encodable():
    sample = "".join(chr(c) for c in range(0, 0x3000, 7)) + "\ud800\udfff" + "👩‍💻"
    _pdf_text(sample).encode(ENCODING)


def test_content_stays_above_the_footer_at_every_density():
    plan = _long()
    for density in DENSITIES:
        report = _Report(plan, "fr", density, compress=True)
        report.render()
        assert report.pdf.pages_count == 1
        assert report.spare > -1.5  # only the spacing after the last item may reach the footer


def test_edited_assumptions_are_marked_in_the_report():
    from advisor import Assumptions

    plan = recommend(
        CampaignBrief(goal="event", weeks=6),
        assumptions=Assumptions(overrides={"cost.instagram.micro": 250.0}),
    )
    text = _check(plan)
    assert "Edited assumption: Cost per post · Instagram · Micro = 250 (default 300)" in text
    assert "Edited assumption" not in _check(_plan("event", weeks=6))


def test_money_in_the_brief_currency_and_the_chart_legend_as_on_the_page():
    from advisor.locale.formatting import money
    from advisor.locale.i18n import t

    plan = _plan("product_launch", budget=20_000, currency="EUR", weeks=8)
    assert plan.split["influencer"] == 1.0
    text = _check(plan, "fr")
    assert _normal(_pdf_text(money(plan.brief.budget, "EUR", "fr"))) in text
    # the plan's line is also the influencers' line: drawn once and named for both, as on the page
    same = t("chart.same_as", "fr", plan=t("strategy.recommended", "fr"),
             strategy=t("strategy.phrase.influencer", "fr"))  # fmt: skip
    assert _normal(_pdf_text(same)) in text
    rec = plan.projection.get("recommended")
    unit = money(rec.cost_per_result, "EUR", "fr", precise=True)
    assert _normal(_pdf_text(unit)) in text  # a unit cost under 1 € keeps its cents
