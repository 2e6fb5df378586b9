"""`advisor.advice.recommend` on the 800 sample creators: launch brief and 52-week awareness brief.

Run with `make bench`. Prints best and median of 20 runs after a warm-up, in ms and relative to
a reference measured in the same run on the same machine (`pandas.read_csv` of the sample), so
figures from a slow CI box and a laptop can be compared.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from advisor import CampaignBrief, Strategy, recommend

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "advisor" / "data" / "creators.csv"
REPEATS = 20

BRIEFS = {
    "launch": CampaignBrief(goal="product_launch", budget=20_000, weeks=8),
    "awareness-52w": CampaignBrief(goal="brand_awareness", budget=60_000, weeks=52, advocates=500),
}


def timings(work: Callable[[], object], repeats: int = REPEATS) -> list[float]:
    work()  # warm-up: caches, imports, first allocations
    out = []
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        out.append(time.perf_counter() - start)
    return out


def sample_creators() -> pd.DataFrame:
    table = pd.read_csv(SAMPLE)
    table["flags"] = ""
    return table


@pytest.fixture(scope="module")
def reference_ms() -> float:
    median = statistics.median(timings(lambda: pd.read_csv(SAMPLE))) * 1000
    print(f"\nreference: pandas.read_csv of {SAMPLE.name} (800 rows) median {median:.2f} ms")
    return median


@pytest.mark.parametrize("name", list(BRIEFS))
def test_recommend_with_sample_creators(name: str, reference_ms: float) -> None:
    creators = sample_creators()
    assert len(creators) == 800
    brief = BRIEFS[name]
    plan = recommend(brief, creators=creators)
    assert plan.data_source == "creators:800"
    if name == "awareness-52w":
        assert plan.strategy in tuple(Strategy)  # the projection decides; printed below

    runs = timings(lambda: recommend(brief, creators=creators))
    best, median = min(runs) * 1000, statistics.median(runs) * 1000
    print(
        f"\nrecommend({name}, 800 creators) x{REPEATS}: best {best:.1f} ms, median {median:.1f} ms "
        f"= {best / reference_ms:.1f}x / {median / reference_ms:.1f}x the read_csv reference "
        f"({reference_ms:.2f} ms); strategy {plan.strategy.value}"
    )


ARCHETYPE_BRIEFS = {
    "launch": CampaignBrief(goal="product_launch", budget=20_000, weeks=8),
    "event-eur": CampaignBrief(goal="event", budget=20_000, currency="EUR", weeks=6),
    "awareness-52w": CampaignBrief(goal="brand_awareness", budget=60_000, weeks=52, advocates=500),
    "awareness-104w-all": CampaignBrief(
        goal="brand_awareness",
        budget=500_000,
        weeks=104,
        advocates=5_000,
        platforms=["instagram", "tiktok", "youtube", "x", "linkedin", "blog"],
    ),
}


@pytest.mark.parametrize("name", list(ARCHETYPE_BRIEFS))
def test_recommend_with_benchmark_archetypes(name: str, reference_ms: float) -> None:
    """Issue 7's bound: median at most 150 ms with benchmark archetypes (all 11 candidate
    splits, the factor searches and the three weekly series)."""
    brief = ARCHETYPE_BRIEFS[name]
    runs = timings(lambda: recommend(brief))
    best, median = min(runs) * 1000, statistics.median(runs) * 1000
    print(
        f"\nrecommend({name}, archetypes) x{REPEATS}: best {best:.1f} ms, median {median:.1f} ms "
        f"= {median / reference_ms:.1f}x the read_csv reference (bound 150 ms)"
    )
