"""An invoice's payment status, as the TMS reads it, from what Procountor shows.

Procountor's invoice ``status`` has no credit-loss value: an invoice whose rest was written off
is ``PAID`` like one paid in full, and only its events' ``type`` (``CREDITLOSS``) tells them
apart. So the status here is made of both:

- ``cancelled``: Procountor invalidated (or deleted) the invoice;
- ``credit_loss``: settled, and a credit loss is among its events;
- ``paid``: settled (``PAID``, or ``MARKED_PAID`` by a clerk without any event);
- ``partly_paid``: some of it paid (``PARTLY_PAID``, or events that do not cover it yet);
- ``open``: nothing paid.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Literal

from procountor_export.procountor.enums import InvoiceStatus, PaymentEventType

PaymentStatus = Literal["open", "partly_paid", "paid", "credit_loss", "cancelled"]

SETTLED = frozenset({InvoiceStatus.PAID, InvoiceStatus.MARKED_PAID})
CANCELLED = frozenset({InvoiceStatus.INVALIDATED, InvoiceStatus.DELETED})


def payment_status(
    procountor_status: InvoiceStatus | None,
    paid_amount: Decimal,
    event_types: Iterable[str | None],
) -> PaymentStatus:
    """The payment status of an invoice with Procountor ``procountor_status`` whose events
    settle ``paid_amount`` and are of ``event_types`` (None: a type not read)."""
    if procountor_status in CANCELLED:
        return "cancelled"
    if procountor_status in SETTLED:
        if PaymentEventType.CREDITLOSS.value in set(event_types):
            return "credit_loss"
        return "paid"
    if procountor_status is InvoiceStatus.PARTLY_PAID or paid_amount > 0:
        return "partly_paid"
    return "open"


def open_amount(
    procountor_status: InvoiceStatus | None, total: Decimal | None, paid_amount: Decimal
) -> Decimal | None:
    """What is still to be paid: nothing once settled or cancelled (a clerk's ``MARKED_PAID``
    has no events to subtract), else the total less the events; None without a total."""
    if procountor_status in SETTLED or procountor_status in CANCELLED:
        return Decimal("0.00")
    if total is None:
        return None
    return max(total - paid_amount, Decimal("0.00"))
