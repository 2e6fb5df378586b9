"""Page state: the language, the brief and edited assumptions from the URL, cached plans.

The URL is the single source of truth for the brief, so a copied link reproduces the plan.
Plans hold no text, so they are cached without the language: switching language re-renders.
"""

from __future__ import annotations

import streamlit as st

from advisor import Assumptions, CampaignBrief, Plan, recommend
from advisor.advice.whatif import WhatIfGrid, what_if_grid
from advisor.locale.i18n import LANGUAGES, Language
from advisor.sharing.links import (
    ASSUMPTION_PREFIX,
    assumptions_from_query,
    assumptions_to_query,
    brief_from_query,
    brief_to_query,
)

# plotly's toolbar covers legends on phones and is noise for marketers
CHART_CONFIG = {"displaylogo": False, "responsive": True, "displayModeBar": False}


def language() -> Language:
    """`lang` from the URL; English when missing or unknown."""
    value = st.query_params.get("lang", "en")
    return value if value in LANGUAGES else "en"  # type: ignore[return-value]


def _params() -> dict[str, list[str]]:
    return {k: st.query_params.get_all(k) for k in st.query_params}


def brief_from_url() -> tuple[CampaignBrief, list[str]]:
    return brief_from_query(_params())


def assumptions_from_url() -> tuple[Assumptions, list[str]]:
    return assumptions_from_query(_params())


def write_brief_to_url(brief: CampaignBrief) -> None:
    """Replace the brief parameters in the address bar, keeping the others (language, page)."""
    if brief.order_value is None and "order_value" in st.query_params:
        del st.query_params["order_value"]
    st.query_params.update(brief_to_query(brief))


def write_assumptions_to_url(assumptions: Assumptions) -> None:
    for name in [k for k in st.query_params if k.startswith(ASSUMPTION_PREFIX)]:
        del st.query_params[name]
    st.query_params.update(assumptions_to_query(assumptions))


def share_link(brief: CampaignBrief, assumptions: Assumptions, lang: str) -> str:
    """Absolute link when the server knows its address, otherwise the query string."""
    from urllib.parse import urlencode

    query = urlencode(
        {**brief_to_query(brief), **assumptions_to_query(assumptions), "lang": lang}, safe=",."
    )
    try:
        base = (st.context.url or "").split("?")[0]
    except Exception:
        base = ""
    return f"{base}?{query}"


@st.cache_data(max_entries=128, ttl=3600, show_spinner=False)
def cached_plan(brief_json: str, assumptions_json: str) -> str:
    """Plans are pure functions of (brief, assumptions): cache their JSON."""
    plan = recommend(
        CampaignBrief.model_validate_json(brief_json),
        assumptions=Assumptions.model_validate_json(assumptions_json),
    )
    return plan.model_dump_json()


def plan_for(brief: CampaignBrief, assumptions: Assumptions) -> Plan:
    return Plan.model_validate_json(
        cached_plan(brief.model_dump_json(), assumptions.model_dump_json())
    )


@st.cache_data(max_entries=32, ttl=3600, show_spinner=False)
def cached_grid(brief_json: str, assumptions_json: str) -> str:
    grid = what_if_grid(
        CampaignBrief.model_validate_json(brief_json),
        Assumptions.model_validate_json(assumptions_json),
    )
    return grid.model_dump_json()


def grid_for(brief: CampaignBrief, assumptions: Assumptions) -> WhatIfGrid:
    return WhatIfGrid.model_validate_json(
        cached_grid(brief.model_dump_json(), assumptions.model_dump_json())
    )
