"""Identifiers are refused before sending, by name, with the reason (no HTTP involved)."""

from __future__ import annotations

import pytest
from factories import EXPORT, OFFICE, customer, invoice, snapshot  # type: ignore[import-not-found]

from procountor_export.export.messages import Messages
from procountor_export.export.planning.checks import check_invoice
from procountor_export.export.planning.identifiers import (
    business_id_problem,
    einvoice_address_problem,
    vat_number_problem,
)
from procountor_export.export.reading.data import AddressData, OfficeData

OPTER = Messages("Opter")


def problems(office: OfficeData = OFFICE, **changes: object) -> dict[str, tuple[str, str | None]]:
    found = check_invoice(invoice(customer=customer(**changes)), EXPORT, snapshot(), office)
    return {p.code: (OPTER.message(p), p.field) for p in found}


def test_a_business_id_with_a_wrong_check_digit_is_named() -> None:
    found = problems(corporate_id="7654321-0")
    assert found["BUSINESS_ID_INVALID"] == (
        "The business ID 7654321-0 of customer Acme Oy (customer code: ACME) is not valid: "
        "the number's checksum or check digit is invalid",
        "customer.corporate_id",
    )


def test_a_foreign_companys_identifier_is_not_judged_as_a_finnish_one() -> None:
    address = AddressData(name="Nordkapp AS", street="Havnegata 9", city="Tromsø", country="NO")
    assert "BUSINESS_ID_INVALID" not in problems(corporate_id="923456783", address=address)


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("FI76543212", True),
        ("FI76543210", False),
        ("SE556677889901", True),
        ("DE123456789", False),
        ("NO923456783MVA", True),
    ],
)
def test_eu_vat_numbers_are_checked_and_others_left_alone(value: str, valid: bool) -> None:
    assert (vat_number_problem(value) is None) is valid
    assert ("VAT_NUMBER_INVALID" in problems(vat_number=value)) is not valid


def test_an_email_channel_customer_needs_an_email_address_that_parses() -> None:
    found = problems(invoice_channel="email", email="laskut(at)acme.example")
    assert found["EMAIL_INVALID"] == (
        "The e-mail address laskut(at)acme.example of customer Acme Oy (customer code: ACME) "
        "is not a valid e-mail address",
        "customer.email",
    )
    assert "EMAIL_INVALID" not in problems(invoice_channel="email", email="laskut@acme.example")
    # Another channel does not send to the address, so it is not held against the invoice.
    assert "EMAIL_INVALID" not in problems(invoice_channel="mail", email="not an address")


@pytest.mark.parametrize(
    ("address", "valid"),
    [
        ("003776543212", True),  # 0037 + the business ID's digits
        ("003776543212ABC", True),  # with a suffix
        ("003776543210", False),  # wrong check digit inside
        ("0037765432", False),  # too short
        ("003776543212TOOLONG", False),  # suffix over 5
        ("FI2112345600000785", True),  # IBAN form
        ("FI2112345600000786", False),
        ("NDEAFIHH", False),  # an operator code, not an address
    ],
)
def test_e_invoice_addresses(address: str, valid: bool) -> None:
    assert (einvoice_address_problem(address) is None) is valid
    found = problems(ovt=address)
    assert ("EINVOICE_ADDRESS_INVALID" in found) is not valid


def test_the_office_iban_and_bic_are_checked() -> None:
    office = OfficeData(
        name="Kuljetus Oy", currency="EUR", bank_account="FI2112345600000786", bic="NDEAXXHH"
    )
    found = problems(office=office)
    assert found["OFFICE_BANK_INVALID"][1] in {"office.bank_account", "office.bic"}
    codes = [
        p.field
        for p in check_invoice(invoice(), EXPORT, snapshot(), office)
        if p.code == "OFFICE_BANK_INVALID"
    ]
    assert codes == ["office.bank_account", "office.bic"]


def test_every_address_carries_a_country() -> None:
    bare = AddressData(name="Acme Oy", street="Tehtaankatu 5", zip="33100", city="Tampere")
    found = problems(address=bare, invoice_channel="none", corporate_id=None)
    assert found["COUNTRY_MISSING"] == (
        "The address of customer Acme Oy (customer code: ACME) has no country",
        "customer.address.country",
    )


def test_business_id_problem_accepts_valid_ones() -> None:
    assert business_id_problem("2999999-7") is None
    assert business_id_problem("2999999-9") is not None
