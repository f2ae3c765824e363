"""Every GET the emulator serves answers in the shape the API table gives it.

A well-filled company (partner with every kind of detail, product with default dimensions,
invoices in two currencies with an attachment, approved and sent, a receipt with dimensions, an
inactive dimension item) is walked through every GET operation of the table; each answer is
checked field by field (:func:`procountor_export.apispec.conformance.violations`), so the
emulator cannot drift from the spec unnoticed. Write answers are checked along the way.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from procountor_export import apispec
from procountor_export.apispec.conformance import violations
from procountor_export.emulator.testing import (
    create_product_with_dimension,
    sample_invoice,
    sample_partner,
)

TABLE = apispec.load()
# The table's extraction lost these answers' schemas (bare arrays of one item schema).
BARE_LISTS = {
    "GET /dimensions": "Dimension",
    "GET /products/{productId}/defaults/dimensions": "DefaultDimension",
}
QUERIES = {
    "GET /vats/country": {"countryCode": "FI"},
    "GET /currencies/exchangerate": {
        "baseCurrency": "EUR",
        "currency": "SEK",
        "day": "2026-02-02",
        "rateType": "PROCOUNTOR_ACCOUNTING_EXCHANGE_RATE",
    },
    # The walk's two invoices: a fresh company's invoice ids start at 5001.
    "GET /payments/paymentevents": {"invoiceId": "5001,5002"},
}
SEARCH_VARIANTS = {
    "GET /businesspartners": [{}, {"active": "false"}],
    "GET /invoices": [
        {},
        {"types": "SALES_INVOICE", "status": "PARTLY_PAID"},  # sent, then paid in part
        {"versionStartDate": "2026-01-01T00:00:00", "orderByVersion": "ASC", "size": "200"},
    ],
    "GET /products": [{}, {"type": "SALES", "active": "true"}],
    "GET /ledgerreceipts": [{}, {"types": "SALES_INVOICE"}],
}


def _ok(response: Any, schema: str) -> dict[str, Any]:
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert violations(schema, body) == []
    return body


def _full_partner() -> dict[str, Any]:
    body = sample_partner(
        billingAddress={"name": "Laskutus", "street": "Katu 2", "zip": "00100", "city": "Helsinki"},
        deliveryAddress={"name": "Varasto", "country": "FINLAND"},
        registryInfo={"active": True, "phone": "+358 9 1234", "homeMunicipality": "Turku"},
        additionalInfo={
            "defaultAdditionalInformation": "Kiitos",
            "invoiceLedger": "INVOICE_LEDGER",
        },
        contactPersons=[{"name": "Maija", "email": "maija@asiakas.fi", "phone": "040 1"}],
    )
    body["invoicingInfo"].update(
        invoiceChannel="EMAIL", email="laskut@asiakas.fi", language="FINNISH", ovt="003730000001"
    )
    return body


@pytest.fixture
def ids(api: TestClient) -> dict[str, Any]:
    """Fill the demo company through the API; the ids a GET path may need."""
    partner = _ok(api.post("businesspartners", json=_full_partner()), "BusinessPartner")
    retired = _ok(
        api.post("businesspartners", json=sample_partner(name="Entinen Oy")), "BusinessPartner"
    )
    retired["registryInfo"] = {"active": False}
    _ok(api.put(f"businesspartners/{retired['id']}", json=retired), "BusinessPartner")
    group = _ok(
        api.post("products/groups", json={"name": "OpterGroup", "type": "SALES"}), "ProductGroup"
    )
    made = create_product_with_dimension(api, {"HEL": 60, "TKU": 40})
    product, dimension = made["product"], made["dimension"]
    assert violations("Product", product) == []
    body = sample_invoice(partnerId=partner["id"], notes="internal", deliveryTermsInfo=None)
    body["invoiceRows"][0].update(productId=product["id"], comment="Rahti")
    invoice = _ok(api.post("invoices", json=body), "Invoice")
    foreign = sample_invoice(originalInvoiceNumber="TMS-2")
    foreign["paymentInfo"].update(currency="SEK", currencyRate=11.2)
    _ok(api.post("invoices", json=foreign), "Invoice")
    meta = {
        "name": "TMS-100353.pdf",
        "referenceType": "INVOICE",
        "referenceId": invoice["id"],
        "mimeType": "application/pdf",
        "sendWithInvoice": True,
    }
    attachment = _ok(
        api.post(
            "attachments",
            files={
                "meta": (None, json.dumps(meta), "application/json"),
                "file": ("a.pdf", b"%PDF"),
            },
        ),
        "Attachment",
    )
    receipt_path = f"ledgerreceipts/{invoice['ledgerReceiptId']}"
    receipt = _ok(api.get(receipt_path), "LedgerReceipt")
    receipt["accountantsNotes"] = "checked"
    _ok(api.put(receipt_path, json=receipt), "LedgerReceipt")
    assert api.put(f"invoices/{invoice['id']}/approve", json={"comment": ""}).status_code == 200
    assert api.put(f"invoices/{invoice['id']}/send").status_code == 200
    payment = {"invoiceId": invoice["id"], "amount": 100, "description": "Osamaksu"}
    paid = api.post("http://emulator/_emulator/payments", json=payment)
    assert paid.status_code == 200, paid.text
    tku = next(i for i in dimension["items"] if i["codeName"] == "TRE")
    inactive = {"id": tku["id"], "codeName": "TRE", "status": "P"}
    _ok(api.put(f"dimensions/{dimension['id']}/items", json=inactive), "DimensionItem")
    return {
        "invoiceId": invoice["id"],
        "receiptId": invoice["ledgerReceiptId"],
        "productId": product["id"],
        "groupId": group["id"],
        "dimensionId": dimension["id"],
        "attachmentId": attachment["id"],
        "id": {"/businesspartners/{id}": partner["id"], "/bankaccounts/{id}": 1},
    }


def _path(template: str, ids: dict[str, Any]) -> str:
    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        chosen = ids[name]
        return str(chosen[template] if isinstance(chosen, dict) else chosen)

    return re.sub(r"\{(\w+)\}", value, template)


def _multipart_meta(response: Any) -> dict[str, Any]:
    boundary = response.headers["content-type"].split("boundary=")[1]
    meta_part = response.content.split(f"--{boundary}".encode())[1]
    meta: dict[str, Any] = json.loads(meta_part.split(b"\r\n\r\n", 1)[1].rstrip(b"\r\n"))
    return meta


GET_OPERATIONS = sorted(key for key in TABLE.operations if key.startswith("GET "))


@pytest.mark.parametrize("key", GET_OPERATIONS)
def test_get_answers_fit_the_table(api: TestClient, ids: dict[str, Any], key: str) -> None:
    operation = TABLE.operations[key]
    schema = operation.response_schema("200") or BARE_LISTS[key]
    for params in SEARCH_VARIANTS.get(key, [QUERIES.get(key, {})]):
        response = api.get(_path(operation.path, ids).lstrip("/"), params=params)
        assert response.status_code == 200, (key, response.text)
        if response.headers["content-type"].startswith("multipart/mixed"):
            body: Any = _multipart_meta(response)
        else:
            body = response.json()
        if key in BARE_LISTS:
            assert isinstance(body, list)
        assert violations(schema, body) == [], key
        results = body.get("results") if isinstance(body, dict) else None
        if results is not None:
            assert results, f"{key} {params}: the walk should find something"


def test_every_enum_value_the_emulator_answers_is_the_specs(api: TestClient) -> None:
    session = api.get("sessioninfo").json()
    company = api.get("company").json()
    assert session["productVersion"] in TABLE.fields("SessionInfo")["productVersion"].enum  # type: ignore[operator]
    assert company["businessIdentifier"]["brnType"] == "FI"
    assert violations("SessionInfo", session) == []
    assert violations("Company", company) == []


def test_the_checker_sees_departures() -> None:
    hit = {"id": 1, "ledgerReceiptId": 7, "status": "DONE", "date": "2026-02-30", "version": 3}
    assert violations("InvoiceBasicInfo", hit) == [
        "ledgerReceiptId: not a field of InvoiceBasicInfo",
        "counterParty: required by InvoiceBasicInfo but missing",
        "date: '2026-02-30' is not a date YYYY-MM-DD",
        "status: 'DONE' is not one of the spec's values",
        "version: expected a string, got 3",
    ]


def test_batch_get_answers_are_lists_of_the_schema(api: TestClient, ids: dict[str, Any]) -> None:
    invoices = api.get(f"invoices/{ids['invoiceId']},{ids['invoiceId'] + 1}").json()
    assert len(invoices) == 2
    assert violations("Invoice", invoices) == []


def test_ledger_receipt_search_takes_every_type_of_the_spec(api: TestClient) -> None:
    for kind in TABLE.operation("GET", "/ledgerreceipts").query["types"].enum or ():
        assert api.get("ledgerreceipts", params={"types": kind}).status_code == 200
    assert api.get("ledgerreceipts", params={"types": "SALARY,VAT_FORM"}).json()["results"] == []
    # The receipt knows VAT_SUMMARY, the search parameter does not.
    assert api.get("ledgerreceipts", params={"types": "VAT_SUMMARY"}).status_code == 400
