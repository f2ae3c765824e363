"""What the invoice generator looks up about each sample customer, worked out once.

A customer's profile: its line texts in its language (Finnish, Swedish or English), the posting
account and VAT code its market decides, the cities its orders go to or come from, its address
and payment terms. Each customer appears as many times as its share of the invoices, so that
picking a profile at random picks customers in their proportions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from procountor_export.samples import data
from procountor_export.samples.customers import CUSTOMERS, SampleCustomer

_MARKET = {"domestic": ("", "ALV25.5"), "eu": ("3300", "ALV0EU"), "export": ("3310", "ALV0EXP")}
_TEXTS = {
    "fi": {
        "freight": "Rahti {0}–{1}",
        "fuel": "Polttoainelisä {0} %",
        "waiting": "Odotusaika",
        "pallets": "EUR-lavat",
        "storage": "Varastointi, {0} lavaa",
        "lodging": "Kuljettajan majoitus",
        "passenger": "Henkilökuljetus {0}–{1}",
        "credit": "Hyvitys: {0}",
        "credit_note": "Hyvityslasku laskulle {0}",
    },
    "sv": {
        "freight": "Frakt {0}–{1}",
        "fuel": "Bränsletillägg {0} %",
        "waiting": "Väntetid",
        "pallets": "EUR-pallar",
        "storage": "Lagring, {0} pallar",
        "credit": "Kreditering: {0}",
        "credit_note": "Kreditnota för faktura {0}",
    },
    "en": {
        "freight": "Freight {0}–{1}",
        "fuel": "Fuel surcharge {0} %",
        "waiting": "Waiting time",
        "pallets": "EUR pallets",
        "storage": "Warehousing, {0} pallets",
        "credit": "Credit: {0}",
        "credit_note": "Credit note for invoice {0}",
    },
}


@dataclass(slots=True)
class Profile:
    """What the generator looks up about a customer for every order, worked out once."""

    customer: SampleCustomer
    texts: dict[str, str]
    language: str
    account: str  # "" = by line kind (domestic)
    vat_code: str
    partner_cities: Sequence[str]  # where its orders go to or come from
    address: dict[str, Any]  # shared by this document's orders (read-only)
    terms: int


def customer_profiles() -> list[Profile]:
    """Every customer's profile, repeated by its share of the invoices.

    A new list with new addresses at each call: the profiles are shared by the orders of one
    document (memory), never across documents, since a caller may edit one document.
    """
    profiles: list[Profile] = []
    for customer in CUSTOMERS:
        language = customer.language if customer.language in _TEXTS else "en"
        account, vat_code = _MARKET[customer.market]
        country = data.CITY[customer.city].country
        partners = [c.name for c in data.CITIES if c.country == country]
        profiles += [
            Profile(
                customer,
                _TEXTS[language],
                language,
                account,
                vat_code,
                data.FINNISH_CITIES if country == "FI" else partners,
                dict(customer.record["address"]),
                int(customer.record.get("payment_terms_days", 14)),
            )
        ] * customer.share  # weighted: a customer's share of the invoices
    return profiles
