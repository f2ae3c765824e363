"""The invoice list's pages (the window's and the REST API's), by keyset.

A page (:func:`invoice_page`) is "the next N rows after this one in this order", found by an
index seek on (sort key, id), never by skipping an offset, so page 1 and page 20,000 cost the
same. A :class:`Cursor` names the row a page starts after (or ends before) and travels as an
opaque text.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Literal, get_args

from sqlalchemy import Date, Float, Integer, String, case, cast, literal, select, tuple_
from sqlalchemy.orm import Session

from procountor_export.store import models as db
from procountor_export.tms.export_state import URGENCY, InvoiceState, state_of, urgency_of_invoice
from procountor_export.tms.invoice_filter import InvoiceFilter, filtered

SortKey = Literal["number", "customer", "date", "due_date", "total", "state"]
SORT_KEYS: tuple[SortKey, ...] = get_args(SortKey)
# Sorted by state, the list reads from the work still to do to the work done.
_STATE_ORDER: tuple[InvoiceState, ...] = ("NEW", "PENDING", "INFLIGHT", "FAILED", "EXPORTED")
MAX_PAGE = 500  # rows one page may ask for


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
    urgency = urgency_of_invoice()
    key = _sort_key(sort, urgency)
    backwards = cursor is not None and cursor.before
    # Walking backwards, the page is read in the reverse order and turned round.
    reverse = descending != backwards
    query = filtered(
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
    ranks = {index: _STATE_ORDER.index(state) for index, state in enumerate(URGENCY)}
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
                state=state_of(row[10]),
                procountor_id=procountor_id,
                procountor_number=procountor_number,
            )
        )
    return rows
