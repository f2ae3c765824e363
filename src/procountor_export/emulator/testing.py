"""Helpers for code that drives the emulator in tests: apps, demo credentials and valid bodies.

``emulator_app(empty_search_404=True)`` builds an in-process emulator under a chosen reading
(:data:`READINGS` names the variants for ``pytest.mark.parametrize`` or fixture ``params``);
``api_client(app)`` is a ``TestClient`` with a demo token and paths relative to ``/api``.
``sample_invoice()``, ``sample_partner()`` and ``sample_product()`` return fresh, valid request
bodies for the demo company (change what a test is about); ``error_pairs(response)`` checks
Procountor's error envelope and returns its (field, message) pairs.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient

from procountor_export.emulator.app import create_app
from procountor_export.emulator.seed import Seed

TOKEN_FORM = {
    "grant_type": "client_credentials",
    "client_id": "demo-client",
    "client_secret": "demo-secret",
    "api_key": "demo-api-key",
}

INVOICE: dict[str, Any] = {
    "type": "SALES_INVOICE",
    "date": "2026-02-02",
    "counterParty": {
        "customerNumber": "C100",
        "identifier": "1234567-1",
        "counterPartyAddress": {
            "name": "Buyer Oy",
            "street": "Katu 1",
            "zip": "00100",
            "city": "Helsinki",
            "country": "FINLAND",
        },
    },
    "paymentInfo": {
        "paymentMethod": "BANK_TRANSFER",
        "currency": "EUR",
        "currencyRate": 1,
        "bankAccount": {"accountNumber": "FI2112345600000785"},
        "dueDate": "2026-02-16",
        "bankReferenceCode": "",
    },
    "extraInfo": {"accountingByRow": True, "unitPricesIncludeVat": False},
    "discountPercent": 0,
    "vatStatus": 1,
    "invoiceChannel": "NO_SENDING",
    "language": "FINNISH",
    "originalInvoiceNumber": "TMS-100353",
    "invoiceRows": [
        {
            "product": "Freight services",
            "quantity": 1,
            "unit": "NO_UNIT",
            "unitPrice": 755.00,
            "discountPercent": 0,
            "vatPercent": 25.5,
            "vatStatus": 1,
        }
    ],
}

PARTNER: dict[str, Any] = {
    "type": "CUSTOMER",
    "name": "Uusi Asiakas Oy",
    "address": {
        "name": "Uusi Asiakas Oy",
        "street": "Uusitie 2",
        "zip": "20100",
        "city": "Turku",
        "country": "FINLAND",
    },
    "invoicingInfo": {"customerNumber": "30001", "identifier": "3000000-1"},
    "paymentInfo": {"paymentMethod": "BANK_TRANSFER", "currency": "EUR", "paymentTermDays": "14"},
}

PRODUCT: dict[str, Any] = {
    "type": "SALES",
    "name": "3010 / VAT 25.5 % (1) / HEL",
    "code": "TMSP-3010-1-25.5-HEL",
    "unit": "NO_UNIT",
    "price": 0,
    "discount": 0,
    "vat": 25.5,
    "vatStatus": 1,
    "active": True,
    "defaultAccount": "3010",
    "currency": "EUR",
}


READINGS: dict[str, dict[str, bool]] = {
    "empty-page": {},
    "search-404": {"empty_search_404": True},
}
"""The readings of an invoice search without a match, by name: ``emulator_app(**READINGS[n])``.
``empty-page`` answers ``{"results": [], "meta": ...}``, ``search-404`` answers 404 "Invoice not
found" (both are allowed by the spec; clients must take either as "no match")."""


def emulator_app(
    seed: Seed | None = None,
    *,
    empty_search_404: bool | None = None,
    lenient: bool | None = None,
    refuse_inactive_items: bool | None = None,
    rate_limit: float | None = None,
    **options: Any,
) -> FastAPI:
    """An in-process emulator for tests: the demo seed (or ``seed``), no rate limit, and the
    given readings; a reading left ``None`` is the seed's (demo seed: empty search page,
    unknown body fields refused, inactive dimension items refused). Other ``create_app``
    options pass through."""
    return create_app(
        seed,
        rate_limit=rate_limit,
        empty_search_404=empty_search_404,
        lenient=lenient,
        refuse_inactive_items=refuse_inactive_items,
        **options,
    )


@contextmanager
def api_client(app: FastAPI) -> Iterator[TestClient]:
    """A client of ``app`` with a demo-company token; paths are relative to ``/api``."""
    with TestClient(app, base_url="http://emulator") as client:
        response = client.post("/api/oauth/token", data=TOKEN_FORM)
        assert response.status_code == 200, response.text
        client.headers["Authorization"] = f"Bearer {response.json()['access_token']}"
        client.base_url = "http://emulator/api/"
        yield client


def sample_invoice(**changes: Any) -> dict[str, Any]:
    """A valid invoice body (a deep copy) with top-level ``changes``."""
    body = copy.deepcopy(INVOICE)
    body.update(changes)
    return body


def sample_partner(**changes: Any) -> dict[str, Any]:
    body = copy.deepcopy(PARTNER)
    body.update(changes)
    return body


def sample_product(**changes: Any) -> dict[str, Any]:
    body = copy.deepcopy(PRODUCT)
    body.update(changes)
    return body


def error_pairs(response: Any) -> list[tuple[str | None, str]]:
    """The (field, message) pairs of an error answer, checking the envelope shape."""
    body = response.json()
    assert set(body) == {"errors"}
    for entry in body["errors"]:
        assert entry["status"] == response.status_code
    return [(entry.get("field"), entry["message"]) for entry in body["errors"]]


def create_product_with_dimension(api: TestClient, percents: dict[str, int]) -> dict[str, Any]:
    """A sales product on 3010 with default Department items split by ``percents``."""
    created = api.post("products", json=sample_product()).json()
    department = next(d for d in api.get("dimensions").json() if d["name"] == "Department")
    items = [
        {"id": item["id"], "codeName": item["codeName"], "percent": percents[item["codeName"]]}
        for item in department["items"]
        if item["codeName"] in percents
    ]
    response = api.put(
        f"products/{created['id']}/defaults/dimensions/{department['id']}",
        json={"id": department["id"], "name": department["name"], "items": items},
    )
    assert response.status_code == 200, response.text
    return {"product": created, "dimension": department}
