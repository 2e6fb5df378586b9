"""Page state: the language, the brief from the URL, and cached computations.

The URL is the single source of truth for the brief, so a copied link reproduces the plan.
"""

from __future__ import annotations

import streamlit as st

from advisor import CampaignBrief, Plan, recommend
from advisor.i18n import LANGUAGES, Language
from advisor.share import brief_from_query, brief_to_query

# plotly's toolbar covers legends on phones and is noise for marketers
CHART_CONFIG = {"displaylogo": False, "responsive": True, "displayModeBar": False}


def language() -> Language:
    """`lang` from the URL; English when missing or unknown."""
    value = st.query_params.get("lang", "en")
    return value if value in LANGUAGES else "en"  # type: ignore[return-value]


def brief_from_url() -> tuple[CampaignBrief, list[str]]:
    params = {k: st.query_params.get_all(k) for k in st.query_params}
    return brief_from_query(params)


def write_brief_to_url(brief: CampaignBrief) -> None:
    """Replace the brief parameters in the address bar, keeping the others (language, page)."""
    st.query_params.update(brief_to_query(brief))


def share_link(brief: CampaignBrief, lang: str) -> str:
    """Absolute link when the server knows its address, otherwise the query string."""
    query = "&".join(f"{k}={v}" for k, v in {**brief_to_query(brief), "lang": lang}.items())
    base = ""
    try:
        url = st.context.url or ""
        base = url.split("?")[0]
    except Exception:
        base = ""
    return f"{base}?{query}"


@st.cache_data(max_entries=128, ttl=3600, show_spinner=False)
def cached_plan(brief_json: str, lang: str) -> str:
    """Plans are pure functions of (brief, language): cache their JSON."""
    return recommend(CampaignBrief.model_validate_json(brief_json), lang=lang).model_dump_json()


def plan_for(brief: CampaignBrief, lang: str) -> Plan:
    return Plan.model_validate_json(cached_plan(brief.model_dump_json(), lang))
