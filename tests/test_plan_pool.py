"""Plans computed in the server's worker pool (issue 16 §6): the same plan, byte for byte, as
in the script thread; in the thread when there is no pool or it breaks.

Why: sessions share one server process, and a plan computed in a script thread holds the GIL
while others wait; the pool moves that work to other cores. A pool that fails must cost a
visitor nothing but time.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator

import pytest

from advisor import Assumptions, CampaignBrief, Plan, recommend, response_curves
from advisor.advice import jobs
from advisor.advice.curves import ResponseCurves
from advisor.ui import state

BRIEF = CampaignBrief(goal="event", budget=23_450, currency="EUR", weeks=7)
FIGURES = Assumptions()


@pytest.fixture
def pool(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A fresh pool of one worker for the test, shut down after it."""
    monkeypatch.setenv(state.WORKERS_ENV, "1")
    state.plan_pool.clear()
    yield
    made = state.plan_pool()
    if made is not None:
        made.shutdown(wait=True, cancel_futures=True)
    state.plan_pool.clear()


def test_jobs_give_the_engines_results_as_json() -> None:
    keys = (BRIEF.model_dump_json(), FIGURES.model_dump_json())
    assert Plan.model_validate_json(jobs.plan_json(*keys)) == recommend(BRIEF)
    sample = jobs.sample_list()
    assert Plan.model_validate_json(jobs.plan_json(*keys, "sample", True)) == recommend(
        BRIEF, creators=sample, keep_flagged=True
    )
    curves = ResponseCurves.model_validate_json(jobs.curves_json(*keys, "sample"))
    assert curves == response_curves(BRIEF, sample, FIGURES)
    with pytest.raises(ValueError, match="source"):
        jobs.plan_json(*keys, "upload")  # type: ignore[arg-type]


def _kill_a_worker() -> None:
    """Kill the worker process that answers (never the test's own process): the functions a
    pool runs are the package's own, so any worker can unpickle them, however it started."""
    pid = int(state.in_pool(jobs.process_id))
    assert pid != os.getpid()
    os.kill(pid, signal.SIGKILL)


def test_the_pool_computes_elsewhere_and_gives_the_same_bytes(pool: None) -> None:
    keys = (BRIEF.model_dump_json(), FIGURES.model_dump_json())
    assert state.plan_pool() is not None
    assert state.in_pool(jobs.process_id) != str(os.getpid())  # another process did it
    assert state.in_pool(jobs.plan_json, *keys, "archetypes", False) == jobs.plan_json(*keys)
    with pytest.raises(ValueError, match="source"):  # the engine's errors come through
        state.in_pool(jobs.plan_json, *keys, "upload", False)


def test_a_broken_pool_falls_back_to_the_thread_then_a_new_pool(pool: None) -> None:
    first = state.plan_pool()
    assert first is not None
    _kill_a_worker()
    assert state.in_pool(jobs.process_id) == str(os.getpid())  # broken: answered in the thread
    second = state.plan_pool()
    assert second is not None and second is not first  # the next call has a working pool
    assert state.in_pool(jobs.process_id) != str(os.getpid())
    second.shutdown(wait=True)  # a pool shut down under it: submit refuses, the thread answers
    assert state.in_pool(jobs.process_id) == str(os.getpid())
    third = state.plan_pool()
    assert third is not None and third is not second
    assert state.in_pool(jobs.process_id) != str(os.getpid())


def test_no_workers_computes_in_the_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(state.WORKERS_ENV, "0")
    state.plan_pool.clear()
    try:
        assert state.plan_pool() is None
        assert state.in_pool(jobs.process_id) == str(os.getpid())
    finally:
        state.plan_pool.clear()


def test_default_workers_are_the_cores(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(state.WORKERS_ENV, raising=False)
    assert state.plan_workers() == len(os.sched_getaffinity(0))
    monkeypatch.setenv(state.WORKERS_ENV, "3")
    assert state.plan_workers() == 3


def test_a_chart_is_built_once_for_equal_plans_in_every_session() -> None:
    from advisor.present.charts import budget_chart, reach_chart

    plan, again = recommend(BRIEF), recommend(BRIEF)  # equal, not the same object
    assert plan is not again
    first = state.figure(reach_chart, plan, "en")
    assert state.figure(reach_chart, again, "en") is first  # from the cache
    assert first.to_dict() == reach_chart(plan, "en").to_dict()  # what the chart builds
    assert state.figure(reach_chart, plan, "fr") is not first  # per language
    assert state.figure(budget_chart, plan, "en") is not first  # per chart
    other = recommend(BRIEF.model_copy(update={"weeks": 9}))
    assert state.figure(reach_chart, other, "en") is not first  # per plan
    with pytest.raises(ValueError, match="not a chart"):
        state.figure(lambda p, lang: None, plan, "en")
