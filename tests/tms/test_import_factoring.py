"""The document's per-export factoring contract, factoring text and customer-update policy."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from procountor_export.store import models as db
from procountor_export.store.db import Store
from procountor_export.tms.importer import import_document


def _export(store: Store) -> db.ExportDefinition:
    with store.session() as session:
        export = session.scalars(select(db.ExportDefinition)).one()
        session.expunge(export)
        return export


def test_factoring_and_customer_updates_are_stored_kept_and_cleared(
    store: Store, example: dict[str, Any]
) -> None:
    stated: dict[str, Any] = {
        "name": "Procountor (API)",
        "password": {"env": "PROCOUNTOR_KEY"},
        "factoring_contract": "RAH-1001",
        "factoring_text": "Saatava on siirretty Demo Rahoitus Oy:lle",
        "customer_updates": "create_only",
    }
    example["export_settings"] = {"exports": [stated]}
    report = import_document(store, example)
    assert report.accepted, report.errors
    export = _export(store)
    assert export.factoring_contract == "RAH-1001"
    assert export.factoring_text == "Saatava on siirretty Demo Rahoitus Oy:lle"
    assert export.customer_updates == "create_only"

    # Keys left out keep what is stored; an explicit null clears.
    example["export_settings"] = {"exports": [{"name": "Procountor (API)"}]}
    assert import_document(store, example).accepted
    assert _export(store).factoring_contract == "RAH-1001"
    assert _export(store).customer_updates == "create_only"
    example["export_settings"] = {
        "exports": [
            {"name": "Procountor (API)", "factoring_contract": None, "factoring_text": None}
        ]
    }
    assert import_document(store, example).accepted
    export = _export(store)
    assert (export.factoring_contract, export.factoring_text) == (None, None)
    assert export.customer_updates == "create_only"


def test_bad_values_name_their_path(store: Store, example: dict[str, Any]) -> None:
    example["export_settings"] = {
        "exports": [
            {"name": "P", "customer_updates": "always", "factoring_contract": "R" * 81},
        ]
    }
    report = import_document(store, example)
    assert not report.accepted
    paths = sorted(error.path for error in report.errors)
    assert paths == [
        "export_settings.exports[0].customer_updates",
        "export_settings.exports[0].factoring_contract",
    ]
