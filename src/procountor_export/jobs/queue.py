"""Export runs as jobs on a PostgreSQL job queue (procrastinate): several workers, any machine.

Why procrastinate: it keeps its jobs in the PostgreSQL the service already needs (no broker to
run), is maintained, and has exactly the two locks this needs — jobs sharing a ``lock`` run one
at a time in the order they were deferred, and ``LISTEN/NOTIFY`` wakes idle workers at once.

:meth:`QueueJobs.start_export` records the run and defers, per Procountor company (export
definition), one ``export_chunk`` job per :data:`CHUNK` invoices and one ``finish_run`` job,
all with the lock ``company-<id>``. So:

- one run per company at a time: a company's jobs run one after another, and a new run for a
  company that still has jobs waiting or going is refused (:class:`~.base.Busy`);
- a company's chunks go to whichever worker is free, and a free worker skips a company whose
  chunk is already being worked on: with W workers and K companies each company holds at most
  one worker, so a company with 50,000 invoices never keeps one with 10 waiting behind it;
- every request of every worker goes through the limiter shared by the client id
  (``PROCOUNTOR_LIMITER_URL``: the PostgreSQL or Redis of the deployment).

The journal's claims stay the last guard against two workers sending one invoice. A chunk is
an ordinary :meth:`~procountor_export.export.Exporter.export` of its invoices under the run's
id; the company's master data is read by its first chunk and kept in the store for the next
(:class:`~procountor_export.export.StoredMemo`), so it is read once per run.

Progress: each chunk adds its invoices to the run's ``exported``/``failed`` as they finish
(:class:`~procountor_export.export.DatabaseProgress`, additive:
``exported = exported + n``), so the counts of two workers exporting two companies at once
add up, and reading them costs one row (counting the run's journal rows at every poll would
read the journal). When the run's last job ends, the journal's counts replace the added ones
(exact even when a stalled chunk was exported again). The scope's problems (an open period
asked for) are the run's from :meth:`QueueJobs.start_export` on.

The lock is per export definition, and two definitions may point at one Procountor company
(factoring: the financed customers and the rest). Their chunks may then run at the same time
in two workers; the company's master data is still read and created by one of them at a time
(the engine's company lock, the store's lock across processes), and the
copy kept in the store is the company's, so each finds what the other created.
``procountor-export worker`` runs a worker (:func:`run_worker`).
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import procrastinate
import psycopg
from procrastinate.types import JSONValue
from sqlalchemy import func, select, update

from procountor_export.export import (
    DatabaseProgress,
    Exporter,
    ExportOptions,
    MakeClient,
    Problem,
    Scope,
    StoredMemo,
    forget_run,
    resolve,
    run_outcome,
)
from procountor_export.export import messages as m
from procountor_export.jobs.base import Busy, Jobs
from procountor_export.jobs.inprocess import InProcessJobs
from procountor_export.jobs.procrastinate_jobs import (
    QUEUE,
    bare_app,
    conninfo,
    job_run_id,
    opened,
    unfinished,
)
from procountor_export.jobs.runs import RunView, interrupted_counts, list_runs, read_run
from procountor_export.logs import EXPORT_LOG
from procountor_export.runtime.connections import ClientFactory
from procountor_export.settings import Settings, load_settings
from procountor_export.store.db import Store, now
from procountor_export.store.models import ExportRun, JournalEntry, JournalState
from procountor_export.store.runs import Runs
from procountor_export.store.secrets import SecretBox, SecretKeyError, load_key

__all__ = ["CHUNK", "QUEUE", "QueueJobs", "jobs_for", "make_app", "run_worker"]

# Invoices per job: small enough that companies take turns every minute or two at the rate
# limit, big enough that a chunk's own reads (the invoice search, partners) cost little.
CHUNK = 1000
_CHUNK_TASK = "procountor_export.export_chunk"
_FINISH_TASK = "procountor_export.finish_run"
_STALLED_TASK = "procountor_export.retry_stalled"
# Seconds without a worker's heartbeat after which its jobs count as stalled.
STALLED = 60.0
# A run's problems that come from its scope, not from Procountor: recorded when the run starts
# (its invoices of an open period are left out), they make it "failed", not "aborted".
SCOPE_PROBLEMS = frozenset({m.PERIOD_OPEN.code, m.NO_EXPORT_SETTING.code})


def make_app(database_url: str) -> procrastinate.App:
    """The procrastinate app of the store at ``database_url``, with the export tasks."""
    app = bare_app(database_url)
    app.task(name=_CHUNK_TASK, queue=QUEUE)(export_chunk)
    app.task(name=_FINISH_TASK, queue=QUEUE)(finish_run)

    async def retry_stalled(timestamp: int) -> None:
        """A job whose worker stopped beating (killed, machine lost) goes back in the queue:
        its chunk is exported again, safely (claims, INFLIGHT rows looked up first)."""
        for job in await app.job_manager.get_stalled_jobs(seconds_since_heartbeat=STALLED):
            EXPORT_LOG.warning("export job %s of a worker that stopped: queued again", job.id)
            await app.job_manager.retry_job(job)

    task = app.task(name=_STALLED_TASK, queue=QUEUE, queueing_lock=_STALLED_TASK)(retry_stalled)
    app.periodic(cron="* * * * *", periodic_id=_STALLED_TASK)(task)
    return app


def ensure_schema(database_url: str) -> None:
    """Create procrastinate's tables in the database (its search path) unless they exist."""
    with opened(database_url, make_app) as app:
        if app.check_connection():  # procrastinate's check: its jobs table is there
            return
        # Two first starts at once: one creates the tables while the other waits on this lock.
        with psycopg.connect(conninfo(database_url), autocommit=True) as connection:
            connection.execute("SELECT pg_advisory_lock(72120001)")
            try:
                if not app.check_connection():
                    app.schema_manager.apply_schema()
            finally:
                connection.execute("SELECT pg_advisory_unlock(72120001)")


def _lock(export_id: int) -> str:
    return f"company-{export_id}"


class QueueJobs:
    """The :class:`~.base.Jobs` of a PostgreSQL deployment: runs become queue jobs.

    Nothing runs in this process: ``procountor-export worker`` processes (one or many, on any
    machine) take the jobs. See the module's docstring.
    """

    def __init__(self, store: Store, database_url: str, *, chunk: int = CHUNK) -> None:
        self.store = store
        self.database_url = database_url
        self.chunk = chunk
        ensure_schema(database_url)
        self.app = make_app(database_url)

    def start_export(self, scope: Scope, started_by: str) -> int:
        """Record a run for ``scope``, defer its jobs and return its id at once.

        The scope's own problems are the run's from the start (its ``problem``, the first of
        them): an open period asked for (its invoices are not exported), a customer with no
        export setting. A run with nothing to defer ends at once, "failed" when the scope had
        a problem (issue 21, item 5: never a silent "failed" or "succeeded").
        """
        with self.store.session() as session:
            resolution = resolve(session, scope)
        problems = [Problem.of(m.PERIOD_OPEN, period) for period in resolution.open_periods]
        problems.extend(
            Problem.of(
                m.NO_EXPORT_SETTING,
                nowhere.customer_name,
                nowhere.customer_code,
                invoice=nowhere.number,
            )
            for nowhere in resolution.unrouted
        )
        parts = {part.export.id: part.numbers for part in resolution.parts}
        going = self._going(sorted(parts))
        if going:
            raise Busy(going[0])
        runs = Runs(self.store)
        run_id = runs.start(scope.as_dict(), started_by)
        total = sum(len(numbers) for numbers in parts.values())
        runs.progress(run_id, to_export=total, exported=0, failed=0)
        if problems:
            _note_problem(self.store, run_id, problems[0])
        with self.app.open():
            for export_id, numbers in sorted(parts.items()):
                lock = _lock(export_id)
                for start in range(0, len(numbers), self.chunk):
                    chunk: list[JSONValue] = list(numbers[start : start + self.chunk])
                    self.app.tasks[_CHUNK_TASK].configure(lock=lock).defer(
                        run_id=run_id,
                        export_id=export_id,
                        invoices=chunk,
                        started_by=started_by,
                        total=total,
                    )
                self.app.tasks[_FINISH_TASK].configure(lock=lock).defer(run_id=run_id, total=total)
        if not parts:
            outcome = run_outcome(failed=0, interrupted=0, fatal=None, problems=bool(problems))
            runs.finish(run_id, to_export=0, exported=0, failed=0, outcome=outcome)
        return run_id

    def _going(self, export_ids: list[int]) -> list[int]:
        """The runs that still have jobs waiting or going for any of ``export_ids``."""
        if not export_ids:
            return []
        locks = {_lock(export_id) for export_id in export_ids}
        with opened(self.database_url, make_app) as app:
            jobs = unfinished(app.job_manager)
        runs = {job_run_id(job) for job in jobs if job.lock in locks}
        return sorted(run_id for run_id in runs if run_id is not None)

    def run(self, run_id: int) -> RunView | None:
        """The run's progress and per-invoice results, read from the database."""
        return read_run(self.store, run_id)

    def runs(self, limit: int = 50) -> list[RunView]:
        """The latest runs, newest first."""
        return list_runs(self.store, limit)

    def close(self) -> None:
        """Nothing runs here: the workers go on with the jobs deferred."""


def jobs_for(
    store: Store,
    database_url: str,
    client_factory: MakeClient,
    box: SecretBox | None,
    *,
    source: str = "Opter",
) -> Jobs:
    """The jobs of a deployment: the queue on PostgreSQL (``procountor-export worker``
    processes run the exports), threads of this process on SQLite."""
    if database_url.startswith(("postgresql", "postgres")):
        return QueueJobs(store, database_url)
    return InProcessJobs(store, client_factory, box, source=source)


# --- the worker side --------------------------------------------------------------------------


@dataclass
class _Context:
    """What a worker process's jobs share: the store, the key box, the clients' factory, and
    the export engine made of them."""

    settings: Settings
    store: Store
    box: SecretBox | None
    factory: ClientFactory
    exporter: Exporter


_context: _Context | None = None
_context_lock = threading.Lock()


def _worker_context() -> _Context:
    """The worker process's context, built once from the settings (environment)."""
    global _context
    with _context_lock:
        if _context is None:
            settings = load_settings()
            try:
                key = settings.secret_key.get_secret_value() if settings.secret_key else None
                box: SecretBox | None = SecretBox(load_key(key, settings.key_file))
            except SecretKeyError:
                box = None  # keys from environment variables still work
            store = Store.open(settings.database_url)
            factory = ClientFactory(settings)
            exporter = Exporter(
                store,
                client_factory=factory,
                box=box,
                options=ExportOptions(source=settings.source_system),
            )
            _context = _Context(settings, store, box, factory, exporter)
        return _context


def export_chunk(
    run_id: int, export_id: int, invoices: list[str], started_by: str, total: int
) -> None:
    """One chunk of one company's invoices, exported under the run's id.

    Its invoices are added to the run's counts as they finish (an additive
    :class:`~procountor_export.export.DatabaseProgress`: the workers' chunks
    add up),
    and when it ends, those it found already exported move from ``to_export`` to ``skipped``.
    """
    context = _worker_context()
    progress = DatabaseProgress(Runs(context.store), run_id, additive=True)
    try:
        summary = context.exporter.export(
            Scope(invoices=tuple(invoices)),
            started_by=started_by,
            progress=progress,
            run_id=run_id,
            memo=StoredMemo(context.store, run_id),
            end=False,  # a chunk is not the run: the run ends with its last finish_run
        )
    finally:
        progress.close()  # its counts are in before the next job reads or sets them
    with context.store.session() as session:
        # One UPDATE of the row's own values: another worker may be adding to it right now.
        values: dict[str, Any] = {
            "to_export": ExportRun.to_export - summary.already_exported - len(summary.busy),
            "skipped": ExportRun.skipped + summary.already_exported,
        }
        if summary.fatal is not None:
            values["problem"] = summary.fatal.to_data()  # what stopped the chunk stops the run
        session.execute(update(ExportRun).where(ExportRun.id == run_id).values(**values))


def finish_run(run_id: int, total: int) -> None:
    """After a company's chunks: the run's end once no chunk is left anywhere (its exact
    counts from the journal); while other companies' chunks go, their workers count on."""
    context = _worker_context()
    with opened(context.settings.database_url, make_app) as app:
        chunks = unfinished(app.job_manager, task=_CHUNK_TASK)
    if any(job_run_id(job) == run_id for job in chunks):
        return
    _record_progress(context.store, run_id, total, finished=True)
    forget_run(context.store, run_id)


def _note_problem(store: Store, run_id: int, problem: Problem) -> None:
    """Record ``problem`` as the run's (``export_runs.problem``)."""
    with store.session() as session:
        session.get_one(ExportRun, run_id).problem = problem.to_data()


def _record_progress(
    store: Store, run_id: int, total: int, *, finished: bool, problem: Problem | None = None
) -> None:
    """The run's counts from the journal (whichever worker did which chunk), the problem that
    stopped a chunk if one did, and, once ``finished``, its outcome and end.

    ``total`` is the invoice × export pairs the run was started with: ``to_export`` becomes
    those the run exported or failed, never more than ``total`` (the others were exported
    already, or left to another run). Only for a run no worker is adding to any more: the
    journal's counts replace what the workers added (a chunk exported again after its worker
    stopped added its invoices twice).
    """
    with store.session() as session:
        counts: Mapping[JournalState, int] = dict(
            session.execute(
                select(JournalEntry.state, func.count())
                .where(JournalEntry.run_id == run_id)
                .group_by(JournalEntry.state)
            ).all()
        )
        run = session.get_one(ExportRun, run_id)
        if problem is not None:
            run.problem = problem.to_data()
        run.exported = counts.get(JournalState.EXPORTED, 0)
        run.failed = counts.get(JournalState.FAILED, 0)
        run.to_export = min(total, run.exported + run.failed)
        if finished:
            # "interrupted" when every failed invoice failed only because Procountor failed
            # for a while (the next run finishes them), "failed" when any failed on its data,
            # or the scope had a problem (an open period), "aborted" when a problem stopped it.
            interrupted = interrupted_counts(session, [run_id]).get(run_id, 0)
            recorded = Problem.from_data(run.problem) if run.problem else None
            scoped = recorded is not None and recorded.code in SCOPE_PROBLEMS
            run.outcome = run_outcome(
                failed=run.failed,
                interrupted=interrupted,
                fatal=None if scoped else recorded,
                problems=scoped,
            )
            if run.finished_at is None:
                run.finished_at = now()
        else:
            run.finished_at = None
            run.outcome = None
    if finished:
        EXPORT_LOG.info(
            "export run %s finished by the queue: %s exported, %s failed",
            run_id,
            counts.get(JournalState.EXPORTED, 0),
            counts.get(JournalState.FAILED, 0),
        )


def run_worker(database_url: str, concurrency: int = 1, *, wait: bool = True) -> None:
    """Work the export queue until stopped (SIGINT/SIGTERM end it after the jobs going)."""
    ensure_schema(database_url)
    app = make_app(database_url)
    app.run_worker(queues=[QUEUE], concurrency=concurrency, wait=wait)
