"""Plans and response curves as pure functions of JSON, for a pool of worker processes.

A plan on benchmark archetypes or on the bundled sample list is a pure function of (brief,
assumptions, creator source, keep_flagged): these functions take the brief and assumptions as
JSON strings (`model_dump_json`) and return the result's JSON, so they pickle cheaply and give
the same bytes in any process. The sample list is parsed once per process.

    >>> from advisor import Assumptions, CampaignBrief, Plan, recommend
    >>> brief = CampaignBrief(goal="event", budget=20_000, weeks=6)
    >>> out = plan_json(brief.model_dump_json(), Assumptions().model_dump_json())
    >>> Plan.model_validate_json(out) == recommend(brief)
    True
"""

from __future__ import annotations

import os
from functools import cache
from typing import Literal

from advisor.advice.curves import response_curves
from advisor.advice.recommend import recommend
from advisor.creators.ingest import CreatorLoad, load_creators
from advisor.model import allocator
from advisor.model.assumptions import Assumptions
from advisor.model.brief import CampaignBrief
from advisor.model.data import SAMPLE_CREATORS

Source = Literal["archetypes", "sample"]


@cache
def sample_list() -> CreatorLoad:
    """The bundled sample (`advisor/data/creators.csv`), parsed once per process."""
    return load_creators(SAMPLE_CREATORS, label="sample")


def _creators(source: Source) -> CreatorLoad | None:
    if source == "sample":
        return sample_list()
    if source == "archetypes":
        return None
    raise ValueError(f"unknown creator source {source!r}")


def plan_json(
    brief_json: str,
    assumptions_json: str,
    source: Source = "archetypes",
    keep_flagged: bool = False,
) -> str:
    """`recommend(...)` of the brief on the source, as `Plan` JSON."""
    plan = recommend(
        CampaignBrief.model_validate_json(brief_json),
        creators=_creators(source),
        assumptions=Assumptions.model_validate_json(assumptions_json),
        keep_flagged=keep_flagged,
    )
    return plan.model_dump_json()


def curves_json(brief_json: str, assumptions_json: str, source: Source = "archetypes") -> str:
    """`response_curves(...)` of the brief on the source, as `ResponseCurves` JSON."""
    curves = response_curves(
        CampaignBrief.model_validate_json(brief_json),
        _creators(source),
        Assumptions.model_validate_json(assumptions_json),
    )
    return curves.model_dump_json()


def worker_started() -> None:
    """A worker process's set-up: glibc's allocator kept for the engine's arrays
    (`advisor.model.allocator`; about a third less CPU per plan on a long list)."""
    allocator.for_plans()


def process_id() -> str:
    """The process that ran this job (which worker computes: the pool's health check)."""
    return str(os.getpid())


def ready() -> bool:
    """Nothing: a worker that ran it has imported the engine (a pool warms up with it)."""
    return True


__all__ = ["curves_json", "plan_json", "process_id", "ready", "sample_list"]
