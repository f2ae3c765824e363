"""Payments booked against invoices: the full event and the batch listing's summary."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from procountor_export.procountor.enums import InvoiceStatus, PaymentEventType
from procountor_export.procountor.models.base import ApiModel


class PaymentEvent(ApiModel):
    """One payment event of an invoice (``GET /invoices/{id}/paymentevents``).

    ``amount`` is what settles the invoice, in its ``currency``; ``paid_amount`` is the money
    as paid, in ``paid_currency``. ``type`` tells a payment from a write-off (``CREDITLOSS``).
    """

    id: int | None = None
    invoice_id: int | None = None
    amount: Decimal | None = None
    currency: str | None = None
    paid_amount: Decimal | None = None
    paid_currency: str | None = None
    payment_date: dt.date | None = None
    status: InvoiceStatus | None = None
    type: PaymentEventType | None = None
    description: str | None = None


class PaymentEventSummary(ApiModel):
    """A hit of ``GET /payments/paymentevents`` (the spec's ``BasicPaymentTransactionData``):
    many invoices' events in one call, but without ``currency``, ``type`` or ``description``
    — read :class:`PaymentEvent` per invoice when the kind of settlement matters."""

    id: int | None = None
    invoice_id: int | None = None
    amount: Decimal | None = None
    paid_amount: Decimal | None = None
    paid_currency: str | None = None
    payment_date: dt.date | None = None
    status: InvoiceStatus | None = None
    receiver_name: str | None = None
