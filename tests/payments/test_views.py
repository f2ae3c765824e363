"""What people see of the payment sync, read from the store (``payments.views``), on SQLite and
PostgreSQL, against the in-process emulator: after invoices were paid in full, in part,
written off and a payment deleted, each invoice's payment view agrees with Procountor; the feed
gives every live event once, oldest change first, a page at a time, leaves a deleted payment
out, and has nothing more after its last cursor; a cursor it did not make is refused."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from procountor_export.payments import sync_payments
from procountor_export.payments.views import (
    BadCursor,
    PaymentView,
    decode_cursor,
    encode_cursor,
    feed_page,
    invoice_payments,
)
from procountor_export.procountor.enums import InvoiceStatus
from procountor_export.store.models import Invoice, JournalEntry
from procountor_export.store.payment_models import PaymentEventRecord


def exported(rig: Any, wanted: int) -> dict[int, str]:
    """``wanted`` invoices exported and approved in Procountor: TMS number by Procountor id."""
    rig.load(wanted + 6)
    assert rig.export().exported >= wanted
    with rig.store.session() as session:
        numbers = dict(
            session.execute(
                select(JournalEntry.procountor_invoice_id, Invoice.number)
                .join(Invoice, Invoice.id == JournalEntry.invoice_id)
                .where(JournalEntry.procountor_invoice_id.is_not(None))
            ).all()
        )
    with rig.api() as client:
        payable = [
            invoice.id
            for invoice in client.invoices.get(sorted(i for i in numbers if i is not None))
            if invoice.id
            and invoice.invoice_sum_info
            and (invoice.invoice_sum_info[0].invoice_sum_total or 0) > 100
        ][:wanted]
        assert len(payable) == wanted
        for invoice_id in payable:
            client.invoices.approve(invoice_id)
    return {invoice_id: str(numbers[invoice_id]) for invoice_id in payable}


def pay(rig: Any, invoice_id: int, amount: Decimal, day: str, **extra: Any) -> int:
    """Book a payment in the emulator (its admin API); the event's id."""
    body = {"invoiceId": invoice_id, "amount": float(amount), "paymentDate": day, **extra}
    response = rig.http.post("/_emulator/payments", json=body)
    assert response.status_code == 200, response.text
    return int(response.json()["paymentEvent"]["id"])


def sync(rig: Any) -> None:
    report = sync_payments(rig.store, rig.factory(), box=rig.box)
    assert report.ok, [company.error for company in report.companies]


def agrees_with_procountor(rig: Any, invoice_id: int, view: PaymentView) -> None:
    """The view says what Procountor says of the invoice: status, amounts, dates, events."""
    with rig.api() as client:
        [invoice] = client.invoices.get([invoice_id])
        events = list(client.invoices.payment_events.list(invoice_id))
    assert invoice.invoice_sum_info
    total = invoice.invoice_sum_info[0].invoice_sum_total
    assert total is not None
    paid = sum((e.amount or Decimal(0) for e in events), Decimal(0))
    settled = invoice.status in (InvoiceStatus.PAID, InvoiceStatus.MARKED_PAID)
    written_off = any(str(e.type) == "CREDITLOSS" for e in events)
    expected = (
        ("credit_loss" if written_off else "paid")
        if settled
        else ("partly_paid" if paid > 0 else "open")
    )
    assert view.status == expected
    assert view.paid_amount == paid
    assert view.open_amount == (Decimal(0) if settled else total - paid)
    assert view.currency == invoice.invoice_sum_info[0].currency
    assert view.last_payment_date == max(
        (e.payment_date for e in events if e.payment_date), default=None
    )
    assert sorted((e.id, e.amount, e.date) for e in view.events) == sorted(
        (e.id, e.amount, e.payment_date) for e in events
    )


def test_each_invoice_and_the_feed_agree_with_procountor(rig: Any) -> None:
    invoices = exported(rig, 5)
    full, part, loss, deleted, untouched = invoices
    with rig.api() as client:
        totals = {
            i.id: i.invoice_sum_info[0].invoice_sum_total
            for i in client.invoices.get(list(invoices))
            if i.invoice_sum_info
        }
    pay(rig, full, totals[full], "2026-03-05")
    pay(rig, part, Decimal("100.00"), "2026-03-06")
    pay(rig, loss, Decimal("50.00"), "2026-03-01")
    pay(rig, loss, totals[loss] - Decimal("50.00"), "2026-04-30", type="CREDITLOSS")
    gone = pay(rig, deleted, Decimal("20.00"), "2026-03-02")
    kept = pay(rig, deleted, Decimal("30.00"), "2026-03-03")
    sync(rig)

    # The feed read whole, 2 at a time: every event once, in the order they were written.
    with rig.store.session() as session:
        first = feed_page(session, 0, 2)
        pages = [first]
        while pages[-1].more:
            pages.append(feed_page(session, decode_cursor(pages[-1].next), 2))
        written = list(
            session.scalars(select(PaymentEventRecord.event_id).order_by(PaymentEventRecord.seq))
        )
    assert len(first.events) == 2
    fed = [event for page in pages for event in page.events]
    assert [event.id for event in fed] == written
    assert len(fed) == 6
    assert gone in written
    assert {event.invoice for event in fed} == {invoices[i] for i in (full, part, loss, deleted)}
    assert all(invoices[event.procountor_invoice_id] == event.invoice for event in fed)
    assert {event.type for event in fed if event.procountor_invoice_id == loss} == {
        "REFERENCEPAYMENT",
        "CREDITLOSS",
    }
    last = pages[-1].next

    # A payment deleted in Procountor: gone from the feed, its invoice set back.
    assert rig.http.delete(f"/_emulator/payments/{gone}").status_code in (200, 204)
    sync(rig)
    with rig.store.session() as session:
        again = feed_page(session, 0, 100)
        after_last = feed_page(session, decode_cursor(last), 100)
        views = {number: invoice_payments(session, number) for number in invoices.values()}
    assert gone not in [event.id for event in again.events]
    assert kept in [event.id for event in again.events]
    assert len(again.events) == 5
    assert not again.more
    assert after_last.events == ()
    assert after_last.next == last  # nothing since: the same cursor, to ask again later

    statuses = {}
    for invoice_id, number in invoices.items():
        view = views[number][invoice_id]
        agrees_with_procountor(rig, invoice_id, view)
        statuses[invoice_id] = view.status
    assert statuses == {
        full: "paid",
        part: "partly_paid",
        loss: "credit_loss",
        deleted: "partly_paid",
        untouched: "open",
    }
    assert [e.id for e in views[invoices[deleted]][deleted].events] == [kept]


def test_an_invoice_never_synced_has_no_payment_view(rig: Any) -> None:
    invoices = exported(rig, 1)
    with rig.store.session() as session:
        assert invoice_payments(session, next(iter(invoices.values()))) == {}
        empty = feed_page(session, 0, 10)
    assert (empty.events, empty.more, decode_cursor(empty.next)) == ((), False, 0)


@pytest.mark.parametrize("cursor", ["", "abc", "c2VxOi0x", encode_cursor(5) + "!", "c2VxOjAwNQ"])
def test_a_cursor_the_feed_did_not_make_is_refused(cursor: str) -> None:
    with pytest.raises(BadCursor):
        decode_cursor(cursor)


def test_a_cursor_reads_back_as_what_it_was_made_of() -> None:
    for seq in (0, 1, 41, 2**31 - 1):
        assert decode_cursor(encode_cursor(seq)) == seq
