"""Idempotent saves (a plan's save key) and the shared passphrase throttle.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("plans") as batch:
        batch.add_column(sa.Column("save_key", sa.String(64), nullable=True))
    op.create_index("ux_plans_save_key", "plans", ["save_key"], unique=True)
    op.create_table(
        "access_clients",
        sa.Column("client", sa.String(64), primary_key=True),
        sa.Column("failures", sa.Integer, nullable=False),
        sa.Column("blocked_until", sa.Float, nullable=False),
        sa.Column("last_at", sa.Float, nullable=False),
    )
    op.create_index("ix_access_clients_last_at", "access_clients", ["last_at"])
    op.create_table(
        "access_failures",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("client", sa.String(64), nullable=False),
        sa.Column("at", sa.Float, nullable=False),
    )
    op.create_index("ix_access_failures_at", "access_failures", ["at"])


def downgrade() -> None:
    op.drop_index("ix_access_failures_at", table_name="access_failures")
    op.drop_table("access_failures")
    op.drop_index("ix_access_clients_last_at", table_name="access_clients")
    op.drop_table("access_clients")
    op.drop_index("ux_plans_save_key", table_name="plans")
    with op.batch_alter_table("plans") as batch:
        batch.drop_column("save_key")
