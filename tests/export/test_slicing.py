"""A big scope's invoice numbers, read in small batches, in date order, each once."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import select

from procountor_export.export import slicing
from procountor_export.export.reading.scope import Scope
from procountor_export.export.slicing import slice_numbers
from procountor_export.samples.generator import generate_document
from procountor_export.store.db import Store
from procountor_export.store.models import Invoice, Period
from procountor_export.store.secrets import SecretBox
from procountor_export.tms.importer import import_document


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    store = Store.open(f"sqlite:///{tmp_path / 'slicing.sqlite'}")
    document = generate_document(60, seed=5)
    assert import_document(store, document, box=SecretBox(Fernet.generate_key())).accepted
    yield store
    store.close()


def dated(store: Store) -> dict[str, date]:
    """Every invoice's date by its number."""
    with store.session() as session:
        days: dict[str, date] = dict(session.execute(select(Invoice.number, Invoice.date)).all())
        return days


def test_named_invoices_come_in_date_order_each_once_whatever_the_batches(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(slicing, "IN_BATCH", 7)  # many small queries instead of one big one
    days = dated(store)
    with store.session() as session:
        closed = select(Period.id).where(Period.closed_at.is_not(None))
        period, first = session.execute(
            select(Invoice.period_id, Invoice.number).where(Invoice.period_id.in_(closed))
        ).first() or ("", "")
        in_period = set(session.scalars(select(Invoice.number).where(Invoice.period_id == period)))
    named = sorted(days)[:40]
    numbers = slice_numbers(store, Scope(invoices=(*named, *named[:5])), 10)
    assert numbers is not None
    assert sorted(numbers) == sorted(named)
    assert numbers == sorted(numbers, key=lambda n: (days[n], n))
    # Named and in a named period at once: still once.
    both = slice_numbers(store, Scope(invoices=(*named, first), periods=(period,)), 10)
    assert both is not None
    assert sorted(both) == sorted(set(named) | in_period)
    assert both == sorted(both, key=lambda n: (days[n], n))


def test_a_small_scope_or_an_unknown_number_is_left_to_the_whole_scope_path(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(slicing, "IN_BATCH", 7)
    named = sorted(dated(store))[:20]
    assert slice_numbers(store, Scope(invoices=tuple(named)), 20) is None  # fits one slice
    days = dated(store)
    assert slice_numbers(store, Scope(invoices=tuple(named)), 19) == sorted(
        named, key=lambda n: (days[n], n)
    )
    unknown = (*named, "999999999")
    assert slice_numbers(store, Scope(invoices=unknown), 10) is None  # ScopeError comes later
