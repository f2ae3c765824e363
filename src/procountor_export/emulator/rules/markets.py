"""What a company's market (its country) decides about invoice and partner bodies.

- The fields the API marks "valid only in Finnish environments" (procountor-api.md §7.15: on
  the invoice and on a partner's ``invoicingInfo``) are refused in a company of another
  country. Strict reading: the key being there at all is refused, ``null`` and ``""``
  included, since the API gives such a field no meaning outside Finland.
- The e-invoice ``operator`` is required only in a Finnish company (and there, as before,
  only for a buyer in FINLAND).

Reference types and check digits per country are :mod:`.references`; VAT rates and statuses
are the company's own (:mod:`.vat`), whatever its country.
"""

from __future__ import annotations

from typing import Any

from procountor_export.emulator.errors import Problems

FINLAND = "FINLAND"
FINNISH_ONLY = (
    "orderNumber", "agreementNumber", "accountingCode", "deliverySite", "tenderReference",
    "buyerReferenceIdentifier", "sellerReferenceIdentifier",
)  # fmt: skip


def finnish_only_message(field: str) -> str:
    """The refusal of a Finnish-only ``field`` in another market."""
    return f"'{field}' is valid only in Finnish environments"


def check_finnish_only(data: Any, prefix: str, country: str, problems: Problems) -> None:
    """Refuse each Finnish-only field of the object ``data`` (at path ``prefix``) when the
    company's ``country`` is not Finland."""
    if country == FINLAND or not isinstance(data, dict):
        return
    for name in FINNISH_ONLY:
        if name in data:
            path = f"{prefix}.{name}" if prefix else name
            problems.add(path, finnish_only_message(path))


def operator_required(company_country: str, buyer_country: object) -> bool:
    """Whether an e-invoice needs ``einvoiceAddress.operator``: a Finnish company's invoice to
    a buyer in FINLAND (the caller counts an address without ``country`` as Finnish)."""
    return company_country == FINLAND and buyer_country == FINLAND
