"""The store's tables: the imported TMS data, the export settings and the export journal.

Keys follow the input format (``input-format.md``): customers by ``code``, profit centres by
``name``, units by ``code`` within their profit centre, VAT rates by ``code`` (+ ``valid_from``),
periods by ``id``, invoices by ``number``. Money is :class:`~decimal.Decimal` throughout.
"""

from __future__ import annotations

import datetime as dt
import enum
from datetime import date, datetime
from decimal import Decimal
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Enum,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from procountor_export.store.types import DecimalText

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base with a naming convention, so migrations are stable on every backend."""

    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {Decimal: DecimalText(), dict[str, Any]: JSON()}


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


# --- export settings ---------------------------------------------------------------------------


class AfterCreate(enum.StrEnum):
    """What the export does with a Procountor invoice once it is created and coded."""

    LEAVE = "leave"  # leave it UNFINISHED for a person to check (the default)
    APPROVE = "approve"
    SEND = "send"  # approve, then send through the customer's invoice channel


class CustomerUpdates(enum.StrEnum):
    """What the export may do to Procountor's customers (stored as its value)."""

    CREATE_AND_UPDATE = "create_and_update"  # create missing ones, update changed (the article)
    CREATE_ONLY = "create_only"  # create missing ones, never change an existing one
    NONE = "none"  # neither: every customer must exist in Procountor


class ExportDefinition(Base):
    """An invoice export ("Procountor (API)"): its API key, PDF options and VAT status codes."""

    __tablename__ = "export_definitions"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    type: Mapped[str] = mapped_column(String(40), default="procountor-api")
    encoding: Mapped[str] = mapped_column(String(20), default="UTF-8")
    # The API key, Fernet-encrypted; or the name of the environment variable that holds it.
    password_encrypted: Mapped[str | None] = mapped_column(Text)
    password_env: Mapped[str | None] = mapped_column(String(200))
    include_pdf: Mapped[bool] = mapped_column(Boolean, default=False)
    reduce_pdf: Mapped[bool] = mapped_column(Boolean, default=False)
    after_create: Mapped[AfterCreate] = mapped_column(
        Enum(AfterCreate, native_enum=False, length=20), default=AfterCreate.LEAVE
    )
    # The contract number of a Procountor factoring contract that finances this export's
    # invoices, and the text printed with it.
    factoring_contract: Mapped[str | None] = mapped_column(String(80))
    factoring_text: Mapped[str | None] = mapped_column(Text)
    # create_and_update (the article) | create_only | none
    customer_updates: Mapped[str] = mapped_column(
        String(20), default="create_and_update", server_default="create_and_update"
    )
    tax_rate_codes: Mapped[list[TaxRateCode]] = relationship(
        back_populates="export", cascade="all, delete-orphan", order_by="TaxRateCode.vat_code"
    )


class TaxRateCode(Base):
    """TMS VAT code -> Procountor VAT status code (``vat_1`` means ``vatStatus`` 1)."""

    __tablename__ = "tax_rate_codes"
    __table_args__ = (UniqueConstraint("export_id", "vat_code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    export_id: Mapped[int] = mapped_column(ForeignKey("export_definitions.id", ondelete="CASCADE"))
    vat_code: Mapped[str] = mapped_column(String(40))
    status_code: Mapped[str] = mapped_column(String(20))
    export: Mapped[ExportDefinition] = relationship(back_populates="tax_rate_codes")


class ExportGroup(Base):
    """An invoice export setting: a named group of exports; one group is the default."""

    __tablename__ = "export_groups"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    is_default: Mapped[bool] = mapped_column(Boolean, default=False)
    exports: Mapped[list[ExportDefinition]] = relationship(
        secondary="export_group_members", order_by="ExportDefinition.name"
    )


class ExportGroupMember(Base):
    """Membership of an export definition in an export setting group."""

    __tablename__ = "export_group_members"
    group_id: Mapped[int] = mapped_column(
        ForeignKey("export_groups.id", ondelete="CASCADE"), primary_key=True
    )
    export_id: Mapped[int] = mapped_column(
        ForeignKey("export_definitions.id", ondelete="CASCADE"), primary_key=True
    )


class Terminology(Base):
    """Terminology overrides, e.g. ``IES_ProcountorAPIProductGroup`` -> ``OpterGroup``."""

    __tablename__ = "terminology"
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(String(255))


# --- export journal ------------------------------------------------------------------------------


class JournalState(enum.StrEnum):
    """Where one invoice stands with one export definition."""

    PENDING = "PENDING"
    INFLIGHT = "INFLIGHT"  # a write to Procountor may have happened: look it up before posting
    EXPORTED = "EXPORTED"
    FAILED = "FAILED"


class JournalEntry(Base):
    """One invoice × export definition: state, current step, Procountor ids, errors."""

    __tablename__ = "export_journal"
    __table_args__ = (
        UniqueConstraint("invoice_id", "export_id"),
        Index("ix_export_journal_state", "state"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id"))
    export_id: Mapped[int] = mapped_column(ForeignKey("export_definitions.id"))
    state: Mapped[JournalState] = mapped_column(
        Enum(JournalState, native_enum=False, length=20), default=JournalState.PENDING
    )
    step: Mapped[str | None] = mapped_column(String(40))
    procountor_invoice_id: Mapped[int | None] = mapped_column(Integer)
    procountor_invoice_number: Mapped[int | None] = mapped_column(Integer)
    partner_id: Mapped[int | None] = mapped_column(Integer)
    ledger_receipt_id: Mapped[int | None] = mapped_column(Integer)
    attachment_id: Mapped[int | None] = mapped_column(Integer)
    # The payment reference Procountor holds for the invoice (read back after creation).
    bank_reference: Mapped[str | None] = mapped_column(String(40))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error_code: Mapped[str | None] = mapped_column(String(80))
    # Text written by versions before problems were kept as data; read, no longer written.
    error_message: Mapped[str | None] = mapped_column(Text)
    # Why the row failed: problems as data (code, args, detail …), rendered by whoever reads.
    problems: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    # Warnings as problem data (older rows: plain text).
    warnings: Mapped[list[Any]] = mapped_column(JSON, default=list)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("export_runs.id"))
    # Which worker holds the entry while INFLIGHT (scale-out claims).
    claimed_by: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    exported_at: Mapped[datetime | None] = mapped_column(DateTime)

    invoice: Mapped[Invoice] = relationship()
    export: Mapped[ExportDefinition] = relationship()


class ExportRun(Base):
    """One export (or check) run: its scope, who started it, counts and outcome."""

    __tablename__ = "export_runs"
    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[dict[str, Any]] = mapped_column(JSON)
    started_by: Mapped[str] = mapped_column(String(100))
    started_at: Mapped[datetime] = mapped_column(DateTime)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)
    dry_run: Mapped[bool] = mapped_column(Boolean, default=False)
    to_export: Mapped[int] = mapped_column(Integer, default=0)
    exported: Mapped[int] = mapped_column(Integer, default=0)
    failed: Mapped[int] = mapped_column(Integer, default=0)
    skipped: Mapped[int] = mapped_column(Integer, default=0)
    outcome: Mapped[str | None] = mapped_column(String(40))
    message: Mapped[str | None] = mapped_column(Text)  # older versions' text
    problem: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # what stopped the run


class PartnerLink(Base):
    """The Procountor business partner found or created for a TMS customer number.

    One row per export definition (each export's API key is one Procountor company) and
    customer number, so a run looks up only the customer numbers it has not met before
    instead of listing every partner of a company. A remembered id is re-validated with a
    batched GET before it is used: a partner deleted or renumbered in Procountor is looked up
    again.
    """

    __tablename__ = "partner_links"
    __table_args__ = (UniqueConstraint("export_id", "customer_number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    export_id: Mapped[int] = mapped_column(ForeignKey("export_definitions.id", ondelete="CASCADE"))
    customer_number: Mapped[str] = mapped_column(String(40))
    partner_id: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(DateTime)


# The invoice list's orders and filters: its pages seek these (keyset, ``tms.queries``).
Index("ix_invoices_date_id", Invoice.date, Invoice.id)
Index("ix_invoices_due_date_id", Invoice.due_date, Invoice.id)
Index("ix_invoices_imported_at", Invoice.imported_at)
Index("ix_customers_name", Customer.name)
Index("ix_export_journal_updated_at", JournalEntry.updated_at)
