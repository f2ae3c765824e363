"""Ledger receipts: generated with the invoice, and the rules of a receipt PUT."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from fastapi.testclient import TestClient

from procountor_export.emulator.testing import (
    create_product_with_dimension,
    error_pairs,
    sample_invoice,
)


def _row(**changes: Any) -> dict[str, Any]:
    row: dict[str, Any] = copy.deepcopy(sample_invoice()["invoiceRows"][0])
    row.update(changes)
    return row


def _receipt_of(api: TestClient, body: dict[str, Any]) -> dict[str, Any]:
    created = api.post("invoices", json=body)
    assert created.status_code == 200, created.text
    receipt: dict[str, Any] = api.get(f"ledgerreceipts/{created.json()['ledgerReceiptId']}").json()
    return receipt


def test_accounting_by_row_takes_product_account_and_dimensions(api: TestClient) -> None:
    made = create_product_with_dimension(api, {"HEL": 50, "TKU": 25, "TRE": 25})
    product, department = made["product"], made["dimension"]
    rows = [
        _row(productId=product["id"], unitPrice=100.01),
        _row(product="No product", unitPrice=10, vatPercent=0, vatStatus=12),
    ]
    receipt = _receipt_of(api, sample_invoice(invoiceRows=rows))
    assert receipt["type"] == "SALES_INVOICE"
    assert receipt["receiptDate"] == "2026-02-02"
    reversing, first, second = receipt["transactions"]
    assert reversing["transactionType"] == "REVERSING_ENTRY"
    assert reversing["account"] == "1700"
    assert reversing["accountingValue"] == 100.01 + 25.50 + 10  # net + VAT 25.5002 → 25.50
    assert reversing["vatPercent"] == 0
    assert first["transactionType"] == "ENTRY"
    assert (first["account"], first["accountingValue"], first["vatStatus"]) == ("3010", -100.01, 1)
    items = {item["id"]: item["codeName"] for item in department["items"]}
    values = {items[v["itemId"]]: v["value"] for v in first["dimensionItemValues"]}
    assert values == {"HEL": -50.01, "TKU": -25.0, "TRE": -25.0}
    assert round(sum(values.values()), 2) == -100.01
    assert (second["account"], second["accountingValue"], second["vatStatus"]) == ("3000", -10, 12)
    assert second["dimensionItemValues"] == []


def test_without_accounting_by_row_rows_are_grouped(api: TestClient) -> None:
    zero = _row(vatPercent=0, vatStatus=12)
    body = sample_invoice(invoiceRows=[_row(unitPrice=10), _row(unitPrice=20), zero])
    body["extraInfo"]["accountingByRow"] = False
    receipt = _receipt_of(api, body)
    entries = [t for t in receipt["transactions"] if t["transactionType"] == "ENTRY"]
    assert [(e["account"], e["accountingValue"], e["vatPercent"]) for e in entries] == [
        ("3000", -30, 25.5),
        ("3000", -755, 0),
    ]


def test_foreign_currency_is_converted_to_company_currency(api: TestClient) -> None:
    body = sample_invoice(invoiceRows=[_row(unitPrice=1000, vatPercent=0, vatStatus=6)])
    body["paymentInfo"].update(currency="SEK", currencyRate=11.20)
    created = api.post("invoices", json=body).json()
    assert created["invoiceSumInfo"][1] == {
        "currency": "EUR",
        "inAccountingCurrency": True,
        "excludingVatTotal": 89.29,
        "vatSumTotal": 0,
        "invoiceSumTotal": 89.29,
    }
    receipt = api.get(f"ledgerreceipts/{created['ledgerReceiptId']}").json()
    assert [t["accountingValue"] for t in receipt["transactions"]] == [89.29, -89.29]


def _put_receipt(api: TestClient, receipt: dict[str, Any], **query: str) -> Any:
    return api.put(f"ledgerreceipts/{receipt['id']}", json=receipt, params=query)


@pytest.fixture
def receipt(api: TestClient) -> dict[str, Any]:
    return _receipt_of(api, sample_invoice())


def test_put_moves_entry_to_another_account_with_dimensions(
    api: TestClient, receipt: dict[str, Any]
) -> None:
    entry = receipt["transactions"][1]
    entry["account"] = "3020"
    entry["dimensionItemValues"] = [
        {"dimensionId": 1, "itemId": 101, "value": -700},
        {"dimensionId": 1, "itemId": 102, "value": -55},
        {"dimensionId": 2, "itemId": 104, "value": -755},
    ]
    response = _put_receipt(api, receipt)
    assert response.status_code == 200, response.text
    updated = response.json()
    assert updated["version"] != receipt["version"]
    assert updated["transactions"][1]["account"] == "3020"
    assert updated["transactions"][1]["id"] == entry["id"]
    assert len(updated["transactions"][1]["dimensionItemValues"]) == 3


def test_put_needs_current_version(api: TestClient, receipt: dict[str, Any]) -> None:
    version = receipt.pop("version")
    assert _put_receipt(api, receipt).status_code == 400
    receipt["version"] = version
    assert _put_receipt(api, receipt).status_code == 200
    stale = _put_receipt(api, receipt)
    assert stale.status_code == 400
    assert error_pairs(stale)[0][0] == "version"


def test_put_dimension_values_must_sum_to_the_entry(
    api: TestClient, receipt: dict[str, Any]
) -> None:
    receipt["transactions"][1]["dimensionItemValues"] = [
        {"dimensionId": 1, "itemId": 101, "value": -700},
    ]
    response = _put_receipt(api, receipt)
    assert response.status_code == 400
    assert error_pairs(response) == [
        (
            "transactions[1].dimensionItemValues",
            "Dimension 1 values sum to -700, not to the transaction's accountingValue -755",
        )
    ]


def test_put_unknown_dimension_item(api: TestClient, receipt: dict[str, Any]) -> None:
    receipt["transactions"][1]["dimensionItemValues"] = [
        {"dimensionId": 1, "itemId": 104, "value": -755},
    ]
    response = _put_receipt(api, receipt)
    assert response.status_code == 400
    assert error_pairs(response) == [
        (
            "transactions[1].dimensionItemValues[0]",
            "DIMENSION_OR_DIMENSION_ITEM_IDENTIFIERS_DOES_NOT_MATCH_THOSE_STORED_IN_DATABASE",
        )
    ]


def test_put_account_must_exist(api: TestClient, receipt: dict[str, Any]) -> None:
    receipt["transactions"][1]["account"] = "3999"
    response = _put_receipt(api, receipt)
    assert response.status_code == 400
    assert error_pairs(response) == [
        ("transactions[1].account", "Ledger account 3999 does not exist")
    ]


def test_put_reversing_entry_rules(api: TestClient, receipt: dict[str, Any]) -> None:
    receipt["transactions"][0]["vatPercent"] = 25.5
    receipt["transactions"].append(copy.deepcopy(receipt["transactions"][0]))
    fields = {field for field, _ in error_pairs(_put_receipt(api, receipt))}
    assert fields == {"transactions[0]", "transactions[2]"}


def test_put_closed_period(api: TestClient, receipt: dict[str, Any]) -> None:
    receipt["receiptDate"] = "2025-01-31"
    response = _put_receipt(api, receipt)
    assert response.status_code == 400
    assert error_pairs(response) == [("receiptDate", "CLOSED_FISCAL_PERIOD")]


def test_put_after_approval_is_refused(api: TestClient, receipt: dict[str, Any]) -> None:
    api.put(f"invoices/{receipt['invoiceId']}/approve", json={})
    receipt["version"] = api.get(f"ledgerreceipts/{receipt['id']}").json()["version"]
    assert _put_receipt(api, receipt).status_code == 403


def test_put_with_reconciliation_balances_the_receipt(
    api: TestClient, receipt: dict[str, Any]
) -> None:
    receipt["transactions"][1]["accountingValue"] = -700
    updated = _put_receipt(api, receipt, createReconciliation="true").json()
    last = updated["transactions"][-1]
    assert last["transactionType"] == "RECONCILIATION_ENTRY"
    # 947.53 − 700 − 178.50 VAT = 69.03 left over → balanced by −69.03.
    assert last["accountingValue"] == -69.03


def test_receipt_search_and_batch(api: TestClient, receipt: dict[str, Any]) -> None:
    found = api.get("ledgerreceipts", params={"types": "SALES_INVOICE"}).json()
    assert [r["id"] for r in found["results"]] == [receipt["id"]]
    assert api.get(f"ledgerreceipts/{receipt['id']},1").json()[0]["id"] == receipt["id"]


def test_transaction_dimensions_endpoint(api: TestClient, receipt: dict[str, Any]) -> None:
    entry = receipt["transactions"][1]
    path = f"ledgerreceipts/{receipt['id']}/transactions/{entry['id']}/dimensions"
    values = [{"dimensionId": 2, "itemId": 105, "value": -755}]
    response = api.put(path, json={"dimensionItemValues": values})
    assert response.status_code == 200
    # The spec answers the whole receipt.
    answered = response.json()
    assert answered["id"] == receipt["id"]
    assert answered["transactions"][1]["dimensionItemValues"] == values
    stored = api.get(f"ledgerreceipts/{receipt['id']}").json()
    assert stored == answered
    wrong = api.put(path, json={"dimensionItemValues": [{**values[0], "value": -1}]})
    assert wrong.status_code == 400
    assert error_pairs(wrong)[0][0] == "dimensionItemValues"
    cleared = api.put(path, json={"dimensionItemValues": []}).json()
    assert cleared["transactions"][1]["dimensionItemValues"] == []
