"""The brief form, shared by every page: it reads the brief from the URL and writes a valid
submitted brief back to it, so all pages read and edit the same brief."""

from __future__ import annotations

import streamlit as st
from pydantic import ValidationError

from advisor import CampaignBrief, Currency, Goal, Platform, Region
from advisor.locale.formatting import number, parse_number
from advisor.locale.i18n import t
from advisor.sharing.links import brief_errors
from advisor.ui import state
from advisor.ui.markdown import plain

ERRORS_KEY = "brief_errors"


def edit_brief(lang: str) -> tuple[CampaignBrief, list[str]]:
    """The brief in force and the URL fields that could not be read. Draws the form in the
    sidebar; a submitted, valid brief replaces the URL's. Errors of a rejected submit are shown
    in the form and, by `show_form_errors`, at the top of the page, where the user is looking."""
    brief, bad = state.brief_from_url()
    with st.sidebar:
        submitted = brief_form(brief, lang)
    if submitted is not None:
        state.write_brief_to_url(submitted)
        if "plan" in st.query_params:  # a saved plan's link reads; an edited brief is a draft
            del st.query_params["plan"]
        return submitted, []
    return brief, bad


def show_form_errors(lang: str) -> None:
    """A rejected submit: say so at the top of the main area (the old plan below stays)."""
    errors = st.session_state.get(ERRORS_KEY)
    if errors:
        st.error(
            t("form.rejected", lang) + "\n\n" + "\n".join(f"- {e}" for e in errors),
            icon=":material/error:",
        )


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
            key=f"brief.goal.{lang}",  # re-labelled when the language changes
        )
        col1, col2 = st.columns([3, 2])
        budget = col1.text_input(
            t("field.budget", lang),
            value=number(brief.budget, lang, 0 if brief.budget == int(brief.budget) else 2),
            help=t("help.budget", lang),
            key=f"brief.budget.{lang}",
        )
        currency = col2.selectbox(
            t("field.currency", lang),
            list(Currency),
            index=list(Currency).index(brief.currency),
            format_func=lambda c: c.value,
            help=t("help.currency", lang),
            key=f"brief.currency.{lang}",
        )
        weeks = st.number_input(
            t("field.weeks", lang),
            min_value=1,
            max_value=104,
            value=int(brief.weeks),
            step=1,
            help=t("help.weeks", lang),
            key=f"brief.weeks.{lang}",
        )
        audience = st.text_input(
            t("field.audience", lang),
            value=number(brief.audience, lang),
            help=t("help.audience", lang),
            key=f"brief.audience.{lang}",
        )
        platforms = st.multiselect(
            t("field.platforms", lang),
            list(Platform),
            default=list(brief.platforms),
            format_func=lambda p: t(f"platform.{p.value}", lang),
            help=t("help.platforms", lang),
            key=f"brief.platforms.{lang}",
        )
        advocates = st.number_input(
            t("field.advocates", lang),
            min_value=0,
            max_value=100_000_000,
            value=int(brief.advocates),
            step=10,
            help=t("help.advocates", lang),
            key=f"brief.advocates.{lang}",
        )
        order_value = st.number_input(
            t("field.order_value", lang),
            min_value=0.0,
            value=float(brief.order_value) if brief.order_value else None,
            step=5.0,
            format="%.2f",
            help=t("help.order_value", lang),
            key=f"brief.order_value.{lang}",
        )
        accounts_ready = st.toggle(
            t("field.accounts_ready", lang),
            value=brief.accounts_ready,
            help=t("help.accounts_ready", lang),
            key=f"brief.accounts_ready.{lang}",
        )
        region = st.selectbox(
            t("field.region", lang),
            list(Region),
            index=list(Region).index(brief.region),
            format_func=lambda r: t(f"region.{r.value}", lang),
            help=t("help.region", lang),
            key=f"brief.region.{lang}",
        )
        submitted = st.form_submit_button(t("form.submit", lang), type="primary", width="stretch")
    if not submitted:
        return None
    st.session_state.pop(ERRORS_KEY, None)
    typed: dict[str, float | str] = {}
    unreadable = []
    for field, text in (("budget", budget), ("audience", audience)):
        try:
            typed[field] = parse_number(text, lang)
        except ValueError:
            label = t(f"field.{field}", lang)
            unreadable.append(t("form.not_a_number", lang, field=label, value=plain(text)))
            typed[field] = text
    if unreadable:
        for message in unreadable:
            st.error(message)
        st.session_state[ERRORS_KEY] = unreadable
        return None
    try:
        return CampaignBrief(
            goal=goal,
            budget=typed["budget"],
            currency=currency,
            weeks=weeks,
            audience=typed["audience"],
            platforms=platforms,
            advocates=advocates,
            accounts_ready=accounts_ready,
            region=region,
            order_value=order_value or None,
        )
    except ValidationError as error:
        errors = list(brief_errors(error, lang).values())
        for message in errors:
            st.error(message)
        st.session_state[ERRORS_KEY] = errors
        return None
