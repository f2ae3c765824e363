"""retire the old row formats: earlier versions' texts become problem data, their columns go

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-08 00:30:00

Versions before problems were kept as data (0004) wrote text: a journal row's
``error_message``, plain strings among its ``warnings``, a run's ``message``. Each such text
becomes a problem of the catalogue's ``EARLIER_VERSION_TEXT`` message, the text its one
argument, where the row holds no problem data of its own (a row that has some says more than
its old text). Then nothing reads text rows any more, and ``error_message`` and ``message``
are dropped.

The downgrade adds the columns back and turns those problems into text again, so a version
before this one shows what it showed before.
"""

from collections.abc import Iterator, Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The catalogue's code (``export.own_messages.EARLIER_VERSION_TEXT``), written out: a migration
# must keep doing what it did when the catalogue changes.
CODE = "EARLIER_VERSION_TEXT"
PAGE = 1000  # rows read and rewritten at a time, so a large journal is never read whole

JOURNAL = sa.table(
    "export_journal",
    sa.column("id", sa.Integer),
    sa.column("invoice_id", sa.Integer),
    sa.column("error_code", sa.String),
    sa.column("error_message", sa.Text),
    sa.column("problems", sa.JSON),
    sa.column("warnings", sa.JSON),
)
RUNS = sa.table(
    "export_runs",
    sa.column("id", sa.Integer),
    sa.column("message", sa.Text),
    sa.column("problem", sa.JSON),
)
INVOICES = sa.table("invoices", sa.column("id", sa.Integer), sa.column("number", sa.String))


def upgrade() -> None:
    connection = op.get_bind()
    _journal_to_data(connection)
    _runs_to_data(connection)
    # Plain columns (no index, key or constraint): SQLite (3.35 and later) drops them in place
    # with ALTER TABLE … DROP COLUMN. Rebuilding the tables, as batch mode otherwise does, fails
    # on a store with rows: dropping the old table breaks the journal's key to the runs and the
    # history's key to the journal (SQLite enforces the store's foreign keys).
    with op.batch_alter_table("export_journal", recreate="never") as batch:
        batch.drop_column("error_message")
    with op.batch_alter_table("export_runs", recreate="never") as batch:
        batch.drop_column("message")


def downgrade() -> None:
    with op.batch_alter_table("export_runs") as batch:
        batch.add_column(sa.Column("message", sa.Text(), nullable=True))
    with op.batch_alter_table("export_journal") as batch:
        batch.add_column(sa.Column("error_message", sa.Text(), nullable=True))
    connection = op.get_bind()
    _journal_to_text(connection)
    _runs_to_text(connection)


def _problem(text: str, severity: str, invoice: str | None) -> dict[str, Any]:
    """The problem data ``Problem.to_data`` writes, for an earlier version's text."""
    return {
        "code": CODE,
        "args": [text],
        "severity": severity,
        "invoice": invoice,
        "field": None,
        "detail": None,
    }


def _text(value: Any) -> str | None:
    """The earlier version's text a problem of ours carries (``None``: another problem)."""
    if isinstance(value, dict) and value.get("code") == CODE and value.get("args"):
        return str(value["args"][0])
    return None


def _pages(connection: sa.Connection, query: sa.Select[Any], key: Any) -> Iterator[Any]:
    """The rows of ``query`` by ascending ``key``, a page at a time (keyset)."""
    last = None
    while True:
        paged = query if last is None else query.where(key > last)
        rows = connection.execute(paged.order_by(key).limit(PAGE)).all()
        yield from rows
        if len(rows) < PAGE:
            return
        last = rows[-1].id


def _journal_to_data(connection: sa.Connection) -> None:
    query = sa.select(
        JOURNAL.c.id,
        JOURNAL.c.error_code,
        JOURNAL.c.error_message,
        JOURNAL.c.problems,
        JOURNAL.c.warnings,
        INVOICES.c.number,
    ).join(INVOICES, INVOICES.c.id == JOURNAL.c.invoice_id)
    for row in _pages(connection, query, JOURNAL.c.id):
        changes: dict[str, Any] = {}
        if row.error_message and not row.problems:
            changes["problems"] = [_problem(row.error_message, "error", row.number)]
            if row.error_code is None:
                changes["error_code"] = CODE
        warnings = row.warnings or []
        if any(isinstance(warning, str) for warning in warnings):
            changes["warnings"] = [
                _problem(warning, "warning", row.number) if isinstance(warning, str) else warning
                for warning in warnings
            ]
        if changes:
            connection.execute(JOURNAL.update().where(JOURNAL.c.id == row.id).values(**changes))


def _runs_to_data(connection: sa.Connection) -> None:
    query = sa.select(RUNS.c.id, RUNS.c.message, RUNS.c.problem).where(RUNS.c.message.is_not(None))
    for row in _pages(connection, query, RUNS.c.id):
        if row.message and not row.problem:
            problem = _problem(row.message, "error", None)
            connection.execute(RUNS.update().where(RUNS.c.id == row.id).values(problem=problem))


def _journal_to_text(connection: sa.Connection) -> None:
    query = sa.select(JOURNAL.c.id, JOURNAL.c.error_code, JOURNAL.c.problems, JOURNAL.c.warnings)
    for row in _pages(connection, query, JOURNAL.c.id):
        changes: dict[str, Any] = {}
        texts = [_text(problem) for problem in row.problems or []]
        if texts and all(text is not None for text in texts):
            changes["error_message"] = "\n".join(str(text) for text in texts)
            changes["problems"] = sa.null()
            if row.error_code == CODE:
                changes["error_code"] = None
        warnings = row.warnings or []
        if any(_text(warning) is not None for warning in warnings):
            changes["warnings"] = [_text(warning) or warning for warning in warnings]
        if changes:
            connection.execute(JOURNAL.update().where(JOURNAL.c.id == row.id).values(**changes))


def _runs_to_text(connection: sa.Connection) -> None:
    query = sa.select(RUNS.c.id, RUNS.c.problem).where(RUNS.c.problem.is_not(None))
    for row in _pages(connection, query, RUNS.c.id):
        text = _text(row.problem)
        if text is not None:
            connection.execute(
                RUNS.update().where(RUNS.c.id == row.id).values(message=text, problem=sa.null())
            )
