"""The campaign brief: what a marketer tells the advisor before any money is spent.

Field names double as URL query parameters (see `advisor.sharing.links`), so a copied link
reproduces the brief exactly.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator

from advisor.model.currency import Currency, per_usd


class Goal(StrEnum):
    PRODUCT_LAUNCH = "product_launch"
    EVENT = "event"
    CONTEST = "contest"
    BRAND_AWARENESS = "brand_awareness"

    @property
    def is_short_burst(self) -> bool:
        """Launches, events and contests are pushes with a date on them."""
        return self is not Goal.BRAND_AWARENESS


class Platform(StrEnum):
    INSTAGRAM = "instagram"
    TIKTOK = "tiktok"
    YOUTUBE = "youtube"
    X = "x"
    LINKEDIN = "linkedin"
    BLOG = "blog"


class Region(StrEnum):
    """Where the campaign runs, which decides the disclosure rules."""

    US = "US"
    UK = "UK"
    FR = "FR"
    OTHER = "other"


PLATFORM_ALIASES: dict[str, Platform] = {
    **{p.value: p for p in Platform},
    "ig": Platform.INSTAGRAM,
    "insta": Platform.INSTAGRAM,
    "tt": Platform.TIKTOK,
    "tik tok": Platform.TIKTOK,
    "tik-tok": Platform.TIKTOK,
    "yt": Platform.YOUTUBE,
    "you tube": Platform.YOUTUBE,
    "twitter": Platform.X,
    "tw": Platform.X,
    "x/twitter": Platform.X,
    "twitter/x": Platform.X,
    "x (twitter)": Platform.X,
    "li": Platform.LINKEDIN,
    "linked in": Platform.LINKEDIN,
    "website": Platform.BLOG,
    "web": Platform.BLOG,
    "substack": Platform.BLOG,
}


def platform_from_alias(text: str) -> Platform:
    """'IG', 'Insta', 'YT', 'Twitter'... -> Platform; raises ValueError for anything else."""
    key = " ".join(str(text).strip().lower().split())
    if key not in PLATFORM_ALIASES:
        raise ValueError(f"unknown platform {text!r}")
    return PLATFORM_ALIASES[key]


DEFAULT_PLATFORMS: tuple[Platform, ...] = (Platform.INSTAGRAM, Platform.TIKTOK)
DEFAULT_AUDIENCE = 2_000_000  # a national audience in one niche (our assumption)
MAX_BUDGET = 1_000_000_000


class CampaignBrief(BaseModel):
    """A marketer's campaign brief. Immutable, so a plan always matches the brief it holds."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    goal: Goal = Field(Goal.PRODUCT_LAUNCH, description="What the campaign is for.")
    budget: Annotated[float, Field(gt=0, le=MAX_BUDGET, allow_inf_nan=False)] = Field(
        20_000, description="Total money for creators over the whole campaign."
    )
    currency: Currency = Field(Currency.USD, description="Currency of the budget.")
    weeks: Annotated[int, Field(ge=1, le=104)] = Field(
        8, description="Campaign duration in weeks (1 to 104)."
    )
    audience: Annotated[int, Field(ge=1_000, le=2_000_000_000)] = Field(
        DEFAULT_AUDIENCE, description="People the brand wants to reach (target audience size)."
    )
    platforms: tuple[Platform, ...] = Field(
        DEFAULT_PLATFORMS, description="Platforms of interest.", min_length=1
    )
    advocates: Annotated[int, Field(ge=0, le=100_000_000)] = Field(
        0, description="Loyal customers or employees who already talk about the brand."
    )
    accounts_ready: bool = Field(
        True, description="The brand's own accounts are active, correct and link to a working site."
    )
    region: Region = Field(Region.US, description="Where the campaign runs (disclosure rules).")
    order_value: Annotated[float, Field(gt=0, le=1_000_000, allow_inf_nan=False)] | None = Field(
        None,
        description="Average order value, in the brief's currency: adds sales and return on spend.",
    )

    @field_validator("platforms", mode="before")
    @classmethod
    def _normalise_platforms(cls, value: object) -> object:
        """Accept a comma-separated string; drop duplicates; keep a canonical order."""
        if isinstance(value, str):
            value = [part.strip().lower() for part in value.split(",") if part.strip()]
        if isinstance(value, list | tuple | set | frozenset):
            order = list(Platform)
            items = {platform_from_alias(str(v)) for v in value}
            return tuple(sorted(items, key=order.index))
        return value

    @property
    def budget_usd(self) -> float:
        return self.budget / per_usd(self.currency)
