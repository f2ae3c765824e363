"""The emulator's validators agree with the API table: every required field, every enum and every
``maxLength`` the table gives a body field (in the objects a valid body carries) is enforced.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from procountor_export import apispec
from procountor_export.emulator.testing import (
    error_pairs,
    sample_invoice,
    sample_partner,
    sample_product,
)

TABLE = apispec.load()
Path = tuple[str | int, ...]

BODIES: dict[str, tuple[str, str, dict[str, Any]]] = {
    "invoice": ("invoices", "Invoice", sample_invoice()),
    "partner": ("businesspartners", "BusinessPartner", sample_partner()),
    "product": ("products", "Product", sample_product()),
    "group": ("products/groups", "ProductGroup", {"name": "OpterGroup", "type": "SALES"}),
    "item": ("dimensions/1/items", "DimensionItem", {"codeName": "OUL", "description": "Oulu"}),
}


def _text(path: Path) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def _cases(schema: str, body: dict[str, Any], path: Path = ()) -> Iterator[tuple[Path, str, Any]]:
    """(path, rule, bad value) for every table rule of the fields in ``body``'s objects;
    a bad value of ``...`` means "leave the field out"."""
    for name, spec in TABLE.fields(schema).items():
        at = (*path, name)
        value = body.get(name)
        if spec.required:
            yield at, "required", ...
        if spec.ref and isinstance(value, dict):
            yield from _cases(spec.ref, value, at)
        elif spec.ref and spec.array and isinstance(value, list) and value:
            yield from _cases(spec.ref, value[0], (*at, 0))
        elif spec.type == "string" and not spec.array:
            if spec.enum is not None:
                yield at, "enum", "NOT_A_SPEC_VALUE"
            elif spec.max_length is not None:
                yield at, "maxLength", "x" * (spec.max_length + 1)


def _all_cases() -> Iterator[Any]:
    for label, (route, schema, body) in BODIES.items():
        for path, rule, bad in _cases(schema, body):
            yield pytest.param(route, body, path, bad, id=f"{label}:{_text(path)}:{rule}")


def _with(body: dict[str, Any], path: Path, value: Any) -> dict[str, Any]:
    changed = copy.deepcopy(body)
    target: Any = changed
    for part in path[:-1]:
        target = target[part]
    if value is ...:
        target.pop(path[-1], None)
    else:
        target[path[-1]] = value
    return changed


@pytest.mark.parametrize(("route", "body", "path", "bad"), list(_all_cases()))
def test_table_rule_is_enforced(
    api: TestClient, route: str, body: dict[str, Any], path: Path, bad: Any
) -> None:
    assert api.post(route, json=body).status_code == 200  # the untouched body is valid
    response = api.post(route, json=_with(body, path, bad))
    assert response.status_code == 400, response.text
    assert _text(path) in {field for field, _ in error_pairs(response)}


def test_ledger_receipt_put_follows_the_table(api: TestClient) -> None:
    invoice = api.post("invoices", json=sample_invoice()).json()
    receipt = api.get(f"ledgerreceipts/{invoice['ledgerReceiptId']}").json()
    path = f"ledgerreceipts/{receipt['id']}"
    for field_path, _, bad in _cases("LedgerReceipt", receipt):
        response = api.put(path, json=_with(receipt, field_path, bad))
        assert response.status_code == 400, (field_path, response.text)
        assert _text(field_path) in {field for field, _ in error_pairs(response)}
