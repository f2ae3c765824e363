"""The export journal: one row per invoice × export definition, written around every step.

Each write is its own committed transaction, so whatever happens next (a crash, a killed
process, a lost connection) the journal shows the last step that was started. INFLIGHT is
recorded *before* the invoice is posted; the next run sees it and looks the invoice up in
Procountor by its TMS number instead of posting it again.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from procountor_export.store.db import Store
from procountor_export.store.models import ExportRun, JournalEntry, JournalState


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
    step: str | None
    procountor_invoice_id: int | None
    ledger_receipt_id: int | None


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
        """The rows of (invoice id, export id) pairs, creating PENDING rows where missing."""
        wanted = set(pairs)
        result: dict[tuple[int, int], EntryView] = {}
        with self.store.session() as session:
            invoice_ids = sorted({invoice_id for invoice_id, _ in wanted})
            for chunk in _chunks(invoice_ids, 500):
                query = select(JournalEntry).where(JournalEntry.invoice_id.in_(chunk))
                for entry in session.scalars(query):
                    key = (entry.invoice_id, entry.export_id)
                    if key in wanted:
                        result[key] = _view(entry)
            missing = [key for key in pairs if key not in result]
            created = []
            stamp = now()
            for invoice_id, export_id in missing:
                entry = JournalEntry(
                    invoice_id=invoice_id,
                    export_id=export_id,
                    state=JournalState.PENDING,
                    attempts=0,
                    warnings=[],
                    run_id=run_id,
                    created_at=stamp,
                    updated_at=stamp,
                )
                session.add(entry)
                created.append(entry)
            session.flush()
            for entry in created:
                result[(entry.invoice_id, entry.export_id)] = _view(entry)
        return result

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
        step=entry.step,
        procountor_invoice_id=entry.procountor_invoice_id,
        ledger_receipt_id=entry.ledger_receipt_id,
    )


def _chunks(values: Sequence[int], size: int) -> Iterable[Sequence[int]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]
