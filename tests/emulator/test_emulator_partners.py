"""Business partners: create, search (query and headers), batch GET, PUT, PATCH, the number clash."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from procountor_export.emulator.testing import error_pairs, sample_partner


def test_create_returns_200_with_id_and_version(api: TestClient) -> None:
    response = api.post("businesspartners", json=sample_partner())
    assert response.status_code == 200
    created = response.json()
    assert created["id"] > 0
    assert created["version"]
    assert created["registryInfo"]["active"] is True
    assert api.get(f"businesspartners/{created['id']}").json() == created


def test_search_by_customer_number(api: TestClient) -> None:
    found = api.get("businesspartners", params={"customerNumber": "29999"}).json()
    assert found["meta"]["totalCount"] == 1
    assert found["results"][0]["name"] == "Vanha Asiakas Oy"
    assert api.get("businesspartners", params={"customerNumber": "1"}).json()["results"] == []


def test_search_name_and_identifier_only_as_headers(api: TestClient) -> None:
    api.post("businesspartners", json=sample_partner())
    by_header = api.get("businesspartners", headers={"identifier": "3000000-1"}).json()
    assert [p["name"] for p in by_header["results"]] == ["Uusi Asiakas Oy"]
    by_name = api.get("businesspartners", headers={"name": "vanha"}).json()
    assert [p["name"] for p in by_name["results"]] == ["Vanha Asiakas Oy"]
    # As query parameters they are ignored: everything is returned.
    ignored = api.get("businesspartners", params={"identifier": "3000000-1"}).json()
    assert ignored["meta"]["totalCount"] == 2


def test_customer_needs_address(api: TestClient) -> None:
    body = sample_partner()
    del body["address"]
    response = api.post("businesspartners", json=body)
    assert response.status_code == 400
    assert ("address", "Value of the 'address' cannot be blank.") in error_pairs(response)


def test_supplier_needs_no_address(api: TestClient) -> None:
    body = sample_partner(type="SUPPLIER")
    del body["address"]
    assert api.post("businesspartners", json=body).status_code == 200


def test_country_must_be_an_enum_name(api: TestClient) -> None:
    body = sample_partner()
    body["address"]["country"] = "FI"
    response = api.post("businesspartners", json=body)
    assert response.status_code == 400
    assert error_pairs(response)[0][0] == "address.country"


def test_same_number_different_business_id_is_refused(api: TestClient) -> None:
    body = sample_partner(name="Toinen Oy")
    body["invoicingInfo"] = {"customerNumber": "29999", "identifier": "3000000-1"}
    response = api.post("businesspartners", json=body)
    assert response.status_code == 400
    [(_, message)] = error_pairs(response)
    assert message == (
        "another partner Vanha Asiakas Oy with the same number and different VAT number "
        "already exists"
    )


def test_same_number_same_business_id_is_allowed(api: TestClient) -> None:
    body = sample_partner()
    body["invoicingInfo"] = {"customerNumber": "29999", "identifier": "2999999-7"}
    assert api.post("businesspartners", json=body).status_code == 200
    # The VAT-number form of the same business ID is the same party.
    body["invoicingInfo"]["identifier"] = "FI29999997"
    assert api.post("businesspartners", json=body).status_code == 200


def test_put_replaces_everything(api: TestClient) -> None:
    created = api.post("businesspartners", json=sample_partner()).json()
    replacement = sample_partner(name="Uusi Nimi Oy", version=created["version"])
    del replacement["invoicingInfo"]
    updated = api.put(f"businesspartners/{created['id']}", json=replacement).json()
    assert updated["name"] == "Uusi Nimi Oy"
    assert "invoicingInfo" not in updated
    assert updated["version"] != created["version"]


def test_patch_needs_current_version(api: TestClient) -> None:
    created = api.post("businesspartners", json=sample_partner()).json()
    path = f"businesspartners/{created['id']}"
    missing = api.patch(path, json={"name": "Patched Oy"})
    assert missing.status_code == 400
    assert error_pairs(missing) == [("version", "Value of the 'version' cannot be blank.")]
    patched = api.patch(path, json={"name": "Patched Oy", "version": created["version"]})
    assert patched.status_code == 200
    assert patched.json()["name"] == "Patched Oy"
    assert patched.json()["invoicingInfo"]["customerNumber"] == "30001"
    stale = api.patch(path, json={"name": "Again Oy", "version": created["version"]})
    assert stale.status_code == 400


def test_patch_accepts_version_in_query(api: TestClient) -> None:
    created = api.post("businesspartners", json=sample_partner()).json()
    response = api.patch(
        f"businesspartners/{created['id']}",
        params={"version": created["version"]},
        json={"paymentInfo": {"paymentTermDays": "30"}},
    )
    assert response.status_code == 200
    assert response.json()["paymentInfo"] == {
        "paymentMethod": "BANK_TRANSFER",
        "currency": "EUR",
        "paymentTermDays": "30",
    }


def test_batch_get_rules(api: TestClient) -> None:
    first = api.post("businesspartners", json=sample_partner()).json()["id"]
    existing = api.get("businesspartners", params={"customerNumber": "29999"}).json()
    old = existing["results"][0]["id"]
    many = api.get(f"businesspartners/{first},{old},{first},99999").json()
    assert [p["id"] for p in many] == sorted([first, old])
    single_in_list = api.get(f"businesspartners/{first},99999").json()
    assert isinstance(single_in_list, list)
    assert api.get("businesspartners/99998,99999").status_code == 404
    too_many = ",".join(str(i) for i in range(201))
    response = api.get(f"businesspartners/{too_many}")
    assert response.status_code == 400
    assert error_pairs(response)


def test_paging_with_previous_id(api: TestClient) -> None:
    ids = [
        api.post("businesspartners", json=sample_partner(name=f"P{i}")).json()["id"]
        for i in range(5)
    ]
    seen: list[int] = []
    previous = 0
    while True:
        page = api.get(
            "businesspartners", params={"previousId": previous, "orderById": "ASC", "size": 2}
        ).json()
        seen.extend(p["id"] for p in page["results"])
        if len(page["results"]) < 2:
            break
        previous = page["results"][-1]["id"]
    assert seen == sorted(seen)
    assert set(ids) <= set(seen)
    assert len(seen) == 6


def _deactivate(api: TestClient, partner: dict[str, Any]) -> dict[str, Any]:
    body = {**partner, "registryInfo": {**partner["registryInfo"], "active": False}}
    response = api.put(f"businesspartners/{partner['id']}", json=body)
    assert response.status_code == 200
    updated: dict[str, Any] = response.json()
    return updated


def test_search_returns_active_partners_unless_asked_for_inactive(api: TestClient) -> None:
    created = api.post("businesspartners", json=sample_partner()).json()
    _deactivate(api, created)
    by_number = {"customerNumber": "30001"}
    assert api.get("businesspartners", params=by_number).json()["results"] == []
    inactive = api.get("businesspartners", params={**by_number, "active": "false"}).json()
    assert [p["id"] for p in inactive["results"]] == [created["id"]]
    assert inactive["results"][0]["registryInfo"] == {"active": False}
    everyone_active = api.get("businesspartners", params={"active": "true"}).json()
    assert created["id"] not in [p["id"] for p in everyone_active["results"]]


def test_inactive_partner_still_holds_its_customer_number(api: TestClient) -> None:
    created = api.post("businesspartners", json=sample_partner()).json()
    _deactivate(api, created)
    other = sample_partner(name="Toinen Oy")
    other["invoicingInfo"] = {"customerNumber": "30001", "identifier": "2999999-7"}
    response = api.post("businesspartners", json=other)
    assert response.status_code == 400
    assert error_pairs(response)[0][0] == "invoicingInfo.customerNumber"


def test_put_with_active_true_reactivates(api: TestClient) -> None:
    created = api.post("businesspartners", json=sample_partner()).json()
    inactive = _deactivate(api, created)
    again = {**inactive, "registryInfo": {"active": True}}
    response = api.put(f"businesspartners/{created['id']}", json=again)
    assert response.json()["registryInfo"]["active"] is True
    found = api.get("businesspartners", params={"customerNumber": "30001"}).json()["results"]
    assert [p["id"] for p in found] == [created["id"]]


def test_registry_info_follows_the_table(api: TestClient) -> None:
    body = sample_partner(registryInfo={"active": True, "phone": "0" * 41})
    response = api.post("businesspartners", json=body)
    assert error_pairs(response) == [
        ("registryInfo.phone", "Value of 'registryInfo.phone' is too long (max 40 characters)")
    ]
    body["registryInfo"] = {"active": True, "phone": "+358 40 123", "vip": True}
    unknown = api.post("businesspartners", json=body)
    assert error_pairs(unknown) == [
        ("registryInfo.vip", "Unknown field 'vip': RegistryInfo has no such field")
    ]


def test_search_hits_have_the_basic_info_shape(api: TestClient) -> None:
    api.post("businesspartners", json=sample_partner(billingAddress={"name": "Laskutus"}))
    hit = api.get("businesspartners", params={"customerNumber": "30001"}).json()["results"][0]
    assert set(hit) == {
        "id", "name", "type", "billingAddress", "invoicingInfo", "registryInfo", "version"
    }  # fmt: skip
    assert hit["invoicingInfo"] == {"customerNumber": "30001", "identifier": "3000000-1"}
