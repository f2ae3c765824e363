"""Sending invoices: create (or adopt), verify and correct the coding, approve/send, record.

Invoices go in chunks: each invoice of a chunk is posted (INFLIGHT recorded first), then the
chunk's ledger receipts are read in one batch call and corrected where they differ from the
TMS postings, then each invoice is approved/sent as its export says and marked EXPORTED.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from threading import Lock

from procountor_export.export import messages as m
from procountor_export.export import payloads
from procountor_export.export.coding import CodingMismatch, correct_receipt, expected_entries
from procountor_export.export.data import ExportConfig, OfficeData
from procountor_export.export.failures import (
    RunAborted,
    detail,
    fatal_problem,
    is_closed_period,
    problem_for,
)
from procountor_export.export.journal import EntryView, Journal
from procountor_export.export.masterdata import find_invoice
from procountor_export.export.plan import InvoicePlan, totals_difference
from procountor_export.export.prepare import BATCH, Prepared
from procountor_export.export.problems import Problem
from procountor_export.export.progress import InvoiceOutcome, ProgressListener
from procountor_export.export.snapshot import Snapshot
from procountor_export.procountor import ProcountorClient
from procountor_export.procountor.errors import OutcomeUnknown, ProcountorError, RetryableError
from procountor_export.procountor.models import Invoice, LedgerReceipt
from procountor_export.store.models import AfterCreate, JournalState

SENDING_CHANNELS = frozenset({"EMAIL", "MAIL", "ELECTRONIC_INVOICE"})
# After this many invoices in a row fail on retryable errors, Procountor is down or refusing
# us: stop instead of failing every remaining invoice one slow retry at a time.
MAX_CONSECUTIVE_RETRYABLE = 3


@dataclass
class Working:
    """An invoice on its way: its plan, journal row, Procountor invoice and outcome so far."""

    plan: InvoicePlan
    entry: EntryView
    outcome: InvoiceOutcome
    remote: Invoice | None = None


class InvoiceExporter:
    """Exports planned invoices of one export definition to one Procountor company."""

    def __init__(
        self,
        *,
        client: ProcountorClient,
        journal: Journal,
        run_id: int,
        export: ExportConfig,
        office: OfficeData,
        snapshot: Snapshot,
        prepared: Prepared,
        progress: ProgressListener,
        source: str,
        chunk_size: int = 50,
        workers: int = 1,
        owner: str | None = None,
    ) -> None:
        self.client = client
        self.journal = journal
        self.run_id = run_id
        self.export = export
        self.office = office
        self.snapshot = snapshot
        self.prepared = prepared
        self.progress = progress
        self.source = source
        self.chunk_size = max(1, min(chunk_size, BATCH))
        # Requests to Procountor wait on the network far longer than on us: a few threads keep
        # the shared rate limit busy; the limiter, not the thread count, caps the request rate.
        self.workers = max(1, workers)
        self.owner = owner or f"run-{run_id}"
        self._retryable_in_a_row = 0
        self._lock = Lock()

    # --- the run -----------------------------------------------------------------------------

    def run(
        self, plans: Sequence[InvoicePlan], entries: dict[int, EntryView]
    ) -> list[InvoiceOutcome]:
        """Export every plan; return one outcome per plan (each also sent to ``progress``)."""
        outcomes: list[InvoiceOutcome] = []
        # Chunks overlap: while chunk N is coded and finished on the finisher thread, chunk N+1
        # is already being posted, so the rate limit is not left idle at every chunk boundary.
        # At most one chunk is behind; its errors surface before the next one is handed over.
        with ThreadPoolExecutor(1, thread_name_prefix="finish") as finisher:
            behind: Future[None] | None = None
            for chunk in _chunks(list(plans), self.chunk_size):
                # Renew this run's claim before sending; rows another run took over are its now.
                held = self.journal.claim([entries[p.invoice.id].id for p in chunk], self.owner)
                chunk = [p for p in chunk if entries[p.invoice.id].id in held]
                working = self._create_chunk(chunk, entries, outcomes)
                if behind is not None:
                    behind.result()
                behind = finisher.submit(self._complete_chunk, working, outcomes)
            if behind is not None:
                behind.result()
        return outcomes

    def _complete_chunk(self, working: list[Working], outcomes: list[InvoiceOutcome]) -> None:
        """Code, approve/send and record a chunk of posted invoices."""
        self._code_chunk(working, outcomes)
        self._each([w for w in working if w.outcome.state is not JournalState.FAILED], self._finish)
        for item in working:
            self._done(item.outcome, outcomes)

    def _each(self, items: Sequence[Working], step: Callable[[Working], None]) -> None:
        """Run ``step`` on every item, on the worker threads when there are several."""
        if self.workers == 1 or len(items) < 2:
            for item in items:
                step(item)
            return
        with ThreadPoolExecutor(self.workers, thread_name_prefix="export") as pool:
            for future in [pool.submit(step, item) for item in items]:
                future.result()

    def _done(self, outcome: InvoiceOutcome, outcomes: list[InvoiceOutcome]) -> None:
        with self._lock:  # the creating and the finishing threads both report
            outcomes.append(outcome)
            self.progress.advanced(outcome)

    def _fail(self, item: Working, problem: Problem) -> None:
        item.outcome.state = JournalState.FAILED
        item.outcome.problems.append(problem)
        self.journal.update(
            item.entry.id,
            state=JournalState.FAILED,
            error_code=problem.code,
            error_message=problem.text(),
            warnings=item.outcome.warnings,
            run_id=self.run_id,
        )

    def _client_error(self, item: Working, error: ProcountorError, problem: Problem) -> None:
        """Record a failed step; stop the run on fatal errors or a string of retryable ones."""
        fatal = fatal_problem(error, source=self.source)
        if fatal is not None:
            self._fail(item, fatal)
            raise RunAborted(fatal) from error
        self._fail(item, problem)
        if isinstance(error, RetryableError):
            self._retryable_in_a_row += 1
            if self._retryable_in_a_row >= MAX_CONSECUTIVE_RETRYABLE:
                raise RunAborted(problem) from error

    # --- step 1: create or adopt ---------------------------------------------------------------

    def _create_chunk(
        self,
        chunk: Sequence[InvoicePlan],
        entries: dict[int, EntryView],
        outcomes: list[InvoiceOutcome],
    ) -> list[Working]:
        existing = {
            plan.invoice.number: self.snapshot.existing_invoices[plan.invoice.number].id
            for plan in chunk
            if plan.invoice.number in self.snapshot.existing_invoices
        }
        adopted = self._fetch_invoices(list(existing.values()))
        items = [
            Working(
                plan,
                entries[plan.invoice.id],
                InvoiceOutcome(plan.invoice.number, self.export.name, JournalState.INFLIGHT),
            )
            for plan in chunk
        ]

        def start(item: Working) -> None:
            remote_id = existing.get(item.plan.invoice.number)
            if remote_id is not None and remote_id in adopted:
                item.remote = adopted[remote_id]
                item.outcome.adopted = True
                self._record_remote(item, step="adopted")
                self._compare_totals(item)
            else:
                self._create(item)

        self._each(items, start)
        working: list[Working] = []
        for item in items:
            if item.outcome.state is JournalState.FAILED:
                self._done(item.outcome, outcomes)
            else:
                working.append(item)
        return working

    def _fetch_invoices(self, ids: Sequence[int]) -> dict[int, Invoice]:
        found: dict[int, Invoice] = {}
        for start in range(0, len(ids), BATCH):
            for invoice in self.client.get_invoices(ids[start : start + BATCH]):
                if invoice.id is not None:
                    found[invoice.id] = invoice
        return found

    def _record_remote(self, item: Working, *, step: str) -> None:
        remote = item.remote
        assert remote is not None
        item.outcome.procountor_invoice_id = remote.id
        item.outcome.procountor_invoice_number = remote.invoice_number
        self.journal.update(
            item.entry.id,
            state=JournalState.INFLIGHT,
            step=step,
            procountor_invoice_id=remote.id,
            procountor_invoice_number=remote.invoice_number,
            ledger_receipt_id=remote.ledger_receipt_id,
            partner_id=remote.partner_id,
            run_id=self.run_id,
        )

    def _create(self, item: Working) -> None:
        plan = item.plan
        number = (plan.invoice.customer.sales_ledger_no or "").strip()
        blocker = self._blocker(plan, number)
        if blocker is not None:
            self._fail(item, replace(blocker, invoice=plan.invoice.number))
            return
        payload = payloads.invoice(
            plan,
            partner_id=self.prepared.partner_ids[number],
            product_ids=self.prepared.product_ids,
            office=self.office,
            source=self.source,
        )
        # INFLIGHT before the POST: if we never hear back, the next run looks it up first.
        self.journal.begin_step(item.entry.id, "create_invoice", self.run_id)
        try:
            item.remote = self.client.create_invoice(payload)
        except OutcomeUnknown as error:
            found = self._look_up(plan.invoice.number)
            if found is None:
                self._client_error(
                    item, error, problem_for(error, source=self.source, invoice=plan.invoice.number)
                )
                return
            item.remote = found
            item.outcome.adopted = True
        except ProcountorError as error:
            if is_closed_period(error):
                problem = Problem.of(
                    m.PERIOD_CLOSED,
                    plan.invoice.date.isoformat(),
                    source=self.source,
                    invoice=plan.invoice.number,
                    detail=detail(error),
                )
            else:
                problem = problem_for(error, source=self.source, invoice=plan.invoice.number)
            self._client_error(item, error, problem)
            return
        self._retryable_in_a_row = 0
        self._record_remote(item, step="created")
        self._compare_totals(item)

    def _blocker(self, plan: InvoicePlan, customer_number: str) -> Problem | None:
        """A problem from preparation (customer, product, dimension item) that stops this one."""
        if customer_number in self.prepared.failed_customers:
            return self.prepared.failed_customers[customer_number]
        for row in plan.rows:
            for pair in row.key.units:
                if pair in self.prepared.failed_units:
                    return self.prepared.failed_units[pair]
            if row.key.product_code in self.prepared.failed_products:
                return self.prepared.failed_products[row.key.product_code]
        if customer_number not in self.prepared.partner_ids:
            return Problem.of(
                m.CUSTOMER_CREATE,
                plan.invoice.customer.name,
                plan.invoice.customer.code,
                customer_number,
                source=self.source,
                invoice=plan.invoice.number,
            )
        return None

    def _look_up(self, number: str) -> Invoice | None:
        try:
            found = find_invoice(self.client, number)
            if found is None:
                return None
            return self._fetch_invoices([found.id]).get(found.id)
        except ProcountorError:
            return None

    def _compare_totals(self, item: Working) -> None:
        remote = item.remote
        if remote is None or not remote.invoice_sum_info:
            return
        sums = next(
            (s for s in remote.invoice_sum_info if s.currency == item.plan.invoice.currency),
            remote.invoice_sum_info[0],
        )
        differences = totals_difference(
            item.plan, sums.excluding_vat_total, sums.vat_sum_total, sums.invoice_sum_total
        )
        if differences:
            item.outcome.warnings.append(
                m.TOTALS_DIFFER.format(
                    item.plan.invoice.number, "; ".join(differences), source=self.source
                )
            )

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

    def _finish(self, item: Working) -> None:
        remote = item.remote
        assert remote is not None
        assert remote.id is not None
        status = remote.status or "UNFINISHED"
        after = self.export.after_create
        try:
            if after in (AfterCreate.APPROVE, AfterCreate.SEND) and status == "UNFINISHED":
                self.journal.begin_step(item.entry.id, "approve", self.run_id)
                self.client.approve_invoice(remote.id)
                status = "NOT_SENT"
            channel = remote.invoice_channel or payloads.channel(item.plan.invoice.customer)
            if after is AfterCreate.SEND and status == "NOT_SENT" and channel in SENDING_CHANNELS:
                self.journal.begin_step(item.entry.id, "send", self.run_id)
                self.client.send_invoice(remote.id)
        except ProcountorError as error:
            number = item.plan.invoice.number
            self._client_error(item, error, problem_for(error, source=self.source, invoice=number))
            return
        if self.export.include_pdf:
            # The PDF renderer is not part of this version; say so rather than skip silently.
            item.outcome.warnings.append(
                m.PDF_NOT_ATTACHED.format(source=self.source)
                + " (this version does not produce PDF copies yet)"
            )
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


def _chunks(plans: list[InvoicePlan], size: int) -> Iterator[list[InvoicePlan]]:
    for start in range(0, len(plans), size):
        yield plans[start : start + size]
