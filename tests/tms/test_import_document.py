"""Importing documents into the store: counts, upserts, atomic rejection, conflicts."""

from __future__ import annotations

import io
import json
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from sqlalchemy import select

from procountor_export.store import models as db
from procountor_export.store.db import Store
from procountor_export.store.secrets import SecretBox
from procountor_export.tms.importer import import_document

if TYPE_CHECKING:
    from tests.tms.conftest import MarkExported, RowCounts


def counts(report: Any, kind: str) -> tuple[int, int, int]:
    c = report.counts[kind]
    return c.created, c.updated, c.unchanged


def errors(report: Any) -> list[str]:
    return [str(problem) for problem in report.errors]


def test_the_example_imports(store: Store, example: dict[str, Any]) -> None:
    report = import_document(store, example)
    assert report.accepted, errors(report)
    for kind in ("office", "profit_centres", "units", "vat_rates", "customers", "periods"):
        assert counts(report, kind) == (1, 0, 0), kind
    assert counts(report, "invoices") == (1, 0, 0)
    assert report.newly_closed_periods == ["2025-03-A"]
    with store.session() as session:
        invoice = session.scalars(select(db.Invoice)).one()
        assert invoice.customer.code == "ACME"
        assert invoice.total_gross == Decimal("439.25")
        assert [p.profit_centres for p in invoice.postings] == [{"Department": "HEL"}]
        assert invoice.orders[0].lines[0].description == "Freight Tampere–Turku"
        assert invoice.orders[0].sender == {"name": "Acme Oy", "city": "Tampere", "country": "FI"}
        customer = session.scalars(select(db.Customer)).one()
        assert (customer.sales_ledger_no, customer.invoice_channel) == ("20001", "e-invoice")


def test_importing_again_changes_nothing(
    store: Store, example: dict[str, Any], row_counts: RowCounts
) -> None:
    assert import_document(store, example).accepted
    before = row_counts(store)
    report = import_document(store, json.dumps(example))
    assert report.accepted
    for kind in ("office", "profit_centres", "units", "vat_rates", "customers", "periods"):
        assert counts(report, kind) == (0, 0, 1), kind
    assert counts(report, "invoices") == (0, 0, 1)
    assert report.newly_closed_periods == []
    assert row_counts(store) == before


def test_every_mistake_is_listed_and_nothing_is_written(
    store: Store, example: dict[str, Any], row_counts: RowCounts
) -> None:
    assert import_document(store, example).accepted
    before = row_counts(store)
    example["customers"][0]["name"] = "Acme Renamed Oy"  # a valid change, not written either
    example["customers"].append(dict(example["customers"][0]))
    example["customers"].append(dict(example["customers"][0], code="BETA", language="finnish"))
    example["periods"].append({"id": "2025-04-A", "from": "2025-04-30", "to": "2025-04-01"})
    bad = example["invoices"][0]
    bad["postings"][0]["vat_code"] = "ALV99"
    bad["postings"][0]["profit_centres"] = {"Department": "TKU", "Region": "North"}
    bad["totals"]["vat"] = "90.00"
    second = json.loads(json.dumps(bad))
    second.update(number="250002", customer="NOPE", period="2025-13")
    second["totals"] = {"net": 350.0, "vat": "89.25", "gross": "439.25"}
    third = json.loads(json.dumps(second))
    third["number"] = "250002"
    example["invoices"] += [second, third]
    example["colour"] = "blue"

    report = import_document(store, example)

    assert not report.accepted
    assert errors(report) == [
        "colour: unknown top-level key (the keys are: schema, office, profit_centres, vat_rates, "
        "customers, periods, export_settings, invoices)",
        'customers[2].language: must be an ISO 639-1 language code, not "finnish"',
        'customers[1].code: duplicate customer code "ACME" (also at customers[0].code)',
        "periods[1].to: ends before it begins (from)",
        'invoices[0].postings[0].vat_code: unknown VAT code "ALV99"',
        'invoices[0].postings[0].profit_centres.Department: unknown unit "TKU" of profit '
        'centre "Department"',
        'invoices[0].postings[0].profit_centres.Region: unknown profit centre "Region"',
        "invoices[0].totals.vat: is 90.00 but the postings' VAT sum to 89.25",
        "invoices[0].totals.gross: is 439.25 but net + vat is 440.00",
        'invoices[1].totals.net: must be a decimal string like "12.50", not a number',
        'invoices[1].customer: unknown customer "NOPE"',
        'invoices[1].period: unknown period "2025-13"',
        'invoices[1].postings[0].vat_code: unknown VAT code "ALV99"',
        'invoices[1].postings[0].profit_centres.Department: unknown unit "TKU" of profit '
        'centre "Department"',
        'invoices[1].postings[0].profit_centres.Region: unknown profit centre "Region"',
        'invoices[2].number: duplicate invoice number "250002" (also at invoices[1])',
        'invoices[2].totals.net: must be a decimal string like "12.50", not a number',
        'invoices[2].customer: unknown customer "NOPE"',
        'invoices[2].period: unknown period "2025-13"',
        'invoices[2].postings[0].vat_code: unknown VAT code "ALV99"',
        'invoices[2].postings[0].profit_centres.Department: unknown unit "TKU" of profit '
        'centre "Department"',
        'invoices[2].postings[0].profit_centres.Region: unknown profit centre "Region"',
    ]
    assert report.counts["customers"].total == 0  # a rejected document counts nothing
    assert row_counts(store) == before
    with store.session() as session:
        assert session.scalars(select(db.Customer.name)).one() == "Acme Oy"


def test_a_rejected_first_import_leaves_the_store_empty(
    store: Store, example: dict[str, Any], row_counts: RowCounts
) -> None:
    empty = row_counts(store)
    example["invoices"][0]["totals"]["gross"] = "500.00"
    report = import_document(store, example)
    assert errors(report) == ["invoices[0].totals.gross: is 500.00 but net + vat is 439.25"]
    assert row_counts(store) == empty


def test_sums_within_a_cent_are_accepted(store: Store, example: dict[str, Any]) -> None:
    example["invoices"][0]["totals"].update(net="350.01", vat="89.24", gross="439.26")
    assert import_document(store, example).accepted


def test_references_may_point_at_what_the_store_already_has(
    store: Store, example: dict[str, Any]
) -> None:
    assert import_document(store, example).accepted
    later = {
        "schema": "tms-invoicing/1",
        "office": example["office"],
        "invoices": [dict(example["invoices"][0], number="250002")],
    }
    report = import_document(store, later)
    assert report.accepted, errors(report)
    assert counts(report, "invoices") == (1, 0, 0)
    assert counts(report, "office") == (0, 0, 1)


def test_changes_update_by_key(store: Store, example: dict[str, Any]) -> None:
    assert import_document(store, example).accepted
    example["customers"][0]["sales_ledger_no"] = "20002"
    example["profit_centres"][0]["units"].append({"code": "TKU", "name": "Turku"})
    example["vat_rates"][0]["name"] = "ALV 25,5 %"
    example["vat_rates"].append(
        {"code": "ALV25.5", "name": "VAT 25.5 %", "rate": "25.5", "valid_from": "2024-09-01"}
    )
    invoice = example["invoices"][0]
    invoice["postings"] = [
        dict(invoice["postings"][0], net="200.00", vat="51.00"),
        dict(
            invoice["postings"][0], net="150.00", vat="38.25", profit_centres={"Department": "TKU"}
        ),
    ]
    invoice["orders"] = []
    report = import_document(store, example)
    assert report.accepted, errors(report)
    assert counts(report, "customers") == (0, 1, 0)
    assert counts(report, "units") == (1, 0, 1)
    assert counts(report, "vat_rates") == (1, 1, 0)  # keyed by code and valid_from
    assert counts(report, "invoices") == (0, 1, 0)
    with store.session() as session:
        stored = session.scalars(select(db.Invoice)).one()
        assert [(p.position, p.net) for p in stored.postings] == [
            (0, Decimal("200.00")),
            (1, Decimal("150.00")),
        ]
        assert stored.orders == []
        assert session.scalars(select(db.OrderLine)).all() == []
        assert session.scalars(select(db.Customer.sales_ledger_no)).one() == "20002"


def test_an_exported_invoice_is_not_changed_but_reported(
    store: Store, example: dict[str, Any], mark_exported: MarkExported
) -> None:
    second = dict(example["invoices"][0], number="250002")
    example["invoices"].append(second)
    assert import_document(store, example).accepted
    mark_exported(store, "250001", db.JournalState.EXPORTED)
    mark_exported(store, "250002", db.JournalState.FAILED)
    example["customers"][0]["phone"] = "+358 40 123 4567"
    for invoice in example["invoices"]:
        invoice["text"] = "Changed after export"

    report = import_document(store, example)

    assert report.accepted
    assert [(c.number, c.path, c.states) for c in report.conflicts] == [
        ("250001", "invoices[0]", ('EXPORTED to "Procountor (API)"',))
    ]
    assert "has already been exported to Procountor" in str(report.conflicts[0])
    assert counts(report, "invoices") == (0, 1, 0)  # the FAILED one may still change
    assert counts(report, "customers") == (0, 1, 0)  # the rest of the document is imported
    with store.session() as session:
        texts = dict(session.execute(select(db.Invoice.number, db.Invoice.text)).all())
    assert texts == {"250001": None, "250002": "Changed after export"}


def test_an_exported_invoice_imported_unchanged_is_no_conflict(
    store: Store, example: dict[str, Any], mark_exported: MarkExported
) -> None:
    assert import_document(store, example).accepted
    mark_exported(store, "250001", db.JournalState.INFLIGHT)
    report = import_document(store, example)
    assert report.conflicts == []
    assert counts(report, "invoices") == (0, 0, 1)


def test_in_flight_invoices_are_conflicts_too(
    store: Store, example: dict[str, Any], mark_exported: MarkExported
) -> None:
    assert import_document(store, example).accepted
    mark_exported(store, "250001", db.JournalState.INFLIGHT)
    example["invoices"][0]["due_date"] = "2025-04-30"
    report = import_document(store, example)
    assert [c.states for c in report.conflicts] == [('INFLIGHT to "Procountor (API)"',)]


def test_a_failed_invoice_that_reached_procountor_is_a_conflict(
    store: Store, example: dict[str, Any], mark_exported: MarkExported
) -> None:
    assert import_document(store, example).accepted
    mark_exported(store, "250001", db.JournalState.FAILED)
    with store.session() as session:
        entry = session.scalars(select(db.JournalEntry)).one()
        entry.procountor_invoice_id = 5001  # created in Procountor, then a later step failed
    example["invoices"][0]["due_date"] = "2025-04-30"
    report = import_document(store, example)
    assert [c.states for c in report.conflicts] == [('FAILED to "Procountor (API)"',)]


def test_a_credit_note_for_an_unknown_invoice_is_a_warning(
    store: Store, example: dict[str, Any]
) -> None:
    credit = json.loads(json.dumps(example["invoices"][0]))
    credit.update(number="250002", type="credit", credited_invoice="249999")
    credit["postings"][0].update(net="-350.00", vat="-89.25")
    credit["totals"] = {"net": "-350.00", "vat": "-89.25", "gross": "-439.25"}
    known = dict(credit, number="250003", credited_invoice="250001")
    later = dict(credit, number="250004", credited_invoice="250005")
    example["invoices"] += [credit, known, later, dict(example["invoices"][0], number="250005")]
    report = import_document(store, example)
    assert report.accepted
    assert [str(w) for w in report.warnings] == [
        'invoices[1].credited_invoice: credits invoice "249999", which is neither in this '
        "document nor in the store"
    ]
    assert counts(report, "invoices") == (5, 0, 0)


def test_a_credit_note_may_credit_an_invoice_imported_before(
    store: Store, example: dict[str, Any]
) -> None:
    assert import_document(store, example).accepted
    credit = json.loads(json.dumps(example["invoices"][0]))
    credit.update(number="250002", type="credit", credited_invoice="250001")
    credit["postings"][0].update(net="-350.00", vat="-89.25")
    credit["totals"] = {"net": "-350.00", "vat": "-89.25", "gross": "-439.25"}
    example["invoices"] = [credit]
    report = import_document(store, example)
    assert report.accepted
    assert report.warnings == []


def test_duplicate_keys_are_errors(store: Store, example: dict[str, Any]) -> None:
    example["profit_centres"].append({"name": "Department", "units": []})
    example["profit_centres"][0]["units"].append({"code": "HEL", "name": "Helsinki 2"})
    example["vat_rates"].append(dict(example["vat_rates"][0]))
    example["vat_rates"].append(dict(example["vat_rates"][0], valid_from="2024-09-01"))
    example["periods"].append(dict(example["periods"][0]))
    report = import_document(store, example)
    assert errors(report) == [
        'profit_centres[1].name: duplicate profit centre "Department" (also at profit_centres[0].name)',
        'profit_centres[0].units[1].code: duplicate unit code in profit centre "Department" "HEL" '
        "(also at profit_centres[0].units[0].code)",
        'vat_rates[1].code: duplicate VAT rate "ALV25.5" valid from always (also at vat_rates[0].code)',
        'periods[1].id: duplicate period id "2025-03-A" (also at periods[0].id)',
    ]


def test_unknown_nested_keys_are_warnings(store: Store, example: dict[str, Any]) -> None:
    example["customers"][0]["sales_ledger_nr"] = "1"
    example["invoices"][0]["postings"][0]["cost_centre"] = "X"
    report = import_document(store, example)
    assert report.accepted
    assert sorted(str(w) for w in report.warnings) == [
        "customers[0].sales_ledger_nr: unknown key, ignored",
        "invoices[0].postings[0].cost_centre: unknown key, ignored",
    ]


def test_another_office_is_refused(store: Store, example: dict[str, Any]) -> None:
    assert import_document(store, example).accepted
    example["office"]["code"] = "TKU"
    report = import_document(store, example)
    assert errors(report) == [
        'office.code: this store holds the invoices of office "HEL", not "TKU" (use one store '
        "per office)"
    ]


def test_periods_closing_later_are_reported_once(store: Store, example: dict[str, Any]) -> None:
    example["periods"][0]["closed_at"] = None
    example["periods"].append({"id": "2025-04-A", "from": "2025-04-01", "to": "2025-04-30"})
    assert import_document(store, example).newly_closed_periods == []
    example["periods"][0]["closed_at"] = "2025-03-31T18:00:00"
    assert import_document(store, example).newly_closed_periods == ["2025-03-A"]
    assert import_document(store, example).newly_closed_periods == []


def test_export_settings_are_stored(store: Store, example: dict[str, Any], box: SecretBox) -> None:
    example["export_settings"] = {
        "exports": [
            {
                "name": "Procountor (API)",
                "password": "the-api-key",
                "include_pdf": True,
                "codes": {"tax_rates": {"ALV25.5": "vat_1"}},
            },
            {"name": "Second", "password": {"env": "SECOND_KEY"}},
        ],
        "groups": [{"name": "Procountor (API)", "exports": ["Procountor (API)"], "default": True}],
        "terminology": {"IES_ProcountorAPIProductGroup": "OpterGroup"},
    }
    report = import_document(store, example, box=box)
    assert report.accepted, errors(report)
    assert counts(report, "exports") == (2, 0, 0)
    assert counts(report, "groups") == (1, 0, 0)
    assert counts(report, "terminology") == (1, 0, 0)
    with store.session() as session:
        exports = {e.name: e for e in session.scalars(select(db.ExportDefinition))}
        first = exports["Procountor (API)"]
        assert first.password_encrypted is not None
        assert "the-api-key" not in first.password_encrypted
        assert box.decrypt(first.password_encrypted) == "the-api-key"
        assert first.include_pdf is True
        assert [(c.vat_code, c.status_code) for c in first.tax_rate_codes] == [("ALV25.5", "vat_1")]
        assert exports["Second"].password_env == "SECOND_KEY"
        group = session.scalars(select(db.ExportGroup)).one()
        assert group.is_default
        assert [e.name for e in group.exports] == ["Procountor (API)"]

    del example["export_settings"]["exports"][0]["codes"]  # codes kept when not stated
    report = import_document(store, example, box=box)
    assert counts(report, "exports") == (0, 0, 2)
    example["export_settings"]["exports"][0]["codes"] = {"tax_rates": {"ALV25.5": "vat_2"}}
    report = import_document(store, example, box=box)
    assert counts(report, "exports") == (0, 1, 1)


def test_export_setting_mistakes_are_listed(store: Store, example: dict[str, Any]) -> None:
    example["customers"][0]["export_setting"] = "Nowhere"
    example["export_settings"] = {
        "exports": [
            {"name": "P", "password": "key", "encoding": "latin-1"},
            {"name": "Q", "codes": {"tax_rates": {"ALV25.5": "1", "ALV0": "vat_5"}}},
        ],
        "groups": [
            {"name": "A", "exports": ["P", "Missing"], "default": True},
            {"name": "B", "exports": ["Q"], "default": True},
        ],
    }
    report = import_document(store, example, box=None)
    assert errors(report) == [
        "export_settings.exports[0].encoding: must be 'UTF-8', not \"latin-1\"",
        'export_settings.exports[1].codes.tax_rates["ALV25.5"]: must be a VAT status code like '
        '"vat_1", not "1"',
        "export_settings.groups[1].default: only one export setting can be the default",
        'export_settings.groups[0].exports[1]: unknown export "Missing"',
    ]
    assert [str(w) for w in report.warnings] == [
        'customers[0].export_setting: unknown invoice export setting "Nowhere": define it under '
        "export_settings.groups before exporting",
        'export_settings.exports[1].codes.tax_rates.ALV0: unknown VAT code "ALV0"',
    ]


def test_an_api_key_needs_the_secret_key(store: Store, example: dict[str, Any]) -> None:
    example["export_settings"] = {"exports": [{"name": "P", "password": "key"}]}
    report = import_document(store, example, box=None)
    assert len(report.errors) == 1
    assert report.errors[0].path == "export_settings.exports[0].password"
    assert "secret key" in report.errors[0].message


@pytest.mark.parametrize("form", ["text", "bytes", "path", "file", "pipe"])
def test_every_input_form_gives_the_same_result(
    store: Store, example: dict[str, Any], tmp_path: Path, form: str
) -> None:
    text = json.dumps(example, ensure_ascii=False, indent=2)
    path = tmp_path / "document.json"
    path.write_text(text, encoding="utf-8")

    class Pipe(io.BytesIO):
        def seekable(self) -> bool:
            return False

    data: Any = {
        "text": text,
        "bytes": text.encode(),
        "path": path,
        "file": io.BytesIO(text.encode()),
        "pipe": Pipe(text.encode()),
    }[form]
    report = import_document(store, data)
    assert report.accepted, errors(report)
    assert counts(report, "invoices") == (1, 0, 0)


def test_sections_may_come_in_any_order(store: Store, example: dict[str, Any]) -> None:
    reordered = {"invoices": example.pop("invoices"), **example}
    report = import_document(store, json.dumps(reordered))
    assert report.accepted, errors(report)
    assert counts(report, "invoices") == (1, 0, 0)


def test_broken_json_is_reported_with_its_place(
    store: Store, example: dict[str, Any], row_counts: RowCounts
) -> None:
    text = json.dumps(example, indent=1).replace('"currency": "EUR",', '"currency": "EUR"', 1)
    report = import_document(store, text)
    assert len(report.errors) == 1
    assert report.errors[0].path == "(document)"
    with pytest.raises(json.JSONDecodeError) as expected:
        json.loads(text)
    assert report.errors[0].message.startswith(
        f"not valid JSON: expecting ',' or '}}' at line {expected.value.lineno} column "
    )
    assert row_counts(store)["office"] == 0


def test_the_document_must_be_an_object(store: Store) -> None:
    report = import_document(store, b"[1, 2]")
    assert errors(report)[0] == "(document): the document must be a JSON object"
    report = import_document(store, {"schema": "tms-invoicing/1", "office": {}, "invoices": {}})
    assert "invoices: must be a list" in errors(report)


def test_duplicate_top_level_keys_in_the_text_are_errors(
    store: Store, example: dict[str, Any]
) -> None:
    """Only the first "invoices" array is read; a second one is reported, not checked."""
    text = json.dumps(example)[:-1] + ', "schema": "x", "invoices": [{"number": 1}]}'
    report = import_document(store, text.encode())
    assert errors(report) == [
        "schema: duplicate top-level key",
        "invoices: duplicate top-level key",
    ]
