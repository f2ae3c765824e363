"""Payment references as Procountor checks them: ``""`` makes one, a value is validated by its
type's check digit, a type the company's country does not allow is a 400."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from stdnum import iso11649

from procountor_export.emulator.errors import Problems
from procountor_export.emulator.money import valid_reference
from procountor_export.emulator.rules.references import check_reference, fill_reference
from procountor_export.emulator.testing import error_pairs, sample_invoice

CODE = "paymentInfo.bankReferenceCode"
TYPE = "paymentInfo.bankReferenceCodeType"


def _body(code: str | None, kind: str | None = None, **changes: Any) -> dict[str, Any]:
    body = sample_invoice(**changes)
    payment = body["paymentInfo"]
    payment.pop("bankReferenceCode", None)
    if code is not None:
        payment["bankReferenceCode"] = code
    if kind is not None:
        payment["bankReferenceCodeType"] = kind
    return body


def _created(api: TestClient, body: dict[str, Any]) -> dict[str, Any]:
    response = api.post("invoices", json=body)
    assert response.status_code == 200, response.text
    payment: dict[str, Any] = response.json()["paymentInfo"]
    # What the POST answered is what Procountor holds (GET gives the same).
    stored = api.get(f"invoices/{response.json()['id']}").json()["paymentInfo"]
    assert stored == payment
    return payment


def test_an_empty_reference_makes_a_finnish_one(api: TestClient) -> None:
    first = _created(api, _body(""))
    second = _created(api, _body(""))
    assert first["bankReferenceCodeType"] == "FI"
    assert valid_reference(first["bankReferenceCode"])
    assert first["bankReferenceCode"].isdigit()
    assert first["bankReferenceCode"] != second["bankReferenceCode"]


def test_an_empty_reference_of_type_rf_makes_a_creditor_reference(api: TestClient) -> None:
    payment = _created(api, _body("", "RF"))
    assert payment["bankReferenceCodeType"] == "RF"
    assert iso11649.is_valid(payment["bankReferenceCode"])


@pytest.mark.parametrize(
    ("code", "kind", "stored_type"),
    [
        ("1232", "FI", "FI"),
        ("12345678901234567894", "FI", "FI"),
        ("RF18539007547034", "RF", "RF"),
        ("1232", None, "FI"),  # without a type: the country's own
        ("RF18539007547034", None, "RF"),  # … or RF by its prefix
    ],
)
def test_a_valid_reference_is_kept_with_its_type(
    api: TestClient, code: str, kind: str | None, stored_type: str
) -> None:
    payment = _created(api, _body(code, kind))
    assert (payment["bankReferenceCode"], payment["bankReferenceCodeType"]) == (code, stored_type)


def test_no_reference_means_none(api: TestClient) -> None:
    payment = _created(api, _body(None))
    assert "bankReferenceCode" not in payment
    assert "bankReferenceCodeType" not in payment


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        ("1234", "FI"),  # check digit 2, not 4
        ("123", "FI"),  # too short
        ("123456789012345678901", "FI"),  # too long
        ("RF19539007547034", "RF"),  # mod 97 fails
        ("RF18539007547034", "FI"),  # an RF reference is no Finnish one
        ("1232", "RF"),  # and a Finnish one no RF
        ("1234", None),
    ],
)
def test_a_wrong_check_digit_is_a_400_naming_the_field(
    api: TestClient, code: str, kind: str | None
) -> None:
    response = api.post("invoices", json=_body(code, kind))
    assert response.status_code == 400
    assert error_pairs(response) == [(CODE, f"Invalid bank reference code '{code}'")]
    assert api.get("invoices").json()["results"] == []


@pytest.mark.parametrize("kind", ["OCR", "KID", "FIK71", "GIK01"])
def test_a_type_finland_does_not_allow_is_a_400(api: TestClient, kind: str) -> None:
    response = api.post("invoices", json=_body("1232", kind))
    assert response.status_code == 400
    assert error_pairs(response) == [(TYPE, f"Reference type {kind} is not allowed in Finland")]


def test_a_type_outside_the_spec_enum_is_a_400(api: TestClient) -> None:
    response = api.post("invoices", json=_body("1232", "VIITE"))
    assert response.status_code == 400
    assert [field for field, _ in error_pairs(response)] == [TYPE]


def _problems(code: str | None, kind: str | None, country: str) -> list[tuple[str | None, str]]:
    problems = Problems()
    check_reference(code, kind, country, problems)
    return [(p.field, p.message) for p in problems.items]


def test_other_countries_have_their_own_types() -> None:
    assert _problems("1232", "FI", "SWEDEN") == [
        (TYPE, "Reference type FI is not allowed in Sweden")
    ]
    assert _problems("12344", "OCR", "SWEDEN") == []  # Luhn
    assert _problems("12345", "OCR", "SWEDEN") == [(CODE, "Invalid bank reference code '12345'")]
    assert _problems("12344", "KID", "NORWAY") == []
    assert _problems("RF18539007547034", "RF", "DENMARK") == []
    assert _problems("12344", None, "SWEDEN") == []  # the country's own: OCR


def test_fill_reference_makes_a_valid_one_of_each_countrys_own_type() -> None:
    for country, kind in (("FINLAND", "FI"), ("SWEDEN", "OCR"), ("NORWAY", "KID")):
        payment: dict[str, Any] = {"bankReferenceCode": ""}
        fill_reference(payment, 7, country)
        assert payment["bankReferenceCodeType"] == kind
        assert _problems(payment["bankReferenceCode"], kind, country) == []
