"""problems as data: the journal and the runs keep message codes and arguments, not text

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30 05:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("export_journal") as batch:
        batch.add_column(sa.Column("problems", sa.JSON(), nullable=True))
    with op.batch_alter_table("export_runs") as batch:
        batch.add_column(sa.Column("problem", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("export_runs") as batch:
        batch.drop_column("problem")
    with op.batch_alter_table("export_journal") as batch:
        batch.drop_column("problems")
