"""Where the store lives (a URL), its engine, and bringing its schema up to date.

Resolution order for the URL: the `url` argument (the UI passes Streamlit's secret
`DATABASE_URL`), then the `DATABASE_URL` environment variable, then a SQLite file
`plans.sqlite3` in `ADVISOR_DATA_DIR` (default: `var/` at the repository root), created on
first use. `postgres://` and `postgresql://` URLs are driven by psycopg 3.

Queries are SQLAlchemy Core. The only literal statements are SQLite's fixed PRAGMAs and
`BEGIN`: pysqlite's own transaction handling does not open a transaction before a read or a
DDL statement, so the store opens them itself (SQLAlchemy's documented recipe), which makes
every write and every migration one real transaction.
"""

from __future__ import annotations

import os
import threading
from functools import lru_cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DATA_DIR = REPO_ROOT / "var"
DB_FILENAME = "plans.sqlite3"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
SQLITE_BUSY_MS = 30_000

_migrate_lock = threading.Lock()


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


def _sqlite_setup(engine: Engine, database: str | None) -> None:
    if database and database != ":memory:" and not database.startswith("file:"):
        Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        dbapi_connection.isolation_level = None  # transactions are begun below, explicitly
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_MS:d}")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection) -> None:  # type: ignore[no-untyped-def]
        # A write takes the write lock up front, so a concurrent writer waits (busy_timeout)
        # instead of failing on a stale snapshot; reads stay concurrent.
        immediate = connection.get_execution_options().get("immediate", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def create(url: str) -> Engine:
    parsed = make_url(normalise_url(url))
    if parsed.get_backend_name() == "sqlite":
        engine = create_engine(parsed, connect_args={"timeout": SQLITE_BUSY_MS / 1000})
        _sqlite_setup(engine, parsed.database)
        return engine
    return create_engine(parsed, pool_pre_ping=True, pool_size=5, max_overflow=10)


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
    with _migrate_lock:
        if current(engine) == head():
            return
        with engine.connect() as connection:
            connection.execution_options(immediate=True)
            command.upgrade(migration_config(connection), "head")
            connection.commit()
