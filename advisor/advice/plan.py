"""The plan the advisor returns: numbers only, serialisable, equal to itself after a JSON trip.

A plan holds no sentence: every text on screen or in the report is rendered from these numbers
per language (`advisor.present.explain`), so switching language never reruns the projection and no
sentence can say the opposite of the table.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from advisor.model.assumptions import Assumptions
from advisor.model.brief import CampaignBrief
from advisor.model.projection import ObjectiveKey, Projection, StrategySeries


class Strategy(StrEnum):
    INFLUENCER = "influencer"
    AMBASSADOR = "ambassador"
    MIX = "mix"


def strategy_of(influencer_share: float) -> Strategy:
    if influencer_share >= 1.0 - 1e-9:
        return Strategy.INFLUENCER
    if influencer_share <= 1e-9:
        return Strategy.AMBASSADOR
    return Strategy.MIX


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Objective(_Frozen):
    """What the goal buys, named: the key renders as a label and a unit in each language."""

    key: ObjectiveKey
    unit: Literal["people", "entries"]
    frequency: int = Field(1, description="Exposures a person needs to count (3 for awareness).")


class Candidate(_Frozen):
    """One split the advisor projected and scored."""

    influencer_share: float = Field(ge=0, le=1)
    feasible: bool = Field(description="Both sides buy something with their share.")
    objective_p50: float = Field(ge=0)
    spend: float = Field(ge=0, description="Brief currency.")


FACTOR_THRESHOLD = 0.005  # a fact of the brief that moves the result less is not a reason


class FactorEffect(_Frozen):
    """A fact of the brief, measured: the best plan with that fact set to a neutral value."""

    key: Literal["weeks", "advocates", "budget", "audience", "platforms"]
    actual: str
    neutral: str
    best_share_neutral: float = Field(ge=0, le=1)
    objective_neutral: float = Field(ge=0)
    objective_actual: float = Field(ge=0, description="Same draws and sample count as neutral.")

    @property
    def change(self) -> float | None:
        """Relative change of the objective caused by the brief's actual value."""
        if self.objective_neutral <= 0:
            return None
        return self.objective_actual / self.objective_neutral - 1.0


class Note(_Frozen):
    """A caveat or explanation: a message key and the numbers it is written from."""

    key: str
    values: dict[str, float | int | str] = Field(default_factory=dict)


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
    posts_per_creator: int = Field(ge=0)
    contracting: float = Field(ge=0, description="Outreach, contracts and review.")
    tiers: list[TierAllocation]
    handles: list[str] = Field(default_factory=list)


class AmbassadorPlan(_Frozen):
    budget: float = Field(ge=0)
    spend: float = Field(ge=0)
    ambassadors: int = Field(ge=0, description="Advocates in the programme.")
    available: int = Field(ge=0, description="Advocates expected to join (activation applied).")
    posts: float = Field(ge=0, description="Expected posts over the campaign, whole side.")
    setup: float = Field(ge=0)
    platform: float = Field(ge=0, description="Software and coordination over the campaign.")
    perks: float = Field(ge=0, description="Product and perks per post.")
    management: float = Field(ge=0)
    commissions: float = Field(ge=0, description="Share of the sales advocates bring.")
    appearances: int = Field(ge=0, description="Paid in-person appearances at the event.")
    appearances_spend: float = Field(ge=0)
    brand_faces: int = Field(0, ge=0, description="Long-term paid creators (faces of the brand).")
    brand_faces_spend: float = Field(0, ge=0)
    blocked: str | None = Field(None, description="Why the side buys nothing, if it does not.")
    handles: list[str] = Field(default_factory=list)


CreatorChoice = Literal["optimiser", "tier_mix", "shortlist", "engine"]  # the first two: old plans
Relationship = Literal["influencer", "face", "advocate", "appearance"]
RELATIONSHIP_ORDER: tuple[Relationship, ...] = ("influencer", "face", "advocate", "appearance")


class PlanLine(_Frozen):
    """One thing the plan buys: units of a platform x tier x relationship option (a named
    creator when planning with a list), what they cost and what they alone would reach."""

    relationship: Relationship
    platform: str | None = None
    tier: str | None = None
    handle: str | None = None
    line: int | None = Field(None, description="Line of the list's file (header = 1).")
    units: float = Field(ge=0, description="Creators, invited advocates or appearances.")
    active: float = Field(ge=0, description="Expected active (advocates: invited x activation).")
    posts: float = Field(ge=0, description="Expected posts over the campaign, all units.")
    spend: float = Field(ge=0, description="Brief currency.")
    reach: float = Field(ge=0, description="People these units alone reach (p50, same cap).")
    impressions: float = Field(0.0, ge=0, description="Impressions of these units (p50).")


class CalendarEntry(_Frozen):
    """Who posts in one week of the plan, on one of its lines (one named creator when planning
    with a list), and what that week of the line costs; the programme's running cost is an
    entry of its own (relationship "programme", no posts). Built from the engine's schedule
    (`advisor.advice.calendar`): the entries' spend adds up to the projection's weekly spend."""

    week: int = Field(ge=1, description="Week of the campaign, 1 = the first.")
    relationship: Relationship | Literal["programme"]
    platform: str | None = None
    tier: str | None = None
    handle: str | None = None
    line: int | None = Field(None, description="Line of the list's file (header = 1).")
    creators: float = Field(
        ge=0,
        description="Creators posting this week (whole; short-burst creators spread over the "
        "weeks: those starting this week), expected active advocates, or appearances.",
    )
    posts: float = Field(ge=0, description="Posts this week (expected, for advocates).")
    spend: float = Field(ge=0, description="Brief currency, this week, to the cent.")


class Unfunded(_Frozen):
    """A ticked platform or a relationship the plan gives nothing, and why, in numbers: what
    its best option would buy per 1,000 of money against what the plan's last money buys."""

    kind: Literal["platform", "relationship"]
    name: str
    reason: Literal["weaker", "too_short", "no_advocates", "fixed_cost", "not_listed"]
    value_per_1000: float = Field(0.0, ge=0)
    plan_value_per_1000: float = Field(0.0, ge=0)
    fixed_cost: float = Field(0.0, ge=0, description="The programme's fixed cost, brief currency.")


class NamedCreator(_Frozen):
    """A creator of the analyst's list that the plan buys, with what the plan expects of them."""

    handle: str
    name: str | None = None
    platform: str = Field(description="Platform value, e.g. instagram.")
    tier: str = Field(description="nano, micro, mid, macro or mega.")
    relationship: Literal["influencer", "ambassador"]
    line: int | None = Field(None, description="Line of the list's file (header = 1).")
    posts: float = Field(
        ge=0, description="Posts in the plan: contracted (influencer) or expected (advocate)."
    )
    cost: float = Field(
        ge=0,
        description="What the plan spends on this creator, brief currency: posts at their price "
        "plus contracting (influencer); perks, management and commission (advocate).",
    )
    cost_usd: float = Field(ge=0, description="`cost` in US dollars.")
    cost_per_post: float = Field(ge=0, description="Price per post, brief currency.")
    list_cost_per_post: float = Field(ge=0, description="Price per post in the list's currency.")
    list_currency: str = Field(description="ISO code of the list's currency.")
    cost_estimated: bool = Field(description="The list gave no price: benchmark cost used.")
    reach: float = Field(
        ge=0, description="Expected people of the target audience this creator reaches."
    )
    flags: list[str] = Field(default_factory=list, description="Audit reason codes.")


class ChecklistItem(_Frozen):
    key: str
    blocking: bool = Field(description="Must be done before any creator posts.")
    done: bool = False
    source_id: str


class Plan(_Frozen):
    brief: CampaignBrief
    assumptions: Assumptions = Field(default_factory=Assumptions)
    strategy: Strategy
    split: dict[str, float] = Field(description='Budget shares {"influencer": x, "ambassador": y}.')
    objective: Objective
    candidates: list[Candidate]
    best_other: Strategy = Field(description="The strongest strategy not recommended.")
    confidence: float = Field(ge=0, le=1, description="Share of draws where the plan wins clearly.")
    confidence_label: Literal["high", "medium", "low"]
    margin: float | None = Field(description="Median objective vs the best other strategy, -1..")
    influencer: InfluencerPlan
    ambassador: AmbassadorPlan
    reserve: float = Field(ge=0, description="Budget left unspent, brief currency.")
    factors: list[FactorEffect]
    facts_without_effect: list[Literal["weeks", "advocates", "budget", "audience", "platforms"]] = (
        Field(
            default_factory=list,
            description="Facts of the brief that differ from the neutral value but change the "
            "best plan's result by less than `FACTOR_THRESHOLD` (so they are not reasons).",
        )
    )
    notes: list[Note]
    checklist: list[ChecklistItem]
    projection: Projection
    data_source: str = Field(
        description="'benchmarks' or the creator list the plan was built from."
    )
    creators: list[NamedCreator] = Field(
        default_factory=list,
        description="The list's creators the plan buys (empty with benchmark archetypes).",
    )
    lines: list[PlanLine] = Field(default_factory=list, description="What the plan buys.")
    calendar: list[CalendarEntry] = Field(
        default_factory=list, description="Who posts what and when, week by week."
    )
    funded: list[Relationship] = Field(default_factory=list, description="Relationships funded.")
    programme: bool = Field(False, description="The advocate programme is funded.")
    spent_share: float = Field(0.0, ge=0, le=1.0001, description="Spend / budget.")
    unfunded: list[Unfunded] = Field(default_factory=list)
    flagged_left_out: int = Field(0, ge=0, description="Flagged creators not paid.")
    cycle_weeks: int = Field(4, ge=1, description="Purchase cycle of the awareness objective.")
    creator_choice: CreatorChoice | None = Field(
        None,
        description="How `creators` were chosen: 'optimiser' (the HiGHS shortlist under the "
        "split), 'tier_mix' (the split search's own picks from the list, kept because they "
        "project better for the goal), 'shortlist' (a given Shortlist, as it is).",
    )

    @property
    def recommended(self) -> StrategySeries:
        return self.projection.get("recommended")
