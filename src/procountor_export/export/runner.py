"""Export runs: the library entry point the CLI, web UI and REST API call to send invoices.

``run_export`` checks, plans and exports the invoices of a scope, recording every step in the
journal; :mod:`analysis` does everything up to the plan and writes nothing (``check`` and
``export --dry-run``).
"""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import select

from procountor_export.export import messages as m
from procountor_export.export.company import not_yet_exported
from procountor_export.export.company_run import CompanyRun, RunShared
from procountor_export.export.messages import Messages
from procountor_export.export.options import ExportOptions, MakeClient
from procountor_export.export.problems import Problem
from procountor_export.export.reading.data import InvoiceData
from procountor_export.export.reading.gather import ExportWork, gather
from procountor_export.export.reading.memo import MasterMemo, RunMemory
from procountor_export.export.reading.scope import Scope
from procountor_export.export.reporting.progress import (
    ProgressListener,
    RunSummary,
    Silent,
    Together,
)
from procountor_export.export.reporting.run_record import DatabaseProgress
from procountor_export.export.reporting.run_report import RunReport
from procountor_export.export.slicing import SliceListener, slice_numbers
from procountor_export.runtime.memory import give_back
from procountor_export.runtime.threads import fan_out
from procountor_export.store.claims import ClaimKeeper, Claims, claim_owner
from procountor_export.store.db import Store
from procountor_export.store.journal import EntryView, Journal
from procountor_export.store.models import Invoice, JournalState, Period
from procountor_export.store.runs import Runs
from procountor_export.store.secrets import SecretBox

__all__ = ["ExportOptions", "MakeClient", "run_export"]

# Companies (export definitions) of one run exported at the same time; more wait for a turn.
MAX_COMPANIES_AT_ONCE = 16


def run_export(
    store: Store,
    scope: Scope,
    *,
    client_factory: MakeClient,
    box: SecretBox | None,
    options: ExportOptions | None = None,
    progress: ProgressListener | None = None,
    run_id: int | None = None,
    memo: MasterMemo | None = None,
    end: bool = True,
) -> RunSummary:
    """Export the scope's invoices; every step is in the journal, the summary is returned.

    ``run_id`` is an export run recorded beforehand (``Journal.start_run``) by a caller that
    answers before the run ends (the web's background jobs); without it the run records its own.
    ``memo`` keeps the companies' master data between the parts of a run exported in several
    calls (the job queue's chunks); a big scope's own slices share one in memory. ``end=False``
    leaves the run open (its counts, outcome and end to the caller: the queue's chunks).

    Invoices already EXPORTED to an export are skipped; INFLIGHT and FAILED ones are tried
    again (an invoice that reached Procountor is found by its TMS number and completed, never
    posted twice). A failure on one invoice never stops the others; bad credentials stop the
    export definition's part of the run.
    """
    options = options or ExportOptions()
    progress = progress or Silent()
    numbers = slice_numbers(store, scope, SLICE)
    if numbers is not None:
        return _run_in_slices(
            store,
            scope,
            numbers,
            client_factory=client_factory,
            box=box,
            options=options,
            progress=progress,
            run_id=run_id,
            memo=memo or RunMemory(),
            end=end,
        )
    return _run_once(
        store,
        scope,
        client_factory=client_factory,
        box=box,
        options=options,
        progress=progress,
        run_id=run_id,
        # Kept for the run's other definitions on the same company (their master data is one).
        memo=memo or RunMemory(),
        end=end,
    )


def _run_once(
    store: Store,
    scope: Scope,
    *,
    client_factory: MakeClient,
    box: SecretBox | None,
    options: ExportOptions,
    progress: ProgressListener,
    run_id: int | None,
    memo: MasterMemo,
    end: bool = True,
) -> RunSummary:
    """:func:`run_export` of a scope held in memory whole; ``end=False`` leaves the run open
    (its counts, outcome and progress's end to the caller: a slice of a bigger run)."""
    journal = Journal(store)
    runs = Runs(store)
    claims = Claims(store)
    with store.session() as session:
        gathered = gather(session, scope, box=box, environ=options.environ)
    if run_id is None:
        run_id = runs.start(scope.as_dict(), options.started_by)
    if end:
        progress = _recorded(progress, runs, run_id)
    summary = RunSummary(run_id=run_id, run_problems=list(gathered.problems))
    owner = claim_owner(run_id)
    pending: Pending = []
    with ClaimKeeper(claims, owner):
        for work in gathered.work:
            todo, done = not_yet_exported(journal, work)
            summary.already_exported += done
            entries = journal.entries([(inv.id, work.config.id) for inv in todo], run_id)
            # Two runs at once (a cron job overlapping a person) never both send an invoice.
            ids = {inv.id: entries[(inv.id, work.config.id)].id for inv in todo}
            held = claims.claim(list(ids.values()), owner)
            summary.busy.extend(inv.number for inv in todo if ids[inv.id] not in held)
            todo = [inv for inv in todo if ids[inv.id] in held]
            by_invoice = {inv.id: entries[(inv.id, work.config.id)] for inv in todo}
            pending.append((work, todo, by_invoice))
            summary.to_export += len(todo)
        # An import may have changed an invoice between the read above and the claim. Once
        # claimed, no import changes it (it reports a conflict), so reading the changed ones
        # again now means the run sends what the store holds, never an older version.
        pending = _reread_changed(store, scope, box, options, pending)
        report = RunReport(summary, progress, Messages(options.source))
        report.started(summary.to_export)
        busy = [(work, todo, by_invoice) for work, todo, by_invoice in pending if todo]
        # Every company with work runs at once, each in its lane of the client id's shared
        # limiter (runtime.connections), so they take turns: a small company is done in
        # seconds however big the others. The sending threads are shared out between them.
        threads = max(1, -(-options.workers // max(len(busy), 1)))
        shared = RunShared(
            run_id=run_id,
            journal=journal,
            report=report,
            memo=memo,
            client_factory=client_factory,
            options=replace(options, workers=threads),
            office=gathered.office,
            unit_names=gathered.unit_names,
        )
        parts = [CompanyRun(shared, work, todo, by_invoice) for work, todo, by_invoice in busy]
        fan_out(parts, CompanyRun.export, min(len(parts), MAX_COMPANIES_AT_ONCE))
    summary.exported = sum(1 for o in summary.outcomes if o.state is JournalState.EXPORTED)
    summary.failed = sum(1 for o in summary.outcomes if o.state is JournalState.FAILED)
    summary.interrupted = sum(1 for o in summary.outcomes if o.interrupted)
    if end:
        _end_run(runs, summary, progress)
    return summary


def _recorded(progress: ProgressListener, runs: Runs, run_id: int) -> ProgressListener:
    """``progress`` and the run's own record: a run that ends in this call (whoever started it:
    the CLI, a web or API request) keeps its counts up to date as it goes, so every reader of
    the run (the window's bar, ``GET /api/v1/exports/{id}``) sees them move."""
    return Together(progress, DatabaseProgress(runs, run_id))


def _end_run(runs: Runs, summary: RunSummary, progress: ProgressListener) -> None:
    """Record the run's counts and outcome, and tell the listener it ended."""
    assert summary.run_id is not None
    problem = run_problem(summary)
    runs.finish(
        summary.run_id,
        to_export=summary.to_export,
        exported=summary.exported,
        failed=summary.failed,
        skipped=summary.already_exported,
        outcome=summary.outcome,
        problem=problem.to_data() if problem else None,
    )
    progress.finished(summary)


def run_problem(summary: RunSummary) -> Problem | None:
    """The problem a run's record keeps (``export_runs.problem``, one per run): the one that
    stopped it, else the first problem of its scope (an open period asked for, a customer
    without an export setting), so a run that ends "failed" with nothing exported says why
    (issue 21, item 5). Every scope problem is in the summary (``export --json``)."""
    if summary.fatal is not None:
        return summary.fatal
    return summary.run_problems[0] if summary.run_problems else None


# A run holds at most this many invoices in memory at once: a bigger scope is exported slice
# by slice under the same run, so memory stays flat whatever the scope's size (issue 12). The
# master data is kept from slice to slice (reading.memo), so a slice's own reads are few: the
# search for its invoices already in Procountor and the check of its customers' partners.
SLICE = 1000


def _run_in_slices(
    store: Store,
    scope: Scope,
    numbers: list[str],
    *,
    client_factory: MakeClient,
    box: SecretBox | None,
    options: ExportOptions,
    progress: ProgressListener,
    run_id: int | None,
    memo: MasterMemo,
    end: bool,
) -> RunSummary:
    """:func:`run_export` of a big scope: one run, its invoices read and sent a slice at a time
    (the companies' master data read once, then kept in ``memo`` from slice to slice)."""
    runs = Runs(store)
    if run_id is None:
        run_id = runs.start(scope.as_dict(), options.started_by)
    if end:
        progress = _recorded(progress, runs, run_id)
    summary = RunSummary(run_id=run_id, complete=False)
    with store.session() as session:
        summary.run_problems = [
            Problem.of(m.PERIOD_OPEN, period.id)
            for period in session.scalars(
                select(Period).where(Period.id.in_(scope.periods), Period.closed_at.is_(None))
            )
        ]
    listener = SliceListener(progress, len(numbers))
    for start in range(0, len(numbers), SLICE):
        part = _run_once(
            store,
            Scope(invoices=tuple(numbers[start : start + SLICE])),
            client_factory=client_factory,
            box=box,
            options=options,
            progress=listener,
            run_id=run_id,
            memo=memo,
            end=False,
        )
        give_back()  # the slice's invoices are garbage now: keep the next slice's peak level
        summary.to_export += part.to_export
        summary.already_exported += part.already_exported
        summary.busy.extend(part.busy)
        summary.exported += part.exported
        summary.failed += part.failed
        summary.interrupted += part.interrupted
        # Only what needs attention is kept: the rest is in the journal (memory stays flat).
        summary.outcomes.extend(o for o in part.outcomes if o.needs_attention)
        summary.run_problems.extend(part.run_problems)
        summary.fatal = summary.fatal or part.fatal
        summary.api_calls += part.api_calls
        for table, values in (
            (summary.created, part.created),
            (summary.calls, part.calls),
            (summary.retries, part.retries),
        ):
            for name, count in values.items():
                table[name] = table.get(name, 0) + count
    if end:
        _end_run(runs, summary, progress)
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
        fresh = gather(session, scope, box=box, environ=options.environ)
    again = {invoice.id: invoice for work in fresh.work for invoice in work.invoices}
    return [
        (work, [again.get(invoice.id, invoice) for invoice in todo], entries)
        for work, todo, entries in pending
    ]
