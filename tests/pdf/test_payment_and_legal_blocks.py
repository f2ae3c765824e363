"""What the payer and the auditor read on the copy: payment terms, penalty interest, the legal
VAT notes, a credit note without a payment block, and the totals never split over two pages."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest
from pdf_inspect import page_texts, text  # type: ignore[import-not-found]

from procountor_export.pdf import Language, Variant, render
from procountor_export.pdf.sample import sample_invoice

REVERSE_CHARGE = "Omvänd betalningsskyldighet: köparen betalar mervärdesskatten"


def _with_terms(language: Language = Language.FI, **payment: object) -> bytes:
    invoice = sample_invoice(2, language=language)
    invoice = dataclasses.replace(invoice, payment=dataclasses.replace(invoice.payment, **payment))
    return render(invoice, Variant.NORMAL)


@pytest.mark.parametrize(
    ("language", "terms", "penalty"),
    [
        (Language.FI, "Maksuehto 14 päivää netto", "Viivästyskorko 8 %"),
        (Language.SV, "Betalningsvillkor 14 dagar netto", "Dröjsmålsränta 8 %"),
        (Language.EN, "Payment terms 14 days net", "Interest on late payment 8 %"),
    ],
)
def test_payment_terms_and_penalty_interest_in_the_language(
    language: Language, terms: str, penalty: str
) -> None:
    found = text(_with_terms(language, terms_days=14, penalty_interest=Decimal(8)))
    assert terms in found
    assert penalty in found


def test_no_penalty_interest_line_without_a_rate() -> None:
    assert "Viivästyskorko" not in text(_with_terms(terms_days=14, penalty_interest=None))


def test_a_credit_note_has_no_payment_block() -> None:
    credit = sample_invoice(2, credit=True)
    found = text(render(credit, Variant.NORMAL))
    assert "Hyvitys yhteensä" in found  # the totals say what is credited
    for payment_only in ("Maksutiedot", "Tilinumero (IBAN)", "Maksettava yhteensä", "Maksuehto"):
        assert payment_only not in found
    invoice = text(render(sample_invoice(2), Variant.NORMAL))
    assert "Maksutiedot" in invoice
    assert "Tilinumero (IBAN)" in invoice


def test_legal_notes_are_printed_on_invoices_and_credit_notes() -> None:
    note = f"{REVERSE_CHARGE} i sitt eget land."
    for credit in (False, True):
        invoice = dataclasses.replace(
            sample_invoice(1, language=Language.SV, credit=credit), legal_notes=(note,)
        )
        assert note in text(render(invoice, Variant.REDUCED))


@pytest.mark.parametrize("orders", range(1, 22))
def test_the_vat_breakdown_and_totals_stay_on_one_page(orders: int) -> None:
    # However many orders push them down, the money block is never cut by a page break.
    pages = page_texts(render(sample_invoice(orders), Variant.REDUCED))
    # The first page each label is on (the amount to pay is repeated in the payment block).
    first = {
        label: next(number for number, page in enumerate(pages) if label in page)
        for label in ("ALV-erittely", "Veroton yhteensä", "ALV yhteensä", "Maksettava yhteensä")
    }
    assert len(set(first.values())) == 1, (orders, first)
