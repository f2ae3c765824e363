"""Enumerations of the Procountor API (26.04) that the emulated resources check.

Every set is read from the API table (:mod:`procountor_export.apispec`), so the emulator
accepts exactly the values the spec lists; only the write rules the documentation adds on top
(e.g. EDIFACT and PAPER_INVOICE cannot be written, DKLMPKRE is read-only on invoices) are ours.
"""

from __future__ import annotations

from functools import cache

from procountor_export import apispec

_TABLE = apispec.load()


def _enum(schema: str, field: str) -> frozenset[str]:
    values = _TABLE.fields(schema)[field].enum
    if values is None:
        raise LookupError(f"{schema}.{field} has no enum in the API table")
    return frozenset(values)


UNITS = _enum("InvoiceRow", "unit")
INVOICE_CHANNELS = _enum("Invoice", "invoiceChannel")
# "EDIFACT and PAPER_INVOICE are not accepted on POST/PUT" (procountor-api.md §10).
WRITABLE_INVOICE_CHANNELS = INVOICE_CHANNELS - {"EDIFACT", "PAPER_INVOICE"}
# DKLMPKRE is deprecated and read-only on invoices (procountor-api.md §10).
INVOICE_PAYMENT_METHODS = _enum("PaymentInfo", "paymentMethod") - {"DKLMPKRE"}
PARTNER_PAYMENT_METHODS = _enum("BusinessPartnerPaymentInfo", "paymentMethod")
REFERENCE_TYPES = _enum("PaymentInfo", "bankReferenceCodeType")
LANGUAGES = _enum("Invoice", "language")
DELIVERY_METHODS = _enum("Invoice", "deliveryMethod")
INVOICE_TYPES = _enum("Invoice", "type")
INVOICE_STATUSES = _enum("Invoice", "status")
PARTNER_TYPES = _enum("BusinessPartner", "type")
PRODUCT_TYPES = _enum("Product", "type")
TRANSACTION_TYPES = _enum("Transaction", "transactionType")
LEDGER_RECEIPT_TYPES = _enum("LedgerReceipt", "type")
# The search's ``types`` parameter lists one type fewer than the receipt (no VAT_SUMMARY).
LEDGER_RECEIPT_SEARCH_TYPES = frozenset(
    _TABLE.operation("GET", "/ledgerreceipts").query["types"].enum or ()
)
LEDGER_RECEIPT_STATUSES = _enum("LedgerReceipt", "status")
ATTACHMENT_REFERENCE_TYPES = _enum("Attachment", "referenceType")
CURRENCIES = _enum("Product", "currency")
COUNTRIES = _enum("InvoiceCounterpartyAddress", "country")


def is_country(value: str) -> bool:
    """Whether ``value`` is one of Procountor's country enum names (not an ISO code)."""
    return value in COUNTRIES


@cache
def payment_event_types() -> frozenset[str]:
    """``PaymentEvent.type`` (REFERENCEPAYMENT, CREDITLOSS, …): the kinds of booked payment.

    Read on first use rather than at import, unlike the sets above: only the payment routes
    need it, and a table without the payment schemas must not stop the rest of the emulator.
    """
    return _enum("PaymentEvent", "type")
