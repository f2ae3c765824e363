"""What the PDF copy says: every transport detail, in the customer's language and locale."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
from decimal import Decimal

import pytest
from pdf_inspect import page_texts, text  # type: ignore[import-not-found]
from pypdf import PdfReader

from procountor_export.pdf import (
    Address,
    Language,
    Order,
    OrderLine,
    PdfInvoice,
    Variant,
    render,
)
from procountor_export.pdf.sample import sample_invoice

# Labels a reader must find, written out here (not taken from the renderer's table).
LABELS = {
    Language.FI: [
        "Lasku 250001", "Myyjä", "Ostaja", "Laskutusosoite", "Y-tunnus", "ALV-numero",
        "Laskun päivämäärä", "Eräpäivä", "Toimitusaika", "Viitteenne", "Viitenumero",
        "Procountor-laskunumero", "Rahtikirja", "Noutopäivä", "Toimituspäivä", "Lähettäjä",
        "Vastaanottaja", "Matka", "Paino", "Tilavuus", "Lavat", "ALV-erittely",
        "Maksettava yhteensä", "Maksutiedot", "Tilinumero (IBAN)", "BIC",
    ],
    Language.SV: [
        "Faktura 250001", "Säljare", "Köpare", "Faktureringsadress", "FO-nummer",
        "Momsregistreringsnummer", "Fakturadatum", "Förfallodag", "Leveransperiod",
        "Er referens", "Referensnummer", "Procountor-fakturanummer", "Fraktsedel",
        "Upphämtningsdatum", "Leveransdatum", "Avsändare", "Mottagare", "Sträcka", "Vikt",
        "Volym", "Pallar", "Momsspecifikation", "Att betala", "Betalningsuppgifter",
    ],
    Language.EN: [
        "Invoice 250001", "Seller", "Buyer", "Invoice address", "Business ID", "VAT number",
        "Invoice date", "Due date", "Delivery period", "Your reference", "Reference number",
        "Procountor invoice number", "Consignment note", "Pickup date", "Delivery date",
        "Sender", "Recipient", "Distance", "Weight", "Volume", "Pallets", "VAT breakdown",
        "Total to pay", "Payment details", "IBAN",
    ],
    Language.NB: [
        "Faktura 250001", "Selger", "Kjøper", "Fakturaadresse", "Organisasjonsnummer",
        "MVA-nummer", "Fakturadato", "Forfallsdato", "Leveringsperiode", "Deres referanse",
        "Betalingsreferanse", "Procountor-fakturanummer", "Fraktbrev", "Hentedato",
        "Leveringsdato", "Avsender", "Mottaker", "Avstand", "Vekt", "Volum", "Paller",
        "MVA-spesifikasjon", "Å betale", "Betalingsinformasjon", "Kontonummer (IBAN)",
    ],
    Language.DA: [
        "Faktura 250001", "Sælger", "Køber", "Fakturaadresse", "Virksomhedsnummer",
        "Momsnummer", "Fakturadato", "Forfaldsdato", "Leveringsperiode", "Deres reference",
        "Betalingsreference", "Procountor-fakturanummer", "Fragtbrev", "Afhentningsdato",
        "Leveringsdato", "Afsender", "Modtager", "Afstand", "Vægt", "Volumen", "Paller",
        "Momsspecifikation", "At betale", "Betalingsoplysninger", "Kontonummer (IBAN)",
    ],
}  # fmt: skip


def _one_order_invoice(language: Language) -> PdfInvoice:
    """The sample invoice with one order whose figures show the locale's separators."""
    order = Order(
        order_no="A-777",
        consignment_note="CN-4711",
        pickup_date=dt.date(2025, 3, 12),
        delivery_date=dt.date(2025, 3, 14),
        sender=Address("Sender Oy", street="Lastauskatu 1", zip="33100", city="Tampere"),
        recipient=Address("Receiver Ab", zip="20100", city="Turku", country="FI"),
        distance_km=Decimal("1234.5"),
        weight_kg=Decimal("12000"),
        volume_m3=Decimal("3.25"),
        pallets=Decimal(14),
        lines=(
            OrderLine("Freight Tampere–Turku", Decimal(1), "pcs", Decimal("1350"), Decimal("1350")),
            OrderLine("Waiting time", Decimal("2.5"), "h", Decimal(60), Decimal(150), Decimal(25)),
        ),
    )
    invoice = sample_invoice(0, language=language)
    header = dataclasses.replace(
        invoice.header, delivery_from=order.pickup_date, delivery_to=order.delivery_date
    )
    return dataclasses.replace(invoice, orders=(order,), header=header)


# Countries are printed by name in the invoice's language, never as their ISO code.
FINLAND = {Language.FI: "Suomi", Language.SV: "Finland", Language.EN: "Finland",
           Language.NB: "Finland", Language.DA: "Finland"}  # fmt: skip

# Per language: the figures of _one_order_invoice as that locale writes them.
FORMATTED = {
    Language.FI: ["1 234,5 km", "12 000 kg", "3,25 m³", "12.3.2025", "14.3.2025", "1 350,00",
                  "2,5", "h", "kpl", "25 %", "31.3.2025", "14.4.2025", "Lavat: 14",
                  "Toimitusaika 12.3.2025 – 14.3.2025"],
    Language.SV: ["1 234,5 km", "12 000 kg", "3,25 m³", "12.3.2025", "14.3.2025", "1 350,00",
                  "2,5", "st", "25 %", "31.3.2025", "Pallar: 14"],
    Language.EN: ["1,234.5 km", "12,000 kg", "3.25 m³", "12/03/2025", "14/03/2025", "1,350.00",
                  "2.5", "pcs", "25 %", "31/03/2025", "14/04/2025", "Pallets: 14"],
    Language.NB: ["1 234,5 km", "12 000 kg", "3,25 m³", "12.03.2025", "14.03.2025", "1 350,00",
                  "2,5", "timer", "stk", "25 %", "31.03.2025", "14.04.2025", "Paller: 14",
                  "Leveringsperiode 12.03.2025 – 14.03.2025"],
    Language.DA: ["1.234,5 km", "12.000 kg", "3,25 m³", "12.03.2025", "14.03.2025", "1.350,00",
                  "2,5", "timer", "stk", "25 %", "31.03.2025", "14.04.2025", "Paller: 14"],
}  # fmt: skip


@pytest.mark.parametrize("variant", list(Variant))
@pytest.mark.parametrize("language", list(Language))
def test_every_transport_detail_and_label_in_the_language(
    variant: Variant, language: Language
) -> None:
    found = text(render(_one_order_invoice(language), variant))
    details = [
        "A-777", "CN-4711", "Sender Oy, Lastauskatu 1, 33100 Tampere",
        f"Receiver Ab, 20100 Turku, {FINLAND[language]}", "Freight Tampere–Turku",
        "Waiting time",
    ]  # fmt: skip
    missing = [item for item in details + FORMATTED[language] if item not in found]
    assert missing == []
    missing_labels = [label for label in LABELS[language] if label not in found]
    assert missing_labels == []


@pytest.mark.parametrize("variant", list(Variant))
def test_invoice_facts_seller_buyer_vat_totals_and_payment(variant: Variant) -> None:
    invoice = sample_invoice(2)
    found = text(render(invoice, variant))
    net = f"{invoice.totals.net:,.2f}".replace(",", " ").replace(".", ",")
    expected = [
        "Kuljetus Esimerkki Oy", "Satamatie 1", "00980 Helsinki", "1234567-8", "FI12345678",
        "Acme Oy", "Tehtaankatu 5", "7654321-0", "FI76543210", "20001",
        "Ostolaskut", "PL 100", "00021 Laskutus",
        "Laskun numero 250001", "31.3.2025", "Eräpäivä 14.4.2025",
        "Toimitusaika 1.3.2025 – 3.3.2025", "Viitteenne Matti Meikäläinen",
        "Viitteemme Laskutus / HEL", "Tilausviite PO-7781",
        "Procountor-laskunumero 10234", "Viitenumero 2500013",
        "25,5 %", net, "Kiitos tilauksestanne.",
        "FI21 1234 5600 0007 85", "NDEAFIHH",
    ]  # fmt: skip
    assert [item for item in expected if item not in found] == []


def test_unknown_procountor_number_and_reference_are_left_out() -> None:
    found = text(render(sample_invoice(1, procountor_number=None, bank_reference=None)))
    assert "Procountor-laskunumero" not in found
    assert "Viitenumero" not in found


@pytest.mark.parametrize("variant", list(Variant))
def test_many_pages_say_page_x_of_y_and_repeat_the_table_header(variant: Variant) -> None:
    pages = page_texts(render(sample_invoice(60), variant))
    total = len(pages)
    assert total >= 4
    for number, page in enumerate(pages, start=1):
        assert f"Sivu {number} / {total}" in page
        assert page.count(f"/ {total}") == 1
    # every page but the first starts its orders under the repeated column header
    for page in pages[1:-1]:
        assert "Kuvaus Määrä Yksikkö À-hinta (EUR) ALV % Summa (EUR)" in page
    assert "A-10060" in pages[-1] or "A-10060" in pages[-2]


@pytest.mark.parametrize(
    ("language", "page_label"),
    [(Language.FI, "Sivu 1 / 1"), (Language.SV, "Sida 1 / 1"), (Language.EN, "Page 1 / 1")],
)
def test_page_numbers_are_translated(language: Language, page_label: str) -> None:
    assert page_label in text(render(sample_invoice(1, language=language)))


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (Language.FI, ["Hyvityslasku 250101", "Hyvitys laskusta 250001", "Hyvitys yhteensä"]),
        (Language.SV, ["Kreditfaktura 250101", "Kreditering av faktura 250001", "Att kreditera"]),
        (Language.EN, ["Credit note 250101", "Credit for invoice 250001", "Total credited"]),
    ],
)
@pytest.mark.parametrize("variant", list(Variant))
def test_a_credit_note_says_so_and_names_the_credited_invoice(
    variant: Variant, language: Language, expected: list[str]
) -> None:
    found = text(render(sample_invoice(2, language=language, credit=True), variant))
    assert [item for item in expected if item not in found] == []
    assert "Maksettava yhteensä" not in found


def test_an_invoice_without_orders_says_it_has_none() -> None:
    found = text(render(sample_invoice(0)))
    assert "Laskulla ei ole kuljetustilauksia." in found


def test_markup_characters_are_printed_as_they_are() -> None:
    invoice = _one_order_invoice(Language.EN)
    order = dataclasses.replace(
        invoice.orders[0],
        lines=(OrderLine("R&D <b>fast</b> & safe", Decimal(1), None, Decimal(1), Decimal(1)),),
    )
    found = text(render(dataclasses.replace(invoice, orders=(order,))))
    assert "R&D <b>fast</b> & safe" in found


def test_letters_a_font_lacks_become_their_plain_letters() -> None:
    invoice = _one_order_invoice(Language.EN)
    order = dataclasses.replace(
        invoice.orders[0], sender=Address("Łódź Trans sp. z o.o.", city="Łódź")
    )
    invoice = dataclasses.replace(invoice, orders=(order,))
    # Vera has Ł and ó but no ź; Helvetica (Windows-1252) has ó only.
    assert "Łódz Trans sp. z o.o., Łódz" in text(render(invoice, Variant.NORMAL))
    assert "Lódz Trans sp. z o.o., Lódz" in text(render(invoice, Variant.REDUCED))


@pytest.mark.parametrize(
    ("code", "language"),
    [(None, Language.FI), ("", Language.FI), ("SV", Language.SV), ("en", Language.EN),
     ("de", Language.EN)],
)  # fmt: skip
def test_language_of_a_customer_code(code: str | None, language: Language) -> None:
    assert Language.of(code) is language


@pytest.mark.parametrize("variant", list(Variant))
def test_a_long_line_description_wraps_in_its_cell(variant: Variant) -> None:
    invoice = _one_order_invoice(Language.EN)
    words = " ".join(f"word{n}" for n in range(40))
    order = dataclasses.replace(
        invoice.orders[0],
        lines=(OrderLine(words, Decimal(1), "pcs", Decimal(1), Decimal(1)),),
    )
    pdf = render(dataclasses.replace(invoice, orders=(order,)), variant)
    assert words in text(pdf)
    # wrapped: the description's words are on more than one line of the page
    raw = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "\n" in raw[raw.index("word0") : raw.index("word39")]
