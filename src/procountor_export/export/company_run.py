"""One export definition's part of a run (one Procountor company), from its invoices to their
outcomes: load the company's master data, check and plan the invoices, create what Procountor
lacks, send, and report each outcome.

:mod:`runner` makes one :class:`CompanyRun` per export definition with work, several at once;
they share the run's :class:`RunShared` (its journal, report, master-data memo and options).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from procountor_export.export.company import (
    company_lock,
    find_started,
    key_problem,
    load_company,
    renew_creatable,
)
from procountor_export.export.options import ExportOptions, MakeClient
from procountor_export.export.planning.plan import InvoicePlan, plan_run
from procountor_export.export.problems import Problem
from procountor_export.export.reading import partner_links
from procountor_export.export.reading.data import InvoiceData, OfficeData
from procountor_export.export.reading.gather import ExportWork
from procountor_export.export.reading.memo import MasterMemo
from procountor_export.export.reporting.progress import InvoiceOutcome
from procountor_export.export.reporting.run_report import RunReport
from procountor_export.export.sending.context import RunContext
from procountor_export.export.sending.failures import (
    RunAborted,
    fatal_problem,
    for_invoice,
    problem_for,
)
from procountor_export.export.sending.prepare import Prepared, Preparer
from procountor_export.export.sending.sender import Sender
from procountor_export.procountor.errors import ProcountorError
from procountor_export.runtime.connections import company_key
from procountor_export.store.journal import EntryView, Journal
from procountor_export.store.models import JournalState


@dataclass(frozen=True)
class RunShared:
    """What every company of one run shares: the run, where it reports, its memo and options."""

    run_id: int
    journal: Journal
    report: RunReport
    memo: MasterMemo  # the companies' master data kept between the parts of the run
    client_factory: MakeClient
    options: ExportOptions
    office: OfficeData
    unit_names: dict[tuple[str, str], str]


class CompanyRun:
    """``todo``, the claimed invoices of one export definition, exported to its company.

    ``entries`` are their journal rows (claimed by the run). A run-stopping problem (bad
    credentials, a master-data read that fails after its retries) fails what is left of this
    part only, and becomes the run's ``fatal`` problem; every other invoice failure stays the
    invoice's own.
    """

    def __init__(
        self,
        run: RunShared,
        work: ExportWork,
        todo: list[InvoiceData],
        entries: dict[int, EntryView],
    ) -> None:
        self.run = run
        self.work = work
        self.todo = todo
        self.entries = entries
        self._done: set[str] = set()

    def export(self) -> None:
        """Export the part; every outcome is reported to the run as soon as it is known."""
        if self.work.api_key is None:
            self._fail_rest(key_problem(self.work))
            return
        with self.run.client_factory(self.work.config, self.work.api_key) as client:
            try:
                company = company_key(client.base_url, self.work.api_key)
                # The company's master data is read and created by one part at a time, whatever
                # definition, run or process it belongs to (issue 19, item 7): each finds what
                # the one before created. Sending goes on without the lock.
                with company_lock(self.run.journal.store, company):
                    kept = self.run.memo.take(self.work.config.id, company)
                    cache = load_company(client, self.work, self.run.journal.store, kept)
                    find_started(client, cache, self.todo, self.entries)
                    ctx = RunContext(
                        client=client,
                        journal=self.run.journal,
                        run_id=self.run.run_id,
                        export=self.work.config,
                        office=self.run.office,
                        cache=cache,
                        options=self.run.options,
                    )
                    ready, prepared = self._prepare(ctx, company, from_copy=kept is not None)
                Sender(ctx, prepared, self._reported).run(ready, self.entries)
            except RunAborted as aborted:
                self._stop(aborted.problem)
            except ProcountorError as error:
                # A read the run cannot do without (after its retries): stop, keep what is done.
                # A temporary failure makes it the run's "interrupted by Procountor".
                self._stop(fatal_problem(error) or problem_for(error))
            finally:
                self.run.report.called(client.calls, client.retries)

    def _prepare(
        self, ctx: RunContext, company: str, *, from_copy: bool
    ) -> tuple[list[InvoicePlan], Prepared]:
        """Plan the part and create what it needs (the caller holds the company's lock); the
        invoices ready to send and the ids they need. Invoices that fail their checks are
        failed and reported here."""
        config = self.work.config
        plan = plan_run(self.todo, config, ctx.cache, ctx.office)
        if from_copy and (plan.products_to_create or plan.items_to_create):
            # The copy may predate what another process created: read it again, then plan.
            renew_creatable(ctx.client, ctx.cache, config.product_group)
            plan = plan_run(self.todo, config, ctx.cache, ctx.office)
        for invoice_plan in plan.invoices:
            if not invoice_plan.ready:
                errors = [p for p in invoice_plan.problems if p.is_error]
                self._fail(invoice_plan.invoice, errors)
        ready = plan.ready
        fresh = [
            p.invoice.customer for p in ready if p.invoice.number not in ctx.cache.existing_invoices
        ]
        prepared = Preparer(ctx, self.run.unit_names).prepare(plan, fresh)
        if not prepared.failed_units and not prepared.failed_products:
            # Everything this part needed exists and is in the cache: the run's next part
            # may start from it (a failed creation may have happened after all: read again),
            # this definition's or another on the same company. A copy: this part goes on
            # with its own cache while the next part changes the copy.
            self.run.memo.keep(config.id, ctx.cache.master_copy(), company)
        # Next run looks up only customer numbers it has not met (a crash before this line
        # costs only a search: partners are found by number, never made twice).
        partner_links.remember(self.run.journal.store, config.id, prepared.partner_ids)
        self.run.report.created({kind.value: count for kind, count in prepared.created.items()})
        return ready, prepared

    def _reported(self, outcome: InvoiceOutcome) -> None:
        """One invoice of the part is done: the run hears of it (from any sending thread)."""
        self._done.add(outcome.invoice)
        self.run.report.advanced(outcome)

    def _fail(self, invoice: InvoiceData, errors: list[Problem]) -> None:
        """An invoice fails before anything was sent for it."""
        self.run.journal.mark_failed([self.entries[invoice.id].id], errors, self.run.run_id)
        outcome = InvoiceOutcome(invoice.number, self.work.config.name, JournalState.FAILED)
        self._reported(replace(outcome, problems=errors))

    def _fail_rest(self, problem: Problem) -> None:
        """Fail every invoice of the part not done yet, each with ``problem`` said of it."""
        for invoice in self.todo:
            if invoice.number not in self._done:
                self._fail(invoice, [for_invoice(problem, invoice.number)])

    def _stop(self, problem: Problem) -> None:
        """A run-stopping problem: the run's ``fatal``, and the rest of this part fails."""
        self.run.report.summary.fatal = problem
        self._fail_rest(problem)
