"""The journal's state machine: allowed moves write, illegal ones raise and write nothing."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from procountor_export.export import messages as m
from procountor_export.export.problems import Problem
from procountor_export.export.reporting.status import history
from procountor_export.store.db import Store
from procountor_export.store.journal import IllegalTransition, Journal, Step
from procountor_export.store.models import (
    Customer,
    ExportDefinition,
    Invoice,
    JournalEntry,
    JournalState,
    Period,
)
from procountor_export.store.runs import Runs


@pytest.fixture
def journal(sqlite_store: Store) -> tuple[Journal, int]:
    with sqlite_store.session() as session:
        customer = Customer(code="ACME", customer_no="1", name="Acme Oy", address={"name": "A"})
        period = Period(id="2026-03", date_from=date(2026, 3, 1), date_to=date(2026, 3, 31))
        export = ExportDefinition(name="Procountor (API)", type="procountor-api")
        session.add_all([customer, period, export])
        session.flush()
        invoice = Invoice(
            number="250001",
            period_id=period.id,
            customer_id=customer.id,
            date=date(2026, 3, 31),
            due_date=date(2026, 4, 14),
            currency="EUR",
            total_net=Decimal(100),
            total_vat=Decimal("25.50"),
            total_gross=Decimal("125.50"),
            content_hash="x",
            imported_at=datetime(2026, 4, 1),
        )
        session.add(invoice)
        session.flush()
        pair = (invoice.id, export.id)
    journal = Journal(sqlite_store)
    run_id = Runs(journal.store).start({"all": True}, "test")
    entry = journal.entries([pair], run_id)[pair]
    return journal, entry.id


def row(journal: Journal, entry_id: int) -> JournalEntry:
    with journal.store.session() as session:
        entry = session.get_one(JournalEntry, entry_id)
        session.expunge(entry)
        return entry


def test_the_whole_way_to_exported(journal: tuple[Journal, int]) -> None:
    book, entry_id = journal
    book.begin(entry_id, Step.CREATE_INVOICE, 1)
    assert row(book, entry_id).state is JournalState.INFLIGHT
    book.record_remote(
        entry_id,
        step=Step.CREATED,
        invoice_id=77,
        invoice_number=1501,
        ledger_receipt_id=88,
        partner_id=9,
        run_id=1,
    )
    book.begin(entry_id, Step.APPROVE, 1)
    warning = Problem.of(m.TOTALS_DIFFER, "250001", "gross 125.51 in Procountor")
    book.mark_exported(entry_id, [warning], 1)
    done = row(book, entry_id)
    assert (done.state, done.step, done.procountor_invoice_id) == (
        JournalState.EXPORTED,
        "done",
        77,
    )
    # Kept as data: code and arguments, to be rendered again by any face.
    assert [Problem.from_data(w) for w in done.warnings] == [warning]
    assert done.attempts == 1
    assert done.exported_at is not None


def test_exported_is_final(journal: tuple[Journal, int]) -> None:
    book, entry_id = journal
    book.begin(entry_id, Step.CREATE_INVOICE, 1)
    book.mark_exported(entry_id, [], 1)
    for move in (
        lambda: book.begin(entry_id, Step.CREATE_INVOICE, 1),
        lambda: book.mark_failed([entry_id], [Problem.of(m.API_CALL)], 1),
        lambda: book.mark_exported(entry_id, [], 1),
    ):
        with pytest.raises(IllegalTransition, match="EXPORTED -> "):
            move()
    assert row(book, entry_id).state is JournalState.EXPORTED


def test_a_pending_row_cannot_be_exported_without_a_step(journal: tuple[Journal, int]) -> None:
    book, entry_id = journal
    with pytest.raises(IllegalTransition, match="PENDING -> EXPORTED"):
        book.mark_exported(entry_id, [], 1)
    assert row(book, entry_id).state is JournalState.PENDING


def test_failed_rows_are_tried_again_and_count_attempts(journal: tuple[Journal, int]) -> None:
    book, entry_id = journal
    first, second, third, fourth = [1] + [
        Runs(book.store).start({"all": True}, "test") for _ in "abc"
    ]
    closed = Problem.of(m.PERIOD_CLOSED, "2026-03-31", invoice="250001")
    book.mark_failed([entry_id], [closed], first)
    book.mark_failed([entry_id], [closed], second)
    book.begin(entry_id, Step.CREATE_INVOICE, third)
    refused = Problem.of(m.API_CALL, invoice="250001", detail="invoiceRows[0]: invalid")
    book.mark_failed([entry_id], [refused], third)
    book.begin(entry_id, Step.CREATE_INVOICE, fourth)
    failed = row(book, entry_id)
    assert failed.attempts == 4  # every run that took it up, failed checks included
    assert failed.error_code == "API_CALL"  # kept until the attempt ends
    assert [Problem.from_data(p) for p in failed.problems or []] == [refused]


def test_attempts_count_each_run_that_took_the_invoice_up(journal: tuple[Journal, int]) -> None:
    book, entry_id = journal
    second, third = (Runs(book.store).start({"all": True}, "test") for _ in "ab")
    closed = Problem.of(m.PERIOD_CLOSED, "2026-03-31", invoice="250001")
    book.mark_failed([entry_id], [closed], 1)  # a check failed: nothing was sent
    book.begin(entry_id, Step.CREATE_INVOICE, second)  # its process died after the POST
    assert row(book, entry_id).attempts == 2
    book.begin(entry_id, Step.CREATE_INVOICE, third)  # a later run takes the row up
    book.record_remote(
        entry_id,
        step=Step.ADOPTED,
        invoice_id=77,
        invoice_number=1501,
        ledger_receipt_id=88,
        partner_id=9,
        run_id=third,
    )
    book.begin(entry_id, Step.APPROVE, third)  # the same run's further steps: same attempt
    book.mark_exported(entry_id, [], third)
    assert row(book, entry_id).attempts == 3  # two failures and a success


def test_record_remote_takes_only_the_two_recording_steps(journal: tuple[Journal, int]) -> None:
    book, entry_id = journal
    with pytest.raises(ValueError, match="CREATED or ADOPTED"):
        book.record_remote(
            entry_id,
            step=Step.APPROVE,
            invoice_id=1,
            invoice_number=1,
            ledger_receipt_id=1,
            partner_id=1,
            run_id=1,
        )


def test_every_transition_is_kept_as_the_rows_history(journal: tuple[Journal, int]) -> None:
    book, entry_id = journal
    refused = Problem.of(m.API_CALL, invoice="250001", detail="invoiceRows[0]: invalid")
    book.begin(entry_id, Step.CREATE_INVOICE, 1)
    book.mark_failed([entry_id], [refused], 1)
    book.begin(entry_id, Step.CREATE_INVOICE, 1)
    book.record_remote(
        entry_id,
        step=Step.CREATED,
        invoice_id=77,
        invoice_number=1501,
        ledger_receipt_id=88,
        partner_id=9,
        run_id=1,
    )
    book.mark_exported(entry_id, [], 1)
    with book.store.session() as session:
        invoice_id = session.get_one(JournalEntry, entry_id).invoice_id
        events = history(session, invoice_id)
    assert [(e.state, e.step) for e in events] == [
        ("INFLIGHT", "create_invoice"),
        ("FAILED", "create_invoice"),
        ("INFLIGHT", "create_invoice"),
        ("INFLIGHT", "created"),
        ("EXPORTED", "done"),
    ]
    assert events[1].problems == [refused]
    assert {e.export for e in events} == {"Procountor (API)"}
