"""The seed: everything an emulated Procountor environment starts with.

A seed is a JSON file validated by :class:`Seed`. It holds the API clients (client id and
secret), the limits and faults, and one entry per company with its API key and master data:
company details, bank accounts, chart of accounts, dimensions and items, VAT percentages and
statuses, fiscal years with tracking periods, currencies, users' rights, existing business
partners, product groups and factoring contracts. ``default_seed()`` is the demo company the
sample data fits; :func:`procountor_export.emulator.markets.market_seed` builds one of each
Procountor market (Finland, Sweden, Norway, Denmark); seed files are read by
:func:`procountor_export.emulator.markets.load_seed` (a file ``{"market": "se"}`` is that company).
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from importlib import resources
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from procountor_export import apispec


class SeedModel(BaseModel):
    """Base of every seed section: camelCase keys as in the API, unknown keys rejected."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class ClientSeed(SeedModel):
    """One API client application (the OAuth client)."""

    client_id: str = Field(alias="clientId")
    client_secret: str = Field(alias="clientSecret")


class LimitsSeed(SeedModel):
    """Limits of the emulated API."""

    rate_limit: float | None = Field(default=20.0, alias="rateLimit")
    """Requests per second per client id; ``None`` or 0 switches the limiter off."""
    rate_limit_mode: Literal["429", "suspend"] = Field(default="429", alias="rateLimitMode")
    suspend_seconds: float = Field(default=10.0, alias="suspendSeconds")
    token_lifetime: int = Field(default=3600, alias="tokenLifetime", gt=0)
    max_attachment_bytes: int = Field(default=10_000_000, alias="maxAttachmentBytes", gt=0)


class FaultsSeed(SeedModel):
    """Injected faults; all off by default."""

    latency_ms: int = Field(default=0, alias="latencyMs", ge=0)
    error_rate: float = Field(default=0.0, alias="errorRate", ge=0, le=1)
    """Share of API requests answered with ``error_status`` before doing anything."""
    error_status: int = Field(default=503, alias="errorStatus", ge=500, le=599)
    fail_after_write: dict[str, float] = Field(default_factory=dict, alias="failAfterWrite")
    """``{"invoices": 1.0, "attachments": 0.5}``: share of POSTs done, then answered 500."""
    drop_rate: float = Field(default=0.0, alias="dropRate", ge=0, le=1)
    """Share of API requests whose connection is dropped after the response head."""
    timeout_rate: float = Field(default=0.0, alias="timeoutRate", ge=0, le=1)
    """Share of API requests carried out, then answered only after ``timeoutSeconds`` (longer
    than a client waits: it times out not knowing whether a write happened)."""
    timeout_seconds: float = Field(default=5.0, alias="timeoutSeconds", ge=0, le=600)
    burst_429_rate: float = Field(default=0.0, alias="burst429Rate", ge=0, le=1)
    """Share of API requests that start a burst of ``burst429Length`` answers 429 in a row
    (with ``Retry-After``), whatever the rate: Procountor refusing a client for a while."""
    burst_429_length: int = Field(default=3, alias="burst429Length", ge=1, le=1000)
    random_seed: int | None = Field(default=None, alias="randomSeed")

    @model_validator(mode="after")
    def _known_write_targets(self) -> FaultsSeed:
        unknown = set(self.fail_after_write) - {"invoices", "attachments"}
        if unknown:
            raise ValueError(f"failAfterWrite supports invoices and attachments, not {unknown}")
        for share in self.fail_after_write.values():
            if not 0 <= share <= 1:
                raise ValueError("failAfterWrite shares must be between 0 and 1")
        return self


MARKET_COUNTRIES = ("FINLAND", "SWEDEN", "NORWAY", "DENMARK")
"""The countries Procountor is sold in: a company's ``country`` is one of them."""
ALIAS_TYPES: dict[str, frozenset[str]] = {
    "SWEDEN": frozenset({"BANKGIRO", "PLUSGIRO"}),
    "DENMARK": frozenset({"KREDITOR"}),
}
"""The ``BankAccountAlias.type`` values a company of each country may have; none elsewhere
(procountor-api.md §7.15: aliases in Swedish and Danish environments; the spec's enum adds
KREDITOR, the Danish creditor number of FIK payments)."""


class CompanyInfoSeed(SeedModel):
    id: int = 1
    name: str
    business_id: str = Field(alias="businessId")
    business_id_type: str = Field(default="FI", alias="businessIdType")
    """``brnType`` of ``GET /company``: FI (Finnish business ID), SE, NO, DK, YHD, HETU…"""
    country: str = "FINLAND"
    currency: Literal["EUR", "SEK", "NOK", "DKK"] = "EUR"
    operation_type: str = Field(default="DEMONSTRATION", alias="operationType")
    product_version: str = Field(default="FINANCIALS_PLUS", alias="productVersion")
    """``productVersion`` of ``GET /sessioninfo`` and ``GET /company`` (the spec's enum)."""

    @model_validator(mode="after")
    def _spec_enums(self) -> CompanyInfoSeed:
        # The values the API answers with must be ones the spec lists.
        fields = apispec.load().fields("Company")
        for name, value in (
            ("productVersion", self.product_version),
            ("operationType", self.operation_type),
            ("country", self.country),
        ):
            allowed = fields[name].enum or ()
            if value not in allowed:
                raise ValueError(f"{name} {value!r} is not one of the spec's values")
        if self.country not in MARKET_COUNTRIES:
            raise ValueError(f"country {self.country!r} is not a Procountor market")
        brn_types = apispec.load().fields("BusinessIdentifier")["brnType"].enum or ()
        if self.business_id_type not in brn_types:
            raise ValueError(f"businessIdType {self.business_id_type!r} is not one of {brn_types}")
        return self


class UserSeed(SeedModel):
    id: int = 1
    name: str = "Demo User"
    email: str = "demo.user@example.com"
    mobile_phone: str = Field(default="+358 40 000 0000", alias="mobilePhone")
    role: str = "ADMIN"
    rights: dict[str, dict[str, str | bool]] = Field(default_factory=dict)


class BankAccountAliasSeed(SeedModel):
    """A ``BankAccountAlias``: another number the account is reached by (Bankgiro, Plusgiro,
    Danish creditor number)."""

    account_number: str = Field(alias="accountNumber", min_length=1)
    type: Literal["BANKGIRO", "PLUSGIRO", "KREDITOR"]


class BankAccountSeed(SeedModel):
    iban: str
    bic: str = ""
    bank_name: str = Field(default="", alias="bankName")
    currency: str = "EUR"
    default_for_invoice: bool = Field(default=False, alias="defaultForInvoice")
    default_for_payment: bool = Field(default=False, alias="defaultForPayment")
    status: Literal["ACTIVE", "INACTIVE"] = "ACTIVE"
    ledger_account: str = Field(default="1910", alias="ledgerAccount")
    allow_payments: bool = Field(default=True, alias="allowPayments")
    allow_foreign_payments: bool = Field(default=False, alias="allowForeignPayments")
    show_account_on_invoice: bool = Field(default=True, alias="showAccountOnInvoice")
    associated_accounts: list[BankAccountAliasSeed] = Field(
        default_factory=list, alias="associatedAccounts"
    )
    """The account's aliases (the spec's ``associatedAccounts``); only where the company's
    country has them (:data:`ALIAS_TYPES`)."""


class LedgerAccountSeed(SeedModel):
    code: str
    name: str
    active: bool = True


class DimensionItemSeed(SeedModel):
    code_name: str = Field(alias="codeName")
    description: str = ""
    active: bool = True


class DimensionSeed(SeedModel):
    name: str
    items: list[DimensionItemSeed] = Field(default_factory=list)


class VatPercentSeed(SeedModel):
    vat_percent: Decimal = Field(alias="vatPercent")
    sales: bool = True
    purchase: bool = True
    valid_from: date | None = Field(default=None, alias="validFrom")
    valid_to: date | None = Field(default=None, alias="validTo")


class VatStatusSeed(SeedModel):
    vat_status: int = Field(alias="vatStatus", gt=0)
    description: str
    sales: bool = True
    purchase: bool = True
    vat_percents: list[Decimal] | None = Field(default=None, alias="vatPercents")
    """The VAT percentages this status may be combined with (e.g. ``[0]`` for an EU or export
    status); absent: every percentage of the company. Other combinations are refused with
    ``ERROR_VATSTATUS_VATPERC``. Not shown by ``GET /vats/default``, which has no such field."""

    def allows(self, percent: Decimal) -> bool:
        return self.vat_percents is None or percent in self.vat_percents


class VatSeed(SeedModel):
    country: str = "Finland"
    percentages: list[VatPercentSeed]
    statuses: list[VatStatusSeed]


class TrackingPeriodSeed(SeedModel):
    start_date: date = Field(alias="startDate")
    end_date: date = Field(alias="endDate")
    status: Literal["OPEN", "CLOSED", "PENDING"] = "OPEN"


class FiscalYearSeed(SeedModel):
    start_date: date = Field(alias="startDate")
    end_date: date = Field(alias="endDate")
    is_open: bool = Field(default=True, alias="isOpen")
    tracking_periods: list[TrackingPeriodSeed] = Field(
        default_factory=list, alias="trackingPeriods"
    )
    monthly_periods: bool = Field(default=False, alias="monthlyPeriods")
    """Generate one tracking period per calendar month (in addition to none given)."""
    closed_periods: list[str] = Field(default_factory=list, alias="closedPeriods")
    """``YYYY-MM`` months whose generated period is CLOSED."""


class InvoiceTemplateSeed(SeedModel):
    id: int
    name: str


class FinancingCompanySeed(SeedModel):
    id: str
    name: str


class FactoringContractSeed(SeedModel):
    """A factoring (financing) contract, as ``GET /factoringcontracts`` lists it."""

    contract_number: str = Field(alias="contractNumber", min_length=1, max_length=80)
    status: Literal["ACTIVE", "INACTIVE"] = "ACTIVE"
    financing_company: FinancingCompanySeed = Field(alias="financingCompany")
    financing_company_bank_account: str = Field(alias="financingCompanyBankAccount")
    """The IBAN an invoice financed through the contract must name as its bank account."""
    bank_reference_code_separator: str | None = Field(
        default=None, alias="bankReferenceCodeSeparator", max_length=10
    )


class CompanySeed(SeedModel):
    """One company, reached through its API key."""

    api_key: str = Field(alias="apiKey")
    company: CompanyInfoSeed
    user: UserSeed = Field(default_factory=UserSeed)
    bank_accounts: list[BankAccountSeed] = Field(default_factory=list, alias="bankAccounts")
    ledger_accounts: list[LedgerAccountSeed] = Field(alias="ledgerAccounts")
    receivables_account: str = Field(default="1700", alias="receivablesAccount")
    default_sales_account: str = Field(default="3000", alias="defaultSalesAccount")
    dimensions: list[DimensionSeed] = Field(default_factory=list, max_length=6)
    vat: VatSeed
    fiscal_years: list[FiscalYearSeed] = Field(alias="fiscalYears")
    exchange_rates: dict[str, Decimal] = Field(default_factory=dict, alias="exchangeRates")
    business_partners: list[dict[str, Any]] = Field(default_factory=list, alias="businessPartners")
    product_groups: list[dict[str, Any]] = Field(default_factory=list, alias="productGroups")
    invoice_templates: list[InvoiceTemplateSeed] = Field(
        default_factory=lambda: [InvoiceTemplateSeed(id=1, name="Default")],
        alias="invoiceTemplates",
    )
    delivery_terms: list[str] = Field(default_factory=list, alias="deliveryTerms")
    external_financing: bool = Field(default=False, alias="externalFinancing")
    """Whether external financing is enabled for the company: off, ``GET /factoringcontracts``
    answers 403 "Insufficient user rights or external financing has not been enabled for your
    company" (also in a non-Finnish company, where the API has ``/se/factoringcontracts``)."""
    factoring_contracts: list[FactoringContractSeed] = Field(
        default_factory=list, alias="factoringContracts"
    )

    @model_validator(mode="after")
    def _aliases_of_the_market(self) -> CompanySeed:
        allowed = ALIAS_TYPES.get(self.company.country, frozenset())
        for account in self.bank_accounts:
            for alias in account.associated_accounts:
                if alias.type not in allowed:
                    raise ValueError(
                        f"a company in {self.company.country} has no {alias.type} accounts"
                    )
        return self


class ReadingsSeed(SeedModel):
    """Readings of behaviour the documentation leaves open or that tests want to vary; each is
    a switch (app factory option, CLI flag, ``PUT /_emulator/readings``)."""

    strict_fields: bool = Field(default=True, alias="strictFields")
    """A body field the operation's schema does not define is a 400 (off: ignored, dropped)."""
    empty_search_404: bool = Field(default=False, alias="emptySearch404")
    """``GET /invoices`` without a match answers 404 "Invoice not found" (the spec lists that
    answer) instead of an empty result page."""
    refuse_inactive_items: bool = Field(default=True, alias="refuseInactiveItems")
    """Posting to an inactive dimension item (status ``P``) in a ledger receipt or a product's
    default dimensions is a 400 naming the item."""
    einvoice_billing_required: bool = Field(default=True, alias="einvoiceBillingRequired")
    """An ``ELECTRONIC_INVOICE`` sales invoice without ``billingAddress`` is a 400: the API says
    street, zip and city "must be specified in billingAddress and counterPartyAddress". Off, an
    omitted billing address counts as the counterparty's (the other reading of that text)."""


class Seed(SeedModel):
    """A whole emulated Procountor: clients, limits, faults, readings and companies."""

    clients: list[ClientSeed] = Field(min_length=1)
    limits: LimitsSeed = Field(default_factory=LimitsSeed)
    faults: FaultsSeed = Field(default_factory=FaultsSeed)
    readings: ReadingsSeed = Field(default_factory=ReadingsSeed)
    companies: list[CompanySeed] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_keys(self) -> Seed:
        keys = [company.api_key for company in self.companies]
        if len(keys) != len(set(keys)):
            raise ValueError("every company needs its own apiKey")
        return self


def default_seed() -> Seed:
    """The demo company "Kuljetus Demo Oy" that the sample data fits."""
    text = resources.files(__package__).joinpath("default_seed.json").read_text(encoding="utf-8")
    return Seed.model_validate(json.loads(text))
