"""Plain, immutable views of what the export works on, read from the store once per run.

Planning and checks take these instead of ORM objects, so they stay pure (no session, no lazy
loads) and can be unit-tested by building values directly.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from procountor_export.store.models import AfterCreate, CustomerUpdates


@dataclass(frozen=True)
class AddressData:
    """A postal address as the TMS gives it (country as ISO alpha-2)."""

    name: str
    specifier: str | None = None
    street: str | None = None
    zip: str | None = None
    city: str | None = None
    country: str | None = None

    @classmethod
    def from_json(cls, value: Mapping[str, Any] | None) -> AddressData | None:
        """Build from the stored JSON object (``None`` stays ``None``)."""
        if not value:
            return None
        return cls(
            name=str(value.get("name") or ""),
            specifier=value.get("specifier"),
            street=value.get("street"),
            zip=value.get("zip"),
            city=value.get("city"),
            country=value.get("country"),
        )


@dataclass(frozen=True)
class CustomerData:
    """The customer fields the export sends to Procountor."""

    code: str
    customer_no: str
    sales_ledger_no: str | None
    name: str
    address: AddressData
    invoice_address: AddressData | None = None
    corporate_id: str | None = None
    vat_number: str | None = None
    email: str | None = None
    phone: str | None = None
    language: str = "fi"
    edi_code: str | None = None
    ovt: str | None = None
    invoice_channel: str = "none"
    payment_terms_days: int = 14
    penalty_interest: Decimal | None = None  # percent; an invoice's own overrides it

    @property
    def customer_number(self) -> str:
        """The Procountor customer number: the sales ledger number ("" when there is none)."""
        return (self.sales_ledger_no or "").strip()

    @property
    def billing_address(self) -> AddressData:
        """Where invoices go: the invoice address if the customer has one."""
        return self.invoice_address or self.address


@dataclass(frozen=True)
class PostingData:
    """One line of account coding; ``units`` are (profit centre name, unit code) pairs."""

    account: str
    vat_code: str
    vat_rate: Decimal
    net: Decimal
    vat: Decimal
    units: tuple[tuple[str, str], ...] = ()
    text: str | None = None
    # The VAT rate's kind (``vat_notes.KINDS``) and its own legal note, if the TMS gave one.
    vat_kind: str = "domestic"
    vat_note: str | None = None


@dataclass(frozen=True)
class InvoiceData:
    """A TMS invoice or credit note, with its customer and postings."""

    id: int
    number: str
    period_id: str
    date: dt.date
    due_date: dt.date
    currency: str
    customer: CustomerData
    postings: tuple[PostingData, ...]
    total_net: Decimal
    total_vat: Decimal
    total_gross: Decimal
    type: str = "invoice"
    credited_invoice: str | None = None
    currency_rate: Decimal = Decimal(1)
    our_reference: str | None = None
    your_reference: str | None = None
    order_reference: str | None = None
    # The payment reference the TMS printed (as given, spaces and all; None: Procountor makes
    # one) and the invoice's own penalty interest (see ``penalty_percent``).
    reference: str | None = None
    penalty_interest: Decimal | None = None
    text: str | None = None
    # The delivery period: first pickup and last delivery of the invoice's orders (a Finnish
    # invoice must show when the service was delivered; it also fixes the VAT point).
    delivery_start: dt.date | None = None
    delivery_end: dt.date | None = None
    # The import's hash of the invoice's content: tells whether the stored invoice changed
    # between the run's read and its claim.
    content_hash: str = ""

    @property
    def is_credit(self) -> bool:
        """A credit note (its postings are negative)."""
        return self.type == "credit"

    @property
    def penalty_percent(self) -> Decimal | None:
        """The penalty interest to send: the invoice's own, else its customer's."""
        if self.penalty_interest is not None:
            return self.penalty_interest
        return self.customer.penalty_interest


@dataclass(frozen=True)
class OfficeData:
    """The seller: the invoicing company in the TMS."""

    name: str
    currency: str
    bank_account: str | None = None
    business_id: str | None = None
    bic: str | None = None
    vat_number: str | None = None


@dataclass(frozen=True)
class ExportConfig:
    """An export definition as the run uses it (the API key is resolved separately)."""

    id: int
    name: str
    tax_codes: Mapping[str, str] = field(default_factory=dict)
    include_pdf: bool = False
    reduce_pdf: bool = False
    after_create: AfterCreate = AfterCreate.LEAVE
    product_group: str = "OpterGroup"
    # The contract number of the Procountor factoring contract financing the export's
    # invoices (None: not financed) and the text sent with it.
    factoring_contract: str | None = None
    factoring_text: str | None = None
    # create_and_update (the article) | create_only | none: what may be done to customers.
    customer_updates: CustomerUpdates = CustomerUpdates.CREATE_AND_UPDATE

    def vat_status(self, vat_code: str) -> int | None:
        """The Procountor VAT status for a TMS VAT code (``vat_1`` -> 1), if mapped."""
        code = self.tax_codes.get(vat_code)
        if code is None:
            return None
        digits = code.strip().lower().removeprefix("vat_")
        return int(digits) if digits.isdigit() else None
