"""A progress listener that writes a run's counts into its ``export_runs`` row as it goes.

Two ways of writing, for the two ways a run goes:

- **whole** (the in-process runner: one process exports the whole run): the counts are the
  run's, written as they are;
- **additive** (the queue: each worker exports a chunk of the run, several at once): each
  writes what it added since its last write, ``exported = exported + n`` in one UPDATE, so the
  counts of all workers add up whoever writes when, and a read costs one row whatever the
  run's size. The run's last job sets the exact counts from the journal at the end
  (:func:`~procountor_export.jobs.queue.finish_run`).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from sqlalchemy import update

from procountor_export.export.reporting.progress import InvoiceOutcome, RunSummary
from procountor_export.logs import EXPORT_LOG
from procountor_export.store.models import ExportRun, JournalState
from procountor_export.store.runs import Runs

# Seconds between two writes: often enough for a progress bar, rare enough for the database.
INTERVAL = 0.5


class DatabaseProgress:
    """Keeps ``exported`` and ``failed`` of a running run up to date, at most every
    ``interval`` seconds (and ``to_export`` from :meth:`started`, unless ``additive``).

    Invoices finish in bursts (a chunk is completed at once): the first of a burst is written
    at once when the last write is old enough, and the rest by a trailing write ``interval``
    later, so the counts never wait for the next burst. Called from the sender's threads, so
    the counts are kept under a lock. A whole run's last counts are written by the run itself
    when it finishes (``Runs.finish``); an additive listener's by :meth:`close`.
    """

    def __init__(
        self,
        runs: Runs,
        run_id: int,
        *,
        interval: float = INTERVAL,
        clock: Callable[[], float] = time.monotonic,
        additive: bool = False,
    ) -> None:
        self.runs = runs
        self.run_id = run_id
        self.interval = interval
        self.clock = clock
        self.additive = additive
        self.exported = 0
        self.failed = 0
        self._written = (0, 0)  # the counts the row holds from this listener
        self._last = float("-inf")
        self._lock = threading.Lock()
        self._trailing: threading.Timer | None = None

    def started(self, total: int) -> None:
        """The run knows how many invoices it will export (an additive listener's run was
        given its total when it was started: a chunk's is not the run's)."""
        with self._lock:
            if not self.additive:
                self.runs.progress(self.run_id, to_export=total, exported=0, failed=0)
                self._written = (0, 0)
            self._last = self.clock()

    def advanced(self, outcome: InvoiceOutcome) -> None:
        """One invoice done: count it; write the counts when the last write is old enough,
        else a moment later (see the class)."""
        with self._lock:
            if outcome.state is JournalState.EXPORTED:
                self.exported += 1
            else:
                self.failed += 1
            waited = self.clock() - self._last
            if waited >= self.interval:
                self._write()
            elif self._trailing is None:
                self._trailing = threading.Timer(self.interval - waited, self._trail)
                self._trailing.daemon = True
                self._trailing.start()

    def finished(self, summary: RunSummary) -> None:
        """The run ended and wrote its final counts: no trailing write after them."""
        with self._lock:
            self._cancel()

    def close(self) -> None:
        """Write what is not written yet, now (a queue's chunk ends: its counts are in before
        the next job reads or sets them)."""
        with self._lock:
            self._cancel()
            self._write()

    def _trail(self) -> None:
        with self._lock:
            if self._trailing is None:  # cancelled meanwhile
                return
            self._trailing = None
            try:
                self._write()
            except Exception:  # a missed write only delays the counts: the next one has them
                EXPORT_LOG.warning("run %s: its progress could not be written", self.run_id)

    def _cancel(self) -> None:
        if self._trailing is not None:
            self._trailing.cancel()
            self._trailing = None

    def _write(self) -> None:
        """Write the counts (the caller holds the lock); a trailing write is then not needed."""
        self._cancel()
        counts = (self.exported, self.failed)
        self._last = self.clock()
        if counts == self._written:
            return
        if self.additive:
            exported, failed = counts[0] - self._written[0], counts[1] - self._written[1]
            with self.runs.store.session() as session:
                session.execute(
                    update(ExportRun)
                    .where(ExportRun.id == self.run_id)
                    .values(
                        exported=ExportRun.exported + exported, failed=ExportRun.failed + failed
                    )
                )
        else:
            self.runs.progress(self.run_id, exported=counts[0], failed=counts[1])
        self._written = counts
