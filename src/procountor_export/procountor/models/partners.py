"""Business partners (customers)."""

from __future__ import annotations

from pydantic import Field

from procountor_export.procountor.enums import InvoiceChannel, Language, PartnerType
from procountor_export.procountor.models.base import Address, ApiModel


class InvoicingInfo(ApiModel):
    """How the partner is invoiced; ``customer_number`` is the TMS sales ledger number.

    Procountor's ``InvoicingInfo`` has no VAT-number field: the VAT number travels on each
    invoice as ``counterParty.taxCode``.
    """

    customer_number: str | None = None
    identifier: str | None = None
    identifier_type: str | None = None
    ovt: str | None = None
    einvoice_address: str | None = None
    einvoice_operator: str | None = None
    invoice_channel: InvoiceChannel | None = None
    language: Language | None = None
    email: str | None = None


class PartnerPaymentInfo(ApiModel):
    """Payment terms of a partner; ``payment_term_days`` is a string in Procountor."""

    payment_method: str | None = None
    payment_term_days: str | None = None
    currency: str | None = None


class RegistryInfo(ApiModel):
    """Registry details; ``active`` tells whether the partner is in use."""

    active: bool | None = None
    phone: str | None = None


class BusinessPartner(ApiModel):
    """A full business partner (``GET /businesspartners/{ids}``)."""

    id: int | None = None
    type: PartnerType = PartnerType.CUSTOMER
    name: str | None = None
    address: Address | None = None
    billing_address: Address | None = None
    delivery_address: Address | None = None
    invoicing_info: InvoicingInfo | None = None
    payment_info: PartnerPaymentInfo | None = None
    registry_info: RegistryInfo | None = None
    version: str | None = None


class BasicInvoicingInfo(ApiModel):
    """The invoicing info of a search hit: its numbers only."""

    customer_number: str | None = None
    identifier: str | None = None
    identifier_type: str | None = None


class BasicRegistryInfo(ApiModel):
    """The registry info of a search hit: whether the partner is active."""

    active: bool | None = None


class BusinessPartnerSummary(ApiModel):
    """A search hit of ``GET /businesspartners``."""

    id: int
    name: str | None = None
    type: PartnerType | None = None
    billing_address: Address | None = None
    invoicing_info: BasicInvoicingInfo = Field(default_factory=BasicInvoicingInfo)
    registry_info: BasicRegistryInfo | None = None
    version: str | None = None
