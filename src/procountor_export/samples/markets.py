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

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from types import ModuleType
from typing import Any

from stdnum import luhn
from stdnum.dk import cvr
from stdnum.iso7064 import mod_97_10
from stdnum.no import orgnr as no_orgnr
from stdnum.se import orgnr as se_orgnr

from procountor_export.samples import data
from procountor_export.samples.customers import y_tunnus
from procountor_export.samples.invoices import MONTHS, half_up, money

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
_PLACES = {
    "se": ("Stockholm", "Göteborg", "Malmö", "Uppsala", "Örebro", "Oslo", "Helsinki"),
    "no": ("Oslo", "Bergen", "Trondheim", "Stavanger", "Göteborg", "Helsinki"),
    "dk": ("København", "Aarhus", "Odense", "Aalborg", "Göteborg", "Helsinki"),
}
_UNITS = (("HEL", "TRUCK"), ("TKU", "TRUCK"), ("TRE", "VAN"))


def reference(kind: str, number: int) -> str:
    """The reference the TMS prints on invoice ``number``: the market's own (every tenth an
    RF creditor reference), check digits by python-stdnum."""
    base = str(number)
    if number % 10 == 7:
        check = mod_97_10.calc_check_digits(base + "RF")  # ISO 11649: mod 97-10 over base+RF
        return f"RF{check}{base}"
    if kind == "fik":
        padded = base.rjust(14, "0")
        return padded + luhn.calc_check_digit(padded)
    # An OCR number and a KID: the base and its mod 10 check digit (the usual KID variant).
    return base + luhn.calc_check_digit(base)


class MarketInvoices:
    """The random choices behind one market document's invoices."""

    def __init__(self, sample: MarketSample, seed: int, market: str) -> None:
        self.sample = sample
        self.random = random.Random(f"{market}-{seed}").random
        self.places = _PLACES[market]
        self.number = FIRST_NUMBER
        self.pool = [c for c in sample.customers for _ in range(c.share)]

    def _below(self, n: int) -> int:
        return int(self.random() * n)

    def invoices(self, count: int) -> Iterator[dict[str, Any]]:
        """``count`` invoices spread over :data:`MONTHS`, in date and number order."""
        months = len(MONTHS)
        last: dict[str, dict[str, Any]] = {}  # customer -> its latest invoice
        for index, (year, month) in enumerate(MONTHS):
            in_month = count * (index + 1) // months - count * index // months
            days = sorted(3 + self._below(25) for _ in range(in_month))
            for day in days:
                invoice_date = date(year, month, day)
                customer = self.pool[self._below(len(self.pool))]
                credited = last.get(customer.code)
                if credited is not None and self.number % CREDIT_EVERY == 0:
                    yield self._credit_note(credited, customer, invoice_date)
                    del last[customer.code]
                    continue
                invoice = self._invoice(customer, invoice_date)
                last[customer.code] = invoice
                yield invoice

    def _line(self, text: str, quantity: int, price: int, vat_code: str) -> dict[str, Any]:
        return {
            "description": text,
            "quantity": str(quantity),
            "unit": "pcs" if quantity == 1 else "km",
            "unit_price": money(price),
            "amount": money(price * quantity),
            "vat_code": vat_code,
        }

    def _invoice(self, customer: MarketCustomer, invoice_date: date) -> dict[str, Any]:
        words, kind = self.sample.words, customer.kind
        origin = self.places[self._below(len(self.places))]
        destination = self.places[
            (self.places.index(origin) + 1 + self._below(3)) % len(self.places)
        ]
        distance = 40 + self._below(600)
        price = 1200 + self._below(900)  # per km, in öre / øre
        lines = [self._line(words["freight"].format(origin, destination), distance, price,
                            kind.vat_code)]  # fmt: skip
        accounts = {kind.vat_code: kind.account}
        fuel = half_up(distance * price * (80 + self._below(70)), 1000)
        lines.append(self._line(words["fuel"], 1, fuel, kind.vat_code))
        if kind.account == "3010" and self.random() < 0.15:
            # A re-invoiced stay or a passenger: the market's reduced rate, another account.
            stay, passenger = self.sample.reduced
            if self.random() < 0.6:
                text, code = words["stay"], stay
            else:
                text, code = words["passenger"].format(origin, destination), passenger
            lines.append(self._line(text, 1, 90000 + 100 * self._below(400), code))
            accounts.setdefault(code, "3400")
        department, vehicle = _UNITS[self._below(len(_UNITS))]
        pickup = invoice_date - timedelta(days=1 + self._below(min(10, invoice_date.day - 1)))
        order = {
            "order_no": f"B-{self.number}",
            "pickup_date": pickup.isoformat(),
            "delivery_date": pickup.isoformat(),
            "sender": customer.record["address"],
            "recipient": {"name": f"{destination} terminal", "city": destination},
            "distance_km": str(distance),
            "lines": lines,
        }
        sums: dict[tuple[str, str], int] = {}
        for line in lines:
            code = line["vat_code"]
            key = (accounts.get(code, kind.account), code)
            cents = int(line["amount"].replace(".", ""))
            sums[key] = sums.get(key, 0) + cents
        number = self.number
        self.number += 1
        invoice = self._assemble(customer, invoice_date, number, [order], sums, department,
                                 vehicle)  # fmt: skip
        invoice["reference"] = reference(self.sample.reference, number)
        return invoice

    def _credit_note(
        self, credited: dict[str, Any], customer: MarketCustomer, invoice_date: date
    ) -> dict[str, Any]:
        """A credit note for the whole of ``credited`` (the customer's latest invoice)."""
        orders = []
        for order in credited["orders"]:
            lines = [
                {**line, "quantity": "-" + line["quantity"], "amount": "-" + line["amount"]}
                for line in order["lines"]
            ]
            orders.append({**order, "lines": lines})
        sums = {
            (posting["account"], posting["vat_code"]): -int(posting["net"].replace(".", ""))
            for posting in credited["postings"]
        }
        units = credited["postings"][0]["profit_centres"]
        number = self.number
        self.number += 1
        invoice = self._assemble(
            customer, invoice_date, number, orders, sums,
            units[data.DEPARTMENT], units[data.VEHICLE_GROUP], credited=credited["number"],
        )  # fmt: skip
        invoice["type"] = "credit"
        invoice["credited_invoice"] = credited["number"]
        invoice["text"] = self.sample.words["credit_note"].format(credited["number"])
        invoice["due_date"] = invoice["date"]
        return invoice

    def _assemble(
        self,
        customer: MarketCustomer,
        invoice_date: date,
        number: int,
        orders: list[dict[str, Any]],
        sums: dict[tuple[str, str], int],
        department: str,
        vehicle: str,
        credited: str | None = None,
    ) -> dict[str, Any]:
        rates = {rate["code"]: rate["rate"] for rate in self.sample.vat_rates}
        postings = []
        net_total = vat_total = 0
        for (account, vat_code), net in sums.items():
            vat = half_up(net * int(rates[vat_code]), 100)
            net_total += net
            vat_total += vat
            postings.append(
                {
                    "account": account,
                    "vat_code": vat_code,
                    "vat_rate": rates[vat_code],
                    "profit_centres": {data.DEPARTMENT: department, data.VEHICLE_GROUP: vehicle},
                    "net": money(net),
                    "vat": money(vat),
                }
            )
        terms = int(customer.record["payment_terms_days"])
        return {
            "number": str(number),
            "type": "invoice",
            "period": f"{invoice_date.year}-{invoice_date.month:02d}",
            "customer": customer.code,
            "date": invoice_date.isoformat(),
            "due_date": (invoice_date + timedelta(days=terms)).isoformat(),
            "currency": self.sample.office["currency"],
            "our_reference": f"{self.sample.words['our']} / {department}",
            "orders": orders,
            "postings": postings,
            "totals": {
                "net": money(net_total),
                "vat": money(vat_total),
                "gross": money(net_total + vat_total),
            },
        }


def market_head(market: str, periods: list[dict[str, Any]]) -> dict[str, Any]:
    """The market document's master data (office, profit centres, VAT rates, customers,
    ``periods``), without its invoices and export settings."""
    sample = market_sample(market)
    return {
        "office": sample.office,
        "profit_centres": list(data.PROFIT_CENTRES),
        "vat_rates": sample.vat_rates,
        "customers": [customer.record for customer in sample.customers],
        "periods": periods,
    }


def market_invoices(market: str, count: int, seed: int) -> Iterator[dict[str, Any]]:
    """The market document's ``count`` invoices (see the module docstring)."""
    code = market.strip().lower()
    yield from MarketInvoices(market_sample(code), seed, code).invoices(count)


def market_export_settings(market: str) -> dict[str, Any]:
    """The demo export settings with the market's VAT codes mapped to its VAT statuses."""
    settings = data.export_settings()
    settings["exports"][0]["codes"]["tax_rates"] = dict(market_sample(market).tax_codes)
    return settings
