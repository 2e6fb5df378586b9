"""The store's tables, as SQLAlchemy Core metadata (the migrations create the same tables).

`plans` holds one row per saved plan: the plan itself as JSON (brief and edited assumptions are
inside it), its headline figures as columns so a list needs no JSON parsing, the shortlist rules,
a version for optimistic concurrency, and soft deletion (`deleted_at`) so a delete can be undone.
`creator_lists` holds each distinct creator table once (key: sha256 of its stored bytes), as
Parquet, with its load report (problems, counts) as JSON. A plan's `save_key` (unique, from the
Save form) makes a repeated save return the plan the first one created.
`access_clients` and `access_failures` are the passphrase throttle every replica shares: per
client (a digest of its address) its failures and when it may try again, and each failed guess's
time for the ceiling on guesses per minute from everywhere.
"""

from __future__ import annotations

from sqlalchemy import (
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData()

creator_lists = Table(
    "creator_lists",
    metadata,
    Column("sha256", String(64), primary_key=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("rows", Integer, nullable=False),
    Column("size_bytes", Integer, nullable=False),
    Column("parquet", LargeBinary, nullable=False),
    Column("meta_json", Text, nullable=False),
)

plans = Table(
    "plans",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("workspace", String(100), nullable=False, server_default="default"),
    Column("name", String(200), nullable=False),
    Column("author", String(200), nullable=False, server_default=""),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("deleted_at", DateTime(timezone=True), nullable=True),
    Column("version", Integer, nullable=False),
    Column("plan_json", Text, nullable=False),
    Column("rules_json", Text, nullable=True),
    Column("creators_sha", String(64), ForeignKey("creator_lists.sha256"), nullable=True),
    Column("creators_meta", Text, nullable=True),
    Column("shortlist_sha", String(64), ForeignKey("creator_lists.sha256"), nullable=True),
    Column("shortlist_meta", Text, nullable=True),
    Column("benchmarks_fingerprint", String(64), nullable=False),
    # headline figures, copied from the plan for lists and comparisons
    Column("goal", String(40), nullable=False),
    Column("budget", Float, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("weeks", Integer, nullable=False),
    Column("strategy", String(20), nullable=False),
    Column("influencer_share", Float, nullable=False),
    Column("objective_key", String(40), nullable=False),
    Column("objective_p10", Float, nullable=False),
    Column("objective_p50", Float, nullable=False),
    Column("objective_p90", Float, nullable=False),
    Column("cost_per_result", Float, nullable=True),
    Column("data_source", String(200), nullable=False),
    Column("save_key", String(64), nullable=True),
    Index("ix_plans_workspace_updated", "workspace", "updated_at"),
    Index("ux_plans_save_key", "save_key", unique=True),
)

access_clients = Table(
    "access_clients",
    metadata,
    Column("client", String(64), primary_key=True),
    Column("failures", Integer, nullable=False),
    Column("blocked_until", Float, nullable=False),
    Column("last_at", Float, nullable=False),
    Index("ix_access_clients_last_at", "last_at"),
)

access_failures = Table(
    "access_failures",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("client", String(64), nullable=False),
    Column("at", Float, nullable=False),
    Index("ix_access_failures_at", "at"),
)

# A campaign's actual results, one row per plan and plan version they were uploaded against
# (a new upload for that version replaces the old one). The plan as it was at that version is
# kept beside them (`plan_json`): results are always compared with the plan they answer.
plan_results = Table(
    "plan_results",
    metadata,
    Column("plan_id", String(64), ForeignKey("plans.id"), primary_key=True),
    Column("plan_version", Integer, primary_key=True),
    Column("workspace", String(100), nullable=False),
    Column("uploaded_at", DateTime(timezone=True), nullable=False),
    Column("rows", Integer, nullable=False),
    Column("plan_json", Text, nullable=False),
    Column("results_json", Text, nullable=False),
    Index("ix_plan_results_workspace", "workspace"),
)

# The team's own assumptions, learnt from results (one row per workspace, versioned).
team_assumptions = Table(
    "team_assumptions",
    metadata,
    Column("workspace", String(100), primary_key=True),
    Column("version", Integer, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("overrides_json", Text, nullable=False),
    Column("evidence_json", Text, nullable=False),
)
