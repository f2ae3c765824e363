"""Whether an invoice found in Procountor is this service's own (pure).

Finding an invoice whose ``originalInvoiceNumber`` equals a TMS number proves nothing: anyone
can key one in by hand, for another customer, with the same number. Adopting such an invoice
would mark the TMS invoice exported and then rewrite someone else's bookkeeping (its ledger
receipt, its approval, its sending). So an invoice found in Procountor is ours only when

* the journal recorded its id (we created it and heard back), or
* it matches the TMS invoice on everything a hand-made clash could differ in: the customer
  number (of its counterparty, else of its partner), sales invoice vs credit note, invoice
  date, currency and gross total (within a cent per row: Procountor computes VAT per row).

Anything else is left exactly as it is and the TMS invoice fails with a message naming both.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from procountor_export.export.planning.plan import CENT, InvoicePlan
from procountor_export.procountor.models import Invoice


@dataclass(frozen=True)
class Verdict:
    """The outcome of an ownership check: ``invoice`` is ours, or why none of them is."""

    invoice: Invoice | None
    stranger: Invoice | None = None  # the first invoice that is not ours, for the message
    reason: str | None = None


def differences(plan: InvoicePlan, remote: Invoice, *, partner_id: int | None) -> list[str]:
    """How ``remote`` differs from the TMS invoice ``plan`` (empty: it is the same invoice).

    ``partner_id`` is the Procountor partner of the TMS customer, when known; it stands in for
    the customer number when the remote invoice's counterparty carries none.
    """
    invoice = plan.invoice
    found: list[str] = []
    counterparty = remote.counter_party
    theirs_number = (counterparty.customer_number or "").strip() if counterparty else ""
    ours_number = invoice.customer.customer_number
    if theirs_number:
        if theirs_number != ours_number:
            found.append(f"customer number {theirs_number} (ours: {ours_number})")
    elif partner_id is None or remote.partner_id != partner_id:
        found.append(f"business partner {remote.partner_id} is not customer {ours_number}")
    if remote.type not in (None, "SALES_INVOICE"):
        found.append(f"type {remote.type}")
    gross = _gross(remote, invoice.currency)
    if gross is not None and (gross < 0) != invoice.is_credit:
        kind = "a credit note" if gross < 0 else "an invoice"
        found.append(f"it is {kind}")
    if remote.date != invoice.date:
        found.append(f"date {remote.date} (ours: {invoice.date})")
    currency = remote.payment_info.currency if remote.payment_info else None
    if currency != invoice.currency:
        found.append(f"currency {currency} (ours: {invoice.currency})")
    tolerance = CENT * max(1, len(plan.rows))
    if gross is None:
        found.append("no total")
    elif abs(gross - invoice.total_gross) > tolerance:
        found.append(f"total {gross} (ours: {invoice.total_gross})")
    return found


def _gross(remote: Invoice, currency: str) -> Decimal | None:
    sums = remote.invoice_sum_info or []
    chosen = next((s for s in sums if s.currency == currency), sums[0] if sums else None)
    return chosen.invoice_sum_total if chosen is not None else None


def choose(
    plan: InvoicePlan,
    candidates: Sequence[Invoice],
    *,
    recorded_id: int | None,
    partner_id: int | None,
) -> Verdict:
    """Ours among ``candidates`` (the live invoices carrying the TMS number), if any.

    The journal's recorded id wins outright; otherwise the first candidate that matches on
    content. When none does, the verdict names the first stranger and how it differs.
    """
    for remote in candidates:
        if recorded_id is not None and remote.id == recorded_id:
            return Verdict(remote)
    stranger: Invoice | None = None
    reason: str | None = None
    for remote in candidates:
        found = differences(plan, remote, partner_id=partner_id)
        if not found:
            return Verdict(remote)
        if stranger is None:
            stranger, reason = remote, "; ".join(found)
    return Verdict(None, stranger, reason)
