"""Builders of export test data: invoices, exports and a snapshot of the demo company."""

from __future__ import annotations

import calendar
from datetime import date
from decimal import Decimal

from procountor_export.export.reading.cache import (
    CompanyCache,
    DimensionInfo,
    FiscalYearInfo,
    TrackingPeriodInfo,
)
from procountor_export.export.reading.data import (
    AddressData,
    CustomerData,
    ExportConfig,
    InvoiceData,
    OfficeData,
    PostingData,
)

OFFICE = OfficeData(name="Kuljetus Demo Oy", currency="EUR", bank_account="FI21 1234 5600 0007 85")
EXPORT = ExportConfig(
    id=1,
    name="Procountor (API)",
    tax_codes={"ALV25.5": "vat_1", "ALV0EU": "vat_6", "ALV13.5": "vat_1"},
)


def customer(**changes: object) -> CustomerData:
    values: dict[str, object] = {
        "code": "ACME",
        "customer_no": "1001",
        "sales_ledger_no": "20001",
        "name": "Acme Oy",
        "address": AddressData(
            name="Acme Oy", street="Tehtaankatu 5", zip="33100", city="Tampere", country="FI"
        ),
        "corporate_id": "7654321-2",
        "edi_code": "NDEAFIHH",
        "ovt": "003776543212",
        "invoice_channel": "e-invoice",
    }
    values.update(changes)
    return CustomerData(**values)  # type: ignore[arg-type]


def posting(account: str = "3010", net: str = "350.00", **changes: object) -> PostingData:
    values: dict[str, object] = {
        "account": account,
        "vat_code": "ALV25.5",
        "vat_rate": Decimal("25.5"),
        "net": Decimal(net),
        "vat": (Decimal(net) * Decimal("0.255")).quantize(Decimal("0.01")),
        "units": (("Department", "HEL"),),
    }
    values.update(changes)
    return PostingData(**values)  # type: ignore[arg-type]


def invoice(*postings: PostingData, **changes: object) -> InvoiceData:
    postings = postings or (posting(),)
    net = sum((p.net for p in postings), Decimal(0))
    vat = sum((p.vat for p in postings), Decimal(0))
    values: dict[str, object] = {
        "id": 1,
        "number": "250001",
        "period_id": "2026-03",
        "date": date(2026, 3, 31),
        "due_date": date(2026, 4, 14),
        "currency": "EUR",
        "customer": customer(),
        "postings": postings,
        "total_net": net,
        "total_vat": vat,
        "total_gross": net + vat,
    }
    values.update(changes)
    return InvoiceData(**values)  # type: ignore[arg-type]


def snapshot(**changes: object) -> CompanyCache:
    months = tuple(
        TrackingPeriodInfo(date(2026, month, 1), _month_end(2026, month), "OPEN")
        for month in range(1, 13)
    )
    values: dict[str, object] = {
        "company_currency": "EUR",
        "accounts": {
            "1700": "Myyntisaamiset",
            "3000": "Myynti",
            "3010": "Rahtimyynti",
            "3030": "Polttoainelisät",
        },
        "dimensions": {
            "Department": DimensionInfo(id=12, name="Department", items={"HEL": 345, "TKU": 346})
        },
        "vat_percents": frozenset({Decimal("25.5"), Decimal("13.5"), Decimal(0)}),
        "vat_statuses": frozenset({1, 6}),
        "fiscal_years": (
            FiscalYearInfo(date(2025, 1, 1), date(2025, 12, 31), False),
            FiscalYearInfo(date(2026, 1, 1), date(2026, 12, 31), True, months),
        ),
        "currencies": frozenset({"EUR", "SEK"}),
        "bank_accounts": frozenset({"FI2112345600000785"}),
    }
    values.update(changes)
    return CompanyCache(**values)  # type: ignore[arg-type]


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])
