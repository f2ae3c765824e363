"""The values a PDF copy is rendered from: plain, frozen, and independent of the store.

The renderer (:func:`procountor_export.pdf.render`) knows nothing of database rows or of the
TMS document: whoever wants a PDF builds a :class:`PdfInvoice` (the export does it in
``export/pdf_copy.py``). Money and quantities are :class:`~decimal.Decimal`, dates are
:class:`datetime.date`; an optional field left ``None`` is simply not printed.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal


class Variant(enum.Enum):
    """Which PDF to produce (the article's "Reduce PDF file size" option picks REDUCED).

    NORMAL: bold headings, italic notes, underlined totals, an embedded TrueType font.
    REDUCED: no bold, italic or underline, and a standard PDF font that is not embedded; a
    fraction of the size for the same content. Both have compressed page streams.
    """

    NORMAL = "normal"
    REDUCED = "reduced"


class Language(enum.StrEnum):
    """The invoice language: labels, and the locale of numbers, dates and money."""

    FI = "fi"
    SV = "sv"
    EN = "en"
    NB = "nb"  # Norwegian bokmål
    DA = "da"

    @classmethod
    def of(cls, code: str | None) -> Language:
        """The language for an ISO 639-1 code; Finnish when none, English when unsupported.

        Finnish is the TMS default (``input-format.md``); a customer with another language
        (German, say) reads English better than Finnish. Norwegian may come as ``no`` (the
        macrolanguage), ``nb`` (bokmål) or ``nn`` (nynorsk, whose readers read bokmål
        invoices); a region (``sv-SE``, ``nb_NO``) is ignored.
        """
        if not code or not code.strip():
            return cls.FI
        base = code.strip().lower().replace("_", "-").split("-")[0]
        try:
            return cls(_ALIASES.get(base, base))
        except ValueError:
            return cls.EN


_ALIASES = {"no": "nb", "nn": "nb", "nob": "nb", "nno": "nb", "nor": "nb"}


@dataclass(frozen=True)
class Address:
    """A postal address as the TMS gives it (country as ISO 3166-1 alpha-2)."""

    name: str
    specifier: str | None = None
    street: str | None = None
    zip: str | None = None
    city: str | None = None
    country: str | None = None

    def lines(self, country_name: Callable[[str], str] = str) -> tuple[str, ...]:
        """The printed lines: name, c/o, street, "zip city", country (empty parts left out).

        ``country_name`` turns the ISO code into what is printed (the renderer gives the
        country's name in the invoice's language); by default the code itself.
        """
        town = " ".join(part for part in (self.zip, self.city) if part)
        country = country_name(self.country) if self.country else None
        parts = (self.name, self.specifier, self.street, town, country)
        return tuple(part for part in parts if part)

    def one_line(self, country_name: Callable[[str], str] = str) -> str:
        """Name and place on one line, for an order's sender and recipient."""
        return ", ".join(self.lines(country_name))


@dataclass(frozen=True)
class Seller:
    """The invoicing company: the TMS office."""

    name: str
    address: Address | None = None
    business_id: str | None = None
    vat_number: str | None = None
    phone: str | None = None
    email: str | None = None
    country: str | None = None
    """The seller's market (ISO 3166-1 alpha-2: FI, SE, NO, DK); ``None``: its address's."""

    @property
    def market(self) -> str:
        """The market whose habits the copy follows: ``country``, else the address's, else FI.

        It picks the locale of a Swedish invoice (``sv_SE`` for a Swedish seller, ``sv_FI``
        for a Finnish one) and how the payment reference is named (OCR, KID).
        """
        country = self.country or (self.address.country if self.address else None)
        return (country or "FI").strip().upper()


@dataclass(frozen=True)
class Buyer:
    """The customer; ``address`` is its main address (the invoice address is separate)."""

    name: str
    address: Address
    customer_no: str | None = None
    business_id: str | None = None
    vat_number: str | None = None


@dataclass(frozen=True)
class InvoiceHeader:
    """Who, when and which: the invoice's identifying facts.

    ``credited_invoice`` is printed only on a credit note (``is_credit``). The Procountor
    invoice number and bank reference are known only once Procountor created the invoice.
    """

    number: str
    date: dt.date
    due_date: dt.date
    currency: str
    is_credit: bool = False
    credited_invoice: str | None = None
    delivery_from: dt.date | None = None
    delivery_to: dt.date | None = None
    your_reference: str | None = None
    our_reference: str | None = None
    order_reference: str | None = None
    text: str | None = None
    procountor_number: str | None = None
    bank_reference: str | None = None


@dataclass(frozen=True)
class OrderLine:
    """One priced line of an order; ``vat_rate`` in percent when known."""

    description: str
    quantity: Decimal
    unit: str | None
    unit_price: Decimal
    amount: Decimal
    vat_rate: Decimal | None = None


@dataclass(frozen=True)
class Order:
    """A transport order invoiced on the invoice, with the details the article names."""

    order_no: str | None = None
    consignment_note: str | None = None
    pickup_date: dt.date | None = None
    delivery_date: dt.date | None = None
    sender: Address | None = None
    recipient: Address | None = None
    distance_km: Decimal | None = None
    weight_kg: Decimal | None = None
    volume_m3: Decimal | None = None
    pallets: Decimal | None = None
    lines: tuple[OrderLine, ...] = ()


@dataclass(frozen=True)
class VatLine:
    """The invoice's amounts at one VAT rate (percent)."""

    rate: Decimal
    net: Decimal
    vat: Decimal

    @property
    def gross(self) -> Decimal:
        """Net plus VAT."""
        return self.net + self.vat


@dataclass(frozen=True)
class Totals:
    """The invoice totals as the TMS computed them (negative on a credit note)."""

    net: Decimal
    vat: Decimal
    gross: Decimal


@dataclass(frozen=True)
class PaymentDetails:
    """Where and by when to pay; ``reference`` is the bank reference when there is one.

    ``terms_days`` is the payment term (days net) and ``penalty_interest`` the interest on
    late payment in percent, both printed when known.
    """

    due_date: dt.date
    iban: str | None = None
    bic: str | None = None
    reference: str | None = None
    terms_days: int | None = None
    penalty_interest: Decimal | None = None


@dataclass(frozen=True)
class PdfInvoice:
    """Everything printed on the PDF copy of one TMS invoice or credit note.

    ``invoice_address`` is the billing address when it differs from the buyer's address;
    ``legal_notes`` the VAT notes the law asks for (reverse charge, exemptions), already in the
    invoice's language.
    """

    seller: Seller
    buyer: Buyer
    header: InvoiceHeader
    totals: Totals
    payment: PaymentDetails
    language: Language = Language.FI
    invoice_address: Address | None = None
    orders: tuple[Order, ...] = ()
    vat_breakdown: tuple[VatLine, ...] = ()
    legal_notes: tuple[str, ...] = ()
