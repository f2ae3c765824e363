"""Every word the PDF copy prints, in Finnish, Swedish, English, Norwegian (bokmål) and Danish.

Tables only: :class:`~procountor_export.pdf.labels.Texts` picks the column of the invoice's
language and fills the ``{0}`` placeholders. The wording is that of invoices in each country
(Norwegian "MVA", Danish "moms", "Å betale" / "At betale"); a few labels depend on the seller's
market as well as on the language (:data:`MARKET_LABELS`).
"""

from __future__ import annotations

from procountor_export.pdf.model import Language

COLUMNS: tuple[Language, ...] = (Language.FI, Language.SV, Language.EN, Language.NB, Language.DA)
"""The order of the languages in every row below."""

Row = tuple[str, str, str, str, str]

LABELS: dict[str, Row] = {
    "invoice": ("Lasku", "Faktura", "Invoice", "Faktura", "Faktura"),
    "credit_note": ("Hyvityslasku", "Kreditfaktura", "Credit note", "Kreditnota", "Kreditnota"),
    "credits_invoice": (
        "Hyvitys laskusta {0}",
        "Kreditering av faktura {0}",
        "Credit for invoice {0}",
        "Kreditering av faktura {0}",
        "Kreditering af faktura {0}",
    ),
    "page": (
        "Sivu {0} / {1}",
        "Sida {0} / {1}",
        "Page {0} / {1}",
        "Side {0} / {1}",
        "Side {0} / {1}",
    ),
    "seller": ("Myyjä", "Säljare", "Seller", "Selger", "Sælger"),
    "buyer": ("Ostaja", "Köpare", "Buyer", "Kjøper", "Køber"),
    "invoice_address": (
        "Laskutusosoite",
        "Faktureringsadress",
        "Invoice address",
        "Fakturaadresse",
        "Fakturaadresse",
    ),
    "business_id": (
        "Y-tunnus",
        "FO-nummer",
        "Business ID",
        "Organisasjonsnummer",
        "Virksomhedsnummer",
    ),
    "vat_number": (
        "ALV-numero",
        "Momsregistreringsnummer",
        "VAT number",
        "MVA-nummer",
        "Momsnummer",
    ),
    "customer_no": ("Asiakasnumero", "Kundnummer", "Customer number", "Kundenummer", "Kundenummer"),
    "phone": ("Puhelin", "Telefon", "Phone", "Telefon", "Telefon"),
    "email": ("Sähköposti", "E-post", "Email", "E-post", "E-mail"),
    "invoice_number": (
        "Laskun numero",
        "Fakturanummer",
        "Invoice number",
        "Fakturanummer",
        "Fakturanummer",
    ),
    "invoice_date": (
        "Laskun päivämäärä",
        "Fakturadatum",
        "Invoice date",
        "Fakturadato",
        "Fakturadato",
    ),
    "due_date": ("Eräpäivä", "Förfallodag", "Due date", "Forfallsdato", "Forfaldsdato"),
    "delivery_period": (
        "Toimitusaika",
        "Leveransperiod",
        "Delivery period",
        "Leveringsperiode",
        "Leveringsperiode",
    ),
    "your_reference": (
        "Viitteenne",
        "Er referens",
        "Your reference",
        "Deres referanse",
        "Deres reference",
    ),
    "our_reference": (
        "Viitteemme",
        "Vår referens",
        "Our reference",
        "Vår referanse",
        "Vores reference",
    ),
    "order_reference": (
        "Tilausviite",
        "Orderreferens",
        "Order reference",
        "Bestillingsreferanse",
        "Ordrereference",
    ),
    "procountor_number": (
        "Procountor-laskunumero",
        "Procountor-fakturanummer",
        "Procountor invoice number",
        "Procountor-fakturanummer",
        "Procountor-fakturanummer",
    ),
    "bank_reference": (
        "Viitenumero",
        "Referensnummer",
        "Reference number",
        "Betalingsreferanse",
        "Betalingsreference",
    ),
    # The payment reference under its market's name: Sweden's OCR number, Norway's KID.
    "ocr": ("OCR-viite", "OCR-nummer", "OCR reference", "OCR-referanse", "OCR-reference"),
    "kid": ("KID-viite", "KID-nummer", "KID number", "KID-nummer", "KID-nummer"),
    "orders": ("Kuljetukset", "Transporter", "Transports", "Transporter", "Transporter"),
    "order": ("Tilaus", "Order", "Order", "Ordre", "Ordre"),
    "consignment_note": (
        "Rahtikirja",
        "Fraktsedel",
        "Consignment note",
        "Fraktbrev",
        "Fragtbrev",
    ),
    "pickup_date": (
        "Noutopäivä",
        "Upphämtningsdatum",
        "Pickup date",
        "Hentedato",
        "Afhentningsdato",
    ),
    "delivery_date": (
        "Toimituspäivä",
        "Leveransdatum",
        "Delivery date",
        "Leveringsdato",
        "Leveringsdato",
    ),
    "sender": ("Lähettäjä", "Avsändare", "Sender", "Avsender", "Afsender"),
    "recipient": ("Vastaanottaja", "Mottagare", "Recipient", "Mottaker", "Modtager"),
    "distance": ("Matka", "Sträcka", "Distance", "Avstand", "Afstand"),
    "weight": ("Paino", "Vikt", "Weight", "Vekt", "Vægt"),
    "volume": ("Tilavuus", "Volym", "Volume", "Volum", "Volumen"),
    "pallets": ("Lavat", "Pallar", "Pallets", "Paller", "Paller"),
    "description": ("Kuvaus", "Beskrivning", "Description", "Beskrivelse", "Beskrivelse"),
    "quantity": ("Määrä", "Antal", "Quantity", "Antall", "Antal"),
    "unit": ("Yksikkö", "Enhet", "Unit", "Enhet", "Enhed"),
    "unit_price": ("À-hinta", "À-pris", "Unit price", "Enhetspris", "Enhedspris"),
    "vat_percent": ("ALV %", "Moms %", "VAT %", "MVA %", "Moms %"),
    "amount": ("Summa", "Belopp", "Amount", "Beløp", "Beløb"),
    "vat_breakdown": (
        "ALV-erittely",
        "Momsspecifikation",
        "VAT breakdown",
        "MVA-spesifikasjon",
        "Momsspecifikation",
    ),
    "vat_rate": ("ALV-kanta", "Momssats", "VAT rate", "MVA-sats", "Momssats"),
    "net": ("Veroton", "Exkl. moms", "Excl. VAT", "Ekskl. MVA", "Ekskl. moms"),
    "vat": ("Vero", "Moms", "VAT", "MVA", "Moms"),
    "gross": ("Verollinen", "Inkl. moms", "Incl. VAT", "Inkl. MVA", "Inkl. moms"),
    "totals": ("Yhteensä", "Totalt", "Totals", "Totalt", "I alt"),
    "total_net": (
        "Veroton yhteensä",
        "Summa exkl. moms",
        "Total excl. VAT",
        "Sum ekskl. MVA",
        "I alt ekskl. moms",
    ),
    "total_vat": ("ALV yhteensä", "Moms totalt", "Total VAT", "MVA totalt", "Moms i alt"),
    "total_to_pay": ("Maksettava yhteensä", "Att betala", "Total to pay", "Å betale", "At betale"),
    "total_credited": (
        "Hyvitys yhteensä",
        "Att kreditera",
        "Total credited",
        "Kreditert beløp",
        "Krediteret beløb",
    ),
    "payment_details": (
        "Maksutiedot",
        "Betalningsuppgifter",
        "Payment details",
        "Betalingsinformasjon",
        "Betalingsoplysninger",
    ),
    "iban": (
        "Tilinumero (IBAN)",
        "Kontonummer (IBAN)",
        "Account (IBAN)",
        "Kontonummer (IBAN)",
        "Kontonummer (IBAN)",
    ),
    "bic": ("BIC", "BIC", "BIC", "BIC", "BIC"),
    "payment_terms": (
        "Maksuehto",
        "Betalningsvillkor",
        "Payment terms",
        "Betalingsbetingelser",
        "Betalingsbetingelser",
    ),
    "terms_net": (
        "{0} päivää netto",
        "{0} dagar netto",
        "{0} days net",
        "{0} dager netto",
        "{0} dage netto",
    ),
    "penalty_interest": (
        "Viivästyskorko",
        "Dröjsmålsränta",
        "Interest on late payment",
        "Forsinkelsesrente",
        "Morarente",
    ),
    "currency_note": (
        "Summat valuutassa {0}, ilman arvonlisäveroa ellei toisin mainita.",
        "Belopp i {0}, exklusive moms om inte annat anges.",
        "Amounts in {0}, excluding VAT unless stated otherwise.",
        "Beløp i {0}, eksklusive MVA om ikke annet er angitt.",
        "Beløb i {0}, eksklusive moms medmindre andet er angivet.",
    ),
    "no_orders": (
        "Laskulla ei ole kuljetustilauksia.",
        "Fakturan har inga transportordrar.",
        "The invoice has no transport orders.",
        "Fakturaen har ingen transportoppdrag.",
        "Fakturaen har ingen transportordrer.",
    ),
}
"""Label key -> its wording, one column per language of :data:`COLUMNS`."""

MARKET_LABELS: dict[tuple[Language, str], dict[str, str]] = {
    # Outside Finland a business's number is its organisationsnummer in Swedish ("FO-nummer"
    # is Finland-Swedish).
    (Language.SV, "SE"): {"business_id": "Organisationsnummer"},
    (Language.SV, "NO"): {"business_id": "Organisationsnummer"},
    (Language.SV, "DK"): {"business_id": "Organisationsnummer"},
    # A Danish company's number is its CVR number.
    (Language.DA, "DK"): {"business_id": "CVR-nummer"},
}
"""(language, seller's market) -> the labels that market words differently."""

UNITS: dict[str, Row] = {
    "pcs": ("kpl", "st", "pcs", "stk", "stk"),
    "km": ("km", "km", "km", "km", "km"),
    "kg": ("kg", "kg", "kg", "kg", "kg"),
    "t": ("t", "t", "t", "t", "t"),
    "h": ("h", "h", "h", "timer", "timer"),
    "pallet": ("lava", "pall", "pallet", "pall", "palle"),
    "m3": ("m³", "m³", "m³", "m³", "m³"),
    "day": ("pv", "dag", "day", "dag", "dag"),
}
"""The TMS's unit codes (input-format.md) as printed; an unknown unit is printed as it is."""
