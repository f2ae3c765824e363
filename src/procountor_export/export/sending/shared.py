"""What every step of sending an invoice shares: the invoice on its way, failing it, threads.

:class:`InvoiceSteps` holds the run's collaborators; :mod:`completion` (coding, approval) and
:mod:`executor` (posting) build on it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from threading import Lock

from procountor_export.export.planning.plan import InvoicePlan
from procountor_export.export.problems import Problem
from procountor_export.export.reading.cache import Snapshot
from procountor_export.export.reading.data import ExportConfig, OfficeData
from procountor_export.export.reporting.progress import InvoiceOutcome, ProgressListener
from procountor_export.export.sending.failures import (
    RunAborted,
    fatal_problem,
)
from procountor_export.export.sending.journal import EntryView, Journal
from procountor_export.export.sending.prepare import BATCH, Prepared
from procountor_export.procountor import ProcountorClient
from procountor_export.procountor.errors import ProcountorError, RetryableError
from procountor_export.procountor.models import Invoice
from procountor_export.store.models import JournalState

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
    # None: no approval asked; "asked": approved without error; else the approval's error.
    approval: str | ProcountorError | None = None


class InvoiceSteps:
    """The collaborators and shared helpers of the steps that send one export's invoices."""

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
        self.journal.mark_failed(
            [item.entry.id], problem.code, problem.text(), self.run_id, item.outcome.warnings
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

    def _fetch_invoices(self, ids: Sequence[int]) -> dict[int, Invoice]:
        found: dict[int, Invoice] = {}
        for start in range(0, len(ids), BATCH):
            for invoice in self.client.get_invoices(ids[start : start + BATCH]):
                if invoice.id is not None:
                    found[invoice.id] = invoice
        return found
