"""How a run's counts reach its record while it goes (reporting.run_record.DatabaseProgress).

Invoices finish in bursts (a chunk at a time): the burst's last counts must reach the record
without waiting for the next burst. On the queue several workers add to one run's counts.
"""

from __future__ import annotations

import time

from procountor_export.export.reporting.progress import InvoiceOutcome
from procountor_export.export.reporting.run_record import DatabaseProgress
from procountor_export.jobs import read_run
from procountor_export.store.db import Store
from procountor_export.store.journal import Journal
from procountor_export.store.models import JournalState
from procountor_export.store.runs import Runs


def _outcome(number: str, state: JournalState = JournalState.EXPORTED) -> InvoiceOutcome:
    return InvoiceOutcome(number, "Procountor", state)


def _counts(store: Store, run_id: int) -> tuple[int, int, int]:
    view = read_run(store, run_id, with_invoices=False)
    assert view is not None
    return view.to_export, view.exported, view.failed


def test_a_burst_is_written_whole_without_waiting_for_the_next(sqlite_store: Store) -> None:
    journal = Journal(sqlite_store)
    run_id = Runs(journal.store).start({"all": True}, "web")
    progress = DatabaseProgress(Runs(journal.store), run_id, interval=0.2)
    progress.started(5)
    for number in ("1", "2", "3"):  # a chunk completed at once, just after the start
        progress.advanced(_outcome(number))
    assert _counts(sqlite_store, run_id) == (5, 0, 0)  # too soon after the last write
    deadline = time.monotonic() + 30  # a hang, not a speed bound
    while _counts(sqlite_store, run_id) != (5, 3, 0):
        assert time.monotonic() < deadline, "the burst's counts were never written"
        time.sleep(0.05)
    progress.advanced(_outcome("4", JournalState.FAILED))
    progress.close()
    assert _counts(sqlite_store, run_id) == (5, 3, 1)


def test_workers_add_their_counts_to_the_run(sqlite_store: Store) -> None:
    journal = Journal(sqlite_store)
    run_id = Runs(journal.store).start({"all": True}, "api:tms")
    Runs(journal.store).progress(run_id, to_export=10, exported=0, failed=0)
    first = DatabaseProgress(Runs(journal.store), run_id, additive=True)
    second = DatabaseProgress(Runs(journal.store), run_id, additive=True)
    for listener in (first, second):
        listener.started(5)  # a chunk's total is not the run's
    first.advanced(_outcome("1"))
    second.advanced(_outcome("6"))
    second.advanced(_outcome("7", JournalState.FAILED))
    first.advanced(_outcome("2"))
    first.close()
    second.close()  # each wrote what it counted: the run's record holds their sum
    assert _counts(sqlite_store, run_id) == (10, 3, 1)
    second.advanced(_outcome("8"))
    second.close()  # only what it added since its last write
    assert _counts(sqlite_store, run_id) == (10, 4, 1)
