"""Saved plans in a database: SQLite by default, PostgreSQL when `DATABASE_URL` names one.

    from advisor.store import open_store
    store = open_store()  # DATABASE_URL, else var/plans.sqlite3 (ADVISOR_DATA_DIR moves it)

See `advisor.store.plans` for the contract, `advisor.store.access` for the passphrase check.
"""

from advisor.store.db import default_url
from advisor.store.plans import (
    ConflictError,
    PlanNotFound,
    PlanSummary,
    Recomputed,
    SavedPlan,
    Store,
    StoreError,
    benchmarks_fingerprint,
    open_store,
)

__all__ = [
    "ConflictError",
    "PlanNotFound",
    "PlanSummary",
    "Recomputed",
    "SavedPlan",
    "Store",
    "StoreError",
    "benchmarks_fingerprint",
    "default_url",
    "open_store",
]
