"""The planner page: brief form -> headline, reasons, reach, budget, checklist, downloads."""

from __future__ import annotations

import pandas as pd
import streamlit as st
from pydantic import ValidationError

from advisor import CampaignBrief, Currency, Goal, Plan, Platform, Region
from advisor.charts import budget_chart, factors_chart, reach_chart, tier_chart, what_if_chart
from advisor.formatting import compact, money, percent
from advisor.i18n import t
from advisor.share import brief_errors
from advisor.ui import state

CHART_CONFIG = state.CHART_CONFIG


def render() -> None:
    lang = state.language()
    brief, bad = state.brief_from_url()
    with st.sidebar:
        submitted_brief = brief_form(brief, lang)
    if submitted_brief is not None:
        brief, bad = submitted_brief, []
        state.write_brief_to_url(brief)

    st.title(t("app.title", lang))
    st.caption(t("app.tagline", lang))
    if bad:
        names = ", ".join(t(f"field.{f}", lang) for f in bad)
        params = ", ".join(f"`{f}`" for f in bad)  # the URL's own names, for whoever built the link
        st.warning(
            t("url.bad_fields", lang, fields=names, params=params), icon=":material/warning:"
        )

    with st.spinner(t("plan.computing", lang)):
        plan = state.plan_for(brief, lang)
    headline(plan)
    reasons(plan)
    reach(plan)
    budget(plan)
    checklist(plan)
    what_would_change(plan)
    downloads(plan)


# --- the brief ---------------------------------------------------------------------------


def brief_form(brief: CampaignBrief, lang: str) -> CampaignBrief | None:
    """The brief as a form; returns the new brief on a valid submit, otherwise None."""
    st.header(t("form.title", lang))
    with st.form("brief", border=False):
        goal = st.selectbox(
            t("field.goal", lang),
            list(Goal),
            index=list(Goal).index(brief.goal),
            format_func=lambda g: t(f"goal.{g.value}", lang),
            help=t("help.goal", lang),
            key="brief.goal",  # same widget when its URL default changes
        )
        col1, col2 = st.columns([3, 2])
        budget = col1.number_input(
            t("field.budget", lang),
            min_value=0.0,
            value=float(brief.budget),
            step=1000.0,
            format="%.0f",
            help=t("help.budget", lang),
            key="brief.budget",  # same widget when its URL default changes
        )
        currency = col2.selectbox(
            t("field.currency", lang),
            list(Currency),
            index=list(Currency).index(brief.currency),
            format_func=lambda c: c.value,
            help=t("help.currency", lang),
            key="brief.currency",  # same widget when its URL default changes
        )
        weeks = st.number_input(
            t("field.weeks", lang),
            min_value=1,
            max_value=104,
            value=int(brief.weeks),
            step=1,
            help=t("help.weeks", lang),
            key="brief.weeks",  # same widget when its URL default changes
        )
        audience = st.number_input(
            t("field.audience", lang),
            min_value=1_000,
            max_value=2_000_000_000,
            value=int(brief.audience),
            step=50_000,
            help=t("help.audience", lang),
            key="brief.audience",  # same widget when its URL default changes
        )
        platforms = st.multiselect(
            t("field.platforms", lang),
            list(Platform),
            default=list(brief.platforms),
            format_func=lambda p: t(f"platform.{p.value}", lang),
            help=t("help.platforms", lang),
            key="brief.platforms",  # same widget when its URL default changes
        )
        advocates = st.number_input(
            t("field.advocates", lang),
            min_value=0,
            max_value=100_000_000,
            value=int(brief.advocates),
            step=10,
            help=t("help.advocates", lang),
            key="brief.advocates",  # same widget when its URL default changes
        )
        accounts_ready = st.toggle(
            t("field.accounts_ready", lang),
            value=brief.accounts_ready,
            help=t("help.accounts_ready", lang),
            key="brief.accounts_ready",  # same widget when its URL default changes
        )
        region = st.selectbox(
            t("field.region", lang),
            list(Region),
            index=list(Region).index(brief.region),
            format_func=lambda r: t(f"region.{r.value}", lang),
            help=t("help.region", lang),
            key="brief.region",  # same widget when its URL default changes
        )
        submitted = st.form_submit_button(t("form.submit", lang), type="primary", width="stretch")
    if not submitted:
        return None
    try:
        return CampaignBrief(
            goal=goal,
            budget=budget,
            currency=currency,
            weeks=weeks,
            audience=audience,
            platforms=platforms,
            advocates=advocates,
            accounts_ready=accounts_ready,
            region=region,
        )
    except ValidationError as error:
        for message in brief_errors(error, lang).values():
            st.error(message)
        return None


# --- the plan ----------------------------------------------------------------------------


def headline(plan: Plan) -> None:
    lang, cur = plan.language, plan.brief.currency
    recommended = plan.projection.get("recommended")
    with st.container(border=True):
        st.subheader(t(f"plan.title.{plan.strategy.value}", lang))
        st.markdown(f"**{plan.headline}**")
        # a wrapping row: four across on a laptop, two by two on a phone
        row = st.container(horizontal=True, horizontal_alignment="distribute", gap="medium")
        c1 = c2 = c3 = c4 = row
        c1.metric(
            t("strategy.influencer", lang),
            money(plan.brief.budget * plan.split["influencer"], cur, lang),
            percent(plan.split["influencer"], lang),
            delta_color="off",
            delta_arrow="off",
            width=150,
        )
        c2.metric(
            t("strategy.ambassador", lang),
            money(plan.brief.budget * plan.split["ambassador"], cur, lang),
            percent(plan.split["ambassador"], lang),
            delta_color="off",
            delta_arrow="off",
            width=150,
        )
        c3.metric(
            t("plan.confidence", lang),
            t(f"confidence.{plan.confidence_label}", lang).capitalize(),
            percent(plan.confidence, lang),
            delta_color="off",
            delta_arrow="off",
            help=t("help.confidence", lang),
            width=150,
        )
        c4.metric(
            t("plan.reach", lang),
            compact(recommended.final_reach, lang),
            t(
                "plan.reach_range",
                lang,
                low=compact(recommended.reach_p10[-1], lang),
                high=compact(recommended.reach_p90[-1], lang),
            ),
            delta_color="off",
            delta_arrow="off",
            help=t("help.reach", lang),
            width=150,
        )
        st.caption(_programme_summary(plan))
        with st.popover(t("share.button", lang), icon=":material/link:"):
            st.caption(t("share.caption", lang))
            st.code(state.share_link(plan.brief, lang), language=None, wrap_lines=True)


def _programme_summary(plan: Plan) -> str:
    lang, cur = plan.language, plan.brief.currency
    parts = []
    if plan.influencer.creators:
        parts.append(
            t(
                "plan.influencer_summary",
                lang,
                creators=plan.influencer.creators,
                posts=plan.influencer.posts,
                spend=money(plan.influencer.spend, cur, lang),
            )
        )
    if plan.ambassador.ambassadors:
        parts.append(
            t(
                "plan.ambassador_summary",
                lang,
                ambassadors=plan.ambassador.ambassadors,
                posts=compact(plan.ambassador.posts, lang),
                spend=money(plan.ambassador.spend, cur, lang),
            )
        )
    return " · ".join(parts) or t("plan.nothing_affordable", lang)


def reasons(plan: Plan) -> None:
    lang = plan.language
    st.header(t("section.why", lang))
    left, right = st.columns([5, 6], gap="large")
    with left:
        st.plotly_chart(factors_chart(plan), width="stretch", config=CHART_CONFIG)
    with right:
        lines = []
        for factor in plan.rationale:
            arrow = {"influencer": "→", "ambassador": "←", "neutral": "·"}[factor.direction.value]
            direction = t(f"direction.{factor.direction.value}", lang)
            lines.append(f"**{factor.label}** {arrow} *{direction}*  \n{factor.sentence}")
        st.markdown("\n\n".join(lines))


def reach(plan: Plan) -> None:
    lang, cur = plan.language, plan.brief.currency
    st.header(t("section.reach", lang))
    st.caption(t("reach.caption", lang))
    st.plotly_chart(reach_chart(plan), width="stretch", config=CHART_CONFIG)
    summary = plan.projection.summary()
    table = pd.DataFrame(
        {
            t("table.strategy", lang): [t(f"strategy.{s}", lang) for s in summary["strategy"]],
            t("table.reach", lang): [
                f"{compact(m, lang)} ({compact(lo, lang)}–{compact(hi, lang)})"
                for m, lo, hi in zip(
                    summary["reach_p50"], summary["reach_p10"], summary["reach_p90"], strict=True
                )
            ],
            t("table.impressions", lang): [compact(v, lang) for v in summary["impressions_p50"]],
            t("table.engagements", lang): [compact(v, lang) for v in summary["engagements_p50"]],
            t("table.spend", lang): [money(v, cur, lang) for v in summary["spend"]],
            t("table.cpm", lang): [
                _money_or_dash(v, cur, lang, 2) for v in summary["cost_per_thousand_reached"]
            ],
            t("table.cpe", lang): [
                _money_or_dash(v, cur, lang, 3) for v in summary["cost_per_engagement"]
            ],
        }
    )
    st.dataframe(table, hide_index=True, width="stretch")


def _money_or_dash(value: float | None, cur: Currency, lang: str, digits: int) -> str:
    if value is None or pd.isna(value):
        return "–"
    if value < 100:
        text = f"{value:.{digits}f}".rstrip("0").rstrip(".")
        text = text.replace(".", ",") if lang == "fr" else text
        return f"{text} {cur.symbol}" if lang == "fr" else f"{cur.symbol}{text}"
    return money(value, cur, lang)


def budget(plan: Plan) -> None:
    lang, cur = plan.language, plan.brief.currency
    st.header(t("section.budget", lang))
    left, right = st.columns(2, gap="large")
    with left:
        st.plotly_chart(budget_chart(plan), width="stretch", config=CHART_CONFIG)
    with right:
        if plan.influencer.creators:
            st.markdown(f"**{t('budget.by_tier', lang)}**")
            st.plotly_chart(tier_chart(plan), width="stretch", config=CHART_CONFIG)
        if plan.ambassador.ambassadors:
            a = plan.ambassador
            st.markdown(f"**{t('budget.programme', lang)}**")
            rows = [
                (t("budget.ambassadors", lang), f"{a.ambassadors} / {a.available}"),
                (t("budget.posts_per_week", lang), compact(a.posts_per_week, lang)),
                (t("budget.perks", lang), money(a.perks, cur, lang)),
                (t("budget.commissions", lang), money(a.commissions, cur, lang)),
                (t("budget.management", lang), money(a.management, cur, lang)),
                (t("budget.extras", lang), money(a.extras, cur, lang)),
            ]
            if a.brand_faces:
                rows.append(
                    (
                        t("budget.brand_faces", lang),
                        f"{a.brand_faces} · {money(a.brand_faces_spend, cur, lang)}",
                    )
                )
            st.dataframe(
                pd.DataFrame(rows, columns=[t("table.item", lang), t("table.value", lang)]),
                hide_index=True,
                width="stretch",
            )
        if plan.reserve > 0:
            st.caption(t("budget.reserve_note", lang, reserve=money(plan.reserve, cur, lang)))


def checklist(plan: Plan) -> None:
    lang = plan.language
    st.header(t("section.checklist", lang))
    left, right = st.columns([3, 2], gap="large")
    with left:
        for item in plan.checklist:
            mark = (
                ":material/check_circle:"
                if item.done
                else (
                    ":red[:material/error:]"
                    if item.blocking
                    else ":material/radio_button_unchecked:"
                )
            )
            tag = f" — *{t('check.blocking', lang)}*" if item.blocking and not item.done else ""
            st.markdown(f"{mark} {item.text}{tag}")
    with right:
        st.info(plan.disclosure, icon=":material/gavel:")
        with st.expander(t("section.caveats", lang), expanded=True):
            for caveat in plan.caveats:
                st.markdown(f"- {caveat}")


def what_would_change(plan: Plan) -> None:
    lang = plan.language
    st.header(t("section.what_if", lang))
    left, right = st.columns([3, 2], gap="large")
    with left:
        st.plotly_chart(what_if_chart(plan), width="stretch", config=CHART_CONFIG)
    with right:
        if plan.what_if:
            for change in plan.what_if:
                st.markdown(f"- {change.sentence}")
        else:
            st.caption(t("what_if.none", lang))


def downloads(plan: Plan) -> None:
    from advisor.exports import to_csv_bytes

    lang = plan.language
    st.header(t("section.downloads", lang))
    stem = f"plan-{plan.brief.goal.value}-{plan.brief.weeks}w"
    c1, c2, c3 = st.columns(3)
    c1.download_button(
        t("download.json", lang),
        plan.model_dump_json(indent=2),
        f"{stem}.json",
        "application/json",
        on_click="ignore",
        icon=":material/data_object:",
        width="stretch",
    )
    c2.download_button(
        t("download.csv", lang),
        to_csv_bytes(plan.projection.to_frame()),
        f"{stem}-weekly.csv",
        "text/csv",
        on_click="ignore",
        icon=":material/table_view:",
        width="stretch",
    )
    c3.download_button(
        t("download.pdf", lang),
        _report(plan.model_dump_json()),
        f"{stem}.pdf",
        "application/pdf",
        on_click="ignore",
        icon=":material/picture_as_pdf:",
        width="stretch",
    )


@st.cache_data(max_entries=32, ttl=3600, show_spinner=False)
def _report(plan_json: str) -> bytes:
    from advisor.report import plan_report_pdf

    return plan_report_pdf(Plan.model_validate_json(plan_json))
