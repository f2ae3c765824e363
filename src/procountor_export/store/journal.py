"""The export journal: one row per invoice × export definition, and its one state machine.

Run records are in :mod:`.runs`, the claims that keep two runs off one row in :mod:`.claims`.

Each write is its own committed transaction, so whatever happens next (a crash, a killed
process, a lost connection) the journal shows the last step that was started. Every change of
a row's state goes through the typed transitions below, checked against :data:`ALLOWED`; an
illegal one raises :class:`IllegalTransition` instead of writing. The states::

                 begin(step)                  exported()
    PENDING ──────────────────▶ INFLIGHT ─────────────────────▶ EXPORTED   (final)
       │                        │  ▲  │ begin(next step),
       │ failed()               │  │  │ record_remote(), record_attachment()
       │                        │  └──┘
       ▼           failed()     ▼
     FAILED ◀──────────────────────
       │  ▲
       │  └── failed() again (a check still fails before anything is written)
       └───── begin(step): tried again by a later run ──▶ INFLIGHT

INFLIGHT is recorded *before* each write to Procountor (the invoice POST, the coding PUT, the
attachment, the approval): a write may have happened, so the next run looks the invoice up by
its TMS number and adopts it (when it is provably ours) instead of posting it again. The step
(:class:`Step`) says which write was last started.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, object_session

from procountor_export.store.db import Store, now
from procountor_export.store.journal_events import JournalEvent
from procountor_export.store.models import JournalEntry, JournalState


class Problem(Protocol):
    """What the journal keeps of a problem: its code and its data (the engine's ``Problem``
    is one; the store only stores it, it never renders or interprets it)."""

    @property
    def code(self) -> str:
        """The catalogue code."""
        ...

    def to_data(self) -> dict[str, Any]:
        """The problem as JSON-ready data."""
        ...


class Step(enum.StrEnum):
    """The write an INFLIGHT row last started (or, once EXPORTED, ``DONE``)."""

    CREATE_INVOICE = "create_invoice"  # the invoice POST is about to be sent
    CREATED = "created"  # the POST answered: Procountor ids recorded
    ADOPTED = "adopted"  # an earlier run's invoice, provably ours, recorded
    CORRECT_CODING = "correct_coding"  # the ledger receipt PUT
    ATTACH_PDF = "attach_pdf"  # the PDF copy's POST
    ATTACHED = "attached"  # the PDF copy's id recorded
    APPROVE = "approve"
    SEND = "send"
    DONE = "done"


# Which state may follow which. EXPORTED is final: nothing is ever sent twice.
ALLOWED: dict[JournalState, frozenset[JournalState]] = {
    JournalState.PENDING: frozenset({JournalState.INFLIGHT, JournalState.FAILED}),
    JournalState.INFLIGHT: frozenset(
        {JournalState.INFLIGHT, JournalState.EXPORTED, JournalState.FAILED}
    ),
    JournalState.FAILED: frozenset({JournalState.INFLIGHT, JournalState.FAILED}),
    JournalState.EXPORTED: frozenset(),
}


class IllegalTransition(RuntimeError):
    """A journal write that the state machine does not allow (a bug, never user data)."""

    def __init__(self, entry_id: int, current: JournalState, wanted: JournalState) -> None:
        super().__init__(
            f"journal row {entry_id}: {current.value} -> {wanted.value} is not allowed"
        )
        self.entry_id = entry_id
        self.current = current
        self.wanted = wanted


@dataclass(frozen=True)
class EntryView:
    """A journal row's state, detached from any session."""

    id: int
    invoice_id: int
    export_id: int
    state: JournalState
    procountor_invoice_id: int | None


class Journal:
    """Reads and writes journal rows, one short transaction per write; every change of state
    goes through the state machine below."""

    def __init__(self, store: Store) -> None:
        self.store = store

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
        for chunk in chunks(invoice_ids, 500):
            query = select(JournalEntry).where(JournalEntry.invoice_id.in_(chunk))
            for entry in session.scalars(query):
                key = (entry.invoice_id, entry.export_id)
                if key in wanted:
                    result[key] = _view(entry)
        return result

    def exported_pairs(self, pairs: Sequence[tuple[int, int]]) -> set[tuple[int, int]]:
        """The (invoice id, export id) pairs already EXPORTED (read only)."""
        with self.store.session() as session:
            found = self._select(session, set(pairs))
        return {key for key, view in found.items() if view.state is JournalState.EXPORTED}

    # --- the state machine: every change of a row's state goes through here ---------------

    @staticmethod
    def _move(
        entry: JournalEntry,
        wanted: JournalState,
        step: Step | None,
        run_id: int | None,
        problems: Sequence[Problem] = (),
    ) -> None:
        """Check ``entry``'s move to ``wanted`` against :data:`ALLOWED`, stamp it, and add the
        move to the row's history (:class:`JournalEvent`) in the same transaction."""
        if wanted not in ALLOWED[entry.state]:
            raise IllegalTransition(entry.id, entry.state, wanted)
        if _new_attempt(entry, wanted, run_id):
            entry.attempts += 1
        entry.state = wanted
        if step is not None:
            entry.step = step.value
        if run_id is not None:
            entry.run_id = run_id
        entry.updated_at = now()
        session = object_session(entry)
        assert session is not None  # rows are always read in the writing session
        session.add(
            JournalEvent(
                entry_id=entry.id,
                run_id=entry.run_id,
                at=entry.updated_at,
                state=wanted.value,
                step=entry.step,
                problems=[problem.to_data() for problem in problems] or None,
            )
        )

    def begin(self, entry_id: int, step: Step, run_id: int) -> None:
        """INFLIGHT at ``step``: recorded *before* the write that step makes."""
        with self.store.session() as session:
            self._move(session.get_one(JournalEntry, entry_id), JournalState.INFLIGHT, step, run_id)

    def record_remote(
        self,
        entry_id: int,
        *,
        step: Step,
        invoice_id: int | None,
        invoice_number: int | None,
        ledger_receipt_id: int | None,
        partner_id: int | None,
        run_id: int,
        bank_reference: str | None = None,
    ) -> None:
        """The Procountor invoice this row now stands for (created, or adopted as ours), with
        the payment reference Procountor holds for it (the TMS's, or the one it made)."""
        if step not in (Step.CREATED, Step.ADOPTED):
            raise ValueError(f"record_remote takes CREATED or ADOPTED, not {step}")
        with self.store.session() as session:
            entry = session.get_one(JournalEntry, entry_id)
            self._move(entry, JournalState.INFLIGHT, step, run_id)
            entry.procountor_invoice_id = invoice_id
            entry.procountor_invoice_number = invoice_number
            entry.ledger_receipt_id = ledger_receipt_id
            entry.partner_id = partner_id
            entry.bank_reference = bank_reference or None

    def record_attachment(self, entry_id: int, attachment_id: int, run_id: int) -> None:
        """The PDF copy attached to the row's Procountor invoice (never attached twice)."""
        with self.store.session() as session:
            entry = session.get_one(JournalEntry, entry_id)
            self._move(entry, JournalState.INFLIGHT, Step.ATTACHED, run_id)
            entry.attachment_id = attachment_id

    def mark_exported(self, entry_id: int, warnings: Sequence[Problem], run_id: int) -> None:
        """EXPORTED, final; its warnings (a PDF that could not be attached …) are kept."""
        with self.store.session() as session:
            entry = session.get_one(JournalEntry, entry_id)
            self._move(entry, JournalState.EXPORTED, Step.DONE, run_id)
            entry.error_code = None
            entry.problems = None
            entry.warnings = [warning.to_data() for warning in warnings]
            entry.exported_at = entry.updated_at

    def mark_failed(
        self,
        entry_ids: Iterable[int],
        problems: Sequence[Problem],
        run_id: int | None,
        warnings: Sequence[Problem] | None = None,
    ) -> None:
        """FAILED with its problems as data (kept until the next attempt); the step stays the
        one that failed, so the next run knows what may have reached Procountor."""
        with self.store.session() as session:
            for entry_id in entry_ids:
                entry = session.get_one(JournalEntry, entry_id)
                self._move(entry, JournalState.FAILED, None, run_id, problems)
                entry.error_code = problems[0].code if problems else None
                entry.problems = [problem.to_data() for problem in problems]
                if warnings is not None:
                    entry.warnings = [warning.to_data() for warning in warnings]


def _new_attempt(entry: JournalEntry, wanted: JournalState, run_id: int | None) -> bool:
    """Whether moving ``entry`` to ``wanted`` begins a new attempt to export it.

    ``attempts`` counts the runs that took the invoice up, however far each got: a check that
    failed before anything was sent counts as much as a POST Procountor refused. So two
    failures and a success are three attempts. A move starts one when the row was waiting
    (PENDING), when a FAILED row is tried again, or when a later run takes up a row an
    earlier one left (``run_id`` differs); the further moves of the same run belong to its
    attempt.
    """
    later_run = run_id is not None and run_id != entry.run_id
    if entry.state is JournalState.PENDING:
        return True
    if entry.state is JournalState.FAILED:
        return wanted is JournalState.INFLIGHT or later_run
    return later_run


def _view(entry: JournalEntry) -> EntryView:
    return EntryView(
        id=entry.id,
        invoice_id=entry.invoice_id,
        export_id=entry.export_id,
        state=entry.state,
        procountor_invoice_id=entry.procountor_invoice_id,
    )


def chunks(values: Sequence[int], size: int) -> Iterable[Sequence[int]]:
    """``values`` in slices of at most ``size`` (an ``IN (...)`` list each)."""
    for start in range(0, len(values), size):
        yield values[start : start + size]
