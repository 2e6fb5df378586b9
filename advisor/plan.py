"""The plan the advisor returns: serialisable, self-contained, equal to itself after a JSON trip."""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from advisor.brief import CampaignBrief
from advisor.projection import Projection

Language = Literal["en", "fr"]


class Strategy(StrEnum):
    INFLUENCER = "influencer"
    AMBASSADOR = "ambassador"
    MIX = "mix"


class Direction(StrEnum):
    INFLUENCER = "influencer"
    AMBASSADOR = "ambassador"
    NEUTRAL = "neutral"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Factor(_Frozen):
    """One reason behind the recommendation, with its pull and where the rule comes from."""

    key: str
    label: str
    direction: Direction
    weight: float = Field(description="Importance of this factor (from data/decision_factors.csv).")
    lean: float = Field(
        ge=-1, le=1, description="+1 fully toward influencers, -1 toward ambassadors."
    )
    contribution: float = Field(description="weight x lean: the factor's push on the decision.")
    sentence: str
    source_id: str


class TierAllocation(_Frozen):
    tier: str
    creators: int = Field(ge=0)
    posts: int = Field(ge=0)
    spend: float = Field(ge=0)
    share: float = Field(ge=0, le=1, description="Target share of the influencer budget.")


class InfluencerPlan(_Frozen):
    budget: float = Field(ge=0)
    spend: float = Field(ge=0)
    creators: int = Field(ge=0)
    posts: int = Field(ge=0)
    posts_per_creator: int = Field(ge=1)
    tiers: list[TierAllocation]
    handles: list[str] = Field(
        default_factory=list, description="Chosen creators, when a list was given."
    )


class AmbassadorPlan(_Frozen):
    budget: float = Field(ge=0)
    spend: float = Field(ge=0)
    ambassadors: int = Field(ge=0)
    available: int = Field(
        ge=0, description="Advocates expected to join (activation rate applied)."
    )
    posts_per_week: float = Field(ge=0, description="Per ambassador.")
    posts: float = Field(ge=0, description="Expected posts over the campaign, all ambassadors.")
    perks: float = Field(ge=0, description="Product and perks over the campaign.")
    commissions: float = Field(ge=0)
    management: float = Field(ge=0, description="Programme management over the campaign.")
    extras: float = Field(ge=0, description="Retainers and event appearances for the most active.")
    brand_faces: int = Field(
        0, ge=0, description="Long-term paid creator ambassadors (faces of the brand)."
    )
    brand_faces_spend: float = Field(0, ge=0)
    handles: list[str] = Field(default_factory=list)


class WhatIf(_Frozen):
    """A nearby brief that would change the answer."""

    dimension: Literal["weeks", "budget", "advocates", "goal", "accounts_ready"]
    value: str
    strategy: Strategy
    sentence: str


class ChecklistItem(_Frozen):
    key: str
    text: str
    blocking: bool = Field(description="Must be done before any creator posts.")
    done: bool = False
    source_id: str


class Plan(_Frozen):
    brief: CampaignBrief
    language: Language = "en"
    strategy: Strategy
    split: dict[str, float] = Field(description='Budget shares {"influencer": x, "ambassador": y}.')
    headline: str
    score: float = Field(ge=-1, le=1, description="Weighted lean: +1 influencer ... -1 ambassador.")
    combination_pull: float = Field(ge=0, le=0.5)
    confidence: float = Field(ge=0, le=1)
    confidence_label: Literal["high", "medium", "low"]
    influencer: InfluencerPlan
    ambassador: AmbassadorPlan
    reserve: float = Field(
        ge=0, description="Budget left unallocated (next purchase would not fit)."
    )
    rationale: list[Factor]
    caveats: list[str]
    what_if: list[WhatIf]
    checklist: list[ChecklistItem]
    disclosure: str
    projection: Projection
    data_source: str = Field(
        description="'benchmarks' or the creator list the plan was built from."
    )
