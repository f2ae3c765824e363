"""payments: what the payment sync reads back (invoice payment state, payment events, each
company's last seen version, the change sequence)

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-08 01:00:00

New tables only (models: ``store.payment_models``). The sequence's one row is made here, so
every sync finds it and takes its lock instead of racing to create it.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import procountor_export.store.types

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _money(name: str, *, nullable: bool) -> sa.Column[object]:
    return sa.Column(name, procountor_export.store.types.DecimalText(length=40), nullable=nullable)


def upgrade() -> None:
    sequence = op.create_table(
        "payment_sequence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment_sequence")),
    )
    op.bulk_insert(sequence, [{"id": 1, "value": 0}])
    op.create_table(
        "payment_companies",
        sa.Column("company", sa.String(length=40), nullable=False),
        sa.Column("last_version", sa.String(length=40), nullable=True),
        sa.Column("version_seen_at", sa.DateTime(), nullable=True),
        sa.Column("confirmed_version", sa.String(length=40), nullable=True),
        sa.Column("synced_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("company", name=op.f("pk_payment_companies")),
    )
    op.create_table(
        "invoice_payments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company", sa.String(length=40), nullable=False),
        sa.Column("procountor_invoice_id", sa.Integer(), nullable=False),
        sa.Column("invoice_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("procountor_status", sa.String(length=40), nullable=True),
        _money("total", nullable=True),
        _money("paid_amount", nullable=False),
        _money("open_amount", nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=True),
        sa.Column("last_payment_date", sa.Date(), nullable=True),
        sa.Column("version", sa.String(length=40), nullable=True),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["invoice_id"],
            ["invoices.id"],
            name=op.f("fk_invoice_payments_invoice_id_invoices"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invoice_payments")),
        sa.UniqueConstraint(
            "company", "procountor_invoice_id", name=op.f("uq_invoice_payments_company")
        ),
    )
    op.create_index("ix_invoice_payments_invoice_id", "invoice_payments", ["invoice_id"])
    op.create_index("ix_invoice_payments_seq", "invoice_payments", ["seq"])
    op.create_table(
        "payment_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company", sa.String(length=40), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("procountor_invoice_id", sa.Integer(), nullable=False),
        sa.Column("invoice_id", sa.Integer(), nullable=False),
        _money("amount", nullable=False),
        _money("paid_amount", nullable=True),
        sa.Column("paid_currency", sa.String(length=3), nullable=True),
        sa.Column("payment_date", sa.Date(), nullable=True),
        sa.Column("type", sa.String(length=40), nullable=True),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["invoice_id"],
            ["invoices.id"],
            name=op.f("fk_payment_events_invoice_id_invoices"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment_events")),
        sa.UniqueConstraint("company", "event_id", name=op.f("uq_payment_events_company")),
    )
    op.create_index(
        "ix_payment_events_procountor_invoice_id",
        "payment_events",
        ["company", "procountor_invoice_id"],
    )
    op.create_index("ix_payment_events_seq", "payment_events", ["seq"])


def downgrade() -> None:
    op.drop_index("ix_payment_events_seq", table_name="payment_events")
    op.drop_index("ix_payment_events_procountor_invoice_id", table_name="payment_events")
    op.drop_table("payment_events")
    op.drop_index("ix_invoice_payments_seq", table_name="invoice_payments")
    op.drop_index("ix_invoice_payments_invoice_id", table_name="invoice_payments")
    op.drop_table("invoice_payments")
    op.drop_table("payment_companies")
    op.drop_table("payment_sequence")
