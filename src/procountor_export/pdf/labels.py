"""Labels in the customer's language and numbers, dates and money in its locale (Babel).

Finnish and Swedish invoices use the Finnish locales (``fi_FI``, ``sv_FI``): the seller is a
Finnish company, and Finland-Swedish writes dates as 31.3.2025 like Finnish does. English uses
``en_GB``: day before month, as the rest of the invoice's readers in Europe expect.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_currency, format_decimal

from procountor_export.pdf.model import Language

LOCALES: dict[Language, str] = {
    Language.FI: "fi_FI",
    Language.SV: "sv_FI",
    Language.EN: "en_GB",
}

# key -> (Finnish, Swedish, English)
_LABELS: dict[str, tuple[str, str, str]] = {
    "invoice": ("Lasku", "Faktura", "Invoice"),
    "credit_note": ("Hyvityslasku", "Kreditfaktura", "Credit note"),
    "credits_invoice": (
        "Hyvitys laskusta {0}",
        "Kreditering av faktura {0}",
        "Credit for invoice {0}",
    ),
    "page": ("Sivu {0} / {1}", "Sida {0} / {1}", "Page {0} / {1}"),
    "seller": ("Myyjä", "Säljare", "Seller"),
    "buyer": ("Ostaja", "Köpare", "Buyer"),
    "invoice_address": ("Laskutusosoite", "Faktureringsadress", "Invoice address"),
    "business_id": ("Y-tunnus", "FO-nummer", "Business ID"),
    "vat_number": ("ALV-numero", "Momsregistreringsnummer", "VAT number"),
    "customer_no": ("Asiakasnumero", "Kundnummer", "Customer number"),
    "phone": ("Puhelin", "Telefon", "Phone"),
    "email": ("Sähköposti", "E-post", "Email"),
    "invoice_number": ("Laskun numero", "Fakturanummer", "Invoice number"),
    "invoice_date": ("Laskun päivämäärä", "Fakturadatum", "Invoice date"),
    "due_date": ("Eräpäivä", "Förfallodag", "Due date"),
    "delivery_period": ("Toimitusaika", "Leveransperiod", "Delivery period"),
    "your_reference": ("Viitteenne", "Er referens", "Your reference"),
    "our_reference": ("Viitteemme", "Vår referens", "Our reference"),
    "order_reference": ("Tilausviite", "Orderreferens", "Order reference"),
    "procountor_number": (
        "Procountor-laskunumero",
        "Procountor-fakturanummer",
        "Procountor invoice number",
    ),
    "bank_reference": ("Viitenumero", "Referensnummer", "Reference number"),
    "orders": ("Kuljetukset", "Transporter", "Transports"),
    "order": ("Tilaus", "Order", "Order"),
    "consignment_note": ("Rahtikirja", "Fraktsedel", "Consignment note"),
    "pickup_date": ("Noutopäivä", "Upphämtningsdatum", "Pickup date"),
    "delivery_date": ("Toimituspäivä", "Leveransdatum", "Delivery date"),
    "sender": ("Lähettäjä", "Avsändare", "Sender"),
    "recipient": ("Vastaanottaja", "Mottagare", "Recipient"),
    "distance": ("Matka", "Sträcka", "Distance"),
    "weight": ("Paino", "Vikt", "Weight"),
    "volume": ("Tilavuus", "Volym", "Volume"),
    "pallets": ("Lavat", "Pallar", "Pallets"),
    "description": ("Kuvaus", "Beskrivning", "Description"),
    "quantity": ("Määrä", "Antal", "Quantity"),
    "unit": ("Yksikkö", "Enhet", "Unit"),
    "unit_price": ("À-hinta", "À-pris", "Unit price"),
    "vat_percent": ("ALV %", "Moms %", "VAT %"),
    "amount": ("Summa", "Belopp", "Amount"),
    "vat_breakdown": ("ALV-erittely", "Momsspecifikation", "VAT breakdown"),
    "vat_rate": ("ALV-kanta", "Momssats", "VAT rate"),
    "net": ("Veroton", "Exkl. moms", "Excl. VAT"),
    "vat": ("Vero", "Moms", "VAT"),
    "gross": ("Verollinen", "Inkl. moms", "Incl. VAT"),
    "totals": ("Yhteensä", "Totalt", "Totals"),
    "total_net": ("Veroton yhteensä", "Summa exkl. moms", "Total excl. VAT"),
    "total_vat": ("ALV yhteensä", "Moms totalt", "Total VAT"),
    "total_to_pay": ("Maksettava yhteensä", "Att betala", "Total to pay"),
    "total_credited": ("Hyvitys yhteensä", "Att kreditera", "Total credited"),
    "payment_details": ("Maksutiedot", "Betalningsuppgifter", "Payment details"),
    "iban": ("Tilinumero (IBAN)", "Kontonummer (IBAN)", "Account (IBAN)"),
    "bic": ("BIC", "BIC", "BIC"),
    "payment_terms": ("Maksuehto", "Betalningsvillkor", "Payment terms"),
    "terms_net": ("{0} päivää netto", "{0} dagar netto", "{0} days net"),
    "penalty_interest": ("Viivästyskorko", "Dröjsmålsränta", "Interest on late payment"),
    "currency_note": (
        "Summat valuutassa {0}, ilman arvonlisäveroa ellei toisin mainita.",
        "Belopp i {0}, exklusive moms om inte annat anges.",
        "Amounts in {0}, excluding VAT unless stated otherwise.",
    ),
    "no_orders": (
        "Laskulla ei ole kuljetustilauksia.",
        "Fakturan har inga transportordrar.",
        "The invoice has no transport orders.",
    ),
}

# The TMS's unit codes (input-format.md) as printed; an unknown unit is printed as it is.
_UNITS: dict[str, tuple[str, str, str]] = {
    "pcs": ("kpl", "st", "pcs"),
    "km": ("km", "km", "km"),
    "kg": ("kg", "kg", "kg"),
    "t": ("t", "t", "t"),
    "h": ("h", "h", "h"),
    "pallet": ("lava", "pall", "pallet"),
    "m3": ("m³", "m³", "m³"),
    "day": ("pv", "dag", "day"),
}

_INDEX = {Language.FI: 0, Language.SV: 1, Language.EN: 2}


class Texts:
    """The labels and formats of one language; every printed word or number goes through it."""

    def __init__(self, language: Language) -> None:
        self.language = language
        self.locale = LOCALES[language]
        self._index = _INDEX[language]
        self._territories = Locale.parse(self.locale).territories

    def __call__(self, key: str, *args: object) -> str:
        """The label ``key`` in this language, with ``{0}``, ``{1}`` … filled from ``args``."""
        return _LABELS[key][self._index].format(*args)

    def unit(self, code: str | None) -> str:
        """A TMS unit code as printed in this language ("" when there is none)."""
        if not code:
            return ""
        known = _UNITS.get(code.strip().lower())
        return known[self._index] if known else code

    def country(self, code: str) -> str:
        """A country's name in this language ("Ruotsi" for SE in Finnish); unknown: the code."""
        return str(self._territories.get(code.strip().upper(), code))

    def date(self, value: dt.date | None) -> str:
        """A date in the locale's short form (31.3.2025 in Finnish)."""
        return format_date(value, "short", locale=self.locale) if value else ""

    def period(self, start: dt.date | None, end: dt.date | None) -> str:
        """A date range "start – end"; one date when both are the same or one is missing."""
        if start and end and start != end:
            return f"{self.date(start)} – {self.date(end)}"
        return self.date(start or end)

    def number(self, value: Decimal | None) -> str:
        """A quantity as precise as it is given (1 200,5 in Finnish), "" for ``None``."""
        if value is None:
            return ""
        return format_decimal(value, format="#,##0.###", locale=self.locale)

    def measure(self, value: Decimal | None, unit: str) -> str:
        """A quantity with its unit ("165 km"), "" for ``None``."""
        return f"{self.number(value)}\u00a0{unit}" if value is not None else ""

    def money(self, value: Decimal) -> str:
        """An amount with two decimals and no currency (table cells carry it in the header)."""
        return format_decimal(value, format="#,##0.00", locale=self.locale)

    def currency(self, value: Decimal, code: str) -> str:
        """An amount with its currency, as the locale writes it (1 234,50 € in Finnish)."""
        return format_currency(value, code, locale=self.locale)

    def percent(self, rate: Decimal | None) -> str:
        """A VAT rate given in percent ("25,5 %"), "" for ``None``."""
        if rate is None:
            return ""
        return f"{format_decimal(rate, format='0.##', locale=self.locale)}\u00a0%"


def group_iban(iban: str) -> str:
    """An IBAN in its printed form: groups of four characters (FI21 1234 5600 0007 85)."""
    compact = "".join(iban.split()).upper()
    return " ".join(compact[i : i + 4] for i in range(0, len(compact), 4))
