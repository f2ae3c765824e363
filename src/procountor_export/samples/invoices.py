"""The invoice generator behind ``sample``: orders, priced lines, postings and totals.

Works in integer cents (and VAT rates in tenths of a percent) so that 50,000 invoices take a
few seconds, and formats decimal strings only at the end. Random numbers come from
``rng.random()`` arithmetic rather than ``randrange``/``choice``, which are several times
slower; the result is just as deterministic for a seed.
"""

from __future__ import annotations

import calendar
import random
from collections.abc import Iterator, Sequence
from datetime import date, timedelta
from typing import Any, TypeVar

from procountor_export.samples import data
from procountor_export.samples.payment_terms import payment_terms
from procountor_export.samples.profiles import Profile, customer_profiles

T = TypeVar("T")

# The invoicing months: the demo company's open tracking periods up to the last, open one.
MONTHS: tuple[tuple[int, int], ...] = tuple(
    [(2025, month) for month in range(2, 13)] + [(2026, month) for month in range(1, 12)]
)
FIRST_NUMBER = 100001

ACCOUNT_TEXT = {
    "3010": "Kotimaan rahtimyynti",
    "3020": "Varastointipalvelut",
    "3030": "Polttoainelisät",
    "3300": "EU-palvelumyynti",
    "3310": "Vientimyynti",
    "3400": "Muu myynti",
}
_CONTACTS = ("Matti Virtanen", "Anna Korhonen", "Juha Mäkinen", "Laura Nieminen", "Mikko Laine")
_ORDERS_PER_INVOICE = (1,) * 55 + (2,) * 25 + (3,) * 12 + (4,) * 8
CREDIT_SHARE = 0.03

# One priced line while it is built: the document's fields plus the posting account.
# (description, quantity text, unit, unit price in cents, amount in cents, VAT code, account)
Line = tuple[str, str, str, int, int, str, str]
# An order's document fields, its lines, and its units (department, vehicle group).
Order = tuple[dict[str, Any], list[Line], str, str]


def money(cents: int) -> str:
    """Cents as a decimal string with two decimals (``-1205`` -> ``"-12.05"``)."""
    if cents < 0:
        return "-" + money(-cents)
    whole, part = divmod(cents, 100)
    return f"{whole}.{part:02d}"


def last_day(year: int, month: int) -> date:
    """The last day of a month."""
    return date(year, month, calendar.monthrange(year, month)[1])


def half_up(numerator: int, denominator: int) -> int:
    """``numerator / denominator`` rounded half away from zero (Decimal's ROUND_HALF_UP)."""
    quotient = (abs(numerator) * 2 + denominator) // (2 * denominator)
    return -quotient if numerator < 0 else quotient


class InvoiceGenerator:
    """The random choices behind one document's invoices."""

    def __init__(self, seed: int) -> None:
        self.random = random.Random(seed).random
        self.number = FIRST_NUMBER
        self.order_no = 10000 + self._below(80000)
        # Addresses and profit-centre objects are shared by the orders of one document (memory),
        # never across documents: a caller that edits one document must not change the next.
        self.sites = {city: [dict(site) for site in sites] for city, sites in data.SITES.items()}
        self.units: dict[tuple[str, str], dict[str, str]] = {}
        self.profiles = customer_profiles()
        self.fuel_tenths = 110

    def _below(self, n: int) -> int:
        return int(self.random() * n)

    def _pick(self, items: Sequence[T]) -> T:
        return items[int(self.random() * len(items))]

    def invoices(self, count: int) -> Iterator[dict[str, Any]]:
        """``count`` invoices spread evenly over :data:`MONTHS`, in date and number order."""
        months = len(MONTHS)
        for index, (year, month) in enumerate(MONTHS):
            in_month = count * (index + 1) // months - count * index // months
            self.fuel_tenths = min(150, max(80, self.fuel_tenths + self._pick((-5, 0, 0, 5))))
            reduced = "ALV14" if year < 2026 else "ALV13.5"
            workdays = [
                day
                for day in range(3, calendar.monthrange(year, month)[1] + 1)
                if date(year, month, day).weekday() < 5
            ]
            days = sorted(self._pick(workdays) for _ in range(in_month))
            # This month's invoices a credit note may credit (same month: same VAT rates).
            recent: list[tuple[str, Profile, list[Order]]] = []
            period = f"{year}-{month:02d}"
            for day in days:
                invoice_date = date(year, month, day)
                if recent and self.random() < CREDIT_SHARE:
                    credited = recent.pop(self._below(len(recent)))
                    yield self._credit_note(credited, invoice_date, period)
                    continue
                profile = self._pick(self.profiles)
                orders = [
                    self._order(profile, invoice_date, reduced)
                    for _ in range(self._pick(_ORDERS_PER_INVOICE))
                ]
                invoice = self._assemble(profile, invoice_date, period, orders, credited=None)
                if self.random() < 0.4:
                    invoice["your_reference"] = _CONTACTS[len(profile.customer.code) % 5]
                if self.random() < 0.3:
                    invoice["order_reference"] = f"PO-{100000 + self._below(900000)}"
                payment_terms(invoice)
                recent.append((invoice["number"], profile, orders))
                if len(recent) > 64:
                    del recent[0]
                yield invoice

    def _credit_note(
        self, credited: tuple[str, Profile, list[Order]], invoice_date: date, period: str
    ) -> dict[str, Any]:
        """A credit note for one whole order of an earlier invoice."""
        number, profile, orders = credited
        fields, lines, department, vehicle = self._pick(orders)
        word = profile.texts["credit"]
        negated: list[Line] = [
            (word.format(text), "-" + quantity, unit, price, -amount, vat_code, account)
            for text, quantity, unit, price, amount, vat_code, account in lines
        ]
        order: Order = ({**fields}, negated, department, vehicle)
        return self._assemble(profile, invoice_date, period, [order], credited=number)

    def _assemble(
        self,
        profile: Profile,
        invoice_date: date,
        period: str,
        orders: list[Order],
        credited: str | None,
    ) -> dict[str, Any]:
        """The invoice: orders with their lines, postings aggregated from them, totals."""
        sums: dict[tuple[str, str, str, str], int] = {}
        for fields, lines, department, vehicle in orders:
            fields["lines"] = [
                {
                    "description": text,
                    "quantity": quantity,
                    "unit": unit,
                    "unit_price": money(price),
                    "amount": money(amount),
                    "vat_code": vat_code,
                }
                for text, quantity, unit, price, amount, vat_code, _ in lines
            ]
            for line in lines:
                key = (line[6], line[5], department, vehicle)
                sums[key] = sums.get(key, 0) + line[4]
        postings = []
        net_total = vat_total = 0
        for (account, vat_code, department, vehicle), net in sums.items():
            vat = half_up(net * data.VAT_TENTHS[vat_code], 1000)
            net_total += net
            vat_total += vat
            postings.append(
                {
                    "account": account,
                    "vat_code": vat_code,
                    "vat_rate": data.VAT_RATE_TEXT[vat_code],
                    "profit_centres": self._units_of(department, vehicle),
                    "net": money(net),
                    "vat": money(vat),
                    "text": ACCOUNT_TEXT[account],
                }
            )
        customer = profile.customer
        # A credit note is due at once; an invoice after the customer's payment terms.
        due = invoice_date + timedelta(days=0 if credited else profile.terms)
        invoice: dict[str, Any] = {
            "number": str(self.number),
            "type": "credit" if credited else "invoice",
            "period": period,
            "customer": customer.code,
            "date": invoice_date.isoformat(),
            "due_date": due.isoformat(),
            "currency": customer.currency,
        }
        self.number += 1
        if customer.currency_rate:
            invoice["currency_rate"] = customer.currency_rate
        invoice["our_reference"] = f"Laskutus / {orders[0][2]}"
        if credited:
            invoice["credited_invoice"] = credited
            invoice["text"] = profile.texts["credit_note"].format(credited)
        invoice["orders"] = [order[0] for order in orders]
        invoice["postings"] = postings
        invoice["totals"] = {
            "net": money(net_total),
            "vat": money(vat_total),
            "gross": money(net_total + vat_total),
        }
        return invoice

    def _units_of(self, department: str, vehicle: str) -> dict[str, str]:
        units = self.units.get((department, vehicle))
        if units is None:
            units = {data.DEPARTMENT: department, data.VEHICLE_GROUP: vehicle}
            self.units[department, vehicle] = units
        return units

    def _order(self, profile: Profile, invoice_date: date, reduced: str) -> Order:
        """One transport order picked up and delivered before the invoice date."""
        random_ = self.random
        home = profile.customer.city
        other = self._pick(profile.partner_cities)
        if profile.customer.market != "domestic":
            home, other = self._pick(data.FINNISH_CITIES), other  # a Finnish end and a foreign one
        origin, destination = (home, other) if random_() < 0.7 else (other, home)
        if origin == destination:
            distance = 6 + self._below(40)
        else:
            distance = data.ROAD_KM[origin, destination]
        finnish_end = origin if data.CITY[origin].country == "FI" else destination

        van = random_() < (0.3 if distance < 400 else 0.08)
        if van:
            weight = 40 + 5 * self._below(272)
            pallets = weight // 350
        else:
            weight = 1500 + 50 * self._below(450)
            pallets = min(33, weight // 500 + 1)
        volume_tenths = pallets * 15 if pallets else max(1, weight // 25)

        pickup = invoice_date - timedelta(days=1 + self._below(min(20, invoice_date.day - 1)))
        transit = 0 if distance < 250 else 1 if distance < 900 else 2
        delivery = min(invoice_date, pickup + timedelta(days=transit))

        self.order_no += 1
        fields: dict[str, Any] = {
            "order_no": f"A-{self.order_no}",
            "consignment_note": f"KD{self.order_no * 7 % 10_000_000:07d}",
            "pickup_date": pickup.isoformat(),
            "delivery_date": delivery.isoformat(),
            "sender": self._place(profile, origin),
            "recipient": self._place(profile, destination),
            "distance_km": str(distance),
            "weight_kg": str(weight),
            "volume_m3": f"{volume_tenths // 10}.{volume_tenths % 10}",
            "pallets": str(pallets),
        }
        lines = self._lines(profile, origin, destination, distance, van, pallets, reduced)
        return fields, lines, data.CITY[finnish_end].department, "VAN" if van else "TRUCK"

    def _place(self, profile: Profile, city: str) -> dict[str, Any]:
        """The customer's own address in its home town (mostly), else a consignee's."""
        if city == profile.customer.city and self.random() < 0.8:
            return profile.address
        return self._pick(self.sites[city])

    def _lines(
        self,
        profile: Profile,
        origin: str,
        destination: str,
        distance: int,
        van: bool,
        pallets: int,
        reduced: str,
    ) -> list[Line]:
        """The order's priced lines; every amount is exactly quantity times unit price."""
        random_ = self.random
        texts = profile.texts
        account, vat_code = profile.account, profile.vat_code
        in_sek = profile.customer.currency_rate is not None

        def priced(cents: int) -> int:
            # SEK prices are the euro prices at 11.20, kept to even öre so that half-hour
            # quantities still give whole öre.
            return half_up(cents * 112, 20) * 2 if in_sek else cents

        lines: list[Line] = []

        def add(text: str, quantity: str, unit: str, price: int, amount: int, own: str) -> None:
            lines.append((text, quantity, unit, price, amount, vat_code, account or own))

        freight_text = texts["freight"].format(origin, destination)
        if not van and distance >= 60:
            price = priced(145 + self._below(66))
            add(freight_text, str(distance), "km", price, price * distance, "3010")
        else:
            base = (4500 + distance * 90) if van else (9500 + distance * 160)
            price = priced(base // 50 * 50 + 50 * self._below(40))
            add(freight_text, "1", "pcs", price, price, "3010")
        freight = lines[0][4]
        if random_() < 0.85:
            tenths = self.fuel_tenths
            if profile.language == "en":
                percent = f"{tenths // 10}.{tenths % 10}"
            else:
                percent = f"{tenths // 10},{tenths % 10}"
            surcharge = half_up(freight * tenths, 1000)
            add(texts["fuel"].format(percent), "1", "pcs", surcharge, surcharge, "3030")
        if random_() < 0.12:
            halves = 1 + self._below(6)
            price = priced(6800)
            quantity = f"{halves // 2}.5" if halves % 2 else str(halves // 2)
            add(texts["waiting"], quantity, "h", price, price * halves // 2, "3010")
        if pallets and not van and random_() < 0.25:
            price = priced(1150)
            add(texts["pallets"], str(pallets), "pallet", price, price * pallets, "3400")
        if profile.customer.warehousing and random_() < 0.35:
            days = 3 + self._below(28)
            price = priced(max(1, pallets) * 90)
            add(texts["storage"].format(pallets), str(days), "day", price, price * days, "3020")
        if not account and distance > 300 and random_() < 0.06:
            # Re-invoiced driver's accommodation or a passenger: the reduced VAT rate, which is
            # 14 % in 2025 and 13.5 % from 2026.
            if random_() < 0.6:
                text, price = texts["lodging"], 8900 + 100 * self._below(41)
            else:
                text, price = texts["passenger"].format(origin, destination), 4500 + distance * 8
            lines.append((text, "1", "pcs", price, price, reduced, "3400"))
        return lines
