"""Fixtures for the TMS document tests: the format's example, a secret box, row counts."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import func, select

from procountor_export.store import models as db
from procountor_export.store.db import Store
from procountor_export.store.secrets import SecretBox

EXAMPLE = Path(__file__).parent / "data" / "example.json"


@pytest.fixture
def example() -> dict[str, Any]:
    """The example document of input-format.md (a fresh copy per test)."""
    return copy.deepcopy(json.loads(EXAMPLE.read_text(encoding="utf-8")))


@pytest.fixture
def box() -> SecretBox:
    """A secret box with a fresh key."""
    return SecretBox(Fernet.generate_key())


RowCounts = Callable[[Store], dict[str, int]]
MarkExported = Callable[[Store, str, db.JournalState], None]


@pytest.fixture
def row_counts() -> RowCounts:
    """Rows per table: comparing two of these shows whether anything was written."""
    return _row_counts


@pytest.fixture
def mark_exported() -> MarkExported:
    """Record in the export journal that an invoice went to Procountor (in a given state)."""
    return _mark_exported


def _row_counts(store: Store) -> dict[str, int]:
    with store.session() as session:
        return {
            table.name: session.scalar(select(func.count()).select_from(table)) or 0
            for table in db.Base.metadata.sorted_tables
        }


def _mark_exported(store: Store, number: str, state: db.JournalState) -> None:
    now = datetime(2025, 4, 1, 12, 0)
    with store.session() as session:
        export = session.scalars(select(db.ExportDefinition)).first()
        if export is None:
            export = db.ExportDefinition(name="Procountor (API)")
            session.add(export)
            session.flush()
        invoice_id = session.scalars(select(db.Invoice.id).where(db.Invoice.number == number)).one()
        session.add(
            db.JournalEntry(
                invoice_id=invoice_id,
                export_id=export.id,
                state=state,
                created_at=now,
                updated_at=now,
            )
        )
