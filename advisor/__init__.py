"""Campaign-planning advisor: the domain core (no Streamlit here, usable from a notebook).

>>> from advisor import CampaignBrief, recommend
>>> plan = recommend(CampaignBrief(goal="event", budget=20_000, currency="EUR", weeks=6))
>>> plan.strategy
<Strategy.INFLUENCER: 'influencer'>
"""

from advisor.assumptions import Assumptions
from advisor.brief import CampaignBrief, Currency, Goal, Platform, Region
from advisor.i18n import t
from advisor.ingest import load_creators
from advisor.plan import Plan, Strategy
from advisor.projection import Projection
from advisor.recommend import project, recommend
from advisor.shortlist import ShortlistRules, optimise_shortlist
from advisor.whatif import what_if_grid

__all__ = [
    "Assumptions",
    "CampaignBrief",
    "Currency",
    "Goal",
    "Plan",
    "Platform",
    "Projection",
    "Region",
    "ShortlistRules",
    "Strategy",
    "load_creators",
    "optimise_shortlist",
    "project",
    "recommend",
    "t",
    "what_if_grid",
]
