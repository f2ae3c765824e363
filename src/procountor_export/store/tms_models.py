"""The imported TMS document's tables: the office, master data, periods and invoices.

Keys follow the input format (``input-format.md``): customers by ``code``, profit centres by
``name``, units by ``code`` within their profit centre, VAT rates by ``code`` (+ ``valid_from``),
periods by ``id``, invoices by ``number``. Money is :class:`~decimal.Decimal` throughout. The
importer writes them; the export only reads them (its own tables are ``export_models``).
"""

from __future__ import annotations

import datetime as dt
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from procountor_export.store.base import Base
from procountor_export.store.types import DecimalText

# --- TMS master data ---------------------------------------------------------------------------


class Office(Base):
    """The invoicing company (seller). One row."""

    __tablename__ = "office"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    currency: Mapped[str] = mapped_column(String(3))
    business_id: Mapped[str | None] = mapped_column(String(40))
    vat_number: Mapped[str | None] = mapped_column(String(40))
    address: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    phone: Mapped[str | None] = mapped_column(String(60))
    email: Mapped[str | None] = mapped_column(String(200))
    bank_account: Mapped[str | None] = mapped_column(String(40))
    bic: Mapped[str | None] = mapped_column(String(20))


class ProfitCentre(Base):
    """A TMS profit centre; matched by name with a Procountor dimension."""

    __tablename__ = "profit_centres"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(255), unique=True)
    units: Mapped[list[Unit]] = relationship(
        back_populates="profit_centre", cascade="all, delete-orphan", order_by="Unit.code"
    )


class Unit(Base):
    """A department or group of a profit centre; a dimension item in Procountor."""

    __tablename__ = "units"
    __table_args__ = (UniqueConstraint("profit_centre_id", "code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    profit_centre_id: Mapped[int] = mapped_column(ForeignKey("profit_centres.id"))
    code: Mapped[str] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(String(255))
    profit_centre: Mapped[ProfitCentre] = relationship(back_populates="units")


class VatRate(Base):
    """A TMS VAT code; the same code may change rate over time (``valid_from``)."""

    __tablename__ = "vat_rates"
    __table_args__ = (UniqueConstraint("code", "valid_from"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), index=True)
    name: Mapped[str | None] = mapped_column(String(200))
    rate: Mapped[Decimal]
    kind: Mapped[str] = mapped_column(String(20), default="domestic")
    # The legal note printed on invoices using this rate, instead of its kind's default text.
    note: Mapped[str | None] = mapped_column(Text)
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)


class Customer(Base):
    """A TMS customer. ``sales_ledger_no`` is the Procountor customer number."""

    __tablename__ = "customers"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    customer_no: Mapped[str] = mapped_column(String(40))
    sales_ledger_no: Mapped[str | None] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    corporate_id: Mapped[str | None] = mapped_column(String(40))
    vat_number: Mapped[str | None] = mapped_column(String(40))
    address: Mapped[dict[str, Any]] = mapped_column(JSON)
    invoice_address: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    email: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(60))
    language: Mapped[str] = mapped_column(String(2), default="fi")
    edi_code: Mapped[str | None] = mapped_column(String(40))
    ovt: Mapped[str | None] = mapped_column(String(40))
    invoice_channel: Mapped[str] = mapped_column(String(20), default="none")
    payment_terms_days: Mapped[int] = mapped_column(Integer, default=14)
    # Penalty interest on late payment, percent (an invoice may give its own).
    penalty_interest: Mapped[Decimal | None] = mapped_column(DecimalText())
    export_setting: Mapped[str | None] = mapped_column(String(100))


class Period(Base):
    """A TMS invoice period; only closed periods are exported whole."""

    __tablename__ = "periods"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    date_from: Mapped[date] = mapped_column(Date)
    date_to: Mapped[date] = mapped_column(Date)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime)


# --- invoices ------------------------------------------------------------------------------------


class Invoice(Base):
    """A TMS invoice or credit note with its orders, postings and totals."""

    __tablename__ = "invoices"
    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    period_id: Mapped[str] = mapped_column(ForeignKey("periods.id"), index=True)
    type: Mapped[str] = mapped_column(String(10), default="invoice")
    credited_invoice: Mapped[str | None] = mapped_column(String(40))
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    date: Mapped[dt.date] = mapped_column(Date)
    due_date: Mapped[dt.date] = mapped_column(Date)
    currency: Mapped[str] = mapped_column(String(3))
    currency_rate: Mapped[Decimal] = mapped_column(DecimalText(), default=Decimal(1))
    our_reference: Mapped[str | None] = mapped_column(String(200))
    your_reference: Mapped[str | None] = mapped_column(String(200))
    order_reference: Mapped[str | None] = mapped_column(String(200))
    # The payment reference the TMS printed on its invoice (None: Procountor makes one).
    reference: Mapped[str | None] = mapped_column(String(40))
    penalty_interest: Mapped[Decimal | None] = mapped_column(DecimalText())
    text: Mapped[str | None] = mapped_column(Text)
    total_net: Mapped[Decimal]
    total_vat: Mapped[Decimal]
    total_gross: Mapped[Decimal]
    # Hash of the invoice as imported: tells "unchanged" from "updated" on re-import.
    content_hash: Mapped[str] = mapped_column(String(64))
    imported_at: Mapped[datetime] = mapped_column(DateTime)

    customer: Mapped[Customer] = relationship()
    period: Mapped[Period] = relationship()
    orders: Mapped[list[Order]] = relationship(
        back_populates="invoice", cascade="all, delete-orphan", order_by="Order.position"
    )
    postings: Mapped[list[Posting]] = relationship(
        back_populates="invoice", cascade="all, delete-orphan", order_by="Posting.position"
    )


class Order(Base):
    """A transport order invoiced on an invoice (printed on the PDF copy)."""

    __tablename__ = "orders"
    id: Mapped[int] = mapped_column(primary_key=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    order_no: Mapped[str | None] = mapped_column(String(60))
    consignment_note: Mapped[str | None] = mapped_column(String(60))
    pickup_date: Mapped[date | None] = mapped_column(Date)
    delivery_date: Mapped[date | None] = mapped_column(Date)
    sender: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    recipient: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    distance_km: Mapped[Decimal | None]
    weight_kg: Mapped[Decimal | None]
    volume_m3: Mapped[Decimal | None]
    pallets: Mapped[Decimal | None]
    invoice: Mapped[Invoice] = relationship(back_populates="orders")
    lines: Mapped[list[OrderLine]] = relationship(
        back_populates="order", cascade="all, delete-orphan", order_by="OrderLine.position"
    )


class OrderLine(Base):
    """One priced line of a transport order."""

    __tablename__ = "order_lines"
    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    description: Mapped[str] = mapped_column(String(500))
    quantity: Mapped[Decimal]
    unit: Mapped[str | None] = mapped_column(String(20))
    unit_price: Mapped[Decimal]
    amount: Mapped[Decimal]
    vat_code: Mapped[str | None] = mapped_column(String(40))
    order: Mapped[Order] = relationship(back_populates="lines")


class Posting(Base):
    """One line of the invoice's account coding (account × VAT × profit-centre units)."""

    __tablename__ = "postings"
    id: Mapped[int] = mapped_column(primary_key=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    account: Mapped[str] = mapped_column(String(40))
    vat_code: Mapped[str] = mapped_column(String(40))
    vat_rate: Mapped[Decimal]
    # profit-centre name -> unit code
    profit_centres: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    net: Mapped[Decimal]
    vat: Mapped[Decimal]
    text: Mapped[str | None] = mapped_column(String(500))
    invoice: Mapped[Invoice] = relationship(back_populates="postings")


# The invoice list's orders and filters: its pages seek these (keyset, ``tms.queries``).
Index("ix_invoices_date_id", Invoice.date, Invoice.id)
Index("ix_invoices_due_date_id", Invoice.due_date, Invoice.id)
Index("ix_invoices_imported_at", Invoice.imported_at)
Index("ix_customers_name", Customer.name)
