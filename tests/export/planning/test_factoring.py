"""Factoring checks and payload (pure): the contract the export names, as Procountor lists it."""

from __future__ import annotations

from dataclasses import replace

from factories import EXPORT, OFFICE, invoice, snapshot  # type: ignore[import-not-found]

from procountor_export.export.messages import Messages
from procountor_export.export.planning import payloads
from procountor_export.export.planning.plan import plan_invoice
from procountor_export.export.problems import Problem
from procountor_export.export.reading.factoring import FactoringContractInfo, FactoringContracts

OPTER = Messages("Opter")
BANK = "FI2112345600000785"
CONTRACTS = FactoringContracts(
    contracts={
        "F-1": FactoringContractInfo(401, "F-1", "ACTIVE", BANK, "Rahoitus Oy"),
        "F-2": FactoringContractInfo(402, "F-2", "INACTIVE", BANK, "Rahoitus Oy"),
        "F-3": FactoringContractInfo(403, "F-3", "ACTIVE", "FI4950009420028730", "Toinen Oy"),
    }
)
FINANCED = replace(EXPORT, factoring_contract="F-1", factoring_text="Siirretty rahoitukseen")


def problems(export: object = FINANCED, **changes: object) -> list[Problem]:
    office = changes.pop("office", OFFICE)
    snap = snapshot(**{"factoring": CONTRACTS, **changes})
    return list(plan_invoice(invoice(), export, snap, office).problems)  # type: ignore[arg-type]


def test_an_active_contract_on_the_right_account_passes_and_is_sent() -> None:
    plan = plan_invoice(invoice(), FINANCED, snapshot(factoring=CONTRACTS), OFFICE)
    assert plan.problems == ()
    assert plan.factoring_contract_id == 401
    products = {plan.rows[0].key.product_code: 2001}
    sent = payloads.invoice(
        plan, partner_id=1001, product_ids=products, office=OFFICE, source="Opter"
    )
    wire = sent.to_wire()
    assert wire["factoringContractId"] == 401
    assert wire["factoringText"] == "Siirretty rahoitukseen"
    assert wire["paymentInfo"]["bankAccount"] == {"accountNumber": BANK}


def test_an_export_without_a_contract_sends_none_and_needs_no_list() -> None:
    plan = plan_invoice(invoice(), EXPORT, snapshot(), OFFICE)
    assert plan.problems == ()
    assert plan.factoring_contract_id is None
    products = {plan.rows[0].key.product_code: 2001}
    sent = payloads.invoice(
        plan, partner_id=1001, product_ids=products, office=OFFICE, source="Opter"
    )
    assert "factoringContractId" not in sent.to_wire()
    assert "factoringText" not in sent.to_wire()


def test_an_inactive_contract() -> None:
    (problem,) = problems(replace(FINANCED, factoring_contract="F-2"))
    assert (problem.invoice, problem.field) == ("250001", "export.factoring_contract")
    assert OPTER.message(problem) == (
        "The factoring contract F-2 of the export Procountor (API) (invoice 250001) is not active "
        "in Procountor (status INACTIVE)"
    )


def test_an_unknown_contract() -> None:
    (problem,) = problems(replace(FINANCED, factoring_contract="F-9"))
    assert problem.code == "FACTORING_CONTRACT_UNKNOWN"
    assert "F-9" in OPTER.message(problem)


def test_the_invoices_bank_account_must_be_the_financing_companys() -> None:
    (problem,) = problems(replace(FINANCED, factoring_contract="F-3"))
    assert problem.field == "office.bank_account"
    assert OPTER.message(problem) == (
        f"The bank account {BANK} of invoice 250001 is not the bank account FI4950009420028730 "
        "of the factoring contract F-3 of the export Procountor (API)"
    )


def test_without_an_office_account_the_companys_default_is_compared() -> None:
    office = replace(OFFICE, bank_account=None)
    assert problems(office=office, default_iban=BANK) == []
    (problem,) = problems(office=office, default_iban="FI4950009420028730")
    assert (problem.code, problem.field) == ("FACTORING_BANK_ACCOUNT", "bank_account")
    (problem,) = problems(office=office)
    assert problem.args[3] == "(none)"


def test_procountors_refusal_is_a_preflight_error_with_its_words() -> None:
    refused = FactoringContracts(refused="Insufficient user rights or external financing …")
    (problem,) = problems(factoring=refused)
    assert problem.code == "FACTORING_UNAVAILABLE"
    assert problem.detail == "Insufficient user rights or external financing …"
    assert "Enable external financing" in OPTER.remedy(problem)


def test_a_factoring_text_outside_windows_1252_is_named() -> None:
    found = problems(replace(FINANCED, factoring_text="Siirretty ☃"))
    assert [(p.code, p.field) for p in found] == [("TEXT_ENCODING", "export.factoring_text")]
