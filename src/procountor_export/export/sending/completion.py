"""After an invoice is in Procountor: verify and correct its account coding, approve/send it.

The ledger receipts of a chunk are read in one batch call and corrected where they differ
from the TMS postings; the PDF copy is attached when the export asks for one (:mod:`attach`);
then each invoice is approved or sent as its export says and marked EXPORTED in the journal.
"""

from __future__ import annotations

from procountor_export.export import messages as m
from procountor_export.export.planning import payloads
from procountor_export.export.planning.coding import (
    CodingMismatch,
    correct_receipt,
    expected_entries,
)
from procountor_export.export.problems import Problem
from procountor_export.export.reporting.progress import InvoiceOutcome
from procountor_export.export.sending.attach import PdfAttaching
from procountor_export.export.sending.failures import (
    RunAborted,
    detail,
    fatal_problem,
    problem_for,
)
from procountor_export.export.sending.prepare import BATCH
from procountor_export.export.sending.steps import Working
from procountor_export.procountor.errors import OutcomeUnknown, PermissionDenied, ProcountorError
from procountor_export.procountor.models import Invoice, LedgerReceipt
from procountor_export.store.models import AfterCreate, JournalState

# Channels through which Procountor delivers an invoice; NO_SENDING ones are only approved.
SENDING_CHANNELS = frozenset({"EMAIL", "MAIL", "ELECTRONIC_INVOICE"})


class Completion(PdfAttaching):
    """Steps 2 and 3 of sending an invoice: account coding, then approve/send and record."""

    def _complete_chunk(self, working: list[Working], outcomes: list[InvoiceOutcome]) -> None:
        """Code, attach the PDF copy, approve, re-read, send and record a chunk of invoices."""
        self._code_chunk(working, outcomes)
        # The PDF copy goes before approval: Procountor allows no change to an approved invoice.
        self._attach_chunk(self._alive(working))
        self._each(self._alive(working), self._approve)
        # Procountor does not document the status an approval leaves: read it (one batch
        # call per chunk) instead of assuming NOT_SENT; it also settles approvals whose
        # answer was lost or refused.
        asked = [w for w in self._alive(working) if w.approval is not None]
        if asked:
            try:
                fresh = self._fetch_invoices(
                    [w.remote.id for w in asked if w.remote and w.remote.id]
                )
            except ProcountorError:
                fresh = {}
            for item in asked:
                self._settle_approval(item, fresh)
        self._each(self._alive(working), self._finish)
        for item in working:
            self._done(item.outcome, outcomes)

    @staticmethod
    def _alive(working: list[Working]) -> list[Working]:
        return [w for w in working if w.outcome.state is not JournalState.FAILED]

    # --- step 2: account coding ----------------------------------------------------------------

    def _code_chunk(self, working: list[Working], outcomes: list[InvoiceOutcome]) -> None:
        ids = [
            item.remote.ledger_receipt_id
            for item in working
            if item.remote and item.remote.ledger_receipt_id
        ]
        receipts: dict[int, LedgerReceipt] = {}
        read_error: ProcountorError | None = None
        try:
            for start in range(0, len(ids), BATCH):
                for receipt in self.client.get_ledger_receipts(ids[start : start + BATCH]):
                    if receipt.id is not None:
                        receipts[receipt.id] = receipt
        except ProcountorError as error:
            read_error = error
            fatal = fatal_problem(error, source=self.source)
            if fatal is not None:
                raise RunAborted(fatal) from error

        def code(item: Working) -> None:
            assert item.remote is not None
            found = receipts.get(item.remote.ledger_receipt_id or -1)
            if found is None:
                self._fail(
                    item,
                    Problem.of(
                        m.CODING_READ,
                        item.plan.invoice.number,
                        source=self.source,
                        invoice=item.plan.invoice.number,
                        detail=detail(read_error) if read_error else None,
                    ),
                )
                return
            self._code(item, found)

        self._each(working, code)

    def _code(self, item: Working, receipt: LedgerReceipt) -> None:
        number = item.plan.invoice.number
        try:
            wanted = expected_entries(item.plan, self.snapshot.dimensions)
            corrected, differences = correct_receipt(receipt, wanted)
        except (CodingMismatch, KeyError) as error:
            self._fail(
                item,
                Problem.of(
                    m.CODING_UPDATE, number, source=self.source, invoice=number, detail=str(error)
                ),
            )
            return
        if corrected is None:
            return
        assert item.remote is not None
        if item.remote.status not in (None, "UNFINISHED"):
            item.outcome.warnings.append(
                m.CODING_DIFFERS.format(number, "; ".join(differences), source=self.source)
            )
            return
        self.journal.begin_step(item.entry.id, "correct_coding", self.run_id)
        try:
            self.client.update_ledger_receipt(corrected)
        except ProcountorError as error:
            self._client_error(
                item,
                error,
                problem_for(
                    error,
                    source=self.source,
                    invoice=number,
                    template=m.CODING_UPDATE,
                    args=(number,),
                ),
            )

    # --- step 3: approve / send, done ---------------------------------------------------------

    def _approve(self, item: Working) -> None:
        """Approve the invoice if the export says so and it is still unfinished."""
        remote = item.remote
        assert remote is not None
        assert remote.id is not None
        after = self.export.after_create
        if after not in (AfterCreate.APPROVE, AfterCreate.SEND):
            return
        if (remote.status or "UNFINISHED") != "UNFINISHED":
            return
        self.journal.begin_step(item.entry.id, "approve", self.run_id)
        try:
            self.client.approve_invoice(remote.id)
            item.approval = "asked"
        except (PermissionDenied, OutcomeUnknown) as error:
            # 403 is "insufficient user rights or invalid invoice status", a lost answer may
            # have approved it: the status read after the chunk's approvals decides.
            item.approval = error
        except ProcountorError as error:
            number = item.plan.invoice.number
            self._client_error(item, error, problem_for(error, source=self.source, invoice=number))

    def _settle_approval(self, item: Working, fresh: dict[int, Invoice]) -> None:
        """Take the status Procountor reports after approval; fail the item if not approved."""
        remote = item.remote
        assert remote is not None
        assert remote.id is not None
        current = fresh.get(remote.id)
        if current is not None:
            remote.status = current.status
        error = item.approval
        if (remote.status or "UNFINISHED") != "UNFINISHED" and current is not None:
            return
        if isinstance(error, ProcountorError):
            self._fail(item, self._status_problem(item, error, current))
        elif current is None:
            number = item.plan.invoice.number
            self._fail(
                item,
                Problem.of(
                    m.API_CALL,
                    source=self.source,
                    invoice=number,
                    detail=f"the status of invoice {number} could not be read after approval",
                ),
            )

    def _status_problem(
        self, item: Working, error: ProcountorError, current: Invoice | None
    ) -> Problem:
        """This invoice's failure (never the run's) with the status Procountor reports."""
        status = current.status if current is not None else None
        note = f" (status in Procountor: {status})" if status else ""
        return Problem.of(
            m.API_CALL,
            source=self.source,
            invoice=item.plan.invoice.number,
            detail=f"{detail(error)}{note}",
        )

    def _finish(self, item: Working) -> None:
        remote = item.remote
        assert remote is not None
        assert remote.id is not None
        status = remote.status or "UNFINISHED"
        channel = remote.invoice_channel or payloads.channel(item.plan.invoice.customer)
        sending = self.export.after_create is AfterCreate.SEND and channel in SENDING_CHANNELS
        if sending and status == "NOT_SENT":
            self.journal.begin_step(item.entry.id, "send", self.run_id)
            try:
                self.client.send_invoice(remote.id)
            except (PermissionDenied, OutcomeUnknown) as error:
                current = self._reread(remote.id)
                if current is None or current.status != "SENT":
                    self._fail(item, self._status_problem(item, error, current))
                    return
            except ProcountorError as error:
                number = item.plan.invoice.number
                self._client_error(
                    item, error, problem_for(error, source=self.source, invoice=number)
                )
                return
        item.outcome.state = JournalState.EXPORTED
        self.journal.update(
            item.entry.id,
            state=JournalState.EXPORTED,
            step="done",
            error_code=None,
            error_message=None,
            warnings=item.outcome.warnings,
            run_id=self.run_id,
        )

    def _reread(self, invoice_id: int) -> Invoice | None:
        try:
            return self._fetch_invoices([invoice_id]).get(invoice_id)
        except ProcountorError:
            return None
