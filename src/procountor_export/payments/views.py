"""What the payment sync stored, as people and the TMS read it: an invoice's payment view (the
web UI's invoice page, ``GET /api/v1/invoices/{number}``) and the payment feed
(``GET /api/v1/payments``).

Read only: nothing here writes. Amounts are in the invoice's currency (Procountor's totals of
the invoice); an event's ``currency`` is that currency too, so an event and its invoice always
add up.

The feed pages by ``seq`` (:mod:`procountor_export.store.payment_models`): every event written
or changed takes the next one, in commit order, so "every live event after cursor C" misses
nothing committed later and a cursor stays right for ever. An event whose details changed
(its type read once its invoice was settled) comes again, with the same ``id``, after the
cursor that had passed it: a client keeps the last it saw per ``id``. A deleted event is gone
from the store, so from the feed.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import cast, get_args

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from procountor_export.payments.status import PaymentStatus
from procountor_export.store.models import Invoice
from procountor_export.store.payment_models import InvoicePayment, PaymentEventRecord

MAX_PAGE = 500  # events on one feed page
CENT = Decimal("0.01")
_PREFIX = "seq:"  # what a cursor holds, before it is made opaque
_MAX_SEQ = 2**31 - 1  # the column's 32 bits


class BadCursor(ValueError):
    """A feed cursor that this service did not make (mistyped, cut short, made up)."""


@dataclass(frozen=True)
class EventView:
    """One live payment event of an invoice."""

    id: int  # Procountor's payment event id
    amount: Decimal
    currency: str | None
    date: dt.date | None
    type: str | None  # REFERENCEPAYMENT, CREDITLOSS…; None until its invoice was read alone


@dataclass(frozen=True)
class PaymentView:
    """An exported invoice's payment state as the last sync read it from Procountor."""

    status: PaymentStatus
    paid_amount: Decimal
    open_amount: Decimal | None  # None: Procountor showed no total
    currency: str | None
    last_payment_date: dt.date | None
    events: tuple[EventView, ...]


@dataclass(frozen=True)
class FeedEvent:
    """One live payment event in the feed, with the TMS invoice it pays."""

    id: int
    invoice: str  # the TMS invoice number
    procountor_invoice_id: int
    amount: Decimal
    currency: str | None
    date: dt.date | None
    type: str | None


@dataclass(frozen=True)
class FeedPage:
    """A page of the feed and the cursor to read on from (never None: the feed goes on)."""

    events: tuple[FeedEvent, ...]
    next: str
    more: bool  # the page was full: more events may be waiting after ``next`` already


def encode_cursor(seq: int) -> str:
    """The opaque cursor for "after ``seq``"."""
    return base64.urlsafe_b64encode(f"{_PREFIX}{seq}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    """The ``seq`` a cursor of :func:`encode_cursor` stands for; :class:`BadCursor` else."""
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("ascii")
    except (binascii.Error, UnicodeDecodeError, ValueError) as exc:
        raise BadCursor(f"The cursor {cursor!r} is not one this feed gave.") from exc
    number = text.removeprefix(_PREFIX)
    if not text.startswith(_PREFIX) or not number.isdigit() or int(number) > _MAX_SEQ:
        raise BadCursor(f"The cursor {cursor!r} is not one this feed gave.")
    if encode_cursor(int(number)) != cursor:  # one spelling per cursor: "seq:007" is not one
        raise BadCursor(f"The cursor {cursor!r} is not one this feed gave.")
    return int(number)


def invoice_payments(session: Session, number: str) -> dict[int, PaymentView]:
    """The payment views of TMS invoice ``number``, by Procountor invoice id (one per export
    that created it in Procountor and was synced since; an export never synced has none)."""
    payments = list(
        session.scalars(
            select(InvoicePayment)
            .join(Invoice, Invoice.id == InvoicePayment.invoice_id)
            .where(Invoice.number == number)
        )
    )
    if not payments:
        return {}
    events = session.scalars(
        select(PaymentEventRecord)
        .where(PaymentEventRecord.invoice_id.in_({p.invoice_id for p in payments}))
        .order_by(PaymentEventRecord.payment_date, PaymentEventRecord.event_id)
    ).all()
    views: dict[int, PaymentView] = {}
    for payment in payments:
        mine = [
            e
            for e in events
            if (e.company, e.procountor_invoice_id)
            == (payment.company, payment.procountor_invoice_id)
        ]
        views[payment.procountor_invoice_id] = PaymentView(
            status=_status(payment.status),
            paid_amount=_cents(payment.paid_amount),
            open_amount=None if payment.open_amount is None else _cents(payment.open_amount),
            currency=payment.currency,
            last_payment_date=payment.last_payment_date,
            events=tuple(
                EventView(
                    id=e.event_id,
                    amount=_cents(e.amount),
                    currency=payment.currency or e.paid_currency,
                    date=e.payment_date,
                    type=e.type,
                )
                for e in mine
            ),
        )
    return views


def feed_page(session: Session, after: int, limit: int) -> FeedPage:
    """The live payment events written or changed after ``seq`` ``after``, oldest change
    first, at most ``limit`` (1 to :data:`MAX_PAGE`); the next cursor is after the last of
    them, or ``after`` itself when there were none (ask again later with it)."""
    limit = max(1, min(limit, MAX_PAGE))
    rows: Sequence[tuple[PaymentEventRecord, str, str | None]] = [
        (event, number, currency)
        for event, number, currency in session.execute(
            select(PaymentEventRecord, Invoice.number, InvoicePayment.currency)
            .join(Invoice, Invoice.id == PaymentEventRecord.invoice_id)
            .outerjoin(
                InvoicePayment,
                and_(
                    InvoicePayment.company == PaymentEventRecord.company,
                    InvoicePayment.procountor_invoice_id
                    == PaymentEventRecord.procountor_invoice_id,
                ),
            )
            .where(PaymentEventRecord.seq > after)
            .order_by(PaymentEventRecord.seq)
            .limit(limit)
        )
    ]
    events = tuple(
        FeedEvent(
            id=event.event_id,
            invoice=number,
            procountor_invoice_id=event.procountor_invoice_id,
            amount=_cents(event.amount),
            currency=currency or event.paid_currency,
            date=event.payment_date,
            type=event.type,
        )
        for event, number, currency in rows
    )
    last = rows[-1][0].seq if rows else after
    return FeedPage(events=events, next=encode_cursor(last), more=len(rows) == limit)


def _cents(value: Decimal) -> Decimal:
    """``value`` with at least two decimals (the store may give back ``30`` for ``30.00``),
    never fewer digits than it has: every amount of a view is written alike."""
    exponent = value.as_tuple().exponent
    return value.quantize(CENT) if isinstance(exponent, int) and exponent > -2 else value


def _status(value: str) -> PaymentStatus:
    """The stored status, typed (the sync writes only these five)."""
    if value in get_args(PaymentStatus):
        return cast(PaymentStatus, value)
    raise ValueError(f"unknown payment status {value!r} in the store")
