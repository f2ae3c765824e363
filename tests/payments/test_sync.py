"""The payment sync against the in-process emulator, on SQLite and PostgreSQL: after a sync the
store agrees with Procountor for every exported invoice (paid in full, in part, written off, a
payment deleted), a second sync with nothing changed costs at most two calls and changes
nothing, an event read twice is stored once, and an invoice this service did not create is
never stored."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from procountor_export.emulator.testing import sample_invoice
from procountor_export.payments import SyncReport, records, sync_payments
from procountor_export.payments.sync import OVERLAP
from procountor_export.procountor import Invoice
from procountor_export.store.db import now
from procountor_export.store.models import JournalEntry
from procountor_export.store.payment_models import InvoicePayment, PaymentEventRecord


def exported(rig: Any, wanted: int = 6) -> list[int]:
    """``wanted`` invoices (not credit notes) exported and approved in Procountor: their
    Procountor ids, oldest first."""
    rig.load(wanted + 6)
    summary = rig.export()
    assert summary.exported >= wanted
    with rig.store.session() as session:
        ids = sorted(
            session.scalars(
                select(JournalEntry.procountor_invoice_id).where(
                    JournalEntry.procountor_invoice_id.is_not(None)
                )
            )
        )
    with rig.api() as client:
        payable = [
            invoice.id
            for invoice in client.invoices.get(ids)
            if invoice.id
            and invoice.invoice_sum_info
            and (invoice.invoice_sum_info[0].invoice_sum_total or 0) > 100
        ][:wanted]
        assert len(payable) == wanted
        for invoice_id in payable:
            client.invoices.approve(invoice_id)
    return payable


def pay(rig: Any, invoice_id: int, amount: Decimal, day: str, **extra: Any) -> int:
    """Book a payment in the emulator (its admin API); the event's id."""
    body = {"invoiceId": invoice_id, "amount": float(amount), "paymentDate": day, **extra}
    response = rig.http.post("/_emulator/payments", json=body)
    assert response.status_code == 200, response.text
    return int(response.json()["paymentEvent"]["id"])


def total(rig: Any, invoice_id: int) -> Decimal:
    with rig.api() as client:
        [invoice] = client.invoices.get([invoice_id])
    assert invoice.invoice_sum_info
    amount = invoice.invoice_sum_info[0].invoice_sum_total
    assert amount is not None
    return amount


def sync(rig: Any) -> SyncReport:
    report = sync_payments(rig.store, rig.factory(), box=rig.box)
    assert report.ok, [company.error for company in report.companies]
    return report


def stored(rig: Any) -> dict[int, InvoicePayment]:
    with rig.store.session() as session:
        return {row.procountor_invoice_id: row for row in session.scalars(select(InvoicePayment))}


def stored_events(rig: Any) -> list[PaymentEventRecord]:
    with rig.store.session() as session:
        return list(session.scalars(select(PaymentEventRecord).order_by(PaymentEventRecord.id)))


def procountor_events(rig: Any, invoice_id: int) -> list[tuple[int, Decimal, str]]:
    with rig.api() as client:
        return [
            (e.id or 0, e.amount or Decimal(0), str(e.type))
            for e in client.invoices.payment_events.list(invoice_id)
        ]


def test_the_store_agrees_with_procountor_and_a_second_sync_costs_little(rig: Any) -> None:
    full, part, loss, deleted, untouched, later = exported(rig)
    pay(rig, full, total(rig, full), "2026-03-05")
    pay(rig, part, Decimal("100.00"), "2026-03-06")
    pay(rig, loss, Decimal("50.00"), "2026-03-01")
    pay(rig, loss, total(rig, loss) - Decimal("50.00"), "2026-04-30", type="CREDITLOSS")
    gone = pay(rig, deleted, Decimal("20.00"), "2026-03-02")
    kept = pay(rig, deleted, Decimal("30.00"), "2026-03-03")
    # Someone else's invoice in the same company, paid too: never to be read into the store.
    with rig.api() as client:
        foreign = client.invoices.create(Invoice.model_validate(sample_invoice()))
        assert foreign.id is not None
        client.invoices.approve(foreign.id)
    pay(rig, foreign.id, Decimal("10.00"), "2026-03-04")

    first = sync(rig)

    [company] = first.companies
    assert company.invoices_read >= 6  # the others exported are open
    assert company.events_added == 6
    rows = stored(rig)
    assert {full, part, loss, deleted, untouched, later} <= set(rows)
    assert foreign.id not in {event.procountor_invoice_id for event in stored_events(rig)}
    assert rows[full].status == "paid"
    assert rows[full].open_amount == 0
    assert rows[full].last_payment_date == date(2026, 3, 5)
    assert (rows[part].status, rows[part].paid_amount) == ("partly_paid", Decimal("100.00"))
    assert rows[part].open_amount == total(rig, part) - Decimal("100.00")
    assert rows[loss].status == "credit_loss"
    assert rows[loss].procountor_status == "PAID"
    assert rows[untouched].status == "open"
    assert rows[untouched].open_amount == total(rig, untouched)
    assert rows[untouched].currency == "EUR"
    # The written-off invoice's events were read with their type; the batch list has none.
    typed = {e.event_id: e.type for e in stored_events(rig) if e.procountor_invoice_id == loss}
    assert sorted(typed.values(), key=str) == ["CREDITLOSS", "REFERENCEPAYMENT"]

    # A payment deleted, one more booked: the next sync removes the one, adds the other.
    assert rig.http.delete(f"/_emulator/payments/{gone}").status_code in (200, 204)
    pay(rig, later, Decimal("5.00"), "2026-03-09")
    second = sync(rig)
    [company] = second.companies
    assert (company.events_added, company.events_removed) == (1, 1)
    assert company.invoices_changed == 2
    rows = stored(rig)
    assert (rows[deleted].paid_amount, rows[deleted].status) == (Decimal("30.00"), "partly_paid")
    assert rows[deleted].last_payment_date == date(2026, 3, 3)
    assert [e.event_id for e in stored_events(rig) if e.procountor_invoice_id == deleted] == [kept]
    # The store agrees with Procountor for every invoice: each live event, once.
    for invoice_id in (full, part, loss, deleted, untouched, later):
        live = procountor_events(rig, invoice_id)
        mine = [
            (e.event_id, e.amount)
            for e in stored_events(rig)
            if e.procountor_invoice_id == invoice_id
        ]
        assert mine == [(event_id, amount) for event_id, amount, _ in live]
        assert rows[invoice_id].paid_amount == sum((a for _, a, _ in live), Decimal(0))

    # Nothing changed: at most two calls, nothing written.
    before = {(e.event_id, e.seq) for e in stored_events(rig)}
    seqs = {pid: row.seq for pid, row in stored(rig).items()}
    third = sync(rig)
    [company] = third.companies
    assert company.calls <= 2, company.calls_by_endpoint
    assert (company.invoices_changed, company.events_added, company.events_removed) == (0, 0, 0)
    assert {(e.event_id, e.seq) for e in stored_events(rig)} == before
    assert {pid: row.seq for pid, row in stored(rig).items()} == seqs


def test_an_event_read_twice_is_stored_once(rig: Any) -> None:
    [invoice_id] = exported(rig, 1)
    event_id = pay(rig, invoice_id, Decimal("40.00"), "2026-03-05")
    with rig.store.session() as session:
        [tms_id] = session.scalars(
            select(JournalEntry.invoice_id).where(JournalEntry.procountor_invoice_id == invoice_id)
        )
    reading = records.InvoiceReading(
        procountor_invoice_id=invoice_id,
        invoice_id=tms_id,
        procountor_status=None,
        total=Decimal("100.00"),
        currency="EUR",
        version="2026-03-05T10:00:00",
        events=(records.EventReading(event_id, Decimal("40.00"), None, None, date(2026, 3, 5)),),
    )
    for _ in range(2):
        with rig.store.session() as session:
            records.apply(session, "c", [reading, reading], version=reading.version, now=now())
    sync(rig)  # and once more as Procountor shows it, under the real company
    assert [e.event_id for e in stored_events(rig) if e.company == "c"] == [event_id]
    real = [e for e in stored_events(rig) if e.company != "c"]
    assert [(e.event_id, e.amount) for e in real] == [(event_id, Decimal("40.00"))]
    assert stored(rig)[invoice_id].status == "partly_paid"


def test_a_company_with_nothing_exported_costs_no_call(rig: Any) -> None:
    rig.load(2)
    [company] = sync(rig).companies
    assert company.calls == 0
    assert stored(rig) == {}


def test_once_the_overlap_was_read_again_later_syncs_list_from_the_last_change(
    rig: Any, clock: Any
) -> None:
    invoices = exported(rig, 3)
    for invoice_id in invoices:
        clock.tick()
        pay(rig, invoice_id, Decimal("1.00"), "2026-03-05")
    sync(rig)
    # Soon after: the overlap before the last change is listed again (stored, unchanged).
    [soon] = sync(rig).companies
    assert soon.invoices_read >= 3
    assert soon.invoices_changed == 0
    # An overlap's time after the last change was first seen: read once more, then confirmed.
    later = now() + OVERLAP
    [confirming] = sync_payments(
        rig.store, rig.factory(), box=rig.box, clock=lambda: later
    ).companies
    assert confirming.invoices_read == soon.invoices_read
    with rig.store.session() as session:
        state = records.company_state(session, confirming.company)
    assert state.confirmed_version == state.last_version is not None
    # From now on only the last change seen comes back: one call, one hit.
    [quiet] = sync(rig).companies
    assert (quiet.invoices_read, quiet.calls) == (1, 1)
    # A new payment is found, and the overlap applies again behind it.
    clock.tick()
    pay(rig, invoices[0], Decimal("2.00"), "2026-03-06")
    [found] = sync(rig).companies
    assert (found.invoices_changed, found.events_added) == (1, 1)
    with rig.store.session() as session:
        state = records.company_state(session, found.company)
    assert state.last_version is not None
    assert state.confirmed_version != state.last_version
