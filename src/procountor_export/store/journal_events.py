"""The journal's history: one row per transition of a journal row (see ``store.journal``).

Kept beside the journal's own table (same metadata, so migrations see it) in a module of its own.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from procountor_export.store.base import Base


class JournalEvent(Base):
    """One transition of a journal row: the row's history, written with the transition.

    The journal row holds where an invoice stands now; its events say how it got there (each
    step begun, recorded, failed with its problems as data, exported), run by run.
    """

    __tablename__ = "journal_events"
    __table_args__ = (Index("ix_journal_events_entry_id", "entry_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("export_journal.id", ondelete="CASCADE"))
    run_id: Mapped[int | None] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(DateTime)
    state: Mapped[str] = mapped_column(String(20))
    step: Mapped[str | None] = mapped_column(String(40))
    problems: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
