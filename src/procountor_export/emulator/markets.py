"""A demo company of each Procountor market: Finland, Sweden, Norway and Denmark.

``market_seed("se")`` is the demo seed (:func:`~procountor_export.emulator.seed.default_seed`)
with its company moved to another market: country, currency, business identifier and its type,
VAT rates and statuses, a bank account of the country (with Bankgiro/Plusgiro aliases in
Sweden, a creditor number in Denmark), exchange rates against the company currency and a
customer of the country. Chart of accounts, dimensions, fiscal years, client and API key stay
the demo's, so the same credentials and postings work in every market. ``market_seed("fi")``
is the demo seed unchanged.

*(inferred)* Procountor documents no VAT status numbers per country; the other markets reuse the
Finnish numbers for the same kinds of sale (1 domestic, 3 outside the EU, 5 and 6 EU goods and
services, 12 no VAT handling). Norway is outside the EU and so has no EU statuses. External
financing is off outside Finland (``GET /factoringcontracts`` is Finnish environments only).
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from procountor_export.emulator.seed import CompanySeed, Seed, default_seed

MARKETS = ("fi", "se", "no", "dk")
COUNTRY_CODES = {"FINLAND": "FI", "SWEDEN": "SE", "NORWAY": "NO", "DENMARK": "DK"}
"""ISO 3166 code of each market country, as ``GET /vats/country?countryCode=`` takes it."""


def _statuses(domestic: list[float], *, eu: bool) -> list[dict[str, Any]]:
    zero = [0]
    statuses: list[dict[str, Any]] = [
        {"vatStatus": 1, "description": "Domestic sales", "purchase": False,
         "vatPercents": domestic},
        {"vatStatus": 2, "description": "Domestic purchases", "sales": False,
         "vatPercents": domestic},
        {"vatStatus": 3, "description": "Sales of goods outside EU", "purchase": False,
         "vatPercents": zero},
    ]  # fmt: skip
    if eu:
        statuses += [
            {"vatStatus": 5, "description": "EU community sales of goods", "purchase": False,
             "vatPercents": zero},
            {"vatStatus": 6, "description": "EU community sales of services", "purchase": False,
             "vatPercents": zero},
        ]  # fmt: skip
    statuses.append(
        {"vatStatus": 12, "description": "No VAT handling", "purchase": False, "vatPercents": zero}
    )
    return statuses


def _vat(country: str, domestic: list[float], *, eu: bool) -> dict[str, Any]:
    return {
        "country": country,
        "percentages": [{"vatPercent": rate} for rate in [*domestic, 0]],
        "statuses": _statuses(domestic, eu=eu),
    }


def _customer(name: str, street: str, zip_code: str, city: str, country: str) -> dict[str, Any]:
    return {"name": name, "street": street, "zip": zip_code, "city": city, "country": country}


# What differs per market; every value is a seed section in its JSON form.
_MARKET_DATA: dict[str, dict[str, Any]] = {
    "se": {
        "company": {"id": 102, "name": "Transport Demo AB", "businessId": "556036-0793",
                    "businessIdType": "SE", "country": "SWEDEN", "currency": "SEK"},
        "bankAccounts": [
            {"iban": "SE4550000000058398257466", "bic": "ESSESESS", "bankName": "SEB",
             "currency": "SEK", "defaultForInvoice": True, "defaultForPayment": True,
             "associatedAccounts": [{"accountNumber": "5050-1055", "type": "BANKGIRO"},
                                    {"accountNumber": "4711-8", "type": "PLUSGIRO"}]},
        ],
        "vat": _vat("Sweden", [25, 12, 6], eu=True),
        "exchangeRates": {"EUR": 0.0893, "NOK": 0.98, "DKK": 0.666},
        "partner": ("Gamla Kunden AB", "Storgatan 1", "111 22", "Stockholm", "SWEDEN",
                    "212000-0142", "SWEDISH"),
    },
    "no": {
        "company": {"id": 103, "name": "Transport Demo AS", "businessId": "923609016",
                    "businessIdType": "NO", "country": "NORWAY", "currency": "NOK"},
        "bankAccounts": [
            {"iban": "NO9386011117947", "bic": "DABANO22", "bankName": "Danske Bank",
             "currency": "NOK", "defaultForInvoice": True, "defaultForPayment": True},
        ],
        "vat": _vat("Norway", [25, 15, 12], eu=False),
        "exchangeRates": {"EUR": 0.0855, "SEK": 1.02, "DKK": 0.638},
        "partner": ("Gammel Kunde AS", "Storgata 1", "0155", "Oslo", "NORWAY", "974760673",
                    "NORWEGIAN"),
    },
    "dk": {
        "company": {"id": 104, "name": "Transport Demo ApS", "businessId": "13585628",
                    "businessIdType": "DK", "country": "DENMARK", "currency": "DKK"},
        "bankAccounts": [
            {"iban": "DK5000400440116243", "bic": "NDEADKKK", "bankName": "Nordea",
             "currency": "DKK", "defaultForInvoice": True, "defaultForPayment": True,
             "associatedAccounts": [{"accountNumber": "87654321", "type": "KREDITOR"}]},
        ],
        "vat": _vat("Denmark", [25], eu=True),
        "exchangeRates": {"EUR": 0.134, "SEK": 1.50, "NOK": 1.57},
        "partner": ("Gammel Kunde ApS", "Vestergade 1", "1456", "København K", "DENMARK",
                    "10150817", "DANISH"),
    },
}  # fmt: skip


def _partner(
    name: str, street: str, zip_code: str, city: str, country: str, identifier: str, language: str
) -> dict[str, Any]:
    return {
        "type": "CUSTOMER",
        "name": name,
        "address": {"name": name, "street": street, "zip": zip_code, "city": city,
                    "country": country},
        "invoicingInfo": {"customerNumber": "29999", "identifier": identifier,
                          "invoiceChannel": "NO_SENDING", "language": language},
        "paymentInfo": {"paymentMethod": "BANK_TRANSFER", "paymentTermDays": "14"},
        "registryInfo": {"active": True},
    }  # fmt: skip


def market_seed(market: str) -> Seed:
    """The demo seed with its company in ``market`` (``fi``, ``se``, ``no`` or ``dk``, any
    case); raises ``ValueError`` for another."""
    code = market.strip().lower()
    if code not in MARKETS:
        raise ValueError(f"unknown market {market!r}: expected one of {', '.join(MARKETS)}")
    seed = default_seed()
    if code == "fi":
        return seed
    data = _MARKET_DATA[code]
    company = seed.companies[0].model_dump(mode="json", by_alias=True)
    company.update(
        company=data["company"],
        bankAccounts=data["bankAccounts"],
        vat=data["vat"],
        exchangeRates={key: str(Decimal(str(rate))) for key, rate in data["exchangeRates"].items()},
        businessPartners=[_partner(*data["partner"])],
        externalFinancing=False,
        factoringContracts=[],
    )
    for partner in company["businessPartners"]:
        partner["paymentInfo"]["currency"] = data["company"]["currency"]
    seed.companies[0] = CompanySeed.model_validate(company)
    return seed


def country_code(country: str) -> str:
    """The ISO code of a market country (``SWEDEN`` → ``SE``)."""
    return COUNTRY_CODES[country]


def load_seed(path: str | Path) -> Seed:
    """Read and validate a seed file (JSON); raises ``pydantic.ValidationError``, ``OSError``
    or ``ValueError``. A file holding only ``{"market": "se"}`` (fi, se, no or dk) is that
    market's demo company (:func:`market_seed`)."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if isinstance(data, dict) and set(data) == {"market"}:
        return market_seed(str(data["market"]))
    return Seed.model_validate(data)
