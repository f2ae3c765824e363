"""Ledger receipts: the account coding of an invoice."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from pydantic import Field

from procountor_export.procountor.enums import TransactionType
from procountor_export.procountor.models.base import ApiModel


class DimensionItemValue(ApiModel):
    """The share of a transaction booked to one dimension item, as an amount (not percent)."""

    dimension_id: int
    item_id: int
    value: Decimal


class Transaction(ApiModel):
    """A row of a ledger receipt (``ENTRY``, ``REVERSING_ENTRY`` or ``RECONCILIATION_ENTRY``)."""

    id: int | None = None
    transaction_type: TransactionType | None = None
    account: str | None = None
    accounting_value: Decimal | None = None
    vat_percent: Decimal | None = None
    vat_type: str | None = None
    vat_status: int | None = None
    description: str | None = None
    dimension_item_values: list[DimensionItemValue] | None = None


class LedgerReceipt(ApiModel):
    """A ledger receipt; ``PUT`` replaces it whole and needs the current ``version``."""

    id: int | None = None
    type: str | None = None
    status: str | None = None
    name: str | None = None
    receipt_date: dt.date | None = None
    vat_type: str | None = None
    vat_status: int | None = None
    invoice_id: int | None = None
    transactions: list[Transaction] = Field(default_factory=list)
    version: str | None = None
