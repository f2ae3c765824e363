"""A sales invoice's factoring contract (``factoringContractId``, ``factoringText``).

The API's text for ``Invoice.factoringContractId``: "The bankAccount.accountNumber specified must
match the one used by the specified financing agreement. Financing agreements cannot be used
with cash payments." The contract must also exist and be ACTIVE; every problem is a 400 on
``factoringContractId`` (or the bank account it names), collected with the invoice's others.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from procountor_export.emulator.checks import Fields

if TYPE_CHECKING:
    from procountor_export.emulator.state import CompanyState

FIELD = "factoringContractId"
ACCOUNT_FIELD = "paymentInfo.bankAccount.accountNumber"


def _iban(value: Any) -> str:
    return "".join(str(value or "").split()).upper()


def check_factoring(fields: Fields, company: CompanyState) -> None:
    """Add the problems of the body's factoring contract (if it names one) to ``fields``."""
    fields.text("factoringText")
    contract_id = fields.integer(FIELD)
    if contract_id is None:
        return
    problems = fields.problems
    contract = company.factoring_contracts.get(contract_id)
    if contract is None or not company.external_financing:
        problems.add(FIELD, f"Factoring contract {contract_id} does not exist")
        return
    if contract["status"] != "ACTIVE":
        problems.add(FIELD, f"Factoring contract {contract_id} is not active")
    payment = fields.data.get("paymentInfo")
    payment = payment if isinstance(payment, dict) else {}
    if payment.get("paymentMethod") == "CASH":
        problems.add(FIELD, "Financing agreements cannot be used with cash payments")
    account = payment.get("bankAccount")
    number = account.get("accountNumber") if isinstance(account, dict) else None
    if _iban(number) != _iban(contract["financingCompanyBankAccount"]):
        problems.add(
            ACCOUNT_FIELD,
            f"The bank account {number or '(none)'} does not match the bank account of factoring "
            f"contract {contract_id}",
        )
