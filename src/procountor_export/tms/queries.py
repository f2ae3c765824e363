"""Read-only queries over the imported data, for the ``list`` commands and the web pages."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from procountor_export.store import models as db

InvoiceState = Literal["NEW", "PENDING", "INFLIGHT", "EXPORTED", "FAILED"]
INVOICE_STATES: tuple[InvoiceState, ...] = ("NEW", "PENDING", "INFLIGHT", "EXPORTED", "FAILED")

# An invoice has one journal entry per export definition. Its overall state is the most
# urgent of them: a write that may have happened, then a failure, then work still to do; it is
# EXPORTED only when every export has it.
_URGENCY: tuple[InvoiceState, ...] = ("INFLIGHT", "FAILED", "PENDING", "EXPORTED")


@dataclass(frozen=True)
class PeriodRow:
    """A period with how many of its invoices there are and how many are exported."""

    id: str
    date_from: date
    date_to: date
    closed_at: datetime | None
    invoices: int
    exported: int

    def to_dict(self) -> dict[str, Any]:
        """As JSON-able data."""
        return asdict(self)


@dataclass(frozen=True)
class InvoiceRow:
    """One invoice as listed: what it is, whom to, how much, and where its export stands."""

    number: str
    period: str
    type: str
    customer: str
    date: date
    currency: str
    total_gross: Decimal
    state: InvoiceState

    def to_dict(self) -> dict[str, Any]:
        """As JSON-able data."""
        return asdict(self)


@dataclass(frozen=True)
class CustomerRow:
    """One customer as listed."""

    code: str
    customer_no: str
    sales_ledger_no: str | None
    name: str
    invoice_channel: str
    export_setting: str | None

    def to_dict(self) -> dict[str, Any]:
        """As JSON-able data."""
        return asdict(self)


def _journal_urgency() -> Any:
    """Subquery: invoice id -> index in ``_URGENCY`` of its most urgent journal state."""
    journal = db.JournalEntry.__table__
    rank = case(
        {state: index for index, state in enumerate(_URGENCY)}, value=journal.c.state, else_=99
    )
    return (
        select(journal.c.invoice_id, func.min(rank).label("urgency"))
        .group_by(journal.c.invoice_id)
        .subquery()
    )


def list_periods(session: Session) -> list[PeriodRow]:
    """Every period, oldest first."""
    invoices = db.Invoice.__table__
    urgency = _journal_urgency()
    exported = _URGENCY.index("EXPORTED")
    counts = (
        select(
            invoices.c.period_id,
            func.count().label("invoices"),
            func.count(case((urgency.c.urgency == exported, 1))).label("exported"),
        )
        .outerjoin(urgency, urgency.c.invoice_id == invoices.c.id)
        .group_by(invoices.c.period_id)
        .subquery()
    )
    rows = session.execute(
        select(
            db.Period.id,
            db.Period.date_from,
            db.Period.date_to,
            db.Period.closed_at,
            func.coalesce(counts.c.invoices, 0),
            func.coalesce(counts.c.exported, 0),
        )
        .outerjoin(counts, counts.c.period_id == db.Period.id)
        .order_by(db.Period.date_from, db.Period.id)
    )
    return [PeriodRow(*row) for row in rows]


def list_invoices(
    session: Session,
    *,
    period: str | None = None,
    state: InvoiceState | None = None,
    search: str | None = None,
    limit: int | None = None,
) -> list[InvoiceRow]:
    """Invoices by number, optionally of one period, in one export state, whose number or
    customer contains ``search`` (any case), at most ``limit`` of them.

    ``NEW`` means no export has touched the invoice yet (no journal entry).
    """
    urgency = _journal_urgency()
    query = _filtered(
        select(
            db.Invoice.number,
            db.Invoice.period_id,
            db.Invoice.type,
            db.Customer.code,
            db.Invoice.date,
            db.Invoice.currency,
            db.Invoice.total_gross,
            urgency.c.urgency,
        ),
        urgency,
        period,
        state,
        search,
    ).order_by(db.Invoice.number)
    if limit is not None:
        query = query.limit(limit)
    return [
        InvoiceRow(
            number=number,
            period=period_id,
            type=kind,
            customer=customer,
            date=day,
            currency=currency,
            total_gross=gross,
            state="NEW" if urgency_index is None else _URGENCY[urgency_index],
        )
        for number, period_id, kind, customer, day, currency, gross, urgency_index in (
            session.execute(query)
        )
    ]


def count_invoices(
    session: Session,
    *,
    period: str | None = None,
    state: InvoiceState | None = None,
    search: str | None = None,
) -> int:
    """How many invoices :func:`list_invoices` would list without its ``limit``."""
    urgency = _journal_urgency()
    query = _filtered(select(func.count()), urgency, period, state, search)
    return int(session.execute(query).scalar_one())


def invoice_states_by_period(session: Session) -> dict[str, dict[InvoiceState, int]]:
    """For every period with invoices: how many are in each export state (counted by the
    database, so a page of periods costs the same for 100 invoices or 100,000)."""
    urgency = _journal_urgency()
    query = (
        select(db.Invoice.period_id, urgency.c.urgency, func.count())
        .outerjoin(urgency, urgency.c.invoice_id == db.Invoice.id)
        .group_by(db.Invoice.period_id, urgency.c.urgency)
    )
    counts: dict[str, dict[InvoiceState, int]] = {}
    for period_id, urgency_index, count in session.execute(query):
        state: InvoiceState = "NEW" if urgency_index is None else _URGENCY[urgency_index]
        counts.setdefault(period_id, {})[state] = count
    return counts


def _filtered(
    query: Any, urgency: Any, period: str | None, state: InvoiceState | None, search: str | None
) -> Any:
    """``query`` over invoices, their customers and journal urgency, with the list's filters."""
    query = query.select_from(db.Invoice).join(
        db.Customer, db.Customer.id == db.Invoice.customer_id
    )
    query = query.outerjoin(urgency, urgency.c.invoice_id == db.Invoice.id)
    if period is not None:
        query = query.where(db.Invoice.period_id == period)
    if state == "NEW":
        query = query.where(urgency.c.urgency.is_(None))
    elif state is not None:
        query = query.where(urgency.c.urgency == _URGENCY.index(state))
    if search:
        text = search.lower()
        query = query.where(
            func.lower(db.Invoice.number).contains(text, autoescape=True)
            | func.lower(db.Customer.code).contains(text, autoescape=True)
        )
    return query


def list_customers(session: Session, *, missing_sales_ledger_no: bool = False) -> list[CustomerRow]:
    """Customers by code; optionally only those without a sales ledger number (they cannot be
    exported: Procountor needs the customer number)."""
    query = select(
        db.Customer.code,
        db.Customer.customer_no,
        db.Customer.sales_ledger_no,
        db.Customer.name,
        db.Customer.invoice_channel,
        db.Customer.export_setting,
    ).order_by(db.Customer.code)
    if missing_sales_ledger_no:
        query = query.where(
            (db.Customer.sales_ledger_no.is_(None)) | (db.Customer.sales_ledger_no == "")
        )
    return [CustomerRow(*row) for row in session.execute(query)]
