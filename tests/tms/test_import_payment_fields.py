"""The optional payment fields of the document: ``invoices[].reference``,
``invoices[].penalty_interest`` and ``customers[].penalty_interest``, stored as given; a
document without them imports exactly as before."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import select

from procountor_export.store import models as db
from procountor_export.store.db import Store
from procountor_export.tms import document as doc
from procountor_export.tms.importer import import_document
from procountor_export.tms.invoices import content_hash


def test_the_fields_are_stored_as_given(store: Store, example: dict[str, Any]) -> None:
    example["customers"][0]["penalty_interest"] = "8"
    example["invoices"][0]["reference"] = "RF18 5390 0754 7034"
    example["invoices"][0]["penalty_interest"] = "11.5"
    report = import_document(store, example)
    assert report.accepted, report.errors
    assert report.warnings == []  # known keys now, not "unknown key, ignored"
    with store.session() as session:
        invoice = session.scalars(select(db.Invoice)).one()
        assert invoice.reference == "RF18 5390 0754 7034"
        assert invoice.penalty_interest == Decimal("11.5")
        assert invoice.customer.penalty_interest == Decimal("8")


def test_without_them_nothing_is_stored_and_the_hash_is_the_old_one(
    store: Store, example: dict[str, Any]
) -> None:
    report = import_document(store, example)
    assert report.accepted, report.errors
    with store.session() as session:
        invoice = session.scalars(select(db.Invoice)).one()
        assert (invoice.reference, invoice.penalty_interest) == (None, None)
        assert invoice.customer.penalty_interest is None
    # The fingerprint leaves out absent fields: stored invoices do not all look changed.
    model = doc.Invoice.model_validate(example["invoices"][0])
    assert '"reference"' not in model.model_dump_json(exclude_defaults=True)
    assert content_hash(model) == invoice.content_hash


def test_a_blank_reference_is_none(store: Store, example: dict[str, Any]) -> None:
    example["invoices"][0]["reference"] = "  "
    assert import_document(store, example).accepted
    with store.session() as session:
        assert session.scalars(select(db.Invoice.reference)).one() is None


def test_a_bad_check_digit_is_not_the_imports_to_judge(
    store: Store, example: dict[str, Any]
) -> None:
    # The export checks it before sending, naming the invoice, the field and the value.
    example["invoices"][0]["reference"] = "1234"
    example["invoices"][0]["penalty_interest"] = "150"
    assert import_document(store, example).accepted


def test_types_are_checked_with_json_paths(store: Store, example: dict[str, Any]) -> None:
    example["customers"][0]["penalty_interest"] = 8
    example["invoices"][0]["reference"] = 12345
    example["invoices"][0]["penalty_interest"] = "eight"
    report = import_document(store, example)
    assert not report.accepted
    paths = {problem.path for problem in report.errors}
    assert {
        "customers[0].penalty_interest",
        "invoices[0].reference",
        "invoices[0].penalty_interest",
    } <= paths, paths
