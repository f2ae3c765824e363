"""partner links: remembered Procountor partner ids per export and customer number

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30 04:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "partner_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("export_id", sa.Integer(), nullable=False),
        sa.Column("customer_number", sa.String(length=40), nullable=False),
        sa.Column("partner_id", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["export_id"],
            ["export_definitions.id"],
            name=op.f("fk_partner_links_export_id_export_definitions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_partner_links")),
        sa.UniqueConstraint(
            "export_id", "customer_number", name=op.f("uq_partner_links_export_id")
        ),
    )


def downgrade() -> None:
    op.drop_table("partner_links")
