"""Where the store lives (a URL), its engine, and bringing its schema up to date.

Resolution order for the URL: the `url` argument (the UI passes Streamlit's secret
`DATABASE_URL`), then the `DATABASE_URL` environment variable, then a SQLite file
`plans.sqlite3` in `ADVISOR_DATA_DIR` (default: `var/` at the repository root), created on
first use. `postgres://` and `postgresql://` URLs are driven by psycopg 3.

Nothing waits for the database for ever: `timeout` (seconds, default 5, `ADVISOR_DB_TIMEOUT`)
bounds connecting (psycopg `connect_timeout`, SQLite's busy `timeout`), each statement on the
server (PostgreSQL `statement_timeout`), and the wait for a pooled connection (`pool_timeout`). A
server that stops answering altogether (frozen, its network gone) enforces nothing, so every store
operation also runs under a `Deadline`: when it runs out, the connection in use is cut (its
socket shut down; SQLite: interrupted) and the operation fails instead of hanging the page.

Queries are SQLAlchemy Core. The only literal statements are SQLite's fixed PRAGMAs and
`BEGIN`: pysqlite's own transaction handling does not open a transaction before a read or a
DDL statement, so the store opens them itself (SQLAlchemy's documented recipe), which makes
every write and every migration one real transaction.
"""

from __future__ import annotations

import math
import os
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from functools import lru_cache
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DisconnectionError

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DATA_DIR = REPO_ROOT / "var"
DB_FILENAME = "plans.sqlite3"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
DEFAULT_TIMEOUT = 5.0  # seconds: connect, statement, pool wait, SQLite lock wait
OPERATION_FACTOR = 3  # a whole store operation (several statements) gets this many timeouts
MIGRATION_DEADLINE = 120.0  # first start: waiting for another replica's migration included

_migrate_lock = threading.Lock()
_local = threading.local()  # the Deadline of the operation running on this thread, if any


def default_timeout() -> float:
    """`ADVISOR_DB_TIMEOUT` (seconds) when set to a positive number, else 5."""
    try:
        value = float(os.environ.get("ADVISOR_DB_TIMEOUT", "").strip() or DEFAULT_TIMEOUT)
    except ValueError:
        return DEFAULT_TIMEOUT
    return value if math.isfinite(value) and value > 0 else DEFAULT_TIMEOUT


class OperationTimeout(Exception):
    """Raised on checkout when the operation's deadline already ran out."""


def _cut(dbapi_connection: Any) -> None:
    """Make a blocked driver call on `dbapi_connection` (another thread) return with an error."""
    interrupt = getattr(dbapi_connection, "interrupt", None)
    if interrupt is not None:  # sqlite3: aborts the running statement
        interrupt()
        return
    pgconn = getattr(dbapi_connection, "pgconn", None)  # psycopg 3
    fileno = getattr(pgconn, "socket", -1) if pgconn is not None else -1
    if fileno < 0:
        return
    # shutdown() acts on the socket itself, not on this duplicate descriptor: the driver's
    # pending read sees the connection closed, and the pool discards that connection.
    with socket.socket(fileno=os.dup(fileno)) as sock:
        sock.shutdown(socket.SHUT_RDWR)


class Deadline:
    """A time limit on one store operation (thread-bound; see `bounded`)."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.expired = False
        self._lock = threading.Lock()
        self._connections: list[Any] = []
        self._done = False
        self._timer = threading.Timer(seconds, self._fire)
        self._timer.daemon = True

    def attach(self, dbapi_connection: Any) -> None:
        with self._lock:
            if self.expired:
                raise OperationTimeout(f"the store operation took over {self.seconds:g} s")
            self._connections.append(dbapi_connection)

    def detach(self, dbapi_connection: Any) -> None:
        with self._lock:
            if dbapi_connection in self._connections:
                self._connections.remove(dbapi_connection)

    def _fire(self) -> None:
        with self._lock:
            if self._done:
                return
            self.expired = True
            for connection in self._connections:
                with suppress(OSError):  # already closed
                    _cut(connection)

    def start(self) -> None:
        self._timer.start()

    def stop(self) -> None:
        with self._lock:
            self._done = True
            self._connections.clear()
        self._timer.cancel()


@contextmanager
def bounded(seconds: float) -> Iterator[Deadline]:
    """Run the block under a `Deadline`: connections it checks out are cut when time runs out."""
    outer = getattr(_local, "deadline", None)
    deadline = Deadline(seconds)
    _local.deadline = deadline
    deadline.start()
    try:
        yield deadline
    finally:
        deadline.stop()
        _local.deadline = outer


def _guard(engine: Engine, ping: bool) -> None:
    """Attach checked-out connections to the thread's deadline; ping PostgreSQL ones first."""

    @event.listens_for(engine, "checkout")
    def _checkout(dbapi_connection, _record, _proxy) -> None:  # type: ignore[no-untyped-def]
        deadline = getattr(_local, "deadline", None)
        if deadline is not None:
            deadline.attach(dbapi_connection)
        if not ping:
            return
        # SQLAlchemy's pre-ping runs before any event, outside the deadline: this one (the
        # dialect's own ping, which leaves no transaction open) runs inside it.
        try:
            engine.dialect.do_ping(dbapi_connection)
        except Exception as error:
            if deadline is not None and deadline.expired:
                raise OperationTimeout("the database did not answer in time") from error
            raise DisconnectionError("stale pooled connection") from error

    @event.listens_for(engine, "checkin")
    def _checkin(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        deadline = getattr(_local, "deadline", None)
        if deadline is not None and dbapi_connection is not None:
            deadline.detach(dbapi_connection)


def default_url() -> str:
    """`DATABASE_URL` from the environment, else the SQLite file in the data folder."""
    env = os.environ.get("DATABASE_URL", "").strip()
    if env:
        return env
    folder = Path(os.environ.get("ADVISOR_DATA_DIR", "").strip() or DEFAULT_DATA_DIR)
    return f"sqlite:///{folder / DB_FILENAME}"


def normalise_url(url: str) -> str:
    """PostgreSQL URLs without a driver use psycopg 3 (`postgresql+psycopg://`)."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _sqlite_setup(engine: Engine, database: str | None, timeout: float) -> None:
    if database and database != ":memory:" and not database.startswith("file:"):
        Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        dbapi_connection.isolation_level = None  # transactions are begun below, explicitly
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={round(timeout * 1000):d}")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection) -> None:  # type: ignore[no-untyped-def]
        # A write takes the write lock up front, so a concurrent writer waits (busy_timeout)
        # instead of failing on a stale snapshot; reads stay concurrent.
        immediate = connection.get_execution_options().get("immediate", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def _memory(database: str | None) -> bool:
    return not database or database == ":memory:" or "mode=memory" in database


def create(url: str, timeout: float | None = None) -> Engine:
    """The engine for `url`, every wait bounded by `timeout` seconds (default: see module)."""
    timeout = timeout or default_timeout()
    parsed = make_url(normalise_url(url))
    if parsed.get_backend_name() == "sqlite":
        pool = {} if _memory(parsed.database) else {"pool_timeout": timeout}
        engine = create_engine(parsed, connect_args={"timeout": timeout}, **pool)
        _sqlite_setup(engine, parsed.database, timeout)
        _guard(engine, ping=False)
        return engine
    if parsed.get_backend_name() == "postgresql":
        query = dict(parsed.query)
        options = " ".join(  # the URL's own options come last: they win
            [f"-c statement_timeout={round(timeout * 1000):d}", str(query.get("options") or "")]
        ).strip()
        query["options"] = options
        query.setdefault("connect_timeout", str(max(2, math.ceil(timeout))))  # libpq's minimum
        parsed = parsed.set(query=query)
    engine = create_engine(parsed, pool_size=5, max_overflow=10, pool_timeout=timeout)
    _guard(engine, ping=True)
    return engine


def migration_config(connection: Connection) -> Config:
    """Alembic's configuration for the packaged migrations, bound to an open connection."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


@lru_cache(maxsize=1)
def head() -> str | None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return ScriptDirectory.from_config(config).get_current_head()


def current(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine) -> None:
    """Run the migrations up to head in one transaction (a single read when up to date)."""
    with _migrate_lock, bounded(MIGRATION_DEADLINE):
        if current(engine) == head():
            return
        with engine.connect() as connection:
            connection.execution_options(immediate=True)
            command.upgrade(migration_config(connection), "head")
            connection.commit()
