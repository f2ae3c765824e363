"""Sales invoices: the full object, its parts and the search summary."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from pydantic import Field

from procountor_export.procountor.enums import (
    InvoiceChannel,
    InvoiceStatus,
    InvoiceType,
    Language,
    PaymentMethod,
    Unit,
)
from procountor_export.procountor.models.attachments import Attachment
from procountor_export.procountor.models.base import Address, ApiModel


class EinvoiceAddress(ApiModel):
    """The buyer's e-invoice address and operator (intermediator) code."""

    address: str | None = None
    operator: str | None = None
    edi_id: str | None = None


class CounterParty(ApiModel):
    """The buyer as printed on the invoice (always sent, even with ``partner_id``)."""

    contact_person_name: str | None = None
    identifier: str | None = None
    tax_code: str | None = None
    customer_number: str | None = None
    email: str | None = None
    counter_party_address: Address | None = None
    einvoice_address: EinvoiceAddress | None = None


class BankAccountRef(ApiModel):
    """The seller's account the buyer pays to (an IBAN of a company bank account)."""

    account_number: str | None = None


class PaymentInfo(ApiModel):
    """Payment details of an invoice; ``bank_reference_code=""`` lets Procountor make one."""

    payment_method: PaymentMethod | None = None
    currency: str | None = None
    currency_rate: Decimal | None = None
    bank_account: BankAccountRef | None = None
    due_date: dt.date | None = None
    bank_reference_code: str | None = None
    bank_reference_code_type: str | None = None


class ExtraInfo(ApiModel):
    """``accounting_by_row``: one ledger transaction per invoice row."""

    accounting_by_row: bool | None = None
    unit_prices_include_vat: bool | None = None


class InvoiceRow(ApiModel):
    """One invoice row; rows carry no account or dimension (those live on the ledger receipt)."""

    product_id: int | None = None
    product: str | None = None
    product_code: str | None = None
    quantity: Decimal | None = None
    unit: Unit | None = None
    unit_price: Decimal | None = None
    discount_percent: Decimal | None = None
    vat_percent: Decimal | None = None
    vat_status: int | None = None
    comment: str | None = None


class InvoiceSumInfo(ApiModel):
    """Read-only totals computed by Procountor."""

    currency: str | None = None
    in_accounting_currency: bool | None = None
    excluding_vat_total: Decimal | None = None
    vat_sum_total: Decimal | None = None
    invoice_sum_total: Decimal | None = None


class Invoice(ApiModel):
    """A Procountor invoice (``type`` ``SALES_INVOICE`` for the export)."""

    id: int | None = None
    partner_id: int | None = None
    type: InvoiceType = InvoiceType.SALES_INVOICE
    status: InvoiceStatus | None = None
    date: dt.date | None = None
    counter_party: CounterParty | None = None
    billing_address: Address | None = None
    delivery_address: Address | None = None
    delivery_start_date: dt.date | None = None
    delivery_end_date: dt.date | None = None
    payment_info: PaymentInfo | None = None
    extra_info: ExtraInfo | None = None
    discount_percent: Decimal | None = None
    invoice_rows: list[InvoiceRow] = Field(default_factory=list)
    invoice_number: int | None = None
    original_invoice_number: str | None = None
    vat_status: int | None = None
    invoice_channel: InvoiceChannel | None = None
    language: Language | None = None
    additional_information: str | None = None
    notes: str | None = None
    order_reference: str | None = None
    penalty_percent: Decimal | None = None  # penal interest on late payment, 0–100 %
    # The factoring contract financing the invoice (its bank account must be the invoice's).
    factoring_contract_id: int | None = None
    factoring_text: str | None = None
    ledger_receipt_id: int | None = None
    invoice_sum_info: list[InvoiceSumInfo] | None = None
    # Read-only: the attachments Procountor holds for the invoice (upload via POST /attachments).
    attachments: list[Attachment] | None = None
    # Read-only: the date of the latest payment booked against the invoice.
    payment_date: dt.date | None = None
    version: str | None = None


class InvoiceSummary(ApiModel):
    """A hit of ``GET /invoices`` (search)."""

    id: int
    partner_id: int | None = None
    type: InvoiceType | None = None
    status: InvoiceStatus | None = None
    invoice_number: int | None = None
    original_invoice_number: str | None = None
    invoice_channel: InvoiceChannel | None = None
    date: dt.date | None = None
    due_date: dt.date | None = None
    created: str | None = None
    version: str | None = None
    invoice_sum_info: list[InvoiceSumInfo] | None = None
