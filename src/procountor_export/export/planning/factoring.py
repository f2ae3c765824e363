"""The factoring checks (pure): an invoice of an export that names a factoring contract goes
only when Procountor lists that contract, it is ACTIVE, and the invoice's bank account is the
financing company's.

Procountor's rule for ``Invoice.factoringContractId``: "The bankAccount.accountNumber specified
must match the one used by the specified financing agreement." The invoice's bank account is
the one :func:`.payloads.invoice` sends: the office's IBAN, else the company's default bank
account for invoices. IBANs are compared without spaces and case.
"""

from __future__ import annotations

from collections.abc import Iterator

from procountor_export.export import messages as m
from procountor_export.export.planning.text import unencodable
from procountor_export.export.problems import Problem
from procountor_export.export.reading.cache import CompanyCache
from procountor_export.export.reading.data import ExportConfig, InvoiceData, OfficeData
from procountor_export.export.reading.factoring import FactoringContractInfo
from procountor_export.export.reading.iban import normalise_iban

FIELD = "export.factoring_contract"


def financing_contract(
    export: ExportConfig, snapshot: CompanyCache
) -> FactoringContractInfo | None:
    """The contract the export names, as Procountor lists it (``None``: none named or found)."""
    if export.factoring_contract is None or snapshot.factoring is None:
        return None
    return snapshot.factoring.contracts.get(export.factoring_contract)


def factoring_problems(
    invoice: InvoiceData, export: ExportConfig, snapshot: CompanyCache, office: OfficeData
) -> Iterator[Problem]:
    """What stops ``invoice`` from being financed through the export's factoring contract."""
    number = export.factoring_contract
    if number is None:
        return

    def problem(template: m.MessageTemplate, *args: object, **where: str | None) -> Problem:
        args = (invoice.number, number, export.name, *args)
        return Problem.of(template, *args, invoice=invoice.number, **where)

    bad = unencodable(export.factoring_text)
    if bad:
        yield Problem.of(
            m.TEXT_ENCODING,
            f"factoring text of the export {export.name}",
            bad,
            invoice=invoice.number,
            field="export.factoring_text",
        )
    factoring = snapshot.factoring
    if factoring is None or factoring.refused is not None:
        reason = factoring.refused if factoring is not None else "not read from Procountor"
        yield problem(m.FACTORING_UNAVAILABLE, field=FIELD, detail=reason)
        return
    contract = factoring.contracts.get(number)
    if contract is None:
        yield problem(m.FACTORING_CONTRACT_UNKNOWN, field=FIELD)
        return
    if contract.status != "ACTIVE":
        yield problem(m.FACTORING_CONTRACT_INACTIVE, contract.status or "unknown", field=FIELD)
    iban = office.bank_account or snapshot.default_iban
    if normalise_iban(iban or "") != contract.bank_account:
        yield problem(
            m.FACTORING_BANK_ACCOUNT,
            normalise_iban(iban) if iban else "(none)",
            contract.bank_account or "(none)",
            field="office.bank_account" if office.bank_account else "bank_account",
        )
