"""The import checks what the values mean, not only their shape (issue 20, item 6).

ISO codes from CLDR (Babel), each posting's VAT against its net and rate, the invoice date
against its period, negative totals only on credit notes; any of them rejects the whole
document.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import pytest
from sqlalchemy import select

from procountor_export.store import models as db
from procountor_export.store.db import Store
from procountor_export.tms import codes
from procountor_export.tms.checks import expected_vat
from procountor_export.tms.importer import import_document

if TYPE_CHECKING:
    from tests.tms.conftest import RowCounts


def errors(report: Any) -> list[str]:
    return [str(problem) for problem in report.errors]


def copy_of(invoice: dict[str, Any], **changes: Any) -> dict[str, Any]:
    copied: dict[str, Any] = json.loads(json.dumps(invoice))
    copied.update(changes)
    return copied


def negated(invoice: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """``invoice`` with every amount of its postings and totals negative."""
    copied = copy_of(invoice, **changes)
    for posting in copied["postings"]:
        posting.update(net="-" + posting["net"], vat="-" + posting["vat"])
    copied["totals"] = {key: "-" + value for key, value in copied["totals"].items()}
    return copied


# --- ISO codes -----------------------------------------------------------------------------------


def test_an_invoice_in_an_unknown_currency_is_refused(
    store: Store, example: dict[str, Any]
) -> None:
    example["invoices"][0]["currency"] = "ZZZ"
    example["invoices"].append(copy_of(example["invoices"][0], number="250002", currency="XXX"))
    report = import_document(store, example)
    assert errors(report) == [
        'invoices[0].currency: must be an ISO 4217 currency code, not "ZZZ"',
        'invoices[1].currency: must be an ISO 4217 currency code, not "XXX"',  # "no currency"
    ]


def test_a_withdrawn_currency_is_refused_on_a_later_invoice(
    store: Store, example: dict[str, Any]
) -> None:
    example["invoices"][0]["currency"] = "FIM"
    report = import_document(store, example)
    assert errors(report) == [
        'invoices[0].currency: "FIM" was not legal tender on 2025-03-31 (in use until 2002-02-28)'
    ]


def test_an_unknown_office_currency_does_not_replace_the_company_currency(
    store: Store, example: dict[str, Any], row_counts: RowCounts
) -> None:
    assert import_document(store, example).accepted
    before = row_counts(store)
    example["office"]["currency"] = "QQQ"
    report = import_document(store, example)
    assert errors(report) == ['office.currency: must be an ISO 4217 currency code, not "QQQ"']
    example["office"]["currency"] = "FIM"
    report = import_document(store, example)
    assert errors(report) == [
        'office.currency: "FIM" is no longer legal tender (in use until 2002-02-28): give the '
        "company's currency (the currency of its books)"
    ]
    assert row_counts(store) == before
    with store.session() as session:
        assert session.scalars(select(db.Office.currency)).one() == "EUR"


def test_every_address_needs_a_known_country(store: Store, example: dict[str, Any]) -> None:
    example["office"]["address"]["country"] = "XX"
    customer = example["customers"][0]
    customer["address"]["country"] = "EU"  # a grouping of CLDR, not a country
    customer["invoice_address"] = {"name": "Acme Oy", "country": "001"}  # a numeric region
    order = example["invoices"][0]["orders"][0]
    order["sender"]["country"] = "ZZ"  # CLDR's "unknown region"
    order["recipient"]["country"] = "se"  # lower case is fine
    report = import_document(store, example)
    assert errors(report) == [
        'office.address.country: must be an ISO 3166-1 alpha-2 country code, not "XX"',
        'customers[0].address.country: must be an ISO 3166-1 alpha-2 country code, not "EU"',
        'customers[0].invoice_address.country: must be an ISO 3166-1 alpha-2 country code, not "001"',
        'invoices[0].orders[0].sender.country: must be an ISO 3166-1 alpha-2 country code, not "ZZ"',
    ]


def test_the_codes_come_from_cldr() -> None:
    countries = codes.countries()
    assert {"FI", "SE", "DE", "AX", "AQ", "XK"} <= countries  # XK: Kosovo, as Procountor has it
    assert not {"EU", "EZ", "UN", "QO", "ZZ", "XA", "XX", "001", "150"} & countries
    currencies = codes.currencies()
    assert {"EUR", "SEK", "NOK", "DKK", "USD", "XOF", "FIM"} <= currencies
    assert not {"XXX", "XTS", "XAU", "XDR", "CHE", "ZZZ", "QQQ"} & currencies
    assert codes.currency_in_use("EUR")
    assert not codes.currency_in_use("FIM")
    assert codes.currency_in_use("FIM", date(2001, 12, 31))
    assert codes.currency_in_use("HRK", date(2022, 12, 30))  # Croatia took the euro in 2023
    assert not codes.currency_in_use("HRK", date(2023, 6, 1))


# --- VAT per posting -----------------------------------------------------------------------------


def test_a_posting_whose_vat_is_not_its_net_at_its_rate_is_refused(
    store: Store, example: dict[str, Any]
) -> None:
    invoice = example["invoices"][0]
    invoice["postings"][0]["vat"] = "10.00"
    invoice["totals"].update(vat="10.00", gross="360.00")  # the totals agree with the posting
    report = import_document(store, example)
    assert errors(report) == [
        "invoices[0].postings[0].vat: is 10.00 but net × vat_rate is 89.25 "
        "(350.00 × 25.5 %, rounded to the cent)"
    ]


@pytest.mark.parametrize(
    ("vat", "accepted"),
    [("89.25", True), ("89.24", True), ("89.26", True), ("89.27", False), ("89.23", False)],
)
def test_the_vat_may_be_a_cent_off(
    store: Store, example: dict[str, Any], vat: str, accepted: bool
) -> None:
    invoice = example["invoices"][0]
    invoice["postings"][0]["vat"] = vat
    gross = Decimal("350.00") + Decimal(vat)
    invoice["totals"].update(vat=vat, gross=str(gross))
    assert import_document(store, example).accepted is accepted


def test_vat_is_rounded_half_away_from_zero_so_credit_notes_mirror_invoices(
    store: Store, example: dict[str, Any]
) -> None:
    assert expected_vat(Decimal("0.10"), Decimal("25.5")) == Decimal("0.03")  # 0.0255
    assert expected_vat(Decimal("-0.10"), Decimal("25.5")) == Decimal("-0.03")
    assert expected_vat(Decimal("10.02"), Decimal("25")) == Decimal("2.51")  # 2.505
    assert expected_vat(Decimal("-10.02"), Decimal("25")) == Decimal("-2.51")
    credit = negated(example["invoices"][0], number="250002", type="credit")
    credit["credited_invoice"] = "250001"
    example["invoices"].append(credit)
    report = import_document(store, example)
    assert report.accepted, errors(report)


def test_a_credit_note_with_the_vat_of_the_wrong_sign_is_refused(
    store: Store, example: dict[str, Any]
) -> None:
    credit = negated(example["invoices"][0], number="250002", type="credit")
    credit["postings"][0]["vat"] = "89.25"
    credit["totals"].update(vat="89.25", gross="-260.75")
    example["invoices"].append(credit)
    report = import_document(store, example)
    assert errors(report) == [
        "invoices[1].postings[0].vat: is 89.25 but net × vat_rate is -89.25 "
        "(-350.00 × 25.5 %, rounded to the cent)"
    ]


# --- the invoice date and its period ----------------------------------------------------------


def test_an_invoice_dated_outside_its_period_is_refused(
    store: Store, example: dict[str, Any]
) -> None:
    example["invoices"][0]["date"] = "2025-04-02"
    example["invoices"].append(copy_of(example["invoices"][0], number="250002", date="2025-02-28"))
    example["invoices"].append(copy_of(example["invoices"][0], number="250003", date="2025-03-01"))
    report = import_document(store, example)
    assert errors(report) == [
        'invoices[0].date: 2025-04-02 is outside its period "2025-03-A" (2025-03-01 – 2025-03-31)',
        'invoices[1].date: 2025-02-28 is outside its period "2025-03-A" (2025-03-01 – 2025-03-31)',
    ]


def test_the_period_may_be_one_the_store_already_has(store: Store, example: dict[str, Any]) -> None:
    assert import_document(store, example).accepted
    later = {
        "schema": "tms-invoicing/1",
        "office": example["office"],
        "invoices": [
            copy_of(example["invoices"][0], number="250002", date="2025-03-15"),
            copy_of(example["invoices"][0], number="250003", date="2025-04-01"),
        ],
    }
    report = import_document(store, later)
    assert errors(report) == [
        'invoices[1].date: 2025-04-01 is outside its period "2025-03-A" (2025-03-01 – 2025-03-31)'
    ]


# --- negative totals -------------------------------------------------------------------------


def test_only_a_credit_note_may_total_less_than_zero(store: Store, example: dict[str, Any]) -> None:
    example["invoices"].append(negated(example["invoices"][0], number="250002"))
    example["invoices"].append(copy_of(example["invoices"][0], number="250003", type="credit"))
    report = import_document(store, example)
    assert errors(report) == [
        "invoices[1].totals.gross: is -439.25: an invoice cannot total less than zero (a credit "
        'note is "type": "credit")',
        "invoices[2].totals.gross: is 439.25: a credit note's amounts are negative (it would "
        "charge the customer)",
    ]


def test_an_invoice_may_total_zero_and_carry_negative_rows(
    store: Store, example: dict[str, Any]
) -> None:
    invoice = example["invoices"][0]
    discount = {**invoice["postings"][0], "net": "-350.00", "vat": "-89.25", "text": "Discount"}
    invoice["postings"].append(discount)
    invoice["totals"] = {"net": "0.00", "vat": "0.00", "gross": "0.00"}
    report = import_document(store, example)
    assert report.accepted, errors(report)


# --- all or nothing ----------------------------------------------------------------------------


def test_one_meaningless_invoice_keeps_the_whole_document_out(
    store: Store, example: dict[str, Any], row_counts: RowCounts
) -> None:
    empty = row_counts(store)
    first = example["invoices"][0]
    example["invoices"] = [copy_of(first, number=f"25{n:04d}") for n in range(1, 6)]
    example["invoices"][3]["postings"][0]["vat"] = "10.00"
    example["invoices"][3]["totals"].update(vat="10.00", gross="360.00")
    report = import_document(store, example)
    assert errors(report) == [
        "invoices[3].postings[0].vat: is 10.00 but net × vat_rate is 89.25 "
        "(350.00 × 25.5 %, rounded to the cent)"
    ]
    assert report.counts["invoices"].total == 0
    assert row_counts(store) == empty
