"""The planner page."""

from __future__ import annotations

import streamlit as st

from advisor import CampaignBrief, recommend


def main() -> None:
    st.set_page_config(page_title="Campaign advisor", layout="wide")
    plan = recommend(CampaignBrief())
    st.title("Campaign advisor")
    st.write(plan.headline)
