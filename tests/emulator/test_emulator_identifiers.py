"""Identifiers refused like the real API: business IDs, VAT numbers, e-mails, e-invoice addresses."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from procountor_export.emulator.testing import error_pairs, sample_invoice, sample_partner


def _partner(**invoicing: Any) -> dict[str, Any]:
    body = sample_partner()
    body["invoicingInfo"].update(invoicing)
    return body


@pytest.mark.parametrize("identifier", ["3000000-2", "FI30000002", "3000000"])
def test_partner_with_a_wrong_finnish_business_id_is_refused(
    api: TestClient, identifier: str
) -> None:
    response = api.post("businesspartners", json=_partner(identifier=identifier))
    assert response.status_code == 400
    assert error_pairs(response) == [("invoicingInfo.identifier", "ERROR_BRN_CODE")]


def test_business_id_form_is_checked_whatever_the_country(api: TestClient) -> None:
    body = _partner(identifier="3000000-2")
    body["address"]["country"] = "SWEDEN"
    assert error_pairs(api.post("businesspartners", json=body)) == [
        ("invoicingInfo.identifier", "ERROR_BRN_CODE")
    ]
    body["invoicingInfo"]["identifier"] = "556036-0793"  # a Swedish number: not ours to judge
    assert api.post("businesspartners", json=body).status_code == 200


def test_partner_with_email_channel_needs_a_valid_email(api: TestClient) -> None:
    missing = api.post("businesspartners", json=_partner(invoiceChannel="EMAIL"))
    assert error_pairs(missing) == [
        ("invoicingInfo.email", "Value of the 'invoicingInfo.email' cannot be blank.")
    ]
    broken = api.post(
        "businesspartners", json=_partner(invoiceChannel="EMAIL", email="laskut@asiakas")
    )
    assert error_pairs(broken) == [
        ("invoicingInfo.email", "Invalid e-mail address 'laskut@asiakas'")
    ]
    good = _partner(invoiceChannel="EMAIL", email="laskut@asiakas.fi")
    assert api.post("businesspartners", json=good).status_code == 200
    # Without the EMAIL channel the address is not the API's concern.
    assert api.post("businesspartners", json=_partner(email="x")).status_code == 200


def _invoice(**counter_party: Any) -> dict[str, Any]:
    body = sample_invoice()
    body["counterParty"].update(counter_party)
    return body


@pytest.mark.parametrize(
    ("counter_party", "field"),
    [
        ({"identifier": "1234567-8"}, "counterParty.identifier"),
        ({"identifier": "12345678"}, "counterParty.identifier"),
        ({"taxCode": "FI12345678"}, "counterParty.taxCode"),
        ({"taxCode": "DE123456789"}, "counterParty.taxCode"),
    ],
)
def test_invoice_identifiers_are_checked(
    api: TestClient, counter_party: dict[str, Any], field: str
) -> None:
    response = api.post("invoices", json=_invoice(**counter_party))
    assert response.status_code == 400
    assert error_pairs(response) == [(field, "ERROR_BRN_CODE")]


@pytest.mark.parametrize("tax_code", ["FI12345671", "DE136695976", "NO923609016MVA"])
def test_valid_or_non_eu_vat_numbers_pass(api: TestClient, tax_code: str) -> None:
    assert api.post("invoices", json=_invoice(taxCode=tax_code)).status_code == 200


def test_email_invoice_needs_a_valid_email(api: TestClient) -> None:
    body = _invoice(email="buyer.example.com")
    body["invoiceChannel"] = "EMAIL"
    assert error_pairs(api.post("invoices", json=body)) == [
        ("counterParty.email", "Invalid e-mail address 'buyer.example.com'")
    ]
    body["counterParty"]["email"] = "buyer@example.com"
    assert api.post("invoices", json=body).status_code == 200


def _einvoice(address: str, operator: str | None = "003721291126") -> dict[str, Any]:
    einvoice = (
        {"address": address} if operator is None else {"address": address, "operator": operator}
    )
    body = _invoice(einvoiceAddress=einvoice)
    body["invoiceChannel"] = "ELECTRONIC_INVOICE"
    body["billingAddress"] = dict(body["counterParty"]["counterPartyAddress"])
    return body


@pytest.mark.parametrize(
    "address", ["003712345671", "003712345671ABC12", "FI2112345600000785", "FI21 1234 5600 0007 85"]
)
def test_einvoice_address_ovt_or_iban(api: TestClient, address: str) -> None:
    assert api.post("invoices", json=_einvoice(address)).status_code == 200


@pytest.mark.parametrize(
    "address",
    ["003712345678", "0037123456", "003712345671ABCDEF", "FI2112345600000786", "buyer@example.com"],
)
def test_bad_einvoice_address_is_refused(api: TestClient, address: str) -> None:
    pairs = error_pairs(api.post("invoices", json=_einvoice(address)))
    assert [field for field, _ in pairs] == ["counterParty.einvoiceAddress.address"]
    assert address in pairs[0][1]


def test_operator_is_required_in_finland_only(api: TestClient) -> None:
    body = _einvoice("003712345671", operator=None)
    assert error_pairs(api.post("invoices", json=body)) == [
        (
            "counterParty.einvoiceAddress.operator",
            "Value of the 'counterParty.einvoiceAddress.operator' cannot be blank.",
        )
    ]
    abroad = _einvoice("SE4550000000058398257466", operator=None)
    abroad["counterParty"]["counterPartyAddress"]["country"] = "SWEDEN"
    abroad["counterParty"]["identifier"] = "556036-0793"
    assert api.post("invoices", json=abroad).status_code == 200
