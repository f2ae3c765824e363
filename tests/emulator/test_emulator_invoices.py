"""Sales invoices: creation, totals, validation rules, PUT, status actions and search."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from procountor_export.emulator.money import valid_reference
from procountor_export.emulator.testing import (
    api_client,
    emulator_app,
    error_pairs,
    sample_invoice,
    sample_partner,
)


def _post(api: TestClient, body: dict[str, Any]) -> dict[str, Any]:
    response = api.post("invoices", json=body)
    assert response.status_code == 200, response.text
    created: dict[str, Any] = response.json()
    return created


def test_create_returns_the_full_invoice(api: TestClient) -> None:
    created = _post(api, sample_invoice())
    assert created["status"] == "UNFINISHED"
    assert created["invoiceNumber"] == 1
    assert created["ledgerReceiptId"] > 0
    assert created["version"]
    assert created["originalInvoiceNumber"] == "TMS-100353"
    assert created["billingAddress"]["name"] == "Buyer Oy"
    assert valid_reference(created["paymentInfo"]["bankReferenceCode"])
    assert created["invoiceSumInfo"] == [
        {
            "currency": "EUR",
            "inAccountingCurrency": True,
            "excludingVatTotal": 755,
            "vatSumTotal": 192.53,
            "invoiceSumTotal": 947.53,
        }
    ]
    assert api.get(f"invoices/{created['id']}").json() == created
    assert _post(api, sample_invoice())["invoiceNumber"] == 2


def test_vat_is_rounded_per_row_then_summed(api: TestClient) -> None:
    row = sample_invoice()["invoiceRows"][0] | {"unitPrice": 0.10}
    created = _post(api, sample_invoice(invoiceRows=[row, row, row]))
    # 0.10 × 25.5 % = 0.0255 → 0.03 per row; on the total it would be 0.08.
    assert created["invoiceSumInfo"][0]["vatSumTotal"] == 0.09
    assert created["invoiceSumInfo"][0]["invoiceSumTotal"] == 0.39


def test_given_reference_is_kept_and_absent_means_none(api: TestClient) -> None:
    body = sample_invoice()
    body["paymentInfo"]["bankReferenceCode"] = "1232"
    assert _post(api, body)["paymentInfo"]["bankReferenceCode"] == "1232"
    del body["paymentInfo"]["bankReferenceCode"]
    assert "bankReferenceCode" not in _post(api, body)["paymentInfo"]


def test_partner_link(api: TestClient) -> None:
    partner = api.post("businesspartners", json=sample_partner()).json()
    created = _post(api, sample_invoice(partnerId=partner["id"]))
    assert created["partnerId"] == partner["id"]


def _broken(path: str, value: Any) -> dict[str, Any]:
    """A valid invoice with ``value`` set at the dotted ``path`` (``...`` removes it)."""
    body = sample_invoice()
    *parents, last = path.replace("[0]", ".0").split(".")
    target: Any = body
    for key in parents:
        target = target[int(key)] if key.isdigit() else target[key]
    if value is ...:
        del target[last]
    else:
        target[last] = value
    return body


REJECTIONS = [
    ("partnerId", 987654, "partnerId", "Business partner 987654 does not exist"),
    ("invoiceRows[0].vatPercent", 24, "invoiceRows[0].vatPercent",
     "VAT percentage 24 is not in use for sales"),
    ("vatStatus", 2, "vatStatus", "VAT status 2 is not enabled for sales"),
    ("vatStatus", 0, "vatStatus", "VAT status 0 is not enabled for sales"),
    ("invoiceRows[0].vatStatus", 99, "invoiceRows[0].vatStatus",
     "VAT status 99 is not enabled for sales"),
    ("paymentInfo.dueDate", "2026-02-01", "paymentInfo.dueDate", "DUE_DATE_BEFORE_BILL_DATE"),
    ("paymentInfo.dueDate", "2028-12-01", "paymentInfo.dueDate",
     "Payment term must be at most 999 days"),
    ("paymentInfo.bankAccount", {"accountNumber": "FI4950009420028730"},
     "paymentInfo.bankAccount.accountNumber",
     "Bank account FI4950009420028730 is not an account of the company"),
    ("paymentInfo.bankAccount", {"accountNumber": "FI2112345600000785", "bic": "NDEAFIHH"},
     "paymentInfo.bankAccount.bic", "bic is not supported for sales invoices"),
    ("paymentInfo.bankReferenceCode", "1234", "paymentInfo.bankReferenceCode",
     "Invalid bank reference code '1234'"),
    ("paymentInfo.currencyRate", 2, "paymentInfo.currencyRate",
     "Currency rate must be 1 for the company currency"),
    ("originalInvoiceNumber", "T" * 41, "originalInvoiceNumber",
     "Value of 'originalInvoiceNumber' is too long (max 40 characters)"),
    ("invoiceChannel", "EDIFACT", "invoiceChannel",
     "Invoice channel EDIFACT cannot be used via the API"),
    ("invoiceChannel", "EMAIL", "counterParty.email",
     "Value of the 'counterParty.email' cannot be blank."),
    ("invoiceChannel", "FAX", "invoiceChannel", "Invalid value 'FAX' of 'invoiceChannel'"),
    ("invoiceRows[0].unit", "PCS", "invoiceRows[0].unit",
     "Invalid value 'PCS' of 'invoiceRows[0].unit'"),
    ("invoiceRows", [], "invoiceRows", "Value of the 'invoiceRows' cannot be blank."),
    ("invoiceRows[0].product", "", "invoiceRows[0].product",
     "Value of the 'invoiceRows[0].product' cannot be blank."),
    ("language", ..., "language", "Value of the 'language' cannot be blank."),
    ("extraInfo", ..., "extraInfo", "Value of the 'extraInfo' cannot be blank."),
    ("counterParty.counterPartyAddress", ..., "counterParty.counterPartyAddress",
     "Value of the 'counterParty.counterPartyAddress' cannot be blank."),
    ("counterParty.counterPartyAddress.country", "FI", "counterParty.counterPartyAddress.country",
     "Invalid value 'FI' of 'country'"),
    ("invoiceRows[0].productId", 4711, "invoiceRows[0].productId", "Product 4711 does not exist"),
    ("date", "2026-13-01", "date", "Invalid value of 'date': expected a date YYYY-MM-DD"),
    ("invoiceRows[0].unitPrice", "755", "invoiceRows[0].unitPrice",
     "Invalid value of 'invoiceRows[0].unitPrice': expected a number"),
]  # fmt: skip


@pytest.mark.parametrize(("path", "value", "field", "message"), REJECTIONS)
def test_validation_rules(api: TestClient, path: str, value: Any, field: str, message: str) -> None:
    response = api.post("invoices", json=_broken(path, value))
    assert response.status_code == 400
    assert (field, message) in error_pairs(response)
    assert api.get("invoices").json()["meta"]["totalCount"] == 0


def test_all_problems_are_reported_at_once(api: TestClient) -> None:
    body = _broken("language", ...)
    body["invoiceRows"][0]["vatPercent"] = 24
    fields = {field for field, _ in error_pairs(api.post("invoices", json=body))}
    assert fields == {"language", "invoiceRows[0].vatPercent"}


def test_electronic_invoice_needs_einvoice_address_and_operator(api: TestClient) -> None:
    body = sample_invoice(invoiceChannel="ELECTRONIC_INVOICE")
    body["billingAddress"] = dict(body["counterParty"]["counterPartyAddress"])
    fields = {field for field, _ in error_pairs(api.post("invoices", json=body))}
    assert fields == {"counterParty.einvoiceAddress.address"}
    body["counterParty"]["einvoiceAddress"] = {"address": "003712345671"}
    fields = {field for field, _ in error_pairs(api.post("invoices", json=body))}
    assert fields == {"counterParty.einvoiceAddress.operator"}
    body["counterParty"]["einvoiceAddress"]["operator"] = "003721291126"
    assert api.post("invoices", json=body).status_code == 200


def _einvoice_without_billing_address() -> dict[str, Any]:
    body = sample_invoice(invoiceChannel="ELECTRONIC_INVOICE")
    body["counterParty"]["einvoiceAddress"] = {
        "address": "003712345671",
        "operator": "003721291126",
    }
    body.pop("billingAddress", None)
    return body


def test_electronic_invoice_without_billing_address_is_refused(api: TestClient) -> None:
    # The strict reading of "must be specified in billingAddress and counterPartyAddress".
    body = _einvoice_without_billing_address()
    response = api.post("invoices", json=body)
    assert response.status_code == 400
    assert [field for field, _ in error_pairs(response)] == ["billingAddress"]
    body["billingAddress"] = dict(body["counterParty"]["counterPartyAddress"])
    assert api.post("invoices", json=body).status_code == 200


def test_electronic_invoice_billing_from_counterparty_reading() -> None:
    with api_client(emulator_app(billing_from_counterparty=True)) as api:
        response = api.post("invoices", json=_einvoice_without_billing_address())
        assert response.status_code == 200


def test_electronic_invoice_billing_address_still_needs_street_zip_city(api: TestClient) -> None:
    body = _einvoice_without_billing_address()
    body["billingAddress"] = {"name": "Buyer Oy"}
    fields = {field for field, _ in error_pairs(api.post("invoices", json=body))}
    assert fields == {"billingAddress.street", "billingAddress.zip", "billingAddress.city"}


@pytest.mark.parametrize("day", ["2025-01-15", "2024-06-01", "2031-03-01"])
def test_closed_or_missing_period_is_refused(api: TestClient, day: str) -> None:
    body = sample_invoice(date=day)
    body["paymentInfo"]["dueDate"] = day
    response = api.post("invoices", json=body)
    assert response.status_code == 400
    assert error_pairs(response) == [("date", "CLOSED_FISCAL_PERIOD")]


def test_open_month_of_a_year_with_a_closed_month_is_fine(api: TestClient) -> None:
    body = sample_invoice(date="2025-02-03")
    body["paymentInfo"]["dueDate"] = "2025-02-17"
    assert api.post("invoices", json=body).status_code == 200


def test_text_outside_windows_1252_names_the_field(api: TestClient) -> None:
    body = sample_invoice(additionalInformation="Kiitos – €")
    body["counterParty"]["counterPartyAddress"]["name"] = "Łódź Sp. z o.o."
    body["invoiceRows"][0]["product"] = "Freight ė"
    response = api.post("invoices", json=body)
    assert response.status_code == 400
    fields = {field for field, _ in error_pairs(response)}
    assert fields == {"counterParty.counterPartyAddress.name", "invoiceRows[0].product"}


def test_put_needs_version_and_recreates_the_receipt(api: TestClient) -> None:
    created = _post(api, sample_invoice())
    path = f"invoices/{created['id']}"
    missing = api.put(path, json=sample_invoice())
    assert missing.status_code == 400
    assert error_pairs(missing) == [("version", "Value of the 'version' cannot be blank.")]
    body = sample_invoice(version=created["version"], notes="changed")
    updated = api.put(path, json=body)
    assert updated.status_code == 200
    after = updated.json()
    assert after["invoiceNumber"] == created["invoiceNumber"]
    assert after["ledgerReceiptId"] != created["ledgerReceiptId"]
    assert api.get(f"ledgerreceipts/{created['ledgerReceiptId']}").status_code == 404
    assert api.get(f"ledgerreceipts/{after['ledgerReceiptId']}").status_code == 200
    stale = api.put(path, json=sample_invoice(version=created["version"]))
    assert stale.status_code == 400


def test_put_cannot_change_partner(api: TestClient) -> None:
    partner = api.post("businesspartners", json=sample_partner()).json()
    created = _post(api, sample_invoice())
    response = api.put(
        f"invoices/{created['id']}",
        json=sample_invoice(version=created["version"], partnerId=partner["id"]),
    )
    assert response.status_code == 400
    assert error_pairs(response) == [("partnerId", "partnerId cannot be changed")]


def test_status_actions(api: TestClient) -> None:
    created = _post(api, sample_invoice())
    base = f"invoices/{created['id']}"
    refused = api.put(f"{base}/send")
    assert refused.status_code == 403
    assert error_pairs(refused) == [(None, "Insufficient user rights or invalid invoice status")]
    assert api.put(f"{base}/approve", json={"comment": ""}).json() == {
        "message": "Invoice approved"
    }
    assert api.get(base).json()["status"] == "NOT_SENT"
    again = api.put(f"{base}/approve", json={"comment": ""})
    assert again.status_code == 403
    assert error_pairs(again) == [(None, "Insufficient user rights or invalid invoice status")]
    put = api.put(base, json=sample_invoice(version=api.get(base).json()["version"]))
    assert put.status_code == 403
    assert api.put(f"{base}/send").status_code == 200
    assert api.get(base).json()["status"] == "SENT"
    receipt = api.get(f"ledgerreceipts/{created['ledgerReceiptId']}").json()
    assert receipt["status"] == "SENT"
    events = [e["action"] for e in api.get(f"{base}/transactions").json()["transactions"]]
    assert events == ["APPROVAL", "SEND"]


def test_search_by_original_invoice_number(api: TestClient) -> None:
    first = _post(api, sample_invoice(originalInvoiceNumber="TMS-1"))
    _post(api, sample_invoice(originalInvoiceNumber="TMS-10"))
    found = api.get(
        "invoices", params={"types": "SALES_INVOICE", "originalInvoiceNumber": "TMS-1"}
    ).json()
    assert [i["id"] for i in found["results"]] == [first["id"]]
    summary = found["results"][0]
    assert summary["dueDate"] == "2026-02-16"
    assert summary["invoiceSumInfo"] == first["invoiceSumInfo"]


def test_search_filters_accept_comma_and_repeated_forms(api: TestClient) -> None:
    created = _post(api, sample_invoice())
    api.put(f"invoices/{created['id']}/approve", json={})
    _post(api, sample_invoice())
    comma = api.get("invoices", params={"status": "NOT_SENT,SENT"}).json()
    repeated = api.get("invoices", params=[("status", "NOT_SENT"), ("status", "SENT")]).json()
    assert [i["id"] for i in comma["results"]] == [created["id"]]
    assert comma["results"] == repeated["results"]
    assert api.get("invoices", params={"status": "NOPE"}).status_code == 400


def test_search_by_date_range_default_order_is_newest_first(api: TestClient) -> None:
    ids = [_post(api, sample_invoice())["id"] for _ in range(3)]
    found = api.get("invoices", params={"startDate": "2026-02-01", "endDate": "2026-02-28"}).json()
    assert [i["id"] for i in found["results"]] == list(reversed(ids))
    assert api.get("invoices", params={"startDate": "2026-03-01"}).json()["results"] == []


def test_invoice_batch_get(api: TestClient) -> None:
    one, two = _post(api, sample_invoice())["id"], _post(api, sample_invoice())["id"]
    assert [i["id"] for i in api.get(f"invoices/{two},{one},{two}").json()] == [one, two]
    assert api.get("invoices/1,2").status_code == 404


def test_template_and_delivery_term_must_exist(api: TestClient) -> None:
    assert api.post("invoices", json=sample_invoice(invoiceTemplateId=1)).status_code == 200
    body = sample_invoice(invoiceTemplateId=9, deliveryTermsInfo={"name": "EXW"})
    assert set(error_pairs(api.post("invoices", json=body))) == {
        ("invoiceTemplateId", "Invoice template 9 does not exist"),
        ("deliveryTermsInfo.name", "Delivery term 'EXW' does not exist"),
    }
