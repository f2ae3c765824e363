"""journal events: every transition of a journal row, its history

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30 05:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "journal_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("step", sa.String(length=40), nullable=True),
        sa.Column("problems", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["entry_id"],
            ["export_journal.id"],
            name=op.f("fk_journal_events_entry_id_export_journal"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_journal_events")),
    )
    op.create_index("ix_journal_events_entry_id", "journal_events", ["entry_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_journal_events_entry_id", table_name="journal_events")
    op.drop_table("journal_events")
