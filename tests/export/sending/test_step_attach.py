"""Step 3, the PDF copy, against the in-memory client: one POST per invoice, never a second
copy, and every failure only the invoice's warning."""

from __future__ import annotations

import pytest
from sending.fake_client import Bench

from procountor_export.export import messages as m
from procountor_export.export.sending.attach import AttachPdf
from procountor_export.export.sending.failures import RunAborted
from procountor_export.export.sending.shared import Working
from procountor_export.procountor.enums import InvoiceStatus
from procountor_export.procountor.errors import (
    ApiErrorDetail,
    AuthenticationError,
    OutcomeUnknown,
    PermissionDenied,
    RejectedError,
    SentRequest,
)
from procountor_export.procountor.models import Attachment
from procountor_export.store.db import Store
from procountor_export.store.journal import Step
from procountor_export.store.models import JournalState


@pytest.fixture
def bench(sqlite_store: Store) -> Bench:
    return Bench(sqlite_store).with_export(include_pdf=True)


def attach(bench: Bench, *items: Working) -> None:
    AttachPdf(bench.ctx, bench.shared).chunk(list(items))


def name_of(item: Working) -> str:
    return f"invoice-{item.plan.invoice.number}.pdf"


def test_the_copy_is_posted_once_and_its_id_recorded(bench: Bench) -> None:
    item = bench.invoice()
    assert item.remote is not None

    attach(bench, item)

    [(meta, content)] = bench.client.attachments.posted
    assert (meta.name, meta.reference_type, meta.reference_id) == (
        name_of(item),
        "INVOICE",
        item.remote.id,
    )
    assert meta.send_with_invoice
    assert content.startswith(b"%PDF")
    row = bench.row(item)
    assert row.attachment_id is not None
    assert row.step == Step.ATTACHED
    assert item.outcome.warnings == []


def test_no_copy_without_include_pdf(bench: Bench) -> None:
    bench.with_export(include_pdf=False)
    item = bench.invoice()

    attach(bench, item)

    assert bench.client.log == []


def test_an_attachment_recorded_by_an_earlier_run_is_never_posted_again(bench: Bench) -> None:
    item = bench.invoice()
    bench.journal.record_attachment(item.entry.id, 555, bench.run_id)

    attach(bench, item)

    assert bench.client.called("attachments.create") == []
    assert bench.row(item).attachment_id == 555


def test_our_copy_already_on_the_invoice_is_recorded_instead_of_posted(bench: Bench) -> None:
    item = bench.invoice()
    assert item.remote is not None
    item.remote.attachments = [Attachment(id=777, name=name_of(item))]

    attach(bench, item)

    assert bench.client.called("attachments.create") == []
    assert bench.row(item).attachment_id == 777


def test_an_approved_invoice_gets_a_warning_and_no_post(bench: Bench) -> None:
    item = bench.invoice(status=InvoiceStatus.NOT_SENT)

    attach(bench, item)

    assert bench.client.called("attachments.create") == []
    [warning] = item.outcome.warnings
    assert warning.code == m.PDF_NOT_ATTACHED.code
    assert item.alive


def test_a_lost_answer_whose_copy_is_there_is_not_posted_again(bench: Bench) -> None:
    item = bench.invoice()
    bench.client.attachments.fail_create.append(
        OutcomeUnknown(
            "timed out",
            request=SentRequest("POST", "https://api.example/attachments"),
            operation="POST /attachments",
        )
    )
    bench.client.attachments.done_anyway = True

    attach(bench, item)

    assert len(bench.client.called("attachments.create")) == 1
    assert bench.row(item).attachment_id == 901  # the one the look-up found on the invoice
    assert item.outcome.warnings == []


def test_a_refused_copy_is_a_warning_and_the_invoice_goes_on(bench: Bench) -> None:
    item = bench.invoice()
    bench.client.attachments.fail_create.extend(
        [
            RejectedError(
                "bad",
                operation="POST /attachments",
                status=400,
                errors=[ApiErrorDetail(status=400, field="file", message="not a PDF")],
            )
        ]
    )

    attach(bench, item)

    assert item.alive
    [warning] = item.outcome.warnings
    assert (warning.code, warning.detail) == (m.PDF_NOT_ATTACHED.code, "file: not a PDF")
    assert bench.row(item).attachment_id is None


def test_a_403_on_the_copy_is_only_a_warning(bench: Bench) -> None:
    item = bench.invoice()
    bench.client.attachments.fail_create.append(
        PermissionDenied("Forbidden", operation="POST /attachments", status=403, errors=[])
    )

    attach(bench, item)

    assert item.alive
    [warning] = item.outcome.warnings
    assert warning.code == m.PDF_NOT_ATTACHED.code


def test_refused_credentials_stop_the_run_and_fail_the_invoice(bench: Bench) -> None:
    item = bench.invoice()
    bench.client.attachments.fail_create.append(
        AuthenticationError("no", operation="POST /attachments", status=401)
    )

    with pytest.raises(RunAborted):
        attach(bench, item)

    assert item.outcome.state is JournalState.FAILED
    assert bench.row(item).state is JournalState.FAILED
