"""Uncertain readings as switches: empty invoice search, inactive dimension items; the spec's
403 for actions on an invoice in the wrong status."""

from __future__ import annotations

import socket
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import httpx2
import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from procountor_export.emulator.testing import (
    READINGS,
    api_client,
    emulator_app,
    error_pairs,
    sample_invoice,
    sample_product,
)

WRONG_STATUS = "Insufficient user rights or invalid invoice status"


@pytest.fixture(params=list(READINGS), ids=list(READINGS))
def either(request: pytest.FixtureRequest) -> Iterator[TestClient]:
    """A client under each reading of an empty invoice search."""
    with api_client(emulator_app(**READINGS[request.param])) as client:
        yield client


def test_empty_search_is_an_empty_page_by_default(api: TestClient) -> None:
    response = api.get("invoices", params={"originalInvoiceNumber": "TMS-1"})
    assert response.status_code == 200
    assert response.json()["results"] == []


def test_empty_search_404_reading() -> None:
    with api_client(emulator_app(empty_search_404=True)) as api:
        response = api.get("invoices", params={"originalInvoiceNumber": "TMS-1"})
        assert response.status_code == 404
        assert response.json() == {"errors": [{"status": 404, "message": "Invoice not found"}]}
        api.post("invoices", json=sample_invoice(originalInvoiceNumber="TMS-1"))
        found = api.get("invoices", params={"originalInvoiceNumber": "TMS-1"})
        assert found.status_code == 200
        assert len(found.json()["results"]) == 1


def test_a_client_reading_no_match_either_way(either: TestClient) -> None:
    response = either.get("invoices", params={"originalInvoiceNumber": "nope"})
    hits = response.json()["results"] if response.status_code == 200 else []
    assert response.status_code in {200, 404}
    assert hits == []


def test_empty_search_404_switched_while_running(api: TestClient) -> None:
    readings = api.put("http://emulator/_emulator/readings", json={"empty_search_404": True})
    assert readings.json()["emptySearch404"] is True
    assert api.get("invoices").status_code == 404


def test_approve_and_send_in_the_wrong_status_are_403(api: TestClient) -> None:
    invoice = api.post("invoices", json=sample_invoice()).json()
    base = f"invoices/{invoice['id']}"
    send = api.put(f"{base}/send")
    assert (send.status_code, error_pairs(send)) == (403, [(None, WRONG_STATUS)])
    assert api.put(f"{base}/approve", json={"comment": ""}).status_code == 200
    again = api.put(f"{base}/approve", json={"comment": ""})
    assert (again.status_code, error_pairs(again)) == (403, [(None, WRONG_STATUS)])
    assert api.put(f"{base}/invalidate").status_code == 200
    gone = api.put(f"{base}/send")
    assert (gone.status_code, error_pairs(gone)) == (403, [(None, WRONG_STATUS)])


def test_approve_body_is_a_checking_event(api: TestClient) -> None:
    invoice = api.post("invoices", json=sample_invoice()).json()
    path = f"invoices/{invoice['id']}/approve"
    too_long = api.put(path, json={"comment": "x" * 101})
    assert error_pairs(too_long) == [
        ("comment", "Value of 'comment' is too long (max 100 characters)")
    ]
    assert api.put(path).status_code == 200


def _deactivate(api: TestClient, code: str) -> dict[str, Any]:
    department = next(d for d in api.get("dimensions").json() if d["name"] == "Department")
    item = next(i for i in department["items"] if i["codeName"] == code)
    response = api.put(
        f"dimensions/{department['id']}/items",
        json={"id": item["id"], "codeName": code, "status": "P"},
    )
    assert response.status_code == 200
    return {"dimension": department, "item": item}


def _receipt_with_item(api: TestClient, dimension_id: int, item_id: int) -> tuple[str, Any]:
    invoice = api.post("invoices", json=sample_invoice()).json()
    receipt = api.get(f"ledgerreceipts/{invoice['ledgerReceiptId']}").json()
    receipt["transactions"][1]["dimensionItemValues"] = [
        {"dimensionId": dimension_id, "itemId": item_id, "value": -755}
    ]
    return f"ledgerreceipts/{receipt['id']}", receipt


def test_inactive_item_refused_in_a_ledger_receipt(api: TestClient) -> None:
    made = _deactivate(api, "TKU")
    path, receipt = _receipt_with_item(api, made["dimension"]["id"], made["item"]["id"])
    response = api.put(path, json=receipt)
    assert response.status_code == 400
    assert error_pairs(response) == [
        (
            "transactions[1].dimensionItemValues[0]",
            f"Dimension item TKU (id {made['item']['id']}) of dimension Department is inactive",
        )
    ]
    entry = receipt["transactions"][1]
    one = api.put(
        f"{path}/transactions/{entry['id']}/dimensions",
        json={"dimensionItemValues": entry["dimensionItemValues"]},
    )
    assert one.status_code == 400


def test_inactive_item_refused_in_product_defaults(api: TestClient) -> None:
    made = _deactivate(api, "TKU")
    product = api.post("products", json=sample_product()).json()
    response = api.put(
        f"products/{product['id']}/defaults/dimensions/{made['dimension']['id']}",
        json={"items": [{"id": made["item"]["id"], "codeName": "TKU", "percent": 100}]},
    )
    assert response.status_code == 400
    [(field, message)] = error_pairs(response)
    assert field == "items[0].id"
    assert (
        message
        == f"Dimension item TKU (id {made['item']['id']}) of dimension Department is inactive"
    )


def test_inactive_items_allowed_reading() -> None:
    with api_client(emulator_app(refuse_inactive_items=False)) as api:
        made = _deactivate(api, "TKU")
        path, receipt = _receipt_with_item(api, made["dimension"]["id"], made["item"]["id"])
        assert api.put(path, json=receipt).status_code == 200


def test_cli_flags_set_the_readings() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, "-m", "procountor_export.cli", "emulator", "--port", str(port)]
    flags = [
        "--lenient",
        "--empty-search-404",
        "--allow-inactive-items",
        "--billing-from-counterparty",
    ]
    process = subprocess.Popen(
        [*command, *flags], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    try:
        assert process.stdout is not None
        base = process.stdout.readline().strip()
        readings = httpx2.get(base.removesuffix("/api") + "/_emulator/readings", timeout=5).json()
        assert readings == {
            "strictFields": False,
            "emptySearch404": True,
            "refuseInactiveItems": False,
            "einvoiceBillingRequired": False,
        }
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stdout:
            process.stdout.close()


def test_the_cli_starts_a_company_of_the_market_asked_for() -> None:
    from procountor_export.procountor import ProcountorClient

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, "-m", "procountor_export.cli", "emulator", "--port", str(port)]
    process = subprocess.Popen(
        [*command, "--market", "se"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    try:
        assert process.stdout is not None
        base = process.stdout.readline().strip()
        with ProcountorClient(
            base_url=base,
            client_id="demo-client",
            client_secret=SecretStr("demo-secret"),
            api_key=SecretStr("demo-api-key"),
        ) as client:
            assert client.currencies.company() == "SEK"
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stdout:
            process.stdout.close()


def test_the_cli_names_an_unknown_market() -> None:
    command = [sys.executable, "-m", "procountor_export.cli", "emulator", "--market", "xx"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert done.returncode != 0
    assert "unknown market 'xx': expected one of fi, se, no, dk" in done.stderr + done.stdout
