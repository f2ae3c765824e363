"""A generated document is accepted by the importer as it is, with and without problem cases."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import func, select

from procountor_export.samples.generator import PROBLEM_CASES, generate_document
from procountor_export.store import export_settings as es
from procountor_export.store.db import Store
from procountor_export.store.models import Customer, Invoice
from procountor_export.store.secrets import SecretBox
from procountor_export.tms.importer import import_document


@pytest.mark.parametrize("with_problems", [False, True])
def test_generated_document_imports_without_errors(store: Store, with_problems: bool) -> None:
    box = SecretBox(Fernet.generate_key())
    document = generate_document(60, seed=4, with_problems=with_problems)

    report = import_document(store, document, box=box)

    assert report.accepted, report.to_dict()["errors"]
    extra = len(PROBLEM_CASES) if with_problems else 0
    with store.session() as session:
        assert session.scalar(select(func.count()).select_from(Invoice)) == 60 + extra
        assert session.scalar(select(func.count()).select_from(Customer)) == len(
            document["customers"]
        )
        export = es.require_export(session, "Procountor (API)")
        assert es.api_key(export, box).get_secret_value() == "demo-api-key"
        assert es.vat_status_for(export, "ALV0EU") == 6
        assert es.vat_status_for(export, "ALV10") is None
        customer = session.scalars(select(Customer).where(Customer.code == "POHTUK")).one()
        assert [e.name for e in es.exports_for_customer(session, customer)] == ["Procountor (API)"]


def test_importing_the_same_document_again_changes_nothing(sqlite_store: Store) -> None:
    box = SecretBox(Fernet.generate_key())
    document = generate_document(40, seed=8, with_problems=True)
    assert import_document(sqlite_store, document, box=box).accepted

    again = import_document(sqlite_store, document, box=box).to_dict()

    assert again["accepted"]
    assert all(
        counts.get("created", 0) == 0 and counts.get("updated", 0) == 0
        for counts in again["counts"].values()
    ), again["counts"]
