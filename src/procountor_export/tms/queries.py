"""Read-only queries over the imported data, for the ``list`` commands, the web pages and the
REST API's lists.

Periods with their counts, invoices by number, customers. The invoice list's keyset pages are in
:mod:`procountor_export.tms.invoice_pages`, its filters in
:mod:`procountor_export.tms.invoice_filter` and an invoice's export state in
:mod:`procountor_export.tms.export_state`; their names are reachable here too (``__all__``), so
that ``queries`` stays the one import path of the lists.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from procountor_export.store import models as db
from procountor_export.tms.export_state import (
    INVOICE_STATES,
    STATE_WORDS,
    URGENCY,
    InvoiceState,
    journal_urgency,
    state_of,
    urgency_of_invoice,
)
from procountor_export.tms.invoice_filter import (
    SQLITE_FOLD,
    InvoiceFilter,
    count_matching,
    filtered,
)
from procountor_export.tms.invoice_pages import (
    MAX_PAGE,
    SORT_KEYS,
    BadCursor,
    Cursor,
    InvoicePage,
    ListedInvoice,
    SortKey,
    invoice_page,
)

__all__ = [
    "INVOICE_STATES",
    "MAX_PAGE",
    "SORT_KEYS",
    "SQLITE_FOLD",
    "STATE_WORDS",
    "BadCursor",
    "Cursor",
    "CustomerRow",
    "InvoiceFilter",
    "InvoicePage",
    "InvoiceRow",
    "InvoiceState",
    "ListedInvoice",
    "PeriodRow",
    "SortKey",
    "count_invoices",
    "count_matching",
    "invoice_page",
    "invoice_states_by_period",
    "list_customers",
    "list_invoices",
    "list_periods",
]


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


def list_periods(session: Session, *, newest_first: bool = False) -> list[PeriodRow]:
    """Every period, oldest first (``newest_first``: the other way round)."""
    invoices = db.Invoice.__table__
    urgency = journal_urgency()
    exported = URGENCY.index("EXPORTED")
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
    order = (
        (db.Period.date_from.desc(), db.Period.id.desc())
        if newest_first
        else (db.Period.date_from, db.Period.id)
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
        .order_by(*order)
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
    """Invoices by number, optionally of one period, in one export state, whose number,
    customer code or customer name contains ``search`` (any case), at most ``limit`` of them.

    ``NEW`` means no export has touched the invoice yet (no journal entry).
    """
    urgency = urgency_of_invoice()
    query = filtered(
        session,
        select(
            db.Invoice.number,
            db.Invoice.period_id,
            db.Invoice.type,
            db.Customer.code,
            db.Invoice.date,
            db.Invoice.currency,
            db.Invoice.total_gross,
            urgency,
        ),
        InvoiceFilter(period=period, state=state, search=search),
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
            state=state_of(urgency_index),
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
    return count_matching(session, InvoiceFilter(period=period, state=state, search=search))


def invoice_states_by_period(session: Session) -> dict[str, dict[InvoiceState, int]]:
    """For every period with invoices: how many are in each export state (counted by the
    database, so a page of periods costs the same for 100 invoices or 100,000)."""
    urgency = journal_urgency()
    query = (
        select(db.Invoice.period_id, urgency.c.urgency, func.count())
        .outerjoin(urgency, urgency.c.invoice_id == db.Invoice.id)
        .group_by(db.Invoice.period_id, urgency.c.urgency)
    )
    counts: dict[str, dict[InvoiceState, int]] = {}
    for period_id, urgency_index, count in session.execute(query):
        counts.setdefault(period_id, {})[state_of(urgency_index)] = count
    return counts


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
