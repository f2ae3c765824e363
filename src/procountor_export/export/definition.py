"""One export definition's part of a run (one Procountor company): load its master data,
check and plan its invoices, prepare what Procountor lacks, send, and record each outcome.

:mod:`runner` starts one per export definition of a run, several at once; they share the
run's summary and progress listener under a lock (:class:`SharedProgress`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from procountor_export.export.company import find_started, key_problem, load_company
from procountor_export.export.company_lock import company_key, company_lock, renew_creatable
from procountor_export.export.messages import Messages
from procountor_export.export.options import ExportOptions, MakeClient
from procountor_export.export.planning.plan import InvoicePlan, plan_run
from procountor_export.export.problems import Problem
from procountor_export.export.reading import partner_links
from procountor_export.export.reading.data import InvoiceData
from procountor_export.export.reading.gather import ExportWork, Gathered
from procountor_export.export.reading.memo import MasterMemo
from procountor_export.export.reporting.progress import (
    InvoiceOutcome,
    ProgressListener,
    RunSummary,
)
from procountor_export.export.sending.context import RunContext
from procountor_export.export.sending.failures import (
    RunAborted,
    fatal_problem,
    for_invoice,
    problem_for,
)
from procountor_export.export.sending.prepare import Prepared, Preparer
from procountor_export.export.sending.sender import Sender
from procountor_export.logs import EXPORT_LOG
from procountor_export.procountor.errors import ProcountorError
from procountor_export.store.journal import EntryView, Journal
from procountor_export.store.models import JournalState


class DefinitionRun:
    """One export definition's invoices within a run: load, check, prepare, send, record."""

    def __init__(
        self,
        journal: Journal,
        run_id: int,
        owner: str,
        gathered: Gathered,
        options: ExportOptions,
        progress: SharedProgress,
        summary: RunSummary,
        memo: MasterMemo,
    ) -> None:
        self.journal = journal
        self.memo = memo
        self.run_id = run_id
        self.owner = owner
        self.gathered = gathered
        self.options = options
        self.progress = progress
        self.summary = summary
        self.done: set[str] = set()
        self.messages = Messages(options.source)  # the event log is an edge: it renders

    def record(self, outcome: InvoiceOutcome) -> None:
        """One invoice finished (exported or failed): log, summary, progress."""
        _log(outcome, self.messages)
        self.done.add(outcome.invoice)
        with self.progress.lock:
            self.summary.outcomes.append(outcome)
            self.progress.advanced(outcome)

    def fail(
        self, work: ExportWork, invoice: InvoiceData, entry: EntryView, errors: list[Problem]
    ) -> None:
        """An invoice fails before anything was sent for it."""
        self.journal.mark_failed([entry.id], errors, self.run_id)
        self.record(InvoiceOutcome(invoice.number, work.config.name, JournalState.FAILED, errors))

    def export(
        self,
        work: ExportWork,
        todo: list[InvoiceData],
        entries: dict[int, EntryView],
        client_factory: MakeClient,
    ) -> None:
        """Export ``todo``; a run-stopping problem fails what is left of it, nothing more."""

        def fail_rest(problem: Problem) -> None:
            for invoice in todo:
                if invoice.number not in self.done:
                    mine = for_invoice(problem, invoice.number)
                    self.fail(work, invoice, entries[invoice.id], [mine])

        if work.api_key is None:
            fail_rest(key_problem(work))
            return
        with client_factory(work.config, work.api_key) as client:
            company = company_key(client.base_url, work.api_key)
            try:
                # The company's master data is read and created by one part at a time, whatever
                # definition, run or process it belongs to (issue 19, item 7): each finds what
                # the one before created. Sending goes on without the lock.
                with company_lock(self.journal.store, company):
                    kept = self.memo.take(work.config.id, company)
                    cache = load_company(client, work, self.journal.store, kept)
                    find_started(client, cache, todo, entries)
                    ctx = RunContext(
                        client=client,
                        journal=self.journal,
                        run_id=self.run_id,
                        owner=self.owner,
                        export=work.config,
                        office=self.gathered.office,
                        cache=cache,
                        source=self.options.source,
                        workers=self.options.workers,
                        chunk_size=self.options.chunk_size,
                        chunk_seconds=self.options.chunk_seconds,
                    )
                    ready, prepared = self._prepare(
                        ctx, work, todo, entries, company, from_copy=kept is not None
                    )
                Sender(ctx, prepared, _Recorder(self.record)).run(ready, entries)
            except RunAborted as aborted:
                self.summary.fatal = aborted.problem
                fail_rest(aborted.problem)
            except ProcountorError as error:
                # A read the run cannot do without (after its retries): stop, keep what is done.
                # A temporary failure makes it the run's "interrupted by Procountor".
                problem = fatal_problem(error) or problem_for(error)
                self.summary.fatal = problem
                fail_rest(problem)
            finally:
                with self.progress.lock:  # the run's other companies add theirs too
                    self.summary.api_calls += sum(client.calls.values())
                    for endpoint, count in client.calls.items():
                        self.summary.calls[endpoint] = self.summary.calls.get(endpoint, 0) + count
                    for kind, count in client.retries.items():
                        self.summary.retries[kind] = self.summary.retries.get(kind, 0) + count

    def _prepare(
        self,
        ctx: RunContext,
        work: ExportWork,
        todo: list[InvoiceData],
        entries: dict[int, EntryView],
        company: str,
        *,
        from_copy: bool,
    ) -> tuple[list[InvoicePlan], Prepared]:
        """Plan ``todo`` and create what it needs (the caller holds the company's lock); the
        invoices ready to send and the ids they need."""
        plan = plan_run(todo, work.config, ctx.cache, ctx.office)
        if from_copy and (plan.products_to_create or plan.items_to_create):
            # The copy may predate what another process created: read it again, then plan.
            renew_creatable(ctx.client, ctx.cache, work.config.product_group)
            plan = plan_run(todo, work.config, ctx.cache, ctx.office)
        for invoice_plan in plan.invoices:
            if not invoice_plan.ready:
                errors = [p for p in invoice_plan.problems if p.is_error]
                self.fail(work, invoice_plan.invoice, entries[invoice_plan.invoice.id], errors)
        ready = plan.ready
        fresh = [
            p.invoice.customer for p in ready if p.invoice.number not in ctx.cache.existing_invoices
        ]
        prepared = Preparer(ctx, self.gathered.unit_names).prepare(plan, fresh)
        if not prepared.failed_units and not prepared.failed_products:
            # Everything this part needed exists and is in the cache: the run's next part
            # may start from it (a failed creation may have happened after all: read again),
            # this definition's or another on the same company. A copy: this part goes on
            # with its own cache while the next part changes the copy.
            self.memo.keep(work.config.id, ctx.cache.master_copy(), company)
        # Next run looks up only customer numbers it has not met (a crash before this line
        # costs only a search: partners are found by number, never made twice).
        partner_links.remember(self.journal.store, work.config.id, prepared.partner_ids)
        with self.progress.lock:
            for kind, count in prepared.created.items():
                self.summary.created[kind.value] = self.summary.created.get(kind.value, 0) + count
        return ready, prepared


def _log(outcome: InvoiceOutcome, messages: Messages) -> None:
    """One event-log line per invoice: exported (with its Procountor ids) or why it failed."""
    where = f"invoice {outcome.invoice} to {outcome.export}"
    if outcome.state is JournalState.EXPORTED:
        EXPORT_LOG.info(
            "%s: exported as Procountor invoice %s (id %s)%s%s",
            where,
            outcome.procountor_invoice_number,
            outcome.procountor_invoice_id,
            ", adopted" if outcome.adopted else "",
            "".join(f"; warning: {messages.text(w)}" for w in outcome.warnings),
        )
    else:
        EXPORT_LOG.warning(
            "%s: %s: %s",
            where,
            outcome.state.value,
            "; ".join(messages.text(problem) for problem in outcome.problems),
        )


class SharedProgress:
    """The run's progress listener and the lock its companies take turns on to report."""

    def __init__(self, listener: ProgressListener) -> None:
        self.listener = listener
        self.lock = threading.Lock()

    def advanced(self, outcome: InvoiceOutcome) -> None:
        """One invoice done (the caller holds :attr:`lock`)."""
        self.listener.advanced(outcome)


class _Recorder:
    """Forwards the sender's per-invoice outcomes into the run's summary and progress."""

    def __init__(self, record: Callable[[InvoiceOutcome], None]) -> None:
        self._record = record

    def started(self, total: int) -> None:
        """Not used: the run announces the total."""

    def advanced(self, outcome: InvoiceOutcome) -> None:
        """One invoice done."""
        self._record(outcome)

    def finished(self, summary: RunSummary) -> None:
        """Not used: the run announces the end."""
