"""Company master data: envelopes and shapes of the read endpoints, dimension items."""

from __future__ import annotations

from fastapi.testclient import TestClient

from procountor_export.emulator.testing import error_pairs


def test_session_and_company(api: TestClient) -> None:
    session = api.get("sessioninfo").json()
    assert session["companyId"] == 101
    company = api.get("company").json()
    assert company["businessIdentifier"]["code"] == "1234567-8"
    assert company["companyCurrency"] == "EUR"
    assert company["country"] == "FINLAND"


def test_user_rights_cover_the_article(api: TestClient) -> None:
    rights = api.get("users/rights").json()["rights"]
    assert rights["sales"]["customerRegister"] == "ALL_RIGHTS"
    assert rights["accounting"]["journalReceipts"] == "ALL_RIGHTS"


def test_chart_of_accounts_envelope(api: TestClient) -> None:
    accounts = api.get("coa").json()["ledgerAccounts"]
    codes = {account["ledgerAccountCode"] for account in accounts}
    assert {"1700", "3000", "3010", "3020", "3030", "3300", "3310", "3400"} <= codes
    assert all(account["active"] for account in accounts)


def test_dimensions_are_a_bare_array(api: TestClient) -> None:
    dimensions = api.get("dimensions").json()
    assert isinstance(dimensions, list)
    by_name = {d["name"]: {i["codeName"] for i in d["items"]} for d in dimensions}
    assert by_name == {"Department": {"HEL", "TKU", "TRE"}, "Vehicle group": {"TRUCK", "VAN"}}
    assert "Project" not in by_name


def test_dimension_filter_by_name(api: TestClient) -> None:
    assert [d["name"] for d in api.get("dimensions", params={"name": "vehic"}).json()] == [
        "Vehicle group"
    ]


def test_new_dimension_item(api: TestClient) -> None:
    department = next(d for d in api.get("dimensions").json() if d["name"] == "Department")
    response = api.post(
        f"dimensions/{department['id']}/items", json={"codeName": "OUL", "description": "Oulu"}
    )
    assert response.status_code == 200
    item = response.json()
    assert item["codeName"] == "OUL"
    again = api.get(f"dimensions/{department['id']}").json()
    assert item in again["items"]


def test_duplicate_dimension_item_is_rejected(api: TestClient) -> None:
    department = api.get("dimensions").json()[0]
    response = api.post(f"dimensions/{department['id']}/items", json={"codeName": "HEL"})
    assert response.status_code == 400
    assert error_pairs(response)[0][0] == "codeName"


def test_dimension_item_needs_a_code(api: TestClient) -> None:
    response = api.post("dimensions/1/items", json={"description": "no code"})
    assert response.status_code == 400
    assert error_pairs(response) == [("codeName", "Value of the 'codeName' cannot be blank.")]


def test_dimensions_cannot_be_created(api: TestClient) -> None:
    response = api.post("dimensions", json={"name": "Project"})
    assert response.status_code == 405
    assert error_pairs(response)


def test_items_of_unknown_dimension_are_404(api: TestClient) -> None:
    assert api.post("dimensions/999/items", json={"codeName": "X"}).status_code == 404


def test_fiscal_years_newest_first_with_periods(api: TestClient) -> None:
    years = api.get("fiscalyears").json()["fiscalYears"]
    assert [y["startDate"][:4] for y in years] == ["2027", "2026", "2025", "2024"]
    year_2025 = years[2]
    assert year_2025["isOpen"] is True
    assert len(year_2025["trackingPeriods"]) == 12
    statuses = {p["startDate"][:7]: p["status"] for p in year_2025["trackingPeriods"]}
    assert statuses["2025-01"] == "CLOSED"
    assert statuses["2025-02"] == "OPEN"
    assert years[3]["isOpen"] is False


def test_tracking_period_can_only_go_pending(api: TestClient) -> None:
    year = api.get("fiscalyears").json()["fiscalYears"][1]
    period = year["trackingPeriods"][5]
    path = f"fiscalyears/{year['id']}/trackingPeriods/{period['id']}"
    assert api.put(path, json={}).json() == {
        "message": "Fiscal period was successfully marked as pending."
    }
    again = api.get("fiscalyears").json()["fiscalYears"][1]["trackingPeriods"][5]
    assert again["status"] == "PENDING"
    assert api.put(path, json={}).status_code == 409


def test_vat_defaults(api: TestClient) -> None:
    vats = api.get("vats/default").json()
    percentages = {p["vatPercent"] for p in vats["vatInformation"][0]["percentages"]}
    assert percentages == {25.5, 14, 13.5, 10, 0}
    statuses = {s["vatStatus"]: s["sales"] for s in vats["vatStatuses"]}
    assert statuses == {1: True, 2: False, 3: True, 5: True, 6: True, 12: True}


def test_currencies(api: TestClient) -> None:
    assert api.get("currencies/company").json() == {"companyCurrency": "EUR"}
    query = {
        "baseCurrency": "EUR",
        "currency": "SEK",
        "day": "2026-02-02",
        "rateType": "PROCOUNTOR_ACCOUNTING_EXCHANGE_RATE",
    }
    rate = api.get("currencies/exchangerate", params=query).json()
    assert rate == {"currency": "SEK", "day": "2026-02-02", "queryDay": "2026-02-02", "rate": 11.2}
    assert (
        api.get("currencies/exchangerate", params={**query, "currency": "JPY"}).status_code == 404
    )
    missing = api.get("currencies/exchangerate", params={"currency": "SEK"})
    assert {field for field, _ in error_pairs(missing)} == {"baseCurrency", "day", "rateType"}
    codes = api.get("currencies").json()["currencies"]
    assert {"EUR", "SEK", "USD"} <= set(codes)
    assert all(isinstance(code, str) for code in codes)
    latest = api.get("currencies/latest").json()
    assert latest["baseCurrency"] == "EUR"
    assert {"currencyCode": "SEK", "currencyRate": 11.2} in latest["rates"]


def test_bank_accounts_paged(api: TestClient) -> None:
    page = api.get("bankaccounts").json()
    assert page["meta"]["totalCount"] == 1
    account = page["results"][0]
    assert account["iban"] == "FI2112345600000785"
    assert account["defaultForInvoice"] is True
    assert account["status"] == "ACTIVE"


def test_bank_account_put_needs_version(api: TestClient) -> None:
    account = api.get("bankaccounts/1").json()
    assert api.put("bankaccounts/1", json={**account, "version": None}).status_code == 400
    updated = api.put("bankaccounts/1", json={**account, "bankName": "Nordea Oyj"})
    assert updated.status_code == 200
    assert updated.json()["bankName"] == "Nordea Oyj"
    assert updated.json()["version"] != account["version"]
    stale = api.put("bankaccounts/1", json={**account, "bankName": "Y"})
    assert stale.status_code == 400


def test_bank_account_put_replaces_the_whole_account(api: TestClient) -> None:
    account = api.get("bankaccounts/1").json()
    response = api.put("bankaccounts/1", json={"bankName": "X", "version": account["version"]})
    assert response.status_code == 400
    assert ("ledgerAccount", "Value of the 'ledgerAccount' cannot be blank.") in error_pairs(
        response
    )


def test_company_settings_templates_and_terms(api: TestClient) -> None:
    assert api.get("company/usagesettings").json()["defaultInvoiceChannel"] == "NO_SENDING"
    templates = api.get("company/invoicetemplates").json()
    assert templates == [{"id": 1, "name": "Default"}]
    assert api.get("company/deliveryterms").json() == {"deliveryTerms": []}
