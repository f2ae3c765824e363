"""The payment sync's reads and writes in the store (``store.payment_models``).

Reads: which Procountor invoices are this service's (the journal's ``procountor_invoice_id``
of a company's export definitions: nothing else is ever written here), what the store holds
for them, a company's last seen version. Writes: :func:`apply` makes the store agree with what
Procountor showed for a batch of invoices, idempotently: an event already stored is not stored
again, an event gone from Procountor is deleted and its invoice set back. Every row written
takes the next ``seq`` (:func:`next_seq`), so a feed can page by cursor.

Functions take an open session and never commit: the caller's transaction is the unit (one
per batch of invoices, with the company's last seen version in it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from procountor_export.payments.status import open_amount, payment_status
from procountor_export.procountor.enums import InvoiceStatus
from procountor_export.store.journal import chunks
from procountor_export.store.models import JournalEntry
from procountor_export.store.payment_models import (
    InvoicePayment,
    PaymentCompany,
    PaymentEventRecord,
    PaymentSequence,
)

CHUNK = 500  # ids per IN (...) list: well below every backend's parameter limit
ZERO = Decimal("0.00")


@dataclass(frozen=True)
class EventReading:
    """One payment event as Procountor showed it (``type`` None: not read)."""

    event_id: int
    amount: Decimal
    paid_amount: Decimal | None
    paid_currency: str | None
    payment_date: dt.date | None
    type: str | None = None


@dataclass(frozen=True)
class InvoiceReading:
    """One of our invoices as Procountor showed it: status, totals and all its live events."""

    procountor_invoice_id: int
    invoice_id: int  # the TMS invoice (store id) the journal exported as it
    procountor_status: InvoiceStatus | None
    total: Decimal | None
    currency: str | None
    version: str | None
    events: tuple[EventReading, ...] = ()


@dataclass
class Applied:
    """What :func:`apply` changed."""

    invoices_changed: int = 0
    events_added: int = 0
    events_removed: int = 0
    events_changed: int = 0


def ours(
    session: Session, export_ids: Collection[int], procountor_ids: Iterable[int]
) -> dict[int, int]:
    """Procountor invoice id -> TMS invoice id, for those of ``procountor_ids`` that the
    journal recorded for one of ``export_ids`` (this service's invoices in that company)."""
    found: dict[int, int] = {}
    for chunk in chunks(sorted(set(procountor_ids)), CHUNK):
        rows = session.execute(
            select(JournalEntry.procountor_invoice_id, JournalEntry.invoice_id).where(
                JournalEntry.export_id.in_(export_ids),
                JournalEntry.procountor_invoice_id.in_(chunk),
            )
        )
        for procountor_id, invoice_id in rows:
            if procountor_id is not None:
                found.setdefault(procountor_id, invoice_id)
    return found


def first_recorded(session: Session, export_ids: Collection[int]) -> dt.datetime | None:
    """When the oldest journal row with a Procountor invoice id of ``export_ids`` was made
    (UTC, naive: as the store keeps times); None when the company has none of ours."""
    return session.scalar(
        select(func.min(JournalEntry.created_at)).where(
            JournalEntry.export_id.in_(export_ids),
            JournalEntry.procountor_invoice_id.is_not(None),
        )
    )


@dataclass(frozen=True)
class CompanyState:
    """Where the syncs of a company stand (see ``store.payment_models.PaymentCompany``)."""

    last_version: str | None = None
    version_seen_at: dt.datetime | None = None
    confirmed_version: str | None = None


def company_state(session: Session, company: str) -> CompanyState:
    """Where the syncs of ``company`` stand (nothing yet: all None)."""
    row = session.get(PaymentCompany, company)
    if row is None:
        return CompanyState()
    return CompanyState(row.last_version, row.version_seen_at, row.confirmed_version)


def confirm(session: Session, company: str, version: str) -> None:
    """Mark ``version`` confirmed, if it is still the company's last seen version."""
    row = session.get(PaymentCompany, company)
    if row is not None and row.last_version == version:
        row.confirmed_version = version


def stored_versions(session: Session, company: str, ids: Iterable[int]) -> dict[int, str | None]:
    """Procountor invoice id -> the version stored for it, for those of ``ids`` stored."""
    found: dict[int, str | None] = {}
    for chunk in chunks(sorted(set(ids)), CHUNK):
        rows = session.execute(
            select(InvoicePayment.procountor_invoice_id, InvoicePayment.version).where(
                InvoicePayment.company == company,
                InvoicePayment.procountor_invoice_id.in_(chunk),
            )
        )
        found.update({int(pid): version for pid, version in rows})
    return found


def known_types(session: Session, company: str, ids: Iterable[int]) -> dict[int, str | None]:
    """Event id -> its stored type, for the stored events of the invoices ``ids``."""
    found: dict[int, str | None] = {}
    for chunk in chunks(sorted(set(ids)), CHUNK):
        rows = session.execute(
            select(PaymentEventRecord.event_id, PaymentEventRecord.type).where(
                PaymentEventRecord.company == company,
                PaymentEventRecord.procountor_invoice_id.in_(chunk),
            )
        )
        found.update({int(event_id): kind for event_id, kind in rows})
    return found


def next_seq(session: Session) -> int:
    """The next value of the store's change sequence.

    An UPDATE of the one sequence row: it holds the row's lock (PostgreSQL) or the database's
    write lock (SQLite) until the transaction ends, so values are handed out in commit order.
    """
    value = session.scalar(
        update(PaymentSequence)
        .where(PaymentSequence.id == 1)
        .values(value=PaymentSequence.value + 1)
        .returning(PaymentSequence.value)
    )
    if value is None:
        raise RuntimeError("the store has no payment sequence row: migration 0011 makes it")
    return int(value)


def apply(
    session: Session,
    company: str,
    readings: Iterable[InvoiceReading],
    *,
    version: str | None,
    now: dt.datetime,
) -> Applied:
    """Make the store agree with ``readings`` (each invoice with *all* its live events) and
    remember ``version`` as the company's last seen one (if newer than the stored one).

    Idempotent: applying the same readings again changes nothing. An event stored before
    keeps its type when a reading does not carry one.
    """
    applied = Applied()
    for reading in readings:
        _apply_invoice(session, company, reading, now, applied)
    _remember_version(session, company, version, now)
    return applied


def _apply_invoice(
    session: Session, company: str, reading: InvoiceReading, now: dt.datetime, applied: Applied
) -> None:
    pid = reading.procountor_invoice_id
    stored = {
        event.event_id: event
        for event in session.scalars(
            select(PaymentEventRecord).where(
                PaymentEventRecord.company == company,
                PaymentEventRecord.procountor_invoice_id == pid,
            )
        )
    }
    seen = {event.event_id: event for event in reading.events}
    events_moved = False
    for event_id, gone in stored.items():
        if event_id not in seen:
            session.delete(gone)
            applied.events_removed += 1
            events_moved = True
    types: list[str | None] = []
    for event_id, event in seen.items():
        row = stored.get(event_id)
        kind = event.type if event.type is not None else (row.type if row else None)
        types.append(kind)
        values = {
            "amount": event.amount,
            "paid_amount": event.paid_amount,
            "paid_currency": event.paid_currency,
            "payment_date": event.payment_date,
            "type": kind,
        }
        if row is None:
            session.add(
                PaymentEventRecord(
                    company=company,
                    event_id=event_id,
                    procountor_invoice_id=pid,
                    invoice_id=reading.invoice_id,
                    seq=next_seq(session),
                    updated_at=now,
                    **values,
                )
            )
            applied.events_added += 1
            events_moved = True
        elif any(getattr(row, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(row, name, value)
            row.seq = next_seq(session)
            row.updated_at = now
            applied.events_changed += 1
            events_moved = True

    paid = sum((event.amount for event in reading.events), Decimal("0.00"))
    state = {
        "status": payment_status(reading.procountor_status, paid, types),
        "procountor_status": (
            None if reading.procountor_status is None else str(reading.procountor_status)
        ),
        "total": reading.total,
        "paid_amount": paid,
        "open_amount": open_amount(reading.procountor_status, reading.total, paid),
        "currency": reading.currency,
        "last_payment_date": max(
            (e.payment_date for e in reading.events if e.payment_date), default=None
        ),
    }
    record = session.scalar(
        select(InvoicePayment).where(
            InvoicePayment.company == company, InvoicePayment.procountor_invoice_id == pid
        )
    )
    if record is None:
        record = InvoicePayment(
            company=company,
            procountor_invoice_id=pid,
            invoice_id=reading.invoice_id,
            seq=next_seq(session),
            **state,
        )
        session.add(record)
        moved = True
    else:
        moved = events_moved or any(getattr(record, k) != v for k, v in state.items())
        for name, value in state.items():
            setattr(record, name, value)
        if moved:
            record.seq = next_seq(session)
    record.version = reading.version
    record.updated_at = now
    if moved:
        applied.invoices_changed += 1
    session.flush()


def _remember_version(
    session: Session, company: str, version: str | None, now: dt.datetime
) -> None:
    row = session.get(PaymentCompany, company)
    if row is None:
        row = PaymentCompany(company=company)
        session.add(row)
    if version is not None and (row.last_version is None or version > row.last_version):
        # Procountor's versions are ISO times of one width: text order is time order.
        row.last_version = version
        row.version_seen_at = now
    row.synced_at = now
    session.flush()
