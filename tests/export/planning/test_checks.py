"""The checks made before sending: each article error appears word for word, all at once."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from factories import EXPORT, OFFICE, customer, invoice, posting, snapshot  # type: ignore[import-not-found]

from procountor_export.export.messages import Messages
from procountor_export.export.planning.checks import check_invoice

OPTER = Messages("Opter")


def messages(inv: object, **kwargs: object) -> list[str]:
    snap = kwargs.pop("snap", snapshot())
    source = str(kwargs.pop("source", "Opter"))
    found = check_invoice(inv, EXPORT, snap, OFFICE, **kwargs)  # type: ignore[arg-type]
    return [Messages(source).message(p) for p in found]


def test_a_clean_invoice_passes() -> None:
    assert messages(invoice()) == []


def test_customer_without_sales_ledger_number_gets_the_article_message() -> None:
    inv = invoice(customer=customer(sales_ledger_no=None))
    assert messages(inv) == [
        "Customer number missing in Opter for customer: Acme Oy (customer code: ACME, customer no: 1001)"
    ]


def test_the_source_system_name_comes_from_the_setting() -> None:
    inv = invoice(customer=customer(sales_ledger_no=""))
    assert messages(inv, source="Kuljetus TMS") == [
        "Customer number missing in Kuljetus TMS for customer: Acme Oy (customer code: ACME, "
        "customer no: 1001)"
    ]


def test_account_errors_malformed_and_missing() -> None:
    inv = invoice(posting("30X0"), posting("3999"), posting("3999", net="10.00"))
    assert messages(inv) == [
        "Incorrectly stated account number: 30X0",
        "No 3999 account in Procountor. Check the accounts available in Procountor.",
    ]


def test_unknown_profit_centre_names_every_missing_dimension() -> None:
    inv = invoice(
        posting(units=(("Project", "P1"), ("Department", "HEL"))),
        posting(units=(("Region", "N"),)),
    )
    assert messages(inv) == ["The dimensions Project, Region do not exist in Procountor"]


def test_closed_year_and_missing_year_are_closed_periods() -> None:
    assert messages(invoice(date=date(2025, 6, 30), due_date=date(2025, 7, 14))) == [
        "The period for date 2025-06-30 does not exist or is closed in Procountor"
    ]
    assert messages(invoice(date=date(2030, 1, 2), due_date=date(2030, 1, 16))) == [
        "The period for date 2030-01-02 does not exist or is closed in Procountor"
    ]


def test_vat_code_status_and_rate_problems() -> None:
    inv = invoice(
        posting(vat_code="ALV10", vat_rate=Decimal(10)),
        posting(vat_code="ALV0EU", vat_rate=Decimal(0)),
    )
    snap = snapshot(vat_statuses=frozenset({1}))
    assert messages(inv, snap=snap) == [
        "No VAT status code for VAT code ALV10 in the export Procountor (API)",
        "The VAT rate 10 % (VAT code ALV10) is not in use for sales in Procountor",
        "The VAT status code vat_6 (VAT code ALV0EU) is not in use for sales in Procountor",
    ]


def test_text_outside_windows_1252_is_named() -> None:
    inv = invoice(customer=customer(name="Łódź Logistyka"))
    found = messages(inv)
    assert found == [
        "The customer name of customer ACME contains characters Procountor cannot accept: Łź"
    ]


def test_currency_iban_and_e_invoice_requirements() -> None:
    inv = invoice(
        currency="XYZ",
        customer=customer(ovt=None, address=customer().address.__class__(name="Acme Oy")),
    )
    office = OFFICE.__class__(name="x", currency="EUR", bank_account="FI00 9999")
    found = [OPTER.message(p) for p in check_invoice(inv, EXPORT, snapshot(), office)]
    assert "The currency XYZ is not known to Procountor" in found
    assert (
        "The bank account FI00 9999 is not one of the company's bank accounts in Procountor"
        in found
    )
    assert any(
        m.startswith("The customer Acme Oy (customer code: ACME) cannot be invoiced by e-invoice")
        and "e-invoice address (OVT)" in m
        and "street of the address" in m
        for m in found
    )


def test_every_problem_names_the_invoice_and_a_remedy() -> None:
    inv = invoice(posting("30X0"), customer=customer(sales_ledger_no=None))
    for problem in check_invoice(inv, EXPORT, snapshot(), OFFICE):
        assert problem.invoice == "250001"
        assert OPTER.remedy(problem)
        assert problem.field
