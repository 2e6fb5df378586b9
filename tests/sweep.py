"""Sweep of briefs across goals, budgets, durations, advocates, audiences, platforms, currencies.

`make sweep` prints how often each promise of the advisor holds (issue 7's acceptance figures).
Seeded, so two runs print the same numbers.
"""

from __future__ import annotations

import sys
import time

import numpy as np

from advisor import CampaignBrief, Goal, Platform, recommend
from advisor.advice.recommend import CLEAR_MARGIN, NEAR_TIE

PLATFORM_SETS = [
    ["instagram", "tiktok"],
    ["instagram"],
    ["tiktok"],
    ["youtube"],
    ["instagram", "youtube", "x"],
    ["linkedin", "blog"],
    [p.value for p in Platform],
]
CPM_PLATFORMS = ("instagram", "tiktok", "youtube")


def random_brief(rng: np.random.Generator) -> CampaignBrief:
    return CampaignBrief(
        goal=rng.choice(list(Goal)),
        budget=float(np.round(np.exp(rng.uniform(np.log(500), np.log(5e6))), 2)),
        currency=rng.choice(["USD", "EUR", "GBP"]),
        weeks=int(rng.choice([1, 2, 4, 6, 8, 12, 16, 26, 39, 52, 78, 104])),
        audience=int(np.exp(rng.uniform(np.log(5_000), np.log(50_000_000)))),
        platforms=PLATFORM_SETS[rng.integers(len(PLATFORM_SETS))],
        advocates=int(rng.choice([0, 0, 1, 10, 50, 100, 300, 1_000, 3_000, 10_000])),
    )


def main(n: int = 1_200) -> int:
    rng = np.random.default_rng(7)
    counts = dict.fromkeys(
        (
            "pure_beats_by_5pct",
            "spends_nothing_when_something_fits",
            "above_95pct_of_audience",
            "high_confidence_within_3pct",
            "zero_width_band",
            "more_budget_lowers",
            "more_advocates_lowers",
            "seed_short_burst_not_influencer",
            "seed_long_awareness_below_50pct_amb",
            "cpm_outside_3_65",
        ),
        0,
    )
    seeds_short = seeds_long = cpm_checked = 0
    examples: dict[str, list[str]] = {k: [] for k in counts}
    worst = {"more_budget_lowers": 0.0, "more_advocates_lowers": 0.0}
    times = []
    for _ in range(n):
        brief = random_brief(rng)
        t0 = time.perf_counter()
        plan = recommend(brief)
        times.append(time.perf_counter() - t0)
        rec = plan.recommended

        def flag(key: str, brief: CampaignBrief = brief) -> None:
            counts[key] += 1
            if len(examples[key]) < 3:
                examples[key].append(brief.model_dump_json(exclude_defaults=True))

        best_pure = max(plan.projection.get(s).objective_p50 for s in ("influencer", "ambassador"))
        if best_pure > rec.objective_p50 * 1.05 + 1e-6:
            flag("pure_beats_by_5pct")
        if rec.total_spend == 0 and any(c.spend > 0 for c in plan.candidates if c.feasible):
            flag("spends_nothing_when_something_fits")
        if max(max(s.reach_p90) for s in plan.projection.series) > 0.95 * brief.audience:
            flag("above_95pct_of_audience")
        near = plan.margin is not None and plan.margin < CLEAR_MARGIN
        if plan.confidence_label == "high" and near:
            flag("high_confidence_within_3pct")
        if rec.objective_p50 > 0 and rec.objective_p90 <= rec.objective_p10:
            flag("zero_width_band")
        bigger = recommend(brief.model_copy(update={"budget": brief.budget * 2}))
        if bigger.recommended.objective_p50 < rec.objective_p50 * (1 - 1e-9):
            flag("more_budget_lowers")
            drop = 1 - bigger.recommended.objective_p50 / rec.objective_p50
            worst["more_budget_lowers"] = max(worst["more_budget_lowers"], drop)
        more = recommend(brief.model_copy(update={"advocates": brief.advocates * 3 + 10}))
        if more.recommended.objective_p50 < rec.objective_p50 * (1 - 1e-9):
            flag("more_advocates_lowers")
            drop = 1 - more.recommended.objective_p50 / rec.objective_p50
            worst["more_advocates_lowers"] = max(worst["more_advocates_lowers"], drop)
        if brief.goal is not Goal.BRAND_AWARENESS and brief.weeks <= 8 and brief.advocates == 0:
            seeds_short += 1
            if plan.split["influencer"] < 0.5:
                flag("seed_short_burst_not_influencer")
        if brief.goal is Goal.BRAND_AWARENESS and brief.weeks >= 26 and brief.advocates >= 100:
            seeds_long += 1
            if plan.split["ambassador"] < 0.5:
                flag("seed_long_awareness_below_50pct_amb")
        for p in brief.platforms:
            if p.value in CPM_PLATFORMS and len(brief.platforms) == 1:
                cpm_checked += 1
                fx = brief.budget / brief.budget_usd
                cpm = plan.projection.get("influencer").cost_per_thousand_impressions
                if cpm is not None and not 3 <= cpm / fx <= 65:
                    flag("cpm_outside_3_65")
    print(f"briefs: {n}; recommend() median {np.median(times) * 1000:.0f} ms")
    print(f"short-burst seed briefs: {seeds_short}; long-awareness seed briefs: {seeds_long}")
    print(f"single-platform influencer plans checked for CPM: {cpm_checked}")
    for key, value in counts.items():
        print(f"{key:40s} {value:5d}  {examples[key][:1]}")
    for key, value in worst.items():
        print(f"worst drop, {key}: {value:.2%} (near-tie margin {NEAR_TIE:.0%})")
    return 0


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_200))
