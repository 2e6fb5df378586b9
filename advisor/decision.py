"""The decision: which relationship leads, and how the budget splits.

Each factor turns one fact of the brief into a lean between -1 (toward ambassadors) and +1
(toward influencers). Weights live in `data/decision_factors.csv`, not in code, so the marketer
sees exactly how much each reason counts. The weighted lean becomes the influencer share through
a logistic curve; a combination pull then moves the split toward a mix when budget, time and an
existing base of advocates allow both (seeds 000 and 003), and the ambassador share is capped by
what the available advocates can absorb.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from advisor.allocation import active_advocates, ambassador_capacity_usd
from advisor.benchmarks import Benchmarks
from advisor.brief import CampaignBrief, Goal, Platform

STEEPNESS = 4.5  # logistic slope from weighted lean to influencer share
MAX_COMBINATION_PULL = 0.25
MIX_BAND = (0.2, 0.8)  # influencer share below / above which one relationship clearly leads
SHORT_WEEKS, LONG_WEEKS = 8, 26

PLATFORM_LEAN = {
    Platform.TIKTOK: 1.0,  # discovery feeds reach beyond followers
    Platform.YOUTUBE: 1.0,
    Platform.INSTAGRAM: 0.0,
    Platform.X: 0.0,
    Platform.LINKEDIN: -1.0,  # staff voices (employee advocacy)
    Platform.BLOG: -1.0,  # customers' own write-ups
}


@dataclass(frozen=True)
class FactorValue:
    key: str
    lean: float
    weight: float
    detail: dict[str, object]


@dataclass(frozen=True)
class Decision:
    factors: list[FactorValue]
    score: float
    raw_share: float
    combination_pull: float
    influencer_share: float
    strategy: str
    capped_by_advocates: bool


def _clip(x: float) -> float:
    return float(min(1.0, max(-1.0, x)))


def advocate_coverage(brief: CampaignBrief, bench: Benchmarks) -> float:
    """Share of the target audience the brand's active advocates could reach with one post each."""
    reach = bench.reach[("instagram", "nano")].value
    people = active_advocates(brief.advocates, bench) * bench.value("ambassador_followers") * reach
    return people / brief.audience


def factor_values(brief: CampaignBrief, bench: Benchmarks) -> list[FactorValue]:
    """Each rule of the decision, evaluated on the brief."""
    w = {k: f.weight for k, f in bench.factor_weights.items()}
    mid = (SHORT_WEEKS + LONG_WEEKS) / 2
    half = (LONG_WEEKS - SHORT_WEEKS) / 2
    coverage = advocate_coverage(brief, bench)
    weekly_usd = brief.budget_usd / brief.weeks
    factors = [
        FactorValue(
            "goal",
            1.0 if brief.goal.is_short_burst else -1.0,
            w["goal"],
            {"goal": brief.goal.value},
        ),
        FactorValue(
            "duration", _clip((mid - brief.weeks) / half), w["duration"], {"weeks": brief.weeks}
        ),
        FactorValue(
            "advocates",
            _clip(1 - 2 * math.log10(1 + brief.advocates) / math.log10(201)),
            w["advocates"],
            {"advocates": brief.advocates},
        ),
        FactorValue(
            "audience_gap",
            _clip(1 - (math.log10(max(coverage, 1e-6)) + 3)),
            w["audience_gap"],
            {"coverage": coverage, "audience": brief.audience},
        ),
        FactorValue(
            "budget",
            _clip(math.log10(max(weekly_usd, 1e-6)) - 3),
            w["budget"],
            {"weekly_usd": weekly_usd},
        ),
        FactorValue(
            "platforms",
            float(np.mean([PLATFORM_LEAN[p] for p in brief.platforms])),
            w["platforms"],
            {"platforms": [p.value for p in brief.platforms]},
        ),
        FactorValue(
            "accounts",
            0.0 if brief.accounts_ready else -0.5,
            w["accounts"],
            {"ready": brief.accounts_ready},
        ),
    ]
    if brief.goal is Goal.EVENT:
        factors.append(
            FactorValue(
                "in_person",
                -0.5 if brief.advocates > 0 else 0.0,
                w["in_person"],
                {"advocates": brief.advocates},
            )
        )
    return factors


def decide(brief: CampaignBrief, bench: Benchmarks) -> Decision:
    """Score the brief, turn it into a split and a strategy."""
    factors = factor_values(brief, bench)
    total_weight = sum(f.weight for f in factors)
    score = sum(f.weight * f.lean for f in factors) / total_weight
    raw = 1.0 / (1.0 + math.exp(-STEEPNESS * score))
    pull = combination_pull(brief, bench)
    share = (1 - 2 * pull) * raw + pull
    capacity = ambassador_capacity_usd(brief, bench, active_advocates(brief.advocates, bench))
    max_ambassador_share = min(1.0, capacity / brief.budget_usd)
    capped = (1 - share) > max_ambassador_share + 1e-12
    if capped:
        share = 1 - max_ambassador_share
    share = round(share, 4)
    return Decision(factors, score, raw, pull, share, classify(share), capped)


def combination_pull(brief: CampaignBrief, bench: Benchmarks) -> float:
    """How far to move toward a mix: needs advocates, time and money for both sides."""
    if brief.advocates <= 0:
        return 0.0
    months = brief.weeks * 12 / 52
    min_programme = (
        bench.value("programme_management_per_month")
        + 5
        * (
            bench.value("ambassador_perks_per_month")
            + bench.value("ambassador_commission_per_month")
        )
    ) * months
    min_influencers = 5 * 2 * bench.cost[("instagram", "micro")].planning_usd
    money = min(1.0, brief.budget_usd / (min_programme + min_influencers))
    time = min(1.0, brief.weeks / 12)
    base = min(1.0, brief.advocates / 10)
    return round(MAX_COMBINATION_PULL * money * time * base, 4)


def classify(influencer_share: float) -> str:
    if influencer_share >= MIX_BAND[1]:
        return "influencer"
    if influencer_share <= MIX_BAND[0]:
        return "ambassador"
    return "mix"


def confidence(decision: Decision, brief: CampaignBrief) -> float:
    """Distance from the nearest strategy boundary, lowered when the brief has a known weakness."""
    share = decision.influencer_share
    edges = [MIX_BAND[0], MIX_BAND[1]]
    distance = min(abs(share - e) for e in edges)
    value = 0.5 + min(0.45, distance * 2.2)
    if not brief.accounts_ready:
        value -= 0.1
    if decision.capped_by_advocates:
        value -= 0.05
    return round(max(0.05, min(0.95, value)), 3)


def strategy_grid(
    brief: CampaignBrief,
    bench: Benchmarks,
    budget_factors: tuple[float, ...],
    weeks: tuple[int, ...],
) -> list[dict[str, object]]:
    """The recommendation across budget x duration around a brief (decision only, no projection)."""
    rows = []
    for factor in budget_factors:
        for w in weeks:
            variant = brief.model_copy(update={"budget": brief.budget * factor, "weeks": w})
            d = decide(variant, bench)
            rows.append(
                {
                    "budget": variant.budget,
                    "budget_factor": factor,
                    "weeks": w,
                    "influencer_share": d.influencer_share,
                    "strategy": d.strategy,
                }
            )
    return rows
