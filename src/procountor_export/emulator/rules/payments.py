"""Payments booked against sales invoices, and what they do to the invoice.

Procountor keeps each invoice's payment events (the spec's ``PaymentEvent``: ``id``,
``invoiceId``, ``amount``/``currency`` in the invoice's currency, ``paidAmount``/
``paidCurrency`` as paid, ``paymentDate``, ``status``, ``type``, ``description``) and derives
the invoice's ``status`` and ``paymentDate`` from them (procountor-api.md §7.14). The emulator's
reading, where the documentation is silent:

- Only an approved invoice can take a payment: ``NOT_SENT``, ``SENT`` or ``PARTLY_PAID``. An
  ``UNFINISHED`` invoice is not in the ledger yet; an ``INVALIDATED`` or fully settled one
  (``PAID``, ``MARKED_PAID``) has nothing open; a credit note (total ≤ 0) is refunded, not paid.
- ``amount`` is positive, in cents, and at most what is still open (no overpayment: the
  invoice statuses have no place for one).
- Every event settles part of the invoice, a credit loss (``CREDITLOSS``) as well: the status
  enum has no credit-loss value, so an invoice whose rest was written off is ``PAID`` and the
  event's ``type`` tells how. While some of the total is open the invoice is ``PARTLY_PAID``;
  with nothing settled it is back to what it was before its first payment (``NOT_SENT`` or
  ``SENT``, from its history).
- ``paymentDate`` is the latest ``paymentDate`` of the remaining events (absent when none).
- Booking or deleting an event bumps the invoice's ``version`` (and its ledger receipt's,
  whose status mirrors the invoice's), so ``GET /invoices?versionStartDate=…`` finds it.
- A deleted event disappears from both payment-event lists, as the API's DELETE removes it.
- The event's own ``status`` is ``PAID`` (a booked payment); the money arrived in the
  invoice's currency, so ``paidAmount``/``paidCurrency`` equal ``amount``/``currency``.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from procountor_export.emulator.errors import ApiError

if TYPE_CHECKING:
    from procountor_export.emulator.state import CompanyState

PAYABLE = frozenset({"NOT_SENT", "SENT", "PARTLY_PAID"})
# What an invoice returns to once nothing is settled: the last of these in its history.
UNPAID_EVENTS = frozenset({"APPROVE", "SEND"})
EVENT_STATUS = "PAID"
TRANSACTION_FIELDS = (
    "id", "invoiceId", "amount", "paidAmount", "paidCurrency", "paymentDate", "status",
)  # fmt: skip


def events_of(company: CompanyState, invoice_id: int) -> list[dict[str, Any]]:
    """The invoice's live payment events, oldest id first."""
    found = [e for e in company.payment_events.values() if e["invoiceId"] == invoice_id]
    return sorted(found, key=lambda event: int(event["id"]))


def has_payments(company: CompanyState, invoice_id: int) -> bool:
    return any(e["invoiceId"] == invoice_id for e in company.payment_events.values())


def total_of(invoice: dict[str, Any]) -> Decimal:
    """The invoice's gross total in its own currency (the first ``invoiceSumInfo`` entry)."""
    currency = invoice["paymentInfo"]["currency"]
    for entry in invoice["invoiceSumInfo"]:
        if entry["currency"] == currency:
            return Decimal(str(entry["invoiceSumTotal"]))
    return Decimal(str(invoice["invoiceSumInfo"][0]["invoiceSumTotal"]))


def settled(company: CompanyState, invoice_id: int) -> Decimal:
    """How much of the invoice its payment events settle."""
    return sum((Decimal(str(e["amount"])) for e in events_of(company, invoice_id)), Decimal(0))


def open_amount(company: CompanyState, invoice: dict[str, Any]) -> Decimal:
    return total_of(invoice) - settled(company, invoice["id"])


def _unpaid_status(company: CompanyState, invoice_id: int) -> str:
    history = company.invoice_events.get(invoice_id, [])
    last = next((e for e in reversed(history) if e["type"] in UNPAID_EVENTS), None)
    return str(last["status"]) if last is not None else "NOT_SENT"


def _settle(company: CompanyState, invoice: dict[str, Any]) -> None:
    """Status, ``paymentDate`` and ``version`` of ``invoice`` after its events changed."""
    events = events_of(company, invoice["id"])
    paid = sum((Decimal(str(e["amount"])) for e in events), Decimal(0))
    if not events:
        status = _unpaid_status(company, invoice["id"])
    elif paid >= total_of(invoice):
        status = "PAID"
    else:
        status = "PARTLY_PAID"
    if events:
        invoice["paymentDate"] = max(str(e["paymentDate"]) for e in events)
    else:
        invoice.pop("paymentDate", None)
    company.set_invoice_status(invoice, status)


def register(
    company: CompanyState,
    invoice_id: int,
    *,
    amount: Decimal,
    day: date,
    kind: str,
    description: str | None = None,
) -> dict[str, Any]:
    """Book a payment (or a credit loss) of ``amount`` on ``day`` against the invoice; the new
    event. Unknown invoice → 404; not payable now → 409; more than is open → 400."""
    invoice = company.invoices.get(invoice_id)
    if invoice is None:
        raise ApiError(404, "Invoice not found", "invoiceId")
    status = invoice["status"]
    if status not in PAYABLE:
        raise ApiError(
            409,
            f"Invoice {invoice_id} is {status}: only an approved invoice with money open "
            f"({', '.join(sorted(PAYABLE))}) can take a payment",
            "invoiceId",
        )
    total = total_of(invoice)
    if total <= 0:
        raise ApiError(409, f"Invoice {invoice_id} is a credit note: it is refunded, not paid")
    still_open = total - settled(company, invoice_id)
    if amount > still_open:
        raise ApiError(400, f"amount {amount} is more than the open amount {still_open}", "amount")
    currency = invoice["paymentInfo"]["currency"]
    event: dict[str, Any] = {
        "id": company.next_id("paymentEvent"),
        "invoiceId": invoice_id,
        "amount": amount,
        "currency": currency,
        "paidAmount": amount,
        "paidCurrency": currency,
        "paymentDate": day.isoformat(),
        "status": EVENT_STATUS,
        "type": kind,
    }
    if description:
        event["description"] = description
    company.payment_events[event["id"]] = event
    _settle(company, invoice)
    return event


def remove(company: CompanyState, event_id: int) -> dict[str, Any]:
    """Delete a payment event and set its invoice back; the invoice. Unknown id → 404."""
    event = company.payment_events.pop(event_id, None)
    if event is None:
        raise ApiError(404, "Payment event not found")
    invoice = company.invoices[event["invoiceId"]]
    _settle(company, invoice)
    return invoice


def as_event(event: dict[str, Any]) -> dict[str, Any]:
    """The spec's ``PaymentEvent`` (``GET /invoices/{id}/paymentevents``)."""
    return dict(event)


def as_transaction(event: dict[str, Any]) -> dict[str, Any]:
    """The spec's ``BasicPaymentTransactionData`` (``GET /payments/paymentevents``): no
    ``currency``, ``type`` or ``description``; ``receiverName`` and ``serviceCharge`` (for
    payments the company makes) are left out."""
    return {key: event[key] for key in TRANSACTION_FIELDS if event.get(key) is not None}
