"""Step 2, account coding, against the in-memory client: read once, corrected only where it
differs and only while Procountor still allows it."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sending.fake_client import HEL, Bench, receipt_for

from procountor_export.export import messages as m
from procountor_export.export.sending.coding import Coding
from procountor_export.export.sending.failures import RunAborted
from procountor_export.procountor.enums import InvoiceStatus
from procountor_export.procountor.errors import ApiErrorDetail, AuthenticationError, RejectedError
from procountor_export.procountor.models import Transaction
from procountor_export.store.db import Store
from procountor_export.store.journal import Step
from procountor_export.store.models import JournalState


def wrong_account() -> Transaction:
    return Transaction(
        id=1,
        transaction_type="ENTRY",
        account="3000",
        accounting_value=Decimal(350),
        vat_status=1,
        dimension_item_values=[HEL],
    )


@pytest.fixture
def bench(sqlite_store: Store) -> Bench:
    return Bench(sqlite_store)


def test_a_right_coding_is_read_in_one_batch_and_left_alone(bench: Bench) -> None:
    items = [bench.invoice(), bench.invoice()]
    for item in items:
        bench.client.ledger_receipts.add(receipt_for(item))

    Coding(bench.ctx, bench.shared).chunk(items)

    reads = bench.client.called("ledger_receipts.get")
    assert reads == [tuple(item.remote.ledger_receipt_id for item in items if item.remote)]
    assert bench.client.called("ledger_receipts.update") == []
    for item in items:
        assert item.alive
        assert item.outcome.warnings == []
        assert bench.row(item).step == Step.CREATED


def test_a_differing_coding_is_corrected_while_the_invoice_is_unfinished(bench: Bench) -> None:
    right, wrong = bench.invoice(), bench.invoice()
    bench.client.ledger_receipts.add(receipt_for(right))
    bench.client.ledger_receipts.add(receipt_for(wrong, wrong_account()))

    Coding(bench.ctx, bench.shared).chunk([right, wrong])

    assert wrong.remote is not None
    assert bench.client.called("ledger_receipts.update") == [wrong.remote.ledger_receipt_id]
    fixed = bench.client.ledger_receipts.stored[wrong.remote.ledger_receipt_id or 0]
    assert [t.account for t in fixed.transactions] == ["3010"]
    assert bench.row(wrong).step == Step.CORRECT_CODING
    assert bench.row(right).step == Step.CREATED
    assert wrong.alive
    assert right.alive


def test_a_differing_coding_of_an_approved_invoice_is_a_warning_not_a_write(
    bench: Bench,
) -> None:
    item = bench.invoice(status=InvoiceStatus.NOT_SENT)
    bench.client.ledger_receipts.add(receipt_for(item, wrong_account()))

    Coding(bench.ctx, bench.shared).chunk([item])

    assert bench.client.called("ledger_receipts.update") == []
    assert item.alive
    [warning] = item.outcome.warnings
    assert warning.code == m.CODING_DIFFERS.code
    assert "account 3000 instead of 3010" in warning.args[1]


def test_a_missing_receipt_fails_the_invoice_with_coding_read(bench: Bench) -> None:
    item = bench.invoice()  # Procountor answers the batch without this receipt

    Coding(bench.ctx, bench.shared).chunk([item])

    assert item.outcome.state is JournalState.FAILED
    [problem] = item.outcome.problems
    assert (problem.code, problem.invoice) == (m.CODING_READ.code, item.plan.invoice.number)
    assert bench.row(item).state is JournalState.FAILED
    assert bench.row(item).error_code == m.CODING_READ.code


def test_a_refused_correction_fails_the_invoice_with_procountors_words(bench: Bench) -> None:
    item = bench.invoice()
    bench.client.ledger_receipts.add(receipt_for(item, wrong_account()))
    bench.client.ledger_receipts.fail_update.append(
        RejectedError(
            "refused",
            operation="PUT /ledgerreceipts/{id}",
            status=400,
            errors=[ApiErrorDetail(status=400, field="account", message="account is locked")],
        )
    )

    Coding(bench.ctx, bench.shared).chunk([item])

    assert item.outcome.state is JournalState.FAILED
    [problem] = item.outcome.problems
    assert problem.code == m.CODING_UPDATE.code
    assert problem.detail == "account: account is locked"
    assert bench.row(item).state is JournalState.FAILED


def test_refused_credentials_on_the_read_stop_the_run(bench: Bench) -> None:
    item = bench.invoice()
    bench.client.ledger_receipts.fail_get.append(
        AuthenticationError("no", operation="GET /ledgerreceipts/{ids}", status=401)
    )

    with pytest.raises(RunAborted) as stopped:
        Coding(bench.ctx, bench.shared).chunk([item])

    assert stopped.value.problem.code == m.CREDENTIALS.code
    assert bench.client.called("ledger_receipts.update") == []
