"""A company's market decides what is checked and sent (pure): the references of Sweden, Norway
and Denmark with their check digits, identifiers by country, the fields of a Finnish company
only, and the VAT rates the company has."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from factories import (  # type: ignore[import-not-found]
    EXPORT,
    OFFICE,
    customer,
    invoice,
    posting,
    snapshot,
)

from procountor_export.export.messages import Messages
from procountor_export.export.planning import markets, payloads, references
from procountor_export.export.planning.checks import check_invoice
from procountor_export.export.planning.plan import plan_invoice
from procountor_export.export.reading.cache import CompanyCache
from procountor_export.export.reading.data import (
    AddressData,
    ExportConfig,
    InvoiceData,
    OfficeData,
)

OPTER = Messages("Opter")
SWEDISH_OFFICE = OfficeData(
    name="Transport Demo AB",
    currency="SEK",
    bank_account="SE45 5000 0000 0583 9825 7466",
    business_id="556036-0793",
)
SWEDISH_VAT = frozenset({Decimal(25), Decimal(12), Decimal(6), Decimal(0)})
SWEDISH_EXPORT = ExportConfig(
    id=1, name="Procountor (API)", tax_codes={"MOMS25": "vat_1", "MOMS12": "vat_1"}
)


def swedish(**changes: object) -> CompanyCache:
    values: dict[str, object] = {
        "company_currency": "SEK",
        "company_country": "SWEDEN",
        "currencies": frozenset({"SEK", "EUR"}),
        "vat_percents": SWEDISH_VAT,
        "bank_accounts": frozenset({"SE4550000000058398257466"}),
    }
    values.update(changes)
    return snapshot(**values)


def swedish_customer(**changes: object) -> object:
    values: dict[str, object] = {
        "name": "Gamla Kunden AB",
        "address": AddressData(
            name="Gamla Kunden AB", street="Storgatan 1", zip="111 22", city="Stockholm",
            country="SE",
        ),
        "corporate_id": "212000-0142",
        "language": "sv",
    }  # fmt: skip
    values.update(changes)
    return customer(**values)


def swedish_invoice(**changes: object) -> InvoiceData:
    values: dict[str, object] = {
        "currency": "SEK",
        "customer": swedish_customer(),
    }
    values.update(changes)
    rate = Decimal(25)
    line = posting(vat_code="MOMS25", vat_rate=rate, net=Decimal(400), vat=Decimal(100))
    return invoice(line, **values)


def problems(
    inv: InvoiceData, cache: CompanyCache | None = None, office: OfficeData = SWEDISH_OFFICE
) -> list[tuple[str, str | None, str]]:
    found = check_invoice(inv, SWEDISH_EXPORT, cache or swedish(), office)
    return [(p.code, p.field, OPTER.text(p)) for p in found]


def test_the_country_decides_the_market_and_the_currency_only_without_one() -> None:
    assert markets.market_of("SWEDEN", "EUR") == "SE"
    assert markets.market_of("DENMARK") == "DK"
    assert markets.market_of(None, "NOK") == "NO"
    assert markets.market_of(None, None) == "FI"
    assert swedish().market == "SE"
    assert snapshot(company_currency="DKK").market == "DK"
    assert snapshot().market == "FI"


@pytest.mark.parametrize(
    ("market", "given", "code", "kind"),
    [
        ("SE", "1234 5678 903", "12345678903", "OCR"),
        ("SE", "RF18 5390 0754 7034", "RF18539007547034", "RF"),
        ("NO", "23456788", "23456788", "KID"),  # mod 11
        ("NO", "23456783", "23456783", "KID"),  # mod 10
        ("NO", "100008-", "100008-", "KID"),  # mod 11 remainder 10
        ("DK", "123456789012347", "123456789012347", "FIK71"),
        ("DK", "RF18 5390 0754 7034", "RF18539007547034", "RF"),
    ],
)
def test_the_references_of_each_market_with_their_type(
    market: str, given: str, code: str, kind: str
) -> None:
    assert references.parse(given, references.market_for(market)) == (
        references.PaymentReference(code, kind)
    )
    assert references.code_to_send(given, market) == code
    assert references.type_to_send(given, market) == kind


@pytest.mark.parametrize(
    ("market", "given", "reason"),
    [
        ("SE", "12345678904", "the check digit (the last digit) should be 3, not 4"),
        ("SE", "1", "an OCR number has 2 to 25 digits, not 1"),
        ("NO", "23456785", "the check digit (the last character) should be 3 (mod 10) or 8"),
        ("DK", "123456789012348", "the check digit (the last digit) should be 7, not 8"),
        ("DK", "12347", "a FIK payment id (+71) has 15 digits, not 5"),
        ("SE", "RF19 5390 0754 7034", "not an RF creditor reference (ISO 11649): "),
    ],
)
def test_a_wrong_reference_says_why(market: str, given: str, reason: str) -> None:
    with pytest.raises(references.InvalidReference) as caught:
        references.parse(given, references.market_for(market))
    assert str(caught.value).startswith(reason)


def test_a_wrong_ocr_check_digit_stops_the_invoice_naming_invoice_field_and_value() -> None:
    assert problems(swedish_invoice(reference="1234 5678 903")) == []
    ((code, field, text),) = problems(swedish_invoice(reference="1234 5678 904"))
    assert (code, field) == ("MARKET_REFERENCE_INVALID", "reference")
    assert text == (
        "The payment reference 1234 5678 904 of invoice 250001 is not a valid OCR number or RF "
        "creditor reference (the references of a company in Sweden): the check digit (the last "
        "digit) should be 3, not 4"
    )


def test_identifiers_are_checked_by_their_country() -> None:
    norwegian = customer(
        name="Nordkapp AS",
        code="NORKAP",
        address=AddressData(name="Nordkapp AS", city="Tromsø", country="NO"),
        corporate_id="923456783",
        invoice_channel="none",
    )
    assert problems(swedish_invoice(customer=norwegian)) == []
    wrong = swedish_invoice(customer=swedish_customer(corporate_id="212000-0143"))
    ((code, field, text),) = problems(wrong)
    assert (code, field) == ("ORGANISATION_NUMBER_INVALID", "customer.corporate_id")
    assert text.startswith(
        "The Swedish organisation number 212000-0143 of customer Gamla Kunden AB (customer "
        "code: ACME) is not valid: "
    )
    wrong_norwegian = swedish_invoice(customer=replace(norwegian, corporate_id="923456784"))
    assert [p[0] for p in problems(wrong_norwegian)] == ["ORGANISATION_NUMBER_INVALID"]
    assert "Norwegian organisation number 923456784" in problems(wrong_norwegian)[0][2]
    # A Finnish customer of a Swedish company: its business ID by the Finnish rule.
    finn = swedish_invoice(customer=customer(corporate_id="7654321-3", invoice_channel="none"))
    assert [p[0] for p in problems(finn)] == ["BUSINESS_ID_INVALID"]


def test_the_offices_business_id_is_checked_by_the_companys_market() -> None:
    office = OfficeData(name="Transport Demo AB", currency="SEK", business_id="556036-0794")
    ((code, field, text),) = problems(swedish_invoice(), office=office)
    assert (code, field) == ("OFFICE_ID_INVALID", "office.business_id")
    assert text.startswith(
        "The office's business ID 556036-0794 is not a valid Swedish organisation number: "
    )


def test_the_offices_vat_number_is_checked_outside_finland() -> None:
    office = OfficeData(
        name="Transport Demo AB",
        currency="SEK",
        business_id="556036-0793",
        vat_number="SE556036079401",
    )
    ((code, field, text),) = problems(swedish_invoice(), office=office)
    assert (code, field) == ("OFFICE_VAT_NUMBER_INVALID", "office.vat_number")
    assert text.startswith("The office's VAT number SE556036079401 is not valid: ")
    right = replace(office, vat_number="SE556036079301")
    assert problems(swedish_invoice(), office=right) == []


def test_a_vat_rate_the_company_does_not_have_is_refused_whatever_the_country() -> None:
    finnish_rate = posting(vat_code="MOMS25", vat_rate=Decimal("25.5"))
    found = problems(invoice(finnish_rate, currency="SEK", customer=swedish_customer()))
    assert [(code, field) for code, field, _ in found] == [
        ("VAT_PERCENT_NOT_ENABLED", "postings[0].vat_rate")
    ]
    swedish_rate = posting(vat_code="ALV25.5", vat_rate=Decimal(6))
    found = check_invoice(invoice(swedish_rate), EXPORT, snapshot(), OFFICE)
    assert [p.code for p in found] == ["VAT_PERCENT_NOT_ENABLED"]


def _bodies(inv: InvoiceData, cache: CompanyCache) -> tuple[dict[str, object], dict[str, object]]:
    plan = plan_invoice(inv, SWEDISH_EXPORT, cache, SWEDISH_OFFICE)
    assert plan.ready, plan.problems
    product_ids = {row.key.product_code: 1 for row in plan.rows}
    body = payloads.invoice(
        plan, partner_id=1, product_ids=product_ids, office=SWEDISH_OFFICE, source="Opter"
    ).to_wire()
    partner = payloads.partner(inv.customer, cache.company_currency, cache.market).to_wire()
    return body, partner


def test_a_swedish_company_gets_the_ocr_type_no_operator_and_typed_identifiers() -> None:
    einvoiced = swedish_customer(invoice_channel="e-invoice", ovt="SE4550000000058398257466")
    inv = swedish_invoice(reference="1234 5678 903", customer=einvoiced)
    body, partner = _bodies(inv, swedish())
    payment = body["paymentInfo"]
    assert isinstance(payment, dict)
    assert (payment["bankReferenceCode"], payment["bankReferenceCodeType"]) == (
        "12345678903",
        "OCR",
    )
    assert body["counterParty"]["einvoiceAddress"] == {  # type: ignore[index]
        "address": "SE4550000000058398257466"
    }
    info = partner["invoicingInfo"]
    assert isinstance(info, dict)
    assert (info["identifier"], info["identifierType"]) == ("212000-0142", "SE")
    assert "einvoiceOperator" not in info
    assert payloads.finnish_only_fields(body) == payloads.finnish_only_fields(partner) == []


def test_a_finnish_company_is_sent_what_it_always_was() -> None:
    plan = plan_invoice(invoice(reference="1232"), EXPORT, snapshot(), OFFICE)
    body = payloads.invoice(
        plan,
        partner_id=1,
        product_ids={row.key.product_code: 1 for row in plan.rows},
        office=OFFICE,
        source="Opter",
    ).to_wire()
    assert body["counterParty"]["einvoiceAddress"] == {  # type: ignore[index]
        "address": "003776543212",
        "operator": "NDEAFIHH",
    }
    assert body["paymentInfo"]["bankReferenceCodeType"] == "FI"  # type: ignore[index]
    info = payloads.partner(customer(), "EUR").to_wire()["invoicingInfo"]
    assert isinstance(info, dict)
    assert "identifierType" not in info
    assert info["einvoiceOperator"] == "NDEAFIHH"


def test_finnish_only_fields_are_found_anywhere_in_a_body() -> None:
    body = {"orderNumber": "1", "invoicingInfo": {"buyerReferenceIdentifier": ""}, "rows": [{}]}
    assert payloads.finnish_only_fields(body) == [
        "orderNumber",
        "invoicingInfo.buyerReferenceIdentifier",
    ]
