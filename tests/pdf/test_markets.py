"""The copy in each market's language and habit: a Swedish seller's dates, amounts and OCR
number, Norway's KID, Danish labels, and a Finnish seller's copy as before."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest
from cryptography.fernet import Fernet
from pdf_inspect import text  # type: ignore[import-not-found]
from sqlalchemy import select

from procountor_export.export.reading.pdf_copy import pdf_invoice
from procountor_export.pdf import Address, Language, PdfInvoice, Totals, Variant, render
from procountor_export.pdf.sample import sample_invoice
from procountor_export.samples.generator import generate_document
from procountor_export.store import models as db
from procountor_export.store.db import Store
from procountor_export.store.secrets import SecretBox
from procountor_export.tms.importer import import_document
from procountor_export.vat_notes import KINDS, legal_note


def _sold_in(market: str, language: Language, currency: str) -> PdfInvoice:
    """The one-order sample sold by a company in ``market``, paid in ``currency``."""
    invoice = sample_invoice(1, language=language)
    seller = dataclasses.replace(
        invoice.seller,
        address=Address("Transport Demo", street="Hamnvägen 1", city="Stad", country=market),
    )
    header = dataclasses.replace(invoice.header, currency=currency)
    totals = Totals(Decimal("1000.00"), Decimal("234.56"), Decimal("1234.56"))
    return dataclasses.replace(invoice, seller=seller, header=header, totals=totals)


@pytest.mark.parametrize("variant", list(Variant))
def test_a_swedish_sellers_copy_has_swedish_dates_amounts_and_ocr(variant: Variant) -> None:
    found = text(render(_sold_in("SE", Language.SV, "SEK"), variant))
    for printed in (
        "Fakturadatum 2025-03-31",
        "Förfallodag 2025-04-14",
        "Att betala 1 234,56 kr",
        "OCR-nummer 2500013",
        "Organisationsnummer",
        "Kontonummer (IBAN)",
    ):
        assert printed in found, printed
    assert "Referensnummer" not in found
    assert "31.3.2025" not in found


def test_a_finnish_sellers_swedish_copy_keeps_finland_swedish_habits() -> None:
    found = text(render(_sold_in("FI", Language.SV, "EUR")))
    for printed in ("Fakturadatum 31.3.2025", "Att betala 1 234,56 €", "Referensnummer 2500013"):
        assert printed in found, printed
    assert "FO-nummer" in found
    assert "OCR" not in found


@pytest.mark.parametrize("variant", list(Variant))
def test_a_norwegian_sellers_copy_is_in_bokmal_with_kid(variant: Variant) -> None:
    found = text(render(_sold_in("NO", Language.NB, "NOK"), variant))
    for printed in (
        "Faktura 250001",
        "Selger",
        "Kjøper",
        "Fakturadato 31.03.2025",
        "Forfallsdato 14.04.2025",
        "KID-nummer 2500013",
        "Å betale 1 234,56 kr",
        "Betalingsinformasjon",
        "MVA-spesifikasjon",
        "Beløp i NOK, eksklusive MVA om ikke annet er angitt.",
    ):
        assert printed in found, printed
    assert "Betalingsreferanse" not in found


@pytest.mark.parametrize("variant", list(Variant))
def test_a_danish_sellers_copy_is_in_danish_with_iban_bic_and_reference(variant: Variant) -> None:
    found = text(render(_sold_in("DK", Language.DA, "DKK"), variant))
    for printed in (
        "Faktura 250001",
        "Sælger",
        "Køber",
        "CVR-nummer",
        "Fakturadato 31.03.2025",
        "At betale 1.234,56 kr.",
        "Betalingsreference 2500013",
        "Kontonummer (IBAN) FI21 1234 5600 0007 85",
        "BIC NDEAFIHH",
        "Betalingsoplysninger",
        "Momsspecifikation",
    ):
        assert printed in found, printed


def test_a_market_given_outright_wins_over_the_address() -> None:
    invoice = _sold_in("FI", Language.SV, "SEK")
    invoice = dataclasses.replace(invoice, seller=dataclasses.replace(invoice.seller, country="SE"))
    assert "OCR-nummer 2500013" in text(render(invoice))


@pytest.mark.parametrize(
    ("code", "language"),
    [("nb", Language.NB), ("no", Language.NB), ("NN", Language.NB), ("nb-NO", Language.NB),
     ("da", Language.DA), ("da_DK", Language.DA), ("sv-SE", Language.SV), (" ", Language.FI),
     ("de", Language.EN)],
)  # fmt: skip
def test_the_tms_language_codes_of_the_nordic_markets(code: str, language: Language) -> None:
    assert Language.of(code) is language


@pytest.mark.parametrize("language", ["nb", "da"])
@pytest.mark.parametrize("kind", [kind for kind in KINDS if kind != "domestic"])
def test_every_vat_kind_has_a_norwegian_and_a_danish_note(kind: str, language: str) -> None:
    note = legal_note(kind, language)
    assert note is not None
    assert note != legal_note(kind, "en")
    assert "2006/112/EF" in note  # the Directive, not a Finnish act
    note.encode("cp1252")  # what Procountor accepts


def test_norwegian_as_no_gets_the_bokmal_note() -> None:
    assert legal_note("export", "no") == legal_note("export", "nb")
    assert legal_note("export", "no", "Utførsel (mval. § 6-22).") == "Utførsel (mval. § 6-22)."


# --- from the store: each market's sample company ----------------------------------------------


def _copy_for(store: Store, market: str, customer_code: str) -> PdfInvoice:
    """The copy of the first invoice (not a credit note, its own market's reference) to the
    customer ``customer_code`` of the sample company of ``market``."""
    document = generate_document(30, market=market)
    report = import_document(store, document, box=SecretBox(Fernet.generate_key()))
    assert report.accepted, report.errors
    with store.session() as session:
        invoices = session.scalars(
            select(db.Invoice)
            .join(db.Customer, db.Customer.id == db.Invoice.customer_id)
            .where(db.Customer.code == customer_code, db.Invoice.type != "credit")
            .order_by(db.Invoice.number)
        ).all()
        invoice = next(row for row in invoices if not (row.reference or "RF").startswith("RF"))
        return pdf_invoice(session, invoice.id)


def test_a_swedish_company_prints_its_invoice_as_a_swedish_invoice(sqlite_store: Store) -> None:
    values = _copy_for(sqlite_store, "se", "GAMKUN")
    assert values.seller.market == "SE"
    assert values.language is Language.SV
    found = text(render(values))
    reference = values.payment.reference
    assert reference
    assert f"OCR-nummer {reference}" in found
    assert f"Fakturadatum {values.header.date.isoformat()}" in found
    assert " kr" in found
    assert "Organisationsnummer" in found


def test_a_norwegian_company_prints_kid_in_bokmal(sqlite_store: Store) -> None:
    values = _copy_for(sqlite_store, "no", "GAMKUN")
    assert (values.seller.market, values.language) == ("NO", Language.NB)
    found = text(render(values))
    assert f"KID-nummer {values.payment.reference}" in found
    assert f"Fakturadato {values.header.date:%d.%m.%Y}" in found
    assert "Å betale" in found


def test_a_danish_company_prints_in_danish(sqlite_store: Store) -> None:
    values = _copy_for(sqlite_store, "dk", "GAMKUN")
    assert (values.seller.market, values.language) == ("DK", Language.DA)
    found = text(render(values))
    for printed in ("Sælger", "CVR-nummer", "At betale", "Betalingsreference", "BIC NDEADKKK"):
        assert printed in found, printed


def test_a_norwegian_companys_swedish_customer_reads_swedish_from_sweden(
    sqlite_store: Store,
) -> None:
    values = _copy_for(sqlite_store, "no", "NORBYG")
    assert values.language is Language.SV
    found = text(render(values))
    assert f"Fakturadatum {values.header.date.isoformat()}" in found
    assert f"KID-nummer {values.payment.reference}" in found
    assert "Organisationsnummer" in found
    assert "FO-nummer" not in found
