"""The sample document's customers: Finnish companies, a Swedish one invoiced in SEK, EU and
export customers - each with the channel, EDI code and VAT treatment the export has to handle.

Fixed for every seed, so the demo Procountor's business partners stay predictable.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from procountor_export.samples.data import CITY


def y_tunnus(base: str) -> str:
    """A Finnish business ID (Y-tunnus) with its check digit, from seven digits."""
    total = sum(
        int(digit) * weight for digit, weight in zip(base, (7, 9, 10, 5, 8, 4, 2), strict=True)
    )
    remainder = total % 11
    if remainder == 1:
        raise ValueError(f"{base} has no valid Y-tunnus check digit")
    return f"{base}-{0 if remainder == 0 else 11 - remainder}"


@dataclass(frozen=True)
class SampleCustomer:
    """A customer record of the document plus what the generator needs to invent its orders."""

    record: dict[str, Any]
    city: str
    market: str  # "domestic" | "eu" | "export": decides the VAT code and the account
    currency: str = "EUR"
    currency_rate: str | None = None
    share: int = 10  # relative number of invoices
    warehousing: bool = False

    @property
    def code(self) -> str:
        return str(self.record["code"])

    @property
    def language(self) -> str:
        return str(self.record.get("language", "fi"))


def _finnish(
    code: str,
    number: int,
    name: str,
    base: str,
    city: str,
    street: str,
    channel: str,
    edi: str | None = None,
    **extra: Any,
) -> SampleCustomer:
    business_id = y_tunnus(base)
    town = CITY[city]
    record: dict[str, Any] = {
        "code": code,
        "customer_no": str(1000 + number),
        "sales_ledger_no": str(20000 + number),
        "name": name,
        "corporate_id": business_id,
        "vat_number": "FI" + business_id.replace("-", ""),
        "address": {
            "name": name,
            "street": street,
            "zip": f"{town.zip}{100 + number * 10:03d}"[:5],
            "city": city,
            "country": "FI",
        },
        "phone": f"+358 40 {number:03d} {1000 + number * 37:04d}",
        "language": "fi",
        "invoice_channel": channel,
        "payment_terms_days": extra.pop("terms", 14),
    }
    domain = code.lower() + ".example"
    if channel == "email" or number % 3 == 0:
        record["email"] = f"laskut@{domain}"
    if edi:
        record["edi_code"] = edi
        record["ovt"] = "0037" + business_id.replace("-", "")
    if "invoice_address" in extra:
        record["invoice_address"] = extra.pop("invoice_address")
    if "export_setting" in extra:
        record["export_setting"] = extra.pop("export_setting")
    return SampleCustomer(record=record, city=city, market="domestic", **extra)


CUSTOMERS: tuple[SampleCustomer, ...] = (
    _finnish(
        "POHTUK",
        1,
        "Pohjolan Tukku Oy",
        "2345671",
        "Vantaa",
        "Tikkurilantie 10",
        "e-invoice",
        "NDEAFIHH",
        share=30,
        warehousing=True,
    ),
    _finnish(
        "LANRAK",
        2,
        "Länsirannikon Rakennus Oy",
        "3456782",
        "Turku",
        "Ratapihankatu 4",
        "e-invoice",
        "OKOYFIHH",
        share=18,
    ),
    _finnish(
        "TAMTER",
        3,
        "Tampereen Teräsosa Oy",
        "4567891",
        "Tampere",
        "Hatanpään valtatie 30",
        "e-invoice",
        "003721291126",
        share=22,
        terms=21,
    ),
    _finnish(
        "OULELI",
        4,
        "Oulun Elintarvike Oy",
        "5678904",
        "Oulu",
        "Pakkahuoneenkatu 8",
        "email",
        share=14,
    ),
    _finnish(
        "JARPUU",
        5,
        "Järvi-Suomen Puutavara Oy",
        "6789016",
        "Jyväskylä",
        "Vasarakatu 21",
        "mail",
        share=8,
        invoice_address={
            "name": "Järvi-Suomen Puutavara Oy",
            "specifier": "Ostolaskut",
            "street": "PL 120",
            "zip": "40101",
            "city": "Jyväskylä",
            "country": "FI",
        },
    ),
    _finnish(
        "KALUST",
        6,
        "Kotimaan Kalustetalo Oy",
        "7890126",
        "Lahti",
        "Mukkulankatu 19",
        "e-invoice",
        "OKOYFIHH",
        share=10,
        export_setting="Procountor (API)",
    ),
    _finnish(
        "SATKON",
        7,
        "Satakunnan Konepaja Oy",
        "8901238",
        "Pori",
        "Tiilimäenkatu 5",
        "email",
        share=9,
    ),
    _finnish(
        "KAAPAP",
        8,
        "Kaakkois-Suomen Paperi Oy",
        "9012340",
        "Kouvola",
        "Tehtaankatu 2",
        "e-invoice",
        "NDEAFIHH",
        share=12,
        warehousing=True,
    ),
    _finnish(
        "LAPMAT",
        9,
        "Lapin Matkailupalvelut Oy",
        "1122334",
        "Rovaniemi",
        "Koskikatu 25",
        "email",
        share=6,
    ),
    _finnish(
        "VAASAH", 10, "Vaasan Sähkötarvike Oy", "2233445", "Vaasa", "Vöyrinkatu 17", "mail", share=7
    ),
    _finnish(
        "KUOMAI",
        11,
        "Kuopion Maitotila Ay",
        "3344557",
        "Kuopio",
        "Maljalahdentie 3",
        "none",
        share=4,
    ),
    _finnish(
        "ESPELE",
        12,
        "Espoon Elektroniikka Oy",
        "4455661",
        "Espoo",
        "Upseerinkatu 6",
        "e-invoice",
        "003721291126",
        share=12,
    ),
    _finnish(
        "TURSAT",
        13,
        "Turun Satamapalvelu Oy",
        "5566772",
        "Turku",
        "Tuulensuunkatu 1",
        "e-invoice",
        "NDEAFIHH",
        share=11,
        warehousing=True,
    ),
    _finnish(
        "HAMLAS", 14, "Hämeen Lasi Oy", "6677889", "Hämeenlinna", "Parolantie 54", "email", share=6
    ),
    SampleCustomer(
        record={
            "code": "NORLOG",
            "customer_no": "1015",
            "sales_ledger_no": "20015",
            "name": "Nordisk Logistik AB",
            "corporate_id": "556677-8899",
            "vat_number": "SE556677889901",
            "address": {
                "name": "Nordisk Logistik AB",
                "street": "Hamngatan 14",
                "zip": "111 47",
                "city": "Stockholm",
                "country": "SE",
            },
            "email": "faktura@nordisklogistik.example",
            "phone": "+46 8 555 123 45",
            "language": "sv",
            "invoice_channel": "email",
            "payment_terms_days": 30,
        },
        city="Stockholm",
        market="eu",
        currency="SEK",
        currency_rate="11.20",
        share=9,
    ),
    SampleCustomer(
        record={
            "code": "BALFRE",
            "customer_no": "1016",
            "sales_ledger_no": "20016",
            "name": "Baltic Freight OÜ",
            "corporate_id": "12345678",
            "vat_number": "EE101234568",
            "address": {
                "name": "Baltic Freight OÜ",
                "street": "Sadama tn 25",
                "zip": "10111",
                "city": "Tallinn",
                "country": "EE",
            },
            "email": "invoices@balticfreight.example",
            "phone": "+372 600 1234",
            "language": "en",
            "invoice_channel": "email",
            "payment_terms_days": 21,
        },
        city="Tallinn",
        market="eu",
        share=8,
    ),
    SampleCustomer(
        record={
            "code": "HANSPE",
            "customer_no": "1017",
            "sales_ledger_no": "20017",
            "name": "Hansa Spedition GmbH",
            "corporate_id": "HRB 123456",
            "vat_number": "DE123456788",
            "address": {
                "name": "Hansa Spedition GmbH",
                "street": "Hafenstraße 12",
                "zip": "20457",
                "city": "Hamburg",
                "country": "DE",
            },
            "email": "rechnungen@hansaspedition.example",
            "phone": "+49 40 555 0100",
            "language": "en",
            "invoice_channel": "email",
            "payment_terms_days": 30,
        },
        city="Hamburg",
        market="eu",
        share=5,
    ),
    SampleCustomer(
        record={
            "code": "NORKAP",
            "customer_no": "1018",
            "sales_ledger_no": "20018",
            "name": "Nordkapp Transport AS",
            "corporate_id": "923456783",
            "vat_number": "NO923456783MVA",
            "address": {
                "name": "Nordkapp Transport AS",
                "street": "Havnegata 9",
                "zip": "9008",
                "city": "Tromsø",
                "country": "NO",
            },
            "email": "faktura@nordkapptransport.example",
            "phone": "+47 77 60 12 34",
            "language": "en",
            "invoice_channel": "mail",
            "payment_terms_days": 30,
        },
        city="Tromsø",
        market="export",
        share=5,
    ),
)
