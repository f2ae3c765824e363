"""The master data of one Procountor company, kept for the rest of a run on the job queue.

A run on the queue is exported in chunks, one after another per company, by whichever worker
is free. The first chunk reads the company's master data from Procountor; every later chunk of
the same run starts from the copy kept here instead of reading it all again (see
``export.reading.memo``). A copy is only ever kept by a chunk whose preparation created
everything it needed, so it never lacks something Procountor has.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from procountor_export.store.models import Base


class MasterSnapshot(Base):
    """One company's (export definition's) master data as one run last knew it."""

    __tablename__ = "master_snapshots"
    run_id: Mapped[int] = mapped_column(
        ForeignKey("export_runs.id", ondelete="CASCADE"), primary_key=True
    )
    export_id: Mapped[int] = mapped_column(
        ForeignKey("export_definitions.id", ondelete="CASCADE"), primary_key=True
    )
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    taken_at: Mapped[datetime] = mapped_column(DateTime)
