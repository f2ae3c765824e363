"""invoicing completeness: payment references, penalty interest, VAT notes, factoring, updates

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07 17:30:00

Only nullable columns or columns with a server default: old rows read as before (no reference,
no penalty interest, the kind's own note, no factoring, customers created and updated).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from procountor_export.store.types import DecimalText

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("vat_rates") as table:
        table.add_column(sa.Column("note", sa.Text(), nullable=True))
    with op.batch_alter_table("customers") as table:
        table.add_column(sa.Column("penalty_interest", DecimalText(), nullable=True))
    with op.batch_alter_table("invoices") as table:
        table.add_column(sa.Column("reference", sa.String(length=40), nullable=True))
        table.add_column(sa.Column("penalty_interest", DecimalText(), nullable=True))
    with op.batch_alter_table("export_definitions") as table:
        table.add_column(sa.Column("factoring_contract", sa.String(length=80), nullable=True))
        table.add_column(sa.Column("factoring_text", sa.Text(), nullable=True))
        table.add_column(
            sa.Column(
                "customer_updates",
                sa.String(length=20),
                nullable=False,
                server_default="create_and_update",
            )
        )
    with op.batch_alter_table("export_journal") as table:
        table.add_column(sa.Column("bank_reference", sa.String(length=40), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("export_journal") as table:
        table.drop_column("bank_reference")
    with op.batch_alter_table("export_definitions") as table:
        table.drop_column("customer_updates")
        table.drop_column("factoring_text")
        table.drop_column("factoring_contract")
    with op.batch_alter_table("invoices") as table:
        table.drop_column("penalty_interest")
        table.drop_column("reference")
    with op.batch_alter_table("customers") as table:
        table.drop_column("penalty_interest")
    with op.batch_alter_table("vat_rates") as table:
        table.drop_column("note")
