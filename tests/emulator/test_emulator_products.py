"""Products, product groups and product default dimensions."""

from __future__ import annotations

from fastapi.testclient import TestClient

from procountor_export.emulator.testing import (
    create_product_with_dimension,
    error_pairs,
    sample_product,
)


def test_groups_envelope_and_create(api: TestClient) -> None:
    assert api.get("products/groups", params={"type": "SALES"}).json() == {"productGroups": []}
    group = api.post("products/groups", json={"name": "OpterGroup", "type": "SALES"}).json()
    assert group["name"] == "OpterGroup"
    listed = api.get("products/groups", params={"type": "SALES"}).json()["productGroups"]
    assert listed == [group]
    assert api.get("products/groups", params={"type": "PURCHASE"}).json()["productGroups"] == []


def test_group_name_limit(api: TestClient) -> None:
    response = api.post("products/groups", json={"name": "x" * 81, "type": "SALES"})
    assert response.status_code == 400
    assert error_pairs(response)[0][0] == "name"


def test_group_with_products_cannot_be_deleted(api: TestClient) -> None:
    group = api.post("products/groups", json={"name": "OpterGroup", "type": "SALES"}).json()
    created = api.post("products", json=sample_product(productGroupId=group["id"])).json()
    assert api.delete(f"products/groups/{group['id']}").status_code == 409
    assert api.delete(f"products/{created['id']}").status_code == 204
    assert api.delete(f"products/groups/{group['id']}").status_code == 204


def test_create_and_search_products(api: TestClient) -> None:
    group = api.post("products/groups", json={"name": "OpterGroup", "type": "SALES"}).json()
    created = api.post("products", json=sample_product(productGroupId=group["id"]))
    assert created.status_code == 200
    product = created.json()
    assert product["id"] > 0
    assert product["version"]
    found = api.get(
        "products", params={"type": "SALES", "group": group["id"], "code": "3010-1"}
    ).json()
    assert [p["id"] for p in found["results"]] == [product["id"]]
    assert "pageNumber" in found["meta"]
    assert api.get(f"products/{product['id']}").json() == product


def test_product_keyset_paging(api: TestClient) -> None:
    ids = [api.post("products", json=sample_product(code=f"P{i}")).json()["id"] for i in range(3)]
    first = api.get("products", params={"size": 2}).json()["results"]
    assert [p["id"] for p in first] == ids[:2]
    rest = api.get("products", params={"size": 2, "previousId": ids[1]}).json()["results"]
    assert [p["id"] for p in rest] == ids[2:]


def test_product_validation(api: TestClient) -> None:
    body = sample_product(defaultAccount="9999", vat=24, vatStatus=2, unit="BOTTLES")
    del body["price"]
    response = api.post("products", json=body)
    assert response.status_code == 400
    fields = {field for field, _ in error_pairs(response)}
    assert fields == {"defaultAccount", "vat", "vatStatus", "unit", "price"}


def test_product_group_must_exist(api: TestClient) -> None:
    response = api.post("products", json=sample_product(productGroupId=4242))
    assert response.status_code == 400
    assert error_pairs(response)[0][0] == "productGroupId"


def test_default_dimensions_round_trip(api: TestClient) -> None:
    made = create_product_with_dimension(api, {"HEL": 100})
    product, dimension = made["product"], made["dimension"]
    listed = api.get(f"products/{product['id']}/defaults/dimensions").json()
    assert listed == [
        {
            "id": dimension["id"],
            "name": "Department",
            "items": [{"id": dimension["items"][0]["id"], "codeName": "HEL", "percent": 100}],
        }
    ]


def test_default_dimension_rejects_unknown_item(api: TestClient) -> None:
    created = api.post("products", json=sample_product()).json()
    response = api.put(
        f"products/{created['id']}/defaults/dimensions/1",
        json={
            "id": 1,
            "name": "Department",
            "items": [{"id": 104, "codeName": "TRUCK", "percent": 100}],
        },
    )
    assert response.status_code == 400
    assert error_pairs(response) == [
        (
            "items[0].id",
            "DIMENSION_OR_DIMENSION_ITEM_IDENTIFIERS_DOES_NOT_MATCH_THOSE_STORED_IN_DATABASE",
        )
    ]


def test_default_dimension_percent_total(api: TestClient) -> None:
    created = api.post("products", json=sample_product()).json()
    response = api.put(
        f"products/{created['id']}/defaults/dimensions/1",
        json={"items": [{"id": 101, "codeName": "HEL", "percent": 60}]},
    )
    assert response.status_code == 400
    assert error_pairs(response) == [("items", "Dimension item percentages must total 100")]
