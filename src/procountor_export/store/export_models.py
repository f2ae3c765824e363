"""The export's own tables: export definitions and settings, the export journal and its runs.

What the export is set up with (definitions, their VAT status codes, the setting groups,
terminology), where each invoice stands with each export (the journal) and the runs that moved
it, and the Procountor partners found for customers. The TMS document's tables, which these
point at, are ``tms_models``.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Enum,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from procountor_export.store.base import Base
from procountor_export.store.tms_models import Invoice

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
    # Why the row failed: problems as data (code, args, detail …), rendered by whoever reads.
    problems: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    # Warnings as problem data (what earlier versions kept as text, migration 0011 made data).
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


# The REST API's "changed since" filter on the journal.
Index("ix_export_journal_updated_at", JournalEntry.updated_at)
