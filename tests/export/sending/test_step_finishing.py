"""Step 4, approve and send, against the in-memory client: lost and refused answers settled by
reading the status, never a second sending (it costs a fee), EXPORTED or FAILED with why."""

from __future__ import annotations

import pytest
from sending.fake_client import Bench

from procountor_export.export import messages as m
from procountor_export.export.sending.finishing import Finishing
from procountor_export.export.sending.shared import Working
from procountor_export.procountor.enums import InvoiceChannel, InvoiceStatus
from procountor_export.procountor.errors import OutcomeUnknown, PermissionDenied, SentRequest
from procountor_export.store.db import Store
from procountor_export.store.journal import Step
from procountor_export.store.models import AfterCreate, JournalState


def lost(operation: str) -> OutcomeUnknown:
    """A 503 on a state change: it may or may not have been carried out."""
    return OutcomeUnknown(
        "Service Unavailable",
        request=SentRequest("PUT", "https://api.example/invoices/101/approve"),
        operation=operation,
        status=503,
    )


def refused(operation: str) -> PermissionDenied:
    return PermissionDenied("Forbidden", operation=operation, status=403, errors=[])


@pytest.fixture
def bench(sqlite_store: Store) -> Bench:
    return Bench(sqlite_store).with_export(after_create=AfterCreate.SEND)


def finish(bench: Bench, *items: Working) -> None:
    Finishing(bench.ctx, bench.shared).chunk(list(items))


def test_an_invoice_is_approved_read_back_sent_once_and_exported(bench: Bench) -> None:
    item = bench.invoice()
    assert item.remote is not None

    finish(bench, item)

    invoice_id = item.remote.id
    assert bench.client.called("invoices.approve") == [invoice_id]
    assert bench.client.called("invoices.send") == [invoice_id]
    # The status after approval is read, not assumed (one batch read for the chunk).
    assert bench.client.called("invoices.get") == [(invoice_id,)]
    assert item.outcome.state is JournalState.EXPORTED
    row = bench.row(item)
    assert (row.state, row.step) == (JournalState.EXPORTED, Step.DONE)


def test_leave_neither_approves_nor_sends(bench: Bench) -> None:
    bench.with_export(after_create=AfterCreate.LEAVE)
    item = bench.invoice()

    finish(bench, item)

    assert bench.client.log == []
    assert bench.row(item).state is JournalState.EXPORTED


def test_approve_only_never_sends(bench: Bench) -> None:
    bench.with_export(after_create=AfterCreate.APPROVE)
    item = bench.invoice()

    finish(bench, item)

    assert len(bench.client.called("invoices.approve")) == 1
    assert bench.client.called("invoices.send") == []
    assert bench.row(item).state is JournalState.EXPORTED


def test_a_channel_procountor_does_not_deliver_is_only_approved(bench: Bench) -> None:
    item = bench.invoice(invoice_channel=InvoiceChannel.NO_SENDING)

    finish(bench, item)

    assert len(bench.client.called("invoices.approve")) == 1
    assert bench.client.called("invoices.send") == []
    assert bench.row(item).state is JournalState.EXPORTED


def test_a_lost_approval_that_went_through_is_not_asked_again(bench: Bench) -> None:
    item = bench.invoice()
    bench.client.invoices.fail_approve.append(lost("PUT /invoices/{id}/approve"))
    bench.client.invoices.done_anyway = True

    finish(bench, item)

    assert len(bench.client.called("invoices.approve")) == 1
    assert len(bench.client.called("invoices.send")) == 1
    assert bench.row(item).state is JournalState.EXPORTED


def test_a_lost_approval_that_did_not_happen_is_asked_again(bench: Bench) -> None:
    item = bench.invoice()
    bench.client.invoices.fail_approve.append(lost("PUT /invoices/{id}/approve"))

    finish(bench, item)

    assert len(bench.client.called("invoices.approve")) == 2
    assert bench.row(item).state is JournalState.EXPORTED


def test_a_403_on_approval_fails_the_invoice_with_the_status_procountor_reports(
    bench: Bench,
) -> None:
    item = bench.invoice()
    bench.client.invoices.fail_approve.append(refused("PUT /invoices/{id}/approve"))

    finish(bench, item)

    assert bench.client.called("invoices.send") == []
    assert item.outcome.state is JournalState.FAILED
    [problem] = item.outcome.problems
    assert problem.code == m.API_CALL.code
    assert problem.invoice == item.plan.invoice.number
    assert problem.detail is not None
    assert "(status in Procountor: UNFINISHED)" in problem.detail
    row = bench.row(item)
    assert (row.state, row.step) == (JournalState.FAILED, Step.APPROVE)


def test_a_403_on_an_approval_that_went_through_goes_on_to_sending(bench: Bench) -> None:
    item = bench.invoice()
    bench.client.invoices.fail_approve.append(refused("PUT /invoices/{id}/approve"))
    bench.client.invoices.done_anyway = True

    finish(bench, item)

    assert len(bench.client.called("invoices.send")) == 1
    assert bench.row(item).state is JournalState.EXPORTED


def test_a_lost_sending_shown_sent_by_the_status_read_is_never_repeated(bench: Bench) -> None:
    item = bench.invoice()
    bench.client.invoices.fail_send.append(lost("PUT /invoices/{id}/send"))
    bench.client.invoices.done_anyway = True

    finish(bench, item)

    assert len(bench.client.called("invoices.send")) == 1
    assert item.outcome.state is JournalState.EXPORTED
    assert bench.row(item).state is JournalState.EXPORTED


def test_a_lost_sending_still_not_sent_is_sent_again(bench: Bench) -> None:
    item = bench.invoice()
    bench.client.invoices.fail_send.append(lost("PUT /invoices/{id}/send"))

    finish(bench, item)

    assert len(bench.client.called("invoices.send")) == 2
    assert bench.row(item).state is JournalState.EXPORTED


def test_a_403_on_sending_an_invoice_shown_sent_is_exported(bench: Bench) -> None:
    item = bench.invoice()
    bench.client.invoices.fail_send.append(refused("PUT /invoices/{id}/send"))
    bench.client.invoices.done_anyway = True

    finish(bench, item)

    assert len(bench.client.called("invoices.send")) == 1
    assert bench.row(item).state is JournalState.EXPORTED


def test_a_403_on_sending_fails_the_invoice_with_its_status(bench: Bench) -> None:
    item = bench.invoice()
    bench.client.invoices.fail_send.append(refused("PUT /invoices/{id}/send"))

    finish(bench, item)

    assert len(bench.client.called("invoices.send")) == 1
    [problem] = item.outcome.problems
    assert problem.detail is not None
    assert "(status in Procountor: NOT_SENT)" in problem.detail
    row = bench.row(item)
    assert (row.state, row.step) == (JournalState.FAILED, Step.SEND)


def test_an_invoice_already_sent_is_neither_approved_nor_sent_again(bench: Bench) -> None:
    item = bench.invoice(status=InvoiceStatus.SENT)

    finish(bench, item)

    assert bench.client.called("invoices.approve") == []
    assert bench.client.called("invoices.send") == []
    assert bench.row(item).state is JournalState.EXPORTED
