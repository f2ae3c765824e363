"""What the payment sync read back from Procountor: per invoice its payment state, each live
payment event, each company's last seen version, and the sequence that orders every change.

Kept beside the store's other tables (same metadata, so migrations see them) in a module of its
own. Only invoices the journal says this service created are ever written here (the sync keeps
nothing else: ``procountor_export.payments``).

A company is named by :func:`~procountor_export.export.company.company_key` (a digest of the
API root and key, never the key): Procountor ids are unique per company, not across them.

Every row written or changed takes the next value of :class:`PaymentSequence` (``seq``), under
the sequence row's lock, so ``seq`` grows in commit order: a reader paging by ``seq > cursor``
never misses a row committed after it looked.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Date, DateTime, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from procountor_export.store.models import Base


class PaymentSequence(Base):
    """One row (``id`` 1, made by the migration): the last ``seq`` handed out."""

    __tablename__ = "payment_sequence"
    id: Mapped[int] = mapped_column(primary_key=True)
    value: Mapped[int] = mapped_column(Integer, default=0)


class PaymentCompany(Base):
    """A Procountor company's sync state: the newest invoice ``version`` seen, so the next
    sync asks only for what changed after it (less a safety overlap, until a later listing
    has confirmed that nothing committed late lies behind it: ``confirmed_version``)."""

    __tablename__ = "payment_companies"
    company: Mapped[str] = mapped_column(String(40), primary_key=True)
    last_version: Mapped[str | None] = mapped_column(String(40))
    # When ``last_version`` was first stored (our clock, UTC).
    version_seen_at: Mapped[datetime | None] = mapped_column(DateTime)
    # ``last_version`` once a listing made an overlap's time after it was first seen found
    # nothing newer: later syncs list from it without the overlap.
    confirmed_version: Mapped[str | None] = mapped_column(String(40))
    synced_at: Mapped[datetime | None] = mapped_column(DateTime)


class InvoicePayment(Base):
    """One exported invoice's payment state as Procountor last showed it.

    ``status`` is derived (``open`` | ``partly_paid`` | ``paid`` | ``credit_loss`` |
    ``cancelled``: :mod:`procountor_export.payments.status`); ``procountor_status`` is
    Procountor's own. Amounts are in the invoice's ``currency``.
    """

    __tablename__ = "invoice_payments"
    __table_args__ = (
        UniqueConstraint("company", "procountor_invoice_id"),
        Index("ix_invoice_payments_invoice_id", "invoice_id"),
        Index("ix_invoice_payments_seq", "seq"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    company: Mapped[str] = mapped_column(String(40))
    procountor_invoice_id: Mapped[int] = mapped_column(Integer)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(20))
    procountor_status: Mapped[str | None] = mapped_column(String(40))
    total: Mapped[Decimal | None]
    paid_amount: Mapped[Decimal]
    open_amount: Mapped[Decimal | None]
    currency: Mapped[str | None] = mapped_column(String(3))
    last_payment_date: Mapped[date | None] = mapped_column(Date)
    version: Mapped[str | None] = mapped_column(String(40))
    seq: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(DateTime)


class PaymentEventRecord(Base):
    """One live payment event of an exported invoice (gone from Procountor: deleted here).

    ``type`` (``REFERENCEPAYMENT``, ``CREDITLOSS``…) is known once the invoice's own event list
    was read (the batched list does not carry it); None until then.
    """

    __tablename__ = "payment_events"
    __table_args__ = (
        UniqueConstraint("company", "event_id"),
        Index("ix_payment_events_procountor_invoice_id", "company", "procountor_invoice_id"),
        Index("ix_payment_events_seq", "seq"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    company: Mapped[str] = mapped_column(String(40))
    event_id: Mapped[int] = mapped_column(Integer)
    procountor_invoice_id: Mapped[int] = mapped_column(Integer)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id", ondelete="CASCADE"))
    amount: Mapped[Decimal]
    paid_amount: Mapped[Decimal | None]
    paid_currency: Mapped[str | None] = mapped_column(String(3))
    payment_date: Mapped[date | None] = mapped_column(Date)
    type: Mapped[str | None] = mapped_column(String(40))
    seq: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
