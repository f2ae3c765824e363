"""The invoices of a Swedish, Norwegian or Danish sample document (:mod:`.markets` holds each
market's company, customers and VAT rates): dated in the demo's open periods, lines that add up
to their postings, a credit note now and then, and each market's payment references."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

from stdnum import luhn
from stdnum.iso7064 import mod_97_10

from procountor_export.samples import data
from procountor_export.samples.invoices import MONTHS, half_up, money
from procountor_export.samples.markets import (
    CREDIT_EVERY,
    FIRST_NUMBER,
    MarketCustomer,
    MarketSample,
    market_sample,
)

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
