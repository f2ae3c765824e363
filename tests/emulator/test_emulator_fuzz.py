"""Fuzzing: no request body, parameter or id makes the emulator answer 500.

Valid bodies are mutated at a random place with a random JSON value (wrong types, huge
numbers, texts outside Windows-1252, nested junk), and list endpoints get random parameters.
Every answer must be below 500 and, if an error, in Procountor's envelope.
"""

from __future__ import annotations

import copy
import json
import os
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from procountor_export.emulator import create_app
from procountor_export.emulator.testing import (
    TOKEN_FORM,
    sample_invoice,
    sample_partner,
    sample_product,
)

# Kept small for CI; EMULATOR_FUZZ_EXAMPLES=2000 runs a deeper search locally.
FUZZ = settings(
    max_examples=int(os.environ.get("EMULATOR_FUZZ_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from([0, -1, 1e300, 0.001, 25.5, "", " ", "2026-02-30", "FINLAND", "SALES"]),
    st.text(max_size=30),
    st.text(alphabet="ŁėŔೠ€–\u0081\x00", max_size=5),
)
json_values = st.recursive(
    json_scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=3), st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=8,
)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, (*prefix, index))


def _mutate(body: dict[str, Any], data: st.DataObject) -> Any:
    paths = [path for path in _paths(body) if path]
    path = data.draw(st.sampled_from(paths))
    value = data.draw(json_values)
    mutated = copy.deepcopy(body)
    target: Any = mutated
    for key in path[:-1]:
        target = target[key]
    if data.draw(st.booleans()) and isinstance(target, dict):
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return mutated


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(create_app(rate_limit=None), base_url="http://emulator") as fuzz_client:
        token = fuzz_client.post("/api/oauth/token", data=TOKEN_FORM).json()["access_token"]
        fuzz_client.headers["Authorization"] = f"Bearer {token}"
        yield fuzz_client


def _check(response: Any) -> None:
    assert response.status_code < 500, response.text
    if response.status_code >= 400:
        body = response.json()
        assert body["errors"]
        assert all(e["status"] == response.status_code and e["message"] for e in body["errors"])


def _send(client: TestClient, method: str, path: str, body: Any) -> Any:
    content = json.dumps(body, allow_nan=True)
    response = client.request(
        method, f"/api/{path}", content=content, headers={"Content-Type": "application/json"}
    )
    _check(response)
    return response


@FUZZ
@given(data=st.data())
def test_invoice_bodies(client: TestClient, data: st.DataObject) -> None:
    _send(client, "POST", "invoices", _mutate(sample_invoice(), data))


@FUZZ
@given(data=st.data())
def test_partner_and_product_bodies(client: TestClient, data: st.DataObject) -> None:
    _send(client, "POST", "businesspartners", _mutate(sample_partner(), data))
    _send(client, "POST", "products", _mutate(sample_product(), data))
    group = {"name": "OpterGroup", "type": "SALES"}
    _send(client, "POST", "products/groups", _mutate(group, data))
    _send(client, "POST", "dimensions/1/items", _mutate({"codeName": "X", "description": ""}, data))


@FUZZ
@given(data=st.data())
def test_updates(client: TestClient, data: st.DataObject) -> None:
    invoice = client.post("/api/invoices", json=sample_invoice()).json()
    receipt = client.get(f"/api/ledgerreceipts/{invoice['ledgerReceiptId']}").json()
    _send(client, "PUT", f"ledgerreceipts/{receipt['id']}", _mutate(receipt, data))
    _send(client, "PUT", f"invoices/{invoice['id']}", _mutate(invoice, data))
    partner = client.post("/api/businesspartners", json=sample_partner()).json()
    _send(client, "PATCH", f"businesspartners/{partner['id']}", _mutate(partner, data))
    dims = {
        "id": 1,
        "name": "Department",
        "items": [{"id": 101, "codeName": "HEL", "percent": 100}],
    }
    entry = receipt["transactions"][1]
    _send(
        client,
        "PUT",
        f"ledgerreceipts/{receipt['id']}/transactions/{entry['id']}/dimensions",
        _mutate({"dimensionItemValues": [{"dimensionId": 1, "itemId": 101, "value": -1}]}, data),
    )
    product = client.post("/api/products", json=sample_product()).json()
    _send(client, "PUT", f"products/{product['id']}/defaults/dimensions/1", _mutate(dims, data))


@FUZZ
@given(body=json_values)
def test_any_json_anywhere(client: TestClient, body: Any) -> None:
    for method, path in [
        ("POST", "invoices"),
        ("POST", "businesspartners"),
        ("PUT", "ledgerreceipts/7001"),
        ("PUT", "invoices/5001/notes"),
        ("PUT", "bankaccounts/1"),
    ]:
        _send(client, method, path, body)


@FUZZ
@given(
    path=st.sampled_from(
        [
            "invoices",
            "businesspartners",
            "products",
            "ledgerreceipts",
            "bankaccounts",
            "dimensions",
            "products/groups",
            "currencies/exchangerate",
        ]
    ),
    params=st.dictionaries(
        st.sampled_from(
            [
                "size",
                "page",
                "previousId",
                "orderById",
                "types",
                "status",
                "startDate",
                "type",
                "group",
                "active",
                "customerNumber",
                "originalInvoiceNumber",
                "day",
            ]
        ),
        st.one_of(st.text(max_size=12), st.integers(min_value=-(2**70), max_value=2**70).map(str)),
        max_size=4,
    ),
)
def test_list_parameters(client: TestClient, path: str, params: dict[str, str]) -> None:
    _check(client.get(f"/api/{path}", params=params))


@FUZZ
@given(ids=st.text(alphabet="0123456789,- a", max_size=40))
def test_batch_ids(client: TestClient, ids: str) -> None:
    for resource in ("invoices", "ledgerreceipts", "products", "businesspartners"):
        _check(client.get(f"/api/{resource}/{ids}"))


@FUZZ
@given(meta=json_values, content=st.binary(max_size=64))
def test_attachment_uploads(client: TestClient, meta: Any, content: bytes) -> None:
    response = client.post(
        "/api/attachments",
        files={"meta": (None, json.dumps(meta), "application/json"), "file": ("f.pdf", content)},
    )
    _check(response)


@FUZZ
@given(
    form=st.dictionaries(
        st.sampled_from(["grant_type", "client_id", "client_secret", "api_key", "redirect_uri"]),
        st.text(max_size=20),
        max_size=5,
    ),
    raw_body=st.binary(max_size=40),
)
def test_token_requests(client: TestClient, form: dict[str, str], raw_body: bytes) -> None:
    _check(client.post("/api/oauth/token", data=form))
    _check(
        client.post(
            "/api/oauth/token",
            content=raw_body,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
    )
