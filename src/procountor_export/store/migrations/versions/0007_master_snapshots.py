"""master snapshots: a company's master data kept for the rest of a run on the job queue

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30 07:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "master_snapshots",
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("export_id", sa.Integer(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("taken_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["export_runs.id"],
            name=op.f("fk_master_snapshots_run_id_export_runs"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["export_id"],
            ["export_definitions.id"],
            name=op.f("fk_master_snapshots_export_id_export_definitions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("run_id", "export_id", name=op.f("pk_master_snapshots")),
    )


def downgrade() -> None:
    op.drop_table("master_snapshots")
