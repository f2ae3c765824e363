"""The PDF copy attached to the Procountor invoice ("Include PDF copy", issue 10).

Contract of :meth:`PdfCopy.chunk`, called for a chunk of invoices that are in
Procountor (created, or adopted as provably ours) with their coding checked, and before any
approval (Procountor allows no change to an approved invoice):

* Each invoice gets one ``POST /attachments``: the TMS invoice rendered as a PDF (the reduced
  variant when the export says "Reduce PDF file size"; else the normal one, and the reduced one
  when the normal one is over Procountor's 10,000,000 bytes or refused as too big), named
  ``invoice-<number>.pdf``, ``referenceType`` INVOICE, ``sendWithInvoice`` true.
* Never twice: no POST when the journal recorded an attachment for the row, or when the
  Procountor invoice already lists an attachment with our file name (an earlier run's, whose
  end was lost) — that one is recorded instead. A POST whose answer was lost is settled by one
  batch re-read of the chunk's invoices, looking for our file name.
* Any failure (render, too big, refused, 5xx, timeout, rights) is the article's warning
  ``PDF_NOT_ATTACHED`` on that invoice with Procountor's detail; the invoice still goes on to
  approval and is exported. Only a run-stopping error (credentials, wrong API root) aborts, as
  in every other step. Attachment errors never count towards the "retryable in a row" abort:
  a PDF that cannot be attached says nothing about whether invoices can be sent.

The journal shows the step: ``attach_pdf`` before the POST (an interrupted attachment is
visible, and the next run's adoption settles it by the rule above), ``attachment_id`` after.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from threading import Lock

from procountor_export.export import messages as m
from procountor_export.export.problems import Problem
from procountor_export.export.reading.pdf_copy import file_name, pdf_invoice
from procountor_export.export.sending.context import RunContext
from procountor_export.export.sending.failures import RunAborted, detail, fatal_problem
from procountor_export.export.sending.journal import Step
from procountor_export.export.sending.shared import Shared, Working
from procountor_export.pdf import PdfInvoice, Variant, render
from procountor_export.procountor.errors import (
    OutcomeUnknown,
    PermissionDenied,
    ProcountorError,
    RejectedError,
)
from procountor_export.procountor.models import Attachment, AttachmentMeta, Invoice
from procountor_export.store.models import JournalEntry

# Procountor's limit for one attachment (bytes); bigger files are refused "File size too big.".
MAX_ATTACHMENT_BYTES = 10_000_000
TOO_BIG = "File size too big."
PDF_MIME = "application/pdf"


@dataclass
class _Lost:
    """The POSTs of a chunk whose answer was lost, settled by one batch re-read."""

    items: list[tuple[Working, str, OutcomeUnknown]] = field(default_factory=list)
    lock: Lock = field(default_factory=Lock)

    def add(self, item: Working, name: str, error: OutcomeUnknown) -> None:
        with self.lock:  # the worker threads report here
            self.items.append((item, name, error))


class PdfCopy:
    """Step 3: attach the PDF copy of each invoice of a chunk (see the module's contract)."""

    def __init__(self, ctx: RunContext, shared: Shared) -> None:
        self.ctx = ctx
        self.shared = shared

    def chunk(self, items: Sequence[Working]) -> None:
        """Attach the PDF copy to each of ``items`` (alive, in Procountor, not yet approved)."""
        if not self.ctx.export.include_pdf or not items:
            return
        lost = _Lost()
        self.shared.each(items, lambda item: self._attach_one(item, lost))
        if lost.items:
            self._settle_lost(lost)

    def _settle_lost(self, lost: _Lost) -> None:
        """Did the lost POSTs happen? One batch read: our file name is listed or it is not."""
        ids = [item.remote.id for item, _, _ in lost.items if item.remote and item.remote.id]
        try:
            fresh = self.shared.fetch_invoices(ids)
            unread = False
        except ProcountorError as read_error:
            self._abort_if_fatal(read_error)
            fresh, unread = {}, True
        for item, name, error in lost.items:
            assert item.remote is not None
            current = fresh.get(item.remote.id or -1)
            found = _ours(current, name)
            if found is not None:
                self._record(item, found)
                continue
            why = (
                "the answer was lost and the invoice could not be read again; check it in "
                "Procountor"
                if unread or current is None
                else "the answer was lost and the invoice shows no such attachment"
            )
            self._pdf_warning(item, f"{detail(error)}; {why}")

    def _attach_one(self, item: Working, lost: _Lost) -> None:
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
        if (remote.status or "UNFINISHED") != "UNFINISHED":
            # Procountor allows no change to an approved invoice; we attach only before approval.
            self._pdf_warning(item, f"the invoice is already {remote.status} in Procountor")
            return
        variants = (
            [Variant.REDUCED] if self.ctx.export.reduce_pdf else [Variant.NORMAL, Variant.REDUCED]
        )
        for variant in variants:
            if self._post(item, values, name, variant, lost, last=variant is variants[-1]):
                return

    def _post(
        self,
        item: Working,
        values: PdfInvoice,
        name: str,
        variant: Variant,
        lost: _Lost,
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
        # INFLIGHT at attach_pdf before the POST: an interrupted attachment is visible, and the
        # next run looks for it on the invoice before posting again.
        self.ctx.journal.begin(item.entry.id, Step.ATTACH_PDF, self.ctx.run_id)
        try:
            attachment = self.ctx.client.attachments.create(meta, content)
        except OutcomeUnknown as error:
            lost.add(item, name, error)  # settled by the chunk's re-read, never re-posted blind
            return True
        except ProcountorError as error:
            self._abort_if_fatal(error, item)
            if not last and _too_big(error):
                return False
            self._pdf_warning(item, detail(error))
            return True
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
