"""What reaches Procountor is right: never another's invoice or partner, addresses and dates as
invoices need them, partners as Procountor keeps them (inactive ones included)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from faulty import FaultyTransport  # type: ignore[import-not-found]
from rig import Rig  # type: ignore[import-not-found]
from test_export_failures import export  # type: ignore[import-not-found]

from procountor_export.export.messages import Messages
from procountor_export.export.planning.countries import procountor_country
from procountor_export.export.reading.scope import Scope
from procountor_export.procountor.models import (
    Address,
    BusinessPartner,
    CounterParty,
    ExtraInfo,
    Invoice,
    InvoiceRow,
    InvoicingInfo,
    PartnerPaymentInfo,
    PaymentInfo,
    RegistryInfo,
)
from procountor_export.store import export_settings
from procountor_export.store.models import AfterCreate, JournalState

OPTER = Messages("Opter")


@pytest.fixture
def faulty(sqlite_rig: Rig) -> FaultyTransport:
    return FaultyTransport(sqlite_rig.http)


def keyed_in_by_hand(rig: Rig, number: str, day: dt.date, amount: str = "100") -> Invoice:
    """An invoice somebody typed into Procountor for the seed's own customer 29999."""
    with rig.api() as api:
        (partner,) = api.partners.search(customer_number="29999")
        return api.invoices.create(
            Invoice(
                type="SALES_INVOICE",
                date=day,
                partner_id=partner.id,
                counter_party=CounterParty(
                    customer_number="29999",
                    counter_party_address=Address(
                        name="Vanha Asiakas Oy",
                        street="Vanhatie 1",
                        zip="00100",
                        city="Helsinki",
                        country="FINLAND",
                    ),
                ),
                payment_info=PaymentInfo(
                    payment_method="BANK_TRANSFER",
                    currency="EUR",
                    currency_rate=Decimal(1),
                    due_date=day + dt.timedelta(days=14),
                    bank_reference_code="",
                ),
                extra_info=ExtraInfo(accounting_by_row=True, unit_prices_include_vat=False),
                discount_percent=Decimal(0),
                invoice_rows=[
                    InvoiceRow(
                        product="Typed in by hand",
                        quantity=Decimal(1),
                        unit="NO_UNIT",
                        unit_price=Decimal(amount),
                        discount_percent=Decimal(0),
                        vat_percent=Decimal("25.5"),
                        vat_status=1,
                    )
                ],
                original_invoice_number=number,
                vat_status=1,
                invoice_channel="NO_SENDING",
                language="FINNISH",
            )
        )


def remote(rig: Rig, invoice_id: int) -> dict[str, Any]:
    return next(inv for inv in rig.collection("invoices") if inv["id"] == invoice_id)


def receipt(rig: Rig, receipt_id: int) -> dict[str, Any]:
    return next(r for r in rig.collection("ledgerReceipts") if r["id"] == receipt_id)


def test_an_invoice_keyed_in_by_hand_with_our_number_is_never_touched(sqlite_rig: Rig) -> None:
    document = sqlite_rig.load(6)
    with sqlite_rig.store.session() as session:
        export_settings.upsert_export_definition(
            session, name="Procountor (API)", after_create=AfterCreate.SEND
        )
    target = document["invoices"][0]
    theirs = keyed_in_by_hand(sqlite_rig, target["number"], dt.date.fromisoformat(target["date"]))
    assert theirs.id is not None
    assert theirs.ledger_receipt_id is not None
    before = remote(sqlite_rig, theirs.id)
    receipt_before = receipt(sqlite_rig, theirs.ledger_receipt_id)

    summary = sqlite_rig.export()

    outcome = next(o for o in summary.outcomes if o.invoice == target["number"])
    assert outcome.state is JournalState.FAILED
    (problem,) = outcome.problems
    assert problem.code == "INVOICE_NOT_OURS"
    assert OPTER.message(problem) == (
        f"Procountor already has an invoice with the Opter invoice number {target['number']} "
        f"that this export did not create: invoice {theirs.invoice_number} (id {theirs.id}) for "
        f"Vanha Asiakas Oy (customer no. 29999), dated {target['date']}. It was left unchanged"
    )
    assert "customer number 29999" in (problem.detail or "")
    # Nothing was done to it: no receipt PUT, no approval, no sending.
    assert remote(sqlite_rig, theirs.id) == before
    assert receipt(sqlite_rig, theirs.ledger_receipt_id) == receipt_before
    # And nothing was created for the TMS invoice; the other invoices went as usual.
    carrying = [
        inv
        for inv in sqlite_rig.collection("invoices")
        if inv["originalInvoiceNumber"] == target["number"]
    ]
    assert [inv["id"] for inv in carrying] == [theirs.id]
    others = [o for o in summary.outcomes if o.invoice != target["number"]]
    assert others
    assert all(o.state is JournalState.EXPORTED for o in others)

    # A second run says the same and still changes nothing.
    again = sqlite_rig.export(Scope(invoices=(target["number"],)))
    assert [p.code for o in again.outcomes for p in o.problems] == ["INVOICE_NOT_OURS"]
    assert remote(sqlite_rig, theirs.id) == before


def test_a_lost_post_answer_adopts_ours_and_leaves_the_stranger(sqlite_rig: Rig) -> None:
    document = sqlite_rig.load(3)
    target = document["invoices"][0]
    # The stranger is dated elsewhere, so the run's date-range search does not see it; only
    # the look-up after the lost answer meets it, next to the invoice we really created.
    stranger = keyed_in_by_hand(sqlite_rig, target["number"], dt.date(2026, 1, 15))
    assert stranger.id is not None
    before = remote(sqlite_rig, stranger.id)
    sqlite_rig.emulator.set_faults(fail_after_write={"invoices": 1.0})
    summary = sqlite_rig.export(Scope(invoices=(target["number"],)))
    sqlite_rig.emulator.set_faults(fail_after_write={})

    (outcome,) = summary.outcomes
    assert outcome.state is JournalState.EXPORTED, outcome.problems
    assert outcome.adopted
    assert outcome.procountor_invoice_id != stranger.id
    assert remote(sqlite_rig, stranger.id) == before
    ours = remote(sqlite_rig, outcome.procountor_invoice_id)
    assert ours["counterParty"]["customerNumber"] == next(
        c["sales_ledger_no"] for c in document["customers"] if c["code"] == target["customer"]
    )


def test_addresses_and_delivery_period_on_the_invoice(sqlite_rig: Rig) -> None:
    document = sqlite_rig.load(40, seed=5)
    summary = sqlite_rig.export()
    assert summary.succeeded, [(o.invoice, o.problems) for o in summary.outcomes if o.problems]
    customers = {c["code"]: c for c in document["customers"]}
    sent = {inv["originalInvoiceNumber"]: inv for inv in sqlite_rig.collection("invoices")}
    with_invoice_address = 0
    for tms in document["invoices"]:
        if tms["number"] not in sent:
            continue
        invoice = sent[tms["number"]]
        customer = customers[tms["customer"]]
        # The buyer's own address on the counterparty, the invoice address as billing address.
        assert invoice["counterParty"]["counterPartyAddress"]["street"] == (
            customer["address"].get("street")
        )
        if customer.get("invoice_address"):
            with_invoice_address += 1
            assert invoice["billingAddress"]["street"] == customer["invoice_address"]["street"]
        days = [
            d
            for order in tms.get("orders", [])
            for d in (order.get("pickup_date"), order.get("delivery_date"))
            if d
        ]
        if days:
            assert invoice["deliveryStartDate"] == min(days)
            assert invoice["deliveryEndDate"] == max(days)
        # The VAT number is the counterparty's, never a partner field.
        assert invoice["counterParty"].get("taxCode") == customer.get("vat_number")
    assert with_invoice_address > 0
    for partner in sqlite_rig.collection("partners"):
        assert "taxCode" not in (partner.get("invoicingInfo") or {})


def deactivated_partner(rig: Rig, customer: dict[str, Any], identifier: str | None) -> int:
    """A partner with the customer's number, made inactive in Procountor."""
    with rig.api() as api:
        created = api.partners.create(
            BusinessPartner(
                type="CUSTOMER",
                name=customer["name"],
                address=Address(
                    name=customer["name"],
                    country=procountor_country(customer["address"]["country"]),
                ),
                invoicing_info=InvoicingInfo(
                    customer_number=customer["sales_ledger_no"], identifier=identifier
                ),
                payment_info=PartnerPaymentInfo(
                    payment_method="BANK_TRANSFER", payment_term_days="14"
                ),
            )
        )
        assert created.id is not None
        (full,) = api.partners.get([created.id])
        full.registry_info = RegistryInfo(active=False)
        api.partners.update(full)
        assert api.partners.search(customer_number=customer["sales_ledger_no"]) == []
        return created.id


def first_customer(document: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    invoice = document["invoices"][0]
    customer = next(c for c in document["customers"] if c["code"] == invoice["customer"])
    return invoice, customer


def test_an_inactive_partner_with_our_number_and_business_id_is_reused(sqlite_rig: Rig) -> None:
    document = sqlite_rig.load(3)
    invoice, customer = first_customer(document)
    partner_id = deactivated_partner(sqlite_rig, customer, customer.get("corporate_id"))

    summary = sqlite_rig.export(Scope(invoices=(invoice["number"],)))

    assert summary.succeeded, [o.problems for o in summary.outcomes]
    assert summary.created.get("customers_reactivated") == 1
    assert summary.created.get("customers", 0) == 0
    partners = [
        p
        for p in sqlite_rig.collection("partners")
        if p["invoicingInfo"].get("customerNumber") == customer["sales_ledger_no"]
    ]
    assert [p["id"] for p in partners] == [partner_id]
    assert partners[0]["registryInfo"]["active"] is True
    (sent,) = [
        inv
        for inv in sqlite_rig.collection("invoices")
        if inv["originalInvoiceNumber"] == invoice["number"]
    ]
    assert sent["partnerId"] == partner_id


def test_an_inactive_partner_of_another_company_is_reported_and_kept(sqlite_rig: Rig) -> None:
    document = sqlite_rig.load(3)
    invoice, customer = first_customer(document)
    if procountor_country(customer["address"]["country"]) != "FINLAND":
        customer = {**customer, "address": {**customer["address"], "country": "FI"}}
    other_id = deactivated_partner(sqlite_rig, customer, "2999999-7")
    before = next(p for p in sqlite_rig.collection("partners") if p["id"] == other_id)

    summary = sqlite_rig.export(Scope(invoices=(invoice["number"],)))

    (outcome,) = summary.outcomes
    assert outcome.state is JournalState.FAILED
    (problem,) = outcome.problems
    assert OPTER.message(problem) == (
        f"The customer {customer['name']} could not be created in Procountor (customer code: "
        f"{customer['code']}, customer no.: {customer['sales_ledger_no']})"
    )
    assert "inactive customer" in (problem.detail or "")
    assert "2999999-7" in (problem.detail or "")
    after = next(p for p in sqlite_rig.collection("partners") if p["id"] == other_id)
    assert after == before
    assert not [
        inv
        for inv in sqlite_rig.collection("invoices")
        if inv["originalInvoiceNumber"] == invoice["number"]
    ]


def test_later_runs_look_up_only_customers_they_have_not_met(sqlite_rig: Rig) -> None:
    document = sqlite_rig.load(120, seed=7)
    closed = [p["id"] for p in document["periods"] if p.get("closed_at")]
    first_periods = closed[: len(closed) // 2]
    first = sqlite_rig.export(Scope(periods=tuple(first_periods)))
    assert first.succeeded
    assert first.calls.get("GET /businesspartners", 0) > 0  # the first run had to look
    met = {inv["customer"] for inv in document["invoices"] if inv["period"] in first_periods}
    later = tuple(
        inv["number"]
        for inv in document["invoices"]
        if inv["period"] in closed[len(closed) // 2 :] and inv["customer"] in met
    )
    assert later
    # Their partners come from the store, re-validated with one batched GET: no search, no
    # listing, no creation.
    second = sqlite_rig.export(Scope(invoices=later))
    assert second.succeeded
    assert second.exported == len(later)
    assert second.calls.get("GET /businesspartners", 0) == 0, second.calls
    assert second.calls.get("POST /businesspartners", 0) == 0
    assert second.calls.get("GET /businesspartners/{ids}", 0) == 1


def test_a_refused_approval_fails_those_invoices_not_the_run(
    sqlite_rig: Rig, faulty: FaultyTransport
) -> None:
    sqlite_rig.load(4)
    with sqlite_rig.store.session() as session:
        export_settings.upsert_export_definition(
            session, name="Procountor (API)", after_create=AfterCreate.APPROVE
        )
    # Procountor's 403 on approve means "insufficient user rights or invalid invoice status":
    # it concerns the invoice, so each fails on its own, with the status read afterwards.
    faulty.fail(
        "PUT", r"/invoices/\d+/approve", 403, "Insufficient user rights or invalid invoice status"
    )
    summary: Any = export(sqlite_rig, faulty)
    assert summary.fatal is None
    assert summary.to_export == summary.failed > 0
    for outcome in summary.outcomes:
        (problem,) = outcome.problems
        assert OPTER.message(problem) == "Error during API call"
        assert problem.detail == (
            "Insufficient user rights or invalid invoice status (status in Procountor: UNFINISHED)"
        )
    # Nothing was approved behind the failure; the next run (rights fixed) finishes them.
    assert {inv["status"] for inv in sqlite_rig.collection("invoices")} == {"UNFINISHED"}
    again = sqlite_rig.export()
    assert again.succeeded
    assert {inv["status"] for inv in sqlite_rig.collection("invoices")} == {"NOT_SENT"}
