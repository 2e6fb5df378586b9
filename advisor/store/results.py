"""A saved plan's campaign results, and the team's assumptions learnt from them.

Results are saved against a version of a plan: `save_results(plan_id, results,
expected_version)` refuses (`ConflictError`) when the plan moved on since the page read it,
and keeps a copy of the plan at that version beside the results, so a later edit of the plan
never changes what its results are compared with. Uploading again for the same version
replaces that version's results; `load_results` gives the latest.

The team's assumptions (`save_team_assumptions` / `load_team_assumptions`) are one row per
workspace: the figures as `Assumptions` overrides and, per figure, its evidence (campaigns,
posts), versioned like a plan.

These are `Store` methods too (`store.save_results(...)`); this module holds their code.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, func, insert, select, update

from advisor.advice.calibration import Calibration
from advisor.advice.plan import Plan
from advisor.creators.results import ResultsLoad
from advisor.model.assumptions import Assumptions
from advisor.store.plans import ID_PATTERN, ConflictError, PlanNotFound, Store
from advisor.store.schema import plan_results, plans, team_assumptions


@dataclass(frozen=True)
class StoredResults:
    """A campaign's results as saved, with the plan (at that version) they answer."""

    plan_id: str
    plan_version: int
    uploaded: datetime
    plan: Plan
    results: ResultsLoad


@dataclass(frozen=True)
class TeamAssumptions:
    """The workspace's own figures: overrides, their evidence, and the row's version."""

    overrides: dict[str, float]
    evidence: dict[str, dict[str, float]] = field(default_factory=dict)
    version: int = 0
    updated: datetime | None = None

    def assumptions(self) -> Assumptions:
        return Assumptions(overrides=self.overrides)


def _check(plan_id: object) -> str:
    if not isinstance(plan_id, str) or not ID_PATTERN.fullmatch(plan_id):
        raise PlanNotFound(f"no saved plan {plan_id!r}", plan_id=str(plan_id)[:64])
    return plan_id


def _utc(value: datetime) -> datetime:
    """SQLite gives naive datetimes back: they were stored as UTC."""
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def save_results(store: Store, plan_id: str, results: ResultsLoad, expected_version: int) -> int:
    """Save `results` against version `expected_version` of the plan; returns that version.

    Raises `PlanNotFound` (no such live plan in this workspace) or `ConflictError` (the plan
    is at another version now: reload it and upload again)."""
    if not isinstance(results, ResultsLoad):
        raise TypeError("results must be an advisor.creators.results.ResultsLoad")
    _check(plan_id)
    payload = json.dumps(results.to_json())
    with store.writing() as connection:
        row = connection.execute(
            select(plans.c.version, plans.c.plan_json).where(
                plans.c.id == plan_id,
                plans.c.workspace == store.workspace,
                plans.c.deleted_at.is_(None),
            )
        ).first()
        if row is None:
            raise PlanNotFound(f"no saved plan {plan_id!r}", plan_id=plan_id)
        if int(row.version) != int(expected_version):
            raise ConflictError(plan_id, int(expected_version), int(row.version))
        key = (plan_results.c.plan_id == plan_id) & (
            plan_results.c.plan_version == int(expected_version)
        )
        connection.execute(delete(plan_results).where(key))
        connection.execute(
            insert(plan_results).values(
                plan_id=plan_id,
                plan_version=int(expected_version),
                workspace=store.workspace,
                uploaded_at=datetime.now(UTC),
                rows=results.rows_kept,
                plan_json=row.plan_json,
                results_json=payload,
            )
        )
    return int(expected_version)


def _stored(row: Any) -> StoredResults:
    return StoredResults(
        plan_id=row.plan_id,
        plan_version=int(row.plan_version),
        uploaded=_utc(row.uploaded_at),
        plan=Plan.model_validate_json(row.plan_json),
        results=ResultsLoad.from_json(json.loads(row.results_json)),
    )


def load_results(store: Store, plan_id: str) -> StoredResults | None:
    """The latest results saved for this plan (None when it has none yet)."""
    _check(plan_id)
    query = (
        select(plan_results)
        .join(plans, plans.c.id == plan_results.c.plan_id)
        .where(plan_results.c.plan_id == plan_id, plans.c.deleted_at.is_(None))
        .order_by(plan_results.c.plan_version.desc())
        .limit(1)
    )
    with store.reading() as connection:
        row = connection.execute(query).first()
    return None if row is None else _stored(row)


def campaigns_with_results(store: Store, limit: int = 500) -> list[StoredResults]:
    """Every live plan of the workspace with results: its latest results, newest first."""
    latest = (
        select(plan_results.c.plan_id, func.max(plan_results.c.plan_version).label("v"))
        .where(plan_results.c.workspace == store.workspace)
        .group_by(plan_results.c.plan_id)
        .subquery()
    )
    query = (
        select(plan_results)
        .join(
            latest,
            (latest.c.plan_id == plan_results.c.plan_id)
            & (latest.c.v == plan_results.c.plan_version),
        )
        .join(plans, plans.c.id == plan_results.c.plan_id)
        .where(plans.c.deleted_at.is_(None))
        .order_by(plan_results.c.uploaded_at.desc(), plan_results.c.plan_id)
        .limit(limit)
    )
    with store.reading() as connection:
        rows = connection.execute(query).all()
    return [_stored(row) for row in rows]


def save_team_assumptions(
    store: Store,
    figures: Calibration | Mapping[str, float],
    expected_version: int | None = None,
) -> int:
    """Save the workspace's own figures (a `Calibration`, or overrides); returns the version.

    With `expected_version` (0: none saved yet), raises `ConflictError` when someone saved
    other figures since they were read."""
    if isinstance(figures, Calibration):
        overrides = figures.overrides
        evidence = {
            f.key: {"campaigns": f.campaigns, "posts": f.posts, "default": f.default}
            for f in figures.figures
        }
    else:
        overrides, evidence = dict(figures), {}
    overrides = Assumptions(overrides=overrides).overrides  # checked, defaults dropped
    values = {
        "updated_at": datetime.now(UTC),
        "overrides_json": json.dumps(overrides, sort_keys=True),
        "evidence_json": json.dumps(evidence, sort_keys=True),
    }
    with store.writing() as connection:
        current = connection.execute(
            select(team_assumptions.c.version).where(
                team_assumptions.c.workspace == store.workspace
            )
        ).scalar()
        now = int(current or 0)
        if expected_version is not None and int(expected_version) != now:
            raise ConflictError(f"team:{store.workspace}", int(expected_version), now)
        if current is None:
            connection.execute(
                insert(team_assumptions).values(workspace=store.workspace, version=1, **values)
            )
        else:
            connection.execute(
                update(team_assumptions)
                .where(team_assumptions.c.workspace == store.workspace)
                .values(version=now + 1, **values)
            )
    return now + 1


def load_team_assumptions(store: Store) -> TeamAssumptions | None:
    """The workspace's saved figures (None when the team saved none)."""
    with store.reading() as connection:
        row = connection.execute(
            select(team_assumptions).where(team_assumptions.c.workspace == store.workspace)
        ).first()
    if row is None:
        return None
    overrides = {str(k): float(v) for k, v in json.loads(row.overrides_json).items()}
    names = {f.key for f in Assumptions().figures()}  # a figure the benchmarks dropped is gone
    return TeamAssumptions(
        overrides={k: v for k, v in overrides.items() if k in names},
        evidence=json.loads(row.evidence_json),
        version=int(row.version),
        updated=_utc(row.updated_at),
    )


__all__ = [
    "StoredResults",
    "TeamAssumptions",
    "campaigns_with_results",
    "load_results",
    "load_team_assumptions",
    "save_results",
    "save_team_assumptions",
]
