"""VAT on invoice rows and products: sales statuses, sales percentages and their combination."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from procountor_export.emulator import default_seed
from procountor_export.emulator.testing import (
    api_client,
    emulator_app,
    error_pairs,
    sample_invoice,
    sample_product,
)


def _row(**changes: Any) -> dict[str, Any]:
    row: dict[str, Any] = sample_invoice()["invoiceRows"][0]
    row.update(changes)
    return row


@pytest.mark.parametrize(
    ("status", "percent"), [(1, 25.5), (1, 14), (1, 13.5), (3, 0), (5, 0), (6, 0), (12, 0)]
)
def test_allowed_combinations(api: TestClient, status: int, percent: float) -> None:
    body = sample_invoice(invoiceRows=[_row(vatStatus=status, vatPercent=percent)])
    assert api.post("invoices", json=body).status_code == 200


@pytest.mark.parametrize(("status", "percent"), [(6, 25.5), (5, 14), (12, 10), (1, 0)])
def test_status_and_percent_that_do_not_fit(api: TestClient, status: int, percent: float) -> None:
    body = sample_invoice(invoiceRows=[_row(vatStatus=status, vatPercent=percent)])
    response = api.post("invoices", json=body)
    assert response.status_code == 400
    assert error_pairs(response) == [("invoiceRows[0].vatPercent", "ERROR_VATSTATUS_VATPERC")]


def test_rows_without_a_status_use_the_header_status(api: TestClient) -> None:
    row = _row(vatPercent=0)
    del row["vatStatus"]
    body = sample_invoice(vatStatus=6, invoiceRows=[row])
    assert api.post("invoices", json=body).status_code == 200
    body["vatStatus"] = 1
    assert error_pairs(api.post("invoices", json=body)) == [
        ("invoiceRows[0].vatPercent", "ERROR_VATSTATUS_VATPERC")
    ]


def test_purchase_status_is_not_for_sales(api: TestClient) -> None:
    body = sample_invoice(invoiceRows=[_row(vatStatus=2)])
    assert error_pairs(api.post("invoices", json=body)) == [
        ("invoiceRows[0].vatStatus", "VAT status 2 is not enabled for sales")
    ]


def test_product_vat_combination(api: TestClient) -> None:
    assert api.post("products", json=sample_product(vat=0, vatStatus=6)).status_code == 200
    response = api.post("products", json=sample_product(vat=25.5, vatStatus=6))
    assert error_pairs(response) == [("vat", "ERROR_VATSTATUS_VATPERC")]
    unknown = api.post("products", json=sample_product(vat=24, vatStatus=99))
    assert set(error_pairs(unknown)) == {
        ("vat", "VAT percentage 24 is not in use for sales"),
        ("vatStatus", "VAT status 99 is not enabled for sales"),
    }


def test_purchase_products_are_judged_on_the_purchase_side(api: TestClient) -> None:
    body = sample_product(type="PURCHASE", vatStatus=2, defaultAccount="4000")
    assert api.post("products", json=body).status_code == 200
    sales_status = sample_product(type="PURCHASE", vatStatus=1, defaultAccount="4000")
    assert error_pairs(api.post("products", json=sales_status)) == [
        ("vatStatus", "VAT status 1 is not enabled for purchases")
    ]


def test_a_status_without_vat_percents_in_the_seed_takes_any_rate() -> None:
    data = default_seed().model_dump(mode="json", by_alias=True)
    for status in data["companies"][0]["vat"]["statuses"]:
        status.pop("vatPercents")
    with api_client(emulator_app(default_seed().model_validate(data))) as api:
        body = sample_invoice(invoiceRows=[_row(vatStatus=6, vatPercent=25.5)])
        assert api.post("invoices", json=body).status_code == 200


def test_vat_defaults_do_not_show_the_seed_combinations(api: TestClient) -> None:
    statuses = api.get("vats/default").json()["vatStatuses"]
    assert all(
        set(status) == {"vatStatus", "description", "sales", "purchase"} for status in statuses
    )
