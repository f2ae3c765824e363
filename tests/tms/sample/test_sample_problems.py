"""``with_problems``: one recognisable invoice per export error case, valid for the import."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from procountor_export.export import messages as m
from procountor_export.samples.generator import PROBLEM_CASES, generate_document


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return generate_document(50, seed=2, with_problems=True)


def _invoice(document: dict[str, Any], case: str) -> dict[str, Any]:
    number = PROBLEM_CASES[case].invoice_number
    (invoice,) = [i for i in document["invoices"] if i["number"] == number]
    return invoice


def _customer(document: dict[str, Any], code: str) -> dict[str, Any]:
    (customer,) = [c for c in document["customers"] if c["code"] == code]
    return customer


def test_each_case_adds_one_invoice_on_top_of_the_clean_ones(document: dict[str, Any]) -> None:
    numbers = [invoice["number"] for invoice in document["invoices"]]
    assert len(numbers) == 50 + len(PROBLEM_CASES)
    assert len(set(numbers)) == len(numbers)
    assert {case.invoice_number for case in PROBLEM_CASES.values()} <= set(numbers)
    assert len(PROBLEM_CASES) == 12
    clean = generate_document(50, seed=2)
    assert document["invoices"][:50] == clean["invoices"]


def test_cases_have_the_intended_defect(document: dict[str, Any]) -> None:
    assert "sales_ledger_no" not in _customer(
        document, _invoice(document, "customer-number-missing")["customer"]
    )
    assert _invoice(document, "account-missing")["postings"][0]["account"] == "3999"
    assert _invoice(document, "account-malformed")["postings"][0]["account"] == "30X0"
    assert "Project" in _invoice(document, "dimension-missing")["postings"][0]["profit_centres"]
    assert _invoice(document, "fiscal-year-closed")["date"] == "2024-06-28"
    assert _invoice(document, "period-closed")["date"] == "2025-01-15"
    assert _invoice(document, "vat-code-unmapped")["postings"][0]["vat_code"] == "ALV10"
    assert "ALV10" not in document["export_settings"]["exports"][0]["codes"]["tax_rates"]
    lodz = _customer(document, _invoice(document, "name-not-cp1252")["customer"])
    with pytest.raises(UnicodeEncodeError):
        lodz["name"].encode("cp1252")
    clash = _customer(document, _invoice(document, "customer-clash")["customer"])
    assert clash["sales_ledger_no"] == "29999"
    assert clash["vat_number"] == "FI12345671"


def test_everything_the_cases_refer_to_is_declared(document: dict[str, Any]) -> None:
    periods = {p["id"]: p for p in document["periods"]}
    assert periods["2024-06"]["closed_at"]
    assert periods["2025-01"]["closed_at"]
    assert {"code": "P-1001", "name": "Satamahanke"} in next(
        pc["units"] for pc in document["profit_centres"] if pc["name"] == "Project"
    )
    rates = {rate["code"]: rate for rate in document["vat_rates"]}
    assert rates["ALV10"]["rate"] == "10"
    assert rates["ALV10"]["kind"] == "domestic"
    customers = {c["code"] for c in document["customers"]}
    for name, (number, _) in PROBLEM_CASES.items():
        invoice = next(i for i in document["invoices"] if i["number"] == number)
        assert invoice["customer"] in customers, name
        period = periods[invoice["period"]]
        assert period["from"] <= invoice["date"] <= period["to"], name
        totals = invoice["totals"]
        assert Decimal(totals["net"]) == sum(Decimal(p["net"]) for p in invoice["postings"])
        assert Decimal(totals["vat"]) == sum(Decimal(p["vat"]) for p in invoice["postings"])
        assert Decimal(totals["gross"]) == Decimal(totals["net"]) + Decimal(totals["vat"])
        assert name in invoice["text"]


def test_clean_invoices_never_use_the_problem_data() -> None:
    clean = generate_document(300, seed=7)
    customers = {c["code"] for c in clean["customers"]}
    assert not {"NOLEDGER", "LODZ", "CLASH", "BADID", "BADMAIL", "BADOVT"} & customers
    assert "ALV10" not in {rate["code"] for rate in clean["vat_rates"]}
    assert "Project" not in {pc["name"] for pc in clean["profit_centres"]}


def test_messages_are_the_export_catalogue_filled_in() -> None:
    expected = {
        "customer-number-missing": m.CUSTOMER_NUMBER_MISSING.format(
            "Numeroton Teollisuus Oy", "NOLEDGER", "1901"
        ),
        "account-missing": m.ACCOUNT_MISSING.format("3999"),
        "account-malformed": m.ACCOUNT_MALFORMED.format("30X0"),
        "dimension-missing": m.DIMENSIONS_MISSING.format("Project"),
        "fiscal-year-closed": m.PERIOD_CLOSED.format("2024-06-28"),
        "period-closed": m.PERIOD_CLOSED.format("2025-01-15"),
        "vat-code-unmapped": m.VAT_CODE_UNMAPPED.format("ALV10", "Procountor (API)"),
        "name-not-cp1252": m.TEXT_ENCODING.format("customer name of customer LODZ", "Łź"),
        "customer-clash": m.CUSTOMER_CREATE.format("Kaksoisnumero Oy", "CLASH", "29999"),
        "business-id-invalid": m.BUSINESS_ID_INVALID.format(
            "Virheellinen Tunnus Oy (customer code: BADID)",
            "7654321-0",
            "the number's checksum or check digit is invalid",
        ),
        "email-invalid": m.EMAIL_INVALID.format(
            "Postivirhe Oy (customer code: BADMAIL)", "laskut(at)postivirhe.example"
        ),
        "einvoice-address-invalid": m.EINVOICE_ADDRESS_INVALID.format(
            "Verkkolaskuvirhe Oy (customer code: BADOVT)",
            "003788990011",
            "the business ID in the OVT code is not valid (the number's checksum or check digit "
            "is invalid)",
        ),
    }
    assert {name: case.message for name, case in PROBLEM_CASES.items()} == expected
