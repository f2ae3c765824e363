"""The company's factoring contracts, read once per company and run for an export that names one.

``GET /factoringcontracts`` exists in Finnish environments only and answers 403 "Insufficient
user rights or external financing has not been enabled for your company" where financing is
off. That answer is not a failure of the run: it is kept (:attr:`FactoringContracts.refused`)
and the checks turn it into a pre-flight error of the invoices of the export that names a
contract. Exports without a contract never call the endpoint.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from procountor_export.export.reading.iban import normalise_iban
from procountor_export.procountor import ProcountorClient
from procountor_export.procountor.errors import ProcountorError


@dataclass(frozen=True)
class FactoringContractInfo:
    """One factoring contract: its id (sent as ``factoringContractId``), its contract number,
    whether it is ACTIVE, and the bank account (IBAN, normalised) its invoices must name."""

    id: int
    number: str
    status: str
    bank_account: str
    financing_company: str | None = None


@dataclass(frozen=True)
class FactoringContracts:
    """The company's factoring contracts by contract number, or why Procountor would not list
    them (``refused``: its own words, from a 403)."""

    contracts: Mapping[str, FactoringContractInfo] = field(default_factory=dict)
    refused: str | None = None


def load_factoring(client: ProcountorClient) -> FactoringContracts:
    """Every factoring contract of the company (all pages); a 403 is kept, other errors raise."""
    try:
        listed = client.factoring_contracts.list()
    except ProcountorError as error:
        if error.status != 403:
            raise
        words = "; ".join(item.message for item in error.errors if item.message)
        return FactoringContracts(refused=words or "HTTP 403 from GET /factoringcontracts")
    contracts: dict[str, FactoringContractInfo] = {}
    for contract in listed:
        number = (contract.contract_number or "").strip()
        status = contract.status or ""
        if not number or contract.id is None:
            continue
        if number in contracts and (contracts[number].status == "ACTIVE" or status != "ACTIVE"):
            continue  # the same number twice: an active contract wins
        company = contract.financing_company
        contracts[number] = FactoringContractInfo(
            id=contract.id,
            number=number,
            status=status,
            bank_account=normalise_iban(contract.financing_company_bank_account or ""),
            financing_company=company.name if company is not None else None,
        )
    return FactoringContracts(contracts=contracts)
