"""The article's remaining error cases: Procountor refusing or failing one step of the export."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import httpx2
import pytest
from faulty import FaultyTransport  # type: ignore[import-not-found]
from rig import Rig  # type: ignore[import-not-found]

from procountor_export.export.messages import Messages
from procountor_export.export.planning.countries import procountor_country
from procountor_export.export.reading.scope import Scope
from procountor_export.export.runner import ExportOptions, run_export
from procountor_export.procountor.models import (
    Address,
    BusinessPartner,
    InvoicingInfo,
    PartnerPaymentInfo,
)
from procountor_export.runtime.connections import ClientFactory
from procountor_export.settings import load_settings
from procountor_export.store import export_settings
from procountor_export.store.models import JournalState

OPTER = Messages("Opter")


@pytest.fixture
def faulty(sqlite_rig: Rig) -> FaultyTransport:
    return FaultyTransport(sqlite_rig.http)


def export(rig: Rig, transport: FaultyTransport, scope: Scope | None = None) -> object:
    settings = load_settings(
        PROCOUNTOR_BASE_URL="http://emulator/api", PROCOUNTOR_RATE_LIMIT=10_000
    )
    http = httpx2.Client(transport=transport, base_url="http://emulator")
    return run_export(
        rig.store,
        scope or Scope(all=True),
        client_factory=ClientFactory(settings, http_client=http),
        box=rig.box,
        options=ExportOptions(),
    )


def messages(summary: object) -> set[str]:
    found = {OPTER.message(p) for o in summary.outcomes for p in o.problems}  # type: ignore[attr-defined]
    if summary.fatal:  # type: ignore[attr-defined]
        found.add(OPTER.message(summary.fatal))  # type: ignore[attr-defined]
    return found


def test_chart_of_accounts_unavailable(sqlite_rig: Rig, faulty: FaultyTransport) -> None:
    sqlite_rig.load(4)
    faulty.fail("GET", "/coa", 404)
    summary = export(sqlite_rig, faulty)
    assert messages(summary) == {"Could not retrieve accounts from Procountor"}
    assert summary.exported == 0  # type: ignore[attr-defined]
    assert summary.failed == summary.to_export > 0  # type: ignore[attr-defined]
    assert summary.outcome == "aborted"  # type: ignore[attr-defined]


def test_chart_of_accounts_that_procountor_fails_to_give_interrupts_the_run(
    sqlite_rig: Rig, faulty: FaultyTransport
) -> None:
    sqlite_rig.load(4)
    faulty.fail("GET", "/coa", 503)
    summary: Any = export(sqlite_rig, faulty)
    # Nothing is wrong with the data: each invoice says the next export finishes it.
    assert messages(summary) == {
        "Procountor had a temporary problem and the export was interrupted; the next export "
        "will finish its invoices",
        *(
            f"Procountor had a temporary problem with invoice {o.invoice}; the next export will "
            "finish it"
            for o in summary.outcomes
        ),
    }
    assert {p.detail for o in summary.outcomes for p in o.problems} == {
        "HTTP 503 from GET /coa: injected; sent 3 times"
    }
    assert summary.failed == summary.interrupted == summary.to_export > 0
    assert summary.outcome == "interrupted"


def test_product_group_that_cannot_be_created(sqlite_rig: Rig, faulty: FaultyTransport) -> None:
    sqlite_rig.load(4)
    name = " ".join(["Kuljetusjärjestelmän kirjausaputuotteet"] * 3)  # over Procountor's 80
    with sqlite_rig.store.session() as session:
        export_settings.set_terminology(session, export_settings.PRODUCT_GROUP_TERM, name)
    summary = export(sqlite_rig, faulty)
    assert messages(summary) == {
        f"The product group {name} does not exist/could not be created in Procountor"
    }


@pytest.mark.parametrize(("status", "interrupted"), [(404, False), (503, True)])
def test_account_coding_that_cannot_be_read(
    sqlite_rig: Rig, faulty: FaultyTransport, status: int, interrupted: bool
) -> None:
    sqlite_rig.load(4)
    faulty.fail("GET", r"/ledgerreceipts/[\d,]+", status)
    summary: Any = export(sqlite_rig, faulty)
    if interrupted:  # Procountor failing for a while (after the retries) is not the data
        assert messages(summary) == {
            f"Procountor had a temporary problem with invoice {o.invoice}; the next export "
            "will finish it"
            for o in summary.outcomes
        }
        assert summary.outcome == "interrupted"
    else:
        assert messages(summary) == {
            f"Could not retrieve account coding for invoice {o.invoice} from Procountor"
            for o in summary.outcomes
        }
        assert summary.outcome == "failed"
    # The invoices are in Procountor; the next run finds them and finishes them.
    again = export(sqlite_rig, FaultyTransport(sqlite_rig.http))
    assert again.succeeded  # type: ignore[attr-defined]
    assert all(o.adopted for o in again.outcomes)  # type: ignore[attr-defined]


def test_coding_is_corrected_when_procountor_ignores_product_dimensions(
    sqlite_rig: Rig, faulty: FaultyTransport
) -> None:
    sqlite_rig.load(6)
    faulty.fail("PUT", r"/products/\d+/defaults/dimensions/\d+", 400)
    summary = export(sqlite_rig, faulty)
    assert summary.succeeded  # type: ignore[attr-defined]
    assert summary.calls.get("PUT /ledgerreceipts/{id}", 0) > 0  # type: ignore[attr-defined]
    for receipt in sqlite_rig.collection("ledgerReceipts"):
        for entry in receipt["transactions"]:
            if entry["transactionType"] == "ENTRY":
                values = entry.get("dimensionItemValues") or []
                assert values, receipt["id"]
                for value in values:
                    assert Decimal(str(value["value"])) == Decimal(str(entry["accountingValue"]))


def test_account_coding_that_cannot_be_updated(sqlite_rig: Rig, faulty: FaultyTransport) -> None:
    sqlite_rig.load(4)
    faulty.fail("PUT", r"/products/\d+/defaults/dimensions/\d+", 400)
    faulty.fail(
        "PUT", r"/ledgerreceipts/\d+", 400, "DIMENSION_OR_DIMENSION_ITEM_IDENTIFIERS_DOES_NOT_MATCH"
    )
    summary = export(sqlite_rig, faulty)
    expected = {
        f"Could not update account coding for invoice {o.invoice} in Procountor"
        for o in summary.outcomes  # type: ignore[attr-defined]
    }
    assert messages(summary) == expected
    details = {p.detail for o in summary.outcomes for p in o.problems}  # type: ignore[attr-defined]
    assert details == {"DIMENSION_OR_DIMENSION_ITEM_IDENTIFIERS_DOES_NOT_MATCH"}


def test_customer_that_cannot_be_updated(sqlite_rig: Rig, faulty: FaultyTransport) -> None:
    document = sqlite_rig.load(3)
    invoice = document["invoices"][0]
    customer = next(c for c in document["customers"] if c["code"] == invoice["customer"])
    with sqlite_rig.api() as client:
        client.partners.create(
            BusinessPartner(
                type="CUSTOMER",
                name="Old name Oy",
                address=Address(
                    name="Old name Oy",
                    country=procountor_country(customer["address"]["country"]),
                ),
                invoicing_info=InvoicingInfo(
                    customer_number=customer["sales_ledger_no"],
                    identifier=customer.get("corporate_id"),
                ),
                payment_info=PartnerPaymentInfo(
                    payment_method="BANK_TRANSFER", payment_term_days="14"
                ),
            )
        )
    faulty.fail("PUT", r"/businesspartners/\d+", 400)
    summary = export(sqlite_rig, faulty, Scope(invoices=(invoice["number"],)))
    assert messages(summary) == {
        f"The customer {customer['name']} could not be updated in Procountor (customer code: "
        f"{customer['code']}, customer no.: {customer['sales_ledger_no']})"
    }


def test_refused_invoice_is_an_api_call_error_with_procountors_reason(
    sqlite_rig: Rig, faulty: FaultyTransport
) -> None:
    sqlite_rig.load(3)
    faulty.fail("POST", "/invoices", 400, "invoiceRows[0].vatPercent: ERROR_VATSTATUS_VATPERC")
    summary = export(sqlite_rig, faulty)
    assert messages(summary) == {"Error during API call"}
    assert {p.detail for o in summary.outcomes for p in o.problems} == {  # type: ignore[attr-defined]
        "invoiceRows[0].vatPercent: ERROR_VATSTATUS_VATPERC"
    }
    assert sqlite_rig.collection("invoices") == []


def test_rate_limit_refusals_become_too_many_calls(
    sqlite_rig: Rig, faulty: FaultyTransport
) -> None:
    sqlite_rig.load(5)
    faulty.fail("POST", "/invoices", 429, "Too many requests")
    summary = export(sqlite_rig, faulty)
    assert "Too many calls" in messages(summary)
    assert {o.state for o in summary.outcomes} == {JournalState.FAILED}  # type: ignore[attr-defined]


def test_a_failing_read_mid_run_stops_the_run_cleanly(
    sqlite_rig: Rig, faulty: FaultyTransport
) -> None:
    sqlite_rig.load(4)
    faulty.fail("GET", r"/ledgerreceipts/[\d,]+", 503)
    first = export(sqlite_rig, faulty)
    assert first.exported == 0  # type: ignore[attr-defined]
    stuck = FaultyTransport(sqlite_rig.http)
    stuck.fail("GET", r"/invoices/[\d,]+", 503)
    second = export(sqlite_rig, stuck)
    assert second.fatal is not None  # type: ignore[attr-defined]
    # A read that kept failing on 5xx: Procountor interrupted the run, not the data.
    assert OPTER.message(second.fatal) == (  # type: ignore[attr-defined]
        "Procountor had a temporary problem and the export was interrupted; the next export "
        "will finish its invoices"
    )
    assert second.failed == second.to_export  # type: ignore[attr-defined]
    assert second.interrupted == second.failed  # type: ignore[attr-defined]
    assert second.outcome == "interrupted"  # type: ignore[attr-defined]
    third = export(sqlite_rig, FaultyTransport(sqlite_rig.http))
    assert third.succeeded  # type: ignore[attr-defined]
    assert len(sqlite_rig.collection("invoices")) == third.exported  # type: ignore[attr-defined]
