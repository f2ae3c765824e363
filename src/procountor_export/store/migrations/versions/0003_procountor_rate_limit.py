"""procountor_rate_limit: the PostgreSQL-backed shared rate limiter's table

The limiter (``procountor.pacing.PostgresRateLimiter``) keeps one row per Procountor client id:
the server time (epoch seconds) from which its next request may go. It used to create this
table itself on first use; the client package imports nothing from the store, so it now only
expects the table, and ``procountor-export init`` creates it here. PostgreSQL only (the limiter
needs ``SELECT … FOR UPDATE`` across processes); on SQLite this revision does nothing. A table
left by an older version's limiter is kept as it is.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30 04:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "procountor_rate_limit"


def _postgresql() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade() -> None:
    if not _postgresql() or sa.inspect(op.get_bind()).has_table(TABLE):
        return
    op.create_table(
        TABLE,
        sa.Column("client_id", sa.Text(), nullable=False),
        sa.Column("next_slot", sa.Double(), nullable=False),
        sa.PrimaryKeyConstraint("client_id", name="procountor_rate_limit_pkey"),
    )


def downgrade() -> None:
    if _postgresql():
        op.drop_table(TABLE)
