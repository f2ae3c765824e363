"""Which invoices a list shows (:class:`InvoiceFilter`), as SQL over invoices and customers.

The invoice list's pages, its count and the ``list`` commands share these filters, so a count
always agrees with the pages it counts. A search folds case the same way on PostgreSQL and on
SQLite (whose own ``lower`` knows only A-Z).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from procountor_export.store import models as db
from procountor_export.tms.export_state import URGENCY, InvoiceState, urgency_of_invoice


@dataclass(frozen=True)
class InvoiceFilter:
    """Which invoices a list shows; every field given narrows it (``None``: any).

    ``search`` matches the invoice number, the customer's code or the customer's name
    (contains, any case; ``%`` and ``_`` are plain text). ``customer`` is one customer code,
    exactly. ``changed_since`` keeps the invoices imported or changed at or after that time
    (naive UTC, as the store keeps times), or whose export state changed since.
    """

    period: str | None = None
    state: InvoiceState | None = None
    search: str | None = None
    customer: str | None = None
    changed_since: datetime | None = None


def count_matching(session: Session, filters: InvoiceFilter) -> int:
    """How many invoices the list with ``filters`` has (all its pages)."""
    query = filtered(session, select(func.count()), filters)
    return int(session.execute(query).scalar_one())


def filtered(session: Session, query: Any, filters: InvoiceFilter) -> Any:
    """``query`` over invoices and their customers, with the list's filters."""
    query = query.select_from(db.Invoice).join(
        db.Customer, db.Customer.id == db.Invoice.customer_id
    )
    if filters.period is not None:
        query = query.where(db.Invoice.period_id == filters.period)
    if filters.customer is not None:
        query = query.where(db.Customer.code == filters.customer)
    if filters.state is not None:
        urgency = urgency_of_invoice()
        if filters.state == "NEW":
            query = query.where(urgency.is_(None))
        else:
            query = query.where(urgency == URGENCY.index(filters.state))
    if filters.changed_since is not None:
        journal = db.JournalEntry.__table__
        query = query.where(
            (db.Invoice.imported_at >= filters.changed_since)
            | exists().where(
                journal.c.invoice_id == db.Invoice.id,
                journal.c.updated_at >= filters.changed_since,
            )
        )
    if filters.search:
        fold = _case_fold(session)
        text = filters.search.lower()
        query = query.where(
            fold(db.Invoice.number).contains(text, autoescape=True)
            | fold(db.Customer.code).contains(text, autoescape=True)
            | fold(db.Customer.name).contains(text, autoescape=True)
        )
    return query


SQLITE_FOLD = "procountor_export_lower"


def _case_fold(session: Session) -> Any:
    """The SQL function that folds case for a search, on this session's database.

    PostgreSQL's ``lower`` knows every letter; SQLite's only A-Z, so "äänekoski" would not
    find "Äänekosken Kuljetus": on SQLite, Python's ``str.lower`` is registered on the
    session's connection and used instead.
    """
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        return func.lower
    raw: Any = connection.connection.dbapi_connection
    raw.create_function(SQLITE_FOLD, 1, _fold_text, deterministic=True)
    return getattr(func, SQLITE_FOLD)


def _fold_text(value: str | None) -> str | None:
    return None if value is None else value.lower()
