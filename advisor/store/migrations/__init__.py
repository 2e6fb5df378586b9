"""Alembic migrations of the plan store, run by `advisor.store.migrate` (no alembic.ini)."""
