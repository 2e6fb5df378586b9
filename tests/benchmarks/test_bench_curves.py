"""`advisor.response_curves`: the whole curve (17 budgets x every family) in CPU time.

Run with `make bench`. The target is 1 s of CPU for a whole curve on a quiet machine; the
machine's load average and a fixed numpy reference workload, timed in the same run, are printed
beside it so figures from a busy shared box and a quiet laptop can be compared.
"""

from __future__ import annotations

import os
import statistics
import time

import numpy as np
import pytest
from threadpoolctl import threadpool_limits

from advisor import (
    SAMPLE_CREATORS,
    CampaignBrief,
    budget_for_cost,
    budget_for_target,
    load_creators,
    recommend,
    response_curves,
)

REPEATS = 5
BRIEFS = {
    "launch": CampaignBrief(goal="product_launch", budget=20_000, weeks=8),
    "awareness-52w": CampaignBrief(goal="brand_awareness", budget=60_000, weeks=52, advocates=500),
}


def cpu_seconds(work) -> list[float]:
    work()  # warm-up
    out = []
    for _ in range(REPEATS):
        start = time.process_time()
        work()
        out.append(time.process_time() - start)
    return out


def reference() -> None:
    """A fixed numpy workload: 40 products of 400 x 400 matrices and their exponentials."""
    rng = np.random.default_rng(0)
    a = rng.random((400, 400))
    with threadpool_limits(limits=1, user_api="blas"):  # as the engine runs
        for _ in range(40):
            a = np.exp(-(a @ a.T) / 400.0)


@pytest.fixture(scope="module")
def reference_s() -> float:
    median = statistics.median(cpu_seconds(reference))
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"\nload average (1, 5, 15 min): {load}; reference numpy workload {median * 1000:.0f} ms")
    return median


@pytest.fixture(scope="module")
def sample():
    return load_creators(SAMPLE_CREATORS)


@pytest.mark.parametrize("source", ["archetypes", "sample"])
@pytest.mark.parametrize("name", list(BRIEFS))
def test_response_curves_cpu(name: str, source: str, reference_s: float, sample) -> None:
    brief, creators = BRIEFS[name], sample if source == "sample" else None
    curves = response_curves(brief, creators=creators)
    assert len(curves.recommended.points) == 17
    runs = cpu_seconds(lambda: response_curves(brief, creators=creators))
    best, median = min(runs), statistics.median(runs)
    print(
        f"response_curves({name}, {source}) x{REPEATS}: CPU best {best * 1000:.0f} ms, median "
        f"{median * 1000:.0f} ms = {median / reference_s:.1f}x the reference; "
        f"{len(curves.curves)} curves; target 1 s: {'OK' if median <= 1.0 else 'MISS'}"
    )
    assert median < 5.0  # 1 s on a quiet machine; 5x slack on a shared, loaded one


@pytest.mark.parametrize("source", ["archetypes", "sample"])
@pytest.mark.parametrize("name", list(BRIEFS))
def test_flexible_budget_answers_cpu(name: str, source: str, reference_s: float, sample) -> None:
    """Each flexible-budget answer: the budget for 1.5x the plan's median result at p = 0.8,
    and the budget up to which a result costs at most twice the plan's average."""
    brief, creators = BRIEFS[name], sample if source == "sample" else None
    p50 = recommend(brief, creators).recommended.objective_p50
    asks = {
        "budget_for_target": lambda: budget_for_target(brief, p50 * 1.5, creators=creators),
        "budget_for_cost": lambda: budget_for_cost(
            brief, 2 * brief.budget / max(p50, 1.0), creators=creators
        ),
    }
    for ask, work in asks.items():
        median = statistics.median(cpu_seconds(work))
        print(
            f"{ask}({name}, {source}): CPU median {median * 1000:.0f} ms = "
            f"{median / reference_s:.1f}x the reference; target 1 s: "
            f"{'OK' if median <= 1.0 else 'MISS'}"
        )
        assert median < 5.0
