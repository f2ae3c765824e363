"""The export journal: one row per invoice × export definition, written around every step.

Each write is its own committed transaction, so whatever happens next (a crash, a killed
process, a lost connection) the journal shows the last step that was started. INFLIGHT is
recorded *before* the invoice is posted; the next run sees it and looks the invoice up in
Procountor by its TMS number instead of posting it again.
"""

from __future__ import annotations

import os
import socket
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from procountor_export.store.db import Store
from procountor_export.store.models import ExportRun, JournalEntry, JournalState

# How long a run's claim on journal rows holds without being renewed. A running export renews
# its claims every CLAIM_RENEWAL; a claim older than the lease belongs to a run that died on
# another host (a dead run on this host is recognised at once by its process id).
CLAIM_LEASE = timedelta(minutes=2)
CLAIM_RENEWAL = timedelta(seconds=30)


def claim_owner(run_id: int) -> str:
    """The owner name of a run's claims: host, process id and run id."""
    return f"{socket.gethostname()}:{os.getpid()}:run-{run_id}"


def _dead_here(owner: str) -> bool:
    """Whether ``owner`` names a process on this host that no longer runs."""
    host, _, rest = owner.partition(":")
    pid_text = rest.partition(":")[0]
    if host != socket.gethostname() or not pid_text.isdigit():
        return False
    try:
        os.kill(int(pid_text), 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # alive, owned by someone else
        return False
    return False


def now() -> datetime:
    """The current time in UTC, without a zone (as the store keeps it)."""
    return datetime.now(UTC).replace(tzinfo=None)


@dataclass(frozen=True)
class EntryView:
    """A journal row's state, detached from any session."""

    id: int
    invoice_id: int
    export_id: int
    state: JournalState
    procountor_invoice_id: int | None


class Journal:
    """Reads and writes journal rows and export runs, one short transaction per write."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def start_run(self, scope: dict[str, Any], started_by: str, *, dry_run: bool = False) -> int:
        """Record a new export run and return its id."""
        with self.store.session() as session:
            run = ExportRun(scope=scope, started_by=started_by, started_at=now(), dry_run=dry_run)
            session.add(run)
            session.flush()
            return run.id

    def finish_run(self, run_id: int, **counts: Any) -> None:
        """Record a run's end: counts, outcome and message."""
        with self.store.session() as session:
            run = session.get_one(ExportRun, run_id)
            for name, value in counts.items():
                setattr(run, name, value)
            run.finished_at = now()

    def entries(
        self, pairs: Sequence[tuple[int, int]], run_id: int | None
    ) -> dict[tuple[int, int], EntryView]:
        """The rows of (invoice id, export id) pairs, creating PENDING rows where missing.

        Rows are inserted with ON CONFLICT DO NOTHING: two runs starting together may both
        find a row missing, and both must end up with the one row.
        """
        wanted = set(pairs)
        with self.store.session() as session:
            found = self._select(session, wanted)
            missing = [key for key in pairs if key not in found]
            if missing:
                stamp = now()
                rows: list[dict[str, Any]] = [
                    {
                        "invoice_id": invoice_id,
                        "export_id": export_id,
                        "state": JournalState.PENDING,
                        "attempts": 0,
                        "warnings": [],
                        "run_id": run_id,
                        "created_at": stamp,
                        "updated_at": stamp,
                    }
                    for invoice_id, export_id in missing
                ]
                sqlite = session.get_bind().dialect.name == "sqlite"
                insert = sqlite_insert if sqlite else pg_insert
                for start in range(0, len(rows), 500):
                    statement = insert(JournalEntry).values(rows[start : start + 500])
                    session.execute(
                        statement.on_conflict_do_nothing(index_elements=["invoice_id", "export_id"])
                    )
                found.update(self._select(session, set(missing)))
        return found

    @staticmethod
    def _select(session: Session, wanted: set[tuple[int, int]]) -> dict[tuple[int, int], EntryView]:
        result: dict[tuple[int, int], EntryView] = {}
        invoice_ids = sorted({invoice_id for invoice_id, _ in wanted})
        for chunk in _chunks(invoice_ids, 500):
            query = select(JournalEntry).where(JournalEntry.invoice_id.in_(chunk))
            for entry in session.scalars(query):
                key = (entry.invoice_id, entry.export_id)
                if key in wanted:
                    result[key] = _view(entry)
        return result

    def exported(self, pairs: Sequence[tuple[int, int]]) -> set[tuple[int, int]]:
        """The (invoice id, export id) pairs already EXPORTED (read only)."""
        with self.store.session() as session:
            found = self._select(session, set(pairs))
        return {key for key, view in found.items() if view.state is JournalState.EXPORTED}

    def claim(self, entry_ids: Sequence[int], owner: str) -> set[int]:
        """Claim rows for ``owner``; return the ids it holds (now or already).

        A row held by another live run is left alone, so two runs started at the same time
        never both send the same invoice; a claim past :data:`CLAIM_LEASE` is taken over (its
        run died). One conditional UPDATE per batch: atomic on SQLite and PostgreSQL alike.
        """
        held: set[int] = set()
        stamp = now()
        with self.store.session() as session:
            for chunk in _chunks(list(entry_ids), 500):
                others = session.scalars(
                    select(JournalEntry.claimed_by)
                    .where(JournalEntry.id.in_(chunk), JournalEntry.claimed_by.is_not(None))
                    .distinct()
                )
                dead = [other for other in others if other and _dead_here(other)]
                session.execute(
                    update(JournalEntry)
                    .where(JournalEntry.id.in_(chunk))
                    .where(
                        or_(
                            JournalEntry.claimed_by.is_(None),
                            JournalEntry.claimed_by == owner,
                            JournalEntry.claimed_by.in_(dead),
                            JournalEntry.updated_at < stamp - CLAIM_LEASE,
                        )
                    )
                    .values(claimed_by=owner, updated_at=stamp)
                )
                query = select(JournalEntry.id).where(
                    JournalEntry.id.in_(chunk), JournalEntry.claimed_by == owner
                )
                held.update(session.scalars(query))
        return held

    def renew(self, owner: str) -> None:
        """Renew every claim of ``owner`` (the run is still alive)."""
        with self.store.session() as session:
            session.execute(
                update(JournalEntry)
                .where(JournalEntry.claimed_by == owner)
                .values(updated_at=now())
            )

    def release(self, owner: str) -> None:
        """Give up every claim of ``owner`` (at the end of its run)."""
        with self.store.session() as session:
            session.execute(
                update(JournalEntry).where(JournalEntry.claimed_by == owner).values(claimed_by=None)
            )

    def update(self, entry_id: int, **fields: Any) -> None:
        """Change a row's fields (state, step, ids, error, warnings) and stamp it."""
        with self.store.session() as session:
            entry = session.get_one(JournalEntry, entry_id)
            for name, value in fields.items():
                setattr(entry, name, value)
            entry.updated_at = now()
            if fields.get("state") is JournalState.EXPORTED:
                entry.exported_at = entry.updated_at

    def begin_step(self, entry_id: int, step: str, run_id: int) -> None:
        """Mark a row INFLIGHT at ``step`` (before the write that step makes)."""
        with self.store.session() as session:
            entry = session.get_one(JournalEntry, entry_id)
            if entry.state is not JournalState.INFLIGHT:
                entry.attempts += 1
            entry.state = JournalState.INFLIGHT
            entry.step = step
            entry.run_id = run_id
            entry.updated_at = now()

    def fail(self, entry_ids: Iterable[int], code: str, message: str, run_id: int | None) -> None:
        """Mark rows FAILED with the user's message (kept until the next attempt)."""
        with self.store.session() as session:
            stamp = now()
            for entry_id in entry_ids:
                entry = session.get_one(JournalEntry, entry_id)
                entry.state = JournalState.FAILED
                entry.error_code = code
                entry.error_message = message
                entry.run_id = run_id
                entry.updated_at = stamp


def _view(entry: JournalEntry) -> EntryView:
    return EntryView(
        id=entry.id,
        invoice_id=entry.invoice_id,
        export_id=entry.export_id,
        state=entry.state,
        procountor_invoice_id=entry.procountor_invoice_id,
    )


def _chunks(values: Sequence[int], size: int) -> Iterable[Sequence[int]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


class ClaimKeeper:
    """Renews a run's claims in the background while the run goes on (a context manager)."""

    def __init__(self, journal: Journal, owner: str, interval: timedelta = CLAIM_RENEWAL) -> None:
        self.journal = journal
        self.owner = owner
        self.interval = interval.total_seconds()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="claim-keeper", daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.journal.renew(self.owner)
            except Exception:  # a missed renewal only shortens the lease; the run goes on
                continue

    def __enter__(self) -> ClaimKeeper:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self.journal.release(self.owner)
