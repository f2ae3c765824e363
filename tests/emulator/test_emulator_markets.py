"""A company of each Procountor market: what it answers about itself and what it refuses.

The Swedish, Norwegian and Danish demo companies (``market_seed``) answer their country,
currency, business identifier, VAT and bank accounts; they refuse the fields valid only in
Finnish environments and reference types of other countries, check OCR, KID and FIK check
digits, and accept only their own VAT rates. The Finnish demo company is unchanged.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError
from stdnum import luhn

from procountor_export.emulator import Seed, load_seed, market_seed
from procountor_export.emulator.testing import (
    api_client,
    emulator_app,
    error_pairs,
    sample_invoice,
    sample_partner,
)

CODE = "paymentInfo.bankReferenceCode"
TYPE = "paymentInfo.bankReferenceCodeType"
# The API's fields "valid only in Finnish environments" (procountor-api.md §7.15), spelled out
# here rather than imported: the test states what the API says, not what the code holds.
FINNISH_ONLY = (
    "orderNumber", "agreementNumber", "accountingCode", "deliverySite", "tenderReference",
    "buyerReferenceIdentifier", "sellerReferenceIdentifier",
)  # fmt: skip
MARKETS = {
    # market: (country, currency, brnType, business id, sales VAT rates, IBAN)
    "fi": ("FINLAND", "EUR", "FI", "1234567-8", {"25.5", "14", "13.5", "10", "0"},
           "FI2112345600000785"),
    "se": ("SWEDEN", "SEK", "SE", "556036-0793", {"25", "12", "6", "0"},
           "SE4550000000058398257466"),
    "no": ("NORWAY", "NOK", "NO", "923609016", {"25", "15", "12", "0"}, "NO9386011117947"),
    "dk": ("DENMARK", "DKK", "DK", "13585628", {"25", "0"}, "DK5000400440116243"),
}  # fmt: skip
BUYERS = {
    "se": {"name": "Kund AB", "street": "Storgatan 2", "zip": "111 22", "city": "Stockholm",
           "country": "SWEDEN"},
    "no": {"name": "Kunde AS", "street": "Storgata 2", "zip": "0155", "city": "Oslo",
           "country": "NORWAY"},
    "dk": {"name": "Kunde ApS", "street": "Vestergade 2", "zip": "1456", "city": "København",
           "country": "DENMARK"},
}  # fmt: skip


@pytest.fixture
def market_api(request: pytest.FixtureRequest) -> Iterator[TestClient]:
    """A client of the demo company of the market named by the test's parameter."""
    with api_client(emulator_app(market_seed(request.param))) as client:
        yield client


def _client(market: str) -> Any:
    return api_client(emulator_app(market_seed(market)))


def market_invoice(market: str, **changes: Any) -> dict[str, Any]:
    """A valid invoice of the market's demo company to a buyer in its country, at 25 % VAT."""
    _, currency, _, _, _, iban = MARKETS[market]
    body = sample_invoice(**changes)
    body["counterParty"].pop("identifier")
    body["counterParty"]["counterPartyAddress"] = dict(BUYERS[market])
    payment = body["paymentInfo"]
    payment["currency"] = currency
    payment["bankAccount"] = {"accountNumber": iban}
    for row in body["invoiceRows"]:
        row["vatPercent"] = 25
    body["language"] = "ENGLISH"
    return body


def _with_reference(body: dict[str, Any], code: str, kind: str | None) -> dict[str, Any]:
    body["paymentInfo"]["bankReferenceCode"] = code
    if kind is not None:
        body["paymentInfo"]["bankReferenceCodeType"] = kind
    return body


def _created(api: TestClient, body: dict[str, Any]) -> dict[str, Any]:
    response = api.post("invoices", json=body)
    assert response.status_code == 200, response.text
    created: dict[str, Any] = response.json()
    return created


# -- what the company answers about itself -------------------------------------------------


@pytest.mark.parametrize("market_api", list(MARKETS), indirect=True)
def test_the_company_answers_its_market(market_api: TestClient) -> None:
    company = market_api.get("company").json()
    market = next(m for m, facts in MARKETS.items() if facts[0] == company["country"])
    country, currency, brn_type, business_id, rates, iban = MARKETS[market]
    assert company["companyCurrency"] == currency
    assert company["businessIdentifier"] == {"brnType": brn_type, "code": business_id}
    assert market_api.get("sessioninfo").json()["country"] == country
    assert market_api.get("currencies/company").json() == {"companyCurrency": currency}
    vat = market_api.get("vats/default").json()
    sales = {
        format(Decimal(str(p["vatPercent"])).normalize(), "f")
        for p in vat["vatInformation"][0]["percentages"]
        if p["sales"]
    }
    assert sales == rates
    code = {"FINLAND": "FI", "SWEDEN": "SE", "NORWAY": "NO", "DENMARK": "DK"}[country]
    assert market_api.get("vats/country", params={"countryCode": code}).status_code == 200
    other = "SE" if code == "FI" else "FI"
    assert market_api.get("vats/country", params={"countryCode": other}).status_code == 400
    accounts = market_api.get("bankaccounts").json()["results"]
    assert [a["iban"] for a in accounts] == [iban]


def test_swedish_and_danish_accounts_carry_their_aliases() -> None:
    with _client("se") as api:
        account = api.get("bankaccounts").json()["results"][0]
        assert account["associatedAccounts"] == [
            {"accountNumber": "5050-1055", "type": "BANKGIRO"},
            {"accountNumber": "4711-8", "type": "PLUSGIRO"},
        ]
        assert api.get(f"bankaccounts/{account['id']}").json()["associatedAccounts"]
    with _client("dk") as api:
        account = api.get("bankaccounts").json()["results"][0]
        assert account["associatedAccounts"] == [{"accountNumber": "87654321", "type": "KREDITOR"}]
    for market in ("fi", "no"):
        with _client(market) as api:
            assert "associatedAccounts" not in api.get("bankaccounts").json()["results"][0]


# -- Finnish-only fields -------------------------------------------------------------------


@pytest.mark.parametrize("field", FINNISH_ONLY)
def test_a_swedish_company_refuses_each_finnish_only_invoice_field(field: str) -> None:
    with _client("se") as api:
        response = api.post("invoices", json=market_invoice("se", **{field: "X-1"}))
        assert response.status_code == 400
        assert error_pairs(response) == [
            (field, f"'{field}' is valid only in Finnish environments")
        ]
        assert api.get("invoices").json()["results"] == []


@pytest.mark.parametrize("market", ["no", "dk"])
def test_every_non_finnish_company_refuses_them_even_empty(market: str) -> None:
    with _client(market) as api:
        response = api.post("invoices", json=market_invoice(market, orderNumber=""))
        assert error_pairs(response) == [
            ("orderNumber", "'orderNumber' is valid only in Finnish environments")
        ]


def test_a_finnish_company_takes_the_finnish_only_fields() -> None:
    with _client("fi") as api:
        body = sample_invoice(**dict.fromkeys(FINNISH_ONLY, "X-1"))
        created = _created(api, body)
        assert all(created[field] == "X-1" for field in FINNISH_ONLY)


@pytest.mark.parametrize("field", FINNISH_ONLY)
def test_a_swedish_company_refuses_them_on_a_partner(field: str) -> None:
    partner = sample_partner()
    partner["address"] = dict(BUYERS["se"])
    partner["invoicingInfo"] = {"customerNumber": "30001", field: "X-1"}
    path = f"invoicingInfo.{field}"
    with _client("se") as api:
        response = api.post("businesspartners", json=partner)
        assert response.status_code == 400
        assert error_pairs(response) == [(path, f"'{path}' is valid only in Finnish environments")]
    with _client("fi") as api:
        assert api.post("businesspartners", json=partner).status_code == 200


def _einvoice(market: str, buyer: dict[str, Any], einvoice: dict[str, Any]) -> dict[str, Any]:
    body = market_invoice(market, invoiceChannel="ELECTRONIC_INVOICE")
    body["counterParty"]["counterPartyAddress"] = buyer
    body["counterParty"]["einvoiceAddress"] = einvoice
    body["billingAddress"] = buyer
    return body


def test_the_einvoice_operator_is_required_only_in_a_finnish_company() -> None:
    finnish_buyer = {"name": "Ostaja Oy", "street": "Katu 1", "zip": "00100",
                     "city": "Helsinki", "country": "FINLAND"}  # fmt: skip
    address = {"address": "003712345671"}
    with _client("se") as api:
        for buyer in (BUYERS["se"], finnish_buyer):
            _created(api, _einvoice("se", buyer, address))
    with _client("fi") as api:
        body = sample_invoice(invoiceChannel="ELECTRONIC_INVOICE", billingAddress=finnish_buyer)
        body["counterParty"]["counterPartyAddress"] = finnish_buyer
        body["counterParty"]["einvoiceAddress"] = address
        assert error_pairs(api.post("invoices", json=body)) == [
            (
                "counterParty.einvoiceAddress.operator",
                "Value of the 'counterParty.einvoiceAddress.operator' cannot be blank.",
            )
        ]


# -- references ----------------------------------------------------------------------------


def test_a_swedish_company_makes_and_checks_ocr_references() -> None:
    with _client("se") as api:
        made = _created(api, market_invoice("se"))["paymentInfo"]
        assert made["bankReferenceCodeType"] == "OCR"
        assert luhn.is_valid(made["bankReferenceCode"])
        given = _created(api, _with_reference(market_invoice("se"), "1234567897", "OCR"))
        assert given["paymentInfo"]["bankReferenceCode"] == "1234567897"
        # Without a type a reference is the country's own: OCR.
        untyped = _created(api, _with_reference(market_invoice("se"), "12345674", None))
        assert untyped["paymentInfo"]["bankReferenceCodeType"] == "OCR"
        wrong = api.post(
            "invoices", json=_with_reference(market_invoice("se"), "1234567890", "OCR")
        )
        assert error_pairs(wrong) == [(CODE, "Invalid bank reference code '1234567890'")]
        finnish = api.post("invoices", json=_with_reference(market_invoice("se"), "1232", "FI"))
        assert error_pairs(finnish) == [(TYPE, "Reference type FI is not allowed in Sweden")]
        # RF is allowed everywhere.
        _created(api, _with_reference(market_invoice("se"), "RF18539007547034", "RF"))
        assert len(api.get("invoices").json()["results"]) == 4


@pytest.mark.parametrize(
    ("code", "accepted"),
    [
        ("12345674", True),  # mod 10 (Luhn)
        ("123456785", True),  # mod 11
        ("12345678", False),  # neither
    ],
)
def test_a_norwegian_company_checks_kid(code: str, accepted: bool) -> None:
    with _client("no") as api:
        response = api.post("invoices", json=_with_reference(market_invoice("no"), code, "KID"))
        if accepted:
            assert response.status_code == 200, response.text
            assert response.json()["paymentInfo"]["bankReferenceCodeType"] == "KID"
        else:
            assert error_pairs(response) == [(CODE, f"Invalid bank reference code '{code}'")]
        ocr = api.post("invoices", json=_with_reference(market_invoice("no"), "12345674", "OCR"))
        assert error_pairs(ocr) == [(TYPE, "Reference type OCR is not allowed in Norway")]


def test_a_danish_company_checks_fik() -> None:
    with _client("dk") as api:
        made = _created(api, market_invoice("dk"))["paymentInfo"]
        assert made["bankReferenceCodeType"] == "FIK71"
        assert luhn.is_valid(made["bankReferenceCode"])
        _created(api, _with_reference(market_invoice("dk"), "12345674", "FIK71"))
        wrong = api.post(
            "invoices", json=_with_reference(market_invoice("dk"), "12345675", "FIK71")
        )
        assert error_pairs(wrong) == [(CODE, "Invalid bank reference code '12345675'")]
        kid = api.post("invoices", json=_with_reference(market_invoice("dk"), "12345674", "KID"))
        assert error_pairs(kid) == [(TYPE, "Reference type KID is not allowed in Denmark")]


# -- VAT and currency ----------------------------------------------------------------------


def _at_six_percent(body: dict[str, Any]) -> dict[str, Any]:
    for row in body["invoiceRows"]:
        row["vatPercent"] = 6
    return body


def test_six_percent_vat_is_swedish() -> None:
    with _client("se") as api:
        created = _created(api, _at_six_percent(market_invoice("se")))
        sums = created["invoiceSumInfo"][0]
        assert (sums["currency"], Decimal(str(sums["vatSumTotal"]))) == ("SEK", Decimal("45.30"))
    with _client("fi") as api:
        response = api.post("invoices", json=_at_six_percent(sample_invoice()))
        assert error_pairs(response) == [
            ("invoiceRows[0].vatPercent", "VAT percentage 6 is not in use for sales")
        ]


def test_finnish_rates_are_refused_elsewhere() -> None:
    with _client("no") as api:
        body = market_invoice("no")
        body["invoiceRows"][0]["vatPercent"] = 25.5
        assert error_pairs(api.post("invoices", json=body)) == [
            ("invoiceRows[0].vatPercent", "VAT percentage 25.5 is not in use for sales")
        ]
        # Norway is outside the EU: no EU sales status.
        body = market_invoice("no", vatStatus=6)
        for row in body["invoiceRows"]:
            row.update(vatPercent=0, vatStatus=6)
        assert ("vatStatus", "VAT status 6 is not enabled for sales") in error_pairs(
            api.post("invoices", json=body)
        )


def test_the_company_currency_is_the_markets() -> None:
    with _client("se") as api:
        body = market_invoice("se")
        body["paymentInfo"]["currencyRate"] = 1.1
        assert error_pairs(api.post("invoices", json=body)) == [
            ("paymentInfo.currencyRate", "Currency rate must be 1 for the company currency")
        ]
        body = market_invoice("se")
        body["paymentInfo"].update(currency="EUR", currencyRate=0.0893)
        sums = _created(api, body)["invoiceSumInfo"]
        assert [(s["currency"], s["inAccountingCurrency"]) for s in sums] == [
            ("EUR", False),
            ("SEK", True),
        ]


# -- starting a company of a market --------------------------------------------------------


@pytest.mark.parametrize("market", ["SE", "no", "dk", "fi"])
def test_a_seed_file_names_a_market(tmp_path: Path, market: str) -> None:
    path = tmp_path / "seed.json"
    path.write_text(json.dumps({"market": market}), encoding="utf-8")
    with api_client(emulator_app(load_seed(path))) as api:
        assert api.get("company").json()["country"] == MARKETS[market.lower()][0]


def test_an_unknown_market_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "seed.json"
    path.write_text(json.dumps({"market": "de"}), encoding="utf-8")
    with pytest.raises(ValueError, match="unknown market 'de'"):
        load_seed(path)


def test_a_seed_keeps_aliases_and_countries_to_the_markets() -> None:
    company = market_seed("fi").companies[0].model_dump(mode="json", by_alias=True)
    company["bankAccounts"][0]["associatedAccounts"] = [
        {"accountNumber": "5050-1055", "type": "BANKGIRO"}
    ]
    seed = market_seed("fi").model_dump(mode="json", by_alias=True)
    seed["companies"] = [company]
    with pytest.raises(ValidationError, match="no BANKGIRO accounts"):
        Seed.model_validate(seed)
    company["bankAccounts"][0]["associatedAccounts"] = []
    company["company"]["country"] = "GERMANY"
    with pytest.raises(ValidationError, match="not a Procountor market"):
        Seed.model_validate(seed)
