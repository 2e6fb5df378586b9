"""The store's limits: nothing hangs, nothing is saved twice, names are text (`advisor.store`).

Why: a database that stops answering (frozen, overloaded, stopped) must give the page a
`StoreError` it can put in words within about the timeout, never a hung page; a save whose
outcome was unknown must be safe to press again; a pool with no free connection must say so;
a name that is not text (NUL, a lone surrogate) must be refused before the database sees it.

The PostgreSQL tests freeze (`SIGSTOP`) and stop (`pg_ctl stop`) a server of their own, a
throwaway cluster started here like `.ci/run` does, so the shared test server is never touched.
They run when `TEST_DATABASE_URL` is set (CI) and PostgreSQL's programs are installed.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import event, text

from advisor import CampaignBrief, Plan, recommend
from advisor.locale.i18n import t
from advisor.store import ConflictError, StoreError, db, open_store
from tests import test_store

url = test_store.url  # the fixture: an empty SQLite database, and PostgreSQL when configured

pytestmark = pytest.mark.timeout(300)

PG_URL = os.environ.get("TEST_DATABASE_URL", "").strip()
PG_BIN = next(iter(sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)), None)
TIMEOUT = 2.0  # seconds: the store's timeout in these tests (an operation gets 3 of them)
MARGIN = 30.0  # generous: the machine may be busy; a hang would take for ever
KEY = "retry-token-0123456789"


@pytest.fixture(scope="module")
def plan() -> Plan:
    return recommend(CampaignBrief(goal="event", budget=25_000, weeks=6), samples=20)


def wait_for(check: Callable[[], bool], within: float = 120.0) -> None:
    """Wait on a state (polling), failing after `within` seconds."""
    deadline = time.monotonic() + within
    while not check():
        assert time.monotonic() < deadline, "the state was not reached in time"
        time.sleep(0.2)


def timed(call: Callable[[], object]) -> tuple[StoreError, float]:
    start = time.monotonic()
    with pytest.raises(StoreError) as error:
        call()
    return error.value, time.monotonic() - start


def words(error: StoreError) -> list[str]:
    """The message the page shows for `error`, in both languages (KeyError if missing)."""
    return [t(f"store.error.{error.code}", lang, **error.params) for lang in ("en", "fr")]


# --- names are text -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "char"), [("Plan\x00B", "U+0000"), ("Plan \ud800", "U+D800"), ("\udfff", "U+DFFF")]
)
def test_a_name_that_is_not_text_is_refused_naming_the_character(
    url: str, plan: Plan, text: str, char: str
) -> None:
    store = open_store(url)
    plan_id = store.save(plan, "Fine")
    attempts = [
        lambda: store.save(plan, text),
        lambda: store.save(plan, "Fine too", author=text),
        lambda: store.rename(plan_id, text),
        lambda: store.update(plan_id, plan, 1, name=text),
        lambda: store.update(plan_id, plan, 1, author=text),
        lambda: store.duplicate(plan_id, name=text),
    ]
    for attempt in attempts:
        with pytest.raises(StoreError) as error:
            attempt()
        assert (error.value.code, error.value.params) == ("bad_character", {"char": char})
        assert all(char in message for message in words(error.value))
    assert [(s.name, s.version) for s in store.list()] == [("Fine", 1)]  # nothing written
    store.dispose()


def test_bidi_controls_and_markup_are_stored_as_typed(url: str, plan: Plan) -> None:
    store = open_store(url)
    name = "\u202eevil\u202c [x](https://e.example) **b** <b>i</b> &lt; =HYPERLINK(1)"
    saved = store.load(store.save(plan, name, author="Zoé \u2067ar\u2069"))
    assert (saved.name, saved.author) == (name, "Zoé \u2067ar\u2069")  # data, kept; shown safely
    store.dispose()


# --- a save is safe to repeat -------------------------------------------------------------------


def test_a_repeated_save_with_the_same_key_returns_the_first_plan(url: str, plan: Plan) -> None:
    store = open_store(url)
    first = store.save(plan, "Once", save_key=KEY)
    assert store.save(plan, "Once", save_key=KEY) == first
    other = store.save(plan, "Once", save_key=KEY + "-other")
    assert other != first
    copy = store.duplicate(first)  # a copy is a new plan: it does not take the key
    assert sorted(s.id for s in store.list()) == sorted([first, other, copy])
    with pytest.raises(ValueError):
        store.save(plan, "bad key", save_key="short")
    store.dispose()


def test_concurrent_saves_with_one_key_make_one_plan(url: str, plan: Plan) -> None:
    replicas = [open_store(url), open_store(url)]
    start = threading.Barrier(4)
    ids: list[str] = []

    def save(n: int) -> None:
        start.wait(timeout=60)
        ids.append(replicas[n % 2].save(plan, "Double click", save_key=KEY))

    threads = [threading.Thread(target=save, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(ids) == 4 and len(set(ids)) == 1
    assert [s.id for s in replicas[0].list()] == ids[:1]
    for replica in replicas:
        replica.dispose()


def test_rename_names_the_version_it_renames(url: str, plan: Plan) -> None:
    store = open_store(url)
    plan_id = store.save(plan, "Listed")
    listed = store.list()[0]
    store.update(plan_id, plan, listed.version, name="Changed meanwhile")
    with pytest.raises(ConflictError) as conflict:
        store.rename(plan_id, "Mine", expected_version=listed.version)
    assert (conflict.value.expected, conflict.value.current) == (1, 2)
    assert store.load(plan_id).name == "Changed meanwhile"
    store.dispose()


# --- nothing hangs: SQLite ----------------------------------------------------------------------


def test_an_exhausted_pool_is_a_busy_error_not_a_wait(tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'plans.sqlite3'}", timeout=TIMEOUT)
    held = []
    try:
        while True:  # every connection the pool may give (pool size plus overflow)
            try:
                held.append(store.engine.connect())
            except Exception:
                break
            if len(held) > 100:
                pytest.fail("the pool is unbounded")
    finally:
        error, elapsed = timed(store.list)
        for connection in held:
            connection.close()
    assert error.code == "busy" and words(error)
    assert elapsed < TIMEOUT + MARGIN
    assert store.list() == []  # connections back: the store works again
    store.dispose()


def test_a_locked_sqlite_database_is_an_error_within_the_timeout(
    tmp_path: Path, plan: Plan
) -> None:
    path = tmp_path / "plans.sqlite3"
    store = open_store(f"sqlite:///{path}", timeout=TIMEOUT)
    import sqlite3

    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another process holds the write lock
    try:
        error, elapsed = timed(lambda: store.save(plan, "Blocked"))
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert error.code == "busy" and words(error)
    assert TIMEOUT * 0.9 <= elapsed < TIMEOUT + MARGIN
    assert store.save(plan, "Free again")
    store.dispose()


# --- nothing hangs: a PostgreSQL server of our own -------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Cluster:
    """A throwaway PostgreSQL cluster (as the `postgres` user when run as root)."""

    def __init__(self) -> None:
        assert PG_BIN is not None
        self.folder = Path(tempfile.mkdtemp(prefix="advisor-pg-limits-"))
        self.data = self.folder / "data"
        self.port = _free_port()
        self.as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres")
        self._run("initdb", "-D", self.data, "-U", "postgres", "--auth=trust", "-E", "UTF8",
                  "--no-locale")  # fmt: skip
        self.start()
        self._run("createdb", "-h", "127.0.0.1", "-p", self.port, "-U", "postgres", "limits")
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}/limits"

    def _run(self, program: str, *args: object) -> None:
        command = [*self.as_user, str(PG_BIN / program), *map(str, args)]
        subprocess.run(command, cwd=self.folder, check=True, capture_output=True, timeout=180)

    def start(self) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run("pg_ctl", "-D", self.data, "-w", "-t", "120", "-l", self.folder / "log",
                  "-o", options, "start")  # fmt: skip

    def stop(self) -> None:
        self._run("pg_ctl", "-D", self.data, "-m", "fast", "-w", "-t", "120", "stop")

    def processes(self) -> list[int]:
        """The postmaster and every process it started."""
        postmaster = int((self.data / "postmaster.pid").read_text().split()[0])
        found = [postmaster]
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == postmaster:
                found.append(int(stat.parent.name))
        return found

    def freeze(self) -> None:
        os.kill(self.processes()[0], signal.SIGSTOP)  # first: it starts no process meanwhile
        for pid in self.processes()[1:]:
            os.kill(pid, signal.SIGSTOP)

    def thaw(self) -> None:
        for pid in reversed(self.processes()):
            os.kill(pid, signal.SIGCONT)

    def remove(self) -> None:
        self.thaw()
        with contextlib.suppress(subprocess.CalledProcessError):  # already stopped
            self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)


@pytest.fixture(scope="module")
def cluster():
    if not PG_URL:
        pytest.skip("TEST_DATABASE_URL not set (.ci/run sets it)")
    if PG_BIN is None or not (PG_BIN / "initdb").exists():
        pytest.skip("PostgreSQL's programs are not installed")
    server = Cluster()
    yield server
    server.remove()


def works(store) -> Callable[[], bool]:
    def check() -> bool:
        try:
            store.list()
        except StoreError:
            return False
        return True

    return check


def saved_as(store, name: str) -> list[str]:
    return [s.id for s in store.list() if s.name == name]


def test_a_frozen_server_gives_an_error_in_time_and_a_retried_save_no_duplicate(
    cluster: Cluster, plan: Plan
) -> None:
    store = open_store(cluster.url, timeout=TIMEOUT)
    store.save(plan, "Before")  # a pooled connection, ready
    limit = TIMEOUT * 3  # the operation's deadline
    cluster.freeze()
    try:
        listing, list_took = timed(store.list)
    finally:
        cluster.thaw()
    assert listing.code == "timeout" and words(listing)
    assert limit * 0.9 <= list_took < limit + MARGIN
    wait_for(works(store))

    # The server freezes just before the COMMIT of the plan's insert reaches it: the save's
    # outcome is unknown to us, and when the server resumes it reads that COMMIT.
    inserted: list[bool] = []

    def saw_insert(_c, _cursor, statement: str, *_args) -> None:  # type: ignore[no-untyped-def]
        if statement.lstrip().upper().startswith("INSERT INTO PLANS"):
            inserted.append(True)

    def freeze_before_commit(_connection) -> None:  # type: ignore[no-untyped-def]
        if inserted:
            inserted.clear()
            cluster.freeze()

    event.listen(store.engine, "after_cursor_execute", saw_insert)
    event.listen(store.engine, "commit", freeze_before_commit)
    try:
        saving, save_took = timed(lambda: store.save(plan, "Retried", save_key=KEY))
    finally:
        cluster.thaw()
        event.remove(store.engine, "commit", freeze_before_commit)
        event.remove(store.engine, "after_cursor_execute", saw_insert)
    assert saving.code == "timeout" and save_took < limit + MARGIN
    # the resumed server reads our COMMIT: the "failed" save happens after all, exactly the
    # case a retry must not duplicate
    landed: list[str] = []
    wait_for(lambda: works(store)() and bool(landed.extend(saved_as(store, "Retried")) or landed))
    assert len(landed) == 1
    retried = store.save(plan, "Retried", save_key=KEY)  # pressing Save again
    assert [retried] == landed
    assert [s.name for s in store.list()].count("Retried") == 1  # never two
    print(f"\nfrozen: list failed after {list_took:.1f} s, save after {save_took:.1f} s")
    store.dispose()


def test_a_stopped_server_gives_an_error_at_once_and_the_store_recovers(
    cluster: Cluster, plan: Plan
) -> None:
    store = open_store(cluster.url, timeout=TIMEOUT)
    store.save(plan, "Kept")
    cluster.stop()
    try:
        error, took = timed(store.list)
        saving, save_took = timed(lambda: store.save(plan, "While stopped", save_key=KEY + "2"))
    finally:
        cluster.start()
    assert error.code in ("unavailable", "timeout") and words(error)
    assert saving.code in ("unavailable", "timeout")
    assert took < TIMEOUT * 3 + MARGIN and save_took < TIMEOUT * 3 + MARGIN
    wait_for(works(store))  # the pool replaces its dead connections by itself
    store.save(plan, "While stopped", save_key=KEY + "2")
    names = [s.name for s in store.list()]  # (the module's cluster: earlier tests' plans too)
    assert names.count("Kept") == 1 and names.count("While stopped") == 1
    print(f"\nstopped: list failed after {took:.1f} s, save after {save_took:.1f} s")
    store.dispose()


# --- settings -----------------------------------------------------------------------------------


def test_the_timeout_setting(monkeypatch) -> None:
    for value, expected in [("", 5.0), ("2.5", 2.5), ("0", 5.0), ("-1", 5.0), ("nan", 5.0),
                            ("soon", 5.0)]:  # fmt: skip
        monkeypatch.setenv("ADVISOR_DB_TIMEOUT", value)
        assert db.default_timeout() == expected
    engine = db.create("postgresql://u@h/d?options=-csearch_path%3Dmine", timeout=2.5)
    query = engine.url.query
    assert query["options"] == "-c statement_timeout=2500 -csearch_path=mine"  # theirs kept
    assert query["connect_timeout"] == "3" and engine.pool.timeout() == 2.5
    engine.dispose()


def test_a_slow_statement_is_stopped_by_the_server(url: str) -> None:
    if not url.startswith("postgresql"):
        pytest.skip("SQLite statements run in-process: the deadline covers them")
    store = open_store(url, timeout=TIMEOUT)
    with store.reading() as connection:
        assert connection.execute(text("SHOW statement_timeout")).scalar() == "2s"

    def slow() -> None:
        with store.reading() as connection:
            connection.execute(text("SELECT pg_sleep(30)"))

    error, took = timed(slow)
    assert error.code == "timeout" and words(error)
    assert TIMEOUT * 0.9 <= took < TIMEOUT + MARGIN
    store.dispose()


def test_a_repeated_update_with_the_same_key_is_not_a_conflict(url: str, plan: Plan) -> None:
    store = open_store(url)
    plan_id = store.save(plan, "Shared")
    assert store.update(plan_id, plan, 1, name="Ours", save_key=KEY) == 2
    assert store.update(plan_id, plan, 1, name="Ours", save_key=KEY) == 2  # pressed again
    with pytest.raises(ConflictError):
        store.update(plan_id, plan, 1, name="Another edit", save_key=KEY + "-b")
    with pytest.raises(ConflictError):
        store.update(plan_id, plan, 1, name="No key")
    assert store.update(plan_id, plan, 2, name="Theirs") == 3
    with pytest.raises(ConflictError):  # ours, but someone saved after it: not ours to claim
        store.update(plan_id, plan, 1, name="Ours", save_key=KEY)
    assert (store.load(plan_id).name, store.load(plan_id).version) == ("Theirs", 3)
    store.dispose()
