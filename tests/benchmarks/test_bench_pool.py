"""Does the server's worker pool help under concurrency (issue 16 §6)? The engine's work for a
new brief (a plan and its response curves, `advisor.advice.jobs`) for 16 sessions at once, in
16 threads of one process as Streamlit runs them: computed in each thread (the GIL shared;
numpy releases it only in part), then through a pool of one worker per core. Every brief is
new (no cache). Printed: wall time for all, p50/p95 per brief, load average and the cores.
"""

from __future__ import annotations

import os
import random
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from multiprocessing import get_context

from advisor import Assumptions, CampaignBrief
from advisor.advice import jobs

SESSIONS = int(os.environ.get("POOL_SESSIONS", "16"))


def work(brief_json: str, figures: str, run) -> float:
    start = time.perf_counter()
    run(jobs.plan_json, brief_json, figures)
    run(jobs.curves_json, brief_json, figures)
    return (time.perf_counter() - start) * 1000


def briefs(seed: int) -> list[str]:
    rng = random.Random(seed)
    return [
        CampaignBrief(
            goal="event", budget=rng.randrange(5_000, 80_000, 50), weeks=rng.randrange(2, 27)
        ).model_dump_json()
        for _ in range(SESSIONS)
    ]


def measure(run, seed: int) -> tuple[float, list[float]]:
    figures = Assumptions().model_dump_json()
    start = time.perf_counter()
    with ThreadPoolExecutor(SESSIONS) as sessions:
        times = list(sessions.map(lambda b: work(b, figures, run), briefs(seed)))
    return time.perf_counter() - start, sorted(times)


def test_pool_against_threads() -> None:
    cores = len(os.sched_getaffinity(0))
    jobs.plan_json(*briefs(0)[:1], Assumptions().model_dump_json())  # warm this process
    rows = []
    thread_wall, thread_times = measure(lambda f, *a: f(*a), seed=1)
    rows.append(("in the threads", thread_wall, thread_times))
    with ProcessPoolExecutor(cores, mp_context=get_context("forkserver")) as pool:
        for ready in [pool.submit(jobs.ready) for _ in range(cores)]:  # as the server warms up
            ready.result()
        pool.submit(jobs.plan_json, *briefs(0)[:1], Assumptions().model_dump_json()).result()
        pool_wall, pool_times = measure(lambda f, *a: pool.submit(f, *a).result(), seed=2)
    rows.append((f"pool of {cores}", pool_wall, pool_times))
    print(
        f"\n{SESSIONS} sessions at once, a new brief each (plan + response curves); "
        f"{cores} cores, load average " + " ".join(f"{v:.1f}" for v in os.getloadavg())
    )
    for label, wall, times in rows:
        p50, p95 = (
            times[len(times) // 2],
            times[min(len(times) - 1, round(0.95 * (len(times) - 1)))],
        )
        print(f"  {label:<15} all {wall:6.2f} s   p50 {p50:7.0f} ms   p95 {p95:7.0f} ms")
    assert thread_times and pool_times
