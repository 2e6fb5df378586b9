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

from advisor import CampaignBrief, response_curves

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
    for _ in range(40):
        a = np.exp(-(a @ a.T) / 400.0)


@pytest.fixture(scope="module")
def reference_s() -> float:
    median = statistics.median(cpu_seconds(reference))
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"\nload average (1, 5, 15 min): {load}; reference numpy workload {median * 1000:.0f} ms")
    return median


@pytest.mark.parametrize("name", list(BRIEFS))
def test_response_curves_cpu(name: str, reference_s: float) -> None:
    brief = BRIEFS[name]
    curves = response_curves(brief)
    assert len(curves.recommended.points) == 17
    runs = cpu_seconds(lambda: response_curves(brief))
    best, median = min(runs), statistics.median(runs)
    print(
        f"response_curves({name}) x{REPEATS}: CPU best {best * 1000:.0f} ms, median "
        f"{median * 1000:.0f} ms = {median / reference_s:.1f}x the reference; "
        f"{len(curves.curves)} curves"
    )
    assert median < 5.0  # 1 s on a quiet machine; 5x slack on a shared, loaded one
