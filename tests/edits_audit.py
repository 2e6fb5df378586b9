"""Favourable edits never lower the plan: 40 seeded random briefs x 8 edits (one more platform,
1.5x the budget, 2x + 50 advocates, 1.5x the audience, cheaper micro posts, activation 0.6,
advocates posting 1.5 a week, paid trust weight 0.9). Prints the checks and every drop above 1%
(issue 14's hold-out audit, in small). Run: `.venv/bin/python tests/edits_audit.py`.
"""

from __future__ import annotations

import numpy as np

from advisor import Assumptions, CampaignBrief, Platform, recommend

TOLERANCE = 0.01
FIGURE_EDITS = {
    "cheaper posts": {
        "cost.instagram.micro": 150,
        "cost.tiktok.micro": 40,
        "cost.youtube.micro": 60,
    },
    "activation .6": {"ambassador_activation_rate": 0.6},
    "posting 1.5": {"ambassador_posts_per_week": 1.5},
    "trust .9": {"trust_paid_post_weight": 0.9},
}


def objective(brief: CampaignBrief, assumptions: Assumptions | None = None) -> float:
    return recommend(brief, assumptions=assumptions).recommended.objective_p50


def main(n: int = 40, seed: int = 11) -> int:
    rng = np.random.default_rng(seed)
    platforms = [p.value for p in Platform]
    drops, checks = [], 0
    for _ in range(n):
        kw = dict(
            goal=str(rng.choice(["product_launch", "event", "contest", "brand_awareness"])),
            budget=float(np.round(np.exp(rng.uniform(np.log(2_000), np.log(300_000))))),
            weeks=int(rng.choice([2, 4, 8, 12, 16, 26, 52, 104])),
            audience=int(np.exp(rng.uniform(np.log(50_000), np.log(10_000_000)))),
            platforms=[str(p) for p in rng.choice(platforms, size=int(rng.integers(1, 3)),
                                                  replace=False)],
            advocates=int(rng.choice([0, 50, 300, 2_000])),
        )  # fmt: skip
        brief = CampaignBrief(**kw)
        base = objective(brief)
        extra = str(rng.choice([p for p in platforms if p not in kw["platforms"]]))
        edits = {
            "platform+": {"platforms": [*kw["platforms"], extra]},
            "budget x1.5": {"budget": kw["budget"] * 1.5},
            "advocates x2+50": {"advocates": kw["advocates"] * 2 + 50},
            "audience x1.5": {"audience": int(kw["audience"] * 1.5)},
        }
        for name, update in edits.items():
            checks += 1
            value = objective(CampaignBrief(**{**kw, **update}))
            if value < base * (1 - TOLERANCE):
                drops.append((name, round(value / base - 1, 4), kw))
        for name, overrides in FIGURE_EDITS.items():
            checks += 1
            value = objective(brief, Assumptions(overrides=overrides))
            if value < base * (1 - TOLERANCE):
                drops.append((name, round(value / base - 1, 4), kw))
    print(f"{checks} checks, {len(drops)} drops above {TOLERANCE:.0%}")
    for drop in drops:
        print(drop)
    return 1 if drops else 0


if __name__ == "__main__":
    raise SystemExit(main())
