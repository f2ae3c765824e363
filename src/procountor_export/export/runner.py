"""Export runs, checks and dry runs: the library entry points the CLI, web UI and REST API call.

``run_export`` checks, plans and exports the invoices of a scope, recording every step in the
journal; ``analyse`` does everything up to the plan and writes nothing (``check`` and
``export --dry-run``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from pydantic import SecretStr
from sqlalchemy import select

from procountor_export.export import messages as m
from procountor_export.export.planning.plan import RunPlan, plan_run
from procountor_export.export.problems import Problem
from procountor_export.export.reading import partner_links
from procountor_export.export.reading.cache import Snapshot
from procountor_export.export.reading.data import ExportConfig, InvoiceData
from procountor_export.export.reading.gather import ExportWork, Gathered, gather
from procountor_export.export.reading.masterdata import find_invoices, load_snapshot
from procountor_export.export.reading.scope import Scope
from procountor_export.export.reporting.progress import (
    InvoiceOutcome,
    ProgressListener,
    RunSummary,
    Silent,
)
from procountor_export.export.sending.executor import InvoiceExporter
from procountor_export.export.sending.failures import RunAborted, fatal_problem, problem_for
from procountor_export.export.sending.journal import ClaimKeeper, EntryView, Journal
from procountor_export.export.sending.prepare import Preparer
from procountor_export.logs import EXPORT_LOG
from procountor_export.procountor import ProcountorClient
from procountor_export.procountor.errors import ProcountorError
from procountor_export.store.claims import claim_owner
from procountor_export.store.db import Store
from procountor_export.store.models import Invoice, JournalState
from procountor_export.store.secrets import SecretBox

ClientFactory = Callable[[ExportConfig, SecretStr], ProcountorClient]


@dataclass(frozen=True)
class ExportOptions:
    """How a run behaves."""

    source: str = "Opter"  # the TMS's name in messages
    started_by: str = "cli"
    chunk_size: int = 50
    workers: int = 4  # threads sending requests; the shared limiter still caps the rate
    environ: Mapping[str, str] | None = None  # where password {"env": ...} keys are read


@dataclass
class ExportAnalysis:
    """One export definition's checks and plan (``check`` and ``--dry-run``)."""

    export: ExportConfig
    plan: RunPlan | None = None
    snapshot: Snapshot | None = None
    problem: Problem | None = None  # why it could not be analysed at all
    already_exported: int = 0


@dataclass
class Analysis:
    """The checks and plans of a whole scope."""

    exports: list[ExportAnalysis] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Nothing stands in the way of exporting."""
        return not self.problems and all(
            a.problem is None and a.plan is not None and all(p.ready for p in a.plan.invoices)
            for a in self.exports
        )


def _load(client: ProcountorClient, work: ExportWork, source: str, store: Store) -> Snapshot:
    try:
        snapshot = load_snapshot(
            client, product_group=work.config.product_group, invoices=work.invoices
        )
    except ProcountorError as error:
        problem = fatal_problem(error, source=source)
        if problem is None:
            template = m.ACCOUNTS_UNAVAILABLE if "/coa" in error.operation else m.API_CALL
            problem = problem_for(error, source=source, template=template)
        raise RunAborted(problem) from error
    # Partner ids met in earlier runs; the preparation re-validates them before use.
    numbers = {invoice.customer.customer_number for invoice in work.invoices}
    snapshot.partners.update(partner_links.remembered(store, work.config.id, numbers - {""}))
    return snapshot


def _key_problem(work: ExportWork, source: str) -> Problem:
    return Problem.of(m.API_KEY_MISSING, work.config.name, work.key_problem, source=source)


def analyse(
    store: Store,
    scope: Scope,
    *,
    client_factory: ClientFactory,
    box: SecretBox | None,
    options: ExportOptions | None = None,
) -> Analysis:
    """Run every check and build the plan for ``scope``; write nothing anywhere."""
    options = options or ExportOptions()
    with store.session() as session:
        gathered = gather(session, scope, box=box, source=options.source, environ=options.environ)
    analysis = Analysis(problems=list(gathered.problems))
    journal = Journal(store)
    for work in gathered.work:
        # Already exported invoices are not checked or planned again (an export skips them).
        done = journal.exported([(inv.id, work.config.id) for inv in work.invoices])
        work.invoices = [inv for inv in work.invoices if (inv.id, work.config.id) not in done]
        result = ExportAnalysis(export=work.config, already_exported=len(done))
        analysis.exports.append(result)
        if not work.invoices:
            result.plan = RunPlan()
            continue
        if work.api_key is None:
            result.problem = _key_problem(work, options.source)
            continue
        with client_factory(work.config, work.api_key) as client:
            try:
                result.snapshot = _load(client, work, options.source, store)
            except RunAborted as aborted:
                result.problem = aborted.problem
                continue
        result.plan = plan_run(
            work.invoices, work.config, result.snapshot, gathered.office, source=options.source
        )
    return analysis


def run_export(
    store: Store,
    scope: Scope,
    *,
    client_factory: ClientFactory,
    box: SecretBox | None,
    options: ExportOptions | None = None,
    progress: ProgressListener | None = None,
) -> RunSummary:
    """Export the scope's invoices; every step is in the journal, the summary is returned.

    Invoices already EXPORTED to an export are skipped; INFLIGHT and FAILED ones are tried
    again (an invoice that reached Procountor is found by its TMS number and completed, never
    posted twice). A failure on one invoice never stops the others; bad credentials stop the
    export definition's part of the run.
    """
    options = options or ExportOptions()
    progress = progress or Silent()
    journal = Journal(store)
    with store.session() as session:
        gathered = gather(session, scope, box=box, source=options.source, environ=options.environ)
    run_id = journal.start_run(scope.as_dict(), options.started_by)
    summary = RunSummary(run_id=run_id, run_problems=list(gathered.problems))
    owner = claim_owner(run_id)
    pending: Pending = []
    with ClaimKeeper(journal, owner):
        for work in gathered.work:
            entries = journal.entries([(inv.id, work.config.id) for inv in work.invoices], run_id)
            todo = []
            for invoice in work.invoices:
                if entries[(invoice.id, work.config.id)].state is JournalState.EXPORTED:
                    summary.already_exported += 1
                else:
                    todo.append(invoice)
            # Two runs at once (a cron job overlapping a person) never both send an invoice.
            ids = {inv.id: entries[(inv.id, work.config.id)].id for inv in todo}
            held = journal.claim(list(ids.values()), owner)
            summary.busy.extend(inv.number for inv in todo if ids[inv.id] not in held)
            todo = [inv for inv in todo if ids[inv.id] in held]
            by_invoice = {inv.id: entries[(inv.id, work.config.id)] for inv in todo}
            pending.append((work, todo, by_invoice))
            summary.to_export += len(todo)
        # An import may have changed an invoice between the read above and the claim. Once
        # claimed, no import changes it (it reports a conflict), so reading the changed ones
        # again now means the run sends what the store holds, never an older version.
        pending = _reread_changed(store, scope, box, options, pending)
        progress.started(summary.to_export)
        for work, todo, by_invoice in pending:
            if todo:
                _export_one(
                    journal,
                    run_id,
                    work,
                    todo,
                    by_invoice,
                    gathered,
                    client_factory,
                    options,
                    progress,
                    summary,
                    owner,
                )
    summary.exported = sum(1 for o in summary.outcomes if o.state is JournalState.EXPORTED)
    summary.failed = sum(1 for o in summary.outcomes if o.state is JournalState.FAILED)
    outcome = "succeeded" if summary.succeeded else ("aborted" if summary.fatal else "failed")
    journal.finish_run(
        run_id,
        to_export=summary.to_export,
        exported=summary.exported,
        failed=summary.failed,
        skipped=summary.already_exported,
        outcome=outcome,
        message=summary.fatal.text() if summary.fatal else None,
    )
    progress.finished(summary)
    return summary


Pending = list[tuple[ExportWork, list[InvoiceData], dict[int, EntryView]]]


def _reread_changed(
    store: Store, scope: Scope, box: SecretBox | None, options: ExportOptions, pending: Pending
) -> Pending:
    """``pending`` with every invoice whose stored content changed since it was read, read again."""
    read = {invoice.id: invoice.content_hash for _, todo, _ in pending for invoice in todo}
    ids = sorted(read)
    changed: set[int] = set()
    with store.session() as session:
        for start in range(0, len(ids), 500):
            query = select(Invoice.id, Invoice.content_hash).where(
                Invoice.id.in_(ids[start : start + 500])
            )
            changed.update(i for i, digest in session.execute(query) if digest != read[i])
        if not changed:
            return pending
        fresh = gather(session, scope, box=box, source=options.source, environ=options.environ)
    again = {invoice.id: invoice for work in fresh.work for invoice in work.invoices}
    return [
        (work, [again.get(invoice.id, invoice) for invoice in todo], entries)
        for work, todo, entries in pending
    ]


def _export_one(
    journal: Journal,
    run_id: int,
    work: ExportWork,
    todo: list[InvoiceData],
    entries: dict[int, EntryView],
    gathered: Gathered,
    client_factory: ClientFactory,
    options: ExportOptions,
    progress: ProgressListener,
    summary: RunSummary,
    owner: str,
) -> None:
    """One export definition's invoices: load, check, prepare, send."""
    done: set[str] = set()

    def record(outcome: InvoiceOutcome) -> None:
        _log(outcome)
        done.add(outcome.invoice)
        summary.outcomes.append(outcome)
        progress.advanced(outcome)

    def fail_rest(problem: Problem) -> None:
        for invoice in todo:
            if invoice.number in done:
                continue
            journal.mark_failed([entries[invoice.id].id], problem.code, problem.text(), run_id)
            record(InvoiceOutcome(invoice.number, work.config.name, JournalState.FAILED, [problem]))

    if work.api_key is None:
        fail_rest(_key_problem(work, options.source))
        return
    with client_factory(work.config, work.api_key) as client:
        try:
            snapshot = _load(client, work, options.source, journal.store)
            _find_started(client, snapshot, todo, entries)
            plan = plan_run(todo, work.config, snapshot, gathered.office, source=options.source)
            for invoice_plan in plan.invoices:
                if not invoice_plan.ready:
                    errors = [p for p in invoice_plan.problems if p.is_error]
                    journal.mark_failed(
                        [entries[invoice_plan.invoice.id].id],
                        errors[0].code,
                        "\n".join(p.text() for p in errors),
                        run_id,
                    )
                    record(
                        InvoiceOutcome(
                            invoice_plan.invoice.number,
                            work.config.name,
                            JournalState.FAILED,
                            errors,
                        )
                    )
            ready = plan.ready
            fresh = [
                p.invoice.customer
                for p in ready
                if p.invoice.number not in snapshot.existing_invoices
            ]
            preparer = Preparer(
                client,
                snapshot,
                work.config,
                source=options.source,
                unit_names=gathered.unit_names,
                workers=options.workers,
            )
            prepared = preparer.prepare(plan, fresh)
            # Next run looks up only customer numbers it has not met (a crash before this
            # line costs only a search: partners are found by number, never made twice).
            partner_links.remember(journal.store, work.config.id, prepared.partner_ids)
            for name, count in prepared.created.items():
                summary.created[name] = summary.created.get(name, 0) + count
            exporter = InvoiceExporter(
                client=client,
                journal=journal,
                run_id=run_id,
                export=work.config,
                office=gathered.office,
                snapshot=snapshot,
                prepared=prepared,
                progress=_Recorder(record),
                source=options.source,
                chunk_size=options.chunk_size,
                workers=options.workers,
                owner=owner,
            )
            exporter.run(ready, entries)
        except RunAborted as aborted:
            summary.fatal = aborted.problem
            fail_rest(aborted.problem)
        except ProcountorError as error:
            # A read the run cannot do without (after its retries): stop, keep what is done.
            problem = fatal_problem(error, source=options.source) or problem_for(
                error, source=options.source
            )
            summary.fatal = problem
            fail_rest(problem)
        finally:
            summary.api_calls += sum(client.calls.values())
            for endpoint, count in client.calls.items():
                summary.calls[endpoint] = summary.calls.get(endpoint, 0) + count


def _find_started(
    client: ProcountorClient,
    snapshot: Snapshot,
    invoices: list[InvoiceData],
    entries: dict[int, EntryView],
) -> None:
    """Look up, one by one, invoices an earlier run started but the date-range search missed.

    The search covers the run's invoice dates; an invoice posted earlier under another date (or
    whose POST answer was lost) is found by its TMS number instead, so it is never posted twice.
    """
    for invoice in invoices:
        entry = entries[invoice.id]
        started = entry.procountor_invoice_id is not None or entry.state is JournalState.INFLIGHT
        if started and invoice.number not in snapshot.existing_invoices:
            found = find_invoices(client, invoice.number)
            if found:
                snapshot.existing_invoices[invoice.number] = found


def _log(outcome: InvoiceOutcome) -> None:
    """One event-log line per invoice: exported (with its Procountor ids) or why it failed."""
    where = f"invoice {outcome.invoice} to {outcome.export}"
    if outcome.state is JournalState.EXPORTED:
        EXPORT_LOG.info(
            "%s: exported as Procountor invoice %s (id %s)%s%s",
            where,
            outcome.procountor_invoice_number,
            outcome.procountor_invoice_id,
            ", adopted" if outcome.adopted else "",
            "".join(f"; warning: {w}" for w in outcome.warnings),
        )
    else:
        EXPORT_LOG.warning(
            "%s: %s: %s",
            where,
            outcome.state.value,
            "; ".join(problem.text() for problem in outcome.problems),
        )


class _Recorder:
    """Forwards the executor's per-invoice outcomes into the run's summary and progress."""

    def __init__(self, record: Callable[[InvoiceOutcome], None]) -> None:
        self._record = record

    def started(self, total: int) -> None:
        """Not used: the run announces the total."""

    def advanced(self, outcome: InvoiceOutcome) -> None:
        """One invoice done."""
        self._record(outcome)

    def finished(self, summary: RunSummary) -> None:
        """Not used: the run announces the end."""
