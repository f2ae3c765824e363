"""A progress listener that writes a run's counts into its ``export_runs`` row as it goes."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from procountor_export.export.reporting.progress import InvoiceOutcome, RunSummary
from procountor_export.export.sending.journal import Journal
from procountor_export.store.models import JournalState

# Seconds between two writes: often enough for a progress bar, rare enough for the database.
INTERVAL = 0.5


class DatabaseProgress:
    """Keeps ``to_export``, ``exported`` and ``failed`` of a running run up to date (throttled).

    Called from the sender's threads, so the counts are kept under a lock; the last counts are
    written by the run itself when it finishes (``Journal.finish_run``).
    """

    def __init__(
        self,
        journal: Journal,
        run_id: int,
        *,
        interval: float = INTERVAL,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.journal = journal
        self.run_id = run_id
        self.interval = interval
        self.clock = clock
        self.exported = 0
        self.failed = 0
        self._last = float("-inf")
        self._lock = threading.Lock()

    def started(self, total: int) -> None:
        """The run knows how many invoices it will export."""
        with self._lock:
            self.journal.run_progress(self.run_id, to_export=total, exported=0, failed=0)
            self._last = self.clock()

    def advanced(self, outcome: InvoiceOutcome) -> None:
        """One invoice done: count it, write the counts when the last write is old enough."""
        with self._lock:
            if outcome.state is JournalState.EXPORTED:
                self.exported += 1
            else:
                self.failed += 1
            if self.clock() - self._last >= self.interval:
                self.journal.run_progress(self.run_id, exported=self.exported, failed=self.failed)
                self._last = self.clock()

    def finished(self, summary: RunSummary) -> None:
        """Nothing to do: the run wrote its final counts."""
