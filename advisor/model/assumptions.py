"""The figures that drive a plan, each with its source, and the user's edits to them.

`Assumptions` holds only what the user changed; everything else comes from the bundled
benchmarks in `data/benchmarks/` (published figures and our labelled planning assumptions).
Keys are flat strings, so edits travel in a share link as `a.<key>=<value>`:

- platform x tier tables: `cost.<platform>.<tier>` (US$ per post), `reach.<platform>.<tier>`
  (share of followers a post reaches), `engagement.<platform>.<tier>` (in the row's own
  denominator, followers or views), `impressions_per_reach.<platform>.<tier>`;
- scalars from `assumptions.csv`, e.g. `ambassador_setup_cost`, `in_target_tiktok`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, field_validator

from advisor.model.benchmarks import TIERS, Benchmarks, engagement_per_follower, load_benchmarks
from advisor.model.brief import Platform

TABLES: tuple[str, ...] = ("cost", "reach", "engagement", "impressions_per_reach")
TABLE_UNITS = {
    "cost": "USD",
    "reach": "share",
    "engagement": "share",
    "impressions_per_reach": "ratio",
}
# Inclusive bounds by unit: an edit outside them is refused with a plain message.
UNIT_BOUNDS: dict[str, tuple[float, float]] = {
    "USD": (0.0, 10_000_000.0),
    "share": (0.0, 1.0),
    "share of sales": (0.0, 1.0),
    "weight": (0.0, 1.0),
    "ratio": (1.0, 10.0),
    "weeks": (0.0, 104.0),
    "posts": (0.0, 14.0),
    "followers": (1.0, 1_000_000_000.0),
    "creators": (0.0, 1_000.0),
    "appearances": (0.0, 1_000.0),
    "people": (0.0, 100_000.0),
    "audience": (1_000.0, 2_000_000_000.0),
    "alpha+beta": (0.05, 100.0),
    "log-sd": (0.0, 2.0),
    "logit-sd": (0.0, 3.0),
    "entries per engagement": (0.0, 1.0),
    "clicks per engagement": (0.0, 1.0),
    "orders per visit": (0.0, 1.0),
    "likes per comment": (0.0, 100_000.0),
}
SHARE_KEYS_POSITIVE = ("reach.", "engagement.", "in_target_", "audience_reachable_share")
MAX_REACHABLE_SHARE = 0.95  # creators never reach a whole audience


@dataclass(frozen=True)
class Figure:
    """One figure as the product shows it: value, default, unit, source and whether edited."""

    key: str
    value: float
    default: float
    unit: str
    source_id: str
    note: str
    group: str

    @property
    def edited(self) -> bool:
        return not math.isclose(self.value, self.default, rel_tol=1e-12, abs_tol=0.0)


def _table_key(table: str, platform: str, tier: str) -> str:
    return f"{table}.{platform}.{tier}"


@lru_cache(maxsize=1)
def default_figures() -> dict[str, Figure]:
    """Every editable figure with its default, in display order."""
    b = load_benchmarks()
    out: dict[str, Figure] = {}
    for table in TABLES:
        for platform in Platform:
            for tier in TIERS:
                key = (platform.value, tier)
                if table == "cost":
                    row = b.cost[key]
                    value, source, note = row.planning_usd, row.source_id, ""
                elif table == "impressions_per_reach":
                    value, source, note = b.impressions_per_reach[key], b.reach[key].source_id, ""
                else:
                    rate = (b.reach if table == "reach" else b.engagement)[key]
                    value, source, note = rate.value, rate.source_id, rate.note
                    if table == "engagement":
                        note = f"per {rate.denominator}" + (f"; {note}" if note else "")
                out[_table_key(table, *key)] = Figure(
                    _table_key(table, *key),
                    float(value),
                    float(value),
                    TABLE_UNITS[table],
                    source,
                    note,
                    table,
                )
    for name, a in b.assumptions.items():
        group = "uncertainty" if a.unit in ("log-sd", "logit-sd") else name.split("_")[0]
        out[name] = Figure(name, a.value, a.value, a.unit, a.source_id, a.note, group)
    return out


def check_value(key: str, value: float) -> str | None:
    """Why `value` cannot be used for `key` (None when it can)."""
    figures = default_figures()
    if key not in figures:
        return f"unknown assumption {key!r}"
    if not math.isfinite(value):
        return f"{key} must be a finite number"
    unit = figures[key].unit
    low, high = UNIT_BOUNDS.get(unit, (0.0, 1e12))
    if key == "audience_reachable_share":
        high = MAX_REACHABLE_SHARE
    positive = key.startswith(SHARE_KEYS_POSITIVE) or unit == "ratio"
    if value < low or value > high or (positive and value <= 0):
        return f"{key} must be between {low:g} and {high:g}"
    return None


class Assumptions(BaseModel):
    """The user's edits to the default figures (empty: every figure as published/assumed)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    overrides: dict[str, float] = Field(default_factory=dict)

    @field_validator("overrides")
    @classmethod
    def _known_and_in_bounds(cls, value: dict[str, float]) -> dict[str, float]:
        figures = default_figures()
        out = {}
        for key in sorted(value):
            number = float(value[key])
            problem = check_value(key, number)
            if problem:
                raise ValueError(problem)
            if not math.isclose(number, figures[key].default, rel_tol=1e-12, abs_tol=0.0):
                out[key] = number  # an "edit" back to the default is no edit
        return out

    def with_values(self, **changes: float) -> Assumptions:
        return Assumptions(overrides={**self.overrides, **changes})

    def value(self, key: str) -> float:
        if key in self.overrides:
            return self.overrides[key]
        return default_figures()[key].default

    def figures(self) -> list[Figure]:
        """All figures with their current values (what the Assumptions panel shows)."""
        return [
            Figure(f.key, self.value(f.key), f.default, f.unit, f.source_id, f.note, f.group)
            for f in default_figures().values()
        ]

    def edited(self) -> list[Figure]:
        return [f for f in self.figures() if f.edited]

    def model(self) -> ModelFigures:
        return _model_figures(tuple(sorted(self.overrides.items())))


@dataclass(frozen=True)
class Scalars:
    """The scalar figures of `data/benchmarks/assumptions.csv` as typed attributes (one per row;
    a test keeps the two in step), so the engine reads `fig.s.ambassador_activation_rate`
    rather than looking a string up."""

    influencer_posts_per_creator: float
    influencer_contracting_per_creator: float
    influencer_max_per_cell: float
    ambassador_activation_rate: float
    ambassador_ramp_weeks: float
    ambassador_min_weeks: float
    ambassador_posts_per_week: float
    ambassador_max_posts_per_week: float
    advocate_reshare_share: float
    advocate_offline_people_per_month: float
    advocate_offline_circle: float
    advocate_offline_in_target: float
    advocates_on_instagram: float
    advocates_on_tiktok: float
    advocates_on_youtube: float
    advocates_on_x: float
    advocates_on_linkedin: float
    advocates_on_blog: float
    ambassador_followers: float
    ambassador_perks_per_month: float
    ambassador_management_per_month: float
    ambassador_setup_cost: float
    ambassador_platform_per_month: float
    ambassador_commission_rate: float
    face_posts_per_week: float
    face_max_per_platform: float
    event_appearance_fee: float
    event_max_appearances: float
    event_people_met_per_appearance: float
    contest_entry_rate: float
    clicks_per_engagement: float
    conversion_rate: float
    order_value_for_commission: float
    purchase_cycle_weeks: float
    trust_paid_post_weight: float
    audience_reachable_share: float
    ambassador_half_life_weeks: float
    influencer_half_life_weeks: float
    post_reach_concentration: float
    in_target_instagram: float
    in_target_tiktok: float
    in_target_youtube: float
    in_target_x: float
    in_target_linkedin: float
    in_target_reference_audience: float
    in_target_blog: float
    reach_rate_uncertainty: float
    engagement_rate_uncertainty: float
    cost_uncertainty: float
    in_target_uncertainty: float
    activation_uncertainty: float
    posting_uncertainty: float
    trust_uncertainty: float
    conversion_uncertainty: float
    reachable_uncertainty: float
    audit_low_engagement_share: float
    audit_min_followers_for_rate: float
    audit_max_followers_per_comment: float
    audit_min_followers_for_comments: float
    audit_max_likes_per_comment: float
    audit_min_likes_per_comment: float
    audit_min_views_share: float
    audit_min_followers_for_views: float
    audit_round_followers_step: float


@dataclass(frozen=True)
class ModelFigures:
    """The figures as arrays, in `Platform` x `TIERS` order (what the engine computes with)."""

    cost: np.ndarray
    reach: np.ndarray
    engagement: np.ndarray  # per follower, per post
    impressions_per_reach: np.ndarray
    in_target: np.ndarray  # per platform
    scalars: dict[str, float]
    archetype_followers: np.ndarray
    tier_edges: np.ndarray
    s: Scalars  # the same scalars, typed

    def value(self, key: str) -> float:
        """A scalar by its key (for figures named at run time, e.g. the audit's registry)."""
        return self.scalars[key]

    def tier_of(self, followers: np.ndarray) -> np.ndarray:
        return np.searchsorted(self.tier_edges, np.asarray(followers, dtype=float), side="right")


@lru_cache(maxsize=64)
def _model_figures(items: tuple[tuple[str, float], ...]) -> ModelFigures:
    overrides = dict(items)
    figures = default_figures()
    bench: Benchmarks = load_benchmarks()

    def value(key: str) -> float:
        return overrides.get(key, figures[key].default)

    def grid(table: str) -> np.ndarray:
        return np.array(
            [[value(_table_key(table, p.value, t)) for t in TIERS] for p in Platform], dtype=float
        )

    reach = np.minimum(grid("reach"), 0.99)
    ipr = grid("impressions_per_reach")
    engagement = engagement_per_follower(grid("engagement"), reach, ipr, bench.per_view())
    engagement = np.minimum(engagement, reach)  # never more engagements than people reached
    scalars = {k: value(k) for k, f in figures.items() if "." not in k}
    return ModelFigures(
        cost=grid("cost"),
        reach=reach,
        engagement=engagement,
        impressions_per_reach=ipr,
        in_target=np.array([value(f"in_target_{p.value}") for p in Platform], dtype=float),
        scalars=scalars,
        archetype_followers=bench.archetype_followers(),
        tier_edges=bench.tier_edges,
        s=Scalars(**scalars),
    )
