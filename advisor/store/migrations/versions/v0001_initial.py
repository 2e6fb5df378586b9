"""Saved plans and creator lists.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "creator_lists",
        sa.Column("sha256", sa.String(64), primary_key=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("rows", sa.Integer, nullable=False),
        sa.Column("size_bytes", sa.Integer, nullable=False),
        sa.Column("parquet", sa.LargeBinary, nullable=False),
        sa.Column("meta_json", sa.Text, nullable=False),
    )
    op.create_table(
        "plans",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("workspace", sa.String(100), nullable=False, server_default="default"),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("author", sa.String(200), nullable=False, server_default=""),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("plan_json", sa.Text, nullable=False),
        sa.Column("rules_json", sa.Text, nullable=True),
        sa.Column(
            "creators_sha", sa.String(64), sa.ForeignKey("creator_lists.sha256"), nullable=True
        ),
        sa.Column("creators_meta", sa.Text, nullable=True),
        sa.Column(
            "shortlist_sha", sa.String(64), sa.ForeignKey("creator_lists.sha256"), nullable=True
        ),
        sa.Column("shortlist_meta", sa.Text, nullable=True),
        sa.Column("benchmarks_fingerprint", sa.String(64), nullable=False),
        sa.Column("goal", sa.String(40), nullable=False),
        sa.Column("budget", sa.Float, nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("weeks", sa.Integer, nullable=False),
        sa.Column("strategy", sa.String(20), nullable=False),
        sa.Column("influencer_share", sa.Float, nullable=False),
        sa.Column("objective_key", sa.String(40), nullable=False),
        sa.Column("objective_p10", sa.Float, nullable=False),
        sa.Column("objective_p50", sa.Float, nullable=False),
        sa.Column("objective_p90", sa.Float, nullable=False),
        sa.Column("cost_per_result", sa.Float, nullable=True),
        sa.Column("data_source", sa.String(200), nullable=False),
    )
    op.create_index("ix_plans_workspace_updated", "plans", ["workspace", "updated_at"])


def downgrade() -> None:
    op.drop_index("ix_plans_workspace_updated", table_name="plans")
    op.drop_table("plans")
    op.drop_table("creator_lists")
