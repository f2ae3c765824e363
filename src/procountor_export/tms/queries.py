"""Read-only queries over the imported data, for the ``list`` commands, the web pages and the
REST API's lists.

The invoice list (:func:`invoice_page`) pages by *keyset*: a page is "the next N rows after
this one in this order", found by an index seek on (sort key, id), never by skipping an
offset, so page 1 and page 20,000 cost the same. A :class:`Cursor` names the row a page
starts after (or ends before) and travels as an opaque text.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal, get_args

from sqlalchemy import (
    Date,
    Float,
    Integer,
    String,
    case,
    cast,
    exists,
    func,
    literal,
    select,
    tuple_,
)
from sqlalchemy.orm import Session

from procountor_export.store import models as db

InvoiceState = Literal["NEW", "PENDING", "INFLIGHT", "EXPORTED", "FAILED"]
INVOICE_STATES: tuple[InvoiceState, ...] = ("NEW", "PENDING", "INFLIGHT", "EXPORTED", "FAILED")
# How each state reads where a person reads it (the window, its filters).
STATE_WORDS: dict[str, str] = {
    "NEW": "Not exported",
    "PENDING": "Pending",
    "INFLIGHT": "Going",
    "EXPORTED": "Exported",
    "FAILED": "Failed",
}

# An invoice has one journal entry per export definition. Its overall state is the most
# urgent of them: a write that may have happened, then a failure, then work still to do; it is
# EXPORTED only when every export has it.
_URGENCY: tuple[InvoiceState, ...] = ("INFLIGHT", "FAILED", "PENDING", "EXPORTED")

SortKey = Literal["number", "customer", "date", "due_date", "total", "state"]
SORT_KEYS: tuple[SortKey, ...] = get_args(SortKey)
# Sorted by state, the list reads from the work still to do to the work done.
_STATE_ORDER: tuple[InvoiceState, ...] = ("NEW", "PENDING", "INFLIGHT", "FAILED", "EXPORTED")
MAX_PAGE = 500  # rows one page may ask for


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
class ListedInvoice:
    """One row of the invoice list (the window's and the REST API's).

    ``procountor_id``/``procountor_number`` are those of the first export definition (by id)
    that created the invoice in Procountor; ``None`` until one did.
    """

    id: int
    number: str
    period: str
    type: str
    customer_code: str
    customer_name: str
    date: date
    due_date: dt.date
    currency: str
    total_gross: Decimal
    state: InvoiceState
    procountor_id: int | None
    procountor_number: int | None


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


class BadCursor(ValueError):
    """A cursor text this list did not give out (mangled, or of another version)."""


@dataclass(frozen=True)
class Cursor:
    """Where a page of the invoice list starts: right after (or, with ``before``, right
    before) the row whose sort key is ``key`` and id is ``id``, in the order ``sort``,
    ``descending``. ``key`` ``None`` with ``before``: the last page.

    ``key`` is the sort key as the database compares it (text, ISO date, float total,
    state rank), so that the seek finds the very row the page ended on.
    """

    sort: SortKey
    descending: bool
    key: str | float | int | None
    id: int
    before: bool = False

    def encode(self) -> str:
        """The opaque text that travels in links and in the API's ``next``."""
        data = [self.sort, int(self.descending), int(self.before), self.key, self.id]
        text = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
        return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")

    @classmethod
    def decode(cls, text: str) -> Cursor:
        """The cursor :meth:`encode` gave as ``text``; :class:`BadCursor` for anything else."""
        try:
            raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
            sort, descending, before, key, row_id = json.loads(raw)
        except (binascii.Error, UnicodeDecodeError, ValueError, TypeError) as exc:
            raise BadCursor(f"The cursor {text!r} is not one this list gave out.") from exc
        if (
            sort not in SORT_KEYS
            or descending not in (0, 1)
            or before not in (0, 1)
            or type(row_id) is not int
            or not _key_fits(sort, key, bool(before))
        ):
            raise BadCursor(f"The cursor {text!r} is not one this list gave out.")
        return cls(sort, bool(descending), key, row_id, bool(before))

    @classmethod
    def last(cls, sort: SortKey, descending: bool) -> Cursor:
        """The last page of the list in this order."""
        return cls(sort, descending, None, 0, before=True)


def _key_fits(sort: SortKey, key: Any, before: bool) -> bool:
    """Whether ``key`` is a sort key of the kind ``sort`` compares."""
    if key is None:
        return before
    if sort == "total":
        return type(key) in (int, float)
    if sort == "state":
        return type(key) is int
    if sort in ("date", "due_date"):
        try:
            date.fromisoformat(key)
        except (TypeError, ValueError):
            return False
        return True
    return isinstance(key, str)


@dataclass(frozen=True)
class InvoicePage:
    """One page of the invoice list, with where the pages next to it start (``None``: this
    is the last, or the first, page)."""

    rows: list[ListedInvoice]
    next: Cursor | None
    previous: Cursor | None


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


def _urgency_of_invoice() -> Any:
    """Scalar subquery: the index in ``_URGENCY`` of the listed invoice's most urgent journal
    state (``NULL``: no journal entry, NEW). Correlated, so it reads only the journal entries
    of the rows a page shows (the journal's ``(invoice_id, export_id)`` index)."""
    journal = db.JournalEntry.__table__
    rank = case(
        {state: index for index, state in enumerate(_URGENCY)}, value=journal.c.state, else_=99
    )
    return (
        select(func.min(rank))
        .where(journal.c.invoice_id == db.Invoice.id)
        .correlate(db.Invoice)
        .scalar_subquery()
    )


def _state_of(urgency_index: int | None) -> InvoiceState:
    return "NEW" if urgency_index is None else _URGENCY[urgency_index]


def list_periods(session: Session, *, newest_first: bool = False) -> list[PeriodRow]:
    """Every period, oldest first (``newest_first``: the other way round)."""
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
    urgency = _urgency_of_invoice()
    query = _filtered(
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
            state=_state_of(urgency_index),
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


def count_matching(session: Session, filters: InvoiceFilter) -> int:
    """How many invoices the list with ``filters`` has (all its pages)."""
    query = _filtered(session, select(func.count()), filters)
    return int(session.execute(query).scalar_one())


def invoice_page(
    session: Session,
    filters: InvoiceFilter = InvoiceFilter(),  # frozen: the default is never changed
    *,
    sort: SortKey = "date",
    descending: bool = True,
    cursor: Cursor | None = None,
    limit: int = 50,
) -> InvoicePage:
    """One page of at most ``limit`` invoices matching ``filters``, in the order ``sort``
    (ties by id, the same way), starting after ``cursor`` (or ending before it).

    A cursor of another order than ``sort``/``descending`` is not this list's: the first page.
    Following ``next`` from the first page visits every matching invoice exactly once, in
    order; ``previous`` walks back the same way. The number, date, due-date and
    customer-name orders seek an index; total and state are computed per row, so those two
    orders read every matching invoice to sort them.
    """
    if not 1 <= limit <= MAX_PAGE:
        raise ValueError(f"A page has 1 to {MAX_PAGE} invoices, not {limit}.")
    if cursor is not None and (cursor.sort, cursor.descending) != (sort, descending):
        cursor = None
    urgency = _urgency_of_invoice()
    key = _sort_key(sort, urgency)
    backwards = cursor is not None and cursor.before
    # Walking backwards, the page is read in the reverse order and turned round.
    reverse = descending != backwards
    query = _filtered(
        session,
        select(
            db.Invoice.id,
            db.Invoice.number,
            db.Invoice.period_id,
            db.Invoice.type,
            db.Customer.code,
            db.Customer.name,
            db.Invoice.date,
            db.Invoice.due_date,
            db.Invoice.currency,
            db.Invoice.total_gross,
            urgency,
            key.label("sort_key"),
        ),
        filters,
    )
    if cursor is not None and cursor.key is not None:
        seek = tuple_(key, db.Invoice.id)
        mark = tuple_(_key_value(sort, cursor.key), literal(cursor.id, Integer()))
        query = query.where(seek < mark if reverse else seek > mark)
    order = (key.desc(), db.Invoice.id.desc()) if reverse else (key.asc(), db.Invoice.id.asc())
    found = list(session.execute(query.order_by(*order).limit(limit + 1)))
    more = len(found) > limit
    found = found[:limit]
    if backwards:
        found.reverse()
        if not more and cursor is not None and cursor.key is not None and len(found) < limit:
            # Back at the start with a short page: show the first page whole instead.
            return invoice_page(session, filters, sort=sort, descending=descending, limit=limit)
    rows = _listed(session, found)
    first = _cursor(sort, descending, found[0], before=True) if found else None
    last = _cursor(sort, descending, found[-1], before=False) if found else None
    if backwards:  # the rows after the cursor's are there, unless it is the end itself
        after = last if cursor is not None and cursor.key is not None else None
        return InvoicePage(rows, next=after, previous=first if more else None)
    return InvoicePage(rows, next=last if more else None, previous=first if cursor else None)


def _sort_key(sort: SortKey, urgency: Any) -> Any:
    """The column or expression the list is sorted by (the cursor holds its value)."""
    if sort == "number":
        return db.Invoice.number
    if sort == "customer":
        return db.Customer.name
    if sort == "date":
        return db.Invoice.date
    if sort == "due_date":
        return db.Invoice.due_date
    if sort == "total":
        # Totals are kept as exact text: compared as numbers. A double orders every total a
        # money column holds; the cursor keeps the same double, so the seek is exact.
        return cast(db.Invoice.__table__.c.total_gross, Float)
    ranks = {index: _STATE_ORDER.index(state) for index, state in enumerate(_URGENCY)}
    return case(ranks, value=urgency, else_=_STATE_ORDER.index("NEW"))


def _key_value(sort: SortKey, key: str | float | int) -> Any:
    """A cursor's key as the value the database compares with the sort key."""
    if sort in ("date", "due_date"):
        return literal(date.fromisoformat(str(key)), Date())
    if sort == "total":
        return cast(literal(float(key), Float()), Float)
    if sort == "state":
        return literal(int(key), Integer())
    return literal(str(key), String())


def _cursor(sort: SortKey, descending: bool, row: Any, *, before: bool) -> Cursor:
    """The cursor right after (``before``: right before) a fetched row."""
    value = row[-1]
    key: str | float | int
    if isinstance(value, date):
        key = value.isoformat()
    elif sort == "total":
        key = float(value)
    else:
        key = value
    return Cursor(sort, descending, key, row[0], before)


def _listed(session: Session, found: Sequence[Any]) -> list[ListedInvoice]:
    """The fetched rows as :class:`ListedInvoice`, with their Procountor ids (one more query
    for the page's invoices only)."""
    ids = [row[0] for row in found]
    procountor: dict[int, tuple[int, int | None]] = {}
    if ids:
        journal = db.JournalEntry.__table__
        for invoice_id, procountor_id, number in session.execute(
            select(
                journal.c.invoice_id,
                journal.c.procountor_invoice_id,
                journal.c.procountor_invoice_number,
            )
            .where(journal.c.invoice_id.in_(ids), journal.c.procountor_invoice_id.is_not(None))
            .order_by(journal.c.export_id)
        ):
            procountor.setdefault(invoice_id, (procountor_id, number))
    rows = []
    for row in found:
        procountor_id, procountor_number = procountor.get(row[0], (None, None))
        rows.append(
            ListedInvoice(
                id=row[0],
                number=row[1],
                period=row[2],
                type=row[3],
                customer_code=row[4],
                customer_name=row[5],
                date=row[6],
                due_date=row[7],
                currency=row[8],
                total_gross=row[9],
                state=_state_of(row[10]),
                procountor_id=procountor_id,
                procountor_number=procountor_number,
            )
        )
    return rows


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
        counts.setdefault(period_id, {})[_state_of(urgency_index)] = count
    return counts


def _filtered(session: Session, query: Any, filters: InvoiceFilter) -> Any:
    """``query`` over invoices and their customers, with the list's filters."""
    query = query.select_from(db.Invoice).join(
        db.Customer, db.Customer.id == db.Invoice.customer_id
    )
    if filters.period is not None:
        query = query.where(db.Invoice.period_id == filters.period)
    if filters.customer is not None:
        query = query.where(db.Customer.code == filters.customer)
    if filters.state is not None:
        urgency = _urgency_of_invoice()
        if filters.state == "NEW":
            query = query.where(urgency.is_(None))
        else:
            query = query.where(urgency == _URGENCY.index(filters.state))
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
