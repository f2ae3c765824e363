"""Export run records (``export_runs``): one per run or check, its counts as it goes, its end.

Each write is its own short transaction, so whoever reads a run (the window's bar, the REST
API, ``status``) sees its counts move while it goes.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from sqlalchemy import update

from procountor_export.store.db import Store, now
from procountor_export.store.models import ExportRun


class RunOutcome(StrEnum):
    """How a run ended, as its record keeps it (``export_runs.outcome``).

    Each member's name is its value, so any driver stores the same string (psycopg dumps an
    enum by its name).
    """

    succeeded = "succeeded"  # nothing failed
    interrupted = "interrupted"  # only Procountor failing for a while: the next run finishes
    failed = "failed"  # an invoice failed on its data, or the scope had a problem
    aborted = "aborted"  # a problem stopped the run (credentials, rights, the API root)
    error = "error"  # the run itself crashed (an unexpected exception)


class Runs:
    """Records export runs: start, progress while going, end."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def start(self, scope: dict[str, Any], started_by: str, *, dry_run: bool = False) -> int:
        """Record a new export run and return its id."""
        with self.store.session() as session:
            run = ExportRun(scope=scope, started_by=started_by, started_at=now(), dry_run=dry_run)
            session.add(run)
            session.flush()
            return run.id

    def finish(
        self,
        run_id: int,
        *,
        outcome: RunOutcome,
        to_export: int | None = None,
        exported: int | None = None,
        failed: int | None = None,
        skipped: int | None = None,
        problem: dict[str, Any] | None = None,
    ) -> None:
        """Record a run's end: its outcome, its counts (``None`` leaves a count as it is) and
        the problem that stopped it or its scope's first problem (as data)."""
        counts = {
            "to_export": to_export,
            "exported": exported,
            "failed": failed,
            "skipped": skipped,
        }
        with self.store.session() as session:
            run = session.get_one(ExportRun, run_id)
            for name, value in counts.items():
                if value is not None:
                    setattr(run, name, value)
            run.outcome = outcome.value
            if problem is not None:
                run.problem = problem
            run.finished_at = now()

    def progress(
        self,
        run_id: int,
        *,
        to_export: int | None = None,
        exported: int | None = None,
        failed: int | None = None,
    ) -> None:
        """Record how far a run that is still going has come (``None`` leaves a count as is)."""
        counts = {"to_export": to_export, "exported": exported, "failed": failed}
        values = {name: value for name, value in counts.items() if value is not None}
        if not values:
            return
        with self.store.session() as session:
            session.execute(update(ExportRun).where(ExportRun.id == run_id).values(**values))
