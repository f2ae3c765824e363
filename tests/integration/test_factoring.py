"""Factoring: what Procountor received for an export financed through a factoring contract, and
the pre-flight errors that keep a financed invoice from being sent at all."""

from __future__ import annotations

from typing import Any

import pytest
from rig import Rig  # type: ignore[import-not-found]

from procountor_export.export.messages import Messages
from procountor_export.export.reading.scope import Scope
from procountor_export.samples.data import DEMO_API_KEY, EXPORT_NAME, OFFICE_IBAN
from procountor_export.store import export_settings as es
from procountor_export.store.models import JournalState

OPTER = Messages("Opter")
FINANCED = "Procountor (rahoitus)"
FINANCED_GROUP = "Rahoitetut asiakkaat"
TEXT = "Saatava on siirretty Demo Rahoitus Oy:lle"
NOT_ENABLED = (
    "Insufficient user rights or external financing has not been enabled for your company."
)


def financed_customers(rig: Rig, document: dict[str, Any], codes: set[str]) -> None:
    """A second export to the same company, financed through RAH-1001, for ``codes``."""
    tax_rates = document["export_settings"]["exports"][0]["codes"]["tax_rates"]
    with rig.store.session() as session:
        export, _ = es.upsert_export_definition(
            session,
            name=FINANCED,
            password=DEMO_API_KEY,
            box=rig.box,
            factoring_contract="RAH-1001",
            factoring_text=TEXT,
        )
        es.set_tax_rate_codes(session, export, tax_rates)
        es.upsert_export_group(session, name=FINANCED_GROUP, exports=[FINANCED], default=False)
        for code in codes:
            es.set_customer_group(session, code, FINANCED_GROUP)


def finance_the_export(rig: Rig, contract: str) -> None:
    with rig.store.session() as session:
        es.upsert_export_definition(
            session, name=EXPORT_NAME, factoring_contract=contract, factoring_text=TEXT
        )


def sent(rig: Rig) -> dict[str, dict[str, Any]]:
    return {inv["originalInvoiceNumber"]: inv for inv in rig.collection("invoices")}


def contract_ids(rig: Rig) -> dict[str, int]:
    company = rig.emulator.companies[DEMO_API_KEY]
    return {c["contractNumber"]: c["id"] for c in company.factoring_contracts.values()}


def writes(calls: dict[str, int]) -> dict[str, int]:
    """The calls that change something in Procountor (the token call does not)."""
    return {
        endpoint: n
        for endpoint, n in calls.items()
        if not endpoint.startswith("GET ") and endpoint != "POST /oauth/token"
    }


def test_only_the_financed_exports_invoices_carry_the_contract(sqlite_rig: Rig) -> None:
    document = sqlite_rig.load(12, seed=3)
    customers = sorted({inv["customer"] for inv in document["invoices"]})
    financed = set(customers[: len(customers) // 2])
    financed_customers(sqlite_rig, document, financed)
    numbers = [inv["number"] for inv in document["invoices"] if inv["customer"] in financed]
    others = [inv["number"] for inv in document["invoices"] if inv["customer"] not in financed]
    assert numbers
    assert others

    # One definition at a time: the financed one, then the plain one.
    first = sqlite_rig.export(Scope(invoices=tuple(numbers)))
    second = sqlite_rig.export(Scope(invoices=tuple(others)))

    assert first.succeeded, [(o.invoice, o.problems) for o in first.outcomes if o.problems]
    assert second.succeeded, [(o.invoice, o.problems) for o in second.outcomes if o.problems]
    assert {o.export for o in first.outcomes} == {FINANCED}
    assert {o.export for o in second.outcomes} == {EXPORT_NAME}
    # Read once per company and run; never by an export that names no contract.
    assert first.calls.get("GET /factoringcontracts") == 1
    assert "GET /factoringcontracts" not in second.calls
    received = sent(sqlite_rig)
    contract = contract_ids(sqlite_rig)["RAH-1001"]
    for number in numbers:
        assert received[number]["factoringContractId"] == contract
        assert received[number]["factoringText"] == TEXT
        assert received[number]["paymentInfo"]["bankAccount"]["accountNumber"] == OFFICE_IBAN
    for number in others:
        assert "factoringContractId" not in received[number]
        assert "factoringText" not in received[number]


@pytest.mark.parametrize(
    ("contract", "code", "field", "message"),
    [
        (
            "RAH-0901",
            "FACTORING_CONTRACT_INACTIVE",
            "export.factoring_contract",
            "The factoring contract RAH-0901 of the export Procountor (API) (invoice {n}) is not "
            "active in Procountor (status INACTIVE)",
        ),
        (
            "RAH-2002",
            "FACTORING_BANK_ACCOUNT",
            "office.bank_account",
            f"The bank account {OFFICE_IBAN} of invoice {{n}} is not the bank account "
            "FI4950009420028730 of the factoring contract RAH-2002 of the export Procountor (API)",
        ),
        (
            "RAH-7777",
            "FACTORING_CONTRACT_UNKNOWN",
            "export.factoring_contract",
            "The factoring contract RAH-7777 of the export Procountor (API) (invoice {n}) does "
            "not exist in Procountor",
        ),
    ],
    ids=["inactive", "wrong-bank-account", "unknown-number"],
)
def test_an_unusable_contract_is_a_preflight_error_and_nothing_is_sent(
    sqlite_rig: Rig, contract: str, code: str, field: str, message: str
) -> None:
    sqlite_rig.load(4)
    finance_the_export(sqlite_rig, contract)

    summary = sqlite_rig.export()

    assert summary.fatal is None
    assert summary.outcomes
    assert summary.failed == summary.to_export == len(summary.outcomes)
    for outcome in summary.outcomes:
        assert outcome.state is JournalState.FAILED
        (problem,) = outcome.problems
        assert (problem.code, problem.field, problem.invoice) == (code, field, outcome.invoice)
        assert OPTER.message(problem) == message.format(n=outcome.invoice)
        assert OPTER.remedy(problem)
    # Pre-flight: nothing was written to Procountor, not even a customer or a product.
    assert writes(summary.calls) == {}
    assert sqlite_rig.collection("invoices") == []


def test_procountors_403_is_a_preflight_error_for_the_financed_export_only(
    sqlite_rig: Rig,
) -> None:
    document = sqlite_rig.load(12, seed=3)
    customers = sorted({inv["customer"] for inv in document["invoices"]})
    financed = set(customers[:3])
    financed_customers(sqlite_rig, document, financed)
    sqlite_rig.emulator.companies[DEMO_API_KEY].external_financing = False

    summary = sqlite_rig.export()

    assert summary.fatal is None  # a 403 here stops nothing but the financed invoices
    failed = [o for o in summary.outcomes if o.state is JournalState.FAILED]
    exported = [o for o in summary.outcomes if o.state is JournalState.EXPORTED]
    assert {o.export for o in failed} == {FINANCED}
    assert {o.export for o in exported} == {EXPORT_NAME}
    assert len(failed) == sum(inv["customer"] in financed for inv in document["invoices"])
    for outcome in failed:
        (problem,) = outcome.problems
        assert problem.code == "FACTORING_UNAVAILABLE"
        assert problem.field == "export.factoring_contract"
        assert OPTER.message(problem) == (
            f"The factoring contract RAH-1001 of the export {FINANCED} cannot be used for invoice "
            f"{outcome.invoice}: Procountor does not list the company's factoring contracts"
        )
        assert problem.detail == NOT_ENABLED
        assert "Enable external financing" in OPTER.remedy(problem)
    received = sent(sqlite_rig)
    assert {o.invoice for o in failed}.isdisjoint(received)
    assert all("factoringContractId" not in inv for inv in received.values())
    assert summary.calls.get("GET /factoringcontracts") == 1


def test_a_dry_run_reports_the_same_preflight_errors(sqlite_rig: Rig) -> None:
    from procountor_export.export.analysis import analyse

    sqlite_rig.load(3)
    finance_the_export(sqlite_rig, "RAH-0901")
    analysis = analyse(
        sqlite_rig.store, Scope(all=True), client_factory=sqlite_rig.factory(), box=sqlite_rig.box
    )
    (result,) = analysis.exports
    assert result.plan is not None
    codes = {p.code for plan in result.plan.invoices for p in plan.problems}
    assert codes == {"FACTORING_CONTRACT_INACTIVE"}
    assert sqlite_rig.collection("invoices") == []
