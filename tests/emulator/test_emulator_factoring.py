"""Factoring contracts: ``GET /factoringcontracts`` and an invoice's ``factoringContractId``."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from procountor_export.apispec.conformance import violations
from procountor_export.emulator.seed import default_seed
from procountor_export.emulator.testing import api_client, emulator_app, error_pairs, sample_invoice

NOT_ENABLED = (
    "Insufficient user rights or external financing has not been enabled for your company."
)
SEED_BANK = "FI2112345600000785"


def contracts(api: TestClient, **params: Any) -> dict[str, Any]:
    response = api.get("factoringcontracts", params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def contract_id(api: TestClient, number: str) -> int:
    found = [c for c in contracts(api, size=200)["results"] if c["contractNumber"] == number]
    assert len(found) == 1
    return int(found[0]["id"])


def test_the_seed_contracts_are_listed_in_the_specs_shape(api: TestClient) -> None:
    body = contracts(api)
    assert violations("FactoringContractSearchResult", body) == []
    listed = {c["contractNumber"]: c for c in body["results"]}
    assert set(listed) == {"RAH-1001", "RAH-0901", "RAH-2002"}
    assert listed["RAH-1001"]["status"] == "ACTIVE"
    assert listed["RAH-0901"]["status"] == "INACTIVE"
    assert listed["RAH-1001"]["financingCompanyBankAccount"] == SEED_BANK
    assert listed["RAH-1001"]["financingCompany"] == {"id": "FC1", "name": "Demo Rahoitus Oy"}
    assert body["meta"]["totalCount"] == 3


def test_the_list_is_paged_and_filtered_by_financing_company(api: TestClient) -> None:
    first = contracts(api, size=2, page=0)
    second = contracts(api, size=2, page=1)
    assert [first["meta"]["resultCount"], second["meta"]["resultCount"]] == [2, 1]
    ids = [c["id"] for c in first["results"] + second["results"]]
    assert ids == sorted(set(ids))
    only = contracts(api, financingCompanyId="FC2")["results"]
    assert [c["contractNumber"] for c in only] == ["RAH-2002"]


def test_without_external_financing_the_list_is_a_403() -> None:
    seed = default_seed()
    seed.companies[0].external_financing = False
    with api_client(emulator_app(seed)) as api:
        response = api.get("factoringcontracts")
        assert response.status_code == 403
        assert error_pairs(response) == [(None, NOT_ENABLED)]
        # And no invoice can name a contract the company cannot see.
        body = sample_invoice(factoringContractId=401)
        assert error_pairs(api.post("invoices", json=body)) == [
            ("factoringContractId", "Factoring contract 401 does not exist")
        ]


def test_a_swedish_company_has_no_finnish_factoring_list() -> None:
    seed = default_seed()
    seed.companies[0].company.country = "SWEDEN"
    with api_client(emulator_app(seed)) as api:
        response = api.get("factoringcontracts")
        assert response.status_code == 403
        assert error_pairs(response) == [(None, NOT_ENABLED)]


def test_an_invoice_financed_through_an_active_contract(api: TestClient) -> None:
    active = contract_id(api, "RAH-1001")
    body = sample_invoice(factoringContractId=active, factoringText="Siirretty rahoitukseen")
    response = api.post("invoices", json=body)
    assert response.status_code == 200, response.text
    created = response.json()
    assert created["factoringContractId"] == active
    assert created["factoringText"] == "Siirretty rahoitukseen"
    again = api.get(f"invoices/{created['id']}").json()
    assert again["factoringContractId"] == active


@pytest.mark.parametrize(
    ("number", "changes", "expected"),
    [
        ("RAH-0901", {}, [("factoringContractId", "Factoring contract {id} is not active")]),
        (
            "RAH-2002",
            {},
            [
                (
                    "paymentInfo.bankAccount.accountNumber",
                    f"The bank account {SEED_BANK} does not match the bank account of factoring "
                    "contract {id}",
                )
            ],
        ),
        (
            "RAH-1001",
            {"paymentMethod": "CASH"},
            [("factoringContractId", "Financing agreements cannot be used with cash payments")],
        ),
        (
            "RAH-1001",
            {"bankAccount": None},
            [
                (
                    "paymentInfo.bankAccount.accountNumber",
                    "The bank account (none) does not match the bank account of factoring "
                    "contract {id}",
                )
            ],
        ),
    ],
    ids=["inactive", "other-bank-account", "cash", "no-bank-account"],
)
def test_an_unusable_contract_is_a_400(
    api: TestClient, number: str, changes: dict[str, Any], expected: list[tuple[str, str]]
) -> None:
    chosen = contract_id(api, number)
    body = sample_invoice(factoringContractId=chosen)
    body["paymentInfo"].update(changes)
    body["paymentInfo"] = {k: v for k, v in body["paymentInfo"].items() if v is not None}
    response = api.post("invoices", json=body)
    assert response.status_code == 400
    wanted = [(field, message.replace("{id}", str(chosen))) for field, message in expected]
    assert error_pairs(response) == wanted
    assert api.get("invoices").json()["results"] == []


def test_an_unknown_contract_id_is_a_400(api: TestClient) -> None:
    response = api.post("invoices", json=sample_invoice(factoringContractId=99))
    assert error_pairs(response) == [
        ("factoringContractId", "Factoring contract 99 does not exist")
    ]
