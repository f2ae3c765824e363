"""Sample documents of a haulier in Sweden, Norway or Denmark (``generate_document(...,
market="se")``), for the emulator's company of the same market (``market_seed("se")``).

Each market's document is its own company's invoicing, in its currency and with its habits:

- ``se``: Transport Demo AB, SEK, VAT 25 / 12 / 6 %, OCR references (mod 10), Swedish
  organisation numbers; a Norwegian customer (export, 0 %) and a Finnish one (EU services,
  0 %) among the Swedish ones;
- ``no``: Transport Demo AS, NOK, VAT 25 / 12 %, KID references (mod 10), Norwegian
  organisation numbers; a Swedish and a Finnish customer (export: Norway is outside the EU);
- ``dk``: Transport Demo ApS, DKK, VAT 25 %, FI card +71 payment ids (mod 10, 15 digits),
  Danish CVR numbers; a Swedish and a Finnish customer (EU services, 0 %).

Every tenth invoice carries an RF creditor reference instead, which each market takes. The
office, its bank account and business ID are the emulator company's (so the pre-flight checks
pass); profit centres, accounts, fiscal periods and the API key are the demo's, which every
market's emulator company keeps. The promises of :mod:`.generator` hold: the same arguments
give the same document, every amount is a decimal string, lines add up to the postings per
account and VAT code, a posting's VAT is its net times the rate rounded half up, the totals are
the postings' sums, every invoice is dated in an open period, and a credit note credits a whole
earlier invoice of the same customer.

Identifiers and references are computed with python-stdnum, never typed in with their check
digits, so every one is valid by construction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from stdnum.dk import cvr
from stdnum.no import orgnr as no_orgnr
from stdnum.se import orgnr as se_orgnr

from procountor_export.samples.customers import y_tunnus

MARKETS = ("fi", "se", "no", "dk")
FIRST_NUMBER = 300001
CREDIT_EVERY = 29  # about one invoice in 30 is a credit note


def _with_check(base: str, module: ModuleType) -> str:
    """``base`` and the one digit that makes it valid for ``module`` (a stdnum number)."""
    for digit in "0123456789":
        if module.is_valid(base + digit):
            return base + digit
    raise ValueError(f"{base} has no valid check digit for {module.__name__}")


def se_orgnr_of(base: str) -> str:
    """A Swedish organisation number (``NNNNNN-NNNN``) from nine digits."""
    number = _with_check(base, se_orgnr)
    return f"{number[:6]}-{number[6:]}"


@dataclass(frozen=True)
class Kind:
    """A customer's kind of sale in the document's market: VAT code and posting account."""

    vat_code: str
    account: str


@dataclass(frozen=True)
class MarketCustomer:
    """A customer of a market's document: its record and its kind of sale."""

    record: dict[str, Any]
    kind: Kind
    share: int = 10

    @property
    def code(self) -> str:
        return str(self.record["code"])


@dataclass(frozen=True)
class MarketSample:
    """What differs per market: the office, VAT rates, customers, words and references."""

    office: dict[str, Any]
    vat_rates: list[dict[str, Any]]
    tax_codes: dict[str, str]
    customers: tuple[MarketCustomer, ...]
    # The VAT codes of a re-invoiced driver's stay and of a passenger (domestic sales only).
    reduced: tuple[str, str]
    words: dict[str, str]
    reference: str  # "ocr" | "kid" | "fik"
    texts: dict[str, str] = field(default_factory=dict)


def _customer(
    code: str,
    number: int,
    name: str,
    corporate_id: str,
    vat_number: str | None,
    address: tuple[str, str, str, str],
    language: str,
    channel: str,
    kind: Kind,
    share: int = 10,
    einvoice: tuple[str, str] | None = None,
) -> MarketCustomer:
    street, zip_code, city, country = address
    record: dict[str, Any] = {
        "code": code,
        "customer_no": str(5000 + number),
        "sales_ledger_no": str(40000 + number),
        "name": name,
        "corporate_id": corporate_id,
        "address": {"name": name, "street": street, "zip": zip_code, "city": city,
                    "country": country},
        "language": language,
        "invoice_channel": channel,
        "payment_terms_days": 30 if number % 2 else 14,
    }  # fmt: skip
    if vat_number:
        record["vat_number"] = vat_number
    if channel == "email":
        record["email"] = f"faktura@{code.lower()}.example"
    if einvoice is not None:
        record["ovt"], record["edi_code"] = einvoice
    return MarketCustomer(record, kind, share)


def _finnish_customer(number: int, kind: Kind, language: str) -> MarketCustomer:
    business_id = y_tunnus("2345671")
    return _customer(
        "POHTUK", number, "Pohjolan Tukku Oy", business_id, "FI" + business_id.replace("-", ""),
        ("Tikkurilantie 10", "01300", "Vantaa", "FI"), language, "email", kind, share=6,
    )  # fmt: skip


def _rate(code: str, name: str, rate: str, kind: str, note: str | None = None) -> dict[str, Any]:
    made: dict[str, Any] = {"code": code, "name": name, "rate": rate, "kind": kind}
    if note:
        made["note"] = note
    return made


# The legal notes the TMS prints, in the market's language: the service's own default notes
# cite Finnish law, which a Swedish, Norwegian or Danish invoice must not.
_SE_EXPORT_NOTE = "Export av tjänst, undantagen från moms (3 kap. 30 a § ML)."
_SE_EU_NOTE = "Omvänd betalningsskyldighet (artikel 44 och 196 i direktiv 2006/112/EG)."
_NO_EXPORT_NOTE = "Utførsel av tjenester, fritatt for merverdiavgift (mval. § 6-22)."
_DK_EU_NOTE = "Omvendt betalingspligt (artikel 44 og 196 i direktiv 2006/112/EF)."


def _sweden() -> MarketSample:
    domestic, eu, export = Kind("MOMS25", "3010"), Kind("MOMS0EU", "3300"), Kind("MOMS0EXP", "3310")
    orgnr = se_orgnr_of("556036079")
    customers = (
        _customer("GAMKUN", 1, "Gamla Kunden AB", "212000-0142", "SE212000014201",
                  ("Storgatan 1", "111 22", "Stockholm", "SE"), "sv", "email", domestic, 30),
        _customer("NORBYG", 2, "Nordiska Byggvaror AB", se_orgnr_of("556677889"),
                  "SE556677889901", ("Hamngatan 14", "411 04", "Göteborg", "SE"), "sv", "mail",
                  domestic, 20),
        _customer("MALLOG", 3, "Malmö Logistik AB", se_orgnr_of("556123456"), None,
                  ("Industrigatan 5", "211 20", "Malmö", "SE"), "sv", "e-invoice", domestic, 15,
                  # An e-invoice to a bank account (IBAN); the TMS keeps an operator code too,
                  # which a Swedish company is never sent (§7.15).
                  einvoice=("SE1950000000054910000000", "ESSESESS")),
        _customer("NORKAP", 4, "Nordkapp Transport AS", no_orgnr.compact("923456783"),
                  "NO923456783MVA", ("Havnegata 9", "9008", "Tromsø", "NO"), "nb", "email",
                  export, 6),
        _finnish_customer(5, eu, "sv"),
    )  # fmt: skip
    return MarketSample(
        office={
            "code": "DEMOSE", "name": "Transport Demo AB", "currency": "SEK",
            "business_id": orgnr, "vat_number": "SE" + orgnr.replace("-", "") + "01",
            "address": {"name": "Transport Demo AB", "street": "Hamnvägen 1", "zip": "115 41",
                        "city": "Stockholm", "country": "SE"},
            "phone": "+46 8 123 456", "email": "fakturor@transportdemo.example",
            "bank_account": "SE4550000000058398257466", "bic": "ESSESESS",
        },
        vat_rates=[
            _rate("MOMS25", "Moms 25 %", "25", "domestic"),
            _rate("MOMS12", "Moms 12 %", "12", "domestic"),
            _rate("MOMS6", "Moms 6 %", "6", "domestic"),
            _rate("MOMS0EU", "Moms 0 %, EU-tjänst", "0", "eu_services", _SE_EU_NOTE),
            _rate("MOMS0EXP", "Moms 0 %, export", "0", "export", _SE_EXPORT_NOTE),
        ],
        tax_codes={"MOMS25": "vat_1", "MOMS12": "vat_1", "MOMS6": "vat_1",
                   "MOMS0EU": "vat_6", "MOMS0EXP": "vat_3"},
        customers=customers,
        reduced=("MOMS12", "MOMS6"),
        words={"freight": "Frakt {0}–{1}", "fuel": "Bränsletillägg", "stay": "Hotell, förare",
               "passenger": "Persontransport {0}–{1}", "credit_note": "Kreditnota för faktura {0}",
               "our": "Fakturering"},
        reference="ocr",
    )  # fmt: skip


def _norway() -> MarketSample:
    domestic, export = Kind("MVA25", "3010"), Kind("MVA0EXP", "3310")
    orgnr = _with_check("92360901", no_orgnr)
    customers = (
        _customer("GAMKUN", 1, "Gammel Kunde AS", "974760673", "NO974760673MVA",
                  ("Storgata 1", "0155", "Oslo", "NO"), "nb", "email", domestic, 30),
        _customer("FJORDL", 2, "Fjord Lager AS", _with_check("98765432", no_orgnr), None,
                  ("Bryggen 3", "5003", "Bergen", "NO"), "nb", "mail", domestic, 20),
        _customer("NORBYG", 3, "Nordiska Byggvaror AB", se_orgnr_of("556677889"),
                  "SE556677889901", ("Hamngatan 14", "411 04", "Göteborg", "SE"), "sv",
                  "email", export, 8),
        _finnish_customer(4, export, "en"),
    )  # fmt: skip
    return MarketSample(
        office={
            "code": "DEMONO", "name": "Transport Demo AS", "currency": "NOK",
            "business_id": orgnr, "vat_number": f"NO{orgnr}MVA",
            "address": {"name": "Transport Demo AS", "street": "Havnelageret 1", "zip": "0150",
                        "city": "Oslo", "country": "NO"},
            "bank_account": "NO9386011117947", "bic": "DABANO22",
        },
        vat_rates=[
            _rate("MVA25", "MVA 25 %", "25", "domestic"),
            _rate("MVA12", "MVA 12 %", "12", "domestic"),
            _rate("MVA0EXP", "MVA 0 %, utførsel", "0", "export", _NO_EXPORT_NOTE),
        ],
        tax_codes={"MVA25": "vat_1", "MVA12": "vat_1", "MVA0EXP": "vat_3"},
        customers=customers,
        reduced=("MVA12", "MVA12"),
        words={"freight": "Frakt {0}–{1}", "fuel": "Drivstofftillegg", "stay": "Hotell, sjåfør",
               "passenger": "Persontransport {0}–{1}", "credit_note": "Kreditnota for faktura {0}",
               "our": "Fakturering"},
        reference="kid",
    )  # fmt: skip


def _denmark() -> MarketSample:
    domestic, eu = Kind("MOMS25", "3010"), Kind("MOMS0EU", "3300")
    customers = (
        _customer("GAMKUN", 1, "Gammel Kunde ApS", "10150817", "DK10150817",
                  ("Vestergade 1", "1456", "København K", "DK"), "da", "email", domestic, 30),
        _customer("JYSKLA", 2, "Jysk Lager A/S", _with_check("2987654", cvr), None,
                  ("Havnegade 7", "8000", "Aarhus C", "DK"), "da", "mail", domestic, 20),
        _customer("NORBYG", 3, "Nordiska Byggvaror AB", se_orgnr_of("556677889"),
                  "SE556677889901", ("Hamngatan 14", "411 04", "Göteborg", "SE"), "sv",
                  "email", eu, 8),
        _finnish_customer(4, eu, "en"),
    )  # fmt: skip
    return MarketSample(
        office={
            "code": "DEMODK", "name": "Transport Demo ApS", "currency": "DKK",
            "business_id": "13585628", "vat_number": "DK13585628",
            "address": {"name": "Transport Demo ApS", "street": "Havnen 1", "zip": "1000",
                        "city": "København K", "country": "DK"},
            "bank_account": "DK5000400440116243", "bic": "NDEADKKK",
        },
        vat_rates=[
            _rate("MOMS25", "Moms 25 %", "25", "domestic"),
            _rate("MOMS0EU", "Moms 0 %, EU-tjenester", "0", "eu_services", _DK_EU_NOTE),
        ],
        tax_codes={"MOMS25": "vat_1", "MOMS0EU": "vat_6"},
        customers=customers,
        reduced=("MOMS25", "MOMS25"),  # Denmark has one rate
        words={"freight": "Fragt {0}–{1}", "fuel": "Brændstoftillæg", "stay": "Hotel, chauffør",
               "passenger": "Persontransport {0}–{1}", "credit_note": "Kreditnota for faktura {0}",
               "our": "Fakturering"},
        reference="fik",
    )  # fmt: skip


def market_sample(market: str) -> MarketSample:
    """The sample data of ``market`` (``se``, ``no`` or ``dk``; any case)."""
    code = market.strip().lower()
    makers = {"se": _sweden, "no": _norway, "dk": _denmark}
    if code not in makers:
        raise ValueError(f"unknown market {market!r}: expected one of {', '.join(MARKETS)}")
    return makers[code]()


# Places the freight goes between (a domestic leg and, for foreign customers, the border).
