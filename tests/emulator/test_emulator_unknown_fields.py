"""Unknown body fields: a 400 naming each path by default, ignored (and not stored) when lenient."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from procountor_export.emulator import default_seed
from procountor_export.emulator.testing import (
    api_client,
    emulator_app,
    error_pairs,
    sample_invoice,
    sample_partner,
    sample_product,
)


def test_unknown_partner_field_is_refused_with_its_path(api: TestClient) -> None:
    body = sample_partner()
    body["invoicingInfo"]["taxCode"] = "FI30000001"
    response = api.post("businesspartners", json=body)
    assert response.status_code == 400
    assert response.json() == {
        "errors": [
            {
                "status": 400,
                "field": "invoicingInfo.taxCode",
                "message": "Unknown field 'taxCode': InvoicingInfo has no such field",
            }
        ]
    }
    assert api.get("businesspartners", params={"customerNumber": "30001"}).json()["results"] == []


def test_unknown_fields_in_arrays_and_at_the_top_are_all_reported(api: TestClient) -> None:
    body = sample_invoice(dueDate="2026-02-16")
    body["invoiceRows"][0]["account"] = "3000"
    body["counterParty"]["counterPartyAddress"]["countryCode"] = "FI"
    fields = {field for field, _ in error_pairs(api.post("invoices", json=body))}
    assert fields == {
        "dueDate",
        "invoiceRows[0].account",
        "counterParty.counterPartyAddress.countryCode",
    }


@pytest.mark.parametrize(
    ("method", "path", "body", "field"),
    [
        ("POST", "products", sample_product(vatCode="1"), "vatCode"),
        ("POST", "products/groups", {"name": "G", "type": "SALES", "kind": 1}, "kind"),
        ("POST", "dimensions/1/items", {"codeName": "X", "active": True}, "active"),
        ("PUT", "dimensions/1", {"name": "Dept", "code": "D"}, "code"),
        ("PUT", "invoices/5001/notes", {"notes": "n", "internal": True}, "internal"),
    ],
)
def test_every_body_is_checked(
    api: TestClient, method: str, path: str, body: dict[str, Any], field: str
) -> None:
    api.post("invoices", json=sample_invoice())
    response = api.request(method, path, json=body)
    assert response.status_code == 400
    assert [pair[0] for pair in error_pairs(response)] == [field]


def test_ledger_receipt_transaction_fields_are_checked(api: TestClient) -> None:
    invoice = api.post("invoices", json=sample_invoice()).json()
    receipt = api.get(f"ledgerreceipts/{invoice['ledgerReceiptId']}").json()
    receipt["transactions"][1]["transactionId"] = receipt["transactions"][1]["id"]
    response = api.put(f"ledgerreceipts/{receipt['id']}", json=receipt)
    assert error_pairs(response) == [
        (
            "transactions[1].transactionId",
            "Unknown field 'transactionId': Transaction has no such field",
        )
    ]


def test_what_a_get_returns_can_be_put_back(api: TestClient) -> None:
    partner = api.post("businesspartners", json=sample_partner()).json()
    assert api.put(f"businesspartners/{partner['id']}", json=partner).status_code == 200
    invoice = api.post("invoices", json=sample_invoice()).json()
    current = api.get(f"invoices/{invoice['id']}").json()
    assert api.put(f"invoices/{invoice['id']}", json=current).status_code == 200
    product = api.post("products", json=sample_product()).json()
    assert api.put(f"products/{product['id']}", json=product).status_code == 200


def test_attachment_meta_fields_are_checked(api: TestClient) -> None:
    invoice = api.post("invoices", json=sample_invoice()).json()
    meta = {
        "name": "a.pdf",
        "referenceType": "INVOICE",
        "referenceId": invoice["id"],
        "sendWithInvoice": True,
        "size": 3,
    }
    response = api.post(
        "attachments",
        files={"meta": (None, json.dumps(meta), "application/json"), "file": ("a.pdf", b"%PDF")},
    )
    assert error_pairs(response) == [
        ("meta.size", "Unknown field 'size': Attachment has no such field")
    ]


def test_lenient_drops_unknown_fields() -> None:
    with api_client(emulator_app(lenient=True)) as api:
        body = sample_partner()
        body["invoicingInfo"]["taxCode"] = "FI30000001"
        body["favourite"] = True
        created = api.post("businesspartners", json=body)
        assert created.status_code == 200
        assert "taxCode" not in created.json()["invoicingInfo"]
        assert "favourite" not in api.get(f"businesspartners/{created.json()['id']}").json()


def test_reading_can_be_switched_while_running(api: TestClient) -> None:
    body = sample_product(vatCode="1")
    assert api.post("products", json=body).status_code == 400
    switched = api.put("http://emulator/_emulator/readings", json={"strictFields": False})
    assert switched.json()["strictFields"] is False
    assert api.post("products", json=body).status_code == 200
    refused = api.put("http://emulator/_emulator/readings", json={"strictFields": "maybe"})
    assert refused.status_code == 400


def test_seed_reading_and_seed_partners_with_unknown_fields() -> None:
    data = default_seed().model_dump(mode="json", by_alias=True)
    data["readings"] = {"strictFields": False}
    data["companies"][0]["businessPartners"][0]["invoicingInfo"]["taxCode"] = "FI29999997"
    seed = default_seed().model_validate(data)
    with api_client(emulator_app(seed)) as api:
        assert api.post("products", json=sample_product(vatCode="1")).status_code == 200
        found = api.get("businesspartners", params={"customerNumber": "29999"}).json()
        partner = api.get(f"businesspartners/{found['results'][0]['id']}").json()
        assert "taxCode" not in partner["invoicingInfo"]
    # An explicit option wins over the seed's reading.
    with api_client(emulator_app(seed, lenient=False)) as api:
        assert api.post("products", json=sample_product(vatCode="1")).status_code == 400
