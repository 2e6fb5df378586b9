"""App shell: page config, language switch and navigation between the planner and creator lists."""

from __future__ import annotations

import streamlit as st

from advisor.locale.i18n import LANGUAGES, t
from advisor.ui import creators, planner, state

LANGUAGE_NAMES = {"en": "English", "fr": "Français"}


def main() -> None:
    st.set_page_config(
        page_title="Campaign advisor",
        page_icon="📣",  # an emoji: a Material page icon is fetched from a font server
        layout="wide",
        initial_sidebar_state="auto",
    )
    lang = state.language()
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
    pages = [
        st.Page(
            planner.render,
            title=t("nav.planner", lang),
            icon=":material/explore:",
            url_path="plan",
            default=True,
        ),
        st.Page(
            creators.render,
            title=t("nav.creators", lang),
            icon=":material/groups:",
            url_path="creators",
        ),
    ]
    st.navigation(pages, position="sidebar" if len(pages) > 1 else "hidden").run()
