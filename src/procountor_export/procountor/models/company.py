"""Company-level master data: session, company, bank accounts, chart of accounts, dimensions,
VAT defaults and fiscal years."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from pydantic import Field

from procountor_export.procountor.models.base import ApiModel


class SessionInfo(ApiModel):
    """``GET /sessioninfo``: whom the token acts for."""

    company_id: int | None = None
    name: str | None = None
    country: str | None = None
    user_id: int | None = None
    user_name: str | None = None
    product_version: str | None = None


class BusinessIdentifier(ApiModel):
    """A company's registry code, e.g. ``{"brnType": "FI", "code": "1234567-8"}``."""

    brn_type: str | None = None
    code: str | None = None


class Company(ApiModel):
    """``GET /company``."""

    id: int | None = None
    name: str | None = None
    country: str | None = None
    company_currency: str | None = None
    business_identifier: BusinessIdentifier | None = None
    operation_type: str | None = None


class BankAccount(ApiModel):
    """A company bank account (``GET /bankaccounts``)."""

    id: int | None = None
    account_number: str | None = None
    iban: str | None = None
    bic: str | None = None
    bank_name: str | None = None
    currency: str | None = None
    default_for_invoice: bool | None = None
    default_for_payment: bool | None = None
    status: str | None = None
    version: str | None = None


class LedgerAccount(ApiModel):
    """One account of the chart of accounts (``GET /coa``)."""

    ledger_account_code: str
    name: str | None = None
    active: bool | None = None


class DimensionItem(ApiModel):
    """An item of a dimension; ``status`` ``"P"`` means inactive, absent means active."""

    id: int | None = None
    code_name: str
    description: str | None = None
    status: str | None = None

    @property
    def active(self) -> bool:
        """Whether the item may be used (``status`` is not ``"P"``)."""
        return self.status != "P"


class Dimension(ApiModel):
    """A dimension (e.g. "Department") with its items."""

    id: int
    name: str
    items: list[DimensionItem] = Field(default_factory=list)


class VatPercentage(ApiModel):
    """A VAT rate enabled for the company."""

    vat_percent: Decimal
    sales: bool | None = None
    purchase: bool | None = None


class VatCountry(ApiModel):
    """The VAT rates of one country (``country`` is a display name, e.g. ``"Finland"``)."""

    country: str | None = None
    percentages: list[VatPercentage] = Field(default_factory=list)


class VatStatusInfo(ApiModel):
    """A VAT status the company may use (``vat_1`` in the UI is ``vat_status`` 1)."""

    vat_status: int
    description: str | None = None
    sales: bool | None = None
    purchase: bool | None = None


class VatDefaults(ApiModel):
    """``GET /vats/default``."""

    vat_information: list[VatCountry] = Field(default_factory=list)
    vat_statuses: list[VatStatusInfo] = Field(default_factory=list)


class TrackingPeriod(ApiModel):
    """A period of a fiscal year: ``OPEN``, ``CLOSED`` or ``PENDING``."""

    id: int | None = None
    start_date: dt.date
    end_date: dt.date
    status: str | None = None


class FiscalYear(ApiModel):
    """A fiscal year with its tracking periods."""

    id: int | None = None
    start_date: dt.date
    end_date: dt.date
    is_open: bool | None = None
    tracking_periods: list[TrackingPeriod] = Field(default_factory=list)
