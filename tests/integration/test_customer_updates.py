"""Customer updates that keep people's work: what Procountor's partners look like after an export
under each ``customer_updates`` policy, read from the emulator's state."""

from __future__ import annotations

import copy
from typing import Any

from rig import Rig  # type: ignore[import-not-found]

from procountor_export.export.messages import Messages
from procountor_export.export.reading.scope import Scope
from procountor_export.procountor import BusinessPartner
from procountor_export.samples.data import EXPORT_NAME
from procountor_export.store import export_settings as es
from procountor_export.store.models import JournalState

OPTER = Messages("Opter")
PUT = "PUT /businesspartners/{id}"
POST = "POST /businesspartners"

# Customer POHTUK of the sample (seed 3): invoices 100001 and 100006; 100002 is NORKAP's.
NUMBER = "20001"
# The partner as a person keeps it in Procountor: the TMS's customer number and business ID, an
# older name and street, and much the TMS knows nothing about.
BY_HAND: dict[str, Any] = {
    "type": "CUSTOMER",
    "name": "Pohjolan Tukku (vanha nimi)",
    "address": {
        "name": "Pohjolan Tukku",
        "street": "Vanha kauppatie 1",
        "zip": "01110",
        "city": "Vantaa",
        "country": "FINLAND",
        "subdivision": "Uusimaa",
    },
    "billingAddress": {
        "name": "Pohjolan Tukku / ostoreskontra",
        "specifier": "PL 100",
        "street": "Laskutuskuja 2",
        "zip": "00021",
        "city": "Helsinki",
        "country": "FINLAND",
    },
    "deliveryAddress": {
        "name": "Pohjolan Tukku, varasto",
        "street": "Varastotie 9",
        "zip": "01510",
        "city": "Vantaa",
        "country": "FINLAND",
    },
    "contactPersons": [
        {"name": "Maija Meikäläinen", "email": "maija@pohjolantukku.example", "phone": "040 1"},
        {"name": "Kalle Kirjanpito", "email": "kalle@pohjolantukku.example"},
    ],
    "additionalInfo": {
        "comments1": "Soita ennen toimitusta",
        "comments2": "Luottoraja 20 000 €",
        "defaultAdditionalInformation": "Viitteeksi aina tilausnumero",
        "webAddress": "https://pohjolantukku.example",
    },
    "invoicingInfo": {
        "customerNumber": NUMBER,
        "identifier": "2345671-3",
        "invoiceChannel": "ELECTRONIC_INVOICE",
        "language": "FINNISH",
        "einvoiceAddress": "003723456713",
        "einvoiceOperator": "NDEAFIHH",
        "orderReference": "PO-2025",
        "bccAddresses": ["kirjanpito@pohjolantukku.example"],
    },
    "paymentInfo": {
        "paymentMethod": "BANK_TRANSFER",
        "currency": "EUR",
        "paymentTermDays": "30",
        "bankAccount": "FI5542345670000081",
        "bic": "OKOYFIHH",
        "penalInterestRate": 11.5,
    },
    "registryInfo": {"active": True, "phone": "+358 9 555 1234", "homeMunicipality": "Vantaa"},
}


def keep_by_hand(rig: Rig, *, active: bool = True) -> int:
    body = copy.deepcopy(BY_HAND)
    body["registryInfo"]["active"] = active
    with rig.api() as client:
        created = client.partners.create(BusinessPartner.model_validate(body))
    assert created.id is not None
    return created.id


def partner(rig: Rig, partner_id: int) -> dict[str, Any]:
    return next(p for p in rig.collection("partners") if p["id"] == partner_id)


def with_number(rig: Rig, number: str) -> list[dict[str, Any]]:
    return [
        p
        for p in rig.collection("partners")
        if (p.get("invoicingInfo") or {}).get("customerNumber") == number
    ]


def policy(rig: Rig, value: str) -> None:
    with rig.store.session() as session:
        es.upsert_export_definition(session, name=EXPORT_NAME, customer_updates=value)


def sent_to(rig: Rig, number: str) -> dict[str, Any] | None:
    found = [i for i in rig.collection("invoices") if i["originalInvoiceNumber"] == number]
    return found[0] if found else None


def without_version(data: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in data.items() if key != "version"}


def test_an_update_changes_what_the_tms_owns_and_keeps_the_rest(sqlite_rig: Rig) -> None:
    document = sqlite_rig.load(6, seed=3)
    tms = next(c for c in document["customers"] if c["sales_ledger_no"] == NUMBER)
    partner_id = keep_by_hand(sqlite_rig)
    before = partner(sqlite_rig, partner_id)

    summary = sqlite_rig.export(Scope(invoices=("100001",)))

    assert summary.succeeded, [o.problems for o in summary.outcomes]
    assert summary.calls.get(PUT) == 1
    assert summary.calls.get(POST, 0) == 0
    assert summary.created.get("customers_updated") == 1
    after = partner(sqlite_rig, partner_id)
    # What the TMS owns and had otherwise: the name and the address it gives.
    assert after["name"] == tms["name"]
    assert after["address"] == {
        **before["address"],
        "name": tms["address"]["name"],
        "street": tms["address"]["street"],
    }
    # Everything else is exactly as the person left it.
    expected = {**without_version(before), "name": after["name"], "address": after["address"]}
    assert without_version(after) == expected
    for kept in ("billingAddress", "deliveryAddress", "contactPersons", "additionalInfo"):
        assert after[kept] == BY_HAND[kept]
    assert after["paymentInfo"]["bankAccount"] == "FI5542345670000081"
    assert after["paymentInfo"]["paymentTermDays"] == "30"
    assert after["invoicingInfo"]["bccAddresses"] == ["kirjanpito@pohjolantukku.example"]
    invoice = sent_to(sqlite_rig, "100001")
    assert invoice is not None
    assert invoice["partnerId"] == partner_id

    # Nothing differs any more: the next invoice of the customer writes nothing to the partner.
    again = sqlite_rig.export(Scope(invoices=("100006",)))
    assert again.succeeded, [o.problems for o in again.outcomes]
    assert again.calls.get(PUT, 0) == 0
    assert again.calls.get(POST, 0) == 0
    assert partner(sqlite_rig, partner_id) == after


def test_a_second_run_puts_no_partner_when_nothing_differs(sqlite_rig: Rig) -> None:
    document = sqlite_rig.load(30, seed=3)
    by_customer: dict[str, list[str]] = {}
    for invoice in document["invoices"]:
        by_customer.setdefault(invoice["customer"], []).append(invoice["number"])
    first = tuple(numbers[0] for numbers in by_customer.values())
    later = tuple(n for numbers in by_customer.values() for n in numbers[1:])
    assert later

    created = sqlite_rig.export(Scope(invoices=first))
    assert created.succeeded
    assert created.calls.get(PUT, 0) == 0
    partners_before = sqlite_rig.collection("partners")

    second = sqlite_rig.export(Scope(invoices=later))
    assert second.succeeded
    assert second.calls.get(PUT, 0) == 0
    assert second.calls.get(POST, 0) == 0
    assert sqlite_rig.collection("partners") == partners_before


def test_create_only_creates_the_missing_and_never_puts_a_partner(sqlite_rig: Rig) -> None:
    sqlite_rig.load(6, seed=3)
    policy(sqlite_rig, "create_only")
    partner_id = keep_by_hand(sqlite_rig)
    before = partner(sqlite_rig, partner_id)

    summary = sqlite_rig.export(Scope(invoices=("100001", "100002")))

    assert summary.succeeded, [o.problems for o in summary.outcomes]
    assert summary.calls.get(PUT, 0) == 0
    assert summary.calls.get(POST) == 1  # NORKAP, who was missing
    assert partner(sqlite_rig, partner_id) == before  # not even its version moved
    invoice = sent_to(sqlite_rig, "100001")
    assert invoice is not None
    assert invoice["partnerId"] == partner_id
    (norkap,) = with_number(sqlite_rig, "20018")
    invoice = sent_to(sqlite_rig, "100002")
    assert invoice is not None
    assert invoice["partnerId"] == norkap["id"]


def test_create_only_does_not_reactivate_an_inactive_customer(sqlite_rig: Rig) -> None:
    sqlite_rig.load(6, seed=3)
    policy(sqlite_rig, "create_only")
    partner_id = keep_by_hand(sqlite_rig, active=False)
    before = partner(sqlite_rig, partner_id)

    summary = sqlite_rig.export(Scope(invoices=("100001", "100002")))

    outcomes = {o.invoice: o for o in summary.outcomes}
    assert outcomes["100002"].state is JournalState.EXPORTED
    assert outcomes["100001"].state is JournalState.FAILED
    (problem,) = outcomes["100001"].problems
    assert OPTER.message(problem) == (
        f"The customer Pohjolan Tukku Oy is inactive in Procountor and the export {EXPORT_NAME} "
        f"does not change customers (customer code: POHTUK, customer no.: {NUMBER})"
    )
    assert summary.calls.get(PUT, 0) == 0
    assert partner(sqlite_rig, partner_id) == before
    assert sent_to(sqlite_rig, "100001") is None


def test_none_fails_a_missing_customer_and_uses_an_existing_one_as_it_is(sqlite_rig: Rig) -> None:
    document = sqlite_rig.load(6, seed=3)
    norkap = next(c for c in document["customers"] if c["code"] == "NORKAP")
    policy(sqlite_rig, "none")
    partner_id = keep_by_hand(sqlite_rig)
    before = partner(sqlite_rig, partner_id)

    summary = sqlite_rig.export(Scope(invoices=("100001", "100002")))

    assert summary.fatal is None
    outcomes = {o.invoice: o for o in summary.outcomes}
    assert outcomes["100001"].state is JournalState.EXPORTED, outcomes["100001"].problems
    assert outcomes["100002"].state is JournalState.FAILED
    (problem,) = outcomes["100002"].problems
    assert problem.code == "CUSTOMER_CREATE"
    assert OPTER.message(problem) == (
        f"The customer {norkap['name']} could not be created in Procountor (customer code: "
        f"NORKAP, customer no.: {norkap['sales_ledger_no']})"
    )
    assert problem.detail == (
        f"the export {EXPORT_NAME} creates no customers (customer updates: none) and "
        f"Procountor has no customer number {norkap['sales_ledger_no']}"
    )
    assert "creating the customer manually" in OPTER.remedy(problem)
    assert summary.calls.get(POST, 0) == 0
    assert summary.calls.get(PUT, 0) == 0
    assert with_number(sqlite_rig, norkap["sales_ledger_no"]) == []
    assert sent_to(sqlite_rig, "100002") is None
    assert partner(sqlite_rig, partner_id) == before
