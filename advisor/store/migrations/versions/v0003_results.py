"""Campaign results per plan version, and the team's assumptions learnt from them.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "plan_results",
        sa.Column("plan_id", sa.String(64), sa.ForeignKey("plans.id"), primary_key=True),
        sa.Column("plan_version", sa.Integer, primary_key=True),
        sa.Column("workspace", sa.String(100), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("rows", sa.Integer, nullable=False),
        sa.Column("plan_json", sa.Text, nullable=False),
        sa.Column("results_json", sa.Text, nullable=False),
    )
    op.create_index("ix_plan_results_workspace", "plan_results", ["workspace"])
    op.create_table(
        "team_assumptions",
        sa.Column("workspace", sa.String(100), primary_key=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("overrides_json", sa.Text, nullable=False),
        sa.Column("evidence_json", sa.Text, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("team_assumptions")
    op.drop_index("ix_plan_results_workspace", table_name="plan_results")
    op.drop_table("plan_results")
