"""The PDF copy of a TMS invoice: values in, PDF bytes out.

``render(invoice, variant) -> bytes`` is the whole contract. The values (:class:`PdfInvoice`
and its parts) are this package's own; it imports nothing else from the project, does no I/O
and knows no database rows. ``export/pdf_copy.py`` builds the values from the store.
"""

from __future__ import annotations

from procountor_export.pdf.document import render
from procountor_export.pdf.model import (
    Address,
    Buyer,
    InvoiceHeader,
    Language,
    Order,
    OrderLine,
    PaymentDetails,
    PdfInvoice,
    Seller,
    Totals,
    Variant,
    VatLine,
)

__all__ = [
    "Address",
    "Buyer",
    "InvoiceHeader",
    "Language",
    "Order",
    "OrderLine",
    "PaymentDetails",
    "PdfInvoice",
    "Seller",
    "Totals",
    "Variant",
    "VatLine",
    "render",
]
