"""Typed Procountor payloads (pydantic v2), split by resource."""

from procountor_export.procountor.models.attachments import Attachment, AttachmentMeta
from procountor_export.procountor.models.base import Address, ApiModel, PageMeta
from procountor_export.procountor.models.company import (
    BankAccount,
    BusinessIdentifier,
    Company,
    Dimension,
    DimensionItem,
    FiscalYear,
    LedgerAccount,
    SessionInfo,
    TrackingPeriod,
    VatCountry,
    VatDefaults,
    VatPercentage,
    VatStatusInfo,
)
from procountor_export.procountor.models.factoring import FactoringContract, FinancingCompany
from procountor_export.procountor.models.invoices import (
    BankAccountRef,
    CounterParty,
    EinvoiceAddress,
    ExtraInfo,
    Invoice,
    InvoiceRow,
    InvoiceSumInfo,
    InvoiceSummary,
    PaymentInfo,
)
from procountor_export.procountor.models.ledger import (
    DimensionItemValue,
    LedgerReceipt,
    Transaction,
)
from procountor_export.procountor.models.partners import (
    BusinessPartner,
    BusinessPartnerSummary,
    InvoicingInfo,
    PartnerPaymentInfo,
    RegistryInfo,
)
from procountor_export.procountor.models.payments import PaymentEvent, PaymentEventSummary
from procountor_export.procountor.models.products import (
    DefaultDimension,
    DefaultDimensionItem,
    Product,
    ProductGroup,
)

__all__ = [
    "Address",
    "ApiModel",
    "Attachment",
    "AttachmentMeta",
    "BankAccount",
    "BankAccountRef",
    "BusinessIdentifier",
    "BusinessPartner",
    "BusinessPartnerSummary",
    "Company",
    "CounterParty",
    "DefaultDimension",
    "DefaultDimensionItem",
    "Dimension",
    "DimensionItem",
    "DimensionItemValue",
    "EinvoiceAddress",
    "ExtraInfo",
    "FactoringContract",
    "FinancingCompany",
    "FiscalYear",
    "Invoice",
    "InvoiceRow",
    "InvoiceSumInfo",
    "InvoiceSummary",
    "InvoicingInfo",
    "LedgerAccount",
    "LedgerReceipt",
    "PageMeta",
    "PartnerPaymentInfo",
    "PaymentEvent",
    "PaymentEventSummary",
    "PaymentInfo",
    "Product",
    "ProductGroup",
    "RegistryInfo",
    "SessionInfo",
    "TrackingPeriod",
    "Transaction",
    "VatCountry",
    "VatDefaults",
    "VatPercentage",
    "VatStatusInfo",
]
