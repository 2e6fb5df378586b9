"""Alembic environment: always given an open connection by `advisor.store.migrate.upgrade`.

On PostgreSQL a transaction-scoped advisory lock makes concurrent first starts (several app
replicas) run the migrations once; SQLite serialises them with `BEGIN IMMEDIATE`.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import func, select

from advisor.store.schema import metadata

MIGRATION_LOCK = 7_311_024_117  # any constant shared by every process of this app


def run() -> None:
    connection = context.config.attributes["connection"]
    context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
    with context.begin_transaction():
        if connection.dialect.name == "postgresql":
            # another replica may be migrating: wait for it longer than one statement may take
            # (the caller's deadline still bounds the whole migration)
            connection.execute(select(func.set_config("statement_timeout", "60s", True)))
            connection.execute(select(func.pg_advisory_xact_lock(MIGRATION_LOCK)))
        context.run_migrations()


run()
