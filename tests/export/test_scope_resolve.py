"""A scope resolved once: its invoice numbers per export definition they go to."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import select
from sqlalchemy.orm import Session

from procountor_export.export.reading.scope import Scope, ScopeError, resolve, select_invoices
from procountor_export.samples.data import EXPORT_NAME
from procountor_export.samples.generator import generate_document
from procountor_export.store import export_settings as es
from procountor_export.store.db import Store
from procountor_export.store.models import Customer, ExportDefinition, Invoice, Period
from procountor_export.store.secrets import SecretBox
from procountor_export.tms.importer import import_document

FINANCED = "Procountor (rahoitus)"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    store = Store.open(f"sqlite:///{tmp_path / 'resolve.sqlite'}")
    document = generate_document(30, seed=5)
    assert import_document(store, document, box=SecretBox(Fernet.generate_key())).accepted
    yield store
    store.close()


def in_order(store: Store, scope: Scope) -> list[str]:
    """The scope's invoice numbers as the whole-invoice read gives them (date, number order)."""
    with store.session() as session:
        return [invoice.number for invoice in select_invoices(session, scope).invoices]


def test_all_goes_to_the_default_export_in_date_order(store: Store) -> None:
    with store.session() as session:
        resolution = resolve(session, Scope(all=True))
        assert [part.export.name for part in resolution.parts] == [EXPORT_NAME]
        assert resolution.parts[0].numbers == in_order(store, Scope(all=True))
        assert resolution.parts[0].numbers
        assert resolution.unrouted == []
        assert resolution.open_periods == []
        assert resolution.export_ids == {resolution.parts[0].export.id}


def test_a_period_closed_gives_its_invoices_an_open_one_is_reported(store: Store) -> None:
    with store.session() as session:
        periods = list(session.scalars(select(Period).order_by(Period.id)))
        closed = [p.id for p in periods if p.closed_at is not None]
        assert closed
        resolution = resolve(session, Scope(periods=(closed[0],)))
        numbers = set(session.scalars(select(Invoice.number).where(Invoice.period_id == closed[0])))
        assert set(resolution.parts[0].numbers) == numbers
        assert resolution.parts[0].numbers == in_order(store, Scope(periods=(closed[0],)))
        periods[0].closed_at = None  # the first period open again
        session.flush()
        reopened = resolve(session, Scope(periods=(periods[0].id,)))
        assert reopened.open_periods == [periods[0].id]
        assert reopened.parts == []


def test_unknown_invoice_or_period_raises(store: Store) -> None:
    with store.session() as session:
        with pytest.raises(ScopeError, match="Unknown invoice number: NOPE-1"):
            resolve(session, Scope(invoices=("NOPE-1",)))
        with pytest.raises(ScopeError, match="Unknown invoice period: 1999-01"):
            resolve(session, Scope(periods=("1999-01",)))


def test_a_customer_with_two_exports_is_in_both_and_exports_asked_once_per_group(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    with store.session() as session:
        es.upsert_export_definition(session, name=FINANCED, factoring_contract="RAH-1001")
        es.upsert_export_group(
            session, name="Rahoitetut", exports=[EXPORT_NAME, FINANCED], default=False
        )
        codes = sorted(session.scalars(select(Customer.code)))
        financed, nowhere = codes[0], codes[1]
        es.set_customer_group(session, financed, "Rahoitetut")
        session.scalars(
            select(Customer).where(Customer.code == nowhere)
        ).one().export_setting = "Gone"
        session.flush()
        asked: list[str] = []
        original = es.exports_for_customer

        def counting(session_: Session, customer: Customer) -> list[ExportDefinition]:
            asked.append(customer.code)
            return original(session_, customer)

        # resolve asks through the store's export_settings module: count its questions.
        monkeypatch.setattr(es, "exports_for_customer", counting)
        resolution = resolve(session, Scope(all=True))
        # One question per export group named (or none: the default), not one per invoice.
        groups = {c.export_setting or None for c in session.scalars(select(Customer))}
        assert len(groups) >= 3
        assert len(asked) == len(groups)
        assert len(asked) < len(resolution.parts[0].numbers)
        names = [part.export.name for part in resolution.parts]
        assert sorted(names) == sorted([EXPORT_NAME, FINANCED])
        ids = [part.export.id for part in resolution.parts]
        assert ids == sorted(ids)
        by_name = {part.export.name: part.numbers for part in resolution.parts}
        everything = in_order(store, Scope(all=True))
        rows = session.execute(select(Invoice.number, Customer.code).join(Invoice.customer))
        of: dict[str, str] = dict(rows.all())
        assert by_name[FINANCED] == [n for n in everything if of[n] == financed]
        assert by_name[EXPORT_NAME] == [n for n in everything if of[n] != nowhere]
        assert [u.number for u in resolution.unrouted] == [
            n for n in everything if of[n] == nowhere
        ]
        assert {u.customer_code for u in resolution.unrouted} <= {nowhere}
