"""Migration 0011: what earlier versions wrote as text is read as problem data, and shown the same.

A store at 0010 holding rows of versions before problems were kept as data (a journal row's
``error_message``, plain-string warnings, a run's ``message``) is upgraded; ``status``, the
invoice's run view and the REST API's run then show each text as the catalogue's
``EARLIER_VERSION_TEXT`` message, and the downgrade gives the texts back.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

import pytest
import sqlalchemy as sa
from alembic import command
from sqlalchemy import Engine, inspect
from sqlalchemy.orm import Session

from procountor_export.export import messages as m
from procountor_export.export.messages import Face, Messages
from procountor_export.export.reading.scope import Scope
from procountor_export.export.reporting.status import history, status
from procountor_export.export.templates import Severity
from procountor_export.jobs.runs import read_run
from procountor_export.store.db import Store, alembic_config, make_engine
from procountor_export.store.models import Customer, ExportDefinition, Invoice, Period

OLD_ERROR = "Procountor refused the invoice: {partner} unknown"  # braces stay as they are
OLD_WARNING = "The PDF copy was not attached"
OLD_RUN_MESSAGE = "Procountor could not be reached"
FRAME = "Recorded by an earlier version of this service: "

# The two tables as they were at 0010 (the models no longer have the text columns).
JOURNAL = sa.table(
    "export_journal",
    sa.column("id", sa.Integer),
    sa.column("invoice_id", sa.Integer),
    sa.column("export_id", sa.Integer),
    sa.column("state", sa.String),
    sa.column("attempts", sa.Integer),
    sa.column("error_code", sa.String),
    sa.column("error_message", sa.Text),
    sa.column("problems", sa.JSON),
    sa.column("warnings", sa.JSON),
    sa.column("run_id", sa.Integer),
    sa.column("created_at", sa.DateTime),
    sa.column("updated_at", sa.DateTime),
)
RUNS = sa.table(
    "export_runs",
    sa.column("id", sa.Integer),
    sa.column("scope", sa.JSON),
    sa.column("started_by", sa.String),
    sa.column("started_at", sa.DateTime),
    sa.column("finished_at", sa.DateTime),
    sa.column("dry_run", sa.Boolean),
    sa.column("to_export", sa.Integer),
    sa.column("exported", sa.Integer),
    sa.column("failed", sa.Integer),
    sa.column("skipped", sa.Integer),
    sa.column("outcome", sa.String),
    sa.column("message", sa.Text),
    sa.column("problem", sa.JSON),
)
EVENTS = sa.table(
    "journal_events",
    sa.column("entry_id", sa.Integer),
    sa.column("run_id", sa.Integer),
    sa.column("at", sa.DateTime),
    sa.column("state", sa.String),
)
AT = datetime(2026, 4, 1, 12, 0)
NEWER = m.PERIOD_OPEN.code


@dataclass(frozen=True)
class OldRows:
    """The ids of what an earlier version wrote."""

    old_entry: int  # text error, plain warning
    newer_entry: int  # problem data and a leftover text: the data wins
    old_run: int  # a run stopped with text
    newer_run: int  # a run with a problem and a leftover text


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    made = make_engine(database_url)
    yield made
    made.dispose()


def _store_at_0010(engine: Engine) -> OldRows:
    """A store migrated to 0010, holding rows as versions before problems-as-data wrote them."""
    command.upgrade(alembic_config(engine), "0010")
    with Session(engine) as session, session.begin():
        customer = Customer(code="ACME", customer_no="1", name="Acme Oy", address={"name": "A"})
        period = Period(id="2026-03", date_from=date(2026, 3, 1), date_to=date(2026, 3, 31))
        export = ExportDefinition(name="Procountor (API)", type="procountor-api")
        session.add_all([customer, period, export])
        session.flush()
        invoices = [_invoice(number, period.id, customer.id) for number in ("250001", "250002")]
        session.add_all(invoices)
        session.flush()
        pairs = [(invoice.id, export.id) for invoice in invoices]
    with engine.begin() as connection:
        old_run = _run(connection, message=OLD_RUN_MESSAGE, problem=None)
        newer = {"code": NEWER, "args": ["2026-03"], "severity": "error"}
        newer_run = _run(connection, message="a leftover text", problem=newer)
        old_entry = _entry(connection, pairs[0], old_run, OLD_ERROR, None, [OLD_WARNING])
        newer_entry = _entry(connection, pairs[1], newer_run, "a leftover text", [newer], [])
        connection.execute(EVENTS.insert().values(entry_id=old_entry, at=AT, state="FAILED"))
    return OldRows(old_entry, newer_entry, old_run, newer_run)


def _invoice(number: str, period: str, customer: int) -> Invoice:
    return Invoice(
        number=number,
        period_id=period,
        customer_id=customer,
        date=date(2026, 3, 31),
        due_date=date(2026, 4, 14),
        currency="EUR",
        total_net=Decimal(100),
        total_vat=Decimal("25.50"),
        total_gross=Decimal("125.50"),
        content_hash="x",
        imported_at=AT,
    )


def _run(connection: sa.Connection, **text: object) -> int:
    values = {"scope": {"all": True}, "started_by": "cli", "started_at": AT, "finished_at": AT}
    counts = {"dry_run": False, "to_export": 1, "exported": 0, "failed": 1, "skipped": 0}
    inserted = RUNS.insert().values(**values, **counts, outcome="failed", **text)
    return int(connection.execute(inserted.returning(RUNS.c.id)).scalar_one())


def _entry(
    connection: sa.Connection,
    pair: tuple[int, int],
    run: int,
    error: str,
    problems: list[dict[str, object]] | None,
    warnings: list[object],
) -> int:
    inserted = JOURNAL.insert().values(
        invoice_id=pair[0],
        export_id=pair[1],
        state="FAILED",
        attempts=1,
        error_code=None,
        error_message=error,
        problems=problems,
        warnings=warnings,
        run_id=run,
        created_at=AT,
        updated_at=AT,
    )
    return int(connection.execute(inserted.returning(JOURNAL.c.id)).scalar_one())


def test_earlier_versions_texts_become_problem_data_and_read_the_same(engine: Engine) -> None:
    rows = _store_at_0010(engine)
    command.upgrade(alembic_config(engine), "head")
    store = Store(engine)

    with store.session() as session:
        found = {row.invoice: row for row in status(session, Scope.of(["2026-03"]))}
        events = history(session, _invoice_id(session, "250001"))
    old, newer = found["250001"], found["250002"]
    words = Messages("Opter")
    assert old.error(words) == FRAME + OLD_ERROR
    assert [problem.code for problem in old.errors] == ["EARLIER_VERSION_TEXT"]
    assert old.errors[0].invoice == "250001"
    assert old.warning_texts(words) == [FRAME + OLD_WARNING]
    assert [warning.severity for warning in old.warnings] == [Severity.WARNING]
    assert old.as_dict(words)["errors"][0]["message"] == FRAME + OLD_ERROR
    # The data the row had says more than its leftover text, which goes.
    assert newer.error(words) == "The invoice period 2026-03 is not closed"
    # The history of the rows survives the columns' removal.
    assert [event.state for event in events] == ["FAILED"]

    # The fix is worded for each face, and away from the terminal names no command.
    for face in (Face.WEB, Face.API):
        remedy = Messages("Opter", face).remedy(old.errors[0])
        assert "earlier version" in remedy
        assert "--invoice" not in remedy

    stopped = read_run(store, rows.old_run)
    assert stopped is not None
    shown = stopped.as_dict(words)
    assert shown["problem"]["code"] == "EARLIER_VERSION_TEXT"
    assert shown["message"] == FRAME + OLD_RUN_MESSAGE
    other = read_run(store, rows.newer_run)
    assert other is not None
    assert other.as_dict(words)["message"] == "The invoice period 2026-03 is not closed"

    columns = inspect(engine)
    assert "error_message" not in {c["name"] for c in columns.get_columns("export_journal")}
    assert "message" not in {c["name"] for c in columns.get_columns("export_runs")}


def test_the_downgrade_gives_the_texts_back(engine: Engine) -> None:
    rows = _store_at_0010(engine)
    command.upgrade(alembic_config(engine), "head")
    command.downgrade(alembic_config(engine), "0010")

    with engine.connect() as connection:
        journal = {
            row.id: row
            for row in connection.execute(
                sa.select(
                    JOURNAL.c.id, JOURNAL.c.error_message, JOURNAL.c.problems, JOURNAL.c.warnings
                )
            )
        }
        runs = {
            row.id: row
            for row in connection.execute(sa.select(RUNS.c.id, RUNS.c.message, RUNS.c.problem))
        }
    assert journal[rows.old_entry].error_message == OLD_ERROR
    assert journal[rows.old_entry].problems is None
    assert journal[rows.old_entry].warnings == [OLD_WARNING]
    assert journal[rows.newer_entry].problems[0]["code"] == NEWER
    assert runs[rows.old_run].message == OLD_RUN_MESSAGE
    assert runs[rows.old_run].problem is None
    assert runs[rows.newer_run].problem["code"] == NEWER


def _invoice_id(session: Session, number: str) -> int:
    return session.scalars(sa.select(Invoice.id).where(Invoice.number == number)).one()
