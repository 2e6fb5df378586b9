"""Saved plans: save, load, list, rename, delete (undoable), duplicate and update a plan.

    >>> store = open_store("sqlite://")  # in memory; `open_store()` uses the default file
    >>> from advisor import CampaignBrief, recommend
    >>> plan = recommend(CampaignBrief(goal="event", weeks=6), samples=20)
    >>> plan_id = store.save(plan, "Spring event", author="Ana")
    >>> store.load(plan_id).plan == plan
    True

A saved plan holds the plan as computed (its brief and edited assumptions are inside it), the
creator list and shortlist it was built from, the shortlist rules, a name and author, created and
updated times (UTC), a version, and a fingerprint of the benchmark files it was computed with.
Ids are 144 random bits (`secrets.token_urlsafe`), so a link to a plan cannot be guessed: the
id is the capability to read that plan, in any workspace. Listing and writing are per workspace.

Every write is one transaction. `update` is optimistic: it names the version it edits and
raises `ConflictError` when someone saved in between, so nothing is overwritten unseen. A save
whose outcome is unknown (the database stopped answering) is safe to repeat: `save(...,
save_key=k)` with the same key returns the plan the first attempt created, never a second one.

No call hangs: every operation runs under a deadline (`db.bounded`, 3 × `timeout`), and every
database failure, pool exhaustion included, comes out as a `StoreError` whose `code` the page
translates. Names and authors holding a character that is not text (NUL, a lone surrogate) are
refused before they reach the database, naming the character.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

import pandas as pd
from sqlalchemy import Connection, Engine, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import ArgumentError, DBAPIError, IntegrityError, SQLAlchemyError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from advisor.advice.plan import Plan
from advisor.advice.recommend import recommend
from advisor.creators.ingest import CreatorLoad
from advisor.creators.shortlist import Shortlist, ShortlistRules
from advisor.locale.text import text_problem
from advisor.model.benchmarks import BENCHMARK_DIR
from advisor.store import db
from advisor.store.lists import MAX_LIST_BYTES, StoredList, from_parquet, stored
from advisor.store.schema import creator_lists, plans

ID_BYTES = 18  # 144 random bits, 24 URL-safe characters
ID_PATTERN = re.compile(r"[A-Za-z0-9_-]{16,64}")
NAME_MAX = 200
SAVE_KEY_MAX = 64
DEFAULT_WORKSPACE = "default"
COPY_OF = "Copy of {name}"  # the UI passes a translated name; this is the notebook default


class StoreError(Exception):
    """A store failure with a machine-readable `code` the page translates (`store.error.<code>`).

    Codes: not_found, conflict, too_large, name_required, bad_character (param `char`, e.g.
    "U+0000"), unavailable, timeout (no answer in time: a save may or may not have happened),
    busy (every pooled connection in use), failed, invalid_url.
    """

    code = "error"

    def __init__(self, message: str, code: str | None = None, **params: Any) -> None:
        super().__init__(message)
        if code is not None:
            self.code = code
        self.params = params


class PlanNotFound(StoreError):
    code = "not_found"


class ConflictError(StoreError):
    """Someone saved the plan since `expected` was read: reload (or save a copy) and retry."""

    code = "conflict"

    def __init__(self, plan_id: str, expected: int, current: int) -> None:
        super().__init__(
            f"plan {plan_id} is at version {current}, not {expected}: it was changed meanwhile",
            expected=expected,
            current=current,
        )
        self.plan_id = plan_id
        self.expected = expected
        self.current = current


@lru_cache(maxsize=1)
def benchmarks_fingerprint() -> str:
    """sha256 over the benchmark files a plan is computed from (names and contents)."""
    digest = hashlib.sha256()
    for path in sorted(BENCHMARK_DIR.glob("*.csv")):
        digest.update(path.name.encode("utf-8") + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def _utc(value: datetime | None) -> datetime | None:
    """SQLite gives naive datetimes back: they were stored as UTC."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class PlanSummary:
    """One row of the workspace's list: who, when, and the plan's headline numbers."""

    id: str
    name: str
    author: str
    created: datetime
    updated: datetime
    version: int
    goal: str
    budget: float
    currency: str
    weeks: int
    strategy: str
    influencer_share: float
    objective_key: str
    objective_p10: float
    objective_p50: float
    objective_p90: float
    cost_per_result: float | None
    data_source: str
    deleted: datetime | None = None

    @property
    def split(self) -> dict[str, float]:
        share = self.influencer_share
        return {"influencer": share, "ambassador": round(1.0 - share, 10)}


@dataclass(frozen=True)
class Recomputed:
    plan: Plan
    change: float | None  # relative change of the median objective (None when it was 0)


@dataclass(frozen=True)
class SavedPlan:
    """A plan as saved, with everything needed to show it again exactly."""

    summary: PlanSummary
    plan: Plan
    creators: CreatorLoad | pd.DataFrame | None = None
    shortlist: pd.DataFrame | None = None  # the shortlist as shown (`Shortlist.table`)
    shortlist_info: dict[str, Any] = field(default_factory=dict)  # its status, costs, gaps
    rules: ShortlistRules | None = None
    benchmarks_fingerprint: str = ""
    workspace: str = DEFAULT_WORKSPACE
    _cache: dict[str, Recomputed] = field(default_factory=dict, compare=False, repr=False)

    @property
    def id(self) -> str:
        return self.summary.id

    @property
    def name(self) -> str:
        return self.summary.name

    @property
    def author(self) -> str:
        return self.summary.author

    @property
    def version(self) -> int:
        return self.summary.version

    @property
    def created(self) -> datetime:
        return self.summary.created

    @property
    def updated(self) -> datetime:
        return self.summary.updated

    @property
    def stale(self) -> bool:
        """The benchmark files changed since the plan was computed."""
        return self.benchmarks_fingerprint != benchmarks_fingerprint()

    def source(self) -> object:
        """What the plan was built from, as `recommend(creators=...)` takes it.

        A plan built from a shortlist needs the shortlist object itself, which the page rebuilds
        from `creators` and `rules`: pass it to `recompute(creators=...)`."""
        if self.plan.data_source.startswith("shortlist:"):
            raise StoreError(
                "a plan built from a shortlist is recomputed from a rebuilt shortlist",
                code="recompute_needs_shortlist",
            )
        if self.creators is not None and self.plan.data_source != "benchmarks":
            return self.creators
        return None

    def recompute(self, creators: object = None) -> Recomputed:
        """The same brief, assumptions and creators with the current benchmarks and model.

        `creators`: what to build from instead of the stored source (a rebuilt `Shortlist`)."""
        key = "plan" if creators is None else f"given:{id(creators)}"
        if key not in self._cache:
            old = self.plan
            new = recommend(
                old.brief,
                creators=self.source() if creators is None else creators,
                assumptions=old.assumptions,
                samples=old.projection.samples,
            )
            before = old.recommended.objective_p50
            after = new.recommended.objective_p50
            change = (after / before - 1.0) if before > 0 else None
            self._cache[key] = Recomputed(new, change)
        return self._cache[key]


_KEEP: Any = object()


def _headline(plan: Plan) -> dict[str, Any]:
    rec = plan.recommended
    return {
        "goal": plan.brief.goal.value,
        "budget": float(plan.brief.budget),
        "currency": str(plan.brief.currency),
        "weeks": int(plan.brief.weeks),
        "strategy": plan.strategy.value,
        "influencer_share": float(plan.split.get("influencer", 0.0)),
        "objective_key": str(plan.objective.key),
        "objective_p10": float(rec.objective_p10),
        "objective_p50": float(rec.objective_p50),
        "objective_p90": float(rec.objective_p90),
        "cost_per_result": None if rec.cost_per_result is None else float(rec.cost_per_result),
        "data_source": plan.data_source[:200],
    }


def _summary(row: Any) -> PlanSummary:
    return PlanSummary(
        id=row.id,
        name=row.name,
        author=row.author,
        created=_utc(row.created_at),  # type: ignore[arg-type]
        updated=_utc(row.updated_at),  # type: ignore[arg-type]
        version=row.version,
        goal=row.goal,
        budget=row.budget,
        currency=row.currency,
        weeks=row.weeks,
        strategy=row.strategy,
        influencer_share=row.influencer_share,
        objective_key=row.objective_key,
        objective_p10=row.objective_p10,
        objective_p50=row.objective_p50,
        objective_p90=row.objective_p90,
        cost_per_result=row.cost_per_result,
        data_source=row.data_source,
        deleted=_utc(row.deleted_at),
    )


_SUMMARY_COLUMNS = [
    plans.c[name]
    for name in (
        "id", "name", "author", "created_at", "updated_at", "deleted_at", "version", "goal",
        "budget", "currency", "weeks", "strategy", "influencer_share", "objective_key",
        "objective_p10", "objective_p50", "objective_p90", "cost_per_result", "data_source",
    )
]  # fmt: skip


def _text(value: object, what: str) -> str:
    """`value` with its whitespace runs collapsed, refused if it holds a character not text."""
    text = str(value)
    bad = text_problem(text)
    if bad is not None:
        raise StoreError(f"the {what} contains {bad}, which is not text", "bad_character", char=bad)
    return " ".join(text.split())[:NAME_MAX]


def _clean_name(name: str) -> str:
    name = _text(name, "name")
    if not name:
        raise StoreError("a saved plan needs a name", code="name_required")
    return name


def _clean_author(author: str | None) -> str:
    return _text(author or "", "author")


def _check_key(save_key: str | None) -> str | None:
    if save_key is None:
        return None
    if not isinstance(save_key, str) or not 8 <= len(save_key) <= SAVE_KEY_MAX:
        raise ValueError(f"save_key must be a string of 8 to {SAVE_KEY_MAX} characters")
    return save_key


def _check_id(plan_id: str) -> str:
    if not isinstance(plan_id, str) or not ID_PATTERN.fullmatch(plan_id):
        raise PlanNotFound(f"no saved plan {plan_id!r}", plan_id=str(plan_id)[:64])
    return plan_id


def _creator_parts(
    creators: object,
) -> tuple[StoredList | None, dict[str, Any] | None]:
    """The stored table and the per-plan metadata of a creator list (CreatorLoad or table)."""
    if creators is None:
        return None, None
    if isinstance(creators, CreatorLoad):
        problems = [p.model_dump(mode="json") for p in creators.problems]
        meta = creators.model_dump(mode="json", exclude={"table", "problems"})
        return stored(creators.table, problems), {"kind": "load", **meta}
    if isinstance(creators, pd.DataFrame):
        return stored(creators), {"kind": "table"}
    raise TypeError("creators must be a CreatorLoad or a DataFrame in the canonical layout")


def _shortlist_parts(
    shortlist: Shortlist | None,
) -> tuple[StoredList | None, dict[str, Any] | None]:
    """The shortlist as shown (its `table`) and its scalar facts (status, costs, gaps)."""
    if shortlist is None:
        return None, None
    table = getattr(shortlist, "table", None)
    if not isinstance(table, pd.DataFrame):
        raise TypeError("shortlist must be an advisor.creators.shortlist.Shortlist")
    info = {
        name: value
        for name in type(shortlist).model_fields
        if isinstance(value := getattr(shortlist, name), str | int | float | bool | None)
    }
    return stored(table), info


class Store:
    """The plans of one workspace in one database (thread-safe; share one per process)."""

    def __init__(
        self,
        engine: Engine,
        workspace: str = DEFAULT_WORKSPACE,
        max_list_bytes: int = MAX_LIST_BYTES,
        timeout: float | None = None,
    ) -> None:
        self.engine = engine
        self.workspace = workspace[:100] or DEFAULT_WORKSPACE
        self.max_list_bytes = max_list_bytes
        self.timeout = timeout or db.default_timeout()
        self.deadline = self.timeout * db.OPERATION_FACTOR  # one whole operation

    def __repr__(self) -> str:
        return f"Store({self.engine.url!r}, workspace={self.workspace!r})"

    @property
    def backend(self) -> str:
        return self.engine.dialect.name

    # --- plumbing ----------------------------------------------------------------------------

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        """One transaction that takes SQLite's write lock up front, under the deadline."""
        with (
            db.bounded(self.deadline) as limit,
            _errors(limit),
            self.engine.connect() as connection,
        ):
            connection.execution_options(immediate=True)
            with connection.begin():
                yield connection

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        with (
            db.bounded(self.deadline) as limit,
            _errors(limit),
            self.engine.connect() as connection,
            connection.begin(),
        ):
            yield connection

    def writing(self) -> AbstractContextManager[Connection]:
        """A write transaction on the store's database, under its deadline; failures raise
        `StoreError` (for the store's own modules, e.g. the shared throttle)."""
        return self._write()

    def reading(self) -> AbstractContextManager[Connection]:
        return self._read()

    def _mine(self, plan_id: str) -> Any:
        return (plans.c.id == plan_id) & (plans.c.workspace == self.workspace)

    def _check_size(self, item: StoredList | None) -> None:
        if item is not None and item.size > self.max_list_bytes:
            raise StoreError(
                f"the creator list takes {item.size:,} bytes stored, over the "
                f"{self.max_list_bytes:,}-byte limit",
                code="too_large",
                size_mb=round(item.size / 1_048_576, 1),
                limit_mb=round(self.max_list_bytes / 1_048_576, 1),
            )

    def _put_list(self, connection: Connection, item: StoredList | None) -> str | None:
        if item is None:
            return None
        values = {
            "sha256": item.sha256,
            "created_at": _now(),
            "rows": item.rows,
            "size_bytes": item.size,
            "parquet": item.parquet,
            "meta_json": item.meta_json,
        }
        name = connection.dialect.name
        if name in ("sqlite", "postgresql"):
            dialect_insert = sqlite.insert if name == "sqlite" else postgresql.insert
            statement = dialect_insert(creator_lists).values(**values)
            connection.execute(statement.on_conflict_do_nothing(index_elements=["sha256"]))
        else:  # pragma: no cover - other databases: check, then insert in a savepoint
            known = select(creator_lists.c.sha256).where(creator_lists.c.sha256 == item.sha256)
            if connection.execute(known).first() is None:
                try:
                    with connection.begin_nested():
                        connection.execute(insert(creator_lists).values(**values))
                except IntegrityError:
                    pass
        return item.sha256

    def _get_list(self, connection: Connection, sha: str | None) -> tuple[bytes, str]:
        row = connection.execute(
            select(creator_lists.c.parquet, creator_lists.c.meta_json).where(
                creator_lists.c.sha256 == sha
            )
        ).one()
        return row.parquet, row.meta_json

    def _sources(self, creators: Any, shortlist: Any) -> dict[str, Any]:
        """The stored lists (encoded before any transaction: encoding is slow) and their meta."""
        parts: dict[str, Any] = {}
        if creators is not _KEEP:
            parts["creators"] = _creator_parts(creators)
        if shortlist is not _KEEP:
            parts["shortlist"] = _shortlist_parts(shortlist)
        for item, _meta in parts.values():
            self._check_size(item)
        return parts

    def _source_values(self, connection: Connection, parts: dict[str, Any]) -> dict:
        values: dict[str, Any] = {}
        for name, (item, meta) in parts.items():
            values[f"{name}_sha"] = self._put_list(connection, item)
            values[f"{name}_meta"] = None if meta is None else json.dumps(meta)
        return values

    # --- the contract --------------------------------------------------------------------------

    def save(
        self,
        plan: Plan,
        name: str,
        author: str = "",
        creators: CreatorLoad | pd.DataFrame | None = None,
        *,
        shortlist: Shortlist | None = None,
        rules: ShortlistRules | None = None,
        save_key: str | None = None,
    ) -> str:
        """Save `plan` as a new plan of this workspace; returns its id (for `/?plan=<id>`).

        `save_key`: a random token the caller makes once per intended save (the Save form
        does). Saving again with the same key returns the id the first save created, so a save
        whose outcome was unknown (timeout) can simply be repeated."""
        if not isinstance(plan, Plan):
            raise TypeError("plan must be an advisor.Plan")
        save_key = _check_key(save_key)
        name, author = _clean_name(name), _clean_author(author)
        if save_key is not None:
            existing = self._saved_with(save_key)
            if existing is not None:
                return existing
        parts = self._sources(creators, shortlist)
        now = _now()
        plan_id = secrets.token_urlsafe(ID_BYTES)
        row = {
            "id": plan_id,
            "workspace": self.workspace,
            "name": name,
            "author": author,
            "created_at": now,
            "updated_at": now,
            "deleted_at": None,
            "version": 1,
            "plan_json": plan.model_dump_json(),
            "rules_json": None if rules is None else rules.model_dump_json(),
            "benchmarks_fingerprint": benchmarks_fingerprint(),
            "save_key": save_key,
            **_headline(plan),
        }
        try:
            with self._write() as connection:
                row.update(self._source_values(connection, parts))
                connection.execute(insert(plans).values(**row))
        except StoreError as error:
            # the same key saved concurrently (another replica, a double click): theirs stands
            if save_key is not None and isinstance(error.__cause__, IntegrityError):
                existing = self._saved_with(save_key)
                if existing is not None:
                    return existing
            raise
        return plan_id

    def _saved_with(self, save_key: str) -> str | None:
        """The id of the plan saved with `save_key`, if that save happened."""
        with self._read() as connection:
            return connection.execute(
                select(plans.c.id).where(plans.c.save_key == save_key)
            ).scalar()

    def load(self, plan_id: str) -> SavedPlan:
        """The saved plan with this id (any workspace: the id is the capability to read it)."""
        _check_id(plan_id)
        with self._read() as connection:
            row = connection.execute(
                select(plans).where(plans.c.id == plan_id, plans.c.deleted_at.is_(None))
            ).first()
            if row is None:
                raise PlanNotFound(f"no saved plan {plan_id!r}", plan_id=plan_id)
            creators_raw = shortlist_raw = None
            if row.creators_sha is not None:
                creators_raw = self._get_list(connection, row.creators_sha)
            if row.shortlist_sha is not None:
                shortlist_raw = self._get_list(connection, row.shortlist_sha)
        # decoded after the transaction: Parquet decoding is slow, the database need not wait
        creators: CreatorLoad | pd.DataFrame | None = None
        shortlist: pd.DataFrame | None = None
        if creators_raw is not None:
            stored_meta = json.loads(creators_raw[1])
            table = from_parquet(creators_raw[0], stored_meta)
            meta = json.loads(row.creators_meta or "{}")
            if meta.pop("kind", "table") == "load":
                creators = CreatorLoad(table=table, problems=stored_meta["problems"], **meta)
            else:
                creators = table
        if shortlist_raw is not None:
            shortlist = from_parquet(shortlist_raw[0], json.loads(shortlist_raw[1]))
        return SavedPlan(
            summary=_summary(row),
            plan=Plan.model_validate_json(row.plan_json),
            creators=creators,
            shortlist=shortlist,
            shortlist_info=json.loads(row.shortlist_meta or "{}"),
            rules=None
            if row.rules_json is None
            else ShortlistRules.model_validate_json(row.rules_json),
            benchmarks_fingerprint=row.benchmarks_fingerprint,
            workspace=row.workspace,
        )

    def list(self, limit: int = 500) -> list[PlanSummary]:
        """The workspace's plans, most recently updated first (headline numbers, no plan JSON)."""
        query = (
            select(*_SUMMARY_COLUMNS)
            .where(plans.c.workspace == self.workspace, plans.c.deleted_at.is_(None))
            .order_by(plans.c.updated_at.desc(), plans.c.id)
            .limit(limit)
        )
        with self._read() as connection:
            return [_summary(row) for row in connection.execute(query)]

    def update(
        self,
        plan_id: str,
        plan: Plan,
        expected_version: int,
        *,
        name: str | None = None,
        author: str | None = None,
        creators: Any = _KEEP,
        shortlist: Any = _KEEP,
        rules: Any = _KEEP,
        save_key: str | None = None,
    ) -> int:
        """Replace the plan if it is still at `expected_version`; returns the new version.

        Raises `ConflictError` when it moved on (someone saved in between) and `PlanNotFound`
        when it is gone. Creators, shortlist and rules are kept unless given (None clears).
        `save_key`: as for `save`; repeating an update that did happen (the plan is at
        `expected_version + 1` by this key) returns that version instead of a conflict."""
        _check_id(plan_id)
        save_key = _check_key(save_key)
        values: dict[str, Any] = {
            "plan_json": plan.model_dump_json(),
            "benchmarks_fingerprint": benchmarks_fingerprint(),
            **_headline(plan),
        }
        if name is not None:
            values["name"] = _clean_name(name)
        if author is not None:
            values["author"] = _clean_author(author)
        if rules is not _KEEP:
            values["rules_json"] = None if rules is None else rules.model_dump_json()
        if save_key is not None:
            values["save_key"] = save_key
        parts = self._sources(creators, shortlist)
        with self._write() as connection:
            values.update(self._source_values(connection, parts))
            return self._bump(connection, plan_id, expected_version, values)

    def _bump(
        self, connection: Connection, plan_id: str, expected: int, values: dict[str, Any]
    ) -> int:
        result = connection.execute(
            update(plans)
            .where(
                self._mine(plan_id),
                plans.c.version == expected,
                plans.c.deleted_at.is_(None),
            )
            .values(**values, version=expected + 1, updated_at=_now())
        )
        if result.rowcount == 1:
            return expected + 1
        current = connection.execute(
            select(plans.c.version, plans.c.save_key).where(
                self._mine(plan_id), plans.c.deleted_at.is_(None)
            )
        ).first()
        if current is None:
            raise PlanNotFound(f"no saved plan {plan_id!r}", plan_id=plan_id)
        key = values.get("save_key")
        if key is not None and current.save_key == key and current.version == expected + 1:
            return expected + 1  # this very update, repeated: it happened the first time
        raise ConflictError(plan_id, expected, int(current.version))

    def rename(self, plan_id: str, name: str, expected_version: int | None = None) -> int:
        """New name (version + 1); with `expected_version`, only if nobody saved meanwhile."""
        _check_id(plan_id)
        clean = _clean_name(name)
        with self._write() as connection:
            if expected_version is None:
                expected_version = self._version(connection, plan_id)
            return self._bump(connection, plan_id, expected_version, {"name": clean})

    def _version(self, connection: Connection, plan_id: str) -> int:
        current = connection.execute(
            select(plans.c.version).where(self._mine(plan_id), plans.c.deleted_at.is_(None))
        ).scalar()
        if current is None:
            raise PlanNotFound(f"no saved plan {plan_id!r}", plan_id=plan_id)
        return int(current)

    def delete(self, plan_id: str) -> PlanSummary:
        """Hide the plan (its link stops working); `restore(plan_id)` undoes it."""
        _check_id(plan_id)
        with self._write() as connection:
            result = connection.execute(
                update(plans)
                .where(self._mine(plan_id), plans.c.deleted_at.is_(None))
                .values(deleted_at=_now())
            )
            if result.rowcount != 1:
                raise PlanNotFound(f"no saved plan {plan_id!r}", plan_id=plan_id)
            row = connection.execute(select(*_SUMMARY_COLUMNS).where(self._mine(plan_id))).one()
        return _summary(row)

    def restore(self, plan_id: str) -> None:
        """Undo `delete`."""
        _check_id(plan_id)
        with self._write() as connection:
            result = connection.execute(
                update(plans)
                .where(self._mine(plan_id), plans.c.deleted_at.is_not(None))
                .values(deleted_at=None)
            )
            if result.rowcount != 1:
                raise PlanNotFound(f"no deleted plan {plan_id!r}", plan_id=plan_id)

    def duplicate(self, plan_id: str, name: str | None = None, author: str | None = None) -> str:
        """A new plan (new id, version 1) with the same contents, into this workspace."""
        _check_id(plan_id)
        new_name = None if name is None else _clean_name(name)
        new_author = None if author is None else _clean_author(author)
        with self._write() as connection:
            row = connection.execute(
                select(plans).where(plans.c.id == plan_id, plans.c.deleted_at.is_(None))
            ).first()
            if row is None:
                raise PlanNotFound(f"no saved plan {plan_id!r}", plan_id=plan_id)
            now = _now()
            copy = dict(row._mapping)
            new_id = secrets.token_urlsafe(ID_BYTES)
            copy.update(
                id=new_id,
                workspace=self.workspace,
                name=new_name or _clean_name(COPY_OF.format(name=row.name)),
                author=row.author if new_author is None else new_author,
                save_key=None,
                created_at=now,
                updated_at=now,
                deleted_at=None,
                version=1,
            )
            connection.execute(insert(plans).values(**copy))
        return new_id

    def name_taken(self, name: str, except_id: str | None = None) -> str | None:
        """The id of another live plan of this workspace with this name (spaces and case
        ignored), else None: the page questions a second plan under the same name."""
        wanted = " ".join(str(name).split())[:NAME_MAX].casefold()
        if not wanted:
            return None
        query = select(plans.c.id, plans.c.name).where(  # compared here: Unicode case
            plans.c.workspace == self.workspace, plans.c.deleted_at.is_(None)
        )
        with self._read() as connection:
            for row in connection.execute(query):
                if row.id != except_id and " ".join(row.name.split()).casefold() == wanted:
                    return str(row.id)
        return None

    # --- campaign results and the team's figures (code in `advisor.store.results`) -----------

    def save_results(self, plan_id: str, results: Any, expected_version: int) -> int:
        """Save a campaign's results against version `expected_version` of the plan."""
        from advisor.store.results import save_results

        return save_results(self, plan_id, results, expected_version)

    def load_results(self, plan_id: str) -> Any:
        """The plan's latest results (`StoredResults`), or None."""
        from advisor.store.results import load_results

        return load_results(self, plan_id)

    def campaigns_with_results(self) -> list[Any]:
        """The workspace's live plans with results (`StoredResults`), newest first."""
        from advisor.store.results import campaigns_with_results

        return campaigns_with_results(self)

    def save_team_assumptions(self, figures: Any, expected_version: int | None = None) -> int:
        """Save the workspace's own figures (a `Calibration` or overrides)."""
        from advisor.store.results import save_team_assumptions

        return save_team_assumptions(self, figures, expected_version)

    def load_team_assumptions(self) -> Any:
        """The workspace's saved figures (`TeamAssumptions`), or None."""
        from advisor.store.results import load_team_assumptions

        return load_team_assumptions(self)

    def count_lists(self) -> int:
        """Distinct stored creator tables (all workspaces)."""
        with self._read() as connection:
            return int(connection.execute(select(func.count()).select_from(creator_lists)).scalar())

    def dispose(self) -> None:
        self.engine.dispose()


@contextmanager
def _errors(limit: db.Deadline | None = None) -> Iterator[None]:
    """Database failures become `StoreError`: "timeout" (the deadline ran out: the outcome of a
    write is unknown), "busy" (no pooled connection free in time), "failed" (a constraint refused
    the write), else "unavailable" (server down, locked, disk); the transaction is rolled back."""
    try:
        yield
    except StoreError:
        raise
    except (SQLAlchemyError, db.OperationTimeout) as error:
        kind = type(getattr(error, "orig", None) or error).__name__
        if (limit is not None and limit.expired) or isinstance(error, db.OperationTimeout):
            raise StoreError(
                f"the plan database did not answer within {limit.seconds if limit else '?'} s",
                code="timeout",
            ) from error
        if isinstance(error, PoolTimeout):
            raise StoreError("every database connection is in use", code="busy") from error
        if isinstance(error, DBAPIError) and "locked" in str(error.orig).lower():  # SQLite
            raise StoreError("another writer held the database too long", code="busy") from error
        if isinstance(error, IntegrityError):
            raise StoreError(f"the database refused the write: {kind}", code="failed") from error
        if isinstance(error, DBAPIError) and "timeout" in str(error.orig).lower():
            raise StoreError(f"the plan database timed out: {kind}", code="timeout") from error
        raise StoreError(f"the plan database is unavailable: {kind}", code="unavailable") from error


def open_store(
    url: str | None = None,
    workspace: str = DEFAULT_WORKSPACE,
    max_list_bytes: int = MAX_LIST_BYTES,
    timeout: float | None = None,
) -> Store:
    """The plan store at `url` (default: `DATABASE_URL`, else `var/plans.sqlite3`), migrated.

    `url`: any SQLAlchemy URL; `postgresql://…` uses psycopg 3. Opening runs the packaged
    Alembic migrations up to date, in one transaction (concurrent first starts are safe).
    `timeout`: seconds any one wait on the database may take (default `ADVISOR_DB_TIMEOUT`, 5)."""
    timeout = timeout or db.default_timeout()
    try:
        engine = db.create((url or "").strip() or db.default_url(), timeout)
    except ArgumentError as error:
        raise StoreError("DATABASE_URL is not a database URL", code="invalid_url") from error
    except OSError as error:  # the data folder cannot be created
        raise StoreError(f"the data folder is unusable: {error}", code="unavailable") from error
    try:
        with _errors():
            db.upgrade(engine)
    except BaseException:
        engine.dispose()
        raise
    return Store(engine, workspace=workspace, max_list_bytes=max_list_bytes, timeout=timeout)
