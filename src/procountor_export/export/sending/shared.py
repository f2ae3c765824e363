"""What every step of sending an invoice shares: the invoice on its way, failing it, reads.

The steps (:mod:`creation`, :mod:`coding`, :mod:`attach`, :mod:`finishing`) are composed by
:mod:`sender`; each gets the run's :class:`~.context.RunContext` and this :class:`Shared`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import Enum
from threading import Lock

from procountor_export.export.planning.plan import InvoicePlan
from procountor_export.export.problems import Problem
from procountor_export.export.reporting.progress import InvoiceOutcome
from procountor_export.export.sending.context import RunContext
from procountor_export.export.sending.failures import (
    RunAborted,
    fatal_problem,
    temporary_problem,
)
from procountor_export.procountor import MAX_IDS
from procountor_export.procountor.errors import ProcountorError, RetryableError, is_temporary
from procountor_export.procountor.models import Invoice
from procountor_export.runtime.threads import fan_out
from procountor_export.store.journal import EntryView
from procountor_export.store.models import JournalState

# After this many invoices in a row fail on temporary errors (a 5xx, timeout, lost connection
# or 429 still there after the retries, a write still unsettled after its look-ups), Procountor
# is down or refusing us: stop instead of failing every remaining invoice one slow retry at a
# time. The run is then "interrupted", and the next run finishes its invoices.
MAX_CONSECUTIVE_RETRYABLE = 3
# The most invoices sent as one chunk: the client reads a chunk back in one GET /{ids} call.
BATCH = MAX_IDS


class Approval(Enum):
    """An approval was asked and Procountor answered without an error."""

    ASKED = "asked"


@dataclass
class Working:
    """An invoice on its way: its plan, journal row, Procountor invoice and outcome so far."""

    plan: InvoicePlan
    entry: EntryView
    outcome: InvoiceOutcome
    remote: Invoice | None = None
    # None: no approval asked; ASKED: approved without error; else the approval's error.
    approval: Approval | ProcountorError | None = None

    @property
    def alive(self) -> bool:
        """Not failed (yet): the next step may go on with it."""
        return self.outcome.state is not JournalState.FAILED


class Shared:
    """Failing an item, the run-stopping rules, threads and batch reads, for every step.

    The count of retryable failures in a row is shared by the worker threads, so it is kept
    under a lock.
    """

    def __init__(self, ctx: RunContext) -> None:
        self.ctx = ctx
        self._retryable_in_a_row = 0
        self._lock = Lock()

    def each(self, items: Sequence[Working], step: Callable[[Working], None]) -> None:
        """Run ``step`` on every item on the run's worker threads."""
        fan_out(items, step, self.ctx.options.workers)

    def fail(self, item: Working, problem: Problem) -> None:
        """The item failed: its outcome and journal row say why."""
        item.outcome.state = JournalState.FAILED
        item.outcome.problems.append(problem)
        self.ctx.journal.mark_failed(
            [item.entry.id], [problem], self.ctx.run_id, item.outcome.warnings
        )

    def client_error(self, item: Working, error: ProcountorError, problem: Problem) -> None:
        """Record a failed step; stop the run on fatal errors or a string of temporary ones."""
        fatal = fatal_problem(error)
        if fatal is not None:
            self.fail(item, fatal)
            raise RunAborted(fatal) from error
        self.fail(item, problem)
        if is_temporary(error):
            with self._lock:
                self._retryable_in_a_row += 1
                stop = self._retryable_in_a_row >= MAX_CONSECUTIVE_RETRYABLE
            if stop:
                rate_limited = isinstance(error, RetryableError) and error.status == 429
                # The run's problem, said of no one invoice: each other one gets its own.
                raise RunAborted(problem if rate_limited else temporary_problem(error)) from error

    def succeeded(self) -> None:
        """A write went through: Procountor is answering again."""
        with self._lock:
            self._retryable_in_a_row = 0

    def fetch_invoices(self, ids: Sequence[int]) -> dict[int, Invoice]:
        """The invoices with ``ids`` (unknown ones absent); the client batches the ids."""
        invoices = self.ctx.client.invoices.get(ids)
        return {invoice.id: invoice for invoice in invoices if invoice.id is not None}
