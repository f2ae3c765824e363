"""Payment references and penalty interest before sending: the formats of a Finnish company,
the pre-flight problems (invoice, field, value) and what the payload carries."""

from __future__ import annotations

from decimal import Decimal

import pytest
from factories import EXPORT, OFFICE, customer, invoice, snapshot  # type: ignore[import-not-found]

from procountor_export.export.messages import Messages
from procountor_export.export.planning import payloads, references
from procountor_export.export.planning.checks import check_invoice
from procountor_export.export.planning.plan import plan_invoice
from procountor_export.export.reading.data import InvoiceData

OPTER = Messages("Opter")


@pytest.mark.parametrize(
    ("given", "code", "kind"),
    [
        ("1232", "1232", "FI"),
        ("1234 5678 9012 3456 7894", "12345678901234567894", "FI"),
        (" 2501 4 ", "25014", "FI"),
        ("RF18 5390 0754 7034", "RF18539007547034", "RF"),
        ("rf18539007547034", "RF18539007547034", "RF"),
        ("RF85 1234 5672", "RF8512345672", "RF"),  # RF around the Finnish 12345672
    ],
)
def test_valid_references_of_a_finnish_company(given: str, code: str, kind: str) -> None:
    assert references.parse(given) == references.PaymentReference(code, kind)
    assert references.code_to_send(given) == code
    assert references.type_to_send(given) == kind


def test_the_finnish_check_digit_uses_the_weights_7_3_1_from_the_right() -> None:
    # 123: 3×7 + 2×3 + 1×1 = 28, and 2 brings it up to 30.
    assert references.finnish_check_digit("123") == 2
    # 1000: 0×7 + 0×3 + 0×1 + 1×7 = 7 → 3.
    assert references.finnish_check_digit("1000") == 3
    assert references.finnish_check_digit("1234567890123456789") == 4


def test_nothing_to_send_when_there_is_no_reference() -> None:
    assert references.code_to_send(None) == ""
    assert references.code_to_send("  ") == ""
    assert references.type_to_send(None) is None


@pytest.mark.parametrize(
    ("given", "reason"),
    [
        ("1234", "the check digit (the last digit) should be 2, not 4"),
        ("123", "a Finnish reference number has 4 to 20 digits, not 3"),
        ("1" * 21, "a Finnish reference number has 4 to 20 digits, not 21"),
        ("12A4", "a Finnish reference number has digits only"),
        ("RF19 5390 0754 7034", "not an RF creditor reference (ISO 11649): "),
    ],
)
def test_invalid_references_say_why(given: str, reason: str) -> None:
    with pytest.raises(references.InvalidReference) as caught:
        references.parse(given)
    assert str(caught.value).startswith(reason)


def test_each_market_takes_its_own_references() -> None:
    assert references.market_for("FI") is references.FINLAND
    assert references.market_for("SE") is references.SWEDEN
    assert references.market_for(None) is references.FINLAND
    # A Finnish reference number is not a Swedish OCR number (its check digit is 7-3-1).
    with pytest.raises(references.InvalidReference, match="check digit"):
        references.parse("1232", references.SWEDEN)


def problems(inv: InvoiceData, currency: str = "EUR") -> list[tuple[str, str | None, str]]:
    found = check_invoice(inv, EXPORT, snapshot(company_currency=currency), OFFICE)
    return [(p.code, p.field, OPTER.text(p)) for p in found]


def test_a_valid_reference_and_penalty_interest_pass_the_checks() -> None:
    inv = invoice(reference="RF18 5390 0754 7034", penalty_interest=Decimal("8"))
    assert problems(inv) == []


def test_a_wrong_check_digit_fails_pre_flight_naming_invoice_field_and_value() -> None:
    found = check_invoice(invoice(reference="1234 5"), EXPORT, snapshot(), OFFICE)
    (problem,) = found
    assert (problem.code, problem.invoice, problem.field) == (
        "REFERENCE_INVALID",
        "250001",
        "reference",
    )
    assert problem.is_error
    assert OPTER.message(problem) == (
        "The payment reference 1234 5 of invoice 250001 is not valid: the check digit (the "
        "last digit) should be 4, not 5"
    )
    assert "RF creditor reference" in OPTER.remedy(problem)


def test_a_reference_of_a_company_outside_finland_is_checked_by_its_market() -> None:
    # A company in SEK whose country is unknown is Swedish: 1232 is not an OCR number.
    ((code, field, text),) = problems(invoice(reference="1232"), currency="SEK")
    assert (code, field) == ("MARKET_REFERENCE_INVALID", "reference")
    assert text == (
        "The payment reference 1232 of invoice 250001 is not a valid OCR number or RF creditor "
        "reference (the references of a company in Sweden): the check digit (the last digit) "
        "should be 0, not 2"
    )


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"penalty_interest": Decimal("101")},
            "penalty_interest",
            "The penalty interest 101 % of invoice 250001 is not valid: Procountor takes 0 to "
            "100 %",
        ),
        (
            {"customer": customer(penalty_interest=Decimal("-1"))},
            "customer.penalty_interest",
            "The penalty interest -1 % of customer ACME is not valid: Procountor takes 0 to 100 %",
        ),
    ],
)
def test_penalty_interest_out_of_bounds_fails_pre_flight(
    changes: dict[str, object], field: str, message: str
) -> None:
    assert problems(invoice(**changes)) == [("PENALTY_INTEREST_INVALID", field, message)]


def test_the_invoices_penalty_interest_overrides_the_customers() -> None:
    inv = invoice(
        customer=customer(penalty_interest=Decimal("150")), penalty_interest=Decimal("7.5")
    )
    assert inv.penalty_percent == Decimal("7.5")
    assert problems(inv) == []  # the customer's is not the one sent
    assert invoice(customer=customer(penalty_interest=Decimal("8"))).penalty_percent == 8
    assert invoice().penalty_percent is None


def _payload(inv: InvoiceData) -> dict[str, object]:
    plan = plan_invoice(inv, EXPORT, snapshot(), OFFICE)
    assert plan.ready, plan.problems
    product_ids = {row.key.product_code: 1 for row in plan.rows}
    return payloads.invoice(
        plan, partner_id=1, product_ids=product_ids, office=OFFICE, source="Opter"
    ).to_wire()


def test_the_payload_carries_the_reference_without_spaces_and_its_type() -> None:
    payment = _payload(invoice(reference="1234 5678 9012 3456 7894"))["paymentInfo"]
    assert isinstance(payment, dict)
    assert (payment["bankReferenceCode"], payment["bankReferenceCodeType"]) == (
        "12345678901234567894",
        "FI",
    )
    payment = _payload(invoice(reference="RF18 5390 0754 7034"))["paymentInfo"]
    assert isinstance(payment, dict)
    assert (payment["bankReferenceCode"], payment["bankReferenceCodeType"]) == (
        "RF18539007547034",
        "RF",
    )


def test_without_a_reference_procountor_makes_one() -> None:
    body = _payload(invoice())
    payment = body["paymentInfo"]
    assert isinstance(payment, dict)
    assert payment["bankReferenceCode"] == ""
    assert "bankReferenceCodeType" not in payment
    assert "penaltyPercent" not in body


def test_the_payload_carries_the_penalty_percent() -> None:
    body = _payload(invoice(customer=customer(penalty_interest=Decimal("8"))))
    assert body["penaltyPercent"] == Decimal("8")
    body = _payload(
        invoice(customer=customer(penalty_interest=Decimal("8")), penalty_interest=Decimal("0"))
    )
    assert body["penaltyPercent"] == Decimal("0")
