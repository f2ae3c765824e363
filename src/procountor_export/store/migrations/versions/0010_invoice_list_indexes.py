"""invoice list indexes: its pages seek (date, id), (due date, id), customer name, changes

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07 19:40:00

Indexes only. The invoice list pages by keyset (the rows after the last one shown, in the
list's order): these let each page start with an index seek, whatever the store holds. The
invoice number has its unique index already; ``imported_at`` and the journal's ``updated_at``
serve the REST API's "changed since" filter.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = (
    ("ix_invoices_date_id", "invoices", ["date", "id"]),
    ("ix_invoices_due_date_id", "invoices", ["due_date", "id"]),
    ("ix_invoices_imported_at", "invoices", ["imported_at"]),
    ("ix_customers_name", "customers", ["name"]),
    ("ix_export_journal_updated_at", "export_journal", ["updated_at"]),
)


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns, unique=False)


def downgrade() -> None:
    for name, table, _ in reversed(INDEXES):
        op.drop_index(name, table_name=table)
