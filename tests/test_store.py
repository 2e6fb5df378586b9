"""The plan store against real databases: SQLite always, PostgreSQL when `TEST_DATABASE_URL` is set.

Why: a saved link must reopen exactly what was saved (plan, named creators, shortlist), in a new
process too; two people saving the same plan must never silently overwrite each other; the
schema must build itself from an empty database, with several app processes starting at once.
`.ci/run` starts a throwaway PostgreSQL cluster and sets `TEST_DATABASE_URL`, so CI runs every
test here on both backends. Each PostgreSQL test gets its own schema (empty, dropped after).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
import uuid
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import create_engine, inspect
from sqlalchemy.schema import CreateSchema, DropSchema

import advisor
from advisor import Assumptions, CampaignBrief, Plan, load_creators, recommend
from advisor.creators.shortlist import ShortlistRules, optimise_shortlist
from advisor.store import (
    ConflictError,
    PlanNotFound,
    StoreError,
    db,
    open_store,
)
from advisor.store import (
    plans as plans_module,
)

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = 20  # enough draws for a real plan, fast on a two-core CI machine
PG_URL = os.environ.get("TEST_DATABASE_URL", "").strip()

pytestmark = pytest.mark.timeout(240)

BACKENDS = [
    "sqlite",
    pytest.param(
        "postgresql",
        marks=pytest.mark.skipif(not PG_URL, reason="TEST_DATABASE_URL not set (.ci/run sets it)"),
    ),
]


@pytest.fixture(params=BACKENDS)
def url(request: pytest.FixtureRequest, tmp_path: Path):
    """An empty database: a SQLite file, or a fresh PostgreSQL schema on the test server."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'plans.sqlite3'}"
        return
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(db.normalise_url(PG_URL))
    with admin.begin() as connection:
        connection.execute(CreateSchema(schema))
    separator = "&" if "?" in PG_URL else "?"
    yield f"{PG_URL}{separator}options=-csearch_path%3D{schema}"
    with admin.begin() as connection:
        connection.execute(DropSchema(schema, cascade=True))
    admin.dispose()


@pytest.fixture
def store(url: str):
    opened = open_store(url)
    yield opened
    opened.dispose()


@pytest.fixture(scope="module")
def plan() -> Plan:
    return recommend(CampaignBrief(goal="event", budget=25_000, weeks=6), samples=SAMPLES)


@pytest.fixture(scope="module")
def edited_plan() -> Plan:
    assumptions = Assumptions(overrides={"cost.instagram.micro": 200})
    brief = CampaignBrief(goal="brand_awareness", budget=60_000, weeks=30, advocates=300)
    return recommend(brief, assumptions=assumptions, samples=SAMPLES)


@pytest.fixture(scope="module")
def load():
    return load_creators(ROOT / "advisor" / "data" / "creators.csv")


def run_python(code: str, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


# --- schema ------------------------------------------------------------------------------


def test_migrations_build_the_schema_from_an_empty_database(url: str) -> None:
    engine = db.create(url)
    assert db.current(engine) is None
    assert not {"plans", "creator_lists"} & set(inspect(engine).get_table_names())
    store = open_store(url)
    assert db.current(engine) == db.head()
    assert {"plans", "creator_lists", "alembic_version"} <= set(inspect(engine).get_table_names())
    open_store(url).dispose()  # already at head: nothing to do
    assert store.list() == []
    # down to nothing and up again: the migrations are reversible
    from alembic import command

    with engine.connect() as connection:
        command.downgrade(db.migration_config(connection), "base")
        connection.commit()
    assert not {"plans", "creator_lists"} & set(inspect(engine).get_table_names())
    db.upgrade(engine)
    assert db.current(engine) == db.head()
    store.dispose()
    engine.dispose()


def test_several_processes_starting_on_an_empty_database_all_work(url: str) -> None:
    code = (
        "import sys\n"
        "from advisor import CampaignBrief, recommend\n"
        "from advisor.store import open_store\n"
        "store = open_store(sys.argv[1])\n"
        "plan = recommend(CampaignBrief(goal='contest', weeks=4), samples=10)\n"
        "print(store.save(plan, 'from ' + sys.argv[2]))\n"
    )
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", code, url, str(n)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        for n in range(3)
    ]
    results = [p.communicate(timeout=180) for p in procs]
    assert all(p.returncode == 0 for p in procs), [err for _, err in results]
    store = open_store(url)
    assert sorted(s.name for s in store.list()) == ["from 0", "from 1", "from 2"]
    store.dispose()


# --- round trips -------------------------------------------------------------------------


def test_a_saved_plan_loads_equal_with_its_details(store, edited_plan: Plan) -> None:
    plan_id = store.save(edited_plan, "  Autumn   awareness ", author="Ana Lopes")
    assert re.fullmatch(r"[A-Za-z0-9_-]{24}", plan_id)  # 144 random bits
    saved = store.load(plan_id)
    assert saved.plan == edited_plan
    assert saved.plan.assumptions.overrides == {"cost.instagram.micro": 200}
    assert saved.plan.brief == edited_plan.brief
    assert (saved.name, saved.author, saved.version) == ("Autumn awareness", "Ana Lopes", 1)
    assert saved.created.tzinfo is not None and saved.created == saved.updated
    assert saved.creators is None and saved.shortlist is None and saved.rules is None
    assert not saved.stale
    (summary,) = store.list()
    rec = edited_plan.recommended
    assert summary.id == plan_id
    assert summary.goal == "brand_awareness" and summary.budget == 60_000
    assert summary.currency == "USD" and summary.weeks == 30
    assert summary.strategy == edited_plan.strategy.value
    assert summary.split["influencer"] == pytest.approx(edited_plan.split["influencer"])
    assert (summary.objective_p10, summary.objective_p50, summary.objective_p90) == (
        rec.objective_p10,
        rec.objective_p50,
        rec.objective_p90,
    )
    assert summary.cost_per_result == rec.cost_per_result


def test_a_saved_plan_reloads_equal_in_a_new_process(store, url: str, tmp_path: Path) -> None:
    brief = CampaignBrief(goal="product_launch", budget=40_000, weeks=10, advocates=200)
    assumptions = Assumptions(overrides={"ambassador_activation_rate": 0.6})
    plan = recommend(brief, assumptions=assumptions, samples=SAMPLES)
    plan_id = store.save(plan, "Launch", author="Ben")
    sent = tmp_path / "sent.json"
    sent.write_text(plan.model_dump_json(), encoding="utf-8")
    code = (
        "import sys\n"
        "from advisor import Assumptions, CampaignBrief, Plan, recommend\n"
        "from advisor.store import open_store\n"
        "loaded = open_store(sys.argv[1]).load(sys.argv[2]).plan\n"
        "sent = Plan.model_validate_json(open(sys.argv[3], encoding='utf-8').read())\n"
        f"again = recommend(loaded.brief, assumptions=loaded.assumptions, samples={SAMPLES})\n"
        "print(loaded == sent, again == loaded)\n"
    )
    done = run_python(code, url, plan_id, str(sent))
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["True", "True"]


def test_creator_lists_round_trip_with_dtypes_and_are_stored_once(store, load) -> None:
    brief = CampaignBrief(goal="event", budget=30_000, weeks=6)
    plan = recommend(brief, creators=load, samples=SAMPLES)
    first = store.save(plan, "With the list", creators=load)
    store.save(plan, "Same list again", creators=load)
    assert store.count_lists() == 1  # identical content, one stored table
    saved = store.load(first)
    assert saved.plan == plan
    pd.testing.assert_frame_equal(saved.creators.table, load.table, check_exact=True)
    assert saved.creators.table.dtypes.equals(load.table.dtypes)
    assert saved.creators.problems == load.problems
    assert saved.creators.label == load.label and saved.creators.rows_read == load.rows_read
    assert saved.recompute().plan == plan and saved.recompute().change == 0.0

    # a different list (a plain table) is stored separately and comes back as a table
    table = load.table.head(50)
    second = store.save(recommend(brief, creators=table, samples=SAMPLES), "Top 50", creators=table)
    assert store.count_lists() == 2
    pd.testing.assert_frame_equal(store.load(second).creators, table, check_exact=True)


def test_empty_and_partial_tables_keep_their_categories(store, load) -> None:
    plan = recommend(CampaignBrief(goal="event", weeks=6), samples=SAMPLES)
    for table in (load.table.iloc[:0], load.table[load.table["platform"] == "tiktok"]):
        saved = store.load(store.save(plan, "Slice", creators=table))
        pd.testing.assert_frame_equal(saved.creators, table, check_exact=True)


def test_problems_of_a_messy_list_are_kept(store, tmp_path: Path) -> None:
    path = tmp_path / "messy.csv"
    path.write_text(
        "handle,platform,followers\nlena,instagram,48200\nbad,myspace,12\nnone,tiktok,lots\n",
        encoding="utf-8",
    )
    messy = load_creators(path)
    assert messy.problems
    plan = recommend(CampaignBrief(goal="event", weeks=6), creators=messy, samples=SAMPLES)
    saved = store.load(store.save(plan, "Messy", creators=messy))
    assert saved.creators.problems == messy.problems
    pd.testing.assert_frame_equal(saved.creators.table, messy.table, check_exact=True)


def test_a_shortlist_and_its_rules_round_trip(store, load) -> None:
    brief = CampaignBrief(goal="product_launch", budget=20_000, weeks=8)
    rules = ShortlistRules(max_share_per_creator=0.3)
    shortlist = optimise_shortlist(brief, load, 1.0, rules)
    assert len(shortlist.table) > 0
    plan = recommend(brief, creators=shortlist, samples=SAMPLES)
    assert plan.data_source.startswith("shortlist:")
    plan_id = store.save(plan, "Shortlisted", creators=load, shortlist=shortlist, rules=rules)
    saved = store.load(plan_id)
    assert saved.plan == plan and saved.rules == rules
    assert saved.plan.influencer.handles == plan.influencer.handles
    pd.testing.assert_frame_equal(saved.shortlist, shortlist.table, check_exact=True)
    assert saved.shortlist_info["status"] == shortlist.status
    pd.testing.assert_frame_equal(saved.creators.table, load.table, check_exact=True)
    # recomputing needs the shortlist rebuilt from the stored list and rules
    with pytest.raises(StoreError) as error:
        saved.recompute()
    assert error.value.code == "recompute_needs_shortlist"
    rebuilt = optimise_shortlist(saved.plan.brief, saved.creators, 1.0, saved.rules)
    again = saved.recompute(creators=rebuilt)
    assert again.plan == plan and again.change == 0.0


def test_recompute_reports_the_objective_change(store, plan: Plan, monkeypatch) -> None:
    saved = store.load(store.save(plan, "Old benchmarks"))
    assert not saved.stale
    monkeypatch.setattr(plans_module, "benchmarks_fingerprint", lambda: "changed")
    assert saved.stale
    bigger = recommend(plan.brief.model_copy(update={"budget": 50_000}), samples=SAMPLES)
    monkeypatch.setattr(plans_module, "recommend", lambda *a, **k: bigger)
    result = saved.recompute()
    expected = bigger.recommended.objective_p50 / plan.recommended.objective_p50 - 1
    assert result.plan == bigger and result.change == pytest.approx(expected)


# --- list, rename, delete, duplicate ---------------------------------------------------


def test_list_rename_delete_restore_duplicate(store, plan: Plan, edited_plan: Plan) -> None:
    a = store.save(plan, "Plan A", author="Ana")
    b = store.save(edited_plan, "Plan B")
    assert [s.id for s in store.list()] == [b, a]  # most recently updated first

    assert store.rename(a, "Plan A, final") == 2
    assert store.load(a).name == "Plan A, final" and store.load(a).version == 2
    assert store.list()[0].id == a
    with pytest.raises(StoreError) as empty:
        store.rename(a, "   ")
    assert empty.value.code == "name_required"
    with pytest.raises(ConflictError):
        store.rename(a, "stale edit", expected_version=1)

    copy = store.duplicate(a)
    assert copy not in (a, b)
    copied = store.load(copy)
    assert copied.name == "Copy of Plan A, final" and copied.version == 1
    assert copied.plan == plan and copied.author == "Ana"
    named = store.load(store.duplicate(b, name="Variante", author="Zoé"))
    assert (named.name, named.author, named.plan) == ("Variante", "Zoé", edited_plan)

    removed = store.delete(b)
    assert removed.id == b and removed.deleted is not None
    assert b not in {s.id for s in store.list()}
    with pytest.raises(PlanNotFound):
        store.load(b)  # the link stops working...
    store.restore(b)  # ...until the delete is undone
    assert store.load(b).plan == edited_plan
    with pytest.raises(PlanNotFound):
        store.restore(b)


def test_workspaces_list_their_own_plans_but_links_open_anywhere(url: str, plan: Plan) -> None:
    team_a, team_b = open_store(url, workspace="a"), open_store(url, workspace="b")
    plan_id = team_a.save(plan, "A's plan")
    assert [s.id for s in team_a.list()] == [plan_id] and team_b.list() == []
    assert team_b.load(plan_id).plan == plan  # the id is the capability to read
    with pytest.raises(PlanNotFound):
        team_b.rename(plan_id, "not yours")
    with pytest.raises(PlanNotFound):
        team_b.delete(plan_id)
    copy = team_b.duplicate(plan_id)  # editing someone else's plan makes a copy
    assert [s.id for s in team_b.list()] == [copy]
    team_a.dispose()
    team_b.dispose()


@pytest.mark.parametrize("bad", ["nope", "x" * 24, "../../etc/passwd", "' OR 1=1 --", ""])
def test_an_unknown_id_is_a_clear_error(store, bad: str) -> None:
    with pytest.raises(PlanNotFound) as error:
        store.load(bad)
    assert error.value.code == "not_found"
    assert "no saved plan" in str(error.value)


# --- safety ------------------------------------------------------------------------------


def test_a_list_over_the_size_limit_is_refused_and_nothing_is_written(url: str, load) -> None:
    small = open_store(url, max_list_bytes=10_000)
    plan = recommend(CampaignBrief(goal="event", weeks=6), creators=load, samples=SAMPLES)
    with pytest.raises(StoreError) as error:
        small.save(plan, "Too big", creators=load)
    assert error.value.code == "too_large"
    assert error.value.params["limit_mb"] == pytest.approx(0.0, abs=0.01)
    assert small.list() == [] and small.count_lists() == 0
    small.dispose()


def test_an_unreachable_database_is_a_store_error(tmp_path: Path) -> None:
    folder = tmp_path / "file-not-folder"
    folder.write_text("x", encoding="utf-8")
    with pytest.raises(StoreError) as error:
        open_store(f"sqlite:///{folder / 'sub' / 'plans.sqlite3'}")
    assert error.value.code == "unavailable"


def test_update_is_optimistic(store, plan: Plan, edited_plan: Plan) -> None:
    plan_id = store.save(plan, "Shared")
    assert store.update(plan_id, edited_plan, expected_version=1) == 2
    with pytest.raises(ConflictError) as conflict:
        store.update(plan_id, plan, expected_version=1)  # someone saved version 2 meanwhile
    assert (conflict.value.code, conflict.value.expected, conflict.value.current) == (
        "conflict",
        1,
        2,
    )
    assert store.load(plan_id).plan == edited_plan  # the late write changed nothing
    assert store.update(plan_id, plan, expected_version=2, name="Shared v3") == 3
    saved = store.load(plan_id)
    assert (saved.plan, saved.name, saved.version) == (plan, "Shared v3", 3)
    with pytest.raises(PlanNotFound):
        store.update("A" * 24, plan, expected_version=1)


def test_concurrent_writers_in_threads_one_wins_per_version(store, plan: Plan) -> None:
    plan_id = store.save(plan, "Contested")
    writers, rounds = 6, 4
    wins: list[tuple[int, int]] = []  # (version written, writer)
    conflicts: list[int] = []
    lock = threading.Lock()
    barrier = threading.Barrier(writers)

    def writer(n: int) -> None:
        for _ in range(rounds):
            barrier.wait(timeout=60)
            version = store.load(plan_id).version
            barrier.wait(timeout=60)  # everyone read the same version; now all write at once
            try:
                new = store.update(plan_id, plan, version, name=f"writer {n}")
            except ConflictError as error:
                with lock:
                    conflicts.append(error.current)
            else:
                with lock:
                    wins.append((new, n))

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(t.is_alive() for t in threads)
    # each round: exactly one writer wins, the others are told
    assert sorted(v for v, _ in wins) == list(range(2, 2 + rounds))
    assert len(conflicts) == rounds * (writers - 1)
    final = store.load(plan_id)
    last_version, last_writer = max(wins)
    assert final.version == last_version and final.name == f"writer {last_writer}"


WRITER = """
import json, sys
from advisor.store import ConflictError, open_store
store = open_store(sys.argv[1])
plan_id, n, wanted = sys.argv[2], sys.argv[3], int(sys.argv[4])
won, conflicts = [], 0
while len(won) < wanted:
    saved = store.load(plan_id)
    try:
        won.append(store.update(plan_id, saved.plan, saved.version, name=f"{n}:{len(won)}"))
    except ConflictError:
        conflicts += 1
print(json.dumps({"won": won, "conflicts": conflicts}))
"""


def test_concurrent_writers_in_processes_lose_nothing(store, url: str, plan: Plan) -> None:
    plan_id = store.save(plan, "Contested by processes")
    processes, each = 3, 5
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, url, plan_id, str(n), str(each)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        for n in range(processes)
    ]
    outputs = [p.communicate(timeout=180) for p in procs]
    assert all(p.returncode == 0 for p in procs), [err for _, err in outputs]
    results = [json.loads(out) for out, _ in outputs]
    versions = sorted(v for r in results for v in r["won"])
    # every successful write got its own version, none was overwritten unseen
    assert versions == list(range(2, 2 + processes * each))
    final = store.load(plan_id)
    assert final.version == 1 + processes * each
    writer = next(n for n, r in enumerate(results) if final.version in r["won"])
    assert final.name == f"{writer}:{each - 1}"


def test_every_write_is_one_transaction(store, plan: Plan, load, monkeypatch) -> None:
    """A save refused after its creator list was written leaves nothing behind."""
    taken = store.save(plan, "First")
    monkeypatch.setattr(plans_module.secrets, "token_urlsafe", lambda _n: taken)
    with pytest.raises(StoreError) as error:
        store.save(plan, "Same id", creators=load)  # the plan row's insert fails
    assert error.value.code == "failed"
    assert store.count_lists() == 0  # the list written before it was rolled back
    assert [s.name for s in store.list()] == ["First"]


# --- configuration -----------------------------------------------------------------------


def test_the_default_location_and_urls(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("ADVISOR_DATA_DIR", raising=False)
    assert db.default_url() == f"sqlite:///{ROOT / 'var' / 'plans.sqlite3'}"
    monkeypatch.setenv("ADVISOR_DATA_DIR", str(tmp_path / "data"))
    assert db.default_url() == f"sqlite:///{tmp_path / 'data' / 'plans.sqlite3'}"
    store = open_store()
    assert (tmp_path / "data" / "plans.sqlite3").exists()
    store.dispose()
    monkeypatch.setenv("DATABASE_URL", "postgresql://u:p@db:5432/plans")
    assert db.default_url() == "postgresql://u:p@db:5432/plans"
    assert db.normalise_url("postgresql://u@h/d") == "postgresql+psycopg://u@h/d"
    assert db.normalise_url("postgres://u@h/d") == "postgresql+psycopg://u@h/d"
    assert db.normalise_url("postgresql+psycopg://u@h/d") == "postgresql+psycopg://u@h/d"
    assert db.normalise_url("sqlite:///x.db") == "sqlite:///x.db"
    assert "var/" in (ROOT / ".gitignore").read_text(encoding="utf-8").split()


def test_open_store_is_exported() -> None:
    assert advisor.open_store is open_store


def test_the_readme_saved_plans_example_runs(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("ADVISOR_DATA_DIR", str(tmp_path))
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("### Saved plans", 1)[1]
    code = re.search(r"```python\n(.*?)```", section, re.S)
    assert code is not None
    namespace: dict[str, object] = {}
    exec(compile(code.group(1), "README.md", "exec"), namespace)
    assert (tmp_path / "plans.sqlite3").exists()
