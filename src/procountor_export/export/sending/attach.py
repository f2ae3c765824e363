"""The PDF copy attached to the Procountor invoice ("Include PDF copy", issue 10).

Contract of :meth:`AttachPdf.chunk`, called for a chunk of invoices that are in
Procountor (created, or adopted as provably ours) with their coding checked, and before any
approval (Procountor allows no change to an approved invoice):

* Each invoice gets one ``POST /attachments``: the TMS invoice rendered as a PDF (the reduced
  variant when the export says "Reduce PDF file size"; else the normal one, and the reduced one
  when the normal one is over Procountor's 10,000,000 bytes or refused as too big), named
  ``invoice-<number>.pdf``, ``referenceType`` INVOICE, ``sendWithInvoice`` true.
* Never twice: no POST when the journal recorded an attachment for the row, or when the
  Procountor invoice already lists an attachment with our file name (an earlier run's, whose
  end was lost) — that one is recorded instead. A POST whose answer was lost (5xx, timeout,
  dropped connection) is settled at once (:func:`~procountor_export.procountor.settle.settle`):
  the invoice is read again and our file name looked for; only when it is surely not there is
  the copy posted again, a few times within the run.
* Any failure (render, too big, refused, 5xx or a lost answer still there after those
  attempts, rights) is the article's warning ``PDF_NOT_ATTACHED`` on that invoice with
  Procountor's detail; the invoice still goes on to approval and is exported. Only a
  run-stopping error (credentials, wrong API root) aborts, as in every other step. Attachment
  errors never count towards the "retryable in a row" abort: a PDF that cannot be attached
  says nothing about whether invoices can be sent.

The journal shows the step: ``attach_pdf`` before the POST (an interrupted attachment is
visible, and the next run's adoption settles it by the rule above), ``attachment_id`` after.
"""

from __future__ import annotations

from collections.abc import Sequence

from procountor_export.export import messages as m
from procountor_export.export.problems import Problem
from procountor_export.export.reading.pdf_copy import file_name, pdf_invoice
from procountor_export.export.sending.context import RunContext
from procountor_export.export.sending.failures import (
    RunAborted,
    detail,
    fatal_problem,
    temporary_detail,
)
from procountor_export.export.sending.shared import Shared, Working
from procountor_export.pdf import PdfInvoice, Variant, render
from procountor_export.procountor.enums import InvoiceStatus
from procountor_export.procountor.errors import (
    NotFound,
    PermissionDenied,
    ProcountorError,
    RejectedError,
    Unsettled,
)
from procountor_export.procountor.models import Attachment, AttachmentMeta, Invoice
from procountor_export.procountor.settle import settle
from procountor_export.store.journal import Step
from procountor_export.store.models import JournalEntry

# Procountor's limit for one attachment (bytes); bigger files are refused "File size too big.".
MAX_ATTACHMENT_BYTES = 10_000_000
TOO_BIG = "File size too big."
PDF_MIME = "application/pdf"


class AttachPdf:
    """Step 3: attach the PDF copy of each invoice of a chunk (see the module's contract)."""

    def __init__(self, ctx: RunContext, shared: Shared) -> None:
        self.ctx = ctx
        self.shared = shared

    def chunk(self, items: Sequence[Working]) -> None:
        """Attach the PDF copy to each of ``items`` (alive, in Procountor, not yet approved)."""
        if not self.ctx.export.include_pdf or not items:
            return
        self.shared.each(items, self._attach_one)

    def _attach_one(self, item: Working) -> None:
        """Attach one invoice's PDF copy, unless it is attached already (see the contract)."""
        remote = item.remote
        assert remote is not None
        try:
            values, recorded = self._values(item, remote)
        except Exception as error:  # a copy that cannot be made must not fail the invoice
            self._pdf_warning(item, f"the PDF copy could not be made: {error}")
            return
        name = file_name(values)
        if recorded is not None:
            return  # an earlier run attached it and recorded the id: never a second copy
        existing = _ours(remote, name)
        if existing is not None:
            self._record(item, existing)  # attached by an earlier run that did not hear back
            return
        if (remote.status or InvoiceStatus.UNFINISHED) != InvoiceStatus.UNFINISHED:
            # Procountor allows no change to an approved invoice; we attach only before approval.
            self._pdf_warning(item, f"the invoice is already {remote.status} in Procountor")
            return
        variants = (
            [Variant.REDUCED] if self.ctx.export.reduce_pdf else [Variant.NORMAL, Variant.REDUCED]
        )
        for variant in variants:
            if self._post(item, values, name, variant, last=variant is variants[-1]):
                return

    def _post(
        self,
        item: Working,
        values: PdfInvoice,
        name: str,
        variant: Variant,
        *,
        last: bool,
    ) -> bool:
        """Render ``variant`` and POST it; false when the next variant should be tried."""
        remote = item.remote
        assert remote is not None
        assert remote.id is not None
        try:
            content = render(values, variant)
        except Exception as error:  # any renderer failure is this invoice's warning
            self._pdf_warning(item, f"the PDF copy could not be made: {error}")
            return True
        if len(content) > MAX_ATTACHMENT_BYTES:
            if not last:
                return False  # the reduced variant may fit
            self._pdf_warning(item, f"{TOO_BIG} ({len(content):,} bytes, {variant.value} variant)")
            return True
        meta = AttachmentMeta(
            name=name,
            reference_type="INVOICE",
            reference_id=remote.id,
            mime_type=PDF_MIME,
            send_with_invoice=True,
        )
        invoice_id = remote.id

        def begin() -> None:
            # INFLIGHT at attach_pdf before each POST: an interrupted attachment is visible,
            # and the next run looks for it on the invoice before posting again.
            self.ctx.journal.begin(item.entry.id, Step.ATTACH_PDF, self.ctx.run_id)

        def find() -> Attachment | None:
            # Raises when the invoice cannot be read: then the copy is never posted again.
            current = self.shared.fetch_invoices([invoice_id]).get(invoice_id)
            if current is None:
                raise NotFound("the invoice is gone", operation="GET /invoices/{ids}", status=404)
            return _ours(current, name)

        begin()
        try:
            settled = settle(
                self.ctx.client,
                lambda: self.ctx.client.attachments.create(meta, content),
                find,
                before_resend=begin,
            )
        except Unsettled as error:
            why = (
                "the answer was lost and the invoice could not be read again; check it in "
                "Procountor"
                if error.lookup_error is not None
                else "the answer was lost and the invoice shows no such attachment"
            )
            self._pdf_warning(item, f"{temporary_detail(error)}; {why}")
            return True
        except ProcountorError as error:
            self._abort_if_fatal(error, item)
            if not last and _too_big(error):
                return False
            self._pdf_warning(item, detail(error))
            return True
        attachment = settled.found if settled.found is not None else settled.written
        assert attachment is not None
        self._record(item, attachment)
        return True

    def _values(self, item: Working, remote: Invoice) -> tuple[PdfInvoice, int | None]:
        """The PDF's values (with Procountor's number and reference) and the recorded id."""
        reference = remote.payment_info.bank_reference_code if remote.payment_info else None
        with self.ctx.journal.store.session() as session:
            values = pdf_invoice(
                session,
                item.entry.invoice_id,
                procountor_number=remote.invoice_number,
                bank_reference=reference,
            )
            recorded = session.get_one(JournalEntry, item.entry.id).attachment_id
        return values, recorded

    def _record(self, item: Working, attachment: Attachment) -> None:
        if attachment.id is not None:
            self.ctx.journal.record_attachment(item.entry.id, attachment.id, self.ctx.run_id)

    def _pdf_warning(self, item: Working, why: str) -> None:
        number = item.plan.invoice.number
        problem = Problem.of(m.PDF_NOT_ATTACHED, invoice=number, detail=why)
        # Only the item's own thread (or the chunk, after its threads) writes its warnings.
        item.outcome.warnings.append(problem)

    def _abort_if_fatal(self, error: ProcountorError, item: Working | None = None) -> None:
        """Stop the run when nothing can work any more (credentials, API root).

        A 403 on an attachment is only this invoice's warning: the m2m user may lack the
        right to attachments yet be able to send invoices, which the article lets go on.
        """
        problem = None if isinstance(error, PermissionDenied) else fatal_problem(error)
        if problem is None:
            return
        if item is not None:
            self.shared.fail(item, problem)
        raise RunAborted(problem) from error


def _ours(invoice: Invoice | None, name: str) -> Attachment | None:
    """The attachment named ``name`` that ``invoice`` lists, if any."""
    for attachment in (invoice.attachments or []) if invoice is not None else []:
        if attachment.name == name:
            return attachment
    return None


def _too_big(error: ProcountorError) -> bool:
    return isinstance(error, RejectedError) and any(
        TOO_BIG.lower() in (item.message or "").lower() for item in error.errors
    )
