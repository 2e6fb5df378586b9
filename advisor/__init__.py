"""Campaign-planning advisor: the domain core (no Streamlit here, usable from a notebook).

>>> from advisor import CampaignBrief, recommend
>>> plan = recommend(CampaignBrief(goal="event", budget=20_000, currency="EUR", weeks=6))
>>> plan.strategy
<Strategy.INFLUENCER: 'influencer'>
"""

from advisor.advice.actuals import Comparison
from advisor.advice.actuals import compare as compare_results
from advisor.advice.budgets import BudgetAnswer, budget_for_cost, budget_for_target
from advisor.advice.calibration import Calibration, calibrate
from advisor.advice.certify import (
    AllocationProjection,
    Certificate,
    allocation_frame,
    certificate,
    project_allocation,
)
from advisor.advice.curves import ResponseCurves, response_curves
from advisor.advice.plan import NamedCreator, Note, Plan, PlanLine, Strategy
from advisor.advice.recommend import project, recommend
from advisor.advice.search import Search
from advisor.advice.whatif import WhatIfGrid, what_if_grid
from advisor.creators.ingest import CreatorLoad, IngestError, load_creators
from advisor.creators.results import ResultsLoad, read_results
from advisor.creators.shortlist import Shortlist, ShortlistRules, optimise_shortlist
from advisor.creators.table import CreatorTable, creator_table
from advisor.locale.i18n import t
from advisor.model.assumptions import Assumptions
from advisor.model.brief import CampaignBrief, Currency, Goal, Platform, Region
from advisor.model.data import SAMPLE_CREATORS
from advisor.model.projection import Projection

__all__ = [
    "SAMPLE_CREATORS",
    "AllocationProjection",
    "Assumptions",
    "BudgetAnswer",
    "Calibration",
    "CampaignBrief",
    "Certificate",
    "Comparison",
    "CreatorLoad",
    "CreatorTable",
    "Currency",
    "Goal",
    "IngestError",
    "NamedCreator",
    "Note",
    "Plan",
    "PlanLine",
    "Platform",
    "Projection",
    "Region",
    "ResponseCurves",
    "ResultsLoad",
    "Search",
    "Shortlist",
    "ShortlistRules",
    "Strategy",
    "WhatIfGrid",
    "allocation_frame",
    "budget_for_cost",
    "budget_for_target",
    "calibrate",
    "certificate",
    "compare_results",
    "creator_table",
    "load_creators",
    "open_store",
    "optimise_shortlist",
    "project",
    "project_allocation",
    "read_results",
    "recommend",
    "response_curves",
    "t",
    "what_if_grid",
]


def __getattr__(name: str) -> object:
    """`advisor.open_store`, imported on first use (SQLAlchemy and Alembic load only then)."""
    if name == "open_store":
        from advisor.store import open_store

        return open_store
    raise AttributeError(f"module 'advisor' has no attribute {name!r}")
