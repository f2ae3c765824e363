"""The third-party PyPI client ``procountor`` 2.4.0 against the emulator on a loopback port.

The client uses ``requests``, so the emulator runs as a real HTTP server in a thread. Its known
quirks (procountor-api.md §9) are worked around here, not in the emulator: the test host is
overridden in its class table, dimension items, partner and product writes and product default
dimensions go through its generic ``request()``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from procountor.client import Client

from procountor_export.emulator import create_app
from procountor_export.emulator.server import BackgroundServer
from procountor_export.emulator.testing import sample_invoice, sample_partner, sample_product


@pytest.fixture(scope="module")
def server() -> Iterator[BackgroundServer]:
    with BackgroundServer(create_app(rate_limit=None)) as running:
        yield running


@pytest.fixture
def client(server: BackgroundServer, monkeypatch: pytest.MonkeyPatch) -> Client:
    server.app_state().reset()
    monkeypatch.setitem(Client._endpoints["hosts"], "test", server.root)
    monkeypatch.setenv("PROCOUNTOR_HOST_TEST", server.root)
    return Client(
        api_key="demo-api-key",
        client_id="demo-client",
        client_secret="demo-secret",
        redirect_uri="http://localhost/callback",
        test_mode=True,
        api_version="supported",
    )


def _ok(answer: dict[str, Any]) -> Any:
    assert answer["status"] == 200, answer
    return answer["content"]


def test_token_and_session(client: Client) -> None:
    assert client.access_token.count(".") == 2
    session = _ok(client.get_session_info())
    assert session["name"] == "Kuljetus Demo Oy"
    assert _ok(client.get_company())["businessIdentifier"]["code"] == "1234567-8"


def test_bad_credentials_are_refused(
    server: BackgroundServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(Client._endpoints["hosts"], "test", server.root)
    with pytest.raises(RuntimeError, match="Authentication failed"):
        Client("demo-api-key", "demo-client", "wrong", "http://localhost/callback")


def test_master_data(client: Client) -> None:
    codes = {a["ledgerAccountCode"] for a in _ok(client.get_coa())["ledgerAccounts"]}
    assert "3010" in codes
    years = _ok(client.get_fiscal_years())["fiscalYears"]
    assert {y["startDate"] for y in years} >= {"2025-01-01", "2026-01-01"}
    vats = _ok(client.get_vats())
    assert 25.5 in [p["vatPercent"] for p in vats["vatInformation"][0]["percentages"]]
    assert _ok(client.get_currency()) == {"companyCurrency": "EUR"}
    accounts = _ok(client.get_bank_accounts())["results"]
    assert accounts[0]["iban"] == "FI2112345600000785"


def test_dimensions_and_a_new_item(client: Client) -> None:
    dimensions = _ok(client.get_dimensions())
    department = next(d for d in dimensions if d["name"] == "Department")
    item = _ok(
        client.request(
            "POST", f"dimensions/{department['id']}/items", codeName="OUL", description="Oulu"
        )
    )
    again = _ok(client.get_dimension(department["id"]))
    assert item in again["items"]


def test_business_partners(client: Client) -> None:
    existing = _ok(client.get_business_partners(customerNumber="29999"))["results"]
    assert [p["name"] for p in existing] == ["Vanha Asiakas Oy"]
    created = _ok(client.request("POST", "businesspartners", **sample_partner()))
    fetched = _ok(client.get_business_partner(created["id"]))
    assert fetched == created
    patched = _ok(
        client.request(
            "PATCH",
            f"businesspartners/{created['id']}",
            name="Renamed Oy",
            version=created["version"],
        )
    )
    assert patched["name"] == "Renamed Oy"


def test_sales_invoice_with_accounting_by_row(client: Client, tmp_path: Path) -> None:
    group = _ok(client.request("POST", "products/groups", name="OpterGroup", type="SALES"))
    assert _ok(client.get_product_groups(type="SALES"))["productGroups"] == [group]
    product = _ok(client.request("POST", "products", **sample_product(productGroupId=group["id"])))
    listed = _ok(client.get_products(type="SALES", group=group["id"]))["results"]
    assert [p["id"] for p in listed] == [product["id"]]
    department = next(d for d in _ok(client.get_dimensions()) if d["name"] == "Department")
    hel = next(i for i in department["items"] if i["codeName"] == "HEL")
    _ok(
        client.request(
            "PUT",
            f"products/{product['id']}/defaults/dimensions/{department['id']}",
            id=department["id"],
            name=department["name"],
            items=[{"id": hel["id"], "codeName": "HEL", "percent": 100}],
        )
    )
    body = sample_invoice()
    body["invoiceRows"][0]["productId"] = product["id"]
    invoice = _ok(client.post_invoice(**body))
    assert invoice["status"] == "UNFINISHED"
    assert _ok(client.get_invoice(invoice["id"]))["invoiceNumber"] == invoice["invoiceNumber"]
    found = _ok(client.get_invoices(originalInvoiceNumber="TMS-100353"))["results"]
    assert [i["id"] for i in found] == [invoice["id"]]

    receipt = _ok(client.get_ledger_receipt(invoice["ledgerReceiptId"]))
    entry = receipt["transactions"][1]
    assert (entry["account"], entry["accountingValue"]) == ("3010", -755)
    assert entry["dimensionItemValues"] == [
        {"dimensionId": department["id"], "itemId": hel["id"], "value": -755}
    ]
    entry["account"] = "3020"
    updated = _ok(client.update_ledger_receipt(receipt["id"], **receipt))
    assert updated["transactions"][1]["account"] == "3020"

    pdf = tmp_path / "TMS-100353.pdf"
    pdf.write_bytes(b"%PDF-1.4 demo")
    meta = {
        "name": "TMS-100353.pdf",
        "referenceType": "INVOICE",
        "referenceId": invoice["id"],
        "mimeType": "application/pdf",
        "sendWithInvoice": True,
    }
    attachment = _ok(client.post_attachment(meta, str(pdf)))
    downloaded = client.get_attachment(attachment["id"])
    assert downloaded["status"] == 200
    assert downloaded["content"] == b"%PDF-1.4 demo"
    assert downloaded["metadata"]["name"] == "TMS-100353.pdf"

    assert client.approve_invoice(invoice["id"], comment="")["status"] == 200
    assert client.send_invoice(invoice["id"])["status"] == 200
    assert _ok(client.get_invoice(invoice["id"]))["status"] == "SENT"
