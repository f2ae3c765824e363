"""After an invoice is in Procountor: verify and correct its account coding, approve/send it.

The ledger receipts of a chunk are read in one batch call and corrected where they differ
from the TMS postings; the PDF copy is attached when the export asks for one (:mod:`attach`);
then each invoice is approved or sent as its export says and marked EXPORTED in the journal.
An approval or a sending whose answer was lost is settled at once: the status is read again,
and the action repeated only while the status shows it was not done (never a second fee).
"""

from __future__ import annotations

from dataclasses import replace

from procountor_export.export import messages as m
from procountor_export.export.planning import payloads
from procountor_export.export.problems import Problem
from procountor_export.export.sending.context import RunContext
from procountor_export.export.sending.failures import (
    detail,
    problem_for,
    temporary_problem,
)
from procountor_export.export.sending.shared import Approval, Shared, Working
from procountor_export.procountor.enums import InvoiceChannel, InvoiceStatus
from procountor_export.procountor.errors import (
    NotFound,
    PermissionDenied,
    ProcountorError,
    Unsettled,
    is_temporary,
)
from procountor_export.procountor.models import Invoice
from procountor_export.procountor.settle import settle
from procountor_export.store.journal import Step
from procountor_export.store.models import AfterCreate, JournalState

# Channels through which Procountor delivers an invoice; NO_SENDING ones are only approved.
SENDING_CHANNELS = frozenset(
    {InvoiceChannel.EMAIL, InvoiceChannel.MAIL, InvoiceChannel.ELECTRONIC_INVOICE}
)


def _moved_on(invoice: Invoice) -> bool:
    """The invoice is no longer unfinished (approved, or further along)."""
    return _moved(invoice.status)


def _moved(status: InvoiceStatus | None) -> bool:
    """A status past unfinished (none read counts as unfinished)."""
    return (status or InvoiceStatus.UNFINISHED) != InvoiceStatus.UNFINISHED


class Finishing:
    """Step 4: approve, read the status back, send, and record the invoice EXPORTED."""

    def __init__(self, ctx: RunContext, shared: Shared) -> None:
        self.ctx = ctx
        self.shared = shared

    def chunk(self, working: list[Working]) -> None:
        """Approve, re-read (one batch), send and record each living item of ``working``."""
        self.shared.each([w for w in working if w.alive], self._approve)
        # Procountor does not document the status an approval leaves: read it (one batch
        # call per chunk) instead of assuming NOT_SENT; it also settles approvals whose
        # answer was lost or refused.
        asked = [w for w in working if w.alive and w.approval is not None]
        if asked:
            read_error: ProcountorError | None = None
            try:
                fresh = self.shared.fetch_invoices(
                    [w.remote.id for w in asked if w.remote and w.remote.id]
                )
            except ProcountorError as error:
                fresh, read_error = {}, error
            for item in asked:
                self._settle_approval(item, fresh, read_error)
        self.shared.each([w for w in working if w.alive], self._finish)

    def _approve(self, item: Working) -> None:
        """Approve the invoice if the export says so and it is still unfinished."""
        remote = item.remote
        assert remote is not None
        assert remote.id is not None
        after = self.ctx.export.after_create
        if after not in (AfterCreate.APPROVE, AfterCreate.SEND):
            return
        if _moved(remote.status):
            return
        invoice_id = remote.id

        def begin() -> None:
            self.ctx.journal.begin(item.entry.id, Step.APPROVE, self.ctx.run_id)

        def approved() -> Invoice | None:
            # A lost answer: approved if the status moved on; approved again only if it did not.
            current = self.shared.fetch_invoices([invoice_id]).get(invoice_id)
            return current if current is not None and _moved_on(current) else None

        begin()
        try:
            settle(
                self.ctx.client,
                lambda: self.ctx.client.invoices.approve(invoice_id),
                approved,
                before_resend=begin,
            )
            item.approval = Approval.ASKED
        except (PermissionDenied, Unsettled) as error:
            # 403 is "insufficient user rights or invalid invoice status", a lost answer may
            # have approved it: the status read after the chunk's approvals decides.
            item.approval = error
        except ProcountorError as error:
            number = item.plan.invoice.number
            self.shared.client_error(item, error, problem_for(error, invoice=number))

    def _settle_approval(
        self, item: Working, fresh: dict[int, Invoice], read_error: ProcountorError | None
    ) -> None:
        """Take the status Procountor reports after approval; fail the item if not approved."""
        remote = item.remote
        assert remote is not None
        assert remote.id is not None
        current = fresh.get(remote.id)
        if current is not None:
            remote.status = current.status
        error = item.approval
        if _moved(remote.status) and current is not None:
            return
        if isinstance(error, ProcountorError):
            self.shared.fail(item, self._status_problem(item, error, current))
        elif current is None:
            number = item.plan.invoice.number
            why = f"the status of invoice {number} could not be read after approval"
            if read_error is not None and is_temporary(read_error):
                problem = temporary_problem(read_error, number)
                problem = replace(problem, detail=f"{why}: {problem.detail}")
            else:
                problem = Problem.of(m.API_CALL, invoice=number, detail=why)
            self.shared.fail(item, problem)

    def _status_problem(
        self, item: Working, error: ProcountorError, current: Invoice | None
    ) -> Problem:
        """This invoice's failure (never the run's) with the status Procountor reports."""
        status = current.status if current is not None else None
        note = f" (status in Procountor: {status})" if status else ""
        number = item.plan.invoice.number
        if is_temporary(error):
            problem = temporary_problem(error, number)
            return replace(problem, detail=f"{problem.detail}{note}")
        return Problem.of(m.API_CALL, invoice=number, detail=f"{detail(error)}{note}")

    def _finish(self, item: Working) -> None:
        remote = item.remote
        assert remote is not None
        assert remote.id is not None
        status = remote.status or InvoiceStatus.UNFINISHED
        channel = remote.invoice_channel or payloads.channel(item.plan.invoice.customer)
        sending = self.ctx.export.after_create is AfterCreate.SEND and channel in SENDING_CHANNELS
        if sending and status == InvoiceStatus.NOT_SENT:
            invoice_id = remote.id

            def begin() -> None:
                self.ctx.journal.begin(item.entry.id, Step.SEND, self.ctx.run_id)

            def sent() -> Invoice | None:
                # Sending costs a fee: sent again only while Procountor still says NOT_SENT.
                current = self.shared.fetch_invoices([invoice_id]).get(invoice_id)
                if current is None:
                    raise NotFound("the invoice is gone", operation="GET /invoices/{ids}")
                return None if current.status == InvoiceStatus.NOT_SENT else current

            begin()
            try:
                settled = settle(
                    self.ctx.client,
                    lambda: self.ctx.client.invoices.send(invoice_id),
                    sent,
                    before_resend=begin,
                )
            except PermissionDenied as error:
                current = self._reread(invoice_id)
                if current is None or current.status != InvoiceStatus.SENT:
                    self.shared.fail(item, self._status_problem(item, error, current))
                    return
            except Unsettled as error:
                self.shared.fail(item, self._status_problem(item, error, None))
                return
            except ProcountorError as error:
                number = item.plan.invoice.number
                self.shared.client_error(item, error, problem_for(error, invoice=number))
                return
            else:
                found = settled.found
                if found is not None and found.status != InvoiceStatus.SENT:
                    number = item.plan.invoice.number
                    why = f"the answer to sending was lost (status in Procountor: {found.status})"
                    self.shared.fail(item, Problem.of(m.API_CALL, invoice=number, detail=why))
                    return
        item.outcome.state = JournalState.EXPORTED
        self.ctx.journal.mark_exported(item.entry.id, item.outcome.warnings, self.ctx.run_id)

    def _reread(self, invoice_id: int) -> Invoice | None:
        try:
            return self.shared.fetch_invoices([invoice_id]).get(invoice_id)
        except ProcountorError:
            return None
