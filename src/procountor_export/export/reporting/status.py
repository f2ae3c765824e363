"""Where each invoice of a scope stands with each export (``status``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from procountor_export.export.messages import Messages
from procountor_export.export.problems import Problem
from procountor_export.export.reading.scope import Routes, Scope, select_invoices
from procountor_export.store.journal_events import JournalEvent
from procountor_export.store.models import ExportDefinition, JournalEntry


@dataclass(frozen=True)
class StatusRow:
    """One invoice × export: journal state, Procountor ids and reference, error, warnings."""

    invoice: str
    period: str
    customer: str
    export: str | None
    state: str
    step: str | None
    procountor_invoice_id: int | None
    procountor_invoice_number: int | None
    ledger_receipt_id: int | None
    # The payment reference Procountor holds (the TMS's, or the one Procountor made).
    bank_reference: str | None
    attempts: int
    errors: list[Problem]
    warnings: list[Problem]
    updated_at: datetime | None

    def error(self, messages: Messages) -> str | None:
        """The row's errors as one text (``None`` when it has none)."""
        if not self.errors:
            return None
        return "\n".join(messages.text(problem) for problem in self.errors)

    def warning_texts(self, messages: Messages) -> list[str]:
        """The row's warnings as text."""
        return [messages.text(warning) for warning in self.warnings]

    def as_dict(self, messages: Messages) -> dict[str, Any]:
        """JSON form (``status --json``): the words, and the problems as data beside them."""
        return {
            "invoice": self.invoice,
            "period": self.period,
            "customer": self.customer,
            "export": self.export,
            "state": self.state,
            "step": self.step,
            "procountor_invoice_id": self.procountor_invoice_id,
            "procountor_invoice_number": self.procountor_invoice_number,
            "bank_reference": self.bank_reference,
            "ledger_receipt_id": self.ledger_receipt_id,
            "attempts": self.attempts,
            "error": self.error(messages),
            "errors": [messages.as_dict(problem) for problem in self.errors],
            "warnings": self.warning_texts(messages),
            "updated_at": self.updated_at.isoformat() if self.updated_at else None,
        }


def status(session: Session, scope: Scope) -> list[StatusRow]:
    """A row per invoice and export it goes to; ``NEW`` where nothing was tried yet.

    Unlike an export, the status of an open period is shown too (nothing is sent).
    """
    invoices = select_invoices(session, scope, whole_periods_closed=False).invoices
    ids = [invoice.id for invoice in invoices]
    entries: dict[int, list[JournalEntry]] = {}
    for start in range(0, len(ids), 500):
        query = select(JournalEntry).where(JournalEntry.invoice_id.in_(ids[start : start + 500]))
        for entry in session.scalars(query):
            entries.setdefault(entry.invoice_id, []).append(entry)
    rows = []
    # Each customer group's exports asked once, not once per invoice (thousands of queries
    # made ``status`` take seconds beside a running export).
    routes = Routes(session)
    for invoice in invoices:
        found = {entry.export_id: entry for entry in entries.get(invoice.id, [])}
        names = {export.id: export.name for export in routes(invoice.customer)}
        for export_id in list(names) + [i for i in found if i not in names]:
            current = found.get(export_id)
            name = names.get(export_id) or (current.export.name if current else None)
            rows.append(
                _row(invoice.number, invoice.period_id, invoice.customer.code, name, current)
            )
        if not names and not found:
            rows.append(_row(invoice.number, invoice.period_id, invoice.customer.code, None, None))
    return rows


def _row(
    number: str, period: str, customer: str, export: str | None, entry: JournalEntry | None
) -> StatusRow:
    return StatusRow(
        invoice=number,
        period=period,
        customer=customer,
        export=export,
        state=entry.state.value if entry else "NEW",
        step=entry.step if entry else None,
        procountor_invoice_id=entry.procountor_invoice_id if entry else None,
        procountor_invoice_number=entry.procountor_invoice_number if entry else None,
        ledger_receipt_id=entry.ledger_receipt_id if entry else None,
        bank_reference=entry.bank_reference if entry else None,
        attempts=entry.attempts if entry else 0,
        errors=[Problem.from_data(p) for p in entry.problems or []] if entry else [],
        warnings=[Problem.from_data(w) for w in entry.warnings or []] if entry else [],
        updated_at=entry.updated_at if entry else None,
    )


@dataclass(frozen=True)
class HistoryEvent:
    """One transition of an invoice's journal row for one export (see ``JournalEvent``)."""

    export: str
    at: datetime
    state: str
    step: str | None
    run_id: int | None
    problems: list[Problem]


def history(session: Session, invoice_id: int) -> list[HistoryEvent]:
    """Every transition of the invoice's journal rows, oldest first, per export."""
    query = (
        select(JournalEvent, ExportDefinition.name)
        .join(JournalEntry, JournalEntry.id == JournalEvent.entry_id)
        .join(ExportDefinition, ExportDefinition.id == JournalEntry.export_id)
        .where(JournalEntry.invoice_id == invoice_id)
        .order_by(JournalEvent.id)
    )
    return [
        HistoryEvent(
            export=name,
            at=event.at,
            state=event.state,
            step=event.step,
            run_id=event.run_id,
            problems=[Problem.from_data(p) for p in event.problems or []],
        )
        for event, name in session.execute(query)
    ]
