"""The deliberate problem cases of ``generate-sample --with-problems``: one invoice per error.

Each case is an invoice that the *import* accepts (every reference is declared, every sum adds
up) but the *export* to the demo company must refuse with one message: the Opter article's
where it has one, the service's own pre-flight message otherwise. :data:`PROBLEM_CASES` names
them; tests and the demo use it to check that each case fails exactly where intended.

The cases do not depend on the seed, so their numbers and messages are fixed. Their invoice
numbers are in the 990000 series, away from the clean invoices (100001 upwards).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any, NamedTuple

from procountor_export.samples.customers import CUSTOMERS
from procountor_export.samples.data import DEPARTMENT, EXPORT_NAME, VEHICLE_GROUP


class ProblemCase(NamedTuple):
    """A problem invoice's number and the message its export must produce."""

    invoice_number: str
    message: str


PROBLEM_CASES: dict[str, ProblemCase] = {
    "customer-number-missing": ProblemCase(
        "990001",
        "Customer number missing in Opter for customer: Numeroton Teollisuus Oy "
        "(customer code: NOLEDGER, customer no: 1901)",
    ),
    "account-missing": ProblemCase(
        "990002", "No 3999 account in Procountor. Check the accounts available in Procountor."
    ),
    "account-malformed": ProblemCase("990003", "Incorrectly stated account number: 30X0"),
    "dimension-missing": ProblemCase("990004", "The dimensions Project do not exist in Procountor"),
    "fiscal-year-closed": ProblemCase(
        "990005", "The period for date 2024-06-28 does not exist or is closed in Procountor"
    ),
    "period-closed": ProblemCase(
        "990006", "The period for date 2025-01-15 does not exist or is closed in Procountor"
    ),
    # Not an article message: the service checks the export's tax rate codes before sending.
    "vat-code-unmapped": ProblemCase(
        "990007", f"No VAT status code for VAT code ALV10 in the export {EXPORT_NAME}"
    ),
    # Not an article message: Procountor takes only Windows-1252 text, checked before sending.
    "name-not-cp1252": ProblemCase(
        "990008",
        "The customer name of customer LODZ contains characters Procountor cannot accept: Łź",
    ),
    "customer-clash": ProblemCase(
        "990009",
        "The customer Kaksoisnumero Oy could not be created in Procountor "
        "(customer code: CLASH, customer no.: 29999)",
    ),
    # Not article messages: identifiers Procountor would refuse, caught before sending.
    "business-id-invalid": ProblemCase(
        "990010",
        "The business ID 7654321-0 of customer Virheellinen Tunnus Oy (customer code: BADID) "
        "is not valid: the number's checksum or check digit is invalid",
    ),
    "email-invalid": ProblemCase(
        "990011",
        "The e-mail address laskut(at)postivirhe.example of customer Postivirhe Oy "
        "(customer code: BADMAIL) is not a valid e-mail address",
    ),
    "einvoice-address-invalid": ProblemCase(
        "990012",
        "The e-invoice address 003788990011 of customer Verkkolaskuvirhe Oy (customer code: "
        "BADOVT) is not valid: the business ID in the OVT code is not valid (the number's "
        "checksum or check digit is invalid)",
    ),
}

PROBLEM_PROFIT_CENTRE: dict[str, Any] = {
    "name": "Project",
    "units": [{"code": "P-1001", "name": "Satamahanke"}],
}
PROBLEM_VAT_RATE: dict[str, Any] = {
    "code": "ALV10",
    "name": "ALV 10 %",
    "rate": "10",
    "kind": "domestic",
}
# A closed fiscal year (2024) and the closed tracking period 2025-01 of the demo company.
PROBLEM_PERIODS: list[dict[str, Any]] = [
    {"id": "2024-06", "from": "2024-06-01", "to": "2024-06-30", "closed_at": "2024-07-02T16:00:00"},
    {"id": "2025-01", "from": "2025-01-01", "to": "2025-01-31", "closed_at": "2025-02-03T16:00:00"},
]


def problem_customers() -> list[dict[str, Any]]:
    """The customers whose own data is the problem."""
    return [
        {
            "code": "NOLEDGER",
            "customer_no": "1901",
            "name": "Numeroton Teollisuus Oy",
            "corporate_id": "7788992-8",
            "vat_number": "FI77889928",
            "address": {
                "name": "Numeroton Teollisuus Oy",
                "street": "Hervannan valtaväylä 8",
                "zip": "33720",
                "city": "Tampere",
                "country": "FI",
            },
            "email": "laskut@numeroton.example",
            "invoice_channel": "email",
        },
        {
            "code": "LODZ",
            "customer_no": "1902",
            "sales_ledger_no": "21902",
            "name": "Łódź Logistyka Sp. z o.o.",
            "corporate_id": "0000123456",
            "vat_number": "PL7251234561",
            # The address is written without Polish letters, so only the name is a problem.
            "address": {
                "name": "Lodz Logistyka Sp. z o.o.",
                "street": "ul. Piotrkowska 100",
                "zip": "90-004",
                "city": "Lodz",
                "country": "PL",
            },
            "email": "faktury@lodzlogistyka.example",
            "language": "en",
            "invoice_channel": "email",
            "payment_terms_days": 30,
        },
        {
            # Procountor already has customer number 29999 (Vanha Asiakas Oy, 2999999-7).
            "code": "CLASH",
            "customer_no": "29999",
            "sales_ledger_no": "29999",
            "name": "Kaksoisnumero Oy",
            "corporate_id": "1234567-1",
            "vat_number": "FI12345671",
            "address": {
                "name": "Kaksoisnumero Oy",
                "street": "Mannerheimintie 12",
                "zip": "00100",
                "city": "Helsinki",
                "country": "FI",
            },
            "email": "laskut@kaksoisnumero.example",
            "invoice_channel": "email",
        },
        _identifier_problem("BADID", "1903", "Virheellinen Tunnus Oy", corporate_id="7654321-0"),
        _identifier_problem(
            "BADMAIL",
            "1904",
            "Postivirhe Oy",
            invoice_channel="email",
            email="laskut(at)postivirhe.example",
        ),
        _identifier_problem(
            "BADOVT",
            "1905",
            "Verkkolaskuvirhe Oy",
            invoice_channel="e-invoice",
            ovt="003788990011",
            edi_code="NDEAFIHH",
        ),
    ]


def _identifier_problem(code: str, number: str, name: str, **fields: str) -> dict[str, Any]:
    """A Finnish customer whose only fault is the identifier given in ``fields``."""
    return {
        "code": code,
        "customer_no": number,
        "sales_ledger_no": f"2{number}",
        "name": name,
        "corporate_id": "7788990-1",
        "address": {
            "name": name,
            "street": "Satamakatu 3",
            "zip": "00160",
            "city": "Helsinki",
            "country": "FI",
        },
        "invoice_channel": "none",
        **fields,
    }


_CENT = Decimal("0.01")
_UNITS = {DEPARTMENT: "HEL", VEHICLE_GROUP: "TRUCK"}


def _invoice(
    case: str,
    customer: str,
    date: str,
    period: str,
    due: str,
    line: tuple[str, str, str, str],
    posting: tuple[str, str, str, dict[str, str]],
    why: str,
) -> dict[str, Any]:
    """One invoice with one order of one line and its one posting, all sums exact."""
    description, quantity, unit_price, vat_code = line
    account, _, rate, units = posting
    amount = (Decimal(quantity) * Decimal(unit_price)).quantize(_CENT, ROUND_HALF_UP)
    vat = (amount * Decimal(rate) / 100).quantize(_CENT, ROUND_HALF_UP)
    number = PROBLEM_CASES[case].invoice_number
    return {
        "number": number,
        "type": "invoice",
        "period": period,
        "customer": customer,
        "date": date,
        "due_date": due,
        "currency": "EUR",
        "our_reference": "Laskutus / HEL",
        "text": f"Sample problem case '{case}': {why}",
        "orders": [
            {
                "order_no": f"P-{number}",
                "consignment_note": f"KD{number}",
                "pickup_date": date,
                "delivery_date": date,
                "sender": {"name": "Kuljetus Demo Oy", "city": "Helsinki", "country": "FI"},
                "recipient": {"name": "Koivuvarasto Oy", "city": "Tampere", "country": "FI"},
                "distance_km": "178",
                "weight_kg": "2400",
                "pallets": "6",
                "lines": [
                    {
                        "description": description,
                        "quantity": quantity,
                        "unit": "pcs",
                        "unit_price": unit_price,
                        "amount": str(amount),
                        "vat_code": vat_code,
                    }
                ],
            }
        ],
        "postings": [
            {
                "account": account,
                "vat_code": vat_code,
                "vat_rate": rate,
                "profit_centres": units,
                "net": str(amount),
                "vat": str(vat),
            }
        ],
        "totals": {"net": str(amount), "vat": str(vat), "gross": str(amount + vat)},
    }


def problem_invoices() -> list[dict[str, Any]]:
    """One invoice per entry of :data:`PROBLEM_CASES`, in the same order."""
    clean = CUSTOMERS[0].code
    freight = ("Rahti Helsinki–Tampere", "1", "412.00", "ALV25.5")
    at_3010 = ("3010", "ALV25.5", "25.5", _UNITS)
    october = ("2026-10-30", "2026-10", "2026-11-13")
    return [
        _invoice(
            "customer-number-missing",
            "NOLEDGER",
            *october,
            freight,
            at_3010,
            "the customer has no sales ledger number",
        ),
        _invoice(
            "account-missing",
            clean,
            *october,
            freight,
            ("3999", "ALV25.5", "25.5", _UNITS),
            "account 3999 is not in Procountor's chart of accounts",
        ),
        _invoice(
            "account-malformed",
            clean,
            *october,
            freight,
            ("30X0", "ALV25.5", "25.5", _UNITS),
            "the account number 30X0 is malformed",
        ),
        _invoice(
            "dimension-missing",
            clean,
            *october,
            freight,
            ("3010", "ALV25.5", "25.5", {**_UNITS, "Project": "P-1001"}),
            "Procountor has no dimension 'Project'",
        ),
        _invoice(
            "fiscal-year-closed",
            clean,
            "2024-06-28",
            "2024-06",
            "2024-07-12",
            freight,
            at_3010,
            "the fiscal year 2024 is closed in Procountor",
        ),
        _invoice(
            "period-closed",
            clean,
            "2025-01-15",
            "2025-01",
            "2025-01-29",
            freight,
            at_3010,
            "the period 2025-01 is closed in Procountor",
        ),
        _invoice(
            "vat-code-unmapped",
            clean,
            *october,
            ("Lehtijakelu", "1", "120.00", "ALV10"),
            ("3400", "ALV10", "10", _UNITS),
            "VAT code ALV10 has no VAT status code in the export settings",
        ),
        _invoice(
            "name-not-cp1252",
            "LODZ",
            *october,
            ("Freight Helsinki–Lodz", "1", "1890.00", "ALV0EU"),
            ("3300", "ALV0EU", "0", _UNITS),
            "the customer's name has letters outside Windows-1252",
        ),
        _invoice(
            "customer-clash",
            "CLASH",
            *october,
            freight,
            at_3010,
            "Procountor has another customer with number 29999 and another VAT number",
        ),
        _invoice(
            "business-id-invalid",
            "BADID",
            *october,
            freight,
            at_3010,
            "the customer's business ID has a wrong check digit",
        ),
        _invoice(
            "email-invalid",
            "BADMAIL",
            *october,
            freight,
            at_3010,
            "the e-mail channel customer's address is not an e-mail address",
        ),
        _invoice(
            "einvoice-address-invalid",
            "BADOVT",
            *october,
            freight,
            at_3010,
            "the e-invoice address is not a valid OVT code",
        ),
    ]
