"""Export runs read back from the database: progress while they go, results once they end.

Everything a run shows lives in the store (the ``export_runs`` row and the journal rows it
wrote last), so any process reading it sees the same run.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from procountor_export.export import Messages, Problem, is_interruption
from procountor_export.jobs.procrastinate_jobs import job_run_id, opened, unfinished
from procountor_export.store.claims import CLAIM_LEASE, owner_is_dead_here
from procountor_export.store.db import Store, now
from procountor_export.store.models import (
    ExportDefinition,
    ExportRun,
    Invoice,
    JournalEntry,
    JournalState,
)
from procountor_export.store.runs import RunOutcome


@dataclass(frozen=True)
class RunInvoice:
    """One invoice × export as the run left it (or as a later run changed it)."""

    invoice: str
    export: str
    state: str
    procountor_invoice_id: int | None
    procountor_invoice_number: int | None
    errors: tuple[Problem, ...]
    warnings: tuple[Problem, ...]

    def as_dict(self, messages: Messages) -> dict[str, Any]:
        """JSON form: the problems rendered, with their codes and arguments."""
        return {
            "invoice": self.invoice,
            "export": self.export,
            "state": self.state,
            "procountor_invoice_id": self.procountor_invoice_id,
            "procountor_invoice_number": self.procountor_invoice_number,
            "errors": [messages.as_dict(problem) for problem in self.errors],
            "warnings": [messages.as_dict(warning) for warning in self.warnings],
        }


@dataclass(frozen=True)
class RunView:
    """An export run: who started it and when, its scope, counts and outcome."""

    id: int
    scope: dict[str, Any]
    started_by: str
    started_at: datetime
    finished_at: datetime | None
    dry_run: bool
    to_export: int
    exported: int
    failed: int
    skipped: int
    # succeeded, interrupted (by Procountor only), failed, aborted, error; None while it runs
    outcome: str | None
    problem: Problem | None
    invoices: tuple[RunInvoice, ...] = ()
    # Never finished, and nothing of it is alive any more (its process was stopped or died).
    interrupted: bool = False
    # Of the run's failed invoices, those that failed only because Procountor failed for a
    # while (its outcome is then "interrupted"): the next run finishes them.
    interrupted_count: int = 0

    @property
    def running(self) -> bool:
        """The run has not ended yet."""
        return self.finished_at is None and not self.interrupted

    @property
    def state(self) -> str:
        """``running``, ``interrupted``, or the outcome once it ended.

        ``interrupted`` is either a run that never ended (its process stopped: ``outcome`` is
        ``None``) or one that ended with invoices Procountor interrupted (``outcome``
        ``interrupted``); either way the next run finishes its invoices.
        """
        if self.interrupted:
            return "interrupted"
        return "running" if self.running else (self.outcome or "finished")

    @property
    def succeeded(self) -> bool:
        """It ended and nothing failed."""
        return self.outcome == RunOutcome.succeeded

    @property
    def done(self) -> int:
        """Invoices finished so far (exported or failed)."""
        return self.exported + self.failed

    def scope_text(self) -> str:
        """The scope in words, for lists."""
        parts = []
        if self.scope.get("periods"):
            parts.append("periods " + ", ".join(self.scope["periods"]))
        if self.scope.get("invoices"):
            shown = list(self.scope["invoices"])
            more = f" and {len(shown) - 5} more" if len(shown) > 5 else ""
            parts.append("invoices " + ", ".join(shown[:5]) + more)
        if self.scope.get("all"):
            parts.append("everything not yet exported")
        return "; ".join(parts) or "-"

    def as_dict(self, messages: Messages) -> dict[str, Any]:
        """JSON form (``GET /api/v1/exports/{id}``)."""
        return {
            "id": self.id,
            "state": self.state,
            "running": self.running,
            "succeeded": self.succeeded,
            "scope": self.scope,
            "started_by": self.started_by,
            "started_at": self.started_at.isoformat(),
            "finished_at": self.finished_at.isoformat() if self.finished_at else None,
            "outcome": self.outcome,
            "to_export": self.to_export,
            "exported": self.exported,
            "failed": self.failed,
            "interrupted": self.interrupted_count,
            "already_exported": self.skipped,
            "problem": messages.as_dict(self.problem) if self.problem else None,
            # The problem in words, kept beside it for the clients that read only this.
            "message": messages.text(self.problem) if self.problem else None,
            "invoices": [invoice.as_dict(messages) for invoice in self.invoices],
        }


def read_run(store: Store, run_id: int, *, with_invoices: bool = True) -> RunView | None:
    """The run ``run_id`` with, unless told otherwise, its invoices' results."""
    with store.session() as session:
        run = session.get(ExportRun, run_id)
        if run is None:
            return None
        invoices: tuple[RunInvoice, ...] = ()
        if with_invoices:
            query = (
                select(JournalEntry, Invoice.number, ExportDefinition.name)
                .join(Invoice, Invoice.id == JournalEntry.invoice_id)
                .join(ExportDefinition, ExportDefinition.id == JournalEntry.export_id)
                .where(JournalEntry.run_id == run_id)
                .order_by(Invoice.number, ExportDefinition.name)
            )
            invoices = tuple(
                _invoice(entry, number, name) for entry, number, name in session.execute(query)
            )
        counts = interrupted_counts(session, [run_id])
        return _view(run, invoices, _interrupted(session, run), counts.get(run_id, 0))


def list_runs(store: Store, limit: int = 50) -> list[RunView]:
    """The latest runs, newest first (their invoices not read)."""
    with store.session() as session:
        query = select(ExportRun).order_by(ExportRun.id.desc()).limit(limit)
        runs = list(session.scalars(query))
        counts = interrupted_counts(session, [run.id for run in runs])
        return [_view(run, (), _interrupted(session, run), counts.get(run.id, 0)) for run in runs]


def interrupted_counts(session: Session, run_ids: list[int]) -> dict[int, int]:
    """Per run, its failed invoices that failed only because Procountor failed for a while
    (as the journal holds them now: a later run may have finished some)."""
    counts: dict[int, int] = {}
    if not run_ids:
        return counts
    query = select(JournalEntry.run_id, JournalEntry.problems).where(
        JournalEntry.run_id.in_(run_ids), JournalEntry.state == JournalState.FAILED
    )
    for run_id, problems in session.execute(query):
        if run_id is not None and is_interruption(Problem.from_data(p) for p in problems or []):
            counts[run_id] = counts.get(run_id, 0) + 1
    return counts


def _interrupted(session: Session, run: ExportRun) -> bool:
    """Whether an unfinished run is dead: older than a claim's lease and holding no live claim.

    A running export renews its claims every ``CLAIM_RENEWAL``; a run whose claims all ran out
    (or whose process on this host is gone) will never finish, so it is not shown as going,
    unless the PostgreSQL queue still has jobs of it (:func:`_queued`).
    """
    if run.finished_at is not None or run.started_at > now() - CLAIM_LEASE:
        return False
    query = (
        select(JournalEntry.claimed_by, JournalEntry.updated_at)
        .where(JournalEntry.claimed_by.like(f"%:run-{run.id}"))
        .limit(50)
    )
    alive = [
        owner
        for owner, stamp in session.execute(query)
        if owner and stamp >= now() - CLAIM_LEASE and not owner_is_dead_here(owner)
    ]
    if alive or _queued(session, run.id):
        return False
    # The run's last job may have ended it between the read of its row and the look at the
    # queue: read the row again (read committed sees that end) before calling it dead.
    session.refresh(run)
    return run.finished_at is None


def _queued(session: Session, run_id: int) -> bool:
    """Whether the PostgreSQL queue still has jobs of the run waiting or going.

    A queued run holds no claim while its jobs wait for a worker, nor between one job's end
    and the next one's start (a company's chunks, its last ``finish_run``): it is alive while
    the queue has any of them. Asked only of a run that looks dead otherwise.
    """
    bind = session.get_bind()
    if bind.dialect.name != "postgresql":
        return False
    with opened(bind.engine.url.render_as_string(hide_password=False)) as app:
        if not app.check_connection():
            return False  # a store the queue never used
        return any(job_run_id(job) == run_id for job in unfinished(app.job_manager))


def _view(
    run: ExportRun, invoices: tuple[RunInvoice, ...], interrupted: bool, interrupted_count: int
) -> RunView:
    exported, failed = run.exported or 0, run.failed or 0
    return RunView(
        id=run.id,
        scope=dict(run.scope or {}),
        started_by=run.started_by,
        started_at=run.started_at,
        finished_at=run.finished_at,
        dry_run=run.dry_run,
        # Never fewer to export than done: on the queue a chunk may find invoices another chunk
        # of the run exported (a customer with several export definitions) and take them off
        # ``to_export`` while they are counted; the run's end sets the exact counts.
        to_export=max(run.to_export or 0, exported + failed),
        exported=exported,
        failed=failed,
        skipped=run.skipped or 0,
        outcome=run.outcome,
        problem=Problem.from_data(run.problem) if run.problem else None,
        invoices=invoices,
        interrupted=interrupted,
        interrupted_count=interrupted_count,
    )


def _invoice(entry: JournalEntry, number: str, export: str) -> RunInvoice:
    return RunInvoice(
        invoice=number,
        export=export,
        state=entry.state.value,
        procountor_invoice_id=entry.procountor_invoice_id,
        procountor_invoice_number=entry.procountor_invoice_number,
        errors=tuple(Problem.from_data(p) for p in entry.problems or [])
        if entry.state is not JournalState.EXPORTED
        else (),
        warnings=tuple(Problem.from_data(w) for w in entry.warnings or []),
    )
