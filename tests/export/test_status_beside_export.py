"""``status`` beside a running export: it reads what is committed without waiting for the
export's write transaction, and its cost does not grow by a query per invoice."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import event, select, update

from procountor_export.export.reading.scope import Scope
from procountor_export.export.reporting.status import status
from procountor_export.samples.generator import generate_document
from procountor_export.store.db import Store
from procountor_export.store.locks import exclusive_session
from procountor_export.store.models import Customer, ExportDefinition, Invoice, JournalEntry
from procountor_export.store.secrets import SecretBox
from procountor_export.tms.importer import import_document


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    store = Store.open(f"sqlite:///{tmp_path / 'store.sqlite'}")
    document = generate_document(80, seed=3)
    assert import_document(store, document, box=SecretBox(Fernet.generate_key())).accepted
    yield store
    store.close()


def _statements(store: Store, scope: Scope) -> tuple[int, int]:
    """(rows shown, SQL statements run) for the status of ``scope``."""
    counted: list[str] = []

    def count(*args: Any) -> None:
        counted.append(args[2])

    event.listen(store.engine, "before_cursor_execute", count)
    try:
        with store.session() as session:
            rows = status(session, scope)
    finally:
        event.remove(store.engine, "before_cursor_execute", count)
    return len(rows), len(counted)


def _groups(store: Store, numbers: list[str]) -> set[str | None]:
    """The customers' own export settings (groups) among the invoices ``numbers``."""
    with store.session() as session:
        query = select(Customer.export_setting).join(Invoice.customer)
        return set(session.scalars(query.where(Invoice.number.in_(numbers))))


def test_status_does_not_query_once_per_invoice(store: Store) -> None:
    with store.session() as session:
        numbers = list(session.scalars(select(Invoice.number).order_by(Invoice.number)))
    half = numbers[: len(numbers) // 2]
    assert _groups(store, half) == _groups(store, numbers)  # the same groups to look up
    half_rows, half_statements = _statements(store, Scope(invoices=tuple(half)))
    all_rows, all_statements = _statements(store, Scope(invoices=tuple(numbers)))
    assert (half_rows, all_rows) == (len(half), len(numbers))
    assert all_statements == half_statements  # twice the invoices, not one query more


def test_status_reads_while_an_export_holds_its_write_transaction(store: Store) -> None:
    with store.session() as session:
        invoice = session.scalars(select(Invoice).order_by(Invoice.number)).first()
        export = session.scalars(select(ExportDefinition)).first()
        assert invoice is not None
        assert export is not None
        number = invoice.number
        # An earlier run failed the invoice; the running export is about to send it again.
        now = datetime(2026, 3, 31, 12, 0)
        session.add(
            JournalEntry(
                invoice_id=invoice.id,
                export_id=export.id,
                state="FAILED",
                created_at=now,
                updated_at=now,
            )
        )
    scope = Scope(invoices=(number,))
    with store.session() as session:
        before = [(row.invoice, row.state) for row in status(session, scope)]
    order: list[str] = []
    seen: list[list[tuple[str, str]]] = []
    read = threading.Event()

    def read_status() -> None:
        with store.session() as session:
            seen.append([(row.invoice, row.state) for row in status(session, scope)])
        order.append("status read")
        read.set()

    # The export's journal step: the store's write lock taken up front (BEGIN IMMEDIATE on
    # SQLite), an invoice marked as being sent, and not yet committed.
    with exclusive_session(store, "journal", wait=10) as writer:
        writer.execute(update(JournalEntry).values(state="INFLIGHT"))
        writer.flush()
        reader = threading.Thread(target=read_status)
        reader.start()
        # The guard only keeps a broken build from hanging the suite; the assertion is the
        # order: the status was read while the export's transaction was still open.
        read.wait(60)
        order.append("export commits")
    reader.join(60)
    assert order == ["status read", "export commits"]
    assert before == [(number, "FAILED")]
    assert seen == [before]  # what was committed, not the export's unfinished step
    with store.session() as session:
        assert [row.state for row in status(session, scope)] == ["INFLIGHT"]
