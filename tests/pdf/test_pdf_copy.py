"""The PDF copy's values read from the store (``export/pdf_copy.py``)."""

from __future__ import annotations

import copy
import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet
from pdf_inspect import text  # type: ignore[import-not-found]
from sqlalchemy import select

from procountor_export.export.reading.pdf_copy import (
    UnknownInvoice,
    exported_procountor_number,
    file_name,
    pdf_invoice,
    pdf_invoice_by_number,
)
from procountor_export.pdf import Address, Language, Variant, VatLine, render
from procountor_export.store import models as db
from procountor_export.store.db import Store
from procountor_export.store.secrets import SecretBox
from procountor_export.tms.importer import import_document

EXAMPLE = Path(__file__).parents[1] / "tms" / "data" / "example.json"


def document() -> dict[str, Any]:
    """The format's example with a Swedish customer, two orders, two VAT rates, a credit note."""
    data: dict[str, Any] = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    data["office"].update(
        vat_number="FI12345678", bic="NDEAFIHH", phone="+358 9 123", email="lasku@ex.example"
    )
    data["vat_rates"].append({"code": "ALV14", "name": "VAT 14 %", "rate": "14"})
    customer = data["customers"][0]
    customer.update(
        language="sv",
        invoice_address={"name": "Acme Oy", "specifier": "Reskontra", "street": "PL 7",
                         "zip": "00021", "city": "Laskutus", "country": "FI"},
    )  # fmt: skip
    invoice = data["invoices"][0]
    invoice.update(your_reference="Anna A.", our_reference="HEL", text="Tack!")
    invoice["orders"].append(
        {"order_no": "A-1002", "consignment_note": "CN-88232", "pickup_date": "2025-03-10",
         "delivery_date": "2025-03-11",
         "sender": {"name": "Gamma Oy", "street": "Tie 1", "zip": "90100", "city": "Oulu",
                    "country": "FI"},
         "recipient": {"name": "Delta Ab", "city": "Vaasa", "country": "FI"},
         "distance_km": "318.5", "weight_kg": "2400", "volume_m3": "12.5", "pallets": "6",
         "lines": [{"description": "Freight Oulu–Vaasa", "quantity": "1", "unit": "pcs",
                    "unit_price": "500.00", "amount": "500.00", "vat_code": "ALV25.5"},
                   {"description": "Storage", "quantity": "2", "unit": "day",
                    "unit_price": "50.00", "amount": "100.00", "vat_code": "ALV14"}]}
    )  # fmt: skip
    invoice["postings"] = [
        {"account": "3010", "vat_code": "ALV25.5", "vat_rate": "25.5", "profit_centres": {},
         "net": "500.00", "vat": "127.50"},
        {"account": "3010", "vat_code": "ALV25.5", "vat_rate": "25.5", "profit_centres": {},
         "net": "350.00", "vat": "89.25"},
    ]  # fmt: skip
    # The ALV14 line's rate comes from the VAT rates (no posting has that code), so its
    # amount is coded with the other postings here; the totals still add up.
    invoice["postings"][0]["net"] = "600.00"
    invoice["postings"][0]["vat"] = "153.00"
    invoice["totals"] = {"net": "950.00", "vat": "242.25", "gross": "1192.25"}
    credit = copy.deepcopy(data["invoices"][0])
    credit.update(number="250002", type="credit", credited_invoice="250001", orders=[])
    credit["postings"] = [
        {"account": "3010", "vat_code": "ALV25.5", "vat_rate": "25.5", "profit_centres": {},
         "net": "-350.00", "vat": "-89.25"}
    ]  # fmt: skip
    credit["totals"] = {"net": "-350.00", "vat": "-89.25", "gross": "-439.25"}
    data["invoices"].append(credit)
    return data


@pytest.fixture
def imported(sqlite_store: Store) -> Store:
    """A SQLite store holding :func:`document`."""
    report = import_document(sqlite_store, document(), box=SecretBox(Fernet.generate_key()))
    assert report.accepted, report.errors
    return sqlite_store


def test_the_invoice_with_its_orders_parties_and_money(imported: Store) -> None:
    with imported.session() as session:
        values = pdf_invoice_by_number(
            session, "250001", procountor_number=10234, bank_reference="RF18 1234"
        )
    assert values.language is Language.SV
    assert values.seller.name == "Kuljetus Esimerkki Oy"
    assert (values.seller.business_id, values.seller.vat_number) == ("1234567-8", "FI12345678")
    assert values.seller.address is not None
    assert values.seller.address.city == "Helsinki"
    assert values.buyer.name == "Acme Oy"
    assert values.buyer.customer_no == "20001"
    assert values.buyer.business_id == "7654321-0"
    assert values.invoice_address is not None
    assert values.invoice_address.specifier == "Reskontra"
    header = values.header
    assert (header.number, header.date, header.due_date) == (
        "250001", dt.date(2025, 3, 31), dt.date(2025, 4, 14)
    )  # fmt: skip
    assert (header.delivery_from, header.delivery_to) == (
        dt.date(2025, 3, 10),
        dt.date(2025, 3, 13),
    )
    assert (header.procountor_number, header.bank_reference) == ("10234", "RF18 1234")
    assert (header.your_reference, header.text, header.is_credit) == ("Anna A.", "Tack!", False)
    first, second = values.orders
    assert (first.order_no, first.consignment_note, first.distance_km) == (
        "A-1001", "CN-88231", Decimal("165")
    )  # fmt: skip
    assert first.sender == Address("Acme Oy", city="Tampere", country="FI")
    assert (second.volume_m3, second.pallets, second.weight_kg) == (
        Decimal("12.5"), Decimal("6"), Decimal("2400")
    )  # fmt: skip
    assert [line.vat_rate for line in second.lines] == [Decimal("25.5"), Decimal("14")]
    assert second.lines[1].unit == "day"
    assert values.vat_breakdown == (VatLine(Decimal("25.5"), Decimal("950.00"), Decimal("242.25")),)
    assert values.totals.gross == Decimal("1192.25")
    assert (values.payment.iban, values.payment.bic) == ("FI2112345600000785", "NDEAFIHH")
    assert values.payment.reference == "RF18 1234"
    assert file_name(values) == "invoice-250001.pdf"


def test_by_store_id_is_the_same_as_by_number(imported: Store) -> None:
    with imported.session() as session:
        invoice_id = session.scalar(select(db.Invoice.id).where(db.Invoice.number == "250001"))
        assert pdf_invoice(session, invoice_id) == pdf_invoice_by_number(session, "250001")


def test_a_credit_note_names_the_invoice_it_credits(imported: Store) -> None:
    with imported.session() as session:
        values = pdf_invoice_by_number(session, "250002")
    assert values.header.is_credit
    assert values.header.credited_invoice == "250001"
    assert (values.header.delivery_from, values.header.delivery_to) == (None, None)
    assert values.header.procountor_number is None
    assert file_name(values) == "credit-note-250002.pdf"
    found = text(render(values, Variant.REDUCED))
    assert "Kreditfaktura 250002" in found
    assert "Kreditering av faktura 250001" in found


@pytest.mark.parametrize("variant", list(Variant))
def test_the_stored_invoice_renders_with_every_transport_detail(
    imported: Store, variant: Variant
) -> None:
    with imported.session() as session:
        values = pdf_invoice_by_number(session, "250001", procountor_number=10234)
    found = text(render(values, variant))
    expected = [
        "Order A-1001", "Fraktsedel: CN-88231", "Upphämtningsdatum: 12.3.2025",
        "Leveransdatum: 13.3.2025", "Avsändare: Acme Oy, Tampere, Finland",
        "Mottagare: Beta Ab, Turku, Finland", "Sträcka: 165 km", "Vikt: 1 200 kg",
        "Freight Tampere–Turku", "Order A-1002", "CN-88232", "Gamma Oy, Tie 1, 90100 Oulu, Finland",
        "Delta Ab, Vaasa, Finland", "Sträcka: 318,5 km", "Vikt: 2 400 kg", "Volym: 12,5 m³",
        "Pallar: 6", "Freight Oulu–Vaasa", "Storage", "dag", "14 %",
        "Procountor-fakturanummer 10234", "Leveransperiod 10.3.2025 – 13.3.2025",
    ]  # fmt: skip
    assert [item for item in expected if item not in found] == []


def test_reading_writes_nothing(imported: Store) -> None:
    with imported.session() as session:
        pdf_invoice_by_number(session, "250001")
        assert not session.new
        assert not session.dirty


def test_an_unknown_invoice_is_an_error_naming_it(imported: Store) -> None:
    with imported.session() as session, pytest.raises(UnknownInvoice, match="999999"):
        pdf_invoice_by_number(session, "999999")
    with imported.session() as session, pytest.raises(UnknownInvoice) as raised:
        pdf_invoice(session, 424242)
    assert raised.value.invoice == 424242


def test_the_procountor_number_an_export_recorded(imported: Store) -> None:
    now = dt.datetime(2025, 4, 1, 12, 0)
    with imported.session() as session:
        assert exported_procountor_number(session, "250001") is None
        export = db.ExportDefinition(name="Procountor (API)")
        session.add(export)
        session.flush()
        invoice_id = session.scalar(select(db.Invoice.id).where(db.Invoice.number == "250001"))
        session.add(
            db.JournalEntry(
                invoice_id=invoice_id,
                export_id=export.id,
                state=db.JournalState.EXPORTED,
                procountor_invoice_number=5555,
                created_at=now,
                updated_at=now,
            )
        )
    with imported.session() as session:
        assert exported_procountor_number(session, "250001") == 5555
        assert exported_procountor_number(session, "250002") is None


def _eu_service_document() -> dict[str, Any]:
    """The example, its first invoice an EU service sale to the Swedish-speaking customer with
    the TMS's own reference and the customer's penalty interest."""
    data = document()
    data["vat_rates"].append({"code": "ALV0EU", "rate": "0", "kind": "eu_services"})
    customer = data["customers"][0]
    customer.update(vat_number="SE556036079301", penalty_interest="11.5")
    invoice = data["invoices"][0]
    invoice["reference"] = "RF18 5390 0754 7034"
    for posting in invoice["postings"]:
        posting.update(vat_code="ALV0EU", vat_rate="0", vat="0.00")
    invoice["totals"] = {"net": "950.00", "vat": "0.00", "gross": "950.00"}
    return data


def test_the_tms_reference_legal_note_and_penalty_interest_reach_the_copy(
    sqlite_store: Store,
) -> None:
    report = import_document(
        sqlite_store, _eu_service_document(), box=SecretBox(Fernet.generate_key())
    )
    assert report.accepted, report.errors
    with sqlite_store.session() as session:
        values = pdf_invoice_by_number(session, "250001")
        known = pdf_invoice_by_number(session, "250001", bank_reference="RF4712345")
    # Before Procountor made its own: the reference the TMS printed.
    assert values.payment.reference == "RF18 5390 0754 7034"
    assert known.payment.reference == "RF4712345"
    assert values.payment.penalty_interest == Decimal("11.5")
    assert values.payment.terms_days is not None
    (note,) = values.legal_notes
    assert note.startswith("Omvänd betalningsskyldighet")
    found = text(render(values, Variant.NORMAL))
    for printed in (
        "RF18 5390 0754 7034",
        "Dröjsmålsränta 11,5 %",
        "Omvänd betalningsskyldighet",
        "SE556036079301",
    ):
        assert printed in found, printed
