"""App shell: page config, language switch, and navigation that keeps the brief.

Every page reads the same brief, language, creator source and edited assumptions from the URL,
and the links between pages carry them, so moving between pages never loses the brief, and
`/`, `/plan?…` and `/creators?…` are all working links.
"""

from __future__ import annotations

import streamlit as st

from advisor.locale.i18n import LANGUAGES, t
from advisor.ui import creators, planner, state, style, team

LANGUAGE_NAMES = {"en": "English", "fr": "Français"}
NAV = ("plan", "creators", "team")  # the sidebar's links, in order (title and icon: the page's)


def _home() -> None:
    """`/`: the planner (also where a saved plan's link, `/?plan=<id>`, opens)."""
    planner.render()


def _pages(lang: str) -> dict[str, st.Page]:
    return {
        "home": st.Page(_home, title=t("nav.planner", lang), url_path="home", default=True),
        "plan": st.Page(
            planner.render, title=t("nav.planner", lang), icon=":material/explore:", url_path="plan"
        ),
        "creators": st.Page(
            creators.render,
            title=t("nav.creators", lang),
            icon=":material/groups:",
            url_path="creators",
        ),
        "team": st.Page(
            team.render_team_page,
            title=t("nav.team", lang),
            icon=":material/folder_shared:",
            url_path="team",
        ),
    }


def main() -> None:
    st.set_page_config(
        page_title="Campaign advisor",
        page_icon="📣",  # an emoji: a Material page icon is fetched from a font server
        layout="wide",
        # A first visit (no brief in the link) opens the side panel with the brief form, on
        # phones too, so it is the first thing found; a shared link opens on its plan.
        initial_sidebar_state="auto" if state.brief_in_url() else "expanded",
    )
    style.apply()
    lang = state.language()
    pages = _pages(lang)
    state.PAGES.update(pages)
    current = st.navigation(list(pages.values()), position="hidden")
    with st.sidebar:
        chosen = st.segmented_control(
            "Language / Langue",
            list(LANGUAGES),
            default=lang,
            format_func=LANGUAGE_NAMES.get,
            label_visibility="collapsed",
            key="language",
        )
        if chosen and chosen != lang:
            st.query_params["lang"] = chosen
            st.rerun()
        links = st.container()  # filled after the page ran: links carry the brief it settled on
    current.run()
    query = state.shared_query()
    current_page = "plan" if current.url_path in ("home", "plan", "") else current.url_path
    with links:
        for name in NAV:
            st.page_link(pages[name], query_params=query, disabled=name == current_page)
